//! [`AnyTransport`]: one type over every transport compiled in, so that which broker a service
//! talks to is a matter of configuration (see [`connect`](crate::connect)), not of its types.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::bindings::KafkaTopic;
use crate::memory::MemoryBroker;
use crate::{Delivery, Health, Outgoing, RawStream, Subscription, Transport, TransportError};

/// Whichever transport [`connect`](crate::connect) picked from a server's protocol: the
/// in-memory broker (always), MQTT (feature `mqtt`), Kafka (feature `kafka`). A [`Transport`]
/// itself, delegating every call, so generated clients work over it as over the transport
/// inside: `Client<AnyTransport>`.
///
/// Publishing costs what the transport inside costs: the in-memory broker's and MQTT's publish
/// futures are held inline, Kafka's is boxed (as [`PublishFuture`](crate::PublishFuture)
/// boxes it for `Client<Kafka>` too).
///
/// ```
/// use asyncapi_runtime::memory::MemoryBroker;
/// use asyncapi_runtime::{AnyTransport, Client};
///
/// // Tests can run the code written for any broker on the in-memory one.
/// let client = Client::new(AnyTransport::from(MemoryBroker::new()));
/// assert_eq!(client.transport().protocol(), "memory");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum AnyTransport {
    /// The in-process broker.
    Memory(MemoryBroker),
    /// An MQTT connection.
    #[cfg(feature = "mqtt")]
    Mqtt(crate::mqtt::Mqtt),
    /// A Kafka connection.
    #[cfg(feature = "kafka")]
    Kafka(crate::kafka::Kafka),
}

