//! Where isolates come from: the snapshot policy (`AGENTOS_WASM_SNAPSHOT_RUNNER`), the blob
//! to restore from, and creating an isolate of a gate-approved kind.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use agentos_snapshots::{Blob, Digest, DiskCache, Origin, SnapshotCache};

use crate::budget::Budget;
use crate::builtin_cache::BuiltinCache;
use crate::code_ranges::{Claimant, CodeRangeLease, CodeRanges};
use crate::error::{PrepareError, SnapshotError};
use crate::snapshot_gate::{BlobKind, GateGuard, SnapshotGate};
use crate::{bridge, snapshot};

/// How long an exec may wait for inline isolates to drain so `auto` can switch to the snapshot.
const SWITCH_PATIENCE: Duration = Duration::from_millis(100);

/// `AGENTOS_WASM_SNAPSHOT_RUNNER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotMode {
    /// Build the snapshot in the background; run the runner inline until it is ready.
    Auto,
    /// Build (or load) the snapshot before serving the first exec.
    Block,
    /// Never snapshot: always run the runner inline.
    Off,
}

impl SnapshotMode {
    /// The mode named `name` (`auto`, `block`, `off`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "auto" => Some(SnapshotMode::Auto),
            "block" => Some(SnapshotMode::Block),
            "off" => Some(SnapshotMode::Off),
            _ => None,
        }
    }

    /// The name, as the variable spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotMode::Auto => "auto",
            SnapshotMode::Block => "block",
            SnapshotMode::Off => "off",
        }
    }
}

/// Snapshot state, for stats and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotState {
    /// Mode `off`: never built.
    Disabled,
    /// Not built yet (or building).
    Pending,
    /// Ready; isolates restore from it.
    Ready,
    /// Creation failed; the runner runs inline.
    Failed,
}

/// Where a process's isolates come from: the snapshot (once built) and the gate that keeps
/// isolates of two different blobs from being alive at once.
pub struct Isolates {
    mode: SnapshotMode,
    digest: Digest,
    cache: SnapshotCache,
    blob: OnceLock<Blob>,
    state: AtomicU8,
    gate: Arc<SnapshotGate>,
    created_builtin: AtomicU64,
    created_snapshot: AtomicU64,
    builtins: Arc<BuiltinCache>,
    code_ranges: Arc<CodeRanges>,
}

/// A new isolate with what must outlive it: its ArrayBuffer budget and its code range's lease.
pub struct NewIsolate {
    /// The isolate.
    pub isolate: v8::OwnedIsolate,
    /// Its ArrayBuffer budget.
    pub budget: Arc<Budget>,
    /// Its share of the process's room for code ranges (drop it after the isolate).
    pub lease: CodeRangeLease,
}

impl Isolates {
    /// An isolate source in `mode`, caching snapshot blobs in `disk` (or in memory only).
    pub fn new(mode: SnapshotMode, disk: Option<DiskCache>) -> Self {
        Self {
            mode,
            digest: snapshot::digest(),
            cache: SnapshotCache::new(disk),
            blob: OnceLock::new(),
            state: AtomicU8::new(if mode == SnapshotMode::Off { 0 } else { 1 }),
            gate: Arc::new(SnapshotGate::new()),
            created_builtin: AtomicU64::new(0),
            created_snapshot: AtomicU64::new(0),
            builtins: Arc::new(BuiltinCache::default()),
            code_ranges: CodeRanges::for_this_process(),
        }
    }

    /// The digest of this sidecar's snapshot.
    pub fn digest(&self) -> Digest {
        self.digest
    }

    /// The configured mode.
    pub fn mode(&self) -> SnapshotMode {
        self.mode
    }

    /// Where the snapshot stands.
    pub fn state(&self) -> SnapshotState {
        match self.state.load(Ordering::Acquire) {
            0 => SnapshotState::Disabled,
            1 => SnapshotState::Pending,
            2 => SnapshotState::Ready,
            _ => SnapshotState::Failed,
        }
    }

    /// The room for isolates' code ranges under the process's memory ceiling.
    pub fn code_ranges(&self) -> &Arc<CodeRanges> {
        &self.code_ranges
    }

    /// The code caches of the lazy builtins, shared by every isolate of the process.
    pub fn builtins(&self) -> &Arc<BuiltinCache> {
        &self.builtins
    }

