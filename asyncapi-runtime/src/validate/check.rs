//! The constraint checks generated [`Validate`](super::Validate) implementations call, one per
//! JSON Schema keyword. Each appends a [`ValidationError`] naming the bound and the value when the
//! value violates it, and never panics.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use super::{Path, ValidationError, compare_int_float, json_equal};

/// A number a numeric constraint can be checked on.
pub trait Number: Copy + fmt::Display {
    /// The value as a float (rounded for integers beyond 2^53).
    fn to_f64(self) -> f64;

    /// Whether the value is a whole number.
    fn is_integral(self) -> bool;

    /// The value as an integer, for integer types (exact comparisons); `None` for floats.
    fn to_i128(self) -> Option<i128> {
        None
    }
}

macro_rules! number_int {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }

            #[inline]
            fn is_integral(self) -> bool {
                true
            }

            #[inline]
            fn to_i128(self) -> Option<i128> {
                Some(self as i128)
            }
        }
    )*};
}

number_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! number_float {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                f64::from(self)
            }

            #[inline]
            fn is_integral(self) -> bool {
                self.is_finite() && self.fract() == 0.0
            }
        }
    )*};
}

number_float!(f32, f64);

impl<N: Number> Number for &N {
    #[inline]
    fn to_f64(self) -> f64 {
        (*self).to_f64()
    }

    #[inline]
    fn is_integral(self) -> bool {
        (*self).is_integral()
    }

    #[inline]
    fn to_i128(self) -> Option<i128> {
        (*self).to_i128()
    }
}

/// How `value` compares with `bound`; `None` when either is NaN.
fn compare<N: Number>(value: N, bound: f64) -> Option<Ordering> {
    match value.to_i128() {
        Some(int) => compare_int_float(int, bound),
        None => value.to_f64().partial_cmp(&bound),
    }
}

/// `minimum` (`exclusive: false`) or `exclusiveMinimum` (`exclusive: true`).
pub fn minimum(
    path: &Path<'_>,
    errors: &mut Vec<ValidationError>,
    value: impl Number,
    bound: f64,
    exclusive: bool,
) {
    let ok = match compare(value, bound) {
        Some(Ordering::Greater) => true,
        Some(Ordering::Equal) => !exclusive,
        _ => false,
    };
    if !ok {
        let rule = if exclusive {
            "must be greater than"
        } else {
            "must be at least"
        };
        errors.push(ValidationError::new(
            path,
            format!("{rule} {bound}, but is {value}"),
        ));
    }
}

/// `maximum` (`exclusive: false`) or `exclusiveMaximum` (`exclusive: true`).
pub fn maximum(
    path: &Path<'_>,
    errors: &mut Vec<ValidationError>,
    value: impl Number,
    bound: f64,
    exclusive: bool,
) {
    let ok = match compare(value, bound) {
        Some(Ordering::Less) => true,
        Some(Ordering::Equal) => !exclusive,
        _ => false,
    };
    if !ok {
        let rule = if exclusive {
            "must be less than"
        } else {
            "must be at most"
        };
        errors.push(ValidationError::new(
            path,
            format!("{rule} {bound}, but is {value}"),
        ));
    }
}

/// Relative tolerance of `multipleOf` when the value or the factor has a fractional part, so that
/// e.g. `0.3` counts as a multiple of `0.1` despite binary floating point.
const MULTIPLE_TOLERANCE: f64 = 1e-9;

fn is_multiple(value: impl Number, factor: f64) -> bool {
    let factor_integral = factor.fract() == 0.0;
    if let (true, Some(int)) = (factor_integral, value.to_i128()) {
        // Factors of 2^127 and more divide no integer but zero.
        return if factor < 1.7e38 {
            int % (factor as i128) == 0
        } else {
            int == 0
        };
    }
    let value = value.to_f64();
    if !value.is_finite() {
        return false;
    }
    if factor_integral && value.fract() == 0.0 {
        // The remainder of two whole floats is exact.
        return value % factor == 0.0;
    }
    let quotient = value / factor;
    if !quotient.is_finite() {
        return false;
    }
    (quotient - quotient.round()).abs() <= MULTIPLE_TOLERANCE * quotient.abs().max(1.0)
}

