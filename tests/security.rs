//! Security against real brokers, and secrets kept out of what the program shows.
//!
//! `scripts/test.sh` starts, besides the plain brokers, three Mosquittos with a CA it makes for the
//! run (`scripts/brokers.sh`: `make_test_pki`, `start_mosquitto_secured`) and a tansu that
//! requires SASL (`start_tansu_sasl`), and tells where they are:
//!
//! - `ASYNCAPI_TEST_MQTT_TLS`: MQTT over TLS, the server certificate from the test CA;
//! - `ASYNCAPI_TEST_MQTT_MTLS`: the same, and a client certificate from that CA is required;
//! - `ASYNCAPI_TEST_MQTT_AUTH`: plain MQTT, no anonymous clients, one user with a password;
//! - `ASYNCAPI_TEST_KAFKA_SASL`: tansu with authentication on, the same user for SCRAM-SHA-256
//!   and SCRAM-SHA-512;
//! - `ASYNCAPI_TEST_TLS_DIR`: `ca.pem`, `client.pem`, `client.key` and `other-ca.pem` (a CA that
//!   vouches for nothing here);
//! - `ASYNCAPI_TEST_MQTT_AUTH_USERNAME` / `_PASSWORD` and `ASYNCAPI_TEST_KAFKA_SASL_USERNAME` /
//!   `_PASSWORD`: the user, in the form `credentials_from_env` reads.
//!
//! Every refusal must be an error within a few seconds, not a hang. And no password or private
//! key may show: not in the code generated from a spec that carries credentials, not in the
//! `Debug` output of a configuration, not in an error, not in the runtime's log lines at TRACE
//! level (captured here by a subscriber of our own), whether the login worked or not.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use asyncapi_runtime::kafka::{Kafka, KafkaConfig, KafkaTls, SaslMechanism};
use asyncapi_runtime::mqtt::{Mqtt, MqttConfig, MqttVersion, TlsConfig};
use asyncapi_runtime::{
    Incoming, Outgoing, QoS, RawStream, SecurityScheme, Server, Subscription, Transport,
    TransportError,
};
use asyncapi_tests::{broker_host_port, from_test_script, unique, within};
use futures::StreamExt;

const BOTH: [MqttVersion; 2] = [MqttVersion::V3_1_1, MqttVersion::V5];
/// How long any refusal may take.
const REFUSAL: Duration = Duration::from_secs(8);

