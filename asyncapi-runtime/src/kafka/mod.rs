//! The Kafka transport: librdkafka through `rdkafka` (feature `kafka`).
//!
//! ```no_run
//! # async fn run() -> Result<(), asyncapi_runtime::TransportError> {
//! use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
//! use asyncapi_runtime::{Outgoing, Subscription, Transport};
//!
//! let kafka = Kafka::connect(KafkaConfig::new("localhost:9092").client_id("lights")).await?;
//! // Topics are never created by reading or writing them.
//! kafka.create_topic("lights.measured", 3).await?;
//! let stream = kafka.subscribe(Subscription::new("lights.measured").with_group("dashboard")).await?;
//! let delivery = kafka.publish(Outgoing::new("lights.measured", "{}").with_key("lamp-1")).await?;
//! println!("written to partition {:?} at offset {:?}", delivery.partition, delivery.offset);
//! # drop(stream);
//! # Ok(())
//! # }
//! ```
//!
//! # Publishing
//!
//! One idempotent producer per [`Kafka`] value (clones share it) with `acks=all`: a publish
//! resolves with the record's partition and offset once every in-sync replica has it. The
//! message's key and headers become the record's; the partition is the message's when it names
//! one, else the key's hash (or any, without a key). Kafka has no field for the correlation id,
//! the reply address or the content type: they travel as the headers [`CORRELATION_ID_HEADER`],
//! [`REPLY_TO_HEADER`] and [`CONTENT_TYPE_HEADER`] and come back in those fields of
//! [`Incoming`](crate::Incoming), not among its headers. QoS and retain mean nothing to Kafka
//! (every record is kept in the log) and are ignored.
//!
//! `linger.ms` is 0, so a publish does not wait for company; records published while a request
//! is in flight are batched together anyway. `message.max.bytes` is 4 MiB; the broker has its own
//! limit. Any librdkafka property can be set with [`KafkaConfig::set`] and its variants.
//!
//! # Subscribing
//!
//! The subscriptions of a consumer group (the channel's `groupId` binding, else
//! [`KafkaConfig::group_id`]) made through one [`Kafka`] value and its clones share one consumer
//! (with the same client id): one member of the group on the broker, one reading thread,
//! subscribed to the union of their topics and patterns, handing each record to the
//! subscription whose topic (or pattern and template) it fits, through a bounded buffer per
//! subscription ([`KafkaConfig::buffer`]). Adding a subscription with a topic new to the group,
//! or dropping one, changes that union and makes the group rebalance; the consumer leaves the
//! group when its last subscription is dropped. When two subscriptions of the group fit a
//! record (the same topic twice), its partition picks one, so the group's partitions are
//! shared among them as among consumers. A subscription without a group has a consumer and a
//! thread of its own (each starts where it subscribed, a position per partition that one
//! shared consumer could not keep for several).
//!
//! When a subscription's buffer is full it stops taking records until the application reads
//! on. A consumer none of whose subscriptions has room stops taking records, and librdkafka
//! stops fetching once its own bounded queue is full; the partitions feeding a subscription are
//! paused only when records keep coming for it while it is full (others of its group have
//! room, or for a minute and more): a paused partition is fetched again on resume, which
//! tansu 0.6.0 gets wrong. A template without placeholders subscribes to that topic, which must
//! exist; one with placeholders subscribes to the topics matching
//! [`Subscription::kafka_pattern`](crate::Subscription::kafka_pattern) (new ones are found
//! within seconds) and keeps the records whose topic fits the template.
//!
//! - A subscription in a consumer group shares the topic's partitions with the group's other
//!   members and starts where the group left off ([`KafkaConfig::offset_reset`] when it has no
//!   committed offset). Its records carry an [`Ack`](crate::Ack): acknowledging a record stores
//!   its offset, which librdkafka commits in the background, when partitions are revoked and
//!   when the consumer closes. What is committed never passes a record handed out and not
//!   acknowledged, so a record whose handling did not finish is read again (at least once):
//!   after a rebalance, and after its subscription is dropped. Acknowledging a record of a
//!   partition the member has lost since does nothing: its new owner reads it again.
//! - A subscription without a group gets a group of its own: it reads every record produced
//!   after it started, acknowledges nothing and commits nothing.
//!
//! Consumer errors librdkafka recovers from by itself (a broker restarting, a topic just
//! created and not yet known everywhere) are logged, not put in the stream; a fatal one ends the
//! stream with it.
//!
//! `subscribe` resolves once the group has assigned the subscription its partitions (for a
//! shared consumer: an assignment made while its subscription included the topic) and the
//! position in each is fixed: a record published after it resolves is read. librdkafka reports
//! a position only once a record has been consumed, so the adapter resolves where a group
//! without committed offsets starts (the partition's end) itself, at assignment.

