//! Matching the broker's acknowledgements to the publishes and subscriptions waiting for them.
//!
//! rumqttc 0.25 hands out no token per request: a request goes into its channel, and the event
//! loop later reports `Outgoing::Publish(pkid)` (or `Subscribe(pkid)`) when it writes the
//! packet with the packet id it chose, then `PubAck`/`PubComp`/`SubAck` with that id. So:
//!
//! - Waiters queue in the order their requests entered rumqttc's channel (the caller holds the
//!   state lock from pushing the waiter to `try_send`, and takes the waiter back if the channel
//!   was full). rumqttc takes requests in channel order, so the n-th `Outgoing::Publish` with a
//!   new packet id belongs to the n-th queued publish waiter; subscriptions likewise.
//! - A QoS 0 publish is done when written (`Outgoing::Publish(0)`).
//! - A QoS 1 publish waits in the *publish* stage of its packet id for PUBACK. A QoS 2 publish
//!   moves to the *release* stage on PUBREC and is done on PUBCOMP. rumqttc may reuse an id
//!   whose publish is in the release stage, so the stages are kept apart.
//! - `Outgoing::Publish` for an id whose publish stage is taken is a retransmission (after a
//!   reconnect rumqttc sends unacknowledged publishes again with their ids): nobody new.
//! - `Outgoing::AwaitAck(pkid)`: rumqttc took the next publish but its id is still in use; the
//!   waiter is parked until rumqttc writes it (after the earlier one's acknowledgement).
//! - rumqttc cycles packet ids over a small range and may reuse the id of a subscription still
//!   waiting for its SUBACK: waiters are kept per id, oldest first (brokers answer in order).
//! - Subscriptions in flight when the connection drops never get their SUBACK; the event loop
//!   takes them ([`Acks::orphaned_subscriptions`]) and subscribes them again after reconnecting.
//! - The books live behind the connection's state lock, so a finished publish is not told at
//!   once: its outcome is kept ([`Acks::take_finished`]) and sent after the lock is released.
//!   Woken under the lock, the publisher would contend for it right away (its next publish takes
//!   it too).

use std::collections::{HashMap, VecDeque};

use tokio::sync::oneshot;

use crate::{Delivery, QoS, TransportError};

/// Where a publish's outcome goes.
pub(super) type PublishReply = oneshot::Sender<Result<Delivery, TransportError>>;
/// Where a subscription's outcome goes.
pub(super) type SubscribeReply = oneshot::Sender<Result<(), TransportError>>;

/// A publish waiting for the broker.
#[derive(Debug)]
pub(super) struct PublishWaiter {
    pub(super) qos: QoS,
    pub(super) reply: PublishReply,
}

/// Outcomes of finished publishes, not told yet (see [`Acks::take_finished`]).
#[derive(Debug, Default)]
pub(super) struct Finished(Vec<(PublishReply, Result<Delivery, TransportError>)>);

impl Finished {
    fn push(&mut self, waiter: PublishWaiter, result: Result<Delivery, TransportError>) {
        self.0.push((waiter.reply, result));
    }

    /// Tells every publisher its outcome (call without the state lock); keeps the buffer.
    pub(super) fn tell(&mut self) {
        for (reply, result) in self.0.drain(..) {
            // The publisher may have given up (timeout, dropped future): nothing to tell then.
            let _ = reply.send(result);
        }
    }
}

/// One SUBSCRIBE (of one or more filters) waiting for its SUBACK; several callers may wait on
/// it (a resubscription after a reconnect answers every subscription it stands in for).
#[derive(Debug)]
pub(super) struct SubscribeWaiter {
    pub(super) filters: Vec<(String, QoS)>,
    pub(super) replies: Vec<SubscribeReply>,
}

impl SubscribeWaiter {
    fn finish(self, failures: &[String]) {
        let result = if failures.is_empty() {
            Ok(())
        } else {
            let filters: Vec<&str> = self.filters.iter().map(|(f, _)| f.as_str()).collect();
            Err(TransportError::backend(format!(
                "the broker refused the subscription to {}: {}",
                filters.join(", "),
                failures.join("; ")
            )))
        };
        for reply in self.replies {
            let _ = reply.send(match &result {
                Ok(()) => Ok(()),
                Err(e) => Err(TransportError::backend(e.to_string())),
            });
        }
    }
}

/// The two stages a packet id's publishes can be in.
#[derive(Debug, Default)]
struct Slot {
    /// Sent, waiting for PUBACK (QoS 1) or PUBREC (QoS 2).
    publish: Option<PublishWaiter>,
    /// PUBREC seen, waiting for PUBCOMP (QoS 2).
    release: Option<PublishWaiter>,
}

