//! Runtime overhead against the raw clients, on real brokers: typed messages through the
//! generated API of `specs/bench.yaml` against the raw client sending the same 200 JSON bytes,
//! same broker, same run.
//!
//! ```text
//! cargo run --release -p asyncapi-bench --bin throughput -- \
//!     [--mqtt HOST:PORT] [--kafka HOST:PORT] [--messages N] [--only TRANSPORT[,MODE]] \
//!     [--repeats R] [--window W] [--client CLIENT] [--kafka-fetch-wait-ms MS]
//! ```
//!
//! Transports: `memory` (always), `mqtt-qos0` and `mqtt-qos1` (with `--mqtt`; `--only mqtt`
//! runs both), `kafka` (with `--kafka`). Modes: `awaited` (one publish at a time, each awaited
//! until it resolved) and `pipelined` (up to `--window` publishes in flight, 1,000 by default).
//! Clients:
//! - `typed`: the generated send method and subscribe stream over `asyncapi_runtime`'s transport
//!   with its default configuration.
//! - `raw`: the transport's own client with the adapter's settings: on memory the untyped
//!   `Transport` API of the same broker; on MQTT a rumqttc 5 client with the adapter's in-flight
//!   limit and request-channel capacity, acknowledging each received QoS 1 message after
//!   decoding it (manual acks, as the adapter does); on Kafka an rdkafka `FutureProducer` with
//!   the adapter's producer settings (acks=all, idempotence, linger.ms=0) and a `StreamConsumer`.
//! - `raw-auto-ack` (MQTT QoS 1 only): `raw`, but rumqttc acknowledges on receipt (its default).
//! - `raw-default-linger` (Kafka awaited only): `raw` with librdkafka's default `linger.ms` (5 ms).
//! - `raw-content-type` (Kafka pipelined only): `raw` with the content-type header every typed
//!   record carries, so the same bytes on the wire (what the header costs, apart from the rest).
//!
//! `--client` runs one of them only (for profiling).
//!
//! Each case: a fresh subscriber and publisher (Kafka: a fresh topic of one partition, see
//! `Renamed`; one message is published first so that the producer knows the topic, and the
//! subscriber starts at the end, after it), N messages published, each decoded by the subscriber (typed:
//! the generated stream; raw: `serde_json::from_slice` into the same struct), its end-to-end
//! latency taken from the `sent_ns` it carries (the publish call's start, on a process-wide
//! clock) to its decoding; the case ends when all N arrived (or fails loudly after a timeout).
//! msgs/s = N / (first publish call → last message decoded); the publish rate is
//! N / (first publish call → last publish resolved). Typed and raw run alternately (who goes
//! first alternates too), each case `--repeats` times (3 by default); the run with the median
//! msgs/s is reported.
//!
//! What "resolved" means (the same point for typed and raw on every transport):
//! - memory: the message is queued for every subscriber and its buffer had room.
//! - MQTT QoS 0: rumqttc wrote the PUBLISH (its `Outgoing::Publish` event; nothing comes back
//!   from the broker). The raw side watches its event loop for that event itself.
//! - MQTT QoS 1: the broker's PUBACK arrived (raw: watched in the event loop the same way).
//! - Kafka: the delivery report (acks=all).
//!
//! Settings both sides share, for the brokers used in development: Mosquitto must run with a
//! large `max_queued_messages` (it drops QoS 1 messages queued beyond 1,000 for a subscriber
//! that falls behind, which pipelined QoS 1 does); both Kafka consumers use
//! `fetch.wait.max.ms` = `--kafka-fetch-wait-ms` (10 by default: tansu answers a fetch only
//! when that time is up, so librdkafka's 500 ms would make every latency about 500 ms).
//!
//! Allocations per message count every Rust allocation of the process (all threads: the
//! publisher, the subscriber, the clients' own tasks) during the measured section, divided by
//! N; librdkafka's own C allocations are not seen. Records go through
//! [`asyncapi_bench::record::write`]: one `runtime` record per case and client, one
//! `allocations` record (`side: "round_trip"`) beside it; a table with typed/raw ratios ends the
//! output (on stderr).

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::{Duration, Instant};

use asyncapi_bench::alloc::{self, Counting};
use asyncapi_bench::case_topics::{case_topic, create_topic, rename};
use asyncapi_bench::reading::{
    self, ADDRESS, PAYLOAD_BYTES, Publisher, RawReading, Subscriber, api, now_ns,
};
use asyncapi_bench::record;
use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
use asyncapi_runtime::{Client, Outgoing, QoS, Subscription, Transport as _};
use futures::{Stream, StreamExt};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::Message as _;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{Offset, TopicPartitionList};
use serde::Serialize;
use tokio::sync::{Semaphore, oneshot};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The MQTT adapter's rumqttc settings (`asyncapi_runtime::mqtt`): outgoing QoS 1/2 messages in
/// flight, and the capacity of rumqttc's request channel. The raw client gets the same.
const MQTT_INFLIGHT: u16 = 100;
const MQTT_REQUEST_CAPACITY: usize = 128;
/// The adapter's keep-alive and largest packet, likewise.
const MQTT_KEEP_ALIVE: Duration = Duration::from_secs(30);
const MQTT_MAX_PACKET: usize = 16 * 1024 * 1024;
/// How long a Kafka publish may wait in librdkafka's queue (the adapter's default timeout).
const KAFKA_QUEUE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transport {
    Memory,
    MqttQos0,
    MqttQos1,
    Kafka,
}

