//! Payload codecs. JSON is the only one so far; the trait leaves room for Avro and others.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A codec's error, boxed so that every codec can report its own.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct CodecError(#[from] pub crate::BoxError);

/// Turns typed payloads into bytes and back.
pub trait Codec: Send + Sync + 'static {
    /// The content type written on outgoing messages.
    const CONTENT_TYPE: &'static str;

    /// Encodes a payload.
    fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, CodecError>;

    /// Decodes a payload.
    fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError>;
}

/// `application/json` via serde_json.
#[derive(Clone, Copy, Debug, Default)]
pub struct Json;

impl Codec for Json {
    const CONTENT_TYPE: &'static str = "application/json";

    fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, CodecError> {
        serde_json::to_vec(value)
            .map(Bytes::from)
            .map_err(|e| CodecError(Box::new(e)))
    }

    fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
        serde_json::from_slice(bytes).map_err(|e| CodecError(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Point {
        x: i32,
    }

    #[test]
    fn json_round_trip_and_error() {
        let bytes = Json::encode(&Point { x: 3 }).unwrap();
        assert_eq!(&bytes[..], br#"{"x":3}"#);
        assert_eq!(Json::decode::<Point>(&bytes).unwrap(), Point { x: 3 });
        let err = Json::decode::<Point>(b"{\"x\":\"no\"}").unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
