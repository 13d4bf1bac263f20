//! Excluding an operation the spec does not have (it has `dimLight`).
asyncapi_runtime::asyncapi!("../../../../tests/../examples/specs/streetlights-mqtt.yml", exclude = "turnOn, dimLights");

fn main() {}
