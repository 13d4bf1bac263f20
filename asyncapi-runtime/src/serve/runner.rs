//! The one serve loop: a dispatcher per operation feeding lanes (one per allowed message in
//! flight, messages of one ordering key always in the same lane), each lane settling its
//! messages one after the other by the operation's policy.

use std::future::Future;
use std::hash::BuildHasher;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures::future::{Either, FutureExt, join, join_all, select};
use futures::{StreamExt, pin_mut};
use serde::de::DeserializeOwned;
use tokio::sync::{mpsc, watch};

use super::metrics::{self, Settled};
use super::outcome::{Action, HandlerError, Panicked};
use super::{Disposition, IntoReply, Policy, ServeError};
use crate::codec::Codec;
use crate::message::{DecodeOptions, decode};
use crate::{
    Ack, AckMode, Client, Incoming, Location, MessageStream, Outgoing, Parameters, QoS, RawStream,
    ReceiveError, Received, ReplyAddress, Transport, Validate,
};

/// How long handlers that started get to finish once shutdown is asked for, unless told
/// otherwise ([`Runner::with_drain_timeout`]).
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// How a responder sends its replies: where, with which options.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ReplyOptions {
    /// The id of the operation that replies (for traces).
    pub operation: &'static str,
    /// The reply's address.
    pub address: ReplyAddress,
    /// Where the reply message's `correlationId` lives.
    pub correlation: Option<Location>,
    /// MQTT `qos` of the reply.
    pub qos: QoS,
    /// The reply message's content type (`application/json` when `None`).
    pub content_type: Option<&'static str>,
}

impl ReplyOptions {
    /// Replies of `operation` to `address`.
    pub const fn new(
        operation: &'static str,
        address: ReplyAddress,
        correlation: Option<Location>,
        qos: QoS,
    ) -> Self {
        ReplyOptions {
            operation,
            address,
            correlation,
            qos,
            content_type: None,
        }
    }

    /// The reply message's content type, as its spec says.
    pub const fn with_content_type(mut self, content_type: Option<&'static str>) -> Self {
        self.content_type = content_type;
        self
    }
}

/// Serves the receive operations of one client until shutdown: see the [module](super).
///
/// ```ignore
/// let runner = Runner::new(&client);
/// runner
///     .run(shutdown, async {
///         let (a, b) = futures::join!(
///             runner.operation(stream_a, &policy_a, None, |m| handler.a(m), |e| handler.on_error(e)),
///             runner.operation(stream_b, &policy_b, None, |m| handler.b(m), |e| handler.on_error(e)),
///         );
///         [a, b]
///     })
///     .await
/// ```
#[derive(Debug)]
pub struct Runner<'a, T> {
    client: &'a Client<T>,
    stop: watch::Sender<bool>,
    drain_timeout: Duration,
}

impl<'a, T: Transport> Runner<'a, T> {
    /// A runner sending replies and dead letters through `client`, draining for
    /// [`DEFAULT_DRAIN_TIMEOUT`].
    pub fn new(client: &'a Client<T>) -> Self {
        Runner {
            client,
            stop: watch::Sender::new(false),
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
        }
    }

    /// Sets how long handlers that started get to finish once shutdown is asked for; after it,
    /// those still running are dropped and their messages left unacknowledged.
    pub fn with_drain_timeout(mut self, timeout: Duration) -> Self {
        self.drain_timeout = timeout;
        self
    }

