//! One exec from admission to its `ExecExited`: resolve the command, run it in a prepared
//! isolate, report. Runs as a [`Task`] on a worker thread.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use agentos_proto::ErrorCode;
use agentos_proto::v1::{self, ExecExited, PhaseTiming, Stream};
use bytes::Bytes;
use crossbeam_channel::Receiver;

use agentos_sandbox::{Preopen, Sandbox, SandboxOptions, filetype};

use crate::command::{self, Command, JsMain, Lookup};
use crate::engine::{
    self, AfterDispose, CallLimits, CallState, Control, ExecInput, Guest, GuestOutput, GuestStdio,
    JsJob, Outcome, Phases, StopCause, Task, WasiHost, WasmJob,
};
use crate::limits::Limits;
use crate::registry::{ExecControl, Registry};
use crate::watchdog::Watchdog;
use crate::writer::EventSink;

/// An accepted `Exec`, validated and ready to run.
pub struct ExecJob {
    /// Host-chosen id.
    pub id: u64,
    /// The program's argv.
    pub argv: Vec<String>,
    /// Exactly the guest's environment.
    pub env: Vec<(String, String)>,
    /// The guest's working directory.
    pub cwd: String,
    /// Initial stdin bytes.
    pub stdin: Bytes,
    /// Whether stdin stays open after `stdin`.
    pub stdin_open: bool,
    /// Limits, validated at admission.
    pub limits: Limits,
    /// Host directories the guest sees.
    pub preopens: Vec<Preopen>,
    /// Directories searched for commands before the sidecar's path.
    pub command_dirs: Vec<String>,
    /// Guest paths `require` searches for bare specifiers.
    pub module_paths: Vec<String>,
    /// The sidecar's command path.
    pub command_path: Arc<[PathBuf]>,
    /// Set when this exec is a `Call`.
    pub call: Option<CallJob>,
    /// When the request was accepted (for the queue-wait phase).
    pub accepted: Instant,
    /// The dispatcher's handle on this exec.
    pub control: Arc<ExecControl>,
    /// This exec's inbox.
    pub inbox: Receiver<ExecInput>,
}

impl ExecJob {
    /// Builds a job from the wire message.
    pub fn from_request(
        exec: v1::Exec,
        limits: Limits,
        command_path: Arc<[PathBuf]>,
        control: Arc<ExecControl>,
        inbox: Receiver<ExecInput>,
    ) -> Self {
        Self {
            id: exec.exec_id,
            argv: exec.argv,
            env: exec.env.into_iter().map(|e| (e.key, e.value)).collect(),
            cwd: if exec.cwd.is_empty() {
                "/".into()
            } else {
                exec.cwd
            },
            stdin: exec.stdin,
            stdin_open: exec.stdin_open,
            limits,
            preopens: (exec.preopens.into_iter())
                .map(|p| Preopen {
                    host: PathBuf::from(p.host_path),
                    guest: p.guest_path,
                    read_only: p.read_only,
                })
                .collect(),
            command_dirs: exec.command_path,
            module_paths: exec.module_paths,
            command_path,
            call: None,
            accepted: Instant::now(),
            control,
            inbox,
        }
    }

    /// Builds a job for a `Call`: no argv, no files, no stdin.
    pub fn for_call(
        call: v1::Call,
        limits: Limits,
        call_limits: CallLimits,
        control: Arc<ExecControl>,
        inbox: Receiver<ExecInput>,
    ) -> Self {
        Self {
            id: call.call_id,
            argv: vec!["[call]".into()],
            env: Vec::new(),
            cwd: "/".into(),
            stdin: Bytes::new(),
            stdin_open: false,
            limits,
            preopens: Vec::new(),
            command_dirs: Vec::new(),
            module_paths: Vec::new(),
            command_path: Arc::from(Vec::new()),
            call: Some(CallJob {
                source: call.source,
                input_json: call.input_json,
                callbacks: call.callbacks,
                limits: call_limits,
            }),
            accepted: Instant::now(),
            control,
            inbox,
        }
    }

    fn initial_input(&self) -> Vec<ExecInput> {
        let mut initial = Vec::with_capacity(2);
        if !self.stdin.is_empty() {
            initial.push(ExecInput::Stdin(self.stdin.clone()));
        }
        if !self.stdin_open {
            initial.push(ExecInput::StdinClose);
        }
        initial
    }
}

/// What a `Call` runs.
pub struct CallJob {
    /// Evaluates to the function.
    pub source: String,
    /// JSON text of the input.
    pub input_json: String,
    /// The callbacks the guest may use.
    pub callbacks: Vec<String>,
    /// Its bounds.
    pub limits: CallLimits,
}

