//! AsyncAPI 3.0 and 3.1 → model. 3.x already speaks from the application's point of view:
//! `action: send` and `action: receive` map straight onto [`Action`].

use std::collections::HashMap;

use super::context::Context;
use super::read;
use super::schema::Schema;
use super::{Action, Api, Channel, Message, Operation, Parameter, Reply, SpecVersion};
use crate::document::{Node, Value};

pub(super) fn build(cx: &mut Context<'_>, version: SpecVersion) -> Api {
    let (title, api_version, description) = read::info(cx);
    read::named_schemas(cx);
    let root = &cx.doc.root;
    let mut channels = Vec::new();
    // Pointer of each channel definition → its index, to match `operation.channel` references
    // (the first channel wins when two are references to one definition).
    let mut channel_pointers = HashMap::new();
    if let Some(channel_map) = cx.opt_map(root, "channels") {
        for (id, item) in channel_map.entries() {
            let Ok(item) = cx.resolve(item) else { continue };
            let (address, dynamic) = match item.get("address") {
                Some(Node {
                    value: Value::String(a),
                    ..
                }) => (a.clone(), false),
                // The address is decided at runtime: sending takes one, receiving a filter.
                Some(Node {
                    value: Value::Null, ..
                })
                | None => (String::new(), true),
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
            channel_pointers
                .entry(item.pointer.clone())
                .or_insert(channels.len());
            channels.push(Channel {
                id: id.clone(),
                address,
                dynamic,
                description: cx.opt_str(item, "description"),
                parameters,
                kafka: super::bindings::kafka_channel(cx, item),
                location: item.location.clone(),
            });
        }
    }
    let mut operations = Vec::new();
    if let Some(op_map) = cx.opt_map(root, "operations") {
        for (id, op) in op_map.entries() {
            let Ok(op) = cx.resolve(op) else { continue };
            if let Some(mut operation) = operation(cx, id, op, &channels, &channel_pointers) {
                operation.failure = super::failure::read(
                    cx,
                    id,
                    operation.action,
                    op,
                    operation.channel,
                    &channels,
                    &channel_pointers,
                );
                operations.push(operation);
            }
        }
    }
    Api {
        version,
        title,
        api_version,
        description,
        channels,
        operations,
        servers: read::servers(cx),
        schemas: Vec::new(),
        messages: Vec::new(),
        unsupported: Vec::new(),
        warnings: Vec::new(),
        wrong_examples: Vec::new(),
    }
}

fn operation<'a>(
    cx: &mut Context<'a>,
    id: &str,
    op: &'a Node,
    channels: &[Channel],
    channel_pointers: &HashMap<String, usize>,
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
    let Some(&channel) = channel_pointers.get(&channel_node.pointer) else {
        cx.report(channel_ref.error(format!(
            "operation `{id}` refers to a channel outside `channels`; expected `$ref: '#/channels/<id>'`"
        )));
        return None;
    };
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
    let messages = read_messages(cx, id, op, &message_nodes)?;
    let reply = match op.get("reply") {
        Some(reply) => Some(reply_of(cx, id, reply, channels, channel_pointers)?),
        None => None,
    };
    let mut operation = read::operation(cx, id.to_owned(), action, channel, op, messages);
    operation.reply = reply;
    Some(operation)
}

/// Reads an operation's (or reply's) messages; none at all cannot be typed.
fn read_messages<'a>(
    cx: &mut Context<'a>,
    id: &str,
    at: &'a Node,
    nodes: &[(String, &'a Node)],
) -> Option<Vec<Message>> {
    if nodes.is_empty() {
        // No message declared (here or on the channel): any JSON value.
        return Some(vec![read::untyped_message(at, &format!("{id} message"))]);
    }
    let mut messages = Vec::new();
    for (fallback, node) in nodes {
        messages.push(read::message(cx, node, fallback)?);
    }
    Some(messages)
}

/// An operation's `reply`: its channel (when its address is known), a dynamic address, and its
/// messages (listed, else the reply channel's).
fn reply_of<'a>(
    cx: &mut Context<'a>,
    id: &str,
    reply: &'a Node,
    channels: &[Channel],
    channel_pointers: &HashMap<String, usize>,
) -> Option<Reply> {
    let reply = cx.resolve(reply).ok()?;
    let address = match reply.get("address") {
        Some(a) => {
            let a = cx.resolve(a).ok()?;
            match a.get("location") {
                Some(location) => read::runtime_expression(cx, location),
                None => None,
            }
        }
        None => None,
    };
    let channel_node = match reply.get("channel") {
        Some(c) => Some(cx.resolve(c).ok()?),
        None => None,
    };
    let channel = channel_node
        .and_then(|node| channel_pointers.get(&node.pointer).copied())
        .filter(|&i| !channels[i].dynamic);
    if channel.is_none() && address.is_none() {
        cx.unsupported(reply.error(format!(
            "the reply of operation `{id}` has neither a channel with an address nor an \
             `address.location`; the generator cannot tell where replies go"
        )));
    }
    let nodes: Vec<(String, &'a Node)> = match (reply.get("messages"), channel_node) {
        (Some(list), _) => list
            .items()
            .iter()
            .map(|n| (format!("{id} reply"), n))
            .collect(),
        (None, Some(node)) => node
            .get("messages")
            .map(|m| m.entries().iter().map(|(k, n)| (k.clone(), n)).collect())
            .unwrap_or_default(),
        (None, None) => Vec::new(),
    };
    let messages = read_messages(cx, id, reply, &nodes)?;
    if messages.iter().any(|m| m.codec != super::Codec::Json) {
        cx.unsupported(reply.error(format!(
            "the reply of operation `{id}` is not JSON; replies are JSON only for now"
        )));
    }
    Some(Reply {
        channel,
        address,
        messages,
    })
}

/// The declared parameters, or `None` when the channel has no `parameters` field.
fn parameters<'a>(cx: &mut Context<'a>, channel: &'a Node) -> Option<Vec<Parameter>> {
    channel.get("parameters")?;
    let Some(params) = cx.opt_map(channel, "parameters") else {
        return Some(Vec::new());
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
        // Examples (and the default) of an enumerated parameter are among its values. Neither
        // is used by the generated code: a contradiction is a wrong example (`ExamplePolicy`).
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
                    cx.wrong_example(example.error(format!(
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
    Some(out)
}
