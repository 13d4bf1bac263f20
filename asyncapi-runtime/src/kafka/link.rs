//! What the producer, the consumers and `close` share about the connection: its health, the
//! closing flag, the live subscriptions.
//!
//! librdkafka has no "connected" state to read: it connects to brokers as it needs them and
//! reconnects by itself. The health is pieced together from what it does tell:
//!
//! - **down**: an "all brokers down" error (from the producer or any consumer) is
//!   `Reconnecting` at once;
//! - **suspect**: a broker's transport failure (a connection attempt refused, a connection
//!   dropped with requests in flight), or statistics (every [`STATISTICS_INTERVAL_MS`]) showing
//!   no broker connection up, make a probe ask the cluster for its metadata right away;
//!   `Reconnecting` if no broker answers within [`PROBE_TIMEOUT`] (a connection merely closed
//!   while idle is taken up again by the probe and stays `Connected`);
//! - **up**: a delivery report, a consumed record or a probe answered is `Connected`; while
//!   not connected the probe asks every [`PROBE_EVERY`];
//! - **failed**: a fatal error (the idempotent producer cannot go on) is `Failed` for good; an
//!   authentication error is `Failed` until a probe gets an answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use rdkafka::producer::Producer as _;
use tokio::sync::{Notify, watch};

use super::Inner;
use crate::{ConnectionState, Health, HealthReporter};

/// How often the producer's statistics are looked at for broker connections, in
/// milliseconds (librdkafka's `statistics.interval.ms`, which the configuration may override).
pub(super) const STATISTICS_INTERVAL_MS: &str = "1000";
/// How often a transport that is not connected asks the cluster for its metadata.
pub(super) const PROBE_EVERY: Duration = Duration::from_millis(500);
/// How long a probe waits for an answer.
pub(super) const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) struct Link {
    health: HealthReporter,
    /// Mirrors "the health is not `Connected`", so that the hot paths (every delivery, every
    /// record) look at an atomic rather than take the watch's lock.
    degraded: AtomicBool,
    /// A fatal error: nothing brings it back.
    fatal: AtomicBool,
    /// `close` was called: publishes and subscriptions are refused.
    closing: AtomicBool,
    /// `close` has flushed the producer: subscriptions commit and end.
    ending: AtomicBool,
    /// Subscriptions whose thread still runs.
    readers: watch::Sender<usize>,
    /// Wakes the probe (a suspicion to check, or closing).
    probe: Notify,
}

impl Link {
    pub(super) fn new() -> Arc<Link> {
        Arc::new(Link {
            health: Health::channel(ConnectionState::Connected).0,
            degraded: AtomicBool::new(false),
            fatal: AtomicBool::new(false),
            closing: AtomicBool::new(false),
            ending: AtomicBool::new(false),
            readers: watch::Sender::new(0),
            probe: Notify::new(),
        })
    }

    pub(super) fn health(&self) -> Health {
        self.health.health()
    }

    fn set(&self, state: ConnectionState) {
        if self.closing.load(Ordering::Acquire)
            || (self.fatal.load(Ordering::Acquire) && state != ConnectionState::Closed)
        {
            return;
        }
        self.degraded
            .store(state != ConnectionState::Connected, Ordering::Release);
        if self.health.set_unless_closed(state) {
            tracing::info!(state = %state, "kafka connection");
        }
    }

    /// Something went through: the cluster answers.
    pub(crate) fn up(&self) {
        if self.degraded.load(Ordering::Acquire) {
            self.set(ConnectionState::Connected);
        }
    }

    /// No broker is reachable.
    pub(crate) fn down(&self) {
        self.set(ConnectionState::Reconnecting);
        self.probe.notify_one();
    }

    /// Maybe no broker is reachable: the probe finds out.
    pub(crate) fn suspect(&self) {
        self.probe.notify_one();
    }

    /// Refused for who the client is.
    pub(crate) fn refused(&self) {
        self.set(ConnectionState::Failed);
        self.probe.notify_one();
    }

