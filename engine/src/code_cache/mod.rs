//! Compiled wasm code on disk, so a restarted sidecar neither validates nor compiles a command it
//! ran before.
//!
//! Two kinds of blob live beside the snapshot blobs (`snapshots::DiskCache`: each file carries its
//! key and a SHA-256 of its contents, and is written by rename):
//! - `wasm-valid-KEY.bin`: the module with BLAKE3 `content` passed [`crate::modules::validate`],
//!   and where it grows a memory ([`Grows`]), so capping needs no second read of its code;
//! - `wasm-code-KEY.bin`: V8's serialized code of that module capped at one memory limit,
//!   stored after the first exec that compiled it ran (so the functions it ran are marked for
//!   eager compilation and its optimized code is kept), and handed back to V8 on the next start.
//!
//! Keys hash the content with everything that changes what a blob means: the V8 version and the
//! engine's version and format (V8 itself refuses code built under other flags or CPU features,
//! and the module is then compiled as if there were no cache). The cache directory is trusted like
//! the snapshot blobs beside it: V8 runs the code it holds.

mod v8_code;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use agentos_snapshots::{Digest, DiskCache};
use sha2::{Digest as _, Sha256};

use crate::modules::CompiledModule;
use crate::wasm_memory::Grows;

pub(crate) use v8_code::deserialize;

/// Bump when the meaning of a blob changes (validation rules, capping, encodings here).
const FORMAT: &str = "agentos-wasm-cache-v1";

/// BLAKE3 of a module's bytes, as read (several times faster than SHA-256 over CPython's 95 MB).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentId([u8; 32]);

impl ContentId {
    /// The id of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(*blake3::hash(bytes).as_bytes())
    }
}

impl std::fmt::Debug for ContentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContentId({})", Digest(self.0).short())
    }
}

/// The process's disk cache of validated modules and compiled code.
#[derive(Debug, Clone)]
pub struct CodeCache {
    valid: DiskCache,
    code: DiskCache,
    /// Execs whose module V8 took from this cache's code.
    hits: Arc<AtomicU64>,
}

impl CodeCache {
    /// A cache in `dir` (created on the first store).
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        let dir = dir.into();
        Self {
            valid: DiskCache::of_kind(&dir, "wasm-valid"),
            code: DiskCache::of_kind(dir, "wasm-code"),
            hits: Arc::default(),
        }
    }

    /// Execs whose module V8 took from this cache's code so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Where module `content` grows a memory, if an earlier process validated it.
    pub fn grows(&self, content: ContentId) -> Option<Grows> {
        let blob = self.load(&self.valid, &key("valid", content, None))?;
        let grows = decode_grows(&blob);
        if grows.is_none() {
            tracing::warn!("wasm cache: undecodable validation record for {content:?}");
        }
        grows
    }

    /// Records that module `content` is valid and grows memories as `grows` says (in the
    /// background: the exec does not wait for the disk).
    pub fn store_grows(&self, content: ContentId, grows: &Grows) {
        let disk = self.valid.clone();
        let blob = encode_grows(grows);
        let key = key("valid", content, None);
        in_background(move || {
            store(&disk, &key, &blob);
        });
    }

    /// The key of module `content`'s code capped at `limit` bytes.
    pub fn code_key(&self, content: ContentId, limit: u64) -> CodeKey {
        CodeKey {
            cache: self.clone(),
            key: key("code", content, Some(limit)),
            progress: Arc::default(),
        }
    }

    fn load(&self, disk: &DiskCache, key: &Digest) -> Option<Vec<u8>> {
        match disk.load(key) {
            Ok(blob) => blob,
            Err(e) => {
                tracing::warn!("wasm cache: {e}; ignoring it");
                None
            }
        }
    }
}

/// Where one module variant's compiled code is kept.
#[derive(Debug, Clone)]
pub struct CodeKey {
    cache: CodeCache,
    key: Digest,
    progress: Arc<Progress>,
}

/// How far storing one variant's code got in this process.
#[derive(Debug, Default)]
struct Progress {
    /// The disk holds code as good as ours (stored, or loaded from there).
    done: AtomicBool,
    /// Execs that ended with the module compiled here.
    execs: AtomicU32,
}

/// Most execs after which a store is still tried.
const MAX_TRIED_EXECS: u32 = 1 << 12;

impl CodeKey {
    /// Whether the exec ending now should store the code: V8 serializes nothing until some
    /// function was optimized, so until a store succeeds, execs 1, 2, 4, 8... try (few tries
    /// for a module that runs often, none for one the disk already holds).
    pub fn wants_store(&self) -> bool {
        if self.progress.done.load(Ordering::Relaxed) {
            return false;
        }
        let n = self.progress.execs.fetch_add(1, Ordering::Relaxed) + 1;
        n.is_power_of_two() && n <= MAX_TRIED_EXECS
    }

    /// Notes that an exec's module came from this code (so the disk holds it).
    pub fn loaded(&self) {
        self.cache.hits.fetch_add(1, Ordering::Relaxed);
        self.progress.done.store(true, Ordering::Relaxed);
    }

