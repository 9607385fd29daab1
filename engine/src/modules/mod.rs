//! Wasm module bytes by file identity, with the compiled module riding along so a second exec of
//! a command instantiates without recompiling.
//!
//! A host file is found by its identity (device, inode, size, mtime with nanoseconds) after
//! symlinks are followed, so every name of one file (`python.wasm -> python3.wasm`, a hard link,
//! another command dir's path to it) shares one entry and one compiled module. A guest's module
//! is found by its guest path and identity. A changed file is re-read, never served stale, and the
//! entry of what a path held before is dropped once no other loaded path names it.
//! The cache holds at most `capacity` modules (LRU); an eviction logs a warning with the size.
//! Bytes are validated with `wasmparser` before V8 ever sees them.

mod held;

use std::collections::{HashMap, VecDeque};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use parking_lot::Mutex;

use crate::code_cache::{CodeCache, CodeKey, ContentId};
use crate::wasm_memory::{CapError, Grows};
use held::{HeldBytes, Reread};

/// Compiled wasm code, shareable across isolates and threads.
pub struct CompiledModule(pub(crate) v8::CompiledWasmModule);

/// Where a guest's freshly compiled module is stored (the module cache's slot for its file).
pub type CompiledSlot = Arc<std::sync::OnceLock<CompiledModule>>;

/// Modules kept unless `AGENTOS_MODULE_CACHE_CAPACITY` says otherwise.
pub const DEFAULT_CAPACITY: usize = 64;
/// Largest module file the sidecar reads.
const MAX_MODULE_BYTES: u64 = 256 << 20;

/// What identifies one version of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl Fingerprint {
    /// The fingerprint of a file the sandbox stat'ed (a guest path).
    pub fn of_guest(stat: &agentos_sandbox::FileStat) -> Self {
        Self {
            dev: stat.dev,
            ino: stat.ino,
            size: stat.size,
            mtime_ns: i128::from(stat.mtim),
        }
    }

    fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
        }
    }
}

/// A validated module.
pub struct Module {
    /// Where it was read from (the first of its names loaded).
    pub path: PathBuf,
    /// Its bytes, as read: released once an exec compiled it, read again if needed ([`held`]).
    bytes: HeldBytes,
    /// Where it grows a memory (found by [`validate`]).
    grows: Grows,
    /// The module under each memory limit it ran with.
    variants: Mutex<HashMap<u64, Arc<Variant>>>,
    /// The disk cache and this module's id there, when there is one.
    disk: Option<(CodeCache, ContentId)>,
    /// Whether a parked worker may instantiate it ahead of an exec (`pool/prewarm.rs`): a
    /// command file the host provides, with no start section (instantiating it runs no guest
    /// code). A guest's own modules never are.
    prewarm: bool,
}

/// A module with its memories capped at one limit ([`crate::wasm_memory`]), and its compiled
/// code once an exec compiled it.
pub struct Variant {
    /// The bytes V8 compiles, until it has: then V8 holds its own copy.
    bytes: Mutex<Option<Bytes>>,
    /// Filled by the first exec that compiles it.
    pub compiled: CompiledSlot,
    /// Where its compiled code is kept on disk, when there is a disk cache.
    pub disk: Option<CodeKey>,
}

/// Distinct memory limits a module keeps compiled code for.
const MAX_VARIANTS: usize = 8;

impl Module {
    /// Whether a parked worker may instantiate it ahead of an exec (see the field).
    pub fn prewarm(&self) -> bool {
        self.prewarm
    }

    /// Its bytes, as read (read again if they were released).
    ///
    /// # Errors
    /// [`ModuleError::Io`] when they were released and the file cannot be read again as it was.
    pub fn bytes(&self) -> Result<Bytes, ModuleError> {
        self.bytes.get()
    }