    /// Isolates created so far from V8's built-in blob and from our snapshot.
    pub fn created(&self) -> (u64, u64) {
        (
            self.created_builtin.load(Ordering::Relaxed),
            self.created_snapshot.load(Ordering::Relaxed),
        )
    }

    /// Builds the snapshot (or loads it from disk) unless the mode is `off`; afterwards new
    /// isolates restore from it.
    ///
    /// # Errors
    /// [`SnapshotError`] when it can be neither loaded nor built (the runner then runs inline).
    pub fn ensure_snapshot(&self) -> Result<Option<Origin>, SnapshotError> {
        if self.mode == SnapshotMode::Off {
            return Ok(None);
        }
        let started = std::time::Instant::now();
        match self
            .cache
            .get_or_build(&self.digest, snapshot::create_blob_in_helper)
        {
            Ok((blob, origin)) => {
                let _ = self.blob.set(blob);
                self.state.store(2, Ordering::Release);
                tracing::info!(
                    digest = %self.digest.short(),
                    ?origin,
                    bytes = blob.len(),
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    "snapshot ready"
                );
                Ok(Some(origin))
            }
            Err(e) => {
                self.state.store(3, Ordering::Release);
                tracing::error!("snapshot creation failed, running the runner inline: {e}");
                Err(e.into())
            }
        }
    }

    /// The kind new isolates should be, as the mode and snapshot state stand now.
    pub fn target(&self) -> BlobKind {
        match self.blob.get() {
            Some(_) if self.mode != SnapshotMode::Off => BlobKind::Userland(self.digest),
            _ => BlobKind::Builtin,
        }
    }

    /// Enters the gate for an exec's isolate, waiting (briefly, in `auto`) for a switch.
    pub fn enter(&self) -> GateGuard {
        let gate = &self.gate;
        match (self.target(), self.mode) {
            (kind @ BlobKind::Userland(_), SnapshotMode::Auto) => {
                gate.enter_preferring(kind, BlobKind::Builtin, SWITCH_PATIENCE)
            }
            (kind, _) => gate.enter(kind),
        }
    }

    /// Enters the gate for `kind` only if that needs no wait.
    pub fn try_enter(&self, kind: BlobKind) -> Option<GateGuard> {
        self.gate.try_enter(kind)
    }

    /// A new isolate for `guard`'s kind with a `heap_mb` heap limit, an ArrayBuffer budget of
    /// the same size, a code range of the size V8 picks for that heap (leased first), and our
    /// microtask and rejection handling.
    ///
    /// # Errors
    /// [`PrepareError::Capacity`] when the process's memory ceiling has no room for its code
    /// range.
    pub fn new_isolate(
        &self,
        guard: &GateGuard,
        heap_mb: u32,
        claimant: Claimant,
    ) -> Result<NewIsolate, PrepareError> {
        crate::platform::init();
        let code_range = CodeRanges::size_for(heap_mb);
        let lease = self.code_ranges.lease(code_range, claimant)?;
        let budget = Budget::new((heap_mb as usize) << 20);
        let mut params = v8::CreateParams::default()
            .external_references(bridge::external_references().into())
            .array_buffer_allocator(crate::budget::allocator(&budget))
            .heap_limits(0, (heap_mb as usize) << 20)
            .set_code_range_size_in_bytes(code_range as usize);
        if let (BlobKind::Userland(_), Some(blob)) = (guard.kind(), self.blob.get()) {
            params = params.snapshot_blob(v8::StartupData::from(*blob));
            self.created_snapshot.fetch_add(1, Ordering::Relaxed);
        } else {
            self.created_builtin.fetch_add(1, Ordering::Relaxed);
        }
        let mut isolate = v8::Isolate::new(params);
        isolate.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
        isolate.set_promise_reject_callback(crate::event_loop::on_promise_reject);
        isolate.set_oom_error_handler(crate::last_words::on_oom);
        isolate.set_host_import_module_dynamically_callback(bridge::esm::import_dynamically);
        isolate.set_host_initialize_import_meta_object_callback(bridge::esm::init_import_meta);
        Ok(NewIsolate {
            isolate,
            budget,
            lease,
        })
    }
}
