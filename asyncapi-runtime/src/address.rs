//! Channel addresses: templates with `{name}` placeholders, filled from typed values, parsed back,
//! and turned into MQTT topic filters. Values are checked so a parameter can never inject a level
//! separator or a wildcard into an address.

use std::borrow::Cow;

use crate::AddressError;

/// A type that can stand in one placeholder of an address.
pub trait AddressValue: Sized {
    /// What the type is called in error messages ("integer", "string").
    const EXPECTED: &'static str;

    /// The text written into the address.
    fn to_address_value(&self) -> Cow<'_, str>;

    /// Parses one placeholder's text.
    fn from_address_value(text: &str) -> Option<Self>;
}

impl AddressValue for String {
    const EXPECTED: &'static str = "string";

    fn to_address_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }

    fn from_address_value(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

macro_rules! address_value_via_display {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl AddressValue for $t {
            const EXPECTED: &'static str = $name;

            fn to_address_value(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }

            fn from_address_value(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

address_value_via_display!(
    i32 => "integer", i64 => "integer", u32 => "integer", u64 => "integer",
    f32 => "number", f64 => "number", bool => "boolean",
);

/// One piece of a template: literal text or a placeholder name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push(Piece::Literal(&rest[..start]));
        }
        out.push(Piece::Placeholder(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest));
    }
    out
}

/// Whose naming rules the values of an address must follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rules {
    /// MQTT topics: no level separator `/`, no wildcard `+` or `#`, no NUL; at most 65,535
    /// bytes in all.
    #[default]
    Mqtt,
    /// Kafka topics: MQTT's rules, and only `[a-zA-Z0-9._-]`; at most 249 characters in all.
    Kafka,
}

impl Rules {
    /// The longest address these rules allow, in bytes.
    pub const fn max_len(self) -> usize {
        match self {
            Rules::Mqtt => 65_535,
            Rules::Kafka => 249,
        }
    }
}

/// Checks a value before it goes into an address, by MQTT's rules.
pub fn check_value(parameter: &'static str, value: &str) -> Result<(), AddressError> {
    check_value_for(Rules::Mqtt, parameter, value)
}

/// Checks a value before it goes into an address, by `rules`.
pub fn check_value_for(
    rules: Rules,
    parameter: &'static str,
    value: &str,
) -> Result<(), AddressError> {
    let reason = if value.contains('/') {
        Some("contains the level separator `/`")
    } else {
        refusal(rules, value)
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(AddressError::InvalidValue {
            parameter,
            value: value.to_owned(),
            reason,
        }),
    }
}

/// Checks a whole concrete address before a message goes to it, by `rules`: for a channel whose
/// address the spec leaves to runtime (`address: null`). The rules of a value apply, but for
/// level separators, which an address may hold (MQTT); and the address fits the broker's limit.
pub fn check_address_for(rules: Rules, address: &str) -> Result<(), AddressError> {
    let reason = refusal(rules, address).or_else(|| {
        (address.len() > rules.max_len()).then_some("is longer than the broker allows")
    });
    match reason {
        None => Ok(()),
        Some(reason) => Err(AddressError::InvalidValue {
            parameter: "address",
            value: address.to_owned(),
            reason,
        }),
    }
}

/// Why `text` cannot stand in an address by `rules` (level separators aside): empty, an MQTT
/// wildcard, NUL, a placeholder brace, or (Kafka) a character topic names do not allow.
fn refusal(rules: Rules, text: &str) -> Option<&'static str> {
    if text.is_empty() {
        Some("is empty")
    } else if text.contains(['+', '#']) {
        Some("contains an MQTT wildcard (`+` or `#`)")
    } else if text.contains('\0') {
        Some("contains a NUL character")
    } else if text.contains(['{', '}']) {
        Some("contains a placeholder brace")
    } else if rules == Rules::Kafka
        && !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        Some("contains a character Kafka topic names do not allow (only `a-z A-Z 0-9 . _ -`)")
    } else {
        None
    }
}

