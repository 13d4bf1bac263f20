//! Avro 1.9 schemas → the model's schema representation.
//!
//! | Avro | model |
//! |---|---|
//! | `null` | `Null` |
//! | `boolean` | `Boolean` |
//! | `int`, `long` | `Integer` (format `int32` / `int64`) |
//! | `float`, `double` | `Number` (format `float` / `double`) |
//! | `bytes`, `fixed` | `String` (Avro's JSON encoding: one code point per byte) |
//! | `string` | `String` (logical type `uuid` → format `uuid`) |
//! | `record` | `Object`, every field required unless it has a `default` |
//! | `enum` | `String` with variants |
//! | `array`, `map` | `Array`, `Map` |
//! | union `[null, T]` | `T`, nullable |
//! | other unions | `OneOf` (an untagged enum) |
//! | logical `date`, `time-*`, `timestamp-*` | `String`/`Integer` with the logical type as format |
//!
//! Records and enums are named schemas (key `avro:<full name>`), so a type used again by name,
//! or a record that contains itself, refers to its one definition.

use super::context::Context;
use super::schema::{Object, Property, Schema, SchemaKind, Union};
use crate::document::{Node, Value};

/// Reads the Avro schema at `node` (following `$ref`s to `.avsc` files).
pub(crate) fn read<'a>(cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
    let mut reader = Reader {
        named: Vec::new(),
        open: Vec::new(),
    };
    reader.read(cx, node, 0)
}

const MAX_DEPTH: usize = 256;

struct Reader {
    /// Named types defined so far (full name → schema), for references by name.
    named: Vec<(String, Schema)>,
    /// Named types being defined, for recursion.
    open: Vec<String>,
}