/// An exec handed to a worker.
pub struct ExecTask {
    /// The exec.
    pub job: ExecJob,
    /// Where its events go.
    pub sink: EventSink,
    /// Forgets it once it has reported.
    pub registry: Arc<Registry>,
    /// When the scheduler handed it to the pool.
    pub dispatched: Instant,
    /// Runs after the isolate is disposed (releases the concurrency slot).
    pub after: AfterDispose,
}

impl Task for ExecTask {
    fn run(self: Box<Self>, guest: Result<&mut Guest<'_, '_, '_>, String>) -> AfterDispose {
        let task = *self;
        let mut phases = Phases::default();
        phases.record("queue_wait", task.dispatched - task.job.accepted);
        let (warm, handed_over) = guest
            .as_ref()
            .map_or((false, Instant::now()), |g| (g.warm(), g.handed_over_at()));
        let claim = handed_over.saturating_duration_since(task.dispatched);
        phases.record(if warm { "claim_hit" } else { "claim_miss" }, claim);
        let stopper = task.job.control.stopper().clone();
        let watch = Watchdog::global().watch(stopper, &task.job.limits);
        // CPU time is reported for calls only: reading it costs a file read.
        let cpu_start = task
            .job
            .call
            .as_ref()
            .and_then(|_| crate::watchdog::thread_cpu_ns());
        let started = (Instant::now(), cpu_start);
        let mut call_report = None;
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &task.job.call {
                Some(call) => {
                    let (outcome, report) =
                        execute_call(&task.job, call, guest, &task.sink, &mut phases);
                    call_report = Some(report);
                    outcome
                }
                None => execute(&task.job, guest, &task.sink, &mut phases),
            }))
            .unwrap_or_else(|panic| {
                let detail = engine::panic_message(panic.as_ref());
                tracing::error!(exec_id = task.job.id, "exec panicked: {detail}");
                Outcome::internal(format!("internal error: {detail}"))
            });
        drop(watch);
        match &task.job.call {
            Some(_) => crate::call::report(&task, outcome, call_report, started),
            None => report(&task, outcome, phases),
        }
        task.after
    }
}

pub(crate) fn report(task: &ExecTask, outcome: Outcome, phases: Phases) {
    let id = task.job.id;
    task.job.control.stopper().detach();
    let mut event = exited(id, outcome);
    if engine::phases::enabled() {
        event.phases = phase_timings(&phases);
        tracing::debug!(exec_id = id, phases = ?phases.list(), "exec phases");
    }
    task.registry.retire(id, || task.sink.exited(event));
}

fn phase_timings(phases: &Phases) -> Vec<PhaseTiming> {
    phases
        .list()
        .iter()
        .map(|(name, took)| PhaseTiming {
            name: (*name).to_string(),
            nanos: u64::try_from(took.as_nanos()).unwrap_or(u64::MAX),
        })
        .collect()
}

fn execute(
    job: &ExecJob,
    guest: Result<&mut Guest<'_, '_, '_>, String>,
    sink: &EventSink,
    phases: &mut Phases,
) -> Outcome {
    inject_fault(&job.argv);
    let options = SandboxOptions {
        // Guest stdio is a pipe to the host, never a terminal.
        stdio_filetype: filetype::UNKNOWN,
        ..SandboxOptions::default()
    };
    let mut sandbox = match Sandbox::with_options(&job.preopens, options) {
        Ok(sandbox) => sandbox,
        Err(e) => return failed(job.id, sink, ErrorCode::BadArgument, e.to_string(), 1),
    };
    let lookup = Lookup {
        exec_dirs: &job.command_dirs,
        path: &job.command_path,
    };
    let command = match command::resolve(&job.argv, &job.cwd, &lookup, &mut sandbox) {
        Ok(command) => command,
        Err(error) => {
            let (code, exit_code) = error.codes();
            return failed(job.id, sink, code, error.to_string(), exit_code);
        }
    };
    let guest = match (guest, &command) {
        (_, Command::Fails { stderr, code }) => {
            sink.output(job.id, Stream::Stderr, Bytes::from(stderr.clone()));
            return Outcome::Exited(*code);
        }
        (guest, _) => guest,
    };
    let (guest, control, output) = match attach(job, guest, sink, phases) {
        Ok(attached) => attached,
        Err(outcome) => return outcome,
    };
    match command {
        Command::Js(main) => {
            let stdio = GuestStdio::without_stdin(output.clone());
            let host = WasiHost { sandbox, stdio };
            guest.run_js(js_job(job, &main), host, control, phases)
        }
        Command::Wasm(wasm) => {
            let stdin_buffered = job.control.stdin_buffered().clone();
            let stdio = GuestStdio::new(
                output,
                job.inbox.clone(),
                stdin_buffered,
                job.initial_input(),
            );
            let host = WasiHost { sandbox, stdio };
            let run = WasmJob {
                argv: &wasm.argv,
                env: &job.env,
                bytes: &wasm.module.bytes,
                compiled: &wasm.module.compiled,
            };
            guest.run_wasm(run, host, control, phases)
        }
        Command::Fails { .. } => unreachable!("handled before a guest is needed"),
    }
}