/// `multipleOf`: exact for whole values and factors, within a small relative tolerance otherwise.
pub fn multiple_of(
    path: &Path<'_>,
    errors: &mut Vec<ValidationError>,
    value: impl Number,
    factor: f64,
) {
    if !(factor.is_finite() && factor > 0.0) {
        errors.push(ValidationError::new(
            path,
            format!("the schema's multipleOf {factor} is not a positive number, so {value} cannot be checked against it"),
        ));
        return;
    }
    if !is_multiple(value, factor) {
        errors.push(ValidationError::new(
            path,
            format!("must be a multiple of {factor}, but is {value}"),
        ));
    }
}

/// Longest excerpt of a string quoted in a message, in characters.
const EXCERPT: usize = 64;

/// The text quoted for a message, cut short when long.
struct Excerpt<'a>(&'a str);

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(EXCERPT) {
            Some((cut, _)) => write!(f, "{:?}…", &self.0[..cut]),
            None => write!(f, "{:?}", self.0),
        }
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// `minLength`, counting characters (Unicode scalar values) as JSON Schema does.
pub fn min_length(path: &Path<'_>, errors: &mut Vec<ValidationError>, text: &str, n: u64) {
    let len = text.chars().count() as u64;
    if len < n {
        errors.push(ValidationError::new(
            path,
            format!(
                "must be at least {n} {} long, but {} has {len}",
                plural(n, "character", "characters"),
                Excerpt(text)
            ),
        ));
    }
}

/// `maxLength`, counting characters (Unicode scalar values) as JSON Schema does.
pub fn max_length(path: &Path<'_>, errors: &mut Vec<ValidationError>, text: &str, n: u64) {
    // Each character takes at least one byte: short texts need no counting.
    if (text.len() as u64) <= n {
        return;
    }
    let len = text.chars().count() as u64;
    if len > n {
        errors.push(ValidationError::new(
            path,
            format!(
                "must be at most {n} {} long, but {} has {len}",
                plural(n, "character", "characters"),
                Excerpt(text)
            ),
        ));
    }
}

/// A regular expression of a schema (`pattern`, `patternProperties`), compiled on first use and
/// kept: generated code holds each in a `static`.
///
/// Matching is a search, not anchored, as in JSON Schema: `a` matches `"cat"`; patterns anchor
/// themselves with `^` and `$`. The syntax is that of Rust's `regex` crate, which covers the
/// common ECMA-262 subset but not look-around or backreferences; a pattern that does not compile
/// fails every check that uses it, with an error saying so.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<regex::Regex, String>>,
}

