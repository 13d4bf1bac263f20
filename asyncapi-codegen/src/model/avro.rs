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
//! or a record that contains itself, refers to its one definition. A name is resolved as Avro
//! does: a name without a dot in the enclosing namespace first, then as written (and, as before,
//! by its short name when that is unique). Its scope is the whole file, whatever the order (an
//! `.avsc` holding a JSON array of named types, `entities.avsc#/1` naming `#/0`), and the
//! document's other Avro schemas: every `.avsc` file the document references, and every Avro
//! schema read before.

use super::context::Context;
use super::schema::{Object, Property, Schema, SchemaKind, Union};
use crate::document::{Node, Value};

/// Reads the Avro schema at `node` (following `$ref`s to `.avsc` files).
pub(crate) fn read<'a>(cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
    let mut reader = Reader {
        named: Vec::new(),
        open: Vec::new(),
        namespace: Vec::new(),
        definitions: None,
    };
    reader.read(cx, node, 0)
}

const MAX_DEPTH: usize = 256;

/// A named type written somewhere in the document's Avro files.
struct Definition<'a> {
    full_name: String,
    node: &'a Node,
    /// The namespace it is written in (for the names inside it).
    enclosing: String,
}

struct Reader<'a> {
    /// Named types defined so far that are not named schemas (`fixed`), for references by name.
    named: Vec<(String, Schema)>,
    /// Named types being defined, for recursion.
    open: Vec<String>,
    /// Enclosing namespaces, innermost last.
    namespace: Vec<String>,
    /// Every named type of the document's `.avsc` files, collected when first needed.
    definitions: Option<Vec<Definition<'a>>>,
}

impl<'a> Reader<'a> {
    fn read(&mut self, cx: &mut Context<'a>, node: &'a Node, depth: usize) -> Option<Schema> {
        if depth > MAX_DEPTH {
            cx.report(node.error(format!(
                "Avro schema nesting is deeper than {MAX_DEPTH} levels"
            )));
            return None;
        }
        let node = cx.resolve(node).ok()?;
        let at = node.location.clone();
        match &node.value {
            Value::String(name) => self.named_or_primitive(cx, node, name, None, depth),
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
                        if let Some(name) = self.full_name(node) {
                            self.named.push((name, Schema::new(bytes(), at.clone())));
                        }
                        Schema::new(bytes(), at)
                    }
                    Some(name) => {
                        let logical = node.get("logicalType").and_then(Node::as_str);
                        self.named_or_primitive(cx, type_node, name, logical, depth)?
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
        cx: &mut Context<'a>,
        node: &Node,
        name: &str,
        logical: Option<&str>,
        depth: usize,
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
            other => return self.named_type(cx, node, other, depth),
        };
        Some(Schema::new(kind, at))
    }

