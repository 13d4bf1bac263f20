//! The transport contract: what every broker adapter (memory, MQTT, Kafka) provides:
//! publishing, subscribing, a graceful [`Transport::close`] and a [`Health`] watch on the
//! connection.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use futures::Stream;

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::{Headers, TransportError};

/// MQTT-style delivery guarantee; transports without the notion map it onto their own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QoS {
    /// At most once (0).
    #[default]
    AtMostOnce,
    /// At least once (1).
    AtLeastOnce,
    /// Exactly once (2).
    ExactlyOnce,
}

impl QoS {
    /// The QoS of an MQTT binding's numeric `qos` (anything above 2 is treated as 2).
    pub const fn from_level(level: u8) -> QoS {
        match level {
            0 => QoS::AtMostOnce,
            1 => QoS::AtLeastOnce,
            _ => QoS::ExactlyOnce,
        }
    }
}

/// A message on its way out.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Outgoing {
    /// The concrete address (topic).
    pub address: String,
    /// Encoded payload.
    pub payload: Bytes,
    /// Content type of the payload.
    pub content_type: Option<&'static str>,
    /// Delivery guarantee.
    pub qos: QoS,
    /// Whether the broker should retain the message (MQTT).
    pub retain: bool,
    /// Headers (MQTT 5 user properties, Kafka headers).
    pub headers: Headers,
    /// The message key (Kafka).
    pub key: Option<Bytes>,
    /// The correlation id (MQTT 5 correlation data; other transports carry it as they can).
    pub correlation_id: Option<String>,
    /// Where a reply should go (MQTT 5 response topic).
    pub reply_to: Option<String>,
    /// The partition to write to (Kafka); `None` lets the key decide.
    pub partition: Option<i32>,
}

impl Outgoing {
    /// A message with default options (QoS 0, not retained, no content type, headers or key).
    pub fn new(address: impl Into<String>, payload: impl Into<Bytes>) -> Self {
        Outgoing {
            address: address.into(),
            payload: payload.into(),
            content_type: None,
            qos: QoS::AtMostOnce,
            retain: false,
            headers: Headers::new(),
            key: None,
            correlation_id: None,
            reply_to: None,
            partition: None,
        }
    }

    /// Sets the headers.
    pub fn with_headers(mut self, headers: Headers) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the key.
    pub fn with_key(mut self, key: impl Into<Bytes>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets the correlation id.
    pub fn with_correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// Sets the reply address.
    pub fn with_reply_to(mut self, address: impl Into<String>) -> Self {
        self.reply_to = Some(address.into());
        self
    }

    /// Sets the delivery guarantee.
    pub fn with_qos(mut self, qos: QoS) -> Self {
        self.qos = qos;
        self
    }

    /// Sets the retain flag.
    pub fn with_retain(mut self, retain: bool) -> Self {
        self.retain = retain;
        self
    }

    /// Sets the content type.
    pub fn with_content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// Sets the partition (Kafka).
    pub fn with_partition(mut self, partition: i32) -> Self {
        self.partition = Some(partition);
        self
    }
}

/// What the broker acknowledged for one published message: the publish has been confirmed
/// (MQTT PUBACK/PUBCOMP, or handed to the socket for QoS 0; a Kafka delivery report), not just
/// queued.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The partition the message was written to (Kafka).
    pub partition: Option<i32>,
    /// Its offset in that partition (Kafka).
    pub offset: Option<i64>,
}

impl Delivery {
    /// A delivery to a partition at an offset (Kafka).
    pub fn at(partition: i32, offset: i64) -> Self {
        Delivery {
            partition: Some(partition),
            offset: Some(offset),
        }
    }
}

/// Tells the broker that a received message has been handled: an MQTT PUBACK/PUBREC sent only
/// now, a Kafka offset stored for the next commit. Clones share one acknowledgement; only the
/// first call acts.
#[derive(Clone)]
pub struct Ack(Arc<AckState<dyn Fn() -> Result<(), TransportError> + Send + Sync>>);

/// The flag and the closure in one allocation.
struct AckState<F: ?Sized> {
    done: AtomicBool,
    send: F,
}

impl Ack {
    /// An acknowledgement that runs `send` once, the first time it is acknowledged.
    pub fn new(send: impl Fn() -> Result<(), TransportError> + Send + Sync + 'static) -> Self {
        Ack(Arc::new(AckState {
            done: AtomicBool::new(false),
            send,
        }))
    }

    /// Acknowledges the message (once; later calls do nothing).
    pub fn ack(&self) -> Result<(), TransportError> {
        if self.0.done.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        (self.0.send)()
    }

    /// Whether it has been acknowledged.
    pub fn is_done(&self) -> bool {
        self.0.done.load(Ordering::Acquire)
    }
}

