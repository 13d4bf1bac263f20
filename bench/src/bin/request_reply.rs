//! Request/reply round trips on every transport: the generated request method and the
//! generated `serve` (typed) against a requester and a responder written by hand on the raw
//! clients (raw), same broker, same payloads, same run.
//!
//! ```text
//! cargo run --release -p asyncapi-bench --bin request_reply -- \
//!     [--mqtt HOST:PORT] [--kafka HOST:PORT] [--requests N] [--only TRANSPORT[,MODE]] \
//!     [--repeats R] [--in-flight K] [--client CLIENT] [--kafka-fetch-wait-ms MS]
//! ```
//!
//! Fixture: `specs/rpc.yaml`, one request operation (`ask`) whose reply comes on a fixed reply
//! channel, the correlation id in a `correlationId` header, QoS 1 both ways on MQTT. Requests
//! are `{"n":N,"data":"<64 x>"}`, replies `{"n":N,"doubled":2N}`; every reply is checked against
//! its request.
//!
//! Transports: `memory` (always), `mqtt` (with `--mqtt`), `kafka` (with `--kafka`). Modes:
//! `sequential` (one request in flight: each round trip is a latency sample) and `concurrent`
//! (`--in-flight` requests in flight, 64 by default, from one requester). Clients:
//! - `typed`: a requester `Client` calling the generated `ask` (awaited: the request sent,
//!   its reply routed by correlation id through the client's inbox on the reply channel and
//!   decoded), and a responder `Client` running the mirror's generated `serve` with a handler
//!   returning the reply (the runner copies the correlation id and sends it), each on its own
//!   connection with the adapter's default configuration.
//! - `raw`: the same two roles by hand. Memory: the `Transport` API of the same broker with
//!   serde_json, the correlation id in the `correlationId` header, a map of waiting requests by
//!   id. MQTT: rumqttc 5 clients with the adapter's in-flight limit, request-channel
//!   capacity and `TCP_NODELAY`, manual acknowledgements (sent after decoding, as the adapter does); requests
//!   carry a response topic and correlation data (MQTT 5 properties), the responder answers to
//!   the response topic with the same correlation data; the responder's event loop runs in a
//!   task of its own and hands requests to a handler task, which publishes the reply and then
//!   acknowledges the request (not waiting for the reply's PUBACK, as rumqttc's `publish` does
//!   not). Kafka: an rdkafka `FutureProducer` (acks=all, idempotent, linger.ms=0, the adapter's
//!   settings) and a `StreamConsumer` per role (assigned the fresh topic's partition from its
//!   start), the correlation id and reply topic in record headers; the responder awaits each
//!   reply's delivery report before taking the next request.
//!
//! Mosquitto should run with `set_tcp_nodelay true` (`scripts/bench.sh` starts one so): with
//! its default, every round trip waits about 44 ms for a delayed ACK, whatever the clients do.
//!
//! Each case: a fresh requester and responder (Kafka: fresh request and reply topics of one
//! partition, see [`CaseTopics`]; neither side is a consumer group), a warm-up of sequential
//! requests, then N requests measured, each from the call to its decoded reply. requests/s =
//! N / (first call → last reply). Typed and raw run alternately (who goes first alternates
//! too), each case `--repeats` times (3 by default); the run with the median requests/s is
//! reported. Records go through [`asyncapi_bench::record::write`] (`suite: "request_reply"`);
//! a table with typed/raw ratios ends the output (on stderr).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use asyncapi_bench::case_topics::{case_topic, create_topic, rename};
use asyncapi_bench::record;
use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
use asyncapi_runtime::serve::Reply;
use asyncapi_runtime::{
    Client, HandlerResult, Outgoing, QoS, Received, Subscription, Transport as _,
};
use bytes::Bytes;
use futures::StreamExt;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::{Header, Headers as _, Message as _, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{Offset, TopicPartitionList};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

/// The requester's generated API.
mod asker {
    asyncapi_runtime::asyncapi!("specs/rpc.yaml");
}

/// The responder's generated API.
mod responder {
    asyncapi_runtime::asyncapi!("specs/rpc.yaml", role = "mirror");
}

use asker::Publisher as _;

/// The request channel's address.
const REQUESTS: &str = asker::RequestsParameters::ADDRESS;
/// The reply channel's address (the spec's `replies` channel).
const REPLIES: &str = "bench.replies.0000000";
/// The header that carries the correlation id (the spec's `correlationId` location).
const CORRELATION: &str = "correlationId";
/// The header a raw Kafka request names its reply topic in.
const REPLY_TO: &str = "replyTo";
/// The request's filler.
const DATA: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
/// How long one request may wait for its reply before the case fails.
const PATIENT: Duration = Duration::from_secs(30);

/// The adapter's rumqttc settings (`asyncapi_runtime::mqtt`), which the raw clients get too
/// (with `TCP_NODELAY`, as the adapter sets it).
const MQTT_INFLIGHT: u16 = 100;
const MQTT_REQUEST_CAPACITY: usize = 128;
const MQTT_KEEP_ALIVE: Duration = Duration::from_secs(30);
const MQTT_MAX_PACKET: usize = 16 * 1024 * 1024;
/// How long a Kafka publish may wait in librdkafka's queue (the adapter's default timeout).
const KAFKA_QUEUE_TIMEOUT: Duration = Duration::from_secs(30);

/// What a user of the raw clients declares for the request.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    n: i64,
    data: String,
}

