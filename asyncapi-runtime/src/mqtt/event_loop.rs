//! The one task per connection: polls rumqttc, hands received messages to the subscriptions,
//! settles the waiters, and reconnects with backoff when the connection drops.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::acks::{Acks, Finished, SubscribeWaiter};
use super::protocol::{Connection, Event, Message, PollError, Saved};
use super::shared::Shared;
use crate::{ConnectionState, QoS};

/// The task's state.
pub(super) struct EventLoop {
    shared: Arc<Shared>,
    connection: Connection,
    /// Requests taken back from rumqttc when the connection dropped, for the next one.
    saved: Saved,
    /// Subscriptions that were in flight when the connection dropped.
    orphans: Vec<SubscribeWaiter>,
    backoff_min: Duration,
    backoff_max: Duration,
    /// The largest packet this side allows.
    own_max_packet: usize,
    /// Outcomes of finished publishes, told once the state lock is released (the buffer is
    /// kept from one event to the next).
    finished: Finished,
}

/// How long, at most, the broker is given to close the connection after the DISCONNECT.
const LINGER: Duration = Duration::from_secs(2);

/// Marks the connection closed however the task ends (returned, aborted or panicked): every
/// waiter fails with `Closed`, every subscription's stream ends, the health is `Closed`.
struct CloseOnDrop(Arc<Shared>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        let shared = &self.0;
        shared.connected.store(false, Ordering::Release);
        let mut finished = Finished::default();
        {
            let mut state = shared.lock();
            state.closed = true;
            state.acks.close();
            state.acks.take_finished(&mut finished);
            state.routes.clear();
            state.unclaimed.clear();
            state.deferred_unsubscribes.clear();
        }
        finished.tell();
        shared.capacity.notify_waiters();
        shared.health.set(ConnectionState::Closed);
        shared.closed.send_replace(true);
        tracing::debug!(client_id = %shared.client_id, "MQTT connection closed");
    }
}

impl EventLoop {
    pub(super) fn new(
        shared: Arc<Shared>,
        connection: Connection,
        backoff_min: Duration,
        backoff_max: Duration,
        own_max_packet: usize,
    ) -> EventLoop {
        EventLoop {
            saved: connection.nothing_saved(),
            shared,
            connection,
            orphans: Vec::new(),
            backoff_min,
            backoff_max,
            own_max_packet,
            finished: Finished::default(),
        }
    }

    /// Runs until a disconnect is asked for (or every handle is gone).
    pub(super) async fn run(mut self) {
        let _close = CloseOnDrop(self.shared.clone());
        let mut delay = self.backoff_min;
        // One registration for the whole run, looked at only when the connection has nothing
        // to report (a new one per event cost two lock round trips each); the flag makes a
        // stop seen at once even while events keep coming.
        let shared = self.shared.clone();
        let shutdown = shared.shutdown.notified();
        tokio::pin!(shutdown);
        loop {
            if shared.shutting_down.load(Ordering::Acquire) {
                break;
            }
            self.send_deferred_unsubscribes();
            let polled = tokio::select! {
                biased;
                polled = self.connection.poll() => polled,
                () = shutdown.as_mut() => break,
            };
            match polled {
                Ok(Event::SentDisconnect) => {
                    self.linger().await;
                    break;
                }
                Ok(event) => {
                    if matches!(event, Event::ConnAck { .. }) {
                        delay = self.backoff_min;
                    }
                    self.handle(event).await;
                }
                Err(error) => {
                    self.shared.connected.store(false, Ordering::Release);
                    if self.shared.stopping.load(Ordering::Acquire) {
                        break;
                    }
                    // Refused for who the client is: it will not get better by itself.
                    self.shared.health.set(match error.refused {
                        Some((_, true)) => ConnectionState::Failed,
                        _ => ConnectionState::Reconnecting,
                    });
                    self.lost(&error).await;
                    tracing::warn!(
                        client_id = %self.shared.client_id,
                        error = %error.message,
                        retry_in = ?delay,
                        "MQTT connection lost; reconnecting"
                    );
                    tokio::select! {
                        biased;
                        () = shutdown.as_mut() => break,
                        () = tokio::time::sleep(delay) => {}
                    }
                    delay = (delay * 2).min(self.backoff_max);
                }
            }
        }
    }

