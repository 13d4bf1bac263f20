//! Readers shared by the 2.x and 3.0 builders: info, messages, schemas, bindings, placeholders.

use super::context::Context;
use super::schema::SchemaKind;
use super::{
    Action, Codec, Message, Operation, Parameter, RuntimeExpression, SecurityScheme, Server,
    ServerVariable, json_schema, schema,
};
use crate::document::{Node, Value};

/// `info.title`, `info.version`, `info.description`.
pub(super) fn info(cx: &mut Context<'_>) -> (String, String, Option<String>) {
    let root = &cx.doc.root;
    let Some(info) = root.get("info") else {
        cx.report(root.error("missing field `info`; expected the API's title and version"));
        return (String::new(), String::new(), None);
    };
    let title = cx.opt_str(info, "title");
    let version = cx.opt_str(info, "version");
    if title.is_none() {
        cx.report(info.error("missing field `title` in `info`"));
    }
    if version.is_none() {
        cx.report(info.error("missing field `version` in `info`"));
    }
    let description = cx.opt_str(info, "description");
    (
        title.unwrap_or_default(),
        version.unwrap_or_default(),
        description,
    )
}

/// Reads every schema under `components.schemas` into the context's named schemas, in document
/// order (before anything refers to them, so they keep their document order).
pub(super) fn named_schemas(cx: &mut Context<'_>) {
    let root = &cx.doc.root;
    let Some(components) = root.get("components") else {
        return;
    };
    let Some(schemas) = cx.opt_map(components, "schemas") else {
        return;
    };
    for (name, node) in schemas.entries() {
        json_schema::read_component(cx, name, node);
    }
}

/// Reads a message object (following `$ref`), naming it by `name`, else by the last token of the
/// reference that led to it, else by `fallback`.
pub(super) fn message<'a>(cx: &mut Context<'a>, node: &'a Node, fallback: &str) -> Option<Message> {
    let ref_name = node
        .get("$ref")
        .and_then(Node::as_str)
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_owned);
    let target = cx.resolve(node).ok()?;
    if !target.is_map() {
        cx.report(target.error(format!(
            "a message is {}; expected a mapping",
            target.kind_name()
        )));
        return None;
    }
    let id = cx.opt_str(target, "messageId").or_else(|| ref_name.clone());
    let name = cx
        .opt_str(target, "name")
        .or(ref_name)
        .unwrap_or_else(|| fallback.to_owned());
    let correlation_id = correlation_id(cx, target);
    let kafka_key = match cx
        .own_or_trait(target, "bindings")
        .and_then(|b| b.get("kafka"))
        .map(|k| cx.resolve(k))
    {
        Some(Ok(kafka)) => match kafka.get("key") {
            Some(key) if key.get("schemaFormat").is_some() => payload_schema(cx, target, key),
            // A key schema kept in an Avro file (`.avsc`), as Kafka users with a schema
            // registry write them.
            Some(key) if is_avro_file(key) => super::avro::read(cx, key),
            Some(key) => json_schema::read(cx, key),
            None => None,
        },
        _ => None,
    };
    let title = cx.opt_str(target, "title");
    let summary = cx.opt_str(target, "summary");
    let description = cx.opt_str(target, "description");
    let default_content_type = cx.opt_str(&cx.doc.root, "defaultContentType");
    let content_type = cx.opt_str(target, "contentType").or(default_content_type);
    let mut codec = match content_type.as_deref().map(Codec::of_content_type) {
        None => Codec::Json,
        Some(Some(codec)) => codec,
        Some(None) => {
            let at = target.get("contentType").unwrap_or(target);
            cx.unsupported(at.error(format!(
                "content type `{}` has no codec; the generator reads {}",
                content_type.as_deref().unwrap_or_default(),
                Codec::SUPPORTED
            )));
            Codec::Json
        }
    };
    let payload = match target.get("payload") {
        None => json_schema::any(target),
        Some(payload) => payload_schema(cx, target, payload)?,
    };
    // A payload that is binary data by its schema is sent as the bytes themselves, whatever
    // content type (or none) says JSON; text stays text.
    if codec == Codec::Json
        && matches!(&payload.kind, SchemaKind::String { format: Some(f), .. } if f == "binary")
    {
        codec = Codec::Binary;
    }
    let headers = match cx.own_or_trait(target, "headers") {
        None => None,
        // 2.x `schemaFormat` is the payload's; headers are AsyncAPI schemas unless a 3.0
        // multi-format object says otherwise.
        Some(headers) if headers.get("schemaFormat").is_some() => {
            Some(payload_schema(cx, target, headers)?)
        }
        Some(headers) => Some(json_schema::read(cx, headers)?),
    };
    let headers_trait = if target.get("headers").is_some() {
        None
    } else {
        target
            .get("traits")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .rev()
            .find(|t| cx.resolve(t).is_ok_and(|t| t.get("headers").is_some()))
            .and_then(|t| t.get("$ref").and_then(Node::as_str))
            .and_then(|r| r.rsplit('/').next())
            .map(str::to_owned)
    };
    let examples = message_examples(cx, target);
    Some(Message {
        key: format!("{}#{}", target.location.file.display(), target.pointer),
        name,
        id,
        correlation_id,
        kafka_key,
        title,
        summary,
        description,
        content_type,
        codec,
        payload,
        headers,
        headers_trait,
        examples,
    })
}

