//! Payload codecs, chosen per message from its content type when the code is generated: JSON
//! (`application/json`, `*+json`), plain text (`text/*`, `application/text`) and raw bytes
//! (`application/octet-stream`, or a payload schema `format: binary`).

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

/// Plain text (`text/plain` and the like): a string payload as its UTF-8 bytes; numbers,
/// booleans and unit enum variants as their text, as the `serde_plain` crate writes and reads them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Text;

impl Codec for Text {
    const CONTENT_TYPE: &'static str = "text/plain";

    fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, CodecError> {
        serde_plain::to_string(&value)
            .map(Bytes::from)
            .map_err(|e| CodecError(Box::new(e)))
    }

    fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
        let text = std::str::from_utf8(bytes).map_err(|e| CodecError(Box::new(e)))?;
        serde_plain::from_str(text).map_err(|e| CodecError(Box::new(e)))
    }
}

/// Raw bytes (`application/octet-stream`): a [`Bytes`] payload goes out exactly as it is and
/// comes back as it arrived.
#[derive(Clone, Copy, Debug, Default)]
pub struct Binary;

impl Codec for Binary {
    const CONTENT_TYPE: &'static str = "application/octet-stream";

    fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, CodecError> {
        value
            .serialize(raw::BytesOnly)
            .map_err(|e| CodecError(Box::new(e)))
    }

    fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
        use serde::de::IntoDeserializer as _;
        let deserializer: serde::de::value::BytesDeserializer<'_, serde::de::value::Error> =
            bytes.into_deserializer();
        T::deserialize(deserializer).map_err(|e| CodecError(Box::new(e)))
    }
}

/// A serializer that takes bytes (and text, as its UTF-8 bytes) and refuses everything else.
/// Written here because serde has no such thing and the crates that turn values into bytes
/// (bincode, postcard, ...) add their own framing, which a raw payload must not have.
mod raw {
    use bytes::Bytes;
    use serde::de::value::Error;
    use serde::ser::{Error as _, Impossible, Serializer};

    pub(super) struct BytesOnly;

    fn refuse<T>(what: &str) -> Result<T, Error> {
        Err(Error::custom(format!(
            "a binary payload is bytes; found {what}"
        )))
    }

    macro_rules! refuse_scalars {
        ($($method:ident($t:ty) => $what:literal),* $(,)?) => {$(
            fn $method(self, _: $t) -> Result<Bytes, Error> {
                refuse($what)
            }
        )*};
    }

    impl Serializer for BytesOnly {
        type Ok = Bytes;
        type Error = Error;
        type SerializeSeq = Impossible<Bytes, Error>;
        type SerializeTuple = Impossible<Bytes, Error>;
        type SerializeTupleStruct = Impossible<Bytes, Error>;
        type SerializeTupleVariant = Impossible<Bytes, Error>;
        type SerializeMap = Impossible<Bytes, Error>;
        type SerializeStruct = Impossible<Bytes, Error>;
        type SerializeStructVariant = Impossible<Bytes, Error>;

        fn serialize_bytes(self, v: &[u8]) -> Result<Bytes, Error> {
            Ok(Bytes::copy_from_slice(v))
        }

        fn serialize_str(self, v: &str) -> Result<Bytes, Error> {
            Ok(Bytes::copy_from_slice(v.as_bytes()))
        }

        refuse_scalars!(
            serialize_bool(bool) => "a boolean",
            serialize_i8(i8) => "a number",
            serialize_i16(i16) => "a number",
            serialize_i32(i32) => "a number",
            serialize_i64(i64) => "a number",
            serialize_u8(u8) => "a number",
            serialize_u16(u16) => "a number",
            serialize_u32(u32) => "a number",
            serialize_u64(u64) => "a number",
            serialize_f32(f32) => "a number",
            serialize_f64(f64) => "a number",
            serialize_char(char) => "a character",
        );

        fn serialize_none(self) -> Result<Bytes, Error> {
            refuse("nothing (None)")
        }

        fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<Bytes, Error> {
            value.serialize(self)
        }

        fn serialize_unit(self) -> Result<Bytes, Error> {
            refuse("a unit")
        }

        fn serialize_unit_struct(self, _: &'static str) -> Result<Bytes, Error> {
            refuse("a unit struct")
        }

        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
        ) -> Result<Bytes, Error> {
            refuse("an enum variant")
        }

        fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Bytes, Error> {
            value.serialize(self)
        }

        fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Bytes, Error> {
            refuse("an enum variant")
        }

        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
            refuse("a sequence (use `Bytes`, not `Vec<u8>`)")
        }

        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
            refuse("a tuple")
        }

        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Error> {
            refuse("a tuple struct")
        }

        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Error> {
            refuse("an enum variant")
        }

        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
            refuse("a map")
        }

        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Error> {
            refuse("a struct")
        }

        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Error> {
            refuse("an enum variant")
        }
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

    #[test]
    fn text_is_the_value_as_written() {
        assert_eq!(&Text::encode("on at 5%").unwrap()[..], b"on at 5%");
        assert_eq!(&Text::encode(&42_i64).unwrap()[..], b"42");
        assert_eq!(Text::decode::<String>(b"on at 5%").unwrap(), "on at 5%");
        assert_eq!(Text::decode::<i64>(b"42").unwrap(), 42);
        assert!(Text::decode::<i64>(b"forty-two").is_err());
        assert!(Text::decode::<String>(b"\xff\xfe").is_err(), "not UTF-8");
        assert!(
            Text::encode(&Point { x: 1 }).is_err(),
            "a struct is not text"
        );
    }

    #[test]
    fn binary_is_the_bytes_untouched() {
        let raw = Bytes::from_static(b"\x00\xff{not json");
        assert_eq!(Binary::encode(&raw).unwrap(), raw);
        assert_eq!(Binary::decode::<Bytes>(&raw).unwrap(), raw);
        assert_eq!(Binary::decode::<Bytes>(b"").unwrap(), Bytes::new());
        let err = Binary::encode(&Point { x: 1 }).unwrap_err();
        assert!(err.to_string().contains("a struct"), "{err}");
    }
}