fn execute_call(
    job: &ExecJob,
    call: &CallJob,
    guest: Result<&mut Guest<'_, '_, '_>, String>,
    sink: &EventSink,
    phases: &mut Phases,
) -> (Outcome, crate::call::CallReport) {
    let (guest, control, output) = match attach(job, guest, sink, phases) {
        Ok(attached) => attached,
        Err(outcome) => return (outcome, crate::call::CallReport::default()),
    };
    let main = crate::call::main(call);
    let state = CallState::new(
        job.id,
        call.callbacks.clone(),
        call.limits,
        job.control.host_calls().clone(),
    );
    let host = WasiHost {
        sandbox: match Sandbox::new(&[]) {
            Ok(sandbox) => sandbox,
            Err(e) => {
                return (
                    Outcome::internal(e.to_string()),
                    crate::call::CallReport::default(),
                );
            }
        },
        stdio: GuestStdio::without_stdin(output.clone()),
    };
    let (outcome, verdict, heap_used) =
        guest.run_call(js_job(job, &main), host, state, control, phases);
    (outcome, crate::call::CallReport { verdict, heap_used })
}

/// Testing aid: with `AGENTOS_FAULT_INJECTION=1`, the command `agentos-fault-panic` panics
/// inside the worker, to prove a bug in one exec is reported as `INTERNAL` for that exec only.
fn inject_fault(argv: &[String]) {
    static ENABLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let enabled =
        *ENABLED.get_or_init(|| std::env::var("AGENTOS_FAULT_INJECTION").is_ok_and(|v| v == "1"));
    if enabled && argv.first().is_some_and(|a| a == "agentos-fault-panic") {
        panic!("injected fault: agentos-fault-panic");
    }
}

/// The prepared guest attached to the exec: a stop interrupts it, its output is metered. Without
/// a guest, the outcome explains why (a stop that came first, or the preparation failure).
fn attach<'j, 'g, 'a, 's, 'i>(
    job: &'j ExecJob,
    guest: Result<&'g mut Guest<'a, 's, 'i>, String>,
    sink: &EventSink,
    phases: &mut Phases,
) -> Result<(&'g mut Guest<'a, 's, 'i>, Control<'j>, Rc<GuestOutput>), Outcome> {
    let stopper = job.control.stopper();
    let guest = guest.map_err(|message| {
        stopper
            .cause()
            .map_or_else(|| Outcome::internal(message), StopCause::outcome)
    })?;
    phases.extend(guest.take_phases());
    stopper.attach(guest.isolate_handle());
    let control = Control {
        inbox: &job.inbox,
        stopper,
        stdin_buffered: job.control.stdin_buffered(),
    };
    let limit = job.limits.max_output_bytes;
    let output = Rc::new(GuestOutput::new(
        job.id,
        sink.clone(),
        limit,
        stopper.clone(),
    ));
    Ok((guest, control, output))
}

fn js_job<'a>(job: &'a ExecJob, main: &'a JsMain) -> JsJob<'a> {
    JsJob {
        main,
        env: &job.env,
        cwd: &job.cwd,
        module_paths: &job.module_paths,
        initial: job.initial_input(),
    }
}

/// A failure the guest would see as a shell does (message on stderr), with its typed code.
fn failed(id: u64, sink: &EventSink, code: ErrorCode, message: String, exit_code: i32) -> Outcome {
    sink.output(id, Stream::Stderr, Bytes::from(format!("{message}\n")));
    Outcome::Failed {
        code,
        message,
        exit_code,
    }
}

/// The last event of `job` when it ends without ever running: `ExecExited`, or `CallResult`.
pub fn unstarted_event(job: &ExecJob, outcome: Outcome) -> agentos_proto::event::Kind {
    use agentos_proto::event::Kind;
    match job.call {
        Some(_) => Kind::CallResult(crate::call::unstarted(job.id, outcome)),
        None => Kind::ExecExited(exited(job.id, outcome)),
    }
}

/// The `ExecExited` event for `outcome`.
pub fn exited(exec_id: u64, outcome: Outcome) -> ExecExited {
    let mut event = ExecExited {
        exec_id,
        ..Default::default()
    };
    match outcome {
        Outcome::Exited(code) => event.exit_code = code,
        Outcome::Killed(signal) => {
            event.exit_code = 128 + signal as i32;
            event.signal = signal;
        }
        Outcome::Failed {
            code,
            message,
            exit_code,
        } => {
            event.exit_code = exit_code;
            event.error = code as i32;
            event.error_message = message;
        }
    }
    event
}
