//! Sidecar-wide settings. Every `AGENTOS_*` variable is read here, once, at start-up; nothing
//! else in the sidecar or the engine looks at the environment.

use std::path::PathBuf;
use std::time::Duration;

use agentos_engine::{EngineConfig, SnapshotMode};
use agentos_proto::DEFAULT_MAX_FRAME_BYTES;

use crate::limits::LimitPolicy;

/// The smallest frame limit the sidecar accepts: every fixed-size event must fit.
pub const MIN_FRAME_BYTES: usize = 4096;

/// Engine cells unless `AGENTOS_CELLS` says otherwise.
pub const DEFAULT_CELLS: usize = 2;

/// Each cell's memory ceiling unless `AGENTOS_CELL_MEMORY_MB` says otherwise, MiB.
pub const DEFAULT_CELL_MEMORY_MB: u64 = 8192;

/// The smallest default heap limit, MiB.
const MIN_DEFAULT_HEAP_MB: u64 = 16;

/// Sidecar-wide settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest frame payload accepted or sent (`AGENTOS_MAX_FRAME_BYTES`).
    pub max_frame_bytes: usize,
    /// Guests running at once; further execs wait in the queue (`AGENTOS_MAX_RUNNING`).
    pub max_running: usize,
    /// Execs waiting for a slot; past this, `Exec` is refused with `QUEUE_FULL`
    /// (`AGENTOS_MAX_QUEUED`).
    pub max_queued: usize,
    /// Per-exec limits: defaults (`AGENTOS_DEFAULT_*`) and maxima.
    pub limits: LimitPolicy,
    /// How long shutdown waits for killed guests to report before exiting anyway.
    pub shutdown_grace: Duration,
    /// Engine cells (child processes) the jobs run in; 0 runs the engine in this process
    /// (`AGENTOS_CELLS`).
    pub cells: usize,
    /// Memory ceiling of each cell process, MiB; 0 sets none (`AGENTOS_CELL_MEMORY_MB`).
    pub cell_memory_mb: u64,
    /// The engine's settings.
    pub engine: EngineConfig,
    /// The log filter (`AGENTOS_LOG`, default `warn`).
    pub log_filter: String,
    /// Variables whose values were not used, and why: to log once logging is set up.
    pub warnings: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let limits = LimitPolicy::default();
        Self {
            max_frame_bytes: DEFAULT_MAX_FRAME_BYTES,
            max_running: (4 * cores).max(4),
            max_queued: 1024,
            shutdown_grace: Duration::from_secs(5),
            cells: DEFAULT_CELLS,
            cell_memory_mb: DEFAULT_CELL_MEMORY_MB,
            engine: EngineConfig {
                seed_heap_mb: limits.defaults.heap_mb,
                command_path: default_command_path(),
                ..EngineConfig::default()
            },
            limits,
            log_filter: "warn".into(),
            warnings: Vec::new(),
        }
    }
}

impl Config {
    /// The settings from this process's environment.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// The settings from `var` (a variable's value by name): defaults overridden by the
    /// variables that are set. A value that does not parse is logged and ignored.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let mut config = Self::default();
        let read = Reader {
            var: &var,
            warnings: std::cell::RefCell::new(Vec::new()),
        };
        read.usize("AGENTOS_MAX_FRAME_BYTES", &mut config.max_frame_bytes);
        read.usize("AGENTOS_MAX_RUNNING", &mut config.max_running);
        read.usize("AGENTOS_MAX_QUEUED", &mut config.max_queued);
        read.usize("AGENTOS_CELLS", &mut config.cells);
        let mut ceiling = config.cell_memory_mb as usize;
        read.usize("AGENTOS_CELL_MEMORY_MB", &mut ceiling);
        config.cell_memory_mb = ceiling as u64;
        config.max_running = config.max_running.max(1);
        if config.max_frame_bytes < MIN_FRAME_BYTES {
            read.warn(format!(
                "AGENTOS_MAX_FRAME_BYTES={} is below {MIN_FRAME_BYTES}; using {MIN_FRAME_BYTES}",
                config.max_frame_bytes
            ));
            config.max_frame_bytes = MIN_FRAME_BYTES;
        }
        read_limit_defaults(&read, &mut config.limits);
        read_engine(&read, &mut config.engine);
        config.engine.seed_heap_mb = config.limits.defaults.heap_mb;
        if let Some(filter) = var("AGENTOS_LOG") {
            config.log_filter = filter;
        }
        config.warnings = read.warnings.into_inner();
        config
    }
}

