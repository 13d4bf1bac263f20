//! The MQTT transport (feature `mqtt`): MQTT 3.1.1 and 5 through rumqttc, TLS through rustls
//! (ring provider).
//!
//! ```no_run
//! # async fn run() -> Result<(), asyncapi_runtime::TransportError> {
//! use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
//! use asyncapi_runtime::{Outgoing, QoS, Subscription, Transport};
//! use futures::StreamExt;
//!
//! let mqtt = Mqtt::connect(MqttConfig::from_url("mqtt://localhost:1883")?).await?;
//! let mut lights = mqtt
//!     .subscribe(Subscription::new("lights/{id}").with_qos(QoS::AtLeastOnce))
//!     .await?; // live: the broker has sent its SUBACK
//! mqtt.publish(Outgoing::new("lights/7", "on").with_qos(QoS::AtLeastOnce))
//!     .await?; // the broker has sent its PUBACK
//! let message = lights.next().await.unwrap()?;
//! if let Some(ack) = &message.ack {
//!     ack.ack()?; // only now does the broker hear the message was handled
//! }
//! mqtt.close().await // the broker has read the DISCONNECT: no last will
//! # }
//! ```
//!
//! With generated code, wrap it in a client: `Client::new(mqtt)`; the client acknowledges
//! received messages after their handler returned `Ok` (see [`AckMode`](crate::AckMode)).
//!
//! # Behaviour
//!
//! - **One connection, one task.** [`Mqtt::connect`] waits for the first CONNACK (a refusal is
//!   an error with the broker's reason), then one spawned task polls the connection. `Mqtt` is
//!   a cheap handle (`Clone`); the connection ends with [`close`](crate::Transport::close)
//!   ([`Mqtt::disconnect`]), or when the last handle and the last stream are dropped (a
//!   DISCONNECT is then queued if there is room, but nothing waits for it: a process that
//!   exits right away may leave the broker to publish the last will).
//! - **Closing** waits for the publishes in flight, sends a DISCONNECT after every request made
//!   before it, and resolves once the broker has closed the connection in answer (so it has
//!   read the DISCONNECT and drops the last will), each step bounded by the
//!   [`ack_timeout`](MqttConfig::ack_timeout); see [`Mqtt::disconnect`].
//! - **Health** ([`Mqtt::health`]): `Connected` after each CONNACK, `Reconnecting` as soon as
//!   the task sees the connection drop, `Failed` while the broker refuses the client's
//!   identity, `Closed` at the end.
//! - **Publishing** resolves when the broker has acknowledged the message: PUBACK (QoS 1),
//!   PUBCOMP (QoS 2), or for QoS 0 when the packet was handed to the socket; an MQTT 5 broker
//!   refusing it (a PUBACK reason code) is an error. Each publish waits at most the
//!   [`ack_timeout`](MqttConfig::ack_timeout), then fails with [`TransportError::Timeout`].
//!   A publish still unacknowledged when the connection drops is sent again after
//!   reconnecting, whether or not the broker kept the session (so one that timed out may
//!   still arrive). Publishes enter the connection in the order they were made.
//! - **MQTT 5** carries headers as user properties, the key as the user property
//!   [`KEY_PROPERTY`] (UTF-8 text only), and the content type, correlation id (as correlation
//!   data) and reply address (as response topic) natively; received messages bring them back.
//!   **MQTT 3.1.1** cannot: a message with headers, a key, a reply address or a correlation id
//!   that its payload does not already hold fails with [`TransportError::Unsupported`] and is
//!   not sent (the content type is not sent either; the spec tells the receiver). Neither
//!   version has partitions. Correlation data that is not UTF-8 arrives converted lossily; a
//!   header named like [`KEY_PROPERTY`] is taken for the key.
//! - **Subscribing** resolves once the broker's SUBACK arrived. A message goes to every
//!   subscription whose filter (each template level with a placeholder becomes `+`) and
//!   template it fits, each into its own bounded buffer ([`buffer`](MqttConfig::buffer)); when
//!   one is full the task stops reading the socket until it has room (keep-alive pings wait
//!   too, so a subscriber stalled for longer than the keep-alive may get the connection
//!   dropped and redelivered). Subscriptions sharing a filter share the broker's
//!   subscription (at the highest QoS asked); dropping the last stream of a filter
//!   unsubscribes it, and messages still in a dropped stream's buffer are acknowledged, unless
//!   the session is persistent: then they stay unacknowledged and come again to the session's
//!   next connection (holding up to that many of the broker's in-flight slots meanwhile). With
//!   MQTT 5 every broker subscription carries a subscription identifier, so a message that
//!   matches several filters (Mosquitto then sends one copy per subscription) reaches each
//!   subscription once.
//!   A subscription's client id (a Kafka notion) is not used: the connection has one.
//!   A subscription with a consumer group uses the shared subscription
//!   `$share/<group>/<filter>`; a new subscription makes the broker send the filter's retained
//!   messages again, so subscriptions on overlapping filters may see them twice.
//! - **Acknowledging.** With [`manual_acks`](MqttConfig::manual_acks) (the default) a received
//!   QoS 1/2 message carries an [`Ack`](crate::Ack): the PUBACK (or PUBREC) goes out only when
//!   it is called (for a message several subscriptions received, when all of them did). An
//!   acknowledgement after the connection dropped is not sent: the broker delivers the
//!   message again (persistent session).
//! - **Sessions.** [`clean_session(false)`](MqttConfig::clean_session) with a fixed client id
//!   resumes the broker's session: its subscriptions, and the messages it kept. QoS 1/2
//!   messages the broker sends before a matching subscription exists are kept (up to the
//!   buffer size) for the first one that matches.
//! - **Reconnecting.** When the connection drops the task logs it, waits (exponential backoff,
//!   [`reconnect_backoff`](MqttConfig::reconnect_backoff)), and connects again with the same
//!   settings; if the broker did not keep the session, every live filter is subscribed again.
//!   Streams stay open across reconnects; they only end when the connection is closed.
//! - **Tracing.** A `mqtt_publish` debug span per publish (address, size, QoS) with its
//!   outcome; a debug event per received message (address, size, QoS); warnings for lost
//!   connections and refused subscriptions.
//! - **Credentials and TLS** come from the configuration, never from the spec; a server
//!   requiring `userPassword` makes [`Mqtt::connect`] fail, naming the scheme, when none are
//!   configured.

