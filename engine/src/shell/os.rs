//! [`ExecOs`]: the world as one exec's script sees it. Files go through the exec's mounts
//! ([`SandboxFs`]); every external command is a guest job of the engine in the same setting;
//! `sh`/`bash` run as a nested interpreter; every process's CPU counts toward the exec.

use std::sync::{Arc, Weak};

use agentos_shell::{
    Delivery, DirEntry, ExitStatus, FileSystem, FsError, Invocation, Io, Metadata, OpenMode, Os,
    Pid, ProcError, Processes, SandboxFs, ShellError, SpawnError, SpawnRequest, Stop, StopCause,
};
use parking_lot::Mutex;

use super::child::{self, ChildHost, ChildSink, STDIN_WINDOW};
use super::exec_io::ExecStdin;
use super::fd_pumps;
use super::processes::ProcessTable;
use super::resolve::{self, Place, Target};

use crate::Dispatch;
use crate::cpu::GuestThread;
use crate::cpu_group::CpuGroup;
use crate::events::Sink;
use crate::exec_handle::ExecHandle;
use crate::job::family::Family;
use crate::job::pids::ProcessIds;
use crate::job::{Job, Program, Setting};
use crate::limits::Limits;
use crate::outcome::StopCause as EngineStop;

/// Stack of the threads that run internal processes (deep recursion grows onto the heap).
const INTERNAL_STACK: usize = 8 << 20;

/// What every process of one exec shares.
pub struct ExecShared {
    /// The exec's id (children report under it).
    pub id: u64,
    /// Mounts, command directories and module paths of every child.
    pub setting: Setting,
    /// The process bounds of the exec's tree (also in `setting`): every guest counts.
    pub family: Arc<Family>,
    /// The exec's limits; children get its heap and time limits.
    pub limits: Limits,
    /// The script's bounds.
    pub shell_limits: agentos_shell::Limits,
    /// Where children's other events go.
    pub sink: Sink,
    /// Starts guest jobs.
    pub dispatch: Arc<Dispatch>,
    /// The exec's CPU time.
    pub cpu: Arc<CpuGroup>,
    /// The exec-wide stop flag of the interpreter.
    pub stop: Stop,
    /// The exec's stdin.
    pub stdin: Arc<ExecStdin>,
    /// The exec's stop switch (`kill $$` in the top-level script).
    pub stopper: Arc<crate::stopper::Stopper>,
}

/// The exec's OS: files, processes, the fatal error that ended it.
pub struct ExecOs {
    fs: SandboxFs,
    shared: Arc<ExecShared>,
    table: Arc<ProcessTable>,
    fatal: Mutex<Option<ShellError>>,
    me: Weak<ExecOs>,
}

