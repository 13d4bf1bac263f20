//! The in-memory broker: the embedded default transport, for examples and for users' own tests.
//!
//! It routes by MQTT topic-filter rules (`+`, `#`), delivers to every matching subscription in
//! publish order, and applies backpressure: each subscription has a bounded buffer, and a publish
//! resolves only once every subscriber it reached has room again.
//!
//! Publish order is the order in which publishes are first polled, even when many are in flight
//! at once: a message is queued for its subscribers synchronously, before the publish can yield,
//! and only then does the publish wait for room. A subscription therefore holds at most its
//! buffer plus one message per publish in flight.
//!
//! The semantics the generated API relies on, from both protocols:
//! - MQTT retain: a retained message is kept per address (the last one wins, an empty retained
//!   payload removes it) and handed to every later subscription whose filter matches it.
//! - Consumer groups (Kafka): subscriptions that name the same group share the messages; each
//!   message goes to one member. Messages with the same key always go to the same member (while
//!   the group's membership stays the same), so per-key order holds as on a Kafka partition;
//!   messages without a key go round robin.
//!
//! [`close`](Transport::close) closes every clone: subscriptions end once they have handed out
//! what they hold, publishers waiting for room stop waiting, and publishing fails with
//! [`TransportError::Closed`]. Its [`health`](Transport::health) is `Connected` until then,
//! `Closed` after.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::StreamExt;
use tokio::sync::{Semaphore, TryAcquireError, mpsc};

use crate::address::mqtt_matches;
use crate::{
    ConnectionState, Delivery, Health, HealthReporter, Incoming, Outgoing, RawStream, Subscription,
    Transport, TransportError,
};

/// Messages buffered per subscription before publishers wait.
pub const DEFAULT_BUFFER: usize = 1024;

struct Subscriber {
    filter: String,
    /// The consumer group it belongs to, if any.
    group: Option<String>,
    /// The channel template of a typed subscription: an address must also fit it (a dotted
    /// Kafka-style template is one MQTT level, which the filter alone would match too widely).
    template: Option<String>,
    sender: mpsc::UnboundedSender<Incoming>,
    /// Free places in the subscription's buffer; a publish takes one after queueing, the stream
    /// gives it back as it hands the message out.
    room: Arc<Semaphore>,
}

/// The reading side's hold on its buffer space: when the stream is dropped, publishers waiting
/// for room stop waiting.
struct Room(Arc<Semaphore>);

impl Drop for Room {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Where one message goes: the queue, and the buffer space to take once it is queued.
struct Target {
    sender: mpsc::UnboundedSender<Incoming>,
    room: Arc<Semaphore>,
}

impl Subscriber {
    fn target(&self) -> Target {
        Target {
            sender: self.sender.clone(),
            room: self.room.clone(),
        }
    }

    fn wants(&self, address: &str) -> bool {
        mqtt_matches(&self.filter, address)
            && self.template.as_deref().is_none_or(|template| {
                !template.contains('{') || crate::address::capture_in(template, address).is_ok()
            })
    }
}

/// An in-process broker. Clones share the same broker, so a service and its clients can each hold
/// one.
#[derive(Clone)]
pub struct MemoryBroker {
    state: Arc<Mutex<State>>,
    /// `Connected`, then `Closed`.
    health: Arc<HealthReporter>,
    buffer: usize,
}

#[derive(Default)]
struct State {
    /// Closed: no subscription, no publish.
    closed: bool,
    subscribers: Vec<Subscriber>,
    /// Retained messages by address.
    retained: std::collections::BTreeMap<String, Incoming>,
    /// Round-robin position per group, for messages without a key.
    turns: std::collections::HashMap<String, usize>,
}

impl Default for MemoryBroker {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for MemoryBroker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBroker")
            .field("subscriptions", &self.lock().subscribers.len())
            .field("buffer", &self.buffer)
            .finish()
    }
}

impl MemoryBroker {
    /// A broker with the default per-subscription buffer.
    pub fn new() -> Self {
        Self::with_buffer(DEFAULT_BUFFER)
    }