mod acks;
mod config;
mod event_loop;
mod protocol;
mod routes;
mod shared;
mod tls;

use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use futures::Stream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::{Delivery, Incoming, Outgoing, RawStream, Subscription, Transport, TransportError};

pub use config::{
    DEFAULT_ACK_TIMEOUT, DEFAULT_BUFFER, DEFAULT_KEEP_ALIVE, DEFAULT_MAX_PACKET_SIZE, DEFAULT_PORT,
    DEFAULT_TLS_PORT, LastWill, MqttConfig, MqttVersion, NEVER_EXPIRES,
};
pub use protocol::KEY_PROPERTY;
pub use tls::TlsConfig;

use acks::{PublishWaiter, SubscribeWaiter};
use event_loop::EventLoop;
use protocol::{Connection, Event, Prepared};
use shared::Shared;

/// A connection to an MQTT broker; a [`Transport`]. Clones share the connection.
#[derive(Clone)]
pub struct Mqtt {
    inner: Arc<Inner>,
}

/// Owned by the handles and the streams: when the last goes, the connection closes.
struct Inner {
    shared: Arc<Shared>,
    task: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.shared.stop();
    }
}

impl std::fmt::Debug for Mqtt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mqtt")
            .field("client_id", &self.client_id())
            .field("version", &self.version())
            .field("connected", &self.is_connected())
            .finish()
    }
}

