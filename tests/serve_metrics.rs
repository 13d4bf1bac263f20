//! What serving records through the `metrics` facade matches what happened: a recorder installed
//! for this test binary alone (it is process-wide) sees ten jobs, two of them poison and one
//! transient, served over the in-memory broker; and, against tansu (feature `brokers`), a Kafka
//! consumer group's lag.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::serve::{Backoff, Policy};
use asyncapi_runtime::{Client, HandlerResult, Received};
use asyncapi_tests::within;
use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use tokio::sync::mpsc;

mod jobs {
    asyncapi_runtime::asyncapi!("specs/service.yaml", include = "sendJob, receiveJob");
}

use jobs::{JobPayload, JobPayloadKind, Publisher as _};

struct Jobs(
    std::sync::Mutex<HashMap<i64, u32>>,
    mpsc::UnboundedSender<()>,
);

impl jobs::Handler for Jobs {
    async fn receive_job(
        &self,
        message: Received<jobs::JobsParameters, JobPayload, (), Option<String>>,
    ) -> HandlerResult {
        let n = message.payload.n;
        let attempt = {
            let mut attempts = self.0.lock().unwrap();
            *attempts.entry(n).or_default() += 1;
            attempts[&n]
        };
        let outcome = match message.payload.kind {
            JobPayloadKind::Poison => Err("poison".into()),
            JobPayloadKind::Transient if attempt == 1 => Err("not yet".into()),
            _ => Ok(()),
        };
        if outcome.is_ok() || attempt == 3 {
            let _ = self.1.send(());
        }
        outcome
    }
}

/// The value of one metric: a counter's count, a gauge's value, a histogram's number of samples.
fn value(
    snapshot: &[(metrics_util::CompositeKey, DebugValue)],
    name: &str,
    labels: &[(&str, &str)],
) -> f64 {
    snapshot
        .iter()
        .filter(|(key, _)| {
            key.key().name() == name
                && labels.iter().all(|(l, v)| {
                    key.key()
                        .labels()
                        .any(|label| label.key() == *l && label.value() == *v)
                })
        })
        .map(|(_, value)| match value {
            DebugValue::Counter(c) => *c as f64,
            DebugValue::Gauge(g) => g.into_inner(),
            DebugValue::Histogram(h) => h.len() as f64,
        })
        .sum()
}

/// The recorder of this binary (metrics recorders are process-wide), installed once.
fn snapshotter() -> &'static metrics_util::debugging::Snapshotter {
    static SNAPSHOTTER: std::sync::OnceLock<metrics_util::debugging::Snapshotter> =
        std::sync::OnceLock::new();
    SNAPSHOTTER.get_or_init(|| {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        recorder
            .install()
            .expect("the only recorder of this binary");
        snapshotter
    })
}

/// Held by each test for its whole run: a snapshot drains the histograms, so one test's
/// snapshots must not take another's samples.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Every metric recorded so far, with its value.
fn snapshot() -> Vec<(metrics_util::CompositeKey, DebugValue)> {
    snapshotter()
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| (key, value))
        .collect()
}

#[tokio::test]
async fn serving_records_what_happened() {
    let _alone = ONE_AT_A_TIME.lock().await;
    snapshotter();

    let broker = MemoryBroker::new();
    let client = Client::new(broker);
    let mut subscriptions = jobs::Subscriptions::new(&client).await.unwrap();
    subscriptions.config_mut().receive_job = Policy::new()
        .attempts(3)
        .backoff(Backoff::fixed(Duration::from_millis(1)))
        .dead_letter("service.jobs.dead");
    let (done_tx, mut done) = mpsc::unbounded_channel();
    let handler = Arc::new(Jobs(Default::default(), done_tx));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = {
        let handler = handler.clone();
        tokio::spawn(async move {
            subscriptions
                .serve(&*handler, async {
                    let _ = stopped.await;
                })
                .await
        })
    };
    for n in 0..10 {
        let kind = match n {
            0 | 5 => JobPayloadKind::Poison,
            3 => JobPayloadKind::Transient,
            _ => JobPayloadKind::Good,
        };
        client
            .send_job(&format!("k{n}"), &JobPayload { n, kind })
            .await
            .unwrap();
    }
    within("every job settled", async {
        for _ in 0..10 {
            done.recv().await.unwrap();
        }
    })
    .await;
    stop.send(()).unwrap();
    within("serve to stop", serving)
        .await
        .unwrap()
        .expect("serve stops because it was asked to");

    let snapshot = snapshot();
    let op = ("operation", "receiveJob");
    assert_eq!(value(&snapshot, "asyncapi_received_total", &[op]), 10.0);
    assert_eq!(
        value(
            &snapshot,
            "asyncapi_messages_total",
            &[op, ("outcome", "handled")]
        ),
        8.0
    );
    assert_eq!(
        value(
            &snapshot,
            "asyncapi_messages_total",
            &[op, ("outcome", "dead_lettered")]
        ),
        2.0
    );
    // Two retries of each poison job, one of the transient one.
    assert_eq!(value(&snapshot, "asyncapi_retries_total", &[op]), 5.0);
    assert_eq!(
        value(
            &snapshot,
            "asyncapi_handler_duration_seconds",
            &[op, ("outcome", "ok")]
        ),
        8.0
    );
    assert_eq!(
        value(
            &snapshot,
            "asyncapi_handler_duration_seconds",
            &[op, ("outcome", "error")]
        ),
        7.0
    );
    assert_eq!(value(&snapshot, "asyncapi_in_flight", &[op]), 0.0);
    // The two dead letters, published by the serving operation.
    assert_eq!(
        value(
            &snapshot,
            "asyncapi_published_total",
            &[op, ("outcome", "ok")]
        ),
        2.0
    );
}

/// A group that read 30 records of a topic and acknowledged the first 10: its lag on that
/// partition, from librdkafka's statistics, is 20 once the 10 are committed.
#[cfg(feature = "brokers")]
#[tokio::test]
async fn a_kafka_groups_lag_is_recorded() {
    use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
    use asyncapi_runtime::{Outgoing, Subscription, Transport};
    use futures::StreamExt;
    let _alone = ONE_AT_A_TIME.lock().await;
    snapshotter();
    let address = asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA");
    let kafka = Kafka::connect(
        KafkaConfig::new(address)
            .set("statistics.interval.ms", "500")
            .set("auto.commit.interval.ms", "200"),
    )
    .await
    .expect("connect to tansu");
    let topic = asyncapi_tests::unique("lag");
    let group = asyncapi_tests::unique("lagging");
    kafka
        .create_topic(&topic, 1)
        .await
        .expect("create the topic");
    let mut stream = kafka
        .subscribe(Subscription::new(topic.clone()).with_group(group.clone()))
        .await
        .expect("subscribe");
    for n in 0..30 {
        kafka
            .publish(Outgoing::new(topic.clone(), format!("{n}")))
            .await
            .expect("publish");
    }
    for n in 0..30 {
        let record = within("a record", stream.next()).await.unwrap().unwrap();
        if n < 10 {
            record
                .ack
                .expect("a group's record is acknowledged")
                .ack()
                .unwrap();
        }
    }
    let labels = [
        ("topic", topic.as_str()),
        ("partition", "0"),
        ("group", group.as_str()),
    ];
    asyncapi_tests::bounded(
        "the lag to be recorded as 20",
        Duration::from_secs(30),
        async {
            while value(&snapshot(), "asyncapi_consumer_lag", &labels) != 20.0 {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        },
    )
    .await;
    drop(stream);
    kafka.close().await.unwrap();
}
