//! Wasm module bytes by path, validated by a file fingerprint, with the compiled module riding
//! along so a second exec of a command instantiates without recompiling.
//!
//! A changed file (device, inode, size or mtime with nanoseconds) is re-read, never served stale.
//! The cache holds at most `capacity` modules (LRU); an eviction logs a warning with the size.
//! Bytes are validated with `wasmparser` before V8 ever sees them.

use std::collections::{HashMap, VecDeque};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use parking_lot::Mutex;

use crate::wasm_memory::CapError;

/// Compiled wasm code, shareable across isolates and threads.
pub struct CompiledModule(pub(crate) v8::CompiledWasmModule);

/// Where a guest's freshly compiled module is stored (the module cache's slot for its file).
pub type CompiledSlot = Arc<std::sync::OnceLock<CompiledModule>>;

/// Modules kept unless `AGENTOS_MODULE_CACHE_CAPACITY` says otherwise.
pub const DEFAULT_CAPACITY: usize = 64;
/// Largest module file the sidecar reads.
const MAX_MODULE_BYTES: u64 = 256 << 20;

/// What identifies one version of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Where it was read from.
    pub path: PathBuf,
    /// Its bytes, as read.
    pub bytes: Bytes,
    fingerprint: Fingerprint,
    /// The module under each memory limit it ran with.
    variants: Mutex<HashMap<u64, Arc<Variant>>>,
}

/// A module with its memories capped at one limit ([`crate::wasm_memory`]), and its compiled
/// code once an exec compiled it.
pub struct Variant {
    /// The bytes V8 compiles.
    pub bytes: Bytes,
    /// Filled by the first exec that compiles it.
    pub compiled: CompiledSlot,
}

/// Distinct memory limits a module keeps compiled code for.
const MAX_VARIANTS: usize = 8;

impl Module {
    /// The module with every memory it defines capped at `limit` bytes.
    ///
    /// # Errors
    /// [`CapError`] when a memory starts above the limit.
    pub fn capped(&self, limit: u64) -> Result<Arc<Variant>, CapError> {
        if let Some(variant) = self.variants.lock().get(&limit) {
            return Ok(variant.clone());
        }
        let capped = crate::wasm_memory::cap(&self.bytes, limit)?;
        let variant = Arc::new(Variant {
            bytes: capped.bytes.map_or_else(|| self.bytes.clone(), Bytes::from),
            compiled: CompiledSlot::default(),
        });
        let mut variants = self.variants.lock();
        if variants.len() >= MAX_VARIANTS {
            variants.clear();
        }
        Ok(variants.entry(limit).or_insert(variant).clone())
    }
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

#[derive(Default)]
struct Entries {
    by_path: HashMap<PathBuf, Arc<Module>>,
    order: VecDeque<PathBuf>,
}

/// The process's module cache.
pub struct ModuleCache {
    capacity: usize,
    entries: Mutex<Entries>,
    evictions: AtomicU64,
    compile_hits: AtomicU64,
}

impl ModuleCache {
    /// A cache of at most `capacity` modules.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            entries: Mutex::new(Entries::default()),
            evictions: AtomicU64::new(0),
            compile_hits: AtomicU64::new(0),
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
        let fingerprint = Fingerprint::of(&std::fs::metadata(path).map_err(io)?);
        if let Some(hit) = self.lookup(path, fingerprint) {
            return Ok(hit);
        }
        let bytes = read_bounded(path).map_err(io)?;
        // Fingerprint what we read: a file replaced meanwhile is caught on the next load.
        validate(&bytes, &shown)?;
        let module = Arc::new(Module {
            path: path.to_path_buf(),
            bytes: Bytes::from(bytes),
            fingerprint,
            variants: Mutex::new(HashMap::new()),
        });
        self.insert(module.clone());
        Ok(module)
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
        if let Some(hit) = self.lookup(key, fingerprint) {
            return Ok(hit);
        }
        let bytes = read().map_err(|reason| ModuleError::Io {
            path: shown.into(),
            reason,
        })?;
        validate(&bytes, shown)?;
        let module = Arc::new(Module {
            path: key.to_path_buf(),
            bytes: Bytes::from(bytes),
            fingerprint,
            variants: Mutex::new(HashMap::new()),
        });
        self.insert(module.clone());
        Ok(module)
    }