impl Mqtt {
    /// Connects: resolves once the broker accepted the connection (CONNACK), then keeps it up,
    /// reconnecting as needed. Fails with [`TransportError::Config`] for a configuration that
    /// cannot work (a server's required credentials missing, a persistent session without a
    /// client id, a bad TLS setting) or a broker refusing the client's identity (bad
    /// credentials, not authorised, client id rejected); otherwise with
    /// [`TransportError::Backend`] when the broker cannot be reached or refuses for another
    /// reason. Must run inside a tokio runtime.
    pub async fn connect(config: MqttConfig) -> Result<Mqtt, TransportError> {
        config.check()?;
        let tls = match &config.tls {
            Some(tls) => Some(rumqttc::TlsConfiguration::Rustls(tls.client_config()?)),
            None => None,
        };
        let client_id = config.client_id.clone().unwrap_or_else(generate_client_id);
        let (client, mut connection) = Connection::new(&config, &client_id, tls);
        let (broker_max, subscription_ids) = loop {
            match connection.poll().await {
                Ok(Event::ConnAck {
                    max_packet_size,
                    subscription_ids,
                    ..
                }) => break (max_packet_size, subscription_ids),
                Ok(_) => {}
                Err(error) => return Err(error.into_connect_error(&config.host, config.port)),
            }
        };
        let max_packet = broker_max.map_or(config.max_packet_size, |b| {
            config
                .max_packet_size
                .min(usize::try_from(b).unwrap_or(usize::MAX))
        });
        tracing::debug!(
            client_id = %client_id,
            host = %config.host,
            port = config.port,
            version = %config.version,
            "MQTT connected"
        );
        let shared = Arc::new(Shared::new(
            client,
            client_id,
            config.version,
            config.manual_acks,
            !config.clean_session,
            config.buffer,
            config.ack_timeout,
            max_packet,
            subscription_ids,
        ));
        let event_loop = EventLoop::new(
            shared.clone(),
            connection,
            config.reconnect_min,
            config.reconnect_max,
            config.max_packet_size,
        );
        let task = shared.runtime.spawn(event_loop.run());
        Ok(Mqtt {
            inner: Arc::new(Inner {
                shared,
                task: std::sync::Mutex::new(Some(task)),
            }),
        })
    }

    /// Closes the connection gracefully ([`Transport::close`] calls this), in three steps,
    /// each bounded by the [`ack_timeout`](MqttConfig::ack_timeout):
    ///
    /// 1. refuses new publishes and subscriptions ([`TransportError::Closed`]) and, while
    ///    connected, waits until every publish made before has been acknowledged by the broker
    ///    (PUBACK, PUBCOMP; for QoS 0, handed to the socket);
    /// 2. queues a DISCONNECT behind every request made before (acknowledgements of received
    ///    messages included, so what was acknowledged reaches the broker first), and waits
    ///    until it has been written to the socket and the broker has closed the connection in
    ///    answer (so the broker has read it and does not publish the last will; a broker that
    ///    keeps the connection open is given a moment, then the connection is closed);
    /// 3. the connection's task has ended: every stream ends (after what it had buffered),
    ///    publishing and subscribing fail with [`TransportError::Closed`], and
    ///    [`health`](Transport::health) is [`Closed`](crate::ConnectionState::Closed).
    ///
    /// When the connection is down (reconnecting) there is nothing to disconnect: it closes at
    /// once, and the broker publishes the last will as it would have anyway. Fails with
    /// [`TransportError::Timeout`] when publishes were still unacknowledged after step 1 (they
    /// fail with `Closed`; the DISCONNECT goes out all the same) or the task did not end in
    /// time (it is then stopped). Closing a closed connection does nothing.
    pub async fn disconnect(&self) -> Result<(), TransportError> {
        let shared = &self.inner.shared;
        if shared.is_closed() {
            return Ok(());
        }
        // From now on only what was made before goes out.
        shared.closing.store(true, Ordering::Release);
        let timeout = shared.ack_timeout;
        let mut unflushed = 0;
        if shared.connected.load(Ordering::Acquire) {
            // Polled rather than signalled: closing is rare, and a signal would cost every
            // acknowledgement on the hot path.
            let flushed = tokio::time::timeout(timeout, async {
                while shared.publishes_in_flight() > 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            })
            .await;
            if flushed.is_err() {
                unflushed = shared.publishes_in_flight();
            }
        }
        let disconnecting = tokio::time::timeout(timeout, shared.stop_gracefully()).await;
        if disconnecting.is_err() {
            shared.stop_now();
        }
        let mut closed = shared.closed.subscribe();
        let waited = tokio::time::timeout(timeout, closed.wait_for(|closed| *closed)).await;
        if waited.is_err() {
            if let Some(task) = self
                .inner
                .task
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
            {
                task.abort();
            }
            return Err(TransportError::Timeout(format!(
                "the MQTT connection did not close within {timeout:?}; it was dropped"
            )));
        }
        if unflushed > 0 {
            return Err(TransportError::Timeout(format!(
                "{unflushed} publishes were not acknowledged within {timeout:?} before the MQTT \
                 connection closed; they failed"
            )));
        }
        Ok(())
    }