    /// A broker buffering at most `buffer` messages per subscription (at least 1).
    pub fn with_buffer(buffer: usize) -> Self {
        MemoryBroker {
            state: Arc::default(),
            health: Arc::new(Health::channel(ConnectionState::Connected).0),
            buffer: buffer.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated, so poisoning is moot.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Subscribes with a raw MQTT topic filter (an empty stream once the broker is closed).
    pub fn subscribe_filter(&self, filter: impl Into<String>) -> RawStream {
        self.subscribe_matching(filter.into(), None, None)
    }

    fn subscribe_matching(
        &self,
        filter: String,
        template: Option<String>,
        group: Option<String>,
    ) -> RawStream {
        let (sender, receiver) = mpsc::unbounded_channel();
        let room = Arc::new(Semaphore::new(self.buffer));
        let subscriber = Subscriber {
            filter,
            group,
            template,
            sender,
            room: room.clone(),
        };
        let retained: Vec<Incoming> = {
            let mut state = self.lock();
            if state.closed {
                return futures::stream::empty().boxed();
            }
            let retained = state
                .retained
                .values()
                .filter(|m| subscriber.wants(&m.address))
                .cloned()
                .collect();
            state.subscribers.push(subscriber);
            retained
        };
        // Retained messages come first, then whatever is published from now on.
        futures::stream::iter(retained.into_iter().map(Ok))
            .chain(futures::stream::unfold(
                (receiver, Room(room)),
                |(mut receiver, room)| async move {
                    let message = receiver.recv().await?;
                    room.0.add_permits(1);
                    Some((Ok(message), (receiver, room)))
                },
            ))
            .boxed()
    }

    /// The retained message at `address`, if any.
    pub fn retained(&self, address: &str) -> Option<Incoming> {
        self.lock().retained.get(address).cloned()
    }

    /// Delivers a message with only an address and a payload to every matching subscription;
    /// returns how many received it (none once the broker is closed).
    pub async fn deliver(&self, address: &str, payload: bytes::Bytes) -> usize {
        self.deliver_message(Incoming::new(address, payload)).await
    }

    /// Delivers one message, with every property it has, to every matching subscription;
    /// returns how many received it.
    pub fn deliver_message(&self, message: Incoming) -> impl Future<Output = usize> + use<> {
        // Queued now, in call order; only the wait for room is left to the future.
        let targets = self.queue(message);
        let reached = targets.len();
        let full = take_room(targets);
        async move {
            if let Some(full) = full {
                wait_for_room(full).await;
            }
            reached
        }
    }

    /// Queues `message` for every subscription it goes to (the last gets the message itself,
    /// the others a copy each); returns those that took it.
    fn queue(&self, message: Incoming) -> Vec<Target> {
        let mut targets = self.targets(&message);
        let mut message = Some(message);
        let last = targets.len().saturating_sub(1);
        let mut index = 0;
        targets.retain(|t| {
            let copy = if index == last {
                message.take()
            } else {
                message.clone()
            };
            index += 1;
            copy.is_some_and(|copy| t.sender.send(copy).is_ok())
        });
        targets
    }
}

/// Takes one place in each target's buffer for a message queued there, at once where there is
/// room; returns the targets from the first full one on, which the publish waits for.
fn take_room(mut targets: Vec<Target>) -> Option<Vec<Target>> {
    for index in 0..targets.len() {
        match targets[index]
            .room
            .try_acquire()
            .map(|permit| permit.forget())
        {
            // Closed only when the subscription is gone; the message is queued either way.
            Ok(()) | Err(TryAcquireError::Closed) => {}
            Err(TryAcquireError::NoPermits) => return Some(targets.split_off(index)),
        }
    }
    None
}

/// Waits for a place in each of `full`'s buffers, in turn.
async fn wait_for_room(full: Vec<Target>) {
    for target in &full {
        // Closed only when the subscription is gone; the message is queued either way.
        if let Ok(permit) = target.room.acquire().await {
            permit.forget();
        }
    }
}

pin_project_lite::pin_project! {
    /// [`MemoryBroker`]'s publish: the message is queued when it is first polled, then the
    /// publish waits for room where a buffer was full.
    ///
    /// Written out rather than as an `async fn`, whose state kept the message, the received
    /// form of it and the wait side by side (600 bytes): here the message and the wait share
    /// their place, and a typed publish holds the whole inline (see
    /// [`PublishFuture`](crate::PublishFuture)). `W` is [`wait_for_room`]'s future, named
    /// through the function pointer (its type cannot be written).
    struct Publishing<'a, W> {
        broker: &'a MemoryBroker,
        wait: fn(Vec<Target>) -> W,
        #[pin]
        step: Step<W>,
    }
}

pin_project_lite::pin_project! {
    #[project = StepProj]
    enum Step<W> {
        /// Not polled yet (`None` once it has finished).
        Start { message: Option<Outgoing> },
        /// Queued; waiting for room.
        Waiting { #[pin] room: W },
    }
}

/// The publish of `message` to `broker`, not started.
fn publishing(
    broker: &MemoryBroker,
    message: Outgoing,
) -> Publishing<'_, impl Future<Output = ()> + Send + use<>> {
    Publishing {
        broker,
        wait: wait_for_room,
        step: Step::Start {
            message: Some(message),
        },
    }
}

impl<W: Future<Output = ()>> Future for Publishing<'_, W> {
    type Output = Result<Delivery, TransportError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let StepProj::Start { message } = this.step.as_mut().project() {
            let Some(message) = message.take() else {
                return Poll::Ready(Ok(Delivery::default()));
            };
            if this.broker.lock().closed {
                return Poll::Ready(Err(TransportError::Closed));
            }
            let retain = message.retain;
            let message = Incoming::from_outgoing(message);
            if retain {
                let mut state = this.broker.lock();
                if message.payload.is_empty() {
                    state.retained.remove(&message.address);
                } else {
                    state
                        .retained
                        .insert(message.address.clone(), message.clone());
                }
            }
            match take_room(this.broker.queue(message)) {
                None => return Poll::Ready(Ok(Delivery::default())),
                Some(full) => this.step.set(Step::Waiting {
                    room: (this.wait)(full),
                }),
            }
        }
        if let StepProj::Waiting { room } = this.step.as_mut().project() {
            futures::ready!(room.poll(cx));
            this.step.set(Step::Start { message: None });
        }
        Poll::Ready(Ok(Delivery::default()))
    }
}