/// The message of an operation that declares none: any JSON payload, no headers.
pub(super) fn untyped_message(operation: &Node, name: &str) -> Message {
    Message {
        key: format!(
            "{}#{}/message",
            operation.location.file.display(),
            operation.pointer
        ),
        name: name.to_owned(),
        id: None,
        correlation_id: None,
        kafka_key: None,
        title: None,
        summary: None,
        description: Some("The operation declares no message: any JSON value.".to_owned()),
        content_type: None,
        codec: Codec::Json,
        payload: json_schema::any(operation),
        headers: None,
        headers_trait: None,
        examples: Vec::new(),
    }
}

/// Whether `node` is a reference to an Avro schema file.
fn is_avro_file(node: &Node) -> bool {
    node.get("$ref")
        .and_then(Node::as_str)
        .is_some_and(|r| r.split('#').next().unwrap_or("").ends_with(".avsc"))
}

/// `correlationId.location` of a message (own or from its traits).
fn correlation_id<'a>(cx: &mut Context<'a>, message: &'a Node) -> Option<RuntimeExpression> {
    let node = cx.own_or_trait(message, "correlationId")?;
    let node = cx.resolve(node).ok()?;
    let location = node.get("location")?;
    runtime_expression(cx, location)
}

/// A runtime expression (`$message.header#/...` or `$message.payload#/...`); anything else is
/// reported.
pub(super) fn runtime_expression(cx: &mut Context<'_>, node: &Node) -> Option<RuntimeExpression> {
    let text = node.as_str()?;
    let parsed = RuntimeExpression::parse(text);
    if parsed.is_none() {
        cx.report(node.error(format!(
            "`{text}` is not a runtime expression the generator reads; expected \
             `$message.header#/<name>` or `$message.payload#/<pointer>`"
        )));
    }
    parsed
}

/// The root `servers` (references followed), with their variables and security schemes.
pub(super) fn servers(cx: &mut Context<'_>) -> Vec<Server> {
    let root = &cx.doc.root;
    let schemes = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"));
    let mut out = Vec::new();
    for (name, node) in root.get("servers").map(Node::entries).unwrap_or_default() {
        let Ok(node) = cx.resolve(node) else { continue };
        let url = match cx.opt_str(node, "url") {
            Some(url) => url,
            None => {
                let host = cx.opt_str(node, "host").unwrap_or_default();
                let path = cx.opt_str(node, "pathname").unwrap_or_default();
                format!("{host}{path}")
            }
        };
        let mut variables = Vec::new();
        for (var, v) in node.get("variables").map(Node::entries).unwrap_or_default() {
            let Ok(v) = cx.resolve(v) else { continue };
            variables.push(ServerVariable {
                name: var.clone(),
                default: cx.opt_str(v, "default"),
                allowed: v
                    .get("enum")
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|e| e.as_str().map(str::to_owned))
                    .collect(),
                description: cx.opt_str(v, "description"),
            });
        }
        let mut security: Vec<SecurityScheme> = Vec::new();
        for (index, requirement) in node
            .get("security")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            // 2.x: `{schemeName: [scopes]}`; 3.0: a security scheme object or a reference to one.
            let found: Vec<(String, &Node)> =
                if requirement.get("type").is_some() || requirement.get("$ref").is_some() {
                    let key = requirement
                        .get("$ref")
                        .and_then(Node::as_str)
                        .and_then(|r| r.rsplit('/').next())
                        .map_or_else(|| format!("security{}", index + 1), str::to_owned);
                    cx.resolve(requirement)
                        .ok()
                        .map(|s| vec![(key, s)])
                        .unwrap_or_default()
                } else {
                    requirement
                        .entries()
                        .iter()
                        .filter_map(|(scheme, _)| {
                            let node = schemes?.get(scheme)?;
                            Some((scheme.clone(), cx.resolve(node).ok()?))
                        })
                        .collect()
                };
            for (scheme_name, scheme) in found {
                if security.iter().any(|s| s.name == scheme_name) {
                    continue;
                }
                security.push(SecurityScheme {
                    name: scheme_name,
                    kind: cx.opt_str(scheme, "type").unwrap_or_default(),
                    description: cx.opt_str(scheme, "description"),
                });
            }
        }
        out.push(Server {
            name: name.clone(),
            url,
            protocol: cx.opt_str(node, "protocol").unwrap_or_default(),
            protocol_version: cx.opt_str(node, "protocolVersion"),
            description: cx.opt_str(node, "description"),
            variables,
            security,
            mqtt: super::bindings::mqtt_server(cx, node),
        });
    }
    out
}

