//! The request side: one reader thread decodes frames and dispatches them in order.
//!
//! Framing errors (see `agentos_proto::codec`): an undecodable payload is answered with
//! `BAD_FRAME` and the stream continues; an oversized length or a stream cut inside a frame is
//! answered with `FRAME_TOO_LARGE` / `BAD_FRAME` and ends the session, as a clean shutdown.

use std::io::Read;
use std::sync::Arc;

use agentos_proto::reader::ReadError;
use agentos_proto::v1::{self, ExecStarted, HelloAck, Pong, StatsReply};
use agentos_proto::{ErrorCode, Event, FrameReader, PROTOCOL_VERSION, Request, event, request};
use prost::Message;

use agentos_engine::host_http::{HostHttp, HttpReply};
use agentos_engine::{ExecHandle, Limits};

use crate::config::Config;
use crate::host::Shared;
use crate::job_spec::{JobSpec, Request as JobRequest};
use crate::registry::Registry;
use crate::runner::Runner;
use crate::scheduler::Scheduler;
use crate::signal;
use crate::watchdog::Watchdog;
use crate::writer::Writer;

/// Capabilities announced in `HelloAck`.
const CAPABILITIES: &[&str] = &["exec.js", "exec.wasm", "call", "stats", "phases"];

/// Why the session ended; maps to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// Stdin closed or `Shutdown` received.
    Clean,
    /// The byte stream broke (oversized or truncated frame, read error).
    Broken,
}

impl SessionEnd {
    /// The sidecar's exit code.
    pub fn exit_code(self) -> i32 {
        match self {
            SessionEnd::Clean => 0,
            SessionEnd::Broken => 2,
        }
    }
}

/// Serves the protocol on `input`, answering through `sink`, running jobs with `runner`, until
/// the host closes input or asks to shut down.
pub fn serve<R: Read>(config: Config, runner: Runner, input: R, sink: Arc<Writer>) -> SessionEnd {
    let registry = Arc::new(Registry::default());
    let watchdog = Watchdog::start();
    let shared = Shared {
        writer: sink.clone(),
        registry: registry.clone(),
        watchdog: watchdog.clone(),
    };
    let scheduler = Scheduler::new(config.clone(), runner.clone(), shared);
    let mut dispatcher = Dispatcher {
        handshaken: false,
        sink: sink.clone(),
        registry,
        scheduler: scheduler.clone(),
        runner: runner.clone(),
        config: config.clone(),
    };
    let mut reader = FrameReader::new(input, config.max_frame_bytes);
    let end = loop {
        match reader.next_frame() {
            Ok(Some(payload)) => match Request::decode(payload) {
                Ok(request) => {
                    if dispatcher.handle(request).is_break() {
                        break SessionEnd::Clean;
                    }
                }
                Err(e) => sink.request_error(
                    0,
                    ErrorCode::BadFrame,
                    0,
                    format!("undecodable request: {e}"),
                ),
            },
            Ok(None) => break SessionEnd::Clean,
            Err(ReadError::Frame(e)) => {
                sink.request_error(0, e.code(), 0, format!("{e}; closing the session"));
                break SessionEnd::Broken;
            }
            Err(ReadError::Io(e)) => {
                tracing::warn!("reading requests failed: {e}");
                break SessionEnd::Broken;
            }
        }
    };
    scheduler.shutdown();
    runner.retire();
    watchdog.stop();
    end
}

struct Dispatcher {
    handshaken: bool,
    sink: Arc<Writer>,
    registry: Arc<Registry>,
    scheduler: Arc<Scheduler>,
    runner: Runner,
    config: Config,
}

type Flow = std::ops::ControlFlow<()>;