/// Every publish and subscription between the request channel and the broker's answer.
#[derive(Debug, Default)]
pub(super) struct Acks {
    publishes_queued: VecDeque<PublishWaiter>,
    slots: HashMap<u16, Slot>,
    deferred: Option<(u16, PublishWaiter)>,
    subscribes_queued: VecDeque<SubscribeWaiter>,
    /// Per packet id, oldest first: rumqttc may reuse the id of a subscription still waiting
    /// for its SUBACK, and brokers answer subscriptions in order.
    subscribes_sent: HashMap<u16, VecDeque<SubscribeWaiter>>,
    /// Publishes finished and not told yet.
    finished: Finished,
}

impl Acks {
    /// Moves the outcomes of finished publishes into `into` (empty; its buffer is reused), to be
    /// told with [`Finished::tell`] once the state lock is released.
    pub(super) fn take_finished(&mut self, into: &mut Finished) {
        debug_assert!(into.0.is_empty());
        std::mem::swap(&mut self.finished, into);
    }

    /// A publish request is about to enter rumqttc's channel.
    pub(super) fn queue_publish(&mut self, waiter: PublishWaiter) {
        self.publishes_queued.push_back(waiter);
    }

    /// The request of the last queued publish did not enter the channel after all.
    pub(super) fn unqueue_publish(&mut self) -> Option<PublishWaiter> {
        self.publishes_queued.pop_back()
    }

    /// A subscription request is about to enter rumqttc's channel.
    pub(super) fn queue_subscribe(&mut self, waiter: SubscribeWaiter) {
        self.subscribes_queued.push_back(waiter);
    }

    /// The request of the last queued subscription did not enter the channel after all.
    pub(super) fn unqueue_subscribe(&mut self) -> Option<SubscribeWaiter> {
        self.subscribes_queued.pop_back()
    }

    /// Subscription requests that go ahead of every other queued one, in this order (the
    /// resubscriptions after a reconnect).
    pub(super) fn queue_subscribes_first(&mut self, waiters: Vec<SubscribeWaiter>) {
        for waiter in waiters.into_iter().rev() {
            self.subscribes_queued.push_front(waiter);
        }
    }

    /// rumqttc wrote a PUBLISH with `pkid`.
    pub(super) fn publish_sent(&mut self, pkid: u16) {
        if let Some((deferred, _)) = &self.deferred
            && *deferred == pkid
            && let Some((_, waiter)) = self.deferred.take()
        {
            self.slots.entry(pkid).or_default().publish = Some(waiter);
            return;
        }
        if pkid != 0 && self.slots.get(&pkid).is_some_and(|s| s.publish.is_some()) {
            return; // a retransmission
        }
        let Some(waiter) = self.publishes_queued.pop_front() else {
            tracing::warn!(pkid, "MQTT publish went out with no publish waiting for it");
            return;
        };
        if pkid == 0 {
            if waiter.qos != QoS::AtMostOnce {
                tracing::warn!(qos = ?waiter.qos, "MQTT publish bookkeeping out of step");
            }
            self.finished.push(waiter, Ok(Delivery::default()));
        } else {
            self.slots.entry(pkid).or_default().publish = Some(waiter);
        }
    }

    /// rumqttc took a publish whose `pkid` is still in use; it is written later.
    pub(super) fn publish_deferred(&mut self, pkid: u16) {
        if let Some(waiter) = self.publishes_queued.pop_front() {
            if let Some((old, earlier)) = self.deferred.replace((pkid, waiter)) {
                tracing::warn!(old, pkid, "two MQTT publishes deferred at once");
                self.finished.push(
                    earlier,
                    Err(TransportError::backend(
                        "the MQTT client lost track of a deferred publish",
                    )),
                );
            }
        }
    }

    /// PUBACK for `pkid` (QoS 1 done, or refused).
    pub(super) fn puback(&mut self, pkid: u16, failure: Option<String>) {
        if let Some(waiter) = self.take(pkid, |slot| &mut slot.publish) {
            self.finished.push(waiter, outcome(failure));
        }
    }

    /// PUBREC for `pkid`: QoS 2 half-way (or refused).
    pub(super) fn pubrec(&mut self, pkid: u16, failure: Option<String>) {
        let Some(waiter) = self.take(pkid, |slot| &mut slot.publish) else {
            return;
        };
        match failure {
            Some(_) => self.finished.push(waiter, outcome(failure)),
            None => self.slots.entry(pkid).or_default().release = Some(waiter),
        }
    }

    /// PUBCOMP for `pkid`: QoS 2 done.
    pub(super) fn pubcomp(&mut self, pkid: u16, failure: Option<String>) {
        if let Some(waiter) = self.take(pkid, |slot| &mut slot.release) {
            self.finished.push(waiter, outcome(failure));
        }
    }