/// ... and for the reply.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReply {
    n: i64,
    doubled: i64,
}

fn raw_request(n: i64) -> Vec<u8> {
    serde_json::to_vec(&RawRequest {
        n,
        data: DATA.to_owned(),
    })
    .expect("encode a request")
}

/// The raw responder's work: the reply to a request's bytes.
fn raw_answer(request: &[u8]) -> Vec<u8> {
    let request: RawRequest = serde_json::from_slice(request).expect("decode a request");
    serde_json::to_vec(&RawReply {
        n: request.n,
        doubled: 2 * request.n,
    })
    .expect("encode a reply")
}

/// The raw requester's check of the reply to request `n`.
fn check_raw_reply(n: i64, reply: &[u8]) {
    let reply: RawReply = serde_json::from_slice(reply).expect("decode a reply");
    assert_eq!((reply.n, reply.doubled), (n, 2 * n), "the reply to {n}");
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transport {
    Memory,
    Mqtt,
    Kafka,
}

impl Transport {
    const ALL: [Transport; 3] = [Transport::Memory, Transport::Mqtt, Transport::Kafka];

    fn name(self) -> &'static str {
        match self {
            Transport::Memory => "memory",
            Transport::Mqtt => "mqtt",
            Transport::Kafka => "kafka",
        }
    }

    /// Requests per case unless `--requests` says otherwise: a few seconds each.
    fn default_requests(self, mode: Mode) -> usize {
        match (self, mode) {
            (Transport::Memory, Mode::Sequential) => 50_000,
            (Transport::Memory, Mode::Concurrent) => 200_000,
            (Transport::Mqtt, Mode::Sequential) => 5_000,
            (Transport::Mqtt, Mode::Concurrent) => 20_000,
            (Transport::Kafka, Mode::Sequential) => 300,
            (Transport::Kafka, Mode::Concurrent) => 3_000,
        }
    }

    /// Sequential requests before the clock starts.
    fn warm_up(self) -> usize {
        match self {
            Transport::Memory => 1_000,
            Transport::Mqtt => 200,
            Transport::Kafka => 20,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Sequential,
    Concurrent,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Sequential => "sequential",
            Mode::Concurrent => "concurrent",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Typed,
    Raw,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Typed => "typed",
            Side::Raw => "raw",
        }
    }
}

struct Args {
    mqtt: Option<(String, u16)>,
    kafka: Option<String>,
    requests: Option<usize>,
    only: Option<(String, Option<String>)>,
    repeats: usize,
    in_flight: usize,
    client: Option<String>,
    kafka_fetch_wait_ms: u32,
}

const USAGE: &str = "usage: request_reply [--mqtt HOST:PORT] [--kafka HOST:PORT] [--requests N] \
                     [--only TRANSPORT[,MODE]] [--repeats R] [--in-flight K] [--client CLIENT] \
                     [--kafka-fetch-wait-ms MS]";

fn parse_args() -> Args {
    let mut args = Args {
        mqtt: None,
        kafka: None,
        requests: None,
        only: None,
        repeats: 3,
        in_flight: 64,
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
                args.mqtt = Some((host.to_owned(), port.parse().expect("--mqtt port")));
            }
            "--kafka" => args.kafka = Some(value()),
            "--requests" => args.requests = Some(value().parse().expect("--requests N")),
            "--repeats" => args.repeats = value().parse().expect("--repeats R"),
            "--in-flight" => args.in_flight = value().parse().expect("--in-flight K"),
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
    args.in_flight = args.in_flight.max(1);
    args
}

/// One case: a transport, a mode, how many requests, how many in flight.
#[derive(Clone, Copy, Debug)]
struct Case {
    transport: Transport,
    mode: Mode,
    requests: usize,
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
    p50_us: f64,
    p99_us: f64,
    mean_us: f64,
    requests: usize,
}

