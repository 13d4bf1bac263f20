//! The transport contract: what every broker adapter (memory, MQTT, Kafka) provides.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use futures::Stream;

use crate::TransportError;

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
}

impl Outgoing {
    /// A message with default options (QoS 0, not retained, no content type).
    pub fn new(address: impl Into<String>, payload: impl Into<Bytes>) -> Self {
        Outgoing {
            address: address.into(),
            payload: payload.into(),
            content_type: None,
            qos: QoS::AtMostOnce,
            retain: false,
        }
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
}

/// A message as a transport delivers it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Incoming {
    /// The concrete address it arrived on.
    pub address: String,
    /// The raw payload.
    pub payload: Bytes,
}

impl Incoming {
    /// A received message.
    pub fn new(address: impl Into<String>, payload: impl Into<Bytes>) -> Self {
        Incoming {
            address: address.into(),
            payload: payload.into(),
        }
    }
}

/// What to subscribe to.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Subscription {
    /// The channel's address template; each transport derives its own filter from it.
    pub template: &'static str,
    /// Requested delivery guarantee.
    pub qos: QoS,
}

impl Subscription {
    /// A subscription to every address of `template`.
    pub fn new(template: &'static str) -> Self {
        Subscription {
            template,
            qos: QoS::AtMostOnce,
        }
    }

    /// Sets the requested delivery guarantee.
    pub fn with_qos(mut self, qos: QoS) -> Self {
        self.qos = qos;
        self
    }

    /// The MQTT topic filter for this subscription.
    pub fn mqtt_filter(&self) -> String {
        crate::address::mqtt_filter(self.template)
    }
}

/// The raw stream a transport hands out for one subscription.
pub type RawStream = Pin<Box<dyn Stream<Item = Result<Incoming, TransportError>> + Send>>;

/// A message broker connection that generated clients publish and subscribe through.
pub trait Transport: Send + Sync + 'static {
    /// Publishes one message; resolves when the transport has taken it.
    fn publish(&self, message: Outgoing)
    -> impl Future<Output = Result<(), TransportError>> + Send;

    /// Subscribes; the stream yields every message whose address fits the template.
    fn subscribe(
        &self,
        subscription: Subscription,
    ) -> impl Future<Output = Result<RawStream, TransportError>> + Send;
}
