//! The two rumqttc clients (MQTT 3.1.1 at the crate root, MQTT 5 in `rumqttc::v5`) behind one
//! face: requests go in through [`Client`], events come out of [`Connection`] as one
//! [`Event`] type, so everything above this module has a single code path.

use std::collections::VecDeque;

use bytes::Bytes;
use rumqttc::QoS as QoS4;
use rumqttc::v5::mqttbytes::QoS as QoS5;
use rumqttc::v5::mqttbytes::v5 as v5b;

use crate::{Headers, Incoming, Outgoing, QoS, TransportError};

use super::config::{MqttConfig, MqttVersion};

/// The MQTT 5 user property that carries a message's key ([`Outgoing::key`]); taken out of
/// the headers again on receipt. MQTT 3.1.1 cannot carry keys.
pub const KEY_PROPERTY: &str = "asyncapi-key";

/// How many requests rumqttc's channel holds before senders wait.
const REQUEST_CAPACITY: usize = 128;
/// Outgoing QoS 1/2 messages in flight at once (also the packet-id range rumqttc cycles).
const INFLIGHT: u16 = 100;

fn qos4(qos: QoS) -> QoS4 {
    match qos {
        QoS::AtMostOnce => QoS4::AtMostOnce,
        QoS::AtLeastOnce => QoS4::AtLeastOnce,
        QoS::ExactlyOnce => QoS4::ExactlyOnce,
    }
}

fn qos5(qos: QoS) -> QoS5 {
    match qos {
        QoS::AtMostOnce => QoS5::AtMostOnce,
        QoS::AtLeastOnce => QoS5::AtLeastOnce,
        QoS::ExactlyOnce => QoS5::ExactlyOnce,
    }
}

fn from_qos4(qos: QoS4) -> QoS {
    match qos {
        QoS4::AtMostOnce => QoS::AtMostOnce,
        QoS4::AtLeastOnce => QoS::AtLeastOnce,
        QoS4::ExactlyOnce => QoS::ExactlyOnce,
    }
}

fn from_qos5(qos: QoS5) -> QoS {
    match qos {
        QoS5::AtMostOnce => QoS::AtMostOnce,
        QoS5::AtLeastOnce => QoS::AtLeastOnce,
        QoS5::ExactlyOnce => QoS::ExactlyOnce,
    }
}

/// Why a request could not be handed to rumqttc right now.
#[derive(Debug)]
pub(super) enum Rejected {
    /// Its request channel is full: try again when the event loop took something off it.
    Full,
}

/// A publish checked and converted for the connection's protocol version.
#[derive(Clone, Debug)]
pub(super) struct Prepared {
    pub(super) topic: String,
    pub(super) qos: QoS,
    retain: bool,
    payload: Bytes,
    properties: Option<v5b::PublishProperties>,
}

impl Prepared {
    /// At least the size of the PUBLISH packet this becomes: every length field counted at its
    /// largest.
    fn size_bound(&self) -> usize {
        let properties = self.properties.as_ref().map_or(0, |p| {
            let text = |s: &Option<String>| s.as_ref().map_or(0, |s| 3 + s.len());
            text(&p.content_type)
                + text(&p.response_topic)
                + p.correlation_data.as_ref().map_or(0, |d| 3 + d.len())
                + p.user_properties
                    .iter()
                    .map(|(k, v)| 5 + k.len() + v.len())
                    .sum::<usize>()
        });
        // Fixed header (at most 5), topic and its length, packet id, properties and their
        // length (at most 4), payload.
        5 + 2 + self.topic.len() + 2 + 4 + properties + self.payload.len()
    }
}

/// What identifies a received message to acknowledge it.
#[derive(Clone, Copy, Debug)]
pub(super) struct AckToken {
    pub(super) qos: QoS,
    pub(super) pkid: u16,
}

/// A received PUBLISH, whichever the protocol version.
#[derive(Debug)]
pub(super) struct Message {
    pub(super) topic: String,
    pub(super) payload: Bytes,
    pub(super) token: AckToken,
    /// The MQTT 5 subscription identifiers of the subscriptions it came through.
    pub(super) subscription_ids: Vec<usize>,
    headers: Headers,
    key: Option<Bytes>,
    content_type: Option<String>,
    correlation_id: Option<String>,
    reply_to: Option<String>,
}

impl Message {
    /// The runtime's view of it (no acknowledgement attached yet).
    pub(super) fn into_incoming(self) -> Incoming {
        let mut incoming = Incoming::new(self.topic, self.payload);
        incoming.headers = self.headers;
        incoming.key = self.key;
        incoming.content_type = self.content_type.map(Into::into);
        incoming.correlation_id = self.correlation_id;
        incoming.reply_to = self.reply_to;
        incoming.qos = Some(self.token.qos);
        incoming
    }
}

