// Generated from asyncapi-codegen/tests/fixtures/types/unnamed.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// A tree node; its parent and children are nodes again.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct NodePayload {
    /// The `label` property.
    #[serde(rename = "label")]
    pub label: ::std::string::String,
    /// The `parent` property.
    #[serde(
        rename = "parent",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub parent: ::std::option::Option<::std::boxed::Box<NodePayload>>,
    /// The `children` property.
    #[serde(
        rename = "children",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub children: ::std::option::Option<::std::vec::Vec<NodePayload>>,
    /// The `chain` property.
    #[serde(
        rename = "chain",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub chain: ::std::option::Option<Chain>,
}
#[allow(deprecated)]
impl NodePayload {
    /// Makes a `NodePayload` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        label: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            label,
            parent: ::std::option::Option::None,
            children: ::std::option::Option::None,
            chain: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for NodePayload {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.parent {
            let field_path = &path.key("parent");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
        if let ::std::option::Option::Some(value) = &self.children {
            let field_path = &path.key("children");
            for (index, item) in value.iter().enumerate() {
                let item_path = &field_path.index(index);
                {
                    let value = item;
                    ::asyncapi_runtime::__private::Validate::validate_at(
                        value,
                        item_path,
                        errors,
                    );
                }
            }
        }
        if let ::std::option::Option::Some(value) = &self.chain {
            let field_path = &path.key("chain");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// A linked list written inline.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Chain {
    /// The `value` property.
    #[serde(rename = "value")]
    pub value: i64,
    /// The `next` property.
    #[serde(
        rename = "next",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub next: ::std::option::Option<::std::boxed::Box<Chain>>,
}
#[allow(deprecated)]
impl Chain {
    /// Makes a `Chain` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        value: i64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            value,
            next: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Chain {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.next {
            let field_path = &path.key("next");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// Written in the schema format `application/raml+yaml;version=1.0`, which the generator does not read: any JSON value is accepted.
pub type RamlPayload = ::asyncapi_runtime::__private::serde_json::Value;
/// Parameters of channel `tree`, address `tree`.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::default::Default
)]
pub struct TreeParameters;
impl TreeParameters {
    /// The address template of this channel.
    pub const ADDRESS: &'static str = "tree";
    /// The concrete address; fails when a value would inject a separator or wildcard.
    pub fn address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        <Self as ::asyncapi_runtime::Parameters>::to_address(self)
    }
    /// Parses a concrete address of this channel back into its parameters.
    pub fn parse(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        <Self as ::asyncapi_runtime::Parameters>::from_address(address)
    }
}
impl ::asyncapi_runtime::Parameters for TreeParameters {
    const ADDRESS: &'static str = "tree";
    fn to_address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        ::std::result::Result::Ok(::std::string::String::from("tree"))
    }
    fn from_address(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        if address == "tree" {
            ::std::result::Result::Ok(Self)
        } else {
            ::std::result::Result::Err(::asyncapi_runtime::AddressError::Mismatch {
                template: "tree",
                address: ::std::string::String::from(address),
            })
        }
    }
}
/// Parameters of channel `documents`, address `documents`.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::default::Default
)]
pub struct DocumentsParameters;
impl DocumentsParameters {
    /// The address template of this channel.
    pub const ADDRESS: &'static str = "documents";
    /// The concrete address; fails when a value would inject a separator or wildcard.
    pub fn address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        <Self as ::asyncapi_runtime::Parameters>::to_address(self)
    }
    /// Parses a concrete address of this channel back into its parameters.
    pub fn parse(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        <Self as ::asyncapi_runtime::Parameters>::from_address(address)
    }
}
impl ::asyncapi_runtime::Parameters for DocumentsParameters {
    const ADDRESS: &'static str = "documents";
    fn to_address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        ::std::result::Result::Ok(::std::string::String::from("documents"))
    }
    fn from_address(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        if address == "documents" {
            ::std::result::Result::Ok(Self)
        } else {
            ::std::result::Result::Err(::asyncapi_runtime::AddressError::Mismatch {
                template: "documents",
                address: ::std::string::String::from(address),
            })
        }
    }
}
/// The send operations of Unnamed 1.0.0: one method per operation this side publishes.
///
/// Each method encodes the message and returns a `Publish` (a `Request` for operations with a reply) that sends when awaited; its builder methods override the spec's defaults per call, e.g. `.qos(QoS::AtLeastOnce)`.
///
/// Implemented for `::asyncapi_runtime::Client<T>` over every transport; bring the trait into scope to call it.
#[allow(clippy::ptr_arg, deprecated)]
pub trait Publisher: ::std::marker::Sync {
    /// The transport the messages go through.
    type Transport: ::asyncapi_runtime::Transport;
    /// Operation `sendNode` on `tree`.
    fn send_node(
        &self,
        payload: &NodePayload,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport>;
}
#[allow(clippy::ptr_arg, deprecated)]
impl<T: ::asyncapi_runtime::Transport> Publisher for ::asyncapi_runtime::Client<T> {
    type Transport = T;
    fn send_node(
        &self,
        payload: &NodePayload,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport> {
        ::asyncapi_runtime::__private::publish(
            self,
            &TreeParameters,
            ::std::option::Option::None::<&()>,
            ::std::option::Option::None::<&()>,
            payload,
            ::asyncapi_runtime::__private::SendOptions {
                operation: "sendNode",
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                retain: false,
                correlation: ::std::option::Option::None,
                content_type: ::std::option::Option::None,
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
}
/// The receive operations of Unnamed 1.0.0 as typed streams, one per operation.
///
/// A message that does not decode is an `Err` item; the stream goes on after it.
#[allow(deprecated)]
pub trait Subscriber: ::std::marker::Sync {
    /// Operation `receiveDocument` on `documents`.
    fn subscribe_receive_document(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                DocumentsParameters,
                RamlPayload,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send;
}
#[allow(deprecated)]
impl<T: ::asyncapi_runtime::Transport> Subscriber for ::asyncapi_runtime::Client<T> {
    fn subscribe_receive_document(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                DocumentsParameters,
                RamlPayload,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send {
        ::asyncapi_runtime::__private::subscribe::<
            T,
            DocumentsParameters,
            RamlPayload,
            (),
            (),
            _,
        >(
            self,
            "receiveDocument",
            ::asyncapi_runtime::__private::ReceiveOptions {
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                correlation: ::std::option::Option::None,
                group: ::std::option::Option::None,
                client_id: ::std::option::Option::None,
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
}
/// The receive operations of Unnamed 1.0.0: implement one method per operation and pass the handler to [`serve`].
///
/// Each method gets the decoded message with its metadata (address, parameters, headers, key, correlation id, raw bytes); an operation with a reply returns the reply, which `serve` sends back with the request's correlation id.
#[allow(deprecated)]
pub trait Handler: ::std::marker::Send + ::std::marker::Sync {
    /// Operation `receiveDocument` on `documents`.
    fn receive_document(
        &self,
        message: ::asyncapi_runtime::Received<DocumentsParameters, RamlPayload, (), ()>,
    ) -> impl ::std::future::Future<
        Output = ::asyncapi_runtime::HandlerResult,
    > + ::std::marker::Send;
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
    ///How operation `receiveDocument` is served.
    pub receive_document: ::asyncapi_runtime::serve::Policy,
    /// How long handlers that started get to finish once shutdown is asked for.
    pub drain_timeout: ::std::time::Duration,
}
impl ::std::default::Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            receive_document: ::asyncapi_runtime::serve::Policy::default(),
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
    stream_0: ::asyncapi_runtime::MessageStream<
        DocumentsParameters,
        RamlPayload,
        (),
        (),
        ::asyncapi_runtime::codec::Json,
    >,
}
#[allow(deprecated)]
impl<T> ::std::fmt::Debug for Subscriptions<T> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.debug_struct("Subscriptions")
            .field("receiveDocument", &self.stream_0)
            .finish_non_exhaustive()
    }
}
#[allow(deprecated)]
impl<T: ::asyncapi_runtime::Transport + ::std::clone::Clone> Subscriptions<T> {
    /// Subscribes every receive operation through `client`.
    pub async fn new(
        client: &::asyncapi_runtime::Client<T>,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::Error> {
        ::std::result::Result::Ok(Self {
            client: ::std::clone::Clone::clone(client),
            config: ::std::default::Default::default(),
            stream_0: <::asyncapi_runtime::Client<
                T,
            > as Subscriber>::subscribe_receive_document(client)
                .await?,
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
        let Self { client, config, stream_0 } = self;
        let runner = ::asyncapi_runtime::serve::Runner::new(&client)
            .with_drain_timeout(config.drain_timeout);
        let (runner, config) = (&runner, &config);
        runner
            .run(
                shutdown,
                async move {
                    let (result_0,) = ::asyncapi_runtime::__private::futures::join!(
                        runner.operation(stream_0, & config.receive_document,
                        ::std::option::Option:: < ::asyncapi_runtime::serve::ReplyOptions
                        > ::None, | message | handler.receive_document(message), | error
                        | handler.on_error(error),)
                    );
                    [result_0]
                },
            )
            .await
    }
}
/// Subscribes every receive operation and serves it with the spec's [`ServeConfig`] until
/// `shutdown` resolves (see [`Subscriptions::serve`]); see [`Subscriptions`] to subscribe
/// first, configure, and serve later.
pub async fn serve<T: ::asyncapi_runtime::Transport + ::std::clone::Clone, H: Handler>(
    client: &::asyncapi_runtime::Client<T>,
    handler: &H,
    shutdown: impl ::std::future::Future<Output = ()>,
) -> ::std::result::Result<(), ::asyncapi_runtime::serve::ServeError> {
    Subscriptions::new(client).await?.serve(handler, shutdown).await
}
