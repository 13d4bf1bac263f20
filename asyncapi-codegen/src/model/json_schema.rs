//! JSON Schema (AsyncAPI's draft-07 dialect, and OpenAPI 3.0 schema objects) → [`Schema`].
//!
//! Every `$ref` becomes a named schema, read once and registered in the [`Context`] under a key
//! (the name for the entry document's `components.schemas`, `file#pointer` elsewhere), so a
//! schema used twice is one Rust type, two files may each have a `User`, and a reference cycle
//! is simply a type that contains itself. A schema that no `$ref` led to but that a `$ref` inside
//! it points back at (a message payload referring to `#/channels/…/payload`) becomes a named
//! schema too, under its `file#pointer` key, when the cycle closes.
//!
//! Keywords that only validate (`not`, `if`/`then`/`else`, `dependencies`, `contains`,
//! `propertyNames`, a `oneOf` of `required` lists) do not change the type. Examples are checked
//! against them at expansion time; the generated `validate()` does not enforce them.

use super::context::Context;
use super::schema::{
    Additional, Bound, Constraints, Discriminator, Object, Property, Schema, SchemaKind, Union,
    any_at,
};
use crate::diagnostic::unescape_pointer_token;
use crate::document::{Node, Value};
use crate::structure::to_json;

const COMPONENT_SCHEMAS: &str = "/components/schemas/";

/// Which dialect a schema is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// AsyncAPI's JSON Schema (draft-07 superset).
    JsonSchema,
    /// OpenAPI 3.0 schema objects: JSON Schema plus `nullable`, boolean `exclusiveMinimum`.
    OpenApi,
}

/// Reads the JSON Schema at `node`, reporting what is invalid. `None` after a report.
pub(crate) fn read<'a>(cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
    read_dialect(cx, node, Dialect::JsonSchema)
}

/// Reads a schema in `dialect`.
pub(crate) fn read_dialect<'a>(
    cx: &mut Context<'a>,
    node: &'a Node,
    dialect: Dialect,
) -> Option<Schema> {
    Reader::new(dialect).read(cx, node)
}

/// Reads `components.schemas.<name>` of the entry document into the named schemas (once).
pub(crate) fn read_component<'a>(cx: &mut Context<'a>, name: &str, node: &'a Node) {
    if cx.named_key(node).is_some() {
        return;
    }
    cx.register_named(node, name.to_owned(), name.to_owned());
    if let Some(schema) = Reader::new(Dialect::JsonSchema).read(cx, node) {
        cx.define_named(name, schema);
    }
}

/// The schema that admits anything, written at `node`.
pub(crate) fn any(node: &Node) -> Schema {
    any_at(&node.location)
}

/// Deepest schema nesting read (through `$ref`s too: a chain of schemas each nesting the next
/// is read as one); deeper documents are refused rather than risk the stack. 95 levels overflowed
/// the 2 MiB of a debug test thread; real schemas nest a dozen.
const MAX_DEPTH: usize = 64;

struct Reader {
    dialect: Dialect,
    /// Schemas being read, to recognise a schema that contains itself, each with the number of
    /// containers (properties, items, map values) entered above it.
    stack: Vec<(*const Node, usize)>,
    /// Containers entered so far on the current path.
    containers: usize,
}

impl Reader {
    fn new(dialect: Dialect) -> Self {
        Reader {
            dialect,
            stack: Vec::new(),
            containers: 0,
        }
    }

    /// Whether `node` is being read, and if so whether a container lies between it and here.
    fn cycle(&self, node: &Node) -> Option<bool> {
        let key: *const Node = node;
        self.stack
            .iter()
            .find(|(n, _)| *n == key)
            .map(|&(_, containers)| containers != self.containers)
    }