/// What the connection reports, whichever the protocol version.
#[derive(Debug)]
pub(super) enum Event {
    /// Connected (or reconnected).
    ConnAck {
        session_present: bool,
        /// The broker's maximum packet size (MQTT 5).
        max_packet_size: Option<u32>,
        /// Whether subscriptions may carry identifiers (MQTT 5, unless the broker says no).
        subscription_ids: bool,
    },
    /// A message arrived.
    Publish(Box<Message>),
    /// A QoS 1 publish was acknowledged; `failure` is an MQTT 5 reason code that refuses it.
    PubAck { pkid: u16, failure: Option<String> },
    /// A QoS 2 publish was received by the broker (or refused, MQTT 5).
    PubRec { pkid: u16, failure: Option<String> },
    /// A QoS 2 publish completed.
    PubComp { pkid: u16, failure: Option<String> },
    /// A subscription was answered: one failure text per refused filter.
    SubAck { pkid: u16, failures: Vec<String> },
    /// rumqttc wrote a PUBLISH with this packet id (0 for QoS 0).
    SentPublish(u16),
    /// rumqttc took a QoS 1/2 publish whose packet id is still in use; it goes out (as
    /// [`Event::SentPublish`]) once the earlier one is acknowledged.
    DeferredPublish(u16),
    /// rumqttc wrote a SUBSCRIBE with this packet id.
    SentSubscribe(u16),
    /// rumqttc wrote the DISCONNECT.
    SentDisconnect,
    /// rumqttc took some other request off its channel.
    SentOther,
    /// Anything else (pings, unsubscribe acknowledgements, ...).
    Other,
}

impl Event {
    fn from_v4(event: rumqttc::Event) -> Event {
        use rumqttc::{Event as E, Outgoing as O, Packet as P};
        match event {
            E::Incoming(P::ConnAck(ack)) => Event::ConnAck {
                session_present: ack.session_present,
                max_packet_size: None,
                subscription_ids: false,
            },
            E::Incoming(P::Publish(p)) => Event::Publish(Box::new(Message {
                topic: p.topic,
                payload: p.payload,
                token: AckToken {
                    qos: from_qos4(p.qos),
                    pkid: p.pkid,
                },
                subscription_ids: Vec::new(),
                headers: Headers::new(),
                key: None,
                content_type: None,
                correlation_id: None,
                reply_to: None,
            })),
            E::Incoming(P::PubAck(ack)) => Event::PubAck {
                pkid: ack.pkid,
                failure: None,
            },
            E::Incoming(P::PubRec(rec)) => Event::PubRec {
                pkid: rec.pkid,
                failure: None,
            },
            E::Incoming(P::PubComp(comp)) => Event::PubComp {
                pkid: comp.pkid,
                failure: None,
            },
            E::Incoming(P::SubAck(ack)) => Event::SubAck {
                pkid: ack.pkid,
                failures: ack
                    .return_codes
                    .iter()
                    .filter(|code| matches!(code, rumqttc::SubscribeReasonCode::Failure))
                    .map(|_| "refused (failure return code 0x80)".to_owned())
                    .collect(),
            },
            E::Incoming(_) => Event::Other,
            E::Outgoing(O::Publish(pkid)) => Event::SentPublish(pkid),
            E::Outgoing(O::AwaitAck(pkid)) => Event::DeferredPublish(pkid),
            E::Outgoing(O::Subscribe(pkid)) => Event::SentSubscribe(pkid),
            E::Outgoing(O::Disconnect) => Event::SentDisconnect,
            E::Outgoing(_) => Event::SentOther,
        }
    }

