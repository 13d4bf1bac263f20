//! Servers → `pub mod servers` with one `::asyncapi_runtime::Server` constant per server: URL
//! template, protocol, variables and the security schemes it requires (names and kinds only;
//! credentials are supplied at runtime, never taken from the spec: a `user:password@` part of a
//! server's URL, and the variables only it uses, are left out of the generated code).

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::operations::optional_str;
use crate::model::Api;
use crate::model::bindings::MqttServer;
use crate::naming::{Scope, ident};

/// The `servers` module, when the document declares servers.
pub(crate) fn servers(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return TokenStream::new();
    }
    let mut names = Scope::default();
    names.claim("ALL");
    let mut idents = Vec::new();
    let constants: Vec<TokenStream> = api
        .servers
        .iter()
        .map(|server| {
            let mut wanted = server.name.to_shouty_snake_case();
            if !wanted.starts_with(|c: char| c.is_ascii_alphabetic()) {
                wanted = format!("SERVER_{wanted}");
            }
            let constant = ident(&names.claim(&wanted));
            idents.push(constant.clone());
            let (url, userinfo) = without_userinfo(&server.url);
            let docs = doc_attrs(
                &[
                    server.description.as_deref(),
                    Some(&format!(
                        "Server `{}`: `{}` over {}{}.",
                        server.name,
                        url,
                        server.protocol,
                        server
                            .protocol_version
                            .as_deref()
                            .map(|v| format!(" {v}"))
                            .unwrap_or_default()
                    )),
                ],
                "",
            );
            let (name, protocol) = (&server.name, &server.protocol);
            let version = match &server.protocol_version {
                Some(v) => quote!(::std::option::Option::Some(#v)),
                None => quote!(::std::option::Option::None),
            };
            let only_in_userinfo = |name: &str| {
                let placeholder = format!("{{{name}}}");
                userinfo.is_some_and(|u| u.contains(&placeholder)) && !url.contains(&placeholder)
            };
            let variables = server
                .variables
                .iter()
                .filter(|v| !only_in_userinfo(&v.name))
                .map(|v| {
                    let name = &v.name;
                    let default = match &v.default {
                        Some(d) => quote!(::std::option::Option::Some(#d)),
                        None => quote!(::std::option::Option::None),
                    };
                    let allowed = &v.allowed;
                    let description = v.description.as_deref().unwrap_or("");
                    quote! {
                        ::asyncapi_runtime::ServerVariable {
                            name: #name,
                            default: #default,
                            allowed: &[#(#allowed),*],
                            description: #description,
                        }
                    }
                });
            let security = server.security.iter().map(|s| {
                let (name, kind) = (&s.name, &s.kind);
                let description = s.description.as_deref().unwrap_or("");
                quote! {
                    ::asyncapi_runtime::SecurityScheme {
                        name: #name,
                        kind: #kind,
                        description: #description,
                    }
                }
            });
            let mqtt = mqtt_binding(server.mqtt.as_ref());
            quote! {
                #docs
                pub const #constant: ::asyncapi_runtime::Server = ::asyncapi_runtime::Server {
                    name: #name,
                    url: #url,
                    protocol: #protocol,
                    protocol_version: #version,
                    variables: &[#(#variables),*],
                    security: &[#(#security),*],
                    mqtt: #mqtt,
                };
            }
        })
        .collect();
    let docs = format!(" The servers of {} {}.", api.title, api.api_version);
    quote! {
        #[doc = #docs]
        pub mod servers {
            #(#constants)*

            /// Every server, in document order.
            pub const ALL: &[::asyncapi_runtime::Server] = &[#(#idents),*];
        }
    }
}

/// The URL template without its userinfo (`user:password@` after the scheme, or at the start of
/// a URL without one), and that userinfo.
fn without_userinfo(url: &str) -> (String, Option<&str>) {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => (
            format!("{}{}", &url[..start], &url[start + at + 1..]),
            Some(&url[start..start + at]),
        ),
        None => (url.to_owned(), None),
    }
}

/// `Option<MqttServerBinding>` tokens.
fn mqtt_binding(binding: Option<&MqttServer>) -> TokenStream {
    let Some(b) = binding else {
        return quote!(::std::option::Option::None);
    };
    let client_id = optional_str(b.client_id.as_deref());
    let clean_session = optional(b.clean_session.map(|v| quote!(#v)));
    let keep_alive = optional(b.keep_alive.map(|v| quote!(#v)));
    let expiry = optional(b.session_expiry_interval.map(|v| quote!(#v)));
    let last_will = optional(b.last_will.as_ref().map(|will| {
        let (topic, qos, message, retain) = (&will.topic, will.qos, &will.message, will.retain);
        quote! {
            ::asyncapi_runtime::bindings::LastWill {
                topic: #topic,
                qos: ::asyncapi_runtime::QoS::from_level(#qos),
                message: #message,
                retain: #retain,
            }
        }
    }));
    quote! {
        ::std::option::Option::Some(::asyncapi_runtime::bindings::MqttServerBinding {
            client_id: #client_id,
            clean_session: #clean_session,
            keep_alive: #keep_alive,
            last_will: #last_will,
            session_expiry_interval: #expiry,
        })
    }
}

fn optional(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
