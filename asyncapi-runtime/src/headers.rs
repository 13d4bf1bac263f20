//! Message headers and Kafka keys: typed values to the strings and bytes transports carry, and back.
//!
//! Transports carry headers as name/value text pairs (MQTT 5 user properties, Kafka headers) and
//! Kafka keys as bytes. [`encode`] and [`encode_key`] turn serde values into those;
//! [`decode`] and [`decode_key`] read them back.
//!
//! # The text of a value
//!
//! - Encoding: each top-level field of a headers value becomes one header. A string is written as
//!   it is, every other value as its JSON text (`42`, `true`, `[1,2]`, `{"a":1}`); a `null` (or a
//!   `None` skipped by serde) writes no header.
//! - Decoding is led by the target type, so no information is lost: a `String` (or `char`, or
//!   a newtype around one) takes the text as it is, so the header `123` into a `String` is
//!   `"123"`. Booleans, numbers, sequences, maps, structs and `serde_json::Value` parse the text as
//!   JSON. Types that accept anything (`serde_json::Value`, untagged enums, flattened maps) get
//!   the JSON value when the text is JSON, and the text as a string otherwise. A unit enum
//!   variant is read from its name as it is.
//!
//! One consequence of the last rule: a `#[serde(flatten)]` map of `String` values (serde buffers
//! those through "any value") cannot take a header whose text is a JSON number, boolean, `null`,
//! array or object; a flattened map of `serde_json::Value` takes every header.
//!
//! When the same name occurs more than once, [`decode`] reads the first one, like
//! [`Headers::get`].
//!
//! ```
//! use asyncapi_runtime::headers::{self, Headers};
//!
//! #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Trace {
//!     #[serde(rename = "trace-id")]
//!     trace_id: String,
//!     attempt: u32,
//! }
//!
//! let trace = Trace { trace_id: "0042".into(), attempt: 2 };
//! let encoded = headers::encode(&trace).unwrap();
//! assert_eq!(encoded, Headers::from_iter([("trace-id", "0042"), ("attempt", "2")]));
//! assert_eq!(headers::decode::<Trace>(&encoded).unwrap(), trace);
//!
//! assert_eq!(headers::encode_key("lamp-1").unwrap().as_deref(), Some(&b"lamp-1"[..]));
//! assert_eq!(headers::decode_key::<u64>(Some(b"7")).unwrap(), 7);
//! ```

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde::ser::{self, Impossible, Serialize};
use serde_json::Value;

/// Message headers as transports carry them: name/value pairs in order (MQTT 5 user properties,
/// Kafka headers).
///
/// A name may occur more than once (Kafka allows it); [`get`](Self::get) reads the first one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

