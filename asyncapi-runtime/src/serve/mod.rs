//! Serving receive operations: each message to its handler, then acknowledged, retried,
//! dead-lettered or rejected by the operation's [`Policy`]; many at once where the policy allows;
//! drained on shutdown.
//!
//! Generated `serve` functions are built on [`Runner`]; this module is public so that a service
//! can read what they do, and drive a [`MessageStream`](crate::MessageStream) itself the same way.
//!
//! What happens to one message:
//!
//! 1. It is decoded (a message that does not decode goes to the dead-letter destination, if there
//!    is one, and to the handler's `on_error`; it is acknowledged either way).
//! 2. The handler runs, inside a `receive` span; a panic is caught and counts as an error.
//! 3. `Ok`: the reply, if the operation has one, is sent; then the message is acknowledged
//!    ([`AckMode::Auto`](crate::AckMode::Auto)).
//! 4. `Err`: as the [`HandlerError`] says. A retry waits for the backoff and hands the message
//!    (decoded again) to the handler; once the policy's attempts are used up, or at once for
//!    [`HandlerError::dead_letter`], the message goes to the dead-letter destination with its
//!    original bytes, headers and key and the failure in [`dead_letter`] headers, and is
//!    acknowledged once the broker has taken the dead letter. Without a destination it is
//!    acknowledged and handed to `on_error`. [`HandlerError::reject`] acknowledges it at once.
//!    Every failed message reaches `on_error` once, as [`ReceiveError::Handler`] with its bytes
//!    and what became of it ([`Disposition`]).
//!
//! Metrics (cargo feature `metrics`), through the `metrics` facade:
//!
//! | name | kind | labels | what |
//! |---|---|---|---|
//! | `asyncapi_received_total` | counter | `operation` | messages read from the subscription |
//! | `asyncapi_messages_total` | counter | `operation`, `outcome` | messages settled, by how: `handled`, `dead_lettered`, `rejected`, `dropped` (no dead-letter destination), `undecodable`, `unacknowledged` (left for redelivery) |
//! | `asyncapi_retries_total` | counter | `operation` | attempts after a failed one |
//! | `asyncapi_handler_duration_seconds` | histogram | `operation`, `outcome` (`ok`, `error`, `panic`) | one handler call |
//! | `asyncapi_in_flight` | gauge | `operation` | messages being handled now |
//! | `asyncapi_published_total` | counter | `operation`, `outcome` (`ok`, `error`) | publishes (replies and dead letters included) |
//! | `asyncapi_replies_total` | counter | `outcome` (`routed`, `dropped`) | replies that reached a requester's inbox: handed to the waiting request, or dropped (late, duplicate, another client's) |
//! | `asyncapi_publish_duration_seconds` | histogram | `operation` | from publish to the broker's acknowledgement |
//! | `asyncapi_consumer_lag` | gauge | `topic`, `partition`, `group` | Kafka: records past the group's committed offset, from librdkafka's statistics (every 5 s) |
//!
//! On shutdown the runner stops taking messages, lets the handlers that started finish (within
//! the drain timeout), acknowledges what finished and leaves the rest unacknowledged, so that the
//! broker delivers it again. A message waiting for a retry when shutdown comes is left
//! unacknowledged too.
//!
//! [`ReceiveError::Handler`]: crate::ReceiveError::Handler

pub mod dead_letter;
pub(crate) mod metrics;
mod outcome;
mod policy;
mod reply;
mod runner;

pub use outcome::{Action, HandlerError, HandlerResult};
pub use policy::{Backoff, DeadLetter, Policy};
pub use reply::{IntoReply, Reply};
pub use runner::{DEFAULT_DRAIN_TIMEOUT, ReplyOptions, Runner};

use crate::Error;

/// Why `serve` returned without being asked to stop.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// Subscribing failed before serving began.
    #[error(transparent)]
    Subscribe(#[from] Error),
    /// An operation's subscription ended: its transport closed or lost it for good.
    #[error("operation `{operation}`: the subscription ended{}", last_error.as_ref().map(|e| format!(" (last transport error: {e})")).unwrap_or_default())]
    Ended {
        /// The operation id.
        operation: &'static str,
        /// The last transport error the subscription reported, if any.
        last_error: Option<String>,
    },
}

/// What became of a message whose handler failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Disposition {
    /// Sent to the dead-letter destination, then acknowledged.
    DeadLettered {
        /// Where it was sent.
        address: String,
    },
    /// Rejected by the handler ([`HandlerError::reject`]): acknowledged, not handled.
    Rejected,
    /// No dead-letter destination: acknowledged, not handled.
    Dropped,
    /// Left unacknowledged: the dead letter could not be sent, or shutdown came while it waited
    /// for a retry. The broker delivers it again (after a reconnect or restart).
    Unacknowledged,
}

impl std::fmt::Display for Disposition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Disposition::DeadLettered { address } => write!(f, "dead-lettered to {address:?}"),
            Disposition::Rejected => f.write_str("rejected"),
            Disposition::Dropped => f.write_str("dropped (no dead-letter destination)"),
            Disposition::Unacknowledged => f.write_str("left unacknowledged for redelivery"),
        }
    }
}
