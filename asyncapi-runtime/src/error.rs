//! Error types of the runtime.

use bytes::Bytes;

/// A boxed error, as handlers and transports return them.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why an address could not be built or parsed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressError {
    /// A parameter value that would change the address's structure (separator, wildcard, NUL) or is empty.
    #[error("parameter `{parameter}` has value {value:?}, which {reason}")]
    InvalidValue {
        /// The parameter's name.
        parameter: &'static str,
        /// The offending value.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A received address that does not fit the channel's template.
    #[error("address {address:?} does not match the channel template {template:?}")]
    Mismatch {
        /// The template.
        template: &'static str,
        /// The address received.
        address: String,
    },
    /// A segment of a received address that is not a valid value of its parameter's type.
    #[error(
        "parameter `{parameter}` of address {address:?} has value {value:?}, which is not a valid {expected}"
    )]
    BadValue {
        /// The parameter's name.
        parameter: &'static str,
        /// The whole address.
        address: String,
        /// The segment.
        value: String,
        /// The expected type.
        expected: &'static str,
    },
}

/// A failure inside a transport.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The transport is shut down or the connection is gone.
    #[error("the transport is closed")]
    Closed,
    /// An error from the underlying client library.
    #[error("transport error: {0}")]
    Backend(#[source] BoxError),
    /// The message has something this transport (or this protocol version) cannot carry; it was
    /// not sent rather than sent without it.
    #[error("cannot send: {0}")]
    Unsupported(String),
    /// The transport's configuration is wrong (a bad URL, a missing credential, ...).
    #[error("transport configuration: {0}")]
    Config(String),
    /// The broker did not acknowledge in time, or a subscription was not live in time.
    #[error("timed out: {0}")]
    Timeout(String),
}

impl ReceiveError {
    /// The payload as received, when the error is about one message (every kind but
    /// [`ReceiveError::Transport`]).
    pub fn raw(&self) -> Option<&Bytes> {
        match self {
            ReceiveError::Decode { raw, .. }
            | ReceiveError::Metadata { raw, .. }
            | ReceiveError::Address { raw, .. }
            | ReceiveError::TooLarge { raw, .. }
            | ReceiveError::Invalid { raw, .. }
            | ReceiveError::Handler { raw, .. } => Some(raw),
            ReceiveError::Transport { .. } => None,
        }
    }

    /// The operation the error is about.
    pub fn operation(&self) -> &'static str {
        match self {
            ReceiveError::Decode { operation, .. }
            | ReceiveError::Metadata { operation, .. }
            | ReceiveError::Address { operation, .. }
            | ReceiveError::TooLarge { operation, .. }
            | ReceiveError::Invalid { operation, .. }
            | ReceiveError::Handler { operation, .. }
            | ReceiveError::Transport { operation, .. } => operation,
        }
    }
}

impl TransportError {
    /// Wraps an error of the underlying client library.
    pub fn backend(error: impl Into<BoxError>) -> Self {
        TransportError::Backend(error.into())
    }
}

/// An error on the sending side, or while setting up a subscription.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address could not be built.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// The payload could not be encoded.
    #[error("could not encode the payload: {0}")]
    Encode(#[source] crate::codec::CodecError),
    /// The transport failed.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The headers or the key could not be encoded.
    #[error("could not encode the message's {part}: {source}")]
    Metadata {
        /// `headers` or `key`.
        part: &'static str,
        /// What went wrong.
        #[source]
        source: crate::headers::HeaderError,
    },
    /// A request could not be sent as its operation's `reply` requires.
    #[error("operation `{operation}`: {reason}")]
    Request {
        /// The operation id.
        operation: &'static str,
        /// What is missing.
        reason: String,
    },
    /// No reply came within the request's timeout.
    #[error("operation `{operation}`: no reply on {address:?} within {timeout:?}")]
    Timeout {
        /// The operation id.
        operation: &'static str,
        /// Where the reply was awaited.
        address: String,
        /// How long it was awaited.
        timeout: std::time::Duration,
    },
    /// The correlated reply arrived but could not be decoded.
    #[error(transparent)]
    Reply(Box<ReceiveError>),
}

/// A problem with one received message. The subscription goes on after it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The payload does not decode into the operation's message type.
    #[error("operation `{operation}`: message on {address:?} does not decode: {source}")]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// Where the message arrived.
        address: String,
        /// The payload as received.
        raw: Bytes,
        /// The codec's complaint.
        #[source]
        source: crate::codec::CodecError,
    },
    /// The headers or the key do not decode into the message's declared types.
    #[error(
        "operation `{operation}`: message on {address:?}: could not decode its {part}: {source}"
    )]
    Metadata {
        /// The operation id.
        operation: &'static str,
        /// Where the message arrived.
        address: String,
        /// The payload as received.
        raw: Bytes,
        /// `headers` or `key`.
        part: &'static str,
        /// What is wrong with them.
        #[source]
        source: crate::headers::HeaderError,
    },
    /// The address does not parse into the channel's parameters.
    #[error("operation `{operation}`: {source}")]
    Address {
        /// The operation id.
        operation: &'static str,
        /// The payload as received.
        raw: Bytes,
        /// What is wrong with the address.
        #[source]
        source: Box<AddressError>,
    },
    /// The payload is larger than the client's limit
    /// ([`Client::with_max_payload`](crate::Client::with_max_payload)); it was not decoded.
    #[error(
        "operation `{operation}`: message on {address:?} has a payload of {} bytes, over the limit of {limit}",
        raw.len()
    )]
    TooLarge {
        /// The operation id.
        operation: &'static str,
        /// Where the message arrived.
        address: String,
        /// The payload as received.
        raw: Bytes,
        /// The limit it is over, in bytes.
        limit: usize,
    },
    /// The payload decodes but breaks constraints of its schema (only when validation is on:
    /// [`Client::with_validation`](crate::Client::with_validation)).
    #[error("operation `{operation}`: message on {address:?} is invalid: {errors}")]
    Invalid {
        /// The operation id.
        operation: &'static str,
        /// Where the message arrived.
        address: String,
        /// The payload as received.
        raw: Bytes,
        /// Every violated constraint.
        #[source]
        errors: crate::ValidationErrors,
    },
    /// The handler failed for this message (returned an error or panicked) as often as the
    /// operation's policy allowed; `disposition` says what became of it.
    #[error(
        "operation `{operation}`: handler failed for message on {address:?} ({attempts} attempt(s); {disposition}): {source}"
    )]
    Handler {
        /// The operation id.
        operation: &'static str,
        /// Where the message arrived.
        address: String,
        /// The payload as received.
        raw: Bytes,
        /// How many times the handler had it.
        attempts: u32,
        /// What became of it.
        disposition: crate::serve::Disposition,
        /// The handler's last error.
        #[source]
        source: BoxError,
    },
    /// The transport reported an error on this subscription.
    #[error("operation `{operation}`: {source}")]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// The transport's error.
        #[source]
        source: TransportError,
    },
}