impl AnyTransport {
    /// Which transport this is: `memory`, `mqtt` or `kafka`.
    pub fn protocol(&self) -> &'static str {
        match self {
            AnyTransport::Memory(_) => "memory",
            #[cfg(feature = "mqtt")]
            AnyTransport::Mqtt(_) => "mqtt",
            #[cfg(feature = "kafka")]
            AnyTransport::Kafka(_) => "kafka",
        }
    }

    /// The in-memory broker, if this is one.
    pub fn as_memory(&self) -> Option<&MemoryBroker> {
        match self {
            AnyTransport::Memory(broker) => Some(broker),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The MQTT connection, if this is one.
    #[cfg(feature = "mqtt")]
    pub fn as_mqtt(&self) -> Option<&crate::mqtt::Mqtt> {
        match self {
            AnyTransport::Mqtt(mqtt) => Some(mqtt),
            _ => None,
        }
    }

    /// The Kafka connection, if this is one.
    #[cfg(feature = "kafka")]
    pub fn as_kafka(&self) -> Option<&crate::kafka::Kafka> {
        match self {
            AnyTransport::Kafka(kafka) => Some(kafka),
            _ => None,
        }
    }

    /// Creates the spec's Kafka topics (the generated `topics::ALL`) when this is a Kafka
    /// connection (see `Kafka::create_topics`); other transports have nothing to create, and
    /// this does nothing for them.
    pub async fn create_topics(&self, topics: &[KafkaTopic]) -> Result<(), TransportError> {
        match self {
            #[cfg(feature = "kafka")]
            AnyTransport::Kafka(kafka) => kafka.create_topics(topics).await,
            _ => {
                let _ = topics;
                Ok(())
            }
        }
    }
}

impl From<MemoryBroker> for AnyTransport {
    fn from(broker: MemoryBroker) -> Self {
        AnyTransport::Memory(broker)
    }
}

#[cfg(feature = "mqtt")]
impl From<crate::mqtt::Mqtt> for AnyTransport {
    fn from(mqtt: crate::mqtt::Mqtt) -> Self {
        AnyTransport::Mqtt(mqtt)
    }
}

#[cfg(feature = "kafka")]
impl From<crate::kafka::Kafka> for AnyTransport {
    fn from(kafka: crate::kafka::Kafka) -> Self {
        AnyTransport::Kafka(kafka)
    }
}

/// A boxed publish future (Kafka's, too large to keep inline).
type Boxed<'a> = Pin<Box<dyn Future<Output = Result<Delivery, TransportError>> + Send + 'a>>;

pin_project_lite::pin_project! {
    /// The publish future of one of the transports: `M` the in-memory broker's, `Q` MQTT's,
    /// both inline (their types cannot be named); Kafka's boxed.
    #[project = AnyPublishProjection]
    enum AnyPublish<'a, M, Q> {
        Memory { #[pin] future: M },
        Mqtt { #[pin] future: Q },
        Boxed { future: Boxed<'a> },
    }
}

impl<M, Q> Future for AnyPublish<'_, M, Q>
where
    M: Future<Output = Result<Delivery, TransportError>>,
    Q: Future<Output = Result<Delivery, TransportError>>,
{
    type Output = Result<Delivery, TransportError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            AnyPublishProjection::Memory { future } => future.poll(cx),
            AnyPublishProjection::Mqtt { future } => future.poll(cx),
            AnyPublishProjection::Boxed { future } => future.as_mut().poll(cx),
        }
    }
}

impl Transport for AnyTransport {
    fn publish(
        &self,
        message: Outgoing,
    ) -> impl Future<Output = Result<Delivery, TransportError>> + Send {
        let future = match self {
            AnyTransport::Memory(broker) => AnyPublish::Memory {
                future: broker.publish(message),
            },
            #[cfg(feature = "mqtt")]
            AnyTransport::Mqtt(mqtt) => AnyPublish::Mqtt {
                future: mqtt.publish(message),
            },
            #[cfg(feature = "kafka")]
            AnyTransport::Kafka(kafka) => AnyPublish::Boxed {
                future: Box::pin(kafka.publish(message)),
            },
        };
        // Without MQTT nothing says what `Q` is: a future that is never made.
        #[cfg(not(feature = "mqtt"))]
        let future: AnyPublish<'_, _, std::future::Pending<_>> = future;
        future
    }

    async fn subscribe(&self, subscription: Subscription) -> Result<RawStream, TransportError> {
        match self {
            AnyTransport::Memory(broker) => broker.subscribe(subscription).await,
            #[cfg(feature = "mqtt")]
            AnyTransport::Mqtt(mqtt) => mqtt.subscribe(subscription).await,
            #[cfg(feature = "kafka")]
            AnyTransport::Kafka(kafka) => kafka.subscribe(subscription).await,
        }
    }

    async fn close(&self) -> Result<(), TransportError> {
        match self {
            AnyTransport::Memory(broker) => broker.close().await,
            #[cfg(feature = "mqtt")]
            AnyTransport::Mqtt(mqtt) => Transport::close(mqtt).await,
            #[cfg(feature = "kafka")]
            AnyTransport::Kafka(kafka) => Transport::close(kafka).await,
        }
    }

    fn health(&self) -> Health {
        match self {
            AnyTransport::Memory(broker) => Transport::health(broker),
            #[cfg(feature = "mqtt")]
            AnyTransport::Mqtt(mqtt) => Transport::health(mqtt),
            #[cfg(feature = "kafka")]
            AnyTransport::Kafka(kafka) => Transport::health(kafka),
        }
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;
    use crate::{Client, ConnectionState};

    /// Every call reaches the transport inside.
    #[tokio::test]
    async fn delegates_to_the_memory_broker() {
        let broker = MemoryBroker::new();
        let any = AnyTransport::from(broker.clone());
        assert_eq!(any.protocol(), "memory");
        assert!(any.as_memory().is_some());
        let mut stream = any
            .subscribe(Subscription::new("lights/{id}"))
            .await
            .unwrap();
        any.publish(Outgoing::new("lights/7", "on")).await.unwrap();
        let message = stream.next().await.unwrap().unwrap();
        assert_eq!(
            (message.address.as_str(), &message.payload[..]),
            ("lights/7", &b"on"[..])
        );
        any.create_topics(&[]).await.unwrap();
        let client = Client::new(any);
        assert_eq!(client.health().state(), ConnectionState::Connected);
        client.close().await.unwrap();
        assert_eq!(broker.health().state(), ConnectionState::Closed);
        assert!(matches!(
            client.transport().publish(Outgoing::new("a", "b")).await,
            Err(TransportError::Closed)
        ));
    }
}