    fn lookup(&self, path: &Path, fingerprint: Fingerprint) -> Option<Arc<Module>> {
        let mut entries = self.entries.lock();
        let hit = entries.by_path.get(path)?.clone();
        if hit.fingerprint != fingerprint {
            return None;
        }
        if let Some(pos) = entries.order.iter().position(|p| p == path) {
            let key = entries.order.remove(pos)?;
            entries.order.push_back(key);
        }
        Some(hit)
    }

    fn insert(&self, module: Arc<Module>) {
        let mut entries = self.entries.lock();
        let path = module.path.clone();
        if entries.by_path.insert(path.clone(), module).is_some() {
            entries.order.retain(|p| p != &path);
        }
        entries.order.push_back(path);
        while entries.order.len() > self.capacity {
            let Some(old) = entries.order.pop_front() else {
                break;
            };
            entries.by_path.remove(&old);
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
        self.entries.lock().by_path.len()
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
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_MODULE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Checks that `bytes` are a valid WASI command module.
///
/// # Errors
/// [`ModuleError`] naming what is wrong.
pub fn validate(bytes: &[u8], shown: &str) -> Result<(), ModuleError> {
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
    wasmparser::Validator::new()
        .validate_all(bytes)
        .map_err(|e| invalid(e.to_string()))?;
    if !exports_start(bytes) {
        return Err(ModuleError::NoStart(shown.into()));
    }
    Ok(())
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
mod tests {
    use super::*;

    // (module (func (export "_start")))
    const START: &[u8] = &[
        0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, 95, 115, 116, 97,
        114, 116, 0, 0, 10, 4, 1, 2, 0, 11,
    ];

    #[test]
    fn validates_commands_and_names_what_is_wrong() {
        assert_eq!(validate(START, "x"), Ok(()));
        assert_eq!(
            validate(b"\x7fELF\x02\x01", "x"),
            Err(ModuleError::NativeBinary("x".into()))
        );
        assert_eq!(
            validate(b"MZ\x90\x00", "x"),
            Err(ModuleError::NativeBinary("x".into()))
        );
        assert_eq!(
            validate(b"#!/bin/sh", "x"),
            Err(ModuleError::NotWasm("x".into()))
        );
        assert!(matches!(
            validate(b"\0asm\x01\0\0\0\x01", "x"),
            Err(ModuleError::Invalid { .. })
        ));
        // The same module without the export.
        let empty = &[0, 97, 115, 109, 1, 0, 0, 0][..];
        assert_eq!(validate(empty, "x"), Err(ModuleError::NoStart("x".into())));
    }

    #[test]
    fn changed_file_is_reread_and_capacity_evicts() {
        let dir = std::env::temp_dir().join(format!("agentos-modules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cache = ModuleCache::new(2);
        let a = dir.join("a.wasm");
        std::fs::write(&a, START).unwrap();
        let first = cache.load(&a).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.load(&a).unwrap()));
        let mut changed = START.to_vec();
        changed.extend_from_slice(&[0, 4, 1, 120, 1, 2]); // a custom section: same code, new bytes
        std::fs::write(&a, &changed).unwrap();
        let second = cache.load(&a).unwrap();
        assert_eq!(&second.bytes[..], &changed[..]);
        for name in ["b.wasm", "c.wasm"] {
            std::fs::write(dir.join(name), START).unwrap();
            cache.load(&dir.join(name)).unwrap();
        }
        assert_eq!((cache.len(), cache.evictions()), (2, 1));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
