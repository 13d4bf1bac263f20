//! Typed received messages and the typed stream of one receive operation.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::Stream;
use serde::de::DeserializeOwned;

use crate::codec::{Codec, Json};
use crate::{Incoming, Parameters, RawStream, ReceiveError, Validate};

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

/// The typed stream of one receive operation. A message that fails to decode (or, with
/// validation on, breaks its schema's constraints) is an `Err` item and the stream goes on; the
/// stream ends only when the transport ends the subscription.
pub struct MessageStream<P, M, C = Json> {
    inner: RawStream,
    operation: &'static str,
    validate: bool,
    _types: PhantomData<Marker<P, M, C>>,
}

impl<P, M, C> MessageStream<P, M, C> {
    /// Wraps a transport's raw stream for `operation`, without validation.
    pub fn new(inner: RawStream, operation: &'static str) -> Self {
        MessageStream {
            inner,
            operation,
            validate: false,
            _types: PhantomData,
        }
    }

    /// Turns validation of decoded payloads on or off (off by default). When on, a payload that
    /// breaks a constraint of its schema is a [`ReceiveError::Invalid`] item instead of a message.
    pub fn with_validation(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Whether decoded payloads are validated.
    pub fn validates(&self) -> bool {
        self.validate
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
            .field("validate", &self.validate)
            .finish_non_exhaustive()
    }
}

/// Decodes one raw message for `operation`, and validates the payload when `validate` is set.
pub(crate) fn decode<P: Parameters, M: DeserializeOwned + Validate, C: Codec>(
    operation: &'static str,
    validate: bool,
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
        Ok(payload) => {
            if validate {
                if let Err(errors) = payload.validate() {
                    return Err(ReceiveError::Invalid {
                        operation,
                        address: incoming.address,
                        raw: incoming.payload,
                        errors,
                    });
                }
            }
            Ok(Received {
                address: incoming.address,
                parameters,
                payload,
                raw: incoming.payload,
            })
        }
        Err(source) => Err(ReceiveError::Decode {
            operation,
            address: incoming.address,
            raw: incoming.payload,
            source,
        }),
    }
}

impl<P: Parameters, M: DeserializeOwned + Validate, C: Codec> Stream for MessageStream<P, M, C> {
    type Item = Result<Received<P, M>, ReceiveError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let operation = self.operation;
        let validate = self.validate;
        self.inner.as_mut().poll_next(cx).map(|item| {
            item.map(|result| match result {
                Ok(incoming) => decode::<P, M, C>(operation, validate, incoming),
                Err(source) => Err(ReceiveError::Transport { operation, source }),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;
    use crate::memory::MemoryBroker;
    use crate::validate::{Path, ValidationError, check};
    use crate::{AddressError, Client, Transport};

    #[derive(Debug)]
    struct Lamp;

    impl Parameters for Lamp {
        const ADDRESS: &'static str = "lamp";

        fn to_address(&self) -> Result<String, AddressError> {
            Ok(Self::ADDRESS.to_owned())
        }

        fn from_address(_address: &str) -> Result<Self, AddressError> {
            Ok(Lamp)
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Dim {
        percentage: i64,
    }

    impl Validate for Dim {
        fn validate_at(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
            let p = path.key("percentage");
            check::minimum(&p, errors, self.percentage, 0.0, false);
            check::maximum(&p, errors, self.percentage, 100.0, false);
        }
    }

    async fn send(broker: &MemoryBroker, payload: &'static str) {
        broker.deliver("lamp", payload.into()).await;
    }

    #[tokio::test]
    async fn invalid_payloads_are_err_items_and_the_stream_goes_on() {
        let broker = MemoryBroker::new();
        let raw = broker.subscribe_filter("lamp");
        let mut stream = MessageStream::<Lamp, Dim>::new(raw, "dim").with_validation(true);
        assert!(stream.validates());
        send(&broker, r#"{"percentage":140}"#).await;
        send(&broker, r#"{"percentage":40}"#).await;

        match stream.next().await.unwrap() {
            Err(ReceiveError::Invalid {
                operation,
                address,
                raw,
                errors,
            }) => {
                assert_eq!(operation, "dim");
                assert_eq!(address, "lamp");
                assert_eq!(&raw[..], br#"{"percentage":140}"#);
                assert_eq!(errors.len(), 1);
                assert_eq!(errors.0[0].path, "/percentage");
                assert_eq!(
                    errors.to_string(),
                    "at `/percentage`: must be at most 100, but is 140"
                );
            }
            other => panic!("expected an invalid item, got {other:?}"),
        }
        let good = stream.next().await.unwrap().unwrap();
        assert_eq!(good.payload, Dim { percentage: 40 });
    }

    #[tokio::test]
    async fn without_validation_constraints_are_not_checked() {
        let broker = MemoryBroker::new();
        let raw = broker.subscribe_filter("lamp");
        let mut stream = MessageStream::<Lamp, Dim>::new(raw, "dim");
        assert!(!stream.validates());
        send(&broker, r#"{"percentage":140}"#).await;
        let message = stream.next().await.unwrap().unwrap();
        assert_eq!(message.payload, Dim { percentage: 140 });
    }

    #[tokio::test]
    async fn subscribe_takes_the_flag_from_the_client() {
        let client = Client::new(MemoryBroker::new());
        assert!(!client.validates_incoming());
        let stream =
            crate::__private::subscribe::<_, Lamp, Dim>(&client, "dim", crate::QoS::AtMostOnce)
                .await
                .unwrap();
        assert!(!stream.validates());

        let client = client.with_validation(true);
        assert!(client.validates_incoming());
        let mut stream =
            crate::__private::subscribe::<_, Lamp, Dim>(&client, "dim", crate::QoS::AtMostOnce)
                .await
                .unwrap();
        assert!(stream.validates());
        let outgoing = crate::Outgoing::new("lamp", r#"{"percentage":-1}"#);
        client.transport().publish(outgoing).await.unwrap();
        let error = stream.next().await.unwrap().unwrap_err();
        assert!(
            error
                .to_string()
                .contains("is invalid: at `/percentage`: must be at least 0, but is -1"),
            "{error}"
        );
        // Decoding errors come first: a payload of the wrong shape is still `Decode`.
        let outgoing = crate::Outgoing::new("lamp", r#"{"percentage":"x"}"#);
        client.transport().publish(outgoing).await.unwrap();
        assert!(matches!(
            stream.next().await.unwrap(),
            Err(ReceiveError::Decode { .. })
        ));
    }
}
