//! Checking decoded values against the constraints of their JSON Schema.
//!
//! Serde already enforces a schema's shape (types, required properties, enums); what it cannot
//! express (`minimum`, `maxLength`, `pattern`, `uniqueItems`, ...) generated types check in their
//! [`Validate`] implementations. Every violation is collected, each with the JSON pointer of the
//! value it concerns, so one call reports everything that is wrong with a message.
//!
//! ```
//! use asyncapi_runtime::validate::{Path, Validate, ValidationError, check};
//!
//! struct Dim {
//!     percentage: i64,
//! }
//!
//! impl Validate for Dim {
//!     fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
//!         let p = path.key("percentage");
//!         check::minimum(&p, errors, self.percentage, 0.0, false);
//!         check::maximum(&p, errors, self.percentage, 100.0, false);
//!     }
//! }
//!
//! assert!(Dim { percentage: 40 }.validate().is_ok());
//! let errors = Dim { percentage: 140 }.validate().unwrap_err();
//! assert_eq!(errors.to_string(), "at `/percentage`: must be at most 100, but is 140");
//! ```

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;

#[doc(hidden)]
pub mod check;

/// One violated constraint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ValidationError {
    /// The JSON pointer (RFC 6901) of the offending value; empty for the value itself.
    pub path: String,
    /// What is wrong, e.g. "must be at most 100, but is 140".
    pub message: String,
}

impl ValidationError {
    /// An error at `path`.
    pub fn new(path: &Path<'_>, message: impl Into<String>) -> Self {
        ValidationError {
            path: path.to_pointer(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "at the root: {}", self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ValidationError {}

/// Every constraint a value violates, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    /// The errors, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors as a vector.
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.0
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("no validation errors");
        }
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl From<Vec<ValidationError>> for ValidationErrors {
    fn from(errors: Vec<ValidationError>) -> Self {
        ValidationErrors(errors)
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One step of a [`Path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// Where a value sits inside the message being validated: a chain of object keys and array
/// indexes, each step borrowing its parent so building one allocates nothing. It becomes a JSON
/// pointer only when an error is reported.
///
/// ```
/// use asyncapi_runtime::validate::Path;
///
/// let root = Path::root();
/// let items = root.key("items");
/// let first = items.index(0);
/// let odd = first.key("a/b~c");
/// assert_eq!(odd.to_pointer(), "/items/0/a~1b~0c");
/// assert_eq!(root.to_pointer(), "");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl Default for Path<'_> {
    fn default() -> Self {
        Path::root()
    }
}

impl<'a> Path<'a> {
    /// The path of the value being validated itself.
    pub const fn root() -> Path<'static> {
        Path {
            parent: None,
            segment: Segment::Root,
        }
    }

    /// The path of the property `key` of the object at this path.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The path of item `index` of the array at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.parent.is_none() && self.segment == Segment::Root
    }

    /// The JSON pointer (RFC 6901) of this path: `""` for the root, `/key/0` below it, with `~`
    /// written `~0` and `/` written `~1` inside keys.
    pub fn to_pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            if path.segment != Segment::Root {
                segments.push(path.segment);
            }
            at = path.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            out.push('/');
            match segment {
                Segment::Root => {}
                Segment::Key(key) => {
                    for c in key.chars() {
                        match c {
                            '~' => out.push_str("~0"),
                            '/' => out.push_str("~1"),
                            c => out.push(c),
                        }
                    }
                }
                Segment::Index(index) => out.push_str(&index.to_string()),
            }
        }
        out
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_pointer())
    }
}

/// A value that can check the constraints of its schema.
///
/// Generated for every payload and schema type; the implementations here cover the standard
/// types generated code is built from (primitives check nothing; containers forward to their
/// elements, extending the path).
pub trait Validate {
    /// Appends every constraint this value, found at `path`, violates to `errors`.
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>);

    /// Checks this value as the root of a message: `Ok` when it satisfies every constraint,
    /// otherwise all the violations.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        self.validate_at(&Path::root(), &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(errors))
        }
    }
}

