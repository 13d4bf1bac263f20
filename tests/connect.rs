//! Connecting from the spec: a client reaches Mosquitto, the password Mosquitto and tansu from a
//! generated `servers` constant and environment variables only (`asyncapi_runtime::connect`),
//! and sends and receives a typed message each way between two such clients.
//!
//! Fixture: `specs/connect.yaml`, whose servers `mqtt`, `mqttAuth` and `kafka` have `{host}` and
//! `{port}` variables. The test copies where `scripts/test.sh` started the brokers
//! (`ASYNCAPI_TEST_MQTT`, `ASYNCAPI_TEST_MQTT_AUTH` and its user, `ASYNCAPI_TEST_KAFKA`) into the
//! variables `connect` reads: `ASYNCAPI_MQTT_HOST`, `ASYNCAPI_MQTT_PORT`,
//! `ASYNCAPI_MQTT_AUTH_USERNAME`, ...
//!
//! It also checks the one credentials rule on every way of connecting: a user name without its
//! password is refused, naming the missing variable.
//!
//! One test function, because the environment of a process may only be changed while no other
//! thread reads it: it sets every variable first, then runs each case in turn.

use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
use asyncapi_runtime::{AnyTransport, Client, ConnectError, connect};
use asyncapi_tests::{broker_host_port, from_test_script, unique, within};
use std::future::IntoFuture;

use futures::StreamExt;

asyncapi_runtime::asyncapi!("specs/connect.yaml");

/// Sets `<prefix>_HOST` and `<prefix>_PORT` from the broker address in `var`.
///
/// # Safety
///
/// No other thread may read or write the environment meanwhile.
unsafe fn set_address(prefix: &str, var: &str) {
    let (host, port) = broker_host_port(var);
    // SAFETY: the caller's promise.
    unsafe {
        std::env::set_var(format!("{prefix}_HOST"), host);
        std::env::set_var(format!("{prefix}_PORT"), port.to_string());
    }
}

#[test]
fn clients_connect_to_each_broker_from_a_server_constant_and_the_environment() {
    // SAFETY: this is the binary's only test, and nothing else has started a thread yet (the
    // runtime is built below).
    unsafe {
        set_address("ASYNCAPI_MQTT", "ASYNCAPI_TEST_MQTT");
        set_address("ASYNCAPI_MQTT_AUTH", "ASYNCAPI_TEST_MQTT_AUTH");
        set_address("ASYNCAPI_KAFKA", "ASYNCAPI_TEST_KAFKA");
        std::env::set_var(
            "ASYNCAPI_MQTT_AUTH_USERNAME",
            from_test_script("ASYNCAPI_TEST_MQTT_AUTH_USERNAME"),
        );
        std::env::set_var(
            "ASYNCAPI_MQTT_AUTH_PASSWORD",
            from_test_script("ASYNCAPI_TEST_MQTT_AUTH_PASSWORD"),
        );
        std::env::set_var(HALF.to_owned() + "_USERNAME", "someone");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        greet_each_other(&servers::MQTT, "mqtt").await;
        greet_each_other(&servers::MQTT_AUTH, "mqtt").await;
        greet_each_other(&servers::KAFKA, "kafka").await;
        a_secured_server_without_credentials_is_refused_naming_the_variables().await;
        a_user_name_without_a_password_is_refused_by_every_way_of_connecting().await;
    });
}

/// The prefix of a user name set without its password.
const HALF: &str = "ASYNCAPI_CONNECT_TEST_HALF";

/// Connects to `server` from the environment, expecting the transport `protocol`.
async fn client(server: &asyncapi_runtime::Server, protocol: &str) -> Client<AnyTransport> {
    let client = within(
        &format!("connecting to {}", server.name),
        connect(server).into_future(),
    )
    .await
    .unwrap_or_else(|e| panic!("connect to {}: {e}", server.name));
    assert_eq!(client.transport().protocol(), protocol);
    client
}

/// Two clients connected from `server` each send a greeting the other receives.
async fn greet_each_other(server: &asyncapi_runtime::Server, protocol: &str) {
    let run = unique(server.name);
    let a = client(server, protocol).await;
    let b = client(server, protocol).await;
    within(
        "creating the topics",
        a.transport().create_topics(topics::ALL),
    )
    .await
    .expect("create the spec's topics (Kafka; nothing to do on MQTT)");
    let mut a_hears = within("a's subscription", a.subscribe_receive_greeting())
        .await
        .expect("subscribe a");
    let mut b_hears = within("b's subscription", b.subscribe_receive_greeting())
        .await
        .expect("subscribe b");
    for (from, to, hears) in [("a", &a, &mut b_hears), ("b", &b, &mut a_hears)] {
        let greeting = GreetingPayload {
            run: run.clone(),
            text: format!("hello from {from} over {}", server.name),
        };
        within("the publish", to.send_greeting(&greeting).into_future())
            .await
            .unwrap_or_else(|e| panic!("{}: publish from {from}: {e}", server.name));
        let heard = within(
            &format!("{}: the greeting from {from}", server.name),
            async {
                loop {
                    let message = hears
                        .next()
                        .await
                        .expect("the stream ended")
                        .expect("a greeting");
                    // The channel outlives runs (and clients hear themselves too).
                    if message.payload.run == run && message.payload.text == greeting.text {
                        break message;
                    }
                }
            },
        )
        .await;
        assert_eq!(heard.address, GreetingsParameters::ADDRESS);
    }
    for client in [a, b] {
        within("closing", client.close()).await.expect("close");
    }
}

/// Without its credentials the password server is refused before any broker is asked, and the
/// error names the variables to set.
async fn a_secured_server_without_credentials_is_refused_naming_the_variables() {
    let error = connect(&servers::MQTT_AUTH)
        .env_prefix("ASYNCAPI_CONNECT_TEST_NOTHING_SET")
        .await
        .map(|_| ())
        .expect_err("no credentials");
    let text = error.to_string();
    assert!(
        matches!(error, ConnectError::Credentials { .. })
            && text.contains(
                "ASYNCAPI_CONNECT_TEST_NOTHING_SET_USERNAME and \
                 ASYNCAPI_CONNECT_TEST_NOTHING_SET_PASSWORD"
            ),
        "{text}"
    );
}

/// One credentials rule: `connect` and both transports' `credentials_from_env` refuse a user
/// name without a password, naming the password's variable, before reaching a broker.
async fn a_user_name_without_a_password_is_refused_by_every_way_of_connecting() {
    let missing = format!("{HALF}_USERNAME is set but {HALF}_PASSWORD is not");
    let error = connect(&servers::MQTT)
        .env_prefix(HALF)
        .await
        .map(|_| ())
        .expect_err("half the credentials");
    assert!(
        matches!(error, ConnectError::Credentials { .. }) && error.to_string().contains(&missing),
        "{error}"
    );
    let (host, port) = broker_host_port("ASYNCAPI_TEST_MQTT");
    let mqtt = Mqtt::connect(MqttConfig::new(host, port).credentials_from_env(HALF))
        .await
        .map(|_| ())
        .expect_err("half the credentials");
    assert!(mqtt.to_string().contains(&missing), "{mqtt}");
    let kafka = KafkaConfig::new(asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA"))
        .credentials_from_env(HALF);
    let kafka = within("the refusal", Kafka::connect(kafka))
        .await
        .map(|_| ())
        .expect_err("half the credentials");
    assert!(kafka.to_string().contains(&missing), "{kafka}");
}
