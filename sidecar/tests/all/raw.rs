//! A bare protocol client over a real sidecar process: frames in, frames out, no SDK.

use std::io::Write;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use agentos_proto::v1::{self, EnvVar, Exec, Hello};
use agentos_proto::{
    DEFAULT_MAX_FRAME_BYTES, Event, FrameReader, PROTOCOL_VERSION, Request, encode_frame, event,
    request,
};
use bytes::BytesMut;
use prost::Message;

/// A sidecar process driven frame by frame.
pub struct Raw {
    child: Child,
    stdin: Option<ChildStdin>,
    events: FrameReader<ChildStdout>,
}

impl Raw {
    pub fn spawn() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_agentos-sidecar"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn sidecar");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        Self {
            child,
            stdin,
            events: FrameReader::new(stdout, DEFAULT_MAX_FRAME_BYTES),
        }
    }

    /// Spawns and completes the handshake.
    pub fn ready() -> Self {
        let mut raw = Self::spawn();
        raw.send(
            1,
            request::Kind::Hello(Hello {
                protocol_version: PROTOCOL_VERSION,
                client: "raw-test".into(),
            }),
        );
        match raw.next_kind() {
            event::Kind::HelloAck(_) => raw,
            other => panic!("expected HelloAck, got {other:?}"),
        }
    }

    pub fn write_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to sidecar");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, request_id: u64, kind: request::Kind) {
        self.write_bytes(&frame(request_id, kind));
    }

    pub fn next_event(&mut self) -> Option<Event> {
        let frame = self.events.next_frame().expect("read frame")?;
        Some(Event::decode(frame).expect("decode event"))
    }

    pub fn next_kind(&mut self) -> event::Kind {
        let ev = self.next_event().expect("an event before EOF");
        ev.kind.expect("event has a kind")
    }

    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// Waits for the process to exit, failing the test after `limit` (a hang is a bug).
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                start.elapsed() < limit,
                "sidecar did not exit within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Reads events until EOF, returning them.
    pub fn drain(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.next_event()).collect()
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The request `kind` with id `request_id`, framed for the wire.
pub fn frame(request_id: u64, kind: request::Kind) -> BytesMut {
    let mut buf = BytesMut::new();
    let req = Request {
        request_id,
        kind: Some(kind),
    };
    encode_frame(&req, DEFAULT_MAX_FRAME_BYTES, &mut buf).expect("encode");
    buf
}

pub fn exec(exec_id: u64, argv: &[&str]) -> request::Kind {
    request::Kind::Exec(Exec {
        exec_id,
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env: vec![EnvVar {
            key: "HOME".into(),
            value: "/home/guest".into(),
        }],
        cwd: "/".into(),
        stdin: Default::default(),
        stdin_open: false,
        limits: None,
        ..Default::default()
    })
}

pub fn request_error(kind: &event::Kind) -> Option<(v1::ErrorCode, u64)> {
    match kind {
        event::Kind::RequestError(e) => Some((
            v1::ErrorCode::try_from(e.code).unwrap_or(v1::ErrorCode::Unspecified),
            e.exec_id,
        )),
        _ => None,
    }
}
