//! Payload, header and parameter schemas, whatever format the spec writes them in: JSON Schema
//! (AsyncAPI's own dialect, the default), OpenAPI 3.0 schema objects (`nullable`) and Avro 1.9
//! (converted in [`super::avro`]). Formats we cannot read (RAML, unknown ones) are kept as
//! [`SchemaKind::Foreign`].
//!
//! The model represents every valid schema. What the code generator cannot turn into a Rust type
//! yet (composition, recursion outside `components.schemas`, foreign formats, ...) is recorded
//! with [`Context::unsupported`]: `asyncapi check` accepts such a spec, generation refuses it
//! with a located error instead of emitting something weaker than the spec says.

use super::context::Context;
use crate::diagnostic::Location;
use crate::document::{Node, Value};

/// A schema, with the documentation that travels to the generated type.
#[derive(Clone, Debug)]
pub struct Schema {
    /// What values the schema admits.
    pub kind: SchemaKind,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Where the schema is written.
    pub location: Location,
    /// Whether `null` is also admitted (OpenAPI `nullable`, a `null` in a type list, an Avro
    /// union with `null`).
    pub nullable: bool,
}

impl Schema {
    /// A string schema (with `variants` when it is an enumeration) and no documentation.
    pub fn string(variants: Option<Vec<String>>, location: Location) -> Schema {
        Schema {
            kind: SchemaKind::String {
                variants,
                format: None,
            },
            title: None,
            description: None,
            location,
            nullable: false,
        }
    }

    /// A schema of `kind` written at `location`, with no documentation.
    pub fn new(kind: SchemaKind, location: Location) -> Schema {
        Schema {
            kind,
            title: None,
            description: None,
            location,
            nullable: false,
        }
    }
}

/// The shape of a schema.
#[derive(Clone, Debug)]
pub enum SchemaKind {
    /// A reference to a named schema in `components.schemas`.
    Named(String),
    /// An object with known properties.
    Object {
        /// Properties in document order.
        properties: Vec<Property>,
    },
    /// A string, possibly restricted to an enumeration.
    String {
        /// `enum` values, when given.
        variants: Option<Vec<String>>,
        /// `format`.
        format: Option<String>,
    },
    /// An integer (`format` int32 selects `i32`).
    Integer {
        /// `format`.
        format: Option<String>,
    },
    /// A number (`format` float selects `f32`).
    Number {
        /// `format`.
        format: Option<String>,
    },
    /// `true` / `false`.
    Boolean,
    /// An array of one item type.
    Array(Box<Schema>),
    /// No constraint at all (`{}` or no `type`): any JSON value.
    Any,
    /// `null` only.
    Null,
    /// A map with string keys and values of one schema (`additionalProperties` with no
    /// `properties`, an Avro `map`).
    Map(Box<Schema>),
    /// Exactly one of several schemas (`oneOf`; Avro unions of several non-null types).
    OneOf(Vec<Schema>),
    /// At least one of several schemas (`anyOf`).
    AnyOf(Vec<Schema>),
    /// All of several schemas (`allOf`).
    AllOf(Vec<Schema>),
    /// Anything but the schema (`not`).
    Not(Box<Schema>),
    /// A schema that contains itself, at the JSON pointer where the cycle closes.
    Recursive(String),
    /// A schema in a format we do not read (RAML, an unknown `schemaFormat`).
    Foreign {
        /// The `schemaFormat`.
        format: String,
    },
}

/// A property of an object schema.
#[derive(Clone, Debug)]
pub struct Property {
    /// The wire name.
    pub name: String,
    /// Whether the property is listed in `required`.
    pub required: bool,
    /// Its schema.
    pub schema: Schema,
}

const COMPONENT_SCHEMAS: &str = "/components/schemas/";

/// Keywords the model keeps no structure for; a schema using one is valid, but the generator
/// would lose its meaning, so it is recorded as unsupported.
const NOT_GENERATED: &[&str] = &[
    "if",
    "then",
    "else",
    "patternProperties",
    "discriminator",
    "dependencies",
];

/// Which dialect a schema is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// AsyncAPI's JSON Schema (draft-07 superset).
    JsonSchema,
    /// OpenAPI 3.0 schema objects: JSON Schema plus `nullable`.
    OpenApi,
}

/// Reads the JSON Schema at `node`, reporting what is invalid. `None` after a report.
pub(crate) fn read<'a>(cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
    Reader {
        dialect: Dialect::JsonSchema,
        stack: Vec::new(),
        containers: 0,
    }
    .read(cx, node)
}

/// Reads a schema in `dialect`.
pub(crate) fn read_dialect<'a>(
    cx: &mut Context<'a>,
    node: &'a Node,
    dialect: Dialect,
) -> Option<Schema> {
    Reader {
        dialect,
        stack: Vec::new(),
        containers: 0,
    }
    .read(cx, node)
}

/// Deepest schema nesting read; deeper documents are refused rather than risk the stack.
const MAX_DEPTH: usize = 256;

