//! Subscriptions in a consumer group: one consumer per group (and client id) of a transport and
//! its clones, shared by every subscription of that group, read by one thread that hands each
//! record to the subscription it is for.
//!
//! The consumer subscribes to the union of its subscriptions' topics and patterns. A
//! subscription added with a topic or pattern new to the union, or any subscription dropped,
//! changes the consumer's subscription and so makes the group rebalance (with librdkafka's
//! default, eager, protocol every partition is revoked and assigned again): what was
//! acknowledged is committed on revocation, what was handed out and not acknowledged is read
//! again (at least once; an acknowledgement of a record read before the revocation changes
//! nothing), and records read ahead from revoked partitions and not handed out yet are dropped,
//! to be fetched again. A subscription dropped while others of the group read its topic still
//! makes the consumer subscribe anew (leaving the group and joining again), so that what it
//! left unacknowledged is read again rather than holding the group's position back.
//!
//! A record goes to the subscription whose topic (or pattern and template) it fits; when
//! several do (two subscriptions of the group to one topic), its partition picks one of them,
//! so that each partition's records go to one subscription in order, as the group shares
//! partitions among its members.
//!
//! Backpressure: each subscription has its own bounded buffer. While every subscription's
//! buffer is full the thread stops taking records, as a subscription's own reader does (see
//! `consumer.rs`); while another has room it goes on, and once [`PAUSE_AFTER`] records wait for
//! a full buffer the partitions that feed that subscription are paused, until its buffer has
//! taken them all.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::TopicPartitionList;
use rdkafka::consumer::Consumer;
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Message};
use tokio::sync::{mpsc, oneshot};

use super::consumer::{
    self, Acker, Item, KafkaConsumer, PAUSE_AFTER, POLL, POLL_BATCH, POLL_WHILE_FULL, Shared,
    SubscriptionContext, WAIT_FOR_ROOM,
};
use super::link::ReaderGuard;
use super::{Kafka, config_error, lock};
use crate::{Ack, RawStream, Subscription, TransportError};

/// How often the reading thread looks for subscriptions added or dropped.
const HOUSEKEEPING: Duration = Duration::from_millis(10);

/// How long dropped subscriptions wait to be let go while others remain. A service that stops
/// drops its subscriptions one after another as each operation finishes draining; letting
/// each go at once would rebalance the group between them and close the consumer in the middle
/// of a rebalance (tansu 0.6.0 then kept the group from the next instance for over 30 s).
/// Within this time the last one going closes the consumer directly, in a settled group.
const DROPS_SETTLE: Duration = Duration::from_millis(500);

/// The shared consumers of a transport (and its clones), by group and client id.
#[derive(Default)]
pub(super) struct Groups(Mutex<HashMap<Key, Arc<Handle>>>);

/// What makes consumers different: the group, and the client id (a consumer has one).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    group: String,
    client_id: Option<String>,
}

/// How subscriptions reach a group's thread.
struct Handle {
    /// Subscriptions the thread has not taken in yet; `None` once it ends (a later subscription
    /// of the group starts a new consumer).
    inbox: Mutex<Option<Vec<Member>>>,
}

impl Groups {
    /// Hands a subscription to its group's consumer, starting one if the group has none.
    fn join(&self, kafka: &Kafka, key: Key, member: Member) -> Result<(), TransportError> {
        let mut groups = lock(&self.0);
        if let Some(handle) = groups.get(&key)
            && let Some(inbox) = lock(&handle.inbox).as_mut()
        {
            inbox.push(member);
            return Ok(());
        }
        let handle = GroupReader::start(kafka, &key, member)?;
        groups.insert(key, handle);
        Ok(())
    }

    /// Forgets a consumer that ended (unless a new one has taken its place already).
    fn remove(&self, key: &Key, handle: &Arc<Handle>) {
        let mut groups = lock(&self.0);
        if groups.get(key).is_some_and(|h| Arc::ptr_eq(h, handle)) {
            groups.remove(key);
        }
    }
}

/// A subscription of a group, as the reading thread keeps it.
struct Member {
    template: String,
    /// The topic, or the pattern, subscribed to.
    topic: String,
    /// The pattern's regular expression (a template with placeholders).
    matches: Option<regex::Regex>,
    sender: mpsc::Sender<Item>,
    /// Records read for it that its buffer has not taken yet.
    pending: VecDeque<Pending>,
    /// The partitions feeding it are paused.
    paused: bool,
    /// Told once it is live (`None` afterwards).
    ready: Option<oneshot::Sender<Result<(), TransportError>>>,
    /// A pattern no topic matches yet: live as soon as it is subscribed.
    live_at_once: bool,
}