//!
//! # Topics
//!
//! Reading or writing a topic never creates it (`allow.auto.create.topics=false`): publishing to
//! a missing topic fails (after `topic.metadata.propagation.max.ms`, 5 s here), subscribing to
//! one fails at once. [`Kafka::create_topics`] creates the spec's topics (the generated
//! `topics::ALL`) with their binding's partitions (one when it gives none), replicas (the
//! broker's default when it gives none) and configuration.
//!
//! # Closing and health
//!
//! [`Kafka::close`] (the [`Transport::close`] of this transport) flushes the producer, then ends
//! every subscription: each commits what was acknowledged synchronously and leaves its group,
//! and `close` resolves once all have. [`Kafka::health`] pieces the connection's state together
//! from what librdkafka reports (it has no state to read): "all brokers down" at once, other
//! lost connections within about 3 s (statistics every second, a metadata request), back to
//! `Connected` on the next delivery, record or answered metadata request; see its
//! documentation for the limits.
//!
//! # Security
//!
//! [`KafkaConfig::from_server`] reads the server's protocol (`kafka-secure`: TLS) and security
//! schemes: `plain` and `userPassword` are SASL `PLAIN`, `scramSha256` / `scramSha512` SASL
//! SCRAM, `X509` a client certificate. The secrets come from the application
//! ([`KafkaConfig::sasl`], [`KafkaConfig::credentials`], [`KafkaConfig::credentials_from_env`]);
//! connecting to a server that requires a scheme nobody configured credentials for fails with
//! [`TransportError::Config`] naming it. TLS and SCRAM need librdkafka built with OpenSSL: the
//! feature `kafka-ssl` (the system's libssl, and `KafkaConfig::tls`). No `Debug` output shows a
//! password.

mod admin;
mod config;
mod consumer;
mod group;
mod headers;
mod link;
mod offsets;
mod producer;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{FutureProducer, Producer as _};

use crate::{Delivery, Outgoing, RawStream, Subscription, Transport, TransportError};

pub use crate::bindings::KafkaTopic;
#[cfg(feature = "kafka-ssl")]
pub use config::KafkaTls;
pub use config::{DEFAULT_BUFFER, DEFAULT_TIMEOUT, KafkaConfig, OffsetReset, SaslMechanism};
pub use headers::{CONTENT_TYPE_HEADER, CORRELATION_ID_HEADER, REPLY_TO_HEADER};

/// A connection to a Kafka cluster; the [`Transport`] generated clients use. Clones share the
/// producer (and the admin client), and a consumer per consumer group; a subscription without a
/// group has a consumer of its own.
#[derive(Clone)]
pub struct Kafka {
    inner: Arc<Inner>,
}

struct Inner {
    config: KafkaConfig,
    producer: FutureProducer<Context>,
    /// Health, closing, live subscriptions.
    link: Arc<link::Link>,
    /// Made on first use.
    admin: Mutex<Option<Arc<rdkafka::admin::AdminClient<Context>>>>,
    /// The consumers shared by the subscriptions of each consumer group.
    groups: Arc<group::Groups>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // The probe holds no handle: wake it so that it sees the transport gone and ends.
        self.link.wake_probe();
    }
}

