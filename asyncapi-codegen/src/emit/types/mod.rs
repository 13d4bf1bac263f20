//! Schemas → Rust types. Objects become structs, string enumerations and `const` values enums,
//! `oneOf`/`anyOf` enums (tagged by a discriminator or a `const` property when there is one),
//! constrained named scalars checked newtypes, everything else an alias of a std or format type.
//! Every type gets doc comments and a `Validate` impl; the wire format is exactly the schema's.
//!
//! Written here rather than delegated to typify (see `docs/DESIGN.md`, "Why not typify"):
//! generated code must reach serde through `::asyncapi_runtime::__private` so users add one
//! dependency, types come from our model (which also reads Avro and OpenAPI, and keeps source
//! locations for errors), and the macro must never panic on a schema.

mod enums;
mod structs;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use crate::model::{Additional, Api, Schema, SchemaKind};
use crate::naming::{Scope, ident, type_name};

/// Collects the type definitions of one API.
pub(crate) struct TypeGen<'s> {
    scope: &'s mut Scope,
    /// Named schema key → Rust type name.
    pub(super) names: BTreeMap<String, String>,
    /// Named schema key → its schema.
    pub(super) schemas: BTreeMap<String, Schema>,
    /// Named schema key → the named schemas its values contain directly (not through a `Vec`
    /// or map), transitively: a reference back to the key itself needs a `Box`.
    by_value: BTreeMap<String, BTreeSet<String>>,
    /// Named schema key → the Rust type path the user gave for it (macro option, else the
    /// schema's `x-rust-type`), used in place of a generated type.
    substitutes: BTreeMap<String, String>,
    /// The named schema being defined (inline types defined inside it count as part of it).
    current: Option<String>,
    /// How many `Vec`/map levels the type being built is inside (no `Box` needed there).
    indirect: usize,
    /// Variant names for the next union defined (a message enum names its variants after the
    /// messages, not their payload schemas).
    pub(super) variant_names: Option<Vec<String>>,
    items: Vec<TokenStream>,
}

impl<'s> TypeGen<'s> {
    /// Reserves a name for every named schema, so references resolve before definitions.
    pub fn new(api: &Api, scope: &'s mut Scope, overrides: &BTreeMap<String, String>) -> Self {
        let names = api
            .schemas
            .iter()
            .map(|s| {
                let name = scope.claim(&type_name(&s.name, "Schema"));
                (s.key.clone(), name)
            })
            .collect();
        let schemas: BTreeMap<String, Schema> = api
            .schemas
            .iter()
            .map(|s| (s.key.clone(), s.schema.clone()))
            .collect();
        let by_value = by_value_closure(&schemas);
        let substitutes = api
            .schemas
            .iter()
            .filter_map(|s| {
                overrides
                    .get(&s.name)
                    .or(overrides.get(&s.key))
                    .or(s.schema.rust_type.as_ref())
                    .map(|path| (s.key.clone(), path.clone()))
            })
            .collect();
        TypeGen {
            scope,
            names,
            schemas,
            by_value,
            substitutes,
            current: None,
            indirect: 0,
            variant_names: None,
            items: Vec::new(),
        }
    }

    /// Emits every named schema (but those the user replaced with their own type).
    pub fn define_named(&mut self, api: &Api) {
        for s in &api.schemas {
            if self.substitutes.contains_key(&s.key) {
                continue;
            }
            let name = self.names[&s.key].clone();
            self.current = Some(s.key.clone());
            self.define(&name, &s.schema);
            self.current = None;
        }
    }

