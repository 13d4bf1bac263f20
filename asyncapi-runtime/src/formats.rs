//! Types for the string `format`s of JSON Schema.
//!
//! Generated code names a format's type as `::asyncapi_runtime::formats::DateTime` and so on,
//! whether or not the feature behind it is on:
//!
//! | `format`    | type         | with the feature (checked and parsed)           | without it |
//! |-------------|--------------|-------------------------------------------------|------------|
//! | `date-time` | [`DateTime`] | `chrono`: RFC 3339 date-time                    | `String`   |
//! | `date`      | [`Date`]     | `chrono`: RFC 3339 full-date (`YYYY-MM-DD`)     | `String`   |
//! | `time`      | [`Time`]     | `chrono`: RFC 3339 full-time, with an offset    | `String`   |
//! | `uuid`      | [`Uuid`]     | `uuid`: RFC 4122 hyphenated form                | `String`   |
//! | `uri`       | [`Uri`]      | `url`: absolute URI                             | `String`   |
//! | `email`     | [`Email`]    | `email`: RFC 5321 mailbox (no display name)     | `String`   |
//! | `byte`      | [`Base64`]   | `base64`: standard alphabet, padded             | `String`   |
//!
//! With its feature on, a type holds the text as received next to its parsed value, so a message
//! that is decoded and encoded again is the same JSON byte for byte (`2024-01-02T03:04:05.000Z`
//! stays as it is, it does not become `2024-01-02T03:04:05Z`). Such a type:
//!
//! - parses with `parse`, [`FromStr`](std::str::FromStr) or `TryFrom<String>`, failing with a
//!   [`FormatError`] that names the format and the text;
//! - gives back the text with `as_str` (and [`Display`](std::fmt::Display)) and the parsed value
//!   with `value`;
//! - is built from a parsed value with `From`, which writes the value's canonical text;
//! - compares and hashes by its text;
//! - serializes as its text and deserializes from a string, checking it;
//! - implements [`Validate`](crate::Validate) (the format is checked while decoding, so there
//!   is nothing left to check) and [`AddressValue`], so it can fill a channel address placeholder.
//!
//! With its feature off, the name is an alias of `String`, and any text is accepted.

use std::fmt;

#[allow(unused_imports)]
use crate::address::AddressValue;

/// Why a text is not a valid value of a string format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    format: &'static str,
    text: String,
    reason: String,
}

impl FormatError {
    /// A `format` (`"date-time"`, `"uuid"`, ...) rejecting `text` for `reason`.
    pub fn new(format: &'static str, text: impl Into<String>, reason: impl Into<String>) -> Self {
        FormatError {
            format,
            text: text.into(),
            reason: reason.into(),
        }
    }

    /// The format's name as JSON Schema spells it (`"date-time"`, `"uuid"`, ...).
    pub fn format(&self) -> &'static str {
        self.format
    }

    /// The rejected text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid {}: {}",
            self.text, self.format, self.reason
        )
    }
}

impl std::error::Error for FormatError {}

