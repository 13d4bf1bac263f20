//! The Kafka case through `ruststream-rdkafka` (librdkafka) and tansu.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use ruststream::{Broker, ConnectedBroker};
use ruststream_rdkafka::prelude::*;

use crate::measure::{self, Collector, Mode, Received, Run, Sample};

/// The producer settings the raw rdkafka benchmark runs with (`bench/src/bin/throughput.rs`).
/// ruststream-rdkafka sets no producer property of its own, so without these it runs on
/// librdkafka's defaults (`linger.ms` 5, `acks` all, no idempotence).
const PRODUCER: [(&str, &str); 3] = [
    ("linger.ms", "0"),
    ("acks", "all"),
    ("enable.idempotence", "true"),
];

/// The application state: the collector the handler records into.
#[derive(FromRef)]
struct BenchState {
    sink: Arc<Collector>,
}

/// The subscriber under test: the framework decodes the JSON payload into `Received` and the
/// handler records its latency. The topic is named at the mount site, which subscribes by name:
/// through the broker's default group, with librdkafka's consumer defaults and auto-commit.
#[subscriber]
async fn receive(sample: &Received, State(sink): State<Arc<Collector>>) -> HandlerOutcome {
    sink.record(sample.seq, sample.sent_ns);
    HandlerOutcome::ack()
}

/// What each mode means through this crate.
pub fn note(mode: Mode) -> String {
    let common = "ruststream 0.7.7 + ruststream-rdkafka 0.7.1 (rdkafka 0.39), producer with \
                  linger.ms=0, acks=all, enable.idempotence=true set through producer_config \
                  (the crate sets none: librdkafka's defaults are linger.ms=5, acks=all), \
                  #[subscriber] handler in a started app (consumer group, auto-commit, \
                  librdkafka consumer defaults), JSON codec both ways, fresh topic with 1 \
                  partition";
    match mode {
        Mode::Awaited => format!(
            "{common}; awaited = each publish().await in turn, which resolves on the record's \
             delivery report (acknowledged by the broker)"
        ),
        Mode::Pipelined(k) => format!(
            "{common}; pipelined = up to {k} publish() futures in flight at once, each \
             resolving on its delivery report, then all awaited"
        ),
    }
}

/// Creates `topic` with one partition: tansu creates no topic on its own.
async fn create_topic(server: &str, topic: &str) -> Result<(), String> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", server)
        .create()
        .map_err(|e| format!("no admin client: {e}"))?;
    let created = admin
        .create_topics(
            [&NewTopic::new(topic, 1, TopicReplication::Fixed(1))],
            &AdminOptions::new().operation_timeout(Some(Duration::from_secs(10))),
        )
        .await
        .map_err(|e| format!("creating topic {topic}: {e}"))?;
    for outcome in created {
        outcome.map_err(|(name, code)| format!("creating topic {name}: {code}"))?;
    }
    Ok(())
}

pub async fn run(
    server: &str,
    mode: Mode,
    messages: usize,
    timeout: Duration,
) -> Result<Run, String> {
    let topic = measure::unique("ruststream-bench");
    create_topic(server, &topic).await?;

    let sink = Arc::new(Collector::new(messages));
    let state = BenchState {
        sink: Arc::clone(&sink),
    };
    // The consumer waits at most 10 ms for a fetch, as both consumers of the typed/raw benchmark
    // do: tansu answers a fetch only when that wait is up, so librdkafka's 500 ms would set every
    // latency to about 500 ms.
    let broker = KafkaBroker::new([server])
        .default_group(topic.clone())
        .config("fetch.wait.max.ms", "10");
    let app = RustStream::new(AppInfo::new("ruststream-bench", "0.1.0"))
        .on_startup(async move |()| Ok::<_, Infallible>(state))
        .with_broker(broker, |b| {
            b.include(receive.name(topic.clone()));
        });
    // Resolves once the group has assigned the partition and its start offset is known.
    let running = app
        .start()
        .await
        .map_err(|e| format!("the app did not start: {e}"))?;

    // The publishing side: a connected broker of its own with a publisher on its producer, the
    // form the crate documents for publishing outside a handler.
    let producing = PRODUCER
        .iter()
        .fold(KafkaBroker::new([server]), |broker, (key, value)| {
            broker.producer_config(*key, *value)
        })
        .connect()
        .await
        .map_err(|e| format!("the publishing broker did not connect: {e}"))?;
    let publisher = producing.publisher(Publish::default());

    let outcome = measure::drive(&sink, mode, timeout, |seq| {
        let (publisher, topic) = (&publisher, &topic);
        async move {
            let sample = Sample::stamped(seq);
            publisher
                .message(&sample)
                .to(topic.as_str())
                .publish()
                .await
        }
    })
    .await;

    producing
        .shutdown()
        .await
        .map_err(|e| format!("the publishing broker did not shut down: {e}"))?;
    running
        .shutdown()
        .await
        .map_err(|e| format!("the app did not shut down: {e}"))?;
    outcome
}