    /// Asks every operation to stop taking messages and drain.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Whether stopping has been asked for.
    pub fn is_stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Resolves once stopping has been asked for.
    fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut receiver = self.stop.subscribe();
        async move {
            // The sender lives as long as the runner, which outlives every operation.
            let _ = receiver.wait_for(|stop| *stop).await;
        }
    }

    /// Runs `operations` (each made by [`Runner::operation`]) until they end or `shutdown`
    /// resolves; then drains them. `Ok` when shutdown was asked for (or there was nothing to
    /// serve); the first operation's error otherwise (the others are drained first).
    pub async fn run<O, I>(
        &self,
        shutdown: impl Future<Output = ()>,
        operations: O,
    ) -> Result<(), ServeError>
    where
        O: Future<Output = I>,
        I: IntoIterator<Item = Result<(), ServeError>>,
    {
        pin_mut!(operations);
        pin_mut!(shutdown);
        let results = match select(operations, shutdown).await {
            Either::Left((results, _)) => results,
            Either::Right(((), operations)) => {
                self.stop();
                operations.await
            }
        };
        results
            .into_iter()
            .find_map(Result::err)
            .map_or(Ok(()), Err)
    }

    /// Serves one receive operation: every message of `stream` to `handle` (its reply, if
    /// `reply` says where, sent back), failures settled by `policy`, problems reported to
    /// `on_error`. Ends when stopping is asked for (after draining) or when the subscription
    /// ends (an error; the other operations are asked to stop).
    #[allow(clippy::too_many_arguments)]
    pub async fn operation<P, M, H, K, C, R, F, HF, E, EF>(
        &self,
        stream: MessageStream<P, M, H, K, C>,
        policy: &Policy,
        reply: Option<ReplyOptions>,
        handle: F,
        on_error: E,
    ) -> Result<(), ServeError>
    where
        P: Parameters,
        M: DeserializeOwned + Validate,
        H: DeserializeOwned + Validate,
        K: DeserializeOwned,
        C: Codec,
        R: IntoReply,
        F: Fn(Received<P, M, H, K>) -> HF,
        HF: Future<Output = Result<R, HandlerError>>,
        E: Fn(ReceiveError) -> EF,
        EF: Future<Output = ()>,
    {
        let (mut raw, operation, options, ack_mode) = stream.into_parts();
        let served = Operation {
            runner: self,
            operation,
            options,
            auto_ack: ack_mode == AckMode::Auto,
            policy,
            reply,
            handle: &handle,
            on_error: &on_error,
            _types: std::marker::PhantomData::<fn() -> (P, M, H, K, C, R)>,
        };
        let lanes = policy.concurrency.get();
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..lanes).map(|_| mpsc::channel::<Incoming>(1)).unzip();
        let result = {
            let work = join(
                served.dispatch(&mut raw, senders),
                join_all(receivers.into_iter().map(|lane| served.lane(lane))),
            );
            let deadline = {
                let stopped = self.stopped();
                let drain = self.drain_timeout;
                async move {
                    stopped.await;
                    tokio::time::sleep(drain).await;
                }
            };
            pin_mut!(work);
            pin_mut!(deadline);
            match select(work, deadline).await {
                Either::Left(((dispatched, _), _)) => dispatched,
                Either::Right(_) => {
                    tracing::warn!(
                        operation,
                        timeout = ?self.drain_timeout,
                        "drain timed out: handlers still running were dropped; their messages stay unacknowledged and come again"
                    );
                    Ok(())
                }
            }
        };
        if result.is_err() {
            self.stop();
        }
        // Only now, with every handler done and every acknowledgement given, does the
        // subscription close (a Kafka consumer commits what was acknowledged as it closes).
        drop(raw);
        result
    }
}

/// One operation being served: what its dispatcher and lanes share.
struct Operation<'r, 'a, T, F, E, Types> {
    runner: &'r Runner<'a, T>,
    operation: &'static str,
    options: DecodeOptions,
    auto_ack: bool,
    policy: &'r Policy,
    reply: Option<ReplyOptions>,
    handle: &'r F,
    on_error: &'r E,
    _types: std::marker::PhantomData<Types>,
}

