//! Model → tokens. Names are decided first (in one [`Scope`]), then each part is emitted by its
//! own module; output order follows the document, so the same spec always yields the same tokens.

mod channels;
pub(crate) mod docs;
pub mod examples;
mod operations;
mod servers;
mod topics;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::Settings;
use crate::model::{Action, Api, Codec, Message, Operation, SchemaKind};
use crate::naming::{Scope, ident, type_name};
use crate::settings::Role;
use operations::{OperationItem, ReplyItem};
use types::TypeGen;

/// Names the generator itself defines at the top level; schemas get a suffix instead.
const RESERVED: &[&str] = &[
    "Publisher",
    "Subscriber",
    "Handler",
    "Subscriptions",
    "ServeConfig",
    "serve",
    "servers",
    "topics",
];

/// Emits every item for `api`, for the operations `settings` selects.
pub fn api(api: &Api, settings: &Settings) -> TokenStream {
    let selected: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| settings.include.is_empty() || settings.include.contains(&op.id))
        .filter(|op| !settings.exclude.contains(&op.id))
        .collect();
    let action = |op: &Operation| match settings.role {
        Role::Application => op.action,
        Role::Mirror => op.action.mirrored(),
    };
    // `ReceiveFilters` exists only when a receive operation's address is decided at runtime,
    // so only then does a schema of that name give way.
    let mut reserved = RESERVED.to_vec();
    if selected
        .iter()
        .any(|op| api.channels[op.channel].dynamic && action(op) == Action::Receive)
    {
        reserved.push("ReceiveFilters");
    }
    let mut scope = Scope::with_reserved(&reserved);
    let mut types = TypeGen::new(api, &mut scope, &settings.type_overrides);
    types.define_named(api);
    let rules = channels::address_rules(api);

    // Only channels that a selected operation uses get a parameters type.
    let mut channel_types: Vec<Option<String>> = vec![None; api.channels.len()];
    let mut channel_items = Vec::new();
    for op in &selected {
        if channel_types[op.channel].is_none() {
            let channel = &api.channels[op.channel];
            if channel.dynamic {
                let name =
                    types.claim_type(&type_name(&format!("{} address", channel.id), "Channel"));
                channel_items.push(channels::address_type(channel, &name, &rules));
                channel_types[op.channel] = Some(name);
                continue;
            }
            let name =
                types.claim_type(&type_name(&format!("{} parameters", channel.id), "Channel"));
            channel_items.push(channels::parameters_type(
                channel, &name, &mut types, &rules,
            ));
            channel_types[op.channel] = Some(name);
        }
    }

    let mut methods = Scope::with_reserved(&["on_error"]);
    let mut cache = MessageTypes::default();
    let ops: Vec<OperationItem> = selected
        .iter()
        .map(|op| {
            let channel = &api.channels[op.channel];
            let action = action(op);
            let first = op.messages.first();
            let payload = messages_type(&mut types, &mut cache, &op.id, "message", &op.messages);
            let headers = headers_type(&mut types, &mut cache, &op.id, &op.messages);
            let key = op
                .messages
                .iter()
                .find_map(|m| m.kafka_key.as_ref())
                .map(|k| types.type_of(k, &format!("{} key", op.id)));
            let reply = op.reply.as_ref().map(|reply| {
                let address = match (&reply.address, reply.channel) {
                    (Some(expression), _) => {
                        let at = operations::location_value(expression);
                        quote!(::asyncapi_runtime::ReplyAddress::Dynamic(#at))
                    }
                    (None, Some(channel)) => {
                        let address = &api.channels[channel].address;
                        quote!(::asyncapi_runtime::ReplyAddress::Static(#address))
                    }
                    // A 2.x request/response pair whose response channel has parameters (3.0
                    // reports this as unsupported): the requester's inbox, carried natively.
                    (None, None) => quote!(::asyncapi_runtime::ReplyAddress::Native),
                };
                ReplyItem {
                    payload: messages_type(
                        &mut types,
                        &mut cache,
                        &op.id,
                        "reply",
                        &reply.messages,
                    ),
                    headers: headers_type(
                        &mut types,
                        &mut cache,
                        &format!("{} reply", op.id),
                        &reply.messages,
                    ),
                    key: reply
                        .messages
                        .iter()
                        .find_map(|m| m.kafka_key.as_ref())
                        .map(|k| types.type_of(k, &format!("{} reply key", op.id))),
                    content_type: operations::optional_str(
                        reply
                            .messages
                            .first()
                            .and_then(|m| m.content_type.as_deref()),
                    ),
                    address,
                    correlation: operations::location(
                        reply
                            .messages
                            .iter()
                            .find_map(|m| m.correlation_id.as_ref()),
                    ),
                }
            });
            let (title, summary, description) = match (first, op.messages.len()) {
                (Some(first), 1) => (
                    first.title.as_deref(),
                    first.summary.as_deref(),
                    first.description.as_deref(),
                ),
                _ => (None, None, None),
            };
            // Several messages are all JSON (the model refuses anything else).
            let codec = first.map(|m| m.codec).unwrap_or_default();
            let content_type =
                operations::optional_str(first.and_then(|m| m.content_type.as_deref()));
            OperationItem {
                id: op.id.clone(),
                method: methods.claim_field(&op.id, "operation"),
                stream_method: methods.claim_field(&format!("subscribe {}", op.id), "subscribe"),
                action,
                parameters: ident(
                    channel_types[op.channel]
                        .as_deref()
                        .unwrap_or("Unreachable"),
                ),
                has_parameters: channel.dynamic || !channel.parameters.is_empty(),
                dynamic: channel.dynamic,
                codec: codec_path(codec),
                content_type,
                payload,
                headers,
                key,
                correlation: operations::location(
                    op.messages.iter().find_map(|m| m.correlation_id.as_ref()),
                ),
                docs: docs::doc_attrs(
                    &[
                        op.summary.as_deref(),
                        op.description.as_deref(),
                        title,
                        summary,
                        description,
                        Some(&if channel.dynamic {
                            format!(
                                "Operation `{}` on channel `{}`, whose address is decided at \
                                 runtime.",
                                op.id, channel.id
                            )
                        } else {
                            format!("Operation `{}` on `{}`.", op.id, channel.address)
                        }),
                    ],
                    "",
                ),
                qos: op.mqtt_qos.unwrap_or(0),
                retain: op.mqtt_retain.unwrap_or(false),
                group: op.kafka.group_id.clone(),
                client_id: op.kafka.client_id.clone(),
                policy: operations::policy(op, api),
                reply,
            }
        })
        .collect();
    let server_items = servers::servers(api);
    let topic_items = topics::topics(api);
    let type_items = types.into_items();

    let sends: Vec<&OperationItem> = ops.iter().filter(|o| o.action == Action::Send).collect();
    let receives: Vec<&OperationItem> =
        ops.iter().filter(|o| o.action == Action::Receive).collect();
    let title = format!("{} {}", api.title, api.api_version);
    let publisher = operations::publisher(&title, &sends);
    let receivers = operations::receivers(&title, &receives);
    quote! {
        #(#type_items)*
        #(#channel_items)*
        #publisher
        #receivers
        #server_items
        #topic_items
    }
}

/// The codec type generated code passes to the runtime.
fn codec_path(codec: Codec) -> TokenStream {
    match codec {
        Codec::Json => quote!(::asyncapi_runtime::codec::Json),
        Codec::Text => quote!(::asyncapi_runtime::codec::Text),
        Codec::Binary => quote!(::asyncapi_runtime::codec::Binary),
    }
}

/// The payload type of an operation (or its reply): the message's payload, or the enum of its
/// messages when it has several.
/// The types already made for a message (by [`Message::key`]), so a message several operations
/// share is one payload type and one headers type.
#[derive(Default)]
struct MessageTypes {
    payloads: std::collections::HashMap<String, TokenStream>,
    /// By the headers schema's location.
    headers: std::collections::HashMap<String, TokenStream>,
}

fn messages_type(
    types: &mut TypeGen<'_>,
    cache: &mut MessageTypes,
    operation: &str,
    what: &str,
    messages: &[Message],
) -> TokenStream {
    match messages {
        [] => quote!(::asyncapi_runtime::__private::serde_json::Value),
        [message] => cache
            .payloads
            .entry(message.key.clone())
            .or_insert_with(|| {
                let hint = format!("{} payload", message.name);
                match message.codec {
                    Codec::Json => types.type_of(&message.payload, &hint),
                    Codec::Binary => quote!(::asyncapi_runtime::Bytes),
                    // Text is a string, or a scalar written as its text.
                    Codec::Text => match &message.payload.kind {
                        SchemaKind::String { .. }
                        | SchemaKind::Integer { .. }
                        | SchemaKind::Number { .. }
                        | SchemaKind::Boolean => types.type_of(&message.payload, &hint),
                        _ => quote!(::std::string::String),
                    },
                }
            })
            .clone(),
        several => {
            let list = several
                .iter()
                .map(|m| format!("`{}`", m.name))
                .collect::<Vec<_>>()
                .join(", ");
            let parts: Vec<(&str, &crate::model::Schema)> = several
                .iter()
                .map(|m| (m.name.as_str(), &m.payload))
                .collect();
            types.message_enum(
                &format!("{operation} {what}"),
                &format!(
                    "The messages of operation `{operation}`{}: {list}; one variant per \
                     message, holding its payload.",
                    if what == "reply" { "'s reply" } else { "" }
                ),
                &parts,
            )
        }
    }
}

/// The headers type of an operation's messages: their headers schema when they all share one;
/// a plain map of header texts when they differ; `None` when none declares headers.
fn headers_type(
    types: &mut TypeGen<'_>,
    cache: &mut MessageTypes,
    operation: &str,
    messages: &[Message],
) -> Option<TokenStream> {
    let declared: Vec<&Message> = messages.iter().filter(|m| m.headers.is_some()).collect();
    let first = declared.first()?;
    let schema = first.headers.as_ref()?;
    // The schema model has no equality; its debug text stands in (locations included, so two
    // identical schemas written in two places count as different).
    let shape = format!("{:?}", schema.kind);
    let same = declared.len() == messages.len()
        && declared.iter().all(|m| {
            m.headers
                .as_ref()
                .is_some_and(|h| format!("{:?}", h.kind) == shape)
        });
    if same {
        if messages.len() == 1 {
            // Keyed by where the schema is written: messages sharing a trait's headers share
            // one type.
            let ty = cache
                .headers
                .entry(format!("{}", schema.location))
                .or_insert_with(|| {
                    let hint = match &first.headers_trait {
                        Some(name) => name.clone(),
                        None => format!("{} headers", first.name),
                    };
                    types.type_of(schema, &hint)
                });
            Some(ty.clone())
        } else {
            Some(types.type_of(schema, &format!("{operation} headers")))
        }
    } else {
        Some(quote!(
            ::std::collections::BTreeMap<::std::string::String, ::std::string::String>
        ))
    }
}
