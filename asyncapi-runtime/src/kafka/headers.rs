//! Kafka record headers: the message's headers, plus the correlation id, reply address and
//! content type, which Kafka has no field for, under names of their own.

use std::borrow::Cow;

use rdkafka::message::{BorrowedMessage, Header, OwnedHeaders};

use crate::{Headers, Outgoing};

/// The header that carries [`Outgoing::correlation_id`](crate::Outgoing::correlation_id).
pub const CORRELATION_ID_HEADER: &str = "asyncapi-correlation-id";
/// The header that carries [`Outgoing::reply_to`](crate::Outgoing::reply_to).
pub const REPLY_TO_HEADER: &str = "asyncapi-reply-to";
/// The header that carries [`Outgoing::content_type`](crate::Outgoing::content_type).
pub const CONTENT_TYPE_HEADER: &str = "asyncapi-content-type";

/// The record headers for a message: its own, in order, then each transport header it has a
/// value for (unless its own headers already have one of that name); `None` when there are none
/// (librdkafka allocates a header list however empty).
pub(crate) fn to_record(message: &Outgoing) -> Option<OwnedHeaders> {
    let extra = [
        (CORRELATION_ID_HEADER, message.correlation_id.as_deref()),
        (REPLY_TO_HEADER, message.reply_to.as_deref()),
        (CONTENT_TYPE_HEADER, message.content_type),
    ];
    let count = message.headers.len() + extra.iter().filter(|(_, v)| v.is_some()).count();
    if count == 0 {
        return None;
    }
    let mut headers = OwnedHeaders::new_with_capacity(count);
    for (key, value) in &message.headers {
        headers = headers.insert(Header {
            key,
            value: Some(value),
        });
    }
    for (key, value) in extra {
        if let Some(value) = value
            && message.headers.get(key).is_none()
        {
            headers = headers.insert(Header {
                key,
                value: Some(value),
            });
        }
    }
    Some(headers)
}

/// What a received record's headers hold: the application's headers, and the transport headers
/// taken out of them.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FromRecord {
    pub headers: Headers,
    /// The names of the headers whose value is not UTF-8.
    pub headers_not_utf8: Vec<String>,
    pub correlation_id: Option<String>,
    pub reply_to: Option<String>,
    /// Borrowed for the content types of the runtime's codecs (no allocation per record).
    pub content_type: Option<Cow<'static, str>>,
}

/// Reads a received record's headers (see [`from_entries`]).
pub(crate) fn from_record(record: &BorrowedMessage<'_>) -> FromRecord {
    from_entries(record_entries(record))
}

/// A received record's headers as `(name, value)` bytes, read through librdkafka directly:
/// rdkafka's own reader (`Headers::try_get`, and so `iter`) panics on a name that is not UTF-8,
/// which any producer can send.
#[allow(unsafe_code)]
fn record_entries<'a>(
    record: &'a BorrowedMessage<'_>,
) -> impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)> {
    use rdkafka::bindings as rd;
    use rdkafka::types::RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR as NO_ERROR;
    let mut headers: *mut rd::rd_kafka_headers_t = std::ptr::null_mut();
    // SAFETY: `record.ptr()` points to a message that lives as long as `record`; librdkafka
    // parses its headers into a list that the message owns and sets `headers` to it (or
    // returns an error when there are none).
    let err = unsafe { rd::rd_kafka_message_headers(record.ptr(), &mut headers) };
    let mut index = if err != NO_ERROR || headers.is_null() {
        None
    } else {
        Some(0)
    };
    std::iter::from_fn(move || {
        let at = index?;
        let mut name: *const std::ffi::c_char = std::ptr::null();
        let mut value: *const std::ffi::c_void = std::ptr::null();
        let mut size = 0usize;
        // SAFETY: `headers` is the message's list (above); an index past its end is an error.
        let err =
            unsafe { rd::rd_kafka_header_get_all(headers, at, &mut name, &mut value, &mut size) };
        if err != NO_ERROR || name.is_null() {
            index = None;
            return None;
        }
        index = Some(at + 1);
        // SAFETY: librdkafka stores every name NUL-terminated and every value as `size` bytes,
        // both inside the list, which lives as long as the message (`'a`).
        let name = unsafe { std::ffi::CStr::from_ptr(name) }.to_bytes();
        let value =
            (!value.is_null()).then(|| unsafe { std::slice::from_raw_parts(value.cast(), size) });
        Some((name, value))
    })
}

/// The content types of the runtime's codecs, which a record's content type is most often.
const KNOWN_CONTENT_TYPES: [&str; 3] =
    ["application/json", "text/plain", "application/octet-stream"];

