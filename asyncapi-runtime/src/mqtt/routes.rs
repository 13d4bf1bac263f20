//! The subscriptions of one connection and which of them a received message goes to.
//!
//! Every subscription has its own bounded buffer. A message goes to each subscription whose
//! MQTT filter matches its topic and whose channel template it fits (a dotted template is one
//! MQTT level, which `+` alone would match too widely). Several subscriptions may share a
//! filter; the broker is subscribed once per filter (at the highest QoS asked for) and
//! unsubscribed when the last of them goes. Subscriptions of a consumer group share the
//! broker's shared subscription (`$share/<group>/<filter>`), and within this connection each
//! message of a group goes to one member, in turn.
//!
//! With MQTT 5 each broker subscription carries a subscription identifier, and a PUBLISH names
//! the subscriptions it came through: Mosquitto sends an MQTT 5 client one copy per matching
//! subscription, so a message matching two filters (a dotted template's `+` and an exact
//! address) arrives twice, each copy for the subscriptions of one filter only.

use std::collections::HashMap;

use tokio::sync::mpsc;

use crate::address::mqtt_matches;
use crate::{Incoming, QoS};

/// One subscription.
#[derive(Debug)]
pub(super) struct Route {
    id: u64,
    /// The MQTT filter its template becomes.
    filter: String,
    /// What the broker is subscribed to: the filter, or `$share/<group>/<filter>`.
    pub(super) broker_filter: String,
    template: String,
    group: Option<String>,
    qos: QoS,
    /// The subscription identifier of its broker filter.
    subscription_id: usize,
    pub(super) sender: mpsc::Sender<Incoming>,
}

impl Route {
    fn wants(&self, topic: &str) -> bool {
        mqtt_matches(&self.filter, topic)
            && (!self.template.contains('{')
                || crate::address::capture_in(&self.template, topic).is_ok())
    }
}

/// What the broker is subscribed to for a group of subscriptions, or a plain filter.
pub(super) fn broker_filter(filter: &str, group: Option<&str>) -> String {
    match group {
        Some(group) => format!("$share/{group}/{filter}"),
        None => filter.to_owned(),
    }
}

/// The subscriptions of a connection.
#[derive(Debug, Default)]
pub(super) struct Routes {
    routes: Vec<Route>,
    next_id: u64,
    /// The subscription identifier of each broker filter in use.
    subscription_ids: HashMap<String, usize>,
    last_subscription_id: usize,
    /// Turns through the members of each group.
    turn: usize,
}

/// The largest MQTT 5 subscription identifier (a variable byte integer).
const MAX_SUBSCRIPTION_ID: usize = 268_435_455;

