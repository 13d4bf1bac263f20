//! What generated code reaches for. Not a public API: names here change without notice.

pub use ::futures;
pub use ::serde;
pub use ::serde_json;
pub use ::tracing;

pub use crate::address::{AddressValue, capture, format, parse_value};

use std::future::Future;

use futures::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codec::{Codec, Json};
use crate::{
    Client, Error, HandlerResult, MessageStream, Outgoing, Parameters, QoS, ReceiveError, Received,
    Subscription, Transport,
};

/// Per-operation defaults taken from the spec's bindings.
#[derive(Clone, Copy, Debug)]
pub struct SendOptions {
    /// MQTT `qos` of the operation.
    pub qos: QoS,
    /// MQTT `retain` of the operation.
    pub retain: bool,
}

/// Encodes and publishes one typed message.
pub async fn publish<T: Transport, P: Parameters, M: Serialize + ?Sized>(
    client: &Client<T>,
    parameters: &P,
    payload: &M,
    options: SendOptions,
) -> Result<(), Error> {
    let address = parameters.to_address()?;
    let bytes = Json::encode(payload).map_err(Error::Encode)?;
    let message = Outgoing::new(address, bytes)
        .with_qos(options.qos)
        .with_retain(options.retain)
        .with_content_type(Json::CONTENT_TYPE);
    client.transport().publish(message).await?;
    Ok(())
}

/// Subscribes to one receive operation's channel and returns its typed stream.
pub async fn subscribe<T: Transport, P: Parameters, M: DeserializeOwned>(
    client: &Client<T>,
    operation: &'static str,
    qos: QoS,
) -> Result<MessageStream<P, M>, Error> {
    let raw = client
        .transport()
        .subscribe(Subscription::new(P::ADDRESS).with_qos(qos))
        .await?;
    Ok(MessageStream::new(raw, operation))
}

/// Feeds every item of a stream to a handler method, and every error to the handler's error hook.
pub async fn drive<P, M, H, HF, E, EF>(mut stream: MessageStream<P, M>, handle: H, on_error: E)
where
    P: Parameters,
    M: DeserializeOwned,
    H: Fn(Received<P, M>) -> HF,
    HF: Future<Output = HandlerResult>,
    E: Fn(ReceiveError) -> EF,
    EF: Future<Output = ()>,
{
    let operation = stream.operation();
    while let Some(item) = stream.next().await {
        match item {
            Ok(message) => {
                let address = message.address.clone();
                if let Err(source) = handle(message).await {
                    on_error(ReceiveError::Handler {
                        operation,
                        address,
                        source,
                    })
                    .await;
                }
            }
            Err(error) => on_error(error).await,
        }
    }
}

/// Runs `work` until it finishes or `shutdown` resolves, whichever comes first.
pub async fn until(work: impl Future<Output = ()>, shutdown: impl Future<Output = ()>) {
    futures::pin_mut!(work);
    futures::pin_mut!(shutdown);
    futures::future::select(work, shutdown).await;
}

/// The default error hook of generated handlers: logs and carries on.
pub fn log_receive_error(error: &ReceiveError) {
    tracing::warn!(%error, "message skipped");
}