struct Reader {
    dialect: Dialect,
    /// Schemas being read, to recognise a schema that contains itself, each with the number of
    /// containers (properties, items, map values) entered above it.
    stack: Vec<(*const Node, usize)>,
    /// Containers entered so far on the current path.
    containers: usize,
}

impl Reader {
    fn read<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
        let key: *const Node = node;
        if let Some(&(_, containers)) = self.stack.iter().find(|(n, _)| *n == key) {
            if containers == self.containers {
                // Back at itself without entering a property, item or map value: the schema is
                // defined only in terms of itself (`anyOf: [itself, ...]`) and describes nothing.
                cx.report(node.error(
                    "this schema refers back to itself without going through a property, item or \
                 map value; such a cycle never reaches content",
                ));
                return None;
            }
            cx.unsupported(node.error(
                "this schema contains itself; recursive schemas are generated only when they are \
             named in `components.schemas` (not yet elsewhere)",
            ));
            return Some(Schema::new(
                SchemaKind::Recursive(node.pointer.clone()),
                node.location.clone(),
            ));
        }
        if self.stack.len() > MAX_DEPTH {
            cx.report(node.error(format!(
                "schema nesting is deeper than {MAX_DEPTH} levels; expected a shallower schema"
            )));
            return None;
        }
        self.stack.push((key, self.containers));
        let schema = self.read_inner(cx, node);
        self.stack.pop();
        schema
    }

    /// Reads a schema nested in a container (a property, the items, the map values).
    fn read_nested<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
        self.containers += 1;
        let schema = self.read(cx, node);
        self.containers -= 1;
        schema
    }

    fn read_inner<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
        if let Some(reference) = node.get("$ref").and_then(Node::as_str) {
            // Only the entry document's `components.schemas` become named types so far; schemas in
            // other files are generated where they are used.
            let in_entry = cx.sources.in_entry(node);
            if let Some(name) = reference
                .strip_prefix('#')
                .filter(|_| in_entry)
                .and_then(|p| {
                    let decoded = crate::loader::percent_decode(p);
                    decoded
                        .strip_prefix(COMPONENT_SCHEMAS)
                        .filter(|n| !n.contains('/'))
                        .map(|n| n.replace("~1", "/").replace("~0", "~"))
                })
            {
                // Check the target exists, so a dangling reference is reported here.
                cx.resolve(node).ok()?;
                return Some(Schema::new(SchemaKind::Named(name), node.location.clone()));
            }
            let target = cx.resolve(node).ok()?;
            return self.read(cx, target);
        }
        match node.value {
            Value::Map(_) => {}
            Value::Bool(true) => return Some(any(node)),
            Value::Bool(false) => {
                cx.unsupported(node.error(
                    "the schema `false` admits no value; a message typed by it can never be sent",
                ));
                return Some(Schema::new(
                    SchemaKind::Not(Box::new(any(node))),
                    node.location.clone(),
                ));
            }
            _ => {
                cx.report(node.error(format!(
                    "a schema is {}; expected a mapping (a JSON Schema object)",
                    node.kind_name()
                )));
                return None;
            }
        }
        for keyword in NOT_GENERATED {
            if let Some(found) = node.get(keyword) {
                cx.unsupported(found.error(format!(
                "the schema keyword `{keyword}` is valid, but the generator does not implement it yet"
            )));
            }
        }
        discriminator_required(cx, node);
        let title = cx.opt_str(node, "title");
        let description = cx.opt_str(node, "description");
        let format = cx.opt_str(node, "format");
        let mut nullable = self.dialect == Dialect::OpenApi
            && matches!(
                node.get("nullable").map(|n| &n.value),
                Some(Value::Bool(true))
            );
        let composed = [("oneOf", 0), ("anyOf", 1), ("allOf", 2)]
            .into_iter()
            .find_map(|(keyword, which)| node.get(keyword).map(|list| (keyword, which, list)));
        let type_name = match node.get("type") {
            None => None,
            Some(t) => match &t.value {
                Value::String(s) => Some((s.as_str(), t)),
                Value::Seq(items) => {
                    // `[T, "null"]` is a nullable T; other lists are a union of types.
                    let names: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
                    let non_null: Vec<&str> =
                        names.iter().copied().filter(|n| *n != "null").collect();
                    nullable |= names.len() != non_null.len();
                    match non_null.as_slice() {
                        [one] => Some((*one, t)),
                        [] => Some(("null", t)),
                        _ => {
                            cx.unsupported(t.error(
                            "a list of several types is valid, but the generator does not implement it yet",
                        ));
                            None
                        }
                    }
                }
                _ => {
                    cx.report(t.error(format!(
                        "`type` is {}; expected a type name or a list of them",
                        t.kind_name()
                    )));
                    return None;
                }
            },
        };
        let kind = if let Some((keyword, which, list)) = composed {
            let mut parts = Vec::new();
            for item in list.items() {
                parts.push(self.read(cx, item)?);
            }
            cx.unsupported(list.error(format!(
                "`{keyword}` is valid, but the generator does not implement composition yet"
            )));
            match which {
                0 => SchemaKind::OneOf(parts),
                1 => SchemaKind::AnyOf(parts),
                _ => SchemaKind::AllOf(parts),
            }
        } else if let Some(not) = node.get("not") {
            let inner = self.read(cx, not)?;
            cx.unsupported(
                not.error("`not` is valid, but the generator does not implement it yet"),
            );
            SchemaKind::Not(Box::new(inner))
        } else {
            match type_name {
                None if node.get("properties").is_some() => self.read_object(cx, node)?,
                None => SchemaKind::Any,
                Some(("object", _)) => self.read_object(cx, node)?,
                Some(("string", _)) => SchemaKind::String {
                    variants: read_string_enum(cx, node)?,
                    format,
                },
                Some(("integer", _)) => SchemaKind::Integer { format },
                Some(("number", _)) => SchemaKind::Number { format },
                Some(("boolean", _)) => SchemaKind::Boolean,
                Some(("null", _)) => SchemaKind::Null,
                Some(("array", _)) => match node.get("items") {
                    Some(items) if items.is_map() || matches!(items.value, Value::Bool(_)) => {
                        SchemaKind::Array(Box::new(self.read_nested(cx, items)?))
                    }
                    Some(tuple) => {
                        cx.unsupported(tuple.error(
                        "tuple `items` (a list of schemas) are valid, but the generator does not implement them yet",
                    ));
                        SchemaKind::Array(Box::new(any(node)))
                    }
                    None => SchemaKind::Array(Box::new(any(node))),
                },
                Some((other, t)) => {
                    cx.report(t.error(format!(
                    "unknown type `{other}`; expected one of object, string, integer, number, boolean, array, null"
                )));
                    return None;
                }
            }
        };
        Some(Schema {
            kind,
            title,
            description,
            location: node.location.clone(),
            nullable,
        })
    }

    fn read_object<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<SchemaKind> {
        let required: Vec<&str> = match node.get("required") {
            None => Vec::new(),
            Some(list) => {
                let names: Option<Vec<&str>> = match &list.value {
                    Value::Seq(items) => items.iter().map(Node::as_str).collect(),
                    _ => None,
                };
                match names {
                    Some(names) => names,
                    None => {
                        cx.report(list.error("`required` must be a list of property names"));
                        return None;
                    }
                }
            }
        };
        let mut properties = Vec::new();
        let mut ok = true;
        let additional = node.get("additionalProperties").filter(|a| a.is_map());
        if let (None, Some(values)) = (node.get("properties"), additional) {
            return Some(SchemaKind::Map(Box::new(self.read_nested(cx, values)?)));
        }
        if let Some(values) = additional {
            cx.unsupported(values.error(
            "typed `additionalProperties` beside `properties` are valid, but the generator does not implement them yet",
        ));
        }
        if let Some(props) = cx.opt_map(node, "properties") {
            for (name, prop) in props.entries() {
                match self.read_nested(cx, prop) {
                    Some(schema) => properties.push(Property {
                        name: name.clone(),
                        required: required.contains(&name.as_str()),
                        schema,
                    }),
                    None => ok = false,
                }
            }
        }
        ok.then_some(SchemaKind::Object { properties })
    }
}

