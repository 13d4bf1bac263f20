//! AsyncAPI 2.0–2.6 → model.
//!
//! The one place where 2.x's inverted verbs are translated: a channel's `publish` operation is what
//! *clients* do to the application, so the application **receives** it; `subscribe` is what clients
//! listen to, so the application **sends** it.
//!
//! 2.x channels have no id; a channel is named after its first operation's `operationId`
//! (`publish` first), else after its address.

use heck::ToLowerCamelCase;

use super::context::Context;
use super::read;
use super::schema::Schema;
use super::{Action, Api, Channel, Parameter, SpecVersion};
use crate::document::Node;

pub(super) fn build(cx: &mut Context<'_>, version: SpecVersion) -> Api {
    let (title, api_version, description) = read::info(cx);
    read::named_schemas(cx);
    let mut channels = Vec::new();
    let mut operations = Vec::new();
    // Each operation's node, to read its failure policy once every channel is known.
    let mut operation_nodes = Vec::new();
    // What each operation's messages say about replies, to pair requests with responses.
    let mut reply_hints = Vec::new();
    let mut channel_pointers = std::collections::HashMap::new();
    let root = &cx.doc.root;
    let channel_map = cx.opt_map(root, "channels");
    if channel_map.is_none() {
        cx.report(root.error("missing field `channels`; expected a mapping of channel addresses"));
    }
    for (address, item) in channel_map.map(Node::entries).unwrap_or_default() {
        let Ok(item) = cx.resolve(item) else { continue };
        let verbs = [("publish", Action::Receive), ("subscribe", Action::Send)];
        let id = verbs
            .iter()
            .find_map(|(verb, _)| item.get(verb).and_then(|op| cx.opt_str(op, "operationId")))
            .unwrap_or_else(|| address.to_lower_camel_case());
        let declared = parameters(cx, item);
        let used = read::placeholders(address);
        for unused in declared.iter().filter(|p| !used.contains(&p.name.as_str())) {
            let at = item
                .get("parameters")
                .and_then(|p| p.get(&unused.name))
                .unwrap_or(item);
            cx.warn(at.error(format!(
                "the channel declares parameter `{}` that its address `{address}` does not use; \
                 it is left out",
                unused.name
            )));
        }
        let parameters = read::order_parameters(address, declared, item);
        let index = channels.len();
        channel_pointers
            .entry(item.pointer.clone())
            .or_insert(index);
        channels.push(Channel {
            id: id.clone(),
            address: address.clone(),
            dynamic: false,
            description: cx.opt_str(item, "description"),
            parameters,
            kafka: super::bindings::kafka_channel(cx, item),
            location: item.location.clone(),
        });
        for (verb, action) in verbs {
            let Some(op) = item.get(verb) else { continue };
            let Ok(op) = cx.resolve(op) else { continue };
            let op_id = cx
                .opt_str(op, "operationId")
                .unwrap_or_else(|| format!("{verb} {id}").to_lower_camel_case());
            let untyped = || vec![read::untyped_message(op, &format!("{op_id} message"))];
            let messages = match op.get("message") {
                // 2.x allows an operation without a message: any JSON value.
                None => untyped(),
                Some(message_node) => {
                    let Ok(resolved) = cx.resolve(message_node) else {
                        continue;
                    };
                    match resolved.get("oneOf") {
                        // `oneOf: []` (valid for the reference parser) is no message either.
                        Some(list) if list.items().is_empty() => untyped(),
                        Some(list) => list
                            .items()
                            .iter()
                            .filter_map(|m| read::message(cx, m, &format!("{op_id} message")))
                            .collect(),
                        None => {
                            match read::message(cx, message_node, &format!("{op_id} message")) {
                                Some(message) => vec![message],
                                None => continue,
                            }
                        }
                    }
                }
            };
            let message_nodes: Vec<&Node> = match op.get("message") {
                None => Vec::new(),
                Some(node) => match cx.resolve(node).ok().and_then(|m| m.get("oneOf")) {
                    Some(list) => list.items().iter().collect(),
                    None => vec![node],
                },
            };
            reply_hints.push(super::pairs::hint(cx, &message_nodes));
            operation_nodes.push(op);
            operations.push(read::operation(cx, op_id, action, index, op, messages));
        }
    }
    for (operation, op) in operations.iter_mut().zip(operation_nodes) {
        operation.failure = super::failure::read(
            cx,
            &operation.id,
            operation.action,
            op,
            operation.channel,
            &channels,
            &channel_pointers,
        );
    }
    super::pairs::fold(&mut operations, &reply_hints, &channels);
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

fn parameters<'a>(cx: &mut Context<'a>, channel: &'a Node) -> Vec<Parameter> {
    let Some(params) = cx.opt_map(channel, "parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, node) in params.entries() {
        let Ok(node) = cx.resolve(node) else { continue };
        let schema = match node.get("schema") {
            Some(s) => match super::json_schema::read(cx, s) {
                Some(schema) => schema,
                None => continue,
            },
            None => Schema::string(None, node.location.clone()),
        };
        out.push(Parameter {
            name: name.clone(),
            description: cx.opt_str(node, "description"),
            schema,
        });
    }
    out
}