    /// The serialized code, if an earlier exec stored it.
    pub fn load(&self) -> Option<Vec<u8>> {
        self.cache.load(&self.cache.code, &self.key)
    }

    /// Serializes `module`'s code and stores it, in the background.
    pub fn store(&self, module: Arc<std::sync::OnceLock<CompiledModule>>) {
        let disk = self.cache.code.clone();
        let key = self.key;
        let progress = self.progress.clone();
        in_background(move || {
            let Some(compiled) = module.get() else { return };
            match v8_code::serialize(&compiled.0) {
                Some(blob) => {
                    if store(&disk, &key, &blob) {
                        progress.done.store(true, Ordering::Relaxed);
                    }
                }
                // V8 serializes nothing until some function has optimized code: a later
                // exec tries again.
                None => tracing::debug!("wasm cache: nothing to serialize yet for {key:?}"),
            }
        });
    }
}

fn key(kind: &str, content: ContentId, limit: Option<u64>) -> Digest {
    let mut h = Sha256::new();
    let mut put = |label: &str, bytes: &[u8]| {
        h.update(label.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    put("format", FORMAT.as_bytes());
    put("engine", env!("CARGO_PKG_VERSION").as_bytes());
    put("v8", v8::V8::get_version().as_bytes());
    put("kind", kind.as_bytes());
    put("content", &content.0);
    if let Some(limit) = limit {
        put("limit", &limit.to_le_bytes());
    }
    Digest(h.finalize().into())
}

fn store(disk: &DiskCache, key: &Digest, blob: &[u8]) -> bool {
    match disk.store(key, blob) {
        Ok(path) => {
            tracing::debug!(
                "wasm cache: stored {} bytes in {}",
                blob.len(),
                path.display()
            );
            true
        }
        Err(e) => {
            tracing::warn!("wasm cache: {e}");
            false
        }
    }
}

/// Stores still being written (serializing CPython's code takes a while).
static PENDING: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

fn in_background(work: impl FnOnce() + Send + 'static) {
    *PENDING.0.lock() += 1;
    let spawned = std::thread::Builder::new()
        .name("agentos-wasm-cache".into())
        .spawn(move || {
            work();
            *PENDING.0.lock() -= 1;
            PENDING.1.notify_all();
        });
    if let Err(e) = spawned {
        *PENDING.0.lock() -= 1;
        tracing::warn!("wasm cache: no thread to store on: {e}");
    }
}

/// Waits up to `patience` for the stores under way to reach the disk (before the process exits);
/// true if none is left.
pub fn finish_stores(patience: Duration) -> bool {
    let deadline = Instant::now() + patience;
    let mut pending = PENDING.0.lock();
    while *pending > 0 {
        if PENDING.1.wait_until(&mut pending, deadline).timed_out() {
            tracing::warn!("wasm cache: exiting with {} store(s) unfinished", *pending);
            return false;
        }
    }
    true
}

/// `memories` then `bodies`, each a little-endian u32 count and values.
fn encode_grows(grows: &Grows) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 4 * (grows.memories.len() + grows.bodies.len()));
    for list in [&grows.memories, &grows.bodies] {
        out.extend_from_slice(&(list.len() as u32).to_le_bytes());
        list.iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    }
    out
}

fn decode_grows(mut blob: &[u8]) -> Option<Grows> {
    let mut take_list = || {
        let (count, rest) = blob.split_first_chunk::<4>()?;
        let count = u32::from_le_bytes(*count) as usize;
        let bytes = rest.get(..count.checked_mul(4)?)?;
        blob = &rest[bytes.len()..];
        let values = bytes.chunks_exact(4).map(|c| {
            let word: [u8; 4] = c.try_into().unwrap_or_default();
            u32::from_le_bytes(word)
        });
        Some(values.collect::<Vec<u32>>())
    };
    let memories = take_list()?;
    let bodies = take_list()?;
    blob.is_empty().then_some(Grows { memories, bodies })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_round_trip() {
        let grows = Grows {
            memories: vec![0, 3],
            bodies: vec![1, 7, 4000],
        };
        assert_eq!(decode_grows(&encode_grows(&grows)), Some(grows));
        assert_eq!(
            decode_grows(&encode_grows(&Grows::default())),
            Some(Grows::default())
        );
    }

    #[test]
    fn short_or_long_grows_records_are_refused() {
        let blob = encode_grows(&Grows {
            memories: vec![0],
            bodies: vec![2],
        });
        assert_eq!(decode_grows(&blob[..blob.len() - 1]), None);
        let mut long = blob.clone();
        long.push(0);
        assert_eq!(decode_grows(&long), None);
        assert_eq!(decode_grows(&[0xff, 0xff, 0xff, 0xff]), None);
    }

    #[test]
    fn keys_differ_by_kind_content_and_limit() {
        let a = ContentId::of(b"a");
        let b = ContentId::of(b"b");
        assert_ne!(key("code", a, Some(1)), key("code", b, Some(1)));
        assert_ne!(key("code", a, Some(1)), key("code", a, Some(2)));
        assert_ne!(key("code", a, None), key("valid", a, None));
        assert_eq!(key("code", a, Some(1)), key("code", a, Some(1)));
    }
}
