//! Which offset a consumer group may commit, given the records the application acknowledged.
//!
//! Kafka commits a position per partition ("everything before this has been handled"), while
//! the application acknowledges records one by one, perhaps out of order (manual acks). The
//! tracker keeps, per assigned partition, the records handed out and not yet acknowledged; the
//! position to store is the lowest of those, or one past the highest acknowledged when none is
//! outstanding. It only moves forward.
//!
//! Each assignment of a partition is a new generation: an acknowledgement of a record handed
//! out before the partition was revoked (and perhaps assigned back) changes nothing, since the
//! group has moved on from that read (the record comes again: at least once).

use std::collections::{BTreeSet, HashMap};

/// A generation that never matches an assignment (records of partitions no longer assigned).
pub(crate) const NO_GENERATION: u64 = 0;

#[derive(Debug, Default)]
pub(crate) struct Tracker {
    last_generation: u64,
    /// By topic, then partition (looked up without allocating).
    partitions: HashMap<String, HashMap<i32, Partition>>,
}

#[derive(Debug)]
struct Partition {
    generation: u64,
    /// Offsets handed out and not acknowledged yet.
    outstanding: BTreeSet<i64>,
    /// One past the highest acknowledged offset.
    acknowledged: Option<i64>,
    /// The last position stored for the commit.
    stored: Option<i64>,
}

impl Tracker {
    /// A partition was assigned: a new generation of it starts.
    pub fn assign(&mut self, topic: &str, partition: i32) {
        self.last_generation += 1;
        self.partitions.entry(topic.to_owned()).or_default().insert(
            partition,
            Partition {
                generation: self.last_generation,
                outstanding: BTreeSet::new(),
                acknowledged: None,
                stored: None,
            },
        );
    }

    /// The generation of a partition's current assignment; `None` when it is not assigned.
    pub fn generation(&self, topic: &str, partition: i32) -> Option<u64> {
        self.get(topic, partition).map(|state| state.generation)
    }

    /// A partition was revoked.
    pub fn revoke(&mut self, topic: &str, partition: i32) {
        if let Some(partitions) = self.partitions.get_mut(topic) {
            partitions.remove(&partition);
            if partitions.is_empty() {
                self.partitions.remove(topic);
            }
        }
    }

    /// A record is handed to the application; returns the generation its acknowledgement names.
    pub fn handed_out(&mut self, topic: &str, partition: i32, offset: i64) -> u64 {
        match self.get_mut(topic, partition) {
            Some(state) => {
                state.outstanding.insert(offset);
                state.generation
            }
            None => NO_GENERATION,
        }
    }

    /// A record was acknowledged; returns the position to store when it moved forward.
    pub fn acknowledge(
        &mut self,
        topic: &str,
        partition: i32,
        generation: u64,
        offset: i64,
    ) -> Option<i64> {
        let state = self.get_mut(topic, partition)?;
        if state.generation != generation || !state.outstanding.remove(&offset) {
            return None;
        }
        let next = offset + 1;
        state.acknowledged = Some(state.acknowledged.map_or(next, |a| a.max(next)));
        let position = match state.outstanding.first() {
            Some(&lowest) => lowest,
            None => state.acknowledged?,
        };
        if state.stored.is_some_and(|stored| stored >= position) {
            return None;
        }
        state.stored = Some(position);
        Some(position)
    }

    fn get(&self, topic: &str, partition: i32) -> Option<&Partition> {
        self.partitions.get(topic)?.get(&partition)
    }

    fn get_mut(&mut self, topic: &str, partition: i32) -> Option<&mut Partition> {
        self.partitions.get_mut(topic)?.get_mut(&partition)
    }

    /// A record the subscription does not want (its topic matches the pattern but not the
    /// template): handled as far as the group is concerned.
    pub fn skip(&mut self, topic: &str, partition: i32, offset: i64) -> Option<i64> {
        let generation = self.handed_out(topic, partition, offset);
        self.acknowledge(topic, partition, generation, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_acknowledgements_store_one_past_each() {
        let mut tracker = Tracker::default();
        tracker.assign("t", 0);
        let g = tracker.handed_out("t", 0, 10);
        assert_eq!(tracker.handed_out("t", 0, 11), g);
        assert_eq!(tracker.acknowledge("t", 0, g, 10), Some(11));
        assert_eq!(tracker.acknowledge("t", 0, g, 11), Some(12));
        // Twice changes nothing.
        assert_eq!(tracker.acknowledge("t", 0, g, 11), None);
    }

    #[test]
    fn a_gap_holds_the_position_back_until_it_is_filled() {
        let mut tracker = Tracker::default();
        tracker.assign("t", 0);
        let g = tracker.handed_out("t", 0, 0);
        tracker.handed_out("t", 0, 1);
        tracker.handed_out("t", 0, 2);
        // 2 before 0 and 1: nothing before 0 may be committed past.
        assert_eq!(tracker.acknowledge("t", 0, g, 2), Some(0));
        assert_eq!(tracker.acknowledge("t", 0, g, 1), None);
        assert_eq!(tracker.acknowledge("t", 0, g, 0), Some(3));
    }

    #[test]
    fn acknowledgements_from_an_earlier_assignment_change_nothing() {
        let mut tracker = Tracker::default();
        tracker.assign("t", 0);
        let old = tracker.handed_out("t", 0, 5);
        tracker.revoke("t", 0);
        assert_eq!(tracker.acknowledge("t", 0, old, 5), None);
        tracker.assign("t", 0);
        let new = tracker.handed_out("t", 0, 5);
        assert_ne!(old, new);
        assert_eq!(tracker.acknowledge("t", 0, old, 5), None);
        assert_eq!(tracker.acknowledge("t", 0, new, 5), Some(6));
        assert_eq!(tracker.handed_out("u", 0, 1), NO_GENERATION);
    }

    #[test]
    fn skipped_records_move_the_position_like_acknowledged_ones() {
        let mut tracker = Tracker::default();
        tracker.assign("t", 1);
        let g = tracker.handed_out("t", 1, 0);
        assert_eq!(tracker.skip("t", 1, 1), Some(0));
        assert_eq!(tracker.acknowledge("t", 1, g, 0), Some(2));
        assert_eq!(tracker.skip("t", 1, 2), Some(3));
    }
}
