asyncapi_runtime::asyncapi!(
    "../../../../tests/../examples/specs/streetlights-mqtt.yml",
    type_override = "lightMeasuredPayload: my::Type"
);

fn main() {}
