//! What generated code reaches for. Not a public API: names here change without notice.

pub use ::futures;
pub use ::serde;
pub use ::serde_json;
pub use ::tracing;

pub use crate::address::{
    AddressValue, Rules, capture, check_address_for, format, format_for, parse_value,
};
pub use crate::validate::check::Pattern;
pub use crate::validate::{Path, Validate, ValidationError, check};

use std::future::Future;

use futures::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codec::{Codec, Json};
use crate::{
    AckMode, BoxError, Client, Error, HandlerResult, Location, MessageStream, Outgoing, Parameters,
    Publish, QoS, ReceiveError, Received, ReplyAddress, Subscription, Transport,
};

/// Per-operation defaults taken from the spec.
#[derive(Clone, Copy, Debug)]
pub struct SendOptions {
    /// The operation id (for traces and errors).
    pub operation: &'static str,
    /// MQTT `qos` of the operation.
    pub qos: QoS,
    /// MQTT `retain` of the operation.
    pub retain: bool,
    /// Where the message's `correlationId` lives.
    pub correlation: Option<Location>,
    /// The spec's content type for the message; without one, the codec's is written.
    pub content_type: Option<&'static str>,
}

/// Encodes one typed message (address, key, headers, payload) with the codec `C` the spec's
/// content type chose into a [`Publish`] that sends it when awaited.
pub fn publish<'a, T, P, K, H, M, C>(
    client: &'a Client<T>,
    parameters: &P,
    key: Option<&K>,
    headers: Option<&H>,
    payload: &M,
    options: SendOptions,
    _codec: C,
) -> Publish<'a, T>
where
    T: Transport,
    P: Parameters,
    K: Serialize + ?Sized,
    H: Serialize + ?Sized,
    M: Serialize + ?Sized,
    C: Codec,
{
    let message = encode::<K, H, M, C>(parameters.to_address(), key, headers, payload, &options);
    Publish::new(client, options.operation, message, options.correlation)
}

/// The message, its options set in place (not through the `with_` builders: every step would
/// move the whole message).
fn encode<K, H, M, C: Codec>(
    address: Result<String, crate::AddressError>,
    key: Option<&K>,
    headers: Option<&H>,
    payload: &M,
    options: &SendOptions,
) -> Result<Outgoing, Error>
where
    K: Serialize + ?Sized,
    H: Serialize + ?Sized,
    M: Serialize + ?Sized,
{
    let address = address?;
    let bytes = C::encode(payload).map_err(Error::Encode)?;
    let mut message = Outgoing::new(address, bytes);
    message.qos = options.qos;
    message.retain = options.retain;
    message.content_type = Some(options.content_type.unwrap_or(C::CONTENT_TYPE));
    if let Some(headers) = headers {
        message.headers = crate::headers::encode(headers).map_err(|source| Error::Metadata {
            part: "headers",
            source,
        })?;
    }
    if let Some(key) = key {
        message.key = crate::headers::encode_key(key).map_err(|source| Error::Metadata {
            part: "key",
            source,
        })?;
    }
    Ok(message)
}

/// Per-receive-operation settings taken from the spec.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReceiveOptions {
    /// MQTT `qos` of the operation.
    pub qos: QoS,
    /// Where the message's `correlationId` lives.
    pub correlation: Option<Location>,
    /// The Kafka binding's `groupId`.
    pub group: Option<&'static str>,
    /// The Kafka binding's `clientId`.
    pub client_id: Option<&'static str>,
}

/// Subscribes to one receive operation's channel and returns its typed stream, decoding
/// payloads with the codec `C` and validating messages when the client does.
pub async fn subscribe<T, P, M, H, K, C>(
    client: &Client<T>,
    operation: &'static str,
    options: ReceiveOptions,
    codec: C,
) -> Result<MessageStream<P, M, H, K, C>, Error>
where
    T: Transport,
    P: Parameters,
{
    subscribe_at(client, operation, P::ADDRESS, options, codec).await
}

