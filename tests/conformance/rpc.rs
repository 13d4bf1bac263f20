//! Request/reply on every transport of the suite: replies on a fixed reply channel and in the
//! requester's own inbox, a thousand requests in flight on one client, timeouts, late and
//! duplicate replies, a responder restarted mid-run. Fixture: `specs/rpc.yaml`; the
//! application asks, its mirror answers.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use asyncapi_runtime::serve::Reply;
use asyncapi_runtime::{
    Client, Error, HandlerResult, Outgoing, QoS, Received, Subscription, Transport,
};
use asyncapi_tests::{bounded, unique, within};
use futures::StreamExt;
use tokio::sync::oneshot;

use super::Harness;

/// The requester.
pub mod asker {
    asyncapi_runtime::asyncapi!("specs/rpc.yaml");
}

/// The responder.
pub mod responder {
    asyncapi_runtime::asyncapi!("specs/rpc.yaml", role = "mirror");
}

/// How long a request waits for its reply where one is sure to come.
const PATIENT: Duration = Duration::from_secs(20);

/// The tests of this module take turns: they share the spec's channels, and a responder of one
/// would answer the questions of another.
static TURNS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits (at most [`PATIENT`]) until `done` says so.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    bounded(what, PATIENT, async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

/// What the responder's answer to `n` is.
type Answer = Reply<responder::AnswerPayload, responder::AnswerHeaders, String>;

fn answer(n: i64, region: &str) -> Answer {
    Reply {
        payload: responder::AnswerPayload { n, doubled: 2 * n },
        headers: responder::AnswerHeaders {
            correlation_id: None,
            region: region.to_owned(),
        },
        key: format!("k{n}"),
    }
}

/// Answers every question with its double, after the delay the question asks for.
struct Doubler {
    region: &'static str,
    answered: AtomicUsize,
}

impl Doubler {
    fn new(region: &'static str) -> Arc<Self> {
        Arc::new(Doubler {
            region,
            answered: AtomicUsize::new(0),
        })
    }
}

impl responder::Handler for Doubler {
    async fn ask(
        &self,
        message: Received<
            responder::QuestionsParameters,
            responder::QuestionPayload,
            responder::QuestionHeaders,
        >,
    ) -> HandlerResult<Answer> {
        if let Some(ms) = message.payload.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms as u64)).await;
        }
        self.answered.fetch_add(1, Ordering::Relaxed);
        Ok(answer(message.payload.n, self.region))
    }

    async fn ask_anywhere(
        &self,
        message: Received<
            responder::InquiriesParameters,
            responder::InquiryPayload,
            responder::InquiryHeaders,
        >,
    ) -> HandlerResult<Answer> {
        self.answered.fetch_add(1, Ordering::Relaxed);
        Ok(answer(message.payload.n, self.region))
    }
}

/// A responder serving on its own connection until stopped.
struct Responder {
    stop: oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<Result<(), asyncapi_runtime::serve::ServeError>>,
}

impl Responder {
    /// Starts serving on a new connection to the broker `beside` is connected to.
    async fn start<H: Harness>(
        harness: &H,
        beside: &Client<H::Transport>,
        handler: Arc<Doubler>,
    ) -> Self {
        let transport = harness.connect_beside(beside.transport()).await;
        harness
            .create_topics(&transport, responder::topics::ALL)
            .await;
        let client = Client::new(transport);
        let mut subscriptions = responder::Subscriptions::new(&client).await.unwrap();
        subscriptions.config_mut().ask.concurrency = std::num::NonZeroUsize::new(64).unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = tokio::spawn(async move {
            subscriptions
                .serve(&*handler, async {
                    let _ = stopped.await;
                })
                .await
        });
        Responder { stop, serving }
    }

    async fn stop(self) {
        self.stop.send(()).unwrap();
        within("the responder to stop", self.serving)
            .await
            .unwrap()
            .expect("serve stops because it was asked to");
    }
}

/// A requester: a client with its own inbox, made usable on the transport.
async fn requester<H: Harness>(harness: &H) -> Client<H::Transport> {
    let transport = harness.connect().await;
    harness.create_topics(&transport, asker::topics::ALL).await;
    let inbox = unique("rpc-inbox");
    harness
        .prepare(&transport, std::slice::from_ref(&inbox))
        .await;
    Client::new(transport).with_reply_inbox(inbox)
}

