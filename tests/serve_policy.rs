//! The spec's failure policy through the macro (`specs/serve-policy.yaml`): `x-retry` and
//! `x-dead-letter` are the generated `ServeConfig`'s defaults, and a config set in code wins over
//! them when serving (in-memory broker).

#![deny(warnings)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::serve::{Backoff, Policy, dead_letter};
use asyncapi_runtime::{
    Client, HandlerError, HandlerResult, Incoming, Outgoing, Received, Transport,
};
use asyncapi_tests::within;
use futures::{FutureExt, StreamExt};

mod app {
    asyncapi_runtime::asyncapi!("specs/serve-policy.yaml");
}

#[test]
fn the_spec_sets_the_default_config() {
    let config = app::ServeConfig::default();
    assert_eq!(
        config.handle_order,
        Policy::default()
            .attempts(2)
            .backoff(
                Backoff::exponential(Duration::from_millis(10), Duration::from_millis(50))
                    .multiplier(3.0)
                    .jitter(0.0)
            )
            .dead_letter("orders.dlq")
    );
    // An operation the extensions do not mention keeps the runtime's default.
    assert_eq!(config.handle_audit, Policy::default());
    assert_eq!(
        config.drain_timeout,
        asyncapi_runtime::serve::DEFAULT_DRAIN_TIMEOUT
    );
}

/// Fails every order, counting the attempts.
#[derive(Default)]
struct Failing {
    attempts: Arc<AtomicU32>,
}

impl app::Handler for Failing {
    async fn handle_order(&self, _: Received<app::OrdersParameters, String>) -> HandlerResult {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        Err(HandlerError::retry("the warehouse is down"))
    }

    async fn handle_audit(&self, _: Received<app::AuditParameters, String>) -> HandlerResult {
        Ok(())
    }
}

type Subscriptions = app::Subscriptions<MemoryBroker>;

/// Serves as `configure` sets up, publishes one order that always fails and returns the dead
/// letter that arrives at `expect_at`, the handler's attempts, and whether anything arrived at the
/// spec's dead-letter channel when `expect_at` is elsewhere.
async fn dead_letter_of(
    configure: impl FnOnce(Subscriptions) -> Subscriptions,
    expect_at: &str,
) -> (Incoming, u32, bool) {
    let broker = MemoryBroker::new();
    let mut spec_dlq = broker.subscribe_filter("orders.dlq");
    let mut expected = broker.subscribe_filter(expect_at);
    let client = Client::new(broker.clone());
    let subscriptions = configure(app::Subscriptions::new(&client).await.unwrap());
    let handler = Failing::default();
    let attempts = handler.attempts.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        subscriptions
            .serve(&handler, async {
                let _ = stopped.await;
            })
            .await
    });
    broker
        .publish(Outgoing::new("orders", &b"\"o-1\""[..]))
        .await
        .unwrap();
    let letter = within("the dead letter", expected.next())
        .await
        .expect("a dead letter")
        .unwrap();
    stop.send(()).unwrap();
    within("serve to stop", server)
        .await
        .unwrap()
        .expect("serve stops because it was asked to");
    let spec_dlq_got_one = expect_at != "orders.dlq" && spec_dlq.next().now_or_never().is_some();
    (letter, attempts.load(Ordering::SeqCst), spec_dlq_got_one)
}

#[tokio::test]
async fn the_spec_policy_retries_then_dead_letters_to_its_channel() {
    let (letter, attempts, _) = dead_letter_of(|s| s, "orders.dlq").await;
    assert_eq!(attempts, 2, "maxAttempts: 2");
    assert_eq!(&letter.payload[..], b"\"o-1\"");
    assert_eq!(letter.headers.get(dead_letter::ATTEMPTS), Some("2"));
    assert_eq!(
        letter.headers.get(dead_letter::OPERATION),
        Some("handleOrder")
    );
}

#[tokio::test]
async fn configuration_in_code_overrides_the_spec() {
    // A whole config: the spec's defaults with one operation's policy replaced.
    let config = app::ServeConfig {
        handle_order: Policy::default()
            .attempts(3)
            .backoff(Backoff::fixed(Duration::from_millis(1)))
            .dead_letter("orders.parked"),
        ..app::ServeConfig::default()
    };
    assert_eq!(config.handle_audit, Policy::default());
    let (letter, attempts, spec_dlq_got_one) =
        dead_letter_of(|s| s.with_config(config), "orders.parked").await;
    assert_eq!(attempts, 3, "the config's attempts, not the spec's 2");
    assert_eq!(letter.headers.get(dead_letter::ATTEMPTS), Some("3"));
    assert!(
        !spec_dlq_got_one,
        "nothing goes to the spec's dead-letter channel"
    );

    // One field of the spec's config, changed in place.
    let (letter, attempts, spec_dlq_got_one) = dead_letter_of(
        |mut s| {
            let policy = &mut s.config_mut().handle_order;
            *policy = policy.clone().attempts(1).dead_letter("orders.elsewhere");
            s
        },
        "orders.elsewhere",
    )
    .await;
    assert_eq!(attempts, 1);
    assert_eq!(letter.headers.get(dead_letter::ATTEMPTS), Some("1"));
    assert!(!spec_dlq_got_one);
}