impl Run {
    fn per_sec(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// Warms up, then measures `case.requests` calls of `ask` (each sends request `n` and returns
/// once its reply is decoded and checked), `case.in_flight` at a time.
async fn measure<F, Fut>(case: &Case, ask: F) -> Run
where
    F: Fn(i64) -> Fut,
    Fut: Future<Output = ()>,
{
    let warm_up = case.transport.warm_up() as i64;
    for n in 0..warm_up {
        ask(-1 - n).await;
    }
    let start = Instant::now();
    let mut latencies: Vec<u64> = futures::stream::iter(0..case.requests as i64)
        .map(|n| {
            let asked = ask(n);
            async move {
                let sent = Instant::now();
                asked.await;
                sent.elapsed().as_nanos() as u64
            }
        })
        .buffer_unordered(case.in_flight)
        .collect()
        .await;
    let seconds = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |q: usize| latencies[(latencies.len() * q / 100).min(latencies.len() - 1)] as f64;
    let mean = latencies.iter().sum::<u64>() as f64 / latencies.len() as f64;
    Run {
        seconds,
        p50_us: at(50) / 1000.0,
        p99_us: at(99) / 1000.0,
        mean_us: mean / 1000.0,
        requests: case.requests,
    }
}

// ---------------------------------------------------------------------------------------------
// Typed: the generated request method and the mirror's generated `serve`.

/// The responder's handler: the reply to each request.
struct Doubler;

type Answer = Reply<responder::ReplyPayload, responder::ReplyHeaders>;

impl responder::Handler for Doubler {
    async fn ask(
        &self,
        message: Received<
            responder::RequestsParameters,
            responder::RequestPayload,
            responder::RequestHeaders,
        >,
    ) -> HandlerResult<Answer> {
        let n = message.payload.n;
        Ok(Reply {
            payload: responder::ReplyPayload { n, doubled: 2 * n },
            headers: responder::ReplyHeaders {
                correlation_id: None,
            },
            key: (),
        })
    }
}

/// A typed responder serving on `transport` until stopped.
struct TypedResponder {
    stop: oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<()>,
}

impl TypedResponder {
    async fn start<T>(transport: T) -> TypedResponder
    where
        T: asyncapi_runtime::Transport + Clone + 'static,
    {
        let client = Client::new(transport);
        let subscriptions = responder::Subscriptions::new(&client)
            .await
            .expect("the responder subscribes");
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = tokio::spawn(async move {
            subscriptions
                .serve(&Doubler, async {
                    let _ = stopped.await;
                })
                .await
                .expect("the responder serves until stopped");
        });
        TypedResponder { stop, serving }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(10), self.serving)
            .await
            .expect("the responder stops")
            .expect("the responder's task");
    }
}

/// Sends request `n` through the generated method and checks its reply.
async fn typed_ask<T: asyncapi_runtime::Transport>(client: &Client<T>, n: i64) {
    let reply = client
        .ask(
            &asker::RequestHeaders {
                correlation_id: None,
            },
            &asker::RequestPayload {
                n,
                data: DATA.to_owned(),
            },
        )
        .timeout(PATIENT)
        .await
        .unwrap_or_else(|e| panic!("request {n}: {e}"));
    assert_eq!(
        (reply.payload.n, reply.payload.doubled),
        (n, 2 * n),
        "the reply to {n}"
    );
}

/// Runs one typed case: a responder on `responder`, the requester on `requester`.
async fn typed<T>(case: &Case, requester: T, responder: T) -> Run
where
    T: asyncapi_runtime::Transport + Clone + 'static,
{
    let responder = TypedResponder::start(responder).await;
    let client = Client::new(requester);
    let run = measure(case, |n| typed_ask(&client, n)).await;
    responder.stop().await;
    let _ = client.transport().close().await;
    run
}

// ---------------------------------------------------------------------------------------------
// Raw requests waiting for their replies, by correlation id.

/// The raw requesters' waiting requests, by correlation id.
#[derive(Clone, Default)]
struct Waiting(Arc<Mutex<HashMap<Bytes, oneshot::Sender<Bytes>>>>);

impl Waiting {
    /// Registers request `n` (its id is `n`'s digits); the reply's payload comes through the
    /// receiver.
    fn expect(&self, n: i64) -> (Bytes, oneshot::Receiver<Bytes>) {
        let id = Bytes::from(n.to_string());
        let (sender, receiver) = oneshot::channel();
        self.0.lock().unwrap().insert(id.clone(), sender);
        (id, receiver)
    }

