//! The subset of JSON Schema the generator understands so far, and its reader.
//!
//! Anything outside that subset is reported with its location rather than mapped to a loose type,
//! so a spec never compiles into something weaker than it says.

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

/// Keywords whose meaning the generator does not implement yet; seeing one is an error.
const UNSUPPORTED: &[&str] = &[
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "discriminator",
];

/// Reads the schema at `node`, reporting what it cannot represent. `None` after a report.
pub(crate) fn read<'a>(cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
    read_depth(cx, node, 0)
}

fn read_depth<'a>(cx: &mut Context<'a>, node: &'a Node, depth: usize) -> Option<Schema> {
    if depth > 64 {
        cx.report(
            node.error("schema nesting is deeper than 64 levels; expected a shallower schema"),
        );
        return None;
    }
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
            return Some(Schema {
                kind: SchemaKind::Named(name),
                title: None,
                description: None,
                location: node.location.clone(),
            });
        }
        let target = cx.resolve(node).ok()?;
        return read_depth(cx, target, depth + 1);
    }
    match node.value {
        Value::Map(_) => {}
        Value::Bool(true) => return Some(any(node)),
        _ => {
            cx.report(node.error(format!(
                "a schema is {}; expected a mapping (a JSON Schema object)",
                node.kind_name()
            )));
            return None;
        }
    }
    for keyword in UNSUPPORTED {
        if let Some(found) = node.get(keyword) {
            cx.report(found.error(format!(
                "the schema keyword `{keyword}` is not supported yet; expected a plain object, \
                 string, number, integer, boolean or array schema"
            )));
            return None;
        }
    }
    let title = cx.opt_str(node, "title");
    let description = cx.opt_str(node, "description");
    let format = cx.opt_str(node, "format");
    let type_name = match node.get("type") {
        None => None,
        Some(t) => match t.as_str() {
            Some(s) => Some((s, t)),
            None => {
                cx.report(t.error(format!(
                    "`type` is {}; only a single type name is supported so far",
                    t.kind_name()
                )));
                return None;
            }
        },
    };
    let kind = match type_name {
        None if node.get("properties").is_some() => read_object(cx, node, depth)?,
        None => SchemaKind::Any,
        Some(("object", _)) => read_object(cx, node, depth)?,
        Some(("string", _)) => SchemaKind::String {
            variants: read_string_enum(cx, node)?,
            format,
        },
        Some(("integer", _)) => SchemaKind::Integer { format },
        Some(("number", _)) => SchemaKind::Number { format },
        Some(("boolean", _)) => SchemaKind::Boolean,
        Some(("array", t)) => match node.get("items") {
            Some(items) => SchemaKind::Array(Box::new(read_depth(cx, items, depth + 1)?)),
            None => {
                cx.report(t.error(
                    "an array schema has no `items`; expected `items` to type its elements",
                ));
                return None;
            }
        },
        Some((other, t)) => {
            cx.report(t.error(format!(
                "unknown type `{other}`; expected one of object, string, integer, number, boolean, array"
            )));
            return None;
        }
    };
    Some(Schema {
        kind,
        title,
        description,
        location: node.location.clone(),
    })
}

fn any(node: &Node) -> Schema {
    Schema {
        kind: SchemaKind::Any,
        title: None,
        description: None,
        location: node.location.clone(),
    }
}

fn read_object<'a>(cx: &mut Context<'a>, node: &'a Node, depth: usize) -> Option<SchemaKind> {
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
    if let Some(props) = cx.opt_map(node, "properties") {
        for (name, prop) in props.entries() {
            match read_depth(cx, prop, depth + 1) {
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
                cx.report(item.error(format!(
                    "an `enum` value of a string schema is {}; expected a string",
                    item.kind_name()
                )));
                return None;
            }
        }
    }
    if values.is_empty() {
        cx.report(list.error("`enum` is empty or not a list; expected at least one value"));
        return None;
    }
    Some(Some(values))
}
