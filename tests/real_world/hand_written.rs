//! Hand-written YAML (`specs/real-world/hand-written.yaml`): a byte-order mark, CRLF line
//! endings, anchors and aliases, YAML merge keys, names with spaces and dots, `x-` extensions.
//! Before merge keys were applied, `<<: *stamped` was read as a property named `<<` and the
//! audit payload lost every field.

use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_tests::within;
use futures::StreamExt;

mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/hand-written.yaml");
}

mod mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/hand-written.yaml", role = "mirror");
}

#[tokio::test]
async fn merged_schemas_keep_their_fields() {
    use app::{Publisher as _, Subscriber as _};
    use mirror::{Publisher as _, Subscriber as _};
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let auditor = Client::new(broker);

    let mut changes = auditor.subscribe_stock_changed().await.unwrap();
    service
        .stock_changed(
            &app::StockChangedParameters {
                site: "berlin".to_owned(),
            },
            &app::StockChangedPayload {
                at: "2026-12-03T10:00:00Z".parse().unwrap(),
                by: None,
                sku: "A-1".to_owned(),
                delta: -3,
            },
        )
        .await
        .unwrap();
    let change = within("the change", changes.next()).await.unwrap().unwrap();
    assert_eq!(change.address, "warehouse/berlin/stock.changed");
    assert_eq!(
        (change.payload.sku.as_str(), change.payload.delta),
        ("A-1", -3)
    );
    assert_eq!(change.qos, Some(asyncapi_runtime::QoS::AtLeastOnce));

    // The merged-in schema alone: its `at` is required and typed, `by` optional.
    let mut audits = service.subscribe_audit_requested().await.unwrap();
    auditor
        .audit_requested(
            &mirror::AuditRequestedParameters {
                site: "berlin".to_owned(),
            },
            &mirror::AuditRequestedPayload {
                at: "2026-12-03T11:00:00Z".parse().unwrap(),
                by: Some("ops".to_owned()),
            },
        )
        .await
        .unwrap();
    let audit = within("the audit", audits.next()).await.unwrap().unwrap();
    assert_eq!(audit.payload.by.as_deref(), Some("ops"));
    assert_eq!(
        serde_json::to_value(&audit.payload).unwrap(),
        serde_json::json!({"at": "2026-12-03T11:00:00Z", "by": "ops"})
    );
}
