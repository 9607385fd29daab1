//! Variables whose value the shell computes when they are read: `RANDOM` (0 to 32767, from a
//! generator seeded per process from the OS's hash randomness, so two execs differ) and
//! `SECONDS` (whole seconds since the shell started), `EPOCHSECONDS` and `EPOCHREALTIME` (the
//! time now, in seconds and with microseconds). Assigning one is ignored (bash seeds and resets
//! them). `FUNCNAME` is a plain array kept by `call_function`.

use std::cell::Cell;
use std::hash::{BuildHasher, RandomState};
use std::time::Instant;

/// The computed variables of one shell process.
#[derive(Debug, Clone)]
pub(crate) struct Dynamic {
    state: Cell<u64>,
    started: Instant,
}

impl Dynamic {
    /// Fresh state for a new shell.
    pub fn new() -> Self {
        Self {
            state: Cell::new(seed()),
            started: Instant::now(),
        }
    }

    /// For a subshell: its own `RANDOM` sequence, the same `SECONDS`.
    pub fn fork(&self) -> Self {
        Self {
            state: Cell::new(seed() ^ self.next()),
            started: self.started,
        }
    }

    /// Whole seconds since the shell started.
    pub fn seconds(&self) -> u64 {
        self.started.elapsed().as_secs()
    }

    /// The value of `name`, if the shell computes it.
    pub fn value(&self, name: &str) -> Option<String> {
        match name {
            "RANDOM" => Some(((self.next() >> 33) & 0x7fff).to_string()),
            "SECONDS" => Some(self.seconds().to_string()),
            "EPOCHSECONDS" => Some(since_epoch().as_secs().to_string()),
            "EPOCHREALTIME" => {
                let now = since_epoch();
                Some(format!("{}.{:06}", now.as_secs(), now.subsec_micros()))
            }
            _ => None,
        }
    }

    /// xorshift64*: plenty for `RANDOM` (not for secrets, as in bash).
    fn next(&self) -> u64 {
        let mut x = self.state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state.set(x);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The time now, from the Unix epoch.
fn since_epoch() -> std::time::Duration {
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// A non-zero seed from the process's hash randomness.
fn seed() -> u64 {
    RandomState::new().hash_one(Instant::now()) | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_stays_in_range_and_varies() {
        let d = Dynamic::new();
        let values: Vec<u32> = (0..200)
            .map(|_| d.value("RANDOM").unwrap().parse().unwrap())
            .collect();
        assert!(values.iter().all(|&v| v <= 32767));
        assert!(values.iter().any(|&v| v != values[0]));
    }

    #[test]
    fn a_forked_shell_has_its_own_sequence() {
        let d = Dynamic::new();
        let f = d.fork();
        let a: Vec<String> = (0..4).map(|_| d.value("RANDOM").unwrap()).collect();
        let b: Vec<String> = (0..4).map(|_| f.value("RANDOM").unwrap()).collect();
        assert_ne!(a, b);
        assert_eq!(f.value("SECONDS").as_deref(), Some("0"));
        assert_eq!(d.value("OTHER"), None);
    }
}
