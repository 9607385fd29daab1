//! One job from admission to its last event. What it runs is a [`Program`]; the steps live
//! beside it: resolving an argv ([`command`]), running in a prepared guest (`run`), and the
//! events that end it (`report`).
//!
//! The control plane builds a [`Job`] from a request, keeps the matching
//! [`ExecHandle`](crate::ExecHandle), and hears back through its [`JobHost`].

pub mod call;
pub mod command;
mod command_path;
pub mod family;
mod guest_files;
pub mod manifest;
pub(crate) mod node_options;
pub mod pids;
pub(crate) mod report;
pub(crate) mod run;
mod script_command;

use std::path::PathBuf;
use std::time::Instant;

use agentos_proto::Event;
use agentos_proto::v1;
use agentos_sandbox::Preopen;

use crate::cpu::GuestThread;
use crate::events::Sink;
use crate::inbox::Inbox;
use crate::limits::{CallLimits, Limits};

pub use call::CallProgram;
pub use report::unstarted_events;

/// What a job runs.
pub enum Program {
    /// An argv: `node ...`, a WASI command by name, or a `.wasm` path.
    Command(Vec<String>),
    /// A call: source that evaluates to `async (input, host) => value`, run on a JSON input.
    Call(CallProgram),
}

/// What a guest sees of the world.
#[derive(Debug, Clone, Default)]
pub struct Setting {
    /// Exactly the guest's environment.
    pub env: Vec<(String, String)>,
    /// The guest's working directory.
    pub cwd: String,
    /// Host directories the guest sees: `mounts` and the synthetic root (empty until the job
    /// is dispatched).
    pub preopens: Vec<Preopen>,
    /// The exec's own mounts (a command's manifest adds to these, then the root is rebuilt).
    pub mounts: Vec<Preopen>,
    /// The exec's own `/tmp` (one of `mounts`), removed when the last of its jobs ends.
    pub scratch: Option<std::sync::Arc<agentos_sandbox::Scratch>>,
    /// Directories searched for commands before the sidecar's command path.
    pub command_dirs: Vec<String>,
    /// Guest paths `require` searches for bare specifiers.
    pub module_paths: Vec<String>,
    /// The process family the job belongs to (a child process shares its parent's bounds);
    /// `None` for an exec or call of the host.
    pub family: Option<std::sync::Arc<family::Family>>,
    /// The guest's network policy (validated at admission); `None`: no network at all.
    pub net: Option<v1::NetPolicy>,
    /// The exec's virtual ports (guest servers), shared by every guest of the exec tree (a
    /// child process's `net.connect(port)` reaches its parent's server); `None` for a call.
    pub ports: Option<std::sync::Arc<agentos_net::PortRegistry>>,
    /// The exec tree's questions to the host (`ask` rules): one table, so ids are unique per
    /// exec and a reply reaches the guest that asked.
    pub(crate) net_asks: std::sync::Arc<crate::net_ask::NetAsks>,
    /// Its pid and its parent's in the exec tree (the root's by default).
    pub ids: pids::ProcessIds,
}

/// An accepted exec or call, validated and ready to run.
pub struct Job {
    /// Host-chosen id.
    pub id: u64,
    /// What runs.
    pub program: Program,
    /// What it sees.
    pub setting: Setting,
    /// Limits, validated at admission.
    pub limits: Limits,
    /// When the request was accepted (for the queue-wait phase).
    pub accepted: Instant,
    /// The job's side of its exec handle.
    pub inbox: Inbox,
    /// Host pipe ends a command starts with above fd 2 (a shell's process substitutions).
    pub inherited: Vec<InheritedFd>,
}

/// A host pipe end a command starts with at fd `fd` (`diff <(a) <(b)` gives it 63 and 62).
pub struct InheritedFd {
    /// The guest's fd number.
    pub fd: u32,
    /// The pipe end.
    pub pipe: rustix::fd::OwnedFd,
    /// Which end it is.
    pub end: agentos_sandbox::PipeEnd,
    /// Starts what feeds or drains the pipe, when the guest first uses the fd.
    pub first_use: Box<dyn FnOnce() + Send + Sync>,
}

impl Job {
    /// A job for an `Exec` request.
    pub fn from_exec(exec: v1::Exec, limits: Limits, mut inbox: Inbox) -> Self {
        inbox.preload(exec.stdin, exec.stdin_open);
        let mounts: Vec<Preopen> = (exec.preopens.into_iter())
            .map(|p| Preopen {
                host: PathBuf::from(p.host_path),
                guest: p.guest_path,
                read_only: p.read_only,
            })
            .collect();
        Self {
            id: exec.exec_id,
            program: Program::Command(exec.argv),
            setting: Setting {
                env: exec.env.into_iter().map(|e| (e.key, e.value)).collect(),
                cwd: if exec.cwd.is_empty() {
                    "/".into()
                } else {
                    exec.cwd
                },
                // The dispatch adds the synthetic root (it knows the command set).
                preopens: Vec::new(),
                mounts,
                scratch: None,
                command_dirs: exec.command_path,
                module_paths: exec.module_paths,
                family: None,
                net: exec.net,
                ports: Some(inbox.ports.clone()),
                net_asks: inbox.net_asks.clone(),
                ids: pids::ProcessIds::default(),
            },
            limits,
            accepted: Instant::now(),
            inbox,
            inherited: Vec::new(),
        }
    }

    /// A job for a `Call` request: no argv, no files, no stdin.
    pub fn from_call(
        call: v1::Call,
        limits: Limits,
        call_limits: CallLimits,
        mut inbox: Inbox,
    ) -> Self {
        inbox.preload(bytes::Bytes::new(), false);
        Self {
            id: call.call_id,
            program: Program::Call(CallProgram {
                source: call.source,
                input_json: call.input_json,
                callbacks: call.callbacks,
                limits: call_limits,
            }),
            setting: Setting {
                cwd: "/".into(),
                net: call.net,
                net_asks: inbox.net_asks.clone(),
                ..Setting::default()
            },
            limits,
            accepted: Instant::now(),
            inbox,
            inherited: Vec::new(),
        }
    }

    /// True for a `Call`.
    pub fn is_call(&self) -> bool {
        matches!(self.program, Program::Call(_))
    }
}

/// The control plane's side of one running job.
pub trait JobHost: Send + 'static {
    /// Where the job's events go.
    fn sink(&self) -> Sink;

    /// The guest starts running on `thread` (its wall and CPU time count from now; `None` when
    /// the thread cannot be named, and CPU time cannot be watched).
    fn started(&mut self, thread: Option<GuestThread>);

    /// The job's last events (`ExecExited`, or `CallResult` after any `HostCallsCancelled`):
    /// send them and forget the job as one step, so its id is free only once they are queued.
    fn finish(&mut self, last: Vec<Event>);

    /// The job's isolate is gone (its concurrency slot may be reused).
    fn released(self: Box<Self>);
}
