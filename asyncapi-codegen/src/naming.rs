//! Every Rust name the generator makes comes from here: spec names in, valid and unique
//! identifiers out. Wire names are kept separately (`#[serde(rename)]`), so nothing here has to
//! round-trip.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Names that can never be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keeps ASCII letters, digits and `_`; the rest is dropped (heck already split words on it).
fn ascii_only(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Whether `name` is not a valid identifier: a keyword (reserved ones included), `_`, or not an
/// identifier at all.
fn is_keyword(name: &str) -> bool {
    let one_ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if one_ident {
        // What `syn` refuses as an `Ident` (its `accept_as_ident`), without lexing.
        KEYWORDS.contains(&name)
    } else {
        syn::parse_str::<Ident>(name).is_err()
    }
}

/// The words `syn` does not accept as identifiers.
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// An `UpperCamelCase` type or variant name for `raw`; `fallback` when nothing usable is left.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = ascii_only(&raw.to_upper_camel_case());
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if is_keyword(&name) {
        // `Self` is the only camel-case keyword.
        name.push('_');
    }
    name
}

/// A `snake_case` field or method identifier for `raw`; keywords become raw identifiers.
pub fn field_ident(raw: &str, fallback: &str) -> Ident {
    let mut name = ascii_only(&raw.to_snake_case());
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    ident_from_snake(name)
}

fn ident_from_snake(mut name: String) -> Ident {
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
        Ident::new(&name, Span::call_site())
    } else if is_keyword(&name) {
        Ident::new_raw(&name, Span::call_site())
    } else {
        Ident::new(&name, Span::call_site())
    }
}

/// Hands out names that are unique within one scope, suffixing `2`, `3`, ... on collision.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `wanted`, or `wanted2`, `wanted3`, ... whichever is free first; the result is then taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// A unique field identifier for `raw` within this scope.
    pub fn claim_field(&mut self, raw: &str, fallback: &str) -> Ident {
        let base = field_ident(raw, fallback).to_string();
        let base = base.strip_prefix("r#").unwrap_or(&base).to_owned();
        let unique = if self.taken.contains(&base) {
            self.claim(&format!("{base}_"))
        } else {
            self.claim(&base)
        };
        ident_from_snake(unique)
    }
}

/// An identifier for an already valid name (from [`type_name`] or a [`Scope`]).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_as_syn_sees_them() {
        let others = [
            "union",
            "raw",
            "auto",
            "default",
            "macro_rules",
            "r",
            "b",
            "br",
            "c",
            "cr",
            "a1",
            "_a",
            "__",
            "Self_",
            "self_",
            "x_y",
            "",
            "1a",
            "a-b",
            "a b",
            "r#a",
        ];
        for name in KEYWORDS.iter().chain(&others) {
            assert_eq!(
                is_keyword(name),
                syn::parse_str::<Ident>(name).is_err(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn type_names() {
        assert_eq!(
            type_name("lightMeasuredPayload", "T"),
            "LightMeasuredPayload"
        );
        assert_eq!(type_name("my-app-header", "T"), "MyAppHeader");
        assert_eq!(type_name("1st place", "T"), "V1stPlace");
        assert_eq!(type_name("self", "T"), "Self_");
        assert_eq!(type_name("€€", "Fallback"), "Fallback");
        assert_eq!(type_name("Option", "T"), "Option");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_ident("sentAt", "f").to_string(), "sent_at");
        assert_eq!(field_ident("type", "f").to_string(), "r#type");
        assert_eq!(field_ident("self", "f").to_string(), "self_");
        assert_eq!(
            field_ident("my-app-header", "f").to_string(),
            "my_app_header"
        );
        assert_eq!(field_ident("2fa", "f").to_string(), "_2fa");
        assert_eq!(field_ident("$", "field").to_string(), "field");
    }

    #[test]
    fn scopes_make_names_unique() {
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(scope.claim("Client"), "Client2");
        assert_eq!(scope.claim("A"), "A");
        assert_eq!(scope.claim("A"), "A2");
        let mut fields = Scope::default();
        assert_eq!(fields.claim_field("type", "f").to_string(), "r#type");
        assert_eq!(fields.claim_field("Type", "f").to_string(), "type_");
        assert_eq!(fields.claim_field("a-b", "f").to_string(), "a_b");
        assert_eq!(fields.claim_field("a_b", "f").to_string(), "a_b_");
    }
}