/// The parts every format type shares. The type provides `fn read(text: &str) -> Result<$value,
/// String>` (the parsed value, or why the text is invalid).
#[allow(unused_macros)]
macro_rules! text_format {
    ($(#[$meta:meta])* $name:ident, $format:literal, $value:ty) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name {
            text: String,
            value: $value,
        }

        impl $name {
            #[doc = concat!("The format's name, `", $format, "`.")]
            pub const FORMAT: &'static str = $format;

            #[doc = concat!("Checks and parses `text` as a `", $format, "`.")]
            pub fn parse(text: &str) -> Result<Self, FormatError> {
                match Self::read(text) {
                    Ok(value) => Ok($name { text: text.to_owned(), value }),
                    Err(reason) => Err(FormatError::new($format, text, reason)),
                }
            }

            #[doc = concat!("Checks and parses `text` as a `", $format, "`, keeping the string.")]
            pub fn parse_string(text: String) -> Result<Self, FormatError> {
                match Self::read(&text) {
                    Ok(value) => Ok($name { text, value }),
                    Err(reason) => Err(FormatError::new($format, text, reason)),
                }
            }

            /// The text, exactly as parsed (or as written by `From`).
            pub fn as_str(&self) -> &str {
                &self.text
            }

            /// The text, as an owned string.
            pub fn into_string(self) -> String {
                self.text
            }

            /// The parsed value, owned.
            pub fn into_value(self) -> $value {
                self.value
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.text).finish()
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.text == other.text
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.text.hash(state);
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.text
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.text
            }
        }

        impl std::str::FromStr for $name {
            type Err = FormatError;

            fn from_str(text: &str) -> Result<Self, FormatError> {
                Self::parse(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = FormatError;

            fn try_from(text: String) -> Result<Self, FormatError> {
                Self::parse_string(text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = FormatError;

            fn try_from(text: &str) -> Result<Self, FormatError> {
                Self::parse(text)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a `", $format, "` string"))
                    }

                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        $name::parse(text).map_err(E::custom)
                    }

                    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<$name, E> {
                        $name::parse_string(text).map_err(E::custom)
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }

        impl crate::Validate for $name {
            #[inline]
            fn validate_at(
                &self,
                _path: &crate::validate::Path<'_>,
                _errors: &mut Vec<crate::ValidationError>,
            ) {
            }
        }

        impl AddressValue for $name {
            const EXPECTED: &'static str = $format;

            fn to_address_value(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(&self.text)
            }

            fn from_address_value(text: &str) -> Option<Self> {
                Self::parse(text).ok()
            }
        }
    };
}

/// Reads exactly `N` ASCII digits at `at` as a number.
#[cfg(feature = "chrono")]
fn digits(bytes: &[u8], at: usize, n: usize) -> Option<u32> {
    let field = bytes.get(at..at + n)?;
    field.iter().try_fold(0_u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// The RFC 3339 offset of `offset`: `Z` for UTC, `+hh:mm` otherwise (seconds are dropped).
#[cfg(feature = "chrono")]
fn offset_text(offset: ::chrono::FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        return "Z".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(feature = "chrono")]
text_format! {
    /// An RFC 3339 `date-time` such as `2024-01-02T03:04:05.5+02:00`: a full date, `T` (or `t`),
    /// a time with optional fraction of a second, and an offset (`Z` or `±hh:mm`). A leap second
    /// (`:60`) is accepted.
    ///
    /// Enabled by the `chrono` feature; without it, `DateTime` is `String`.
    DateTime, "date-time", ::chrono::DateTime<::chrono::FixedOffset>
}

#[cfg(feature = "chrono")]
impl DateTime {
    fn read(text: &str) -> Result<::chrono::DateTime<::chrono::FixedOffset>, String> {
        // The parser also takes a space between date and time, which the format does not.
        if !matches!(text.as_bytes().get(10), Some(b'T' | b't')) {
            return Err("expected `YYYY-MM-DDThh:mm:ss` and an offset".to_owned());
        }
        ::chrono::DateTime::parse_from_rfc3339(text).map_err(|e| e.to_string())
    }

    /// The instant, with the offset it was written with.
    pub fn value(&self) -> ::chrono::DateTime<::chrono::FixedOffset> {
        self.value
    }
}

/// Written in RFC 3339 with as many fraction digits as needed, and `Z` for a zero offset.
#[cfg(feature = "chrono")]
impl From<::chrono::DateTime<::chrono::FixedOffset>> for DateTime {
    fn from(value: ::chrono::DateTime<::chrono::FixedOffset>) -> Self {
        DateTime {
            text: value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true),
            value,
        }
    }
}

/// Written in RFC 3339 with as many fraction digits as needed, and `Z`.
#[cfg(feature = "chrono")]
impl From<::chrono::DateTime<::chrono::Utc>> for DateTime {
    fn from(value: ::chrono::DateTime<::chrono::Utc>) -> Self {
        DateTime::from(value.fixed_offset())
    }
}

#[cfg(feature = "chrono")]
text_format! {
    /// An RFC 3339 `full-date`, `YYYY-MM-DD`, of a day that exists (`2024-02-29` but not
    /// `2023-02-29`).
    ///
    /// Enabled by the `chrono` feature; without it, `Date` is `String`.
    Date, "date", ::chrono::NaiveDate
}

#[cfg(feature = "chrono")]
impl Date {
    fn read(text: &str) -> Result<::chrono::NaiveDate, String> {
        let bytes = text.as_bytes();
        let shape = || "expected `YYYY-MM-DD`".to_owned();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(shape());
        }
        let (Some(year), Some(month), Some(day)) = (
            digits(bytes, 0, 4),
            digits(bytes, 5, 2),
            digits(bytes, 8, 2),
        ) else {
            return Err(shape());
        };
        // At most 9999: the cast is lossless.
        ::chrono::NaiveDate::from_ymd_opt(year as i32, month, day)
            .ok_or_else(|| "there is no such day".to_owned())
    }

    /// The day.
    pub fn value(&self) -> ::chrono::NaiveDate {
        self.value
    }
}

/// Written as `YYYY-MM-DD`. Years outside 0000–9999 have no `full-date` text; they are written
/// with a sign or more digits, as `chrono` does, and would not parse back.
#[cfg(feature = "chrono")]
impl From<::chrono::NaiveDate> for Date {
    fn from(value: ::chrono::NaiveDate) -> Self {
        Date {
            text: value.format("%Y-%m-%d").to_string(),
            value,
        }
    }
}

#[cfg(feature = "chrono")]
text_format! {
    /// An RFC 3339 `full-time`: `hh:mm:ss`, an optional fraction of a second, and an offset, as in
    /// `10:20:30Z` or `10:20:30.5+02:00`. A leap second (`:60`) is accepted where it can occur,
    /// at 23:59 UTC. The value is the time of day and its offset: [`Time::time`] and
    /// [`Time::offset`].
    ///
    /// Enabled by the `chrono` feature; without it, `Time` is `String`.
    Time, "time", (::chrono::NaiveTime, ::chrono::FixedOffset)
}

#[cfg(feature = "chrono")]
impl Time {
    fn read(text: &str) -> Result<(::chrono::NaiveTime, ::chrono::FixedOffset), String> {
        let bytes = text.as_bytes();
        let shape = || "expected `hh:mm:ss`, an optional fraction, and `Z` or `±hh:mm`".to_owned();
        if bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
            return Err(shape());
        }
        let (Some(hour), Some(minute), Some(second)) = (
            digits(bytes, 0, 2),
            digits(bytes, 3, 2),
            digits(bytes, 6, 2),
        ) else {
            return Err(shape());
        };
        let mut at = 8;
        let mut nanos = 0_u32;
        if bytes[at] == b'.' {
            let start = at + 1;
            let len = bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if len == 0 {
                return Err(shape());
            }
            // Nanosecond precision: further digits are dropped from the value (not the text).
            for i in 0..9 {
                let digit = if i < len { bytes[start + i] - b'0' } else { 0 };
                nanos = nanos * 10 + u32::from(digit);
            }
            at = start + len;
        }
        let offset_seconds = match &bytes[at..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), rest @ ..] if rest.len() == 5 && rest[2] == b':' => {
                let (Some(hours), Some(minutes)) = (digits(rest, 0, 2), digits(rest, 3, 2)) else {
                    return Err(shape());
                };
                if hours > 23 || minutes > 59 {
                    return Err("the offset is out of range".to_owned());
                }
                let seconds = (hours * 3600 + minutes * 60) as i32;
                if *sign == b'-' { -seconds } else { seconds }
            }
            _ => return Err(shape()),
        };
        if hour > 23 || minute > 59 || second > 60 {
            return Err("the time is out of range".to_owned());
        }
        if second == 60 {
            let local = (hour * 60 + minute) as i32;
            let utc = (local - offset_seconds / 60).rem_euclid(24 * 60);
            if utc != 23 * 60 + 59 {
                return Err("a leap second can only be at 23:59:60 UTC".to_owned());
            }
        }
        // chrono writes a leap second as second 59 with a nanosecond count of a second or more.
        let time = if second == 60 {
            ::chrono::NaiveTime::from_hms_nano_opt(hour, minute, 59, 1_000_000_000 + nanos)
        } else {
            ::chrono::NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
        };
        let offset = ::chrono::FixedOffset::east_opt(offset_seconds);
        match (time, offset) {
            (Some(time), Some(offset)) => Ok((time, offset)),
            _ => Err("the time is out of range".to_owned()),
        }
    }

    /// The time of day and its offset.
    pub fn value(&self) -> (::chrono::NaiveTime, ::chrono::FixedOffset) {
        self.value
    }

    /// The time of day, as written (local to [`Time::offset`]).
    pub fn time(&self) -> ::chrono::NaiveTime {
        self.value.0
    }

    /// The offset from UTC the time is written with.
    pub fn offset(&self) -> ::chrono::FixedOffset {
        self.value.1
    }
}

