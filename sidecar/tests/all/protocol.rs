//! The wire protocol against a real sidecar: handshake, hostile bytes, bookkeeping errors.

use std::time::Duration;

use agentos_proto::v1::{ErrorCode, Hello, Ping, StdinWrite};
use agentos_proto::{PROTOCOL_VERSION, event, request};

use crate::raw::{Raw, exec, frame, request_error};

const EXIT_LIMIT: Duration = Duration::from_secs(20);

#[test]
fn handshake_announces_version_and_limits() {
    let mut raw = Raw::spawn();
    raw.send(
        5,
        request::Kind::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            client: "t".into(),
        }),
    );
    let ev = raw.next_event().unwrap();
    assert_eq!(ev.request_id, 5);
    let Some(event::Kind::HelloAck(ack)) = ev.kind else {
        panic!("expected HelloAck, got {ev:?}");
    };
    assert_eq!(ack.protocol_version, PROTOCOL_VERSION);
    assert!(ack.capabilities.iter().any(|c| c == "exec.js"));
    assert_eq!(ack.max_frame_bytes, 16 << 20);
}

#[test]
fn wrong_protocol_version_is_refused_then_retry_works() {
    let mut raw = Raw::spawn();
    raw.send(
        1,
        request::Kind::Hello(Hello {
            protocol_version: PROTOCOL_VERSION + 1,
            client: "t".into(),
        }),
    );
    assert_eq!(
        request_error(&raw.next_kind()),
        Some((ErrorCode::UnsupportedVersion, 0))
    );
    raw.send(
        2,
        request::Kind::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            client: "t".into(),
        }),
    );
    assert!(matches!(raw.next_kind(), event::Kind::HelloAck(_)));
}

#[test]
fn requests_before_hello_are_refused() {
    let mut raw = Raw::spawn();
    raw.send(1, exec(1, &["node", "-e", ""]));
    assert_eq!(
        request_error(&raw.next_kind()),
        Some((ErrorCode::HandshakeRequired, 0))
    );
}

#[test]
fn stdin_write_to_unknown_exec_is_a_request_error() {
    let mut raw = Raw::ready();
    raw.send(
        9,
        request::Kind::StdinWrite(StdinWrite {
            exec_id: 4242,
            data: b"x".to_vec().into(),
        }),
    );
    let ev = raw.next_event().unwrap();
    assert_eq!(ev.request_id, 9);
    assert_eq!(
        request_error(&ev.kind.unwrap()),
        Some((ErrorCode::UnknownExec, 4242))
    );
}

#[test]
fn garbage_payload_is_a_typed_error_and_the_stream_recovers() {
    let mut raw = Raw::ready();
    // A well-framed payload that is not a protobuf message (wire type 7).
    raw.write_bytes(&[0, 0, 0, 3, 0xff, 0xff, 0xff]);
    assert_eq!(
        request_error(&raw.next_kind()),
        Some((ErrorCode::BadFrame, 0))
    );
    raw.send(
        3,
        request::Kind::Ping(Ping {
            payload: b"still here".to_vec().into(),
        }),
    );
    let ev = raw.next_event().unwrap();
    assert_eq!(ev.request_id, 3);
    assert!(matches!(ev.kind, Some(event::Kind::Pong(p)) if &p.payload[..] == b"still here"));
}

#[test]
fn oversized_frame_is_a_typed_error_and_a_clean_close() {
    let mut raw = Raw::ready();
    raw.write_bytes(&[0xff, 0xff, 0xff, 0xf0, 1, 2, 3]);
    assert_eq!(
        request_error(&raw.next_kind()),
        Some((ErrorCode::FrameTooLarge, 0))
    );
    assert!(raw.drain().is_empty());
    let status = raw.wait_exit(EXIT_LIMIT);
    assert_eq!(
        status.code(),
        Some(2),
        "a broken stream ends the session with 2"
    );
}

#[test]
fn random_garbage_never_panics_or_hangs() {
    // Deterministic pseudo-random bytes: every outcome must be typed errors, then exit.
    let mut raw = Raw::ready();
    let mut x: u32 = 0x9e37_79b9;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x & 0xff) as u8
        })
        .collect();
    raw.write_bytes(&bytes);
    raw.close_stdin();
    let events = raw.drain();
    assert!(!events.is_empty());
    for ev in &events {
        assert!(
            request_error(ev.kind.as_ref().unwrap()).is_some(),
            "only typed errors expected, got {ev:?}"
        );
    }
    let status = raw.wait_exit(EXIT_LIMIT);
    assert!(matches!(status.code(), Some(0 | 2)), "{status:?}");
}

