//! Runtime for code generated from AsyncAPI documents.
//!
//! A user adds this one crate and calls [`asyncapi!`] (or annotates a module with [`spec`]); the
//! generated types and traits reach everything they need through [`__private`], so the user never
//! adds serde, futures or tokio by hand for them.
//!
//! ```ignore
//! asyncapi_runtime::asyncapi!("specs/streetlights.yaml");
//!
//! let broker = asyncapi_runtime::memory::MemoryBroker::new();
//! let client = asyncapi_runtime::Client::new(broker);
//! ```

// Lets generated code inside this crate's own tests use `::asyncapi_runtime::...` paths.
extern crate self as asyncapi_runtime;

pub mod address;
mod client;
pub mod codec;
mod error;
pub mod memory;
mod message;
mod transport;

#[doc(hidden)]
pub mod __private;

pub use asyncapi_macros::{asyncapi, spec};
pub use client::Client;
pub use error::{AddressError, BoxError, Error, ReceiveError, TransportError};
pub use message::{MessageStream, Received};
pub use transport::{Incoming, Outgoing, QoS, RawStream, Subscription, Transport};

/// What a handler method returns: `Ok` when the message was handled.
pub type HandlerResult = Result<(), BoxError>;

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
