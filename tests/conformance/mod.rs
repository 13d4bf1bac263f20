//! One conformance suite for every transport: the same tests, through the generated API of
//! `specs/conformance.yaml`, run against the in-memory broker, Mosquitto and tansu (one test
//! binary each: `conformance_memory`, `conformance_mqtt`, `conformance_kafka`).
//!
//! A transport enters the suite through a [`Harness`]: how to connect, how to prepare addresses
//! before they are used (Kafka topics are never created implicitly, so its harness creates them
//! from the spec's `topics` module), and, for transports with a connection to lose, how to connect
//! through an [`asyncapi_tests::proxy::Proxy`] the test can cut.

#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use asyncapi_runtime::{Client, Outgoing, ReceiveError, Transport};
use asyncapi_tests::within;
use futures::StreamExt;

pub mod rpc;
pub mod service;
pub use rpc::*;
pub use service::*;

/// The generated API of the fixture spec.
pub mod spec {
    asyncapi_runtime::asyncapi!("specs/conformance.yaml");
}

use spec::*;

/// How the suite reaches one transport.
pub trait Harness: Sync {
    /// The transport under test.
    type Transport: Transport + Clone;

    /// Its name in reports (`memory`, `mqtt`, `kafka`).
    const NAME: &'static str;

    /// A new connection.
    fn connect(&self) -> impl Future<Output = Self::Transport> + Send;

    /// Another connection to the broker `other` is connected to; by default
    /// [`Harness::connect`] (the in-memory broker overrides it: each of its connections is a
    /// broker of its own).
    fn connect_beside(
        &self,
        other: &Self::Transport,
    ) -> impl Future<Output = Self::Transport> + Send {
        let _ = other;
        self.connect()
    }

    /// Makes `addresses` usable before a test subscribes or publishes (Kafka: creates the
    /// topics; the spec's own `topics::ALL` are created by `connect`).
    fn prepare(
        &self,
        transport: &Self::Transport,
        addresses: &[String],
    ) -> impl Future<Output = ()> + Send {
        let _ = (transport, addresses);
        async {}
    }

    /// Called before a test subscribes to `address` to read what is published from then on;
    /// nothing by default. (The Kafka harness ends each partition of the topic with a record of
    /// its own, for tansu: see `conformance_kafka.rs`.)
    fn before_reading_from_now(
        &self,
        transport: &Self::Transport,
        address: &str,
    ) -> impl Future<Output = ()> + Send {
        let _ = (transport, address);
        async {}
    }

    /// Publishes each `(payload, headers)` to `address` with header names and values as raw
    /// bytes (not necessarily UTF-8), past the runtime, whose headers are text. By default the
    /// transport cannot: its headers are Rust strings.
    fn publish_header_bytes(
        &self,
        transport: &Self::Transport,
        address: &str,
        messages: Vec<(Vec<u8>, RawHeaders)>,
    ) -> impl Future<Output = HeaderBytes> + Send {
        let _ = (transport, address, messages);
        async {
            HeaderBytes::Cannot(
                "its headers are Rust strings: a value that is not UTF-8 cannot be made".into(),
            )
        }
    }

    /// Whether what a consumer did not acknowledge comes to the next consumer of the same
    /// session or group (not the in-memory broker, which keeps nothing).
    const REDELIVERS: bool = true;

    /// A new connection that keeps its session when it goes (MQTT: this client id, no clean
    /// start, a session expiry); by default [`Harness::connect`].
    fn connect_persistent(&self, session: &str) -> impl Future<Output = Self::Transport> + Send {
        let _ = session;
        self.connect()
    }

    /// Makes the broker forget the session of [`Harness::connect_persistent`] (MQTT: a clean
    /// connection with its client id), so that it does not hold on to messages of the groups
    /// it joined; nothing by default.
    fn forget_session(&self, session: &str) -> impl Future<Output = ()> + Send {
        let _ = session;
        async {}
    }

    /// Ends a connection and waits until the broker has seen it go; by default drops it.
    fn disconnect(&self, transport: Self::Transport) -> impl Future<Output = ()> + Send {
        drop(transport);
        async {}
    }

    /// Creates the topics a spec's `topics::ALL` describes (Kafka); nothing by default.
    fn create_topics(
        &self,
        transport: &Self::Transport,
        topics: &'static [asyncapi_runtime::bindings::KafkaTopic],
    ) -> impl Future<Output = ()> + Send {
        let _ = (transport, topics);
        async {}
    }

    /// Waits until `group` has committed every record of `topic` (Kafka); nothing by default.
    fn committed_to_the_end(
        &self,
        transport: &Self::Transport,
        topic: &str,
        group: &str,
    ) -> impl Future<Output = ()> + Send {
        let _ = (transport, topic, group);
        async {}
    }

