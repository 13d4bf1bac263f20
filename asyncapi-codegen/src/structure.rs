//! Structural validation: the document against the official JSON Schema of its declared version.
//!
//! The AsyncAPI Initiative publishes one JSON Schema per spec version (`@asyncapi/specs`, Apache-2.0;
//! the copies in `schemas/` are its `*-without-$id.json` files, minified). They encode every
//! structural rule of the spec — field types, required fields, patterned keys, which fields each
//! object allows and, in 3.0, the binding objects of every protocol — so we check against them
//! instead of restating those rules by hand. The `jsonschema` crate does the checking; this module
//! turns its errors into located [`Diagnostic`]s that say what was found and what was expected.
//!
//! Only the entry document is checked here; referenced files are checked by the model as it reads
//! them. References stay references (the schemas accept a Reference object wherever one is allowed).

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic, escape_pointer_token, unescape_pointer_token};
use crate::document::{Node, Value};
use crate::loader::Sources;

/// The versions we hold a schema for, with the schema text.
const SCHEMAS: &[(&str, &str)] = &[
    ("2.0.0-rc2", include_str!("../schemas/2.0.0-rc2.json")),
    ("2.0.0", include_str!("../schemas/2.0.0.json")),
    ("2.1.0", include_str!("../schemas/2.1.0.json")),
    ("2.2.0", include_str!("../schemas/2.2.0.json")),
    ("2.3.0", include_str!("../schemas/2.3.0.json")),
    ("2.4.0", include_str!("../schemas/2.4.0.json")),
    ("2.5.0", include_str!("../schemas/2.5.0.json")),
    ("2.6.0", include_str!("../schemas/2.6.0.json")),
    ("3.0.0", include_str!("../schemas/3.0.0.json")),
    ("3.1.0", include_str!("../schemas/3.1.0.json")),
];

/// Binding schemas of every protocol and version, for 2.x documents (see `schemas/vendor.py`).
const BINDINGS: &str = include_str!("../schemas/bindings.json");

/// Whether a schema for `version` (the document's `asyncapi` string) exists.
pub fn known_version(version: &str) -> bool {
    SCHEMAS.iter().any(|(v, _)| *v == version)
}

/// Checks the entry document of `sources` against the schema of `version` (with references
/// resolved, as the spec intends) and, for 2.x, every binding against its protocol's schema.
/// One diagnostic per problem found, at the node that has it (in whichever file that is).
pub fn check(sources: &Sources, version: &str) -> Vec<Diagnostic> {
    let Some(index) = SCHEMAS.iter().position(|(v, _)| *v == version) else {
        return Vec::new();
    };
    let Some(validator) = version_validator(index) else {
        return Vec::new();
    };
    let v3 = version.starts_with('3');
    let root = &sources.entry().root;
    let instance = Inliner::new(sources, v3).inline(root, &mut Vec::new());
    let mut out = Report {
        sources,
        root,
        diagnostics: Vec::new(),
    };
    for error in validator.iter_errors(&instance) {
        out.add("", &error.to_owned());
    }
    if !v3 {
        let mut path = Vec::new();
        bindings(&instance, &mut path, &mut out);
    }
    out.diagnostics
}

fn version_validator(index: usize) -> Option<&'static Validator> {
    static CACHE: [OnceLock<Option<Validator>>; SCHEMAS.len()] =
        [const { OnceLock::new() }; SCHEMAS.len()];
    CACHE[index]
        .get_or_init(|| compile(&serde_json::from_str(SCHEMAS[index].1).ok()?))
        .as_ref()
}

fn compile(schema: &Json) -> Option<Validator> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        // Operation message references in converted 3.0 documents contain `{…}` from the channel
        // address; they resolve fine, so only reject what cannot be a reference at all.
        .with_format("uri-reference", |s: &str| !s.contains(char::is_whitespace))
        .build(schema)
        .ok()
}

/// Collects located diagnostics, one per distinct problem.
struct Report<'s> {
    sources: &'s Sources,
    root: &'s Node,
    diagnostics: Vec<Diagnostic>,
}