    fn take(
        &mut self,
        pkid: u16,
        stage: impl Fn(&mut Slot) -> &mut Option<PublishWaiter>,
    ) -> Option<PublishWaiter> {
        let slot = self.slots.get_mut(&pkid)?;
        let waiter = stage(slot).take();
        if slot.publish.is_none() && slot.release.is_none() {
            self.slots.remove(&pkid);
        }
        waiter
    }

    /// rumqttc wrote a SUBSCRIBE with `pkid`.
    pub(super) fn subscribe_sent(&mut self, pkid: u16) {
        match self.subscribes_queued.pop_front() {
            Some(waiter) => self
                .subscribes_sent
                .entry(pkid)
                .or_default()
                .push_back(waiter),
            None => tracing::warn!(pkid, "MQTT subscribe went out with nobody waiting for it"),
        }
    }

    /// SUBACK for `pkid`.
    pub(super) fn suback(&mut self, pkid: u16, failures: &[String]) {
        let Some(waiting) = self.subscribes_sent.get_mut(&pkid) else {
            return;
        };
        let waiter = waiting.pop_front();
        if waiting.is_empty() {
            self.subscribes_sent.remove(&pkid);
        }
        if let Some(waiter) = waiter {
            waiter.finish(failures);
        }
    }

    /// How many publishes are queued, sent or deferred and not finished yet.
    pub(super) fn publishes_in_flight(&self) -> usize {
        self.publishes_queued.len()
            + usize::from(self.deferred.is_some())
            + self
                .slots
                .values()
                .map(|slot| {
                    usize::from(slot.publish.is_some()) + usize::from(slot.release.is_some())
                })
                .sum::<usize>()
    }

    /// The subscriptions that were sent but not answered when the connection dropped.
    pub(super) fn orphaned_subscriptions(&mut self) -> Vec<SubscribeWaiter> {
        self.subscribes_sent
            .drain()
            .flat_map(|(_, waiting)| waiting)
            .collect()
    }

    /// Whether nothing is waiting.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.publishes_queued.is_empty()
            && self.slots.is_empty()
            && self.deferred.is_none()
            && self.subscribes_queued.is_empty()
            && self.subscribes_sent.is_empty()
    }

    /// The connection is closed for good: everybody learns it.
    pub(super) fn close(&mut self) {
        let publishes = self
            .publishes_queued
            .drain(..)
            .chain(self.deferred.take().map(|(_, w)| w))
            .chain(
                self.slots
                    .drain()
                    .flat_map(|(_, slot)| slot.publish.into_iter().chain(slot.release)),
            );
        let publishes: Vec<PublishWaiter> = publishes.collect();
        for waiter in publishes {
            self.finished.push(waiter, Err(TransportError::Closed));
        }
        let subscribes = self
            .subscribes_queued
            .drain(..)
            .chain(self.subscribes_sent.drain().flat_map(|(_, w)| w));
        for waiter in subscribes {
            for reply in waiter.replies {
                let _ = reply.send(Err(TransportError::Closed));
            }
        }
    }
}

