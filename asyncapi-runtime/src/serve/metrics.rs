//! What serving records through the `metrics` facade (with the `metrics` feature; without it
//! every function here does nothing). The names are in the [module docs](super).

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

/// A reply reached a client's inbox: handed to its request (`routed`) or dropped.
pub(crate) fn reply(routed: bool) {
    #[cfg(feature = "metrics")]
    metrics::counter!("asyncapi_replies_total", "outcome" => if routed { "routed" } else { "dropped" })
        .increment(1);
}

pub(crate) fn in_flight(operation: &'static str, change: f64) {
    #[cfg(feature = "metrics")]
    metrics::gauge!("asyncapi_in_flight", "operation" => operation).increment(change);
}

#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
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

/// Records `asyncapi_consumer_lag{topic, partition, group}` for every partition librdkafka's
/// statistics (`json`) give a lag for: the records past the group's committed offset. Partitions
/// not assigned to this consumer, and those whose lag librdkafka does not know yet, report -1:
/// skipped.
#[cfg(all(feature = "metrics", feature = "kafka"))]
pub(crate) fn consumer_lag(group: &str, json: &[u8]) {
    use std::collections::HashMap;
    #[derive(serde::Deserialize)]
    struct Statistics {
        #[serde(default)]
        topics: HashMap<String, Topic>,
    }
    #[derive(serde::Deserialize)]
    struct Topic {
        #[serde(default)]
        partitions: HashMap<String, Partition>,
    }
    #[derive(serde::Deserialize)]
    struct Partition {
        partition: i32,
        consumer_lag: i64,
    }
    let Ok(statistics) = serde_json::from_slice::<Statistics>(json) else {
        return;
    };
    for (topic, t) in statistics.topics {
        for p in t.partitions.into_values() {
            if p.partition >= 0 && p.consumer_lag >= 0 {
                metrics::gauge!(
                    "asyncapi_consumer_lag",
                    "topic" => topic.clone(),
                    "partition" => p.partition.to_string(),
                    "group" => group.to_owned(),
                )
                .set(p.consumer_lag as f64);
            }
        }
    }
}
