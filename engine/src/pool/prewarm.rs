//! Pre-instantiated WASI commands. Instantiating a command costs its exec a fresh memory with the
//! data segments copied in (page faults on every page they fill: `ls` 0.9 ms, `python3` 15-25
//! ms). A parked worker can do that ahead of time, off the exec's path: a worker refilled after
//! an exec of a command instantiates that command's module (its last variant under the same
//! name and heap limit, noted here) and parks. The exec that claims it runs `_start` on that
//! instance only if it resolved to exactly that compiled module (`Arc` identity); otherwise the
//! instance is dropped unused. Each instance serves one exec, so nothing is shared between execs,
//! and instantiating runs no guest code: only command files the host provides, without a start
//! section, are prepared ([`crate::modules::Module::prewarm`]).
//!
//! ```text
//! exec `ls` (heap 256) -> resolved -> Hints::note(256, "ls", variant)
//! next exec `ls`       -> Hints::guess(256, "ls") -> claim a worker prepared with it
//!                      -> refill: a worker instantiates it, then parks with its slot
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use crate::modules::{CompiledSlot, Variant};

/// Command names remembered; beyond it the map starts over.
const MAX_HINTS: usize = 64;

/// The module last run under each command name as typed, per heap limit. Keyed by name so the
/// dispatch path looks it up without allocating. Held weakly: a module the module cache evicted
/// is not kept alive by a hint.
#[derive(Default)]
pub struct Hints {
    map: Mutex<HashMap<String, ByLimit>>,
}

/// One name's modules: (heap limit in MiB, module).
type ByLimit = Vec<(u32, Weak<Variant>)>;

impl Hints {
    /// An exec named `name` with `heap_mb` resolved to `variant`.
    pub fn note(&self, heap_mb: u32, name: &str, variant: &Arc<Variant>) {
        let weak = Arc::downgrade(variant);
        let mut map = self.map.lock();
        let Some(limits) = map.get_mut(name) else {
            if map.len() >= MAX_HINTS {
                map.clear();
            }
            map.insert(name.to_owned(), vec![(heap_mb, weak)]);
            return;
        };
        match limits.iter_mut().find(|(limit, _)| *limit == heap_mb) {
            Some((_, known)) => *known = weak,
            None => limits.push((heap_mb, weak)),
        }
    }

    /// The module an exec named `name` with `heap_mb` will probably run, once compiled.
    pub fn guess(&self, heap_mb: u32, name: &str) -> Option<Arc<Variant>> {
        let map = self.map.lock();
        let (_, weak) = map.get(name)?.iter().find(|(limit, _)| *limit == heap_mb)?;
        let variant = weak.upgrade()?;
        variant.compiled.get().is_some().then_some(variant)
    }
}

/// Whether a worker prepared with `prepared` suits a job that will probably run `guess`.
pub fn suits(prepared: &Option<CompiledSlot>, guess: Option<&Arc<Variant>>) -> bool {
    match (prepared, guess) {
        (None, None) => true,
        (Some(slot), Some(variant)) => Arc::ptr_eq(slot, &variant.compiled),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant() -> Arc<Variant> {
        Arc::new(Variant::new(bytes::Bytes::new(), None))
    }

    #[test]
    fn no_guess_before_the_module_is_compiled_or_for_another_name_or_limit() {
        let hints = Hints::default();
        let ls = variant();
        hints.note(256, "ls", &ls);
        // Filling the slot needs V8: the integration tests see the guesses that follow.
        assert!(hints.guess(256, "ls").is_none(), "not compiled yet");
        assert!(hints.guess(128, "ls").is_none());
        assert!(hints.guess(256, "cat").is_none());
    }

    #[test]
    fn a_hint_does_not_keep_its_module_alive() {
        let hints = Hints::default();
        let ls = variant();
        hints.note(256, "ls", &ls);
        let weak = Arc::downgrade(&ls);
        drop(ls);
        assert!(weak.upgrade().is_none());
        assert!(hints.guess(256, "ls").is_none());
    }

    #[test]
    fn a_prepared_worker_suits_only_its_own_module() {
        let (ls, cat) = (variant(), variant());
        let prepared = Some(ls.compiled.clone());
        assert!(suits(&prepared, Some(&ls)));
        assert!(!suits(&prepared, Some(&cat)));
        assert!(!suits(&prepared, None));
        assert!(suits(&None, None));
        assert!(!suits(&None, Some(&ls)));
    }
}