impl Reader {
    fn read<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node, depth: usize) -> Option<Schema> {
        if depth > MAX_DEPTH {
            cx.report(node.error(format!(
                "Avro schema nesting is deeper than {MAX_DEPTH} levels"
            )));
            return None;
        }
        let node = cx.resolve(node).ok()?;
        let at = node.location.clone();
        match &node.value {
            Value::String(name) => self.named_or_primitive(cx, node, name, None),
            Value::Seq(branches) => {
                let mut nullable = false;
                let mut parts = Vec::new();
                for branch in branches {
                    if branch.as_str() == Some("null") {
                        nullable = true;
                    } else {
                        parts.push(self.read(cx, branch, depth + 1)?);
                    }
                }
                let mut schema = match parts.len() {
                    0 => Schema::new(SchemaKind::Null, at),
                    1 => parts.pop()?,
                    _ => Schema::new(
                        SchemaKind::OneOf(Union {
                            variants: parts,
                            discriminator: None,
                        }),
                        at,
                    ),
                };
                schema.nullable |= nullable;
                Some(schema)
            }
            Value::Map(_) => {
                let Some(type_node) = node.get("type") else {
                    cx.report(
                        node.error("an Avro schema object has no `type`; expected e.g. `record`"),
                    );
                    return None;
                };
                let description = node.get("doc").and_then(Node::as_str).map(str::to_owned);
                let mut schema = match type_node.as_str() {
                    Some("record" | "error") => self.record(cx, node, depth)?,
                    Some("enum") => self.enumeration(cx, node)?,
                    Some("array") => {
                        let Some(items) = node.get("items") else {
                            cx.report(node.error("an Avro array has no `items`"));
                            return None;
                        };
                        let item = self.read(cx, items, depth + 1)?;
                        Schema::new(SchemaKind::Array(Box::new(item)), at)
                    }
                    Some("map") => {
                        let Some(values) = node.get("values") else {
                            cx.report(node.error("an Avro map has no `values`"));
                            return None;
                        };
                        let value = self.read(cx, values, depth + 1)?;
                        Schema::new(SchemaKind::Map(Box::new(value)), at)
                    }
                    Some("fixed") => {
                        self.define(cx, node, Schema::new(bytes(), at.clone()));
                        Schema::new(bytes(), at)
                    }
                    Some(name) => {
                        let logical = node.get("logicalType").and_then(Node::as_str);
                        self.named_or_primitive(cx, type_node, name, logical)?
                    }
                    None => self.read(cx, type_node, depth + 1)?,
                };
                if description.is_some() {
                    schema.description = description;
                }
                Some(schema)
            }
            _ => {
                cx.report(node.error(format!(
                    "an Avro schema is {}; expected a type name, a union list or a schema object",
                    node.kind_name()
                )));
                None
            }
        }
    }

    fn named_or_primitive(
        &mut self,
        cx: &mut Context<'_>,
        node: &Node,
        name: &str,
        logical: Option<&str>,
    ) -> Option<Schema> {
        let at = node.location.clone();
        let format = |f: &str| Some(logical.unwrap_or(f).to_owned());
        let kind = match name {
            "null" => SchemaKind::Null,
            "boolean" => SchemaKind::Boolean,
            "int" => SchemaKind::Integer {
                format: format("int32"),
            },
            "long" => SchemaKind::Integer {
                format: format("int64"),
            },
            "float" => SchemaKind::Number {
                format: format("float"),
            },
            "double" => SchemaKind::Number {
                format: format("double"),
            },
            "bytes" => bytes(),
            "string" => SchemaKind::String {
                variants: None,
                format: logical.map(str::to_owned),
            },
            other => {
                if let Some(open) = self
                    .open
                    .iter()
                    .find(|open| *open == other || short(open) == other)
                {
                    return Some(Schema::new(SchemaKind::Named(key(open)), at));
                }
                if let Some((_, schema)) = self
                    .named
                    .iter()
                    .find(|(full, _)| full == other || short(full) == other)
                {
                    return Some(schema.clone());
                }
                cx.report(node.error(format!(
                    "unknown Avro type `{other}`; expected a primitive type or a named type defined earlier"
                )));
                return None;
            }
        };
        Some(Schema::new(kind, at))
    }

    fn record<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node, depth: usize) -> Option<Schema> {
        let name = full_name(node)?;
        if cx.named_key(node).is_none() {
            cx.register_named(node, key(&name), short(&name).to_owned());
        }
        self.open.push(name.clone());
        let mut properties = Vec::new();
        for field in node.get("fields").map(Node::items).unwrap_or_default() {
            let (Some(field_name), Some(field_type)) =
                (field.get("name").and_then(Node::as_str), field.get("type"))
            else {
                cx.report(field.error("an Avro record field needs a `name` and a `type`"));
                continue;
            };
            let Some(mut schema) = self.read(cx, field_type, depth + 1) else {
                continue;
            };
            if let Some(doc) = field.get("doc").and_then(Node::as_str) {
                schema.description = Some(doc.to_owned());
            }
            // A writer always writes every field; a reader fills in the `default` of a missing
            // one, so only fields with a default may be absent.
            properties.push(Property {
                name: field_name.to_owned(),
                required: field.get("default").is_none(),
                schema,
            });
        }
        self.open.pop();
        let mut schema = Schema::new(
            SchemaKind::Object(Object {
                properties,
                ..Object::default()
            }),
            node.location.clone(),
        );
        schema.description = node.get("doc").and_then(Node::as_str).map(str::to_owned);
        Some(self.name(cx, &name, schema))
    }

    fn enumeration(&mut self, cx: &mut Context<'_>, node: &Node) -> Option<Schema> {
        let symbols: Vec<String> = node
            .get("symbols")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect();
        if symbols.is_empty() {
            cx.report(node.error("an Avro enum has no `symbols`"));
            return None;
        }
        let mut schema = Schema::string(Some(symbols), node.location.clone());
        schema.description = node.get("doc").and_then(Node::as_str).map(str::to_owned);
        match full_name(node) {
            Some(name) => {
                if cx.named_key(node).is_none() {
                    cx.register_named(node, key(&name), short(&name).to_owned());
                }
                Some(self.name(cx, &name, schema))
            }
            None => Some(schema),
        }
    }

    /// Defines the named type `full` as `schema` and returns a reference to it.
    fn name(&mut self, cx: &mut Context<'_>, full: &str, mut schema: Schema) -> Schema {
        let location = schema.location.clone();
        schema.title = Some(short(full).to_owned());
        cx.define_named(&key(full), schema);
        let named = Schema::new(SchemaKind::Named(key(full)), location);
        self.named.push((full.to_owned(), named.clone()));
        named
    }

    fn define(&mut self, _cx: &mut Context<'_>, node: &Node, schema: Schema) {
        if let Some(name) = full_name(node) {
            self.named.push((name, schema));
        }
    }
}

/// Avro `bytes` and `fixed`: in Avro's JSON encoding a string of code points 0–255, one per
/// byte (not base64), so a plain string.
fn bytes() -> SchemaKind {
    SchemaKind::String {
        variants: None,
        format: None,
    }
}

/// `namespace.name` of a named type (or just `name`).
fn full_name(node: &Node) -> Option<String> {
    let name = node.get("name").and_then(Node::as_str)?;
    Some(match node.get("namespace").and_then(Node::as_str) {
        Some(ns) if !name.contains('.') && !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.to_owned(),
    })
}

/// The named-schema key of an Avro named type.
fn key(full_name: &str) -> String {
    format!("avro:{full_name}")
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}
