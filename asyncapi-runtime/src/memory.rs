//! The in-memory broker: the embedded default transport, for examples and for users' own tests.
//!
//! It routes by MQTT topic-filter rules (`+`, `#`), delivers to every matching subscription in
//! publish order, and applies backpressure: each subscription has a bounded buffer, and a publish
//! waits while a subscriber's buffer is full.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::address::mqtt_matches;
use crate::{Delivery, Incoming, Outgoing, RawStream, Subscription, Transport, TransportError};

/// Messages buffered per subscription before publishers wait.
pub const DEFAULT_BUFFER: usize = 1024;

struct Subscriber {
    filter: String,
    /// The channel template of a typed subscription: an address must also fit it (a dotted
    /// Kafka-style template is one MQTT level, which the filter alone would match too widely).
    template: Option<String>,
    sender: mpsc::Sender<Incoming>,
}

impl Subscriber {
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
    subscribers: Arc<Mutex<Vec<Subscriber>>>,
    buffer: usize,
}

impl Default for MemoryBroker {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for MemoryBroker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBroker")
            .field("subscriptions", &self.lock().len())
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
            subscribers: Arc::default(),
            buffer: buffer.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Subscriber>> {
        // A panic while holding the lock cannot leave the list half-updated, so poisoning is moot.
        self.subscribers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Subscribes with a raw MQTT topic filter.
    pub fn subscribe_filter(&self, filter: impl Into<String>) -> RawStream {
        self.subscribe_matching(filter.into(), None)
    }

    fn subscribe_matching(&self, filter: String, template: Option<String>) -> RawStream {
        let (sender, receiver) = mpsc::channel(self.buffer);
        self.lock().push(Subscriber {
            filter,
            template,
            sender,
        });
        futures::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|m| (Ok(m), receiver))
        })
        .boxed()
    }

    /// Delivers a message with only an address and a payload to every matching subscription;
    /// returns how many received it.
    pub async fn deliver(&self, address: &str, payload: bytes::Bytes) -> usize {
        self.deliver_message(Incoming::new(address, payload)).await
    }

    /// Delivers one message, with every property it has, to every matching subscription;
    /// returns how many received it.
    pub async fn deliver_message(&self, message: Incoming) -> usize {
        let address = message.address.as_str();
        let targets: Vec<mpsc::Sender<Incoming>> = {
            let mut subscribers = self.lock();
            subscribers.retain(|s| !s.sender.is_closed());
            subscribers
                .iter()
                .filter(|s| s.wants(address))
                .map(|s| s.sender.clone())
                .collect()
        };
        let mut delivered = 0;
        for sender in targets {
            if sender.send(message.clone()).await.is_ok() {
                delivered += 1;
            }
        }
        delivered
    }
}

impl Transport for MemoryBroker {
    async fn publish(&self, message: Outgoing) -> Result<Delivery, TransportError> {
        self.deliver_message(Incoming::from_outgoing(message)).await;
        Ok(Delivery::default())
    }

    async fn subscribe(&self, subscription: Subscription) -> Result<RawStream, TransportError> {
        Ok(self.subscribe_matching(
            subscription.mqtt_filter(),
            Some(subscription.template.into_owned()),
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
        assert_eq!(broker.lock().len(), 0);
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
}
