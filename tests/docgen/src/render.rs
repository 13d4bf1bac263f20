//! [`Tree`] as JSON and YAML text.

use std::borrow::Cow;
use std::fmt::Write;

use saphyr::{Mapping, Scalar, Yaml, YamlEmitter};

use crate::Tree;

impl Tree {
    /// JSON text; repeated keys are written as they are, non-finite numbers as YAML's `.nan`
    /// and `.inf` (the loader reads JSON as YAML, so they are still read).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Tree::Null => out.push_str("null"),
            Tree::Bool(b) => write!(out, "{b}").unwrap_or(()),
            Tree::Int(i) => write!(out, "{i}").unwrap_or(()),
            Tree::Float(f) if f.is_nan() => out.push_str(".nan"),
            Tree::Float(f) if f.is_infinite() => {
                out.push_str(if *f > 0.0 { ".inf" } else { "-.inf" })
            }
            Tree::Float(f) => write!(out, "{f:?}").unwrap_or(()),
            Tree::Str(s) => quote(s, out),
            Tree::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Tree::Map(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// YAML text (block style), written by saphyr's emitter; of a repeated key the last entry
    /// is kept.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        let mut emitter = YamlEmitter::new(&mut out);
        emitter.multiline(true);
        match emitter.dump(&self.to_saphyr()) {
            Ok(()) => out,
            // Not expected; JSON is YAML too.
            Err(_) => self.to_json(),
        }
    }

    fn to_saphyr(&self) -> Yaml<'_> {
        match self {
            Tree::Null => Yaml::Value(Scalar::Null),
            Tree::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
            Tree::Int(i) => Yaml::Value(Scalar::Integer(*i)),
            Tree::Float(f) => Yaml::Value(Scalar::FloatingPoint((*f).into())),
            Tree::Str(s) => Yaml::Value(Scalar::String(Cow::Borrowed(s))),
            Tree::Seq(items) => Yaml::Sequence(items.iter().map(Tree::to_saphyr).collect()),
            Tree::Map(entries) => {
                let mut map = Mapping::new();
                for (key, value) in entries {
                    map.insert(
                        Yaml::Value(Scalar::String(Cow::Borrowed(key))),
                        value.to_saphyr(),
                    );
                }
                Yaml::Mapping(map)
            }
        }
    }
}

/// A JSON string literal.
fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap_or(()),
            c => out.push(c),
        }
    }
    out.push('"');
}