fn read_limit_defaults(read: &Reader<'_>, policy: &mut LimitPolicy) {
    let d = &mut policy.defaults;
    let m = &policy.maxima;
    let mut heap = u64::from(d.heap_mb);
    read.positive("AGENTOS_DEFAULT_HEAP_MB", &mut heap, u64::from(m.heap_mb));
    d.heap_mb = u32::try_from(heap.max(MIN_DEFAULT_HEAP_MB)).unwrap_or(m.heap_mb);
    read.positive(
        "AGENTOS_DEFAULT_TIMEOUT_MS",
        &mut d.timeout_ms,
        m.timeout_ms,
    );
    read.positive("AGENTOS_DEFAULT_CPU_MS", &mut d.cpu_ms, m.cpu_ms);
    let (output, max_output) = (&mut d.max_output_bytes, m.max_output_bytes);
    read.positive("AGENTOS_DEFAULT_MAX_OUTPUT_BYTES", output, max_output);
    let (stdin, max_stdin) = (&mut d.max_stdin_bytes, m.max_stdin_bytes);
    read.positive("AGENTOS_DEFAULT_MAX_STDIN_BYTES", stdin, max_stdin);
}

fn read_engine(read: &Reader<'_>, engine: &mut EngineConfig) {
    engine.snapshot_mode = match read.raw("AGENTOS_WASM_SNAPSHOT_RUNNER") {
        None => SnapshotMode::Auto,
        Some(name) if name.trim().is_empty() => SnapshotMode::Auto,
        Some(name) => SnapshotMode::from_name(name.trim()).unwrap_or_else(|| {
            read.warn(format!(
                "AGENTOS_WASM_SNAPSHOT_RUNNER={name:?} is not auto|block|off; using auto"
            ));
            SnapshotMode::Auto
        }),
    };
    engine.snapshot_dir = Some(snapshot_dir(read));
    read.usize("AGENTOS_V8_WARM_ISOLATES", &mut engine.warm_isolates);
    read.usize("AGENTOS_TMP_MB", &mut engine.tmp_mb);
    engine.phases = read
        .raw("AGENTOS_V8_SESSION_PHASES")
        .is_some_and(|v| matches!(v.trim(), "1" | "true"));
    read.usize(
        "AGENTOS_MODULE_CACHE_CAPACITY",
        &mut engine.module_cache_capacity,
    );
    engine.module_cache_capacity = engine.module_cache_capacity.max(1);
    let mut wasm_mb = u64::from(engine.max_wasm_memory_mb);
    read.positive("AGENTOS_MAX_WASM_MEMORY_MB", &mut wasm_mb, 4096);
    engine.max_wasm_memory_mb = u32::try_from(wasm_mb).unwrap_or(4096);
    if let Some(path) = read.raw("AGENTOS_COMMAND_PATH") {
        engine.command_path = std::env::split_paths(&path)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
    }
    engine.fault_injection = read.raw("AGENTOS_FAULT_INJECTION").as_deref() == Some("1");
    engine.net_extra_roots = read
        .raw("AGENTOS_NET_EXTRA_ROOTS")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    engine.net_dns_servers = read
        .raw("AGENTOS_NET_DNS_SERVERS")
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| name_servers(read, &v));
}

/// `AGENTOS_NET_DNS_SERVERS`: addresses (port 53) or `address:port`s, comma-separated; a
/// value that does not parse is noted and `/etc/resolv.conf` used.
fn name_servers(read: &Reader<'_>, value: &str) -> Option<Vec<std::net::SocketAddr>> {
    let parse = |item: &str| {
        let item = item.trim();
        item.parse::<std::net::SocketAddr>().ok().or_else(|| {
            item.parse::<std::net::IpAddr>()
                .ok()
                .map(|ip| (ip, 53).into())
        })
    };
    let servers: Option<Vec<_>> = value.split(',').map(parse).collect();
    if servers.is_none() {
        read.warn(format!(
            "AGENTOS_NET_DNS_SERVERS={value:?} is not a list of addresses; using /etc/resolv.conf"
        ));
    }
    servers
}

