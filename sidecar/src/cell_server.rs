//! Inside an engine cell (`agentos-sidecar --cell`): one V8 engine serving the jobs its supervisor
//! sends over stdin (`CellRequest`s), reporting over stdout (`CellEvent`s). A V8 fatal error
//! here ends only this process; the supervisor reports its jobs and starts another cell.
//!
//! Limits that need the clock (wall and CPU time) and the stdin bound stay with the supervisor;
//! the output meter and everything V8 enforces run here.

use std::io::Read;
use std::sync::Arc;

use agentos_engine::cpu::GuestThread;
use agentos_engine::host_http::{HostHttp, HttpReply};
use agentos_engine::{Engine, EventSink, ExecHandle, JobHost, Sink};
use agentos_proto::cell::v1::{
    CellEvent, CellRequest, Crashing, Finished, HttpAnswer, HttpAsk, Ready, Released, Start,
    Started, StdinRead, cell_event, cell_request, deliver, start,
};
use agentos_proto::v1::{ErrorCode, Output, Stream};
use agentos_proto::{Event, FrameReader, event};
use bytes::Bytes;
use dashmap::DashMap;
use prost::Message;

use crate::cells::link::max_cell_frame;
use crate::cells::wire;
use crate::config::Config;
use crate::job_spec::{self, JobSpec, Request};
use crate::writer::Writer;

/// The cell's jobs by id.
type Jobs = Arc<DashMap<u64, Arc<ExecHandle>>>;

/// Serves the supervisor on `input`/`out` until `input` ends; returns the process exit code.
pub fn serve_cell<R: Read>(config: &Config, input: R, out: Arc<Writer>) -> i32 {
    let engine = Engine::new(config.engine.clone());
    let speaker = out.clone();
    engine.set_last_words(Arc::new(move |exec_id, code, message| {
        speaker.send_message(&cell_event(cell_event::Kind::Crashing(Crashing {
            exec_id,
            code: code as i32,
            message,
        })));
    }));
    engine.start();
    out.send_message(&cell_event(cell_event::Kind::Ready(Ready {
        pid: std::process::id(),
    })));
    let jobs = Jobs::default();
    let chunk = crate::writer::output_chunk(config.max_frame_bytes);
    let mut reader = FrameReader::new(input, max_cell_frame(config.max_frame_bytes));
    while let Ok(Some(payload)) = reader.next_frame() {
        match CellRequest::decode(payload) {
            Ok(request) => handle(
                &engine,
                &jobs,
                &out,
                (chunk, config.max_frame_bytes),
                request,
            ),
            Err(e) => tracing::error!("undecodable request from the supervisor: {e}"),
        }
    }
    // The supervisor is gone or done: nothing may outlive it.
    for job in jobs.iter() {
        job.kill(9);
    }
    engine.retire();
    agentos_engine::finish_code_cache_stores(STORE_PATIENCE);
    0
}

/// How long an exiting engine waits for compiled code to reach the disk cache.
pub const STORE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// `(chunk, max_frame)`: the output chunk and the host's frame limit.
fn handle(
    engine: &Engine,
    jobs: &Jobs,
    out: &Arc<Writer>,
    (chunk, max_frame): (usize, usize),
    request: CellRequest,
) {
    match request.kind {
        Some(cell_request::Kind::Start(start)) => run(engine, jobs, out, chunk, start),
        Some(cell_request::Kind::Deliver(d)) => {
            let job = jobs.get(&d.exec_id).map(|j| j.clone());
            if let Some(deliver::Input::HttpRequest(ask)) = d.input {
                return http_request(job.as_deref(), out, d.exec_id, ask, max_frame);
            }
            let Some(job) = job else {
                return;
            };
            match d.input {
                Some(deliver::Input::Stdin(bytes)) => {
                    // The supervisor keeps the stdin bound; this handle's is unlimited.
                    let _ = job.stdin(bytes);
                }
                Some(deliver::Input::StdinClose(_)) => job.close_stdin(),
                Some(deliver::Input::HostReply(r)) => {
                    let _ = job.host_reply(r.host_call_id, r.error, r.text);
                }
                Some(deliver::Input::NetReply(r)) => {
                    job.net_reply(r.net_request_id, r.allow, r.message);
                }
                Some(deliver::Input::HttpRequest(_)) | None => {}
            }
        }
        Some(cell_request::Kind::Stop(stop)) => {
            let cause = wire::stop_cause(&stop);
            if let (Some(job), Some(cause)) = (jobs.get(&stop.exec_id), cause) {
                job.stop(cause);
            }
        }
        Some(cell_request::Kind::Stats(query)) => {
            let stats = wire::stats(query.query_id, &engine.stats());
            out.send_message(&cell_event(cell_event::Kind::Stats(stats)));
        }
        None => {}
    }
}