impl std::fmt::Debug for Kafka {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kafka")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Kafka {
    /// Connects: creates the producer and waits for the cluster's metadata, failing when no
    /// broker answers within the configured timeout (or as soon as every broker refuses):
    /// [`TransportError::Config`] when a broker refused the SASL login (librdkafka's reason
    /// says why; the password is never part of it), [`TransportError::Backend`] when none
    /// could be reached, [`TransportError::Timeout`] when none answered.
    pub async fn connect(config: KafkaConfig) -> Result<Kafka, TransportError> {
        let link = link::Link::new();
        let (context, mut watch) = Context::watching(link.clone());
        let producer: FutureProducer<Context> = config
            .producer_config()?
            .create_with_context(context)
            .map_err(config_error)?;
        let timeout = config.timeout;
        let probe = producer.clone();
        let metadata = tokio::task::spawn_blocking(move || {
            probe
                .client()
                .fetch_metadata(None, timeout)
                .map(|metadata| metadata.brokers().len())
        });
        let servers = config.bootstrap_servers().to_owned();
        let brokers = tokio::select! {
            answer = metadata => answer.map_err(TransportError::backend)?.map_err(|e| match e {
                KafkaError::MetadataFetch(RDKafkaErrorCode::OperationTimedOut) => {
                    TransportError::Timeout(format!("no Kafka broker at {servers} answered within {timeout:?}"))
                }
                e => TransportError::backend(e),
            })?,
            Ok(()) = watch.down.changed() => {
                // A broker that drops a login it cannot serve (an unsupported mechanism) is
                // reported down before the authentication error: wait a moment for the latter.
                let _ = tokio::time::timeout(
                    Duration::from_millis(250),
                    watch.down.wait_for(|down| matches!(down, Some(Down::Refused(_)))),
                )
                .await;
                return Err(match watch.down.borrow().clone() {
                    // Who the client is: a configuration error, as with MQTT.
                    Some(Down::Refused(reason)) => TransportError::Config(format!(
                        "the Kafka brokers at {servers} refused the client's credentials: {reason}"
                    )),
                    Some(Down::Unreachable(reason)) => TransportError::Backend(
                        format!("cannot reach the Kafka brokers at {servers}: {reason}").into(),
                    ),
                    None => TransportError::Backend(
                        format!("cannot reach the Kafka brokers at {servers}").into(),
                    ),
                });
            }
        };
        tracing::debug!(servers = %config.bootstrap_servers(), brokers, "connected to kafka");
        lock(&watch.slot).take();
        let inner = Arc::new(Inner {
            config,
            producer,
            link: link.clone(),
            admin: Mutex::new(None),
            groups: Arc::default(),
        });
        tokio::spawn(link::probe(Arc::downgrade(&inner), link));
        Ok(Kafka { inner })
    }

    /// Closes gracefully ([`Transport::close`] calls this): refuses new publishes and
    /// subscriptions, then
    ///
    /// 1. flushes the producer: waits until every record published before has its delivery
    ///    report (at most the configured [`timeout`](KafkaConfig::timeout));
    /// 2. ends every subscription of this transport (and its clones): each consumer stops
    ///    taking records, commits what was acknowledged synchronously (the commit is tried
    ///    three times), and leaves its consumer group, so that the group's next member starts
    ///    right after the acknowledged records; this waits for all of them (at most the timeout
    ///    again). Records handed out and not acknowledged are read again by the group.
    ///
    /// The producer's records go out before the consumers commit: a service that publishes
    /// for what it consumed (a reply, an event) never commits a record whose output was lost.
    /// Afterwards [`health`](Kafka::health) is `Closed`. Fails with
    /// [`TransportError::Timeout`] naming what did not finish in time (the rest is done all
    /// the same). Closing again waits for the first close's subscriptions, then returns `Ok`.
    pub async fn close(&self) -> Result<(), TransportError> {
        let inner = &self.inner;
        let timeout = inner.config.timeout;
        if !inner.link.start_closing() {
            let _ = tokio::time::timeout(timeout, inner.link.readers_done()).await;
            return Ok(());
        }
        let producer = inner.producer.clone();
        let flushed = tokio::task::spawn_blocking(move || producer.flush(timeout))
            .await
            .map_err(TransportError::backend)
            .and_then(|flushed| flushed.map_err(TransportError::backend));
        // Only now: a record published for one consumed (a reply, an event) is out before the
        // consumed one is committed.
        inner.link.end_readers();
        let ended = tokio::time::timeout(timeout, inner.link.readers_done()).await;
        inner.link.closed();
        tracing::debug!(servers = %inner.config.bootstrap_servers(), "kafka transport closed");
        match (flushed, ended) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(error), _) => Err(TransportError::Timeout(format!(
                "the Kafka producer did not deliver every record within {timeout:?}: {error}"
            ))),
            (Ok(()), Err(_)) => Err(TransportError::Timeout(format!(
                "the Kafka subscriptions did not commit and leave their groups within {timeout:?}"
            ))),
        }
    }

    /// A watch on the connection to the cluster. librdkafka has no connection state to read
    /// (it connects to brokers as it needs them and reconnects by itself), so this is pieced
    /// together from what it reports:
    ///
    /// - `Reconnecting` at once when librdkafka reports every broker down (to the producer or
    ///   to any subscription); within about 3 s when no broker connection is up (librdkafka's
    ///   statistics, every second, or a broker's transport error start a metadata request of
    ///   up to 2 s) and no broker answers; a single broker of several going down, whose
    ///   partitions the cluster moves elsewhere, is not reported;
    /// - `Connected` again on the next delivery report or record, or when a metadata request
    ///   (one every 500 ms while not connected) is answered;
    /// - `Failed` on a fatal librdkafka error (for good) or a refused SASL login (until a
    ///   broker answers again);
    /// - `Closed` after [`Kafka::close`].
    pub fn health(&self) -> crate::Health {
        self.inner.link.health()
    }

    /// The configuration it was connected with.
    pub fn config(&self) -> &KafkaConfig {
        &self.inner.config
    }
}