#[test]
fn request_without_kind_is_bad_request() {
    let mut raw = Raw::ready();
    // Request{request_id: 7} with an unknown field 99: a newer host's request type.
    raw.write_bytes(&[0, 0, 0, 5, 0x08, 0x07, 0x98, 0x06, 0x01]);
    let ev = raw.next_event().unwrap();
    assert_eq!(ev.request_id, 7);
    assert_eq!(
        request_error(&ev.kind.unwrap()),
        Some((ErrorCode::BadRequest, 0))
    );
}

#[test]
fn exits_cleanly_when_stdin_closes() {
    let mut raw = Raw::ready();
    raw.close_stdin();
    assert!(raw.drain().is_empty());
    assert_eq!(raw.wait_exit(EXIT_LIMIT).code(), Some(0));
}

#[test]
fn duplicate_exec_id_is_refused() {
    let mut raw = Raw::ready();
    let long = "setTimeout(() => {}, 60000)";
    raw.send(1, exec(77, &["node", "-e", long]));
    assert!(matches!(raw.next_kind(), event::Kind::ExecStarted(_)));
    raw.send(2, exec(77, &["node", "-e", ""]));
    let ev = raw.next_event().unwrap();
    assert_eq!(ev.request_id, 2);
    assert_eq!(
        request_error(&ev.kind.unwrap()),
        Some((ErrorCode::DuplicateExec, 77))
    );
}

#[test]
fn unknown_command_exits_127_with_typed_error() {
    let mut raw = Raw::ready();
    raw.send(1, exec(3, &["frobnicate", "x"]));
    assert!(matches!(raw.next_kind(), event::Kind::ExecStarted(_)));
    let event::Kind::Output(out) = raw.next_kind() else {
        panic!("expected stderr output");
    };
    assert_eq!(&out.data[..], b"frobnicate: command not found\n");
    let event::Kind::ExecExited(exit) = raw.next_kind() else {
        panic!("expected ExecExited");
    };
    assert_eq!(exit.exit_code, 127);
    assert_eq!(exit.error, ErrorCode::CommandNotFound as i32);
}

/// Every event leaves in one `write`: stdout is a datagram socket here, so each write arrives as
/// one message, and a frame split in two (as a line-buffered stdout splits one after its last
/// `0x0a` byte) would arrive as two. A split frame wakes the host's reader twice.
#[test]
fn each_event_is_written_whole_in_one_write() {
    use std::io::Write;
    use std::os::fd::OwnedFd;
    use std::os::unix::net::UnixDatagram;
    use std::process::{Command, Stdio};

    use agentos_proto::{DEFAULT_MAX_FRAME_BYTES, Event};
    use prost::Message;

    let (ours, theirs) = UnixDatagram::pair().expect("socketpair");
    ours.set_read_timeout(Some(EXIT_LIMIT)).expect("timeout");
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentos-sidecar"))
        .stdin(Stdio::piped())
        .stdout(Stdio::from(OwnedFd::from(theirs)))
        .env("AGENTOS_V8_SESSION_PHASES", "1")
        .spawn()
        .expect("spawn sidecar");
    let mut stdin = child.stdin.take().expect("stdin");
    let hello = request::Kind::Hello(Hello {
        protocol_version: PROTOCOL_VERSION,
        client: "one-write-test".into(),
    });
    // Output events with a 0x0a byte inside (not last), and exit events whose phase names are
    // protobuf strings of tag 1 (a 0x0a byte each).
    let script = "for (let i = 0; i < 20; i++) process.stdout.write('line\\n' + i)";
    for (id, kind) in [(1, hello), (2, exec(9, &["node", "-e", script]))] {
        stdin.write_all(&frame(id, kind)).expect("write request");
    }
    let mut message = vec![0u8; DEFAULT_MAX_FRAME_BYTES + 4];
    let mut seen = 0;
    loop {
        let n = ours.recv(&mut message).expect("an event within the limit");
        assert!(n >= 4, "a write of {n} bytes is not a whole frame");
        let len = u32::from_be_bytes([message[0], message[1], message[2], message[3]]) as usize;
        assert_eq!(len + 4, n, "event {seen} arrived in more than one write");
        let event = Event::decode(&message[4..n]).expect("decode event");
        seen += 1;
        if matches!(event.kind, Some(event::Kind::ExecExited(_))) {
            break;
        }
    }
    assert!(
        seen >= 4,
        "handshake, start, output and exit: {seen} events"
    );
    drop(stdin);
    let _ = child.wait();
}