/// The iterator of [`Headers::iter`] and `&Headers`.
type Pairs<'a> = std::iter::Map<
    std::slice::Iter<'a, (String, String)>,
    fn(&'a (String, String)) -> (&'a str, &'a str),
>;

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// The value of the first header named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// Sets the header `name` to `value`: the first entry of that name takes the value in its
    /// place (later entries of the same name are dropped), or a new entry is appended.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        match self.0.iter().position(|(n, _)| *n == name) {
            Some(first) => {
                self.0[first].1 = value;
                let mut index = 0;
                self.0.retain(|(n, _)| {
                    let keep = index <= first || *n != name;
                    index += 1;
                    keep
                });
            }
            None => self.0.push((name, value)),
        }
    }

    /// Removes every header named `name` and returns the value of the first one.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let first = self.0.iter().position(|(n, _)| n == name)?;
        let (_, value) = self.0.remove(first);
        self.0.retain(|(n, _)| n != name);
        Some(value)
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of entries (a repeated name counts each time).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The entries in order, as `(name, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.into_iter()
    }
}

/// Keeps every pair, in order (repeated names included).
impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(name, value)| (name.into(), value.into()))
                .collect(),
        )
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = (&'a str, &'a str);
    type IntoIter = Pairs<'a>;

    fn into_iter(self) -> Self::IntoIter {
        fn pair(entry: &(String, String)) -> (&str, &str) {
            (&entry.0, &entry.1)
        }
        self.0
            .iter()
            .map(pair as fn(&'a (String, String)) -> (&'a str, &'a str))
    }
}

/// Why headers or a key could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderError {
    /// The value given to [`encode`] is not a struct, a map, `()` or `None`.
    #[error("headers must serialize to an object (a struct or a map), not {found}")]
    NotAnObject {
        /// What it serializes to instead, e.g. "a string".
        found: &'static str,
    },
    /// A map key given to [`encode`] that cannot be a header name (not a string, number or
    /// boolean).
    #[error("a header name must be a string, number or boolean, not {found}")]
    InvalidName {
        /// What the key serializes to, e.g. "an array".
        found: &'static str,
    },
    /// A value that serde could not serialize.
    #[error("cannot encode {location}: {source}")]
    Encode {
        /// What was being encoded: "header `name`", "the key" or "headers".
        location: String,
        /// The serializer's error.
        #[source]
        source: serde_json::Error,
    },
    /// Headers or a key that do not fit the target type. The message names the header, e.g.
    /// ``header `count`: invalid type: string "x", expected u32`` or ``missing header `count` ``.
    #[error("{message}")]
    Decode {
        /// What went wrong, and where.
        message: String,
    },
    /// Key bytes that are not UTF-8 text.
    #[error("the key is not UTF-8: {0}")]
    KeyNotUtf8(#[source] std::str::Utf8Error),
    /// A header the target type reads arrived as bytes that are not UTF-8 text (Kafka; see
    /// [`Incoming::headers_not_utf8`](crate::Incoming::headers_not_utf8)).
    #[error("header `{name}` is not UTF-8 text")]
    NotUtf8 {
        /// The header's name.
        name: String,
    },
}

/// The first of `names` (headers whose value was not UTF-8) that decoding into `H` would read:
/// one of its fields when `H` is a struct, any when `H` takes every header (a map, a flattened
/// struct, `serde_json::Value`, ...), none when `H` is `()`.
pub(crate) fn first_read_by<H: DeserializeOwned>(names: &[String]) -> Option<&String> {
    if names.is_empty() {
        return None;
    }
    let reads = match H::deserialize(Probe) {
        Err(Probed(reads)) => reads,
        Ok(_) => Reads::Any,
    };
    names.iter().find(|name| match reads {
        Reads::Nothing => false,
        Reads::Fields(fields) => fields.contains(&name.as_str()),
        Reads::Any => true,
    })
}

/// Which headers a type reads.
#[derive(Debug, Clone, Copy)]
enum Reads {
    /// None (`()`).
    Nothing,
    /// Those of a struct's fields (their names as serde reads them, aliases included).
    Fields(&'static [&'static str]),
    /// Any of them.
    Any,
}

/// A deserializer that only finds out what the type asks for, and fails with it.
struct Probe;

/// The probe's answer, as an error.
#[derive(Debug)]
struct Probed(Reads);

impl fmt::Display for Probed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "probed: {:?}", self.0)
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probed(Reads::Any)
    }
}

impl<'de> de::Deserializer<'de> for Probe {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Probed> {
        Err(Probed(Reads::Any))
    }
    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Probed> {
        Err(Probed(Reads::Nothing))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Probed> {
        Err(Probed(Reads::Nothing))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Probed> {
        Err(Probed(Reads::Fields(fields)))
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Probed> {
        visitor.visit_some(self)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Probed> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// Encodes a typed headers value (a struct serialized by serde) into headers.
///
/// Each top-level field becomes one header, in the order serde writes them; string values are
/// written as they are, every other value as its JSON text; `null` fields (and `None` fields that
/// serde skips) are left out. `()` and `None` encode to no headers. A map works too (its keys
/// become the names); a value that serializes to anything other than an object is
/// [`HeaderError::NotAnObject`].
pub fn encode<H: Serialize + ?Sized>(headers: &H) -> Result<Headers, HeaderError> {
    headers
        .serialize(HeadersSerializer)
        .map_err(|SerError(e)| e)
}

/// Decodes headers into a typed value.
///
/// Led by the target type (see the [module documentation](self)): a `String` field takes the
/// header text as it is, other types parse it as JSON. A missing `Option` field is `None`; extra
/// headers are ignored unless the type has `#[serde(deny_unknown_fields)]`; `()` decodes from any
/// headers. Errors name the header, e.g. ``header `count`: invalid type: ...``.
pub fn decode<H: DeserializeOwned>(headers: &Headers) -> Result<H, HeaderError> {
    H::deserialize(HeadersDeserializer { headers }).map_err(DeError::into_header_error)
}

/// Encodes a Kafka key: a string is its UTF-8 bytes as they are, every other value its JSON
/// text. `()` and `None` encode to `None` (no key).
pub fn encode_key<K: Serialize + ?Sized>(key: &K) -> Result<Option<Bytes>, HeaderError> {
    let text = value_text(key).map_err(|source| HeaderError::Encode {
        location: "the key".to_owned(),
        source,
    })?;
    Ok(text.map(|text| Bytes::from(text.into_bytes())))
}

/// Decodes a Kafka key, with the same rules as [`decode`] for a header's text.
///
/// Into `Option<K>` an absent key is `None`; into any other type (except `()`) it is an error.
/// Key bytes that are not UTF-8 are [`HeaderError::KeyNotUtf8`].
pub fn decode_key<K: DeserializeOwned>(key: Option<&[u8]>) -> Result<K, HeaderError> {
    let decoded = match key {
        None => K::deserialize(AbsentKey),
        Some(bytes) => {
            let text = std::str::from_utf8(bytes).map_err(HeaderError::KeyNotUtf8)?;
            K::deserialize(TextDeserializer::<ValueError>::value(text))
                .map_err(|e| ValueError(format!("key: {}", e.0)))
        }
    };
    decoded.map_err(|e| HeaderError::Decode { message: e.0 })
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// A header value's text: `None` for `null`, a string as it is, anything else as JSON (objects
/// keep their field order).
fn value_text<T: Serialize + ?Sized>(value: &T) -> Result<Option<String>, serde_json::Error> {
    let json = serde_json::to_string(value)?;
    Ok(if json.starts_with('"') {
        Some(serde_json::from_str::<String>(&json)?)
    } else if json == "null" {
        None
    } else {
        Some(json)
    })
}

fn encode_error(location: String, source: serde_json::Error) -> SerError {
    SerError(HeaderError::Encode { location, source })
}

fn header_location(name: &str) -> String {
    format!("header `{name}`")
}

fn not_an_object<T>(found: &'static str) -> Result<T, SerError> {
    Err(SerError(HeaderError::NotAnObject { found }))
}

/// The serializer's error: a [`HeaderError`] that serde can also make from a message.
#[derive(Debug)]
struct SerError(HeaderError);

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        encode_error(
            "headers".to_owned(),
            <serde_json::Error as ser::Error>::custom(message),
        )
    }
}