    fn from_v5(event: rumqttc::v5::Event) -> Event {
        use rumqttc::Outgoing as O;
        use rumqttc::v5::Event as E;
        use v5b::Packet as P;
        match event {
            E::Incoming(P::ConnAck(ack)) => Event::ConnAck {
                session_present: ack.session_present,
                max_packet_size: ack.properties.as_ref().and_then(|p| p.max_packet_size),
                subscription_ids: ack
                    .properties
                    .as_ref()
                    .is_none_or(|p| p.subscription_identifiers_available != Some(0)),
            },
            E::Incoming(P::Publish(p)) => {
                let mut message = Message {
                    topic: String::from_utf8_lossy(&p.topic).into_owned(),
                    payload: p.payload,
                    token: AckToken {
                        qos: from_qos5(p.qos),
                        pkid: p.pkid,
                    },
                    subscription_ids: Vec::new(),
                    headers: Headers::new(),
                    key: None,
                    content_type: None,
                    correlation_id: None,
                    reply_to: None,
                };
                if let Some(properties) = p.properties {
                    let mut headers = Headers(properties.user_properties);
                    message.key = headers.remove(KEY_PROPERTY).map(Bytes::from);
                    message.headers = headers;
                    message.subscription_ids = properties.subscription_identifiers;
                    message.content_type = properties.content_type;
                    message.correlation_id = properties
                        .correlation_data
                        .map(|data| String::from_utf8_lossy(&data).into_owned());
                    message.reply_to = properties.response_topic;
                }
                Event::Publish(Box::new(message))
            }
            E::Incoming(P::PubAck(ack)) => Event::PubAck {
                pkid: ack.pkid,
                failure: match ack.reason {
                    v5b::PubAckReason::Success | v5b::PubAckReason::NoMatchingSubscribers => None,
                    reason => Some(reason_text(
                        format!("{reason:?}"),
                        ack.properties.and_then(|p| p.reason_string),
                    )),
                },
            },
            E::Incoming(P::PubRec(rec)) => Event::PubRec {
                pkid: rec.pkid,
                failure: match rec.reason {
                    v5b::PubRecReason::Success | v5b::PubRecReason::NoMatchingSubscribers => None,
                    reason => Some(reason_text(
                        format!("{reason:?}"),
                        rec.properties.and_then(|p| p.reason_string),
                    )),
                },
            },
            E::Incoming(P::PubComp(comp)) => Event::PubComp {
                pkid: comp.pkid,
                failure: match comp.reason {
                    v5b::PubCompReason::Success => None,
                    reason => Some(reason_text(
                        format!("{reason:?}"),
                        comp.properties.and_then(|p| p.reason_string),
                    )),
                },
            },
            E::Incoming(P::SubAck(ack)) => {
                let why = ack.properties.and_then(|p| p.reason_string);
                Event::SubAck {
                    pkid: ack.pkid,
                    failures: ack
                        .return_codes
                        .iter()
                        .filter(|code| !matches!(code, v5b::SubscribeReasonCode::Success(_)))
                        .map(|code| reason_text(format!("{code:?}"), why.clone()))
                        .collect(),
                }
            }
            E::Incoming(_) => Event::Other,
            E::Outgoing(O::Publish(pkid)) => Event::SentPublish(pkid),
            E::Outgoing(O::AwaitAck(pkid)) => Event::DeferredPublish(pkid),
            E::Outgoing(O::Subscribe(pkid)) => Event::SentSubscribe(pkid),
            E::Outgoing(O::Disconnect) => Event::SentDisconnect,
            E::Outgoing(_) => Event::SentOther,
        }
    }
}

fn reason_text(code: String, reason: Option<String>) -> String {
    match reason {
        Some(reason) => format!("{code}: {reason}"),
        None => code,
    }
}

/// Why polling the connection failed.
#[derive(Debug)]
pub(super) struct PollError {
    /// What happened, for logs and errors.
    pub(super) message: String,
    /// The broker refused the connection: the reason code, and whether it is about identity
    /// (credentials, client id, authorisation) rather than the broker's state.
    pub(super) refused: Option<(String, bool)>,
    /// The connection attempt timed out.
    pub(super) timed_out: bool,
}

impl PollError {
    fn v4(error: rumqttc::ConnectionError) -> PollError {
        use rumqttc::{ConnectReturnCode as C, ConnectionError as E};
        let refused = match &error {
            E::ConnectionRefused(code) => Some((
                format!("{code:?}"),
                matches!(
                    code,
                    C::BadClientId | C::BadUserNamePassword | C::NotAuthorized
                ),
            )),
            _ => None,
        };
        PollError {
            timed_out: matches!(error, E::NetworkTimeout),
            message: error.to_string(),
            refused,
        }
    }

    fn v5(error: rumqttc::v5::ConnectionError) -> PollError {
        use rumqttc::v5::ConnectionError as E;
        use v5b::ConnectReturnCode as C;
        let refused = match &error {
            E::ConnectionRefused(code) => Some((
                format!("{code:?}"),
                matches!(
                    code,
                    C::BadClientId
                        | C::ClientIdentifierNotValid
                        | C::BadUserNamePassword
                        | C::NotAuthorized
                        | C::Banned
                        | C::BadAuthenticationMethod
                ),
            )),
            _ => None,
        };
        PollError {
            timed_out: matches!(error, E::Timeout(_)),
            message: error.to_string(),
            refused,
        }
    }

