//! AsyncAPI 3.0 → model. 3.0 already speaks from the application's point of view: `action: send`
//! and `action: receive` map straight onto [`Action`].

use super::context::Context;
use super::read;
use super::schema::Schema;
use super::{Action, Api, Channel, Operation, Parameter, SpecVersion};
use crate::document::{Node, Value};

pub(super) fn build(cx: &mut Context<'_>) -> Api {
    let (title, api_version, description) = read::info(cx);
    read::named_schemas(cx);
    let root = &cx.doc.root;
    let mut channels = Vec::new();
    // Pointer of each channel definition, to match `operation.channel` references.
    let mut channel_pointers = Vec::new();
    if let Some(channel_map) = cx.opt_map(root, "channels") {
        for (id, item) in channel_map.entries() {
            let Ok(item) = cx.resolve(item) else { continue };
            let address = match item.get("address") {
                Some(Node {
                    value: Value::String(a),
                    ..
                }) => a.clone(),
                Some(Node {
                    value: Value::Null, ..
                })
                | None => {
                    // An unknown (dynamic) address: operations on it are refused below.
                    String::new()
                }
                Some(other) => {
                    cx.report(other.error(format!(
                        "`address` is {}; expected a string or null",
                        other.kind_name()
                    )));
                    continue;
                }
            };
            let declared = parameters(cx, item);
            let parameters = read::match_parameters(cx, item, &address, declared);
            channel_pointers.push(item.pointer.clone());
            channels.push(Channel {
                id: id.clone(),
                address,
                description: cx.opt_str(item, "description"),
                parameters,
                location: item.location.clone(),
            });
        }
    }
    let mut operations = Vec::new();
    if let Some(op_map) = cx.opt_map(root, "operations") {
        for (id, op) in op_map.entries() {
            let Ok(op) = cx.resolve(op) else { continue };
            if let Some(operation) = operation(cx, id, op, &channels, &channel_pointers) {
                operations.push(operation);
            }
        }
    }
    Api {
        version: SpecVersion::V3,
        title,
        api_version,
        description,
        channels,
        operations,
        schemas: Vec::new(),
        messages: Vec::new(),
        unsupported: Vec::new(),
    }
}

fn operation<'a>(
    cx: &mut Context<'a>,
    id: &str,
    op: &'a Node,
    channels: &[Channel],
    channel_pointers: &[String],
) -> Option<Operation> {
    let action = match op.get("action").and_then(Node::as_str) {
        Some("send") => Action::Send,
        Some("receive") => Action::Receive,
        _ => {
            let at = op.get("action").unwrap_or(op);
            cx.report(at.error(format!(
                "operation `{id}` has no valid `action`; expected `send` or `receive`"
            )));
            return None;
        }
    };
    let Some(channel_ref) = op.get("channel") else {
        cx.report(op.error(format!("operation `{id}` has no `channel`")));
        return None;
    };
    let channel_node = cx.resolve(channel_ref).ok()?;
    let Some(channel) = channel_pointers
        .iter()
        .position(|p| *p == channel_node.pointer)
    else {
        cx.report(channel_ref.error(format!(
            "operation `{id}` refers to a channel outside `channels`; expected `$ref: '#/channels/<id>'`"
        )));
        return None;
    };
    if channels[channel].address.is_empty() {
        cx.unsupported(channel_ref.error(format!(
            "operation `{id}` uses channel `{}` whose address is unknown (null); the generator \
             does not implement dynamic addresses yet",
            channels[channel].id
        )));
    }
    // 3.0: an operation's messages are a subset of its channel's messages.
    let channel_messages = format!("{}/messages/", channel_node.pointer);
    for item in op.get("messages").map(Node::items).unwrap_or_default() {
        if let Some(Ok(target)) = cx.ref_target(item) {
            let same_file = target.location.file == channel_node.location.file;
            if !(same_file && target.pointer.starts_with(&channel_messages)) {
                cx.report(item.error(format!(
                    "operation `{id}` lists a message that is not a message of its channel `{}`; \
                     expected `$ref: '#/channels/{}/messages/<name>'`",
                    channels[channel].id, channels[channel].id
                )));
            }
        }
    }
    // Each message with a fallback name: its key under the channel's `messages` when known.
    let message_nodes: Vec<(String, &'a Node)> = match op.get("messages") {
        Some(list) => list
            .items()
            .iter()
            .map(|n| (format!("{id} message"), n))
            .collect(),
        None => channel_node
            .get("messages")
            .map(|m| m.entries().iter().map(|(k, n)| (k.clone(), n)).collect())
            .unwrap_or_default(),
    };
    if message_nodes.len() != 1 {
        cx.unsupported(op.error(format!(
            "operation `{id}` carries {} messages; the generator handles exactly one so far",
            message_nodes.len()
        )));
    }
    let mut messages = Vec::new();
    for (fallback, node) in &message_nodes {
        messages.push(read::message(cx, node, fallback)?);
    }
    Some(read::operation(
        cx,
        id.to_owned(),
        action,
        channel,
        op,
        messages,
    ))
}

fn parameters<'a>(cx: &mut Context<'a>, channel: &'a Node) -> Vec<Parameter> {
    let Some(params) = cx.opt_map(channel, "parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, node) in params.entries() {
        let Ok(node) = cx.resolve(node) else { continue };
        let variants = node.get("enum").map(|list| {
            list.items()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        });
        // Examples (and the default) of an enumerated parameter are among its values.
        if let Some(values) = &variants {
            let examples = node.get("examples").map(Node::items).unwrap_or_default();
            let default = node.get("default").into_iter();
            for (index, example) in examples.iter().chain(default).enumerate() {
                if let Some(text) = example.as_str().filter(|t| !values.iter().any(|v| v == t)) {
                    let what = if index < examples.len() {
                        format!("example #{}", index + 1)
                    } else {
                        "the default".to_owned()
                    };
                    cx.report(example.error(format!(
                        "{what} of parameter `{name}` is \"{text}\", which is not one of its \
                         `enum` values {values:?}"
                    )));
                }
            }
        }
        out.push(Parameter {
            name: name.clone(),
            description: cx.opt_str(node, "description"),
            schema: Schema::string(variants, node.location.clone()),
        });
    }
    out
}