    /// Hands a reply to its request (a reply nobody waits for is dropped).
    fn deliver(&self, id: &[u8], payload: Bytes) {
        if let Some(sender) = self.0.lock().unwrap().remove(id) {
            let _ = sender.send(payload);
        }
    }
}

/// Awaits the reply to request `n` and checks it.
async fn raw_reply(n: i64, reply: oneshot::Receiver<Bytes>) {
    let payload = tokio::time::timeout(PATIENT, reply)
        .await
        .unwrap_or_else(|_| panic!("request {n}: no reply within {PATIENT:?}"))
        .expect("the requester's reader ended");
    check_raw_reply(n, &payload);
}

// ---------------------------------------------------------------------------------------------
// Raw in memory: the `Transport` API with serde_json by hand.

async fn raw_memory(case: &Case, broker: MemoryBroker) -> Run {
    // The responder.
    let mut requests = broker
        .subscribe(Subscription::new(REQUESTS).with_qos(QoS::AtLeastOnce))
        .await
        .expect("subscribe to the requests");
    let responding = tokio::spawn({
        let broker = broker.clone();
        async move {
            while let Some(Ok(request)) = requests.next().await {
                let id = request
                    .headers
                    .get(CORRELATION)
                    .expect("a correlation id")
                    .to_owned();
                let mut reply =
                    Outgoing::new(REPLIES, raw_answer(&request.payload)).with_qos(QoS::AtLeastOnce);
                reply.headers.insert(CORRELATION, id);
                broker.publish(reply).await.expect("publish a reply");
                if let Some(ack) = &request.ack {
                    ack.ack().expect("acknowledge a request");
                }
            }
        }
    });
    // The requester.
    let waiting = Waiting::default();
    let mut replies = broker
        .subscribe(Subscription::new(REPLIES).with_qos(QoS::AtLeastOnce))
        .await
        .expect("subscribe to the replies");
    let routing = tokio::spawn({
        let waiting = waiting.clone();
        async move {
            while let Some(Ok(reply)) = replies.next().await {
                if let Some(ack) = &reply.ack {
                    ack.ack().expect("acknowledge a reply");
                }
                if let Some(id) = reply.headers.get(CORRELATION) {
                    waiting.deliver(id.as_bytes(), reply.payload);
                }
            }
        }
    });
    let run = measure(case, |n| {
        let (broker, waiting) = (&broker, &waiting);
        async move {
            let (id, reply) = waiting.expect(n);
            let mut request = Outgoing::new(REQUESTS, raw_request(n)).with_qos(QoS::AtLeastOnce);
            request
                .headers
                .insert(CORRELATION, String::from_utf8(id.to_vec()).expect("digits"));
            broker.publish(request).await.expect("publish a request");
            raw_reply(n, reply).await;
        }
    })
    .await;
    responding.abort();
    routing.abort();
    run
}

// ---------------------------------------------------------------------------------------------
// Raw MQTT: rumqttc 5.

fn raw_mqtt_options(host: &str, port: u16, role: &str) -> rumqttc::v5::MqttOptions {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let id = format!("bench-rr-{role}-{}-{n}", std::process::id());
    let mut options = rumqttc::v5::MqttOptions::new(id, host, port);
    options
        .set_keep_alive(MQTT_KEEP_ALIVE)
        .set_clean_start(true)
        .set_max_packet_size(Some(MQTT_MAX_PACKET as u32))
        .set_outgoing_inflight_upper_limit(MQTT_INFLIGHT)
        .set_manual_acks(true);
    // The adapter turns Nagle's algorithm off (`TCP_NODELAY`); so does the raw client.
    let mut network = options.network_options();
    network.set_tcp_nodelay(true);
    options.set_network_options(network);
    options
}

/// A connected rumqttc client subscribed (SUBACK received) to `topic` at QoS 1.
async fn raw_mqtt_client(
    host: &str,
    port: u16,
    role: &str,
    topic: &str,
) -> (rumqttc::v5::AsyncClient, rumqttc::v5::EventLoop) {
    use rumqttc::v5::Event;
    use rumqttc::v5::mqttbytes::QoS as MqttQoS;
    use rumqttc::v5::mqttbytes::v5::Packet;
    let (client, mut event_loop) =
        rumqttc::v5::AsyncClient::new(raw_mqtt_options(host, port, role), MQTT_REQUEST_CAPACITY);
    client
        .subscribe(topic, MqttQoS::AtLeastOnce)
        .await
        .expect("raw subscribe");
    loop {
        match event_loop.poll().await {
            Ok(Event::Incoming(Packet::SubAck(_))) => break,
            Ok(_) => {}
            Err(error) => panic!("raw MQTT {role}: {error}"),
        }
    }
    (client, event_loop)
}

/// Polls `event_loop` in a task of its own, handing every PUBLISH to `incoming`, until the
/// client disconnects or `incoming`'s receiver is gone.
fn raw_mqtt_poll(
    role: &'static str,
    mut event_loop: rumqttc::v5::EventLoop,
    incoming: mpsc::UnboundedSender<rumqttc::v5::mqttbytes::v5::Publish>,
) -> tokio::task::JoinHandle<()> {
    use rumqttc::v5::Event;
    use rumqttc::v5::mqttbytes::v5::Packet;
    tokio::spawn(async move {
        loop {
            match event_loop.poll().await {
                Ok(Event::Incoming(Packet::Publish(publish))) => {
                    if incoming.send(publish).is_err() {
                        return;
                    }
                }
                Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) => return,
                Ok(_) => {}
                Err(error) => {
                    eprintln!("raw MQTT {role}: {error}");
                    return;
                }
            }
        }
    })
}