    /// The error `connect` reports for a first attempt that failed like this.
    pub(super) fn into_connect_error(self, host: &str, port: u16) -> TransportError {
        match self.refused {
            Some((code, true)) => TransportError::Config(format!(
                "the broker at {host}:{port} refused the connection: {code}"
            )),
            Some((code, false)) => TransportError::backend(format!(
                "the broker at {host}:{port} refused the connection: {code}"
            )),
            None if self.timed_out => {
                TransportError::Timeout(format!("connecting to the broker at {host}:{port}"))
            }
            None => TransportError::backend(format!(
                "cannot connect to the broker at {host}:{port}: {}",
                self.message
            )),
        }
    }
}

/// The request side of the connection.
#[derive(Clone, Debug)]
pub(super) enum Client {
    V4(rumqttc::AsyncClient),
    V5(rumqttc::v5::AsyncClient),
}

impl Client {
    /// Checks and converts an outgoing message for this protocol version. MQTT 3.1.1 cannot
    /// carry headers, a response topic or correlation data: such a message is refused, never
    /// sent without them. Neither version has keys or partitions.
    pub(super) fn prepare(
        &self,
        message: Outgoing,
        max_packet: usize,
    ) -> Result<Prepared, TransportError> {
        let unsupported = |what: String| TransportError::Unsupported(what);
        let address = &message.address;
        if address.is_empty() || address.contains(['+', '#', '\0']) || address.len() > 65_535 {
            return Err(unsupported(format!(
                "{address:?} is not an MQTT topic name (empty, too long, or with a wildcard or NUL)"
            )));
        }
        if message.partition.is_some() {
            return Err(unsupported(format!(
                "the message for {address:?} names a partition, which MQTT does not have"
            )));
        }
        let mut prepared = Prepared {
            topic: String::new(),
            qos: message.qos,
            retain: message.retain,
            payload: message.payload.clone(),
            properties: None,
        };
        match self {
            Client::V4(_) => {
                let mut missing = Vec::new();
                // The trace context the runtime adds to every publish (feature `trace-context`)
                // is best effort: MQTT 3.1.1 has nowhere to put it, so it stays behind rather
                // than failing every publish.
                let names: Vec<&str> = message
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .filter(|name| *name != "traceparent")
                    .collect();
                if !names.is_empty() {
                    missing.push(format!("headers ({})", names.join(", ")));
                }
                if message.reply_to.is_some() {
                    missing.push("a response topic (reply_to)".to_owned());
                }
                if message.key.is_some() {
                    missing.push(format!(
                        "a key (MQTT 5 carries it as the user property `{KEY_PROPERTY}`)"
                    ));
                }
                // A correlation id the payload already holds (`$message.payload#/...`) travels
                // with it; only one that would have to go natively is lost.
                if let Some(id) = &message.correlation_id
                    && !contains(&message.payload, id.as_bytes())
                {
                    missing
                        .push("correlation data (a correlation id not in the payload)".to_owned());
                }
                if !missing.is_empty() {
                    return Err(unsupported(format!(
                        "the message for {address:?} has {}, which MQTT 3.1.1 cannot carry; connect \
                         with MqttVersion::V5 (MQTT 5 user properties and native properties) to send it",
                        missing.join(" and ")
                    )));
                }
            }
            Client::V5(_) => {
                let mut user_properties = message.headers.0;
                if let Some(key) = message.key {
                    let key = String::from_utf8(key.to_vec()).map_err(|_| {
                        unsupported(format!(
                            "the message for {address:?} has a key that is not UTF-8 text; MQTT 5 \
                             carries keys as the user property `{KEY_PROPERTY}`, which holds text"
                        ))
                    })?;
                    user_properties.push((KEY_PROPERTY.to_owned(), key));
                }
                let properties = v5b::PublishProperties {
                    content_type: message.content_type.map(str::to_owned),
                    correlation_data: message.correlation_id.map(Bytes::from),
                    response_topic: message.reply_to,
                    user_properties,
                    ..Default::default()
                };
                let has_any = properties.content_type.is_some()
                    || properties.correlation_data.is_some()
                    || properties.response_topic.is_some()
                    || !properties.user_properties.is_empty();
                prepared.properties = has_any.then_some(properties);
            }
        }
        prepared.topic = message.address;
        // Far below the limit (as almost every message is), the exact size does not matter;
        // computing it means building the packet once more.
        if prepared.size_bound() > max_packet {
            let size = self.packet_size(&prepared);
            if size > max_packet {
                let address = &prepared.topic;
                return Err(unsupported(format!(
                    "the message for {address:?} is a {size}-byte packet; the limit is {max_packet} bytes"
                )));
            }
        }
        Ok(prepared)
    }