/// A record (or an error) waiting for room, with the generation of its partition's assignment.
struct Pending {
    generation: u64,
    item: Item,
}

pub(super) async fn subscribe(
    kafka: Kafka,
    subscription: Subscription,
    group: String,
) -> Result<RawStream, TransportError> {
    let config = &kafka.inner.config;
    let template = subscription.template.to_string();
    let pattern = template.contains('{');
    let (topic, matches) = if pattern {
        let topic = subscription.kafka_pattern();
        let matches = regex::Regex::new(&topic).map_err(TransportError::backend)?;
        (topic, Some(matches))
    } else {
        (template.clone(), None)
    };
    // A single topic must exist: it is not created by subscribing. A pattern no topic matches
    // yet is live at once: the group assigns nothing until a matching topic appears.
    let live_at_once = match &matches {
        None => {
            if kafka.topic_names(Some(&topic)).await?.is_empty() {
                return Err(TransportError::Config(format!(
                    "topic {topic:?} does not exist; topics are not created by subscribing \
                     (see Kafka::create_topics)"
                )));
            }
            false
        }
        Some(matches) => {
            let names = kafka.topic_names(None).await?;
            if !names.iter().any(|name| matches.is_match(name)) {
                tracing::debug!(%template, "no kafka topic matches yet");
                true
            } else {
                false
            }
        }
    };
    let (sender, receiver) = mpsc::channel(config.buffer);
    let (ready, is_ready) = oneshot::channel();
    let key = Key {
        group,
        client_id: subscription.client_id.map(|c| c.into_owned()),
    };
    tracing::debug!(%template, %topic, group = %key.group, "kafka subscription starting");
    kafka.inner.groups.join(
        &kafka,
        key.clone(),
        Member {
            template: template.clone(),
            topic,
            matches,
            sender,
            pending: VecDeque::new(),
            paused: false,
            ready: Some(ready),
            live_at_once,
        },
    )?;
    let timeout = config.timeout;
    match tokio::time::timeout(timeout, is_ready).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(error))) => return Err(error),
        Ok(Err(_)) => return Err(TransportError::Closed),
        Err(_) => {
            return Err(TransportError::Timeout(format!(
                "the subscription to {template:?} (group {:?}) was assigned no partitions \
                 within {timeout:?}",
                key.group
            )));
        }
    }
    tracing::debug!(%template, group = %key.group, "kafka subscription live");
    Ok(consumer::stream(receiver))
}

/// Where a record goes.
enum Route {
    /// To one of these subscriptions (by partition).
    To(Vec<usize>),
    /// Nowhere: its topic matches a pattern but fits no template. Handled, as far as the
    /// group is concerned.
    Skip,
    /// Nowhere: no subscription reads its topic any more (its partitions are about to be
    /// revoked). Not handled: it is read again.
    Nobody,
}

/// The thread that reads a group's consumer.
struct GroupReader {
    consumer: Arc<KafkaConsumer>,
    shared: Arc<Shared>,
    acker: Arc<Acker>,
    groups: Arc<Groups>,
    key: Key,
    handle: Arc<Handle>,
    members: Vec<Member>,
    /// Where each topic's records go, worked out on first sight; cleared when the members
    /// change.
    routes: HashMap<String, Route>,
    /// Assignments seen (see `State::assignments`).
    assignments: u64,
    /// Subscriptions came: whether they are live is to be looked at even without a new
    /// assignment.
    look_again: bool,
    /// Counts this consumer as live until the thread ends (after the consumer closed).
    link: ReaderGuard,
    /// When a subscription was first seen dropped while others remained (see [`DROPS_SETTLE`]).
    drops_seen: Option<Instant>,
}