impl MemoryBroker {
    /// The subscriptions `message` goes to: every matching one outside a group, and one member
    /// of each group with matching members (chosen by key, else in turn).
    fn targets(&self, message: &Incoming) -> Vec<Target> {
        let mut state = self.lock();
        let State {
            subscribers, turns, ..
        } = &mut *state;
        subscribers.retain(|s| !s.sender.is_closed());
        let mut targets = Vec::new();
        let mut groups: Vec<(&str, Vec<&Subscriber>)> = Vec::new();
        for s in subscribers.iter().filter(|s| s.wants(&message.address)) {
            match &s.group {
                None => targets.push(s.target()),
                Some(g) => match groups.iter_mut().find(|(name, _)| name == g) {
                    Some((_, members)) => members.push(s),
                    None => groups.push((g, vec![s])),
                },
            }
        }
        for (group, members) in groups {
            let index = match &message.key {
                Some(key) => {
                    use std::hash::{Hash, Hasher};
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    key.hash(&mut hasher);
                    (hasher.finish() % members.len() as u64) as usize
                }
                None => {
                    let turn = turns.entry(group.to_owned()).or_default();
                    *turn = turn.wrapping_add(1);
                    *turn % members.len()
                }
            };
            targets.push(members[index].target());
        }
        targets
    }
}

impl Transport for MemoryBroker {
    fn publish(
        &self,
        message: Outgoing,
    ) -> impl Future<Output = Result<Delivery, TransportError>> + Send {
        publishing(self, message)
    }

    /// Closes every clone at once; nothing is left to flush (a publish has resolved once its
    /// subscribers had room).
    async fn close(&self) -> Result<(), TransportError> {
        let subscribers = {
            let mut state = self.lock();
            state.closed = true;
            state.retained.clear();
            std::mem::take(&mut state.subscribers)
        };
        // Dropping the senders ends each stream after what it holds; closing the room releases
        // the publishers waiting for it.
        for subscriber in subscribers {
            subscriber.room.close();
        }
        self.health.set(ConnectionState::Closed);
        Ok(())
    }

    fn health(&self) -> Health {
        self.health.health()
    }

