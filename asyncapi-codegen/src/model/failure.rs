//! What a receive operation does with messages its handler fails on, as the spec says it:
//! the `x-retry` and `x-dead-letter` extensions on an operation (or its traits), and the Kafka
//! operation binding's `x-errorTopic` / `x-retryTopic`.
//!
//! They follow the AsyncAPI community's proposal (spec issue #1234, PR #1236; JSON Schemas in
//! spec-json-schemas PR #661): `retry` and `deadLetter` beside `reply` on receive operations, a
//! retry route with `maxAttempts` and a `fixed`/`linear`/`exponential` strategy whose delays are
//! ISO 8601 durations of hours, minutes and seconds, a dead-letter route naming a channel; and the
//! Kafka binding 0.6.0 draft (bindings issue #299, PR #305), which adds `errorTopic` and
//! `retryTopic` to the operation binding. Until they are part of the spec, the official schemas
//! refuse them unprefixed, so they are `x-` fields here; the names change when the proposal lands.
//! The strategies' own fields (`delay`, `multiplier`, `maxDelay`, `increment`) and `jitter` are
//! ours: the proposal's threads name the strategies and the duration format, not their fields.
//!
//! What the runtime does not do is said, not dropped silently: retries happen in place (the
//! message is handed to the handler again, nothing is republished), so that no later message of
//! the same key overtakes it; a retry channel or `x-retryTopic` is a warning.

use std::collections::HashMap;
use std::time::Duration;

use super::context::Context;
use super::{Action, Channel};
use crate::document::{Node, Value};

/// The failure policy a spec sets on a receive operation; what it leaves out is the runtime's
/// default (`asyncapi_runtime::serve::Policy::default()`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FailurePolicy {
    /// `x-retry.maxAttempts`: how many times a message is handed to the handler, the first
    /// delivery included (at least 1).
    pub attempts: Option<u32>,
    /// `x-retry.strategy` as the runtime's exponential backoff.
    pub backoff: Option<Backoff>,
    /// `x-dead-letter` (else the Kafka binding's `x-errorTopic`).
    pub dead_letter: Option<DeadLetter>,
}

/// Exponential backoff with jitter, as `asyncapi_runtime::serve::Backoff` has it: retry `n`
/// waits `min(max, initial × multiplier^(n-1))`, less a random share of up to `jitter`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The delay before the first retry.
    pub initial: Duration,
    /// The factor each further delay grows by (1 for a fixed delay).
    pub multiplier: f64,
    /// The longest delay.
    pub max: Duration,
    /// The random share of each delay, 0 to 1.
    pub jitter: f64,
}

/// Where the messages go that cannot be handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeadLetter {
    /// A channel of the spec (index into `Api::channels`), whose address is fixed.
    Channel(usize),
    /// An address written in the spec (a topic name), not a channel of it.
    Address(String),
}

/// The defaults of `asyncapi_runtime::serve::Policy` the strategies start from.
const DEFAULT_ATTEMPTS: u32 = 3;
const DEFAULT_DELAY: Duration = Duration::from_millis(100);
const DEFAULT_MAX: Duration = Duration::from_secs(30);
const DEFAULT_MULTIPLIER: f64 = 2.0;
const DEFAULT_JITTER: f64 = 0.5;

/// The channels a `$ref` may name: the node pointer of each channel definition → its index.
pub(super) type ChannelPointers = HashMap<String, usize>;