    /// A connection through a proxy the test can cut; `None` when the transport has no
    /// connection to lose (the in-memory broker).
    fn connect_through_proxy(
        &self,
    ) -> impl Future<Output = Option<(Self::Transport, asyncapi_tests::proxy::Proxy)>> + Send {
        async { None }
    }
}

/// Header names and values as bytes.
pub type RawHeaders = Vec<(Vec<u8>, Vec<u8>)>;

/// What became of messages with headers that are not UTF-8 ([`Harness::publish_header_bytes`]).
#[derive(Debug)]
pub enum HeaderBytes {
    /// The broker took them: subscribers get them.
    Sent,
    /// The transport cannot express them (why).
    Cannot(String),
    /// The broker refused them (what it did); subscribers get nothing.
    Refused(String),
}

/// Every test of the suite, as `#[tokio::test]`s over the harness `$harness`.
#[macro_export]
macro_rules! conformance_suite {
    ($harness:expr) => {
        $crate::conformance_suite!(@tests $harness;
            payload_types_round_trip,
            readings_carry_parameters_headers_and_keys,
            order_holds_per_key,
            malformed_messages_are_error_items_and_the_stream_goes_on,
            a_flood_of_bad_input_is_error_items_and_every_valid_message_arrives,
            a_one_mebibyte_payload_round_trips,
            a_hundred_concurrent_subscriptions_each_get_the_message,
            serve_acknowledges_after_handling,
            publishing_resumes_after_the_connection_drops,
            poison_messages_are_retried_then_dead_lettered,
            shutdown_drains_handlers_that_started,
            concurrent_handlers_keep_per_key_order,
            a_panicking_handler_fails_only_its_message,
            serve_returns_an_error_when_the_transport_closes,
            close_ends_every_clone_and_refuses_what_comes_after,
            requests_get_replies_on_fixed_and_dynamic_addresses,
            a_thousand_concurrent_requests_on_one_client_each_get_their_answer,
            timeouts_late_and_duplicate_replies,
            a_responder_restarted_mid_run_answers_every_request,
        );
    };
    (@tests $harness:expr; $($test:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                conformance::$test(&$harness).await
            }
        )*
    };
}

async fn client<H: Harness>(harness: &H) -> Client<H::Transport> {
    Client::new(harness.connect().await)
}

fn scalars(n: i64) -> ScalarsPayload {
    ScalarsPayload {
        text: format!("snow ☃ \"quoted\" {n}"),
        count: i64::MAX - n,
        small: Some(-7),
        ratio: 0.1 + n as f64,
        flag: n % 2 == 0,
        level: ScalarsPayloadLevel::Medium,
        note: None,
        nothing: None,
    }
}

/// Every payload shape of the spec goes out and comes back equal: objects of scalars (with
/// 64-bit integers, unicode and escapes, optional and nullable fields), nested objects, arrays
/// and maps, each variant of a message union, and a bare string payload.
pub async fn payload_types_round_trip<H: Harness>(harness: &H) {
    let client = client(harness).await;
    let mut scalar_stream = client.subscribe_receive_scalars().await.unwrap();
    let mut nested_stream = client.subscribe_receive_nested().await.unwrap();
    let mut variant_stream = client.subscribe_receive_variant().await.unwrap();
    let mut text_stream = client.subscribe_receive_text().await.unwrap();

    let scalar = scalars(1);
    client.send_scalars(&scalar).await.unwrap();
    let nested = NestedPayload {
        items: vec![
            NestedPayloadItemsItem {
                name: "a".into(),
                tags: Some(vec!["x".into(), "y".into()]),
            },
            NestedPayloadItemsItem {
                name: "b".into(),
                tags: None,
            },
        ],
        owner: NestedPayloadOwner {
            id: 42,
            address: Some(NestedPayloadOwnerAddress {
                city: Some("Zürich".into()),
            }),
        },
        labels: Some([("k".to_string(), "v".to_string())].into_iter().collect()),
        matrix: Some(vec![vec![1.5, -2.0], vec![]]),
    };
    client.send_nested(&nested).await.unwrap();
    let started = SendVariantMessage::Started(SendVariantMessageStarted {
        kind: SendVariantMessageStartedKind::Started,
        at: 1_700_000_000,
    });
    let stopped = SendVariantMessage::Stopped(SendVariantMessageStopped {
        kind: SendVariantMessageStoppedKind::Stopped,
        reason: "done".into(),
    });
    client.send_variant(&started).await.unwrap();
    client.send_variant(&stopped).await.unwrap();
    let text = "plain text, not an object".to_string();
    client.send_text(&text).await.unwrap();

    let got = within("scalars", scalar_stream.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.payload, scalar);
    let got = within("nested", nested_stream.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.payload, nested);
    let first = within("started", variant_stream.next())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(&first.payload, ReceiveVariantMessage::Started(s) if s.at == 1_700_000_000),
        "{:?}",
        first.payload
    );
    let second = within("stopped", variant_stream.next())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(&second.payload, ReceiveVariantMessage::Stopped(s) if s.reason == "done"),
        "{:?}",
        second.payload
    );
    let got = within("text", text_stream.next()).await.unwrap().unwrap();
    assert_eq!(got.payload, text);
}

