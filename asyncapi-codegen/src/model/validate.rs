//! Semantic rules that hold across the whole document, beyond what one object's reader checks:
//! unique operation and message ids, unique tag names, addresses without query or fragment.

use std::collections::HashMap;

use super::context::Context;
use super::{Api, SpecVersion};
use crate::document::{Node, Value};

/// Runs every document-wide rule, reporting each violation.
pub(super) fn check(cx: &mut Context<'_>, api: &Api) {
    let root = &cx.doc.root;
    if let SpecVersion::V2 { .. } = api.version {
        unique_operation_ids(cx, root);
        unique_message_ids(cx, root);
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
        SpecVersion::V3 => id,
    };
    format!("/channels/{}", crate::diagnostic::escape_pointer_token(key))
}

/// 2.x: `operationId` is unique across every channel's operations.
fn unique_operation_ids(cx: &mut Context<'_>, root: &Node) {
    let mut seen: HashMap<String, String> = HashMap::new();
    let Some(channels) = root.get("channels") else {
        return;
    };
    for (_, channel) in channels.entries() {
        for verb in ["publish", "subscribe"] {
            let Some(id) = channel.get(verb).and_then(|op| op.get("operationId")) else {
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
