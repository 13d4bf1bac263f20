//! Kafka record headers: the message's headers, plus the correlation id, reply address and
//! content type, which Kafka has no field for, under names of their own.

use rdkafka::message::{Header, OwnedHeaders};

use crate::{Headers, Outgoing};

/// The header that carries [`Outgoing::correlation_id`](crate::Outgoing::correlation_id).
pub const CORRELATION_ID_HEADER: &str = "asyncapi-correlation-id";
/// The header that carries [`Outgoing::reply_to`](crate::Outgoing::reply_to).
pub const REPLY_TO_HEADER: &str = "asyncapi-reply-to";
/// The header that carries [`Outgoing::content_type`](crate::Outgoing::content_type).
pub const CONTENT_TYPE_HEADER: &str = "asyncapi-content-type";

/// The record headers for a message: its own, in order, then each transport header it has a
/// value for (unless its own headers already have one of that name).
pub(crate) fn to_record(message: &Outgoing) -> OwnedHeaders {
    let extra = [
        (CORRELATION_ID_HEADER, message.correlation_id.as_deref()),
        (REPLY_TO_HEADER, message.reply_to.as_deref()),
        (CONTENT_TYPE_HEADER, message.content_type),
    ];
    let count = message.headers.len() + extra.len();
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
    headers
}

/// What a received record's headers hold: the application's headers, and the transport headers
/// taken out of them.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FromRecord {
    pub headers: Headers,
    pub correlation_id: Option<String>,
    pub reply_to: Option<String>,
    pub content_type: Option<String>,
}

/// Reads a record's headers. A value that is not UTF-8 is taken with replacement characters
/// (headers are text in this runtime); a header without a value is empty.
pub(crate) fn from_record(record: Option<&impl rdkafka::message::Headers>) -> FromRecord {
    let mut out = FromRecord::default();
    let Some(record) = record else {
        return out;
    };
    for header in record.iter() {
        let value = header.value.map_or_else(String::new, |bytes| {
            String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| {
                tracing::debug!(
                    header = header.key,
                    "kafka header value is not UTF-8; replacement characters used"
                );
                String::from_utf8_lossy(bytes).into_owned()
            })
        });
        let slot = match header.key {
            CORRELATION_ID_HEADER => &mut out.correlation_id,
            REPLY_TO_HEADER => &mut out.reply_to,
            CONTENT_TYPE_HEADER => &mut out.content_type,
            key => {
                out.headers.0.push((key.to_owned(), value));
                continue;
            }
        };
        // The first of a name counts, as with `Headers::get`.
        slot.get_or_insert(value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rdkafka::message::Headers as _;

    #[test]
    fn transport_headers_round_trip_apart_from_the_application_headers() {
        let message = Outgoing::new("t", "x")
            .with_headers(Headers::from_iter([("a", "1"), ("b", "2"), ("a", "3")]))
            .with_correlation_id("c-1")
            .with_reply_to("replies")
            .with_content_type("application/json");
        let record = to_record(&message);
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
        let record = to_record(&message);
        assert_eq!(record.count(), 1);
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
    }
}