    async fn handle(&mut self, event: Event) {
        match event {
            Event::ConnAck {
                session_present,
                max_packet_size,
                subscription_ids,
            } => self.connected(session_present, max_packet_size, subscription_ids),
            Event::Publish(message) => self.deliver(message).await,
            Event::PubAck { pkid, failure } => self.settle(|acks| acks.puback(pkid, failure)),
            Event::PubRec { pkid, failure } => self.settle(|acks| acks.pubrec(pkid, failure)),
            Event::PubComp { pkid, failure } => self.settle(|acks| acks.pubcomp(pkid, failure)),
            Event::SubAck { pkid, failures } => {
                if !failures.is_empty() {
                    tracing::warn!(pkid, ?failures, "MQTT subscription refused");
                }
                self.shared.lock().acks.suback(pkid, &failures);
            }
            Event::SentPublish(pkid) => {
                self.settle(|acks| acks.publish_sent(pkid));
                self.shared.room();
            }
            Event::DeferredPublish(pkid) => {
                self.settle(|acks| acks.publish_deferred(pkid));
                self.shared.room();
            }
            Event::SentSubscribe(pkid) => {
                self.shared.lock().acks.subscribe_sent(pkid);
                self.shared.room();
            }
            Event::SentDisconnect | Event::SentOther => self.shared.room(),
            Event::Other => {}
        }
    }

    /// Updates the books under the state lock, then tells the publishers that finished.
    fn settle(&mut self, change: impl FnOnce(&mut Acks)) {
        {
            let mut state = self.shared.lock();
            change(&mut state.acks);
            state.acks.take_finished(&mut self.finished);
        }
        self.finished.tell();
    }

    /// Hands a received message to every subscription that wants it, waiting while a buffer
    /// is full (the socket is not read meanwhile: backpressure).
    async fn deliver(&mut self, message: Box<Message>) {
        let shared = &self.shared;
        tracing::debug!(
            address = %message.topic,
            size = message.payload.len(),
            qos = ?message.token.qos,
            "MQTT message received"
        );
        let generation = shared.generation.load(Ordering::Acquire);
        let targets = {
            let mut state = shared.lock();
            let targets = state
                .routes
                .targets(&message.topic, &message.subscription_ids);
            if targets.is_empty() {
                if shared.persistent && message.token.qos != QoS::AtMostOnce {
                    if state.unclaimed.len() >= shared.buffer
                        && let Some((dropped, _)) = state.unclaimed.pop_front()
                    {
                        tracing::warn!(
                            address = %dropped.topic,
                            "MQTT message of the persistent session dropped unacknowledged: \
                             no subscription took it and the buffer is full"
                        );
                    }
                    state.unclaimed.push_back((message, generation));
                    return;
                }
                drop(state);
                if shared.manual_acks && message.token.qos != QoS::AtMostOnce {
                    let _ = shared.acknowledge(message.token, generation);
                }
                return;
            }
            targets
        };
        let copies = shared.copies(message, generation, targets.len());
        for (sender, copy) in targets.into_iter().zip(copies) {
            if let Err(unsent) = sender.send(copy).await
                && let Some(ack) = unsent.0.ack
            {
                // The stream went away meanwhile: this copy counts as handled.
                let _ = ack.ack();
            }
        }
    }

