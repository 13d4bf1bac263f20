asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/no-such-file.yaml");

fn main() {}
