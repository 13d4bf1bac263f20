// `examples = "allow"`: no warning at all, so a crate built with `deny(warnings)` compiles a spec
// it cannot fix.
#![deny(warnings)]

asyncapi_runtime::asyncapi!(
    "../../../../tests/specs/real-world/vendor-examples.yaml",
    examples = "allow"
);

fn main() {}
