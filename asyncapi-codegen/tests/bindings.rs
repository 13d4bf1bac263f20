//! Bindings that change runtime behaviour reach the generated code: the Kafka operation
//! binding's `groupId`/`clientId` on the subscription, the Kafka channel binding in `topics`,
//! the MQTT server binding on the `servers` constant.

use std::path::Path;

use asyncapi_codegen::{Settings, generate_file};

/// The generated code for `rel` (relative to the workspace root), whitespace removed.
fn expand(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    let generated = generate_file(&path, Path::new(rel), &Settings::default())
        .unwrap_or_else(|e| panic!("{rel} was rejected:\n{e}"));
    generated
        .tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn assert_has(code: &str, wanted: &str) {
    let wanted: String = wanted.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(code.contains(&wanted), "generated code lacks {wanted}");
}

#[test]
fn kafka_group_and_client_id_come_from_the_operation_binding() {
    let code = expand("examples/specs/order-events.yaml");
    assert_has(
        &code,
        r#"group: ::std::option::Option::Some("billing"),
           client_id: ::std::option::Option::Some("billing-service")"#,
    );
}

#[test]
fn kafka_topics_come_from_channel_bindings() {
    let code = expand("examples/specs/order-events.yaml");
    assert_has(
        &code,
        r#"pub const ORDER_EVENTS: ::asyncapi_runtime::bindings::KafkaTopic =
           ::asyncapi_runtime::bindings::KafkaTopic {
               channel: "orderEvents",
               name: "shop.order-events",
               partitions: ::std::option::Option::Some(3i32),
               replicas: ::std::option::Option::Some(1i32),
               config: &[("cleanup.policy", "delete"), ("retention.ms", "604800000")],
           };"#,
    );
    assert_has(
        &code,
        "pub const ALL: &[::asyncapi_runtime::bindings::KafkaTopic] = &[ORDER_EVENTS];",
    );
}

#[test]
fn the_mqtt_server_binding_is_on_the_server_constant() {
    let code = expand("tests/specs/conformance.yaml");
    assert_has(
        &code,
        r#"mqtt: ::std::option::Option::Some(::asyncapi_runtime::bindings::MqttServerBinding {
               client_id: ::std::option::Option::Some("conformance"),
               clean_session: ::std::option::Option::Some(true),
               keep_alive: ::std::option::Option::Some(30u32),
               last_will: ::std::option::Option::Some(::asyncapi_runtime::bindings::LastWill {
                   topic: "conformance.wills",
                   qos: ::asyncapi_runtime::QoS::from_level(1u8),
                   message: "gone",
                   retain: false,
               }),
               session_expiry_interval: ::std::option::Option::None,
           })"#,
    );
    // A parameterized channel has no fixed topic to create.
    assert!(!code.contains("conformance.sensors.{sensorId}.readings\",partitions"));
}
