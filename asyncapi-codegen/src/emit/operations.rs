//! Operations → the publisher trait (send), the subscriber trait and the handler trait with
//! `serve` (receive), all implemented over `::asyncapi_runtime::Client<T>`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use crate::model::Action;
use crate::naming::ident;

/// One operation as the emitter needs it: names and types already decided.
pub(crate) struct OperationItem {
    /// The operation id as in the spec (used in error messages and logs).
    pub id: String,
    /// The method name on the publisher and handler traits.
    pub method: Ident,
    /// The method name on the subscriber trait (`subscribe_<operation>`), distinct from `method`
    /// so that one client can use both sides of a spec without ambiguity.
    pub stream_method: Ident,
    /// Send or receive, after the role is applied.
    pub action: Action,
    /// The channel's parameters type.
    pub parameters: Ident,
    /// Whether the channel has parameters (otherwise the publisher takes none).
    pub has_parameters: bool,
    /// The payload type.
    pub payload: TokenStream,
    /// Doc attributes of the method.
    pub docs: TokenStream,
    /// MQTT qos level.
    pub qos: u8,
    /// MQTT retain flag.
    pub retain: bool,
}

/// The publisher trait, when there is at least one send operation.
pub(crate) fn publisher(title: &str, ops: &[&OperationItem]) -> TokenStream {
    if ops.is_empty() {
        return TokenStream::new();
    }
    let trait_docs = doc_attrs(
        &[
            Some(&format!(
                "The send operations of {title}: one method per message this side publishes."
            )),
            Some(
                "Implemented for `::asyncapi_runtime::Client<T>` over every transport; bring the trait into scope to call it.",
            ),
        ],
        "",
    );
    let signatures: Vec<TokenStream> = ops
        .iter()
        .map(|op| {
            let OperationItem {
                method,
                parameters,
                payload,
                ..
            } = op;
            let params_arg = op
                .has_parameters
                .then(|| quote!(parameters: &#parameters,));
            quote! {
                fn #method(&self, #params_arg payload: &#payload)
                    -> impl ::std::future::Future<Output = ::std::result::Result<(), ::asyncapi_runtime::Error>> + ::std::marker::Send
            }
        })
        .collect();
    let docs = ops.iter().map(|op| &op.docs);
    let bodies = ops.iter().map(|op| {
        let parameters = &op.parameters;
        let params_expr = if op.has_parameters {
            quote!(parameters)
        } else {
            quote!(&#parameters)
        };
        let qos = op.qos;
        let retain = op.retain;
        quote! {
            ::asyncapi_runtime::__private::publish(
                self,
                #params_expr,
                payload,
                ::asyncapi_runtime::__private::SendOptions {
                    qos: ::asyncapi_runtime::QoS::from_level(#qos),
                    retain: #retain,
                },
            )
        }
    });
    let sigs = signatures.iter();
    quote! {
        #trait_docs
        pub trait Publisher: ::std::marker::Sync {
            #( #docs #signatures; )*
        }

        impl<T: ::asyncapi_runtime::Transport> Publisher for ::asyncapi_runtime::Client<T> {
            #( #sigs { #bodies } )*
        }
    }
}

/// The subscriber trait (typed streams), the handler trait and `serve`, when there is at least
/// one receive operation.
pub(crate) fn receivers(title: &str, ops: &[&OperationItem]) -> TokenStream {
    if ops.is_empty() {
        return TokenStream::new();
    }
    let methods: Vec<&Ident> = ops.iter().map(|op| &op.method).collect();
    let stream_methods: Vec<&Ident> = ops.iter().map(|op| &op.stream_method).collect();
    let ids: Vec<&str> = ops.iter().map(|op| op.id.as_str()).collect();
    let params: Vec<&Ident> = ops.iter().map(|op| &op.parameters).collect();
    let payloads: Vec<&TokenStream> = ops.iter().map(|op| &op.payload).collect();
    let docs: Vec<&TokenStream> = ops.iter().map(|op| &op.docs).collect();
    let qos: Vec<u8> = ops.iter().map(|op| op.qos).collect();
    let streams: Vec<Ident> = (0..ops.len())
        .map(|i| ident(&format!("stream_{i}")))
        .collect();
    let subscriber_docs = doc_attrs(
        &[
            Some(&format!(
                "The receive operations of {title} as typed streams, one per operation."
            )),
            Some("A message that does not decode is an `Err` item; the stream goes on after it."),
        ],
        "",
    );
    let handler_docs = doc_attrs(
        &[Some(&format!(
            "The receive operations of {title}: implement one method per operation and pass the \
             handler to [`serve`]."
        ))],
        "",
    );
    quote! {
        #subscriber_docs
        pub trait Subscriber: ::std::marker::Sync {
            #(
                #docs
                fn #stream_methods(&self) -> impl ::std::future::Future<
                    Output = ::std::result::Result<
                        ::asyncapi_runtime::MessageStream<#params, #payloads>,
                        ::asyncapi_runtime::Error,
                    >,
                > + ::std::marker::Send;
            )*
        }

        impl<T: ::asyncapi_runtime::Transport> Subscriber for ::asyncapi_runtime::Client<T> {
            #(
                fn #stream_methods(&self) -> impl ::std::future::Future<
                    Output = ::std::result::Result<
                        ::asyncapi_runtime::MessageStream<#params, #payloads>,
                        ::asyncapi_runtime::Error,
                    >,
                > + ::std::marker::Send {
                    ::asyncapi_runtime::__private::subscribe::<T, #params, #payloads>(
                        self,
                        #ids,
                        ::asyncapi_runtime::QoS::from_level(#qos),
                    )
                }
            )*
        }

        #handler_docs
        pub trait Handler: ::std::marker::Send + ::std::marker::Sync {
            #(
                #docs
                fn #methods(
                    &self,
                    message: ::asyncapi_runtime::Received<#params, #payloads>,
                ) -> impl ::std::future::Future<Output = ::asyncapi_runtime::HandlerResult> + ::std::marker::Send;
            )*

            /// Called for every message that could not be decoded or whose handler failed; the
            /// subscription goes on. The default logs a warning through `tracing`.
            fn on_error(
                &self,
                error: ::asyncapi_runtime::ReceiveError,
            ) -> impl ::std::future::Future<Output = ()> + ::std::marker::Send {
                ::asyncapi_runtime::__private::log_receive_error(&error);
                ::std::future::ready(())
            }
        }

        /// Every receive operation's subscription, made and waiting: messages published from now on
        /// are kept for [`Subscriptions::serve`].
        pub struct Subscriptions {
            #( #streams: ::asyncapi_runtime::MessageStream<#params, #payloads>, )*
        }

        impl ::std::fmt::Debug for Subscriptions {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Subscriptions")
                    #( .field(#ids, &self.#streams) )*
                    .finish()
            }
        }

        impl Subscriptions {
            /// Subscribes every receive operation through `client`.
            pub async fn new<T: ::asyncapi_runtime::Transport>(
                client: &::asyncapi_runtime::Client<T>,
            ) -> ::std::result::Result<Self, ::asyncapi_runtime::Error> {
                ::std::result::Result::Ok(Self {
                    #( #streams: <::asyncapi_runtime::Client<T> as Subscriber>::#stream_methods(client).await?, )*
                })
            }

            /// Feeds every message to `handler` until `shutdown` resolves (or every subscription
            /// ends). Operations are served concurrently, the messages of one operation in order.
            pub async fn serve<H: Handler>(self, handler: &H, shutdown: impl ::std::future::Future<Output = ()>) {
                let Self { #(#streams),* } = self;
                ::asyncapi_runtime::__private::until(
                    async {
                        ::asyncapi_runtime::__private::futures::join!(
                            #(
                                ::asyncapi_runtime::__private::drive(
                                    #streams,
                                    |message| handler.#methods(message),
                                    |error| handler.on_error(error),
                                )
                            ),*
                        );
                    },
                    shutdown,
                )
                .await;
            }
        }

        /// Subscribes every receive operation and feeds its messages to `handler` until `shutdown`
        /// resolves; see [`Subscriptions`] to subscribe first and serve later.
        pub async fn serve<T: ::asyncapi_runtime::Transport, H: Handler>(
            client: &::asyncapi_runtime::Client<T>,
            handler: &H,
            shutdown: impl ::std::future::Future<Output = ()>,
        ) -> ::std::result::Result<(), ::asyncapi_runtime::Error> {
            Subscriptions::new(client).await?.serve(handler, shutdown).await;
            ::std::result::Result::Ok(())
        }
    }
}
