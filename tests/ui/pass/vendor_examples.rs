// A spec whose examples contradict their schemas generates: the contradictions are warnings only.
asyncapi_runtime::asyncapi!("../../../../tests/specs/real-world/vendor-examples.yaml");

fn main() {
    // The generated types are there and enforce the schema the examples contradict.
    let order: Result<Order, _> = serde_json::from_str(
        r#"{"orderId":"o-1","symbol":"ACME","side":"hold","quantity":10}"#,
    );
    assert!(order.is_err());
}