/// A message's `examples` (own, else its traits'), as JSON. A 2.0 example without `payload` or
/// `headers` is the payload itself.
fn message_examples<'a>(cx: &mut Context<'a>, message: &'a Node) -> Vec<super::MessageExample> {
    let Some(list) = cx.own_or_trait(message, "examples") else {
        return Vec::new();
    };
    list.items()
        .iter()
        .enumerate()
        .map(|(index, example)| {
            let structured = example.get("payload").is_some() || example.get("headers").is_some();
            let payload = if structured {
                example.get("payload")
            } else {
                Some(example)
            };
            super::MessageExample {
                name: example
                    .get("name")
                    .filter(|_| structured)
                    .and_then(Node::as_str)
                    .map_or_else(|| format!("#{}", index + 1), str::to_owned),
                summary: example
                    .get("summary")
                    .filter(|_| structured)
                    .and_then(Node::as_str)
                    .map(str::to_owned),
                payload: payload.map(crate::structure::to_json),
                headers: example
                    .get("headers")
                    .filter(|_| structured)
                    .map(crate::structure::to_json),
            }
        })
        .collect()
}

/// The schema of a payload in whatever format it declares (the message's `schemaFormat` in 2.x,
/// the 3.0 multi-format object's), converted to the model's representation.
fn payload_schema<'a>(
    cx: &mut Context<'a>,
    message: &'a Node,
    payload: &'a Node,
) -> Option<schema::Schema> {
    let (format_node, schema_node) = match payload.get("schemaFormat") {
        Some(f) => (Some(f), payload.get("schema")?),
        None => (message.get("schemaFormat"), payload),
    };
    let format = format_node
        .and_then(Node::as_str)
        .unwrap_or("application/vnd.aai.asyncapi+json");
    match SchemaFormat::of(format) {
        SchemaFormat::JsonSchema => json_schema::read(cx, schema_node),
        SchemaFormat::OpenApi => {
            json_schema::read_dialect(cx, schema_node, json_schema::Dialect::OpenApi)
        }
        SchemaFormat::Avro => super::avro::read(cx, schema_node),
        // The generator reads only AsyncAPI/JSON Schema, OpenAPI 3.0 and Avro 1.9 schemas; any
        // other format's payload is any JSON value, its type documented with the format.
        SchemaFormat::Other => Some(json_schema::foreign(cx, schema_node, format)),
    }
}

/// The schema formats the model reads.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum SchemaFormat {
    JsonSchema,
    OpenApi,
    Avro,
    Other,
}

impl SchemaFormat {
    /// The format a `schemaFormat` value names (its media type; parameters such as `version`
    /// are ignored).
    pub(super) fn of(format: &str) -> SchemaFormat {
        let essence = format.split(';').next().unwrap_or("").trim();
        match essence {
            "application/vnd.aai.asyncapi"
            | "application/vnd.aai.asyncapi+json"
            | "application/vnd.aai.asyncapi+yaml"
            | "application/schema+json"
            | "application/schema+yaml" => SchemaFormat::JsonSchema,
            "application/vnd.oai.openapi"
            | "application/vnd.oai.openapi+json"
            | "application/vnd.oai.openapi+yaml" => SchemaFormat::OpenApi,
            "application/vnd.apache.avro"
            | "application/vnd.apache.avro+json"
            | "application/vnd.apache.avro+yaml" => SchemaFormat::Avro,
            _ => SchemaFormat::Other,
        }
    }
}

/// An operation and its messages, with the fields both versions share read from `op`.
pub(super) fn operation<'a>(
    cx: &mut Context<'a>,
    id: String,
    action: Action,
    channel: usize,
    op: &'a Node,
    messages: Vec<Message>,
) -> Operation {
    one_codec(cx, &id, op, &messages);
    let (mqtt_qos, mqtt_retain) = mqtt_binding(cx, op);
    Operation {
        id,
        action,
        channel,
        summary: cx.opt_str(op, "summary"),
        description: cx.opt_str(op, "description"),
        messages,
        reply: None,
        mqtt_qos,
        mqtt_retain,
        kafka: super::bindings::kafka_operation(cx, op),
        // Read once every channel is known (a dead-letter channel may come later).
        failure: None,
        location: op.location.clone(),
        pointer: op.pointer.clone(),
    }
}