/// A parameterized channel subscribed as a whole (an MQTT wildcard, a Kafka topic pattern):
/// each message comes back with its own parameters, typed headers and key.
pub async fn readings_carry_parameters_headers_and_keys<H: Harness>(harness: &H) {
    let client = client(harness).await;
    let sensors = ["north-1", "south_2", "east.3"];
    let addresses: Vec<String> = sensors
        .iter()
        .map(|s| {
            ReadingsParameters {
                sensor_id: (*s).into(),
            }
            .address()
            .unwrap()
        })
        .collect();
    harness.prepare(client.transport(), &addresses).await;
    let mut stream = client.subscribe_receive_reading().await.unwrap();
    for (i, sensor) in sensors.iter().enumerate() {
        let parameters = ReadingsParameters {
            sensor_id: (*sensor).into(),
        };
        let headers = ReadingHeaders {
            unit: format!("unit-{i}"),
            priority: (i > 0).then_some(i as i64),
        };
        client
            .send_reading(
                &parameters,
                &format!("key-{i}"),
                &headers,
                &ReadingPayload { value: i as f64 },
            )
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    while seen.len() < sensors.len() {
        let message = within("a reading", stream.next()).await.unwrap().unwrap();
        let i = message.payload.value as usize;
        assert_eq!(message.parameters.sensor_id, sensors[i]);
        assert_eq!(message.address, addresses[i]);
        assert_eq!(message.headers.unit, format!("unit-{i}"));
        assert_eq!(message.headers.priority, (i > 0).then_some(i as i64));
        assert_eq!(message.key.as_deref(), Some(format!("key-{i}").as_str()));
        seen.push(i);
    }
    seen.sort();
    assert_eq!(seen, vec![0, 1, 2]);
}

/// Messages published many at a time (pipelined, not one awaited after the other) under three
/// keys come back in publish order per key (on Kafka, the keyed topic has three partitions).
pub async fn order_holds_per_key<H: Harness>(harness: &H) {
    let client = client(harness).await;
    harness
        .before_reading_from_now(client.transport(), KeyedParameters::ADDRESS)
        .await;
    let mut stream = client.subscribe_receive_sequenced().await.unwrap();
    const PER_KEY: i64 = 50;
    let keys = ["alpha", "beta", "gamma"];
    let messages: Vec<(String, SequencedPayload)> = (0..PER_KEY)
        .flat_map(|seq| {
            keys.iter().map(move |k| {
                (
                    k.to_string(),
                    SequencedPayload {
                        stream: k.to_string(),
                        seq,
                    },
                )
            })
        })
        .collect();
    let results: Vec<_> = futures::stream::iter(&messages)
        .map(|(key, payload)| client.send_sequenced(key, payload).into_future())
        .buffered(32)
        .collect()
        .await;
    for result in results {
        result.unwrap();
    }
    let mut next = std::collections::HashMap::new();
    for _ in 0..messages.len() {
        let message = within("a sequenced message", stream.next())
            .await
            .unwrap()
            .unwrap();
        assert!(
            message.payload.seq >= 0,
            "a record from before the subscription was read (partition {:?}, offset {:?})",
            message.partition,
            message.offset
        );
        assert_eq!(
            message.key.as_deref(),
            Some(message.payload.stream.as_str())
        );
        let expected = next.entry(message.payload.stream.clone()).or_insert(0);
        assert_eq!(
            message.payload.seq, *expected,
            "key {} out of order (partition {:?}, offset {:?})",
            message.payload.stream, message.partition, message.offset
        );
        *expected += 1;
    }
    assert!(next.values().all(|n| *n == PER_KEY), "{next:?}");
}

/// Bad bytes in the middle of a stream: each is an error item carrying the raw bytes and the
/// address, and the valid messages around them still arrive, in order.
pub async fn malformed_messages_are_error_items_and_the_stream_goes_on<H: Harness>(harness: &H) {
    let client = client(harness).await;
    let mut stream = client.subscribe_receive_malformed().await.unwrap();
    let valid = |n| serde_json::to_vec(&scalars(n)).unwrap();
    let wire: Vec<Vec<u8>> = vec![
        valid(1),
        b"{not json".to_vec(),
        br#"{"text": 5, "count": 1, "ratio": 1, "flag": true, "level": "low"}"#.to_vec(),
        vec![0xff, 0xfe, 0x00],
        valid(2),
    ];
    for bytes in &wire {
        let message = Outgoing::new(MalformedParameters::ADDRESS, bytes.clone())
            .with_qos(asyncapi_runtime::QoS::AtLeastOnce);
        client.transport().publish(message).await.unwrap();
    }
    let first = within("the first valid message", stream.next())
        .await
        .unwrap();
    assert_eq!(first.unwrap().payload, scalars(1));
    for bad in &wire[1..4] {
        match within("an error item", stream.next()).await.unwrap() {
            Err(ReceiveError::Decode { raw, address, .. }) => {
                assert_eq!(&raw[..], &bad[..]);
                assert_eq!(address, MalformedParameters::ADDRESS);
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
    let last = within("the last valid message", stream.next())
        .await
        .unwrap();
    assert_eq!(last.unwrap().payload, scalars(2));
}

/// A payload of one mebibyte (plus JSON framing) goes through whole.
pub async fn a_one_mebibyte_payload_round_trips<H: Harness>(harness: &H) {
    let client = client(harness).await;
    let mut stream = client.subscribe_receive_blob().await.unwrap();
    let data: String = (0..1024 * 1024)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let blob = BlobPayload { data };
    client.send_blob(&blob).await.unwrap();
    let message = within("the large message", stream.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(message.raw.len(), 1024 * 1024 + r#"{"data":""}"#.len());
    assert!(message.payload == blob, "the payload came back different");
}

/// A hundred subscriptions to one channel, opened concurrently, each get the one message.
pub async fn a_hundred_concurrent_subscriptions_each_get_the_message<H: Harness>(harness: &H) {
    let client = client(harness).await;
    let streams = futures::future::join_all((0..100).map(|_| client.subscribe_receive_ping()))
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect::<Vec<_>>();
    client.send_ping(&PingPayload { n: 7 }).await.unwrap();
    let received = within(
        "the message on every subscription",
        futures::future::join_all(
            streams
                .into_iter()
                .map(|mut s| async move { s.next().await.unwrap().unwrap().payload }),
        ),
    )
    .await;
    assert_eq!(received.len(), 100);
    assert!(received.iter().all(|p| p.n == 7));
}

struct Counter(tokio::sync::mpsc::UnboundedSender<i64>);

impl Handler for Counter {
    async fn receive_scalars(
        &self,
        _: asyncapi_runtime::Received<ScalarsParameters, ScalarsPayload>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_nested(
        &self,
        _: asyncapi_runtime::Received<NestedParameters, NestedPayload>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_variant(
        &self,
        _: asyncapi_runtime::Received<VariantsParameters, ReceiveVariantMessage>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_text(
        &self,
        _: asyncapi_runtime::Received<TextParameters, String>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_reading(
        &self,
        _: asyncapi_runtime::Received<
            ReadingsParameters,
            ReadingPayload,
            ReadingHeaders,
            Option<String>,
        >,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_sequenced(
        &self,
        _: asyncapi_runtime::Received<KeyedParameters, SequencedPayload, (), Option<String>>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_blob(
        &self,
        _: asyncapi_runtime::Received<BlobsParameters, BlobPayload>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_ping(
        &self,
        _: asyncapi_runtime::Received<FanoutParameters, PingPayload>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_checked(
        &self,
        _: asyncapi_runtime::Received<FloodParameters, CheckedPayload, CheckedHeaders>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_malformed(
        &self,
        _: asyncapi_runtime::Received<MalformedParameters, ScalarsPayload>,
    ) -> asyncapi_runtime::HandlerResult {
        Ok(())
    }
    async fn receive_outage(
        &self,
        message: asyncapi_runtime::Received<OutageParameters, PingPayload>,
    ) -> asyncapi_runtime::HandlerResult {
        let n = message.payload.n;
        // Whether the transport wants an acknowledgement (QoS 1, a consumer group) and it has
        // not been given yet: `serve` gives it only after this returns.
        if message.acknowledgement().is_some_and(|a| a.is_done()) {
            return Err("acknowledged before the handler returned".into());
        }
        self.0.send(n).map_err(|e| e.to_string())?;
        if n < 0 {
            return Err("negative".into());
        }
        Ok(())
    }
}

/// `serve` hands every message to its handler and acknowledges it only after the handler
/// returned; a handler error is retried as the default policy says (three attempts), reported,
/// and serving goes on.
pub async fn serve_acknowledges_after_handling<H: Harness>(harness: &H) {
    let client = client(harness).await;
    let (sender, mut handled) = tokio::sync::mpsc::unbounded_channel();
    let subscriptions = Subscriptions::new(&client).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        let handler = Counter(sender);
        subscriptions
            .serve(&handler, async {
                let _ = stopped.await;
            })
            .await
            .expect("serve stops because it was asked to");
    });
    for n in [1, -1, 2] {
        client.send_outage(&PingPayload { n }).await.unwrap();
    }
    let mut got = Vec::new();
    while got.len() < 5 {
        got.push(within("a handled message", handled.recv()).await.unwrap());
    }
    assert_eq!(got, vec![1, -1, -1, -1, 2]);
    let _ = stop.send(());
    within("serve to stop", serving).await.unwrap();
}

/// The connection is cut while a subscription is open: the transport reconnects, the
/// subscription is restored, and a message published afterwards arrives.
pub async fn publishing_resumes_after_the_connection_drops<H: Harness>(harness: &H) {
    let Some((transport, proxy)) = harness.connect_through_proxy().await else {
        // No connection to drop: the in-memory broker is in-process.
        return;
    };
    let client = Client::new(transport);
    let mut stream = client.subscribe_receive_outage().await.unwrap();
    client.send_outage(&PingPayload { n: 1 }).await.unwrap();
    let first = within("the message before the cut", stream.next()).await;
    assert_eq!(first.unwrap().unwrap().payload.n, 1);

    proxy.cut();
    // Publishing may fail while the connection is down; it must succeed once it is back.
    within("a publish after the reconnect", async {
        loop {
            match client.send_outage(&PingPayload { n: 2 }).await {
                Ok(_) => break,
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    })
    .await;
    assert!(proxy.connections() >= 2, "the client never reconnected");
    // At least once: the message from before the cut may come again.
    loop {
        let message = within("the message after the reconnect", stream.next()).await;
        match message.unwrap() {
            Ok(m) if m.payload.n == 2 => break,
            Ok(m) => assert_eq!(m.payload.n, 1),
            Err(e) => panic!("{e}"),
        }
    }
}

/// `close` on one clone closes the connection of every clone: a subscription's stream ends
/// (after what it had received), publishing and subscribing fail with `Closed`, the health is
/// `Closed`; closing again does nothing.
pub async fn close_ends_every_clone_and_refuses_what_comes_after<H: Harness>(harness: &H) {
    use asyncapi_runtime::{ConnectionState, Error, TransportError};
    let client = client(harness).await;
    let mut health = client.health();
    assert_eq!(health.state(), ConnectionState::Connected);
    // Other tests publish on this channel too: this one's message is one they never send.
    const MINE: i64 = 918_273;
    let mut stream = client.subscribe_receive_ping().await.unwrap();
    client.send_ping(&PingPayload { n: MINE }).await.unwrap();
    within("the message before closing", async {
        while stream.next().await.unwrap().unwrap().payload.n != MINE {}
    })
    .await;

    within("close", client.clone().close()).await.unwrap();
    // The stream ends, after what it may still hold.
    within("the stream to end", async {
        while stream.next().await.is_some() {}
    })
    .await;
    assert_eq!(
        within("the health to change", health.changed()).await,
        Some(ConnectionState::Closed)
    );
    assert!(matches!(
        client.send_ping(&PingPayload { n: 2 }).await,
        Err(Error::Transport(TransportError::Closed))
    ));
    assert!(matches!(
        client.subscribe_receive_ping().await,
        Err(Error::Transport(TransportError::Closed))
    ));
    within("a second close", client.close()).await.unwrap();
}

/// How the flood expects a message to come out of the typed stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Expect {
    /// A message.
    Message,
    /// `ReceiveError::Decode`.
    Decode,
    /// `ReceiveError::Metadata`.
    Metadata,
    /// `ReceiveError::Invalid`.
    Invalid,
    /// `ReceiveError::TooLarge`.
    TooLarge,
}

/// The flood's deterministic randomness (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The flood's payload size limit: oversized messages are a little over it.
const FLOOD_LIMIT: usize = 4096;

/// One message of the flood: its payload, headers and what the subscriber should make of it.
struct Wire {
    payload: Vec<u8>,
    headers: asyncapi_runtime::Headers,
    expect: Expect,
    /// The sequence number of a valid message.
    seq: Option<i64>,
}

fn checked(seq: i64, name: &str, level: &str) -> Vec<u8> {
    format!(r#"{{"seq":{seq},"name":"{name}","level":"{level}"}}"#).into_bytes()
}

/// The bad message number `i` of kind `kind` (each one's bytes are unique).
fn bad(i: usize, kind: usize, rng: &mut Rng) -> Wire {
    use asyncapi_runtime::Headers;
    let name = format!("bad-{i}");
    let good_headers = Headers::from_iter([("unit", "C")]);
    let (payload, headers, expect) = match kind {
        // Invalid JSON, several ways.
        0 => {
            let payload = match rng.below(4) {
                0 => format!(r#"{{"seq":{i},"name":"{name}","level":"low""#),
                1 => format!(r#"{{"seq":{i},,"name":"{name}"}}"#),
                2 => format!("not json at all {i}"),
                _ => format!(r#"{{"seq":{i},"name":"{name}","level":"low"}} trailing"#),
            };
            (payload.into_bytes(), good_headers, Expect::Decode)
        }
        // Random bytes, not UTF-8 (0xff never is).
        1 => {
            let mut payload = vec![0xff];
            payload.extend((0..rng.below(64)).map(|_| rng.next() as u8));
            payload.extend(i.to_le_bytes());
            (payload, good_headers, Expect::Decode)
        }
        // Wrong types.
        2 => {
            let payload = match rng.below(4) {
                0 => format!(r#"{{"seq":"{i}","name":"{name}","level":"low"}}"#),
                1 => format!(r#"{{"seq":{i},"name":{i},"level":"low"}}"#),
                2 => format!("[{i}]"),
                _ => format!(r#"{{"seq":{i}.5,"name":"{name}","level":"low"}}"#),
            };
            (payload.into_bytes(), good_headers, Expect::Decode)
        }
        // A value outside the enum.
        3 => (
            checked(i as i64, &name, "extreme"),
            good_headers,
            Expect::Decode,
        ),
        // Constraints: minimum, maximum, maxLength, pattern.
        4 => (
            checked(-1 - i as i64, &name, "low"),
            good_headers,
            Expect::Invalid,
        ),
        5 => (
            checked(1_000_001 + i as i64, &name, "low"),
            good_headers,
            Expect::Invalid,
        ),
        6 => (
            checked(i as i64, &format!("name-far-too-long-{i}"), "low"),
            good_headers,
            Expect::Invalid,
        ),
        7 => (
            checked(i as i64, &format!("Bad_{i}"), "high"),
            good_headers,
            Expect::Invalid,
        ),
        // Oversized: otherwise valid (an unknown field is ignored), over the limit.
        8 => {
            let pad = "x".repeat(FLOOD_LIMIT + rng.below(4 * FLOOD_LIMIT));
            let payload = format!(r#"{{"seq":{i},"name":"{name}","level":"low","pad":"{pad}"}}"#);
            (payload.into_bytes(), good_headers, Expect::TooLarge)
        }
        // Headers: a wrong type, a missing required one, one over its maxLength.
        9 => (
            checked(i as i64, &name, "low"),
            Headers::from_iter([("unit", "C"), ("priority", "high")]),
            Expect::Metadata,
        ),
        10 => (
            checked(i as i64, &name, "low"),
            Headers::from_iter([("priority", "1")]),
            Expect::Metadata,
        ),
        _ => (
            checked(i as i64, &name, "medium"),
            Headers::from_iter([("unit", "much-too-long-a-unit")]),
            Expect::Invalid,
        ),
    };
    Wire {
        payload,
        headers,
        expect,
        seq: None,
    }
}

/// The flood: valid messages (numbered) shuffled among bad ones of every kind.
fn flood(total: usize, bad_share_percent: usize, seed: u64) -> Vec<Wire> {
    let mut rng = Rng(seed);
    let mut seq = 0;
    (0..total)
        .map(|i| {
            if rng.below(100) >= bad_share_percent {
                let levels = ["low", "medium", "high"];
                let wire = Wire {
                    payload: checked(seq, &format!("ok-{seq}"), levels[rng.below(3)]),
                    headers: asyncapi_runtime::Headers::from_iter([
                        ("unit".to_owned(), "C".to_owned()),
                        ("priority".to_owned(), (seq % 5).to_string()),
                    ]),
                    expect: Expect::Message,
                    seq: Some(seq),
                };
                seq += 1;
                wire
            } else {
                let kind = rng.below(12);
                bad(i, kind, &mut rng)
            }
        })
        .collect()
}

/// What the subscriber made of the flood.
#[derive(Default, Debug)]
struct Tally {
    /// Valid messages seen (distinct).
    delivered: u64,
    /// Extra copies of messages, valid or bad.
    duplicated: u64,
    /// Bad messages surfaced as the expected error (distinct).
    rejected: u64,
    /// Distinct items per kind.
    by_kind: std::collections::BTreeMap<String, u64>,
}

/// Publishes `messages` raw (QoS 1), up to 32 at a time, in order.
async fn publish_raw<T: Transport>(transport: &T, address: &str, messages: &[Wire]) {
    let results: Vec<_> = futures::stream::iter(messages)
        .map(|w| {
            transport.publish(
                Outgoing::new(address, w.payload.clone())
                    .with_headers(w.headers.clone())
                    .with_qos(asyncapi_runtime::QoS::AtLeastOnce),
            )
        })
        .buffered(32)
        .collect()
        .await;
    for result in results {
        result.expect("a raw publish");
    }
}

/// The payload an error item carries.
fn raw_of(error: &ReceiveError) -> Option<&[u8]> {
    match error {
        ReceiveError::Decode { raw, .. }
        | ReceiveError::Metadata { raw, .. }
        | ReceiveError::Invalid { raw, .. }
        | ReceiveError::TooLarge { raw, .. } => Some(raw),
        _ => None,
    }
}

/// A flood of 2,000 raw messages on one channel, 40% of them bad (invalid JSON, random bytes,
/// wrong types, a value outside an enum, values breaking minimum, maximum, maxLength and
/// pattern, payloads over the client's size limit, headers of the wrong type, missing or too
/// long, and where the transport can carry them, header values and names that are not UTF-8),
/// read by a subscriber with validation on and a 4 KiB payload limit: every valid message
/// arrives, in order, every bad one is an error item of the right kind with its bytes and
/// address, nothing panics, and the stream goes on afterwards.
pub async fn a_flood_of_bad_input_is_error_items_and_every_valid_message_arrives<H: Harness>(
    harness: &H,
) {
    use std::collections::HashMap;

    const TOTAL: usize = 2_000;
    const BAD_PERCENT: usize = 40;
    let started = std::time::Instant::now();
    let address = FloodParameters::ADDRESS;
    let transport = harness.connect().await;
    harness.before_reading_from_now(&transport, address).await;
    let client = Client::new(transport)
        .with_validation(true)
        .with_max_payload(FLOOD_LIMIT);
    let mut stream = client.subscribe_receive_checked().await.unwrap();

    let wire = flood(TOTAL, BAD_PERCENT, 0x5eed_f100d);
    let valid = wire.iter().filter(|w| w.seq.is_some()).count() as i64;
    // The bad messages by their bytes (each is unique), with what they should become.
    let mut expected: HashMap<Vec<u8>, Expect> = wire
        .iter()
        .filter(|w| w.seq.is_none())
        .map(|w| (w.payload.clone(), w.expect))
        .collect();
    assert_eq!(
        expected.len(),
        wire.len() - valid as usize,
        "bad bytes repeat"
    );
    // Header bytes that are not UTF-8, sent past the runtime halfway through: a value of a
    // header the type reads (`unit`) is refused; an unknown header whose name is not UTF-8 is
    // ignored.
    let header_bytes: Vec<(Vec<u8>, RawHeaders, Expect)> = (0..40)
        .map(|i| {
            let (headers, expect) = if i % 2 == 0 {
                (
                    vec![(b"unit".to_vec(), vec![0xff, 0xfe, b'C'])],
                    Expect::Metadata,
                )
            } else {
                let headers = vec![
                    (b"unit".to_vec(), b"C".to_vec()),
                    (vec![b'x', 0xc3, 0x28], b"1".to_vec()),
                ];
                (headers, Expect::Message)
            };
            (checked(i, &format!("raw-{i}"), "low"), headers, expect)
        })
        .collect();
    let wire_bad = expected.len();
    // They are told apart by their bytes too; they count once the broker took them.
    for (payload, _, expect) in &header_bytes {
        expected.insert(payload.clone(), *expect);
    }
    let from_header_bytes: std::collections::HashSet<&[u8]> =
        header_bytes.iter().map(|(p, ..)| &p[..]).collect();
    let (told, outcome) = tokio::sync::oneshot::channel::<HeaderBytes>();

    let publishing = async {
        let (first, second) = wire.split_at(wire.len() / 2);
        publish_raw(client.transport(), address, first).await;
        let messages = header_bytes
            .iter()
            .map(|(p, h, _)| (p.clone(), h.clone()))
            .collect();
        let what = harness
            .publish_header_bytes(client.transport(), address, messages)
            .await;
        told.send(what).unwrap();
        publish_raw(client.transport(), address, second).await;
    };

    let reading = async {
        let mut tally = Tally::default();
        let mut next_seq = 0;
        let mut seen: HashMap<Vec<u8>, u64> = HashMap::new();
        let (mut seen_wire, mut seen_header) = (0, 0);
        let mut outcome = Some(outcome);
        let mut header_note = String::new();
        let mut header_sent = false;
        loop {
            if next_seq == valid && seen_wire == wire_bad {
                match outcome.take() {
                    None if !header_sent || seen_header == header_bytes.len() => break,
                    None => {}
                    Some(outcome) => {
                        // Everything published through the transport came; the raw header
                        // messages are awaited too if the broker took them.
                        match within("the header bytes' outcome", outcome).await.unwrap() {
                            HeaderBytes::Sent => {
                                header_sent = true;
                                header_note = format!(
                                    "{} more with header bytes that are not UTF-8, sent raw: \
                                     half with a `unit` value that is not UTF-8 (Metadata), \
                                     half with an unknown header name that is not UTF-8 \
                                     (ignored, delivered)",
                                    header_bytes.len()
                                );
                            }
                            HeaderBytes::Cannot(why) | HeaderBytes::Refused(why) => {
                                header_note = format!("header bytes that are not UTF-8: {why}");
                            }
                        }
                        continue;
                    }
                }
            }
            let item = within("the next item of the flood", stream.next())
                .await
                .expect("the stream never ends");
            let (kind, raw) = match &item {
                Ok(message) => {
                    assert_eq!(message.address, address);
                    (Expect::Message, message.raw.clone())
                }
                Err(error) => {
                    let kind = match error {
                        ReceiveError::Decode { address: at, .. } => (Expect::Decode, at),
                        ReceiveError::Metadata { address: at, .. } => (Expect::Metadata, at),
                        ReceiveError::Invalid { address: at, .. } => (Expect::Invalid, at),
                        ReceiveError::TooLarge {
                            address: at, limit, ..
                        } => {
                            assert_eq!(*limit, FLOOD_LIMIT);
                            (Expect::TooLarge, at)
                        }
                        other => panic!("an unexpected error item: {other}"),
                    };
                    assert_eq!(kind.1, address, "{error}");
                    (kind.0, raw_of(error).unwrap().to_vec().into())
                }
            };
            if let Ok(message) = &item
                && !expected.contains_key(&raw[..])
            {
                // A numbered valid message: in order, each once (a copy of an earlier one
                // counts as a duplicate).
                let seq = message.payload.seq;
                assert!((0..valid).contains(&seq), "an unexpected message: {seq}");
                let name = format!("ok-{seq}");
                assert!(
                    ["low", "medium", "high"]
                        .iter()
                        .any(|level| raw == checked(seq, &name, level)),
                    "message {seq} came back different"
                );
                assert_eq!(message.headers.unit, "C");
                assert_eq!(message.headers.priority, Some(seq % 5));
                if seq < next_seq {
                    tally.duplicated += 1;
                } else {
                    assert_eq!(seq, next_seq, "a valid message was lost or reordered");
                    next_seq += 1;
                    tally.delivered += 1;
                    *tally.by_kind.entry("Message".into()).or_insert(0) += 1;
                }
                continue;
            }
            let Some(want) = expected.get(&raw[..]) else {
                panic!("an item for bytes never sent: {item:?}");
            };
            assert_eq!(kind, *want, "{item:?}");
            let count = seen.entry(raw.to_vec()).or_insert(0);
            *count += 1;
            if *count == 1 && from_header_bytes.contains(&raw[..]) {
                seen_header += 1;
            } else if *count == 1 {
                seen_wire += 1;
            }
            if *count > 1 {
                tally.duplicated += 1;
            } else {
                *tally.by_kind.entry(format!("{kind:?}")).or_insert(0) += 1;
                if kind == Expect::Message {
                    tally.delivered += 1;
                } else {
                    tally.rejected += 1;
                }
            }
        }
        (tally, header_note, header_sent)
    };
    let ((), (tally, header_note, header_sent)) = tokio::join!(publishing, reading);

    // The stream goes on.
    let last = Outgoing::new(address, checked(valid, &format!("ok-{valid}"), "low"))
        .with_headers(asyncapi_runtime::Headers::from_iter([("unit", "C")]))
        .with_qos(asyncapi_runtime::QoS::AtLeastOnce);
    client.transport().publish(last).await.unwrap();
    let after = within("a message after the flood", async {
        loop {
            match stream.next().await.expect("the stream never ends") {
                Ok(message) if message.payload.seq == valid => break message,
                // A late copy of something already counted.
                Ok(_) => {}
                Err(e) if raw_of(&e).is_some_and(|raw| expected.contains_key(raw)) => {}
                Err(e) => panic!("after the flood: {e}"),
            }
        }
    })
    .await;
    assert_eq!(after.payload.name, format!("ok-{valid}"));

    let extra = if header_sent { header_bytes.len() } else { 0 };
    let bad = wire_bad
        + header_bytes
            .iter()
            .filter(|(.., e)| header_sent && *e != Expect::Message)
            .count();
    asyncapi_tests::reliability::Row {
        case: format!("flood: 2,000 mixed, {BAD_PERCENT}% bad"),
        transport: H::NAME.into(),
        tried: bad as u64,
        sent: (TOTAL + 1 + extra) as u64,
        delivered: tally.delivered + 1,
        duplicated: tally.duplicated,
        rejected: tally.rejected,
        lost: 0,
        notes: format!(
            "items by kind {:?}; validation on, 4 KiB payload limit; {header_note}; {:.1} s",
            tally.by_kind,
            started.elapsed().as_secs_f64()
        ),
        test: format!(
            "conformance_{}::a_flood_of_bad_input_is_error_items_and_every_valid_message_arrives",
            H::NAME
        ),
    }
    .report();
}
