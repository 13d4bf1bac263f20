//! Model → tokens. Names are decided first (in one [`Scope`]), then each part is emitted by its
//! own module; output order follows the document, so the same spec always yields the same tokens.

mod channels;
pub(crate) mod docs;
pub mod examples;
mod operations;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::Settings;
use crate::model::{Action, Api};
use crate::naming::{Scope, ident, type_name};
use crate::settings::Role;
use operations::OperationItem;

/// Names the generator itself defines at the top level; schemas get a suffix instead.
const RESERVED: &[&str] = &[
    "Publisher",
    "Subscriber",
    "Handler",
    "Subscriptions",
    "serve",
];

/// Emits every item for `api`.
pub fn api(api: &Api, settings: &Settings) -> TokenStream {
    let mut scope = Scope::with_reserved(RESERVED);
    let mut types = types::TypeGen::new(api, &mut scope, &settings.type_overrides);
    types.define_named(api);

    // Only channels that an operation uses get a parameters type.
    let mut channel_types: Vec<Option<String>> = vec![None; api.channels.len()];
    let mut channel_items = Vec::new();
    for op in &api.operations {
        if channel_types[op.channel].is_none() {
            let channel = &api.channels[op.channel];
            let name =
                types.claim_type(&type_name(&format!("{} parameters", channel.id), "Channel"));
            channel_items.push(channels::parameters_type(channel, &name, &mut types));
            channel_types[op.channel] = Some(name);
        }
    }

    let mut methods = Scope::with_reserved(&["on_error"]);
    let ops: Vec<OperationItem> = api
        .operations
        .iter()
        .map(|op| {
            let message = &op.messages[0];
            let payload = types.type_of(&message.payload, &format!("{} payload", message.name));
            if let Some(headers) = &message.headers {
                // Typed here so the headers type exists; operations take it in a later step.
                types.type_of(headers, &format!("{} headers", message.name));
            }
            let channel = &api.channels[op.channel];
            let action = match settings.role {
                Role::Application => op.action,
                Role::Mirror => op.action.mirrored(),
            };
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
                has_parameters: !channel.parameters.is_empty(),
                payload,
                docs: docs::doc_attrs(
                    &[
                        op.summary.as_deref(),
                        op.description.as_deref(),
                        message.title.as_deref(),
                        message.summary.as_deref(),
                        message.description.as_deref(),
                        Some(&format!("Operation `{}` on `{}`.", op.id, channel.address)),
                    ],
                    "",
                ),
                qos: op.mqtt_qos.unwrap_or(0),
                retain: op.mqtt_retain.unwrap_or(false),
            }
        })
        .collect();
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
    }
}
