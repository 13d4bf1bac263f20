//! The client that generated publisher and subscriber traits are implemented for.

/// A generated API's client, generic over the transport underneath.
///
/// Generated `Publisher` and `Subscriber` traits are implemented for `Client<T>` for every
/// [`Transport`](crate::Transport) `T`; bring the trait into scope to call its methods.
#[derive(Clone, Debug)]
pub struct Client<T> {
    transport: T,
    validate_incoming: bool,
    ack_mode: AckMode,
    max_payload: usize,
    reply_inbox: std::sync::Arc<str>,
    inboxes: std::sync::Arc<crate::request::Inboxes>,
}

/// The largest received payload a [`Client`] decodes unless told otherwise (16 MiB); see
/// [`Client::with_max_payload`].
pub const DEFAULT_MAX_PAYLOAD: usize = 16 * 1024 * 1024;

/// When received messages are acknowledged to the broker (MQTT PUBACK, Kafka offset commit).
///
/// Delivery is at least once either way: a message is acknowledged only after it has been
/// handled, so one whose handling was cut short (a crash, a dropped connection) comes again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AckMode {
    /// `serve` acknowledges a message when its handler returns `Ok` (not when it returns an
    /// error); a typed stream acknowledges a message when the next one is asked for.
    #[default]
    Auto,
    /// Nothing is acknowledged until [`Received::ack`](crate::Received::ack) is called.
    Manual,
}

impl<T> Client<T> {
    /// A client over `transport`, not validating what it receives.
    pub fn new(transport: T) -> Self {
        Client {
            transport,
            validate_incoming: false,
            ack_mode: AckMode::Auto,
            max_payload: DEFAULT_MAX_PAYLOAD,
            reply_inbox: format!("asyncapi-inbox.{}", crate::request::new_id()).into(),
            inboxes: std::sync::Arc::default(),
        }
    }

    /// Sets the address of this client's reply inbox: where the replies to its requests come
    /// when the spec lets the requester choose (a dynamic reply address), subscribed once, by
    /// the first such request, and shared by every clone of the client. By default
    /// `asyncapi-inbox.<id>`, unique to the client.
    ///
    /// On MQTT the default serves (choose a prefix your broker's access rules allow, e.g.
    /// `replies/<client id>`). On Kafka, topics are not created by subscribing: use a reply
    /// topic made for the service (see `Kafka::create_topic`); every instance of the service
    /// reads all of it and drops the replies meant for the others (counted in
    /// [`reply_stats`](Client::reply_stats)).
    ///
    /// Set it before the first request; clones made before share the old one.
    pub fn with_reply_inbox(mut self, address: impl Into<String>) -> Self {
        self.reply_inbox = address.into().into();
        self.inboxes = std::sync::Arc::default();
        self
    }

    /// The address of this client's reply inbox; see [`Client::with_reply_inbox`].
    pub fn reply_inbox(&self) -> &str {
        &self.reply_inbox
    }

    /// What became of the replies this client's inboxes received (every clone counts into
    /// the same figures).
    pub fn reply_stats(&self) -> crate::ReplyStats {
        self.inboxes.stats()
    }

    pub(crate) fn inboxes(&self) -> &std::sync::Arc<crate::request::Inboxes> {
        &self.inboxes
    }

    /// Sets when received messages are acknowledged ([`AckMode::Auto`] by default). Applies to
    /// the streams and `serve` loops started afterwards.
    pub fn with_ack_mode(mut self, mode: AckMode) -> Self {
        self.ack_mode = mode;
        self
    }

    /// When received messages are acknowledged; see [`Client::with_ack_mode`].
    pub fn ack_mode(&self) -> AckMode {
        self.ack_mode
    }

    /// Turns checking of received payloads against their schema's constraints on or off (off by
    /// default). When on, the streams this client subscribes afterwards turn a payload that
    /// decodes but breaks a constraint (`minimum`, `pattern`, ...) into a
    /// [`ReceiveError::Invalid`](crate::ReceiveError::Invalid) item instead of a message.
    pub fn with_validation(mut self, on: bool) -> Self {
        self.validate_incoming = on;
        self
    }

    /// Whether received payloads are validated; see [`Client::with_validation`].
    pub fn validates_incoming(&self) -> bool {
        self.validate_incoming
    }

    /// Sets the largest payload, in bytes, that the streams (and `serve` loops, and request
    /// replies) started afterwards decode ([`DEFAULT_MAX_PAYLOAD`], 16 MiB, by default;
    /// `usize::MAX` for no limit). A larger payload is a
    /// [`ReceiveError::TooLarge`](crate::ReceiveError::TooLarge) item carrying the bytes and
    /// the address, found before any decoding (it costs no parse) and acknowledged like every
    /// message that cannot be handled; the stream goes on.
    ///
    /// This limits the typed layer only: the transport has already received the message. Each
    /// transport has its own limit before it (MQTT: `MqttConfig::max_packet_size`, which an
    /// MQTT 5 broker is told about and honours by not sending larger packets; Kafka: the
    /// consumer's fetch sizes).
    pub fn with_max_payload(mut self, bytes: usize) -> Self {
        self.max_payload = bytes;
        self
    }

    /// The largest payload decoded; see [`Client::with_max_payload`].
    pub fn max_payload(&self) -> usize {
        self.max_payload
    }

    /// Closes the transport gracefully; see [`Transport::close`](crate::Transport::close).
    /// Every clone of the client (and of the transport) is closed with it.
    pub async fn close(&self) -> Result<(), crate::TransportError>
    where
        T: crate::Transport,
    {
        self.transport.close().await
    }

    /// A watch on the transport's connection; see [`Transport::health`](crate::Transport::health).
    pub fn health(&self) -> crate::Health
    where
        T: crate::Transport,
    {
        self.transport.health()
    }

    /// The transport underneath.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport
    }
}