fn outcome(failure: Option<String>) -> Result<Delivery, TransportError> {
    match failure {
        None => Ok(Delivery::default()),
        Some(reason) => Err(TransportError::backend(format!(
            "the broker refused the message: {reason}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiter(acks: &mut Acks, qos: QoS) -> oneshot::Receiver<Result<Delivery, TransportError>> {
        let (reply, receiver) = oneshot::channel();
        acks.queue_publish(PublishWaiter { qos, reply });
        receiver
    }

    fn done(
        acks: &mut Acks,
        receiver: &mut oneshot::Receiver<Result<Delivery, TransportError>>,
    ) -> Option<bool> {
        tell(acks);
        receiver.try_recv().ok().map(|r| r.is_ok())
    }

    fn tell(acks: &mut Acks) {
        let mut finished = Finished::default();
        acks.take_finished(&mut finished);
        finished.tell();
    }

    #[test]
    fn publishes_resolve_on_their_own_acknowledgement() {
        let mut acks = Acks::default();
        let mut zero = waiter(&mut acks, QoS::AtMostOnce);
        let mut one = waiter(&mut acks, QoS::AtLeastOnce);
        let mut two = waiter(&mut acks, QoS::ExactlyOnce);
        acks.publish_sent(0);
        assert_eq!(done(&mut acks, &mut zero), Some(true));
        acks.publish_sent(1);
        acks.publish_sent(2);
        assert_eq!(done(&mut acks, &mut one), None);
        acks.pubrec(2, None);
        assert_eq!(done(&mut acks, &mut two), None);
        acks.puback(1, None);
        assert_eq!(done(&mut acks, &mut one), Some(true));
        acks.pubcomp(2, None);
        assert_eq!(done(&mut acks, &mut two), Some(true));
        assert!(acks.is_empty());
    }

    #[test]
    fn retransmissions_and_reused_ids_keep_the_books_straight() {
        let mut acks = Acks::default();
        let mut first = waiter(&mut acks, QoS::AtLeastOnce);
        let mut second = waiter(&mut acks, QoS::AtLeastOnce);
        acks.publish_sent(5);
        // The connection dropped; rumqttc sends 5 again: still the first publish.
        acks.publish_sent(5);
        acks.publish_sent(6);
        acks.puback(6, None);
        assert_eq!(done(&mut acks, &mut second), Some(true));
        assert_eq!(done(&mut acks, &mut first), None);
        acks.puback(5, None);
        assert_eq!(done(&mut acks, &mut first), Some(true));

        // A QoS 2 publish waiting for PUBCOMP while its id is reused by a new publish.
        let mut exactly = waiter(&mut acks, QoS::ExactlyOnce);
        let mut reuse = waiter(&mut acks, QoS::AtLeastOnce);
        acks.publish_sent(7);
        acks.pubrec(7, None);
        acks.publish_sent(7);
        acks.puback(7, None);
        assert_eq!(done(&mut acks, &mut reuse), Some(true));
        assert_eq!(done(&mut acks, &mut exactly), None);
        acks.pubcomp(7, None);
        assert_eq!(done(&mut acks, &mut exactly), Some(true));
        assert!(acks.is_empty());
    }

    #[test]
    fn deferred_publishes_take_their_id_when_written() {
        let mut acks = Acks::default();
        let mut first = waiter(&mut acks, QoS::AtLeastOnce);
        let mut second = waiter(&mut acks, QoS::AtLeastOnce);
        acks.publish_sent(1);
        acks.publish_deferred(1);
        acks.puback(1, None);
        assert_eq!(done(&mut acks, &mut first), Some(true));
        acks.publish_sent(1);
        assert_eq!(done(&mut acks, &mut second), None);
        acks.puback(1, None);
        assert_eq!(done(&mut acks, &mut second), Some(true));
        assert!(acks.is_empty());
    }

    #[test]
    fn refusals_and_closing_fail_the_waiters() {
        let mut acks = Acks::default();
        let mut refused = waiter(&mut acks, QoS::AtLeastOnce);
        let mut pending = waiter(&mut acks, QoS::AtLeastOnce);
        acks.publish_sent(1);
        acks.puback(1, Some("NotAuthorized".into()));
        assert_eq!(done(&mut acks, &mut refused), Some(false));
        acks.close();
        tell(&mut acks);
        assert!(matches!(
            pending.try_recv(),
            Ok(Err(TransportError::Closed))
        ));
    }

    #[test]
    fn subscriptions_sharing_a_packet_id_are_answered_in_order() {
        let mut acks = Acks::default();
        let mut answers = Vec::new();
        for filter in ["a", "b"] {
            let (reply, answer) = oneshot::channel();
            acks.queue_subscribe(SubscribeWaiter {
                filters: vec![(filter.into(), QoS::AtMostOnce)],
                replies: vec![reply],
            });
            answers.push(answer);
        }
        acks.subscribe_sent(1);
        acks.subscribe_sent(1);
        acks.suback(1, &[]);
        assert!(matches!(answers[0].try_recv(), Ok(Ok(()))));
        assert!(answers[1].try_recv().is_err());
        acks.suback(1, &["NotAuthorized".into()]);
        assert!(matches!(answers[1].try_recv(), Ok(Err(_))));
        assert!(acks.is_empty());
    }

    #[test]
    fn subscriptions() {
        let mut acks = Acks::default();
        let (reply, mut answered) = oneshot::channel();
        acks.queue_subscribe(SubscribeWaiter {
            filters: vec![("a/+".into(), QoS::AtLeastOnce)],
            replies: vec![reply],
        });
        acks.subscribe_sent(3);
        assert!(answered.try_recv().is_err());
        let orphans = acks.orphaned_subscriptions();
        assert_eq!(orphans.len(), 1);
        let mut merged = SubscribeWaiter {
            filters: vec![("a/+".into(), QoS::AtLeastOnce)],
            replies: Vec::new(),
        };
        merged
            .replies
            .extend(orphans.into_iter().flat_map(|o| o.replies));
        acks.queue_subscribes_first(vec![merged]);
        acks.subscribe_sent(4);
        acks.suback(4, &[]);
        assert!(matches!(answered.try_recv(), Ok(Ok(()))));
        assert!(acks.is_empty());
    }
}