    fn read<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
        match self.cycle(node) {
            Some(false) => {
                // Back at itself without entering a property, item or map value: the schema is
                // defined only in terms of itself (`anyOf: [itself, ...]`) and describes nothing.
                cx.report(node.error(
                    "this schema refers back to itself without going through a property, item or \
                     map value; such a cycle never reaches content",
                ));
                return None;
            }
            Some(true) => {
                let key = close_cycle(cx, node);
                return Some(Schema::new(SchemaKind::Named(key), node.location.clone()));
            }
            None => {}
        }
        let named_before = cx.named_key(node).map(str::to_owned);
        if let Some(key) = &named_before
            && cx
                .resolved(&Schema::new(
                    SchemaKind::Named(key.clone()),
                    node.location.clone(),
                ))
                .is_some()
        {
            // Read already (a cycle made it a named schema); this is one more use of it.
            return Some(Schema::new(
                SchemaKind::Named(key.clone()),
                node.location.clone(),
            ));
        }
        if self.stack.len() > MAX_DEPTH {
            cx.report(node.error(format!(
                "schema nesting is deeper than {MAX_DEPTH} levels; expected a shallower schema"
            )));
            return None;
        }
        self.stack.push((node, self.containers));
        let schema = self.read_inner(cx, node);
        self.stack.pop();
        if named_before.is_none()
            && let Some(key) = cx.named_key(node).map(str::to_owned)
        {
            // The schema contains itself (a `$ref` inside it points back at it although nothing
            // named it): it became a named schema while being read, so the cycle is an ordinary
            // recursive type.
            cx.define_named(&key, schema?);
            return Some(Schema::new(SchemaKind::Named(key), node.location.clone()));
        }
        schema
    }

    /// Reads a schema nested in a container (a property, the items, the map values).
    fn read_nested<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
        self.containers += 1;
        let schema = self.read(cx, node);
        self.containers -= 1;
        schema
    }

    /// A `$ref`: the target becomes (or already is) a named schema.
    fn read_ref<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
        let target = cx.resolve(node).ok()?;
        let at = node.location.clone();
        match self.cycle(target) {
            Some(false) => {
                cx.report(target.error(
                    "this schema refers back to itself without going through a property, item or \
                     map value; such a cycle never reaches content",
                ));
                return None;
            }
            // A reference to a schema being read (one that was not reached by a `$ref`, such as a
            // message payload pointing into itself): it becomes a named schema when done.
            Some(true) => return Some(Schema::new(SchemaKind::Named(close_cycle(cx, target)), at)),
            None => {}
        }
        if let Some(key) = cx.named_key(target) {
            return Some(Schema::new(SchemaKind::Named(key.to_owned()), at));
        }
        let (key, name) = named_key_for(cx, target);
        cx.register_named(target, key.clone(), name);
        let schema = self.read(cx, target)?;
        cx.define_named(&key, schema);
        Some(Schema::new(SchemaKind::Named(key), at))
    }

    fn read_inner<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<Schema> {
        if node.get("$ref").is_some() {
            return self.read_ref(cx, node);
        }
        match node.value {
            Value::Map(_) => {}
            Value::Bool(true) => return Some(any(node)),
            Value::Bool(false) => {
                cx.unsupported(node.error(
                    "the schema `false` admits no value; a message typed by it can never be sent",
                ));
                return Some(any(node));
            }
            _ => {
                cx.report(node.error(format!(
                    "a schema is {}; expected a mapping (a JSON Schema object)",
                    node.kind_name()
                )));
                return None;
            }
        }
        discriminator_required(cx, node);
        let mut schema = Schema::new(SchemaKind::Any, node.location.clone());
        schema.title = cx.opt_str(node, "title");
        schema.description = cx.opt_str(node, "description");
        schema.examples = examples(node, self.dialect);
        let default_fits = self.dialect != Dialect::JsonSchema || schema_examples(cx, node);
        schema.default = node.get("default").filter(|_| default_fits).map(to_json);
        schema.deprecated = matches!(
            node.get("deprecated").map(|n| &n.value),
            Some(Value::Bool(true))
        );
        schema.rust_type = rust_type(cx, node);
        schema.constraints = self.constraints(cx, node);
        schema.nullable = self.dialect == Dialect::OpenApi
            && matches!(
                node.get("nullable").map(|n| &n.value),
                Some(Value::Bool(true))
            );
        let types = match self.types(cx, node, &mut schema.nullable) {
            Ok(types) => types,
            Err(()) => return None,
        };
        schema.kind = self.kind(cx, node, &types, &mut schema.nullable)?;
        Some(schema)
    }

    /// The non-null names of `type` (empty when absent); a `null` among them sets `nullable`.
    fn types<'n>(
        &self,
        cx: &mut Context<'_>,
        node: &'n Node,
        nullable: &mut bool,
    ) -> Result<Vec<&'n str>, ()> {
        let Some(t) = node.get("type") else {
            return Ok(Vec::new());
        };
        let names: Vec<&str> = match &t.value {
            Value::String(s) => vec![s.as_str()],
            Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
            _ => {
                cx.report(t.error(format!(
                    "`type` is {}; expected a type name or a list of them",
                    t.kind_name()
                )));
                return Err(());
            }
        };
        if let Some(other) = names.iter().find(|n| {
            !matches!(
                **n,
                "object" | "string" | "integer" | "number" | "boolean" | "array" | "null"
            )
        }) {
            cx.report(t.error(format!(
                "unknown type `{other}`; expected one of object, string, integer, number, boolean, array, null"
            )));
            return Err(());
        }
        let non_null: Vec<&str> = names.iter().copied().filter(|n| *n != "null").collect();
        if non_null.is_empty() && !names.is_empty() {
            return Ok(vec!["null"]);
        }
        *nullable |= non_null.len() != names.len();
        Ok(non_null)
    }

    fn kind<'a>(
        &mut self,
        cx: &mut Context<'a>,
        node: &'a Node,
        types: &[&str],
        nullable: &mut bool,
    ) -> Option<SchemaKind> {
        if let Some(value) = node.get("const") {
            return Some(SchemaKind::Const(to_json(value)));
        }
        if let Some(list) = node.get("enum") {
            return enumeration(cx, list, nullable);
        }
        if let Some(parts) = node.get("allOf") {
            return self.all_of(cx, node, parts);
        }
        for (keyword, one) in [("oneOf", true), ("anyOf", false)] {
            let Some(list) = node.get(keyword) else {
                continue;
            };
            if list.items().iter().all(shapeless) {
                // `oneOf: [{required: [a]}, {required: [b]}]` only validates; the type is the rest.
                continue;
            }
            if node.get("properties").is_some() && !polymorphic_base(cx, node, list) {
                cx.unsupported(list.error(format!(
                    "`{keyword}` beside `properties` is valid, but the generator does not merge \
                     the common properties into each alternative yet"
                )));
            }
            let mut variants = Vec::new();
            for item in list.items() {
                let variant = self.read(cx, item)?;
                if matches!(variant.kind, SchemaKind::Null) {
                    *nullable = true;
                } else {
                    variants.push(variant);
                }
            }
            let union = Union {
                variants,
                discriminator: discriminator(cx, node),
            };
            return Some(single_or(union, one));
        }
        match types {
            [] => {
                if node.get("properties").is_some()
                    || node.get("additionalProperties").is_some()
                    || node.get("patternProperties").is_some()
                {
                    self.object(cx, node)
                } else if node.get("items").is_some() {
                    self.array(cx, node)
                } else {
                    Some(SchemaKind::Any)
                }
            }
            [one] => self.of_type(cx, node, one),
            several => {
                let mut variants = Vec::new();
                for t in several {
                    let mut variant =
                        Schema::new(self.of_type(cx, node, t)?, node.location.clone());
                    variant.constraints = self.constraints(cx, node);
                    variants.push(variant);
                }
                Some(SchemaKind::OneOf(Union {
                    variants,
                    discriminator: None,
                }))
            }
        }
    }

    fn of_type<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node, t: &str) -> Option<SchemaKind> {
        let format = || node.get("format").and_then(Node::as_str).map(str::to_owned);
        Some(match t {
            "object" => return self.object(cx, node),
            "array" => return self.array(cx, node),
            "string" => SchemaKind::String {
                variants: None,
                format: format(),
            },
            "integer" => SchemaKind::Integer { format: format() },
            "number" => SchemaKind::Number { format: format() },
            "boolean" => SchemaKind::Boolean,
            _ => SchemaKind::Null,
        })
    }

    fn array<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<SchemaKind> {
        Some(match node.get("items") {
            Some(items) if matches!(items.value, Value::Seq(_)) => {
                let mut positions = Vec::new();
                for item in items.items() {
                    positions.push(self.read_nested(cx, item)?);
                }
                SchemaKind::Tuple(positions)
            }
            Some(items) => SchemaKind::Array(Box::new(self.read_nested(cx, items)?)),
            None => SchemaKind::Array(Box::new(any(node))),
        })
    }

    fn object<'a>(&mut self, cx: &mut Context<'a>, node: &'a Node) -> Option<SchemaKind> {
        let required = required_names(cx, node)?;
        let mut object = Object::default();
        let mut ok = true;
        if let Some(props) = cx.opt_map(node, "properties") {
            for (name, prop) in props.entries() {
                match self.read_nested(cx, prop) {
                    Some(schema) => object.properties.push(Property {
                        name: name.clone(),
                        required: required.contains(&name.as_str()),
                        schema,
                    }),
                    None => ok = false,
                }
            }
        }
        if let Some(patterns) = cx.opt_map(node, "patternProperties") {
            for (pattern, value) in patterns.entries() {
                if regex::Regex::new(pattern).is_err() {
                    cx.unsupported(value.error(format!(
                        "the pattern `{pattern}` uses syntax the `regex` crate does not support \
                         (look-around or back-references), so validate() could not check it"
                    )));
                }
                match self.read_nested(cx, value) {
                    Some(schema) => object.pattern_properties.push((pattern.clone(), schema)),
                    None => ok = false,
                }
            }
        }
        object.additional = match node.get("additionalProperties") {
            None => Additional::Unspecified,
            Some(Node {
                value: Value::Bool(false),
                ..
            }) => Additional::Denied,
            Some(Node {
                value: Value::Bool(true),
                ..
            }) => Additional::Any,
            Some(values) => match self.read_nested(cx, values)? {
                s if matches!(s.kind, SchemaKind::Any) && s.constraints.is_empty() => {
                    Additional::Any
                }
                s => Additional::Typed(Box::new(s)),
            },
        };
        if !ok {
            return None;
        }
        if object.properties.is_empty() && object.pattern_properties.is_empty() {
            // No named fields: a map, unless nothing else is allowed either.
            return Some(match object.additional {
                Additional::Typed(values) => SchemaKind::Map(values),
                Additional::Denied => SchemaKind::Object(object),
                Additional::Unspecified | Additional::Any => SchemaKind::Map(Box::new(any(node))),
            });
        }
        Some(SchemaKind::Object(object))
    }

    /// `allOf`: the parts (and the schema's own properties) merged into one object when they
    /// are all objects; a single typed part when the others only annotate or constrain.
    fn all_of<'a>(
        &mut self,
        cx: &mut Context<'a>,
        node: &'a Node,
        list: &'a Node,
    ) -> Option<SchemaKind> {
        let mut parts = Vec::new();
        let mut required: Vec<String> = required_names(cx, node)?
            .into_iter()
            .map(str::to_owned)
            .collect();
        if node.get("properties").is_some() {
            parts.push(Schema::new(self.object(cx, node)?, node.location.clone()));
        }
        // The base of a Java-style hierarchy (`discriminator` and a `oneOf` of its subtypes):
        // a subtype's `allOf` takes the base's own properties, not the union (which lists the
        // subtype itself, a cycle that never reaches content).
        let mut base = None;
        for item in list.items() {
            let target = follow(cx, item);
            if is_discriminated_union(target) && target.get("properties").is_some() {
                parts.push(Schema::new(
                    self.object(cx, target)?,
                    target.location.clone(),
                ));
                base = Some(target);
            } else {
                parts.push(self.read(cx, item)?);
            }
            if let Ok(target) = cx.resolve(item) {
                required.extend(
                    required_names(cx, target)
                        .unwrap_or_default()
                        .into_iter()
                        .map(str::to_owned),
                );
            }
        }
        let resolved: Vec<Option<Schema>> = parts.iter().map(|p| cx.resolved(p)).collect();
        let typed: Vec<&Schema> = resolved
            .iter()
            .flatten()
            .filter(|s| !matches!(s.kind, SchemaKind::Any))
            .collect();
        let all_known = resolved.iter().all(Option::is_some);
        if all_known
            && typed
                .iter()
                .all(|s| matches!(s.kind, SchemaKind::Object(_) | SchemaKind::Map(_)))
            && !typed.is_empty()
        {
            let mut merged = Object::default();
            for part in &typed {
                match &part.kind {
                    SchemaKind::Object(object) => {
                        for property in &object.properties {
                            if let Some(existing) = merged
                                .properties
                                .iter_mut()
                                .find(|p| p.name == property.name)
                            {
                                existing.required |= property.required;
                            } else {
                                merged.properties.push(property.clone());
                            }
                        }
                        merged
                            .pattern_properties
                            .extend(object.pattern_properties.iter().cloned());
                        if let Additional::Typed(_) | Additional::Any = object.additional {
                            merged.additional = object.additional.clone();
                        }
                    }
                    SchemaKind::Map(values) => {
                        merged.additional = Additional::Typed(values.clone());
                    }
                    _ => {}
                }
            }
            for property in &mut merged.properties {
                property.required |= required.contains(&property.name);
            }
            if let Some(base) = base {
                fix_tag(cx, node, base, &typed, &mut merged);
            }
            return Some(SchemaKind::Object(merged));
        }
        if all_known && typed.len() == 1 {
            return Some(typed[0].kind.clone());
        }
        // Parts that are not all objects (a string and a number, a recursive part): the type is
        // any JSON value; the parts still check examples at expansion.
        Some(SchemaKind::AllOf(parts))
    }

    fn constraints(&self, cx: &mut Context<'_>, node: &Node) -> Constraints {
        let number = |key: &str| match node.get(key).map(|n| &n.value) {
            Some(Value::Int(i)) => Some(*i as f64),
            Some(Value::Float(f)) => Some(*f),
            _ => None,
        };
        let count = |key: &str| match node.get(key).map(|n| &n.value) {
            Some(Value::Int(i)) if *i >= 0 => Some(*i as u64),
            _ => None,
        };
        let flag = |key: &str| matches!(node.get(key).map(|n| &n.value), Some(Value::Bool(true)));
        let bound = |inclusive: &str, exclusive: &str| {
            let plain = number(inclusive);
            match (plain, number(exclusive), flag(exclusive)) {
                (_, Some(limit), _) => Some(Bound {
                    value: limit,
                    exclusive: true,
                }),
                (Some(limit), None, draft4) => Some(Bound {
                    value: limit,
                    exclusive: draft4,
                }),
                _ => None,
            }
        };
        let pattern = node
            .get("pattern")
            .and_then(Node::as_str)
            .map(str::to_owned);
        if let Some(p) = &pattern
            && regex::Regex::new(p).is_err()
        {
            cx.unsupported(node.get("pattern").unwrap_or(node).error(format!(
                "the pattern `{p}` uses syntax the `regex` crate does not support (look-around \
                 or back-references), so validate() could not check it"
            )));
        }
        Constraints {
            minimum: bound("minimum", "exclusiveMinimum"),
            maximum: bound("maximum", "exclusiveMaximum"),
            multiple_of: number("multipleOf"),
            min_length: count("minLength"),
            max_length: count("maxLength"),
            pattern,
            min_items: count("minItems"),
            max_items: count("maxItems"),
            unique_items: flag("uniqueItems"),
            min_properties: count("minProperties"),
            max_properties: count("maxProperties"),
        }
    }
}