    /// The exact size of the PUBLISH packet `prepared` becomes.
    fn packet_size(&self, prepared: &Prepared) -> usize {
        let pkid = u16::from(prepared.qos != QoS::AtMostOnce);
        match self {
            Client::V4(_) => {
                let mut packet = rumqttc::Publish::from_bytes(
                    prepared.topic.as_str(),
                    qos4(prepared.qos),
                    prepared.payload.clone(),
                );
                packet.pkid = pkid;
                packet.size()
            }
            Client::V5(_) => {
                let mut packet = v5b::Publish::new(
                    prepared.topic.as_str(),
                    qos5(prepared.qos),
                    prepared.payload.clone(),
                    prepared.properties.clone(),
                );
                packet.pkid = pkid;
                packet.size()
            }
        }
    }

    /// Hands the publish in `slot` to rumqttc (moving it, not copying it); when its channel is
    /// full the publish is put back into `slot` for the next try.
    pub(super) fn try_publish(&self, slot: &mut Option<Box<Prepared>>) -> Result<(), Rejected> {
        let Some(publish) = slot.take() else {
            return Ok(());
        };
        let Prepared {
            topic,
            qos,
            retain,
            payload,
            properties,
        } = *publish;
        let rejected = match self {
            Client::V4(client) => {
                match client.try_publish(topic, qos4(qos), retain, payload.to_vec()) {
                    Ok(()) => return Ok(()),
                    Err(rejected) => match rejected {
                        rumqttc::ClientError::Request(rumqttc::Request::Publish(p))
                        | rumqttc::ClientError::TryRequest(rumqttc::Request::Publish(p)) => {
                            Prepared {
                                topic: p.topic,
                                qos,
                                retain,
                                payload: p.payload,
                                properties: None,
                            }
                        }
                        _ => unreachable!("rumqttc gives a rejected publish back"),
                    },
                }
            }
            Client::V5(client) => {
                let sent = match properties {
                    Some(properties) => client.try_publish_with_properties(
                        topic,
                        qos5(qos),
                        retain,
                        payload,
                        properties,
                    ),
                    None => client.try_publish(topic, qos5(qos), retain, payload),
                };
                match sent {
                    Ok(()) => return Ok(()),
                    Err(rejected) => match rejected {
                        rumqttc::v5::ClientError::Request(rumqttc::v5::Request::Publish(p))
                        | rumqttc::v5::ClientError::TryRequest(rumqttc::v5::Request::Publish(p)) => {
                            Prepared {
                                topic: String::from_utf8_lossy(&p.topic).into_owned(),
                                qos,
                                retain,
                                payload: p.payload,
                                properties: p.properties,
                            }
                        }
                        _ => unreachable!("rumqttc gives a rejected publish back"),
                    },
                }
            }
        };
        *slot = Some(Box::new(rejected));
        Err(Rejected::Full)
    }

    /// Subscribes `filter`; `id` is its MQTT 5 subscription identifier.
    pub(super) fn try_subscribe(
        &self,
        filter: &str,
        qos: QoS,
        id: Option<usize>,
    ) -> Result<(), Rejected> {
        let sent = match self {
            Client::V4(client) => client.try_subscribe(filter, qos4(qos)).is_ok(),
            Client::V5(client) => match id {
                Some(id) => client
                    .try_subscribe_with_properties(
                        filter,
                        qos5(qos),
                        v5b::SubscribeProperties {
                            id: Some(id),
                            user_properties: Vec::new(),
                        },
                    )
                    .is_ok(),
                None => client.try_subscribe(filter, qos5(qos)).is_ok(),
            },
        };
        sent.then_some(()).ok_or(Rejected::Full)
    }

    pub(super) fn try_unsubscribe(&self, filter: &str) -> Result<(), Rejected> {
        let sent = match self {
            Client::V4(client) => client.try_unsubscribe(filter).is_ok(),
            Client::V5(client) => client.try_unsubscribe(filter).is_ok(),
        };
        sent.then_some(()).ok_or(Rejected::Full)
    }

    pub(super) fn try_ack(&self, token: AckToken) -> Result<(), Rejected> {
        let sent = match self {
            Client::V4(client) => client.try_ack(&ack_publish4(token)).is_ok(),
            Client::V5(client) => client.try_ack(&ack_publish5(token)).is_ok(),
        };
        sent.then_some(()).ok_or(Rejected::Full)
    }