/// Written as `hh:mm:ss` with as many fraction digits as needed (none, 3, 6 or 9), then `Z` for a
/// zero offset or `±hh:mm` (the seconds of an offset, which RFC 3339 cannot express, are dropped).
#[cfg(feature = "chrono")]
impl From<(::chrono::NaiveTime, ::chrono::FixedOffset)> for Time {
    fn from(value: (::chrono::NaiveTime, ::chrono::FixedOffset)) -> Self {
        let (time, offset) = value;
        Time {
            text: format!("{}{}", time.format("%H:%M:%S%.f"), offset_text(offset)),
            value,
        }
    }
}

#[cfg(feature = "uuid")]
text_format! {
    /// A `uuid` in the hyphenated form of RFC 4122, `8-4-4-4-12` hex digits such as
    /// `67e55044-10b1-426f-9247-bb680e5fe0c8`, in either case.
    ///
    /// Enabled by the `uuid` feature; without it, `Uuid` is `String`.
    Uuid, "uuid", ::uuid::Uuid
}

#[cfg(feature = "uuid")]
impl Uuid {
    fn read(text: &str) -> Result<::uuid::Uuid, String> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 36
            && bytes.iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            });
        if !shaped {
            return Err("expected 8-4-4-4-12 hexadecimal digits".to_owned());
        }
        ::uuid::Uuid::parse_str(text).map_err(|e| e.to_string())
    }

    /// The UUID.
    pub fn value(&self) -> ::uuid::Uuid {
        self.value
    }
}