    /// The module with every memory it defines capped at `limit` bytes.
    ///
    /// # Errors
    /// [`VariantError`] when a memory starts above the limit, or the bytes (released) cannot be
    /// read again.
    pub fn capped(&self, limit: u64) -> Result<Arc<Variant>, VariantError> {
        if let Some(variant) = self.variants.lock().get(&limit) {
            return Ok(variant.clone());
        }
        let bytes = self.bytes()?;
        let capped = crate::wasm_memory::cap_known(&bytes, limit, &self.grows)?;
        let variant = Arc::new(Variant::new(
            capped.bytes.map_or(bytes, Bytes::from),
            (self.disk.as_ref()).map(|(cache, id)| cache.code_key(*id, limit)),
        ));
        let mut variants = self.variants.lock();
        if variants.len() >= MAX_VARIANTS {
            variants.clear();
        }
        Ok(variants.entry(limit).or_insert(variant).clone())
    }

    /// Once `variant`'s code is compiled, releases the bytes V8 now holds a copy of (the
    /// variant's, and this module's if the file can be read again).
    pub fn release_compiled(&self, variant: &Variant) {
        if variant.release_if_compiled() {
            self.bytes.release();
        }
    }
}

impl Variant {
    /// `bytes` to compile, not compiled yet; its code kept on disk under `disk`.
    pub(crate) fn new(bytes: Bytes, disk: Option<CodeKey>) -> Self {
        Self {
            bytes: Mutex::new(Some(bytes)),
            compiled: CompiledSlot::default(),
            disk,
        }
    }

    /// The bytes to compile, or `None` once the code is compiled (use [`Variant::compiled`]).
    pub fn bytes(&self) -> Option<Bytes> {
        self.bytes.lock().clone()
    }

    /// Lets go of the bytes if the code is compiled (freed off the exec's thread); true if it is.
    fn release_if_compiled(&self) -> bool {
        let compiled = self.compiled.get().is_some();
        if compiled && let Some(bytes) = self.bytes.lock().take() {
            crate::heap_trim::release(bytes);
        }
        compiled
    }
}

/// Why a module cannot run under a memory limit.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    /// A memory starts above the limit (or the sections do not parse).
    #[error(transparent)]
    Cap(#[from] CapError),
    /// The module's bytes were released and cannot be read again as they were.
    #[error(transparent)]
    Module(#[from] ModuleError),
}

/// Why a file cannot run as a command.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModuleError {
    /// Reading failed.
    #[error("cannot read {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The OS's reason.
        reason: String,
    },
    /// A native executable.
    #[error("{0}: native binaries are not supported (only WebAssembly commands run here)")]
    NativeBinary(String),
    /// Not WebAssembly at all.
    #[error("{0}: not a WebAssembly module")]
    NotWasm(String),
    /// WebAssembly that does not validate, or is too large.
    #[error("{path}: invalid WebAssembly module: {reason}")]
    Invalid {
        /// The file.
        path: String,
        /// What `wasmparser` found.
        reason: String,
    },
    /// No `_start` function to run.
    #[error("{0}: not a WASI command: no `_start` function export")]
    NoStart(String),
}

/// What a cached module is found by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// A guest module's cache path; `None` for a host file (any of its names).
    guest: Option<PathBuf>,
    id: Fingerprint,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<Key, Arc<Module>>,
    /// Least recently used first.
    order: VecDeque<Key>,
    /// The key each path was last loaded as.
    paths: HashMap<PathBuf, Key>,
}

impl Entries {
    /// Records that `path` now holds `key`; what it held before is dropped unless another path
    /// still names it.
    fn name(&mut self, path: &Path, key: &Key) {
        let Some(old) = self.paths.insert(path.to_path_buf(), key.clone()) else {
            return;
        };
        if &old != key && !self.paths.values().any(|k| k == &old) {
            self.by_key.remove(&old);
            self.order.retain(|k| k != &old);
        }
    }

