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

/// The generated API of the fixture spec.
pub mod spec {
    asyncapi_runtime::asyncapi!("specs/conformance.yaml");
}

use spec::*;

/// How the suite reaches one transport.
pub trait Harness: Sync {
    /// The transport under test.
    type Transport: Transport + Clone;

    /// A new connection.
    fn connect(&self) -> impl Future<Output = Self::Transport> + Send;

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

    /// A connection through a proxy the test can cut; `None` when the transport has no
    /// connection to lose (the in-memory broker).
    fn connect_through_proxy(
        &self,
    ) -> impl Future<Output = Option<(Self::Transport, asyncapi_tests::proxy::Proxy)>> + Send {
        async { None }
    }
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
            a_one_mebibyte_payload_round_trips,
            a_hundred_concurrent_subscriptions_each_get_the_message,
            serve_acknowledges_after_handling,
            publishing_resumes_after_the_connection_drops,
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
/// returned (a handler error is reported and serving goes on).
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
            .await;
    });
    for n in [1, -1, 2] {
        client.send_outage(&PingPayload { n }).await.unwrap();
    }
    let mut got = Vec::new();
    while got.len() < 3 {
        got.push(within("a handled message", handled.recv()).await.unwrap());
    }
    assert_eq!(got, vec![1, -1, 2]);
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