impl GroupReader {
    /// Makes the consumer and starts its thread with its first subscription.
    fn start(kafka: &Kafka, key: &Key, first: Member) -> Result<Arc<Handle>, TransportError> {
        let config = &kafka.inner.config;
        let latest = config.offset_reset == super::OffsetReset::Latest;
        let shared = Arc::new(Shared::new(
            format!("group {}", key.group),
            false,
            latest,
            config.timeout,
        ));
        // Patterns may come with any subscription: new topics matching one are looked for
        // every 2 s (one metadata request per group, not per subscription).
        let consumer: KafkaConsumer = config
            .consumer_config(&key.group, false, key.client_id.as_deref(), true)?
            .create_with_context(SubscriptionContext::new(kafka, &shared, &key.group))
            .map_err(config_error)?;
        let consumer = Arc::new(consumer);
        let handle = Arc::new(Handle {
            inbox: Mutex::new(Some(vec![first])),
        });
        let reader = GroupReader {
            acker: Arc::new(Acker {
                consumer: Arc::downgrade(&consumer),
                shared: shared.clone(),
            }),
            consumer,
            shared,
            groups: kafka.inner.groups.clone(),
            key: key.clone(),
            handle: handle.clone(),
            members: Vec::new(),
            routes: HashMap::new(),
            assignments: 0,
            look_again: false,
            link: kafka.inner.link.reader(),
            drops_seen: None,
        };
        std::thread::Builder::new()
            .name(format!("kafka group {}", key.group))
            .spawn(move || reader.run())
            .map_err(TransportError::backend)?;
        Ok(handle)
    }

    fn run(mut self) {
        let mut ending = false;
        let mut last_poll = Instant::now();
        let mut last_look = Instant::now() - HOUSEKEEPING;
        loop {
            if self.link.link().is_ending() {
                return self.close();
            }
            if !ending && last_look.elapsed() >= HOUSEKEEPING {
                last_look = Instant::now();
                if !self.take_in() {
                    return self.close();
                }
            }
            self.hand_over();
            if ending && self.members.iter().all(|m| m.pending.is_empty()) {
                return self.close();
            }
            self.tell_live();
            self.pause_resume();
            let waiting = self.members.iter().any(|m| !m.pending.is_empty());
            let all_full = waiting && self.members.iter().all(|m| !m.pending.is_empty());
            if ending || (all_full && last_poll.elapsed() < POLL_WHILE_FULL) {
                std::thread::sleep(WAIT_FOR_ROOM);
                continue;
            }
            last_poll = Instant::now();
            // What librdkafka has at hand is taken in one go (see the anonymous reader).
            let mut timeout = if waiting { WAIT_FOR_ROOM } else { POLL };
            for _ in 0..POLL_BATCH {
                // The record borrows the consumer, while taking it needs the reader.
                let consumer = self.consumer.clone();
                match consumer.poll(timeout) {
                    None => break,
                    Some(Ok(record)) => {
                        self.link.link().up();
                        self.take(&record);
                    }
                    Some(Err(KafkaError::PartitionEOF(_))) => {}
                    // The consumer cannot go on: every stream ends with the error.
                    Some(Err(error @ KafkaError::MessageConsumptionFatal(_))) => {
                        tracing::error!(consumer = %self.shared.label, %error, "kafka consumer failed");
                        for member in &mut self.members {
                            member.pending.push_back(Pending {
                                generation: 0,
                                item: Err(TransportError::backend(error.clone())),
                            });
                        }
                        ending = true;
                        break;
                    }
                    // librdkafka recovers from every other error by itself.
                    Some(Err(error)) => {
                        self.link.link().on_error(&error);
                        tracing::warn!(consumer = %self.shared.label, %error, "kafka consumer error");
                    }
                }
                timeout = Duration::ZERO;
            }
            if self.shared.revoked.swap(false, Ordering::AcqRel) {
                self.drop_stale();
            }
        }
    }