/// Written hyphenated, in lower case.
#[cfg(feature = "uuid")]
impl From<::uuid::Uuid> for Uuid {
    fn from(value: ::uuid::Uuid) -> Self {
        Uuid {
            text: value.hyphenated().to_string(),
            value,
        }
    }
}

#[cfg(feature = "url")]
text_format! {
    /// An absolute `uri` such as `https://example.com/a?b#c` or `urn:isbn:0451450523`: a scheme
    /// followed by what the `url` crate accepts for it. The text must be ASCII, without spaces,
    /// control characters, `"`, `<` or `>` (which a URI writes percent-encoded); a relative
    /// reference is rejected.
    ///
    /// Enabled by the `url` feature; without it, `Uri` is `String`.
    Uri, "uri", ::url::Url
}

/// Whether a URI may hold `c` unescaped (everything a URL parser would otherwise quietly accept
/// or encode is refused).
#[cfg(feature = "url")]
fn uri_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>')
}

#[cfg(feature = "url")]
impl Uri {
    fn read(text: &str) -> Result<::url::Url, String> {
        if let Some(bad) = text.chars().find(|c| !uri_char(*c)) {
            return Err(format!("{bad:?} must be percent-encoded in a URI"));
        }
        ::url::Url::parse(text).map_err(|e| e.to_string())
    }

    /// The parsed URL.
    pub fn value(&self) -> &::url::Url {
        &self.value
    }
}