impl<T, P, M, H, K, C, R, F, HF, E, EF> Operation<'_, '_, T, F, E, fn() -> (P, M, H, K, C, R)>
where
    T: Transport,
    P: Parameters,
    M: DeserializeOwned + Validate,
    H: DeserializeOwned + Validate,
    K: DeserializeOwned,
    C: Codec,
    R: IntoReply,
    F: Fn(Received<P, M, H, K>) -> HF,
    HF: Future<Output = Result<R, HandlerError>>,
    E: Fn(ReceiveError) -> EF,
    EF: Future<Output = ()>,
{
    /// Reads the subscription and hands each message to the lane of its ordering key, until
    /// stopping is asked for (`Ok`) or the subscription ends (`Err`).
    async fn dispatch(
        &self,
        raw: &mut RawStream,
        lanes: Vec<mpsc::Sender<Incoming>>,
    ) -> Result<(), ServeError> {
        let operation = self.operation;
        let stopped = self.runner.stopped();
        pin_mut!(stopped);
        let mut last_error = None;
        loop {
            let incoming = match select(raw.next(), stopped.as_mut()).await {
                Either::Right(_) => return Ok(()),
                Either::Left((Some(Ok(incoming)), _)) => incoming,
                Either::Left((Some(Err(source)), _)) => {
                    tracing::warn!(operation, %source, "the subscription reported an error");
                    last_error = Some(source.to_string());
                    (self.on_error)(ReceiveError::Transport { operation, source }).await;
                    continue;
                }
                Either::Left((None, _)) => {
                    return Err(ServeError::Ended {
                        operation,
                        last_error,
                    });
                }
            };
            metrics::received(operation);
            let lane = &lanes[lane_of(&incoming, lanes.len())];
            // A full lane holds the dispatcher back (and so the subscription: backpressure).
            // A message not yet taken by its lane when stopping is asked for stays
            // unacknowledged.
            match select(std::pin::pin!(lane.send(incoming)), stopped.as_mut()).await {
                Either::Left((Ok(()), _)) => {}
                Either::Left((Err(_), _)) | Either::Right(_) => return Ok(()),
            }
        }
    }

    /// Settles the messages of one lane in order, until the dispatcher is done or stopping is
    /// asked for (what the lane holds then stays unacknowledged).
    async fn lane(&self, mut messages: mpsc::Receiver<Incoming>) {
        let stopped = self.runner.stopped();
        pin_mut!(stopped);
        loop {
            if self.runner.is_stopping() {
                return;
            }
            match select(std::pin::pin!(messages.recv()), stopped.as_mut()).await {
                Either::Left((Some(incoming), _)) => self.settle(incoming).await,
                Either::Left((None, _)) | Either::Right(_) => return,
            }
        }
    }

    /// Hands one message to the handler as often as the policy says, then acknowledges it,
    /// dead-letters it or leaves it for redelivery.
    async fn settle(&self, incoming: Incoming) {
        let operation = self.operation;
        let mut attempt = 0;
        loop {
            let message = match decode::<P, M, H, K, C>(operation, self.options, incoming.clone()) {
                Ok(message) => message,
                Err(error) => {
                    // It can never be handled: dead-lettered if there is a destination,
                    // acknowledged either way (unless the dead letter could not be sent).
                    let disposition = self
                        .give_up(&incoming, attempt, &error.to_string(), true)
                        .await;
                    let how = if disposition == Disposition::Unacknowledged {
                        Settled::Unacknowledged
                    } else {
                        Settled::Undecodable
                    };
                    metrics::settled(operation, how);
                    (self.on_error)(error).await;
                    return;
                }
            };
            attempt += 1;
            let failure = match self.attempt(&incoming, message).await {
                Ok(()) => {
                    if self.auto_ack {
                        self.acknowledge(&incoming).await;
                    }
                    metrics::settled(operation, Settled::Handled);
                    return;
                }
                Err(failure) => failure,
            };
            let disposition = match failure.action {
                Action::Retry { after } if attempt < self.policy.attempts => {
                    let delay = after.unwrap_or_else(|| self.policy.backoff.delay(attempt));
                    tracing::debug!(operation, attempt, ?delay, error = %failure, "handler failed; retrying");
                    metrics::retried(operation);
                    if self.sleep_unless_stopped(delay).await {
                        continue;
                    }
                    Disposition::Unacknowledged
                }
                Action::Reject => {
                    self.acknowledge(&incoming).await;
                    Disposition::Rejected
                }
                Action::Retry { .. } | Action::DeadLetter => {
                    self.give_up(&incoming, attempt, &failure.to_string(), false)
                        .await
                }
            };
            metrics::settled(
                operation,
                match &disposition {
                    Disposition::DeadLettered { .. } => Settled::DeadLettered,
                    Disposition::Rejected => Settled::Rejected,
                    Disposition::Dropped => Settled::Dropped,
                    Disposition::Unacknowledged => Settled::Unacknowledged,
                },
            );
            tracing::error!(operation, address = %incoming.address, attempts = attempt, %disposition, error = %failure, "handler failed");
            (self.on_error)(ReceiveError::Handler {
                operation,
                address: incoming.address.clone(),
                raw: incoming.payload.clone(),
                attempts: attempt,
                disposition,
                source: failure.into_source(),
            })
            .await;
            return;
        }
    }

    /// One handler call (a panic caught as an error), and the reply sent if it succeeded.
    async fn attempt(
        &self,
        incoming: &Incoming,
        message: Received<P, M, H, K>,
    ) -> Result<(), HandlerError> {
        let operation = self.operation;
        let target = self.reply.map(|reply| {
            (
                reply,
                match reply.address {
                    ReplyAddress::Static(address) => Some(address.to_owned()),
                    ReplyAddress::Native => message.reply_to.clone(),
                    ReplyAddress::Dynamic(at) => at
                        .read(&message.raw_headers, &message.raw)
                        .or_else(|| message.reply_to.clone()),
                },
                message.correlation_id.clone(),
            )
        });
        let call = AssertUnwindSafe(async { (self.handle)(message).await }).catch_unwind();
        let started = Instant::now();
        metrics::in_flight(operation, 1.0);
        let result = handle_traced(
            operation,
            &incoming.address,
            &incoming.payload,
            &incoming.headers,
            call.map(|outcome| match outcome {
                Ok(result) => result,
                Err(panic) => {
                    let panicked = Panicked::from_payload(&*panic);
                    tracing::error!(operation, address = %incoming.address, panic = %panicked.0, "handler panicked");
                    Err(HandlerError::retry(panicked))
                }
            }),
        )
        .await;
        metrics::in_flight(operation, -1.0);
        let outcome = match &result {
            Ok(_) => "ok",
            Err(e) if e.source().is::<Panicked>() => "panic",
            Err(_) => "error",
        };
        metrics::handler_ran(operation, outcome, started.elapsed());
        let payload = result?;
        match target {
            None => Ok(()),
            Some((_, None, _)) => Err(HandlerError::reject("the request says nowhere to reply")),
            Some((reply, Some(address), correlation_id)) => {
                let mut message = payload
                    .into_message(address, reply.content_type)
                    .map_err(HandlerError::retry)?;
                message.qos = reply.qos;
                if let Some(id) = correlation_id {
                    crate::message::set_correlation_id(&mut message, reply.correlation, id);
                }
                self.publish(reply.operation, message).await?;
                Ok(())
            }
        }
    }

    /// Sends `incoming` to the dead-letter destination (trying as often as the policy allows
    /// attempts) and acknowledges it, or acknowledges it without one. `undecodable` messages
    /// count no attempts.
    async fn give_up(
        &self,
        incoming: &Incoming,
        attempts: u32,
        reason: &str,
        undecodable: bool,
    ) -> Disposition {
        let Some(destination) = &self.policy.dead_letter else {
            self.acknowledge(incoming).await;
            return Disposition::Dropped;
        };
        let operation = self.operation;
        let letter = super::dead_letter::message(
            destination.address(),
            incoming,
            operation,
            if undecodable { 0 } else { attempts },
            reason,
        );
        let tries = self.policy.attempts.max(3);
        for n in 1..=tries {
            match self.publish(operation, letter.clone()).await {
                Ok(()) => {
                    self.acknowledge(incoming).await;
                    return Disposition::DeadLettered {
                        address: destination.address().to_owned(),
                    };
                }
                Err(error) => {
                    tracing::warn!(operation, destination = destination.address(), %error, attempt = n, "could not send a dead letter");
                    if n == tries
                        || !self
                            .sleep_unless_stopped(self.policy.backoff.delay(n))
                            .await
                    {
                        break;
                    }
                }
            }
        }
        Disposition::Unacknowledged
    }

    async fn publish(
        &self,
        operation: &'static str,
        message: Outgoing,
    ) -> Result<(), crate::TransportError> {
        crate::publish::send_traced(self.runner.client.transport(), operation, message)
            .await
            .map(drop)
    }

    /// Acknowledges a message (a failure goes to `on_error`).
    async fn acknowledge(&self, incoming: &Incoming) {
        if let Some(Err(source)) = incoming.ack.as_ref().map(Ack::ack) {
            (self.on_error)(ReceiveError::Transport {
                operation: self.operation,
                source,
            })
            .await;
        }
    }

    /// Waits `delay`; `false` (at once) if stopping is asked for meanwhile.
    async fn sleep_unless_stopped(&self, delay: Duration) -> bool {
        let stopped = self.runner.stopped();
        let sleep = tokio::time::sleep(delay);
        pin_mut!(stopped);
        pin_mut!(sleep);
        matches!(select(sleep, stopped).await, Either::Left(_))
    }
}