/// What a receive operation listens to when its channel has no address in the spec
/// (`address: null`): an address template, each `{name}` placeholder standing for one value of
/// any text, as in a channel address. Each transport turns it into its own filter (MQTT: `+` per
/// placeholder level; Kafka: a topic pattern), so one filter means the same on every transport.
/// A template without placeholders is one exact address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AddressFilter(Cow<'static, str>);

impl AddressFilter {
    /// Checks `template`: not empty, braces paired around a name, and no MQTT wildcard, NUL or
    /// stray brace in its literal parts (wildcards are written as placeholders).
    pub fn new(template: impl Into<Cow<'static, str>>) -> Result<Self, AddressError> {
        let template = template.into();
        let invalid = |reason| AddressError::InvalidValue {
            parameter: "filter",
            value: template.to_string(),
            reason,
        };
        if template.is_empty() {
            return Err(invalid("is empty"));
        }
        if template.len() > Rules::Mqtt.max_len() {
            return Err(invalid("is longer than a broker allows"));
        }
        let mut rest: &str = &template;
        while !rest.is_empty() {
            let (literal, after) = match rest.find('{') {
                Some(open) => {
                    let Some(close) = rest[open..].find('}') else {
                        return Err(invalid("has a `{` without its `}`"));
                    };
                    let name = &rest[open + 1..open + close];
                    if name.is_empty() || name.contains('{') {
                        return Err(invalid("has a placeholder without a name"));
                    }
                    (&rest[..open], &rest[open + close + 1..])
                }
                None => (rest, ""),
            };
            if literal.contains('}') {
                return Err(invalid("has a `}` without its `{`"));
            }
            if literal.contains(['+', '#']) {
                return Err(invalid(
                    "contains an MQTT wildcard; write `{name}` for a part that varies",
                ));
            }
            if literal.contains('\0') {
                return Err(invalid("contains a NUL character"));
            }
            rest = after;
        }
        Ok(AddressFilter(template))
    }

    /// The template as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The template, for a [`Subscription`](crate::Subscription).
    pub fn template(&self) -> Cow<'static, str> {
        self.0.clone()
    }
}

impl std::fmt::Display for AddressFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for AddressFilter {
    type Err = AddressError;

    fn from_str(template: &str) -> Result<Self, AddressError> {
        AddressFilter::new(template.to_owned())
    }
}

/// Fills a template's placeholders with `values`, given as `(name, text)` in any order, by
/// MQTT's rules.
pub fn format(template: &str, values: &[(&'static str, &str)]) -> Result<String, AddressError> {
    format_for(Rules::Mqtt, template, values)
}

/// Fills a template's placeholders with `values`, given as `(name, text)` in any order, each
/// value checked by `rules`, and the whole address no longer than they allow.
pub fn format_for(
    rules: Rules,
    template: &str,
    values: &[(&'static str, &str)],
) -> Result<String, AddressError> {
    let mut out = String::with_capacity(template.len() + 16);
    for piece in pieces(template) {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Placeholder(name) => {
                let (parameter, value) = values
                    .iter()
                    .find(|(n, _)| *n == name)
                    .copied()
                    .ok_or_else(|| AddressError::InvalidValue {
                        parameter: "",
                        value: name.to_owned(),
                        reason: "names a placeholder that has no value",
                    })?;
                check_value_for(rules, parameter, value)?;
                out.push_str(value);
            }
        }
    }
    if out.len() > rules.max_len() {
        return Err(AddressError::InvalidValue {
            parameter: "",
            value: out,
            reason: "makes the address longer than the broker allows",
        });
    }
    Ok(out)
}

/// Extracts the placeholder values of a concrete address, in template order.
pub fn capture<'a>(template: &'static str, address: &'a str) -> Result<Vec<&'a str>, AddressError> {
    capture_in(template, address).map_err(|()| AddressError::Mismatch {
        template,
        address: address.to_owned(),
    })
}

/// [`capture`] for a template that is not `'static`; `Err(())` when the address does not fit.
pub(crate) fn capture_in<'a>(template: &str, address: &'a str) -> Result<Vec<&'a str>, ()> {
    let pieces = pieces(template);
    let mut values = Vec::new();
    let mut rest = address;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Literal(text) => rest = rest.strip_prefix(text).ok_or(())?,
            Piece::Placeholder(_) => {
                // A value runs to the next literal (values never contain `/`), or to the end.
                let end = match pieces.get(i + 1) {
                    Some(Piece::Literal(next)) => rest
                        .char_indices()
                        .skip(1)
                        .map(|(at, _)| at)
                        .find(|&at| rest[at..].starts_with(next))
                        .ok_or(())?,
                    _ => rest.len(),
                };
                let value = &rest[..end];
                if value.is_empty() || value.contains('/') {
                    return Err(());
                }
                values.push(value);
                rest = &rest[end..];
            }
        }
    }
    if rest.is_empty() { Ok(values) } else { Err(()) }
}

