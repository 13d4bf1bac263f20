//! `message: {oneOf: []}` (`specs/real-world/empty-messages.yaml`): an operation with an empty
//! list of messages is generated like one with no message, carrying any JSON value; once it
//! panicked the macro.

use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_tests::within;
use futures::StreamExt;
use serde_json::json;

mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/empty-messages.yaml");
}

mod mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/empty-messages.yaml", role = "mirror");
}

#[tokio::test]
async fn the_application_sends_any_json_value_and_the_mirror_receives_it() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let device = Client::new(broker.clone());
    let mut pings = device.subscribe_send_ping().await.unwrap();
    let service = Client::new(broker);
    let parameters = app::ReportPingParameters {
        device_id: "d-7".into(),
    };
    let ping = json!({"seq": 1, "note": ["any", "json"]});
    service.send_ping(&parameters, &ping).await.unwrap();
    let received = within("the ping", pings.next()).await.unwrap().unwrap();
    assert_eq!(received.address, "devices/d-7/ping");
    assert_eq!(received.parameters.device_id, "d-7");
    assert_eq!(received.payload, ping);
}

#[tokio::test]
async fn the_mirror_sends_and_the_application_receives() {
    use app::Subscriber as _;
    use mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let mut reports = service.subscribe_report_ping().await.unwrap();
    let device = Client::new(broker);
    let parameters = mirror::ReportPingParameters {
        device_id: "d-8".into(),
    };
    device
        .report_ping(&parameters, &json!("alive"))
        .await
        .unwrap();
    let received = within("the report", reports.next()).await.unwrap().unwrap();
    assert_eq!(received.parameters.device_id, "d-8");
    assert_eq!(received.payload, json!("alive"));
}