/// Reads headers from `(name, value)` bytes. A name or value that is not UTF-8 is taken with
/// replacement characters (headers are text in this runtime), and a value's header is named in
/// [`FromRecord::headers_not_utf8`] (a typed stream refuses the message when its headers type
/// reads it); a header without a value is empty.
fn from_entries<'a>(entries: impl IntoIterator<Item = (&'a [u8], Option<&'a [u8]>)>) -> FromRecord {
    let mut out = FromRecord::default();
    for (name, value) in entries {
        let name = String::from_utf8_lossy(name);
        // Borrowed until kept, so that a known content type costs no allocation.
        let value: Cow<'_, str> = match value.map(std::str::from_utf8) {
            None => Cow::Borrowed(""),
            Some(Ok(text)) => Cow::Borrowed(text),
            Some(Err(_)) => {
                tracing::debug!(header = %name, "kafka header value is not UTF-8");
                if !out.headers_not_utf8.iter().any(|n| *n == name) {
                    out.headers_not_utf8.push(name.clone().into_owned());
                }
                String::from_utf8_lossy(value.unwrap_or_default())
            }
        };
        let slot = match &*name {
            CORRELATION_ID_HEADER => &mut out.correlation_id,
            REPLY_TO_HEADER => &mut out.reply_to,
            CONTENT_TYPE_HEADER => {
                if out.content_type.is_none() {
                    let known = KNOWN_CONTENT_TYPES.iter().find(|known| **known == value);
                    out.content_type = Some(match known {
                        Some(known) => Cow::Borrowed(*known),
                        None => Cow::Owned(value.into_owned()),
                    });
                }
                continue;
            }
            _ => {
                out.headers.0.push((name.into_owned(), value.into_owned()));
                continue;
            }
        };
        // The first of a name counts, as with `Headers::get`.
        if slot.is_none() {
            *slot = Some(value.into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rdkafka::message::Headers as _;

    /// What `from_record` reads from a received record with these headers.
    fn from_record(record: Option<&OwnedHeaders>) -> FromRecord {
        from_entries(
            record
                .into_iter()
                .flat_map(|r| r.iter())
                .map(|h| (h.key.as_bytes(), h.value)),
        )
    }

    #[test]
    fn transport_headers_round_trip_apart_from_the_application_headers() {
        let message = Outgoing::new("t", "x")
            .with_headers(Headers::from_iter([("a", "1"), ("b", "2"), ("a", "3")]))
            .with_correlation_id("c-1")
            .with_reply_to("replies")
            .with_content_type("application/json");
        let record = to_record(&message).unwrap();
        assert_eq!(record.count(), 6);
        let back = from_record(Some(&record));
        assert_eq!(back.headers, message.headers);
        assert_eq!(back.correlation_id.as_deref(), Some("c-1"));
        assert_eq!(back.reply_to.as_deref(), Some("replies"));
        assert_eq!(back.content_type.as_deref(), Some("application/json"));
    }

    #[test]
    fn an_application_header_of_a_transport_name_is_not_doubled() {
        let message = Outgoing::new("t", "x")
            .with_headers(Headers::from_iter([(CORRELATION_ID_HEADER, "mine")]))
            .with_correlation_id("native");
        let record = to_record(&message).unwrap();
        assert_eq!(record.count(), 1);
        assert!(to_record(&Outgoing::new("t", "x")).is_none());
        assert_eq!(
            from_record(Some(&record)).correlation_id.as_deref(),
            Some("mine")
        );
        assert_eq!(from_record(None::<&OwnedHeaders>), FromRecord::default());
    }

    #[test]
    fn odd_values_are_read_as_text() {
        let record = OwnedHeaders::new()
            .insert(Header {
                key: "empty",
                value: None::<&[u8]>,
            })
            .insert(Header {
                key: "binary",
                value: Some(&[0xff, b'a'][..]),
            });
        let back = from_record(Some(&record));
        assert_eq!(
            back.headers,
            Headers::from_iter([("empty", ""), ("binary", "\u{fffd}a")])
        );
        assert_eq!(back.headers_not_utf8, vec!["binary".to_owned()]);
        // A name that is not UTF-8 (which rdkafka's own reader panics on) is read lossily.
        let back = from_entries([(&[b'k', 0xc3][..], Some(&b"v"[..]))]);
        assert_eq!(back.headers, Headers::from_iter([("k\u{fffd}", "v")]));
        assert!(back.headers_not_utf8.is_empty());
    }
}
