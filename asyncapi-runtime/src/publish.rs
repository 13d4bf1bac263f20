//! What a generated send method returns: a message ready to go, with per-call options, that is
//! sent when awaited. A send operation with a `reply` returns a [`Request`](crate::Request) instead, which sends
//! and then waits for the correlated reply.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use stackfuture::StackFuture;

use crate::message::{Location, set_correlation_id};
use crate::{Client, Delivery, Error, Outgoing, QoS, Transport};

/// A boxed future borrowing the client (what awaiting a [`Request`] runs).
pub type SendFuture<'a, O> = Pin<Box<dyn Future<Output = O> + Send + 'a>>;

/// One message of a send operation, encoded and ready; awaiting it publishes it.
///
/// The spec's bindings set the defaults (MQTT `qos` and `retain`); each call may override them:
///
/// ```ignore
/// client.dim_light(&lamp, &command).qos(QoS::AtLeastOnce).retain(true).await?;
/// ```
#[must_use = "a message is sent only when the `Publish` is awaited"]
pub struct Publish<'a, T> {
    pub(crate) client: &'a Client<T>,
    pub(crate) operation: &'static str,
    pub(crate) message: Result<Outgoing, Error>,
    pub(crate) correlation: Option<Location>,
}

impl<'a, T: Transport> Publish<'a, T> {
    /// A message for `client`; an encoding error is reported when it is awaited.
    #[doc(hidden)]
    pub fn new(
        client: &'a Client<T>,
        operation: &'static str,
        message: Result<Outgoing, Error>,
        correlation: Option<Location>,
    ) -> Self {
        Publish {
            client,
            operation,
            message,
            correlation,
        }
    }

    /// Applies `change` to the message, unless encoding it already failed.
    fn edit(mut self, change: impl FnOnce(&mut Outgoing)) -> Self {
        if let Ok(m) = &mut self.message {
            change(m);
        }
        self
    }

    /// Overrides the delivery guarantee.
    pub fn qos(self, qos: QoS) -> Self {
        self.edit(|m| m.qos = qos)
    }

    /// Overrides the retain flag (MQTT).
    pub fn retain(self, retain: bool) -> Self {
        self.edit(|m| m.retain = retain)
    }

    /// Sets the correlation id: carried natively by transports that can, and written into the
    /// header the message's `correlationId` names, if it names one.
    pub fn correlation_id(self, id: impl Into<String>) -> Self {
        let at = self.correlation;
        self.edit(|m| set_correlation_id(m, at, id.into()))
    }

    /// Sets where a reply should go (MQTT 5 response topic).
    pub fn reply_to(self, address: impl Into<String>) -> Self {
        self.edit(|m| m.reply_to = Some(address.into()))
    }

    /// Adds a header beside the declared ones (or replaces one of the same name).
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.edit(|m| m.headers.insert(name, value))
    }

    /// The message as it will be sent (or why it cannot be).
    pub fn message(&self) -> Result<&Outgoing, &Error> {
        self.message.as_ref()
    }

    /// Publishes the message; resolves with what the broker acknowledged.
    pub async fn send(self) -> Result<Delivery, Error> {
        self.into_future().await
    }
}

/// Publishes one message inside a `publish` span (operation, address, size, outcome), writing
/// the trace context into its headers when the `trace-context` feature is on.
pub(crate) fn send_traced<'a, T: Transport>(
    transport: &'a T,
    operation: &'static str,
    message: Outgoing,
) -> impl Future<Output = Result<Delivery, crate::TransportError>> + Send + 'a {
    traced(transport, operation, message)
}

/// [`send_traced`], its error converted to `E`.
fn traced<'a, T: Transport, E: From<crate::TransportError>>(
    transport: &'a T,
    operation: &'static str,
    #[allow(unused_mut)] mut message: Outgoing,
) -> Traced<impl Future<Output = Result<Delivery, crate::TransportError>> + Send + 'a, E> {
    #[cfg(feature = "trace-context")]
    crate::trace_context::inject(&mut message.headers);
    let span = tracing::debug_span!(
        "publish",
        operation,
        address = %message.address,
        size = message.payload.len(),
        outcome = tracing::field::Empty,
    );
    Traced {
        publish: transport.publish(message),
        span,
        #[cfg(feature = "metrics")]
        meter: (operation, std::time::Instant::now()),
        #[cfg(not(feature = "metrics"))]
        meter: (),
        _error: std::marker::PhantomData,
    }
}

