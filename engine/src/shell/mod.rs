//! Shell jobs: an exec whose argv[0] is `sh` or `bash` runs the `agentos-shell` interpreter
//! natively, on a thread of its own (no isolate), and every external command of the script is
//! a guest job of this engine in the same setting.
//!
//! ```text
//!   Engine::run(sh -c SCRIPT) ─► thread "agentos-shell": agentos_shell::run(ExecOs, ...)
//!      fd 0 = ExecStdin (the exec's inbox)    fd 1/2 = ExecOut (the exec's metered output)
//!      ExecOs::spawn ─► child guest job (warm pool) │ nested sh ─► internal process
//!   the exec's stopper (Kill, timeout, CPU, output cap) ─► the script's Stop + kill every process
//!   script ends ─► kill what is left ─► wait for it ─► ExecExited (all output is out by then)
//! ```
//! The exec's limits hold for all of it: one output meter, one CPU group (the interpreter, its
//! forks and every guest thread), wall time from the control plane, processes alive and in
//! total (`PROCESS_LIMIT`): the script's own table bounds its processes (internal ones
//! included), and its guests count against the exec tree's [`Family`] too, with any
//! `child_process` children of theirs, so a tree alternating `sh` and `node` is bounded as one.

mod child;
mod exec_io;
mod fd_pumps;
mod os;
mod outcome;
mod processes;
pub(crate) mod resolve;

use std::sync::Arc;
use std::time::Duration;

use agentos_proto::ErrorCode;
use agentos_shell::{Delivery, Invocation, SandboxFs, Stop, StopCause};

use crate::Dispatch;
use crate::cpu::GuestThread;
use crate::cpu_group::CpuGroup;
use crate::job::family::Family;
use crate::job::{Job, JobHost, Program, report};
use crate::outcome::Outcome;
use crate::output::GuestOutput;
use crate::stopper::OnSignal;
use exec_io::{ExecOut, ExecStdin};
use os::{ExecOs, ExecShared};
use processes::ProcessTable;

pub use agentos_shell::is_shell;

/// Stack of the interpreter's thread (deep recursion grows onto the heap).
const SHELL_STACK: usize = 8 << 20;

/// How long the end of a script waits for killed processes to report.
const END_PATIENCE: Duration = Duration::from_secs(30);

/// True when `job` is a script for the interpreter.
pub(crate) fn is_script(job: &Job) -> bool {
    matches!(&job.program, Program::Command(argv) if argv.first().is_some_and(|a| is_shell(a)))
}

/// Runs script job `job` on a thread of its own.
///
/// # Errors
/// When no thread can be started the job has reported `INTERNAL`; the release comes back.
pub(crate) fn start(
    job: Job,
    host: Box<dyn JobHost>,
    dispatch: Arc<Dispatch>,
) -> Result<(), crate::Release> {
    let slot = Arc::new(parking_lot::Mutex::new(Some((job, host))));
    let taken = slot.clone();
    let spawned = std::thread::Builder::new()
        .name("agentos-shell".into())
        .stack_size(SHELL_STACK)
        .spawn(move || {
            if let Some((job, host)) = taken.lock().take() {
                run(job, host, &dispatch);
            }
        });
    match spawned {
        Ok(_) => Ok(()),
        Err(e) => {
            let (job, mut host) = slot.lock().take().ok_or_else(|| no_release())?;
            let outcome = Outcome::internal(format!("no thread for the shell: {e}"));
            host.finish(report::unstarted_events(job.id, false, outcome));
            Err(Box::new(move || host.released()))
        }
    }
}

fn no_release() -> crate::Release {
    Box::new(|| {})
}

