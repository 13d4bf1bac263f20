// `examples = "deny"`: an example that contradicts its schema is a compile error naming the place
// in the spec, the example and the field; one error per contradiction.
asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/wrong-example.yaml", examples = "deny");

fn main() {}