    /// After a CONNACK: the books of the new connection.
    fn connected(&mut self, session_present: bool, broker_max: Option<u32>, ids: bool) {
        let shared = &self.shared;
        let generation = shared.generation.fetch_add(1, Ordering::AcqRel) + 1;
        shared.connected.store(true, Ordering::Release);
        shared.health.set(ConnectionState::Connected);
        shared.subscription_ids.store(ids, Ordering::Release);
        let max = broker_max.map_or(self.own_max_packet, |b| {
            self.own_max_packet
                .min(usize::try_from(b).unwrap_or(usize::MAX))
        });
        shared.max_packet.store(max, Ordering::Release);
        let saved = std::mem::replace(&mut self.saved, self.connection.nothing_saved());
        self.connection.restore_pending(saved);

        let orphans = std::mem::take(&mut self.orphans);
        let mut state = shared.lock();
        let mut filters: Vec<(String, QoS, Option<usize>)> = state
            .routes
            .broker_filters()
            .into_iter()
            .map(|(filter, qos, id)| (filter, qos, ids.then_some(id)))
            .collect();
        if session_present {
            // The broker kept the session's subscriptions; only those it may never have seen
            // are sent again.
            filters.retain(|(filter, ..)| {
                orphans
                    .iter()
                    .any(|o| o.filters.iter().any(|(f, _)| f == filter))
            });
        }
        tracing::info!(
            client_id = %shared.client_id,
            generation,
            session_present,
            resubscribing = filters.len(),
            "MQTT connected"
        );
        // One SUBSCRIBE per filter (a subscription identifier is per packet); each answers the
        // subscriptions of its filter that were left without a SUBACK.
        let mut waiters: Vec<SubscribeWaiter> = filters
            .iter()
            .map(|(filter, qos, _)| SubscribeWaiter {
                filters: vec![(filter.clone(), *qos)],
                replies: Vec::new(),
            })
            .collect();
        for orphan in orphans {
            let filter = orphan.filters.first().map(|(f, _)| f.as_str());
            match waiters
                .iter_mut()
                .find(|w| Some(w.filters[0].0.as_str()) == filter)
            {
                Some(waiter) => waiter.replies.extend(orphan.replies),
                // Nobody needs that filter any more.
                None => {
                    for reply in orphan.replies {
                        let _ = reply.send(Ok(()));
                    }
                }
            }
        }
        state.acks.queue_subscribes_first(waiters);
        drop(state);
        self.connection.subscribe_first(&filters);
    }

    /// After the DISCONNECT was written to the socket: nothing more is accepted, and the
    /// connection is read until the broker closes it, which it does once it has read the
    /// DISCONNECT (at most [`LINGER`], or the acknowledgement timeout if shorter).
    /// Closing the socket at once could lose the DISCONNECT: a socket closed with unread data
    /// (a message the broker was sending) is reset, and a reset drops what the kernel had not
    /// sent yet; the broker would then publish the last will. Acknowledgements of publishes
    /// arriving meanwhile are settled; received messages are not handed out (they were not
    /// acknowledged, so the broker sends them again).
    async fn linger(&mut self) {
        self.shared.lock().closed = true;
        let wait = LINGER.min(self.shared.ack_timeout);
        let closed_by_broker = tokio::time::timeout(wait, async {
            loop {
                match self.connection.poll().await {
                    Err(_) => return,
                    Ok(
                        event @ (Event::PubAck { .. }
                        | Event::PubRec { .. }
                        | Event::PubComp { .. }),
                    ) => {
                        self.handle(event).await;
                    }
                    Ok(_) => {}
                }
            }
        })
        .await;
        if closed_by_broker.is_err() {
            tracing::debug!(
                client_id = %self.shared.client_id,
                waited = ?wait,
                "MQTT broker did not close the connection after DISCONNECT; closing it"
            );
        }
    }

    /// After the connection dropped: settle what rumqttc had queued, take back its pending
    /// requests, remember the subscriptions left without an answer.
    async fn lost(&mut self, _error: &PollError) {
        for event in self.connection.take_queued_events() {
            if !matches!(event, Event::SentDisconnect | Event::ConnAck { .. }) {
                self.handle(event).await;
            }
        }
        let taken = self.connection.take_pending();
        self.saved.append(taken);
        self.orphans
            .extend(self.shared.lock().acks.orphaned_subscriptions());
        // rumqttc emptied its request channel into the pending list: there is room again.
        self.shared.room();
    }

    fn send_deferred_unsubscribes(&mut self) {
        if !self
            .shared
            .unsubscribes_deferred
            .swap(false, Ordering::AcqRel)
        {
            return;
        }
        let filters: Vec<String> = {
            let mut state = self.shared.lock();
            if state.deferred_unsubscribes.is_empty() {
                return;
            }
            let filters = std::mem::take(&mut state.deferred_unsubscribes);
            // A filter subscribed again meanwhile must stay subscribed.
            filters
                .into_iter()
                .filter(|f| !state.routes.uses(f))
                .collect()
        };
        for filter in filters {
            self.connection.unsubscribe_later(&filter);
        }
    }
}