/// [`subscribe`] to the addresses of `template` rather than the channel's own: for a channel
/// whose address the spec leaves to runtime (`address: null`), the filter the caller gave.
pub async fn subscribe_at<T, P, M, H, K, C>(
    client: &Client<T>,
    operation: &'static str,
    template: impl Into<std::borrow::Cow<'static, str>>,
    options: ReceiveOptions,
    _codec: C,
) -> Result<MessageStream<P, M, H, K, C>, Error>
where
    T: Transport,
    P: Parameters,
{
    let mut subscription = Subscription::new(template).with_qos(options.qos);
    subscription.group = options.group.map(Into::into);
    subscription.client_id = options.client_id.map(Into::into);
    let raw = client.transport().subscribe(subscription).await?;
    Ok(MessageStream::new(raw, operation)
        .with_validation(client.validates_incoming())
        .with_max_payload(client.max_payload())
        .with_correlation(options.correlation)
        .with_ack_mode(client.ack_mode()))
}

/// Feeds every item of a stream to a handler method, and every error to the handler's error hook.
pub async fn drive<P, M, H, K, C, F, HF, E, EF>(
    stream: MessageStream<P, M, H, K, C>,
    handle: F,
    on_error: E,
) where
    P: Parameters,
    M: DeserializeOwned + Validate,
    H: DeserializeOwned + Validate,
    K: DeserializeOwned,
    C: Codec,
    F: Fn(Received<P, M, H, K>) -> HF,
    HF: Future<Output = HandlerResult>,
    E: Fn(ReceiveError) -> EF,
    EF: Future<Output = ()>,
{
    let operation = stream.operation();
    let (mut stream, auto) = acknowledged_here(stream);
    while let Some(item) = stream.next().await {
        match item {
            Ok(message) => {
                let address = message.address.clone();
                let ack = message.acknowledgement().filter(|_| auto).cloned();
                let (raw, headers) = (message.raw.clone(), message.raw_headers.clone());
                let handled =
                    handle_traced(operation, &address, &raw, &headers, handle(message)).await;
                settle(handled, ack, operation, address, &on_error).await;
            }
            Err(error) => on_error(error).await,
        }
    }
}

/// The stream a `serve` loop reads: it acknowledges nothing itself, and whether the loop
/// acknowledges each message after its handler returns `Ok` (`true` in [`AckMode::Auto`]).
fn acknowledged_here<P, M, H, K, C>(
    stream: MessageStream<P, M, H, K, C>,
) -> (MessageStream<P, M, H, K, C>, bool) {
    let auto = stream.ack_mode() == AckMode::Auto;
    (stream.with_ack_mode(AckMode::Manual), auto)
}

/// After a handler: acknowledges the message if it was handled (a failure to acknowledge goes to
/// the error hook), else reports the handler's error and leaves it unacknowledged.
async fn settle<E, EF>(
    handled: Result<(), BoxError>,
    ack: Option<crate::Ack>,
    operation: &'static str,
    address: String,
    on_error: &E,
) where
    E: Fn(ReceiveError) -> EF,
    EF: Future<Output = ()>,
{
    match handled {
        Ok(()) => {
            if let Some(Err(source)) = ack.map(|ack| ack.ack()) {
                on_error(ReceiveError::Transport { operation, source }).await;
            }
        }
        Err(source) => {
            on_error(ReceiveError::Handler {
                operation,
                address,
                source,
            })
            .await;
        }
    }
}

/// How a responder sends its replies: where, with which options.
#[derive(Clone, Copy, Debug)]
pub struct ReplyOptions {
    /// The id of the operation that replies (for traces).
    pub operation: &'static str,
    /// The reply's address.
    pub address: ReplyAddress,
    /// Where the reply message's `correlationId` lives.
    pub correlation: Option<Location>,
    /// MQTT `qos` of the reply.
    pub qos: QoS,
}

