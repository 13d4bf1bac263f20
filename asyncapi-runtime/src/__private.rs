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

use serde::Serialize;

use crate::codec::Codec;
use crate::{
    Client, Error, Location, MessageStream, Outgoing, Parameters, Publish, QoS, ReceiveError,
    Subscription, Transport,
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

/// The default error hook of generated handlers: logs at `error` level (a failed handler is
/// logged by the serve loop already) and carries on.
pub fn log_receive_error(error: &ReceiveError) {
    match error {
        ReceiveError::Handler { .. } => {}
        error => tracing::error!(
            operation = error.operation(),
            size = error.raw().map(|raw| raw.len()),
            %error,
            "message not handled"
        ),
    }
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