fn question(n: i64) -> asker::QuestionPayload {
    asker::QuestionPayload { n, delay_ms: None }
}

fn no_headers() -> asker::QuestionHeaders {
    asker::QuestionHeaders {
        correlation_id: None,
    }
}

/// A request on the fixed reply channel gets its answer with the headers, key and correlation
/// id the reply message declares; a request naming its reply address gets its answer in the
/// requester's inbox.
pub async fn requests_get_replies_on_fixed_and_dynamic_addresses<H: Harness>(harness: &H) {
    use asker::Publisher as _;
    let _turn = TURNS.lock().await;
    let handler = Doubler::new("eu-1");
    let client = requester(harness).await;
    let responder = Responder::start(harness, &client, handler.clone()).await;

    let reply = client
        .ask(&no_headers(), &question(21))
        .timeout(PATIENT)
        .await
        .unwrap();
    assert_eq!(reply.address, "rpc.answers");
    assert_eq!((reply.payload.n, reply.payload.doubled), (21, 42));
    assert_eq!(reply.headers.region, "eu-1");
    let id = reply.correlation_id.clone().expect("a correlation id");
    assert_eq!(reply.raw_headers.get("correlationId"), Some(id.as_str()));
    if H::NAME == "kafka" {
        assert_eq!(reply.key.as_deref(), Some("k21"));
    }

    let reply = client
        .ask_anywhere(
            &asker::InquiryHeaders {
                correlation_id: None,
                reply_to: None,
            },
            &asker::InquiryPayload { n: 5 },
        )
        .timeout(PATIENT)
        .await
        .unwrap();
    assert_eq!(reply.address, client.reply_inbox());
    assert_eq!((reply.payload.n, reply.payload.doubled), (5, 10));
    assert_eq!(reply.headers.region, "eu-1");
    assert_eq!(client.reply_stats().routed, 2);
    responder.stop().await;
}

/// A thousand requests in flight at once on one client (two inboxes, not a thousand
/// subscriptions), each answered with its own answer.
pub async fn a_thousand_concurrent_requests_on_one_client_each_get_their_answer<H: Harness>(
    harness: &H,
) {
    use asker::Publisher as _;
    let _turn = TURNS.lock().await;
    const TOTAL: i64 = 1_000;
    let handler = Doubler::new("eu-1");
    let client = requester(harness).await;
    let responder = Responder::start(harness, &client, handler.clone()).await;
    let client = &client;
    let started = std::time::Instant::now();
    let answers = bounded(
        "a thousand answers",
        Duration::from_secs(120),
        futures::stream::iter(0..TOTAL)
            .map(|n| async move {
                let reply = if n % 2 == 0 {
                    client
                        .ask(&no_headers(), &question(n))
                        .timeout(PATIENT * 5)
                        .await
                } else {
                    client
                        .ask_anywhere(
                            &asker::InquiryHeaders {
                                correlation_id: None,
                                reply_to: None,
                            },
                            &asker::InquiryPayload { n },
                        )
                        .timeout(PATIENT * 5)
                        .await
                };
                let reply = reply.unwrap_or_else(|e| panic!("request {n}: {e}"));
                (n, reply.payload.n, reply.payload.doubled)
            })
            .buffer_unordered(TOTAL as usize)
            .collect::<Vec<_>>(),
    )
    .await;
    eprintln!("{TOTAL} requests answered in {:?}", started.elapsed());
    assert_eq!(answers.len(), TOTAL as usize);
    for (n, answered, doubled) in answers {
        assert_eq!(
            (answered, doubled),
            (n, 2 * n),
            "request {n} got another's answer"
        );
    }
    // Answers to questions of earlier tests that a responder took up late may come too
    // (dropped); every one of these was routed.
    assert_eq!(client.reply_stats().routed, TOTAL as u64);
    responder.stop().await;
}