/// Like [`drive`] for a receive operation with a `reply`: every reply the handler returns is
/// sent to the reply address (fixed, or the one the request carried) with the request's
/// correlation id.
pub async fn drive_replies<T, P, M, H, K, C, R, F, HF, E, EF>(
    client: &Client<T>,
    stream: MessageStream<P, M, H, K, C>,
    reply: ReplyOptions,
    handle: F,
    on_error: E,
) where
    T: Transport,
    P: Parameters,
    M: DeserializeOwned + Validate,
    H: DeserializeOwned + Validate,
    K: DeserializeOwned,
    C: Codec,
    R: Serialize,
    F: Fn(Received<P, M, H, K>) -> HF,
    HF: Future<Output = Result<R, BoxError>>,
    E: Fn(ReceiveError) -> EF,
    EF: Future<Output = ()>,
{
    let operation = stream.operation();
    let (mut stream, auto) = acknowledged_here(stream);
    while let Some(item) = stream.next().await {
        let message = match item {
            Ok(message) => message,
            Err(error) => {
                on_error(error).await;
                continue;
            }
        };
        let address = message.address.clone();
        let target = match reply.address {
            ReplyAddress::Static(a) => Some(a.to_owned()),
            ReplyAddress::Dynamic(at) => at
                .read(&message.raw_headers, &message.raw)
                .or_else(|| message.reply_to.clone()),
        };
        let correlation_id = message.correlation_id.clone();
        let ack = message.acknowledgement().filter(|_| auto).cloned();
        let (raw, headers) = (message.raw.clone(), message.raw_headers.clone());
        let handled = handle_traced(operation, &address, &raw, &headers, handle(message)).await;
        let result = match handled {
            Ok(payload) => match target {
                Some(target) => send_reply(client, target, correlation_id, &payload, reply).await,
                None => Err("the request says nowhere to reply".into()),
            },
            Err(source) => Err(source),
        };
        // Handled and answered: only now is the request acknowledged.
        settle(result, ack, operation, address, &on_error).await;
    }
}

async fn send_reply<T: Transport, R: Serialize>(
    client: &Client<T>,
    address: String,
    correlation_id: Option<String>,
    payload: &R,
    reply: ReplyOptions,
) -> Result<(), BoxError> {
    let mut message = Outgoing::new(address, Json::encode(payload)?)
        .with_qos(reply.qos)
        .with_content_type(Json::CONTENT_TYPE);
    if let Some(id) = correlation_id {
        crate::message::set_correlation_id(&mut message, reply.correlation, id);
    }
    crate::publish::send_traced(client.transport(), reply.operation, message).await?;
    Ok(())
}

/// Runs a handler on one message inside a `receive` span (operation, address, size, outcome);
/// with the `trace-context` feature, inside the trace the message carried, so that what the
/// handler publishes continues it.
async fn handle_traced<R>(
    operation: &'static str,
    address: &str,
    raw: &bytes::Bytes,
    #[allow(unused_variables)] headers: &crate::Headers,
    work: impl Future<Output = Result<R, BoxError>>,
) -> Result<R, BoxError> {
    use tracing::Instrument;
    let span = tracing::debug_span!(
        "receive",
        operation,
        address,
        size = raw.len(),
        trace_id = tracing::field::Empty,
        outcome = tracing::field::Empty,
    );
    #[cfg(feature = "trace-context")]
    let work = {
        let context = crate::trace_context::TraceContext::from_headers(headers)
            .map_or_else(crate::trace_context::TraceContext::new_root, |c| c.child());
        span.record("trace_id", context.trace_id_hex());
        context.scope(work)
    };
    let result = work.instrument(span.clone()).await;
    match &result {
        Ok(_) => span.record("outcome", "handled"),
        Err(error) => span.record("outcome", tracing::field::display(error)),
    };
    result
}

/// Runs `work` until it finishes or `shutdown` resolves, whichever comes first.
pub async fn until(work: impl Future<Output = ()>, shutdown: impl Future<Output = ()>) {
    futures::pin_mut!(work);
    futures::pin_mut!(shutdown);
    futures::future::select(work, shutdown).await;
}

/// The default error hook of generated handlers: logs and carries on.
pub fn log_receive_error(error: &ReceiveError) {
    tracing::warn!(%error, "message skipped");
}

/// Types that accept exactly one JSON value (JSON Schema `const`) or one of a few non-string
/// values (`enum`), given as JSON text.
pub mod json_literal {
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    /// Serializes the value `literal` (JSON text) stands for.
    pub fn serialize<S: Serializer>(
        literal: &'static str,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let value: Value = serde_json::from_str(literal).map_err(|e| {
            S::Error::custom(format_args!("the literal `{literal}` is not JSON: {e}"))
        })?;
        value.serialize(serializer)
    }

    /// Whether `value` equals the value `literal` (JSON text) stands for, as JSON Schema compares
    /// them: numbers numerically (`1` equals `1.0`), objects regardless of key order. A literal
    /// that is not JSON matches nothing.
    pub fn matches(literal: &'static str, value: &Value) -> bool {
        serde_json::from_str::<Value>(literal)
            .is_ok_and(|expected| crate::validate::json_equal(&expected, value))
    }

    /// Deserializes any JSON value, for a caller to compare with [`matches`].
    pub fn deserialize_value<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    /// Deserializes any JSON value and fails unless it matches `literal`, naming both.
    pub fn expect<'de, D: Deserializer<'de>>(
        literal: &'static str,
        deserializer: D,
    ) -> Result<(), D::Error> {
        let value = deserialize_value(deserializer)?;
        if matches(literal, &value) {
            Ok(())
        } else {
            Err(D::Error::custom(format_args!(
                "expected the value {literal}, found {value}"
            )))
        }
    }
}

