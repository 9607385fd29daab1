//! Running one job on a prepared guest: resolve what it runs, attach the guest to the exec's
//! stop switch and output meter, run it, and hand the control plane the job's last events.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use agentos_proto::ErrorCode;
use agentos_proto::v1::Stream;
use agentos_sandbox::{Sandbox, SandboxOptions, filetype};
use bytes::Bytes;

use super::call::{CallProgram, CallReport, CallState};
use super::command::{self, Command, CommandError, JsMain, Lookup};
use super::{InheritedFd, Job, JobHost, Program, Setting, report};
use crate::children::ChildrenRecipe;
use crate::cpu::{GuestThread, thread_cpu_ns};
use crate::error::PrepareError;
use crate::events::Sink;
use crate::guest::{Guest, JsJob};
use crate::inbox::Inbox;
use crate::last_words::{self, LastWordsHook};
use crate::limits::Limits;
use crate::modules::{ModuleCache, VariantError};
use crate::net::GuestNet;
use crate::outcome::{LIMIT_EXIT_CODE, Outcome};
use crate::output::GuestOutput;
use crate::phases::Phases;
use crate::wasi_host::{GuestStdio, WasiHost};
use crate::wasm::WasmJob;
use crate::worker::{AfterDispose, Task};

/// What every job run shares: the engine's settings and module cache.
pub(crate) struct RunContext {
    /// Module bytes and compiled code by file identity.
    pub modules: Arc<ModuleCache>,
    /// Directories searched for `NAME.wasm` after a job's own.
    pub command_path: Arc<[PathBuf]>,
    /// The command names along the command path, as `/bin` lists them.
    pub listed_names: command::ListedNames,
    /// The size of each exec's own `/tmp`, bytes (0: none).
    pub tmp_bytes: u64,
    /// Report phase timings in `ExecExited`.
    pub phases: bool,
    /// Tests only: the command `agentos-fault-panic` panics inside the worker.
    pub fault_injection: bool,
    /// Told which job is about to take the process down, and why.
    pub last_words: std::sync::OnceLock<LastWordsHook>,
    /// Starts the child processes of JS guests (set once the engine's dispatch exists).
    pub dispatch: std::sync::OnceLock<std::sync::Weak<crate::Dispatch>>,
    /// The module each command name last ran, for the warm pool to instantiate ahead.
    pub hints: crate::pool::prewarm::Hints,
}

/// A job handed to a worker.
pub(crate) struct JobTask {
    pub job: Job,
    pub host: Box<dyn JobHost>,
    pub ctx: Arc<RunContext>,
    /// When the engine handed it to the pool.
    pub dispatched: Instant,
}

impl Task for JobTask {
    fn run(self: Box<Self>, guest: Result<&mut Guest<'_, '_, '_>, PrepareError>) -> AfterDispose {
        let JobTask {
            job,
            mut host,
            ctx,
            dispatched,
        } = *self;
        let Job {
            id,
            program,
            setting,
            limits,
            accepted,
            inbox,
            inherited,
        } = job;
        // Shared, not copied, with the children a JS guest may start.
        let setting = Arc::new(setting);
        let _speaking = last_words::speaking_for(id, ctx.last_words.get().cloned());
        let mut phases = Phases::default();
        phases.record("queue_wait", dispatched - accepted);
        let (warm, handed_over) = guest
            .as_ref()
            .map_or((false, Instant::now()), |g| (g.warm(), g.handed_over_at()));
        let claim = handed_over.saturating_duration_since(dispatched);
        phases.record(if warm { "claim_hit" } else { "claim_miss" }, claim);
        host.started(GuestThread::current());
        let started = Instant::now();
        // CPU time is reported for calls only: reading it costs a file read.
        let cpu_start = matches!(program, Program::Call(_))
            .then(thread_cpu_ns)
            .flatten();
        let net = Rc::new(GuestNet::new(
            setting.net.clone(),
            setting.ports.clone(),
            setting.net_asks.clone(),
            inbox.stopper.sender(),
        ));
        let run = Run {
            id,
            setting: &setting,
            limits,
            sink: host.sink(),
            ctx: &ctx,
            net: net.clone(),
        };
        let stopper = inbox.stopper.clone();
        let host_calls = inbox.host_calls.clone();
        let (outcome, call_report) =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &program {
                Program::Command(argv) => {
                    let outcome = run.command(argv, inherited, guest, inbox, &mut phases);
                    (outcome, None)
                }
                Program::Call(call) => {
                    let (outcome, report) = run.call(call, guest, inbox, &mut phases);
                    (outcome, Some(report))
                }
            }))
            .unwrap_or_else(|panic| {
                let detail = crate::outcome::panic_message(panic.as_ref());
                tracing::error!(exec_id = id, "exec panicked: {detail}");
                (Outcome::internal(format!("internal error: {detail}")), None)
            });
        stopper.detach();
        // Every operation ends now (a killed exec's downloads too).
        let net_stats = net.finish();
        let events = match program {
            Program::Command(_) => {
                report::command_events(id, outcome, ctx.phases.then_some(&phases), net_stats)
            }
            Program::Call(_) => {
                let mut report = call_report.unwrap_or_default();
                report.wall = started.elapsed();
                report.cpu_ns = thread_cpu_ns()
                    .zip(cpu_start)
                    .map_or(0, |(end, start)| end.saturating_sub(start));
                report::call_events(id, outcome, report, &host_calls)
            }
        };
        host.finish(events);
        Box::new(move || host.released())
    }
}

