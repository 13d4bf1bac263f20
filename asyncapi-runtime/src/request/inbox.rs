//! Reply inboxes: one subscription per reply address and client, shared by every request
//! waiting on that address, routing each reply to its request by correlation id.
//!
//! A request registers what it waits for (its correlation id) before it sends, then awaits a
//! oneshot channel. One task per inbox reads the subscription and hands each reply to the
//! request registered under its id, or drops it and counts it: a late reply (its request timed
//! out or was dropped), a duplicate (the first one won), or a reply meant for another client
//! reading the same address.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use futures::StreamExt;
use tokio::sync::oneshot;

use crate::message::{Location, correlation_id_of};
use crate::{Error, Incoming, QoS, RawStream, Subscription, Transport, TransportError};

/// What became of the replies a [`Client`](crate::Client)'s inboxes received (every clone of
/// the client counts into the same figures); see [`Client::reply_stats`](crate::Client::reply_stats).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplyStats {
    /// Replies handed to the request waiting for them.
    pub routed: u64,
    /// Replies nobody waited for, dropped: late ones (their request had timed out or was
    /// dropped), duplicates (the first reply won), replies to other clients reading the same
    /// address, and replies without a correlation id while several requests waited.
    pub dropped: u64,
}

/// The inboxes of one client and its clones, by reply address.
#[derive(Default)]
pub(crate) struct Inboxes {
    /// One cell per address, filled by the first request that needs it (the others wait for
    /// that one subscription, not each for its own); the lock is never held across an await.
    open: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Arc<Inbox>>>>>,
    routed: Arc<AtomicU64>,
    dropped: Arc<AtomicU64>,
}

impl std::fmt::Debug for Inboxes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inboxes")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Inboxes {
    pub(crate) fn stats(&self) -> ReplyStats {
        ReplyStats {
            routed: self.routed.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }

    /// The inbox of `address`, subscribed (and live) when this returns. `keep`: whether it
    /// stays subscribed for the client's life (its own inbox, a reply channel of the spec) or
    /// only while a request waits on it (an address a caller chose for one request); an inbox
    /// opened once to be kept stays kept.
    pub(crate) async fn open<T: Transport>(
        self: &Arc<Self>,
        transport: &T,
        address: &str,
        keep: bool,
    ) -> Result<Arc<Inbox>, Error> {
        loop {
            let cell = lock(&self.open)
                .entry(address.to_owned())
                .or_default()
                .clone();
            let inbox = match cell
                .get_or_try_init(|| self.subscribe(transport, address, keep))
                .await
            {
                Ok(inbox) => inbox,
                Err(error) => {
                    let mut open = lock(&self.open);
                    if open.get(address).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                        open.remove(address);
                    }
                    return Err(error);
                }
            };
            if inbox.ended.load(Ordering::Acquire) {
                // Its subscription ended (the transport closed): a new one, unless that fails.
                self.forget(inbox);
                continue;
            }
            if keep {
                inbox.keep.store(true, Ordering::Release);
            }
            return Ok(inbox.clone());
        }
    }

    async fn subscribe<T: Transport>(
        self: &Arc<Self>,
        transport: &T,
        address: &str,
        keep: bool,
    ) -> Result<Arc<Inbox>, Error> {
        // At least once, so that a reply is not lost on its way when the requester's session
        // is persistent (the responder chooses the reply's own guarantee); in no consumer
        // group, so that every instance of a service reads every reply to it.
        let subscription = Subscription::new(address.to_owned())
            .with_qos(QoS::AtLeastOnce)
            .without_group();
        let stream = transport.subscribe(subscription).await?;
        let inbox = Arc::new(Inbox {
            address: address.to_owned(),
            keep: AtomicBool::new(keep),
            waiting: Mutex::default(),
            ended: AtomicBool::new(false),
            task: Mutex::new(None),
            inboxes: Arc::downgrade(self),
        });
        let task = tokio::spawn(route(stream, Arc::downgrade(&inbox)));
        *lock(&inbox.task) = Some(task.abort_handle());
        Ok(inbox)
    }

    /// Forgets `inbox` (its subscription ends when the last request holding it lets go) if it
    /// is still the one open on its address.
    fn forget(&self, inbox: &Arc<Inbox>) {
        let mut open = lock(&self.open);
        let current = open
            .get(&inbox.address)
            .and_then(|cell| cell.get())
            .is_some_and(|open| Arc::ptr_eq(open, inbox));
        if current {
            open.remove(&inbox.address);
        }
    }
}

/// Locks `mutex`, whatever a thread that panicked holding it left (the maps stay consistent:
/// every change is one insert or remove).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The requests waiting on one address.
pub(crate) struct Inbox {
    address: String,
    keep: AtomicBool,
    waiting: Mutex<Waiting>,
    /// The subscription ended (the transport closed): a request opens a new one.
    ended: AtomicBool,
    task: Mutex<Option<tokio::task::AbortHandle>>,
    inboxes: Weak<Inboxes>,
}