macro_rules! validate_nothing {
    ($($t:ty),* $(,)?) => {$(
        impl Validate for $t {
            #[inline]
            fn validate_at(&self, _path: &Path<'_>, _errors: &mut Vec<ValidationError>) {}
        }
    )*};
}

validate_nothing!(
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    char,
    (),
    String,
    str,
    serde_json::Value,
    serde_json::Number,
    bytes::Bytes,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    std::net::IpAddr,
);

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        if let Some(value) = self {
            value.validate_at(path, errors);
        }
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate + ?Sized> Validate for std::sync::Arc<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate + ?Sized> Validate for std::rc::Rc<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        for (i, item) in self.iter().enumerate() {
            let p = path.index(i);
            item.validate_at(&p, errors);
        }
    }
}

impl<T: Validate, const N: usize> Validate for [T; N] {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        self.as_slice().validate_at(path, errors);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        self.as_slice().validate_at(path, errors);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        for (key, value) in self {
            let p = path.key(key);
            value.validate_at(&p, errors);
        }
    }
}

/// Entries are checked in the map's iteration order, so the order of the errors of several
/// entries is unspecified.
impl<T: Validate, S: BuildHasher> Validate for HashMap<String, T, S> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        for (key, value) in self {
            let p = path.key(key);
            value.validate_at(&p, errors);
        }
    }
}

macro_rules! validate_tuple {
    ($(($($name:ident $index:tt),+))*) => {$(
        impl<$($name: Validate),+> Validate for ($($name,)+) {
            fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
                $(
                    let p = path.index($index);
                    self.$index.validate_at(&p, errors);
                )+
            }
        }
    )*};
}

validate_tuple! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
}

/// How an integer compares with a float, exactly (no rounding of the integer to a float).
pub(crate) fn compare_int_float(int: i128, float: f64) -> Option<Ordering> {
    if float.is_nan() {
        return None;
    }
    // 2^127: every i128 is below it, and it is exactly representable as an f64.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if float >= LIMIT {
        return Some(Ordering::Less);
    }
    if float < -LIMIT {
        return Some(Ordering::Greater);
    }
    let floor = float.floor();
    // In range, and integral: the cast is exact.
    let whole = floor as i128;
    Some(match int.cmp(&whole) {
        Ordering::Equal if floor == float => Ordering::Equal,
        // The integer is floor(float), and float has a fractional part above it.
        Ordering::Equal => Ordering::Less,
        other => other,
    })
}

/// JSON equality as JSON Schema defines it (`const`, `enum`, `uniqueItems`): numbers are equal
/// when numerically equal (`1` equals `1.0`), objects regardless of key order.
pub fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => false,
    }
}

