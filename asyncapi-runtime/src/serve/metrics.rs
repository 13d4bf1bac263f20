//! What serving records through the `metrics` facade (with the `metrics` feature; without it
//! every function here does nothing). Exporters are the application's choice.
//!
//! | name | kind | labels | what |
//! |---|---|---|---|
//! | `asyncapi_received_total` | counter | `operation` | messages read from the subscription |
//! | `asyncapi_messages_total` | counter | `operation`, `outcome` | messages settled, by how: `handled`, `dead_lettered`, `rejected`, `dropped` (no dead-letter destination), `undecodable`, `unacknowledged` (left for redelivery) |
//! | `asyncapi_retries_total` | counter | `operation` | attempts after a failed one |
//! | `asyncapi_handler_duration_seconds` | histogram | `operation`, `outcome` (`ok`, `error`, `panic`) | one handler call |
//! | `asyncapi_in_flight` | gauge | `operation` | messages being handled now |
//! | `asyncapi_published_total` | counter | `operation`, `outcome` (`ok`, `error`) | publishes (replies and dead letters included) |
//! | `asyncapi_publish_duration_seconds` | histogram | `operation` | from publish to the broker's acknowledgement |

#![cfg_attr(not(feature = "metrics"), allow(unused_variables))]

use std::time::Duration;

/// How one message was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Settled {
    Handled,
    DeadLettered,
    Rejected,
    Dropped,
    Undecodable,
    Unacknowledged,
}

impl Settled {
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    fn label(self) -> &'static str {
        match self {
            Settled::Handled => "handled",
            Settled::DeadLettered => "dead_lettered",
            Settled::Rejected => "rejected",
            Settled::Dropped => "dropped",
            Settled::Undecodable => "undecodable",
            Settled::Unacknowledged => "unacknowledged",
        }
    }
}

pub(crate) fn received(operation: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("asyncapi_received_total", "operation" => operation).increment(1);
}

pub(crate) fn settled(operation: &'static str, how: Settled) {
    #[cfg(feature = "metrics")]
    metrics::counter!("asyncapi_messages_total", "operation" => operation, "outcome" => how.label())
        .increment(1);
}

pub(crate) fn retried(operation: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("asyncapi_retries_total", "operation" => operation).increment(1);
}

pub(crate) fn handler_ran(operation: &'static str, outcome: &'static str, took: Duration) {
    #[cfg(feature = "metrics")]
    metrics::histogram!("asyncapi_handler_duration_seconds", "operation" => operation, "outcome" => outcome)
        .record(took.as_secs_f64());
}

pub(crate) fn in_flight(operation: &'static str, change: f64) {
    #[cfg(feature = "metrics")]
    metrics::gauge!("asyncapi_in_flight", "operation" => operation).increment(change);
}

pub(crate) fn published(operation: &'static str, ok: bool, took: Duration) {
    #[cfg(feature = "metrics")]
    {
        let outcome = if ok { "ok" } else { "error" };
        metrics::counter!("asyncapi_published_total", "operation" => operation, "outcome" => outcome)
            .increment(1);
        metrics::histogram!("asyncapi_publish_duration_seconds", "operation" => operation)
            .record(took.as_secs_f64());
    }
}