impl ExecOs {
    /// The OS of the exec `shared` describes, its files through `fs`, its processes in `table`.
    pub fn new(fs: SandboxFs, shared: Arc<ExecShared>, table: Arc<ProcessTable>) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            fs,
            shared,
            table,
            fatal: Mutex::new(None),
            me: me.clone(),
        })
    }

    /// The error that ended the whole exec from inside (a nested shell's limit, the exec's
    /// process limit), if one did.
    pub fn fatal(&self) -> Option<ShellError> {
        self.fatal.lock().clone()
    }

    /// Ends the exec for `error`: every process is stopped.
    fn fail(&self, error: ShellError) {
        let message = error.to_string();
        self.fatal.lock().get_or_insert(error);
        self.shared.stop.stop(StopCause::Engine(message));
        self.table.kill_all(9);
    }

    /// Admits one more process against the exec-wide bounds (every nested shell included).
    fn admit(&self) -> Result<(), SpawnError> {
        if self.shared.stop.is_stopped() {
            return Err(SpawnError::Other("the exec is stopping".into()));
        }
        let limits = &self.shared.shell_limits;
        let counts = self.table.counts_with_one_more();
        let over = if counts.running > limits.max_processes_alive {
            Some(("alive at once", limits.max_processes_alive))
        } else if counts.total > limits.max_processes_total {
            Some(("in total", limits.max_processes_total))
        } else {
            None
        };
        match over {
            Some((which, limit)) => {
                self.fail(ShellError::ProcessLimit { which, limit });
                Err(SpawnError::Other(format!("process limit: {limit} {which}")))
            }
            None => Ok(()),
        }
    }

    /// Starts guest job `argv`, admitted against the exec tree's process bounds (past one the
    /// family stops the root exec with `PROCESS_LIMIT`).
    fn spawn_guest(&self, argv: Vec<String>, req: SpawnRequest) -> Result<Pid, SpawnError> {
        let shared = &self.shared;
        shared.family.admit()?;
        self.start_guest(argv, req)
            .inspect_err(|_| shared.family.exited())
    }

    fn start_guest(&self, argv: Vec<String>, req: SpawnRequest) -> Result<Pid, SpawnError> {
        let shared = &self.shared;
        let (handle, mut inbox) = ExecHandle::new(
            shared.id,
            STDIN_WINDOW as u64,
            shared.limits.max_output_bytes,
        );
        let cancel = Arc::default();
        child::connect_stdin(req.stdin, &shared.stdin, &mut inbox, &handle, &cancel)
            .map_err(|e| SpawnError::Other(format!("fork: {e}")))?;
        let killer = handle.clone();
        let pid = self.table.add(Box::new(move |signal| {
            killer.stop(EngineStop::Signal(signal.unsigned_abs()));
        }));
        let inherited =
            fd_pumps::connect(req.high_fds).map_err(|e| SpawnError::Other(format!("fork: {e}")))?;
        let name = argv.first().map_or("", String::as_str);
        let sink = ChildSink::new(shared.sink.clone(), (req.stdout, req.stderr), handle, name);
        let host = ChildHost {
            sink,
            table: self.table.clone(),
            pid,
            cpu: shared.cpu.clone(),
            membership: None,
            pump_cancel: cancel,
            family: shared.family.clone(),
        };
        let job = Job {
            id: shared.id,
            program: Program::Command(argv),
            setting: Setting {
                env: req.env,
                cwd: req.cwd,
                ids: ProcessIds {
                    pid: pid.0,
                    ppid: req.parent,
                },
                ..shared.setting.clone()
            },
            limits: Limits {
                max_output_bytes: u64::MAX,
                max_stdin_bytes: STDIN_WINDOW as u64,
                ..shared.limits
            },
            accepted: std::time::Instant::now(),
            inbox,
            inherited,
        };
        if let Err(release) = shared.dispatch.run(job, Box::new(host)) {
            release();
        }
        Ok(pid)
    }

    fn spawn_shell(&self, req: SpawnRequest) -> Result<Pid, SpawnError> {
        let Some(os) = self.me.upgrade() else {
            return Err(SpawnError::Other("the exec is ending".into()));
        };
        let stop = self.shared.stop.child();
        let pid = self.add_internal(&stop);
        let inv = Invocation {
            argv: req.argv,
            env: req.env,
            cwd: req.cwd,
            stdin: req.stdin,
            stdout: req.stdout,
            stderr: req.stderr,
            pid: pid.0,
            ppid: req.parent,
            high_fds: req.high_fds,
        };
        let limits = self.shared.shell_limits;
        let run = Box::new(move || {
            let dyn_os: Arc<dyn Os> = os.clone();
            let result = agentos_shell::run(dyn_os, inv, limits, stop.clone());
            // A signal is fatal even when it lands after the script's last command, or after
            // its EXIT trap.
            if let Some(StopCause::Signal(signal)) = stop.cause() {
                return 128 + signal;
            }
            if let Some(signal) = stop.died_of() {
                return 128 + signal;
            }
            match result {
                Ok(status) => status,
                Err(ShellError::Stopped(StopCause::Signal(signal))) => 128 + signal,
                Err(ShellError::Stopped(_)) => 1,
                Err(error) => {
                    os.fail(error);
                    1
                }
            }
        });
        self.start_internal(pid, run)
    }

    /// Registers an internal process stopped through `stop`; its pid.
    fn add_internal(&self, stop: &Stop) -> Pid {
        let stop = stop.clone();
        self.table.add(Box::new(move |signal| {
            if stop.deliver(signal) == Delivery::Refused {
                stop.stop(StopCause::Signal(signal));
            }
        }))
    }

    /// Runs internal process `pid` on a thread of its own, its CPU time counted.
    fn start_internal(
        &self,
        pid: Pid,
        run: Box<dyn FnOnce() -> i32 + Send>,
    ) -> Result<Pid, SpawnError> {
        let table = self.table.clone();
        let cpu = self.shared.cpu.clone();
        let spawned = std::thread::Builder::new()
            .name("agentos-shell-fork".into())
            .stack_size(INTERNAL_STACK)
            .spawn(move || {
                let membership = cpu.join(GuestThread::current());
                let code = run();
                if let Some(m) = membership {
                    cpu.leave(m);
                }
                table.exited(pid, ExitStatus::Code(code));
            });
        match spawned {
            Ok(_) => Ok(pid),
            Err(e) => {
                self.table.exited(pid, ExitStatus::Code(254));
                let _ = self.table.wait(pid, &Stop::new());
                Err(SpawnError::Other(format!("fork: {e}")))
            }
        }
    }
}