/// What a publish's metrics need: its operation and when it started (nothing without the
/// `metrics` feature).
#[cfg(feature = "metrics")]
type Meter = (&'static str, std::time::Instant);
#[cfg(not(feature = "metrics"))]
type Meter = ();

pin_project_lite::pin_project! {
    /// A transport's publish inside its span, recording the outcome there.
    ///
    /// Written out rather than built from `instrument`, `inspect` and `map_err`: one layer
    /// around the transport's future instead of three, in every typed publish. Not an `async`
    /// wrapper either: that keeps its own copy of the message beside the transport's future.
    struct Traced<F, E> {
        #[pin]
        publish: F,
        span: tracing::Span,
        meter: Meter,
        _error: std::marker::PhantomData<fn() -> E>,
    }
}

impl<F, E> Future for Traced<F, E>
where
    F: Future<Output = Result<Delivery, crate::TransportError>>,
    E: From<crate::TransportError>,
{
    type Output = Result<Delivery, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = {
            let _entered = this.span.enter();
            futures::ready!(this.publish.poll(cx))
        };
        // A span nobody listens to has nothing to record (and `record` would look the field
        // up by name first).
        if !this.span.is_disabled() {
            match &result {
                Ok(_) => this.span.record("outcome", "acknowledged"),
                Err(error) => this.span.record("outcome", tracing::field::display(error)),
            };
        }
        #[cfg(feature = "metrics")]
        crate::serve::metrics::published(this.meter.0, result.is_ok(), this.meter.1.elapsed());
        #[cfg(not(feature = "metrics"))]
        let () = *this.meter;
        Poll::Ready(result.map_err(E::from))
    }
}

impl<'a, T: Transport> IntoFuture for Publish<'a, T> {
    type Output = Result<Delivery, Error>;
    type IntoFuture = PublishFuture<'a>;

    fn into_future(self) -> Self::IntoFuture {
        let inner = match self.message {
            Ok(message) => StackFuture::from_or_box(traced::<T, Error>(
                self.client.transport(),
                self.operation,
                message,
            )),
            Err(error) => StackFuture::from(std::future::ready(Err(error))),
        };
        PublishFuture { inner }
    }
}

/// The bytes a [`PublishFuture`] holds its transport's publish future in, span included: the
/// in-memory broker's takes 248, the Kafka producer's 376, the MQTT adapter's 552 (see the
/// `publish_futures_fit_inline` test). Every typed publish moves this many bytes once
/// (into the awaiting future), so it is no larger than MQTT needs (with the `metrics` feature,
/// plus what the publish's metrics keep: its operation and start time).
const INLINE_BYTES: usize = 576 + std::mem::size_of::<Meter>();

pin_project_lite::pin_project! {
    /// What awaiting a [`Publish`] runs: the transport's publish inside a `publish` span.
    ///
    /// The transport's future is kept inline, not boxed, when it fits in 576 bytes (the
    /// in-memory broker's, the MQTT adapter's and the Kafka adapter's do); a larger one is
    /// boxed. Transports return futures of types that cannot be named (`impl Future`), so this
    /// holds one behind a vtable in a fixed-size buffer (the `stackfuture` crate) rather than
    /// in an allocation per message. It is therefore not `Unpin`: pin it (`std::pin::pin!`)
    /// to poll it by reference.
    #[must_use = "a message is sent only when the future is awaited"]
    pub struct PublishFuture<'a> {
        #[pin]
        inner: StackFuture<'a, Result<Delivery, Error>, INLINE_BYTES>,
    }
}

impl Future for PublishFuture<'_> {
    type Output = Result<Delivery, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().inner.poll(cx)
    }
}

impl std::fmt::Debug for PublishFuture<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishFuture").finish_non_exhaustive()
    }
}

