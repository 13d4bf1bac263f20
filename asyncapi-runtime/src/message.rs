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
    /// Validation, correlation, size limit: what every message is decoded with.
    options: DecodeOptions,
    ack_mode: AckMode,
    /// The last message handed out, acknowledged when the next is asked for ([`AckMode::Auto`]).
    pending: Option<Ack>,
    _types: PhantomData<Marker<P, M, H, K, C>>,
}

impl<P, M, H, K, C> MessageStream<P, M, H, K, C> {
    /// Wraps a transport's raw stream for `operation`, without validation, decoding payloads
    /// of up to [`DEFAULT_MAX_PAYLOAD`](crate::DEFAULT_MAX_PAYLOAD) bytes.
    pub fn new(inner: RawStream, operation: &'static str) -> Self {
        MessageStream {
            inner,
            operation,
            options: DecodeOptions {
                validate: false,
                correlation: None,
                max_payload: crate::DEFAULT_MAX_PAYLOAD,
            },
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
        self.options.validate = on;
        self
    }

    /// Sets the largest payload decoded, in bytes (`usize::MAX`: no limit); a larger one is a
    /// [`ReceiveError::TooLarge`] item, found before any decoding.
    pub fn with_max_payload(mut self, bytes: usize) -> Self {
        self.options.max_payload = bytes;
        self
    }

    /// The largest payload decoded.
    pub fn max_payload(&self) -> usize {
        self.options.max_payload
    }

    /// Reads correlation ids from `location` (the message's `correlationId`).
    pub fn with_correlation(mut self, location: Option<Location>) -> Self {
        self.options.correlation = location;
        self
    }

    /// Whether decoded payloads are validated.
    pub fn validates(&self) -> bool {
        self.options.validate
    }

    /// The operation this stream serves.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The raw stream, the operation, what every message is decoded with, and the ack mode:
    /// for the serve loop, which decodes each message itself (again, for a retry).
    pub(crate) fn into_parts(mut self) -> (RawStream, &'static str, DecodeOptions, AckMode) {
        // A message handed out before is handled by now (as the next `poll_next` would say).
        if let Some(previous) = self.pending.take()
            && let Err(source) = previous.ack()
        {
            tracing::warn!(operation = self.operation, %source, "could not acknowledge a message");
        }
        (self.inner, self.operation, self.options, self.ack_mode)
    }
}

impl<P, M, H, K, C> std::fmt::Debug for MessageStream<P, M, H, K, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageStream")
            .field("operation", &self.operation)
            .field("validate", &self.options.validate)
            .field("max_payload", &self.options.max_payload)
            .finish_non_exhaustive()
    }
}

/// How [`decode`] treats a message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DecodeOptions {
    /// Whether payload and headers are validated.
    pub validate: bool,
    /// Where the correlation id lives.
    pub correlation: Option<Location>,
    /// The largest payload decoded.
    pub max_payload: usize,
}