/// A file of the test CA's directory.
fn pem(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(&from_test_script("ASYNCAPI_TEST_TLS_DIR")).join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn mqtt_user() -> (String, String) {
    (
        from_test_script("ASYNCAPI_TEST_MQTT_AUTH_USERNAME"),
        from_test_script("ASYNCAPI_TEST_MQTT_AUTH_PASSWORD"),
    )
}

fn kafka_user() -> (String, String) {
    (
        from_test_script("ASYNCAPI_TEST_KAFKA_SASL_USERNAME"),
        from_test_script("ASYNCAPI_TEST_KAFKA_SASL_PASSWORD"),
    )
}

/// Quick reconnects and bounded waits.
fn mqtt_config(var: &str) -> MqttConfig {
    let (host, port) = broker_host_port(var);
    MqttConfig::new(host, port)
        .reconnect_backoff(Duration::from_millis(20), Duration::from_millis(200))
        .ack_timeout(Duration::from_secs(5))
}

/// Connects, failing the test on an error.
async fn connect(config: MqttConfig) -> Mqtt {
    within("the connection", Mqtt::connect(config))
        .await
        .expect("connect to Mosquitto")
}

/// `connect` fails, within [`REFUSAL`].
async fn refused_within<T>(
    connect: impl Future<Output = Result<T, TransportError>>,
    why: &str,
) -> TransportError {
    let started = Instant::now();
    let error = within("the refusal", connect)
        .await
        .map(|_| ())
        .expect_err(why);
    assert!(
        started.elapsed() < REFUSAL,
        "{why}: refused only after {:?}",
        started.elapsed()
    );
    error
}

/// Connecting to Mosquitto fails, within [`REFUSAL`].
async fn refused(config: MqttConfig, why: &str) -> TransportError {
    refused_within(Mqtt::connect(config), why).await
}

async fn next(stream: &mut RawStream, what: &str) -> Incoming {
    let message = within(what, stream.next())
        .await
        .expect("the stream ended")
        .expect("a transport error");
    if let Some(ack) = &message.ack {
        ack.ack().expect("acknowledge");
    }
    message
}

/// A message published on a fresh topic comes back through a subscription of the same
/// connection.
async fn mqtt_round_trip(mqtt: &Mqtt, what: &str) {
    let topic = format!("asyncapi-tests/{}", unique("security"));
    let mut stream = within(
        "the subscription",
        mqtt.subscribe(Subscription::new(topic.clone()).with_qos(QoS::AtLeastOnce)),
    )
    .await
    .expect("subscribe");
    within(
        "the publish",
        mqtt.publish(Outgoing::new(&topic, what.to_owned()).with_qos(QoS::AtLeastOnce)),
    )
    .await
    .expect("publish");
    let message = next(&mut stream, what).await;
    assert_eq!(&message.payload[..], what.as_bytes());
    within("the disconnection", mqtt.disconnect())
        .await
        .expect("disconnect");
}

#[tokio::test]
async fn tls_with_the_test_ca_carries_messages_to_its_host_name_and_address() {
    let ca = pem("ca.pem");
    for version in BOTH {
        // The certificate names 127.0.0.1 and localhost; rustls checks either.
        let (_, port) = broker_host_port("ASYNCAPI_TEST_MQTT_TLS");
        for url in [
            format!("mqtts://127.0.0.1:{port}"),
            format!("mqtts://localhost:{port}"),
        ] {
            let config = MqttConfig::from_url(&url)
                .unwrap()
                .version(version)
                .ack_timeout(Duration::from_secs(5))
                .tls(TlsConfig::with_ca_pem(ca.clone()));
            let mqtt = connect(config).await;
            mqtt_round_trip(&mqtt, &format!("over TLS to {url}, {version}")).await;
        }
    }
}

#[tokio::test]
async fn tls_refuses_a_broker_its_roots_do_not_vouch_for_and_plain_mqtt_gets_nowhere() {
    let base = mqtt_config("ASYNCAPI_TEST_MQTT_TLS");
    let error = refused(
        base.clone()
            .tls(TlsConfig::with_ca_pem(pem("other-ca.pem"))),
        "an unknown issuer",
    )
    .await;
    assert!(matches!(error, TransportError::Backend(_)), "{error}");
    assert!(
        error.to_string().to_lowercase().contains("certificate"),
        "the error says what went wrong: {error}"
    );
    refused(
        base.ack_timeout(Duration::from_secs(2)),
        "plain MQTT to a TLS port",
    )
    .await;
}

#[tokio::test]
async fn a_broker_that_requires_client_certificates_takes_only_one_from_its_ca() {
    let ca = pem("ca.pem");
    let base = mqtt_config("ASYNCAPI_TEST_MQTT_MTLS");
    for version in BOTH {
        let anonymous = base
            .clone()
            .version(version)
            .tls(TlsConfig::with_ca_pem(ca.clone()));
        let error = refused(anonymous, "no client certificate").await;
        assert!(matches!(error, TransportError::Backend(_)), "{error}");

        let identified = base.clone().version(version).tls(
            TlsConfig::with_ca_pem(ca.clone()).client_auth(pem("client.pem"), pem("client.key")),
        );
        let mqtt = connect(identified).await;
        mqtt_round_trip(&mqtt, &format!("with a client certificate, {version}")).await;
    }
}

#[tokio::test]
async fn the_password_broker_takes_the_right_credentials_from_code_or_the_environment() {
    let (user, password) = mqtt_user();
    for version in BOTH {
        let given = mqtt_config("ASYNCAPI_TEST_MQTT_AUTH")
            .version(version)
            .credentials(user.clone(), password.clone());
        let mqtt = connect(given).await;
        mqtt_round_trip(&mqtt, &format!("logged in, {version}")).await;

        let from_env = mqtt_config("ASYNCAPI_TEST_MQTT_AUTH")
            .version(version)
            .credentials_from_env("ASYNCAPI_TEST_MQTT_AUTH");
        let mqtt = connect(from_env).await;
        mqtt_round_trip(&mqtt, &format!("logged in from the environment, {version}")).await;
    }
}

#[tokio::test]
async fn the_password_broker_refuses_a_wrong_or_missing_password_saying_why() {
    let (user, password) = mqtt_user();
    let wrong_password = format!("{password}-but-wrong");
    for version in BOTH {
        let base = mqtt_config("ASYNCAPI_TEST_MQTT_AUTH").version(version);
        let cases = [
            (
                "a wrong password",
                base.clone()
                    .credentials(user.clone(), wrong_password.clone()),
            ),
            (
                "an unknown user",
                base.clone().credentials("nobody", password.clone()),
            ),
            ("no credentials", base.clone()),
        ];
        for (why, config) in cases {
            let error = refused(config, why).await;
            let said = error.to_string();
            // A refusal about who the client is is a configuration error, with the broker's
            // reason (3.1.1: return code 4 or 5; 5: reason code 0x86 or 0x87).
            assert!(
                matches!(error, TransportError::Config(_)),
                "{version}, {why}: {said}"
            );
            assert!(
                ["NotAuthorized", "BadUserNamePassword"]
                    .iter()
                    .any(|reason| said.contains(reason)),
                "{version}, {why}: {said}"
            );
            assert!(!said.contains(&password), "{version}, {why}: {said}");
        }
    }
}

// Kafka with SASL.

fn kafka_config() -> KafkaConfig {
    KafkaConfig::new(asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA_SASL"))
        .timeout(Duration::from_secs(5))
}

async fn kafka_round_trip(kafka: &Kafka, what: &str) {
    let topic = unique("security");
    within("creating a topic", kafka.create_topic(&topic, 1))
        .await
        .expect("create the topic");
    let mut stream = within(
        "the subscription",
        kafka.subscribe(Subscription::new(topic.clone())),
    )
    .await
    .expect("subscribe");
    within(
        "the publish",
        kafka.publish(Outgoing::new(&topic, what.to_owned())),
    )
    .await
    .expect("publish");
    let message = next(&mut stream, what).await;
    assert_eq!(&message.payload[..], what.as_bytes());
}

/// Connecting to tansu fails, within [`REFUSAL`].
async fn kafka_refused(config: KafkaConfig, why: &str) -> TransportError {
    refused_within(Kafka::connect(config), why).await
}

#[tokio::test]
async fn sasl_scram_logs_in_and_carries_messages() {
    let (user, password) = kafka_user();
    for mechanism in [SaslMechanism::ScramSha256, SaslMechanism::ScramSha512] {
        let config = kafka_config().sasl(mechanism, user.clone(), password.clone());
        let kafka = within("the connection", Kafka::connect(config))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", mechanism.as_str()));
        kafka_round_trip(&kafka, &format!("logged in with {}", mechanism.as_str())).await;
    }
    // From the environment, with the mechanism a server's security scheme names.
    const SCRAM: Server = Server {
        name: "scram",
        url: "kafka://{address}",
        protocol: "kafka",
        protocol_version: None,
        variables: &[asyncapi_runtime::ServerVariable {
            name: "address",
            default: None,
            allowed: &[],
            description: "",
        }],
        security: &[SecurityScheme {
            name: "saslScram",
            kind: "scramSha512",
            description: "",
        }],
        mqtt: None,
    };
    let address = asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA_SASL");
    let config = KafkaConfig::from_server_with(&SCRAM, &[("address", &address)])
        .unwrap()
        .timeout(Duration::from_secs(5))
        .credentials_from_env("ASYNCAPI_TEST_KAFKA_SASL");
    let kafka = within("the connection", Kafka::connect(config))
        .await
        .expect("SCRAM-SHA-512 from the server's scheme and the environment");
    kafka_round_trip(&kafka, "logged in from the environment").await;
}

#[tokio::test]
async fn sasl_refuses_a_wrong_password_an_unknown_user_no_credentials_and_plain() {
    let (user, password) = kafka_user();
    let wrong_password = format!("{password}-but-wrong");
    let cases = [
        (
            "a wrong password",
            kafka_config().sasl(
                SaslMechanism::ScramSha256,
                user.clone(),
                wrong_password.clone(),
            ),
        ),
        (
            "a wrong password (SHA-512)",
            kafka_config().sasl(SaslMechanism::ScramSha512, user.clone(), wrong_password),
        ),
        (
            "an unknown user",
            kafka_config().sasl(SaslMechanism::ScramSha256, "nobody", password.clone()),
        ),
    ];
    for (why, config) in cases {
        let error = kafka_refused(config, why).await;
        let said = error.to_string();
        assert!(matches!(error, TransportError::Config(_)), "{why}: {said}");
        assert!(
            said.contains("SASL SCRAM authentication failed"),
            "{why}: {said}"
        );
        assert!(!said.contains(&password), "{why}: {said}");
    }
    // Without credentials tansu closes the connection at the first request that needs a login,
    // which librdkafka sees as a broker going down.
    let error = kafka_refused(kafka_config(), "no credentials").await;
    assert!(matches!(error, TransportError::Backend(_)), "{error}");
    // tansu 0.6 offers SCRAM only: it drops a client that asks for PLAIN.
    let plain = kafka_config().sasl(SaslMechanism::Plain, user, password.clone());
    let error = kafka_refused(plain, "PLAIN, which tansu does not offer").await;
    let said = error.to_string();
    assert!(matches!(error, TransportError::Config(_)), "{said}");
    assert!(
        said.contains("SASL PLAIN mechanism handshake failed"),
        "{said}"
    );
}

// Secrets kept out of generated code, Debug output and logs.

/// A spec whose servers carry credentials: in the URL, literally and through variables.
const SPEC_WITH_CREDENTIALS: &str = r#"
asyncapi: 2.6.0
info:
  title: Credentials
  version: 1.0.0
servers:
  literal:
    url: mqtt://lamp-user:literal-hunter2-secret@broker.example:{port}
    protocol: mqtt
    variables:
      port:
        default: "1883"
    security:
      - userPass: []
  templated:
    url: mqtts://{user}:{password}@broker.example
    protocol: secure-mqtt
    variables:
      user:
        default: lamp
      password:
        default: variable-hunter2-secret
    security:
      - userPass: []
      - cert: []
  kafka:
    url: kafka://kafka-user:kafka-hunter2-secret@broker.example:9092
    protocol: kafka
    security:
      - scram: []
channels:
  lights:
    publish:
      operationId: light
      message:
        payload:
          type: string
components:
  securitySchemes:
    userPass:
      type: userPassword
      description: The broker's user name and password, given at runtime.
    cert:
      type: X509
    scram:
      type: scramSha256
"#;

/// What "credentials from the spec" means here: the `user:password@` part of a server URL,
/// written there or filled in from variable defaults. The runtime never uses them (configurations
/// made from a server drop them), so the generator does not copy them into the program, where
/// they would sit in the binary and the documentation. What stays is what a client needs to know
/// about the server: host, port and the other variables, protocol, and the security schemes by
/// name and kind.
#[test]
fn code_generated_from_a_spec_with_credentials_does_not_hold_them() {
    let code = asyncapi_codegen::generate_text(
        SPEC_WITH_CREDENTIALS,
        std::path::Path::new("credentials.yaml"),
        &asyncapi_codegen::Settings::default(),
    )
    .expect("the spec generates")
    .to_string();
    for secret in [
        "hunter2",
        "lamp-user",
        "kafka-user",
        "variable-hunter2-secret",
    ] {
        assert!(
            !code.contains(secret),
            "{secret} in the generated code:\n{code}"
        );
    }
    for kept in [
        "\"mqtt://broker.example:{port}\"",
        "\"mqtts://broker.example\"",
        "\"kafka://broker.example:9092\"",
        "\"userPass\"",
        "\"userPassword\"",
        "\"X509\"",
        "\"scramSha256\"",
        "\"1883\"",
    ] {
        assert!(
            code.contains(kept),
            "{kept} missing from the generated code:\n{code}"
        );
    }
}

/// The generated constants as the runtime reads them (what the test above generates).
const LITERAL: Server = Server {
    name: "literal",
    url: "mqtt://lamp-user:literal-hunter2-secret@broker.example:1883",
    protocol: "mqtt",
    protocol_version: None,
    variables: &[],
    security: &[SecurityScheme {
        name: "userPass",
        kind: "userPassword",
        description: "",
    }],
    mqtt: None,
};

#[tokio::test]
async fn debug_output_and_configuration_errors_hide_passwords_and_keys() {
    let secret = "hunter2-debug-secret";
    let mut shown = vec![
        format!("{:?}", MqttConfig::new("h", 1).credentials("user", secret)),
        format!(
            "{:?}",
            MqttConfig::from_url(&format!("mqtt://user:{secret}@h")).unwrap()
        ),
        format!(
            "{:?}",
            MqttConfig::new("h", 1).tls(TlsConfig::with_ca_pem("CA").client_auth("CERT", secret))
        ),
        format!("{:?}", MqttConfig::from_server(&LITERAL).unwrap()),
        format!("{:?}", KafkaConfig::new("h:1").credentials("user", secret)),
        format!(
            "{:?}",
            KafkaConfig::new("h:1").sasl(SaslMechanism::ScramSha512, "user", secret)
        ),
        format!(
            "{:?}",
            KafkaConfig::new(format!("kafka://user:{secret}@h:1"))
        ),
        format!(
            "{:?}",
            KafkaConfig::new("h:1")
                .set("sasl.password", secret)
                .producer_set("ssl.key.password", secret)
                .consumer_set("sasl.oauthbearer.client.secret", secret)
                .set("ssl.key.pem", secret)
        ),
        format!(
            "{:?}",
            KafkaConfig::new("h:1").tls(
                KafkaTls::new()
                    .client_certificate("client.pem", "client.key")
                    .key_password(secret)
            )
        ),
    ];
    // A client librdkafka cannot make from its properties: the error names the property it
    // refused, and no secret value.
    let refused = KafkaConfig::new("127.0.0.1:1")
        .set("sasl.password", secret)
        .set("ssl.key.pem", secret)
        .set("security.protocol", "NOT-A-PROTOCOL");
    let error = Kafka::connect(refused)
        .await
        .map(|_| ())
        .expect_err("an unknown security protocol");
    assert!(matches!(error, TransportError::Config(_)), "{error}");
    shown.push(error.to_string());
    for text in &shown {
        assert!(!text.contains(secret), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
    assert!(
        shown[0].contains("user") && shown[0].contains("<redacted>"),
        "{}",
        shown[0]
    );
}

// The runtime's log lines, all of them (every level and target, span fields included).

#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
    next_span: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        // Unescaped, so that quoting cannot hide a password.
        let _ = write!(self.0, " {}={}", field.name(), value);
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_error(
        &mut self,
        field: &tracing::field::Field,
        value: &(dyn std::error::Error + 'static),
    ) {
        let _ = write!(self.0, " {}={}", field.name(), value);
        let mut source = value.source();
        while let Some(cause) = source {
            let _ = write!(self.0, ": {cause}");
            source = cause.source();
        }
    }
}

impl Capture {
    fn line(&self, write: impl FnOnce(&mut String)) {
        let mut text = self.text.lock().unwrap_or_else(|e| e.into_inner());
        write(&mut text);
        text.push('\n');
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.line(|text| {
            let _ = write!(text, "span {}", span.metadata().name());
            span.record(&mut Fields(text));
        });
        tracing::span::Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.line(|text| {
            text.push_str("span fields");
            values.record(&mut Fields(text));
        });
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        self.line(|text| {
            let meta = event.metadata();
            let _ = write!(text, "{} {}", meta.level(), meta.target());
            event.record(&mut Fields(text));
        });
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// Every log line of the process from now on (librdkafka logs from threads of its own, so the
/// subscriber is the global one).
fn capture() -> Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let capture = Capture::default();
            tracing::subscriber::set_global_default(capture.clone())
                .expect("no other global subscriber in this test binary");
            capture
        })
        .clone()
}

#[tokio::test]
async fn passwords_never_reach_the_logs_whether_the_login_works_or_not() {
    let logs = capture();
    let (mqtt_user, mqtt_password) = mqtt_user();
    let (kafka_user, kafka_password) = kafka_user();

    for version in BOTH {
        let base = mqtt_config("ASYNCAPI_TEST_MQTT_AUTH").version(version);
        let mqtt = connect(
            base.clone()
                .credentials(mqtt_user.clone(), mqtt_password.clone()),
        )
        .await;
        mqtt_round_trip(&mqtt, "logged").await;
        refused(
            base.clone()
                .credentials(mqtt_user.clone(), format!("{mqtt_password}-but-wrong")),
            "a wrong password",
        )
        .await;
        // The key of a client certificate neither.
        let mqtt = connect(mqtt_config("ASYNCAPI_TEST_MQTT_MTLS").version(version).tls(
            TlsConfig::with_ca_pem(pem("ca.pem")).client_auth(pem("client.pem"), pem("client.key")),
        ))
        .await;
        mqtt_round_trip(&mqtt, "logged with a certificate").await;
    }
    // A server of the spec with credentials in its URL: ignored, with a warning that does not
    // repeat them.
    MqttConfig::from_server(&LITERAL).unwrap();
    let _ = KafkaConfig::new("kafka://user:literal-hunter2-secret@h:1");

    // librdkafka's own debug lines about security and the protocol go to the log too.
    let verbose = |config: KafkaConfig| config.set("debug", "security,broker,protocol,generic");
    let kafka = within(
        "the connection",
        Kafka::connect(verbose(kafka_config().sasl(
            SaslMechanism::ScramSha256,
            kafka_user.clone(),
            kafka_password.clone(),
        ))),
    )
    .await
    .expect("SCRAM login");
    kafka_round_trip(&kafka, "logged").await;
    for config in [
        kafka_config().sasl(
            SaslMechanism::ScramSha512,
            kafka_user.clone(),
            format!("{kafka_password}-but-wrong"),
        ),
        kafka_config().sasl(
            SaslMechanism::Plain,
            kafka_user.clone(),
            kafka_password.clone(),
        ),
    ] {
        // PLAIN sends the password itself over the wire; whatever tansu answers, it is not logged.
        let _ = within("the login", Kafka::connect(verbose(config))).await;
    }

    let key = String::from_utf8(pem("client.key")).unwrap();
    let key_body = key.lines().nth(1).expect("a PEM body").to_owned();
    let text = logs.text.lock().unwrap().clone();
    assert!(
        text.contains("MQTT connected") && text.contains("librdkafka"),
        "the capture saw the runtime's lines:\n{text}"
    );
    for secret in [
        mqtt_password.as_str(),
        kafka_password.as_str(),
        "hunter2",
        key_body.as_str(),
    ] {
        assert!(
            !text.contains(secret),
            "a secret in the logs:\n{}",
            text.lines()
                .filter(|line| line.contains(secret))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
