//! 2.x request/response pairs: 2.x has no `reply`, but a document may describe a request and
//! its response as two operations, as the official `rpc-client` and `rpc-server` examples do.
//! Such a pair becomes one operation with a reply (what 3.0 writes with `reply`), so that the
//! requester gets the same one-call request API and the responder's handler returns the reply.
//!
//! The rule, applied only where it is unambiguous:
//! - the two operations' messages declare the same `correlationId` location, and no other
//!   operation's messages declare it;
//! - one of them is sent and the other received (from the application's point of view);
//! - exactly one of the two says where to reply: a message with an AMQP binding `replyTo`, or
//!   with a header named `replyTo` (also `reply_to`, `reply-to`, `replyTopic`, any case). That
//!   one is the request, the other its response.
//!
//! The reply goes to the response's channel when its address has no parameters; else to the
//! address the request names in its reply header (the requester writes its inbox there), else
//! to the requester's inbox carried where the transport carries a reply address natively.
//! The response operation is then no operation of its own.

use super::context::Context;
use super::{Channel, Operation, Reply, RuntimeExpression};
use crate::document::Node;

/// Where one operation's messages say to reply, if they do.
#[derive(Clone, Debug, Default)]
pub(super) struct ReplyHint {
    /// Some message says where to reply.
    pub asks: bool,
    /// The header that holds the reply address, when a message names one.
    pub header: Option<String>,
}

/// What an operation's message nodes say about replies.
pub(super) fn hint<'a>(cx: &mut Context<'a>, messages: &[&'a Node]) -> ReplyHint {
    let mut hint = ReplyHint::default();
    for node in messages {
        let Ok(message) = cx.resolve(node) else {
            continue;
        };
        if let Some(bindings) = message.get("bindings")
            && let Ok(bindings) = cx.resolve(bindings)
            && bindings
                .get("amqp")
                .is_some_and(|amqp| amqp.get("replyTo").is_some())
        {
            hint.asks = true;
        }
        let Some(headers) = message.get("headers") else {
            continue;
        };
        let Ok(headers) = cx.resolve(headers) else {
            continue;
        };
        let Some(properties) = headers.get("properties") else {
            continue;
        };
        for (name, _) in properties.entries() {
            let plain: String = name
                .chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .collect::<String>()
                .to_ascii_lowercase();
            if plain == "replyto" || plain == "replytopic" {
                hint.asks = true;
                hint.header.get_or_insert_with(|| name.clone());
            }
        }
    }
    hint
}

/// Folds every unambiguous request/response pair of `operations` into the request (see the
/// module documentation). `hints` are the operations' [`ReplyHint`]s, in the same order.
pub(super) fn fold(operations: &mut Vec<Operation>, hints: &[ReplyHint], channels: &[Channel]) {
    let location = |op: &Operation| -> Option<RuntimeExpression> {
        let first = op.messages.first()?.correlation_id.clone()?;
        op.messages
            .iter()
            .all(|m| m.correlation_id.as_ref() == Some(&first))
            .then_some(first)
    };
    let locations: Vec<Option<RuntimeExpression>> = operations.iter().map(location).collect();
    let mut folded = Vec::new();
    for (i, at) in locations.iter().enumerate() {
        let Some(at) = at else { continue };
        let sharing: Vec<usize> = locations
            .iter()
            .enumerate()
            .filter(|(_, other)| other.as_ref() == Some(at))
            .map(|(j, _)| j)
            .collect();
        // Each pair once, from its first operation.
        let [first, second] = sharing[..] else {
            continue;
        };
        if first != i || operations[first].action == operations[second].action {
            continue;
        }
        let (request, response) = match (hints[first].asks, hints[second].asks) {
            (true, false) => (first, second),
            (false, true) => (second, first),
            _ => continue,
        };
        let reply_channel = &channels[operations[response].channel];
        let fixed = !reply_channel.dynamic && reply_channel.parameters.is_empty();
        let header = hints[request].header.clone();
        let reply = Reply {
            channel: fixed.then_some(operations[response].channel),
            address: header.map(|name| RuntimeExpression::Header(name, String::new())),
            messages: operations[response].messages.clone(),
        };
        operations[request].reply = Some(reply);
        folded.push(response);
    }
    folded.sort_unstable();
    for response in folded.into_iter().rev() {
        operations.remove(response);
    }
}