/// One job's run, borrowed from its parts.
struct Run<'a> {
    id: u64,
    setting: &'a Arc<Setting>,
    limits: Limits,
    sink: Sink,
    ctx: &'a RunContext,
    net: Rc<GuestNet>,
}

impl Run<'_> {
    fn command(
        &self,
        argv: &[String],
        inherited: Vec<InheritedFd>,
        guest: Result<&mut Guest<'_, '_, '_>, PrepareError>,
        inbox: Inbox,
        phases: &mut Phases,
    ) -> Outcome {
        self.inject_fault(argv);
        let options = SandboxOptions {
            // Guest stdio is a pipe to the host, never a terminal.
            stdio_filetype: filetype::UNKNOWN,
            ..SandboxOptions::default()
        };
        let mut sandbox = match Sandbox::with_options(&self.setting.preopens, options) {
            Ok(sandbox) => sandbox,
            Err(e) => return self.failed(ErrorCode::BadArgument, e.to_string(), 1),
        };
        let lookup = Lookup {
            exec_dirs: &self.setting.command_dirs,
            path: &self.ctx.command_path,
        };
        let modules = &self.ctx.modules;
        let command =
            match command::resolve(argv, &self.setting.cwd, &lookup, &mut sandbox, modules) {
                Ok(command) => command,
                Err(error) => {
                    let (code, exit_code) = error.codes();
                    return self.failed(code, error.to_string(), exit_code);
                }
            };
        let manifest = match &command {
            Command::Wasm(wasm) => wasm.mounts.as_ref(),
            Command::Node(node) => node.mounts.as_ref(),
            _ => None,
        };
        if let Some(mounts) = manifest {
            let names = self.ctx.listed_names.of(&lookup);
            let preopens = match mounts.preopens(&self.setting.mounts, &names) {
                Ok(preopens) => preopens,
                Err(e) => {
                    let error = command::CommandError::Manifest(e);
                    let (code, exit_code) = error.codes();
                    return self.failed(code, error.to_string(), exit_code);
                }
            };
            sandbox = match Sandbox::with_options(&preopens, options) {
                Ok(sandbox) => sandbox,
                Err(e) => return self.failed(ErrorCode::BadArgument, e.to_string(), 1),
            };
        }
        let command = match command {
            Command::Node(node) => command::node_command(&node, &self.setting.cwd, &mut sandbox),
            other => other,
        };
        if let Command::Fails { stderr, code } = &command {
            self.sink
                .output(self.id, Stream::Stderr, Bytes::from(stderr.clone()));
            return Outcome::Exited(*code);
        }
        for InheritedFd {
            fd,
            pipe,
            end,
            first_use,
        } in inherited
        {
            if let Err(e) = sandbox.inherit(fd, pipe, end, Some(first_use)) {
                return self.failed(ErrorCode::BadArgument, format!("fd {fd}: {e}"), 1);
            }
        }
        let (guest, output) = match self.attach(guest, &inbox, phases) {
            Ok(attached) => attached,
            Err(outcome) => return outcome,
        };
        match command {
            Command::Js(main) => {
                let mut job = self.js_job(&main);
                job.children = self.children(&inbox);
                let inbox = Rc::new(RefCell::new(inbox));
                let stdio = GuestStdio::js(output, inbox.clone());
                let host = WasiHost { sandbox, stdio };
                guest.run_js(job, host, &inbox, phases)
            }
            Command::Wasm(wasm) => {
                let memory_limit = u64::from(self.limits.heap_mb) << 20;
                let variant = match wasm.module.capped(memory_limit) {
                    Ok(variant) => variant,
                    Err(VariantError::Cap(e)) => {
                        return self.failed(ErrorCode::MemoryLimit, e.to_string(), LIMIT_EXIT_CODE);
                    }
                    Err(VariantError::Module(e)) => {
                        let e = CommandError::Module(e);
                        let (code, exit_code) = e.codes();
                        return self.failed(code, e.to_string(), exit_code);
                    }
                };
                if wasm.module.prewarm()
                    && let Some(name) = argv.first()
                {
                    self.ctx.hints.note(self.limits.heap_mb, name, &variant);
                }
                let stopper = inbox.stopper.clone();
                let children = self.children(&inbox);
                let stdio = GuestStdio::new(output, inbox);
                let host = WasiHost { sandbox, stdio };
                let job = WasmJob {
                    argv: &wasm.argv,
                    env: &self.setting.env,
                    cwd: &self.setting.cwd,
                    bytes: variant.bytes(),
                    compiled: &variant.compiled,
                    disk: variant.disk.as_ref(),
                    compile_hits: modules.compile_hits(),
                    memory_limit,
                    ids: self.setting.ids,
                    children,
                    net: Some(self.net.clone()),
                };
                let outcome = guest.run_wasm(job, host, &stopper, phases);
                // After the exec, so freeing them never competes with it for a core.
                wasm.module.release_compiled(&variant);
                outcome
            }
            Command::Fails { .. } | Command::Node(_) => {
                Outcome::internal("a failing or unread command reached a guest")
            }
        }
    }

    fn call(
        &self,
        program: &CallProgram,
        guest: Result<&mut Guest<'_, '_, '_>, PrepareError>,
        inbox: Inbox,
        phases: &mut Phases,
    ) -> (Outcome, CallReport) {
        let (guest, output) = match self.attach(guest, &inbox, phases) {
            Ok(attached) => attached,
            Err(outcome) => return (outcome, CallReport::default()),
        };
        let main = program.main();
        let state = CallState::new(self.id, program, inbox.host_calls.clone());
        let sandbox = match Sandbox::new(&[]) {
            Ok(sandbox) => sandbox,
            Err(e) => return (Outcome::internal(e.to_string()), CallReport::default()),
        };
        let host = WasiHost {
            sandbox,
            stdio: GuestStdio::without_stdin(output),
        };
        let inbox = Rc::new(RefCell::new(inbox));
        let (outcome, verdict, heap_used) =
            guest.run_call(self.js_job(&main), host, state, &inbox, phases);
        let report = CallReport {
            verdict,
            heap_used,
            ..CallReport::default()
        };
        (outcome, report)
    }

    /// The prepared guest attached to the exec: a stop interrupts it, its output is metered.
    /// Without a guest, the outcome explains why (a stop that came first, or the failure).
    fn attach<'g, 'a, 's, 'i>(
        &self,
        guest: Result<&'g mut Guest<'a, 's, 'i>, PrepareError>,
        inbox: &Inbox,
        phases: &mut Phases,
    ) -> Result<(&'g mut Guest<'a, 's, 'i>, Rc<GuestOutput>), Outcome> {
        let stopper = &inbox.stopper;
        let guest = guest.map_err(|e| match stopper.cause() {
            Some(cause) => cause.outcome(),
            None => self.unprepared(&e),
        })?;
        phases.extend(guest.take_phases());
        guest.attach(stopper);
        let limit = self.limits.max_output_bytes;
        let output = GuestOutput::new(self.id, self.sink.clone(), limit, stopper.clone());
        Ok((guest, Rc::new(output)))
    }

    fn js_job<'a>(&'a self, main: &'a JsMain) -> JsJob<'a> {
        JsJob {
            main,
            env: &self.setting.env,
            cwd: &self.setting.cwd,
            module_paths: &self.setting.module_paths,
            memory_limit: u64::from(self.limits.heap_mb) << 20,
            ids: self.setting.ids,
            children: None,
            net: Some(self.net.clone()),
        }
    }

    /// What starts a JS guest's child processes (built on its first spawn).
    fn children(&self, inbox: &Inbox) -> Option<ChildrenRecipe> {
        Some(ChildrenRecipe {
            dispatch: self.ctx.dispatch.get()?.clone(),
            id: self.id,
            setting: self.setting.clone(),
            limits: self.limits,
            sink: self.sink.clone(),
            parent: inbox.stopper.clone(),
        })
    }

    /// No guest could be prepared: the reason goes to stderr, as a shell reports a failed fork.
    fn unprepared(&self, error: &PrepareError) -> Outcome {
        self.to_stderr(&error.to_string());
        error.outcome()
    }

    /// One line of the sidecar's own on the guest's stderr.
    fn to_stderr(&self, message: &str) {
        let line = Bytes::from(format!("{message}\n"));
        self.sink.output(self.id, Stream::Stderr, line);
    }

    /// A failure the guest would see as a shell does (message on stderr), with its typed code.
    fn failed(&self, code: ErrorCode, message: String, exit_code: i32) -> Outcome {
        self.to_stderr(&message);
        Outcome::Failed {
            code,
            message,
            exit_code,
        }
    }

    /// Testing aid: the command `agentos-fault-panic` panics inside the worker, to prove a bug
    /// in one exec is reported as `INTERNAL` for that exec only.
    fn inject_fault(&self, argv: &[String]) {
        if self.ctx.fault_injection && argv.first().is_some_and(|a| a == "agentos-fault-panic") {
            panic!("injected fault: agentos-fault-panic");
        }
    }
}
