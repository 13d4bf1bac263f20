//! Sending a dim command on the turn-on operation.
use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;

asyncapi_runtime::asyncapi!("../../../../tests/../examples/specs/streetlights-mqtt.yml");

async fn send(client: &Client<MemoryBroker>) {
    let parameters = LightTurnOnParameters { streetlight_id: "a".into() };
    let payload = DimLightPayload { percentage: Some(5), sent_at: None };
    let headers = CommonHeaders { my_app_header: None };
    let _ = client.turn_on(&parameters, &headers, &payload).await;
}

fn main() {
    let _ = send;
}