impl Transport {
    const ALL: [Transport; 4] = [
        Transport::Memory,
        Transport::MqttQos0,
        Transport::MqttQos1,
        Transport::Kafka,
    ];

    fn name(self) -> &'static str {
        match self {
            Transport::Memory => "memory",
            Transport::MqttQos0 => "mqtt-qos0",
            Transport::MqttQos1 => "mqtt-qos1",
            Transport::Kafka => "kafka",
        }
    }

    fn qos(self) -> QoS {
        match self {
            Transport::MqttQos1 => QoS::AtLeastOnce,
            _ => QoS::AtMostOnce,
        }
    }

    /// Messages per case unless `--messages` says otherwise: a few seconds each.
    fn default_messages(self, mode: Mode) -> usize {
        match (self, mode) {
            (Transport::Memory, _) => 200_000,
            (Transport::MqttQos0, Mode::Awaited) => 20_000,
            (Transport::MqttQos0, Mode::Pipelined) => 100_000,
            (Transport::MqttQos1, Mode::Awaited) => 10_000,
            (Transport::MqttQos1, Mode::Pipelined) => 50_000,
            (Transport::Kafka, Mode::Awaited) => 2_000,
            (Transport::Kafka, Mode::Pipelined) => 100_000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Awaited,
    Pipelined,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Awaited => "awaited",
            Mode::Pipelined => "pipelined",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Typed,
    Raw,
    /// Raw Kafka with librdkafka's default `linger.ms` (5 ms).
    RawDefaultLinger,
    /// Raw MQTT QoS 1 with rumqttc acknowledging on receipt (its default), not after handling.
    RawAutoAck,
    /// Raw Kafka with the content-type header typed records carry (the same bytes on the wire).
    RawContentType,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Typed => "typed",
            Side::Raw => "raw",
            Side::RawDefaultLinger => "raw-default-linger",
            Side::RawAutoAck => "raw-auto-ack",
            Side::RawContentType => "raw-content-type",
        }
    }
}

struct Args {
    mqtt: Option<(String, u16)>,
    kafka: Option<String>,
    messages: Option<usize>,
    only: Option<(String, Option<String>)>,
    repeats: usize,
    window: usize,
    /// Only this client (`typed`, `raw`, ...), for profiling one side.
    client: Option<String>,
    /// `fetch.wait.max.ms` of both Kafka consumers.
    kafka_fetch_wait_ms: u32,
}

const USAGE: &str = "usage: throughput [--mqtt HOST:PORT] [--kafka HOST:PORT] [--messages N] \
                     [--only TRANSPORT[,MODE]] [--repeats R] [--window W] [--client CLIENT] \
                     [--kafka-fetch-wait-ms MS]";