async fn raw_mqtt(case: &Case, host: &str, port: u16) -> Run {
    use rumqttc::v5::mqttbytes::QoS as MqttQoS;
    use rumqttc::v5::mqttbytes::v5::PublishProperties;

    // The responder: its event loop hands requests to a handler task, which publishes each
    // reply (to the response topic, with the request's correlation data) and then acknowledges
    // the request.
    let (responder, event_loop) = raw_mqtt_client(host, port, "responder", REQUESTS).await;
    let (to_handler, mut requests) = mpsc::unbounded_channel();
    let responder_loop = raw_mqtt_poll("responder", event_loop, to_handler);
    let handling = tokio::spawn({
        let responder = responder.clone();
        async move {
            while let Some(request) = requests.recv().await {
                let properties = request.properties.clone().unwrap_or_default();
                let reply_to = properties.response_topic.expect("a response topic");
                let reply = PublishProperties {
                    correlation_data: properties.correlation_data,
                    ..PublishProperties::default()
                };
                responder
                    .publish_with_properties(
                        reply_to,
                        MqttQoS::AtLeastOnce,
                        false,
                        raw_answer(&request.payload),
                        reply,
                    )
                    .await
                    .expect("publish a reply");
                responder
                    .ack(&request)
                    .await
                    .expect("acknowledge a request");
            }
        }
    });

    // The requester: its event loop task routes each reply by correlation data and
    // acknowledges it.
    let (requester, event_loop) = raw_mqtt_client(host, port, "requester", REPLIES).await;
    let waiting = Waiting::default();
    let (to_router, mut replies) = mpsc::unbounded_channel();
    let requester_loop = raw_mqtt_poll("requester", event_loop, to_router);
    let routing = tokio::spawn({
        let (requester, waiting) = (requester.clone(), waiting.clone());
        async move {
            while let Some(reply) = replies.recv().await {
                requester.ack(&reply).await.expect("acknowledge a reply");
                let id = reply
                    .properties
                    .as_ref()
                    .and_then(|p| p.correlation_data.clone());
                if let Some(id) = id {
                    waiting.deliver(&id, reply.payload);
                }
            }
        }
    });

    let run = measure(case, |n| {
        let (requester, waiting) = (&requester, &waiting);
        async move {
            let (id, reply) = waiting.expect(n);
            let properties = PublishProperties {
                response_topic: Some(REPLIES.to_owned()),
                correlation_data: Some(id),
                ..PublishProperties::default()
            };
            requester
                .publish_with_properties(
                    REQUESTS,
                    MqttQoS::AtLeastOnce,
                    false,
                    raw_request(n),
                    properties,
                )
                .await
                .expect("publish a request");
            raw_reply(n, reply).await;
        }
    })
    .await;

    let _ = requester.disconnect().await;
    let _ = responder.disconnect().await;
    for task in [responder_loop, requester_loop] {
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }
    handling.abort();
    routing.abort();
    run
}

async fn typed_mqtt(case: &Case, host: &str, port: u16) -> Run {
    let connect = || async {
        Mqtt::connect(MqttConfig::new(host, port))
            .await
            .expect("connect to the MQTT broker")
    };
    typed(case, connect().await, connect().await).await
}

// ---------------------------------------------------------------------------------------------
// Kafka (tansu).

/// The Kafka transport with the spec's two addresses renamed to the case's topics, so that each
/// case starts on empty topics although the generated API uses the spec's fixed addresses
/// (tansu's in-memory log gets slower to read as it grows). The names have the same length:
/// renaming copies in place.
#[derive(Clone)]
struct CaseTopics {
    kafka: Kafka,
    requests: Arc<str>,
    replies: Arc<str>,
}

impl CaseTopics {
    fn topic_of(&self, address: &str) -> Option<&str> {
        match address {
            REQUESTS => Some(&self.requests),
            REPLIES => Some(&self.replies),
            _ => None,
        }
    }

    fn address_of(&self, topic: &str) -> Option<&'static str> {
        if topic == &*self.requests {
            Some(REQUESTS)
        } else if topic == &*self.replies {
            Some(REPLIES)
        } else {
            None
        }
    }
}