    /// Drops the least recently used entry; the path it was read from.
    fn evict_oldest(&mut self) -> Option<PathBuf> {
        let old = self.order.pop_front()?;
        self.paths.retain(|_, k| k != &old);
        Some(
            self.by_key
                .remove(&old)
                .map(|m| m.path.clone())
                .unwrap_or_default(),
        )
    }
}

/// The process's module cache.
pub struct ModuleCache {
    capacity: usize,
    /// Validation records and compiled code kept across restarts.
    disk: Option<CodeCache>,
    entries: Mutex<Entries>,
    evictions: AtomicU64,
    compile_hits: AtomicU64,
}

impl ModuleCache {
    /// A cache of at most `capacity` modules.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            disk: None,
            entries: Mutex::new(Entries::default()),
            evictions: AtomicU64::new(0),
            compile_hits: AtomicU64::new(0),
        }
    }

    /// The same cache, keeping what it validates and compiles in `disk` too.
    pub fn with_disk(self, disk: CodeCache) -> Self {
        Self {
            disk: Some(disk),
            ..self
        }
    }

    /// The module at `path`, from the cache when the file is unchanged.
    ///
    /// # Errors
    /// [`ModuleError`] when the file cannot be read or is not a valid WASI command.
    pub fn load(&self, path: &Path) -> Result<Arc<Module>, ModuleError> {
        let shown = path.display().to_string();
        let io = |e: std::io::Error| ModuleError::Io {
            path: shown.clone(),
            reason: e.kind().to_string(),
        };
        let key = Key {
            guest: None,
            id: Fingerprint::of(&std::fs::metadata(path).map_err(io)?),
        };
        if let Some(hit) = self.lookup(path, &key) {
            return Ok(hit);
        }
        let bytes = read_bounded(path).map_err(io)?;
        // Fingerprint what we read: a file replaced meanwhile is caught on the next load.
        let disk = self.disk.clone();
        self.admit(path, key, bytes, &shown, disk)
    }

    /// The module at guest path `path` (key `key`), from the cache while `fingerprint` is
    /// unchanged; `read` gives its bytes on a miss.
    ///
    /// # Errors
    /// [`ModuleError`] when `read` fails or the bytes are not a valid WASI command.
    pub fn load_guest(
        &self,
        key: &Path,
        shown: &str,
        fingerprint: Fingerprint,
        read: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Arc<Module>, ModuleError> {
        let path = key;
        let key = Key {
            guest: Some(path.to_path_buf()),
            id: fingerprint,
        };
        if let Some(hit) = self.lookup(path, &key) {
            return Ok(hit);
        }
        let bytes = read().map_err(|reason| ModuleError::Io {
            path: shown.into(),
            reason,
        })?;
        // Never on disk: a guest could fill the host's cache directory with modules it writes.
        self.admit(path, key, bytes, shown, None)
    }

    /// Validates `bytes` read for `path` and caches them under `key` (and in `disk`, if given).
    fn admit(
        &self,
        path: &Path,
        key: Key,
        bytes: Vec<u8>,
        shown: &str,
        disk: Option<CodeCache>,
    ) -> Result<Arc<Module>, ModuleError> {
        let disk = disk.map(|cache| (cache, ContentId::of(&bytes)));
        let grows = validate_once(&bytes, shown, disk.as_ref())?;
        let prewarm = key.guest.is_none() && !has_start_section(&bytes);
        let reread = key.guest.is_none().then(|| Reread {
            path: path.to_path_buf(),
            id: key.id,
            content: disk.as_ref().map(|(_, id)| *id),
        });
        let module = Arc::new(Module {
            path: path.to_path_buf(),
            bytes: HeldBytes::new(Bytes::from(bytes), reread),
            grows,
            variants: Mutex::new(HashMap::new()),
            disk,
            prewarm,
        });
        self.insert(path, key, module.clone());
        Ok(module)
    }

    fn lookup(&self, path: &Path, key: &Key) -> Option<Arc<Module>> {
        let mut entries = self.entries.lock();
        let hit = entries.by_key.get(key)?.clone();
        entries.name(path, key);
        if let Some(pos) = entries.order.iter().position(|k| k == key) {
            let key = entries.order.remove(pos)?;
            entries.order.push_back(key);
        }
        Some(hit)
    }

    fn insert(&self, path: &Path, key: Key, module: Arc<Module>) {
        let mut entries = self.entries.lock();
        entries.name(path, &key);
        if entries.by_key.insert(key.clone(), module).is_some() {
            entries.order.retain(|k| k != &key);
        }
        entries.order.push_back(key);
        while entries.order.len() > self.capacity {
            let Some(old) = entries.evict_oldest() else {
                break;
            };
            self.evictions.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                "module cache full ({} entries): evicting {}",
                self.capacity,
                old.display()
            );
        }
    }

    /// Modules held now.
    pub fn len(&self) -> usize {
        self.entries.lock().by_key.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Modules evicted so far.
    pub fn evictions(&self) -> u64 {
        self.evictions.load(Ordering::Relaxed)
    }

    /// Counts execs that instantiated a cached compiled module instead of compiling.
    pub fn compile_hits(&self) -> &AtomicU64 {
        &self.compile_hits
    }

    /// Execs whose module came from the disk cache's compiled code.
    pub fn disk_hits(&self) -> u64 {
        self.disk.as_ref().map_or(0, CodeCache::hits)
    }
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_MODULE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`validate`], unless the disk cache says an earlier process did (for these very bytes).
fn validate_once(
    bytes: &[u8],
    shown: &str,
    disk: Option<&(CodeCache, ContentId)>,
) -> Result<Grows, ModuleError> {
    let Some((cache, id)) = disk else {
        return validate(bytes, shown);
    };
    if let Some(grows) = cache.grows(*id) {
        return Ok(grows);
    }
    let grows = validate(bytes, shown)?;
    cache.store_grows(*id, &grows);
    Ok(grows)
}

