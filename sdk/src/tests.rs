//! SDK behaviour against a scripted fake sidecar over an in-memory duplex stream.
//!
//! The fake answers `Hello` and `Ping`, and runs "commands" chosen by `argv[0]`:
//! `echo` prints its arguments and exits 0, `refuse` is refused with `COMMAND_NOT_FOUND`, `hang`
//! runs until killed (echoing stdin to stdout), `die` makes the fake drop the connection.

use std::collections::HashSet;
use std::sync::Arc;

use agentos_proto::v1::{
    ExecExited, ExecStarted, HelloAck, Output as OutputEvent, Pong, RequestError, StdinWrite,
    Stream,
};
use agentos_proto::{ErrorCode, Event, FrameError, Request, event, request};
use bytes::Bytes;
use parking_lot::Mutex;
use tokio::io::DuplexStream;

use crate::transport::{FrameReader, FrameWriter, frame};
use crate::{Error, ExecSpec, Sidecar};

/// How the fake behaves, and what it received.
#[derive(Default)]
struct Fake {
    max_frame_bytes: u32,
    reject_hello: bool,
    received: Mutex<Vec<Request>>,
}

type Writer = FrameWriter<tokio::io::WriteHalf<DuplexStream>>;

impl Fake {
    fn kinds(&self) -> Vec<&'static str> {
        let received = self.received.lock();
        received
            .iter()
            .map(|r| kind_name(r.kind.as_ref()))
            .collect()
    }
}

fn kind_name(kind: Option<&request::Kind>) -> &'static str {
    match kind {
        Some(request::Kind::Hello(_)) => "hello",
        Some(request::Kind::Exec(_)) => "exec",
        Some(request::Kind::StdinWrite(_)) => "stdin_write",
        Some(request::Kind::StdinClose(_)) => "stdin_close",
        Some(request::Kind::Kill(_)) => "kill",
        Some(request::Kind::Shutdown(_)) => "shutdown",
        Some(request::Kind::Ping(_)) => "ping",
        Some(request::Kind::Stats(_)) => "stats",
        Some(request::Kind::Call(_)) => "call",
        Some(request::Kind::HostReply(_)) => "host_reply",
        Some(request::Kind::NetReply(_)) => "net_reply",
        Some(request::Kind::HttpRequest(_)) => "http_request",
        None => "none",
    }
}

async fn send(out: &mut Writer, request_id: u64, kind: event::Kind) {
    let event = Event {
        request_id,
        kind: Some(kind),
    };
    let bytes = frame(&event, agentos_proto::DEFAULT_MAX_FRAME_BYTES).expect("fake event fits");
    out.write_frame(&bytes).await.expect("fake write");
    out.flush().await.expect("fake flush");
}

fn output(exec_id: u64, stream: Stream, data: impl Into<Bytes>) -> event::Kind {
    event::Kind::Output(OutputEvent {
        exec_id,
        stream: stream as i32,
        data: data.into(),
    })
}

fn exited(exec_id: u64, signal: u32) -> event::Kind {
    event::Kind::ExecExited(ExecExited {
        exec_id,
        exit_code: if signal == 0 { 0 } else { 128 + signal as i32 },
        signal,
        ..ExecExited::default()
    })
}

fn refused(code: ErrorCode, exec_id: u64) -> event::Kind {
    event::Kind::RequestError(RequestError {
        code: code as i32,
        message: format!("fake refuses: {}", code.as_str_name()),
        exec_id,
    })
}

