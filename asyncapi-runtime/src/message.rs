//! Typed received messages and the typed stream of one receive operation.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::Stream;
use serde::de::DeserializeOwned;

use crate::codec::{Codec, Json};
use crate::{Incoming, Parameters, RawStream, ReceiveError};

/// One received message, decoded, with where it came from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Received<P, M> {
    /// The concrete address it arrived on.
    pub address: String,
    /// The channel parameters parsed from the address.
    pub parameters: P,
    /// The decoded payload.
    pub payload: M,
    /// The payload bytes as received.
    pub raw: Bytes,
}

impl<P, M> Received<P, M> {
    /// A received message, as a transport would deliver it; for testing handlers directly.
    pub fn new(
        address: impl Into<String>,
        parameters: P,
        payload: M,
        raw: impl Into<Bytes>,
    ) -> Self {
        Received {
            address: address.into(),
            parameters,
            payload,
            raw: raw.into(),
        }
    }
}

/// Marks the stream's types without owning values of them (keeps the stream `Send` and `Unpin`).
type Marker<P, M, C> = fn() -> (P, M, C);

/// The typed stream of one receive operation. A message that fails to decode is an `Err` item and
/// the stream goes on; the stream ends only when the transport ends the subscription.
pub struct MessageStream<P, M, C = Json> {
    inner: RawStream,
    operation: &'static str,
    _types: PhantomData<Marker<P, M, C>>,
}

impl<P, M, C> MessageStream<P, M, C> {
    /// Wraps a transport's raw stream for `operation`.
    pub fn new(inner: RawStream, operation: &'static str) -> Self {
        MessageStream {
            inner,
            operation,
            _types: PhantomData,
        }
    }

    /// The operation this stream serves.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

impl<P, M, C> std::fmt::Debug for MessageStream<P, M, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageStream")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

/// Decodes one raw message for `operation`.
pub(crate) fn decode<P: Parameters, M: DeserializeOwned, C: Codec>(
    operation: &'static str,
    incoming: Incoming,
) -> Result<Received<P, M>, ReceiveError> {
    let parameters = match P::from_address(&incoming.address) {
        Ok(p) => p,
        Err(source) => {
            return Err(ReceiveError::Address {
                operation,
                raw: incoming.payload,
                source: Box::new(source),
            });
        }
    };
    match C::decode::<M>(&incoming.payload) {
        Ok(payload) => Ok(Received {
            address: incoming.address,
            parameters,
            payload,
            raw: incoming.payload,
        }),
        Err(source) => Err(ReceiveError::Decode {
            operation,
            address: incoming.address,
            raw: incoming.payload,
            source,
        }),
    }
}

impl<P: Parameters, M: DeserializeOwned, C: Codec> Stream for MessageStream<P, M, C> {
    type Item = Result<Received<P, M>, ReceiveError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let operation = self.operation;
        self.inner.as_mut().poll_next(cx).map(|item| {
            item.map(|result| match result {
                Ok(incoming) => decode::<P, M, C>(operation, incoming),
                Err(source) => Err(ReceiveError::Transport { operation, source }),
            })
        })
    }
}