/// Written as the URL serializes; any character a URI must not hold unescaped, which a URL can
/// keep in an opaque path, is percent-encoded.
#[cfg(feature = "url")]
impl From<::url::Url> for Uri {
    fn from(value: ::url::Url) -> Self {
        let serialized = value.as_str();
        if serialized.chars().all(uri_char) {
            return Uri {
                text: serialized.to_owned(),
                value,
            };
        }
        let mut text = String::with_capacity(serialized.len() + 8);
        for c in serialized.chars() {
            if uri_char(c) {
                text.push(c);
            } else {
                let mut buffer = [0; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    text.push_str(&format!("%{byte:02X}"));
                }
            }
        }
        let value = ::url::Url::parse(&text).unwrap_or(value);
        Uri { text, value }
    }
}

#[cfg(feature = "email")]
text_format! {
    /// An `email` address (an RFC 5321 mailbox) such as `joe.bloggs@example.com`, with a quoted
    /// local part or a domain literal (`joe@[127.0.0.1]`) allowed, but no display name
    /// (`Joe <joe@example.com>` is rejected).
    ///
    /// Enabled by the `email` feature; without it, `Email` is `String`.
    Email, "email", ::email_address::EmailAddress
}

#[cfg(feature = "email")]
impl Email {
    fn read(text: &str) -> Result<::email_address::EmailAddress, String> {
        ::email_address::EmailAddress::parse_with_options(
            text,
            ::email_address::Options::default().without_display_text(),
        )
        .map_err(|e| e.to_string())
    }

    /// The parsed address.
    pub fn value(&self) -> &::email_address::EmailAddress {
        &self.value
    }
}

/// Written as the bare address: a display name the value carries is left out.
#[cfg(feature = "email")]
impl From<::email_address::EmailAddress> for Email {
    fn from(value: ::email_address::EmailAddress) -> Self {
        let whole = value.as_str();
        if let Ok(parsed) = Email::read(whole) {
            return Email {
                text: whole.to_owned(),
                value: parsed,
            };
        }
        // With a display name: keep only the address (`email` expects a well-formed value).
        if ::email_address::EmailAddress::is_valid(whole) {
            if let Ok(parsed) = Email::read(value.email()) {
                return Email {
                    text: value.email().to_owned(),
                    value: parsed,
                };
            }
        }
        Email {
            text: whole.to_owned(),
            value,
        }
    }
}

#[cfg(feature = "base64")]
text_format! {
    /// A `byte` string: bytes in base64 with the standard alphabet (`+`, `/`) and `=` padding, as
    /// in `aGVsbG8=`; no whitespace or line breaks.
    ///
    /// Enabled by the `base64` feature; without it, `Base64` is `String`.
    Base64, "byte", Vec<u8>
}

#[cfg(feature = "base64")]
impl Base64 {
    fn read(text: &str) -> Result<Vec<u8>, String> {
        use ::base64::Engine as _;
        ::base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| e.to_string())
    }

    /// The decoded bytes.
    pub fn value(&self) -> &[u8] {
        &self.value
    }
}

/// Encoded with the standard alphabet and padding.
#[cfg(feature = "base64")]
impl From<Vec<u8>> for Base64 {
    fn from(value: Vec<u8>) -> Self {
        use ::base64::Engine as _;
        Base64 {
            text: ::base64::engine::general_purpose::STANDARD.encode(&value),
            value,
        }
    }
}

/// Encoded with the standard alphabet and padding.
#[cfg(feature = "base64")]
impl From<&[u8]> for Base64 {
    fn from(value: &[u8]) -> Self {
        Base64::from(value.to_vec())
    }
}

/// An RFC 3339 `date-time`, as its text. Enable the `chrono` feature for a type that checks and
/// parses it.
#[cfg(not(feature = "chrono"))]
pub type DateTime = String;

/// An RFC 3339 `full-date` (`YYYY-MM-DD`), as its text. Enable the `chrono` feature for a type
/// that checks and parses it.
#[cfg(not(feature = "chrono"))]
pub type Date = String;

/// An RFC 3339 `full-time` (`hh:mm:ss` and an offset), as its text. Enable the `chrono` feature
/// for a type that checks and parses it.
#[cfg(not(feature = "chrono"))]
pub type Time = String;

/// A `uuid`, as its text. Enable the `uuid` feature for a type that checks and parses it.
#[cfg(not(feature = "uuid"))]
pub type Uuid = String;

