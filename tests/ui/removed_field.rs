//! Service code written against version 1 of a spec, which had `celsius`; version 2 renamed it.
use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;

asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/building.yaml");

async fn report(client: &Client<MemoryBroker>) {
    let parameters = ReportTemperatureParameters { floor: 3 };
    let payload = TemperaturePayload { celsius: 21.5 };
    let _ = client.report_temperature(&parameters, &payload).await;
}

fn main() {
    let _ = report;
}
