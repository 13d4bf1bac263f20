//! What serving records through the `metrics` facade matches what happened: a recorder installed
//! for this test binary alone (it is process-wide) sees ten jobs, two of them poison and one
//! transient, served over the in-memory broker.

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

#[tokio::test]
async fn serving_records_what_happened() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorder
        .install()
        .expect("the only recorder of this binary");

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

    let snapshot: Vec<_> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| (key, value))
        .collect();
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