/// Parses one captured value into its typed form.
pub fn parse_value<T: AddressValue>(
    parameter: &'static str,
    address: &str,
    text: &str,
) -> Result<T, AddressError> {
    T::from_address_value(text).ok_or_else(|| AddressError::BadValue {
        parameter,
        address: address.to_owned(),
        value: text.to_owned(),
        expected: T::EXPECTED,
    })
}

/// The MQTT topic filter that covers every address of a template: each level holding a placeholder
/// becomes `+`.
pub fn mqtt_filter(template: &str) -> String {
    template
        .split('/')
        .map(|level| if level.contains('{') { "+" } else { level })
        .collect::<Vec<_>>()
        .join("/")
}

/// The Kafka topic pattern covering every address of a template: `^`, the literal parts escaped,
/// each placeholder one run of legal topic characters, `$`.
pub fn kafka_pattern(template: &str) -> String {
    let mut out = String::from("^");
    for piece in pieces(template) {
        match piece {
            Piece::Literal(text) => out.push_str(&regex::escape(text)),
            Piece::Placeholder(_) => out.push_str("[a-zA-Z0-9._-]+"),
        }
    }
    out.push('$');
    out
}

/// Whether an MQTT topic filter (with `+` and `#`) matches a topic name, by the rules of
/// MQTT 3.1.1 §4.7: `+` is one level, a trailing `#` is any number of levels including the parent,
/// and wildcards at the first level do not match topics starting with `$`.
pub fn mqtt_matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && filter.starts_with(['+', '#']) {
        return false;
    }
    let mut topic_levels = topic.split('/');
    for level in filter.split('/') {
        if level == "#" {
            return true;
        }
        match topic_levels.next() {
            Some(t) if level == "+" || level == t => {}
            _ => return false,
        }
    }
    topic_levels.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "lights/{id}/dim/{level}";

    #[test]
    fn format_and_capture_round_trip() {
        let address = format(T, &[("level", "7"), ("id", "a-1")]).unwrap();
        assert_eq!(address, "lights/a-1/dim/7");
        assert_eq!(capture(T, &address).unwrap(), vec!["a-1", "7"]);
    }

    #[test]
    fn concrete_addresses_are_checked_whole() {
        check_address_for(Rules::Mqtt, "devices/a-1/events").unwrap();
        check_address_for(Rules::Kafka, "devices.a-1.events").unwrap();
        for bad in ["", "devices/+/events", "devices/#", "a\0b", "a/{id}"] {
            assert!(check_address_for(Rules::Mqtt, bad).is_err(), "{bad:?}");
        }
        assert!(check_address_for(Rules::Kafka, "devices/a").is_err());
        assert!(check_address_for(Rules::Kafka, &"t".repeat(250)).is_err());
    }

    #[test]
    fn filters_are_templates_without_raw_wildcards() {
        let filter = AddressFilter::new("devices/{id}/events").unwrap();
        assert_eq!(mqtt_filter(filter.as_str()), "devices/+/events");
        AddressFilter::new("devices/a-1/events").unwrap();
        for bad in [
            "",
            "devices/+/events",
            "devices/#",
            "a/{id",
            "a/{}/b",
            "a/}b",
            "a\0",
        ] {
            assert!(AddressFilter::new(bad).is_err(), "{bad:?}");
        }
        assert!("x/{y}".parse::<AddressFilter>().is_ok());
    }

    #[test]
    fn injection_is_rejected() {
        for bad in ["a/b", "+", "#", "x\0y", ""] {
            let err = format(T, &[("id", bad), ("level", "1")]).unwrap_err();
            assert!(
                matches!(
                    err,
                    AddressError::InvalidValue {
                        parameter: "id",
                        ..
                    }
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn kafka_rules_allow_only_topic_characters() {
        let t = "orders.{region}.created";
        assert_eq!(
            format_for(Rules::Kafka, t, &[("region", "eu-west_1.a")]).unwrap(),
            "orders.eu-west_1.a.created"
        );
        for bad in ["eu west", "eu/west", "é", "a:b", "a*", "+", "\0", ""] {
            assert!(
                format_for(Rules::Kafka, t, &[("region", bad)]).is_err(),
                "{bad:?}"
            );
        }
        // MQTT allows what Kafka does not, short of separators and wildcards.
        assert!(format_for(Rules::Mqtt, t, &[("region", "eu west é")]).is_ok());
        let long = "x".repeat(300);
        let err = format_for(Rules::Kafka, t, &[("region", &long)]).unwrap_err();
        assert!(
            err.to_string().contains("longer than the broker allows"),
            "{err}"
        );
        assert!(format_for(Rules::Mqtt, t, &[("region", &long)]).is_ok());
        assert_eq!(kafka_pattern(t), "^orders\\.[a-zA-Z0-9._-]+\\.created$");
        let pattern = regex::Regex::new(&kafka_pattern(t)).unwrap();
        assert!(pattern.is_match("orders.eu.created"));
        assert!(!pattern.is_match("orders.eu.x.createdx"));
    }

    #[test]
    fn capture_rejects_foreign_addresses() {
        assert!(capture(T, "lights/a/dim").is_err());
        assert!(capture(T, "lights/a/b/dim/1").is_err());
        assert!(capture(T, "lamps/a/dim/1").is_err());
        assert!(capture(T, "lights/a/dim/1/extra").is_err());
        assert_eq!(
            capture("user-{id}.events", "user-42.events").unwrap(),
            vec!["42"]
        );
    }

    #[test]
    fn typed_values() {
        assert_eq!(parse_value::<i64>("n", "a/5", "5").unwrap(), 5);
        let err = parse_value::<i64>("n", "a/x", "x").unwrap_err();
        assert!(err.to_string().contains("not a valid integer"), "{err}");
    }

    #[test]
    fn mqtt_filters() {
        assert_eq!(mqtt_filter(T), "lights/+/dim/+");
        assert_eq!(mqtt_filter("a/pre-{x}/b"), "a/+/b");
        assert!(mqtt_matches("a/+/c", "a/b/c"));
        assert!(!mqtt_matches("a/+/c", "a/b/c/d"));
        assert!(!mqtt_matches("a/+/c", "a/c"));
        assert!(mqtt_matches("a/#", "a"));
        assert!(mqtt_matches("a/#", "a/b/c"));
        assert!(mqtt_matches("#", "x/y"));
        assert!(!mqtt_matches("#", "$SYS/x"));
        assert!(!mqtt_matches("+/x", "$SYS/x"));
        assert!(mqtt_matches("a/+", "a/"));
        assert!(!mqtt_matches("a/b", "a/bc"));
    }
}