#[derive(Default)]
struct Waiting {
    /// By correlation id.
    requests: HashMap<String, oneshot::Sender<Incoming>>,
    /// Every place the requests on this inbox read their reply's correlation id from (one per
    /// operation at most; a handful).
    locations: Vec<Option<Location>>,
}

impl Drop for Inbox {
    fn drop(&mut self) {
        // The subscription goes with the task that reads it.
        if let Some(task) = self
            .task
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            task.abort();
        }
    }
}

impl Inbox {
    /// Registers a request waiting for the reply with correlation id `id`, read from `at`
    /// (else the transport's own correlation id). Fails when a request with the same id waits
    /// on this address already.
    pub(crate) fn expect(
        self: &Arc<Self>,
        id: &str,
        at: Option<Location>,
    ) -> Result<Expected, String> {
        let (sender, receiver) = oneshot::channel();
        let mut waiting = lock(&self.waiting);
        if self.ended.load(Ordering::Acquire) {
            return Err(format!("the reply inbox {:?} is closed", self.address));
        }
        if waiting.requests.contains_key(id) {
            return Err(format!(
                "a request with correlation id {id:?} is waiting for its reply on {:?} already",
                self.address
            ));
        }
        waiting.requests.insert(id.to_owned(), sender);
        if !waiting.locations.contains(&at) {
            waiting.locations.push(at);
        }
        Ok(Expected {
            inbox: self.clone(),
            id: id.to_owned(),
            reply: receiver,
        })
    }

    fn deliver(&self, incoming: Incoming) {
        // Acknowledged whatever becomes of it: a reply is for the process that asked, now.
        if let Some(ack) = &incoming.ack
            && let Err(error) = ack.ack()
        {
            tracing::debug!(address = %self.address, %error, "could not acknowledge a reply");
        }
        let taker = {
            let mut waiting = lock(&self.waiting);
            let ids: Vec<String> = waiting
                .locations
                .iter()
                .filter_map(|at| correlation_id_of(*at, &incoming))
                .collect();
            match ids.iter().find_map(|id| waiting.requests.remove(id)) {
                Some(sender) => Some(sender),
                // A reply without any correlation id can only be told apart when one request
                // waits.
                None if ids.is_empty() && waiting.requests.len() == 1 => {
                    let id = waiting.requests.keys().next().cloned().unwrap_or_default();
                    waiting.requests.remove(&id)
                }
                None => None,
            }
        };
        // Counted before the request can see its reply, so that what it reads next is right.
        let (routed, dropped) = match &self.inboxes.upgrade() {
            Some(inboxes) => (inboxes.routed.clone(), inboxes.dropped.clone()),
            None => (Arc::default(), Arc::default()),
        };
        let routed = match taker {
            Some(sender) => {
                routed.fetch_add(1, Ordering::Relaxed);
                let delivered = sender.send(incoming).is_ok();
                if !delivered {
                    // Its request gave up in the meantime.
                    routed.fetch_sub(1, Ordering::Relaxed);
                    dropped.fetch_add(1, Ordering::Relaxed);
                }
                delivered
            }
            None => {
                dropped.fetch_add(1, Ordering::Relaxed);
                false
            }
        };
        if !routed {
            tracing::debug!(address = %self.address, "dropped a reply nobody waits for");
        }
        crate::serve::metrics::reply(routed);
    }

    /// The subscription ended: every waiting request fails now (its sender is dropped).
    fn end(self: &Arc<Self>) {
        self.ended.store(true, Ordering::Release);
        lock(&self.waiting).requests.clear();
        if let Some(inboxes) = self.inboxes.upgrade() {
            inboxes.forget(self);
        }
    }
}

/// Reads an inbox's subscription until it ends or the inbox is dropped.
async fn route(mut stream: RawStream, inbox: Weak<Inbox>) {
    while let Some(item) = stream.next().await {
        let Some(inbox) = inbox.upgrade() else { return };
        match item {
            Ok(incoming) => inbox.deliver(incoming),
            Err(error) => {
                tracing::warn!(address = %inbox.address, %error, "reply inbox: transport error")
            }
        }
    }
    if let Some(inbox) = inbox.upgrade() {
        tracing::debug!(address = %inbox.address, "reply inbox ended");
        inbox.end();
    }
}

/// One request's place in an inbox; leaving it (dropped, timed out, answered) frees it.
pub(crate) struct Expected {
    inbox: Arc<Inbox>,
    id: String,
    reply: oneshot::Receiver<Incoming>,
}

impl Expected {
    /// The reply, or an error when the inbox's subscription ended first.
    pub(crate) async fn reply(&mut self) -> Result<Incoming, TransportError> {
        (&mut self.reply).await.map_err(|_| TransportError::Closed)
    }
}

impl Drop for Expected {
    fn drop(&mut self) {
        let now_idle = {
            let mut waiting = lock(&self.inbox.waiting);
            waiting.requests.remove(&self.id);
            waiting.requests.is_empty()
        };
        if now_idle
            && !self.inbox.keep.load(Ordering::Acquire)
            && let Some(inboxes) = self.inbox.inboxes.upgrade()
        {
            inboxes.forget(&self.inbox);
        }
    }
}
