//! Channels → a parameters type per channel: address formatting with injection checks, and the
//! parser from a received address back to typed values.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::types::TypeGen;
use crate::model::{Api, Channel};
use crate::naming::{Scope, ident};

/// The naming rules parameter values are checked by: Kafka's (the stricter) when any server of
/// the document speaks Kafka, else MQTT's.
pub(crate) fn address_rules(api: &Api) -> TokenStream {
    if api.servers.iter().any(|s| s.protocol.starts_with("kafka")) {
        quote!(::asyncapi_runtime::__private::Rules::Kafka)
    } else {
        quote!(::asyncapi_runtime::__private::Rules::Mqtt)
    }
}

/// Emits the parameters type of `channel` under the name `type_name`.
pub(crate) fn parameters_type(
    channel: &Channel,
    type_name: &str,
    types: &mut TypeGen<'_>,
    rules: &TokenStream,
) -> TokenStream {
    let type_ident = ident(type_name);
    let address = &channel.address;
    let docs = doc_attrs(
        &[
            Some(&format!(
                "Parameters of channel `{}`, address `{address}`.",
                channel.id
            )),
            channel.description.as_deref(),
        ],
        "",
    );
    let mut fields = Scope::default();
    let params: Vec<(Ident, &str, TokenStream, TokenStream)> = channel
        .parameters
        .iter()
        .map(|p| {
            let field = fields.claim_field(&p.name, "parameter");
            // A value that goes into an address: a string, number, boolean or string enum;
            // anything else (an object, any value) is taken as its text.
            let ty = if types.is_address_value(&p.schema) {
                types.type_of(&p.schema, &format!("{} {}", channel.id, p.name))
            } else {
                quote!(::std::string::String)
            };
            let docs = doc_attrs(
                &[p.description.as_deref(), p.schema.description.as_deref()],
                &format!("The `{{{}}}` part of the address.", p.name),
            );
            (field, p.name.as_str(), ty, docs)
        })
        .collect();

    let address_impl = quote! {
        impl #type_ident {
            /// The address template of this channel.
            pub const ADDRESS: &'static str = #address;

            /// The concrete address; fails when a value would inject a separator or wildcard.
            pub fn address(&self) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
                <Self as ::asyncapi_runtime::Parameters>::to_address(self)
            }

            /// Parses a concrete address of this channel back into its parameters.
            pub fn parse(address: &str) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
                <Self as ::asyncapi_runtime::Parameters>::from_address(address)
            }
        }
    };

    if params.is_empty() {
        return quote! {
            #docs
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::default::Default)]
            pub struct #type_ident;

            #address_impl

            impl ::asyncapi_runtime::Parameters for #type_ident {
                const ADDRESS: &'static str = #address;

                fn to_address(&self) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
                    ::std::result::Result::Ok(::std::string::String::from(#address))
                }

                fn from_address(address: &str) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
                    if address == #address {
                        ::std::result::Result::Ok(Self)
                    } else {
                        ::std::result::Result::Err(::asyncapi_runtime::AddressError::Mismatch {
                            template: #address,
                            address: ::std::string::String::from(address),
                        })
                    }
                }
            }
        };
    }

    let field_defs = params.iter().map(|(field, _, ty, docs)| {
        quote! { #docs pub #field: #ty, }
    });
    let formatted = params.iter().map(|(field, name, _, _)| {
        quote! {
            (#name, &*::asyncapi_runtime::__private::AddressValue::to_address_value(&self.#field))
        }
    });
    let parsed = params.iter().enumerate().map(|(i, (field, name, _, _))| {
        quote! {
            #field: ::asyncapi_runtime::__private::parse_value(#name, address, values[#i])?,
        }
    });
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub struct #type_ident {
            #(#field_defs)*
        }

        #address_impl

        impl ::asyncapi_runtime::Parameters for #type_ident {
            const ADDRESS: &'static str = #address;

            fn to_address(&self) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
                ::asyncapi_runtime::__private::format_for(#rules, #address, &[ #(#formatted),* ])
            }

            fn from_address(address: &str) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
                let values = ::asyncapi_runtime::__private::capture(#address, address)?;
                ::std::result::Result::Ok(Self {
                    #(#parsed)*
                })
            }
        }
    }
}

/// Emits the address type of a channel whose address the spec leaves to runtime
/// (`address: null`) under the name `type_name`: a concrete address, checked by `rules` when
/// made, standing where a channel's parameters stand.
pub(crate) fn address_type(channel: &Channel, type_name: &str, rules: &TokenStream) -> TokenStream {
    let type_ident = ident(type_name);
    let docs = doc_attrs(
        &[
            Some(&format!(
                "The address of channel `{}`, which the spec leaves to runtime (`address: null`).",
                channel.id
            )),
            channel.description.as_deref(),
            Some(
                "Made with [`new`](Self::new), which refuses an empty address, wildcards, NUL, \
                 braces and (when a server speaks Kafka) what a topic name cannot hold. \
                 Receiving listens where an `AddressFilter` says and hands each message's \
                 address over as this type.",
            ),
        ],
        "",
    );
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub struct #type_ident(::std::string::String);

        impl #type_ident {
            /// Checks `address` and wraps it.
            pub fn new(address: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
                let address = address.into();
                ::asyncapi_runtime::__private::check_address_for(#rules, &address)?;
                ::std::result::Result::Ok(Self(address))
            }

            /// The address.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for #type_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::asyncapi_runtime::Parameters for #type_ident {
            // Never subscribed to: receiving takes an explicit filter.
            const ADDRESS: &'static str = "";

            fn to_address(&self) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
                ::asyncapi_runtime::__private::check_address_for(#rules, &self.0)?;
                ::std::result::Result::Ok(::std::clone::Clone::clone(&self.0))
            }

            fn from_address(address: &str) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
                ::std::result::Result::Ok(Self(::std::string::String::from(address)))
            }
        }
    }
}