impl Transport for Kafka {
    fn publish(
        &self,
        message: Outgoing,
    ) -> impl Future<Output = Result<Delivery, TransportError>> + Send {
        producer::publish(self.clone(), message)
    }

    fn subscribe(
        &self,
        subscription: Subscription,
    ) -> impl Future<Output = Result<RawStream, TransportError>> + Send {
        consumer::subscribe(self.clone(), subscription)
    }

    /// [`Kafka::close`].
    fn close(&self) -> impl Future<Output = Result<(), TransportError>> + Send {
        Kafka::close(self)
    }

    /// [`Kafka::health`].
    fn health(&self) -> crate::Health {
        Kafka::health(self)
    }
}

/// What every client reports through: librdkafka's log lines and errors become `tracing`
/// events (target `librdkafka`); while connecting, an "all brokers down" or an authentication
/// error is passed on.
pub(crate) struct Context {
    down: Arc<Mutex<Option<tokio::sync::watch::Sender<Option<Down>>>>>,
    /// The transport's health, for the producer's context (not the admin client's).
    link: Option<Arc<link::Link>>,
}

/// Why connecting gives up before its timeout, with librdkafka's reason.
#[derive(Clone)]
enum Down {
    /// No broker could be reached.
    Unreachable(String),
    /// A broker refused the SASL login (wrong password, unknown user, unsupported mechanism).
    Refused(String),
}

/// The connecting side of [`Context::watching`].
struct Watch {
    slot: Arc<Mutex<Option<tokio::sync::watch::Sender<Option<Down>>>>>,
    down: tokio::sync::watch::Receiver<Option<Down>>,
}

impl Context {
    pub(crate) fn new() -> Self {
        Context {
            down: Arc::default(),
            link: None,
        }
    }

    fn watching(link: Arc<link::Link>) -> (Self, Watch) {
        let (sender, down) = tokio::sync::watch::channel(None);
        let slot = Arc::new(Mutex::new(Some(sender)));
        let context = Context {
            down: slot.clone(),
            link: Some(link),
        };
        (context, Watch { slot, down })
    }
}

impl ClientContext for Context {
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        log(level, facility, message);
    }

    fn stats_raw(&self, statistics: &[u8]) {
        if let Some(link) = &self.link {
            link.on_statistics(statistics);
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if let Some(link) = &self.link {
            link.on_error(&error);
        }
        if let Some(sender) = lock(&self.down).as_ref() {
            match error.rdkafka_error_code() {
                Some(RDKafkaErrorCode::Authentication) => {
                    sender.send_replace(Some(Down::Refused(reason.to_owned())));
                }
                // The brokers are down because of the refusal: keep its reason.
                Some(RDKafkaErrorCode::AllBrokersDown | RDKafkaErrorCode::Resolve) => {
                    sender.send_if_modified(|down| {
                        if matches!(down, Some(Down::Refused(_))) {
                            return false;
                        }
                        *down = Some(Down::Unreachable(reason.to_owned()));
                        true
                    });
                }
                _ => {}
            }
        }
        tracing::warn!(target: "librdkafka", %error, reason, "kafka client error");
    }
}

fn log(level: RDKafkaLogLevel, facility: &str, message: &str) {
    match level {
        RDKafkaLogLevel::Emerg
        | RDKafkaLogLevel::Alert
        | RDKafkaLogLevel::Critical
        | RDKafkaLogLevel::Error => tracing::error!(target: "librdkafka", facility, message),
        RDKafkaLogLevel::Warning => tracing::warn!(target: "librdkafka", facility, message),
        RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
            tracing::info!(target: "librdkafka", facility, message)
        }
        RDKafkaLogLevel::Debug => tracing::debug!(target: "librdkafka", facility, message),
    }
}

/// A mutex nothing can leave half-updated: poisoning is moot.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A client that could not be made from its properties.
fn config_error(error: KafkaError) -> TransportError {
    match error {
        KafkaError::ClientConfig(_, message, key, value) => {
            let value = if config::is_secret(&key) {
                "<redacted>".to_owned()
            } else {
                value
            };
            TransportError::Config(format!(
                "librdkafka property `{key}` = {value:?}: {message}"
            ))
        }
        KafkaError::ClientCreation(message) => TransportError::Config(message),
        other => TransportError::backend(other),
    }
}