    /// Acknowledges, waiting for room in the request channel.
    pub(super) async fn ack(&self, token: AckToken) -> Result<(), TransportError> {
        let result = match self {
            Client::V4(client) => client.ack(&ack_publish4(token)).await.is_ok(),
            Client::V5(client) => client.ack(&ack_publish5(token)).await.is_ok(),
        };
        result.then_some(()).ok_or(TransportError::Closed)
    }

    pub(super) fn try_disconnect(&self) -> Result<(), Rejected> {
        let sent = match self {
            Client::V4(client) => client.try_disconnect().is_ok(),
            Client::V5(client) => client.try_disconnect().is_ok(),
        };
        sent.then_some(()).ok_or(Rejected::Full)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// A PUBLISH that only carries what an acknowledgement needs (rumqttc reads qos and pkid).
fn ack_publish4(token: AckToken) -> rumqttc::Publish {
    let mut publish = rumqttc::Publish::from_bytes("", qos4(token.qos), Bytes::new());
    publish.pkid = token.pkid;
    publish
}

fn ack_publish5(token: AckToken) -> v5b::Publish {
    let mut publish = v5b::Publish::new("", qos5(token.qos), Bytes::new(), None);
    publish.pkid = token.pkid;
    publish
}

/// Requests taken back from rumqttc when a connection was lost, to hand again to the next one.
#[derive(Debug)]
pub(super) enum Saved {
    V4(VecDeque<rumqttc::Request>),
    V5(VecDeque<rumqttc::v5::Request>),
}

impl Saved {
    /// Appends `later` behind these.
    pub(super) fn append(&mut self, later: Saved) {
        match (self, later) {
            (Saved::V4(saved), Saved::V4(later)) => saved.extend(later),
            (Saved::V5(saved), Saved::V5(later)) => saved.extend(later),
            _ => unreachable!("requests of both protocol versions on one connection"),
        }
    }
}

/// The largest packet MQTT can frame (a 4-byte remaining length, plus the fixed header).
const PROTOCOL_MAX_PACKET: usize = 268_435_455 + 5;

/// `options` with Nagle's algorithm off (`TCP_NODELAY`), which rumqttc leaves on. With it on,
/// a small packet written while an earlier one is unacknowledged waits for the peer's delayed
/// ACK (40 ms on Linux): a QoS 1 request and its reply through Mosquitto took 88 ms (the
/// `request_reply` benchmark), 44 ms with this, 0.3 ms with Mosquitto's own
/// `set_tcp_nodelay true` too. rumqttc already writes whatever it has queued in one go, so
/// nothing is gained by delaying.
fn without_nagle(mut options: rumqttc::NetworkOptions) -> rumqttc::NetworkOptions {
    options.set_tcp_nodelay(true);
    options
}

/// The event side of the connection.
pub(super) enum Connection {
    V4(Box<rumqttc::EventLoop>),
    V5(Box<rumqttc::v5::EventLoop>),
}

impl Connection {
    /// The client and the connection for `config`, with `client_id`; not connected yet.
    pub(super) fn new(
        config: &MqttConfig,
        client_id: &str,
        tls: Option<rumqttc::TlsConfiguration>,
    ) -> (Client, Connection) {
        let keep_alive = config.keep_alive;
        let max = config.max_packet_size;
        match config.version {
            MqttVersion::V3_1_1 => {
                let mut options = rumqttc::MqttOptions::new(client_id, &config.host, config.port);
                options
                    .set_keep_alive(keep_alive)
                    .set_clean_session(config.clean_session)
                    // MQTT 3.1.1 cannot tell the broker a limit, and rumqttc drops the
                    // connection on an incoming packet over its own: the broker then sends the
                    // same message again on every reconnect (a persistent session) or loses
                    // what followed it (a clean one). So whatever the broker sends is read (the
                    // protocol's largest packet), and the typed layer refuses a payload over
                    // its own limit (`Client::with_max_payload`, a `TooLarge` item that is
                    // acknowledged); `max` limits what is sent.
                    .set_max_packet_size(PROTOCOL_MAX_PACKET, max)
                    .set_inflight(INFLIGHT)
                    .set_manual_acks(config.manual_acks);
                if let Some(credentials) = &config.credentials {
                    options.set_credentials(&credentials.username, &credentials.password);
                }
                if let Some(will) = &config.last_will {
                    options.set_last_will(rumqttc::LastWill::new(
                        &will.topic,
                        will.payload.to_vec(),
                        qos4(will.qos),
                        will.retain,
                    ));
                }
                if let Some(tls) = tls {
                    options.set_transport(rumqttc::Transport::tls_with_config(tls));
                }
                let (client, mut connection) = rumqttc::AsyncClient::new(options, REQUEST_CAPACITY);
                connection.set_network_options(without_nagle(connection.network_options()));
                (Client::V4(client), Connection::V4(Box::new(connection)))
            }
            MqttVersion::V5 => {
                let mut options =
                    rumqttc::v5::MqttOptions::new(client_id, &config.host, config.port);
                let expiry = match (config.clean_session, config.session_expiry) {
                    (_, Some(expiry)) => Some(expiry),
                    (false, None) => Some(super::config::NEVER_EXPIRES),
                    (true, None) => None,
                };
                options
                    .set_keep_alive(keep_alive)
                    .set_clean_start(config.clean_session)
                    .set_session_expiry_interval(
                        expiry.map(|e| u32::try_from(e.as_secs()).unwrap_or(u32::MAX)),
                    )
                    .set_max_packet_size(Some(u32::try_from(max).unwrap_or(u32::MAX)))
                    .set_outgoing_inflight_upper_limit(INFLIGHT)
                    .set_manual_acks(config.manual_acks);
                if let Some(credentials) = &config.credentials {
                    options.set_credentials(&credentials.username, &credentials.password);
                }
                if let Some(will) = &config.last_will {
                    options.set_last_will(v5b::LastWill::new(
                        &will.topic,
                        will.payload.clone(),
                        qos5(will.qos),
                        will.retain,
                        None,
                    ));
                }
                if let Some(tls) = tls {
                    options.set_transport(rumqttc::Transport::tls_with_config(tls));
                }
                options.set_network_options(without_nagle(options.network_options()));
                let (client, connection) = rumqttc::v5::AsyncClient::new(options, REQUEST_CAPACITY);
                (Client::V5(client), Connection::V5(Box::new(connection)))
            }
        }
    }

    /// The next event; on an error rumqttc has dropped the network connection and reconnects
    /// on the next call.
    pub(super) async fn poll(&mut self) -> Result<Event, PollError> {
        match self {
            Connection::V4(connection) => connection
                .poll()
                .await
                .map(Event::from_v4)
                .map_err(PollError::v4),
            Connection::V5(connection) => connection
                .poll()
                .await
                .map(Event::from_v5)
                .map_err(PollError::v5),
        }
    }

    /// Events rumqttc queued before the connection failed (packets read in the same batch,
    /// requests it took): handled before the loss itself so the books stay in step.
    pub(super) fn take_queued_events(&mut self) -> Vec<Event> {
        match self {
            Connection::V4(connection) => connection
                .state
                .events
                .drain(..)
                .map(Event::from_v4)
                .collect(),
            Connection::V5(connection) => connection
                .state
                .events
                .drain(..)
                .map(Event::from_v5)
                .collect(),
        }
    }

    /// Takes the requests rumqttc kept for the next connection (unacknowledged publishes,
    /// releases, requests still in its channel). rumqttc drops them when the broker starts a
    /// new session; this adapter hands them over again itself, so a publish waiting for its
    /// acknowledgement is sent again either way. Acknowledgements of received messages are
    /// left out: they belonged to the lost connection.
    pub(super) fn take_pending(&mut self) -> Saved {
        match self {
            Connection::V4(connection) => {
                let mut pending = std::mem::take(&mut connection.pending);
                pending.retain(|r| {
                    !matches!(r, rumqttc::Request::PubAck(_) | rumqttc::Request::PubRec(_))
                });
                Saved::V4(pending)
            }
            Connection::V5(connection) => {
                let mut pending = std::mem::take(&mut connection.pending);
                pending.retain(|r| {
                    !matches!(
                        r,
                        rumqttc::v5::Request::PubAck(_) | rumqttc::v5::Request::PubRec(_)
                    )
                });
                Saved::V5(pending)
            }
        }
    }

    /// Puts saved requests back in front of whatever is pending.
    pub(super) fn restore_pending(&mut self, saved: Saved) {
        match (self, saved) {
            (Connection::V4(connection), Saved::V4(mut saved)) => {
                saved.extend(connection.pending.drain(..));
                connection.pending = saved;
            }
            (Connection::V5(connection), Saved::V5(mut saved)) => {
                saved.extend(connection.pending.drain(..));
                connection.pending = saved;
            }
            _ => unreachable!("requests saved from one protocol version restored to the other"),
        }
    }

    /// An empty set of saved requests for this connection's version.
    pub(super) fn nothing_saved(&self) -> Saved {
        match self {
            Connection::V4(_) => Saved::V4(VecDeque::new()),
            Connection::V5(_) => Saved::V5(VecDeque::new()),
        }
    }

    /// Queues one SUBSCRIBE per filter (each with its MQTT 5 subscription identifier), in this
    /// order, ahead of every other request.
    pub(super) fn subscribe_first(&mut self, filters: &[(String, QoS, Option<usize>)]) {
        for (filter, qos, id) in filters.iter().rev() {
            match self {
                Connection::V4(connection) => connection.pending.push_front(
                    rumqttc::Request::Subscribe(rumqttc::Subscribe::new(filter, qos4(*qos))),
                ),
                Connection::V5(connection) => {
                    let properties = id.map(|id| v5b::SubscribeProperties {
                        id: Some(id),
                        user_properties: Vec::new(),
                    });
                    connection
                        .pending
                        .push_front(rumqttc::v5::Request::Subscribe(v5b::Subscribe::new(
                            v5b::Filter::new(filter, qos5(*qos)),
                            properties,
                        )));
                }
            }
        }
    }

    /// Queues an UNSUBSCRIBE behind the requests already pending.
    pub(super) fn unsubscribe_later(&mut self, filter: &str) {
        match self {
            Connection::V4(connection) => connection.pending.push_back(
                rumqttc::Request::Unsubscribe(rumqttc::Unsubscribe::new(filter)),
            ),
            Connection::V5(connection) => {
                connection
                    .pending
                    .push_back(rumqttc::v5::Request::Unsubscribe(v5b::Unsubscribe::new(
                        filter, None,
                    )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients() -> (Client, Client) {
        let v4 = MqttConfig::new("localhost", 1).version(MqttVersion::V3_1_1);
        let v5 = MqttConfig::new("localhost", 1).version(MqttVersion::V5);
        (
            Connection::new(&v4, "a", None).0,
            Connection::new(&v5, "b", None).0,
        )
    }

    #[test]
    fn mqtt_3_refuses_what_it_cannot_carry() {
        let (v4, v5) = clients();
        let with_headers =
            Outgoing::new("t", "{}").with_headers(Headers::from_iter([("trace", "1")]));
        let error = v4.prepare(with_headers.clone(), 1 << 20).unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, TransportError::Unsupported(_)), "{text}");
        assert!(
            text.contains("MQTT 3.1.1") && text.contains("trace") && text.contains("V5"),
            "{text}"
        );
        assert!(v5.prepare(with_headers, 1 << 20).is_ok());

        let reply = Outgoing::new("t", "{}").with_reply_to("r");
        assert!(v4.prepare(reply, 1 << 20).is_err());
        let native = Outgoing::new("t", "{}").with_correlation_id("abc");
        assert!(v4.prepare(native, 1 << 20).is_err());
        let in_payload = Outgoing::new("t", r#"{"id":"abc"}"#).with_correlation_id("abc");
        assert!(v4.prepare(in_payload, 1 << 20).is_ok());
        let typed = Outgoing::new("t", "{}").with_content_type("application/json");
        assert!(v4.prepare(typed, 1 << 20).is_ok());
    }

    #[test]
    fn keys_travel_as_a_user_property_on_mqtt_5_only() {
        let (v4, v5) = clients();
        let keyed = Outgoing::new("t", "x").with_key("lamp-1");
        let error = v4.prepare(keyed.clone(), 1 << 20).unwrap_err().to_string();
        assert!(
            error.contains("a key") && error.contains(KEY_PROPERTY),
            "{error}"
        );
        let prepared = v5.prepare(keyed, 1 << 20).unwrap();
        let properties = prepared.properties.unwrap();
        assert_eq!(
            properties.user_properties,
            vec![(KEY_PROPERTY.to_owned(), "lamp-1".to_owned())]
        );
        let binary = Outgoing::new("t", "x").with_key(vec![0xff, 0xfe]);
        assert!(v5.prepare(binary, 1 << 20).is_err());
    }

    #[test]
    fn neither_version_has_partitions_or_wildcard_topics() {
        let (v4, v5) = clients();
        for client in [v4, v5] {
            assert!(
                client
                    .prepare(Outgoing::new("t", "x").with_partition(1), 1 << 20)
                    .is_err()
            );
            assert!(client.prepare(Outgoing::new("a/+", "x"), 1 << 20).is_err());
            assert!(client.prepare(Outgoing::new("", "x"), 1 << 20).is_err());
            let big = Outgoing::new("t", vec![0u8; 2000]);
            let error = client.prepare(big, 1000).unwrap_err().to_string();
            assert!(error.contains("limit is 1000"), "{error}");
        }
    }
}
