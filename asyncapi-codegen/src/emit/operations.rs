//! Operations → the publisher trait (send), the subscriber trait and the handler trait with
//! `serve` (receive), all implemented over `::asyncapi_runtime::Client<T>`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use crate::model::failure::DeadLetter;
use crate::model::{Action, Api, Operation, RuntimeExpression};
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
    /// Whether the channel's address is decided at runtime: `parameters` is then its address
    /// type, sending takes an address and receiving a filter.
    pub dynamic: bool,
    /// The codec type (`::asyncapi_runtime::codec::Json`, ...).
    pub codec: TokenStream,
    /// The spec's content type for sent messages (`Option<&'static str>` tokens); without one
    /// the codec's is written.
    pub content_type: TokenStream,
    /// The payload type (a message enum when the operation has several messages).
    pub payload: TokenStream,
    /// The headers type, when the message declares headers.
    pub headers: Option<TokenStream>,
    /// The Kafka key type, when the message's Kafka binding declares one.
    pub key: Option<TokenStream>,
    /// Where the message's correlation id lives (`::asyncapi_runtime::Location`).
    pub correlation: TokenStream,
    /// The reply, when the operation is a request.
    pub reply: Option<ReplyItem>,
    /// Doc attributes of the method.
    pub docs: TokenStream,
    /// MQTT qos level.
    pub qos: u8,
    /// MQTT retain flag.
    pub retain: bool,
    /// Kafka consumer group of a receive operation.
    pub group: Option<String>,
    /// Kafka client id of a receive operation.
    pub client_id: Option<String>,
    /// The operation's serve policy as the spec sets it (a `::asyncapi_runtime::serve::Policy`
    /// expression).
    pub policy: TokenStream,
}

/// `Option<&'static str>` tokens.
pub(crate) fn optional_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

/// The reply of a request operation.
pub(crate) struct ReplyItem {
    /// The reply payload type.
    pub payload: TokenStream,
    /// The reply headers type, when the reply message declares headers.
    pub headers: Option<TokenStream>,
    /// `::asyncapi_runtime::ReplyAddress`.
    pub address: TokenStream,
    /// Where the reply's correlation id lives.
    pub correlation: TokenStream,
    /// The reply's Kafka key type, when its binding declares one.
    pub key: Option<TokenStream>,
    /// The reply's content type (`Option<&'static str>` tokens).
    pub content_type: TokenStream,
}

