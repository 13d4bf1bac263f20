//! Protocol bindings of the spec that transports read: the MQTT server binding (client id,
//! session, keep-alive, last will) and the Kafka channel binding (topic, partitions, replicas,
//! topic configuration). Generated as constants; transports take them as defaults that runtime
//! configuration may override.

use crate::QoS;

/// An MQTT server binding (`bindings.mqtt` of a server).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MqttServerBinding {
    /// `clientId`.
    pub client_id: Option<&'static str>,
    /// `cleanSession`: start without the state of an earlier session.
    pub clean_session: Option<bool>,
    /// `keepAlive`, in seconds.
    pub keep_alive: Option<u32>,
    /// `lastWill`.
    pub last_will: Option<LastWill>,
    /// `sessionExpiryInterval` (MQTT 5), in seconds, when the spec gives a number.
    pub session_expiry_interval: Option<u32>,
}

/// The message the broker publishes for a client that disconnects without saying goodbye.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastWill {
    /// `topic`.
    pub topic: &'static str,
    /// `qos`.
    pub qos: QoS,
    /// `message` (empty when none).
    pub message: &'static str,
    /// `retain`.
    pub retain: bool,
}

/// A Kafka topic as a channel's binding describes it; what an explicit topic-creation call
/// creates. Topics are never created implicitly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KafkaTopic {
    /// The channel's id in the spec.
    pub channel: &'static str,
    /// The topic name: the binding's `topic`, else the channel's (parameterless) address.
    pub name: &'static str,
    /// `partitions` (the broker's default when `None`).
    pub partitions: Option<i32>,
    /// `replicas` (the broker's default when `None`).
    pub replicas: Option<i32>,
    /// `topicConfiguration`, as Kafka topic-config names and text values (`cleanup.policy` lists
    /// joined with commas).
    pub config: &'static [(&'static str, &'static str)],
}