impl Pattern {
    /// A pattern from its source text; nothing is compiled yet.
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    fn compiled(&self) -> Result<&regex::Regex, &str> {
        self.compiled
            .get_or_init(|| regex::Regex::new(self.source).map_err(|e| short_regex_error(&e)))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Whether the pattern matches somewhere in `text`; `Err` with the reason when the pattern
    /// does not compile.
    pub fn is_match(&self, text: &str) -> Result<bool, &str> {
        self.compiled().map(|regex| regex.is_match(text))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// The one-line gist of a regex error (its full text draws a multi-line diagram).
fn short_regex_error(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .map(str::to_owned)
        .unwrap_or_else(|| text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn pattern_unusable(pattern: &Pattern, reason: &str) -> String {
    format!(
        "cannot be checked: the schema's pattern `{}` is not a supported regular expression ({reason})",
        pattern.source
    )
}

/// `pattern`: `text` must match somewhere (unanchored search).
pub fn pattern(path: &Path<'_>, errors: &mut Vec<ValidationError>, text: &str, pattern: &Pattern) {
    match pattern.is_match(text) {
        Ok(true) => {}
        Ok(false) => errors.push(ValidationError::new(
            path,
            format!(
                "must match the pattern `{}`, but {} does not",
                pattern.source,
                Excerpt(text)
            ),
        )),
        Err(reason) => errors.push(ValidationError::new(
            path,
            pattern_unusable(pattern, reason),
        )),
    }
}

/// A property name of an object must match `pattern` (`patternProperties` keys, `propertyNames`).
pub fn key_pattern(
    path: &Path<'_>,
    errors: &mut Vec<ValidationError>,
    key: &str,
    pattern: &Pattern,
) {
    match pattern.is_match(key) {
        Ok(true) => {}
        Ok(false) => errors.push(ValidationError::new(
            path,
            format!(
                "property name {} must match the pattern `{}`",
                Excerpt(key),
                pattern.source
            ),
        )),
        Err(reason) => errors.push(ValidationError::new(
            path,
            pattern_unusable(pattern, reason),
        )),
    }
}

/// `minItems`.
pub fn min_items(path: &Path<'_>, errors: &mut Vec<ValidationError>, len: usize, n: u64) {
    if (len as u64) < n {
        errors.push(ValidationError::new(
            path,
            format!(
                "must have at least {n} {}, but has {len}",
                plural(n, "item", "items")
            ),
        ));
    }
}

/// `maxItems`.
pub fn max_items(path: &Path<'_>, errors: &mut Vec<ValidationError>, len: usize, n: u64) {
    if (len as u64) > n {
        errors.push(ValidationError::new(
            path,
            format!(
                "must have at most {n} {}, but has {len}",
                plural(n, "item", "items")
            ),
        ));
    }
}

/// `minProperties`.
pub fn min_properties(path: &Path<'_>, errors: &mut Vec<ValidationError>, count: usize, n: u64) {
    if (count as u64) < n {
        errors.push(ValidationError::new(
            path,
            format!(
                "must have at least {n} {}, but has {count}",
                plural(n, "property", "properties")
            ),
        ));
    }
}

/// `maxProperties`.
pub fn max_properties(path: &Path<'_>, errors: &mut Vec<ValidationError>, count: usize, n: u64) {
    if (count as u64) > n {
        errors.push(ValidationError::new(
            path,
            format!(
                "must have at most {n} {}, but has {count}",
                plural(n, "property", "properties")
            ),
        ));
    }
}

/// `uniqueItems`: no two items may be equal as JSON values (numbers compare numerically, so `1`
/// and `1.0` are equal). Each item equal to an earlier one is reported once.
pub fn unique_items<T: Serialize>(path: &Path<'_>, errors: &mut Vec<ValidationError>, items: &[T]) {
    let mut values = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match serde_json::to_value(item) {
            Ok(value) => values.push(value),
            Err(error) => {
                errors.push(ValidationError::new(
                    path,
                    format!("cannot be checked for unique items: item {i} is not representable as JSON ({error})"),
                ));
                return;
            }
        }
    }
    for (later, value) in values.iter().enumerate().skip(1) {
        if let Some(earlier) = values[..later].iter().position(|v| json_equal(v, value)) {
            errors.push(ValidationError::new(
                path,
                format!("must have unique items, but items {earlier} and {later} are equal"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(check: impl FnOnce(&Path<'_>, &mut Vec<ValidationError>)) -> Vec<String> {
        let root = Path::root();
        let p = root.key("v");
        let mut errors = Vec::new();
        check(&p, &mut errors);
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn minimum_and_maximum() {
        assert!(run(|p, e| minimum(p, e, 5_i32, 5.0, false)).is_empty());
        assert_eq!(
            run(|p, e| minimum(p, e, 5_i32, 5.0, true)),
            ["at `/v`: must be greater than 5, but is 5"]
        );
        assert_eq!(
            run(|p, e| minimum(p, e, 4_u8, 4.5, false)),
            ["at `/v`: must be at least 4.5, but is 4"]
        );
        assert!(run(|p, e| minimum(p, e, 0.5_f32, 0.5, false)).is_empty());
        let through_a_reference = [-1_i16];
        for value in &through_a_reference {
            assert_eq!(run(|p, e| minimum(p, e, value, 0.0, false)).len(), 1);
        }
        assert!(run(|p, e| maximum(p, e, 100_i64, 100.0, false)).is_empty());
        assert_eq!(
            run(|p, e| maximum(p, e, 100.5_f64, 100.0, false)),
            ["at `/v`: must be at most 100, but is 100.5"]
        );
        assert_eq!(
            run(|p, e| maximum(p, e, 100_usize, 100.0, true)),
            ["at `/v`: must be less than 100, but is 100"]
        );
        assert_eq!(run(|p, e| maximum(p, e, f64::NAN, 1.0, false)).len(), 1);
        // Exact for large integers: 2^53 + 1 is above 2^53 although it rounds to it as a float.
        let big = (1_u64 << 53) + 1;
        assert_eq!(
            run(|p, e| maximum(p, e, big, 2f64.powi(53), false)).len(),
            1
        );
        assert!(run(|p, e| minimum(p, e, u64::MAX, 0.0, true)).is_empty());
        assert!(run(|p, e| minimum(p, e, i64::MIN, -1e300, false)).is_empty());
    }

    #[test]
    fn multiples() {
        assert!(run(|p, e| multiple_of(p, e, 10_i32, 5.0)).is_empty());
        assert!(run(|p, e| multiple_of(p, e, -10_i64, 5.0)).is_empty());
        assert!(run(|p, e| multiple_of(p, e, 0_u8, 7.0)).is_empty());
        assert_eq!(
            run(|p, e| multiple_of(p, e, 11_i32, 5.0)),
            ["at `/v`: must be a multiple of 5, but is 11"]
        );
        assert!(run(|p, e| multiple_of(p, e, u64::MAX - 1, 2.0)).is_empty());
        assert_eq!(run(|p, e| multiple_of(p, e, u64::MAX, 2.0)).len(), 1);
        assert!(run(|p, e| multiple_of(p, e, 0.3_f64, 0.1)).is_empty());
        assert!(run(|p, e| multiple_of(p, e, 19.99_f64, 0.01)).is_empty());
        assert!(run(|p, e| multiple_of(p, e, 4.5_f64, 1.5)).is_empty());
        assert!(run(|p, e| multiple_of(p, e, 12.0_f64, 4.0)).is_empty());
        assert!(run(|p, e| multiple_of(p, e, 3_i32, 0.5)).is_empty());
        assert_eq!(run(|p, e| multiple_of(p, e, 0.35_f64, 0.1)).len(), 1);
        assert_eq!(run(|p, e| multiple_of(p, e, 7.5_f64, 2.0)).len(), 1);
        assert_eq!(run(|p, e| multiple_of(p, e, f64::INFINITY, 2.0)).len(), 1);
        // A broken factor is reported, never a division by zero.
        let zero = run(|p, e| multiple_of(p, e, 3_i32, 0.0));
        assert!(zero[0].contains("not a positive number"), "{zero:?}");
        assert_eq!(run(|p, e| multiple_of(p, e, 3_i32, -1.0)).len(), 1);
    }

    #[test]
    fn lengths_count_characters() {
        assert!(run(|p, e| min_length(p, e, "héé", 3)).is_empty());
        assert_eq!(
            run(|p, e| min_length(p, e, "ab", 3)),
            ["at `/v`: must be at least 3 characters long, but \"ab\" has 2"]
        );
        assert_eq!(
            run(|p, e| min_length(p, e, "", 1)),
            ["at `/v`: must be at least 1 character long, but \"\" has 0"]
        );
        // Four bytes, one character.
        assert!(run(|p, e| max_length(p, e, "😀", 1)).is_empty());
        assert_eq!(
            run(|p, e| max_length(p, e, "😀😀", 1)),
            ["at `/v`: must be at most 1 character long, but \"😀😀\" has 2"]
        );
        let long = "x".repeat(200);
        let message = run(|p, e| max_length(p, e, &long, 10)).remove(0);
        assert!(message.ends_with("… has 200"), "{message}");
    }

    static DIGITS: Pattern = Pattern::new("[0-9]+");
    static ANCHORED: Pattern = Pattern::new("^[a-z]+$");
    static BROKEN: Pattern = Pattern::new("(unclosed");
    static LOOKAHEAD: Pattern = Pattern::new("a(?=b)");

    #[test]
    fn patterns_search_unanchored() {
        assert!(run(|p, e| pattern(p, e, "abc123def", &DIGITS)).is_empty());
        assert_eq!(
            run(|p, e| pattern(p, e, "abc", &DIGITS)),
            ["at `/v`: must match the pattern `[0-9]+`, but \"abc\" does not"]
        );
        assert!(run(|p, e| pattern(p, e, "abc", &ANCHORED)).is_empty());
        assert_eq!(run(|p, e| pattern(p, e, "abc1", &ANCHORED)).len(), 1);
        assert_eq!(DIGITS.is_match("x1"), Ok(true));
        assert_eq!(DIGITS.source(), "[0-9]+");
        assert_eq!(format!("{DIGITS:?}"), "Pattern(\"[0-9]+\")");
    }

    #[test]
    fn broken_patterns_are_errors_not_panics() {
        for broken in [&BROKEN, &LOOKAHEAD] {
            let errors = run(|p, e| pattern(p, e, "ab", broken));
            assert_eq!(errors.len(), 1);
            assert!(
                errors[0].contains("is not a supported regular expression"),
                "{errors:?}"
            );
            assert!(!errors[0].contains('\n'), "{errors:?}");
            // The failure is remembered, and reported again.
            assert_eq!(run(|p, e| key_pattern(p, e, "ab", broken)).len(), 1);
        }
        let message = run(|p, e| pattern(p, e, "ab", &LOOKAHEAD)).remove(0);
        assert!(message.contains("look-around"), "{message}");
    }

    #[test]
    fn key_patterns() {
        assert!(run(|p, e| key_pattern(p, e, "x-1", &DIGITS)).is_empty());
        assert_eq!(
            run(|p, e| key_pattern(p, e, "x-", &DIGITS)),
            ["at `/v`: property name \"x-\" must match the pattern `[0-9]+`"]
        );
    }

    #[test]
    fn counts() {
        assert!(run(|p, e| min_items(p, e, 2, 2)).is_empty());
        assert_eq!(
            run(|p, e| min_items(p, e, 1, 2)),
            ["at `/v`: must have at least 2 items, but has 1"]
        );
        assert_eq!(
            run(|p, e| max_items(p, e, 2, 1)),
            ["at `/v`: must have at most 1 item, but has 2"]
        );
        assert!(run(|p, e| max_items(p, e, 0, 0)).is_empty());
        assert_eq!(
            run(|p, e| min_properties(p, e, 0, 1)),
            ["at `/v`: must have at least 1 property, but has 0"]
        );
        assert_eq!(
            run(|p, e| max_properties(p, e, 3, 2)),
            ["at `/v`: must have at most 2 properties, but has 3"]
        );
        assert!(run(|p, e| max_properties(p, e, 2, 2)).is_empty());
    }

    #[test]
    fn unique_items_compare_as_json() {
        assert!(run(|p, e| unique_items(p, e, &[1, 2, 3])).is_empty());
        assert_eq!(
            run(|p, e| unique_items(p, e, &[1, 2, 1, 1])),
            [
                "at `/v`: must have unique items, but items 0 and 2 are equal",
                "at `/v`: must have unique items, but items 0 and 3 are equal"
            ]
        );
        assert_eq!(
            run(|p, e| unique_items(p, e, &[json!(1), json!(1.0)])).len(),
            1
        );
        assert_eq!(
            run(|p, e| unique_items(
                p,
                e,
                &[json!({"a": 1, "b": [2]}), json!({"b": [2.0], "a": 1})]
            ))
            .len(),
            1
        );
        assert!(run(|p, e| unique_items(p, e, &[json!([1, 2]), json!([2, 1])])).is_empty());
        assert!(run(|p, e| unique_items(p, e, &["1", "01"])).is_empty());
        assert!(run(|p, e| unique_items::<u8>(p, e, &[])).is_empty());
        assert!(run(|p, e| unique_items(p, e, &[Some(1), None])).is_empty());
    }
}