fn run(job: Job, mut host: Box<dyn JobHost>, dispatch: &Arc<Dispatch>) {
    let Job {
        id,
        program,
        mut setting,
        limits,
        inbox,
        ..
    } = job;
    let Program::Command(argv) = program else {
        return;
    };
    let thread = GuestThread::current();
    host.started(thread);
    let sink = host.sink();
    let stopper = inbox.stopper.clone();
    let output = GuestOutput::new(id, sink.clone(), limits.max_output_bytes, stopper.clone());
    let output = Arc::new(output);
    let cpu = CpuGroup::new(limits.cpu_ms, stopper.clone());
    dispatch.cpu_watch.watch(&cpu);
    let membership = cpu.join(thread);
    let stop = Stop::new();
    // One exec, one process accounting: the script's guests (and their `child_process`
    // children, and theirs) count against the family of the exec's tree, created here when the
    // script is its root; they take their pids from it.
    let family = (setting.family)
        .get_or_insert_with(|| Family::new(stopper.clone()))
        .clone();
    let table = Arc::new(ProcessTable::new(family.pids().clone()));
    stopper.on_signal(script_signals(&stop, &table));
    {
        let (stop, table) = (stop.clone(), table.clone());
        stopper.on_stop(Box::new(move |cause| {
            stop.stop(StopCause::Engine(format!("{cause:?}")));
            table.kill_all(9);
        }));
    }
    let stdin = Arc::new(ExecStdin::new(inbox));
    let fs = match SandboxFs::new(&setting.preopens) {
        Ok(fs) => fs,
        Err(e) => {
            let outcome = outcome::failed(&output, ErrorCode::BadArgument, e.to_string(), 1);
            host.finish(report::command_events(id, outcome, None, None));
            host.released();
            return;
        }
    };
    let (env, cwd, ids) = (setting.env.clone(), setting.cwd.clone(), setting.ids);
    let shared = Arc::new(ExecShared {
        id,
        setting,
        family,
        limits,
        shell_limits: agentos_shell::Limits::default(),
        sink,
        dispatch: dispatch.clone(),
        cpu: cpu.clone(),
        stop: stop.clone(),
        stdin: stdin.clone(),
        stopper: stopper.clone(),
    });
    let os = ExecOs::new(fs, shared.clone(), table.clone());
    let inv = Invocation {
        argv,
        env,
        cwd,
        stdin,
        stdout: Arc::new(ExecOut::new(output.clone(), false)),
        stderr: Arc::new(ExecOut::new(output.clone(), true)),
        pid: ids.pid,
        ppid: ids.ppid,
        high_fds: Vec::new(),
    };
    let dyn_os: Arc<dyn agentos_shell::Os> = os.clone();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        agentos_shell::run(dyn_os, inv, shared.shell_limits, stop.clone())
    }));
    // A process bound this script passed (its subshells, or the guests it started) ends the
    // whole exec tree, as the family's bounds do: this shell may be the child of `npm` or of a
    // Python program.
    let fatal = os.fatal();
    let failed = fatal.as_ref().or(match &result {
        Ok(Err(error)) => Some(error),
        _ => None,
    });
    if let Some(agentos_shell::ShellError::ProcessLimit { which, limit }) = failed {
        shared.family.stop_root(which, *limit);
    }
    // Guests the script did not wait for end with it.
    table.kill_all(9);
    if !table.wait_all(END_PATIENCE) {
        tracing::error!(
            exec_id = id,
            "processes of a script did not end after a kill"
        );
    }
    if let Some(m) = membership {
        cpu.leave(m);
    }
    // A script that died of a signal after its EXIT trap ends as killed by it.
    let died = stop
        .died_of()
        .map(|n| crate::outcome::StopCause::Signal(n.unsigned_abs()));
    let outcome = outcome::of_script(result, fatal, stopper.cause().or(died), &output);
    host.finish(report::command_events(id, outcome, None, None));
    host.released();
}

/// Offers each signal of the exec to the script first: a trapped one runs its action; an
/// untrapped one, when the script has an EXIT trap, waits for that trap, and the processes the
/// script waits for get it too (as bash's process group would).
fn script_signals(stop: &Stop, table: &Arc<ProcessTable>) -> OnSignal {
    let (stop, table) = (stop.clone(), table.clone());
    Box::new(move |signal: u32| {
        let Ok(signal) = i32::try_from(signal) else {
            return false;
        };
        match stop.deliver(signal) {
            Delivery::Trapped => true,
            Delivery::Deferred => {
                table.kill_all(signal);
                true
            }
            Delivery::Refused => false,
        }
    })
}
