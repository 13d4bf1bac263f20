asyncapi_runtime::asyncapi!("../../../../tests/../examples/specs/streetlights-mqtt.yml", flavour = "sweet");

fn main() {}