    /// A watch on the connection: `Connected` (from [`Mqtt::connect`] and after every
    /// CONNACK), `Reconnecting` as soon as the task sees the connection drop (a read or write
    /// failing, a ping still unanswered when the next is due: within twice the
    /// [`keep_alive`](MqttConfig::keep_alive) of a silent broker), `Failed` when the broker refuses a reconnection for the client's
    /// identity (bad credentials, not authorised, client id rejected; the task keeps trying,
    /// and it is `Connected` again if the broker takes it), `Closed` once closed (or every
    /// handle dropped).
    pub fn health(&self) -> crate::Health {
        self.inner.shared.health.health()
    }

    /// The client id the connection uses (generated unless configured).
    pub fn client_id(&self) -> &str {
        &self.inner.shared.client_id
    }

    /// The protocol version spoken.
    pub fn version(&self) -> MqttVersion {
        self.inner.shared.version
    }

    /// Whether the connection is up right now (not lost and waiting to reconnect, not closed).
    pub fn is_connected(&self) -> bool {
        self.inner.shared.connected.load(Ordering::Acquire) && !self.inner.shared.is_closed()
    }

    /// Hands a prepared publish to rumqttc and waits for its acknowledgement. The publish is
    /// boxed: the future of every publish holds it only as a pointer (the future stays small
    /// enough for the allocator's per-thread cache when the generated API boxes it).
    async fn send(&self, prepared: Box<Prepared>) -> Result<Delivery, TransportError> {
        let shared = &self.inner.shared;
        if shared.closing.load(Ordering::Acquire) {
            return Err(TransportError::Closed);
        }
        let qos = prepared.qos;
        let mut prepared = Some(prepared);
        let answer = shared
            .submit(|state, client| {
                let (reply, answer) = oneshot::channel();
                state.acks.queue_publish(PublishWaiter { qos, reply });
                match client.try_publish(&mut prepared) {
                    Ok(()) => Ok(answer),
                    Err(rejected) => {
                        state.acks.unqueue_publish();
                        Err(rejected)
                    }
                }
            })
            .await?;
        answer.await.map_err(|_| TransportError::Closed)?
    }

    async fn open(&self, subscription: Subscription) -> Result<RawStream, TransportError> {
        let shared = &self.inner.shared;
        if shared.closing.load(Ordering::Acquire) {
            return Err(TransportError::Closed);
        }
        let filter = subscription.mqtt_filter();
        if !rumqttc::valid_filter(&filter) || filter.contains('\0') {
            return Err(TransportError::Unsupported(format!(
                "{:?} does not make a valid MQTT topic filter ({filter:?})",
                subscription.template
            )));
        }
        let group = subscription.group.map(|g| g.into_owned());
        if let Some(group) = &group
            && (group.is_empty() || group.contains(['/', '+', '#', '\0']))
        {
            return Err(TransportError::Unsupported(format!(
                "{group:?} cannot name an MQTT shared subscription group (empty, or with `/`, `+`, `#`)"
            )));
        }
        let broker_filter = routes::broker_filter(&filter, group.as_deref());
        let (sender, receiver) = mpsc::channel(shared.buffer);
        let (id, qos, subscription_id) = {
            let mut state = shared.lock();
            if state.closed {
                return Err(TransportError::Closed);
            }
            let id = state.routes.add(
                filter,
                subscription.template.into_owned(),
                group,
                subscription.qos,
                sender,
            );
            shared.claim(&mut state, id);
            let subscription_id = state
                .routes
                .subscription_id(&broker_filter)
                .filter(|_| shared.subscription_ids.load(Ordering::Acquire));
            (id, state.routes.qos_for(&broker_filter), subscription_id)
        };
        let stream = SubscriptionStream {
            receiver,
            _route: RouteGuard {
                inner: self.inner.clone(),
                id,
            },
        };
        let answer = shared
            .submit(|state, client| {
                let (reply, answer) = oneshot::channel();
                state.acks.queue_subscribe(SubscribeWaiter {
                    filters: vec![(broker_filter.clone(), qos)],
                    replies: vec![reply],
                });
                match client.try_subscribe(&broker_filter, qos, subscription_id) {
                    Ok(()) => Ok(answer),
                    Err(rejected) => {
                        state.acks.unqueue_subscribe();
                        Err(rejected)
                    }
                }
            })
            .await?;
        answer.await.map_err(|_| TransportError::Closed)??;
        tracing::debug!(filter = %broker_filter, ?qos, "MQTT subscription live");
        Ok(Box::pin(stream))
    }
}

