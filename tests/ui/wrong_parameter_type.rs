//! The `floor` parameter is an integer in the spec; a string does not fit.
use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;

asyncapi_runtime::asyncapi!("../../../../tests/ui/specs/building.yaml");

async fn report(client: &Client<MemoryBroker>) {
    let parameters = ReportTemperatureParameters { floor: String::from("3") };
    let payload = TemperaturePayload { kelvin: 294.6 };
    let _ = client.report_temperature(&parameters, &payload).await;
}

fn main() {
    let _ = report;
}
