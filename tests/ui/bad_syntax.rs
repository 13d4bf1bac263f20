asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/bad-syntax.yaml");

fn main() {}