    /// librdkafka cannot go on.
    pub(crate) fn fatal(&self) {
        self.set(ConnectionState::Failed);
        self.fatal.store(true, Ordering::Release);
    }

    /// Reads what librdkafka tells a client's context: `true` when it was about the connection.
    pub(crate) fn on_error(&self, error: &rdkafka::error::KafkaError) {
        use rdkafka::error::RDKafkaErrorCode as Code;
        match error.rdkafka_error_code() {
            Some(Code::AllBrokersDown) => self.down(),
            Some(Code::BrokerTransportFailure | Code::Resolve) => self.suspect(),
            Some(Code::Authentication) => self.refused(),
            Some(Code::Fatal) => self.fatal(),
            _ => {}
        }
    }

    /// Reads librdkafka's statistics: whether any broker connection is up.
    pub(crate) fn on_statistics(&self, json: &[u8]) {
        #[derive(serde::Deserialize)]
        struct Statistics {
            brokers: std::collections::HashMap<String, Broker>,
        }
        #[derive(serde::Deserialize)]
        struct Broker {
            state: String,
            source: String,
        }
        let Ok(statistics) = serde_json::from_slice::<Statistics>(json) else {
            return;
        };
        let up = statistics
            .brokers
            .values()
            .any(|b| b.state == "UP" && matches!(b.source.as_str(), "configured" | "learned"));
        if !up {
            self.suspect();
        }
    }

    pub(super) fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    /// Tells the subscriptions to commit and end.
    pub(super) fn end_readers(&self) {
        self.ending.store(true, Ordering::Release);
    }

    /// Whether the subscriptions are to commit and end.
    pub(super) fn is_ending(&self) -> bool {
        self.ending.load(Ordering::Acquire)
    }

    /// Wakes the probe (which ends when the transport is gone or closing).
    pub(super) fn wake_probe(&self) {
        self.probe.notify_one();
    }

    /// Marks it closing; `false` if it was already.
    pub(super) fn start_closing(&self) -> bool {
        let first = !self.closing.swap(true, Ordering::AcqRel);
        self.probe.notify_one();
        first
    }

    pub(super) fn closed(&self) {
        self.degraded.store(true, Ordering::Release);
        self.health.set(ConnectionState::Closed);
    }

    /// Counts a subscription's thread while the guard lives.
    pub(super) fn reader(self: &Arc<Self>) -> ReaderGuard {
        self.readers.send_modify(|n| *n += 1);
        ReaderGuard(self.clone())
    }

    /// Waits until no subscription's thread runs.
    pub(super) async fn readers_done(&self) {
        let mut readers = self.readers.subscribe();
        let _ = readers.wait_for(|n| *n == 0).await;
    }
}

pub(super) struct ReaderGuard(Arc<Link>);

impl ReaderGuard {
    pub(super) fn link(&self) -> &Link {
        &self.0
    }
}

impl Drop for ReaderGuard {
    fn drop(&mut self) {
        self.0.readers.send_modify(|n| *n -= 1);
    }
}

/// The probe: a task that asks the cluster for its metadata when woken, and every
/// [`PROBE_EVERY`] while not connected; it ends with the transport (or when it closes).
pub(super) async fn probe(inner: Weak<Inner>, link: Arc<Link>) {
    loop {
        if link.degraded.load(Ordering::Acquire) {
            let _ = tokio::time::timeout(PROBE_EVERY, link.probe.notified()).await;
        } else {
            link.probe.notified().await;
        }
        if link.is_closing() || link.fatal.load(Ordering::Acquire) {
            return;
        }
        // The producer alone, so that the transport's last handle is never dropped here.
        let Some(producer) = inner.upgrade().map(|inner| inner.producer.clone()) else {
            return;
        };
        let answered = tokio::task::spawn_blocking(move || {
            producer
                .client()
                .fetch_metadata(None, PROBE_TIMEOUT)
                .is_ok()
        })
        .await
        .unwrap_or(false);
        if answered {
            link.up();
        } else if !link.degraded.load(Ordering::Acquire) {
            link.set(ConnectionState::Reconnecting);
        }
    }
}