/// The host's request for a server of exec `exec_id` (`job`, if it still runs here): answered
/// by an `HttpAnswer` whatever happens.
fn http_request(
    job: Option<&ExecHandle>,
    out: &Arc<Writer>,
    exec_id: u64,
    ask: HttpAsk,
    max_frame: usize,
) {
    let request_id = ask.request_id;
    let out = out.clone();
    let reply: HttpReply = Box::new(move |outcome| {
        let event = crate::host_http::answer(request_id, exec_id, outcome, max_frame);
        let answer = HttpAnswer {
            exec_id,
            request_id,
            event: Bytes::from(event.encode_to_vec()),
        };
        out.send_message(&cell_event(cell_event::Kind::HttpAnswer(answer)));
    });
    let ask = HostHttp {
        request_id,
        request: ask.request.unwrap_or_default(),
        reply,
    };
    match job {
        Some(job) => job.http_request(ask),
        None => ask.fail(
            ErrorCode::UnknownExec,
            format!("no running exec with id {exec_id}"),
        ),
    }
}

fn run(engine: &Engine, jobs: &Jobs, out: &Arc<Writer>, chunk: usize, start: Start) {
    let Some(spec) = spec_of(start) else {
        tracing::error!("a Start request without a program");
        return;
    };
    let id = spec.id;
    let (handle, mut inbox) = ExecHandle::new(id, u64::MAX, u64::MAX);
    let reporter = out.clone();
    inbox.on_stdin_read(Box::new(move |bytes| {
        let read = StdinRead { exec_id: id, bytes };
        reporter.send_message(&cell_event(cell_event::Kind::StdinRead(read)));
    }));
    jobs.insert(id, handle);
    let host = CellJobHost {
        id,
        out: out.clone(),
        jobs: jobs.clone(),
        chunk,
    };
    if let Err(release) = engine.run(spec.into_job(inbox), Box::new(host)) {
        release();
    }
}

fn spec_of(start: Start) -> Option<JobSpec> {
    let limits = job_spec::limits_from_wire(&start.limits.unwrap_or_default());
    let call_limits = job_spec::call_limits_from_wire(&start.call_limits.unwrap_or_default());
    let (id, request) = match start.program? {
        start::Program::Exec(exec) => (exec.exec_id, Request::Exec(exec)),
        start::Program::Call(call) => (call.call_id, Request::Call(call, call_limits)),
    };
    Some(JobSpec {
        id,
        request,
        limits,
    })
}

fn cell_event(kind: cell_event::Kind) -> CellEvent {
    CellEvent { kind: Some(kind) }
}

/// A cell job's host: everything goes to the supervisor.
struct CellJobHost {
    id: u64,
    out: Arc<Writer>,
    jobs: Jobs,
    /// Largest output chunk that still fits the host's frames.
    chunk: usize,
}

impl JobHost for CellJobHost {
    fn sink(&self) -> Sink {
        Arc::new(CellSink {
            out: self.out.clone(),
            chunk: self.chunk,
        })
    }

    fn started(&mut self, thread: Option<GuestThread>) {
        let started = Started {
            exec_id: self.id,
            tid: thread.map_or(0, |t| t.tid),
        };
        self.out
            .send_message(&cell_event(cell_event::Kind::Started(started)));
    }

    fn finish(&mut self, last: Vec<Event>) {
        self.jobs.remove(&self.id);
        let finished = Finished {
            exec_id: self.id,
            last,
        };
        self.out
            .send_message(&cell_event(cell_event::Kind::Finished(finished)));
    }

    fn released(self: Box<Self>) {
        let released = Released { exec_id: self.id };
        self.out
            .send_message(&cell_event(cell_event::Kind::Released(released)));
    }
}

/// A cell job's events, on their way to the supervisor (host calls typed, the rest encoded).
struct CellSink {
    out: Arc<Writer>,
    chunk: usize,
}

impl EventSink for CellSink {
    fn send(&self, event: Event) {
        let kind = match event.kind {
            Some(event::Kind::HostCall(call)) => cell_event::Kind::HostCall(call),
            _ => cell_event::Kind::Event(Bytes::from(event.encode_to_vec())),
        };
        self.out.send_message(&cell_event(kind));
    }

    fn output(&self, exec_id: u64, stream: Stream, data: Bytes) {
        let mut rest = data;
        while !rest.is_empty() {
            let chunk = rest.split_to(rest.len().min(self.chunk));
            let output = Output {
                exec_id,
                stream: stream as i32,
                data: chunk,
            };
            self.send(Event {
                request_id: 0,
                kind: Some(event::Kind::Output(output)),
            });
        }
    }
}