impl std::fmt::Debug for Ack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ack")
            .field("done", &self.is_done())
            .finish()
    }
}

/// A message as a transport delivers it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Incoming {
    /// The concrete address it arrived on.
    pub address: String,
    /// The raw payload.
    pub payload: Bytes,
    /// Headers (MQTT 5 user properties, Kafka headers).
    pub headers: Headers,
    /// The names of the headers whose value arrived as bytes that are not UTF-8 text (Kafka;
    /// MQTT 5 and the in-memory broker carry text only). Their entries in `headers` hold the
    /// value with replacement characters; a typed stream refuses the message with
    /// [`ReceiveError::Metadata`](crate::ReceiveError::Metadata) when its headers type reads
    /// one of them.
    pub headers_not_utf8: Vec<String>,
    /// The message key (Kafka).
    pub key: Option<Bytes>,
    /// The correlation id, when the transport carries one natively (MQTT 5 correlation data).
    pub correlation_id: Option<String>,
    /// The reply address, when the transport carries one natively (MQTT 5 response topic).
    pub reply_to: Option<String>,
    /// The payload's content type, when the transport carries it: borrowed when it is the
    /// `&'static str` a publisher set (the in-memory broker passes it on without copying it),
    /// owned when it was read off the wire.
    pub content_type: Option<Cow<'static, str>>,
    /// The delivery guarantee it arrived with (MQTT).
    pub qos: Option<QoS>,
    /// The partition it was read from (Kafka).
    pub partition: Option<i32>,
    /// Its offset in that partition (Kafka).
    pub offset: Option<i64>,
    /// How to acknowledge it, when the transport waits for the application to say it has been
    /// handled (MQTT QoS 1/2, Kafka consumer groups); `None` when there is nothing to say.
    pub ack: Option<Ack>,
}

impl Incoming {
    /// A received message with nothing but an address and a payload.
    pub fn new(address: impl Into<String>, payload: impl Into<Bytes>) -> Self {
        Incoming {
            address: address.into(),
            payload: payload.into(),
            headers: Headers::new(),
            headers_not_utf8: Vec::new(),
            key: None,
            correlation_id: None,
            reply_to: None,
            content_type: None,
            qos: None,
            partition: None,
            offset: None,
            ack: None,
        }
    }

    /// Sets how to acknowledge the message.
    pub fn with_ack(mut self, ack: Ack) -> Self {
        self.ack = Some(ack);
        self
    }

    /// The message a subscriber receives for `message`, as a broker that keeps every property
    /// delivers it (the in-memory broker; MQTT 5).
    pub fn from_outgoing(message: Outgoing) -> Self {
        Incoming {
            address: message.address,
            payload: message.payload,
            headers: message.headers,
            headers_not_utf8: Vec::new(),
            key: message.key,
            correlation_id: message.correlation_id,
            reply_to: message.reply_to,
            content_type: message.content_type.map(Cow::Borrowed),
            qos: Some(message.qos),
            partition: message.partition,
            offset: None,
            ack: None,
        }
    }
}

/// What to subscribe to.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Subscription {
    /// The channel's address template; each transport derives its own filter from it.
    pub template: Cow<'static, str>,
    /// Requested delivery guarantee.
    pub qos: QoS,
    /// The consumer group (Kafka `groupId`; the in-memory broker shares messages among a group's
    /// members too); `None` means every subscription gets every message.
    pub group: Option<Cow<'static, str>>,
    /// The client id to consume with (Kafka `clientId`).
    pub client_id: Option<Cow<'static, str>>,
    /// Never in a consumer group, not even the transport's default one (Kafka
    /// `KafkaConfig::group_id`): this subscription gets every message (a reply inbox).
    pub ungrouped: bool,
}

impl Subscription {
    /// A subscription to every address of `template`.
    pub fn new(template: impl Into<Cow<'static, str>>) -> Self {
        Subscription {
            template: template.into(),
            qos: QoS::AtMostOnce,
            group: None,
            client_id: None,
            ungrouped: false,
        }
    }

    /// Keeps the subscription out of every consumer group, the transport's default one
    /// included, so that it gets every message (see [`Subscription::ungrouped`]).
    pub fn without_group(mut self) -> Self {
        self.group = None;
        self.ungrouped = true;
        self
    }

    /// Joins a consumer group.
    pub fn with_group(mut self, group: impl Into<Cow<'static, str>>) -> Self {
        self.group = Some(group.into());
        self.ungrouped = false;
        self
    }

