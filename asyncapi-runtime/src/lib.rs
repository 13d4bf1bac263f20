//! Runtime for code generated from AsyncAPI documents.
//!
//! A user adds this one crate and calls [`asyncapi!`] (or annotates a module with [`spec`]); the
//! generated types and traits reach everything they need through [`__private`], so the user never
//! adds serde, futures or tokio by hand for them.
//!
//! ```
//! asyncapi_runtime::asyncapi!("../examples/specs/streetlights-mqtt.yml");
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! use asyncapi_runtime::Client;
//! use asyncapi_runtime::memory::MemoryBroker;
//! use futures::StreamExt;
//!
//! let broker = MemoryBroker::new();
//! let mut everything = broker.subscribe_filter("smartylighting/#");
//! let client = Client::new(broker);
//!
//! // `dim_light` is a send operation of the spec: a method of the generated `Publisher` trait,
//! // taking the channel's parameters, the message's declared headers and its payload.
//! let lamp = LightsDimParameters { streetlight_id: "lamp-1".into() };
//! let headers = CommonHeaders { my_app_header: Some(7) };
//! let command = DimLightPayload { percentage: Some(40), sent_at: None };
//! client.dim_light(&lamp, &headers, &command).await?;
//! // The spec's MQTT bindings set the defaults; each call may override them.
//! client
//!     .dim_light(&lamp, &headers, &command)
//!     .qos(asyncapi_runtime::QoS::AtLeastOnce)
//!     .await?;
//!
//! let message = everything.next().await.unwrap()?;
//! assert_eq!(message.address, "smartylighting/streetlights/1/0/action/lamp-1/dim");
//! assert_eq!(&message.payload[..], br#"{"percentage":40}"#);
//! assert_eq!(message.headers.get("my-app-header"), Some("7"));
//! let second = everything.next().await.unwrap()?;
//! assert_eq!(second.qos, Some(asyncapi_runtime::QoS::AtLeastOnce));
//! # Ok(())
//! # }
//! ```
//!
//! # Validation
//!
//! Generated types implement [`Validate`], which checks what serde cannot: `minimum`,
//! `maxLength`, `pattern`, `uniqueItems` and the other constraints of their schemas. Received
//! payloads are checked when the client asks for it with [`Client::with_validation`]; a payload
//! that breaks a constraint then arrives as a [`ReceiveError::Invalid`] item.
//!
//! # Features
//!
//! None is on by default. The transports:
//!
//! | feature         | what                                                                   |
//! |-----------------|------------------------------------------------------------------------|
//! | `mqtt`          | module `mqtt`: MQTT 3.1.1 and 5 through rumqttc, TLS through rustls    |
//! | `kafka`         | module `kafka`: Kafka through rdkafka (librdkafka, built from source)  |
//! | `kafka-ssl`     | `kafka` with TLS and SCRAM (librdkafka against the system's OpenSSL)   |
//! | `trace-context` | module `trace_context`: W3C `traceparent` headers on every publish     |
//! | `metrics`       | serving and publishing recorded through the `metrics` facade (see [`serve`]) |
//!
//! The others each make a string `format` a type that checks and parses its text (see
//! [`formats`]); without it, the format's type is `String`.
//!
//! | feature  | formats                      |
//! |----------|------------------------------|
//! | `chrono` | `date-time`, `date`, `time`  |
//! | `uuid`   | `uuid`                       |
//! | `url`    | `uri`                        |
//! | `email`  | `email`                      |
//! | `base64` | `byte`                       |

// Lets generated code inside this crate's own tests use `::asyncapi_runtime::...` paths.
extern crate self as asyncapi_runtime;

pub mod address;
mod any;
pub mod bindings;
mod client;
pub mod codec;
mod connect;
mod error;
pub mod formats;
pub mod headers;
#[cfg(feature = "kafka")]
pub mod kafka;
pub mod memory;
mod message;
#[cfg(feature = "mqtt")]
pub mod mqtt;
mod publish;
mod request;
pub mod serve;
mod server;
#[cfg(feature = "trace-context")]
pub mod trace_context;
mod transport;
pub mod validate;

#[doc(hidden)]
pub mod __private;

pub use address::AddressFilter;
pub use any::AnyTransport;
pub use asyncapi_macros::{asyncapi, spec};
/// The payload type of binary messages (`application/octet-stream`).
pub use bytes::Bytes;
pub use client::{AckMode, Client, DEFAULT_MAX_PAYLOAD};
pub use connect::{Connect, ConnectError, SERVER_VARIABLE, connect, connect_selected};
pub use error::{AddressError, BoxError, Error, ReceiveError, TransportError};
pub use headers::Headers;
pub use message::{Location, MessageStream, Received};
pub use publish::{Publish, PublishFuture};
pub use request::{DEFAULT_TIMEOUT, ReplyAddress, ReplyStats, Request};
pub use server::{SecurityScheme, Server, ServerError, ServerVariable};
pub use transport::{
    Ack, ConnectionState, Delivery, Health, HealthReporter, Incoming, Outgoing, QoS, RawStream,
    Subscription, Transport,
};
pub use validate::{Validate, ValidationError, ValidationErrors};

pub use serve::{HandlerError, HandlerResult};

/// The typed parameters of one channel: how they become an address and come back from one.
///
/// Generated for every channel (a unit struct when the channel has no parameters).
pub trait Parameters: Sized + Send + Sync + 'static {
    /// The channel's address template, with `{name}` placeholders.
    const ADDRESS: &'static str;

    /// The concrete address; every value is checked so that none can inject a separator or wildcard.
    fn to_address(&self) -> Result<String, AddressError>;

    /// Parses a concrete address back into typed parameters.
    fn from_address(address: &str) -> Result<Self, AddressError>;
}

/// No parameters: replies, whose address the request decided.
impl Parameters for () {
    const ADDRESS: &'static str = "";

    fn to_address(&self) -> Result<String, AddressError> {
        Ok(String::new())
    }

    fn from_address(_address: &str) -> Result<Self, AddressError> {
        Ok(())
    }
}
