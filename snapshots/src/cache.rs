//! The process-wide snapshot cache: one blob per digest, built at most once even when many
//! threads ask at the same time, and kept for the life of the process.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use crate::{Digest, DiskCache};

/// A snapshot blob. Leaked on purpose: V8 restores from `&'static` data without a copy, and a
/// blob stays in use until the process exits.
pub type Blob = &'static [u8];

/// Where a blob came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Already in this process.
    Memory,
    /// Read and validated from the disk cache.
    Disk,
    /// Created now (and stored to disk).
    Built,
}

/// Why a blob could not be built (the builder's error, as text: it is remembered and shared).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BuildError(pub String);

/// One digest's blob, or the remembered reason it could not be built.
type Slot = Arc<OnceLock<Result<Blob, BuildError>>>;

/// Blobs by digest.
pub struct SnapshotCache {
    disk: Option<DiskCache>,
    slots: Mutex<HashMap<Digest, Slot>>,
}

impl SnapshotCache {
    /// A cache backed by `disk` (or memory only).
    pub fn new(disk: Option<DiskCache>) -> Self {
        Self {
            disk,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The blob for `digest`, if this process already has it.
    pub fn get(&self, digest: &Digest) -> Option<Blob> {
        let slot = self.slots.lock().get(digest)?.clone();
        slot.get().and_then(|r| r.as_ref().ok().copied())
    }

    /// The blob for `digest`: from memory, else from disk, else from `build` (then stored).
    /// Concurrent callers for one digest wait for a single build.
    ///
    /// # Errors
    /// [`BuildError`] with the builder's error; it is remembered, so a failing build is not
    /// retried.
    pub fn get_or_build<E: std::fmt::Display>(
        &self,
        digest: &Digest,
        build: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<(Blob, Origin), BuildError> {
        let slot = self.slots.lock().entry(*digest).or_default().clone();
        let mut origin = Origin::Memory;
        let result = slot.get_or_init(|| {
            let (bytes, from) = self.load_or_build(digest, build)?;
            origin = from;
            Ok(&*Box::leak(bytes.into_boxed_slice()))
        });
        result.clone().map(|blob| (blob, origin))
    }

    fn load_or_build<E: std::fmt::Display>(
        &self,
        digest: &Digest,
        build: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<(Vec<u8>, Origin), BuildError> {
        if let Some(disk) = &self.disk {
            match disk.load(digest) {
                Ok(Some(bytes)) => return Ok((bytes, Origin::Disk)),
                Ok(None) => {}
                Err(e) => tracing::warn!("{e}; rebuilding"),
            }
        }
        let bytes = build().map_err(|e| BuildError(e.to_string()))?;
        if let Some(disk) = &self.disk
            && let Err(e) = disk.store(digest, &bytes)
        {
            tracing::warn!("cannot persist snapshot {}: {e}", digest.short());
        }
        Ok((bytes, Origin::Built))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn concurrent_requests_build_once() {
        let cache = Arc::new(SnapshotCache::new(None));
        let builds = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (cache, builds) = (cache.clone(), builds.clone());
                std::thread::spawn(move || {
                    cache
                        .get_or_build(&Digest([3; 32]), || -> Result<_, String> {
                            builds.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            Ok(vec![1, 2, 3])
                        })
                        .unwrap()
                        .0
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), &[1, 2, 3]);
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn disk_hit_skips_the_build_and_corruption_rebuilds() {
        let dir = std::env::temp_dir().join(format!("agentos-snapcache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let d = Digest([4; 32]);
        let first = SnapshotCache::new(Some(DiskCache::new(&dir)));
        assert_eq!(
            first
                .get_or_build(&d, || Ok::<_, String>(vec![5; 64]))
                .unwrap()
                .1,
            Origin::Built
        );
        let second = SnapshotCache::new(Some(DiskCache::new(&dir)));
        let (blob, origin) = second
            .get_or_build(&d, || Err::<Vec<u8>, _>("must not build"))
            .unwrap();
        assert_eq!((blob, origin), (&[5u8; 64][..], Origin::Disk));
        std::fs::write(DiskCache::new(&dir).path(&d), b"garbage").unwrap();
        let third = SnapshotCache::new(Some(DiskCache::new(&dir)));
        assert_eq!(
            third
                .get_or_build(&d, || Ok::<_, String>(vec![6; 8]))
                .unwrap()
                .1,
            Origin::Built
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
