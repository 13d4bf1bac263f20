//! W3C trace context (`traceparent`) carried in message headers (feature `trace-context`).
//!
//! Every publish writes a `traceparent` header: a child of the trace the current task is in
//! (the message a `serve` handler is handling), else the root of a new trace. `serve` runs each
//! handler inside the trace its message carried, so a service that publishes while handling keeps
//! the trace going, and the `receive` span records the trace id. Reading the context of a received
//! message by hand: [`TraceContext::from_headers`] on its `raw_headers`. MQTT 3.1.1 has no
//! headers: there the context stays behind (the publish goes out without it).
//!
//! Ids are random enough to be unique (the process's hash keys, the clock and a counter), not
//! cryptographically random; sampling is not decided here (the flag of the parent is kept, new
//! traces are marked sampled).

use std::fmt;
use std::future::Future;

use crate::Headers;

/// The header name.
pub const TRACEPARENT: &str = "traceparent";

/// One position in a trace: the trace id, the id of the span that sent or handles a message,
/// and the trace flags.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraceContext {
    /// 16 bytes, never all zero.
    pub trace_id: [u8; 16],
    /// 8 bytes, never all zero.
    pub span_id: [u8; 8],
    /// Trace flags (bit 0: sampled).
    pub flags: u8,
}

tokio::task_local! {
    static CURRENT: TraceContext;
}

impl TraceContext {
    /// The first span of a new trace.
    pub fn new_root() -> Self {
        let high = random_u64().to_be_bytes();
        let low = random_u64().to_be_bytes();
        let mut trace_id = [0; 16];
        trace_id[..8].copy_from_slice(&high);
        trace_id[8..].copy_from_slice(&low);
        TraceContext {
            trace_id,
            span_id: random_u64().to_be_bytes(),
            flags: 1,
        }
    }

    /// A new span in the same trace.
    pub fn child(&self) -> Self {
        TraceContext {
            span_id: random_u64().to_be_bytes(),
            ..*self
        }
    }

    /// Parses a `traceparent` value (version `00`; later versions are read by their first four
    /// fields, as the W3C recommendation says). `None` for anything malformed.
    pub fn parse(value: &str) -> Option<Self> {
        let mut parts = value.trim().split('-');
        let version = parts.next()?;
        let trace = parts.next()?;
        let span = parts.next()?;
        let flags = parts.next()?;
        let rest = parts.next();
        if version.len() != 2 || version == "ff" || (version == "00" && rest.is_some()) {
            return None;
        }
        let _ = hex::<1>(version)?;
        let trace_id = hex::<16>(trace)?;
        let span_id = hex::<8>(span)?;
        let [flags] = hex::<1>(flags)?;
        if trace_id == [0; 16] || span_id == [0; 8] {
            return None;
        }
        Some(TraceContext {
            trace_id,
            span_id,
            flags,
        })
    }

    /// The context a message's headers carry, if they carry a valid one.
    pub fn from_headers(headers: &Headers) -> Option<Self> {
        headers.get(TRACEPARENT).and_then(Self::parse)
    }

    /// The trace id as 32 lowercase hex digits.
    pub fn trace_id_hex(&self) -> String {
        to_hex(&self.trace_id)
    }

    /// The context of the current task (set while a `serve` handler runs), if any.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(|c| *c).ok()
    }

    /// Runs `work` with `self` as the current context.
    pub fn scope<F: Future>(self, work: F) -> impl Future<Output = F::Output> {
        CURRENT.scope(self, work)
    }
}

impl fmt::Display for TraceContext {
    /// The `traceparent` value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "00-{}-{}-{:02x}",
            to_hex(&self.trace_id),
            to_hex(&self.span_id),
            self.flags
        )
    }
}

impl fmt::Debug for TraceContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TraceContext({self})")
    }
}

/// Writes a `traceparent` header unless the message already has one: a child of the current
/// context, else a new root.
pub(crate) fn inject(headers: &mut Headers) {
    if headers.get(TRACEPARENT).is_some() {
        return;
    }
    let context = TraceContext::current().map_or_else(TraceContext::new_root, |c| c.child());
    headers.insert(TRACEPARENT, context.to_string());
}

fn hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            hasher.write_u128(now.as_nanos());
        }
        let value = hasher.finish();
        if value != 0 {
            return value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_w3c_example() {
        let text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let context = TraceContext::parse(text).unwrap();
        assert_eq!(context.to_string(), text);
        assert_eq!(context.trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(context.flags, 1);
    }

    #[test]
    fn rejects_malformed_values() {
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        ] {
            assert_eq!(TraceContext::parse(bad), None, "{bad:?}");
        }
        // A later version may add fields.
        assert!(
            TraceContext::parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")
                .is_some()
        );
    }

    #[tokio::test]
    async fn publishes_inside_a_scope_continue_its_trace() {
        let parent = TraceContext::new_root();
        let mut headers = Headers::new();
        parent.scope(async { inject(&mut headers) }).await;
        let child = TraceContext::from_headers(&headers).unwrap();
        assert_eq!(child.trace_id, parent.trace_id);
        assert_ne!(child.span_id, parent.span_id);

        let mut outside = Headers::new();
        inject(&mut outside);
        let root = TraceContext::from_headers(&outside).unwrap();
        assert_ne!(root.trace_id, parent.trace_id);
    }
}
