//! The warm pool's bookkeeping, as a plain struct: which workers are parked for which key, how
//! many are being started, and when no more may be. No threads, no V8: the pool's policy is unit
//! tested here (the model is wasmtime's `pooling/index_allocator.rs`).

use std::collections::HashMap;
use std::hash::Hash;

/// Parked workers (`T`: how to hand one a task) by key.
#[derive(Debug)]
pub struct Slots<K, T> {
    capacity: usize,
    max_keys: usize,
    slots: HashMap<K, Slot<T>>,
    retired: bool,
}

#[derive(Debug)]
struct Slot<T> {
    parked: Vec<T>,
    starting: usize,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self {
            parked: Vec::new(),
            starting: 0,
        }
    }
}

impl<K: Copy + Eq + Hash, T> Slots<K, T> {
    /// Room for `capacity` workers per key, for at most `max_keys` keys.
    pub fn new(capacity: usize, max_keys: usize) -> Self {
        Self {
            capacity,
            max_keys,
            slots: HashMap::new(),
            retired: false,
        }
    }

    /// Workers parked per key when full.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Takes the most recently parked worker for `key` that `suits`, else the most recently
    /// parked one.
    pub fn claim_preferring(&mut self, key: K, suits: impl Fn(&T) -> bool) -> Option<T> {
        let parked = &mut self.slots.get_mut(&key)?.parked;
        match parked.iter().rposition(suits) {
            Some(at) => Some(parked.remove(at)),
            None => parked.pop(),
        }
    }

    /// How many workers to start now so that `key` has `capacity` parked or starting; they
    /// are counted as starting from now on. Zero once retired, and for keys beyond the first
    /// `max_keys` seen (odd limits must not pin memory).
    pub fn plan_refill(&mut self, key: K) -> usize {
        if self.retired || self.capacity == 0 {
            return 0;
        }
        if !self.slots.contains_key(&key) && self.slots.len() >= self.max_keys {
            return 0;
        }
        let slot = self.slots.entry(key).or_default();
        let wanted = self
            .capacity
            .saturating_sub(slot.parked.len() + slot.starting);
        slot.starting += wanted;
        wanted
    }

    /// A planned start for `key` did not happen.
    pub fn unstart(&mut self, key: K) {
        if let Some(slot) = self.slots.get_mut(&key) {
            slot.starting = slot.starting.saturating_sub(1);
        }
    }

    /// A started worker for `key` is ready: it is parked, or given back once retired.
    ///
    /// # Errors
    /// The worker, when the pool is retired (dropping it sends the worker home).
    pub fn park(&mut self, key: K, worker: T) -> Result<(), T> {
        if self.retired {
            return Err(worker);
        }
        let slot = self.slots.entry(key).or_default();
        slot.starting = slot.starting.saturating_sub(1);
        slot.parked.push(worker);
        Ok(())
    }

    /// Takes one parked worker of the key with the most parked (to send it home).
    pub fn evict(&mut self) -> Option<T> {
        let slot = self
            .slots
            .values_mut()
            .max_by_key(|slot| slot.parked.len())?;
        slot.parked.pop()
    }

    /// Stops the pool: every parked worker is handed back, and nothing is started again.
    pub fn retire(&mut self) -> Vec<T> {
        self.retired = true;
        self.slots
            .drain()
            .flat_map(|(_, slot)| slot.parked)
            .collect()
    }

    /// Workers parked for `key`.
    pub fn parked_for(&self, key: K) -> usize {
        self.slots.get(&key).map_or(0, |s| s.parked.len())
    }

    /// Workers parked over all keys.
    pub fn parked(&self) -> usize {
        self.slots.values().map(|s| s.parked.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim with no preference: the most recently parked worker.
    fn claim<T>(slots: &mut Slots<u32, T>, key: u32) -> Option<T> {
        slots.claim_preferring(key, |_| false)
    }

    #[test]
    fn a_refill_plans_up_to_capacity_counting_starting_workers() {
        let mut slots: Slots<u32, &str> = Slots::new(2, 8);
        assert_eq!(slots.plan_refill(1), 2);
        assert_eq!(slots.plan_refill(1), 0, "two are already starting");
        slots.park(1, "a").unwrap();
        assert_eq!(slots.plan_refill(1), 0, "one parked, one starting");
        slots.park(1, "b").unwrap();
        assert_eq!(claim(&mut slots, 1), Some("b"));
        assert_eq!(slots.plan_refill(1), 1);
    }

    #[test]
    fn a_failed_start_frees_its_place() {
        let mut slots: Slots<u32, ()> = Slots::new(1, 8);
        assert_eq!(slots.plan_refill(1), 1);
        slots.unstart(1);
        assert_eq!(slots.plan_refill(1), 1);
    }

    #[test]
    fn claims_take_the_newest_parked_worker_and_miss_when_empty() {
        let mut slots: Slots<u32, u8> = Slots::new(2, 8);
        slots.plan_refill(7);
        slots.park(7, 1).unwrap();
        slots.park(7, 2).unwrap();
        assert_eq!(slots.parked_for(7), 2);
        assert_eq!(
            (
                claim(&mut slots, 7),
                claim(&mut slots, 7),
                claim(&mut slots, 7)
            ),
            (Some(2), Some(1), None)
        );
        assert_eq!(claim(&mut slots, 8), None, "another key has its own slot");
    }

    #[test]
    fn a_preferring_claim_takes_the_newest_suitable_worker_else_the_newest() {
        let mut slots: Slots<u32, &str> = Slots::new(3, 8);
        slots.plan_refill(1);
        for worker in ["ls-a", "plain", "ls-b"] {
            slots.park(1, worker).unwrap();
        }
        let plain = |w: &&str| *w == "plain";
        let ls = |w: &&str| w.starts_with("ls");
        assert_eq!(slots.claim_preferring(1, plain), Some("plain"));
        assert_eq!(slots.claim_preferring(1, ls), Some("ls-b"));
        assert_eq!(
            slots.claim_preferring(1, plain),
            Some("ls-a"),
            "none suits: the newest"
        );
        assert_eq!(slots.claim_preferring(1, plain), None);
    }

    #[test]
    fn keys_beyond_the_maximum_are_never_pooled() {
        let mut slots: Slots<u32, ()> = Slots::new(1, 2);
        assert_eq!(slots.plan_refill(1), 1);
        assert_eq!(slots.plan_refill(2), 1);
        assert_eq!(slots.plan_refill(3), 0);
        assert_eq!(slots.plan_refill(1), 0, "known keys keep their slot");
    }

    #[test]
    fn a_pool_of_capacity_zero_starts_nothing() {
        let mut slots: Slots<u32, ()> = Slots::new(0, 8);
        assert_eq!(slots.plan_refill(1), 0);
    }

    #[test]
    fn retiring_hands_back_parked_workers_and_refuses_new_ones() {
        let mut slots: Slots<u32, &str> = Slots::new(2, 8);
        slots.plan_refill(1);
        slots.park(1, "a").unwrap();
        assert_eq!(slots.retire(), vec!["a"]);
        assert_eq!(slots.park(1, "late"), Err("late"));
        assert_eq!(slots.plan_refill(1), 0);
        assert_eq!(slots.parked(), 0);
    }
}
