//! The service receives light measurements; it cannot publish them.
use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;

asyncapi_runtime::asyncapi!("../../../../tests/../examples/specs/streetlights-mqtt.yml");

async fn send(client: &Client<MemoryBroker>) {
    let parameters = LightingMeasuredParameters { streetlight_id: "a".into() };
    let payload = LightMeasuredPayload { lumens: Some(5), sent_at: None };
    let headers = CommonHeaders { my_app_header: None };
    let _ = client.receive_light_measurement(&parameters, &headers, &payload).await;
}

fn main() {
    let _ = send;
}