/// Reads the failure policy of operation `id`; `None` when the spec says nothing (or only says
/// it on a send operation, which is a warning).
pub(super) fn read<'a>(
    cx: &mut Context<'a>,
    id: &str,
    action: Action,
    op: &'a Node,
    own_channel: usize,
    channels: &[Channel],
    pointers: &ChannelPointers,
) -> Option<FailurePolicy> {
    let retry = cx.own_or_trait(op, "x-retry");
    let dead_letter = cx.own_or_trait(op, "x-dead-letter");
    let (error_topic, retry_topic) = kafka_fields(cx, op);
    let given = [
        ("x-retry", retry),
        ("x-dead-letter", dead_letter),
        ("x-errorTopic", error_topic),
        ("x-retryTopic", retry_topic),
    ];
    if action == Action::Send {
        for (name, node) in given {
            if let Some(node) = node {
                cx.warn(node.error(format!(
                    "operation `{id}` sends; `{name}` applies to receive operations only and is \
                     ignored"
                )));
            }
        }
        return None;
    }
    if given.iter().all(|(_, node)| node.is_none()) {
        return None;
    }
    let mut policy = FailurePolicy::default();
    if let Some(retry) = retry
        && let Ok(retry) = cx.resolve(retry)
    {
        read_retry(cx, retry, &mut policy);
    }
    if let Some(node) = retry_topic {
        cx.warn(node.error(
            "`x-retryTopic` is not used: retries happen in place (the message is handed to the \
             handler again, not republished) so that no later message of its key overtakes it",
        ));
    }
    if let Some(node) = dead_letter
        && let Ok(node) = cx.resolve(node)
    {
        policy.dead_letter = read_dead_letter(cx, node, channels, pointers);
        if let Some(topic) = error_topic {
            cx.warn(topic.error(
                "`x-errorTopic` is ignored: the operation's `x-dead-letter` sets where dead \
                 letters go",
            ));
        }
    } else if let Some(topic) = error_topic {
        policy.dead_letter = destination(cx, topic, "x-errorTopic", channels, pointers);
    }
    if policy.dead_letter == Some(DeadLetter::Channel(own_channel))
        && let Some(node) = dead_letter.or(error_topic)
    {
        cx.warn(node.error(format!(
            "operation `{id}` dead-letters to the channel it receives from; a message that keeps \
             failing comes back to it"
        )));
    }
    Some(policy)
}

/// `x-errorTopic` and `x-retryTopic` of the operation's Kafka binding (traits first, its own
/// values win).
fn kafka_fields<'a>(cx: &mut Context<'a>, op: &'a Node) -> (Option<&'a Node>, Option<&'a Node>) {
    let mut error_topic = None;
    let mut retry_topic = None;
    for source in super::bindings::traits_then_own(cx, op) {
        let Some(kafka) = super::bindings::binding(cx, source, "kafka") else {
            continue;
        };
        error_topic = kafka.get("x-errorTopic").or(error_topic);
        retry_topic = kafka.get("x-retryTopic").or(retry_topic);
    }
    (error_topic, retry_topic)
}

fn read_retry<'a>(cx: &mut Context<'a>, retry: &'a Node, policy: &mut FailurePolicy) {
    if !retry.is_map() {
        cx.report(retry.error(format!(
            "`x-retry` is {}; expected a mapping with `maxAttempts` and `strategy`",
            retry.kind_name()
        )));
        return;
    }
    for (key, node) in retry.entries() {
        match key.as_str() {
            "maxAttempts" | "strategy" | "jitter" | "messages" => {}
            "channel" => cx.warn(node.error(
                "the retry `channel` is not used: retries happen in place (the message is handed \
                 to the handler again, not republished) so that no later message of its key \
                 overtakes it",
            )),
            other if other.starts_with("x-") => {}
            other => cx.warn(node.error(format!(
                "`x-retry` has no field `{other}`; expected `maxAttempts`, `strategy`, `jitter`, \
                 `channel` or `messages`; it is ignored"
            ))),
        }
    }
    if let Some(node) = retry.get("maxAttempts") {
        policy.attempts = match node.value {
            Value::Int(n) if n >= 1 => match u32::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    cx.report(node.error(format!(
                        "`maxAttempts` is {n}; expected at most {}",
                        u32::MAX
                    )));
                    None
                }
            },
            Value::Int(n) => {
                cx.report(node.error(format!(
                    "`maxAttempts` is {n}; expected a whole number of at least 1 (the first \
                     delivery counts as an attempt)"
                )));
                None
            }
            _ => {
                cx.report(node.error(format!(
                    "`maxAttempts` is {}; expected a whole number of at least 1",
                    node.kind_name()
                )));
                None
            }
        };
    }
    let jitter = match retry.get("jitter") {
        None => None,
        Some(node) => match number(&node.value) {
            Some(j) if (0.0..=1.0).contains(&j) => Some(j),
            _ => {
                cx.report(node.error(
                    "`jitter` is not a number from 0 to 1; expected the random share of each \
                     delay (0: none, 1: anywhere from 0 to the delay)",
                ));
                None
            }
        },
    };
    let attempts = policy.attempts.unwrap_or(DEFAULT_ATTEMPTS);
    match retry.get("strategy") {
        Some(strategy) => {
            let Ok(strategy) = cx.resolve(strategy) else {
                return;
            };
            policy.backoff = read_strategy(cx, strategy, attempts);
        }
        // Only a jitter: the default exponential backoff with it.
        None if jitter.is_some() => {
            policy.backoff = Some(Backoff {
                initial: DEFAULT_DELAY,
                multiplier: DEFAULT_MULTIPLIER,
                max: DEFAULT_MAX,
                jitter: DEFAULT_JITTER,
            });
        }
        None => {}
    }
    if let (Some(backoff), Some(jitter)) = (&mut policy.backoff, jitter) {
        backoff.jitter = jitter;
    }
}

