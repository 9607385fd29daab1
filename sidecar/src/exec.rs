//! One exec from admission to its `ExecExited`: resolve the command, run it, report.

use std::sync::Arc;
use std::time::Instant;

use agentos_proto::ErrorCode;
use agentos_proto::v1::{self, ExecExited, Stream};
use bytes::Bytes;
use crossbeam_channel::Receiver;

use crate::command::{self, Command, CommandError};
use crate::engine::{self, ExecInput, Outcome};
use crate::registry::{ExecControl, Registry};
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

/// Runs `job` on the current thread and reports its exit. Never panics outward: a panic inside
/// is reported as `INTERNAL` for this exec only.
pub fn run(job: ExecJob, sink: &EventSink, registry: &Registry) {
    let id = job.id;
    let control = job.control.clone();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execute(job, sink)));
    let (outcome, isolate) = match result {
        Ok(done) => done,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(exec_id = id, "exec panicked: {detail}");
            (Outcome::internal(format!("internal error: {detail}")), None)
        }
    };
    control.detach_isolate();
    registry.remove(id);
    sink.exited(exited(id, outcome));
    // Disposal happens after the host has its answer.
    drop(isolate);
}

fn execute(job: ExecJob, sink: &EventSink) -> (Outcome, Option<v8::OwnedIsolate>) {
    let main = match command::resolve(&job.argv, &job.cwd) {
        Ok(Command::Js(main)) => main,
        Ok(Command::Fails { stderr, code }) => {
            sink.output(job.id, Stream::Stderr, Bytes::from(stderr));
            return (Outcome::Exited(code), None);
        }
        Err(error) => return (refused(job.id, sink, &error), None),
    };
    let js = engine::js::JsJob {
        exec_id: job.id,
        main: &main,
        env: &job.env,
        cwd: &job.cwd,
        sink: sink.clone(),
        initial: job.initial_input(),
    };
    let control = engine::js::Control {
        inbox: &job.inbox,
        killed: job.control.killed(),
    };
    let (outcome, isolate) = engine::run_js(js, control, |h| job.control.attach_isolate(h));
    (outcome, Some(isolate))
}

fn refused(id: u64, sink: &EventSink, error: &CommandError) -> Outcome {
    let (code, exit) = match error {
        CommandError::NotFound(_) => (ErrorCode::CommandNotFound, 127),
        CommandError::EmptyArgv => (ErrorCode::BadArgument, 127),
    };
    let message = error.to_string();
    sink.output(id, Stream::Stderr, Bytes::from(format!("{message}\n")));
    Outcome::Failed {
        code,
        message,
        exit_code: exit,
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
