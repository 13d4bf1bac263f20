// A schema example that breaks its schema is a compile error naming the example and the field.
asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/wrong-example.yaml");

fn main() {}
