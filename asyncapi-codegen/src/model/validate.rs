//! Semantic rules that hold across the whole document, beyond what the version's JSON Schema and
//! one object's reader check: unique operation and message ids (traits applied), unique tag
//! names, addresses without query or fragment, component and server names, security
//! requirements, server variables, 3.0 references between operations, channels and servers, and
//! message examples against their schemas.

use std::collections::{HashMap, HashSet};

use super::context::Context;
use super::{Api, SpecVersion};
use crate::document::{Node, Value};

/// Runs every document-wide rule, reporting each violation.
pub(super) fn check<'a>(cx: &mut Context<'a>, api: &Api) {
    let root = &cx.doc.root;
    if let SpecVersion::V2 { minor } = api.version {
        unique_operation_ids(cx, root);
        unique_message_ids(cx, root);
        security_requirements(cx, root);
        message_examples(cx, root, minor == 0);
    } else {
        v3_references(cx, root);
        message_examples(cx, root, false);
    }
    component_and_server_names(cx, root);
    server_variables(cx, root);
    binding_schemas(cx, root);
    if let SpecVersion::V2 { .. } = api.version {
        operations_not_references(cx, root);
    }
    for channel in &api.channels {
        if let Some(at) = channel.address.find(['?', '#']) {
            cx.report(crate::diagnostic::Diagnostic::new(
                channel.location.clone(),
                channel_pointer(api, &channel.id, &channel.address),
                format!(
                    "channel address `{}` contains `{}`; an address must not carry a query or a fragment",
                    channel.address,
                    &channel.address[at..at + 1]
                ),
            ));
        }
    }
    unique_tags(cx, root);
}

fn channel_pointer(api: &Api, id: &str, address: &str) -> String {
    let key = match api.version {
        SpecVersion::V2 { .. } => address,
        SpecVersion::V3 { .. } => id,
    };
    format!("/channels/{}", crate::diagnostic::escape_pointer_token(key))
}

/// 2.x: `operationId` is unique across every channel's operations.
fn unique_operation_ids<'a>(cx: &mut Context<'a>, root: &'a Node) {
    let mut seen: HashMap<String, String> = HashMap::new();
    let Some(channels) = root.get("channels") else {
        return;
    };
    for (_, channel) in channels.entries() {
        for verb in ["publish", "subscribe"] {
            let Some(op) = channel.get(verb) else {
                continue;
            };
            let Some(id) = cx.own_or_trait(op, "operationId") else {
                continue;
            };
            let Some(text) = id.as_str() else { continue };
            if let Some(first) = seen.get(text) {
                cx.report(id.error(format!(
                    "operationId `{text}` is used twice (first at #{first}); it must be unique in the document"
                )));
            } else {
                seen.insert(text.to_owned(), id.pointer.clone());
            }
        }
    }
}

/// 2.x: `messageId` is unique across every message written in the document.
fn unique_message_ids(cx: &mut Context<'_>, root: &Node) {
    let mut ids = Vec::new();
    collect_message_ids(root, &mut ids);
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for node in ids {
        let Some(text) = node.as_str() else { continue };
        match seen.get(text) {
            Some(first) => cx.report(node.error(format!(
                "messageId `{text}` is used twice (first at #{first}); it must be unique in the document"
            ))),
            None => {
                seen.insert(text, &node.pointer);
            }
        }
    }
}

/// `messageId` fields of the message objects written in the document: under
/// `components.messages`, and each operation's `message` (or its `oneOf` alternatives).
fn collect_message_ids<'a>(root: &'a Node, out: &mut Vec<&'a Node>) {
    let components = root.get("components").and_then(|c| c.get("messages"));
    for (_, message) in components.map(Node::entries).unwrap_or_default() {
        push_message_id(message, out);
    }
    for (_, channel) in root.get("channels").map(Node::entries).unwrap_or_default() {
        for verb in ["publish", "subscribe"] {
            let Some(message) = channel.get(verb).and_then(|op| op.get("message")) else {
                continue;
            };
            push_message_id(message, out);
            for alternative in message.get("oneOf").map(Node::items).unwrap_or_default() {
                push_message_id(alternative, out);
            }
        }
    }
}

fn push_message_id<'a>(message: &'a Node, out: &mut Vec<&'a Node>) {
    if let Some(id) = message.get("messageId") {
        out.push(id);
    }
}

