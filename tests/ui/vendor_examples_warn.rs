// Without options, each example (or default) that contradicts its schema is a compiler warning at
// the path literal, naming file:line:col, the example, the field and what the schema expects.
// `deny(warnings)` (here) turns them into errors, which is how this test sees them; the code is
// generated all the same (`pass/vendor_examples.rs` builds it without the deny).
#![deny(warnings)]

asyncapi_runtime::asyncapi!("../../../../tests/specs/real-world/vendor-examples.yaml");

fn main() {}
