//! Typed received messages and the typed stream of one receive operation.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::Stream;
use serde::de::DeserializeOwned;

use crate::codec::{Codec, Json};
use crate::{
    Ack, AckMode, Headers, Incoming, Outgoing, Parameters, QoS, RawStream, ReceiveError, Validate,
};

/// One received message, decoded, with where it came from and everything the transport said
/// about it.
///
/// `P` is the channel's parameters type, `M` the payload, `H` the headers type (`()` when the
/// message declares none) and `K` the key (`()` when no Kafka binding declares one, else
/// `Option` of the key type: a record may come without a key).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Received<P, M, H = (), K = ()> {
    /// The concrete address it arrived on.
    pub address: String,
    /// The channel parameters parsed from the address.
    pub parameters: P,
    /// The decoded payload.
    pub payload: M,
    /// The decoded headers.
    pub headers: H,
    /// The decoded key.
    pub key: K,
    /// The correlation id: from where the message's `correlationId` says, else as the transport
    /// carried it.
    pub correlation_id: Option<String>,
    /// Where a reply should go, as the transport carried it (MQTT 5 response topic).
    pub reply_to: Option<String>,
    /// The delivery guarantee it arrived with (MQTT).
    pub qos: Option<QoS>,
    /// The partition it was read from (Kafka).
    pub partition: Option<i32>,
    /// Its offset in that partition (Kafka).
    pub offset: Option<i64>,
    /// The payload bytes as received.
    pub raw: Bytes,
    /// The headers as received.
    pub raw_headers: Headers,
    /// How to tell the broker it has been handled (see [`Received::ack`]).
    acknowledgement: Option<Ack>,
}

impl<P, M> Received<P, M> {
    /// A received message without headers, key or transport metadata; for testing handlers
    /// directly.
    pub fn new(
        address: impl Into<String>,
        parameters: P,
        payload: M,
        raw: impl Into<Bytes>,
    ) -> Self {
        Received {
            address: address.into(),
            parameters,
            payload,
            headers: (),
            key: (),
            correlation_id: None,
            reply_to: None,
            qos: None,
            partition: None,
            offset: None,
            raw: raw.into(),
            raw_headers: Headers::new(),
            acknowledgement: None,
        }
    }
}

impl<P, M, H, K> Received<P, M, H, K> {
    /// The same message with typed headers; for testing handlers directly.
    pub fn with_headers<H2>(self, headers: H2) -> Received<P, M, H2, K> {
        self.retyped(|_| headers, |key| key)
    }

    /// The same message with a typed key; for testing handlers directly.
    pub fn with_key<K2>(self, key: K2) -> Received<P, M, H, K2> {
        self.retyped(|headers| headers, |_| key)
    }

    /// The same message with its headers and key mapped to other types.
    fn retyped<H2, K2>(
        self,
        headers: impl FnOnce(H) -> H2,
        key: impl FnOnce(K) -> K2,
    ) -> Received<P, M, H2, K2> {
        Received {
            address: self.address,
            parameters: self.parameters,
            payload: self.payload,
            headers: headers(self.headers),
            key: key(self.key),
            correlation_id: self.correlation_id,
            reply_to: self.reply_to,
            qos: self.qos,
            partition: self.partition,
            offset: self.offset,
            raw: self.raw,
            raw_headers: self.raw_headers,
            acknowledgement: self.acknowledgement,
        }
    }

    /// Tells the broker this message has been handled: with [`AckMode::Manual`] nothing else
    /// does; with [`AckMode::Auto`] it only acknowledges earlier than the automatic step would.
    /// Acknowledging twice, or a message the transport needs no acknowledgement for (MQTT QoS 0,
    /// the in-memory broker), does nothing.
    ///
    /// [`AckMode::Manual`]: crate::AckMode::Manual
    /// [`AckMode::Auto`]: crate::AckMode::Auto
    pub fn ack(&self) -> Result<(), crate::TransportError> {
        self.acknowledgement.as_ref().map_or(Ok(()), Ack::ack)
    }

    /// The acknowledgement handle, for code that acknowledges after moving the message on.
    pub fn acknowledgement(&self) -> Option<&Ack> {
        self.acknowledgement.as_ref()
    }