/// Every `tags` list holds distinct names.
fn unique_tags(cx: &mut Context<'_>, node: &Node) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key == "tags" {
                    let mut names: Vec<&str> = Vec::new();
                    for tag in value.items() {
                        let Some(name) = tag.get("name").and_then(Node::as_str) else {
                            continue;
                        };
                        if names.contains(&name) {
                            cx.report(tag.error(format!(
                                "tag `{name}` appears twice in this list; tag names must be unique"
                            )));
                        } else {
                            names.push(name);
                        }
                    }
                }
                if !matches!(key.as_str(), "payload" | "examples" | "headers") {
                    unique_tags(cx, value);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| unique_tags(cx, item)),
        _ => {}
    }
}

/// Keys of the `components` maps (`^[a-zA-Z0-9.\-_]+$`, both versions) and server names
/// (`^[A-Za-z0-9_\-]+$`).
fn component_and_server_names(cx: &mut Context<'_>, root: &Node) {
    let component_key = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    for (section, map) in root
        .get("components")
        .map(Node::entries)
        .unwrap_or_default()
    {
        if section.starts_with("x-") || !map.is_map() {
            continue;
        }
        for (key, node) in map.entries() {
            if !component_key(key) {
                cx.report(node.error(format!(
                    "component name `{key}` in `components.{section}` has characters outside \
                     letters, digits, `.`, `-` and `_`"
                )));
            }
        }
    }
    let name_ok = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
    };
    for (name, node) in root.get("servers").map(Node::entries).unwrap_or_default() {
        if !name_ok(name) {
            cx.report(node.error(format!(
                "server name `{name}` has characters outside letters, digits, `-` and `_`"
            )));
        }
    }
    for (_, channel) in root.get("channels").map(Node::entries).unwrap_or_default() {
        for (name, node) in channel
            .get("parameters")
            .map(Node::entries)
            .unwrap_or_default()
        {
            if !name_ok(name) {
                cx.report(node.error(format!(
                    "parameter name `{name}` has characters outside letters, digits, `-` and `_`"
                )));
            }
        }
    }
}

/// 2.x security requirements (servers, and operations from 2.5): each names a declared
/// security scheme, and lists scopes only for `oauth2` and `openIdConnect` schemes.
fn security_requirements<'a>(cx: &mut Context<'a>, root: &'a Node) {
    let schemes = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"));
    // A document that declares no schemes at all is not checked: the official 2.0 examples
    // name schemes they never declare (correlation-id.yml).
    if schemes.is_none() {
        return;
    }
    let mut lists: Vec<&'a Node> = servers(cx, root)
        .into_iter()
        .filter_map(|server| server.get("security"))
        .collect();
    for (_, channel) in root.get("channels").map(Node::entries).unwrap_or_default() {
        for verb in ["publish", "subscribe"] {
            lists.extend(channel.get(verb).and_then(|op| op.get("security")));
        }
    }
    for list in lists {
        for requirement in list.items() {
            for (name, scopes) in requirement.entries() {
                let scheme = schemes.and_then(|s| s.get(name));
                let Some(scheme) = scheme.and_then(|s| cx.resolve(s).ok()) else {
                    let declared: Vec<&str> = schemes
                        .map(Node::entries)
                        .unwrap_or_default()
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .collect();
                    cx.report(scopes.error(format!(
                        "security requirement names `{name}`, which is not a declared security \
                         scheme; expected one of `components.securitySchemes`: {}",
                        if declared.is_empty() {
                            "(none declared)".to_owned()
                        } else {
                            declared.join(", ")
                        }
                    )));
                    continue;
                };
                let kind = scheme
                    .get("type")
                    .and_then(Node::as_str)
                    .unwrap_or_default();
                if !matches!(kind, "oauth2" | "openIdConnect") && !scopes.items().is_empty() {
                    cx.report(scopes.error(format!(
                        "security requirement `{name}` lists scopes, but its scheme is of type \
                         `{kind}`; expected an empty list (scopes apply to oauth2 and openIdConnect)"
                    )));
                }
            }
        }
    }
}

/// The root `servers`, references followed.
fn servers<'a>(cx: &mut Context<'a>, root: &'a Node) -> Vec<&'a Node> {
    let mut out = Vec::new();
    for (_, server) in root.get("servers").map(Node::entries).unwrap_or_default() {
        if let Ok(server) = cx.resolve(server) {
            out.push(server);
        }
    }
    out
}