impl Report<'_> {
    /// Adds `error`, whose instance path is relative to the instance at `prefix` in the entry
    /// document.
    fn add(&mut self, prefix: &str, error: &ValidationError<'static>) {
        // A reference left in place matches both "Reference" and "Schema" (a schema may hold
        // `$ref`) where the spec allows either; it is a Reference.
        let error = best(error);
        if matches!(error.kind(), ValidationErrorKind::OneOfMultipleValid { .. })
            && error.instance().get("$ref").is_some()
        {
            return;
        }
        // Repeated tags: the model's own rule names the repeated tag.
        if matches!(error.kind(), ValidationErrorKind::UniqueItems)
            && error.instance_path().as_str().ends_with("/tags")
        {
            return;
        }
        let path = format!("{prefix}{}", error.instance_path().as_str());
        let node = locate(self.sources, self.root, &path);
        let diagnostic = describe(node, error);
        if !self
            .diagnostics
            .iter()
            .any(|d| d.pointer == diagnostic.pointer && d.message == diagnostic.message)
        {
            self.diagnostics.push(diagnostic);
        }
    }
}

/// The node an instance path of the inlined document stands for, following references the way
/// [`Inliner`] did; the deepest node reached when the path leaves the document.
fn locate<'s>(sources: &'s Sources, root: &'s Node, path: &str) -> &'s Node {
    let mut node = root;
    let Some(rest) = path.strip_prefix('/') else {
        return node;
    };
    for raw in rest.split('/') {
        let token = unescape_pointer_token(raw);
        if token != "$ref" {
            node = follow(sources, node);
        }
        let next = match &node.value {
            Value::Map(_) => node.get(&token),
            Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

/// The node a Reference object leads to (through chains of references), or `node` itself.
fn follow<'s>(sources: &'s Sources, mut node: &'s Node) -> &'s Node {
    for _ in 0..MAX_REF_CHAIN {
        let Some(reference) = node.get("$ref").and_then(Node::as_str) else {
            break;
        };
        let Some(target) = sources
            .document_of(node)
            .and_then(|doc| sources.target(doc, reference))
        else {
            break;
        };
        node = target;
    }
    node
}

const MAX_REF_CHAIN: usize = 64;

/// Builds the JSON instance to validate: the entry document with every reference replaced by what
/// it points at, except where the spec requires a Reference object (3.0 operation channels and
/// messages, replies, channel servers), on a cycle, or at a reference that does not resolve (the
/// model reports those).
struct Inliner<'s> {
    sources: &'s Sources,
    v3: bool,
    /// Nodes being inlined, to leave cycles as references.
    stack: Vec<*const Node>,
    /// Nodes still allowed in the instance, so that many references to one big schema cannot
    /// blow it up; past the budget, references are left in place.
    budget: usize,
}

impl<'s> Inliner<'s> {
    fn new(sources: &'s Sources, v3: bool) -> Self {
        Inliner {
            sources,
            v3,
            stack: Vec::new(),
            budget: 500_000,
        }
    }

    fn inline(&mut self, node: &'s Node, path: &mut Vec<String>) -> Json {
        self.budget = self.budget.saturating_sub(1);
        if let Some(reference) = node.get("$ref").and_then(Node::as_str) {
            // Avro files stay references: where a bare reference to one is allowed (a Kafka key,
            // say), the schemas would otherwise read Avro as JSON Schema.
            let avro = reference
                .split('#')
                .next()
                .is_some_and(|f| f.ends_with(".avsc"));
            // Past the nesting a file may have, references stay too: a chain of deep schemas
            // would otherwise inline into an instance deep enough to overflow the stack.
            let keep = avro
                || self.v3 && must_stay_reference(path)
                || path.len() >= crate::document::MAX_NESTING;
            if !keep && self.budget > 0 {
                let target = self
                    .sources
                    .document_of(node)
                    .and_then(|doc| self.sources.target(doc, reference));
                if let Some(target) = target {
                    let key: *const Node = target;
                    if !self.stack.contains(&key) && self.stack.len() < MAX_REF_CHAIN * 4 {
                        self.stack.push(key);
                        let value = self.inline(target, path);
                        self.stack.pop();
                        return value;
                    }
                }
            }
            return to_json(node);
        }
        match &node.value {
            Value::Seq(items) => Json::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        path.push(i.to_string());
                        let value = self.inline(item, path);
                        path.pop();
                        value
                    })
                    .collect(),
            ),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .filter(|(key, item)| !(key == "payload" && avro_reference(node, item)))
                    .map(|(key, item)| {
                        path.push(key.clone());
                        let value = self.inline(item, path);
                        path.pop();
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            _ => to_json(node),
        }
    }
}

/// Whether `payload`, a field of the 2.x message `message`, is a reference to an Avro schema
/// (the message's `schemaFormat` is Avro). The official schemas check an Avro payload against
/// their Avro schema, which has no Reference object; the reference stays out of the instance
/// and the model's Avro reader checks what it points at (with located errors).
fn avro_reference(message: &Node, payload: &Node) -> bool {
    payload.get("$ref").is_some()
        && message
            .get("schemaFormat")
            .and_then(Node::as_str)
            .is_some_and(|format| {
                format
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .starts_with("application/vnd.apache.avro")
            })
}

/// 3.0 positions where the schema requires a Reference object rather than what it points at.
fn must_stay_reference(path: &[String]) -> bool {
    const PATTERNS: &[&[&str]] = &[
        &["operations", "*", "channel"],
        &["operations", "*", "messages", "*"],
        &["operations", "*", "reply", "channel"],
        &["operations", "*", "reply", "messages", "*"],
        &["components", "operations", "*", "channel"],
        &["components", "operations", "*", "messages", "*"],
        &["components", "operations", "*", "reply", "channel"],
        &["components", "operations", "*", "reply", "messages", "*"],
        &["components", "replies", "*", "channel"],
        &["components", "replies", "*", "messages", "*"],
        &["channels", "*", "servers", "*"],
        &["components", "channels", "*", "servers", "*"],
    ];
    PATTERNS.iter().any(|pattern| matches_path(path, pattern))
}

/// Whether `path` matches `pattern`: `*` matches one segment, `a|b` either word.
fn matches_path(path: &[String], pattern: &[&str]) -> bool {
    path.len() == pattern.len()
        && path
            .iter()
            .zip(pattern)
            .all(|(seg, pat)| *pat == "*" || pat.split('|').any(|alt| alt == seg))
}

/// Kinds of binding objects and where 2.x documents hold them.
const BINDING_PLACES: &[(&str, &[&str])] = &[
    ("server", &["servers", "*", "bindings"]),
    ("server", &["components", "servers", "*", "bindings"]),
    ("server", &["components", "serverBindings", "*"]),
    ("channel", &["channels", "*", "bindings"]),
    ("channel", &["components", "channels", "*", "bindings"]),
    ("channel", &["components", "channelBindings", "*"]),
    (
        "operation",
        &["channels", "*", "publish|subscribe", "bindings"],
    ),
    (
        "operation",
        &[
            "channels",
            "*",
            "publish|subscribe",
            "traits",
            "*",
            "bindings",
        ],
    ),
    (
        "operation",
        &[
            "components",
            "channels",
            "*",
            "publish|subscribe",
            "bindings",
        ],
    ),
    (
        "operation",
        &["components", "operationTraits", "*", "bindings"],
    ),
    ("operation", &["components", "operationBindings", "*"]),
    (
        "message",
        &["channels", "*", "publish|subscribe", "message", "bindings"],
    ),
    (
        "message",
        &[
            "channels",
            "*",
            "publish|subscribe",
            "message",
            "oneOf",
            "*",
            "bindings",
        ],
    ),
    (
        "message",
        &[
            "channels",
            "*",
            "publish|subscribe",
            "message",
            "traits",
            "*",
            "bindings",
        ],
    ),
    (
        "message",
        &[
            "channels",
            "*",
            "publish|subscribe",
            "message",
            "oneOf",
            "*",
            "traits",
            "*",
            "bindings",
        ],
    ),
    ("message", &["components", "messages", "*", "bindings"]),
    (
        "message",
        &["components", "messages", "*", "traits", "*", "bindings"],
    ),
    ("message", &["components", "messageTraits", "*", "bindings"]),
    ("message", &["components", "messageBindings", "*"]),
];

/// Walks the inlined 2.x document and checks every binding it finds.
fn bindings(value: &Json, path: &mut Vec<String>, out: &mut Report<'_>) {
    if let Some((kind, _)) = BINDING_PLACES.iter().find(|(_, p)| matches_path(path, p)) {
        if let Json::Object(protocols) = value {
            for (protocol, binding) in protocols {
                path.push(protocol.clone());
                binding_check(kind, protocol, binding, path, out);
                path.pop();
            }
        }
        return;
    }
    let mut visit = |key: String, item: &Json, path: &mut Vec<String>| {
        path.push(key);
        // Only descend where a binding place can still be reached.
        if BINDING_PLACES
            .iter()
            .any(|(_, p)| p.len() > path.len() && matches_path(path, &p[..path.len()]))
            || BINDING_PLACES.iter().any(|(_, p)| matches_path(path, p))
        {
            bindings(item, path, out);
        }
        path.pop();
    };
    match value {
        Json::Object(entries) => {
            for (key, item) in entries {
                visit(key.clone(), item, path);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(i.to_string(), item, path);
            }
        }
        _ => {}
    }
}

/// Checks one protocol's binding against the schema of the `bindingVersion` it declares. A version
/// we hold no schema for is checked against the nearest later one (or the latest), ignoring the
/// version field itself. A binding that declares no version is not checked against a schema: in a
/// 2.x document "latest" means the latest when it was written, which the document does not say,
/// and the official 2.x examples use fields that later binding versions removed. (The typed
/// Kafka and MQTT readers of the model still check the fields the generator uses.)
fn binding_check(
    kind: &str,
    protocol: &str,
    binding: &Json,
    path: &[String],
    out: &mut Report<'_>,
) {
    let protocol = if protocol == "ws" {
        "websockets"
    } else {
        protocol
    };
    let Some(bundle) = bindings_bundle() else {
        return;
    };
    let Some(versions) = bundle.index.get(protocol).and_then(|kinds| kinds.get(kind)) else {
        return;
    };
    let mut instance = binding.clone();
    let declared = binding.get("bindingVersion");
    let version = match declared {
        None => return,
        Some(Json::String(v)) => match versions.iter().find(|known| *known == v) {
            Some(exact) => Some(exact),
            None => {
                if let Json::Object(map) = &mut instance {
                    map.remove("bindingVersion");
                }
                versions
                    .iter()
                    .find(|known| version_key(known) > version_key(v))
                    .or(versions.last())
            }
        },
        Some(_) => {
            // Not a string: say so, and check the rest against the latest schema.
            if let Json::Object(map) = &mut instance {
                map.remove("bindingVersion");
            }
            let prefix = pointer_of(path);
            let node = locate(out.sources, out.root, &format!("{prefix}/bindingVersion"));
            out.diagnostics.push(node.error(format!(
                "found {}; expected the binding version as a string, e.g. \"0.1.0\"",
                found(node)
            )));
            versions.last()
        }
    };
    let Some(version) = version else {
        return;
    };
    let Some(validator) = binding_validator(&format!("bindings-{protocol}-{version}-{kind}"))
    else {
        return;
    };
    let prefix = pointer_of(path);
    for error in validator.iter_errors(&instance) {
        out.add(&prefix, &error.to_owned());
    }
    // The binding specs say these schemas describe objects (headers, query parameters); the
    // binding JSON Schemas only say "a schema".
    let object_schemas: &[&str] = match (protocol, kind) {
        ("http", "message") | ("websockets", "channel") => &["headers", "query"],
        ("http", "operation") => &["query"],
        _ => &[],
    };
    for field in object_schemas {
        let Some(Json::String(ty)) = binding.get(*field).and_then(|schema| schema.get("type"))
        else {
            continue;
        };
        if ty != "object" {
            let node = locate(out.sources, out.root, &format!("{prefix}/{field}/type"));
            out.diagnostics.push(node.error(format!(
                "found a schema of type `{ty}`; the {protocol} binding's `{field}` must be a schema of type `object`"
            )));
        }
    }
}

fn pointer_of(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", escape_pointer_token(s)))
        .collect()
}

/// `"0.10.0"` → `[0, 10, 0]`, for ordering versions.
fn version_key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

struct BindingsBundle {
    /// protocol → kind → versions, oldest first.
    index: std::collections::HashMap<String, std::collections::HashMap<String, Vec<String>>>,
    definitions: Json,
    validators: std::sync::Mutex<std::collections::HashMap<String, Option<&'static Validator>>>,
}

fn bindings_bundle() -> Option<&'static BindingsBundle> {
    static BUNDLE: OnceLock<Option<BindingsBundle>> = OnceLock::new();
    BUNDLE
        .get_or_init(|| {
            let mut bundle: Json = serde_json::from_str(BINDINGS).ok()?;
            let definitions = bundle.get_mut("definitions")?.take();
            let mut index: std::collections::HashMap<
                String,
                std::collections::HashMap<String, Vec<String>>,
            > = serde_json::from_value(bundle.get_mut("index")?.take()).ok()?;
            for versions in index.values_mut().flat_map(|kinds| kinds.values_mut()) {
                versions.sort_by_key(|v| version_key(v));
            }
            Some(BindingsBundle {
                index,
                definitions,
                validators: Default::default(),
            })
        })
        .as_ref()
}