    /// The same message with a correlation id; for testing handlers directly.
    pub fn with_correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }
}

/// Where a value sits in a message, as an AsyncAPI runtime expression names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// `$message.header#/<name>`: the header of that name.
    Header(&'static str),
    /// `$message.header#/<name>/<pointer>`: inside the JSON value of the header of that name.
    HeaderField(&'static str, &'static str),
    /// `$message.payload#/<pointer>`: the JSON payload at that pointer.
    Payload(&'static str),
}

impl Location {
    /// The value at this location of a message with these headers and payload, as text (a JSON
    /// string's contents, any other JSON value's text).
    pub fn read(self, headers: &Headers, payload: &[u8]) -> Option<String> {
        match self {
            Location::Header(name) => headers.get(name).map(str::to_owned),
            Location::HeaderField(name, pointer) => {
                json_text(serde_json::from_str(headers.get(name)?).ok()?, pointer)
            }
            Location::Payload(pointer) => json_text(serde_json::from_slice(payload).ok()?, pointer),
        }
    }

    /// The header a value at this location is written to as it is (a whole header), if any.
    pub fn whole_header(self) -> Option<&'static str> {
        match self {
            Location::Header(name) => Some(name),
            Location::HeaderField(..) | Location::Payload(_) => None,
        }
    }
}

/// The correlation id of a received message: where its `correlationId` says, else as the
/// transport carried it.
pub(crate) fn correlation_id_of(at: Option<Location>, incoming: &Incoming) -> Option<String> {
    at.and_then(|at| at.read(&incoming.headers, &incoming.payload))
        .or_else(|| incoming.correlation_id.clone())
}

/// Sets the correlation id of an outgoing message: natively, and in the header its
/// `correlationId` names when that is a whole header (a payload field is the caller's to fill).
pub(crate) fn set_correlation_id(message: &mut Outgoing, at: Option<Location>, id: String) {
    if let Some(name) = at.and_then(Location::whole_header) {
        message.headers.insert(name, id.clone());
    }
    message.correlation_id = Some(id);
}

