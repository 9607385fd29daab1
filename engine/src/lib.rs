//! agentos-engine: the only crate of the sidecar that touches V8.
//!
//! It runs [`Job`]s: each in a fresh isolate restored from our userland snapshot (or with the
//! runner evaluated inline), claimed from a warm pool of prepared workers, on its own thread.
//! The control plane builds a job and an [`ExecHandle`] for each request, calls
//! [`Engine::run`], and hears back through the job's [`JobHost`]: events to send, the guest's
//! thread to watch, its last events, its release. No V8 type crosses this interface.
//!
//! ```text
//! Engine::run(job) -> pool (claim a parked worker | spawn one) -> worker: task.run(guest)
//!   -> job/run: resolve the command -> guest: event loop (JS) | startWasm (WASI) -> job/report
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod bridge;
mod budget;
mod builtin_cache;
pub mod children;
mod code_cache;
mod code_ranges;
pub mod cpu;
pub mod cpu_group;
mod error;
mod event_loop;
mod events;
mod exec_handle;
mod guest;
mod guest_state;
mod heap;
mod heap_trim;
pub mod host_http;
mod inbox;
mod input;
mod isolates;
pub mod job;
mod last_words;
pub mod limits;
mod modules;
mod net;
mod net_ask;
mod outcome;
mod output;
mod phases;
pub mod platform;
pub mod pool;
mod runner;
mod runner_call;
mod shell;
pub mod snapshot;
mod snapshot_gate;
mod stopper;
mod strings;
mod wasi_host;
mod wasi_http;
mod wasm;
pub mod wasm_memory;
mod worker;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_snapshots::DiskCache;

pub use code_cache::finish_stores as finish_code_cache_stores;
pub use error::{CreateError, PrepareError, RunnerError, SnapshotError};
pub use events::{EventSink, Sink};
pub use exec_handle::{Delivery, ExecHandle, StdinFull, UnknownHostCall};
pub use inbox::{Inbox, Input, StdinReadHook};
pub use isolates::{SnapshotMode, SnapshotState};
pub use job::{Job, JobHost, Program, Setting};
pub use last_words::LastWordsHook;
pub use limits::{CallLimits, Limits};
pub use modules::DEFAULT_CAPACITY as DEFAULT_MODULE_CACHE_CAPACITY;
pub use net::validate_policy as validate_net_policy;
pub use outcome::{LIMIT_EXIT_CODE, Outcome, StopCause, panic_message};
pub use pool::{DEFAULT_WARM_ISOLATES, PoolStats};
pub use stopper::catchable as catchable_signal;

use isolates::Isolates;
use job::run::{JobTask, RunContext};
use modules::ModuleCache;
use pool::WarmPool;

/// How long a `block` engine waits for its warm pool to fill before serving anyway.
pub const SEED_PATIENCE: Duration = Duration::from_secs(30);

/// The engine's settings (the sidecar reads them from its environment, once).
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// When the userland snapshot is built, or never.
    pub snapshot_mode: SnapshotMode,
    /// Where snapshot blobs are cached on disk (`None`: memory only).
    pub snapshot_dir: Option<PathBuf>,
    /// Parked, prepared isolates per (snapshot, heap limit).
    pub warm_isolates: usize,
    /// The heap limit of jobs that name none: the key seeded before any job arrives.
    pub seed_heap_mb: u32,
    /// Wasm modules kept in memory.
    pub module_cache_capacity: usize,
    /// Largest wasm memory one instance may grow to, MiB.
    pub max_wasm_memory_mb: u32,
    /// Directories searched for `NAME.wasm` after a job's own.
    pub command_path: Vec<PathBuf>,
    /// Report phase timings in `ExecExited`.
    pub phases: bool,
    /// The size of each exec's own `/tmp`, MiB (`agentos_sandbox::Scratch`); 0: no `/tmp`
    /// unless the host mounts one.
    pub tmp_mb: usize,
    /// Tests only: the command `agentos-fault-panic` panics inside its worker.
    pub fault_injection: bool,
    /// A PEM file of root certificates guests' TLS trusts besides Mozilla's (a private CA).
    pub net_extra_roots: Option<PathBuf>,
    /// The name servers guests' `dns.resolve*` ask (through the sidecar) when they named none;
    /// `/etc/resolv.conf`'s when `None`.
    pub net_dns_servers: Option<Vec<std::net::SocketAddr>>,
}

