//! Requests: a send operation with a `reply` returns a [`Request`], which sends and then waits
//! for the correlated reply.
//!
//! Replies come through inboxes: one subscription per reply address and client (its clones
//! included), opened by the first request that needs it and shared by every request after it.
//! A dynamic reply address is the client's own inbox ([`Client::with_reply_inbox`]); a static
//! one is the reply channel's address. Each reply goes to the request waiting for its
//! correlation id; others are dropped and counted ([`Client::reply_stats`]).

mod inbox;

use std::future::IntoFuture;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::codec::Json;
use crate::message::{DecodeOptions, Location, decode, set_correlation_id};
use crate::publish::{Publish, SendFuture, send_traced};
use crate::{Error, QoS, Received, Transport, Validate};

pub(crate) use inbox::Inboxes;
pub use inbox::ReplyStats;

/// Where the reply to a request goes, as the operation's `reply` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyAddress {
    /// The reply channel's fixed address.
    Static(&'static str),
    /// Chosen by the requester per request and written where this says (a header, or a
    /// payload field the caller fills in).
    Dynamic(Location),
    /// Chosen by the requester (its inbox) and carried where the transport carries a reply
    /// address natively (MQTT 5 response topic, the Kafka header `asyncapi-reply-to`): a 2.x
    /// request/response pair whose reply channel's address has parameters.
    Native,
}

/// Marks a request's reply types without owning values of them.
type ReplyTypes<R, RH, RK> = fn() -> (R, RH, RK);

/// How long a request waits for its reply unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A request of a send operation with a `reply`: awaiting it sends it and waits (at most
/// [`Request::timeout`]) for the reply carrying the same correlation id, through the client's
/// inbox for the reply address (one subscription per address and client, opened by the first
/// request that needs it; see [`Client::with_reply_inbox`](crate::Client::with_reply_inbox)). A
/// reply carrying no correlation id at all is taken when this is the only request waiting on
/// that address (nothing else could tell it apart), and dropped otherwise.
#[must_use = "a request is sent only when it is awaited"]
pub struct Request<'a, T, R, RH = (), RK = ()> {
    publish: Publish<'a, T>,
    operation: &'static str,
    reply: ReplyAddress,
    reply_correlation: Option<Location>,
    timeout: Duration,
    _reply: std::marker::PhantomData<ReplyTypes<R, RH, RK>>,
}

impl<'a, T, R, RH, RK> Request<'a, T, R, RH, RK>
where
    T: Transport,
    R: DeserializeOwned + Validate + Send + 'a,
    RH: DeserializeOwned + Validate + Send + 'a,
    RK: DeserializeOwned + Send + 'a,
{
    #[doc(hidden)]
    pub fn new(
        publish: Publish<'a, T>,
        operation: &'static str,
        reply: ReplyAddress,
        reply_correlation: Option<Location>,
    ) -> Self {
        Request {
            publish,
            operation,
            reply,
            reply_correlation,
            timeout: DEFAULT_TIMEOUT,
            _reply: std::marker::PhantomData,
        }
    }

    /// How long to wait for the reply (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Overrides the delivery guarantee of the request.
    pub fn qos(mut self, qos: QoS) -> Self {
        self.publish = self.publish.qos(qos);
        self
    }

    /// Sets the correlation id (one is generated otherwise).
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.publish = self.publish.correlation_id(id);
        self
    }

    /// Adds a header beside the declared ones.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.publish = self.publish.header(name, value);
        self
    }

    /// Sends the request and waits for its reply.
    pub async fn send(self) -> Result<Received<(), R, RH, RK>, Error> {
        let operation = self.operation;
        let fail = |reason: String| Error::Request { operation, reason };
        let Publish {
            client,
            message,
            correlation,
            ..
        } = self.publish;
        let mut message = message?;
        // The correlation id: given, else where the spec says (a payload field or a header the
        // typed headers filled), else new.
        let id = match (&message.correlation_id, correlation) {
            (Some(id), _) => id.clone(),
            (None, Some(at)) => match at.read(&message.headers, &message.payload) {
                Some(id) => id,
                None if at.whole_header().is_some() => new_id(),
                None => {
                    return Err(fail(format!(
                        "the request's correlation id goes in {at:?}, which is empty"
                    )));
                }
            },
            (None, None) => new_id(),
        };
        // A header that already holds an id holds this one (it was read above, or written by
        // `correlation_id`), so writing it again changes nothing.
        set_correlation_id(&mut message, correlation, id.clone());
        // Where the reply goes, and whether that inbox stays open after this request: the
        // client's own inbox and the spec's reply channel do; an address the caller chose
        // (in a header or the payload) is read only while a request waits on it.
        let (address, keep) = match self.reply {
            ReplyAddress::Static(address) => (address.to_owned(), true),
            ReplyAddress::Native => (client.reply_inbox().to_owned(), true),
            ReplyAddress::Dynamic(at @ (Location::Payload(_) | Location::HeaderField(..))) => {
                let address = at.read(&message.headers, &message.payload).ok_or_else(|| {
                    fail(format!("the reply address goes in {at:?}, which is empty"))
                })?;
                (address, false)
            }
            ReplyAddress::Dynamic(Location::Header(name)) => match message.headers.get(name) {
                Some(given) => (given.to_owned(), false),
                None => {
                    let inbox = client.reply_inbox().to_owned();
                    message.headers.insert(name, inbox.clone());
                    (inbox, true)
                }
            },
        };
        message.reply_to.get_or_insert_with(|| address.to_owned());
        let inboxes = client.inboxes();
        let inbox = inboxes.open(client.transport(), &address, keep).await?;
        // Registered before the request goes out, so that no reply can come too early.
        let mut expected = inbox.expect(&id, self.reply_correlation).map_err(fail)?;
        send_traced(client.transport(), operation, message).await?;
        let incoming = match tokio::time::timeout(self.timeout, expected.reply()).await {
            Ok(reply) => reply.map_err(Error::Transport)?,
            Err(_) => {
                return Err(Error::Timeout {
                    operation,
                    address,
                    timeout: self.timeout,
                });
            }
        };
        drop(expected);
        let options = DecodeOptions {
            validate: client.validates_incoming(),
            correlation: self.reply_correlation,
            max_payload: client.max_payload(),
        };
        decode::<(), R, RH, RK, Json>(operation, options, incoming)
            .map_err(|e| Error::Reply(Box::new(e)))
    }
}

impl<'a, T, R, RH, RK> IntoFuture for Request<'a, T, R, RH, RK>
where
    T: Transport,
    R: DeserializeOwned + Validate + Send + 'a,
    RH: DeserializeOwned + Validate + Send + 'a,
    RK: DeserializeOwned + Send + 'a,
{
    type Output = Result<Received<(), R, RH, RK>, Error>;
    type IntoFuture = SendFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T, R, RH, RK> std::fmt::Debug for Request<'_, T, R, RH, RK> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("reply", &self.reply)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A correlation id unique within this process and unlikely to repeat across processes.
pub(crate) fn new_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:x}-{:x}-{n:x}", nanos, std::process::id())
}
