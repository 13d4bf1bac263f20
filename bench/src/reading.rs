//! The message of the runtime benchmarks, both ways: the generated API of `specs/bench.yaml`
//! (typed) and the struct a user of the raw clients would write for the same JSON (raw).
//!
//! Every message is `{"seq":N,"sent_ns":T,"data":"xxx…"}`, exactly [`PAYLOAD_BYTES`] long:
//! the filler is cut to fit the digits of `seq` and `sent_ns` (see [`fill`]). Both sides build
//! each message the same way (the numbers set, the filler resized in place) and serialize it
//! with serde_json per message: the typed side through the generated send method, the raw side
//! with `serde_json::to_vec`. Receiving, both decode it with serde_json into an owned struct.

use std::sync::OnceLock;
use std::time::Instant;

use serde::{Deserialize, Serialize};

/// The generated API.
pub mod api {
    asyncapi_runtime::asyncapi!("specs/bench.yaml");
}

pub use api::{Publisher, ReadingPayload, Subscriber};

/// The size of every encoded message.
pub const PAYLOAD_BYTES: usize = 200;

/// The channel's address (MQTT topic, Kafka topic).
pub const ADDRESS: &str = api::ReadingsParameters::ADDRESS;

/// What a user of the raw clients declares for the same message: the generated struct's
/// fields, types and strictness.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReading {
    /// The message's number in its run.
    pub seq: i64,
    /// When its publish call started ([`now_ns`]).
    pub sent_ns: i64,
    /// Filler.
    pub data: String,
}

/// The bytes of `{"seq":,"sent_ns":,"data":""}`.
const FRAME: usize = 29;

fn digits(n: i64) -> usize {
    let mut n = n.unsigned_abs();
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// Sizes `data` (in place: it allocates only the first time) so that the message with these
/// numbers encodes to exactly [`PAYLOAD_BYTES`].
pub fn fill(data: &mut String, seq: i64, sent_ns: i64) {
    let len = PAYLOAD_BYTES - FRAME - digits(seq) - digits(sent_ns);
    if data.len() > len {
        data.truncate(len);
    } else {
        data.reserve(PAYLOAD_BYTES - data.len());
        while data.len() < len {
            data.push('x');
        }
    }
}

/// A typed message for `seq`, sent now.
pub fn typed(seq: i64, sent_ns: i64) -> ReadingPayload {
    let mut data = String::with_capacity(PAYLOAD_BYTES);
    fill(&mut data, seq, sent_ns);
    ReadingPayload { seq, sent_ns, data }
}

/// A raw message for `seq`, sent now.
pub fn raw(seq: i64, sent_ns: i64) -> RawReading {
    let mut data = String::with_capacity(PAYLOAD_BYTES);
    fill(&mut data, seq, sent_ns);
    RawReading { seq, sent_ns, data }
}

/// Sets a typed message's numbers and filler for its next use.
pub fn refill_typed(message: &mut ReadingPayload, seq: i64, sent_ns: i64) {
    message.seq = seq;
    message.sent_ns = sent_ns;
    fill(&mut message.data, seq, sent_ns);
}

/// Sets a raw message's numbers and filler for its next use.
pub fn refill_raw(message: &mut RawReading, seq: i64, sent_ns: i64) {
    message.seq = seq;
    message.sent_ns = sent_ns;
    fill(&mut message.data, seq, sent_ns);
}

/// Nanoseconds since the process's benchmark clock started (its first use).
pub fn now_ns() -> i64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_200_bytes_both_ways() {
        let mut typed_message = typed(0, 0);
        let mut raw_message = raw(0, 0);
        for seq in [0, 9, 10, 99, 12_345, 999_999, 1_000_000, i64::MAX] {
            for sent in [0, 7, 1_000, 123_456_789_012, 9_999_999_999_999] {
                refill_typed(&mut typed_message, seq, sent);
                refill_raw(&mut raw_message, seq, sent);
                let typed_bytes = serde_json::to_vec(&typed_message).unwrap();
                let raw_bytes = serde_json::to_vec(&raw_message).unwrap();
                assert_eq!(typed_bytes.len(), PAYLOAD_BYTES, "{seq} {sent}");
                assert_eq!(typed_bytes, raw_bytes);
                let back: RawReading = serde_json::from_slice(&typed_bytes).unwrap();
                assert_eq!(back, raw_message);
            }
        }
    }
}