/// The validator of one binding definition, compiled once per process (the macro expands many
/// specs in one compiler process; leaking one validator per definition used is bounded by the
/// number of definitions).
fn binding_validator(definition: &str) -> Option<&'static Validator> {
    let bundle = bindings_bundle()?;
    let mut cache = bundle.validators.lock().ok()?;
    if let Some(found) = cache.get(definition) {
        return *found;
    }
    let schema = serde_json::json!({
        "$ref": format!("#/definitions/{definition}"),
        "definitions": bundle.definitions,
    });
    let validator = compile(&schema).map(|v| &*Box::leak(Box::new(v)));
    cache.insert(definition.to_string(), validator);
    validator
}

/// Converts a node to JSON; integers stay integers, everything keeps its order.
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// For `oneOf`/`anyOf` failures, the error of the alternative the value was most likely meant to
/// be: a mapping with `$ref` meant the Reference branch; otherwise not a branch that failed only
/// on the value's type, then the branch with the fewest errors, then the one whose errors reach
/// deepest into the value (it matched the most before failing).
fn best<'e>(error: &'e ValidationError<'static>) -> &'e ValidationError<'static> {
    let context = match error.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context
        }
        _ => return error,
    };
    let is_reference = error.instance().get("$ref").is_some();
    let score =
        |branch: &Vec<ValidationError<'static>>| -> (bool, bool, std::cmp::Reverse<usize>, usize) {
            let mentions_ref = branch.iter().any(|e| {
                matches!(e.kind(), ValidationErrorKind::Required { property } if property == "$ref")
                    || e.schema_path().as_str().contains("Reference")
            });
            let type_only = branch.iter().all(|e| {
                matches!(e.kind(), ValidationErrorKind::Type { .. })
                    && e.instance_path() == error.instance_path()
            });
            let depth = branch
                .iter()
                .map(|e| e.instance_path().as_str().len())
                .max()
                .unwrap_or(0);
            // The variant the value is written as fails on fewest counts (a security scheme of
            // another `type` fails on the type and on every field that type does not have).
            (
                is_reference == mentions_ref,
                !type_only,
                std::cmp::Reverse(branch.len()),
                depth,
            )
        };
    let Some(branch) = context
        .iter()
        .filter(|b| !b.is_empty())
        .max_by_key(|b| score(b))
    else {
        return error;
    };
    let Some(first) = branch
        .iter()
        .max_by_key(|e| e.instance_path().as_str().len())
    else {
        return error;
    };
    best(first)
}

