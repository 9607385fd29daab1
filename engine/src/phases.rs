//! Per-exec phase timers: recorded always (a clock read is cheap), reported in `ExecExited` only
//! when the engine is configured to (`AGENTOS_V8_SESSION_PHASES=1`).

use std::time::{Duration, Instant};

/// Named durations in the order they happened.
#[derive(Debug, Default, Clone)]
pub struct Phases {
    list: Vec<(&'static str, Duration)>,
}

impl Phases {
    /// Records `name` as the time since `start`, and returns now (the next phase's start).
    pub fn lap(&mut self, name: &'static str, start: Instant) -> Instant {
        let now = Instant::now();
        self.list.push((name, now - start));
        now
    }

    /// Records `name` with a known duration.
    pub fn record(&mut self, name: &'static str, took: Duration) {
        self.list.push((name, took));
    }

    /// Appends every phase of `other`.
    pub fn extend(&mut self, other: Phases) {
        self.list.extend(other.list);
    }

    /// Every phase recorded so far.
    pub fn list(&self) -> &[(&'static str, Duration)] {
        &self.list
    }
}
