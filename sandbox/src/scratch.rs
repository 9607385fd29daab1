//! `/tmp` for an exec: a private, writable directory of bounded size, gone when the exec ends.
//!
//! Tools expect a `/tmp` (`mktemp`, Python's `tempfile`, Node's `os.tmpdir()`, `sort`'s spill
//! files). A [`Scratch`] is a directory in this process's skeleton store (`skeletons.rs`: a
//! crashed process's are swept by the next), mounted writable at `/tmp` by whoever holds it
//! (the engine, for every guest of one exec), and removed with everything in it when the last
//! holder drops it (by a thread of its own when it holds anything).
//!
//! Its size is bounded: every sandbox over the directory charges what a guest adds, a file's
//! growth by `fd_write`, `fd_pwrite` and `fd_filestat_set_size` (its size, so a sparse write far
//! past the end is charged as if written) and [`ENTRY_COST`] for each name made. Nothing is
//! refunded as it goes: when a charge would pass the limit, the directory is measured again
//! (what removals freed comes back) and the charge fails with `NOSPC` ("No space left on
//! device") only if it still does not fit. Guests writing at the same time may pass the limit
//! by what they write at once (at most [`crate::MAX_IO`] each).

use std::collections::{HashMap, HashSet};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use crate::{Errno, Preopen};

/// What one name (a file, directory or link) costs, whatever it holds: a directory block.
pub const ENTRY_COST: u64 = 4096;

/// Where a scratch directory is mounted.
pub const GUEST_PATH: &str = "/tmp";

/// The scratch directories alive in this process, by host path.
static LIVE: Mutex<Option<HashMap<PathBuf, Weak<Scratch>>>> = Mutex::new(None);

/// Numbers scratch directories within the process.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// One exec's `/tmp` (see the module's documentation).
#[derive(Debug)]
pub struct Scratch {
    dir: PathBuf,
    limit: u64,
    used: AtomicU64,
}

impl Scratch {
    /// A fresh, empty directory holding at most `limit` bytes.
    ///
    /// # Errors
    /// When the directory cannot be made.
    pub fn new(limit: u64) -> io::Result<Arc<Self>> {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = crate::skeletons::in_store(|store| {
            let dir = store.join(format!("tmp-{n}"));
            std::fs::create_dir(&dir)?;
            Ok(dir)
        })?;
        let scratch = Arc::new(Self {
            dir: dir.clone(),
            limit,
            used: AtomicU64::new(0),
        });
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        live.get_or_insert_default()
            .insert(dir, Arc::downgrade(&scratch));
        Ok(scratch)
    }

    /// Makes in it the directories that lead to each of `mounts` beneath [`GUEST_PATH`] (`u2`
    /// for a mount at `/tmp/u2`), so that `ls /tmp` lists them and `..` climbs through them; the
    /// mounts themselves, longer prefixes, still answer for their own paths.
    ///
    /// # Errors
    /// When a directory cannot be made.
    pub fn make_mount_points(&self, mounts: &[Preopen]) -> io::Result<()> {
        let base = crate::root::components(GUEST_PATH);
        for mount in mounts {
            let parts = crate::root::components(&mount.guest);
            if parts.len() > base.len() && parts.starts_with(&base) {
                let dir = parts[base.len()..]
                    .iter()
                    .fold(self.dir.clone(), |dir, part| dir.join(part));
                std::fs::create_dir_all(dir)?;
            }
        }
        Ok(())
    }

    /// The preopen that mounts it at [`GUEST_PATH`].
    pub fn preopen(&self) -> Preopen {
        Preopen {
            host: self.dir.clone(),
            guest: GUEST_PATH.into(),
            read_only: false,
        }
    }

    /// Its limit, in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Charges `bytes` more (see the module's documentation).
    ///
    /// # Errors
    /// `NOSPC` when they do not fit even after measuring the directory again.
    pub(crate) fn charge(&self, bytes: u64) -> Result<(), Errno> {
        if bytes == 0 || self.try_add(bytes) {
            return Ok(());
        }
        self.used.store(measure(&self.dir), Ordering::Relaxed);
        if self.try_add(bytes) {
            Ok(())
        } else {
            Err(Errno::NOSPC)
        }
    }

    fn try_add(&self, bytes: u64) -> bool {
        let added = self
            .used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(bytes).filter(|total| *total <= self.limit)
            });
        added.is_ok()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(live) = live.as_mut() {
            live.remove(&self.dir);
        }
        drop(live);
        // Empty (the common case): gone now. Else renamed aside and removed by a thread of its
        // own, so a full `/tmp` of small files does not hold up the worker that dropped it.
        if std::fs::remove_dir(&self.dir).is_ok() {
            return;
        }
        let aside = self.dir.with_extension("removing");
        let doomed = match std::fs::rename(&self.dir, &aside) {
            Ok(()) => aside,
            Err(_) => self.dir.clone(),
        };
        let removed = std::thread::Builder::new()
            .name("agentos-tmp-removal".into())
            .spawn({
                let doomed = doomed.clone();
                move || std::fs::remove_dir_all(doomed)
            });
        if removed.is_err() {
            let _ = std::fs::remove_dir_all(doomed);
        }
    }
}

/// The scratch directory at host path `dir`, if one is alive there.
pub(crate) fn at(dir: &Path) -> Option<Arc<Scratch>> {
    let live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
    live.as_ref()?.get(dir)?.upgrade()
}

/// What the tree at `dir` holds by the charging rules: each file's size once (hard links
/// counted once) and [`ENTRY_COST`] per name.
fn measure(dir: &Path) -> u64 {
    let mut seen = HashSet::new();
    let mut total = 0u64;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            total = total.saturating_add(ENTRY_COST);
            if meta.is_dir() {
                stack.push(entry.path());
            } else if meta.is_file() && seen.insert((meta.dev(), meta.ino())) {
                total = total.saturating_add(meta.len());
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_past_the_limit_fails_until_removals_free_room() {
        let scratch = Scratch::new(3 * ENTRY_COST).expect("scratch");
        let file = scratch.dir.join("f");
        std::fs::write(&file, vec![0u8; 2 * ENTRY_COST as usize]).expect("write");
        scratch.charge(3 * ENTRY_COST).expect("first charge fits");
        assert_eq!(scratch.charge(1), Err(Errno::NOSPC));
        std::fs::remove_file(&file).expect("remove");
        scratch.charge(1).expect("fits once measured again");
    }

    #[test]
    fn a_scratch_directory_is_removed_with_what_it_holds_when_dropped() {
        let scratch = Scratch::new(1 << 20).expect("scratch");
        let dir = scratch.dir.clone();
        std::fs::create_dir(dir.join("sub")).expect("mkdir");
        std::fs::write(dir.join("sub/f"), "x").expect("write");
        assert!(at(&dir).is_some());
        drop(scratch);
        assert!(at(&dir).is_none());
        // Removed in the background: wait for it, a while at most.
        let aside = dir.with_extension("removing");
        let gone = (0..200).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(10));
            !dir.exists() && !aside.exists()
        });
        assert!(gone, "{dir:?}");
    }

    #[test]
    fn hard_links_are_measured_once() {
        let scratch = Scratch::new(1 << 20).expect("scratch");
        std::fs::write(scratch.dir.join("a"), vec![1u8; 1000]).expect("write");
        std::fs::hard_link(scratch.dir.join("a"), scratch.dir.join("b")).expect("link");
        assert_eq!(measure(&scratch.dir), 1000 + 2 * ENTRY_COST);
    }
}