/// Runs the fake until its input ends (then kills hanging execs) or a `die` exec.
async fn serve(fake: Arc<Fake>, io: DuplexStream) {
    let (read, write) = tokio::io::split(io);
    let mut input = FrameReader::new(read, agentos_proto::DEFAULT_MAX_FRAME_BYTES);
    let mut out = FrameWriter::new(write);
    let mut running = HashSet::new();
    while let Some(req) = input.next_message::<Request>().await.expect("fake read") {
        fake.received.lock().push(req.clone());
        let id = req.request_id;
        match req.kind {
            Some(request::Kind::Hello(_)) if fake.reject_hello => {
                send(&mut out, id, refused(ErrorCode::UnsupportedVersion, 0)).await;
            }
            Some(request::Kind::Hello(hello)) => {
                let ack = HelloAck {
                    protocol_version: hello.protocol_version,
                    sidecar_version: "fake".to_owned(),
                    capabilities: vec!["exec.js".to_owned()],
                    max_frame_bytes: fake.max_frame_bytes,
                };
                send(&mut out, id, event::Kind::HelloAck(ack)).await;
            }
            Some(request::Kind::Ping(ping)) => {
                let pong = Pong {
                    payload: ping.payload,
                };
                send(&mut out, id, event::Kind::Pong(pong)).await;
            }
            Some(request::Kind::Exec(exec)) => {
                let exec_id = exec.exec_id;
                let command = exec.argv.first().map_or("", String::as_str);
                if command == "refuse" {
                    send(&mut out, id, refused(ErrorCode::CommandNotFound, exec_id)).await;
                    continue;
                }
                send(
                    &mut out,
                    id,
                    event::Kind::ExecStarted(ExecStarted { exec_id }),
                )
                .await;
                match command {
                    "echo" => {
                        let text = format!("{}\n", exec.argv[1..].join(" "));
                        send(&mut out, 0, output(exec_id, Stream::Stdout, text)).await;
                        send(&mut out, 0, output(exec_id, Stream::Stderr, "err")).await;
                        send(&mut out, 0, exited(exec_id, 0)).await;
                    }
                    "die" => return,
                    _ => {
                        running.insert(exec_id);
                    }
                }
            }
            Some(request::Kind::StdinWrite(StdinWrite { exec_id, data })) => {
                if running.contains(&exec_id) {
                    send(&mut out, 0, output(exec_id, Stream::Stdout, data)).await;
                } else {
                    send(&mut out, id, refused(ErrorCode::UnknownExec, exec_id)).await;
                }
            }
            Some(request::Kind::Kill(kill)) => {
                if running.remove(&kill.exec_id) {
                    send(&mut out, 0, exited(kill.exec_id, kill.signal)).await;
                } else {
                    send(&mut out, id, refused(ErrorCode::UnknownExec, kill.exec_id)).await;
                }
            }
            _ => send(&mut out, id, refused(ErrorCode::BadRequest, 0)).await,
        }
    }
    for exec_id in running {
        send(&mut out, 0, exited(exec_id, 9)).await;
    }
}

/// A fake with `fake`'s settings and an SDK connected to it.
async fn connect(
    fake: Fake,
) -> (
    Result<Sidecar, Error>,
    Arc<Fake>,
    tokio::task::JoinHandle<()>,
) {
    let fake = Arc::new(fake);
    let (ours, theirs) = tokio::io::duplex(4096);
    let server = tokio::spawn(serve(Arc::clone(&fake), theirs));
    let (read, write) = tokio::io::split(ours);
    (Sidecar::connect(read, write).await, fake, server)
}

async fn sidecar() -> (Sidecar, Arc<Fake>, tokio::task::JoinHandle<()>) {
    let (sidecar, fake, server) = connect(Fake::default()).await;
    (sidecar.expect("handshake"), fake, server)
}

#[tokio::test]
async fn handshake_exposes_hello_ack() {
    let (sidecar, _, _) = sidecar().await;
    assert_eq!(sidecar.hello().sidecar_version, "fake");
    assert_eq!(sidecar.hello().capabilities, ["exec.js"]);
    assert_eq!(sidecar.pid(), None);
}

#[tokio::test]
async fn handshake_rejected_is_typed() {
    let fake = Fake {
        reject_hello: true,
        ..Fake::default()
    };
    let (result, _, _) = connect(fake).await;
    let err = result.expect_err("rejected");
    assert_eq!(err.code(), Some(ErrorCode::UnsupportedVersion), "{err}");
}

#[tokio::test]
async fn exec_collects_output_and_status() {
    let (sidecar, _, _) = sidecar().await;
    let handle = sidecar
        .exec(ExecSpec::new(["echo", "hello", "world"]))
        .await
        .expect("exec");
    let out = handle.output().await.expect("output");
    assert_eq!(out.stdout, b"hello world\n");
    assert_eq!(out.stderr, b"err");
    assert!(out.status.success());
}

#[tokio::test]
async fn taken_stream_is_not_in_output() {
    let (sidecar, _, _) = sidecar().await;
    let handle = sidecar
        .exec(ExecSpec::new(["echo", "x"]))
        .await
        .expect("exec");
    let mut stdout = handle.take_stdout().expect("first take");
    assert!(handle.take_stdout().is_none());
    let out = handle.output().await.expect("output");
    assert!(out.stdout.is_empty());
    assert_eq!(stdout.next_chunk().await.as_deref(), Some(&b"x\n"[..]));
    assert_eq!(stdout.next_chunk().await, None);
}