/// Server variables with an `enum`: their `default` and `examples` are among its values.
fn server_variables<'a>(cx: &mut Context<'a>, root: &'a Node) {
    for server in servers(cx, root) {
        for (name, variable) in server
            .get("variables")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let Ok(variable) = cx.resolve(variable) else {
                continue;
            };
            let Some(allowed) = variable.get("enum") else {
                continue;
            };
            let values: Vec<&str> = allowed.items().iter().filter_map(Node::as_str).collect();
            // The default is what `Server::default_url` fills in, so one outside `enum` is an
            // error; examples are documentation (wrong examples, see `ExamplePolicy`).
            let default = variable.get("default").into_iter().map(|d| (d, true));
            let examples = variable
                .get("examples")
                .map(Node::items)
                .unwrap_or_default();
            for (candidate, is_default) in default.chain(examples.iter().map(|e| (e, false))) {
                if let Some(text) = candidate.as_str() {
                    if !values.contains(&text) {
                        let diagnostic = candidate.error(format!(
                            "server variable `{name}` {} `{text}` is not one of its `enum` values: {}",
                            if is_default { "default" } else { "example" },
                            values.join(", ")
                        ));
                        if is_default {
                            cx.report(diagnostic);
                        } else {
                            cx.wrong_example(diagnostic);
                        }
                    }
                }
            }
        }
    }
}

/// 3.0: operations in `components.operations` list only messages of their channel, and
/// channels name only servers under the root `servers`.
fn v3_references<'a>(cx: &mut Context<'a>, root: &'a Node) {
    let operations = root.get("components").and_then(|c| c.get("operations"));
    for (id, op) in operations.map(Node::entries).unwrap_or_default() {
        let Ok(op) = cx.resolve(op) else { continue };
        let Some(Ok(channel)) = op.get("channel").and_then(|c| cx.ref_target(c)) else {
            continue;
        };
        let prefix = format!("{}/messages/", channel.pointer);
        for item in op.get("messages").map(Node::items).unwrap_or_default() {
            if let Some(Ok(target)) = cx.ref_target(item) {
                let same = target.location.file == channel.location.file
                    && target.pointer.starts_with(&prefix);
                if !same {
                    cx.report(item.error(format!(
                        "operation `{id}` lists a message that is not a message of its channel; \
                         expected a reference into `{}/messages`",
                        channel.pointer
                    )));
                }
            }
        }
    }
    let mut channels: Vec<&'a Node> = root
        .get("channels")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(_, c)| c)
        .collect();
    if let Some(more) = root.get("components").and_then(|c| c.get("channels")) {
        channels.extend(more.entries().iter().map(|(_, c)| c));
    }
    for channel in channels {
        let Ok(channel) = cx.resolve(channel) else {
            continue;
        };
        for server in channel.get("servers").map(Node::items).unwrap_or_default() {
            if let Some(Ok(target)) = cx.ref_target(server) {
                let root_server = cx.sources.in_entry(target)
                    && target
                        .pointer
                        .strip_prefix("/servers/")
                        .is_some_and(|rest| !rest.contains('/'));
                if !root_server {
                    cx.report(server.error(
                        "a channel's `servers` must refer to servers under the root `servers` \
                         object; expected `$ref: '#/servers/<name>'`",
                    ));
                }
            }
        }
    }
}

/// Every message object written in the document: under channels (2.x operations, including
/// `oneOf` lists; 3.0 channel messages) and `components.messages`, once each: the node as
/// written (perhaps a `$ref`) and the message it resolves to.
pub(super) fn message_nodes<'a>(cx: &mut Context<'a>, root: &'a Node) -> Vec<(&'a Node, &'a Node)> {
    let mut messages: Vec<&'a Node> = Vec::new();
    for (_, channel) in root.get("channels").map(Node::entries).unwrap_or_default() {
        let Ok(channel) = cx.resolve(channel) else {
            continue;
        };
        for verb in ["publish", "subscribe"] {
            if let Some(message) = channel.get(verb).and_then(|op| op.get("message")) {
                let Ok(message) = cx.resolve(message) else {
                    continue;
                };
                match message.get("oneOf") {
                    Some(list) => messages.extend(list.items()),
                    None => messages.push(message),
                }
            }
        }
        for (_, message) in channel
            .get("messages")
            .map(Node::entries)
            .unwrap_or_default()
        {
            messages.push(message);
        }
    }
    for (_, message) in root
        .get("components")
        .and_then(|c| c.get("messages"))
        .map(Node::entries)
        .unwrap_or_default()
    {
        messages.push(message);
    }
    // Each message once, as written (its name may come from the reference) and resolved.
    let mut seen: HashSet<*const Node> = HashSet::new();
    let mut unique = Vec::new();
    for written in messages {
        let Ok(target) = cx.resolve(written) else {
            continue;
        };
        if seen.insert(target) {
            unique.push((written, target));
        }
    }
    unique
}