/// `node` without its `$ref`s (followed quietly: a broken reference is reported where it is read).
fn follow<'a>(cx: &Context<'a>, mut node: &'a Node) -> &'a Node {
    for _ in 0..64 {
        let Some(text) = node.get("$ref").and_then(Node::as_str) else {
            break;
        };
        match cx
            .sources
            .document_of(node)
            .and_then(|doc| cx.sources.target(doc, text))
        {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

/// Whether `node` has a `discriminator` and a `oneOf`/`anyOf` of alternatives (with its own
/// `properties`, a base schema whose subtypes are listed in it).
fn is_discriminated_union(node: &Node) -> bool {
    node.get("discriminator").is_some()
        && ["oneOf", "anyOf"].iter().any(|keyword| {
            node.get(keyword)
                .is_some_and(|list| !list.items().is_empty() && !list.items().iter().all(shapeless))
        })
}

/// Whether `node` (with `properties` and the `oneOf`/`anyOf` `list`) is the base of a Java-style
/// hierarchy: a `discriminator`, and every alternative a subtype whose `allOf` includes `node`,
/// so each alternative already holds the base's properties.
fn polymorphic_base(cx: &Context<'_>, node: &Node, list: &Node) -> bool {
    node.get("discriminator").is_some()
        && list.items().iter().all(|item| {
            follow(cx, item).get("allOf").is_some_and(|parts| {
                parts
                    .items()
                    .iter()
                    .any(|p| std::ptr::eq(follow(cx, p), node))
            })
        })
}

/// The discriminator property of a subtype (`node`, an `allOf` including the hierarchy's `base`)
/// holds the subtype's tag only: the `const` or single `enum` a part of the subtype gives it,
/// else the key of the base's discriminator `mapping` that points at the subtype, else the
/// subtype's schema name (what Jackson and springwolf write). The property becomes that
/// constant, so serialization writes it and deserialization checks it.
fn fix_tag<'a>(
    cx: &Context<'a>,
    node: &Node,
    base: &'a Node,
    parts: &[&Schema],
    merged: &mut Object,
) {
    let Some(field) = base.get("discriminator") else {
        return;
    };
    let Some(property) = field
        .as_str()
        .or_else(|| field.get("propertyName").and_then(Node::as_str))
    else {
        return;
    };
    let fixed = parts.iter().find_map(|part| {
        let SchemaKind::Object(object) = &part.kind else {
            return None;
        };
        let p = object.properties.iter().find(|p| p.name == property)?;
        match &cx.resolved(&p.schema)?.kind {
            SchemaKind::Const(serde_json::Value::String(s)) => Some(s.clone()),
            SchemaKind::String {
                variants: Some(values),
                ..
            } if values.len() == 1 => Some(values[0].clone()),
            _ => None,
        }
    });
    let mapped = || {
        field
            .get("mapping")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .find(|(_, reference)| {
                mapping_target(cx, reference)
                    .is_some_and(|target| std::ptr::eq(follow(cx, target), node))
            })
            .map(|(tag, _)| tag.clone())
    };
    let named = || {
        cx.named_key(node)
            .map(|key| key.rsplit('/').next().unwrap_or(key).to_owned())
    };
    let Some(tag) = fixed.or_else(mapped).or_else(named) else {
        return;
    };
    let at = merged
        .properties
        .first()
        .map(|p| p.schema.location.clone())
        .unwrap_or_else(|| node.location.clone());
    match merged.properties.iter_mut().find(|p| p.name == property) {
        Some(p) => {
            let mut schema = Schema::new(SchemaKind::Const(tag.into()), p.schema.location.clone());
            schema.description = p.schema.description.clone();
            p.schema = schema;
            p.required = true;
        }
        None => merged.properties.insert(
            0,
            Property {
                name: property.to_owned(),
                required: true,
                schema: Schema::new(SchemaKind::Const(tag.into()), at),
            },
        ),
    }
}

/// One alternative is that alternative (none left after `null`: `null`); several are a union.
fn single_or(mut union: Union, one: bool) -> SchemaKind {
    if union.variants.is_empty() {
        return SchemaKind::Null;
    }
    if union.variants.len() == 1
        && union.discriminator.is_none()
        && let Some(only) = union.variants.pop()
    {
        return only.kind;
    }
    if one {
        SchemaKind::OneOf(union)
    } else {
        SchemaKind::AnyOf(union)
    }
}

/// Whether a `oneOf`/`anyOf` alternative only validates (it says nothing about the shape).
fn shapeless(node: &Node) -> bool {
    node.is_map()
        && node.entries().iter().all(|(key, _)| {
            matches!(
                key.as_str(),
                "required"
                    | "not"
                    | "minProperties"
                    | "maxProperties"
                    | "description"
                    | "title"
                    | "$comment"
            )
        })
}

/// The key of the schema at `node`, which is being read and which a reference inside it points
/// back at: registered as a named schema if it is not one yet (the outer read of `node` defines
/// it when done).
fn close_cycle(cx: &mut Context<'_>, node: &Node) -> String {
    if let Some(key) = cx.named_key(node) {
        return key.to_owned();
    }
    let (key, name) = named_key_for(cx, node);
    cx.register_named(node, key.clone(), name);
    key
}

/// A payload (or headers) schema in a format the generator does not read (RAML, an unknown
/// `schemaFormat`): a named schema that admits any JSON value, documented with its format, so
/// that the generated type says what it stands for.
pub(crate) fn foreign(cx: &mut Context<'_>, node: &Node, format: &str) -> Schema {
    let at = node.location.clone();
    if let Some(key) = cx.named_key(node) {
        return Schema::new(SchemaKind::Named(key.to_owned()), at);
    }
    let (key, name) = named_key_for(cx, node);
    cx.register_named(node, key.clone(), name);
    let mut schema = any(node);
    schema.description = Some(format!(
        "Written in the schema format `{format}`, which the generator does not read: any JSON \
         value is accepted."
    ));
    cx.define_named(&key, schema);
    Schema::new(SchemaKind::Named(key), at)
}

/// The key and wanted Rust name of a schema that becomes named (a `$ref` target, a schema that
/// contains itself, a foreign payload).
fn named_key_for(cx: &Context<'_>, target: &Node) -> (String, String) {
    if cx.sources.in_entry(target)
        && let Some(name) = target
            .pointer
            .strip_prefix(COMPONENT_SCHEMAS)
            .filter(|n| !n.contains('/'))
    {
        let name = unescape_pointer_token(name);
        return (name.clone(), name);
    }
    let key = format!("{}#{}", target.location.file.display(), target.pointer);
    (key, pointer_name(cx, target))
}

/// Pointer tokens that say where a schema sits rather than what it is.
fn structural(token: &str) -> bool {
    matches!(
        token,
        "channels"
            | "components"
            | "messages"
            | "message"
            | "publish"
            | "subscribe"
            | "oneOf"
            | "payload"
            | "headers"
            | "schema"
            | "parameters"
            | "bindings"
    ) || token.parse::<usize>().is_ok()
}

/// The wanted Rust name of a schema outside `components.schemas`: the last token of its pointer
/// (the file's stem for a whole file). A message's `payload` or `headers` (or the `schema` of a
/// multi-format object or a parameter) is named after what holds it: the nearest `name`,
/// `messageId` or `operationId` above it, else the nearest token that is not structural (a
/// message or parameter key, a channel), as in `<message> payload`.
fn pointer_name(cx: &Context<'_>, node: &Node) -> String {
    let raw: Vec<&str> = node.pointer.split('/').skip(1).collect();
    let tokens: Vec<String> = raw.iter().map(|t| unescape_pointer_token(t)).collect();
    let stem = || {
        node.location
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Schema".to_owned())
    };
    let mut end = tokens.len();
    if tokens.last().is_some_and(|t| t == "schema") {
        end -= 1;
    }
    let part = match tokens[..end].last().map(String::as_str) {
        Some(part @ ("payload" | "headers")) => {
            end -= 1;
            Some(part)
        }
        _ if end < tokens.len() => None,
        Some(last) if !last.is_empty() => return last.to_owned(),
        _ => return stem(),
    };
    let root = cx.sources.document_of(node).map(|doc| &doc.root);
    let mut base = None;
    for i in (0..end).rev() {
        let holder = root.and_then(|r| cx.sources.pointer(r, &format!("/{}", raw[..=i].join("/"))));
        let own = holder.and_then(|h| {
            ["name", "messageId", "operationId"]
                .iter()
                .find_map(|key| h.get(key).and_then(Node::as_str))
        });
        if let Some(own) = own {
            base = Some(own.to_owned());
            break;
        }
        if !structural(&tokens[i]) && !tokens[i].is_empty() {
            base = Some(tokens[i].clone());
            break;
        }
    }
    let base = base.unwrap_or_else(stem);
    match part {
        Some(part) => format!("{base} {part}"),
        None => base,
    }
}

/// `required`, as names.
fn required_names<'n>(cx: &mut Context<'_>, node: &'n Node) -> Option<Vec<&'n str>> {
    let Some(list) = node.get("required") else {
        return Some(Vec::new());
    };
    let names: Option<Vec<&str>> = match &list.value {
        Value::Seq(items) => items.iter().map(Node::as_str).collect(),
        _ => None,
    };
    if names.is_none() {
        cx.report(list.error("`required` must be a list of property names"));
    }
    names
}

/// `examples` (a list), and `example` in OpenAPI schemas (in AsyncAPI's dialect `example` is not
/// a keyword, so it is ignored like any unknown field).
fn examples(node: &Node, dialect: Dialect) -> Vec<serde_json::Value> {
    let mut out: Vec<serde_json::Value> = node
        .get("examples")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(to_json)
        .collect();
    if dialect == Dialect::OpenApi {
        out.extend(node.get("example").map(to_json));
    }
    out
}

/// A schema's `examples` and its `default` are checked against the schema while the macro
/// expands; each contradiction is a wrong example naming it and the offending field (a warning,
/// an error or nothing, as [`crate::ExamplePolicy`] says). Returns whether the default (if any)
/// fits: one that does not is left out of the model, so no generated accessor hands out a value
/// the type's own `validate()` rejects.
fn schema_examples(cx: &mut Context<'_>, node: &Node) -> bool {
    let list = node.get("examples").map(Node::items).unwrap_or_default();
    let default = node.get("default");
    if list.is_empty() && default.is_none() {
        return true;
    }
    let Some(validator) = crate::structure::example_validator(cx.sources, node) else {
        return true;
    };
    for (index, example) in list.iter().enumerate() {
        for problem in crate::structure::example_problems(&validator, example) {
            cx.wrong_example(example.error(format!(
                "schema example #{} does not match its schema: {problem}",
                index + 1
            )));
        }
    }
    let Some(default) = default else {
        return true;
    };
    let problems = crate::structure::example_problems(&validator, default);
    for problem in &problems {
        // `example_problems` names the whole value "the example".
        let problem = problem.strip_prefix("the example: ").unwrap_or(problem);
        cx.wrong_example(default.error(format!(
            "the schema's default does not match its schema, so it is ignored: {problem}"
        )));
    }
    problems.is_empty()
}

/// `x-rust-type`: a path string, or typify's `{crate, version, path}` object.
fn rust_type(cx: &mut Context<'_>, node: &Node) -> Option<String> {
    let field = node.get("x-rust-type")?;
    let path = field
        .as_str()
        .or_else(|| field.get("path").and_then(Node::as_str));
    match path {
        Some(path) if syn::parse_str::<syn::Type>(path).is_ok() => Some(path.to_owned()),
        _ => {
            cx.report(field.error(
                "`x-rust-type` is not a Rust type; expected a path such as \"crate::Money\" or \
                 {path: \"crate::Money\"}",
            ));
            None
        }
    }
}

/// `enum`: strings make a string enumeration, other values a value enumeration; `null` among
/// them makes the schema nullable.
fn enumeration(cx: &mut Context<'_>, list: &Node, nullable: &mut bool) -> Option<SchemaKind> {
    let values: Vec<serde_json::Value> = list
        .items()
        .iter()
        .map(to_json)
        .filter(|v| {
            if v.is_null() {
                *nullable = true;
                false
            } else {
                true
            }
        })
        .collect();
    if values.is_empty() {
        if list.items().is_empty() {
            cx.report(list.error("`enum` is empty or not a list; expected at least one value"));
            return None;
        }
        return Some(SchemaKind::Null);
    }
    if values.iter().all(serde_json::Value::is_string) {
        let strings = values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        return Some(SchemaKind::String {
            variants: Some(strings),
            format: None,
        });
    }
    if values.len() == 1 {
        return values.into_iter().next().map(SchemaKind::Const);
    }
    Some(SchemaKind::Enum(values))
}

/// The `discriminator` of a union: 2.x writes the property name, OpenAPI `{propertyName,
/// mapping}` whose mapping values are references.
fn discriminator<'a>(cx: &mut Context<'a>, node: &'a Node) -> Option<Discriminator> {
    let field = node.get("discriminator")?;
    let property = field
        .as_str()
        .or_else(|| field.get("propertyName").and_then(Node::as_str))?
        .to_owned();
    let mut mapping = Vec::new();
    for (value, reference) in field.get("mapping").map(Node::entries).unwrap_or_default() {
        let Some(text) = reference.as_str() else {
            continue;
        };
        match mapping_target(cx, reference).and_then(|t| cx.named_key(t)) {
            Some(key) => mapping.push((value.clone(), key.to_owned())),
            None => cx.report(reference.error(format!(
                "the discriminator mapping `{value}` points at `{text}`, which is not one of the \
                 union's alternatives"
            ))),
        }
    }
    Some(Discriminator { property, mapping })
}

/// The schema a discriminator `mapping` value names: a reference, or (OpenAPI) the bare name of
/// a schema in the same document's `components.schemas`.
fn mapping_target<'a>(cx: &Context<'a>, reference: &'a Node) -> Option<&'a Node> {
    let sources = cx.sources;
    let text = reference.as_str()?;
    let doc = sources.document_of(reference)?;
    let bare = !text.contains(['#', '/', '.']);
    if bare {
        let pointer = format!("{COMPONENT_SCHEMAS}{}", text.replace('~', "~0"));
        return sources.pointer(&doc.root, &pointer);
    }
    sources.target(doc, text)
}

/// A `discriminator` names a property the schema requires (2.x: the property name; OpenAPI:
/// `{propertyName}`). Only checked where the schema lists properties itself.
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
    if node.get("oneOf").is_some() || node.get("anyOf").is_some() {
        return;
    }
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
