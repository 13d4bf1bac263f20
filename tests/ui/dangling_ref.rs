asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/dangling-ref.yaml");

fn main() {}