    /// Sets the client id to consume with.
    pub fn with_client_id(mut self, client_id: impl Into<Cow<'static, str>>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Sets the requested delivery guarantee.
    pub fn with_qos(mut self, qos: QoS) -> Self {
        self.qos = qos;
        self
    }

    /// The MQTT topic filter for this subscription.
    pub fn mqtt_filter(&self) -> String {
        crate::address::mqtt_filter(&self.template)
    }

    /// The Kafka topic pattern (a regular expression starting with `^`, as Kafka clients take
    /// it) for this subscription; every placeholder matches one legal topic-name run.
    pub fn kafka_pattern(&self) -> String {
        crate::address::kafka_pattern(&self.template)
    }
}

/// The raw stream a transport hands out for one subscription.
pub type RawStream = Pin<Box<dyn Stream<Item = Result<Incoming, TransportError>> + Send>>;

/// The state of a transport's connection to its broker, as [`Health`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectionState {
    /// Connected: publishing and receiving can go on.
    Connected,
    /// The connection was lost and the transport is trying to get it back; publishes wait or
    /// fail with a timeout meanwhile, subscriptions stay open.
    Reconnecting,
    /// The transport cannot connect without help (refused credentials, a fatal client error).
    /// It may keep trying; each transport's documentation says whether it can come back.
    Failed,
    /// Closed with [`Transport::close`] (or every handle was dropped): nothing comes back.
    Closed,
}

impl std::fmt::Display for ConnectionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConnectionState::Connected => "connected",
            ConnectionState::Reconnecting => "reconnecting",
            ConnectionState::Failed => "failed",
            ConnectionState::Closed => "closed",
        })
    }
}

/// A watch on a transport's [`ConnectionState`], the same for every transport: read it now
/// ([`Health::state`]) or wait for it to change ([`Health::changed`], [`Health::wait_for`]), to
/// expose as a readiness probe or to stop a service whose broker is gone. Clones watch the same
/// connection; each has its own idea of which change it has seen.
///
/// A transport makes one with [`Health::channel`] and reports through the [`HealthReporter`];
/// [`Health::always`] never changes.
#[derive(Clone, Debug)]
pub struct Health(tokio::sync::watch::Receiver<ConnectionState>);

/// The transport's side of a [`Health`]: sets the state every watcher sees.
#[derive(Debug)]
pub struct HealthReporter(tokio::sync::watch::Sender<ConnectionState>);

impl Health {
    /// A reporter starting at `initial` and a watch on it.
    pub fn channel(initial: ConnectionState) -> (HealthReporter, Health) {
        let (sender, receiver) = tokio::sync::watch::channel(initial);
        (HealthReporter(sender), Health(receiver))
    }

    /// A state that never changes (the default of [`Transport::health`]: `Connected`).
    pub fn always(state: ConnectionState) -> Health {
        Health::channel(state).1
    }

    /// The state now.
    pub fn state(&self) -> ConnectionState {
        *self.0.borrow()
    }

    /// Waits until the state changes from what this watch saw last (when it was made, or the
    /// last change it returned) and returns the new one; `None` once it cannot change any
    /// more (`Closed` seen, the transport gone, or the state [`Health::always`]'s). Changes in
    /// quick succession may be seen as one: the state returned is the latest.
    pub async fn changed(&mut self) -> Option<ConnectionState> {
        {
            let now = self.0.borrow();
            if !now.has_changed() && *now == ConnectionState::Closed {
                return None;
            }
        }
        self.0.changed().await.ok()?;
        Some(*self.0.borrow_and_update())
    }

    /// Waits until the state is one `wanted` accepts (returning at once if it is now) and
    /// returns it; `None` if it cannot change any more and is not wanted.
    pub async fn wait_for(
        &mut self,
        mut wanted: impl FnMut(ConnectionState) -> bool,
    ) -> Option<ConnectionState> {
        self.0
            .wait_for(|state| wanted(*state))
            .await
            .ok()
            .map(|s| *s)
    }
}

impl HealthReporter {
    /// Sets the state; returns whether it changed (watchers are woken only then).
    pub fn set(&self, state: ConnectionState) -> bool {
        self.0.send_if_modified(|now| {
            let changed = *now != state;
            *now = state;
            changed
        })
    }

    /// Sets the state unless it is `Closed`, which is final; returns whether it changed.
    pub fn set_unless_closed(&self, state: ConnectionState) -> bool {
        self.0.send_if_modified(|now| {
            let changed = *now != state && *now != ConnectionState::Closed;
            if changed {
                *now = state;
            }
            changed
        })
    }

    /// The state now.
    pub fn state(&self) -> ConnectionState {
        *self.0.borrow()
    }

    /// Another watch on this reporter's state.
    pub fn health(&self) -> Health {
        Health(self.0.subscribe())
    }
}