impl asyncapi_runtime::Transport for CaseTopics {
    fn publish(
        &self,
        mut message: Outgoing,
    ) -> impl Future<Output = Result<asyncapi_runtime::Delivery, asyncapi_runtime::TransportError>> + Send
    {
        if let Some(topic) = self.topic_of(&message.address) {
            rename(&mut message.address, topic);
        }
        if let Some(reply_to) = &mut message.reply_to
            && let Some(topic) = self.topic_of(reply_to)
        {
            rename(reply_to, topic);
        }
        self.kafka.publish(message)
    }

    async fn subscribe(
        &self,
        mut subscription: Subscription,
    ) -> Result<asyncapi_runtime::RawStream, asyncapi_runtime::TransportError> {
        if let Some(topic) = self.topic_of(&subscription.template) {
            subscription.template = topic.to_owned().into();
        }
        let stream = self.kafka.subscribe(subscription).await?;
        let this = self.clone();
        Ok(stream
            .map(move |item| {
                item.map(|mut incoming| {
                    if let Some(address) = this.address_of(&incoming.address) {
                        rename(&mut incoming.address, address);
                    }
                    incoming
                })
            })
            .boxed())
    }

    fn close(&self) -> impl Future<Output = Result<(), asyncapi_runtime::TransportError>> + Send {
        self.kafka.close()
    }
}

/// The case's topics, created.
async fn kafka_topics(bootstrap: &str, fetch_wait_ms: u32) -> (Kafka, String, String) {
    let kafka = Kafka::connect(kafka_config(bootstrap, fetch_wait_ms))
        .await
        .expect("connect to Kafka");
    let (requests, replies) = (case_topic(REQUESTS), case_topic(REPLIES));
    create_topic(&kafka, &requests).await;
    create_topic(&kafka, &replies).await;
    (kafka, requests, replies)
}

fn kafka_config(bootstrap: &str, fetch_wait_ms: u32) -> KafkaConfig {
    KafkaConfig::new(bootstrap).consumer_set("fetch.wait.max.ms", fetch_wait_ms.to_string())
}

async fn typed_kafka(case: &Case, bootstrap: &str, fetch_wait_ms: u32) -> Run {
    let (kafka, requests, replies) = kafka_topics(bootstrap, fetch_wait_ms).await;
    let (requests, replies): (Arc<str>, Arc<str>) = (requests.into(), replies.into());
    let responder = Kafka::connect(kafka_config(bootstrap, fetch_wait_ms))
        .await
        .expect("connect to Kafka");
    let on = |kafka: Kafka| CaseTopics {
        kafka,
        requests: requests.clone(),
        replies: replies.clone(),
    };
    typed(case, on(kafka), on(responder)).await
}

fn raw_producer(bootstrap: &str) -> FutureProducer {
    ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("acks", "all")
        .set("enable.idempotence", "true")
        .set("linger.ms", "0")
        .create()
        .expect("raw producer")
}

/// A raw consumer of `topic`'s only partition from its start (the topic is the case's own).
async fn raw_consumer(bootstrap: &str, topic: &str, fetch_wait_ms: u32) -> StreamConsumer {
    let topic = topic.to_owned();
    let group = format!("bench-rr-raw-{}-{topic}", std::process::id());
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", &group)
        .set("enable.auto.commit", "false")
        .set("fetch.wait.max.ms", fetch_wait_ms.to_string())
        .create()
        .expect("raw consumer");
    let mut assignment = TopicPartitionList::new();
    assignment
        .add_partition_offset(&topic, 0, Offset::Beginning)
        .expect("assignment");
    consumer.assign(&assignment).expect("assign");
    consumer
}

/// The value of header `name` of a record.
fn header<'a>(message: &'a rdkafka::message::BorrowedMessage<'_>, name: &str) -> Option<&'a [u8]> {
    message
        .headers()?
        .iter()
        .find(|h| h.key == name)
        .and_then(|h| h.value)
}