/// Nobody answers: the request times out. An answer that comes after its request gave up is
/// dropped and counted, and so is the second of two answers to one request (the first wins).
/// The requests name the requester's own inbox, so that every answer counted is to them.
pub async fn timeouts_late_and_duplicate_replies<H: Harness>(harness: &H) {
    use asker::Publisher as _;
    let _turn = TURNS.lock().await;
    let client = requester(harness).await;
    let inquire = |n: i64, timeout: Duration| {
        client
            .ask_anywhere(
                &asker::InquiryHeaders {
                    correlation_id: None,
                    reply_to: None,
                },
                &asker::InquiryPayload { n },
            )
            .timeout(timeout)
    };

    // No responder at all.
    let error = inquire(1, Duration::from_millis(300)).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                operation: "askAnywhere",
                ..
            }
        ),
        "{error}"
    );

    // A responder written by hand on the raw transport: answers each inquiry twice, where its
    // `replyTo` header says, inquiry 3 after 1.5 s.
    let transport = harness.connect_beside(client.transport()).await;
    harness
        .create_topics(&transport, responder::topics::ALL)
        .await;
    harness
        .before_reading_from_now(&transport, "rpc.inquiries")
        .await;
    let mut inquiries = transport
        .subscribe(Subscription::new("rpc.inquiries").with_qos(QoS::AtLeastOnce))
        .await
        .unwrap();
    let answering = tokio::spawn({
        let transport = transport.clone();
        async move {
            while let Some(Ok(inquiry)) = inquiries.next().await {
                if let Some(ack) = &inquiry.ack {
                    ack.ack().unwrap();
                }
                let (Some(id), Some(reply_to)) = (
                    inquiry.headers.get("correlationId").map(str::to_owned),
                    inquiry.headers.get("replyTo").map(str::to_owned),
                ) else {
                    continue;
                };
                let asked: serde_json::Value = serde_json::from_slice(&inquiry.payload).unwrap();
                let n = asked["n"].as_i64().unwrap();
                if n == 3 {
                    tokio::time::sleep(Duration::from_millis(1_500)).await;
                }
                for _ in 0..2 {
                    let answer = serde_json::json!({"n": n, "doubled": 2 * n});
                    let mut reply =
                        Outgoing::new(reply_to.clone(), serde_json::to_vec(&answer).unwrap())
                            .with_qos(QoS::AtLeastOnce);
                    reply.headers.insert("region", "by-hand");
                    reply.headers.insert("correlationId", id.clone());
                    transport.publish(reply).await.unwrap();
                }
            }
        }
    });

    // Answered in time: the first answer wins, the second is dropped.
    let reply = inquire(2, PATIENT).await.unwrap();
    assert_eq!(reply.payload.doubled, 4);
    assert_eq!(reply.headers.region, "by-hand");
    assert_eq!(client.reply_stats().routed, 1);
    eventually("the duplicate answer to be dropped", || {
        client.reply_stats().dropped >= 1
    })
    .await;

    // Answered late: the request times out, its two answers are dropped when they come.
    let error = inquire(3, Duration::from_millis(300)).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error}");
    eventually("both late answers to be dropped", || {
        client.reply_stats().dropped >= 3
    })
    .await;
    let stats = client.reply_stats();
    assert_eq!((stats.routed, stats.dropped), (1, 3));
    answering.abort();
}

/// Requests keep going while the responder is stopped and a new one started: each request is
/// answered (one that timed out while no responder was there is asked again), and every
/// answer is its own.
pub async fn a_responder_restarted_mid_run_answers_every_request<H: Harness>(harness: &H) {
    use asker::Publisher as _;
    let _turn = TURNS.lock().await;
    const TOTAL: i64 = 200;
    let first = Doubler::new("first");
    let client = requester(harness).await;
    let mut responder = Some(Responder::start(harness, &client, first.clone()).await);
    let mut answered = BTreeSet::new();
    let mut timeouts = 0;
    let second = Doubler::new("second");
    for n in 0..TOTAL {
        if n == TOTAL / 2 {
            responder.take().unwrap().stop().await;
            responder = Some(Responder::start(harness, &client, second.clone()).await);
        }
        loop {
            match client
                .ask(&no_headers(), &question(n))
                .timeout(Duration::from_secs(2))
                .await
            {
                Ok(reply) => {
                    assert_eq!((reply.payload.n, reply.payload.doubled), (n, 2 * n));
                    answered.insert(n);
                    break;
                }
                Err(Error::Timeout { .. }) => timeouts += 1,
                Err(other) => panic!("request {n}: {other}"),
            }
            assert!(
                timeouts < 20,
                "{timeouts} timeouts: the responder does not come back"
            );
        }
    }
    assert_eq!(answered.len(), TOTAL as usize);
    assert!(first.answered.load(Ordering::Relaxed) >= (TOTAL / 2) as usize);
    assert!(second.answered.load(Ordering::Relaxed) >= (TOTAL / 2) as usize);
    responder.take().unwrap().stop().await;
}