/// The size of each exec's own `/tmp` unless configured, MiB.
pub const DEFAULT_TMP_MB: usize = 64;

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            snapshot_mode: SnapshotMode::Auto,
            snapshot_dir: None,
            warm_isolates: DEFAULT_WARM_ISOLATES,
            seed_heap_mb: 256,
            module_cache_capacity: DEFAULT_MODULE_CACHE_CAPACITY,
            max_wasm_memory_mb: platform::DEFAULT_MAX_WASM_MEMORY_MB,
            command_path: Vec::new(),
            phases: false,
            tmp_mb: DEFAULT_TMP_MB,
            fault_injection: false,
            net_extra_roots: None,
            net_dns_servers: None,
        }
    }
}

/// What [`Engine::stats`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineStats {
    /// Warm pool counters.
    pub pool: PoolStats,
    /// The snapshot mode, as the variable spells it.
    pub snapshot_mode: &'static str,
    /// Where the snapshot stands.
    pub snapshot_state: SnapshotState,
    /// The snapshot's digest, hex.
    pub snapshot_digest: String,
    /// Wasm modules held in memory.
    pub module_cache_entries: u64,
    /// Wasm modules evicted so far.
    pub module_cache_evictions: u64,
    /// Jobs that instantiated a cached compiled module instead of compiling.
    pub module_compile_hits: u64,
    /// Jobs whose module came from compiled code on disk (a restart's first run of a command).
    pub module_code_from_disk: u64,
    /// Isolates created from V8's built-in blob (the runner evaluated inline).
    pub isolates_builtin: u64,
    /// Isolates restored from our snapshot.
    pub isolates_snapshot: u64,
}

/// Releases a job's concurrency slot (see [`Engine::run`]).
pub type Release = Box<dyn FnOnce() + Send>;

/// The engine: where isolates come from, the warm pool, the module cache.
pub struct Engine {
    config: EngineConfig,
    isolates: Arc<Isolates>,
    pool: Arc<WarmPool>,
    ctx: Arc<RunContext>,
    dispatch: Arc<Dispatch>,
}

/// Where jobs go: scripts to the shell, everything else to the warm pool (shared with the
/// scripts, whose commands are jobs too).
pub(crate) struct Dispatch {
    pool: Arc<WarmPool>,
    ctx: Arc<RunContext>,
    cpu_watch: Arc<cpu_group::CpuWatch>,
}

impl Dispatch {
    /// Runs `job`; see [`Engine::run`].
    pub(crate) fn run(
        self: &Arc<Self>,
        mut job: Job,
        host: Box<dyn JobHost>,
    ) -> Result<(), Release> {
        self.place_root(&mut job.setting);
        if shell::is_script(&job) {
            return shell::start(job, host, self.clone());
        }
        let heap_mb = job.limits.heap_mb;
        let id = job.id;
        let guess = match &job.program {
            Program::Command(argv) => {
                (argv.first()).and_then(|name| self.ctx.hints.guess(heap_mb, name))
            }
            Program::Call(_) => None,
        };
        let task = Box::new(JobTask {
            job,
            host,
            ctx: self.ctx.clone(),
            dispatched: Instant::now(),
        });
        self.pool.dispatch(task, heap_mb, guess).map_err(|task| {
            tracing::error!(exec_id = id, "no worker thread for exec");
            let error = std::io::Error::other("no worker thread");
            task.run(Err(PrepareError::NoThread(error)))
        })
    }

    /// Gives an exec's job its preopens (its mounts, its own `/tmp` and the synthetic root
    /// listing the command set); a child's job has its parent's already.
    fn place_root(&self, setting: &mut job::Setting) {
        if !setting.preopens.is_empty() || setting.mounts.is_empty() {
            return;
        }
        self.add_tmp(setting);
        let lookup = job::command::Lookup {
            exec_dirs: &setting.command_dirs,
            path: &self.ctx.command_path,
        };
        let names = self.ctx.listed_names.of(&lookup);
        setting.preopens = agentos_sandbox::with_root(setting.mounts.clone(), &names);
    }

    /// Mounts a fresh bounded `/tmp` for the exec unless one of its mounts is at or above `/tmp`
    /// (the host's own `/` or `/tmp`); mounts beneath it (`/tmp/project`) stay inside it.
    fn add_tmp(&self, setting: &mut job::Setting) {
        let limit = self.ctx.tmp_bytes;
        if limit == 0 || agentos_sandbox::is_covered(&setting.mounts, agentos_sandbox::TMP_PATH) {
            return;
        }
        let made = agentos_sandbox::Scratch::new(limit).and_then(|scratch| {
            scratch.make_mount_points(&setting.mounts)?;
            Ok(scratch)
        });
        match made {
            Ok(scratch) => {
                setting.mounts.push(scratch.preopen());
                setting.scratch = Some(scratch);
            }
            Err(e) => tracing::warn!("no /tmp for the exec: {e}"),
        }
    }
}