async fn raw_kafka(case: &Case, bootstrap: &str, fetch_wait_ms: u32) -> Run {
    let (kafka, requests, replies) = kafka_topics(bootstrap, fetch_wait_ms).await;
    drop(kafka);

    // The responder: each request's reply sent to its `replyTo` topic with its correlation id,
    // its delivery report awaited before the next request.
    let responding = {
        let consumer = raw_consumer(bootstrap, &requests, fetch_wait_ms).await;
        let producer = raw_producer(bootstrap);
        tokio::spawn(async move {
            loop {
                let request = consumer.recv().await.expect("raw receive a request");
                let id = header(&request, CORRELATION).expect("a correlation id");
                let reply_to = std::str::from_utf8(header(&request, REPLY_TO).expect("replyTo"))
                    .expect("a topic name");
                let reply = raw_answer(request.payload().expect("a payload"));
                let headers = OwnedHeaders::new().insert(Header {
                    key: CORRELATION,
                    value: Some(id),
                });
                producer
                    .send(
                        FutureRecord::<(), _>::to(reply_to)
                            .payload(&reply)
                            .headers(headers),
                        KAFKA_QUEUE_TIMEOUT,
                    )
                    .await
                    .map_err(|(error, _)| error)
                    .expect("publish a reply");
            }
        })
    };

    // The requester.
    let waiting = Waiting::default();
    let routing = {
        let consumer = raw_consumer(bootstrap, &replies, fetch_wait_ms).await;
        let waiting = waiting.clone();
        tokio::spawn(async move {
            loop {
                let reply = consumer.recv().await.expect("raw receive a reply");
                if let Some(id) = header(&reply, CORRELATION) {
                    let payload = Bytes::copy_from_slice(reply.payload().unwrap_or_default());
                    waiting.deliver(id, payload);
                }
            }
        })
    };
    let producer = raw_producer(bootstrap);
    let run = measure(case, |n| {
        let (producer, waiting, requests, replies) = (&producer, &waiting, &requests, &replies);
        async move {
            let (id, reply) = waiting.expect(n);
            let payload = raw_request(n);
            let headers = OwnedHeaders::new()
                .insert(Header {
                    key: CORRELATION,
                    value: Some(&id[..]),
                })
                .insert(Header {
                    key: REPLY_TO,
                    value: Some(replies.as_bytes()),
                });
            producer
                .send(
                    FutureRecord::<(), _>::to(requests)
                        .payload(&payload)
                        .headers(headers),
                    KAFKA_QUEUE_TIMEOUT,
                )
                .await
                .map_err(|(error, _)| error)
                .expect("publish a request");
            raw_reply(n, reply).await;
        }
    })
    .await;
    responding.abort();
    routing.abort();
    run
}

// ---------------------------------------------------------------------------------------------
// Records and the table.

#[derive(Serialize)]
struct RoundTripRecord {
    suite: &'static str,
    transport: &'static str,
    mode: &'static str,
    client: &'static str,
    requests: usize,
    in_flight: usize,
    seconds: f64,
    requests_per_sec: f64,
    p50_us: f64,
    p99_us: f64,
    mean_us: f64,
    /// typed/raw of requests/s, p50 and p99 (typed rows only, when raw ran too).
    per_sec_vs_raw: Option<f64>,
    p50_vs_raw: Option<f64>,
    p99_vs_raw: Option<f64>,
    runs: usize,
    note: &'static str,
}

fn note(transport: Transport, side: Side) -> &'static str {
    match (transport, side) {
        (Transport::Memory, Side::Typed) => {
            "generated request method (reply routed by correlation id through the client's inbox) and the mirror's generated serve over one MemoryBroker"
        }
        (Transport::Memory, Side::Raw) => {
            "Transport::publish/subscribe of MemoryBroker with serde_json by hand, correlationId header, a map of waiting requests"
        }
        (Transport::Mqtt, Side::Typed) => {
            "asyncapi_runtime::mqtt (MQTT 5, QoS 1 both ways, manual acks after handling, TCP_NODELAY), requester and responder on their own connections; Mosquitto with set_tcp_nodelay true"
        }
        (Transport::Mqtt, Side::Raw) => {
            "rumqttc v5 (same inflight/channel capacity, QoS 1 both ways, manual acks, TCP_NODELAY), response topic + correlation data; the responder acks after handing the reply to rumqttc; Mosquitto with set_tcp_nodelay true"
        }
        (Transport::Kafka, Side::Typed) => {
            "asyncapi_runtime::kafka (acks=all, idempotent, linger.ms=0, fetch.wait.max.ms as raw's); fresh topics per case; no consumer group"
        }
        (Transport::Kafka, Side::Raw) => {
            "rdkafka FutureProducer (acks=all, idempotent, linger.ms=0) and StreamConsumer (assigned, fetch.wait.max.ms 10) per role; correlationId and replyTo headers; the responder awaits each reply's delivery report"
        }
    }
}

struct Row {
    case: Case,
    side: Side,
    run: Run,
}

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.per_sec().total_cmp(&b.per_sec()));
    runs.swap_remove(runs.len() / 2)
}

