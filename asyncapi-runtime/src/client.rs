//! The client that generated publisher and subscriber traits are implemented for.

/// A generated API's client, generic over the transport underneath.
///
/// Generated `Publisher` and `Subscriber` traits are implemented for `Client<T>` for every
/// [`Transport`](crate::Transport) `T`; bring the trait into scope to call its methods.
#[derive(Clone, Debug)]
pub struct Client<T> {
    transport: T,
}

impl<T> Client<T> {
    /// A client over `transport`.
    pub fn new(transport: T) -> Self {
        Client { transport }
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
