//! Where isolates come from: the snapshot policy (`AGENTOS_WASM_SNAPSHOT_RUNNER`), the blob
//! to restore from, and creating an isolate of a gate-approved kind.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use agentos_snapshots::{Blob, Digest, DiskCache, SnapshotCache};

use std::sync::Arc;

use super::blob_gate::{BlobGate, BlobKind, GateGuard};
use super::budget::Budget;
use super::{bridge, snapshot};

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
    /// Parses the variable's value; an invalid value logs a warning and means `auto`.
    pub fn parse(raw: Option<&str>) -> Self {
        match raw.map(str::trim) {
            None | Some("" | "auto") => SnapshotMode::Auto,
            Some("block") => SnapshotMode::Block,
            Some("off") => SnapshotMode::Off,
            Some(other) => {
                tracing::warn!(
                    "AGENTOS_WASM_SNAPSHOT_RUNNER={other:?} is not auto|block|off; using auto"
                );
                SnapshotMode::Auto
            }
        }
    }

    /// The mode from the environment.
    pub fn from_env() -> Self {
        Self::parse(
            std::env::var("AGENTOS_WASM_SNAPSHOT_RUNNER")
                .ok()
                .as_deref(),
        )
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

/// The process's isolate source.
pub struct Isolates {
    mode: SnapshotMode,
    digest: Digest,
    cache: SnapshotCache,
    blob: OnceLock<Blob>,
    state: AtomicU8,
}

static ISOLATES: OnceLock<Isolates> = OnceLock::new();

impl Isolates {
    /// Configures the process's isolate source once; later calls return the first one.
    pub fn install(mode: SnapshotMode, disk: Option<DiskCache>) -> &'static Isolates {
        ISOLATES.get_or_init(|| Isolates {
            mode,
            digest: snapshot::digest(),
            cache: SnapshotCache::new(disk),
            blob: OnceLock::new(),
            state: AtomicU8::new(if mode == SnapshotMode::Off { 0 } else { 1 }),
        })
    }

    /// The configured source, or the environment's defaults.
    pub fn get() -> &'static Isolates {
        ISOLATES.get().unwrap_or_else(|| {
            Self::install(
                SnapshotMode::from_env(),
                Some(DiskCache::default_location()),
            )
        })
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

    /// Starts the mode's work: `block` builds or loads the snapshot now, `auto` in the background.
    pub fn start(&'static self) {
        match self.mode {
            SnapshotMode::Off => {}
            SnapshotMode::Block => self.ensure_snapshot(),
            SnapshotMode::Auto => {
                let spawned = std::thread::Builder::new()
                    .name("agentos-snapshot".into())
                    .spawn(move || self.ensure_snapshot());
                if let Err(e) = spawned {
                    tracing::error!("cannot start the snapshot builder: {e}");
                    self.state.store(3, Ordering::Release);
                }
            }
        }
    }

    fn ensure_snapshot(&self) {
        let started = std::time::Instant::now();
        match self
            .cache
            .get_or_build(&self.digest, snapshot::create_blob_in_helper)
        {
            Ok((blob, origin)) => {
                let _ = self.blob.set(blob);
                self.state.store(2, Ordering::Release);
                super::warm_pool::WarmPool::global().refill_default();
                tracing::info!(
                    digest = %self.digest.short(),
                    ?origin,
                    bytes = blob.len(),
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    "snapshot ready"
                );
            }
            Err(e) => {
                self.state.store(3, Ordering::Release);
                tracing::error!("snapshot creation failed, running the runner inline: {e}");
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
        let gate = BlobGate::global();
        match (self.target(), self.mode) {
            (kind @ BlobKind::Userland(_), SnapshotMode::Auto) => {
                gate.enter_preferring(kind, BlobKind::Builtin, SWITCH_PATIENCE)
            }
            (kind, _) => gate.enter(kind),
        }
    }

    /// A new isolate for `guard`'s kind with a `heap_mb` heap limit and an ArrayBuffer budget of
    /// the same size, and our microtask and rejection handling.
    pub fn new_isolate(&self, guard: &GateGuard, heap_mb: u32) -> (v8::OwnedIsolate, Arc<Budget>) {
        super::init();
        let budget = Budget::new((heap_mb as usize) << 20);
        let mut params = v8::CreateParams::default()
            .external_references(bridge::external_references().into())
            .array_buffer_allocator(super::budget::allocator(&budget))
            .heap_limits(0, (heap_mb as usize) << 20);
        if let (BlobKind::Userland(_), Some(blob)) = (guard.kind(), self.blob.get()) {
            params = params.snapshot_blob(v8::StartupData::from(*blob));
        }
        let mut isolate = v8::Isolate::new(params);
        isolate.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
        isolate.set_promise_reject_callback(super::js::on_promise_reject);
        (isolate, budget)
    }
}
