//! The kinds of scenario: what one measures, how its runs are sized and paced (the table of them
//! is `catalog.rs`, the commands themselves `cases.rs`, run counts `measure.rs`).

use crate::cases::{ExecCase, LoopCase};

/// Native `/bin/true` spawned per run: the floor for "run a program", and the gate's normaliser.
pub const NATIVE_PEER: &str = "native_true_spawn";
/// The host's `node -e ''` spawn: the peer that slows as V8 work slows on a busy machine.
pub const NODE_PEER: &str = "node_spawn";

/// How a scenario's runs are sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every scenario, with enough runs for stable tails.
    Full,
    /// Every scenario, short (under a minute in all).
    Quick,
    /// The gated scenarios only, a few seconds each.
    Gate,
}

/// How warm runs follow each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Each run waits until the warm pool has refilled: the latency a host sees when execs
    /// arrive at any rate the pool keeps up with (a few hundred per second on 2 cores).
    Settled,
    /// Each run starts as soon as the previous one ended: the pool refills on the other core
    /// meanwhile, and runs that find it empty prepare their isolate on the spot.
    BackToBack,
}

/// What a scenario measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Latency of one exec in a warm sidecar, one at a time.
    Warm(ExecCase, Pace),
    /// Spawning a sidecar until its first exec (`node -e ''`) is done.
    ColdStart {
        /// Whether the snapshot directory already holds this build's snapshot.
        disk_snapshot: bool,
    },
    /// Execs per second of wasm `true` (else `node -e ''`) from this many concurrent clients.
    Throughput {
        /// Concurrent clients.
        clients: usize,
    },
    /// `StatsReply.rss_bytes` of an idle, warmed-up sidecar.
    IdleRss,
    /// Spawning native `/bin/true`.
    NativeTrue,
    /// Spawning the real `node -e ''`.
    NodeSpawn,
    /// `true.wasm` run in-process by Node's `node:wasi`, per iteration.
    NodeWasiTrue,
    /// SHA-256 of 1 MiB in-process by the host's Node (`crypto.createHash`), per iteration.
    NodeSha256,
    /// `P256_SIGN`'s work in-process by the host's Node, per iteration.
    NodeP256Sign,
    /// A command of the set over the tools fixtures in a warm sidecar (settled, like `Warm`), with
    /// fewer runs than `Warm`: some read megabytes.
    Tool(ExecCase),
    /// The host's native tool for a `Tool` row: spawn + run with the same argv and directory,
    /// stdout read through a pipe (GNU grep stops early when stdout is `/dev/null`).
    NativeTool(ExecCase),
    /// Spawning a sidecar (snapshot on disk) until its first exec of this command is done.
    FirstExec(ExecCase),
    /// `fetch` of `bytes` bytes from a loopback server, per iteration inside one exec (the
    /// same script as [`Kind::NodeFetch`]).
    Fetch {
        /// Body size.
        bytes: usize,
    },
    /// The host's Node doing the same `fetch` loop in one process.
    NodeFetch {
        /// Body size.
        bytes: usize,
    },
    /// An HTTP client command fetching 1 KiB from a loopback server (its argv, `URL` standing
    /// for the document's address): one warm exec of the WASI command per iteration.
    HttpTool(&'static [&'static str]),
    /// The host's command of the same name doing the same, spawned per iteration.
    NativeHttpTool(&'static [&'static str]),
    /// `pip install` from the loopback server's package index ([`crate::cases::PIP_INSTALL`]):
    /// one warm exec per install.
    Pip,
    /// The host's python3 doing the same install, spawned per iteration.
    NativePip,
    /// `child_process.spawnSync('true')` per iteration inside one exec (the same script as
    /// [`Kind::NodeSpawnSync`]): the guest's child is the wasm `true` in an isolate of its own.
    SpawnSync,
    /// The host's Node doing the same `spawnSync('true')` loop (a fork + exec of `/bin/true`).
    NodeSpawnSync,
    /// A [`LoopCase`] timed per iteration inside one exec.
    Loop(&'static LoopCase),
    /// The same [`LoopCase`] under the host's Node, in one process.
    NodeLoop(&'static LoopCase),
    /// `StatsReply.rss_bytes` while one exec of this case is running (it prints a line, then
    /// waits for stdin to close), minus the same sidecar's idle figure after one such exec.
    ExecRss(ExecCase),
}

impl Kind {
    /// True for peers: measured outside the sidecar, so they are the same in every matrix column.
    pub fn is_peer(self) -> bool {
        matches!(
            self,
            Kind::NativeTrue
                | Kind::NodeSpawn
                | Kind::NodeWasiTrue
                | Kind::NodeSha256
                | Kind::NodeP256Sign
                | Kind::NodeFetch { .. }
                | Kind::NodeSpawnSync
                | Kind::NodeLoop(_)
                | Kind::NativeTool(_)
                | Kind::NativeHttpTool(_)
                | Kind::NativePip
        )
    }
}

/// One row of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// Stable name, used in JSON, the baseline and the goals.
    pub name: &'static str,
    /// What it measures.
    pub kind: Kind,
    /// The scenario whose p50 this one's is divided by for `ratio_to_peer`.
    pub peer: Option<&'static str>,
    /// Whether `--gate` runs it.
    pub gated: bool,
}