/// A strategy: `{type: fixed|linear|exponential, delay, ...}`, or the tagged form
/// `{exponential: {delay, ...}}`.
fn read_strategy<'a>(cx: &mut Context<'a>, strategy: &'a Node, attempts: u32) -> Option<Backoff> {
    const KINDS: &str = "`fixed`, `linear` or `exponential`";
    if !strategy.is_map() {
        cx.report(strategy.error(format!(
            "`strategy` is {}; expected a mapping such as {{type: exponential, delay: PT1S}}",
            strategy.kind_name()
        )));
        return None;
    }
    let (kind, fields) = match strategy.get("type") {
        Some(kind) => match kind.as_str() {
            Some(k @ ("fixed" | "linear" | "exponential")) => (k, strategy),
            _ => {
                cx.report(kind.error(format!(
                    "strategy `type` is not one of {KINDS}; found {}",
                    describe(kind)
                )));
                return None;
            }
        },
        None => match strategy.entries() {
            [(k, fields)] if matches!(k.as_str(), "fixed" | "linear" | "exponential") => {
                let Ok(fields) = cx.resolve(fields) else {
                    return None;
                };
                if !fields.is_map() {
                    cx.report(fields.error(format!(
                        "strategy `{k}` is {}; expected a mapping of its delays",
                        fields.kind_name()
                    )));
                    return None;
                }
                (k.as_str(), fields)
            }
            _ => {
                cx.report(strategy.error(format!(
                    "the retry `strategy` has no `type`; expected one of {KINDS}"
                )));
                return None;
            }
        },
    };
    let allowed: &[&str] = match kind {
        "fixed" => &["delay"],
        "linear" => &["delay", "increment", "maxDelay"],
        _ => &["delay", "multiplier", "maxDelay"],
    };
    for (key, node) in fields.entries() {
        if key != "type" && !key.starts_with("x-") && !allowed.contains(&key.as_str()) {
            cx.warn(node.error(format!(
                "a `{kind}` strategy has no field `{key}`; expected {}; it is ignored",
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let mut ok = true;
    let mut duration_at = |cx: &mut Context<'a>, key: &str| -> Option<Duration> {
        let node = fields.get(key)?;
        match node.as_str().map(parse_duration) {
            Some(Ok(d)) => Some(d),
            Some(Err(why)) => {
                ok = false;
                cx.report(node.error(format!(
                    "`{key}` is \"{}\", which is not an ISO 8601 duration of hours, minutes and \
                     seconds ({why}); expected e.g. \"PT0.5S\", \"PT30S\" or \"PT1M30S\"",
                    node.as_str().unwrap_or_default()
                )));
                None
            }
            None => {
                ok = false;
                cx.report(node.error(format!(
                    "`{key}` is {}; expected an ISO 8601 duration such as \"PT1S\"",
                    node.kind_name()
                )));
                None
            }
        }
    };
    let delay = duration_at(cx, "delay").unwrap_or(DEFAULT_DELAY);
    let max = duration_at(cx, "maxDelay");
    let increment = duration_at(cx, "increment");
    let multiplier = match fields.get("multiplier") {
        Some(node) if kind == "exponential" => match number(&node.value) {
            Some(m) if m >= 1.0 && m.is_finite() => m,
            _ => {
                cx.report(node.error(format!(
                    "`multiplier` is {}; expected a number of at least 1",
                    describe(node)
                )));
                return None;
            }
        },
        _ => DEFAULT_MULTIPLIER,
    };
    if !ok {
        return None;
    }
    if let (Some(max), Some(node)) = (max, fields.get("maxDelay"))
        && max < delay
    {
        cx.report(node.error(format!(
            "`maxDelay` ({max:?}) is shorter than `delay` ({delay:?}); expected the longest delay"
        )));
        return None;
    }
    Some(match kind {
        "fixed" => Backoff {
            initial: delay,
            multiplier: 1.0,
            max: delay,
            jitter: 0.0,
        },
        "exponential" => Backoff {
            initial: delay,
            multiplier,
            max: max.unwrap_or(DEFAULT_MAX.max(delay)),
            jitter: DEFAULT_JITTER,
        },
        _ => {
            let backoff = linear(delay, increment.unwrap_or(delay), max, attempts);
            cx.warn(strategy.error(format!(
                "a linear strategy is approximated: the runtime's backoff multiplies, so the \
                 delays grow by a factor of {:.3} from {:?} to {:?} (the last of {} retries) \
                 instead of by a fixed step",
                backoff.multiplier,
                backoff.initial,
                backoff.max,
                attempts.saturating_sub(1)
            )));
            backoff
        }
    })
}

/// The exponential backoff closest to a linear one: the same first and last delay over the
/// retries `attempts` allows, growing by one factor in between (never above the linear delays).
fn linear(delay: Duration, increment: Duration, max: Option<Duration>, attempts: u32) -> Backoff {
    let retries = attempts.saturating_sub(1).max(1);
    // A linear strategy from 0 waits 0 first; a multiplying one cannot grow from 0.
    let first = if delay.is_zero() { increment } else { delay };
    let mut last = delay.saturating_add(increment.saturating_mul(retries - 1));
    if let Some(max) = max {
        last = last.min(max);
    }
    let last = last.max(first);
    let multiplier = if retries <= 1 || first.is_zero() {
        1.0
    } else {
        (last.as_secs_f64() / first.as_secs_f64()).powf(1.0 / f64::from(retries - 1))
    };
    Backoff {
        initial: first,
        multiplier,
        max: last,
        jitter: DEFAULT_JITTER,
    }
}

fn read_dead_letter<'a>(
    cx: &mut Context<'a>,
    node: &'a Node,
    channels: &[Channel],
    pointers: &ChannelPointers,
) -> Option<DeadLetter> {
    if !node.is_map() {
        cx.report(node.error(format!(
            "`x-dead-letter` is {}; expected a mapping with a `channel` reference or an `address`",
            node.kind_name()
        )));
        return None;
    }
    for (key, value) in node.entries() {
        if !matches!(key.as_str(), "channel" | "address" | "messages") && !key.starts_with("x-") {
            cx.warn(value.error(format!(
                "`x-dead-letter` has no field `{key}`; expected `channel`, `address` or \
                 `messages`; it is ignored"
            )));
        }
    }
    match (node.get("channel"), node.get("address")) {
        (Some(channel), None) => destination(cx, channel, "channel", channels, pointers),
        (None, Some(address)) => destination(cx, address, "address", channels, pointers),
        (Some(_), Some(address)) => {
            cx.report(address.error(
                "`x-dead-letter` has both a `channel` and an `address`; expected one of them",
            ));
            None
        }
        (None, None) => {
            cx.report(node.error(
                "`x-dead-letter` names no destination; expected `channel: {$ref: \
                 '#/channels/<id>'}` or `address: <topic>`",
            ));
            None
        }
    }
}

/// A dead-letter destination: a reference to a channel with a fixed address, or an address.
fn destination<'a>(
    cx: &mut Context<'a>,
    node: &'a Node,
    what: &str,
    channels: &[Channel],
    pointers: &ChannelPointers,
) -> Option<DeadLetter> {
    if let Some(address) = node.as_str() {
        return match refusal(address) {
            Some(why) => {
                cx.report(node.error(format!(
                    "dead-letter address \"{address}\" {why}; expected a concrete topic such as \
                     \"orders.dlq\""
                )));
                None
            }
            None => Some(
                match channels
                    .iter()
                    .position(|c| !c.dynamic && c.address == address)
                {
                    Some(index) => DeadLetter::Channel(index),
                    None => DeadLetter::Address(address.to_owned()),
                },
            ),
        };
    }
    if node.get("$ref").is_none() {
        cx.report(node.error(format!(
            "`{what}` is {}; expected a topic name or `$ref: '#/channels/<id>'`",
            node.kind_name()
        )));
        return None;
    }
    // `resolve` reports a reference that points at nothing.
    let target = cx.resolve(node).ok()?;
    let Some(&index) = pointers.get(&target.pointer) else {
        cx.report(node.error(format!(
            "`{what}` refers to {}, which is not a channel; expected `$ref: '#/channels/<id>'`",
            if target.pointer.is_empty() {
                "the document root".to_owned()
            } else {
                format!("#{}", target.pointer)
            }
        )));
        return None;
    };
    let channel = &channels[index];
    if channel.dynamic {
        cx.report(node.error(format!(
            "the dead-letter channel `{}` has no address (`address: null`); expected a channel \
             with a fixed address",
            channel.id
        )));
        return None;
    }
    if !channel.parameters.is_empty() || channel.address.contains('{') {
        cx.report(node.error(format!(
            "the dead-letter channel `{}` has parameters in its address `{}`; expected a channel \
             with a fixed address (a dead letter has no values to fill them with)",
            channel.id, channel.address
        )));
        return None;
    }
    Some(DeadLetter::Channel(index))
}

/// Why `address` cannot be a dead-letter destination, if it cannot.
fn refusal(address: &str) -> Option<&'static str> {
    if address.is_empty() {
        Some("is empty")
    } else if address.contains(['{', '}']) {
        Some("has placeholders")
    } else if address.contains(['+', '#', '\0']) {
        Some("contains a wildcard or NUL")
    } else {
        None
    }
}