impl Dispatcher {
    fn handle(&mut self, request: Request) -> Flow {
        let id = request.request_id;
        let Some(kind) = request.kind else {
            self.refuse(
                id,
                ErrorCode::BadRequest,
                0,
                "request has no kind (unknown or missing)",
            );
            return Flow::Continue(());
        };
        match kind {
            request::Kind::Hello(hello) => self.hello(id, &hello),
            _ if !self.handshaken => self.refuse(
                id,
                ErrorCode::HandshakeRequired,
                0,
                "the first request must be Hello",
            ),
            request::Kind::Ping(ping) => self.ping(id, ping),
            request::Kind::Exec(exec) => self.exec(id, exec),
            request::Kind::StdinWrite(w) => self.stdin_write(id, w),
            request::Kind::StdinClose(c) => self.with_exec(id, c.exec_id, |e| e.close_stdin()),
            request::Kind::Kill(kill) => self.kill(id, &kill),
            request::Kind::Stats(_) => self.stats(id),
            request::Kind::Call(call) => self.call(id, call),
            request::Kind::HostReply(reply) => self.host_reply(id, reply),
            request::Kind::NetReply(reply) => self.with_exec(id, reply.exec_id, |exec| {
                exec.net_reply(reply.net_request_id, reply.allow, reply.message);
            }),
            request::Kind::HttpRequest(request) => self.http_request(id, request),
            request::Kind::Shutdown(_) => return Flow::Break(()),
        }
        Flow::Continue(())
    }

    fn refuse(&self, request_id: u64, code: ErrorCode, exec_id: u64, message: &str) {
        self.sink
            .request_error(request_id, code, exec_id, message.to_string());
    }

    fn hello(&mut self, id: u64, hello: &v1::Hello) {
        if hello.protocol_version != PROTOCOL_VERSION {
            let message = format!(
                "protocol version {} is not supported; this sidecar speaks version {PROTOCOL_VERSION}",
                hello.protocol_version
            );
            return self.refuse(id, ErrorCode::UnsupportedVersion, 0, &message);
        }
        tracing::debug!(client = %hello.client, "handshake");
        self.handshaken = true;
        let ack = HelloAck {
            protocol_version: PROTOCOL_VERSION,
            sidecar_version: format!(
                "{} (V8 {})",
                env!("CARGO_PKG_VERSION"),
                agentos_engine::platform::v8_version()
            ),
            capabilities: CAPABILITIES.iter().map(|c| c.to_string()).collect(),
            max_frame_bytes: u32::try_from(self.config.max_frame_bytes).unwrap_or(u32::MAX),
        };
        self.sink.reply(id, event::Kind::HelloAck(ack));
    }

    fn exec(&mut self, id: u64, exec: v1::Exec) {
        let exec_id = exec.exec_id;
        if exec.argv.is_empty() {
            return self.refuse(id, ErrorCode::BadArgument, exec_id, "argv is empty");
        }
        let policy = &self.config.limits;
        let checked = policy.check_sizes(&exec);
        let limits = match checked.and_then(|()| policy.resolve(exec.limits.as_ref())) {
            Ok(limits) => limits,
            Err(e) => return self.refuse(id, ErrorCode::BadArgument, exec_id, &e.to_string()),
        };
        if let Err(message) = agentos_engine::validate_net_policy(exec.net.as_ref()) {
            return self.refuse(id, ErrorCode::BadArgument, exec_id, &message);
        }
        self.admit(id, exec_id, limits, JobRequest::Exec(exec));
    }

    fn call(&mut self, id: u64, call: v1::Call) {
        let call_id = call.call_id;
        let policy = &self.config.limits;
        let resolved = policy
            .resolve(call.limits.as_ref())
            .and_then(|limits| Ok((limits, policy.resolve_call(call.call_limits.as_ref())?)));
        let (limits, call_limits) = match resolved {
            Ok(both) => both,
            Err(e) => return self.refuse(id, ErrorCode::BadArgument, call_id, &e.to_string()),
        };
        if let Err(message) = agentos_engine::validate_net_policy(call.net.as_ref()) {
            return self.refuse(id, ErrorCode::BadArgument, call_id, &message);
        }
        self.admit(id, call_id, limits, JobRequest::Call(call, call_limits));
    }

    /// Registers exec `exec_id` and hands it to the scheduler; answers `ExecStarted` on admission.
    fn admit(&mut self, id: u64, exec_id: u64, limits: Limits, request: JobRequest) {
        if exec_id == 0 {
            return self.refuse(id, ErrorCode::BadArgument, 0, "exec_id 0 is reserved");
        }
        let spec = JobSpec {
            id: exec_id,
            request,
            limits,
        };
        let (exec, ticket) = self.runner.admit(&spec);
        if !self.registry.insert(exec.clone()) {
            let message = format!("exec id {exec_id} is already running");
            return self.refuse(id, ErrorCode::DuplicateExec, exec_id, &message);
        }
        let sink = &self.sink;
        let announce = || sink.reply(id, event::Kind::ExecStarted(ExecStarted { exec_id }));
        if let Err(e) = self.scheduler.submit(spec, exec, ticket, announce) {
            self.registry.remove(exec_id);
            self.refuse(id, e.code(), exec_id, &e.to_string());
        }
    }

