//! The client that generated publisher and subscriber traits are implemented for.

/// A generated API's client, generic over the transport underneath.
///
/// Generated `Publisher` and `Subscriber` traits are implemented for `Client<T>` for every
/// [`Transport`](crate::Transport) `T`; bring the trait into scope to call its methods.
#[derive(Clone, Debug)]
pub struct Client<T> {
    transport: T,
    validate_incoming: bool,
}

impl<T> Client<T> {
    /// A client over `transport`, not validating what it receives.
    pub fn new(transport: T) -> Self {
        Client {
            transport,
            validate_incoming: false,
        }
    }

    /// Turns checking of received payloads against their schema's constraints on or off (off by
    /// default). When on, the streams this client subscribes afterwards turn a payload that
    /// decodes but breaks a constraint (`minimum`, `pattern`, ...) into a
    /// [`ReceiveError::Invalid`](crate::ReceiveError::Invalid) item instead of a message.
    pub fn with_validation(mut self, on: bool) -> Self {
        self.validate_incoming = on;
        self
    }

    /// Whether received payloads are validated; see [`Client::with_validation`].
    pub fn validates_incoming(&self) -> bool {
        self.validate_incoming
    }

    /// The transport underneath.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport
    }
}