/// The value at `pointer` as text: a string's contents, any other value's JSON; `null` is none.
fn json_text(value: serde_json::Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Marks the stream's types without owning values of them (keeps the stream `Send` and `Unpin`).
type Marker<P, M, H, K, C> = fn() -> (P, M, H, K, C);

/// The typed stream of one receive operation. A message that fails to decode (or, with
/// validation on, breaks its schema's constraints) is an `Err` item and the stream goes on; the
/// stream ends only when the transport ends the subscription.
pub struct MessageStream<P, M, H = (), K = (), C = Json> {
    inner: RawStream,
    operation: &'static str,
    validate: bool,
    correlation: Option<Location>,
    ack_mode: AckMode,
    /// The last message handed out, acknowledged when the next is asked for ([`AckMode::Auto`]).
    pending: Option<Ack>,
    _types: PhantomData<Marker<P, M, H, K, C>>,
}

impl<P, M, H, K, C> MessageStream<P, M, H, K, C> {
    /// Wraps a transport's raw stream for `operation`, without validation.
    pub fn new(inner: RawStream, operation: &'static str) -> Self {
        MessageStream {
            inner,
            operation,
            validate: false,
            correlation: None,
            ack_mode: AckMode::Auto,
            pending: None,
            _types: PhantomData,
        }
    }

    /// Sets when the stream acknowledges what it hands out: [`AckMode::Auto`] acknowledges a
    /// message when the next one is asked for, [`AckMode::Manual`] leaves it to
    /// [`Received::ack`].
    pub fn with_ack_mode(mut self, mode: AckMode) -> Self {
        self.ack_mode = mode;
        self
    }

    /// When the stream acknowledges what it hands out.
    pub fn ack_mode(&self) -> AckMode {
        self.ack_mode
    }

    /// Turns validation of decoded payloads and headers on or off (off by default). When on, a
    /// message that breaks a constraint of its schema is a [`ReceiveError::Invalid`] item instead
    /// of a message.
    pub fn with_validation(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Reads correlation ids from `location` (the message's `correlationId`).
    pub fn with_correlation(mut self, location: Option<Location>) -> Self {
        self.correlation = location;
        self
    }

    /// Whether decoded payloads are validated.
    pub fn validates(&self) -> bool {
        self.validate
    }

    /// The operation this stream serves.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

impl<P, M, H, K, C> std::fmt::Debug for MessageStream<P, M, H, K, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageStream")
            .field("operation", &self.operation)
            .field("validate", &self.validate)
            .finish_non_exhaustive()
    }
}

/// Decodes one raw message for `operation`: parameters from the address, the payload, headers
/// and key; validates payload and headers when `validate` is set.
pub(crate) fn decode<P, M, H, K, C>(
    operation: &'static str,
    validate: bool,
    correlation: Option<Location>,
    incoming: Incoming,
) -> Result<Received<P, M, H, K>, ReceiveError>
where
    P: Parameters,
    M: DeserializeOwned + Validate,
    H: DeserializeOwned + Validate,
    K: DeserializeOwned,
    C: Codec,
{
    tracing::debug!(
        operation,
        address = %incoming.address,
        size = incoming.payload.len(),
        "received"
    );
    let parameters = match P::from_address(&incoming.address) {
        Ok(p) => p,
        Err(source) => {
            return Err(ReceiveError::Address {
                operation,
                raw: incoming.payload,
                source: Box::new(source),
            });
        }
    };
    let metadata_error = |incoming: Incoming, part: &'static str, source| ReceiveError::Metadata {
        operation,
        address: incoming.address,
        raw: incoming.payload,
        part,
        source,
    };
    let headers = match crate::headers::decode::<H>(&incoming.headers) {
        Ok(h) => h,
        Err(source) => return Err(metadata_error(incoming, "headers", source)),
    };
    let key = match crate::headers::decode_key::<K>(incoming.key.as_deref()) {
        Ok(k) => k,
        Err(source) => return Err(metadata_error(incoming, "key", source)),
    };
    let payload = match C::decode::<M>(&incoming.payload) {
        Ok(payload) => payload,
        Err(source) => {
            return Err(ReceiveError::Decode {
                operation,
                address: incoming.address,
                raw: incoming.payload,
                source,
            });
        }
    };
    if validate {
        let mut errors = Vec::new();
        payload.validate_at(&crate::validate::Path::root(), &mut errors);
        headers.validate_at(&crate::validate::Path::root(), &mut errors);
        if !errors.is_empty() {
            return Err(ReceiveError::Invalid {
                operation,
                address: incoming.address,
                raw: incoming.payload,
                errors: crate::ValidationErrors(errors),
            });
        }
    }
    let correlation_id = correlation_id_of(correlation, &incoming);
    Ok(Received {
        address: incoming.address,
        parameters,
        payload,
        headers,
        key,
        correlation_id,
        reply_to: incoming.reply_to,
        qos: incoming.qos,
        partition: incoming.partition,
        offset: incoming.offset,
        raw: incoming.payload,
        raw_headers: incoming.headers,
        acknowledgement: incoming.ack,
    })
}

impl<P, M, H, K, C> Stream for MessageStream<P, M, H, K, C>
where
    P: Parameters,
    M: DeserializeOwned + Validate,
    H: DeserializeOwned + Validate,
    K: DeserializeOwned,
    C: Codec,
{
    type Item = Result<Received<P, M, H, K>, ReceiveError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let operation = self.operation;
        // Asking for the next message means the previous one has been handled.
        if let Some(previous) = self.pending.take()
            && let Err(source) = previous.ack()
        {
            return Poll::Ready(Some(Err(ReceiveError::Transport { operation, source })));
        }
        let validate = self.validate;
        let correlation = self.correlation;
        let item = futures::ready!(self.inner.as_mut().poll_next(cx));
        let item = item.map(|result| match result {
            Ok(incoming) => {
                let ack = incoming.ack.clone();
                let decoded = decode::<P, M, H, K, C>(operation, validate, correlation, incoming);
                match (&decoded, ack) {
                    (Ok(_), Some(ack)) if self.ack_mode == AckMode::Auto => {
                        self.pending = Some(ack);
                    }
                    // A message that cannot be decoded can never be handled: acknowledged at
                    // once, so the broker does not send it again and again.
                    (Err(_), Some(ack)) => {
                        if let Err(source) = ack.ack() {
                            tracing::warn!(%source, "could not acknowledge an undecodable message");
                        }
                    }
                    _ => {}
                }
                decoded
            }
            Err(source) => Err(ReceiveError::Transport { operation, source }),
        });
        Poll::Ready(item)
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;
    use crate::memory::MemoryBroker;
    use crate::validate::{Path, ValidationError, check};
    use crate::{AddressError, Client, Transport};

    #[derive(Debug)]
    struct Lamp;

    impl Parameters for Lamp {
        const ADDRESS: &'static str = "lamp";

        fn to_address(&self) -> Result<String, AddressError> {
            Ok(Self::ADDRESS.to_owned())
        }

        fn from_address(_address: &str) -> Result<Self, AddressError> {
            Ok(Lamp)
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Dim {
        percentage: i64,
    }

    impl Validate for Dim {
        fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
            let p = path.key("percentage");
            check::minimum(&p, errors, self.percentage, 0.0, false);
            check::maximum(&p, errors, self.percentage, 100.0, false);
        }
    }

    async fn send(broker: &MemoryBroker, payload: &'static str) {
        broker.deliver("lamp", payload.into()).await;
    }

    #[tokio::test]
    async fn invalid_payloads_are_err_items_and_the_stream_goes_on() {
        let broker = MemoryBroker::new();
        let raw = broker.subscribe_filter("lamp");
        let mut stream = MessageStream::<Lamp, Dim>::new(raw, "dim").with_validation(true);
        assert!(stream.validates());
        send(&broker, r#"{"percentage":140}"#).await;
        send(&broker, r#"{"percentage":40}"#).await;

        match stream.next().await.unwrap() {
            Err(ReceiveError::Invalid {
                operation,
                address,
                raw,
                errors,
            }) => {
                assert_eq!(operation, "dim");
                assert_eq!(address, "lamp");
                assert_eq!(&raw[..], br#"{"percentage":140}"#);
                assert_eq!(errors.len(), 1);
                assert_eq!(errors.0[0].path, "/percentage");
                assert_eq!(
                    errors.to_string(),
                    "at `/percentage`: must be at most 100, but is 140"
                );
            }
            other => panic!("expected an invalid item, got {other:?}"),
        }
        let good = stream.next().await.unwrap().unwrap();
        assert_eq!(good.payload, Dim { percentage: 40 });
    }

    #[tokio::test]
    async fn without_validation_constraints_are_not_checked() {
        let broker = MemoryBroker::new();
        let raw = broker.subscribe_filter("lamp");
        let mut stream = MessageStream::<Lamp, Dim>::new(raw, "dim");
        assert!(!stream.validates());
        send(&broker, r#"{"percentage":140}"#).await;
        let message = stream.next().await.unwrap().unwrap();
        assert_eq!(message.payload, Dim { percentage: 140 });
    }

    #[tokio::test]
    async fn subscribe_takes_the_flag_from_the_client() {
        let client = Client::new(MemoryBroker::new());
        assert!(!client.validates_incoming());
        let stream = crate::__private::subscribe::<_, Lamp, Dim, (), ()>(
            &client,
            "dim",
            crate::__private::ReceiveOptions::default(),
        )
        .await
        .unwrap();
        assert!(!stream.validates());

        let client = client.with_validation(true);
        assert!(client.validates_incoming());
        let mut stream = crate::__private::subscribe::<_, Lamp, Dim, (), ()>(
            &client,
            "dim",
            crate::__private::ReceiveOptions::default(),
        )
        .await
        .unwrap();
        assert!(stream.validates());
        let outgoing = crate::Outgoing::new("lamp", r#"{"percentage":-1}"#);
        client.transport().publish(outgoing).await.unwrap();
        let error = stream.next().await.unwrap().unwrap_err();
        assert!(
            error
                .to_string()
                .contains("is invalid: at `/percentage`: must be at least 0, but is -1"),
            "{error}"
        );
        // Decoding errors come first: a payload of the wrong shape is still `Decode`.
        let outgoing = crate::Outgoing::new("lamp", r#"{"percentage":"x"}"#);
        client.transport().publish(outgoing).await.unwrap();
        assert!(matches!(
            stream.next().await.unwrap(),
            Err(ReceiveError::Decode { .. })
        ));
    }
}