    /// A reference by name to a named type: one being defined, one defined in this schema or
    /// before, else its definition anywhere in the document's Avro files (read here).
    fn named_type(
        &mut self,
        cx: &mut Context<'a>,
        node: &Node,
        name: &str,
        depth: usize,
    ) -> Option<Schema> {
        let at = node.location.clone();
        let mut candidates = Vec::new();
        if !name.contains('.')
            && let Some(ns) = self.namespace.last().filter(|ns| !ns.is_empty())
        {
            candidates.push(format!("{ns}.{name}"));
        }
        candidates.push(name.to_owned());
        self.collect_definitions(cx);
        for full in &candidates {
            if self.open.contains(full) || cx.is_defined(&key(full)) {
                return Some(Schema::new(SchemaKind::Named(key(full)), at));
            }
            if let Some((_, schema)) = self.named.iter().find(|(n, _)| n == full) {
                return Some(schema.clone());
            }
            let found = self
                .definitions
                .iter()
                .flatten()
                .find(|d| &d.full_name == full)
                .map(|d| (d.node, d.enclosing.clone()));
            if let Some((definition, enclosing)) = found {
                // Read where it is written: its names resolve in its own namespace.
                let outer = std::mem::replace(&mut self.namespace, vec![enclosing]);
                let schema = self.read(cx, definition, depth + 1);
                self.namespace = outer;
                return schema;
            }
        }
        // Leniency kept from before: a short name that only one known type has.
        let known = self.known(cx);
        let mut by_short = known.iter().filter(|full| short(full) == name);
        if let (Some(only), None) = (by_short.next(), by_short.next()) {
            let only = only.clone();
            return self.named_type(cx, node, &only, depth);
        }
        let list = if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        };
        cx.report(node.error(format!(
            "unknown Avro type `{name}`; expected a primitive type or a named type of this file \
             or of the document's other Avro schemas (known: {list})"
        )));
        None
    }

    /// The full names of every named type known: being defined, defined, or written in an
    /// Avro file of the document.
    fn known(&self, cx: &Context<'_>) -> Vec<String> {
        let mut known: Vec<String> = self
            .open
            .iter()
            .chain(self.named.iter().map(|(n, _)| n))
            .cloned()
            .chain(
                cx.defined_keys()
                    .filter_map(|k| k.strip_prefix("avro:"))
                    .map(str::to_owned),
            )
            .chain(
                self.definitions
                    .iter()
                    .flatten()
                    .map(|d| d.full_name.clone()),
            )
            .collect();
        known.sort();
        known.dedup();
        known
    }

    /// Collects the named types of every `.avsc` file the document references (once).
    fn collect_definitions(&mut self, cx: &Context<'a>) {
        if self.definitions.is_some() {
            return;
        }
        let mut out = Vec::new();
        for doc in cx.sources.documents() {
            if doc.path.extension().is_some_and(|e| e == "avsc") {
                collect(&doc.root, "", 0, &mut out);
            }
        }
        self.definitions = Some(out);
    }

    /// `namespace.name` of the named type at `node`, in the enclosing namespace.
    fn full_name(&self, node: &Node) -> Option<String> {
        full_name(node, self.namespace.last().map_or("", String::as_str))
    }

    fn record(&mut self, cx: &mut Context<'a>, node: &'a Node, depth: usize) -> Option<Schema> {
        let Some(name) = self.full_name(node) else {
            cx.report(node.error("an Avro record has no `name`"));
            return None;
        };
        if cx.is_defined(&key(&name)) {
            // Read before (referred to by name, or the file referenced twice): one definition.
            return Some(Schema::new(
                SchemaKind::Named(key(&name)),
                node.location.clone(),
            ));
        }
        if cx.named_key(node).is_none() {
            cx.register_named(node, key(&name), short(&name).to_owned());
        }
        self.open.push(name.clone());
        self.namespace.push(namespace_of(&name).to_owned());
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
        self.namespace.pop();
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
        match self.full_name(node) {
            Some(name) => {
                if cx.is_defined(&key(&name)) {
                    return Some(Schema::new(
                        SchemaKind::Named(key(&name)),
                        node.location.clone(),
                    ));
                }
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
}

/// Avro `bytes` and `fixed`: in Avro's JSON encoding a string of code points 0–255, one per
/// byte (not base64), so a plain string.
fn bytes() -> SchemaKind {
    SchemaKind::String {
        variants: None,
        format: None,
    }
}

/// `namespace.name` of a named type: a dotted `name` is full already; else its own `namespace`
/// (an empty one is the null namespace), else the enclosing one.
fn full_name(node: &Node, enclosing: &str) -> Option<String> {
    let name = node.get("name").and_then(Node::as_str)?;
    let ns = node
        .get("namespace")
        .and_then(Node::as_str)
        .unwrap_or(enclosing);
    Some(if name.contains('.') || ns.is_empty() {
        name.to_owned()
    } else {
        format!("{ns}.{name}")
    })
}

/// The namespace part of a full name.
fn namespace_of(full: &str) -> &str {
    full.rsplit_once('.').map_or("", |(ns, _)| ns)
}

/// Collects the named types written at `node` and inside it (records, enums, fixed), each with
/// its full name and enclosing namespace.
fn collect<'a>(node: &'a Node, enclosing: &str, depth: usize, out: &mut Vec<Definition<'a>>) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Seq(items) => {
            for item in items {
                collect(item, enclosing, depth + 1, out);
            }
        }
        Value::Map(_) => {
            let mut inner = enclosing.to_owned();
            match node.get("type").map(|t| (t, t.as_str())) {
                Some((_, Some(kind @ ("record" | "error" | "enum" | "fixed")))) => {
                    if let Some(full) = full_name(node, enclosing) {
                        inner = namespace_of(&full).to_owned();
                        out.push(Definition {
                            full_name: full,
                            node,
                            enclosing: enclosing.to_owned(),
                        });
                    }
                    if matches!(kind, "record" | "error") {
                        for field in node.get("fields").map(Node::items).unwrap_or_default() {
                            if let Some(t) = field.get("type") {
                                collect(t, &inner, depth + 1, out);
                            }
                        }
                    }
                }
                Some((_, Some(_))) => {
                    for key in ["items", "values"] {
                        if let Some(inside) = node.get(key) {
                            collect(inside, &inner, depth + 1, out);
                        }
                    }
                }
                Some((t, None)) => collect(t, &inner, depth + 1, out),
                None => {}
            }
        }
        _ => {}
    }
}

/// The named-schema key of an Avro named type.
fn key(full_name: &str) -> String {
    format!("avro:{full_name}")
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}