/// Serializes the top level of a headers value: structs and maps become headers.
struct HeadersSerializer;

impl ser::Serializer for HeadersSerializer {
    type Ok = Headers;
    type Error = SerError;
    type SerializeSeq = Impossible<Headers, SerError>;
    type SerializeTuple = Impossible<Headers, SerError>;
    type SerializeTupleStruct = Impossible<Headers, SerError>;
    type SerializeTupleVariant = VariantEncoder;
    type SerializeMap = ObjectEncoder;
    type SerializeStruct = ObjectEncoder;
    type SerializeStructVariant = VariantEncoder;

    fn serialize_bool(self, _: bool) -> Result<Headers, SerError> {
        not_an_object("a boolean")
    }
    fn serialize_i8(self, _: i8) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_i16(self, _: i16) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_i32(self, _: i32) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_i64(self, _: i64) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_i128(self, _: i128) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_u8(self, _: u8) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_u16(self, _: u16) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_u32(self, _: u32) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_u64(self, _: u64) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_u128(self, _: u128) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_f32(self, _: f32) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_f64(self, _: f64) -> Result<Headers, SerError> {
        not_an_object("a number")
    }
    fn serialize_char(self, _: char) -> Result<Headers, SerError> {
        not_an_object("a string")
    }
    fn serialize_str(self, _: &str) -> Result<Headers, SerError> {
        not_an_object("a string")
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Headers, SerError> {
        not_an_object("an array")
    }
    fn serialize_none(self) -> Result<Headers, SerError> {
        Ok(Headers::new())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Headers, SerError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Headers, SerError> {
        Ok(Headers::new())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Headers, SerError> {
        Ok(Headers::new())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Headers, SerError> {
        not_an_object("a string (a unit variant)")
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Headers, SerError> {
        value.serialize(self)
    }
    /// As in JSON, `{"variant": value}`: one header named after the variant.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Headers, SerError> {
        let mut headers = Headers::new();
        if let Some(text) =
            value_text(value).map_err(|e| encode_error(header_location(variant), e))?
        {
            headers.insert(variant, text);
        }
        Ok(headers)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, SerError> {
        not_an_object("an array")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, SerError> {
        not_an_object("an array")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, SerError> {
        not_an_object("an array")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerError> {
        Ok(VariantEncoder {
            variant,
            parts: Vec::with_capacity(len),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, SerError> {
        Ok(ObjectEncoder::default())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, SerError> {
        Ok(ObjectEncoder::default())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, SerError> {
        Ok(VariantEncoder {
            variant,
            parts: Vec::with_capacity(len),
        })
    }
}

/// Collects the fields of a struct or the entries of a map as headers, in order.
#[derive(Default)]
struct ObjectEncoder {
    headers: Headers,
    /// The name given by `serialize_key`, waiting for its value.
    name: Option<String>,
}

impl ObjectEncoder {
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), SerError> {
        if let Some(text) = value_text(value).map_err(|e| encode_error(header_location(name), e))? {
            self.headers.insert(name, text);
        }
        Ok(())
    }
}

impl ser::SerializeStruct for ObjectEncoder {
    type Ok = Headers;
    type Error = SerError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.field(key, value)
    }

    fn end(self) -> Result<Headers, SerError> {
        Ok(self.headers)
    }
}

impl ser::SerializeMap for ObjectEncoder {
    type Ok = Headers;
    type Error = SerError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        let key =
            serde_json::to_value(key).map_err(|e| encode_error("a header name".to_owned(), e))?;
        let name = match key {
            Value::String(name) => name,
            Value::Number(number) => number.to_string(),
            Value::Bool(boolean) => boolean.to_string(),
            Value::Null => return Err(SerError(HeaderError::InvalidName { found: "null" })),
            Value::Array(_) => {
                return Err(SerError(HeaderError::InvalidName { found: "an array" }));
            }
            Value::Object(_) => {
                return Err(SerError(HeaderError::InvalidName { found: "an object" }));
            }
        };
        self.name = Some(name);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let name = self
            .name
            .take()
            .ok_or_else(|| <SerError as ser::Error>::custom("a map value came before its key"))?;
        self.field(&name, value)
    }

    fn end(self) -> Result<Headers, SerError> {
        Ok(self.headers)
    }
}

/// A tuple or struct enum variant at the top level: as in JSON (`{"variant": [..]}` or
/// `{"variant": {..}}`), one header named after the variant, with the JSON text of its fields.
struct VariantEncoder {
    variant: &'static str,
    /// The JSON text of each field (`"name":value` for a struct variant).
    parts: Vec<String>,
}

impl VariantEncoder {
    fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, SerError> {
        serde_json::to_string(value).map_err(|e| encode_error(header_location(self.variant), e))
    }

    fn finish(self, open: char, close: char) -> Headers {
        let text = format!("{open}{}{close}", self.parts.join(","));
        Headers(vec![(self.variant.to_owned(), text)])
    }
}

impl ser::SerializeTupleVariant for VariantEncoder {
    type Ok = Headers;
    type Error = SerError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let part = self.json(value)?;
        self.parts.push(part);
        Ok(())
    }

    fn end(self) -> Result<Headers, SerError> {
        Ok(self.finish('[', ']'))
    }
}

impl ser::SerializeStructVariant for VariantEncoder {
    type Ok = Headers;
    type Error = SerError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        let part = format!("{}:{}", self.json(key)?, self.json(value)?);
        self.parts.push(part);
        Ok(())
    }

    fn end(self) -> Result<Headers, SerError> {
        Ok(self.finish('{', '}'))
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/// The error of the header map and its names. Its fields are headers, so `missing_field` and
/// `unknown_field` say "header"; `named` marks a message that already names its header.
#[derive(Debug)]
struct DeError {
    message: String,
    named: bool,
}

impl DeError {
    fn new(message: String) -> Self {
        DeError {
            message,
            named: false,
        }
    }

    fn named(message: String) -> Self {
        DeError {
            message,
            named: true,
        }
    }

    fn into_header_error(self) -> HeaderError {
        HeaderError::Decode {
            message: self.message,
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DeError::new(message.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::named(format!("missing header `{field}`"))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        if expected.is_empty() {
            DeError::named(format!("unknown header `{field}`, there are none"))
        } else {
            let names: Vec<String> = expected.iter().map(|name| format!("`{name}`")).collect();
            DeError::named(format!(
                "unknown header `{field}`, expected one of {}",
                names.join(", ")
            ))
        }
    }
}

/// The error inside one header value or key; the map prefixes it with the header's name. Fields
/// met here belong to the value (an internally tagged enum's, say), so serde's own wording stays.
#[derive(Debug)]
struct ValueError(String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

impl de::Error for ValueError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ValueError(message.to_string())
    }
}

fn json_error<E: de::Error>(error: serde_json::Error) -> E {
    E::custom(error)
}

/// The top level of [`decode`]: the headers as a map (or nothing, for `()`).
struct HeadersDeserializer<'a> {
    headers: &'a Headers,
}

impl<'de> de::Deserializer<'de> for HeadersDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(HeaderEntries::new(self.headers))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf seq tuple tuple_struct map struct enum identifier
    }
}

/// The headers as map entries: the first value of each name, in order.
struct HeaderEntries<'de> {
    entries: std::vec::IntoIter<(&'de str, &'de str)>,
    /// The entry whose name was just read, waiting for its value to be.
    current: Option<(&'de str, &'de str)>,
}

impl<'de> HeaderEntries<'de> {
    fn new(headers: &'de Headers) -> Self {
        let mut seen = HashSet::new();
        let entries: Vec<_> = headers
            .iter()
            .filter(|(name, _)| seen.insert(*name))
            .collect();
        HeaderEntries {
            entries: entries.into_iter(),
            current: None,
        }
    }
}

impl<'de> MapAccess<'de> for HeaderEntries<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((name, text)) = self.entries.next() else {
            return Ok(None);
        };
        self.current = Some((name, text));
        seed.deserialize(TextDeserializer::<DeError>::name(name))
            .map(Some)
            .map_err(|e| {
                if e.named {
                    e
                } else {
                    DeError::named(format!("header name `{name}`: {}", e.message))
                }
            })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (name, text) = self.current.take().ok_or_else(|| {
            DeError::new("a header value was asked for before its name".to_owned())
        })?;
        seed.deserialize(TextDeserializer::<ValueError>::value(text))
            .map_err(|e| DeError::named(format!("header `{name}`: {}", e.0)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// One header's text (or a header name, or a key), read as the target type asks.
struct TextDeserializer<'de, E> {
    text: &'de str,
    /// A header name: "any value" is the name as a string, never JSON.
    is_name: bool,
    error: PhantomData<E>,
}

impl<'de, E> TextDeserializer<'de, E> {
    fn value(text: &'de str) -> Self {
        TextDeserializer {
            text,
            is_name: false,
            error: PhantomData,
        }
    }

    fn name(text: &'de str) -> Self {
        TextDeserializer {
            text,
            is_name: true,
            error: PhantomData,
        }
    }

    /// The text as JSON, or as a JSON string when it is not JSON.
    fn json(&self) -> Value {
        serde_json::from_str(self.text).unwrap_or_else(|_| Value::String(self.text.to_owned()))
    }
}

/// Methods that read the text as JSON.
macro_rules! from_json {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
                self.json().$method(visitor).map_err(json_error)
            }
        )*
    };
}

impl<'de, E: de::Error> de::Deserializer<'de> for TextDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        if self.is_name {
            return visitor.visit_borrowed_str(self.text);
        }
        match serde_json::from_str::<Value>(self.text) {
            Ok(value) => value.deserialize_any(visitor).map_err(json_error),
            Err(_) => visitor.visit_borrowed_str(self.text),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_borrowed_str(self.text)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_borrowed_str(self.text)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_borrowed_str(self.text)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_borrowed_str(self.text)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, E> {
        self.json()
            .deserialize_tuple(len, visitor)
            .map_err(json_error)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, E> {
        self.json()
            .deserialize_tuple_struct(name, len, visitor)
            .map_err(json_error)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        self.json()
            .deserialize_struct(name, fields, visitor)
            .map_err(json_error)
    }

    /// A JSON string (`"On"`) or object (`{"Level":3}`) is read as JSON; any other text is the
    /// name of a unit variant as it is (so a variant renamed `"1.0"` reads back from `1.0`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match serde_json::from_str::<Value>(self.text) {
            Ok(value @ (Value::String(_) | Value::Object(_))) => value
                .deserialize_enum(name, variants, visitor)
                .map_err(json_error),
            _ => BorrowedStrDeserializer::<E>::new(self.text)
                .deserialize_enum(name, variants, visitor),
        }
    }

    from_json! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_bytes deserialize_byte_buf
        deserialize_seq deserialize_map
    }
}

/// An absent Kafka key: `None` for an `Option`, `()` for a unit, an error for anything else.
struct AbsentKey;

impl<'de> de::Deserializer<'de> for AbsentKey {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, ValueError> {
        Err(ValueError("missing key".to_owned()))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_none()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf seq tuple tuple_struct map struct enum identifier
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Headers {
        pairs.iter().copied().collect()
    }

    fn decode_err<H: DeserializeOwned + fmt::Debug>(headers: &Headers) -> String {
        decode::<H>(headers).unwrap_err().to_string()
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Nested {
        level: u8,
        tags: Vec<String>,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Typed {
        text: String,
        count: u32,
        delta: i64,
        ratio: f64,
        enabled: bool,
        list: Vec<i32>,
        nested: Nested,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maybe: Option<u16>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    fn typed() -> Typed {
        Typed {
            text: "hello world".into(),
            count: 7,
            delta: -3,
            ratio: 0.25,
            enabled: true,
            list: vec![1, 2, 3],
            nested: Nested {
                level: 2,
                tags: vec!["a".into(), "b".into()],
            },
            maybe: None,
            note: Some("n".into()),
        }
    }

    #[test]
    fn headers_map_operations() {
        let mut h = Headers::new();
        assert!(h.is_empty());
        h.insert("a", "1");
        h.insert("b", "2");
        h.insert("a", "3");
        assert_eq!(h, headers(&[("a", "3"), ("b", "2")]));
        assert_eq!(h.get("a"), Some("3"));
        assert_eq!(h.get("c"), None);
        assert_eq!(h.len(), 2);

        // Repeated names: `get` reads the first, `insert` keeps one, `remove` drops them all.
        let mut h = headers(&[("x", "1"), ("y", "2"), ("x", "3")]);
        assert_eq!(h.len(), 3);
        assert_eq!(h.get("x"), Some("1"));
        h.insert("x", "9");
        assert_eq!(h, headers(&[("x", "9"), ("y", "2")]));
        let mut h = headers(&[("x", "1"), ("y", "2"), ("x", "3")]);
        assert_eq!(h.remove("x").as_deref(), Some("1"));
        assert_eq!(h, headers(&[("y", "2")]));
        assert_eq!(h.remove("x"), None);

        let pairs: Vec<_> = headers(&[("k", "v"), ("l", "w")])
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        assert_eq!(pairs, ["k=v", "l=w"]);
        let h = headers(&[("k", "v")]);
        for (name, value) in &h {
            assert_eq!((name, value), ("k", "v"));
        }
        let owned: Headers = vec![(String::from("a"), String::from("b"))]
            .into_iter()
            .collect();
        assert_eq!(owned.0, vec![("a".to_owned(), "b".to_owned())]);
    }

    #[test]
    fn encode_writes_strings_as_they_are_and_the_rest_as_json() {
        let encoded = encode(&typed()).unwrap();
        assert_eq!(
            encoded,
            headers(&[
                ("text", "hello world"),
                ("count", "7"),
                ("delta", "-3"),
                ("ratio", "0.25"),
                ("enabled", "true"),
                ("list", "[1,2,3]"),
                ("nested", r#"{"level":2,"tags":["a","b"]}"#),
                ("note", "n"),
            ])
        );
        assert_eq!(decode::<Typed>(&encoded).unwrap(), typed());
    }

    #[test]
    fn strings_that_look_like_json_stay_strings() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Texts {
            number: String,
            boolean: String,
            null: String,
            quoted: String,
            array: String,
            empty: String,
            letter: char,
            opt: Option<String>,
        }
        let value = Texts {
            number: "123".into(),
            boolean: "true".into(),
            null: "null".into(),
            quoted: "\"q\"".into(),
            array: "[1]".into(),
            empty: String::new(),
            letter: '7',
            opt: Some("null".into()),
        };
        let encoded = encode(&value).unwrap();
        assert_eq!(encoded.get("number"), Some("123"));
        assert_eq!(encoded.get("null"), Some("null"));
        assert_eq!(encoded.get("quoted"), Some("\"q\""));
        assert_eq!(encoded.get("letter"), Some("7"));
        assert_eq!(decode::<Texts>(&encoded).unwrap(), value);
    }

    #[test]
    fn newtypes_and_unit_enums() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Id(String);
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Count(u32);
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        enum Mode {
            On,
            #[serde(rename = "1.0")]
            V1,
            Level(u8),
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct H {
            id: Id,
            count: Count,
            mode: Mode,
            version: Mode,
            level: Mode,
        }
        let value = H {
            id: Id("42".into()),
            count: Count(42),
            mode: Mode::On,
            version: Mode::V1,
            level: Mode::Level(3),
        };
        let encoded = encode(&value).unwrap();
        assert_eq!(
            encoded,
            headers(&[
                ("id", "42"),
                ("count", "42"),
                ("mode", "On"),
                ("version", "1.0"),
                ("level", r#"{"Level":3}"#),
            ])
        );
        assert_eq!(decode::<H>(&encoded).unwrap(), value);
        // A unit variant written as a JSON string reads too.
        let quoted = headers(&[
            ("id", "1"),
            ("count", "1"),
            ("mode", "\"On\""),
            ("version", "1.0"),
            ("level", "On"),
        ]);
        assert_eq!(decode::<H>(&quoted).unwrap().mode, Mode::On);
        let err = decode_err::<H>(&headers(&[("id", "1"), ("count", "1"), ("mode", "Off")]));
        assert!(
            err.starts_with("header `mode`: unknown variant `Off`"),
            "{err}"
        );
    }

    #[test]
    fn optional_headers() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct H {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<u32>,
            b: Option<String>,
            #[serde(default)]
            c: Option<bool>,
        }
        let none = H {
            a: None,
            b: None,
            c: None,
        };
        // `b` serializes as null: left out all the same.
        assert_eq!(encode(&none).unwrap(), Headers::new());
        assert_eq!(decode::<H>(&Headers::new()).unwrap(), none);
        let some = H {
            a: Some(0),
            b: Some("0".into()),
            c: Some(false),
        };
        let encoded = encode(&some).unwrap();
        assert_eq!(encoded, headers(&[("a", "0"), ("b", "0"), ("c", "false")]));
        assert_eq!(decode::<H>(&encoded).unwrap(), some);
        let err = decode_err::<H>(&headers(&[("a", "x")]));
        assert_eq!(err, r#"header `a`: invalid type: string "x", expected u32"#);
    }

    #[test]
    fn missing_and_wrong_headers_are_named() {
        let mut encoded = encode(&typed()).unwrap();
        encoded.remove("count");
        assert_eq!(decode_err::<Typed>(&encoded), "missing header `count`");

        encoded.insert("count", "many");
        let err = decode_err::<Typed>(&encoded);
        assert_eq!(
            err,
            r#"header `count`: invalid type: string "many", expected u32"#
        );

        encoded.insert("count", "-1");
        let err = decode_err::<Typed>(&encoded);
        assert!(
            err.starts_with("header `count`: invalid value: integer `-1`"),
            "{err}"
        );

        encoded.insert("count", "1.5");
        let err = decode_err::<Typed>(&encoded);
        assert!(
            err.starts_with("header `count`: invalid type: floating point"),
            "{err}"
        );

        encoded.insert("count", "1");
        encoded.insert("nested", r#"{"level":1}"#);
        let err = decode_err::<Typed>(&encoded);
        assert_eq!(err, "header `nested`: missing field `tags`");

        encoded.insert("nested", "not json");
        let err = decode_err::<Typed>(&encoded);
        assert!(
            err.starts_with(r#"header `nested`: invalid type: string "not json""#),
            "{err}"
        );

        assert!(matches!(
            decode::<Typed>(&encoded).unwrap_err(),
            HeaderError::Decode { .. }
        ));
    }

    #[test]
    fn extra_headers_are_ignored_unless_denied() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Open {
            a: u8,
        }
        #[derive(Deserialize, Debug, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct Closed {
            a: u8,
            b: Option<u8>,
        }
        let h = headers(&[("a", "1"), ("other", "{not json")]);
        assert_eq!(decode::<Open>(&h).unwrap(), Open { a: 1 });
        assert_eq!(
            decode_err::<Closed>(&h),
            "unknown header `other`, expected one of `a`, `b`"
        );
        assert_eq!(
            decode::<Closed>(&headers(&[("a", "1")])).unwrap(),
            Closed { a: 1, b: None }
        );
    }

    #[test]
    fn repeated_names_read_the_first() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct H {
            a: u8,
        }
        let h = headers(&[("a", "1"), ("a", "2")]);
        assert_eq!(decode::<H>(&h).unwrap(), H { a: 1 });
    }

    #[test]
    fn unit_encodes_to_nothing_and_decodes_from_anything() {
        assert_eq!(encode(&()).unwrap(), Headers::new());
        assert_eq!(encode(&None::<Typed>).unwrap(), Headers::new());
        decode::<()>(&headers(&[("anything", "at all")])).unwrap();
        decode::<()>(&Headers::new()).unwrap();
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Nothing;
        assert_eq!(encode(&Nothing).unwrap(), Headers::new());
        assert_eq!(decode::<Nothing>(&headers(&[("x", "1")])).unwrap(), Nothing);
    }

    #[test]
    fn encoding_a_non_object_is_an_error() {
        for (err, found) in [
            (encode("text").unwrap_err(), "a string"),
            (encode(&5).unwrap_err(), "a number"),
            (encode(&true).unwrap_err(), "a boolean"),
            (encode(&[1, 2]).unwrap_err(), "an array"),
            (encode(&vec![("a", "b")]).unwrap_err(), "an array"),
        ] {
            assert!(
                matches!(err, HeaderError::NotAnObject { found: f } if f == found),
                "{err:?}"
            );
        }
        assert_eq!(
            encode("x").unwrap_err().to_string(),
            "headers must serialize to an object (a struct or a map), not a string"
        );
        let mut bad_key = BTreeMap::new();
        bad_key.insert(vec![1], "v");
        assert!(matches!(
            encode(&bad_key).unwrap_err(),
            HeaderError::InvalidName { found: "an array" }
        ));
    }

    #[test]
    fn encoding_errors_name_the_header() {
        #[derive(Serialize)]
        struct H {
            map: BTreeMap<Vec<u8>, u8>,
        }
        let err = encode(&H {
            map: BTreeMap::from([(vec![1], 1)]),
        })
        .unwrap_err();
        assert!(matches!(err, HeaderError::Encode { .. }));
        assert!(
            err.to_string().starts_with("cannot encode header `map`: "),
            "{err}"
        );
    }

    #[test]
    fn maps_and_json_values() {
        let map = BTreeMap::from([("b", json!(1)), ("a", json!("x")), ("n", json!(null))]);
        let encoded = encode(&map).unwrap();
        assert_eq!(encoded, headers(&[("a", "x"), ("b", "1")]));
        assert_eq!(
            decode::<BTreeMap<String, Value>>(&encoded).unwrap(),
            BTreeMap::from([("a".to_owned(), json!("x")), ("b".to_owned(), json!(1))])
        );
        // A map of strings keeps every text as it is.
        let h = headers(&[("a", "1"), ("b", "true"), ("c", "x")]);
        assert_eq!(
            decode::<BTreeMap<String, String>>(&h).unwrap(),
            BTreeMap::from([
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "true".to_owned()),
                ("c".to_owned(), "x".to_owned()),
            ])
        );
        // Numeric header names into numeric keys; integer map keys encode as names.
        let numbered = BTreeMap::from([(1, "one"), (2, "two")]);
        let encoded = encode(&numbered).unwrap();
        assert_eq!(encoded, headers(&[("1", "one"), ("2", "two")]));
        assert_eq!(
            decode::<BTreeMap<u8, String>>(&encoded).unwrap(),
            BTreeMap::from([(1, "one".to_owned()), (2, "two".to_owned())])
        );
        // A whole `Value`.
        let h = headers(&[("n", "1.5"), ("s", "plain"), ("o", r#"{"k":[true]}"#)]);
        assert_eq!(
            decode::<Value>(&h).unwrap(),
            json!({"n": 1.5, "s": "plain", "o": {"k": [true]}})
        );
    }

    #[test]
    fn value_and_untagged_fields() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        #[serde(untagged)]
        enum Id {
            Number(i64),
            Text(String),
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct H {
            any: Value,
            id: Id,
            other: Id,
        }
        let value = H {
            any: json!({"a": [1, "two"]}),
            id: Id::Number(12),
            other: Id::Text("abc".into()),
        };
        let encoded = encode(&value).unwrap();
        assert_eq!(
            encoded,
            headers(&[
                ("any", r#"{"a":[1,"two"]}"#),
                ("id", "12"),
                ("other", "abc")
            ])
        );
        assert_eq!(decode::<H>(&encoded).unwrap(), value);
        // Non-JSON text into a `Value` is a string.
        let h = headers(&[("any", "hello"), ("id", "1"), ("other", "x")]);
        assert_eq!(decode::<H>(&h).unwrap().any, json!("hello"));
    }

    #[test]
    fn flattened_extras() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Strings {
            count: u32,
            #[serde(flatten)]
            extra: BTreeMap<String, String>,
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Values {
            count: u32,
            #[serde(flatten)]
            extra: BTreeMap<String, Value>,
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Numbers {
            #[serde(default)]
            name: Option<String>,
            #[serde(flatten)]
            extra: BTreeMap<String, f64>,
        }

        let strings = Strings {
            count: 3,
            extra: BTreeMap::from([
                ("x-trace".to_owned(), "abc-1".to_owned()),
                ("x-text".to_owned(), "two words".to_owned()),
            ]),
        };
        let encoded = encode(&strings).unwrap();
        assert_eq!(
            encoded,
            headers(&[
                ("count", "3"),
                ("x-text", "two words"),
                ("x-trace", "abc-1")
            ])
        );
        assert_eq!(decode::<Strings>(&encoded).unwrap(), strings);
        // The limit of "any value" buffering: JSON-looking text is not a `String` there.
        let err = decode_err::<Strings>(&headers(&[("count", "3"), ("x", "5")]));
        assert!(err.contains("expected a string"), "{err}");

        let h = headers(&[
            ("count", "3"),
            ("x-n", "5"),
            ("x-b", "true"),
            ("x-s", "plain text"),
            ("x-o", r#"{"a":null}"#),
        ]);
        let values = decode::<Values>(&h).unwrap();
        assert_eq!(values.count, 3);
        assert_eq!(
            values.extra,
            BTreeMap::from([
                ("x-n".to_owned(), json!(5)),
                ("x-b".to_owned(), json!(true)),
                ("x-s".to_owned(), json!("plain text")),
                ("x-o".to_owned(), json!({"a": null})),
            ])
        );
        let encoded = encode(&values).unwrap();
        assert_eq!(decode::<Values>(&encoded).unwrap(), values);

        let h = headers(&[("name", "123"), ("a", "1"), ("b", "2.5")]);
        let numbers = decode::<Numbers>(&h).unwrap();
        assert_eq!(numbers.name.as_deref(), Some("123"));
        assert_eq!(
            numbers.extra,
            BTreeMap::from([("a".to_owned(), 1.0), ("b".to_owned(), 2.5)])
        );
        let err = decode_err::<Numbers>(&headers(&[("a", "x")]));
        assert!(
            err.contains("invalid type: string \"x\", expected f64"),
            "{err}"
        );

        // A flattened struct: its fields are headers.
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Inner {
            id: u64,
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Outer {
            name: String,
            #[serde(flatten)]
            inner: Inner,
        }
        let outer = Outer {
            name: "1".into(),
            inner: Inner { id: 9 },
        };
        let encoded = encode(&outer).unwrap();
        assert_eq!(encoded, headers(&[("name", "1"), ("id", "9")]));
        assert_eq!(decode::<Outer>(&encoded).unwrap(), outer);
        assert_eq!(
            decode_err::<Outer>(&headers(&[("name", "1")])),
            "missing header `id`"
        );
    }

    #[test]
    fn top_level_enums() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        #[serde(tag = "kind")]
        enum Tagged {
            Start { at: u64 },
            Stop,
        }
        let start = Tagged::Start { at: 5 };
        let encoded = encode(&start).unwrap();
        assert_eq!(encoded, headers(&[("kind", "Start"), ("at", "5")]));
        assert_eq!(decode::<Tagged>(&encoded).unwrap(), start);
        assert_eq!(
            decode::<Tagged>(&headers(&[("kind", "Stop")])).unwrap(),
            Tagged::Stop
        );

        #[derive(Serialize, Debug)]
        enum External {
            Wrap(u8),
            Pair(u8, u8),
            Fields { a: String },
            Unit,
        }
        assert_eq!(
            encode(&External::Wrap(1)).unwrap(),
            headers(&[("Wrap", "1")])
        );
        assert_eq!(
            encode(&External::Pair(1, 2)).unwrap(),
            headers(&[("Pair", "[1,2]")])
        );
        assert_eq!(
            encode(&External::Fields { a: "x".into() }).unwrap(),
            headers(&[("Fields", r#"{"a":"x"}"#)])
        );
        assert!(matches!(
            encode(&External::Unit).unwrap_err(),
            HeaderError::NotAnObject { .. }
        ));
    }

    #[test]
    fn json_values_keep_field_order_and_name_their_errors() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Point {
            z: i32,
            a: i32,
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        #[serde(tag = "type")]
        enum Shape {
            Circle { radius: f64 },
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct H {
            point: Point,
            shape: Shape,
        }
        let value = H {
            point: Point { z: 1, a: 2 },
            shape: Shape::Circle { radius: 0.5 },
        };
        let encoded = encode(&value).unwrap();
        assert_eq!(
            encoded,
            headers(&[
                ("point", r#"{"z":1,"a":2}"#),
                ("shape", r#"{"type":"Circle","radius":0.5}"#),
            ])
        );
        assert_eq!(decode::<H>(&encoded).unwrap(), value);
        let mut broken = encoded.clone();
        broken.insert("shape", r#"{"type":"Circle"}"#);
        assert_eq!(
            decode_err::<H>(&broken),
            "header `shape`: missing field `radius`"
        );
        // A header name that does not fit a numeric map key.
        let err = decode_err::<BTreeMap<u8, String>>(&headers(&[("x", "1")]));
        assert_eq!(
            err,
            r#"header name `x`: invalid type: string "x", expected u8"#
        );
    }

    #[test]
    fn option_of_headers() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct H {
            #[serde(default)]
            a: Option<u8>,
        }
        assert_eq!(
            decode::<Option<H>>(&Headers::new()).unwrap(),
            Some(H { a: None })
        );
    }

    #[test]
    fn keys() {
        assert_eq!(
            encode_key("lamp-1").unwrap().as_deref(),
            Some(&b"lamp-1"[..])
        );
        assert_eq!(encode_key("123").unwrap().as_deref(), Some(&b"123"[..]));
        assert_eq!(encode_key(&123u32).unwrap().as_deref(), Some(&b"123"[..]));
        assert_eq!(encode_key(&()).unwrap(), None);
        assert_eq!(encode_key(&None::<String>).unwrap(), None);

        assert_eq!(decode_key::<String>(Some(b"123")).unwrap(), "123");
        assert_eq!(decode_key::<String>(Some(b"")).unwrap(), "");
        assert_eq!(decode_key::<u32>(Some(b"123")).unwrap(), 123);
        assert_eq!(decode_key::<Option<u32>>(Some(b"4")).unwrap(), Some(4));
        assert_eq!(decode_key::<Option<u32>>(None).unwrap(), None);
        assert_eq!(decode_key::<Option<String>>(None).unwrap(), None);
        decode_key::<()>(None).unwrap();
        decode_key::<()>(Some(b"ignored")).unwrap();

        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Key {
            tenant: String,
            shard: u16,
        }
        let key = Key {
            tenant: "t".into(),
            shard: 3,
        };
        let bytes = encode_key(&key).unwrap().unwrap();
        assert_eq!(&bytes[..], br#"{"tenant":"t","shard":3}"#);
        assert_eq!(decode_key::<Key>(Some(&bytes)).unwrap(), key);

        let err = decode_key::<u32>(None).unwrap_err();
        assert_eq!(err.to_string(), "missing key");
        let err = decode_key::<String>(None).unwrap_err();
        assert_eq!(err.to_string(), "missing key");
        let err = decode_key::<u32>(Some(b"abc")).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"key: invalid type: string "abc", expected u32"#
        );
        let err = decode_key::<String>(Some(&[0xff, 0xfe])).unwrap_err();
        assert!(matches!(err, HeaderError::KeyNotUtf8(_)), "{err:?}");
        assert!(err.to_string().starts_with("the key is not UTF-8"), "{err}");
    }
}