/// The module cache, keeping compiled code beside the snapshots when they are kept on disk.
fn module_cache(config: &EngineConfig) -> ModuleCache {
    let cache = ModuleCache::new(config.module_cache_capacity);
    match &config.snapshot_dir {
        Some(dir) => cache.with_disk(code_cache::CodeCache::new(dir)),
        None => cache,
    }
}

impl Engine {
    /// An engine with `config`; V8 is started (once per process), nothing else yet.
    pub fn new(config: EngineConfig) -> Arc<Self> {
        platform::init_with(config.max_wasm_memory_mb);
        net::configure(net::NetSetup {
            extra_roots: config.net_extra_roots.clone(),
            name_servers: config.net_dns_servers.clone(),
        });
        let disk = config.snapshot_dir.clone().map(DiskCache::new);
        let isolates = Arc::new(Isolates::new(config.snapshot_mode, disk));
        let pool = WarmPool::new(isolates.clone(), config.warm_isolates);
        let evicting = Arc::downgrade(&pool);
        isolates.code_ranges().set_evict(Box::new(move || {
            evicting.upgrade().is_some_and(|pool| pool.evict_one())
        }));
        let ctx = Arc::new(RunContext {
            modules: Arc::new(module_cache(&config)),
            command_path: config.command_path.clone().into(),
            listed_names: Default::default(),
            tmp_bytes: (config.tmp_mb as u64).saturating_mul(1 << 20),
            phases: config.phases,
            fault_injection: config.fault_injection,
            last_words: std::sync::OnceLock::new(),
            dispatch: std::sync::OnceLock::new(),
            hints: pool::prewarm::Hints::default(),
        });
        let dispatch = Arc::new(Dispatch {
            pool: pool.clone(),
            ctx: ctx.clone(),
            cpu_watch: cpu_group::CpuWatch::new(),
        });
        let _ = ctx.dispatch.set(Arc::downgrade(&dispatch));
        Arc::new(Self {
            config,
            isolates,
            pool,
            ctx,
            dispatch,
        })
    }

    /// Starts the mode's work. `block`: build or load the snapshot and fill the warm pool
    /// before returning (at most [`SEED_PATIENCE`] for the pool); `auto`: build in the
    /// background, seeding the pool once ready; `off`: seed the pool with inline isolates.
    pub fn start(self: &Arc<Self>) {
        let seed = self.config.seed_heap_mb;
        match self.isolates.mode() {
            SnapshotMode::Off => self.pool.refill(seed),
            SnapshotMode::Block => {
                // A failure is logged; the runner then runs inline.
                let _ = self.isolates.ensure_snapshot();
                self.pool.refill(seed);
                if !self.pool.wait_filled(seed, SEED_PATIENCE) {
                    tracing::warn!("the warm pool did not fill before serving");
                }
            }
            SnapshotMode::Auto => {
                let me = self.clone();
                let spawned = std::thread::Builder::new()
                    .name("agentos-snapshot".into())
                    .spawn(move || {
                        if me.isolates.ensure_snapshot().is_ok() {
                            me.pool.refill(seed);
                        }
                    });
                if let Err(e) = spawned {
                    tracing::error!("cannot start the snapshot builder, running inline: {e}");
                }
            }
        }
    }

    /// Runs `job` on a parked worker, or a fresh one; never blocks. The job reports through
    /// `host`.
    ///
    /// # Errors
    /// When no worker thread can be started, the job has already reported its failure
    /// (`INTERNAL`) through `host`; the returned [`Release`] must be called once the caller can
    /// take the job's concurrency slot back.
    pub fn run(&self, job: Job, host: Box<dyn JobHost>) -> Result<(), Release> {
        self.dispatch.run(job, host)
    }

    /// From now on, `hook` is told when a job is about to take the process down (the first
    /// hook set stays).
    pub fn set_last_words(&self, hook: LastWordsHook) {
        let _ = self.ctx.last_words.set(hook);
    }

    /// Counters and states for `Stats`.
    pub fn stats(&self) -> EngineStats {
        let (isolates_builtin, isolates_snapshot) = self.isolates.created();
        let modules = &self.ctx.modules;
        EngineStats {
            pool: self.pool.stats(),
            snapshot_mode: self.isolates.mode().as_str(),
            snapshot_state: self.isolates.state(),
            snapshot_digest: self.isolates.digest().hex(),
            module_cache_entries: modules.len() as u64,
            module_cache_evictions: modules.evictions(),
            module_compile_hits: modules
                .compile_hits()
                .load(std::sync::atomic::Ordering::Relaxed),
            module_code_from_disk: modules.disk_hits(),
            isolates_builtin,
            isolates_snapshot,
        }
    }

    /// Drops every parked worker and starts no more (at shutdown).
    pub fn retire(&self) {
        self.pool.retire();
    }
}