    /// Takes in new subscriptions and lets go of dropped ones, subscribing the consumer anew
    /// when that changes what it must read. `false` when none is left: the consumer ends.
    fn take_in(&mut self) -> bool {
        let mut inbox = lock(&self.handle.inbox);
        let new = inbox.as_mut().map(std::mem::take).unwrap_or_default();
        let dropped = self.members.iter().filter(|m| m.sender.is_closed()).count();
        if dropped > 0 && dropped < self.members.len() && new.is_empty() {
            let since = *self.drops_seen.get_or_insert_with(Instant::now);
            if since.elapsed() < DROPS_SETTLE {
                return true;
            }
        }
        self.drops_seen = None;
        let before = self.members.len();
        self.members.retain(|m| !m.sender.is_closed());
        let gone = before - self.members.len();
        if self.members.is_empty() && new.is_empty() {
            *inbox = None;
            drop(inbox);
            self.groups.remove(&self.key, &self.handle);
            return false;
        }
        drop(inbox);
        if gone == 0 && new.is_empty() {
            return true;
        }
        let old = self.union();
        let added = new.len();
        self.members.extend(new);
        self.routes.clear();
        // Records move between subscriptions: paused partitions may feed another one now.
        // Everything is resumed (what was paused was worked out with the old routes); a
        // subscription still full is paused again.
        if self.members.iter().any(|m| m.paused) {
            if let Ok(assignment) = self.consumer.assignment()
                && let Err(error) = self.consumer.resume(&assignment)
            {
                tracing::warn!(consumer = %self.shared.label, %error, "kafka resume failed");
            }
            for member in &mut self.members {
                member.paused = false;
            }
        }
        let union = self.union();
        if gone > 0 || union != old {
            if gone > 0 && union == old {
                // Unchanged, librdkafka would not rebalance: leave the group and join again,
                // so that what the dropped subscription did not acknowledge is read again.
                self.consumer.unsubscribe();
            }
            let topics: Vec<&str> = union.iter().map(String::as_str).collect();
            tracing::debug!(consumer = %self.shared.label, ?topics, gone, added, "kafka group consumer subscribing");
            if let Err(error) = self.consumer.subscribe(&topics) {
                // The new subscriptions cannot be had: they fail, the others go on.
                tracing::warn!(consumer = %self.shared.label, %error, "kafka subscribe failed");
                let message = error.to_string();
                let kept = self.members.len() - added;
                for mut member in self.members.drain(kept..) {
                    if let Some(ready) = member.ready.take() {
                        let _ = ready.send(Err(TransportError::Backend(message.clone().into())));
                    }
                }
                let union = self.union();
                let topics: Vec<&str> = union.iter().map(String::as_str).collect();
                if topics.is_empty() {
                    self.consumer.unsubscribe();
                } else if let Err(error) = self.consumer.subscribe(&topics) {
                    tracing::warn!(consumer = %self.shared.label, %error, "kafka subscribe failed");
                }
            }
        }
        for member in &mut self.members {
            if member.live_at_once
                && let Some(ready) = member.ready.take()
            {
                let _ = ready.send(Ok(()));
            }
        }
        // Perhaps live already (a topic the consumer reads).
        self.look_again = true;
        !self.members.is_empty() || lock(&self.handle.inbox).is_some()
    }

    /// The topics and patterns of every subscription, sorted, once each.
    fn union(&self) -> Vec<String> {
        let mut topics: Vec<String> = self.members.iter().map(|m| m.topic.clone()).collect();
        topics.sort();
        topics.dedup();
        topics
    }

    /// Tells the subscriptions waiting to go live that they are, once an assignment made for
    /// a subscription including their topic is in place.
    fn tell_live(&mut self) {
        let state = lock(&self.shared.state);
        let look = std::mem::take(&mut self.look_again);
        if state.assignments == 0 || (state.assignments == self.assignments && !look) {
            return;
        }
        self.assignments = state.assignments;
        for member in &mut self.members {
            if member.ready.is_some() && state.subscribed.contains(&member.topic) {
                let result = match &state.assign_error {
                    None => Ok(()),
                    Some(error) => Err(TransportError::Backend(
                        format!("the kafka partitions could not be assigned: {error}").into(),
                    )),
                };
                if let Some(ready) = member.ready.take() {
                    let _ = ready.send(result);
                }
            }
        }
    }