impl Transport for Mqtt {
    fn publish(
        &self,
        message: Outgoing,
    ) -> impl Future<Output = Result<Delivery, TransportError>> + Send {
        let span = tracing::debug_span!(
            "mqtt_publish",
            address = %message.address,
            size = message.payload.len(),
            qos = ?message.qos,
        );
        let shared = &self.inner.shared;
        let timeout = shared.ack_timeout;
        // Checked and converted now, so that the future holds no copy of the message.
        let prepared = shared
            .client
            .prepare(message, shared.max_packet.load(Ordering::Acquire))
            .map(Box::new);
        async move {
            let result = match prepared {
                Ok(prepared) => match tokio::time::timeout(timeout, self.send(prepared)).await {
                    Ok(result) => result,
                    Err(_) => Err(TransportError::Timeout(format!(
                        "the broker did not acknowledge the message within {timeout:?}"
                    ))),
                },
                Err(error) => Err(error),
            };
            match &result {
                Ok(_) => tracing::debug!("acknowledged"),
                Err(error) => tracing::debug!(%error, "not published"),
            }
            result
        }
        .instrument(span)
    }

    async fn subscribe(&self, subscription: Subscription) -> Result<RawStream, TransportError> {
        let timeout = self.inner.shared.ack_timeout;
        let template = subscription.template.clone();
        match tokio::time::timeout(timeout, self.open(subscription)).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::Timeout(format!(
                "the broker did not confirm the subscription to {template:?} within {timeout:?}"
            ))),
        }
    }

    /// [`Mqtt::disconnect`].
    fn close(&self) -> impl Future<Output = Result<(), TransportError>> + Send {
        self.disconnect()
    }

    /// [`Mqtt::health`].
    fn health(&self) -> crate::Health {
        Mqtt::health(self)
    }
}

/// Removes its subscription when dropped.
struct RouteGuard {
    inner: Arc<Inner>,
    id: u64,
}

impl Drop for RouteGuard {
    fn drop(&mut self) {
        self.inner.shared.remove_route(self.id);
    }
}

/// One subscription's messages.
struct SubscriptionStream {
    receiver: mpsc::Receiver<Incoming>,
    _route: RouteGuard,
}

impl Stream for SubscriptionStream {
    type Item = Result<Incoming, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().receiver.poll_recv(cx).map(|m| m.map(Ok))
    }
}

impl Drop for SubscriptionStream {
    fn drop(&mut self) {
        self.receiver.close();
        // Messages the subscriber never saw. In a persistent session they stay unacknowledged:
        // the broker sends them again to the session's next connection (a service that drained
        // and stopped loses nothing it did not handle). Without one, nothing would come again
        // anyway: they are acknowledged, so the broker does not hold them (and its in-flight
        // window) for this connection.
        if self._route.inner.shared.persistent {
            return;
        }
        while let Ok(message) = self.receiver.try_recv() {
            if let Some(ack) = message.ack {
                let _ = ack.ack();
            }
        }
    }
}

/// A client id no other connection uses: `asyncapi` and 15 hex digits (23 characters, the
/// longest every MQTT 3.1.1 broker must accept).
fn generate_client_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    format!("asyncapi{:015x}", hasher.finish() >> 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_client_ids_are_short_and_distinct() {
        let a = generate_client_id();
        let b = generate_client_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 23);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}