impl<T> std::fmt::Debug for Publish<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publish")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryBroker;
    use futures::StreamExt;

    /// The size of what `make` returns, without calling it (no transport needed).
    fn output_size<A, R>(_make: impl Fn(A) -> R) -> usize {
        std::mem::size_of::<R>()
    }

    /// What `Publish::into_future` keeps inline for transport `T`.
    fn traced_size<T: Transport>() -> usize {
        output_size(|transport: &'static T| {
            traced::<T, Error>(transport, "op", Outgoing::new("a", "b"))
        })
    }

    #[test]
    fn publish_futures_fit_inline() {
        // Otherwise every typed publish allocates its future again.
        let memory = traced_size::<MemoryBroker>();
        assert!(memory <= INLINE_BYTES, "memory: {memory} > {INLINE_BYTES}");
        #[cfg(feature = "mqtt")]
        {
            let mqtt = traced_size::<crate::mqtt::Mqtt>();
            assert!(mqtt <= INLINE_BYTES, "mqtt: {mqtt} > {INLINE_BYTES}");
        }
        #[cfg(feature = "kafka")]
        {
            let kafka = traced_size::<crate::kafka::Kafka>();
            assert!(kafka <= INLINE_BYTES, "kafka: {kafka} > {INLINE_BYTES}");
        }
        // `connect`'s transport keeps the in-memory broker's and MQTT's futures inline too.
        let any = traced_size::<crate::AnyTransport>();
        assert!(any <= INLINE_BYTES, "any: {any} > {INLINE_BYTES}");
    }

    #[tokio::test]
    async fn a_publish_is_sent_when_awaited_and_its_future_is_send() {
        fn send<F: Send>(future: F) -> F {
            future
        }
        let client = Client::new(MemoryBroker::new());
        let mut stream = client.transport().subscribe_filter("t");
        let publish = Publish::new(&client, "op", Ok(Outgoing::new("t", "x")), None);
        let future = send(publish.qos(QoS::AtLeastOnce).into_future());
        // Nothing is sent before the future is polled.
        assert!(futures::FutureExt::now_or_never(stream.next()).is_none());
        future.await.unwrap();
        let received = stream.next().await.unwrap().unwrap();
        assert_eq!(&received.payload[..], b"x");
        assert_eq!(received.qos, Some(QoS::AtLeastOnce));
    }

    /// Every field value a span got, by field name.
    #[derive(Default)]
    struct Fields(std::sync::Mutex<Vec<(&'static str, String)>>);

    impl tracing::field::Visit for &Fields {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            self.0
                .lock()
                .unwrap()
                .push((field.name(), format!("{value:?}")));
        }
    }

    /// A subscriber that keeps the fields of every span (written here: the workspace has no
    /// tracing-subscriber, and this needs only the fields).
    struct Recorder(std::sync::Arc<Fields>);

    impl tracing::Subscriber for Recorder {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            span.record(&mut &*self.0);
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
            values.record(&mut &*self.0);
        }
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, _: &tracing::Event<'_>) {}
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    #[test]
    fn a_publish_records_its_span_and_outcome() {
        let fields = std::sync::Arc::new(Fields::default());
        tracing::subscriber::with_default(Recorder(fields.clone()), || {
            let client = Client::new(MemoryBroker::new());
            let publish = Publish::new(&client, "dim", Ok(Outgoing::new("lights/1", "50")), None);
            futures::executor::block_on(publish.into_future()).unwrap();
        });
        let fields = fields.0.lock().unwrap();
        let value = |name| {
            fields
                .iter()
                .find(|(field, _)| *field == name)
                .map(|(_, value)| value.trim_matches('"').to_owned())
        };
        assert_eq!(value("operation").as_deref(), Some("dim"));
        assert_eq!(value("address").as_deref(), Some("lights/1"));
        assert_eq!(value("size").as_deref(), Some("2"));
        assert_eq!(value("outcome").as_deref(), Some("acknowledged"));
    }

    #[tokio::test]
    async fn an_encoding_error_comes_out_when_awaited() {
        let client = Client::new(MemoryBroker::new());
        let failed = Error::Transport(crate::TransportError::Closed);
        let publish = Publish::new(&client, "op", Err(failed), None);
        assert!(matches!(
            publish.await,
            Err(Error::Transport(crate::TransportError::Closed))
        ));
    }
}