fn report(rows: &[Row], repeats: usize) {
    let raw_of = |row: &Row| {
        rows.iter().find(|r| {
            r.side == Side::Raw
                && r.case.transport == row.case.transport
                && r.case.mode == row.case.mode
        })
    };
    for row in rows {
        let (case, run) = (&row.case, &row.run);
        let raw = raw_of(row).filter(|_| row.side != Side::Raw);
        record::write(&RoundTripRecord {
            suite: "request_reply",
            transport: case.transport.name(),
            mode: case.mode.name(),
            client: row.side.name(),
            requests: case.requests,
            in_flight: case.in_flight,
            seconds: run.seconds,
            requests_per_sec: run.per_sec(),
            p50_us: run.p50_us,
            p99_us: run.p99_us,
            mean_us: run.mean_us,
            per_sec_vs_raw: raw.map(|raw| run.per_sec() / raw.run.per_sec()),
            p50_vs_raw: raw.map(|raw| run.p50_us / raw.run.p50_us),
            p99_vs_raw: raw.map(|raw| run.p99_us / raw.run.p99_us),
            runs: repeats,
            note: note(case.transport, row.side),
        });
    }
    eprintln!();
    eprintln!(
        "{:<9} {:<10} {:<6} {:>8} {:>4} {:>10} {:>7} {:>10} {:>7} {:>10} {:>7} {:>10}",
        "transport",
        "mode",
        "client",
        "requests",
        "k",
        "req/s",
        "/raw",
        "p50 µs",
        "/raw",
        "p99 µs",
        "/raw",
        "mean µs"
    );
    for row in rows {
        let (case, run) = (&row.case, &row.run);
        let ratio = |f: fn(&Run) -> f64| {
            raw_of(row).map_or("–".to_owned(), |raw| {
                format!("{:.2}", f(run) / f(&raw.run))
            })
        };
        eprintln!(
            "{:<9} {:<10} {:<6} {:>8} {:>4} {:>10.0} {:>7} {:>10.1} {:>7} {:>10.1} {:>7} {:>10.1}",
            case.transport.name(),
            case.mode.name(),
            row.side.name(),
            case.requests,
            case.in_flight,
            run.per_sec(),
            ratio(Run::per_sec),
            run.p50_us,
            ratio(|r| r.p50_us),
            run.p99_us,
            ratio(|r| r.p99_us),
            run.mean_us,
        );
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let mut rows = Vec::new();
    for transport in Transport::ALL {
        let available = match transport {
            Transport::Memory => true,
            Transport::Mqtt => args.mqtt.is_some(),
            Transport::Kafka => args.kafka.is_some(),
        };
        if !available {
            continue;
        }
        for mode in [Mode::Sequential, Mode::Concurrent] {
            if let Some((only_transport, only_mode)) = &args.only
                && (transport.name() != only_transport
                    || only_mode.as_deref().is_some_and(|m| m != mode.name()))
            {
                continue;
            }
            let case = Case {
                transport,
                mode,
                requests: args
                    .requests
                    .unwrap_or_else(|| transport.default_requests(mode)),
                in_flight: match mode {
                    Mode::Sequential => 1,
                    Mode::Concurrent => args.in_flight,
                },
            };
            let mut sides = vec![Side::Typed, Side::Raw];
            if let Some(client) = &args.client {
                sides.retain(|side| side.name() == client);
            }
            let mut runs: Vec<Vec<Run>> = vec![Vec::new(); sides.len()];
            for repeat in 0..args.repeats {
                let mut order: Vec<usize> = (0..sides.len()).collect();
                if repeat % 2 == 1 {
                    order.reverse();
                }
                for index in order {
                    let side = sides[index];
                    let run = match (transport, side) {
                        (Transport::Memory, Side::Typed) => {
                            let broker = MemoryBroker::new();
                            typed(&case, broker.clone(), broker).await
                        }
                        (Transport::Memory, Side::Raw) => {
                            raw_memory(&case, MemoryBroker::new()).await
                        }
                        (Transport::Mqtt, _) => {
                            let (host, port) = args.mqtt.as_ref().expect("checked");
                            match side {
                                Side::Typed => typed_mqtt(&case, host, *port).await,
                                Side::Raw => raw_mqtt(&case, host, *port).await,
                            }
                        }
                        (Transport::Kafka, _) => {
                            let bootstrap = args.kafka.as_deref().expect("checked");
                            let wait = args.kafka_fetch_wait_ms;
                            match side {
                                Side::Typed => typed_kafka(&case, bootstrap, wait).await,
                                Side::Raw => raw_kafka(&case, bootstrap, wait).await,
                            }
                        }
                    };
                    eprintln!(
                        "{:<26} run {}: {:>9.0} req/s  p50 {:>9.1} µs  p99 {:>9.1} µs  mean {:>9.1} µs",
                        case.label(side),
                        repeat + 1,
                        run.per_sec(),
                        run.p50_us,
                        run.p99_us,
                        run.mean_us,
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