impl FileSystem for ExecOs {
    fn open(&self, path: &str, mode: OpenMode) -> Result<Io, FsError> {
        self.fs.open(path, mode)
    }

    fn stat(&self, path: &str, follow: bool) -> Result<Metadata, FsError> {
        self.fs.stat(path, follow)
    }

    fn read_dir(&self, path: &str, max: usize) -> Result<Vec<DirEntry>, FsError> {
        self.fs.read_dir(path, max)
    }
}

impl Processes for ExecOs {
    fn lookup(&self, name: &str, path: Option<&str>, cwd: &str) -> Option<String> {
        match resolve::target(
            name,
            Place { cwd, path },
            &self.shared.setting,
            &self.shared.dispatch,
            &self.fs,
        ) {
            Ok(Target::Shell { shown, .. } | Target::Guest { shown, .. }) => Some(shown),
            Err(_) => None,
        }
    }

    fn pipe(&self) -> Result<(Io, Io), ProcError> {
        let capacity = self.shared.shell_limits.pipe_capacity;
        Ok(agentos_shell::pipe::pipe(
            capacity,
            self.shared.stop.clone(),
        ))
    }

    fn spawn(&self, mut req: SpawnRequest) -> Result<Pid, SpawnError> {
        let setting = &self.shared.setting;
        let target = resolve::target(
            &req.argv[0],
            Place {
                cwd: &req.cwd,
                path: req.path.as_deref(),
            },
            setting,
            &self.shared.dispatch,
            &self.fs,
        )?;
        self.admit()?;
        let (shell, mut argv) = match target {
            Target::Shell { argv, .. } => (true, argv),
            Target::Guest { argv, .. } => (false, argv),
        };
        argv.extend(req.argv.drain(..).skip(1));
        if shell {
            req.argv = argv;
            self.spawn_shell(req)
        } else {
            self.spawn_guest(argv, req)
        }
    }

    fn spawn_internal(&self, job: agentos_shell::InternalJob) -> Result<Pid, SpawnError> {
        self.admit()?;
        let pid = self.add_internal(&job.stop);
        self.start_internal(pid, job.run)
    }

    fn wait(&self, pid: Pid, stop: &Stop) -> Result<ExitStatus, ProcError> {
        self.table.wait(pid, stop)
    }

    fn poll(&self, pid: Pid) -> Option<ExitStatus> {
        self.table.ended(pid)
    }

    fn kill(&self, pid: Pid, signal: i32) -> Result<(), ProcError> {
        if signal == 0 {
            // A probe: does it exist?
            return match pid.0 == self.shared.setting.ids.pid || self.table.exists(pid) {
                true => Ok(()),
                false => Err(ProcError::NoSuchProcess),
            };
        }
        if pid.0 == self.shared.setting.ids.pid {
            // `kill $$` in the script itself: the whole exec is signalled.
            self.shared
                .stopper
                .stop(EngineStop::Signal(signal.unsigned_abs()));
            return Ok(());
        }
        self.table.kill(pid, signal)
    }

    fn cpu_used(&self) -> Option<std::time::Duration> {
        Some(std::time::Duration::from_nanos(self.shared.cpu.used_ns()))
    }
}