/// The schema that admits anything, written at `node`.
pub(crate) fn any(node: &Node) -> Schema {
    Schema::new(SchemaKind::Any, node.location.clone())
}

fn read_string_enum(cx: &mut Context<'_>, node: &Node) -> Option<Option<Vec<String>>> {
    let Some(list) = node.get("enum") else {
        return Some(None);
    };
    let mut values = Vec::new();
    for item in list.items() {
        match &item.value {
            Value::String(s) => values.push(s.clone()),
            // YAML reads an unquoted `on` as a string already (YAML 1.2), but numbers and
            // booleans in a string enum are a spec mistake worth pointing at.
            _ => {
                cx.unsupported(item.error(format!(
                    "an `enum` value of a string schema is {}; the generator only makes enums of strings",
                    item.kind_name()
                )));
                return Some(None);
            }
        }
    }
    if values.is_empty() {
        cx.report(list.error("`enum` is empty or not a list; expected at least one value"));
        return None;
    }
    Some(Some(values))
}

/// A `discriminator` names a property the schema requires (2.x: the property name; OpenAPI:
/// `{propertyName}`).
fn discriminator_required(cx: &mut Context<'_>, node: &Node) {
    let Some(discriminator) = node.get("discriminator") else {
        return;
    };
    let Some(name) = discriminator
        .as_str()
        .or_else(|| discriminator.get("propertyName").and_then(Node::as_str))
    else {
        return;
    };
    let required = node
        .get("required")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .any(|r| r.as_str() == Some(name));
    if !required {
        cx.report(discriminator.error(format!(
            "the discriminator property `{name}` is not in this schema's `required` list; a \
             discriminator must always be present"
        )));
    }
}