/// An operation's messages go through one codec: several messages are told apart by their
/// JSON, so a text or binary message stands alone.
fn one_codec(cx: &mut Context<'_>, id: &str, at: &Node, messages: &[Message]) {
    if messages.len() > 1 && messages.iter().any(|m| m.codec != Codec::Json) {
        cx.unsupported(at.error(format!(
            "operation `{id}` has several messages, not all JSON; a text or binary message can \
             only be an operation's one message (several messages are told apart by their JSON)"
        )));
    }
}

/// `bindings.mqtt.qos` and `.retain` of an operation, its traits applied first (the operation's
/// own values win, as both versions' trait rules say).
fn mqtt_binding<'a>(cx: &mut Context<'a>, operation: &'a Node) -> (Option<u8>, Option<bool>) {
    let mut qos = None;
    let mut retain = None;
    for source in super::bindings::traits_then_own(cx, operation) {
        let Some(mqtt) = source.get("bindings").and_then(|b| b.get("mqtt")) else {
            continue;
        };
        let Ok(mqtt) = cx.resolve(mqtt) else { continue };
        if let Some(q) = mqtt.get("qos") {
            match q.value {
                Value::Int(n @ 0..=2) => qos = Some(n as u8),
                _ => cx.report(q.error("MQTT binding `qos` must be 0, 1 or 2")),
            }
        }
        if let Some(r) = mqtt.get("retain") {
            match r.value {
                Value::Bool(b) => retain = Some(b),
                _ => cx.report(r.error("MQTT binding `retain` must be a boolean")),
            }
        }
    }
    (qos, retain)
}

/// The `{name}` placeholders of an address, in order.
pub(crate) fn placeholders(address: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = address;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// The parameters of an address in placeholder order. 2.x is lenient (the TCK accepts a
/// placeholder without a declaration, and a declaration without a placeholder): an undeclared
/// placeholder is a string, an unused declaration is dropped.
pub(super) fn order_parameters(
    address: &str,
    mut declared: Vec<Parameter>,
    channel: &Node,
) -> Vec<Parameter> {
    placeholders(address)
        .into_iter()
        .map(|name| match declared.iter().position(|p| p.name == name) {
            Some(i) => declared.swap_remove(i),
            None => Parameter {
                name: name.to_owned(),
                description: None,
                schema: schema::Schema::string(None, channel.location.clone()),
            },
        })
        .collect()
}

/// 3.0: orders the parameters as the placeholders appear. A channel without a `parameters` field
/// takes each placeholder as a string parameter, as the reference parser accepts it; a channel
/// with one must declare exactly its placeholders (the reference parser's
/// `asyncapi3-channel-parameters` rule, severity error).
pub(super) fn match_parameters(
    cx: &mut Context<'_>,
    channel: &Node,
    address: &str,
    declared: Option<Vec<Parameter>>,
) -> Vec<Parameter> {
    let Some(mut declared) = declared else {
        return order_parameters(address, Vec::new(), channel);
    };
    let names = placeholders(address);
    let mut ordered = Vec::with_capacity(names.len());
    for name in &names {
        match declared.iter().position(|p| p.name == *name) {
            Some(i) => ordered.push(declared.swap_remove(i)),
            None => cx.report(channel.error(format!(
                "the address `{address}` has placeholder `{{{name}}}` but the channel's \
                 `parameters` do not declare `{name}`; expected a `parameters.{name}` entry (or no \
                 `parameters` at all, which makes every placeholder a string parameter)"
            ))),
        }
    }
    for extra in declared {
        cx.report(channel.error(format!(
            "the channel declares parameter `{}` that its address `{address}` does not use",
            extra.name
        )));
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_in_order() {
        assert_eq!(placeholders("a/{x}/b/{y}"), vec!["x", "y"]);
        assert_eq!(placeholders("a/b"), Vec::<&str>::new());
        assert_eq!(placeholders("a/{open"), Vec::<&str>::new());
    }

    #[test]
    fn codecs_of_content_types() {
        let json = Some(Codec::Json);
        assert_eq!(Codec::of_content_type("application/json"), json);
        assert_eq!(
            Codec::of_content_type("application/cloudevents+json; charset=utf-8"),
            json
        );
        assert_eq!(Codec::of_content_type("application/avro"), None);
        assert_eq!(Codec::of_content_type("text/csv"), Some(Codec::Text));
        assert_eq!(
            Codec::of_content_type("application/text"),
            Some(Codec::Text)
        );
        assert_eq!(
            Codec::of_content_type("application/octet-stream"),
            Some(Codec::Binary)
        );
    }
}
