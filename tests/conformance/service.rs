//! Serving in production, on every transport of the suite: failing handlers retried and
//! dead-lettered without stalling, shutdown that drains, concurrency that keeps per-key order,
//! panics isolated. Fixture: `specs/service.yaml`, one generated module per test (the macro's
//! `include`), so that each test's `Subscriptions` serves its own operations only.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asyncapi_runtime::serve::{Backoff, Disposition, Policy, ServeError, dead_letter};
use asyncapi_runtime::{
    Client, HandlerResult, QoS, ReceiveError, Received, Subscription, Transport,
};
use asyncapi_tests::reliability::Row;
use asyncapi_tests::{bounded, unique, within};
use futures::StreamExt;
use tokio::sync::{mpsc, oneshot};

use super::Harness;

/// Failing handlers: retries and dead letters.
pub mod jobs {
    asyncapi_runtime::asyncapi!("specs/service.yaml", include = "sendJob, receiveJob");
}

/// Shutdown in the middle of slow work.
pub mod slow {
    asyncapi_runtime::asyncapi!("specs/service.yaml", include = "sendSlow, receiveSlow");
}

/// Concurrency with per-key order.
pub mod keyed {
    asyncapi_runtime::asyncapi!("specs/service.yaml", include = "sendKeyed, receiveKeyed");
}

/// One operation whose handler panics, one whose handler does not.
pub mod panics {
    asyncapi_runtime::asyncapi!(
        "specs/service.yaml",
        include = "sendPanicky, receivePanicky, sendCalm, receiveCalm"
    );
}

/// The dead-letter channel of `jobs`.
const DEAD_JOBS: &str = "service.jobs.dead";

/// How long a test that moves thousands of messages may take.
const LONG: Duration = Duration::from_secs(120);

fn key(n: i64) -> String {
    format!("k{}", n % 7)
}

/// Serves `subscriptions` on a task until the returned sender is used; the task's result is
/// `serve`'s.
macro_rules! spawn_serve {
    ($subscriptions:expr, $handler:expr) => {{
        let (stop, stopped) = oneshot::channel::<()>();
        let subscriptions = $subscriptions;
        let handler = $handler;
        let task = tokio::spawn(async move {
            subscriptions
                .serve(&*handler, async {
                    let _ = stopped.await;
                })
                .await
        });
        (stop, task)
    }};
}

/// Asks a service started by `spawn_serve!` to stop and waits until `serve` has returned `Ok`.
async fn stop_serving(
    stop: oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<Result<(), ServeError>>,
) {
    stop.send(()).unwrap();
    within("serve to stop", serving)
        .await
        .unwrap()
        .expect("serve stops because it was asked to");
}

struct Jobs {
    attempts: Mutex<HashMap<i64, u32>>,
    handled: mpsc::UnboundedSender<i64>,
    failed: mpsc::UnboundedSender<ReceiveError>,
}

impl jobs::Handler for Jobs {
    async fn receive_job(
        &self,
        message: Received<jobs::JobsParameters, jobs::JobPayload, (), Option<String>>,
    ) -> HandlerResult {
        let n = message.payload.n;
        let attempt = {
            let mut attempts = self.attempts.lock().unwrap();
            let count = attempts.entry(n).or_default();
            *count += 1;
            *count
        };
        match message.payload.kind {
            jobs::JobPayloadKind::Poison => Err(format!("job {n} is poison").into()),
            jobs::JobPayloadKind::Transient if attempt <= 2 => {
                Err(format!("job {n} failed attempt {attempt}").into())
            }
            _ => {
                let _ = self.handled.send(n);
                Ok(())
            }
        }
    }

    async fn on_error(&self, error: ReceiveError) {
        let _ = self.failed.send(error);
    }
}

fn kind(n: i64) -> jobs::JobPayloadKind {
    match n % 20 {
        0 => jobs::JobPayloadKind::Poison,
        10 => jobs::JobPayloadKind::Transient,
        _ => jobs::JobPayloadKind::Good,
    }
}