#[tokio::test]
async fn refused_exec_is_typed_request_error() {
    let (sidecar, _, _) = sidecar().await;
    let err = sidecar
        .exec(ExecSpec::new(["refuse"]))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            Error::Request {
                code: ErrorCode::CommandNotFound,
                exec_id: Some(1),
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn request_for_unknown_exec_fails_after_barrier() {
    let (sidecar, fake, _) = sidecar().await;
    let write = StdinWrite {
        exec_id: 999,
        data: Bytes::from_static(b"x"),
    };
    let err = sidecar
        .request(request::Kind::StdinWrite(write))
        .await
        .expect_err("unknown exec");
    assert_eq!(err.code(), Some(ErrorCode::UnknownExec), "{err}");
    assert_eq!(fake.kinds(), ["hello", "stdin_write", "ping"]);
}

#[tokio::test]
async fn stdin_kill_and_late_requests() {
    let (sidecar, _, _) = sidecar().await;
    let handle = sidecar
        .exec(ExecSpec::new(["hang"]).stdin_open(true))
        .await
        .expect("exec");
    let mut stdout = handle.take_stdout().expect("stdout");
    handle.write_stdin(&b"ping"[..]).await.expect("write");
    assert_eq!(stdout.next_chunk().await.as_deref(), Some(&b"ping"[..]));
    handle.kill(15).await.expect("kill");
    let status = handle.wait().await.expect("status");
    assert_eq!(
        (status.code, status.signal, status.shell_code()),
        (143, Some(15), 143)
    );
    assert_eq!(handle.wait().await.expect("second wait"), status);
    let err = handle.write_stdin(&b"late"[..]).await.expect_err("exited");
    assert_eq!(err.code(), Some(ErrorCode::UnknownExec), "{err}");
}

#[tokio::test]
async fn sidecar_death_resolves_everything() {
    let (sidecar, _, server) = sidecar().await;
    let hanging = sidecar.exec(ExecSpec::new(["hang"])).await.expect("exec");
    let stdout = hanging.take_stdout().expect("stdout");
    let _dying = sidecar.exec(ExecSpec::new(["die"])).await.expect("exec");
    server.await.expect("fake ended");
    let err = hanging.wait().await.expect_err("died");
    assert!(
        matches!(err, Error::SidecarDied { status: None, .. }),
        "{err}"
    );
    assert!(stdout.read_to_end().await.is_empty());
    let err = sidecar.ping().await.expect_err("dead");
    assert!(matches!(err, Error::SidecarDied { .. }), "{err}");
    let err = sidecar
        .exec(ExecSpec::new(["echo"]))
        .await
        .expect_err("dead");
    assert!(matches!(err, Error::SidecarDied { .. }), "{err}");
}

#[tokio::test]
async fn oversized_stdin_is_a_local_error() {
    let fake = Fake {
        max_frame_bytes: 1024,
        ..Fake::default()
    };
    let (sidecar, fake, _) = connect(fake).await;
    let sidecar = sidecar.expect("handshake");
    let big = vec![b'x'; 2048];
    let err = sidecar
        .exec(ExecSpec::new(["echo"]).stdin(big.clone()))
        .await
        .expect_err("too large");
    assert!(
        matches!(err, Error::Frame(FrameError::TooLarge { max: 1024, .. })),
        "{err}"
    );
    let handle = sidecar.exec(ExecSpec::new(["hang"])).await.expect("exec");
    let err = handle.write_stdin(big).await.expect_err("too large");
    assert!(
        matches!(err, Error::Frame(FrameError::TooLarge { .. })),
        "{err}"
    );
    sidecar.ping().await.expect("still alive");
    assert_eq!(fake.kinds(), ["hello", "exec", "ping"]);
}

#[tokio::test]
async fn dropping_the_sidecar_lets_execs_finish() {
    let (sidecar, _, server) = sidecar().await;
    let handle = sidecar.exec(ExecSpec::new(["hang"])).await.expect("exec");
    drop(sidecar);
    // The fake sees end of input and kills its execs, as the real sidecar does.
    let status = handle.wait().await.expect("status");
    assert_eq!(status.signal, Some(9));
    server.await.expect("fake ended");
    let err = handle.kill(9).await.expect_err("closed");
    assert!(
        matches!(err, Error::Closed | Error::SidecarDied { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn many_concurrent_execs() {
    let (sidecar, _, _) = sidecar().await;
    let sidecar = Arc::new(sidecar);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..64 {
        let sidecar = Arc::clone(&sidecar);
        tasks.spawn(async move {
            let spec = ExecSpec::new(["echo".to_owned(), i.to_string()]);
            let out = sidecar.exec(spec).await?.output().await?;
            Ok::<_, Error>((i, out.stdout))
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (i, stdout) = joined.expect("task").expect("exec");
        assert_eq!(stdout, format!("{i}\n").into_bytes());
    }
}