/// Decodes one raw message for `operation`: refuses a payload over the size limit before
/// anything else, then parameters from the address, headers, key and payload; validates payload
/// and headers when asked to.
pub(crate) fn decode<P, M, H, K, C>(
    operation: &'static str,
    options: DecodeOptions,
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
    let DecodeOptions {
        validate,
        correlation,
        max_payload,
    } = options;
    // Every error is built by a `refuse` function, out of line: the path every message takes
    // stays short (and the same few functions serve every message type).
    if incoming.payload.len() > max_payload {
        return Err(refuse::too_large(operation, incoming, max_payload));
    }
    let parameters = match P::from_address(&incoming.address) {
        Ok(p) => p,
        Err(source) => return Err(refuse::address(operation, incoming, source)),
    };
    if let Some(name) = crate::headers::first_read_by::<H>(&incoming.headers_not_utf8) {
        let source = crate::headers::HeaderError::NotUtf8 { name: name.clone() };
        return Err(refuse::metadata(operation, incoming, "headers", source));
    }
    let headers = match crate::headers::decode::<H>(&incoming.headers) {
        Ok(h) => h,
        Err(source) => return Err(refuse::metadata(operation, incoming, "headers", source)),
    };
    let key = match crate::headers::decode_key::<K>(incoming.key.as_deref()) {
        Ok(k) => k,
        Err(source) => return Err(refuse::metadata(operation, incoming, "key", source)),
    };
    let payload = match C::decode::<M>(&incoming.payload) {
        Ok(payload) => payload,
        Err(source) => return Err(refuse::decode(operation, incoming, source)),
    };
    if validate {
        let mut errors = Vec::new();
        payload.validate_at(&crate::validate::Path::root(), &mut errors);
        headers.validate_at(&crate::validate::Path::root(), &mut errors);
        if !errors.is_empty() {
            return Err(refuse::invalid(operation, incoming, errors));
        }
    }
    // As `correlation_id_of`, moving the transport's id rather than copying it.
    let correlation_id = correlation
        .and_then(|at| at.read(&incoming.headers, &incoming.payload))
        .or(incoming.correlation_id);
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

/// The errors [`decode`] returns, each taking what it keeps of the message.
mod refuse {
    use crate::{AddressError, Incoming, ReceiveError, ValidationError, ValidationErrors};

    #[cold]
    #[inline(never)]
    pub(super) fn too_large(operation: &'static str, m: Incoming, limit: usize) -> ReceiveError {
        ReceiveError::TooLarge {
            operation,
            address: m.address,
            raw: m.payload,
            limit,
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn address(
        operation: &'static str,
        m: Incoming,
        source: AddressError,
    ) -> ReceiveError {
        ReceiveError::Address {
            operation,
            raw: m.payload,
            source: Box::new(source),
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn metadata(
        operation: &'static str,
        m: Incoming,
        part: &'static str,
        source: crate::headers::HeaderError,
    ) -> ReceiveError {
        ReceiveError::Metadata {
            operation,
            address: m.address,
            raw: m.payload,
            part,
            source,
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn decode(
        operation: &'static str,
        m: Incoming,
        source: crate::codec::CodecError,
    ) -> ReceiveError {
        ReceiveError::Decode {
            operation,
            address: m.address,
            raw: m.payload,
            source,
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn invalid(
        operation: &'static str,
        m: Incoming,
        errors: Vec<ValidationError>,
    ) -> ReceiveError {
        ReceiveError::Invalid {
            operation,
            address: m.address,
            raw: m.payload,
            errors: ValidationErrors(errors),
        }
    }
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
        let incoming = match futures::ready!(self.inner.as_mut().poll_next(cx)) {
            Some(Ok(incoming)) => incoming,
            Some(Err(source)) => {
                return Poll::Ready(Some(Err(ReceiveError::Transport { operation, source })));
            }
            None => return Poll::Ready(None),
        };
        // Decoded where it is returned from (not mapped, nor taken apart and rebuilt): the
        // decoded message is large, and every move of it costs.
        let ack = incoming.ack.clone();
        let decoded = decode::<P, M, H, K, C>(operation, self.options, incoming);
        match (&decoded, ack) {
            (Ok(_), ack) if self.ack_mode == AckMode::Auto => self.pending = ack,
            // A message that cannot be decoded can never be handled: acknowledged at once, so
            // the broker does not send it again and again.
            (Err(_), Some(ack)) => {
                if let Err(source) = ack.ack() {
                    tracing::warn!(%source, "could not acknowledge an undecodable message");
                }
            }
            _ => {}
        }
        Poll::Ready(Some(decoded))
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
        let stream = crate::__private::subscribe::<_, Lamp, Dim, (), (), _>(
            &client,
            "dim",
            crate::__private::ReceiveOptions::default(),
            Json,
        )
        .await
        .unwrap();
        assert!(!stream.validates());

        let client = client.with_validation(true);
        assert!(client.validates_incoming());
        let mut stream = crate::__private::subscribe::<_, Lamp, Dim, (), (), _>(
            &client,
            "dim",
            crate::__private::ReceiveOptions::default(),
            Json,
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

    fn options(validate: bool, max_payload: usize) -> DecodeOptions {
        DecodeOptions {
            validate,
            correlation: None,
            max_payload,
        }
    }

    #[test]
    fn a_payload_over_the_limit_is_too_large_before_any_decoding() {
        let incoming = Incoming::new("lamp", &b"{not even json, but long"[..]);
        match decode::<Lamp, Dim, (), (), Json>("dim", options(true, 10), incoming) {
            Err(ReceiveError::TooLarge {
                operation,
                address,
                raw,
                limit,
            }) => {
                assert_eq!((operation, address.as_str(), limit), ("dim", "lamp", 10));
                assert_eq!(&raw[..], b"{not even json, but long");
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
        // At the limit it is decoded.
        let incoming = Incoming::new("lamp", &br#"{"percentage":1}"#[..]);
        let message = decode::<Lamp, Dim, (), (), Json>("dim", options(true, 16), incoming);
        assert_eq!(message.unwrap().payload, Dim { percentage: 1 });
    }

    #[tokio::test]
    async fn the_client_limit_reaches_its_streams() {
        let client = Client::new(MemoryBroker::new());
        assert_eq!(client.max_payload(), crate::DEFAULT_MAX_PAYLOAD);
        let client = client.with_max_payload(20);
        let mut stream = crate::__private::subscribe::<_, Lamp, Dim, (), (), _>(
            &client,
            "dim",
            crate::__private::ReceiveOptions::default(),
            Json,
        )
        .await
        .unwrap();
        assert_eq!(stream.max_payload(), 20);
        let big = r#"{"percentage":  1000}"#;
        for payload in [big, r#"{"percentage":5}"#] {
            let outgoing = crate::Outgoing::new("lamp", payload);
            client.transport().publish(outgoing).await.unwrap();
        }
        let error = stream.next().await.unwrap().unwrap_err();
        assert!(
            matches!(&error, ReceiveError::TooLarge { raw, limit: 20, .. } if &raw[..] == big.as_bytes()),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "operation `dim`: message on \"lamp\" has a payload of 21 bytes, over the limit of 20"
        );
        assert_eq!(stream.next().await.unwrap().unwrap().payload.percentage, 5);
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Unit {
        unit: String,
        priority: Option<i64>,
    }

    impl Validate for Unit {
        fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
            check::max_length(&path.key("unit"), errors, &self.unit, 8);
        }
    }

    #[test]
    fn a_header_that_was_not_utf8_is_refused_only_when_the_type_reads_it() {
        let incoming = |names: &[&str]| {
            let mut incoming = Incoming::new("lamp", &br#"{"percentage":1}"#[..]);
            incoming.headers = crate::Headers::from_iter([("unit", "\u{fffd}C"), ("trace", "x")]);
            incoming.headers_not_utf8 = names.iter().map(|n| n.to_string()).collect();
            incoming
        };
        match decode::<Lamp, Dim, Unit, (), Json>("dim", options(false, 100), incoming(&["unit"])) {
            Err(ReceiveError::Metadata {
                part: "headers",
                source: crate::headers::HeaderError::NotUtf8 { name },
                raw,
                address,
                ..
            }) => {
                assert_eq!(name, "unit");
                assert_eq!(address, "lamp");
                assert_eq!(&raw[..], br#"{"percentage":1}"#);
            }
            other => panic!("expected a metadata error, got {other:?}"),
        }
        // A header the type does not read, or a type that reads none, does not matter.
        decode::<Lamp, Dim, Unit, (), Json>("dim", options(false, 100), incoming(&["trace"]))
            .unwrap();
        decode::<Lamp, Dim, (), (), Json>("dim", options(false, 100), incoming(&["unit"])).unwrap();
        // A type that takes every header reads it.
        let error = decode::<Lamp, Dim, std::collections::HashMap<String, String>, (), Json>(
            "dim",
            options(false, 100),
            incoming(&["trace"]),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("header `trace` is not UTF-8"),
            "{error}"
        );
    }

    /// A small xorshift: the same inputs on every run, no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len).map(|_| self.next() as u8).collect()
        }
        /// Text from pieces that matter to JSON and to the checks, or random bytes made text.
        fn text(&mut self) -> String {
            const PIECES: [&str; 16] = [
                "1",
                "-",
                "1e999",
                "\"",
                "\\",
                "{",
                "}",
                "[",
                "]",
                ":",
                ",",
                "null",
                "é",
                "\u{fffd}",
                "9223372036854775808",
                "x",
            ];
            let len = self.below(6);
            if self.below(4) == 0 {
                return String::from_utf8_lossy(&self.bytes(len)).into_owned();
            }
            (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        Low,
        High,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Checked {
        seq: i64,
        name: String,
        level: Level,
        tags: Option<Vec<String>>,
        ratio: Option<f64>,
        labels: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    }

    static NAME: check::Pattern = check::Pattern::new("^[a-z0-9-]+$");

    impl Validate for Checked {
        fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
            check::minimum(&path.key("seq"), errors, self.seq, 0.0, false);
            check::maximum(&path.key("seq"), errors, self.seq, 1e6, false);
            check::max_length(&path.key("name"), errors, &self.name, 16);
            check::pattern(&path.key("name"), errors, &self.name, &NAME);
            if let Some(tags) = &self.tags {
                check::max_items(&path.key("tags"), errors, tags.len(), 3);
                check::unique_items(&path.key("tags"), errors, tags);
            }
        }
    }

    /// Random and mangled input through the whole receive path (size limit, address, headers,
    /// key, payload, validation): every input is a message or an error carrying its bytes and
    /// address, and none panics.
    #[test]
    fn no_input_panics_the_decode_path() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let valid = br#"{"seq":7,"name":"ok-1","level":"low","tags":["a","b"],"ratio":0.5,"labels":{"k":[1,{"x":null}]}}"#;
        let (mut ok, mut failed) = (0, 0);
        for round in 0..20_000 {
            let payload: Vec<u8> = match rng.below(4) {
                0 => {
                    let len = rng.below(64);
                    rng.bytes(len)
                }
                1 => {
                    // The valid payload with a few bytes changed, cut or spliced.
                    let mut p = valid.to_vec();
                    for _ in 0..=rng.below(3) {
                        let at = rng.below(p.len());
                        match rng.below(3) {
                            0 => p[at] = rng.next() as u8,
                            1 => p.truncate(at),
                            _ => {
                                let text = rng.text();
                                p.splice(at..at, text.into_bytes());
                            }
                        }
                        if p.is_empty() {
                            break;
                        }
                    }
                    p
                }
                2 => format!(
                    r#"{{"seq":{},"name":"{}","level":"{}","tags":[{}]}}"#,
                    rng.text(),
                    rng.text(),
                    rng.text(),
                    rng.text()
                )
                .into_bytes(),
                _ => valid.to_vec(),
            };
            let mut incoming = Incoming::new(rng.text(), payload.clone());
            for _ in 0..rng.below(4) {
                let name = if rng.below(2) == 0 {
                    "unit".to_owned()
                } else {
                    rng.text()
                };
                incoming.headers.0.push((name, rng.text()));
            }
            if rng.below(4) == 0 {
                incoming.headers_not_utf8.push(rng.text());
            }
            if rng.below(2) == 0 {
                let len = rng.below(8);
                incoming.key = Some(rng.bytes(len).into());
            }
            let address = incoming.address.clone();
            let options = options(round % 2 == 0, 16 + rng.below(200));
            match decode::<Lamp, Checked, Option<Unit>, Option<String>, Json>(
                "flood", options, incoming,
            ) {
                Ok(message) => {
                    assert_eq!(message.raw, payload);
                    ok += 1;
                }
                Err(
                    ReceiveError::Decode {
                        raw, address: a, ..
                    }
                    | ReceiveError::Metadata {
                        raw, address: a, ..
                    }
                    | ReceiveError::Invalid {
                        raw, address: a, ..
                    }
                    | ReceiveError::TooLarge {
                        raw, address: a, ..
                    },
                ) => {
                    assert_eq!((&raw[..], a.as_str()), (&payload[..], address.as_str()));
                    failed += 1;
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        // Both outcomes were reached many times.
        assert!(
            ok > 1_000 && failed > 10_000,
            "{ok} messages, {failed} errors"
        );
    }
}