/// 2,000 jobs, 5 % poison (the handler always fails) and 5 % transient (it fails twice, then
/// succeeds): every good and transient job is handled, each poison job lands in the dead-letter
/// channel with its original bytes, key and the failure headers after three attempts, nothing
/// stalls (on MQTT, unacknowledged messages would fill the broker's in-flight window), and on
/// Kafka the group's committed offsets reach the end of every partition.
pub async fn poison_messages_are_retried_then_dead_lettered<H: Harness>(harness: &H) {
    use jobs::{Publisher as _, Subscriptions};
    const TOTAL: i64 = 2_000;
    let session = unique("service-jobs");
    let transport = harness.connect_persistent(&session).await;
    harness.create_topics(&transport, jobs::topics::ALL).await;
    harness.prepare(&transport, &[DEAD_JOBS.to_owned()]).await;
    let client = Client::new(transport.clone());
    let mut dead = transport
        .subscribe(Subscription::new(DEAD_JOBS).with_qos(QoS::AtLeastOnce))
        .await
        .expect("subscribe to the dead letters");
    let mut subscriptions = Subscriptions::new(&client).await.unwrap();
    subscriptions.config_mut().receive_job = Policy::new()
        .attempts(3)
        .backoff(Backoff::fixed(Duration::from_millis(1)))
        .dead_letter(DEAD_JOBS);
    let (handled_tx, mut handled) = mpsc::unbounded_channel();
    let (failed_tx, mut failed) = mpsc::unbounded_channel();
    let handler = Arc::new(Jobs {
        attempts: Mutex::default(),
        handled: handled_tx,
        failed: failed_tx,
    });
    let (stop, serving) = spawn_serve!(subscriptions, handler.clone());
    let started = std::time::Instant::now();

    let mut sent = BTreeMap::new();
    let publishing = async {
        for n in 0..TOTAL {
            let payload = jobs::JobPayload { n, kind: kind(n) };
            sent.insert(n, serde_json::to_vec(&payload).unwrap());
            client.send_job(&key(n), &payload).await.unwrap();
        }
    };
    let expected_handled: BTreeSet<i64> = (0..TOTAL)
        .filter(|n| kind(*n) != jobs::JobPayloadKind::Poison)
        .collect();
    let poison: BTreeSet<i64> = (0..TOTAL).filter(|n| n % 20 == 0).collect();

    // Publishing and both readers at once: on MQTT they share one connection, and a
    // subscription nobody reads holds the connection back when its buffer is full.
    let mut got = BTreeSet::new();
    let mut letters = BTreeMap::new();
    let handling = bounded("every good and transient job handled", LONG, async {
        while got.len() < expected_handled.len() {
            got.insert(handled.recv().await.unwrap());
        }
    });
    let dead_lettering = bounded("every poison job dead-lettered", LONG, async {
        while letters.len() < poison.len() {
            let letter = dead.next().await.unwrap().expect("a dead letter");
            let n = serde_json::from_slice::<serde_json::Value>(&letter.payload).unwrap()["n"]
                .as_i64()
                .unwrap();
            if let Some(ack) = &letter.ack {
                ack.ack().unwrap();
            }
            letters.insert(n, letter);
        }
    });
    futures::join!(publishing, handling, dead_lettering);
    assert_eq!(got, expected_handled);
    assert_eq!(letters.keys().copied().collect::<BTreeSet<_>>(), poison);
    for (n, letter) in &letters {
        assert_eq!(
            letter.payload[..],
            sent[n][..],
            "the original bytes of job {n}"
        );
        let header = |name| letter.headers.get(name);
        assert_eq!(
            header(dead_letter::REASON),
            Some(format!("job {n} is poison").as_str())
        );
        assert_eq!(header(dead_letter::ATTEMPTS), Some("3"));
        assert_eq!(header(dead_letter::OPERATION), Some("receiveJob"));
        assert_eq!(header(dead_letter::ADDRESS), Some("service.jobs"));
        if H::NAME == "kafka" {
            assert_eq!(letter.key.as_deref(), Some(key(*n).as_bytes()));
            assert!(header(dead_letter::PARTITION).is_some());
            assert!(header(dead_letter::OFFSET).is_some());
        }
    }
    // Each transient job took three attempts, each poison job three, every other one.
    let attempts = handler.attempts.lock().unwrap().clone();
    for n in 0..TOTAL {
        let expected = if n % 10 == 0 { 3 } else { 1 };
        assert_eq!(attempts.get(&n), Some(&expected), "attempts of job {n}");
    }
    // `on_error` heard of each poison job once, with its bytes and where it went.
    let mut reported = BTreeSet::new();
    while let Ok(error) = failed.try_recv() {
        match error {
            ReceiveError::Handler {
                raw,
                attempts: 3,
                disposition: Disposition::DeadLettered { address },
                ..
            } if address == DEAD_JOBS => {
                let n = serde_json::from_slice::<serde_json::Value>(&raw).unwrap()["n"]
                    .as_i64()
                    .unwrap();
                assert!(reported.insert(n), "job {n} reported twice");
            }
            other => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(reported, poison);
    let settled_in = started.elapsed();

    stop_serving(stop, serving).await;
    harness
        .committed_to_the_end(&transport, "service.jobs", "service-jobs")
        .await;
    Row {
        case: "poison messages: 2,000 jobs, 5% always failing, 5% failing twice; serve with 3 \
               attempts, then a dead-letter channel"
            .into(),
        transport: H::NAME.into(),
        tried: (poison.len() * 2) as u64,
        sent: TOTAL as u64,
        delivered: (got.len() + letters.len()) as u64,
        duplicated: 0,
        rejected: 0,
        lost: TOTAL as u64 - (got.len() + letters.len()) as u64,
        notes: format!(
            "{} handled ({} after two failures), {} dead-lettered with their bytes, key and \
             failure headers; stalled 0; all settled in {:.1} s{}",
            got.len(),
            poison.len(),
            letters.len(),
            settled_in.as_secs_f64(),
            if H::NAME == "kafka" {
                "; the group's committed offsets reached the end of every partition"
            } else if H::NAME == "mqtt" {
                "; QoS 1, persistent session"
            } else {
                ""
            }
        ),
        test: format!(
            "conformance_{}::poison_messages_are_retried_then_dead_lettered",
            H::NAME
        ),
    }
    .report();
    end(harness, client, transport, &session).await;
}

/// Ends a test's connection and its session.
async fn end<H: Harness>(
    harness: &H,
    client: Client<H::Transport>,
    transport: H::Transport,
    session: &str,
) {
    drop(client);
    harness.disconnect(transport).await;
    harness.forget_session(session).await;
}

/// Slow work: records which jobs started and which finished.
#[derive(Default)]
struct Slow {
    started: Mutex<Vec<i64>>,
    finished: Mutex<Vec<i64>>,
    delay: Duration,
}

impl slow::Handler for Slow {
    async fn receive_slow(
        &self,
        message: Received<slow::SlowParameters, slow::JobPayload, (), Option<String>>,
    ) -> HandlerResult {
        let n = message.payload.n;
        self.started.lock().unwrap().push(n);
        tokio::time::sleep(self.delay).await;
        self.finished.lock().unwrap().push(n);
        Ok(())
    }
}

/// Shutdown is asked for in the middle of a flood of slow jobs, four at a time: every handler
/// that started finishes and `serve` returns `Ok`. On a transport that keeps what was not
/// acknowledged (MQTT with a persistent session, Kafka with a consumer group), a second
/// service gets every job the first did not finish, and none that it did.
pub async fn shutdown_drains_handlers_that_started<H: Harness>(harness: &H) {
    use slow::{Publisher as _, Subscriptions};
    const TOTAL: i64 = 40;
    let session = unique("service-slow");
    let transport = harness.connect_persistent(&session).await;
    harness.create_topics(&transport, slow::topics::ALL).await;
    let client = Client::new(transport.clone());
    let mut subscriptions = Subscriptions::new(&client).await.unwrap();
    subscriptions.config_mut().receive_slow = Policy::new().concurrency(4);
    subscriptions.config_mut().drain_timeout = Duration::from_secs(10);
    let first = Arc::new(Slow {
        delay: Duration::from_millis(300),
        ..Slow::default()
    });
    for n in 0..TOTAL {
        let payload = slow::JobPayload {
            n,
            kind: slow::JobPayloadKind::Good,
        };
        client.send_slow(&key(n), &payload).await.unwrap();
    }
    let (stop, serving) = spawn_serve!(subscriptions, first.clone());
    within("a few slow jobs to start", async {
        while first.started.lock().unwrap().len() < 2 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    stop.send(()).unwrap();
    within("serve to drain and stop", serving)
        .await
        .unwrap()
        .expect("serve stops because it was asked to");
    let mut started = first.started.lock().unwrap().clone();
    let mut finished = first.finished.lock().unwrap().clone();
    started.sort();
    finished.sort();
    assert_eq!(started, finished, "every handler that started finished");
    assert!(
        (finished.len() as i64) < TOTAL,
        "shutdown came after every job was done"
    );
    let row = |delivered: usize, duplicated: usize, notes: String| Row {
        case: "shutdown mid-flood: 40 slow jobs (300 ms), 4 at a time, drained; then a second \
               service with the same session or group"
            .into(),
        transport: H::NAME.into(),
        tried: 1,
        sent: TOTAL as u64,
        delivered: delivered as u64,
        duplicated: duplicated as u64,
        rejected: 0,
        lost: TOTAL as u64 - delivered as u64,
        notes,
        test: format!(
            "conformance_{}::shutdown_drains_handlers_that_started",
            H::NAME
        ),
    };
    if !H::REDELIVERS {
        // The in-memory broker keeps nothing for a next service: only the drain is shown.
        return end(harness, client, transport, &session).await;
    }
    // The first service is gone; a second one with the same session (group) gets the rest.
    drop(client);
    harness.disconnect(transport).await;
    let transport = harness.connect_persistent(&session).await;
    let client = Client::new(transport.clone());
    let subscriptions = Subscriptions::new(&client).await.unwrap();
    let second = Arc::new(Slow::default());
    let (stop, serving) = spawn_serve!(subscriptions, second.clone());
    let done: BTreeSet<i64> = finished.iter().copied().collect();
    let rest: BTreeSet<i64> = (0..TOTAL).filter(|n| !done.contains(n)).collect();
    bounded(
        "the second service to get what the first left",
        LONG,
        async {
            loop {
                let seen: BTreeSet<i64> = second.finished.lock().unwrap().iter().copied().collect();
                if rest.is_subset(&seen) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        },
    )
    .await;
    // Give a redelivery of something acknowledged time to show up, then look.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let again: Vec<i64> = second
        .finished
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|n| done.contains(n))
        .collect();
    assert!(again.is_empty(), "acknowledged jobs came again: {again:?}");
    let second_seen: BTreeSet<i64> = second.finished.lock().unwrap().iter().copied().collect();
    row(
        done.union(&second_seen).count(),
        0,
        format!(
            "{} started and all finished before serve returned; the second service got the {} \
             others, none of the finished ones",
            finished.len(),
            rest.len()
        ),
    )
    .report();
    stop_serving(stop, serving).await;
    end(harness, client, transport, &session).await;
}

/// Keyed work: records the order each key's jobs were handled in.
#[derive(Default)]
struct Keyed {
    order: Mutex<BTreeMap<String, Vec<i64>>>,
    in_flight: std::sync::atomic::AtomicUsize,
    most_in_flight: std::sync::atomic::AtomicUsize,
}

impl keyed::Handler for Keyed {
    async fn receive_keyed(
        &self,
        message: Received<keyed::KeyedParameters, keyed::JobPayload, (), Option<String>>,
    ) -> HandlerResult {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.in_flight.fetch_add(1, SeqCst) + 1;
        self.most_in_flight.fetch_max(now, SeqCst);
        // Handlers take different times, so that a later job of another key can finish first.
        let n = message.payload.n;
        tokio::time::sleep(Duration::from_millis((n % 5) as u64)).await;
        let key = message.key.clone().unwrap_or_default();
        self.order.lock().unwrap().entry(key).or_default().push(n);
        self.in_flight.fetch_sub(1, SeqCst);
        Ok(())
    }
}

/// Eight jobs at a time over ten keys: each key's jobs are handled in the order they were sent.
pub async fn concurrent_handlers_keep_per_key_order<H: Harness>(harness: &H) {
    use keyed::{Publisher as _, Subscriptions};
    const TOTAL: i64 = 500;
    let session = unique("service-keyed");
    let transport = harness.connect_persistent(&session).await;
    harness.create_topics(&transport, keyed::topics::ALL).await;
    let client = Client::new(transport.clone());
    let mut subscriptions = Subscriptions::new(&client).await.unwrap();
    subscriptions.config_mut().receive_keyed = Policy::new().concurrency(8);
    let handler = Arc::new(Keyed::default());
    let (stop, serving) = spawn_serve!(subscriptions, handler.clone());
    let key_of = |n: i64| format!("key-{}", n % 10);
    for n in 0..TOTAL {
        let payload = keyed::JobPayload {
            n,
            kind: keyed::JobPayloadKind::Good,
        };
        client.send_keyed(&key_of(n), &payload).await.unwrap();
    }
    bounded("every keyed job handled", LONG, async {
        loop {
            let count: usize = handler.order.lock().unwrap().values().map(Vec::len).sum();
            if count >= TOTAL as usize {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    stop_serving(stop, serving).await;
    let order = handler.order.lock().unwrap().clone();
    if H::NAME == "mqtt" {
        // MQTT carries no key: the ordering key is the topic, one here, so one at a time.
        assert!(order.values().all(|v| !v.is_empty()) || order.contains_key(""));
    } else {
        assert_eq!(order.len(), 10);
    }
    for (key, seen) in &order {
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, &sorted, "the jobs of {key:?} out of order");
    }
    let most = handler
        .most_in_flight
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(most <= 8, "{most} handlers at once, over the limit of 8");
    if H::NAME == "memory" {
        // Ten keys, eight lanes: more than one at a time.
        assert!(most > 1, "never more than one handler at a time");
    }
    end(harness, client, transport, &session).await;
}

/// One handler panics on every tenth job, another never does.
struct Panicky {
    panicky: Mutex<Vec<i64>>,
    calm: Mutex<Vec<i64>>,
    failed: mpsc::UnboundedSender<ReceiveError>,
}

impl panics::Handler for Panicky {
    async fn receive_panicky(
        &self,
        message: Received<panics::PanickyParameters, panics::JobPayload, (), Option<String>>,
    ) -> HandlerResult {
        let n = message.payload.n;
        if n % 10 == 0 {
            panic!("job {n} is cursed");
        }
        self.panicky.lock().unwrap().push(n);
        Ok(())
    }

    async fn receive_calm(
        &self,
        message: Received<panics::CalmParameters, panics::JobPayload, (), Option<String>>,
    ) -> HandlerResult {
        self.calm.lock().unwrap().push(message.payload.n);
        Ok(())
    }

    async fn on_error(&self, error: ReceiveError) {
        let _ = self.failed.send(error);
    }
}

/// A handler that panics on every tenth message: the other operation handles all of its
/// messages, the panicking operation all its others, and each panicking message goes through
/// the policy (two attempts, then dropped without a dead-letter destination) and reaches
/// `on_error` with the panic's message.
pub async fn a_panicking_handler_fails_only_its_message<H: Harness>(harness: &H) {
    use panics::{Publisher as _, Subscriptions};
    const TOTAL: i64 = 100;
    let session = unique("service-panics");
    let transport = harness.connect_persistent(&session).await;
    harness
        .prepare(
            &transport,
            &["service.panicky".to_owned(), "service.calm".to_owned()],
        )
        .await;
    let client = Client::new(transport.clone());
    let mut subscriptions = Subscriptions::new(&client).await.unwrap();
    subscriptions.config_mut().receive_panicky = Policy::new()
        .attempts(2)
        .backoff(Backoff::fixed(Duration::from_millis(1)));
    let (failed_tx, mut failed) = mpsc::unbounded_channel();
    let handler = Arc::new(Panicky {
        panicky: Mutex::default(),
        calm: Mutex::default(),
        failed: failed_tx,
    });
    let (stop, serving) = spawn_serve!(subscriptions, handler.clone());
    for n in 0..TOTAL {
        let payload = panics::JobPayload {
            n,
            kind: panics::JobPayloadKind::Good,
        };
        client.send_panicky(&key(n), &payload).await.unwrap();
        client.send_calm(&key(n), &payload).await.unwrap();
    }
    let mut cursed = BTreeSet::new();
    bounded("every panic reported", LONG, async {
        while cursed.len() < 10 {
            match failed.recv().await.unwrap() {
                ReceiveError::Handler {
                    attempts: 2,
                    disposition: Disposition::Dropped,
                    source,
                    raw,
                    ..
                } => {
                    let n = serde_json::from_slice::<serde_json::Value>(&raw).unwrap()["n"]
                        .as_i64()
                        .unwrap();
                    assert_eq!(
                        source.to_string(),
                        format!("the handler panicked: job {n} is cursed")
                    );
                    cursed.insert(n);
                }
                other => panic!("unexpected error: {other}"),
            }
        }
    })
    .await;
    assert_eq!(cursed, (0..TOTAL).filter(|n| n % 10 == 0).collect());
    within("every other job handled", async {
        while handler.panicky.lock().unwrap().len() < 90 || handler.calm.lock().unwrap().len() < 100
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    let (panicky, calm) = (
        handler.panicky.lock().unwrap().len(),
        handler.calm.lock().unwrap().len(),
    );
    Row {
        case: "a handler panics on every 10th message; another operation beside it".into(),
        transport: H::NAME.into(),
        tried: cursed.len() as u64 * 2,
        sent: 2 * TOTAL as u64,
        delivered: (panicky + calm + cursed.len()) as u64,
        duplicated: 0,
        rejected: 0,
        lost: 2 * TOTAL as u64 - (panicky + calm + cursed.len()) as u64,
        notes: format!(
            "the other operation handled {calm} of {TOTAL}; the panicking one {panicky} others, \
             its {} panicking messages each tried twice and reported to on_error with the panic \
             message (no dead-letter destination: dropped)",
            cursed.len()
        ),
        test: format!(
            "conformance_{}::a_panicking_handler_fails_only_its_message",
            H::NAME
        ),
    }
    .report();
    stop_serving(stop, serving).await;
    end(harness, client, transport, &session).await;
}

/// `serve` says why it stopped: when the transport closes under it, every subscription ends and
/// `serve` returns `ServeError::Ended` naming an operation, not `Ok`.
pub async fn serve_returns_an_error_when_the_transport_closes<H: Harness>(harness: &H) {
    use panics::Subscriptions;
    let transport = harness.connect().await;
    harness
        .prepare(
            &transport,
            &["service.panicky".to_owned(), "service.calm".to_owned()],
        )
        .await;
    let client = Client::new(transport.clone());
    let subscriptions = Subscriptions::new(&client).await.unwrap();
    let (failed, _) = mpsc::unbounded_channel();
    let handler = Arc::new(Panicky {
        panicky: Mutex::default(),
        calm: Mutex::default(),
        failed,
    });
    let (_stop, serving) = spawn_serve!(subscriptions, handler);
    client.close().await.expect("close the transport");
    match within("serve to stop on its own", serving).await.unwrap() {
        Err(ServeError::Ended { operation, .. }) => {
            assert!(
                ["receivePanicky", "receiveCalm"].contains(&operation),
                "{operation}"
            )
        }
        other => panic!("expected the subscriptions to end, got {other:?}"),
    }
}