fn parse_args() -> Args {
    let mut args = Args {
        mqtt: None,
        kafka: None,
        messages: None,
        only: None,
        repeats: 3,
        window: 1000,
        client: None,
        kafka_fetch_wait_ms: 10,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || {
            given
                .next()
                .unwrap_or_else(|| panic!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--mqtt" => {
                let address = value();
                let (host, port) = address
                    .rsplit_once(':')
                    .unwrap_or_else(|| panic!("--mqtt takes HOST:PORT, not {address:?}"));
                let port = port.parse().expect("--mqtt port");
                args.mqtt = Some((host.to_owned(), port));
            }
            "--kafka" => args.kafka = Some(value()),
            "--messages" => args.messages = Some(value().parse().expect("--messages N")),
            "--repeats" => args.repeats = value().parse().expect("--repeats R"),
            "--window" => args.window = value().parse().expect("--window W"),
            "--client" => args.client = Some(value()),
            "--kafka-fetch-wait-ms" => {
                args.kafka_fetch_wait_ms = value().parse().expect("--kafka-fetch-wait-ms MS")
            }
            "--only" => {
                let only = value();
                args.only = Some(match only.split_once(',') {
                    Some((transport, mode)) => (transport.to_owned(), Some(mode.to_owned())),
                    None => (only, None),
                });
            }
            "--help" | "-h" => {
                eprintln!("{USAGE}");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    args.repeats = args.repeats.max(1);
    args.window = args.window.max(1);
    args
}

/// One case: a transport, a mode, how many messages, how many in flight.
#[derive(Clone, Copy, Debug)]
struct Case {
    transport: Transport,
    mode: Mode,
    messages: usize,
    in_flight: usize,
}

impl Case {
    fn label(&self, side: Side) -> String {
        format!(
            "{} {} {}",
            self.transport.name(),
            self.mode.name(),
            side.name()
        )
    }
}

/// One run of one case by one client.
#[derive(Clone, Debug)]
struct Run {
    seconds: f64,
    publish_seconds: f64,
    p50_us: f64,
    p99_us: f64,
    allocs_per_msg: f64,
    bytes_per_msg: f64,
    messages: usize,
}

impl Run {
    fn msgs_per_sec(&self) -> f64 {
        self.messages as f64 / self.seconds
    }

    fn publish_msgs_per_sec(&self) -> f64 {
        self.messages as f64 / self.publish_seconds
    }
}

/// What the subscriber reports once every message arrived: each one's latency (ns), and when
/// the last was decoded.
type Received = (Vec<u64>, Instant);

/// How many messages the current case's subscriber has received (for the timeout's message).
static RECEIVED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Reads `messages` send times off `stream`, recording each one's latency, in a task of its own.
fn spawn_receiver<S>(stream: S, messages: usize) -> oneshot::Receiver<Received>
where
    S: Stream<Item = i64> + Send + 'static,
{
    let (done, report) = oneshot::channel();
    RECEIVED.store(0, std::sync::atomic::Ordering::Relaxed);
    tokio::spawn(async move {
        let mut stream = std::pin::pin!(stream);
        let mut latencies = Vec::with_capacity(messages);
        while let Some(sent_ns) = stream.next().await {
            latencies.push((now_ns() - sent_ns).max(0) as u64);
            RECEIVED.store(latencies.len(), std::sync::atomic::Ordering::Relaxed);
            if latencies.len() == messages {
                let _ = done.send((latencies, Instant::now()));
                return;
            }
        }
        eprintln!(
            "the subscription ended after {} of {messages} messages",
            latencies.len()
        );
    });
    report
}

/// The measured section: `publish` sends every message; then waits for the subscriber.
async fn measure(
    case: &Case,
    side: Side,
    received: oneshot::Receiver<Received>,
    publish: impl std::future::Future<Output = ()>,
) -> Run {
    let limit = Duration::from_secs(60) + Duration::from_millis(case.messages as u64);
    let before = alloc::snapshot();
    let start = Instant::now();
    publish.await;
    let publish_seconds = start.elapsed().as_secs_f64();
    let (mut latencies, last) = match tokio::time::timeout(limit, received).await {
        Ok(Ok(received)) => received,
        Ok(Err(_)) => panic!(
            "{}: the subscriber stopped before all {} messages arrived",
            case.label(side),
            case.messages
        ),
        Err(_) => panic!(
            "{}: only {} of {} messages arrived within {limit:?} (all published in {:.1} s)",
            case.label(side),
            RECEIVED.load(std::sync::atomic::Ordering::Relaxed),
            case.messages,
            publish_seconds,
        ),
    };
    let after = alloc::snapshot();
    let seconds = last.duration_since(start).as_secs_f64();
    let (allocs_per_msg, bytes_per_msg) = after.per_message_since(before, case.messages);
    latencies.sort_unstable();
    let at = |q: usize| latencies[(latencies.len() * q / 100).min(latencies.len() - 1)] as f64;
    Run {
        seconds,
        publish_seconds,
        p50_us: at(50) / 1000.0,
        p99_us: at(99) / 1000.0,
        allocs_per_msg,
        bytes_per_msg,
        messages: case.messages,
    }
}

/// Publishes every message of `case` through the generated send method, awaited one at a time
/// or with up to `case.in_flight` in flight.
async fn publish_typed<T: asyncapi_runtime::Transport>(client: &Client<T>, case: &Case) {
    let qos = case.transport.qos();
    let mut message = reading::typed(0, 0);
    match case.mode {
        Mode::Awaited => {
            for seq in 0..case.messages as i64 {
                reading::refill_typed(&mut message, seq, now_ns());
                client
                    .send_reading(&message)
                    .qos(qos)
                    .await
                    .expect("typed publish");
            }
        }
        Mode::Pipelined => {
            futures::stream::iter(0..case.messages as i64)
                .map(|seq| {
                    reading::refill_typed(&mut message, seq, now_ns());
                    client.send_reading(&message).qos(qos).into_future()
                })
                .buffer_unordered(case.in_flight)
                .for_each(|delivered| {
                    delivered.expect("typed publish");
                    futures::future::ready(())
                })
                .await;
        }
    }
}

/// The typed stream's send times (every item decoded by the generated stream).
fn typed_send_times(
    stream: asyncapi_runtime::MessageStream<api::ReadingsParameters, reading::ReadingPayload>,
) -> impl Stream<Item = i64> + Send + 'static {
    stream.map(|item| item.expect("typed receive").payload.sent_ns)
}

/// Decodes a raw payload as a user of the raw client would.
fn decode_raw(payload: &[u8]) -> i64 {
    let reading: RawReading = serde_json::from_slice(payload).expect("raw decode");
    reading.sent_ns
}

// ---------------------------------------------------------------------------------------------
// In memory.

async fn memory(case: &Case, side: Side) -> Run {
    let broker = MemoryBroker::new();
    match side {
        Side::Typed => {
            let client = Client::new(broker);
            let stream = client.subscribe_receive_reading().await.expect("subscribe");
            let received = spawn_receiver(typed_send_times(stream), case.messages);
            measure(case, side, received, publish_typed(&client, case)).await
        }
        Side::Raw | Side::RawDefaultLinger | Side::RawAutoAck | Side::RawContentType => {
            let stream = broker
                .subscribe(Subscription::new(ADDRESS))
                .await
                .expect("subscribe");
            let stream = stream.map(|item| decode_raw(&item.expect("raw receive").payload));
            let received = spawn_receiver(stream, case.messages);
            measure(case, side, received, publish_raw_memory(&broker, case)).await
        }
    }
}

async fn publish_raw_memory(broker: &MemoryBroker, case: &Case) {
    let mut message = reading::raw(0, 0);
    match case.mode {
        Mode::Awaited => {
            for seq in 0..case.messages as i64 {
                reading::refill_raw(&mut message, seq, now_ns());
                let bytes = serde_json::to_vec(&message).expect("encode");
                broker
                    .publish(Outgoing::new(ADDRESS, bytes))
                    .await
                    .expect("raw publish");
            }
        }
        Mode::Pipelined => {
            futures::stream::iter(0..case.messages as i64)
                .map(|seq| {
                    reading::refill_raw(&mut message, seq, now_ns());
                    let bytes = serde_json::to_vec(&message).expect("encode");
                    broker.publish(Outgoing::new(ADDRESS, bytes))
                })
                .buffer_unordered(case.in_flight)
                .for_each(|delivered| {
                    delivered.expect("raw publish");
                    futures::future::ready(())
                })
                .await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// MQTT (Mosquitto).

async fn mqtt(case: &Case, side: Side, host: &str, port: u16) -> Run {
    match side {
        Side::Typed => {
            let connect = || async {
                Mqtt::connect(MqttConfig::new(host, port))
                    .await
                    .expect("connect to the MQTT broker")
            };
            let subscriber = Client::new(connect().await);
            let stream = match case.transport.qos() {
                QoS::AtMostOnce => subscriber.subscribe_receive_reading().await,
                _ => subscriber.subscribe_receive_reading_at_least_once().await,
            }
            .expect("subscribe");
            let publisher = Client::new(connect().await);
            let received = spawn_receiver(typed_send_times(stream), case.messages);
            let run = measure(case, side, received, publish_typed(&publisher, case)).await;
            let _ = publisher.transport().disconnect().await;
            let _ = subscriber.transport().disconnect().await;
            run
        }
        Side::Raw | Side::RawDefaultLinger | Side::RawAutoAck | Side::RawContentType => {
            let manual_acks = side != Side::RawAutoAck;
            let stream = raw_mqtt_subscriber(host, port, case.transport.qos(), manual_acks).await;
            let received = spawn_receiver(stream, case.messages);
            let publisher = RawMqttPublisher::connect(host, port, case).await;
            let run = measure(case, side, received, publisher.publish_all(case)).await;
            publisher.disconnect().await;
            run
        }
    }
}

fn raw_mqtt_options(host: &str, port: u16, role: &str) -> rumqttc::v5::MqttOptions {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let id = format!("bench-raw-{role}-{}-{n}", std::process::id());
    let mut options = rumqttc::v5::MqttOptions::new(id, host, port);
    options
        .set_keep_alive(MQTT_KEEP_ALIVE)
        .set_clean_start(true)
        .set_max_packet_size(Some(MQTT_MAX_PACKET as u32))
        .set_outgoing_inflight_upper_limit(MQTT_INFLIGHT);
    // The adapter turns Nagle's algorithm off (`TCP_NODELAY`); so does the raw client.
    let mut network = options.network_options();
    network.set_tcp_nodelay(true);
    options.set_network_options(network);
    options
}

fn rumqttc_qos(qos: QoS) -> rumqttc::v5::mqttbytes::QoS {
    match qos {
        QoS::AtMostOnce => rumqttc::v5::mqttbytes::QoS::AtMostOnce,
        QoS::AtLeastOnce => rumqttc::v5::mqttbytes::QoS::AtLeastOnce,
        QoS::ExactlyOnce => rumqttc::v5::mqttbytes::QoS::ExactlyOnce,
    }
}

/// Polls until the CONNACK.
async fn raw_mqtt_connected(event_loop: &mut rumqttc::v5::EventLoop) {
    use rumqttc::v5::Event;
    use rumqttc::v5::mqttbytes::v5::Packet;
    loop {
        match event_loop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => return,
            Ok(_) => {}
            Err(error) => panic!("raw MQTT connect: {error}"),
        }
    }
}

/// A raw rumqttc client subscribed (SUBACK received) at `qos`; its stream polls the event loop
/// and decodes every PUBLISH. With `manual_acks` (what the MQTT adapter does), a QoS 1 message
/// is acknowledged after it was decoded, through the client; without, rumqttc acknowledges it
/// on receipt.
async fn raw_mqtt_subscriber(
    host: &str,
    port: u16,
    qos: QoS,
    manual_acks: bool,
) -> impl Stream<Item = i64> + Send + 'static {
    use rumqttc::v5::Event;
    use rumqttc::v5::mqttbytes::v5::Packet;
    let mut options = raw_mqtt_options(host, port, "sub");
    options.set_manual_acks(manual_acks);
    let (client, mut event_loop) = rumqttc::v5::AsyncClient::new(options, MQTT_REQUEST_CAPACITY);
    raw_mqtt_connected(&mut event_loop).await;
    client
        .subscribe(ADDRESS, rumqttc_qos(qos))
        .await
        .expect("raw subscribe");
    loop {
        match event_loop.poll().await {
            Ok(Event::Incoming(Packet::SubAck(_))) => break,
            Ok(_) => {}
            Err(error) => panic!("raw MQTT subscribe: {error}"),
        }
    }
    // Acknowledgements go through the request channel, which only this same task's polling of
    // the event loop drains: waiting for room there could wait forever, so one that does not
    // fit is kept and tried again before the next poll.
    let unsent: std::collections::VecDeque<rumqttc::v5::mqttbytes::v5::Publish> =
        std::collections::VecDeque::new();
    futures::stream::unfold(
        (client, event_loop, unsent),
        move |(client, mut event_loop, mut unsent)| async move {
            loop {
                while let Some(publish) = unsent.front() {
                    if client.try_ack(publish).is_err() {
                        break;
                    }
                    unsent.pop_front();
                }
                match event_loop.poll().await {
                    Ok(Event::Incoming(Packet::Publish(publish))) => {
                        let sent_ns = decode_raw(&publish.payload);
                        if manual_acks && (!unsent.is_empty() || client.try_ack(&publish).is_err())
                        {
                            unsent.push_back(publish);
                        }
                        return Some((sent_ns, (client, event_loop, unsent)));
                    }
                    Ok(_) => {}
                    Err(error) => panic!("raw MQTT subscriber: {error}"),
                }
            }
        },
    )
}

/// A raw rumqttc publisher whose event loop runs in a task of its own, releasing one permit of
/// `confirmed` per publish done: written (QoS 0) or acknowledged by the broker (QoS 1).
struct RawMqttPublisher {
    client: rumqttc::v5::AsyncClient,
    confirmed: Arc<Semaphore>,
    task: tokio::task::JoinHandle<()>,
}

impl RawMqttPublisher {
    async fn connect(host: &str, port: u16, case: &Case) -> RawMqttPublisher {
        use rumqttc::Outgoing as Out;
        use rumqttc::v5::Event;
        use rumqttc::v5::mqttbytes::v5::Packet;
        let (client, mut event_loop) = rumqttc::v5::AsyncClient::new(
            raw_mqtt_options(host, port, "pub"),
            MQTT_REQUEST_CAPACITY,
        );
        raw_mqtt_connected(&mut event_loop).await;
        let confirmed = Arc::new(Semaphore::new(case.in_flight));
        let permits = confirmed.clone();
        let qos = case.transport.qos();
        let task = tokio::spawn(async move {
            loop {
                match event_loop.poll().await {
                    Ok(Event::Outgoing(Out::Publish(0))) if qos == QoS::AtMostOnce => {
                        permits.add_permits(1)
                    }
                    Ok(Event::Incoming(Packet::PubAck(_))) if qos == QoS::AtLeastOnce => {
                        permits.add_permits(1)
                    }
                    Ok(Event::Outgoing(Out::Disconnect)) => return,
                    Ok(_) => {}
                    Err(error) => {
                        eprintln!("raw MQTT publisher: {error}");
                        return;
                    }
                }
            }
        });
        RawMqttPublisher {
            client,
            confirmed,
            task,
        }
    }

    /// Publishes every message, at most `case.in_flight` unconfirmed at a time (one: awaited),
    /// and waits until all are confirmed.
    async fn publish_all(&self, case: &Case) {
        let qos = rumqttc_qos(case.transport.qos());
        let mut message = reading::raw(0, 0);
        for seq in 0..case.messages as i64 {
            self.confirmed.acquire().await.expect("open").forget();
            reading::refill_raw(&mut message, seq, now_ns());
            let bytes = serde_json::to_vec(&message).expect("encode");
            self.client
                .publish(ADDRESS, qos, false, bytes)
                .await
                .expect("raw publish");
        }
        self.confirmed
            .acquire_many(case.in_flight as u32)
            .await
            .expect("open")
            .forget();
    }

    async fn disconnect(self) {
        let _ = self.client.disconnect().await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.task).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Kafka (tansu).

/// The Kafka transport with the channel's address renamed to the case's topic: every case gets
/// a fresh topic, though the generated API publishes to the spec's fixed address. (tansu's
/// in-memory log gets slower to fetch from as it grows, so one topic for every case would make
/// later cases slower; deleting it and creating it again under the same name crashed
/// librdkafka against tansu: a NULL topic name in a metadata response.) Both renames copy 14
/// bytes in place, allocating nothing.
#[derive(Clone)]
struct Renamed {
    kafka: Kafka,
    topic: Arc<str>,
}

impl asyncapi_runtime::Transport for Renamed {
    fn publish(
        &self,
        mut message: Outgoing,
    ) -> impl std::future::Future<
        Output = Result<asyncapi_runtime::Delivery, asyncapi_runtime::TransportError>,
    > + Send {
        rename(&mut message.address, &self.topic);
        self.kafka.publish(message)
    }

    async fn subscribe(
        &self,
        mut subscription: Subscription,
    ) -> Result<asyncapi_runtime::RawStream, asyncapi_runtime::TransportError> {
        subscription.template = self.topic.to_string().into();
        let stream = self.kafka.subscribe(subscription).await?;
        Ok(stream
            .map(|item| {
                item.map(|mut incoming| {
                    rename(&mut incoming.address, ADDRESS);
                    incoming
                })
            })
            .boxed())
    }
}

async fn kafka(case: &Case, side: Side, bootstrap: &str, fetch_wait_ms: u32) -> Run {
    // The subscription's buffer holds the whole run: with the default (1,024) a subscription
    // that falls that far behind stalls after pausing its partition (a bug of the adapter's
    // consumer, being fixed); the raw consumer's own queue (librdkafka's prefetch, 64 MiB)
    // holds the run too.
    let config = KafkaConfig::new(bootstrap)
        .consumer_set("fetch.wait.max.ms", fetch_wait_ms.to_string())
        .buffer(case.messages.max(asyncapi_runtime::kafka::DEFAULT_BUFFER));
    let kafka = Kafka::connect(config).await.expect("connect to Kafka");
    let topic = case_topic(ADDRESS);
    create_topic(&kafka, &topic).await;
    match side {
        Side::Typed => {
            let client = Client::new(Renamed {
                kafka,
                topic: topic.into(),
            });
            // One message first, so that the producer knows the topic before the clock starts.
            client
                .send_reading(&reading::typed(0, now_ns()))
                .await
                .expect("warm-up publish");
            let stream = client.subscribe_receive_reading().await.expect("subscribe");
            let received = spawn_receiver(typed_send_times(stream), case.messages);
            measure(case, side, received, publish_typed(&client, case)).await
        }
        Side::Raw | Side::RawDefaultLinger | Side::RawAutoAck | Side::RawContentType => {
            drop(kafka);
            let mut config = ClientConfig::new();
            config
                .set("bootstrap.servers", bootstrap)
                .set("acks", "all")
                .set("enable.idempotence", "true");
            if side != Side::RawDefaultLinger {
                config.set("linger.ms", "0");
            }
            let producer: FutureProducer = config.create().expect("raw producer");
            let warm_up = serde_json::to_vec(&reading::raw(0, now_ns())).expect("encode");
            producer
                .send(
                    FutureRecord::<(), _>::to(&topic).payload(&warm_up),
                    KAFKA_QUEUE_TIMEOUT,
                )
                .await
                .map_err(|(error, _)| error)
                .expect("warm-up publish");
            let stream = raw_kafka_subscriber(bootstrap, &topic, fetch_wait_ms).await;
            let received = spawn_receiver(stream, case.messages);
            measure(
                case,
                side,
                received,
                publish_raw_kafka(&producer, &topic, case, side == Side::RawContentType),
            )
            .await
        }
    }
}

/// A raw consumer reading the topic's only partition from its current end.
async fn raw_kafka_subscriber(
    bootstrap: &str,
    topic: &str,
    fetch_wait_ms: u32,
) -> impl Stream<Item = i64> + Send + 'static {
    let topic = topic.to_owned();
    let group = format!("bench-raw-{}-{}", std::process::id(), now_ns());
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", &group)
        .set("enable.auto.commit", "false")
        .set("fetch.wait.max.ms", fetch_wait_ms.to_string())
        .create()
        .expect("raw consumer");
    let consumer = tokio::task::spawn_blocking(move || {
        let (_, high) = consumer
            .fetch_watermarks(&topic, 0, Duration::from_secs(10))
            .expect("watermarks");
        let mut assignment = TopicPartitionList::new();
        assignment
            .add_partition_offset(&topic, 0, Offset::Offset(high))
            .expect("assignment");
        consumer.assign(&assignment).expect("assign");
        consumer
    })
    .await
    .expect("assign");
    futures::stream::unfold(consumer, |consumer| async move {
        let sent_ns = {
            let message = consumer.recv().await.expect("raw receive");
            decode_raw(message.payload().expect("a payload"))
        };
        Some((sent_ns, consumer))
    })
}

/// Publishes the case's records; with `content_type`, each carries the header typed records
/// carry (`asyncapi-content-type: application/json`).
async fn publish_raw_kafka(
    producer: &FutureProducer,
    topic: &str,
    case: &Case,
    content_type: bool,
) {
    let mut message = reading::raw(0, 0);
    let send = |bytes: Vec<u8>| async move {
        let mut record = FutureRecord::<(), _>::to(topic).payload(&bytes);
        if content_type {
            record = record.headers(rdkafka::message::OwnedHeaders::new().insert(
                rdkafka::message::Header {
                    key: asyncapi_runtime::kafka::CONTENT_TYPE_HEADER,
                    value: Some("application/json"),
                },
            ));
        }
        producer
            .send(record, KAFKA_QUEUE_TIMEOUT)
            .await
            .map_err(|(error, _)| error)
            .expect("raw publish");
    };
    match case.mode {
        Mode::Awaited => {
            for seq in 0..case.messages as i64 {
                reading::refill_raw(&mut message, seq, now_ns());
                send(serde_json::to_vec(&message).expect("encode")).await;
            }
        }
        Mode::Pipelined => {
            futures::stream::iter(0..case.messages as i64)
                .map(|seq| {
                    reading::refill_raw(&mut message, seq, now_ns());
                    send(serde_json::to_vec(&message).expect("encode"))
                })
                .buffer_unordered(case.in_flight)
                .for_each(|()| futures::future::ready(()))
                .await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Records and the table.

#[derive(Serialize)]
struct RuntimeRecord<'a> {
    suite: &'static str,
    transport: &'static str,
    mode: &'static str,
    client: &'static str,
    messages: usize,
    payload_bytes: usize,
    in_flight: usize,
    seconds: f64,
    msgs_per_sec: f64,
    publish_msgs_per_sec: f64,
    p50_us: f64,
    p99_us: f64,
    allocs_per_msg: Option<f64>,
    runs: usize,
    note: &'a str,
}

#[derive(Serialize)]
struct AllocationRecord {
    suite: &'static str,
    transport: &'static str,
    mode: &'static str,
    client: &'static str,
    side: &'static str,
    allocs_per_msg: f64,
    bytes_per_msg: f64,
}

fn note(transport: Transport, side: Side) -> &'static str {
    match (transport, side) {
        (Transport::Memory, Side::Typed) => {
            "generated send method and typed stream over MemoryBroker; awaited = queued for the subscriber with room in its buffer"
        }
        (Transport::Memory, _) => {
            "Transport::publish/subscribe of MemoryBroker with serde_json by hand; awaited = queued for the subscriber with room in its buffer"
        }
        (Transport::MqttQos0 | Transport::MqttQos1, Side::Typed) => {
            "asyncapi_runtime::mqtt (MQTT 5, manual acks after handling); awaited = QoS 0: rumqttc wrote the PUBLISH, QoS 1: PUBACK"
        }
        (Transport::MqttQos1, Side::RawAutoAck) => {
            "rumqttc v5 client as raw, but received messages acknowledged by rumqttc on receipt (its default) rather than after decoding"
        }
        (Transport::MqttQos0 | Transport::MqttQos1, _) => {
            "rumqttc v5 client, same inflight/channel capacity, manual acks sent after decoding (as the adapter); awaited = QoS 0: its event loop reported the PUBLISH written, QoS 1: PUBACK seen in its event loop"
        }
        (Transport::Kafka, Side::Typed) => {
            "asyncapi_runtime::kafka (acks=all, idempotent, linger.ms=0; subscription buffer sized to the run; fetch.wait.max.ms as raw's); awaited = delivery report"
        }
        (Transport::Kafka, Side::Raw | Side::RawAutoAck) => {
            "rdkafka FutureProducer (acks=all, idempotent, linger.ms=0) and StreamConsumer (assigned the partition at its end; fetch.wait.max.ms 10 unless --kafka-fetch-wait-ms); awaited = delivery report"
        }
        (Transport::Kafka, Side::RawContentType) => {
            "raw, each record with the content-type header typed records carry (asyncapi-content-type: application/json)"
        }
        (Transport::Kafka, Side::RawDefaultLinger) => {
            "rdkafka FutureProducer with librdkafka's default linger.ms (5 ms); awaited = delivery report"
        }
    }
}

struct Row {
    case: Case,
    side: Side,
    run: Run,
}

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.msgs_per_sec().total_cmp(&b.msgs_per_sec()));
    runs.swap_remove(runs.len() / 2)
}

fn report(rows: &[Row], repeats: usize) {
    for row in rows {
        let (case, run) = (&row.case, &row.run);
        record::write(&RuntimeRecord {
            suite: "runtime",
            transport: case.transport.name(),
            mode: case.mode.name(),
            client: row.side.name(),
            messages: case.messages,
            payload_bytes: PAYLOAD_BYTES,
            in_flight: case.in_flight,
            seconds: run.seconds,
            msgs_per_sec: run.msgs_per_sec(),
            publish_msgs_per_sec: run.publish_msgs_per_sec(),
            p50_us: run.p50_us,
            p99_us: run.p99_us,
            allocs_per_msg: Some(run.allocs_per_msg),
            runs: repeats,
            note: note(case.transport, row.side),
        });
        record::write(&AllocationRecord {
            suite: "allocations",
            transport: case.transport.name(),
            mode: case.mode.name(),
            client: row.side.name(),
            side: "round_trip",
            allocs_per_msg: run.allocs_per_msg,
            bytes_per_msg: run.bytes_per_msg,
        });
    }
    eprintln!();
    eprintln!(
        "{:<10} {:<9} {:<18} {:>8} {:>4} {:>11} {:>7} {:>11} {:>10} {:>10} {:>8}",
        "transport",
        "mode",
        "client",
        "messages",
        "k",
        "msgs/s",
        "/raw",
        "publish/s",
        "p50 µs",
        "p99 µs",
        "allocs"
    );
    for row in rows {
        let (case, run) = (&row.case, &row.run);
        let raw = rows.iter().find(|r| {
            r.side == Side::Raw && r.case.transport == case.transport && r.case.mode == case.mode
        });
        let ratio = raw.map_or("–".to_owned(), |raw| {
            format!("{:.3}", run.msgs_per_sec() / raw.run.msgs_per_sec())
        });
        eprintln!(
            "{:<10} {:<9} {:<18} {:>8} {:>4} {:>11.0} {:>7} {:>11.0} {:>10.1} {:>10.1} {:>8.2}",
            case.transport.name(),
            case.mode.name(),
            row.side.name(),
            case.messages,
            case.in_flight,
            run.msgs_per_sec(),
            ratio,
            run.publish_msgs_per_sec(),
            run.p50_us,
            run.p99_us,
            run.allocs_per_msg,
        );
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    now_ns();
    let mut rows = Vec::new();
    for transport in Transport::ALL {
        let available = match transport {
            Transport::Memory => true,
            Transport::MqttQos0 | Transport::MqttQos1 => args.mqtt.is_some(),
            Transport::Kafka => args.kafka.is_some(),
        };
        if !available {
            continue;
        }
        for mode in [Mode::Awaited, Mode::Pipelined] {
            if let Some((only_transport, only_mode)) = &args.only {
                let transport_matches = transport.name() == only_transport
                    || (only_transport == "mqtt" && transport.name().starts_with("mqtt"));
                if !transport_matches || only_mode.as_deref().is_some_and(|m| m != mode.name()) {
                    continue;
                }
            }
            let case = Case {
                transport,
                mode,
                messages: args
                    .messages
                    .unwrap_or_else(|| transport.default_messages(mode)),
                in_flight: match mode {
                    Mode::Awaited => 1,
                    Mode::Pipelined => args.window,
                },
            };
            let mut sides = vec![Side::Typed, Side::Raw];
            if transport == Transport::Kafka && mode == Mode::Awaited {
                sides.push(Side::RawDefaultLinger);
            }
            if transport == Transport::Kafka && mode == Mode::Pipelined {
                sides.push(Side::RawContentType);
            }
            if transport == Transport::MqttQos1 {
                sides.push(Side::RawAutoAck);
            }
            if let Some(client) = &args.client {
                sides.retain(|side| side.name() == client);
            }
            let mut runs: Vec<Vec<Run>> = vec![Vec::new(); sides.len()];
            for repeat in 0..args.repeats {
                // Alternate who goes first.
                let mut order: Vec<usize> = (0..sides.len()).collect();
                if repeat % 2 == 1 {
                    order.reverse();
                }
                for index in order {
                    let side = sides[index];
                    let run = match transport {
                        Transport::Memory => memory(&case, side).await,
                        Transport::MqttQos0 | Transport::MqttQos1 => {
                            let (host, port) = args.mqtt.as_ref().expect("checked");
                            mqtt(&case, side, host, *port).await
                        }
                        Transport::Kafka => {
                            let bootstrap = args.kafka.as_deref().expect("checked");
                            kafka(&case, side, bootstrap, args.kafka_fetch_wait_ms).await
                        }
                    };
                    eprintln!(
                        "{:<38} run {}: {:>10.0} msgs/s  publish {:>10.0}/s  p50 {:>9.1} µs  p99 {:>9.1} µs  {:.2} allocs/msg",
                        case.label(side),
                        repeat + 1,
                        run.msgs_per_sec(),
                        run.publish_msgs_per_sec(),
                        run.p50_us,
                        run.p99_us,
                        run.allocs_per_msg
                    );
                    runs[index].push(run);
                }
            }
            for (side, runs) in sides.into_iter().zip(runs) {
                rows.push(Row {
                    case,
                    side,
                    run: median(runs),
                });
            }
        }
    }
    report(&rows, args.repeats);
}
