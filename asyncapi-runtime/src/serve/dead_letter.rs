//! The message a dead-letter destination receives: the original bytes, headers and key, with the
//! failure described in headers of these names.

use crate::{Incoming, Outgoing, QoS};

/// Why the message could not be handled (the handler's error, or why it did not decode).
pub const REASON: &str = "x-dead-letter-reason";
/// The receive operation that gave up on it.
pub const OPERATION: &str = "x-dead-letter-operation";
/// How many times the handler had it (0 when it did not decode).
pub const ATTEMPTS: &str = "x-dead-letter-attempts";
/// The address it arrived on.
pub const ADDRESS: &str = "x-dead-letter-address";
/// The partition it was read from (Kafka only).
pub const PARTITION: &str = "x-dead-letter-partition";
/// Its offset in that partition (Kafka only).
pub const OFFSET: &str = "x-dead-letter-offset";

/// The dead letter for `incoming`, to `address`: at least once (MQTT QoS 1), the original
/// payload, headers (the failure headers added), key, correlation id and reply address.
pub(crate) fn message(
    address: &str,
    incoming: &Incoming,
    operation: &'static str,
    attempts: u32,
    reason: &str,
) -> Outgoing {
    let mut headers = incoming.headers.clone();
    headers.insert(REASON, reason);
    headers.insert(OPERATION, operation);
    headers.insert(ATTEMPTS, attempts.to_string());
    headers.insert(ADDRESS, incoming.address.as_str());
    if let Some(partition) = incoming.partition {
        headers.insert(PARTITION, partition.to_string());
    }
    if let Some(offset) = incoming.offset {
        headers.insert(OFFSET, offset.to_string());
    }
    let mut message = Outgoing::new(address, incoming.payload.clone())
        .with_headers(headers)
        .with_qos(QoS::AtLeastOnce);
    message.key = incoming.key.clone();
    message.correlation_id = incoming.correlation_id.clone();
    message.reply_to = incoming.reply_to.clone();
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Headers;

    #[test]
    fn a_dead_letter_keeps_the_original_and_says_why() {
        let mut incoming = Incoming::new("orders", &b"\xff{not json"[..]);
        let mut headers = Headers::new();
        headers.insert("tenant", "acme");
        incoming.headers = headers;
        incoming.key = Some(bytes::Bytes::from_static(b"k-1"));
        incoming.partition = Some(2);
        incoming.offset = Some(41);
        let letter = message("orders.dlq", &incoming, "receiveOrder", 3, "out of stock");
        assert_eq!(letter.address, "orders.dlq");
        assert_eq!(&letter.payload[..], b"\xff{not json");
        assert_eq!(letter.key.as_deref(), Some(&b"k-1"[..]));
        assert_eq!(letter.qos, QoS::AtLeastOnce);
        let h = &letter.headers;
        assert_eq!(h.get("tenant"), Some("acme"));
        assert_eq!(h.get(REASON), Some("out of stock"));
        assert_eq!(h.get(OPERATION), Some("receiveOrder"));
        assert_eq!(h.get(ATTEMPTS), Some("3"));
        assert_eq!(h.get(ADDRESS), Some("orders"));
        assert_eq!(h.get(PARTITION), Some("2"));
        assert_eq!(h.get(OFFSET), Some("41"));
    }
}