fn describe(node: &Node, error: &ValidationError<'static>) -> Diagnostic {
    let found = found(node);
    let message = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            format!("missing required field `{name}`")
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            if let [one] = unexpected.as_slice() {
                let pointer = format!("{}/{}", node.pointer, escape_pointer_token(one));
                let target = node.get(one).unwrap_or(node);
                return Diagnostic {
                    location: target.location.clone(),
                    pointer,
                    message: format!(
                        "unknown field `{one}`; expected one of the fields the spec defines here (or an `x-` extension)"
                    ),
                };
            }
            format!(
                "unknown fields {}; expected only the fields the spec defines here (or `x-` extensions)",
                unexpected
                    .iter()
                    .map(|u| format!("`{u}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => article(&t.to_string()),
                TypeKind::Multiple(ts) => ts
                    .into_iter()
                    .map(|t| article(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("found {found}; expected {expected}")
        }
        ValidationErrorKind::Enum { options } => {
            format!("found {found}; expected one of {options}")
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("found {found}; expected {expected_value}")
        }
        ValidationErrorKind::Format { format } => {
            format!("found {found}; expected a value in `{format}` format")
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("found {found}; expected a value matching `{pattern}`")
        }
        ValidationErrorKind::PropertyNames { error } => {
            format!("invalid key: {}", error)
        }
        ValidationErrorKind::UniqueItems => format!("found {found}; expected unique items"),
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            format!(
                "found {found}, which matches more than one of the allowed forms; expected exactly one"
            )
        }
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            format!("found {found}, which matches none of the forms allowed here")
        }
        _ => format!("found {found}; {error}"),
    };
    node.error(message)
}

fn article(kind: &str) -> String {
    match kind {
        "object" => "a mapping".to_string(),
        "array" => "a sequence".to_string(),
        "integer" => "an integer".to_string(),
        "null" => "null".to_string(),
        other => format!("a {other}"),
    }
}

/// How a value is named in "found …": its kind, and short scalars themselves.
fn found(node: &Node) -> String {
    match &node.value {
        Value::String(s) if s.chars().count() <= 40 => format!("string {s:?}"),
        Value::Int(i) => format!("integer {i}"),
        Value::Float(f) => format!("number {f}"),
        Value::Bool(b) => format!("boolean {b}"),
        _ => node.kind_name().to_string(),
    }
}

/// A validator for examples of the JSON Schema at `schema` (references resolved as for the
/// document); `None` when the schema does not compile, which the structural check reports.
pub(crate) fn example_validator(sources: &Sources, schema: &Node) -> Option<Validator> {
    let schema = Inliner::new(sources, false).inline(schema, &mut Vec::new());
    jsonschema::draft7::options()
        .should_validate_formats(false)
        .build(&schema)
        .ok()
}

/// What is wrong with `instance` (an example written in the spec) under `validator`: one message
/// per problem, each naming the offending place inside the example as a JSON pointer.
pub(crate) fn example_problems(validator: &Validator, instance: &Node) -> Vec<String> {
    let instance = to_json(instance);
    validator
        .iter_errors(&instance)
        .map(|error| {
            let error = error.to_owned();
            let error = best(&error);
            let path = error.instance_path().as_str();
            let place = if path.is_empty() { "the example" } else { path };
            format!("{place}: {error}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema that failed to compile would silently skip the structural check.
    #[test]
    fn every_vendored_schema_compiles() {
        for (index, (version, _)) in SCHEMAS.iter().enumerate() {
            assert!(version_validator(index).is_some(), "{version}");
        }
        let bundle = bindings_bundle().expect("bindings bundle");
        for (protocol, kinds) in &bundle.index {
            for (kind, versions) in kinds {
                for version in versions {
                    let name = format!("bindings-{protocol}-{version}-{kind}");
                    assert!(binding_validator(&name).is_some(), "{name}");
                }
            }
        }
    }
}
