//! Protocol bindings that change what the generated client does at runtime: the MQTT server
//! binding (client id, session, keep-alive, last will), the Kafka channel binding (topic,
//! partitions, replicas, topic configuration) and the Kafka operation binding (`groupId`,
//! `clientId`). Values of the wrong type are warnings, not errors: bindings are advice to a
//! transport, and a document is still usable without them.

use super::context::Context;
use crate::document::{Node, Value};

/// `bindings.mqtt` of a server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MqttServer {
    /// `clientId`.
    pub client_id: Option<String>,
    /// `cleanSession`.
    pub clean_session: Option<bool>,
    /// `keepAlive`, in seconds.
    pub keep_alive: Option<u32>,
    /// `lastWill`.
    pub last_will: Option<LastWill>,
    /// `sessionExpiryInterval`, in seconds, when it is a number.
    pub session_expiry_interval: Option<u32>,
}

/// `lastWill` of an MQTT server binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LastWill {
    /// `topic`.
    pub topic: String,
    /// `qos` (0 when absent).
    pub qos: u8,
    /// `message` (empty when absent).
    pub message: String,
    /// `retain`.
    pub retain: bool,
}

/// `bindings.kafka` of a channel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KafkaChannel {
    /// `topic`: the topic name when it differs from the channel's address.
    pub topic: Option<String>,
    /// `partitions`.
    pub partitions: Option<i32>,
    /// `replicas`.
    pub replicas: Option<i32>,
    /// `topicConfiguration`, as Kafka config names and text values.
    pub config: Vec<(String, String)>,
}

/// `bindings.kafka` of an operation: fixed values of its `groupId` and `clientId` schemas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KafkaOperation {
    /// The consumer group.
    pub group_id: Option<String>,
    /// The client id.
    pub client_id: Option<String>,
}

/// The `protocol` binding of `node` (references followed).
pub(super) fn binding<'a>(
    cx: &mut Context<'a>,
    node: &'a Node,
    protocol: &str,
) -> Option<&'a Node> {
    let bindings = cx.resolve(node.get("bindings")?).ok()?;
    cx.resolve(bindings.get(protocol)?).ok()
}

fn warn_type(cx: &mut Context<'_>, node: &Node, what: &str) {
    cx.warn(node.error(format!("{what}; the binding value is ignored")));
}

fn bool_at(cx: &mut Context<'_>, node: &Node, key: &str, what: &str) -> Option<bool> {
    let value = node.get(key)?;
    match value.value {
        Value::Bool(b) => Some(b),
        _ => {
            warn_type(cx, value, &format!("{what} `{key}` should be a boolean"));
            None
        }
    }
}

fn int_at<T: TryFrom<i64>>(cx: &mut Context<'_>, node: &Node, key: &str, what: &str) -> Option<T> {
    let value = node.get(key)?;
    match value.value {
        Value::Int(n) => match T::try_from(n) {
            Ok(v) if n >= 0 => Some(v),
            _ => {
                warn_type(cx, value, &format!("{what} `{key}` is out of range"));
                None
            }
        },
        // A schema (`sessionExpiryInterval` may be one): no fixed value to apply.
        Value::Map(_) => None,
        _ => {
            warn_type(
                cx,
                value,
                &format!("{what} `{key}` should be a whole number"),
            );
            None
        }
    }
}

/// The MQTT binding of a server.
pub(super) fn mqtt_server<'a>(cx: &mut Context<'a>, server: &'a Node) -> Option<MqttServer> {
    let mqtt = binding(cx, server, "mqtt")?;
    const WHAT: &str = "MQTT server binding";
    let last_will = mqtt.get("lastWill").and_then(|will| {
        let will = cx.resolve(will).ok()?;
        let topic = cx.opt_str(will, "topic");
        let Some(topic) = topic else {
            warn_type(cx, will, "MQTT `lastWill` without a `topic`");
            return None;
        };
        Some(LastWill {
            topic,
            qos: int_at::<u8>(cx, will, "qos", "MQTT `lastWill`").map_or(0, |q| q.min(2)),
            message: cx.opt_str(will, "message").unwrap_or_default(),
            retain: bool_at(cx, will, "retain", "MQTT `lastWill`").unwrap_or(false),
        })
    });
    Some(MqttServer {
        client_id: cx.opt_str(mqtt, "clientId"),
        clean_session: bool_at(cx, mqtt, "cleanSession", WHAT),
        keep_alive: int_at(cx, mqtt, "keepAlive", WHAT),
        last_will,
        session_expiry_interval: int_at(cx, mqtt, "sessionExpiryInterval", WHAT),
    })
}

/// The Kafka binding of a channel.
pub(super) fn kafka_channel<'a>(cx: &mut Context<'a>, channel: &'a Node) -> Option<KafkaChannel> {
    let kafka = binding(cx, channel, "kafka")?;
    const WHAT: &str = "Kafka channel binding";
    let mut config = Vec::new();
    if let Some(topic_config) = kafka.get("topicConfiguration")
        && let Ok(topic_config) = cx.resolve(topic_config)
    {
        for (name, value) in topic_config.entries() {
            let text = match &value.value {
                Value::String(s) => s.clone(),
                Value::Int(n) => n.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                Value::Null | Value::Map(_) => {
                    warn_type(
                        cx,
                        value,
                        &format!("Kafka `topicConfiguration.{name}` has no value"),
                    );
                    continue;
                }
            };
            config.push((name.clone(), text));
        }
    }
    Some(KafkaChannel {
        topic: cx.opt_str(kafka, "topic"),
        partitions: int_at(cx, kafka, "partitions", WHAT),
        replicas: int_at(cx, kafka, "replicas", WHAT),
        config,
    })
}

/// The fixed value a binding schema allows: its `const`, its one-value `enum`, else its
/// `default` (a group id written as `{type: string, enum: [orders]}` is `orders`).
fn fixed_value<'a>(cx: &mut Context<'a>, schema: &'a Node) -> Option<String> {
    let schema = cx.resolve(schema).ok()?;
    if let Some(s) = schema.as_str() {
        return Some(s.to_owned());
    }
    if let Some(c) = schema.get("const").and_then(Node::as_str) {
        return Some(c.to_owned());
    }
    if let Some(values) = schema.get("enum").map(Node::items)
        && let [one] = values
    {
        return one.as_str().map(str::to_owned);
    }
    schema
        .get("default")
        .and_then(Node::as_str)
        .map(str::to_owned)
}

/// An operation's traits (references followed), then the operation: the order its bindings
/// apply in, later values winning, as both versions' trait rules say.
pub(super) fn traits_then_own<'a>(cx: &mut Context<'a>, operation: &'a Node) -> Vec<&'a Node> {
    let mut sources: Vec<&'a Node> = Vec::new();
    for t in operation.get("traits").map(Node::items).unwrap_or_default() {
        if let Ok(t) = cx.resolve(t) {
            sources.push(t);
        }
    }
    sources.push(operation);
    sources
}

/// The Kafka binding of an operation, its traits applied first (its own values win).
pub(super) fn kafka_operation<'a>(cx: &mut Context<'a>, operation: &'a Node) -> KafkaOperation {
    let mut out = KafkaOperation::default();
    for source in traits_then_own(cx, operation) {
        let Some(kafka) = binding(cx, source, "kafka") else {
            continue;
        };
        if let Some(group) = kafka.get("groupId").and_then(|s| fixed_value(cx, s)) {
            out.group_id = Some(group);
        }
        if let Some(client) = kafka.get("clientId").and_then(|s| fixed_value(cx, s)) {
            out.client_id = Some(client);
        }
    }
    out
}