    fn host_reply(&self, id: u64, reply: v1::HostReply) {
        let (error, text) = match reply.result {
            Some(v1::host_reply::Result::ValueJson(json)) => (false, json),
            Some(v1::host_reply::Result::Error(message)) => (true, message),
            None => (
                true,
                "the host replied with neither a value nor an error".to_string(),
            ),
        };
        self.with_exec(id, reply.call_id, |exec| {
            if let Err(unknown) = exec.host_reply(reply.host_call_id, error, text) {
                self.refuse(
                    id,
                    ErrorCode::UnknownExec,
                    reply.call_id,
                    &unknown.to_string(),
                );
            }
        });
    }

    fn ping(&self, id: u64, ping: v1::Ping) {
        let payload = ping.payload.len();
        let pong = Event {
            request_id: id,
            kind: Some(event::Kind::Pong(Pong {
                payload: ping.payload,
            })),
        };
        let size = pong.encoded_len();
        if size > self.config.max_frame_bytes {
            let message = format!(
                "a Pong echoing {payload} payload bytes would be {size} bytes, past \
                 max_frame_bytes = {}",
                self.config.max_frame_bytes
            );
            return self.refuse(id, ErrorCode::BadArgument, 0, &message);
        }
        self.sink.send(pong);
    }

    fn stats(&self, id: u64) {
        let s = self.runner.stats();
        let reply = StatsReply {
            pool_hits: s.pool.0,
            pool_misses: s.pool.1,
            pool_parked: s.pool.2,
            snapshot_mode: s.snapshot.0,
            snapshot_state: s.snapshot.1,
            rss_bytes: crate::stats::rss_bytes().unwrap_or(0) + s.cells_rss_bytes,
            execs_live: self.registry.len() as u64,
            snapshot_digest: s.snapshot.2,
            module_cache_entries: s.modules.0,
            module_cache_evictions: s.modules.1,
            module_compile_hits: s.modules.2,
            module_code_from_disk: s.modules.3,
            isolates_inline: s.isolates.0,
            isolates_snapshot: s.isolates.1,
            cells: s.cells.0,
            cell_restarts: s.cells.1,
        };
        self.sink.reply(id, event::Kind::StatsReply(reply));
    }

    fn stdin_write(&self, id: u64, write: v1::StdinWrite) {
        let exec_id = write.exec_id;
        self.with_exec(id, exec_id, |exec| {
            if let Err(full) = exec.stdin(write.data) {
                self.refuse(id, ErrorCode::StdinLimit, exec_id, &full.to_string());
            }
        });
    }

    fn with_exec(&self, id: u64, exec_id: u64, act: impl FnOnce(&ExecHandle)) {
        match self.registry.get(exec_id) {
            Some(exec) => act(&exec),
            None => self.refuse(
                id,
                ErrorCode::UnknownExec,
                exec_id,
                &format!("no running exec with id {exec_id}"),
            ),
        }
    }

    fn http_request(&self, id: u64, mut request: v1::HttpRequest) {
        let max_frame = self.config.max_frame_bytes;
        crate::host_http::bound_body(&mut request, max_frame);
        let exec_id = request.exec_id;
        let sink = self.sink.clone();
        let reply: HttpReply = Box::new(move |outcome| {
            sink.send(crate::host_http::answer(id, exec_id, outcome, max_frame));
        });
        self.with_exec(id, exec_id, |exec| {
            exec.http_request(HostHttp {
                request_id: id,
                request,
                reply,
            });
        });
    }

    fn kill(&self, id: u64, kill: &v1::Kill) {
        let signal = match signal::resolve(kill.signal, &kill.signal_name) {
            Ok(signal) => signal,
            Err(message) => return self.refuse(id, ErrorCode::BadArgument, kill.exec_id, &message),
        };
        self.with_exec(id, kill.exec_id, |exec| {
            exec.kill(signal);
            self.scheduler.cancel_queued(exec.id(), signal);
        });
    }
}
