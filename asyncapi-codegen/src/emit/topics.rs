//! Kafka topics → `pub mod topics` with one `::asyncapi_runtime::bindings::KafkaTopic` constant per
//! channel whose topic name is fixed (its binding's `topic`, else a parameterless address), with
//! the binding's partitions, replicas and topic configuration. Emitted when the document speaks
//! Kafka (a Kafka server or a channel with a Kafka binding); a transport creates them only when
//! asked to (`Kafka::create_topics(topics::ALL)`). A dead-letter address a receive operation names
//! that is not a channel of the spec (`x-dead-letter.address`, a Kafka `x-errorTopic` string) is
//! one more topic, with the broker's defaults, so that creating `ALL` creates it too.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;
use crate::model::failure::DeadLetter;
use crate::naming::{Scope, ident};

/// The `topics` module, when the document speaks Kafka and has channels with fixed topics.
pub(crate) fn topics(api: &Api) -> TokenStream {
    let speaks_kafka = api.servers.iter().any(|s| s.protocol.starts_with("kafka"))
        || api.channels.iter().any(|c| c.kafka.is_some());
    if !speaks_kafka {
        return TokenStream::new();
    }
    let mut names = Scope::default();
    names.claim("ALL");
    let mut idents = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut constants: Vec<TokenStream> = api
        .channels
        .iter()
        .filter_map(|channel| {
            let binding = channel.kafka.clone().unwrap_or_default();
            let name = binding
                .topic
                .clone()
                .unwrap_or_else(|| channel.address.clone());
            if name.is_empty() || name.contains('{') || !seen.insert(name.clone()) {
                return None;
            }
            let mut wanted = channel.id.to_shouty_snake_case();
            if !wanted.starts_with(|c: char| c.is_ascii_alphabetic()) {
                wanted = format!("TOPIC_{wanted}");
            }
            let constant = ident(&names.claim(&wanted));
            idents.push(constant.clone());
            let id = &channel.id;
            let partitions = optional_i32(binding.partitions);
            let replicas = optional_i32(binding.replicas);
            let (keys, values): (Vec<&String>, Vec<&String>) =
                binding.config.iter().map(|(k, v)| (k, v)).unzip();
            let doc = format!(" Topic `{name}` of channel `{id}`.");
            Some(quote! {
                #[doc = #doc]
                pub const #constant: ::asyncapi_runtime::bindings::KafkaTopic =
                    ::asyncapi_runtime::bindings::KafkaTopic {
                        channel: #id,
                        name: #name,
                        partitions: #partitions,
                        replicas: #replicas,
                        config: &[#((#keys, #values)),*],
                    };
            })
        })
        .collect();
    for op in &api.operations {
        let Some(DeadLetter::Address(name)) =
            op.failure.as_ref().and_then(|f| f.dead_letter.as_ref())
        else {
            continue;
        };
        if !seen.insert(name.clone()) {
            continue;
        }
        let mut wanted = format!("{}_DEAD_LETTERS", op.id.to_shouty_snake_case());
        if !wanted.starts_with(|c: char| c.is_ascii_alphabetic()) {
            wanted = format!("TOPIC_{wanted}");
        }
        let constant = ident(&names.claim(&wanted));
        idents.push(constant.clone());
        let id = &op.id;
        let doc = format!(
            " Topic `{name}`, where operation `{id}` sends the messages it cannot handle (not a \
             channel of the spec: `channel` is the operation's id)."
        );
        constants.push(quote! {
            #[doc = #doc]
            pub const #constant: ::asyncapi_runtime::bindings::KafkaTopic =
                ::asyncapi_runtime::bindings::KafkaTopic {
                    channel: #id,
                    name: #name,
                    partitions: ::std::option::Option::None,
                    replicas: ::std::option::Option::None,
                    config: &[],
                };
        });
    }
    if constants.is_empty() {
        return TokenStream::new();
    }
    let docs = format!(
        " The Kafka topics of {} {}, as their channel bindings describe them.",
        api.title, api.api_version
    );
    quote! {
        #[doc = #docs]
        pub mod topics {
            #(#constants)*

            /// Every topic, in document order.
            pub const ALL: &[::asyncapi_runtime::bindings::KafkaTopic] = &[#(#idents),*];
        }
    }
}

fn optional_i32(value: Option<i32>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