/// Checks that `bytes` are a valid WASI command module, and notes where it grows a memory (so
/// capping its memories need not read its code again).
///
/// # Errors
/// [`ModuleError`] naming what is wrong.
pub fn validate(bytes: &[u8], shown: &str) -> Result<Grows, ModuleError> {
    let native = [
        &b"\x7fELF"[..],
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
        b"MZ",
    ];
    if native.iter().any(|magic| bytes.starts_with(magic)) {
        return Err(ModuleError::NativeBinary(shown.into()));
    }
    if !bytes.starts_with(b"\0asm") {
        return Err(ModuleError::NotWasm(shown.into()));
    }
    let invalid = |reason: String| ModuleError::Invalid {
        path: shown.into(),
        reason,
    };
    if bytes.len() as u64 > MAX_MODULE_BYTES {
        return Err(invalid(format!("larger than {MAX_MODULE_BYTES} bytes")));
    }
    let grows =
        crate::wasm_memory::validate_noting_grows(bytes).map_err(|e| invalid(e.to_string()))?;
    if !exports_start(bytes) {
        return Err(ModuleError::NoStart(shown.into()));
    }
    Ok(grows)
}

/// Whether a (validated) module has a start section: a function instantiation runs.
fn has_start_section(bytes: &[u8]) -> bool {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::StartSection { .. }) => return true,
            // The start section comes before the code; an error cannot happen once validated.
            Ok(wasmparser::Payload::CodeSectionStart { .. }) | Err(_) => return false,
            Ok(_) => {}
        }
    }
    false
}

fn exports_start(bytes: &[u8]) -> bool {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Ok(wasmparser::Payload::ExportSection(exports)) = payload else {
            continue;
        };
        return exports.into_iter().flatten().any(|export| {
            export.name == "_start" && export.kind == wasmparser::ExternalKind::Func
        });
    }
    false
}

#[cfg(test)]
mod tests;