fn number(value: &Value) -> Option<f64> {
    match *value {
        Value::Int(n) => Some(n as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

fn describe(node: &Node) -> String {
    match &node.value {
        Value::String(s) => format!("\"{s}\""),
        Value::Int(n) => n.to_string(),
        Value::Float(f) => f.to_string(),
        _ => node.kind_name().to_owned(),
    }
}

/// Parses an ISO 8601 duration of hours, minutes and seconds (`PT1H30M`, `PT0.5S`), as the
/// proposal's schemas allow; the error says what is wrong. Written here because the crates that
/// parse ISO 8601 durations also take years, months and days (whose length is not fixed) and say
/// only that parsing failed; this is the whole grammar we accept.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let Some(rest) = text.strip_prefix("PT") else {
        return Err(if text.starts_with('P') {
            "only hours, minutes and seconds are allowed, after `PT`".to_owned()
        } else {
            "it does not start with `PT`".to_owned()
        });
    };
    if rest.is_empty() {
        return Err("it has no hours, minutes or seconds".to_owned());
    }
    let mut total = 0f64;
    let mut seen = String::new();
    let mut rest = rest;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .ok_or_else(|| format!("`{rest}` has no unit (H, M or S)"))?;
        let (number, tail) = rest.split_at(end);
        let unit = tail.chars().next().unwrap_or_default();
        let scale = match unit {
            'H' => 3600.0,
            'M' => 60.0,
            'S' => 1.0,
            other => {
                return Err(format!(
                    "`{other}` is not a unit of hours, minutes or seconds"
                ));
            }
        };
        if number.is_empty() {
            return Err(format!("`{unit}` has no number before it"));
        }
        // Units come once each, in the order H, M, S.
        if seen
            .chars()
            .any(|u| u == unit || "HMS".find(u) > "HMS".find(unit))
        {
            return Err(format!("`{unit}` is out of order or repeated"));
        }
        let fraction = number.contains(['.', ',']);
        let value: f64 = number
            .replace(',', ".")
            .parse()
            .map_err(|_| format!("`{number}` is not a number"))?;
        rest = &tail[unit.len_utf8()..];
        if fraction && !rest.is_empty() {
            return Err("only the last number may have a fraction".to_owned());
        }
        seen.push(unit);
        total += value * scale;
    }
    Duration::try_from_secs_f64(total).map_err(|_| "it is too long".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_of_hours_minutes_and_seconds() {
        let ok = |t: &str| parse_duration(t).unwrap();
        assert_eq!(ok("PT0.5S"), Duration::from_millis(500));
        assert_eq!(ok("PT1M30S"), Duration::from_secs(90));
        assert_eq!(ok("PT1H"), Duration::from_secs(3600));
        assert_eq!(ok("PT1H0,25M"), Duration::from_secs(3615));
        assert_eq!(ok("PT0S"), Duration::ZERO);
        for bad in [
            "P1D", "1S", "PT", "PT1", "PTS", "PT1S1M", "PT1S1S", "PT1.5M3S", "PT1X", "pt1s",
            "PT1..2S", "-PT1S",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn linear_becomes_the_geometric_curve_through_its_first_and_last_delay() {
        let second = Duration::from_secs(1);
        // 1 s, 2 s, 3 s, 4 s over 4 retries (5 attempts): 1 s × 4^(1/3) per step up to 4 s.
        let backoff = linear(second, second, None, 5);
        assert_eq!(backoff.initial, second);
        assert_eq!(backoff.max, Duration::from_secs(4));
        assert!((backoff.multiplier - 4f64.powf(1.0 / 3.0)).abs() < 1e-9);
        // Capped by maxDelay, and one retry only: a fixed delay.
        let capped = linear(second, second, Some(Duration::from_secs(2)), 5);
        assert_eq!(capped.max, Duration::from_secs(2));
        assert_eq!(linear(second, second, None, 2).multiplier, 1.0);
    }
}