/// Message examples (with the message's traits applied) match the message's payload and
/// headers schemas (JSON Schema formats only). A contradiction is a wrong example in 2.x and 3.0
/// alike (the official 2.x ruleset makes it an error, its 3.0 one does not check, and official
/// 3.0 examples contradict their schemas): [`crate::ExamplePolicy`] decides.
fn message_examples<'a>(cx: &mut Context<'a>, root: &'a Node, v2_0: bool) {
    for (_, message) in message_nodes(cx, root) {
        if message
            .get("schemaFormat")
            .and_then(Node::as_str)
            .is_some_and(|f| {
                super::read::SchemaFormat::of(f) != super::read::SchemaFormat::JsonSchema
            })
        {
            continue;
        }
        let Some(examples) = cx.own_or_trait(message, "examples") else {
            continue;
        };
        // Each schema is resolved and compiled once for all the message's examples.
        let validator = |field: &str| {
            let schema = message
                .get(field)
                .filter(|s| s.get("schemaFormat").is_none())?;
            crate::structure::example_validator(cx.sources, schema)
        };
        let payload = validator("payload");
        let headers = validator("headers");
        for (index, example) in examples.items().iter().enumerate() {
            let label = match example.get("name").and_then(Node::as_str) {
                Some(name) => format!("`{name}`"),
                None => format!("#{}", index + 1),
            };
            let parts =
                if example.get("payload").is_some() || example.get("headers").is_some() || !v2_0 {
                    vec![
                        (&payload, example.get("payload"), "payload"),
                        (&headers, example.get("headers"), "headers"),
                    ]
                } else {
                    vec![(&payload, Some(example), "payload")]
                };
            for (schema, value, what) in parts {
                let (Some(schema), Some(value)) = (schema, value) else {
                    continue;
                };
                for problem in crate::structure::example_problems(schema, value) {
                    cx.wrong_example(value.error(format!(
                        "message example {label}: its {what} does not match the message's {what} \
                         schema: {problem}"
                    )));
                }
            }
        }
    }
}

/// 2.x: a channel's `publish` and `subscribe` are written in place; the spec allows no Reference
/// object there.
fn operations_not_references(cx: &mut Context<'_>, root: &Node) {
    for (_, channel) in root.get("channels").map(Node::entries).unwrap_or_default() {
        for verb in ["publish", "subscribe"] {
            if let Some(reference) = channel.get(verb).and_then(|op| op.get("$ref")) {
                cx.report(reference.error(format!(
                    "`{verb}` is a reference; AsyncAPI 2.x operations must be written in place"
                )));
            }
        }
    }
}

/// Kafka bindings whose fields are schemas (`key`, `groupId`, `clientId`): a mapping there must
/// look like a schema (a `$ref`, an extension or at least one JSON Schema keyword), not like a
/// value (`key: {prop: 1}`).
fn binding_schemas(cx: &mut Context<'_>, node: &Node) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key == "bindings" {
                    if let Some(kafka) = value.get("kafka") {
                        for field in ["key", "groupId", "clientId"] {
                            if let Some(schema) = kafka.get(field).filter(|s| s.is_map()) {
                                let unknown: Vec<&str> = schema
                                    .entries()
                                    .iter()
                                    .map(|(k, _)| k.as_str())
                                    .filter(|k| {
                                        !k.starts_with("x-") && !SCHEMA_KEYWORDS.contains(k)
                                    })
                                    .collect();
                                if !unknown.is_empty() {
                                    cx.report(schema.error(format!(
                                        "the Kafka binding's `{field}` must be a schema, but `{}` is not a \
                                         schema keyword",
                                        unknown.join("`, `")
                                    )));
                                }
                            }
                        }
                    }
                }
                if !matches!(key.as_str(), "payload" | "examples" | "headers" | "schemas") {
                    binding_schemas(cx, value);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| binding_schemas(cx, item)),
        _ => {}
    }
}

/// The keywords of AsyncAPI's JSON Schema dialect.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "$id",
    "$schema",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "type",
    "enum",
    "const",
    "format",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "items",
    "additionalItems",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "dependencies",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "definitions",
    "discriminator",
    "externalDocs",
    "deprecated",
    "contentEncoding",
    "contentMediaType",
];