    async fn subscribe(&self, subscription: Subscription) -> Result<RawStream, TransportError> {
        if self.lock().closed {
            return Err(TransportError::Closed);
        }
        Ok(self.subscribe_matching(
            subscription.mqtt_filter(),
            Some(subscription.template.to_string()),
            subscription.group.map(|g| g.into_owned()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn next_address(stream: &mut RawStream) -> String {
        stream.next().await.unwrap().unwrap().address
    }

    #[tokio::test]
    async fn routes_by_wildcards() {
        let broker = MemoryBroker::new();
        let mut plus = broker.subscribe_filter("a/+/c");
        let mut hash = broker.subscribe_filter("a/#");
        let mut exact = broker.subscribe_filter("a/x/c");
        assert_eq!(broker.deliver("a/x/c", "1".into()).await, 3);
        assert_eq!(broker.deliver("a/y/c", "2".into()).await, 2);
        assert_eq!(broker.deliver("a/y/c/d", "3".into()).await, 1);
        assert_eq!(broker.deliver("b/x/c", "4".into()).await, 0);
        assert_eq!(next_address(&mut plus).await, "a/x/c");
        assert_eq!(next_address(&mut plus).await, "a/y/c");
        assert_eq!(next_address(&mut hash).await, "a/x/c");
        assert_eq!(next_address(&mut hash).await, "a/y/c");
        assert_eq!(next_address(&mut hash).await, "a/y/c/d");
        assert_eq!(next_address(&mut exact).await, "a/x/c");
    }

    #[tokio::test]
    async fn typed_subscriptions_match_their_template_not_just_the_mqtt_level() {
        let broker = MemoryBroker::new();
        let mut measured = broker
            .subscribe(Subscription::new("lights.{id}.measured"))
            .await
            .unwrap();
        // One MQTT level each: the filter `+` alone would take both.
        assert_eq!(broker.deliver("lights.a.dim", "1".into()).await, 0);
        assert_eq!(broker.deliver("lights.a.measured", "2".into()).await, 1);
        assert_eq!(next_address(&mut measured).await, "lights.a.measured");
    }

    #[tokio::test]
    async fn dropped_subscriptions_are_forgotten() {
        let broker = MemoryBroker::new();
        let stream = broker.subscribe_filter("t");
        drop(stream);
        assert_eq!(broker.deliver("t", "x".into()).await, 0);
        assert_eq!(broker.lock().subscribers.len(), 0);
    }

    #[tokio::test]
    async fn full_buffers_make_publishers_wait() {
        let broker = MemoryBroker::with_buffer(1);
        let mut stream = broker.subscribe_filter("t");
        broker.deliver("t", "1".into()).await;
        let second = broker.deliver("t", "2".into());
        tokio::pin!(second);
        // The buffer is full: the second delivery cannot finish until the subscriber reads.
        assert!(futures::poll!(second.as_mut()).is_pending());
        assert_eq!(&stream.next().await.unwrap().unwrap().payload[..], b"1");
        assert_eq!(second.await, 1);
        assert_eq!(&stream.next().await.unwrap().unwrap().payload[..], b"2");
    }

    #[tokio::test]
    async fn retained_messages_reach_later_subscribers() {
        let broker = MemoryBroker::new();
        let retained = Outgoing::new("lights/1/state", "on").with_retain(true);
        broker.publish(retained).await.unwrap();
        broker
            .publish(Outgoing::new("lights/2/state", "off"))
            .await
            .unwrap();
        let mut later = broker.subscribe_filter("lights/+/state");
        assert_eq!(next_address(&mut later).await, "lights/1/state");
        // The message that was not retained is gone; the next one is new.
        broker
            .publish(Outgoing::new("lights/3/state", "x"))
            .await
            .unwrap();
        assert_eq!(next_address(&mut later).await, "lights/3/state");
        // An empty retained payload clears it.
        broker
            .publish(Outgoing::new("lights/1/state", "").with_retain(true))
            .await
            .unwrap();
        assert!(broker.retained("lights/1/state").is_none());
    }

    #[tokio::test]
    async fn a_group_shares_messages_and_keeps_keys_together() {
        let broker = MemoryBroker::new();
        let subscribe = |group: Option<&'static str>| {
            let mut s = Subscription::new("orders");
            s.group = group.map(Into::into);
            broker.subscribe(s)
        };
        let mut a = subscribe(Some("billing")).await.unwrap();
        let mut b = subscribe(Some("billing")).await.unwrap();
        let mut everything = subscribe(None).await.unwrap();
        for i in 0..20 {
            let key = if i % 2 == 0 { "even" } else { "odd" };
            broker
                .publish(Outgoing::new("orders", i.to_string()).with_key(key))
                .await
                .unwrap();
        }
        let mut seen = Vec::new();
        for stream in [&mut a, &mut b] {
            while let Some(Some(Ok(m))) = futures::FutureExt::now_or_never(stream.next()) {
                seen.push((m.key.unwrap(), m.payload));
            }
        }
        // Each message went to exactly one member; per key, in publish order.
        assert_eq!(seen.len(), 20);
        for key in ["even", "odd"] {
            let order: Vec<u32> = seen
                .iter()
                .filter(|(k, _)| &k[..] == key.as_bytes())
                .map(|(_, p)| std::str::from_utf8(p).unwrap().parse().unwrap())
                .collect();
            assert_eq!(order.len(), 10);
            assert!(order.windows(2).all(|w| w[0] < w[1]), "{key}: {order:?}");
        }
        // Outside the group, a subscription gets everything.
        for _ in 0..20 {
            everything.next().await.unwrap().unwrap();
        }
    }

    #[tokio::test]
    async fn a_group_without_keys_takes_turns() {
        let broker = MemoryBroker::new();
        let mut members = Vec::new();
        for _ in 0..2 {
            members.push(
                broker
                    .subscribe(Subscription::new("jobs").with_group("workers"))
                    .await
                    .unwrap(),
            );
        }
        for i in 0..4 {
            broker
                .publish(Outgoing::new("jobs", i.to_string()))
                .await
                .unwrap();
        }
        for member in &mut members {
            for _ in 0..2 {
                member.next().await.unwrap().unwrap();
            }
        }
    }

    #[tokio::test]
    async fn a_dropped_subscription_releases_waiting_publishers() {
        let broker = MemoryBroker::with_buffer(1);
        let stream = broker.subscribe_filter("t");
        broker.deliver("t", "1".into()).await;
        let second = broker.deliver("t", "2".into());
        tokio::pin!(second);
        assert!(futures::poll!(second.as_mut()).is_pending());
        drop(stream);
        assert_eq!(second.await, 1);
    }

    #[tokio::test]
    async fn closing_ends_subscriptions_releases_publishers_and_refuses_publishes() {
        let broker = MemoryBroker::with_buffer(1);
        let mut health = broker.health();
        assert_eq!(health.state(), ConnectionState::Connected);
        let mut stream = broker.subscribe(Subscription::new("t")).await.unwrap();
        let clone = broker.clone();
        clone.publish(Outgoing::new("t", "1")).await.unwrap();
        let waiting = clone.publish(Outgoing::new("t", "2"));
        tokio::pin!(waiting);
        assert!(futures::poll!(waiting.as_mut()).is_pending());
        broker.close().await.unwrap();
        // The publisher waiting for room stops waiting; what was queued is still handed out.
        waiting.await.unwrap();
        assert_eq!(&stream.next().await.unwrap().unwrap().payload[..], b"1");
        assert_eq!(&stream.next().await.unwrap().unwrap().payload[..], b"2");
        assert!(stream.next().await.is_none());
        assert!(matches!(
            clone.publish(Outgoing::new("t", "3")).await,
            Err(TransportError::Closed)
        ));
        assert!(matches!(
            clone.subscribe(Subscription::new("t")).await,
            Err(TransportError::Closed)
        ));
        assert!(clone.subscribe_filter("t").next().await.is_none());
        assert_eq!(health.changed().await, Some(ConnectionState::Closed));
        assert_eq!(clone.health().state(), ConnectionState::Closed);
        // Closing again does nothing.
        clone.close().await.unwrap();
    }

    #[tokio::test]
    async fn publishes_in_flight_together_keep_their_order() {
        let broker = MemoryBroker::with_buffer(4);
        let mut stream = broker.subscribe_filter("t");
        // Far more at once than the buffer holds, and than tokio's cooperative budget allows a
        // task to make progress on before it is forced to yield.
        let publishes = futures::stream::iter(0..500)
            .map(|i| broker.publish(Outgoing::new("t", i.to_string())))
            .buffered(64);
        let reader = async {
            for i in 0..500 {
                let message = stream.next().await.unwrap().unwrap();
                assert_eq!(
                    std::str::from_utf8(&message.payload).unwrap(),
                    i.to_string()
                );
            }
        };
        let (results, ()) = tokio::join!(publishes.collect::<Vec<_>>(), reader);
        assert!(results.iter().all(Result::is_ok));
    }
}