    /// Defines the enum of an operation's messages (`name` claimed here): one variant per
    /// message, named after it and holding its payload, told apart as a `oneOf` of the payload
    /// schemas would be (discriminator or shared constant property, else by shape in a
    /// documented order). Returns the enum's type.
    pub fn message_enum(
        &mut self,
        name: &str,
        docs: &str,
        messages: &[(&str, &Schema)],
    ) -> TokenStream {
        let name = self.scope.claim(&type_name(name, "Message"));
        let location = messages
            .first()
            .map(|(_, s)| s.location.clone())
            .unwrap_or_else(|| crate::Location::start_of(std::path::Path::new("")));
        let mut schema = Schema::new(
            SchemaKind::OneOf(crate::model::Union {
                variants: messages.iter().map(|(_, s)| (*s).clone()).collect(),
                discriminator: None,
            }),
            location,
        );
        schema.description = Some(docs.to_owned());
        self.variant_names = Some(
            messages
                .iter()
                .map(|(n, _)| type_name(n, "Message"))
                .collect(),
        );
        self.define(&name, &schema);
        let name = ident(&name);
        quote!(#name)
    }

    /// Claims a unique top-level type name.
    pub fn claim_type(&mut self, name: &str) -> String {
        self.scope.claim(name)
    }

    /// The definitions emitted so far.
    pub fn into_items(self) -> Vec<TokenStream> {
        self.items
    }

    /// The schema a named reference stands for (following chains of names).
    /// Whether the type of `schema` can stand in an address (implements `AddressValue`): strings
    /// (format types included), integers, numbers, booleans and string enums, not nullable, not
    /// replaced by a user type.
    pub fn is_address_value(&self, schema: &Schema) -> bool {
        if is_nullable(schema) || self.substitute(schema).is_some() {
            return false;
        }
        // (A constrained named schema is a newtype, which implements `AddressValue` too.)
        let resolved = self.resolve(schema);
        match &resolved.kind {
            SchemaKind::String { .. } => true,
            SchemaKind::Integer { .. } | SchemaKind::Number { .. } | SchemaKind::Boolean => true,
            SchemaKind::Const(value) => value.is_string(),
            _ => false,
        }
    }

    fn resolve<'a>(&'a self, schema: &'a Schema) -> &'a Schema {
        let mut current = schema;
        for _ in 0..64 {
            match &current.kind {
                SchemaKind::Named(key) => match self.schemas.get(key) {
                    Some(next) => current = next,
                    None => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// The Rust type for `schema`, `Option` when it is nullable; inline objects and enums are
    /// defined under a name built from `hint` (their place in the spec).
    pub fn type_of(&mut self, schema: &Schema, hint: &str) -> TokenStream {
        let ty = self.value_type(schema, hint);
        if is_nullable(schema) {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        }
    }

    /// The Rust type for the non-null values of `schema`.
    pub fn value_type(&mut self, schema: &Schema, hint: &str) -> TokenStream {
        if let Some(path) = self.substitute(schema) {
            // Checked to be a type when read (x-rust-type) or given (macro option).
            return path.parse().unwrap_or_else(|_| quote!(()));
        }
        match &schema.kind {
            SchemaKind::Named(key) => {
                let Some(name) = self.names.get(key) else {
                    return quote!(::asyncapi_runtime::__private::serde_json::Value);
                };
                let name = ident(name);
                if self.needs_box(key) {
                    quote!(::std::boxed::Box<#name>)
                } else {
                    quote!(#name)
                }
            }
            SchemaKind::Object(_)
            | SchemaKind::String {
                variants: Some(_), ..
            }
            | SchemaKind::Const(_)
            | SchemaKind::Enum(_)
            | SchemaKind::OneOf(_)
            | SchemaKind::AnyOf(_) => {
                let name = self.scope.claim(&type_name(hint, "Inline"));
                self.define(&name, schema);
                let name = ident(&name);
                quote!(#name)
            }
            SchemaKind::String { format, .. } => {
                format_type(format.as_deref()).unwrap_or_else(|| quote!(::std::string::String))
            }
            SchemaKind::Integer { format } => match format.as_deref() {
                Some("int32") => quote!(i32),
                _ => quote!(i64),
            },
            SchemaKind::Number { format } => match format.as_deref() {
                Some("float") => quote!(f32),
                _ => quote!(f64),
            },
            SchemaKind::Boolean => quote!(bool),
            SchemaKind::Array(item) => {
                self.indirect += 1;
                let item = self.type_of(item, &format!("{hint} item"));
                self.indirect -= 1;
                quote!(::std::vec::Vec<#item>)
            }
            SchemaKind::Tuple(items) => {
                let items: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.type_of(item, &format!("{hint} {i}")))
                    .collect();
                quote!((#(#items,)*))
            }
            SchemaKind::Map(value) => {
                self.indirect += 1;
                let value = self.type_of(value, &format!("{hint} value"));
                self.indirect -= 1;
                quote!(::std::collections::BTreeMap<::std::string::String, #value>)
            }
            SchemaKind::Null => quote!(()),
            // `Any`; an `AllOf` is recorded as unsupported and generation stops before emitting.
            SchemaKind::Any | SchemaKind::AllOf(_) => {
                quote!(::asyncapi_runtime::__private::serde_json::Value)
            }
        }
    }

    /// The user's type for `schema` (its own `x-rust-type`, or the substitute for the named
    /// schema it refers to), if there is one.
    fn substitute<'a>(&'a self, schema: &'a Schema) -> Option<&'a str> {
        schema.rust_type.as_deref().or(match &schema.kind {
            SchemaKind::Named(key) => self.substitutes.get(key).map(String::as_str),
            _ => None,
        })
    }

    /// Whether `schema`'s type is generated (not a type the user substituted).
    fn generated(&self, schema: &Schema) -> bool {
        self.substitute(schema).is_none()
    }

    /// Whether a reference to `key` from here closes a by-value cycle.
    fn needs_box(&self, key: &str) -> bool {
        let Some(current) = &self.current else {
            return false;
        };
        self.indirect == 0
            && (key == current
                || self
                    .by_value
                    .get(key)
                    .is_some_and(|reach| reach.contains(current)))
    }

    /// Defines the type `name` for `schema`.
    fn define(&mut self, name: &str, schema: &Schema) {
        let outer = self.indirect;
        self.indirect = 0;
        let docs = type_docs(schema, name);
        let item = match &schema.kind {
            SchemaKind::Object(object) => structs::define(self, name, schema, object, docs),
            SchemaKind::String {
                variants: Some(variants),
                ..
            } => enums::string_enum(name, docs, schema, variants),
            SchemaKind::Const(value) => match value.as_str() {
                Some(text) => enums::string_enum(name, docs, schema, &[text.to_owned()]),
                None => enums::value_enum(name, docs, schema, std::slice::from_ref(value)),
            },
            SchemaKind::Enum(values) => enums::value_enum(name, docs, schema, values),
            SchemaKind::OneOf(union) | SchemaKind::AnyOf(union) => {
                enums::union(self, name, docs, schema, union)
            }
            _ if has_own_checks(schema) => structs::newtype(self, name, schema, docs),
            _ => {
                let ty = self.type_of(schema, name);
                let deprecated = deprecated_attr(schema);
                let name_ident = ident(name);
                quote! {
                    #docs
                    #deprecated
                    pub type #name_ident = #ty;
                }
            }
        };
        self.items.push(item);
        self.indirect = outer;
    }
}

/// Whether `schema` has constraints that its Rust type (without a newtype) would not check: its
/// own, or those of the inline items and values of its arrays, maps and tuples.
fn has_own_checks(schema: &Schema) -> bool {
    !schema.constraints.is_empty()
        || match &schema.kind {
            SchemaKind::Array(inner) | SchemaKind::Map(inner) => has_own_checks(inner),
            SchemaKind::Tuple(items) => items.iter().any(has_own_checks),
            _ => false,
        }
}

/// Whether values of `schema` are `Option`s because `null` is allowed (`Any` and `Null` hold
/// `null` themselves).
pub(crate) fn is_nullable(schema: &Schema) -> bool {
    schema.nullable && !matches!(schema.kind, SchemaKind::Null | SchemaKind::Any)
}

/// The type of a string with `format`, when it is not a plain `String`: the runtime's format
/// types (parsed values behind cargo features, `String` without them) or std's IP addresses.
fn format_type(format: Option<&str>) -> Option<TokenStream> {
    let runtime = |name: &str| {
        let name = ident(name);
        quote!(::asyncapi_runtime::formats::#name)
    };
    Some(match format? {
        "date-time" => runtime("DateTime"),
        "date" => runtime("Date"),
        "time" => runtime("Time"),
        "uuid" => runtime("Uuid"),
        "uri" => runtime("Uri"),
        "email" => runtime("Email"),
        "byte" => runtime("Base64"),
        "ipv4" => quote!(::std::net::Ipv4Addr),
        "ipv6" => quote!(::std::net::Ipv6Addr),
        _ => return None,
    })
}

/// Whether a string of `format` is a plain `String` in generated code.
fn is_plain_string(format: Option<&str>) -> bool {
    format_type(format).is_none()
}

/// `#[deprecated]` when the schema says so.
fn deprecated_attr(schema: &Schema) -> TokenStream {
    if schema.deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

/// Doc comments of a generated type: title, description, default, constraints and examples.
fn type_docs(schema: &Schema, name: &str) -> TokenStream {
    let extra = schema_notes(schema);
    let mut parts: Vec<Option<&str>> = vec![schema.title.as_deref(), schema.description.as_deref()];
    let fallback = format!("`{name}`, generated from the AsyncAPI document.");
    if schema.title.is_none() && schema.description.is_none() {
        parts.push(Some(&fallback));
    }
    parts.extend(extra.iter().map(|s| Some(s.as_str())));
    doc_attrs(&parts, &fallback)
}

/// Paragraphs about a schema's default, constraints and examples, for doc comments.
pub(crate) fn schema_notes(schema: &Schema) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(default) = &schema.default {
        notes.push(format!("Default: `{default}`."));
    }
    let constraints = validate::describe(&schema.constraints);
    if !constraints.is_empty() {
        notes.push(format!("Constraints: {}.", constraints.join(", ")));
    }
    if let SchemaKind::Object(object) = &schema.kind
        && matches!(object.additional, Additional::Denied)
    {
        notes.push("Properties not listed here are rejected.".to_owned());
    }
    for example in &schema.examples {
        let text = serde_json::to_string_pretty(example).unwrap_or_default();
        notes.push(format!("Example:\n```json\n{text}\n```"));
    }
    notes
}

/// For every named schema, the named schemas reachable by value (not through a `Vec` or map).
fn by_value_closure(schemas: &BTreeMap<String, Schema>) -> BTreeMap<String, BTreeSet<String>> {
    let direct: BTreeMap<&String, BTreeSet<String>> = schemas
        .iter()
        .map(|(key, schema)| {
            let mut out = BTreeSet::new();
            direct_refs(schema, &mut out);
            (key, out)
        })
        .collect();
    let mut closure = BTreeMap::new();
    for key in schemas.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = direct[key].iter().cloned().collect();
        while let Some(next) = todo.pop() {
            if seen.insert(next.clone())
                && let Some(more) = direct.get(&next)
            {
                todo.extend(more.iter().cloned());
            }
        }
        closure.insert(key.clone(), seen);
    }
    closure
}

fn direct_refs(schema: &Schema, out: &mut BTreeSet<String>) {
    match &schema.kind {
        SchemaKind::Named(key) => {
            out.insert(key.clone());
        }
        SchemaKind::Object(object) => {
            for property in &object.properties {
                direct_refs(&property.schema, out);
            }
        }
        SchemaKind::Tuple(items) | SchemaKind::AllOf(items) => {
            items.iter().for_each(|item| direct_refs(item, out));
        }
        SchemaKind::OneOf(union) | SchemaKind::AnyOf(union) => {
            union.variants.iter().for_each(|v| direct_refs(v, out));
        }
        _ => {}
    }
}