/// A `uri`, as its text. Enable the `url` feature for a type that checks and parses it.
#[cfg(not(feature = "url"))]
pub type Uri = String;

/// An `email` address, as its text. Enable the `email` feature for a type that checks and parses
/// it.
#[cfg(not(feature = "email"))]
pub type Email = String;

/// A base64 `byte` string, as its text. Enable the `base64` feature for a type that checks and
/// decodes it.
#[cfg(not(feature = "base64"))]
pub type Base64 = String;

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use super::*;

    /// Decodes `text` as a JSON string of `T`, and checks it encodes back to the same bytes.
    #[allow(dead_code)]
    fn round_trip<T>(text: &str) -> T
    where
        T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Display,
    {
        let json = serde_json::to_string(text).unwrap();
        let value: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        assert_eq!(value.to_string(), text);
        value
    }

    /// The error of decoding `text` as a JSON string of `T`.
    #[allow(dead_code)]
    fn rejected<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let json = serde_json::to_string(text).unwrap();
        serde_json::from_str::<T>(&json)
            .expect_err(text)
            .to_string()
    }

    #[test]
    fn format_errors_name_the_format_and_text() {
        let error = FormatError::new("uuid", "nope", "expected hex");
        assert_eq!(error.format(), "uuid");
        assert_eq!(error.text(), "nope");
        assert_eq!(error.reason(), "expected hex");
        assert_eq!(
            error.to_string(),
            "\"nope\" is not a valid uuid: expected hex"
        );
    }

    #[cfg(not(any(
        feature = "chrono",
        feature = "uuid",
        feature = "url",
        feature = "email",
        feature = "base64"
    )))]
    #[test]
    fn without_features_formats_are_strings() {
        let text: DateTime = "anything".to_owned();
        let others: [&Date; 1] = [&text];
        let _: (&Time, &Uuid, &Uri, &Email, &Base64) = (&text, &text, &text, &text, &text);
        assert_eq!(others[0], "anything");
    }

    #[cfg(feature = "chrono")]
    mod chrono_types {
        use super::*;
        use ::chrono::{NaiveDate, NaiveTime, Timelike};

        #[test]
        fn date_time_keeps_its_text() {
            let value = round_trip::<DateTime>("2024-01-02T03:04:05.000Z");
            assert_eq!(value.as_str(), "2024-01-02T03:04:05.000Z");
            assert_eq!(value.value().timestamp(), 1_704_164_645);
            let plus = round_trip::<DateTime>("2024-01-02T03:04:05+00:00");
            assert_ne!(plus, round_trip::<DateTime>("2024-01-02T03:04:05Z"));
            assert_eq!(plus.value(), value.value());
            let offset = round_trip::<DateTime>("2024-01-02t05:04:05.123456789+02:00");
            assert_eq!(offset.value().timestamp(), 1_704_164_645);
            assert_eq!(offset.value().offset().local_minus_utc(), 7200);
            round_trip::<DateTime>("2016-12-31T23:59:60Z");
        }

        #[test]
        fn date_time_rejects_bad_text() {
            for bad in [
                "2024-01-02 03:04:05Z",
                "2024-01-02T03:04:05",
                "2024-13-02T03:04:05Z",
                "2024-01-02T25:04:05Z",
                "2024-01-02",
                "",
                "not a date",
            ] {
                let error = DateTime::parse(bad).unwrap_err();
                assert_eq!(error.format(), "date-time");
                assert_eq!(error.text(), bad);
                let message = rejected::<DateTime>(bad);
                assert!(message.contains("not a valid date-time"), "{message}");
                assert!(message.contains(&format!("{bad:?}")), "{message}");
            }
        }

        #[test]
        fn date_time_from_a_value() {
            let instant = ::chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05.5Z").unwrap();
            let value = DateTime::from(instant);
            assert_eq!(value.as_str(), "2024-01-02T03:04:05.500Z");
            assert_eq!(DateTime::parse(value.as_str()).unwrap().value(), instant);
            let east = ::chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05+05:30").unwrap();
            assert_eq!(DateTime::from(east).as_str(), "2024-01-02T03:04:05+05:30");
            let utc = instant.with_timezone(&::chrono::Utc);
            assert_eq!(DateTime::from(utc).as_str(), "2024-01-02T03:04:05.500Z");
            assert_eq!(
                "2024-01-02T03:04:05Z".parse::<DateTime>().unwrap().as_str(),
                "2024-01-02T03:04:05Z"
            );
        }

        #[test]
        fn date_keeps_its_text_and_checks_the_day() {
            let date = round_trip::<Date>("2024-02-29");
            assert_eq!(date.value(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
            for bad in [
                "2023-02-29",
                "2024-1-02",
                "2024-01-2",
                "+02024-01-02",
                "2024/01/02",
                "2024-01-02T00:00:00Z",
                "",
            ] {
                let message = rejected::<Date>(bad);
                assert!(message.contains("not a valid date"), "{message}");
                assert_eq!(Date::parse(bad).unwrap_err().format(), "date");
            }
            let from = Date::from(NaiveDate::from_ymd_opt(7, 3, 9).unwrap());
            assert_eq!(from.as_str(), "0007-03-09");
            assert_eq!(Date::try_from("0007-03-09".to_owned()).unwrap(), from);
        }

        #[test]
        fn time_keeps_its_text() {
            let zulu = round_trip::<Time>("10:20:30Z");
            assert_eq!(zulu.time(), NaiveTime::from_hms_opt(10, 20, 30).unwrap());
            assert_eq!(zulu.offset().local_minus_utc(), 0);
            let east = round_trip::<Time>("10:20:30.5+02:00");
            assert_eq!(east.time().nanosecond(), 500_000_000);
            assert_eq!(east.offset().local_minus_utc(), 7200);
            let west = round_trip::<Time>("10:20:30.1234567891-05:30");
            assert_eq!(west.time().nanosecond(), 123_456_789);
            assert_eq!(west.offset().local_minus_utc(), -(5 * 3600 + 30 * 60));
            round_trip::<Time>("23:59:60Z");
            round_trip::<Time>("01:29:60+01:30");
            round_trip::<Time>("10:20:30z");
            round_trip::<Time>("00:00:00-00:00");
        }

        #[test]
        fn time_rejects_bad_text() {
            for bad in [
                "10:20:30",
                "10:20Z",
                "24:00:00Z",
                "10:60:00Z",
                "10:20:61Z",
                "12:00:60Z",
                "10:20:30.Z",
                "10:20:30+2:00",
                "10:20:30+24:00",
                "10:20:30+0200",
                "1:20:30Z",
                "10:20:30Z ",
                "",
            ] {
                let message = rejected::<Time>(bad);
                assert!(message.contains("not a valid time"), "{message}");
            }
        }

        #[test]
        fn time_from_a_value() {
            let time = NaiveTime::from_hms_milli_opt(8, 9, 10, 250).unwrap();
            let utc = ::chrono::FixedOffset::east_opt(0).unwrap();
            assert_eq!(Time::from((time, utc)).as_str(), "08:09:10.250Z");
            let west = ::chrono::FixedOffset::west_opt(3600 + 15 * 60).unwrap();
            let value = Time::from((NaiveTime::from_hms_opt(8, 9, 10).unwrap(), west));
            assert_eq!(value.as_str(), "08:09:10-01:15");
            assert_eq!(Time::parse(value.as_str()).unwrap().value(), value.value());
        }

        #[test]
        fn date_times_fill_addresses() {
            let value = DateTime::parse("2024-01-02T03:04:05Z").unwrap();
            assert_eq!(value.to_address_value(), "2024-01-02T03:04:05Z");
            let error = crate::address::parse_value::<Date>("day", "x/2024", "2024").unwrap_err();
            assert!(error.to_string().contains("not a valid date"), "{error}");
            let hash = |v: &DateTime| {
                use std::hash::{BuildHasher, RandomState};
                RandomState::new().hash_one(v)
            };
            let _ = hash(&value);
            assert!(crate::Validate::validate(&value).is_ok());
            assert_eq!(format!("{value:?}"), "DateTime(\"2024-01-02T03:04:05Z\")");
        }
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuid_keeps_its_text() {
        let upper = round_trip::<Uuid>("67E55044-10B1-426F-9247-BB680E5FE0C8");
        let lower = round_trip::<Uuid>("67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert_eq!(upper.value(), lower.value());
        assert_ne!(upper, lower);
        assert_eq!(Uuid::from(upper.value()), lower);
        for bad in [
            "67e5504410b1426f9247bb680e5fe0c8",
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
            "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
            "67e55044-10b1-426f-9247-bb680e5fe0cg",
            "67e5504-410b1-426f-9247-bb680e5fe0c8",
            "",
        ] {
            let message = rejected::<Uuid>(bad);
            assert!(message.contains("not a valid uuid"), "{message}");
        }
        assert_eq!(
            crate::address::parse_value::<Uuid>("id", "a", "67e55044-10b1-426f-9247-bb680e5fe0c8")
                .unwrap(),
            lower
        );
    }

    #[cfg(feature = "url")]
    #[test]
    fn uri_keeps_its_text() {
        // The URL type would normalize these (lower-case scheme and host, a `/` path).
        let uri = round_trip::<Uri>("HTTPS://Example.COM");
        assert_eq!(uri.value().as_str(), "https://example.com/");
        round_trip::<Uri>("urn:isbn:0451450523");
        round_trip::<Uri>("mailto:joe@example.com");
        round_trip::<Uri>("http://[::1]:8080/a%20b?q=1#frag");
        for bad in [
            "/relative/path",
            "example.com",
            "http://exa mple.com",
            "http://example.com/<x>",
            "http://ünïcode.example",
            "",
        ] {
            let message = rejected::<Uri>(bad);
            assert!(message.contains("not a valid uri"), "{message}");
        }
        let url = ::url::Url::parse("https://example.com/a b").unwrap();
        assert_eq!(Uri::from(url).as_str(), "https://example.com/a%20b");
        let opaque = ::url::Url::parse("mailto:a b@example.com").unwrap();
        let uri = Uri::from(opaque);
        assert_eq!(Uri::parse(uri.as_str()).unwrap(), uri);
    }

    #[cfg(feature = "email")]
    #[test]
    fn email_keeps_its_text() {
        let email = round_trip::<Email>("Joe.Bloggs@Example.COM");
        assert_eq!(email.value().domain(), "Example.COM");
        round_trip::<Email>("joe@[127.0.0.1]");
        round_trip::<Email>("\"joe bloggs\"@example.com");
        for bad in [
            "Joe <joe@example.com>",
            "<joe@example.com>",
            "joe",
            "joe@",
            "@example.com",
            "",
        ] {
            let message = rejected::<Email>(bad);
            assert!(message.contains("not a valid email"), "{message}");
        }
        let named: ::email_address::EmailAddress = "Joe <joe@example.com>".parse().unwrap();
        assert_eq!(Email::from(named).as_str(), "joe@example.com");
        let bare: ::email_address::EmailAddress = "joe@example.com".parse().unwrap();
        assert_eq!(Email::from(bare).as_str(), "joe@example.com");
    }

    #[cfg(feature = "base64")]
    #[test]
    fn base64_keeps_its_text() {
        let bytes = round_trip::<Base64>("aGVsbG8=");
        assert_eq!(bytes.value(), b"hello");
        assert_eq!(round_trip::<Base64>("").value(), b"");
        assert_eq!(round_trip::<Base64>("+/8=").value(), [0xfb, 0xff]);
        for bad in [
            "aGVsbG8",
            "aGVsbG8=\n",
            "aGVs bG8=",
            "-_8=",
            "aGVsbG9=",
            "!!!!",
        ] {
            let message = rejected::<Base64>(bad);
            assert!(message.contains("not a valid byte"), "{message}");
        }
        assert_eq!(Base64::from(&b"hello"[..]).as_str(), "aGVsbG8=");
        assert_eq!(Base64::from(vec![0xfb, 0xff]).into_value(), [0xfb, 0xff]);
    }
}
