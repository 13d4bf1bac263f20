// An examples policy other than warn, deny or allow is an error at the value.
asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/wrong-example.yaml", examples = "ignore");

fn main() {}
