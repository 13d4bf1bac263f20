//! What the handles ([`Mqtt`](super::Mqtt), streams, acknowledgements) and the event-loop task
//! share: the request side of rumqttc, the subscriptions, the waiters, the connection's status.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::{Notify, watch};

use crate::{Ack, ConnectionState, HealthReporter, Incoming, TransportError};

use super::acks::Acks;
use super::protocol::{AckToken, Client, Message, Rejected};
use super::routes::Routes;

/// Everything behind the state lock. The lock is never held across an `.await`.
#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) routes: Routes,
    pub(super) acks: Acks,
    /// Filters to unsubscribe that did not fit into rumqttc's request channel; the event loop
    /// sends them.
    pub(super) deferred_unsubscribes: Vec<String>,
    /// QoS 1/2 messages of a persistent session that arrived before any subscription wanted
    /// them (the broker sends what it kept as soon as the session resumes), with the
    /// connection generation they came on; handed to the first subscription that matches.
    pub(super) unclaimed: VecDeque<(Box<Message>, u64)>,
    /// The connection is closed for good.
    pub(super) closed: bool,
}

/// Shared between the handles and the event loop.
#[derive(Debug)]
pub(super) struct Shared {
    pub(super) client: Client,
    pub(super) client_id: String,
    pub(super) version: super::MqttVersion,
    state: Mutex<State>,
    /// Taken (first come, first served) by every request on its way into rumqttc's channel, so
    /// that requests enter it in the order they were made even while some wait for room.
    order: tokio::sync::Mutex<()>,
    /// Signalled whenever rumqttc took a request off its channel (room for a waiting sender),
    /// when somebody waits for room ([`Shared::room`]).
    pub(super) capacity: Notify,
    /// How many requests wait for room in rumqttc's channel.
    waiting_for_room: AtomicUsize,
    /// Set when a filter was added to `deferred_unsubscribes`: the event loop looks at the
    /// list (under the lock) only then.
    pub(super) unsubscribes_deferred: AtomicBool,
    /// Tells the event loop to stop at once (with `shutting_down`, which it checks before
    /// every event).
    pub(super) shutdown: Notify,
    pub(super) shutting_down: AtomicBool,
    /// A disconnect was asked for.
    pub(super) stopping: AtomicBool,
    /// `close` was called: new publishes and subscriptions are refused.
    pub(super) closing: AtomicBool,
    /// Whether a connection is up right now.
    pub(super) connected: AtomicBool,
    /// What [`Mqtt::health`](super::Mqtt) watches: set by the event loop.
    pub(super) health: HealthReporter,
    /// Set when the event loop has ended.
    pub(super) closed: watch::Sender<bool>,
    /// Counts connections (CONNACKs); an acknowledgement only counts on the connection its
    /// message came on.
    pub(super) generation: AtomicU64,
    /// The largest packet to send: ours, or the broker's if smaller.
    pub(super) max_packet: AtomicUsize,
    /// Whether subscriptions carry MQTT 5 subscription identifiers.
    pub(super) subscription_ids: AtomicBool,
    pub(super) manual_acks: bool,
    pub(super) persistent: bool,
    pub(super) buffer: usize,
    pub(super) ack_timeout: Duration,
    pub(super) runtime: Handle,
}