/// Fields whose schema allows `null`.
pub mod nullable {
    use serde::{Deserialize, Deserializer};

    /// A required field that may be `null`, as `Option<T>` with
    /// `#[serde(deserialize_with = "...")]`: a missing field is an error, `null` is `None`.
    pub fn required<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer)
    }

    /// An optional field that may be `null`, as `Option<Option<T>>` with
    /// `#[serde(default, deserialize_with = "...")]`: a missing field is `None`, `null` is
    /// `Some(None)`, and a value is `Some(Some(value))`.
    pub fn optional<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::{json_literal, nullable};

    #[derive(Debug, PartialEq, Deserialize)]
    struct Required {
        #[serde(deserialize_with = "nullable::required")]
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Optional {
        #[serde(
            default,
            deserialize_with = "nullable::optional",
            skip_serializing_if = "Option::is_none"
        )]
        note: Option<Option<u32>>,
    }

    #[test]
    fn required_nullable_fields() {
        let null: Required = serde_json::from_str(r#"{"note":null}"#).unwrap();
        assert_eq!(null.note, None);
        let set: Required = serde_json::from_str(r#"{"note":"hi"}"#).unwrap();
        assert_eq!(set.note.as_deref(), Some("hi"));
        let missing = serde_json::from_str::<Required>("{}").unwrap_err();
        assert!(
            missing.to_string().contains("missing field `note`"),
            "{missing}"
        );
        assert!(serde_json::from_str::<Required>(r#"{"note":1}"#).is_err());
    }

    #[test]
    fn optional_nullable_fields() {
        let missing: Optional = serde_json::from_str("{}").unwrap();
        assert_eq!(missing.note, None);
        let null: Optional = serde_json::from_str(r#"{"note":null}"#).unwrap();
        assert_eq!(null.note, Some(None));
        let set: Optional = serde_json::from_str(r#"{"note":7}"#).unwrap();
        assert_eq!(set.note, Some(Some(7)));
        assert!(serde_json::from_str::<Optional>(r#"{"note":"x"}"#).is_err());
        // And back: each of the three encodes as it came.
        for text in ["{}", r#"{"note":null}"#, r#"{"note":7}"#] {
            let value: Optional = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }
    }

    struct Literal(&'static str);

    impl Serialize for Literal {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            json_literal::serialize(self.0, serializer)
        }
    }

    #[test]
    fn literals_serialize_as_their_value() {
        for text in ["42", "1.5", "true", "null", r#"{"a":[1,"x"]}"#, r#""s""#] {
            assert_eq!(serde_json::to_string(&Literal(text)).unwrap(), text);
        }
        assert!(serde_json::to_string(&Literal("{broken")).is_err());
    }

    #[test]
    fn literals_match_numerically() {
        assert!(json_literal::matches("1", &json!(1.0)));
        assert!(json_literal::matches("1.0", &json!(1)));
        assert!(!json_literal::matches("1", &json!(2)));
        assert!(!json_literal::matches("1", &json!("1")));
        assert!(json_literal::matches(
            r#"{"a":1,"b":[true]}"#,
            &json!({"b": [true], "a": 1.0})
        ));
        assert!(!json_literal::matches("{broken", &json!(null)));
        assert!(json_literal::matches("null", &json!(null)));
    }

    #[derive(Debug, Deserialize)]
    struct Tagged {
        #[serde(deserialize_with = "json_literal::deserialize_value")]
        kind: serde_json::Value,
    }

    #[test]
    fn literal_values_deserialize() {
        let tagged: Tagged = serde_json::from_str(r#"{"kind":[1,2]}"#).unwrap();
        assert!(json_literal::matches("[1.0,2]", &tagged.kind));
        let mut de = serde_json::Deserializer::from_str("3.0");
        assert!(json_literal::expect("3", &mut de).is_ok());
        let mut de = serde_json::Deserializer::from_str("4");
        let error = json_literal::expect("3", &mut de).unwrap_err();
        assert!(
            error.to_string().contains("expected the value 3, found 4"),
            "{error}"
        );
    }
}