/// `AGENTOS_SNAPSHOT_DIR`, else `$XDG_CACHE_HOME/agentos/snapshots`, else
/// `$HOME/.cache/agentos/snapshots`, else the system temp dir.
fn snapshot_dir(read: &Reader<'_>) -> PathBuf {
    let dir = |name| read.raw(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    dir("AGENTOS_SNAPSHOT_DIR")
        .or_else(|| dir("XDG_CACHE_HOME").map(|d| d.join("agentos/snapshots")))
        .or_else(|| dir("HOME").map(|d| d.join(".cache/agentos/snapshots")))
        .unwrap_or_else(|| std::env::temp_dir().join("agentos-snapshots"))
}

/// The default command set built next to the binary (`target/commands`).
fn default_command_path() -> Vec<PathBuf> {
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("commands")));
    beside_binary.into_iter().collect()
}

/// Reads variables by name, noting values that do not parse.
struct Reader<'a> {
    var: &'a dyn Fn(&str) -> Option<String>,
    warnings: std::cell::RefCell<Vec<String>>,
}

impl Reader<'_> {
    fn raw(&self, name: &str) -> Option<String> {
        (self.var)(name)
    }

    fn warn(&self, warning: String) {
        self.warnings.borrow_mut().push(warning);
    }

    fn usize(&self, name: &str, slot: &mut usize) {
        let Some(raw) = self.raw(name) else { return };
        match raw.trim().parse() {
            Ok(value) => *slot = value,
            Err(_) => self.warn(format!(
                "{name}={raw:?} is not a non-negative integer; using {slot}"
            )),
        }
    }

    /// A positive integer, clamped to `max`.
    fn positive(&self, name: &str, slot: &mut u64, max: u64) {
        let Some(raw) = self.raw(name) else { return };
        match raw.trim().parse::<u64>() {
            Ok(v) if v > 0 => *slot = v.min(max),
            _ => self.warn(format!(
                "{name}={raw:?} is not a positive integer; using {slot}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_default_heap_limit_is_also_the_seeded_pool_key() {
        let c = config(&[("AGENTOS_DEFAULT_HEAP_MB", "64")]);
        assert_eq!((c.limits.defaults.heap_mb, c.engine.seed_heap_mb), (64, 64));
    }

    #[test]
    fn engine_settings_come_from_their_variables() {
        let c = config(&[
            ("AGENTOS_WASM_SNAPSHOT_RUNNER", "block"),
            ("AGENTOS_V8_WARM_ISOLATES", "5"),
            ("AGENTOS_V8_SESSION_PHASES", "1"),
            ("AGENTOS_SNAPSHOT_DIR", "/snap"),
            ("AGENTOS_COMMAND_PATH", "/a:/b"),
            ("AGENTOS_MAX_WASM_MEMORY_MB", "9999"),
        ]);
        let e = &c.engine;
        assert_eq!(e.snapshot_mode, SnapshotMode::Block);
        assert_eq!((e.warm_isolates, e.phases), (5, true));
        assert_eq!(
            e.snapshot_dir.as_deref(),
            Some(std::path::Path::new("/snap"))
        );
        assert_eq!(
            e.command_path,
            vec![PathBuf::from("/a"), PathBuf::from("/b")]
        );
        assert_eq!(e.max_wasm_memory_mb, 4096, "clamped to the maximum");
    }

    #[test]
    fn bad_values_keep_the_defaults() {
        let c = config(&[
            ("AGENTOS_MAX_RUNNING", "many"),
            ("AGENTOS_DEFAULT_TIMEOUT_MS", "0"),
            ("AGENTOS_MAX_FRAME_BYTES", "10"),
        ]);
        let d = Config::default();
        assert_eq!(c.max_running, d.max_running);
        assert_eq!(c.limits.defaults.timeout_ms, d.limits.defaults.timeout_ms);
        assert_eq!(c.max_frame_bytes, MIN_FRAME_BYTES);
        assert_eq!(c.warnings.len(), 3, "{:?}", c.warnings);
    }

    #[test]
    fn an_unknown_snapshot_mode_is_auto_with_a_warning() {
        let c = config(&[("AGENTOS_WASM_SNAPSHOT_RUNNER", "sometimes")]);
        assert_eq!(c.engine.snapshot_mode, SnapshotMode::Auto);
        assert_eq!(c.warnings.len(), 1);
    }
}