/// A message broker connection that generated clients publish and subscribe through.
pub trait Transport: Send + Sync + 'static {
    /// Publishes one message; resolves when the broker has acknowledged it (see [`Delivery`]).
    /// A transport that cannot carry something the message has (headers on MQTT 3.1.1, say)
    /// fails rather than drop it.
    fn publish(
        &self,
        message: Outgoing,
    ) -> impl Future<Output = Result<Delivery, TransportError>> + Send;

    /// Subscribes; the stream yields every message whose address fits the template, and is live
    /// when this resolves (a message published afterwards reaches it). Each subscription buffers
    /// a bounded number of messages; when the buffer is full the transport stops reading
    /// (backpressure) rather than queue without bound.
    fn subscribe(
        &self,
        subscription: Subscription,
    ) -> impl Future<Output = Result<RawStream, TransportError>> + Send;

    /// Closes the connection gracefully and resolves once that is done: what was published
    /// before has been handed to the broker (and, within a bounded wait, acknowledged), what was
    /// acknowledged of the received messages has been told to the broker (MQTT PUBACK, Kafka
    /// synchronous commit), and the connection has been ended the protocol's way (MQTT
    /// DISCONNECT, so no last will is published; Kafka consumers leave their groups). Afterwards
    /// every subscription's stream ends (after what it had buffered), publishing and subscribing
    /// fail with [`TransportError::Closed`], and [`health`](Transport::health) is
    /// [`ConnectionState::Closed`]. Every clone of the transport is closed. Closing again does
    /// nothing and returns `Ok`. An error says what could not be done cleanly within the bounded
    /// wait (the connection is closed all the same).
    ///
    /// Received messages not acknowledged by then are not acknowledged: the broker delivers
    /// them again. Stop handing messages to handlers and let them finish before closing.
    ///
    /// The default does nothing and returns `Ok` (for a transport without a connection to end);
    /// the memory broker, MQTT and Kafka transports implement it.
    fn close(&self) -> impl Future<Output = Result<(), TransportError>> + Send {
        std::future::ready(Ok(()))
    }

    /// A watch on the connection's state. The default is [`Health::always`]`(Connected)`
    /// (for a transport that cannot lose its connection); the memory broker reports `Closed`
    /// once closed, MQTT and Kafka report losing the connection and getting it back (see each
    /// transport's documentation for how quickly and precisely).
    fn health(&self) -> Health {
        Health::always(ConnectionState::Connected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn health_reports_changes_to_every_watch() {
        let (reporter, mut health) = Health::channel(ConnectionState::Connected);
        let mut other = health.clone();
        assert_eq!(health.state(), ConnectionState::Connected);
        assert!(!reporter.set(ConnectionState::Connected), "no change");
        assert!(reporter.set(ConnectionState::Reconnecting));
        assert_eq!(health.changed().await, Some(ConnectionState::Reconnecting));
        assert_eq!(
            other.wait_for(|s| s == ConnectionState::Reconnecting).await,
            Some(ConnectionState::Reconnecting)
        );
        let waiting =
            tokio::spawn(async move { health.wait_for(|s| s == ConnectionState::Connected).await });
        reporter.set(ConnectionState::Connected);
        assert_eq!(waiting.await.unwrap(), Some(ConnectionState::Connected));
        // Closed is final for `set_unless_closed`.
        assert!(reporter.set(ConnectionState::Closed));
        assert!(!reporter.set_unless_closed(ConnectionState::Connected));
        assert_eq!(reporter.state(), ConnectionState::Closed);
        // Once the reporter is gone nothing changes any more.
        drop(reporter);
        assert_eq!(other.changed().await, Some(ConnectionState::Closed));
        assert_eq!(other.changed().await, None);
        assert_eq!(
            other.wait_for(|s| s == ConnectionState::Connected).await,
            None
        );
        assert_eq!(
            other.wait_for(|s| s == ConnectionState::Closed).await,
            Some(ConnectionState::Closed)
        );
    }

    #[tokio::test]
    async fn always_never_changes() {
        let mut health = Health::always(ConnectionState::Connected);
        assert_eq!(health.state(), ConnectionState::Connected);
        assert_eq!(health.changed().await, None);
    }

    /// A transport with only the required methods: the provided ones say connected, close does
    /// nothing.
    #[tokio::test]
    async fn the_defaults_are_connected_and_a_close_that_does_nothing() {
        struct Minimal;
        impl Transport for Minimal {
            async fn publish(&self, _message: Outgoing) -> Result<Delivery, TransportError> {
                Ok(Delivery::default())
            }
            async fn subscribe(
                &self,
                _subscription: Subscription,
            ) -> Result<RawStream, TransportError> {
                Err(TransportError::Closed)
            }
        }
        let client = crate::Client::new(Minimal);
        assert_eq!(client.health().state(), ConnectionState::Connected);
        client.close().await.unwrap();
        assert_eq!(client.health().state(), ConnectionState::Connected);
    }
}