impl Shared {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        client: Client,
        client_id: String,
        version: super::MqttVersion,
        manual_acks: bool,
        persistent: bool,
        buffer: usize,
        ack_timeout: Duration,
        max_packet: usize,
        subscription_ids: bool,
    ) -> Shared {
        Shared {
            client,
            client_id,
            version,
            state: Mutex::default(),
            order: tokio::sync::Mutex::new(()),
            capacity: Notify::new(),
            waiting_for_room: AtomicUsize::new(0),
            unsubscribes_deferred: AtomicBool::new(false),
            shutdown: Notify::new(),
            shutting_down: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            closing: AtomicBool::new(false),
            connected: AtomicBool::new(true),
            health: crate::Health::channel(ConnectionState::Connected).0,
            closed: watch::Sender::new(false),
            generation: AtomicU64::new(1),
            max_packet: AtomicUsize::new(max_packet),
            subscription_ids: AtomicBool::new(subscription_ids),
            manual_acks,
            persistent,
            buffer,
            ack_timeout,
            runtime: Handle::current(),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing under the lock can panic half-way through an update that matters.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands a request to rumqttc: `attempt` registers its waiter and tries the channel under
    /// the state lock (so waiters queue in channel order), taking the waiter back when the
    /// channel is full; then this waits for room and tries again. Requests go in in the order
    /// `submit` was first polled.
    pub(super) async fn submit<T>(
        &self,
        mut attempt: impl FnMut(&mut State, &Client) -> Result<T, Rejected>,
    ) -> Result<T, TransportError> {
        let _turn = self.order.lock().await;
        // Usually there is room: one try, without registering for the signal.
        if let Some(done) = self.try_submit(&mut attempt)? {
            return Ok(done);
        }
        let _waiting = WaitingForRoom::new(&self.waiting_for_room);
        loop {
            let room = self.capacity.notified();
            tokio::pin!(room);
            room.as_mut().enable();
            if let Some(done) = self.try_submit(&mut attempt)? {
                return Ok(done);
            }
            // The event loop signals every request it takes while somebody waits; the timer
            // only guards against a signal missed some other way.
            let _ = tokio::time::timeout(Duration::from_millis(50), room).await;
        }
    }

    /// One try of [`Shared::submit`]: `None` when the channel is full.
    fn try_submit<T>(
        &self,
        attempt: &mut impl FnMut(&mut State, &Client) -> Result<T, Rejected>,
    ) -> Result<Option<T>, TransportError> {
        let mut state = self.lock();
        if state.closed {
            return Err(TransportError::Closed);
        }
        match attempt(&mut state, &self.client) {
            Ok(done) => Ok(Some(done)),
            Err(Rejected::Full) => Ok(None),
        }
    }

    /// rumqttc took a request off its channel: wakes the requests waiting for room, if any.
    pub(super) fn room(&self) {
        if self.waiting_for_room.load(Ordering::SeqCst) > 0 {
            self.capacity.notify_waiters();
        }
    }

    /// Sends the acknowledgement of a received message, if it came on the current connection
    /// (after a reconnect the broker sends unacknowledged messages again, with new packet ids
    /// on a new session; acknowledging an old id there could acknowledge another message).
    pub(super) fn acknowledge(
        &self,
        token: AckToken,
        generation: u64,
    ) -> Result<(), TransportError> {
        if generation != self.generation.load(Ordering::Acquire) {
            tracing::debug!(
                pkid = token.pkid,
                "MQTT message not acknowledged: it came on an earlier connection, the broker sends it again"
            );
            return Ok(());
        }
        match self.client.try_ack(token) {
            Ok(()) => Ok(()),
            Err(Rejected::Full) => {
                if self.lock().closed {
                    return Err(TransportError::Closed);
                }
                let client = self.client.clone();
                self.runtime.spawn(async move {
                    if let Err(error) = client.ack(token).await {
                        tracing::debug!(%error, "MQTT acknowledgement not sent");
                    }
                });
                Ok(())
            }
        }
    }

    /// The runtime's view of `message` for `consumers` subscriptions: one `Incoming` each (the
    /// last one the message itself, the others copies), their acknowledgements counted so that
    /// the broker hears once every copy is handled.
    pub(super) fn copies(
        self: &Arc<Self>,
        message: Box<Message>,
        generation: u64,
        consumers: usize,
    ) -> impl Iterator<Item = Incoming> + use<> {
        let token = message.token;
        let acknowledged = self.manual_acks && token.qos != crate::QoS::AtMostOnce;
        let mut incoming = Some(message.into_incoming());
        let shared = acknowledged.then(|| self.clone());
        let delivered = (acknowledged && consumers > 1).then(|| {
            Arc::new(Delivered {
                remaining: AtomicUsize::new(consumers),
                token,
                generation,
                shared: self.clone(),
            })
        });
        (0..consumers).map(move |i| {
            let mut copy = if i + 1 == consumers {
                incoming.take()
            } else {
                incoming.clone()
            }
            .expect("the message itself goes last");
            copy.ack = match (&delivered, &shared) {
                (Some(delivered), _) => {
                    let delivered = delivered.clone();
                    Some(Ack::new(move || delivered.release()))
                }
                // One subscription: its acknowledgement is the broker's.
                (None, Some(shared)) => {
                    let shared = shared.clone();
                    Some(Ack::new(move || shared.acknowledge(token, generation)))
                }
                (None, None) => None,
            };
            copy
        })
    }

    /// Removes a subscription; unsubscribes the broker when no other subscription needs its
    /// filter.
    pub(super) fn remove_route(&self, id: u64) {
        let mut state = self.lock();
        let Some(route) = state.routes.remove(id) else {
            return;
        };
        if state.closed || state.routes.uses(&route.broker_filter) {
            return;
        }
        if let Err(Rejected::Full) = self.client.try_unsubscribe(&route.broker_filter) {
            state.deferred_unsubscribes.push(route.broker_filter);
            self.unsubscribes_deferred.store(true, Ordering::Release);
        }
    }

    /// Gives a new subscription the kept messages it matches.
    pub(super) fn claim(self: &Arc<Self>, state: &mut State, id: u64) {
        if state.unclaimed.is_empty() {
            return;
        }
        let mut kept = VecDeque::with_capacity(state.unclaimed.len());
        while let Some((message, generation)) = state.unclaimed.pop_front() {
            match state.routes.wanted_by(id, &message.topic) {
                Some(route) => {
                    for copy in self.copies(message, generation, 1) {
                        if let Err(error) = route.sender.try_send(copy) {
                            // Fresh buffers hold at least as many as are kept; never happens.
                            tracing::warn!(%error, "kept MQTT message dropped");
                        }
                    }
                }
                None => kept.push_back((message, generation)),
            }
        }
        state.unclaimed = kept;
    }

    /// Asks the event loop to stop without waiting (the last handle is gone): a DISCONNECT
    /// when connected and rumqttc's channel has room (the broker then drops the last will), at
    /// once otherwise.
    pub(super) fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        if !self.connected.load(Ordering::Acquire) || self.client.try_disconnect().is_err() {
            self.stop_now();
        }
    }

    /// Stops the event loop at once, without a DISCONNECT.
    pub(super) fn stop_now(&self) {
        self.stopping.store(true, Ordering::Release);
        self.shutting_down.store(true, Ordering::Release);
        self.shutdown.notify_one();
    }

    /// Asks the event loop to stop with a DISCONNECT, queued behind every request made before
    /// (waiting for room in rumqttc's channel rather than giving up when it is full); at once
    /// when the connection is down. Returns whether the DISCONNECT was queued.
    pub(super) async fn stop_gracefully(&self) -> bool {
        self.stopping.store(true, Ordering::Release);
        if self.connected.load(Ordering::Acquire)
            && self
                .submit(|_, client| client.try_disconnect())
                .await
                .is_ok()
        {
            return true;
        }
        self.stop_now();
        false
    }

    /// How many publishes wait for the broker's acknowledgement (or for rumqttc to send them).
    pub(super) fn publishes_in_flight(&self) -> usize {
        self.lock().acks.publishes_in_flight()
    }

    /// Whether the event loop has ended.
    pub(super) fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }
}

/// Counts one request waiting for room in rumqttc's channel while it lives (also when the
/// publish is given up half-way).
struct WaitingForRoom<'a>(&'a AtomicUsize);

impl<'a> WaitingForRoom<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        WaitingForRoom(count)
    }
}

impl Drop for WaitingForRoom<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One received QoS 1/2 message handed to one or more subscriptions.
struct Delivered {
    remaining: AtomicUsize,
    token: AckToken,
    generation: u64,
    shared: Arc<Shared>,
}

impl Delivered {
    /// One copy is handled; the last one acknowledges to the broker.
    fn release(&self) -> Result<(), TransportError> {
        if self.remaining.fetch_sub(1, Ordering::AcqRel) != 1 {
            return Ok(());
        }
        self.shared.acknowledge(self.token, self.generation)
    }
}