    /// Hands what was read to each subscription, as far as its buffer takes it.
    fn hand_over(&mut self) {
        for member in &mut self.members {
            while let Some(Pending { generation, item }) = member.pending.pop_front() {
                match member.sender.try_send(item) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(item)) => {
                        member.pending.push_front(Pending { generation, item });
                        break;
                    }
                    // Dropped: let go of at the next look.
                    Err(mpsc::error::TrySendError::Closed(_)) => {
                        member.pending.clear();
                        break;
                    }
                }
            }
        }
    }

    /// Pauses the partitions of a subscription whose buffer stays full while others have room
    /// (and again after a rebalance, which resumes everything); resumes them once it has room.
    fn pause_resume(&mut self) {
        let reassigned = self.shared.reassigned.swap(false, Ordering::AcqRel);
        for index in 0..self.members.len() {
            let member = &self.members[index];
            let stuck = member.pending.len() >= PAUSE_AFTER;
            if stuck && (!member.paused || reassigned) {
                self.pause(index, true);
                self.members[index].paused = true;
            } else if member.pending.is_empty() && member.paused {
                self.pause(index, false);
                self.members[index].paused = false;
            }
        }
    }

    /// Pauses (or resumes) the assigned partitions whose records go to one subscription.
    fn pause(&mut self, index: usize, pause: bool) {
        let Ok(assignment) = self.consumer.assignment() else {
            return;
        };
        let mut feeding = TopicPartitionList::new();
        for element in assignment.elements() {
            if self.route(element.topic(), element.partition()) == Some(index) {
                feeding.add_partition(element.topic(), element.partition());
            }
        }
        if feeding.count() == 0 {
            return;
        }
        let done = if pause {
            self.consumer.pause(&feeding)
        } else {
            self.consumer.resume(&feeding)
        };
        let template = &self.members[index].template;
        match done {
            Ok(()) => {
                tracing::debug!(consumer = %self.shared.label, %template, pause, "kafka buffer full: partitions paused, or room again: resumed")
            }
            Err(error) => {
                tracing::warn!(consumer = %self.shared.label, %template, %error, pause, "kafka pause/resume failed")
            }
        }
    }

    /// The subscription a partition's records go to.
    fn route(&mut self, topic: &str, partition: i32) -> Option<usize> {
        match self.routes_for(topic) {
            Route::To(members) => Some(members[partition.unsigned_abs() as usize % members.len()]),
            Route::Skip | Route::Nobody => None,
        }
    }

    /// Where a topic's records go.
    fn routes_for(&mut self, topic: &str) -> &Route {
        if !self.routes.contains_key(topic) {
            let mut fit = Vec::new();
            let mut matched = false;
            for (index, member) in self.members.iter().enumerate() {
                match &member.matches {
                    None if member.topic == topic => fit.push(index),
                    None => {}
                    Some(pattern) if pattern.is_match(topic) => {
                        matched = true;
                        if crate::address::capture_in(&member.template, topic).is_ok() {
                            fit.push(index);
                        }
                    }
                    Some(_) => {}
                }
            }
            let route = if !fit.is_empty() {
                Route::To(fit)
            } else if matched {
                Route::Skip
            } else {
                Route::Nobody
            };
            self.routes.insert(topic.to_owned(), route);
        }
        &self.routes[topic]
    }

    /// Takes a record for the subscription it goes to.
    fn take(&mut self, record: &BorrowedMessage<'_>) {
        let (topic, partition, offset) = (record.topic(), record.partition(), record.offset());
        let skip = match self.routes_for(topic) {
            Route::To(_) => None,
            Route::Skip => Some(true),
            Route::Nobody => Some(false),
        };
        match (self.route(topic, partition), skip) {
            (Some(index), _) => {
                let generation = lock(&self.shared.state)
                    .tracker
                    .handed_out(topic, partition, offset);
                let acker = self.acker.clone();
                let owned = topic.to_owned();
                let ack =
                    Ack::new(move || acker.acknowledge(&owned, partition, generation, offset));
                self.members[index].pending.push_back(Pending {
                    generation,
                    item: Ok(consumer::to_incoming(record, Some(ack))),
                });
            }
            (None, Some(true)) => {
                // Held while storing, so a revocation cannot come in between.
                let mut state = lock(&self.shared.state);
                if let Some(position) = state.tracker.skip(topic, partition, offset)
                    && let Err(error) = self.acker.store(topic, partition, position)
                {
                    tracing::warn!(topic, partition, %error, "kafka offset not stored");
                }
                tracing::debug!(topic, partition, offset, consumer = %self.shared.label, "kafka record skipped: its topic fits no template");
            }
            (None, _) => {
                tracing::debug!(topic, partition, offset, consumer = %self.shared.label, "kafka record dropped: no subscription reads its topic any more");
            }
        }
    }

    /// Drops the records of partitions revoked since they were read: their acknowledgement
    /// would change nothing, and the partition's owner reads them again.
    fn drop_stale(&mut self) {
        let state = lock(&self.shared.state);
        for member in &mut self.members {
            member.pending.retain(|p| match &p.item {
                Ok(incoming) => {
                    let partition = incoming.partition.unwrap_or_default();
                    state.tracker.generation(&incoming.address, partition) == Some(p.generation)
                }
                Err(_) => true,
            });
        }
    }

    /// Closes the consumer: commits what was acknowledged, revokes its partitions and leaves
    /// the group; every subscription's stream ends (those not live yet fail with
    /// [`TransportError::Closed`]).
    fn close(self) {
        let GroupReader {
            mut consumer,
            shared,
            groups,
            key,
            handle,
            members,
            link,
            ..
        } = self;
        let late = lock(&handle.inbox).take();
        groups.remove(&key, &handle);
        drop((members, late));
        loop {
            match Arc::try_unwrap(consumer) {
                Ok(last) => {
                    consumer::commit_before_closing(&last, &shared);
                    drop(last);
                    break;
                }
                Err(still_shared) => {
                    consumer = still_shared;
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
        tracing::debug!(consumer = %shared.label, "kafka group consumer closed");
        // Only now, with the consumer closed (the group left), is it no longer live.
        drop(link);
    }
}