/// The lane of a message: messages of one ordering key always share one. The key is the Kafka
/// partition where there is one (so a partition's records are settled in offset order and its
/// committed offset never passes a record that was not handled, which a drain relies on; the
/// record key picks the partition, so key order holds too), else the message key (the in-memory
/// broker), else the address (MQTT: the topic).
fn lane_of(incoming: &Incoming, lanes: usize) -> usize {
    if lanes == 1 {
        return 0;
    }
    let hash = match (incoming.partition, &incoming.key) {
        (Some(partition), _) => LANES.hash_one((incoming.address.as_str(), partition)),
        (None, Some(key)) => LANES.hash_one(key.as_ref()),
        (None, None) => LANES.hash_one(incoming.address.as_str()),
    };
    (hash % lanes as u64) as usize
}

/// One fixed hasher, so that a key maps to the same lane for the life of the process.
static LANES: std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher> =
    std::hash::BuildHasherDefault::new();

/// Runs a handler on one message inside a `receive` span (operation, address, size, outcome);
/// with the `trace-context` feature, inside the trace the message carried, so that what the
/// handler publishes continues it.
async fn handle_traced<R>(
    operation: &'static str,
    address: &str,
    raw: &bytes::Bytes,
    #[allow(unused_variables)] headers: &crate::Headers,
    work: impl Future<Output = Result<R, HandlerError>>,
) -> Result<R, HandlerError> {
    use tracing::Instrument;
    let span = tracing::debug_span!(
        "receive",
        operation,
        address,
        size = raw.len(),
        trace_id = tracing::field::Empty,
        outcome = tracing::field::Empty,
    );
    #[cfg(feature = "trace-context")]
    let work = {
        let context = crate::trace_context::TraceContext::from_headers(headers)
            .map_or_else(crate::trace_context::TraceContext::new_root, |c| c.child());
        span.record("trace_id", context.trace_id_hex());
        context.scope(work)
    };
    let result = work.instrument(span.clone()).await;
    match &result {
        Ok(_) => span.record("outcome", "handled"),
        Err(error) => span.record("outcome", tracing::field::display(error)),
    };
    result
}
