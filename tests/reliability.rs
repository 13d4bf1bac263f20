//! Figures of the fault, flood and backpressure tests for `RELIABILITY.md`.
//!
//! Each such test ends with one [`Row`]: it is printed on stderr (seen with `--nocapture`) and,
//! when `ASYNCAPI_RELIABILITY_OUT` names a file, appended to it as one JSON line, which
//! `scripts/reliability.sh` turns into the table of `RELIABILITY.md`.

use std::io::Write;

/// What one fault or bad input did to the messages that went through it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Row {
    /// The fault or bad input, in a few words ("Mosquitto restarted mid-stream, QoS 1").
    pub case: String,
    /// The transport it ran on (`memory`, `mqtt`, `kafka`).
    pub transport: String,
    /// How many times the fault was made (restarts, cuts) or how many bad messages were sent.
    pub tried: u64,
    /// Messages sent through the generated API (or raw, for bad input).
    pub sent: u64,
    /// Distinct valid messages that arrived.
    pub delivered: u64,
    /// Valid messages that arrived more than once (extra copies).
    pub duplicated: u64,
    /// Bad messages surfaced as typed errors, or publishes that failed to the caller.
    pub rejected: u64,
    /// Messages that neither arrived nor failed to the caller. Zero, or the test fails.
    pub lost: u64,
    /// Anything else worth a column (peak RSS, outage length, ...), free text.
    pub notes: String,
    /// The test that produced the row (`binary::test`).
    pub test: String,
}

impl Row {
    /// Prints the row and appends it to `$ASYNCAPI_RELIABILITY_OUT` when that is set.
    pub fn report(&self) {
        let line = serde_json::to_string(self).expect("a row serializes");
        eprintln!("reliability: {line}");
        if let Ok(path) = std::env::var("ASYNCAPI_RELIABILITY_OUT") {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap_or_else(|e| panic!("open {path}: {e}"));
            writeln!(file, "{line}").unwrap_or_else(|e| panic!("write {path}: {e}"));
        }
    }
}