fn as_i128(n: &serde_json::Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

fn numbers_equal(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    match (as_i128(x), as_i128(y)) {
        (Some(x), Some(y)) => x == y,
        (Some(i), None) => y
            .as_f64()
            .is_some_and(|f| compare_int_float(i, f) == Some(Ordering::Equal)),
        (None, Some(i)) => x
            .as_f64()
            .is_some_and(|f| compare_int_float(i, f) == Some(Ordering::Equal)),
        (None, None) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Positive(i64);

    impl Validate for Positive {
        fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
            check::minimum(path, errors, self.0, 0.0, true);
        }
    }

    #[test]
    fn pointers_escape_and_nest() {
        let root = Path::root();
        assert!(root.is_root());
        assert_eq!(root.to_pointer(), "");
        let a = root.key("a");
        let zero = a.index(0);
        let odd = zero.key("x/y~z");
        assert_eq!(odd.to_pointer(), "/a/0/x~1y~0z");
        assert_eq!(odd.to_string(), "/a/0/x~1y~0z");
        let empty = root.key("");
        assert_eq!(empty.to_pointer(), "/");
    }

    #[test]
    fn display_of_errors() {
        let root = ValidationError::new(&Path::root(), "bad");
        assert_eq!(root.to_string(), "at the root: bad");
        let r = Path::root();
        let p = r.key("a");
        let p = p.index(0);
        let nested = ValidationError::new(&p, "worse");
        assert_eq!(nested.to_string(), "at `/a/0`: worse");
        let all = ValidationErrors(vec![root, nested]);
        assert_eq!(all.len(), 2);
        assert!(!all.is_empty());
        assert_eq!(all.to_string(), "at the root: bad; at `/a/0`: worse");
        assert_eq!(all.iter().count(), 2);
        let boxed: Box<dyn std::error::Error> = Box::new(all);
        assert!(boxed.to_string().contains("worse"));
        assert_eq!(
            ValidationErrors::default().to_string(),
            "no validation errors"
        );
    }

    #[test]
    fn containers_extend_the_path() {
        let list = vec![Positive(1), Positive(0), Positive(-1)];
        let errors = list.validate().unwrap_err();
        let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/1", "/2"]);

        let mut map = BTreeMap::new();
        map.insert("a/b".to_owned(), Positive(0));
        map.insert("ok".to_owned(), Positive(3));
        let errors = map.validate().unwrap_err();
        assert_eq!(errors.0[0].path, "/a~1b");
        assert_eq!(errors.len(), 1);

        let mut hashed = HashMap::new();
        hashed.insert("k".to_owned(), Some(Box::new(Positive(-5))));
        assert_eq!(hashed.validate().unwrap_err().0[0].path, "/k");

        let tuple = (Positive(1), "text".to_owned(), Positive(0));
        assert_eq!(tuple.validate().unwrap_err().0[0].path, "/2");

        let none: Option<Positive> = None;
        assert!(none.validate().is_ok());
        assert!(Some(Positive(0)).validate().is_err());
        assert!([Positive(2)].validate().is_ok());
        assert!(json!({"x": 1}).validate().is_ok());
        assert!("s".validate().is_ok());
        assert!(std::net::Ipv4Addr::LOCALHOST.validate().is_ok());
    }

    #[test]
    fn json_equality_is_numeric() {
        assert!(json_equal(&json!(1), &json!(1.0)));
        assert!(json_equal(&json!(-3), &json!(-3.0)));
        assert!(!json_equal(&json!(1), &json!(1.5)));
        assert!(json_equal(&json!(u64::MAX), &json!(u64::MAX)));
        assert!(!json_equal(&json!(u64::MAX), &json!(i64::MAX)));
        assert!(json_equal(
            &json!({"a": [1, {"b": 2.0}], "c": null}),
            &json!({"c": null, "a": [1.0, {"b": 2}]})
        ));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!json_equal(&json!([1, 2]), &json!([2, 1])));
        assert!(!json_equal(&json!("1"), &json!(1)));
        assert!(!json_equal(&json!(true), &json!(1)));
    }

    #[test]
    fn int_float_comparison_is_exact() {
        assert_eq!(compare_int_float(5, 5.0), Some(Ordering::Equal));
        assert_eq!(compare_int_float(5, 5.5), Some(Ordering::Less));
        assert_eq!(compare_int_float(6, 5.5), Some(Ordering::Greater));
        assert_eq!(compare_int_float(-6, -5.5), Some(Ordering::Less));
        assert_eq!(compare_int_float(-5, -5.5), Some(Ordering::Greater));
        // 2^53 + 1 is not representable as an f64; a float comparison would call it equal.
        let big = (1_i128 << 53) + 1;
        assert_eq!(
            compare_int_float(big, 9_007_199_254_740_992.0),
            Some(Ordering::Greater)
        );
        assert_eq!(compare_int_float(i128::MAX, 1e300), Some(Ordering::Less));
        assert_eq!(
            compare_int_float(i128::MIN, -1e300),
            Some(Ordering::Greater)
        );
        assert_eq!(compare_int_float(0, f64::NAN), None);
    }
}