impl Routes {
    /// Adds a subscription; returns its id.
    pub(super) fn add(
        &mut self,
        filter: String,
        template: String,
        group: Option<String>,
        qos: QoS,
        sender: mpsc::Sender<Incoming>,
    ) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        let broker_filter = broker_filter(&filter, group.as_deref());
        let subscription_id = match self.subscription_ids.get(&broker_filter) {
            Some(&existing) => existing,
            None => {
                self.last_subscription_id = self.last_subscription_id % MAX_SUBSCRIPTION_ID + 1;
                self.subscription_ids
                    .insert(broker_filter.clone(), self.last_subscription_id);
                self.last_subscription_id
            }
        };
        self.routes.push(Route {
            id,
            broker_filter,
            subscription_id,
            filter,
            template,
            group,
            qos,
            sender,
        });
        id
    }

    /// Removes a subscription.
    pub(super) fn remove(&mut self, id: u64) -> Option<Route> {
        let at = self.routes.iter().position(|r| r.id == id)?;
        let route = self.routes.remove(at);
        if !self.uses(&route.broker_filter) {
            self.subscription_ids.remove(&route.broker_filter);
        }
        Some(route)
    }

    /// The subscription identifier of `broker_filter`, while in use.
    pub(super) fn subscription_id(&self, broker_filter: &str) -> Option<usize> {
        self.subscription_ids.get(broker_filter).copied()
    }

    /// Whether any subscription needs the broker subscribed to `broker_filter`.
    pub(super) fn uses(&self, broker_filter: &str) -> bool {
        self.routes.iter().any(|r| r.broker_filter == broker_filter)
    }

    /// The QoS to subscribe `broker_filter` with: the highest its subscriptions asked for.
    pub(super) fn qos_for(&self, broker_filter: &str) -> QoS {
        self.routes
            .iter()
            .filter(|r| r.broker_filter == broker_filter)
            .map(|r| r.qos)
            .max()
            .unwrap_or_default()
    }

    /// Every filter the broker must be subscribed to, once each, with its QoS and
    /// subscription identifier.
    pub(super) fn broker_filters(&self) -> Vec<(String, QoS, usize)> {
        let mut filters: Vec<(String, QoS, usize)> = Vec::new();
        for route in &self.routes {
            match filters.iter_mut().find(|(f, ..)| *f == route.broker_filter) {
                Some((_, qos, _)) => *qos = (*qos).max(route.qos),
                None => filters.push((
                    route.broker_filter.clone(),
                    route.qos,
                    route.subscription_id,
                )),
            }
        }
        filters
    }

    /// The buffers a message on `topic` goes to: every matching subscription outside groups,
    /// and one matching member per group. When the message names the subscription identifiers
    /// it came through, only subscriptions of those (a message kept from an earlier session
    /// may name identifiers nobody uses now: then every matching subscription).
    pub(super) fn targets(&mut self, topic: &str, ids: &[usize]) -> Vec<mpsc::Sender<Incoming>> {
        let by_id = !ids.is_empty() && self.routes.iter().any(|r| ids.contains(&r.subscription_id));
        let mut targets = Vec::new();
        let mut groups: Vec<(&str, Vec<&Route>)> = Vec::new();
        let matching = self
            .routes
            .iter()
            .filter(|r| (!by_id || ids.contains(&r.subscription_id)) && r.wants(topic));
        for route in matching {
            match &route.group {
                None => targets.push(route.sender.clone()),
                Some(_) => match groups.iter_mut().find(|(f, _)| *f == route.broker_filter) {
                    Some((_, members)) => members.push(route),
                    None => groups.push((&route.broker_filter, vec![route])),
                },
            }
        }
        if !groups.is_empty() {
            self.turn = self.turn.wrapping_add(1);
            for (_, members) in groups {
                targets.push(members[self.turn % members.len()].sender.clone());
            }
        }
        targets
    }

    /// The subscription `id`, if it wants a message on `topic`.
    pub(super) fn wanted_by(&self, id: u64, topic: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.id == id && r.wants(topic))
    }

    /// Drops every subscription (their streams end).
    pub(super) fn clear(&mut self) {
        self.routes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(routes: &mut Routes, template: &str, group: Option<&str>) -> mpsc::Receiver<Incoming> {
        let (sender, receiver) = mpsc::channel(4);
        routes.add(
            crate::address::mqtt_filter(template),
            template.to_owned(),
            group.map(str::to_owned),
            QoS::AtLeastOnce,
            sender,
        );
        receiver
    }

    #[test]
    fn templates_narrow_what_filters_match() {
        let mut routes = Routes::default();
        let _dim = add(&mut routes, "lights.{id}.dim", None);
        let _on = add(&mut routes, "lights.{id}.on", None);
        let _all = add(&mut routes, "lights/{id}", None);
        assert_eq!(routes.targets("lights.a.dim", &[]).len(), 1);
        assert_eq!(routes.targets("lights.a.off", &[]).len(), 0);
        assert_eq!(routes.targets("lights/a", &[]).len(), 1);
        assert_eq!(
            routes.broker_filters(),
            vec![
                ("+".to_owned(), QoS::AtLeastOnce, 1),
                ("lights/+".to_owned(), QoS::AtLeastOnce, 2)
            ]
        );
        // A copy that came through the `+` subscription only goes to its subscriptions.
        assert_eq!(routes.targets("lights/a", &[1]).len(), 0);
        assert_eq!(routes.targets("lights/a", &[2]).len(), 1);
        assert_eq!(routes.targets("lights/a", &[1, 2]).len(), 1);
        // Identifiers nobody uses (an earlier session's): matched by topic.
        assert_eq!(routes.targets("lights/a", &[9]).len(), 1);
        assert_eq!(routes.subscription_id("+"), Some(1));
    }

    #[test]
    fn group_members_take_turns() {
        let mut routes = Routes::default();
        let mut a = add(&mut routes, "jobs", Some("workers"));
        let mut b = add(&mut routes, "jobs", Some("workers"));
        let mut solo = add(&mut routes, "jobs", None);
        for i in 0..4 {
            for sender in routes.targets("jobs", &[]) {
                sender
                    .try_send(Incoming::new("jobs", format!("{i}")))
                    .unwrap();
            }
        }
        let count =
            |r: &mut mpsc::Receiver<Incoming>| std::iter::from_fn(|| r.try_recv().ok()).count();
        assert_eq!((count(&mut a), count(&mut b), count(&mut solo)), (2, 2, 4));
        assert!(routes.uses("$share/workers/jobs"));
        assert!(routes.uses("jobs"));
    }
}