impl ReplyItem {
    /// `RK` of `Request<T, R, RH, RK>`: a reply may come without a key.
    fn received_key(&self) -> TokenStream {
        match &self.key {
            Some(key) => quote!(::std::option::Option<#key>),
            None => quote!(()),
        }
    }

    /// What the handler of the request returns: the payload alone, or a `Reply` when the
    /// reply message has headers or a key.
    fn handler_output(&self) -> TokenStream {
        let payload = &self.payload;
        if self.key.is_none() && self.headers.is_none() {
            return payload.clone();
        }
        let headers = self.headers.clone().unwrap_or_else(|| quote!(()));
        let key = self.key.clone().unwrap_or_else(|| quote!(()));
        quote!(::asyncapi_runtime::serve::Reply<#payload, #headers, #key>)
    }
}

/// `Option<Location>` tokens for a correlation id's runtime expression.
pub(crate) fn location(expression: Option<&RuntimeExpression>) -> TokenStream {
    match expression {
        None => quote!(::std::option::Option::None),
        Some(expression) => {
            let at = location_value(expression);
            quote!(::std::option::Option::Some(#at))
        }
    }
}

/// `Location` tokens for a runtime expression.
pub(crate) fn location_value(expression: &RuntimeExpression) -> TokenStream {
    match expression {
        RuntimeExpression::Header(name, inner) if inner.is_empty() => {
            quote!(::asyncapi_runtime::Location::Header(#name))
        }
        RuntimeExpression::Header(name, inner) => {
            quote!(::asyncapi_runtime::Location::HeaderField(#name, #inner))
        }
        RuntimeExpression::Payload(pointer) => {
            quote!(::asyncapi_runtime::Location::Payload(#pointer))
        }
    }
}

impl OperationItem {
    /// `H` of `Received<P, M, H, K>`.
    fn headers_type(&self) -> TokenStream {
        self.headers.clone().unwrap_or_else(|| quote!(()))
    }

    /// `K` of `Received<P, M, H, K>`: records may come without a key.
    fn key_type(&self) -> TokenStream {
        match &self.key {
            Some(key) => quote!(::std::option::Option<#key>),
            None => quote!(()),
        }
    }

    /// `MessageStream<P, M, H, K, C>`.
    fn stream_type(&self) -> TokenStream {
        let (parameters, payload, codec) = (&self.parameters, &self.payload, &self.codec);
        let (headers, key) = (self.headers_type(), self.key_type());
        quote!(::asyncapi_runtime::MessageStream<#parameters, #payload, #headers, #key, #codec>)
    }

    /// `Received<P, M, H, K>`.
    fn received_type(&self) -> TokenStream {
        let (parameters, payload) = (&self.parameters, &self.payload);
        let (headers, key) = (self.headers_type(), self.key_type());
        quote!(::asyncapi_runtime::Received<#parameters, #payload, #headers, #key>)
    }
}

/// The publisher trait, when there is at least one send operation.
pub(crate) fn publisher(title: &str, ops: &[&OperationItem]) -> TokenStream {
    if ops.is_empty() {
        return TokenStream::new();
    }
    let trait_docs = doc_attrs(
        &[
            Some(&format!(
                "The send operations of {title}: one method per operation this side publishes."
            )),
            Some(
                "Each method encodes the message and returns a `Publish` (a `Request` for \
                 operations with a reply) that sends when awaited; its builder methods override \
                 the spec's defaults per call, e.g. `.qos(QoS::AtLeastOnce)`.",
            ),
            Some(
                "Implemented for `::asyncapi_runtime::Client<T>` over every transport; bring the \
                 trait into scope to call it.",
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
            let params_arg = match (op.dynamic, op.has_parameters) {
                (true, _) => Some(quote!(address: &#parameters,)),
                (false, true) => Some(quote!(parameters: &#parameters,)),
                (false, false) => None,
            };
            let key_arg = op.key.as_ref().map(|k| quote!(key: &#k,));
            let headers_arg = op.headers.as_ref().map(|h| quote!(headers: &#h,));
            let output = match &op.reply {
                None => quote!(::asyncapi_runtime::Publish<'_, Self::Transport>),
                Some(reply) => {
                    let (r, rk) = (&reply.payload, reply.received_key());
                    let rh = reply.headers.clone().unwrap_or_else(|| quote!(()));
                    quote!(::asyncapi_runtime::Request<'_, Self::Transport, #r, #rh, #rk>)
                }
            };
            quote! {
                fn #method(&self, #params_arg #key_arg #headers_arg payload: &#payload) -> #output
            }
        })
        .collect();
    let docs = ops.iter().map(|op| &op.docs);
    let bodies = ops.iter().map(|op| {
        let parameters = &op.parameters;
        let params_expr = match (op.dynamic, op.has_parameters) {
            (true, _) => quote!(address),
            (false, true) => quote!(parameters),
            (false, false) => quote!(&#parameters),
        };
        let key_expr = match &op.key {
            Some(_) => quote!(::std::option::Option::Some(key)),
            None => quote!(::std::option::Option::None::<&()>),
        };
        let headers_expr = match &op.headers {
            Some(_) => quote!(::std::option::Option::Some(headers)),
            None => quote!(::std::option::Option::None::<&()>),
        };
        let (id, qos, retain, correlation) = (&op.id, op.qos, op.retain, &op.correlation);
        let (codec, content_type) = (&op.codec, &op.content_type);
        let publish = quote! {
            ::asyncapi_runtime::__private::publish(
                self,
                #params_expr,
                #key_expr,
                #headers_expr,
                payload,
                ::asyncapi_runtime::__private::SendOptions {
                    operation: #id,
                    qos: ::asyncapi_runtime::QoS::from_level(#qos),
                    retain: #retain,
                    correlation: #correlation,
                    content_type: #content_type,
                },
                #codec,
            )
        };
        match &op.reply {
            None => publish,
            Some(reply) => {
                let (id, address, correlation) = (&op.id, &reply.address, &reply.correlation);
                quote! {
                    ::asyncapi_runtime::Request::new(#publish, #id, #address, #correlation)
                }
            }
        }
    });
    let sigs = signatures.iter();
    quote! {
        #trait_docs
        // A payload typed `String` or `Vec` in the spec is taken as `&String` / `&Vec`.
        #[allow(clippy::ptr_arg, deprecated)]
        pub trait Publisher: ::std::marker::Sync {
            /// The transport the messages go through.
            type Transport: ::asyncapi_runtime::Transport;

            #( #docs #signatures; )*
        }

        #[allow(clippy::ptr_arg, deprecated)]
        impl<T: ::asyncapi_runtime::Transport> Publisher for ::asyncapi_runtime::Client<T> {
            type Transport = T;

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
    let stream_types: Vec<TokenStream> = ops.iter().map(|op| op.stream_type()).collect();
    let received: Vec<TokenStream> = ops.iter().map(|op| op.received_type()).collect();
    let docs: Vec<&TokenStream> = ops.iter().map(|op| &op.docs).collect();
    // A receive operation on a channel whose address is decided at runtime takes a filter.
    let filter_params: Vec<Option<TokenStream>> = ops
        .iter()
        .map(|op| {
            op.dynamic
                .then(|| quote!(filter: &::asyncapi_runtime::AddressFilter,))
        })
        .collect();
    let subscribe_calls: Vec<TokenStream> = ops
        .iter()
        .map(|op| {
            let (id, params, payload, codec) = (&op.id, &op.parameters, &op.payload, &op.codec);
            let (headers, key) = (op.headers_type(), op.key_type());
            let (qos, correlation) = (op.qos, &op.correlation);
            let (group, client_id) = (
                optional_str(op.group.as_deref()),
                optional_str(op.client_id.as_deref()),
            );
            let options = quote! {
                ::asyncapi_runtime::__private::ReceiveOptions {
                    qos: ::asyncapi_runtime::QoS::from_level(#qos),
                    correlation: #correlation,
                    group: #group,
                    client_id: #client_id,
                }
            };
            if op.dynamic {
                quote! {
                    ::asyncapi_runtime::__private::subscribe_at::<T, #params, #payload, #headers, #key, _>(
                        self, #id, filter.template(), #options, #codec,
                    )
                }
            } else {
                quote! {
                    ::asyncapi_runtime::__private::subscribe::<T, #params, #payload, #headers, #key, _>(
                        self, #id, #options, #codec,
                    )
                }
            }
        })
        .collect();
    let dynamic: Vec<&OperationItem> = ops.iter().copied().filter(|op| op.dynamic).collect();
    let subscribe_args: Vec<TokenStream> = ops
        .iter()
        .map(|op| {
            let method = &op.method;
            if op.dynamic {
                quote!(client, &filters.#method)
            } else {
                quote!(client)
            }
        })
        .collect();
    let (filters_item, filters_param, filters_arg) = if dynamic.is_empty() {
        (TokenStream::new(), TokenStream::new(), TokenStream::new())
    } else {
        let fields = dynamic.iter().map(|op| {
            let method = &op.method;
            let doc = format!(
                "Where operation `{}` listens: its channel's address is decided at runtime.",
                op.id
            );
            quote! {
                #[doc = #doc]
                pub #method: ::asyncapi_runtime::AddressFilter,
            }
        });
        (
            quote! {
                /// Where the receive operations whose channel has no address in the spec
                /// (`address: null`) listen, one filter each.
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
                pub struct ReceiveFilters {
                    #( #fields )*
                }
            },
            quote!(filters: &ReceiveFilters,),
            quote!(filters,),
        )
    };
    let streams: Vec<Ident> = (0..ops.len())
        .map(|i| ident(&format!("stream_{i}")))
        .collect();
    let outputs = ops.iter().map(|op| match &op.reply {
        None => quote!(::asyncapi_runtime::HandlerResult),
        Some(reply) => {
            let r = reply.handler_output();
            quote!(::asyncapi_runtime::HandlerResult<#r>)
        }
    });
    let results: Vec<Ident> = (0..ops.len())
        .map(|i| ident(&format!("result_{i}")))
        .collect();
    let drives = ops.iter().zip(&streams).map(|(op, stream)| {
        let method = &op.method;
        let reply = match &op.reply {
            None => quote!(::std::option::Option::<::asyncapi_runtime::serve::ReplyOptions>::None),
            Some(reply) => {
                let (address, correlation, qos) = (&reply.address, &reply.correlation, op.qos);
                let (id, content_type) = (&op.id, &reply.content_type);
                quote! {
                    ::std::option::Option::Some(
                        ::asyncapi_runtime::serve::ReplyOptions::new(
                            #id,
                            #address,
                            #correlation,
                            ::asyncapi_runtime::QoS::from_level(#qos),
                        )
                        .with_content_type(#content_type),
                    )
                }
            }
        };
        quote! {
            runner.operation(
                #stream,
                &config.#method,
                #reply,
                |message| handler.#method(message),
                |error| handler.on_error(error),
            )
        }
    });
    let policies = ops.iter().map(|op| {
        let method = &op.method;
        let doc = format!("How operation `{}` is served.", op.id);
        quote! {
            #[doc = #doc]
            pub #method: ::asyncapi_runtime::serve::Policy,
        }
    });
    let policy_defaults = ops.iter().map(|op| {
        let method = &op.method;
        let policy = &op.policy;
        quote!(#method: #policy,)
    });
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
        &[
            Some(&format!(
                "The receive operations of {title}: implement one method per operation and pass \
                 the handler to [`serve`]."
            )),
            Some(
                "Each method gets the decoded message with its metadata (address, parameters, \
                 headers, key, correlation id, raw bytes); an operation with a reply returns the \
                 reply, which `serve` sends back with the request's correlation id.",
            ),
        ],
        "",
    );
    quote! {
        #subscriber_docs
        #[allow(deprecated)]
        pub trait Subscriber: ::std::marker::Sync {
            #(
                #docs
                fn #stream_methods(&self, #filter_params) -> impl ::std::future::Future<
                    Output = ::std::result::Result<#stream_types, ::asyncapi_runtime::Error>,
                > + ::std::marker::Send;
            )*
        }

        #[allow(deprecated)]
        impl<T: ::asyncapi_runtime::Transport> Subscriber for ::asyncapi_runtime::Client<T> {
            #(
                fn #stream_methods(&self, #filter_params) -> impl ::std::future::Future<
                    Output = ::std::result::Result<#stream_types, ::asyncapi_runtime::Error>,
                > + ::std::marker::Send {
                    #subscribe_calls
                }
            )*
        }

        #filters_item

        #handler_docs
        #[allow(deprecated)]
        pub trait Handler: ::std::marker::Send + ::std::marker::Sync {
            #(
                #docs
                fn #methods(
                    &self,
                    message: #received,
                ) -> impl ::std::future::Future<Output = #outputs> + ::std::marker::Send;
            )*

            /// Called for every message that could not be decoded, and for every message whose
            /// handler failed as often as the operation's policy allows (with its bytes and what
            /// became of it); the subscription goes on. The default logs undecodable messages at
            /// `error` level through `tracing` (the serve loop logs failed handlers itself).
            fn on_error(
                &self,
                error: ::asyncapi_runtime::ReceiveError,
            ) -> impl ::std::future::Future<Output = ()> + ::std::marker::Send {
                ::asyncapi_runtime::__private::log_receive_error(&error);
                ::std::future::ready(())
            }
        }

        /// How each receive operation is served (retries, dead letters, concurrency) and how long
        /// `serve` drains on shutdown. The default is what the spec says (its `x-retry` and
        /// `x-dead-letter` extensions), else [`Policy::default`](::asyncapi_runtime::serve::Policy).
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct ServeConfig {
            #( #policies )*
            /// How long handlers that started get to finish once shutdown is asked for.
            pub drain_timeout: ::std::time::Duration,
        }

        impl ::std::default::Default for ServeConfig {
            fn default() -> Self {
                ServeConfig {
                    #( #policy_defaults )*
                    drain_timeout: ::asyncapi_runtime::serve::DEFAULT_DRAIN_TIMEOUT,
                }
            }
        }

        /// Every receive operation's subscription, made and waiting: messages published from now on
        /// are kept for [`Subscriptions::serve`]. It holds a clone of the client, to send replies
        /// and dead letters.
        #[allow(deprecated)]
        pub struct Subscriptions<T> {
            client: ::asyncapi_runtime::Client<T>,
            config: ServeConfig,
            #( #streams: #stream_types, )*
        }

        #[allow(deprecated)]
        impl<T> ::std::fmt::Debug for Subscriptions<T> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Subscriptions")
                    #( .field(#ids, &self.#streams) )*
                    .finish_non_exhaustive()
            }
        }

        #[allow(deprecated)]
        impl<T: ::asyncapi_runtime::Transport + ::std::clone::Clone> Subscriptions<T> {
            /// Subscribes every receive operation through `client`.
            pub async fn new(
                client: &::asyncapi_runtime::Client<T>,
                #filters_param
            ) -> ::std::result::Result<Self, ::asyncapi_runtime::Error> {
                ::std::result::Result::Ok(Self {
                    client: ::std::clone::Clone::clone(client),
                    config: ::std::default::Default::default(),
                    #( #streams: <::asyncapi_runtime::Client<T> as Subscriber>::#stream_methods(#subscribe_args).await?, )*
                })
            }

            /// Serves with `config` instead of the spec's defaults.
            pub fn with_config(mut self, config: ServeConfig) -> Self {
                self.config = config;
                self
            }

            /// How the operations will be served, to change before [`Subscriptions::serve`].
            pub fn config_mut(&mut self) -> &mut ServeConfig {
                &mut self.config
            }

            /// Feeds every message to `handler` until `shutdown` resolves, then drains: no new
            /// message is taken, handlers that started finish (within the drain timeout) and are
            /// acknowledged, what is left stays unacknowledged for redelivery. Operations are
            /// served concurrently; within one, as its policy says (by default one message at a
            /// time, in order; failures retried, then dead-lettered). `Ok` when `shutdown` asked
            /// for the stop; an error when a subscription ended on its own (the transport closed).
            pub async fn serve<H: Handler>(
                self,
                handler: &H,
                shutdown: impl ::std::future::Future<Output = ()>,
            ) -> ::std::result::Result<(), ::asyncapi_runtime::serve::ServeError> {
                let Self { client, config, #(#streams),* } = self;
                let runner = ::asyncapi_runtime::serve::Runner::new(&client)
                    .with_drain_timeout(config.drain_timeout);
                let (runner, config) = (&runner, &config);
                runner
                    .run(shutdown, async move {
                        let (#(#results,)*) = ::asyncapi_runtime::__private::futures::join!(
                            #( #drives ),*
                        );
                        [#(#results),*]
                    })
                    .await
            }
        }

        /// Subscribes every receive operation and serves it with the spec's [`ServeConfig`] until
        /// `shutdown` resolves (see [`Subscriptions::serve`]); see [`Subscriptions`] to subscribe
        /// first, configure, and serve later.
        pub async fn serve<T: ::asyncapi_runtime::Transport + ::std::clone::Clone, H: Handler>(
            client: &::asyncapi_runtime::Client<T>,
            #filters_param
            handler: &H,
            shutdown: impl ::std::future::Future<Output = ()>,
        ) -> ::std::result::Result<(), ::asyncapi_runtime::serve::ServeError> {
            Subscriptions::new(client, #filters_arg).await?.serve(handler, shutdown).await
        }
    }
}

/// The serve policy of a receive operation: `Policy::default()`, with what the spec's
/// `x-retry`, `x-dead-letter` and Kafka `x-errorTopic` set (see `model::failure`).
pub(crate) fn policy(op: &Operation, api: &Api) -> TokenStream {
    let mut policy = quote!(::asyncapi_runtime::serve::Policy::default());
    let Some(failure) = &op.failure else {
        return policy;
    };
    if let Some(attempts) = failure.attempts {
        policy = quote!(#policy.attempts(#attempts));
    }
    if let Some(backoff) = &failure.backoff {
        let (initial, max) = (duration(backoff.initial), duration(backoff.max));
        let (multiplier, jitter) = (backoff.multiplier, backoff.jitter);
        let backoff = if multiplier == 1.0 && backoff.initial == backoff.max {
            let jitter = (jitter != 0.0).then(|| quote!(.jitter(#jitter)));
            quote!(::asyncapi_runtime::serve::Backoff::fixed(#initial) #jitter)
        } else {
            quote! {
                ::asyncapi_runtime::serve::Backoff::exponential(#initial, #max)
                    .multiplier(#multiplier)
                    .jitter(#jitter)
            }
        };
        policy = quote!(#policy.backoff(#backoff));
    }
    if let Some(address) = failure
        .dead_letter
        .as_ref()
        .map(|d| dead_letter_address(d, api))
    {
        policy = quote!(#policy.dead_letter(#address));
    }
    policy
}

/// The address dead letters are sent to: the channel's address (what publishing to it uses),
/// else the address as written.
pub(crate) fn dead_letter_address<'a>(destination: &'a DeadLetter, api: &'a Api) -> &'a str {
    match destination {
        DeadLetter::Channel(index) => &api.channels[*index].address,
        DeadLetter::Address(address) => address,
    }
}

/// A `Duration` expression, in whole milliseconds where it is one.
fn duration(value: std::time::Duration) -> TokenStream {
    // Saturating: a spec may write a duration longer than `u64` milliseconds can say.
    if value.subsec_nanos() % 1_000_000 == 0 {
        let millis = u64::try_from(value.as_millis()).unwrap_or(u64::MAX);
        quote!(::std::time::Duration::from_millis(#millis))
    } else {
        let nanos = u64::try_from(value.as_nanos()).unwrap_or(u64::MAX);
        quote!(::std::time::Duration::from_nanos(#nanos))
    }
}
