//! Call mode against a fake sidecar that each test drives by hand over an in-memory duplex.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use agentos_proto::v1::host_reply::Result as Reply;
use agentos_proto::v1::{
    Call, CallResult, CallStats as WireStats, ExecStarted, HelloAck, HostCall, HostCallsCancelled,
    HostReply, Output as OutputEvent, RequestError, Stream, call_result,
};
use agentos_proto::{ErrorCode, Event, PROTOCOL_VERSION, Request, event, request};
use parking_lot::Mutex;
use serde_json::{Value, json};
use tokio::io::{DuplexStream, ReadHalf, WriteHalf};
use tokio::sync::{mpsc, oneshot};

use crate::transport::{FrameReader, FrameWriter, frame};
use crate::{CallError, CallSpec, CallStats, Error, Sidecar};

/// Bound on anything that should be immediate; exceeding it is a hang.
const HANG: Duration = Duration::from_secs(10);

/// The sidecar's end of the connection, driven step by step by the test.
struct Peer {
    input: FrameReader<ReadHalf<DuplexStream>>,
    out: FrameWriter<WriteHalf<DuplexStream>>,
}

impl Peer {
    async fn recv(&mut self) -> Request {
        let next = tokio::time::timeout(HANG, self.input.next_message::<Request>());
        next.await
            .expect("request in time")
            .expect("read")
            .expect("a request")
    }

    async fn send(&mut self, request_id: u64, kind: event::Kind) {
        let event = Event {
            request_id,
            kind: Some(kind),
        };
        let bytes = frame(&event, agentos_proto::DEFAULT_MAX_FRAME_BYTES).expect("event fits");
        self.out.write_frame(&bytes).await.expect("write");
        self.out.flush().await.expect("flush");
    }

    /// Receives a `Call` and accepts it.
    async fn accept_call(&mut self) -> Call {
        let request = self.recv().await;
        let Some(request::Kind::Call(call)) = request.kind else {
            panic!("expected Call, got {request:?}");
        };
        let started = ExecStarted {
            exec_id: call.call_id,
        };
        self.send(request.request_id, event::Kind::ExecStarted(started))
            .await;
        call
    }

    async fn host_call(&mut self, call_id: u64, host_call_id: u64, name: &str, arg: &str) {
        let call = HostCall {
            call_id,
            host_call_id,
            name: name.to_owned(),
            arg_json: arg.to_owned(),
        };
        self.send(0, event::Kind::HostCall(call)).await;
    }

    async fn reply(&mut self) -> HostReply {
        let request = self.recv().await;
        match request.kind {
            Some(request::Kind::HostReply(reply)) => reply,
            other => panic!("expected HostReply, got {other:?}"),
        }
    }

    async fn result(&mut self, call_id: u64, outcome: call_result::Outcome) {
        let result = CallResult {
            call_id,
            outcome: Some(outcome),
            stats: Some(WireStats {
                wall_nanos: 3_000_000,
                cpu_nanos: 1_000_000,
                heap_used_bytes: 4096,
            }),
        };
        self.send(0, event::Kind::CallResult(result)).await;
    }
}

async fn connect() -> (Arc<Sidecar>, Peer) {
    let (ours, theirs) = tokio::io::duplex(1 << 16);
    let (read, write) = tokio::io::split(theirs);
    let mut peer = Peer {
        input: FrameReader::new(read, agentos_proto::DEFAULT_MAX_FRAME_BYTES),
        out: FrameWriter::new(write),
    };
    let (read, write) = tokio::io::split(ours);
    let handshake = tokio::spawn(Sidecar::connect(read, write));
    let hello = peer.recv().await;
    let ack = HelloAck {
        protocol_version: PROTOCOL_VERSION,
        ..HelloAck::default()
    };
    peer.send(hello.request_id, event::Kind::HelloAck(ack))
        .await;
    let sidecar = handshake.await.expect("task").expect("handshake");
    (Arc::new(sidecar), peer)
}

type Running = tokio::task::JoinHandle<Result<crate::CallOutcome, Error>>;

fn start(sidecar: &Arc<Sidecar>, spec: CallSpec) -> Running {
    let sidecar = Arc::clone(sidecar);
    tokio::spawn(async move { sidecar.call(spec).await })
}

async fn finish(running: Running) -> Result<crate::CallOutcome, Error> {
    let joined = tokio::time::timeout(HANG, running).await;
    joined.expect("call in time").expect("call task")
}

fn ok_json(value: &Value) -> call_result::Outcome {
    call_result::Outcome::OkJson(value.to_string())
}

#[tokio::test]
async fn host_call_reaches_its_callback_and_the_reply_names_it() {
    let (sidecar, mut peer) = connect().await;
    let spec = CallSpec::new("async (i, host) => host.add(i)")
        .input(json!({"a": 2, "b": 3}))
        .callback("add", |arg| async move {
            let sum = arg["a"].as_i64().unwrap_or(0) + arg["b"].as_i64().unwrap_or(0);
            Ok(json!(sum))
        })
        .callback("other", |_| async { Ok(json!("wrong callback")) });
    let running = start(&sidecar, spec);
    let call = peer.accept_call().await;
    assert_eq!(call.callbacks, ["add", "other"]);
    assert_eq!(call.input_json, r#"{"a":2,"b":3}"#);
    let out = OutputEvent {
        exec_id: call.call_id,
        stream: Stream::Stdout as i32,
        data: "log\n".into(),
    };
    peer.send(0, event::Kind::Output(out)).await;
    peer.host_call(call.call_id, 5, "add", r#"{"a":20,"b":22}"#)
        .await;
    let reply = peer.reply().await;
    assert_eq!((reply.call_id, reply.host_call_id), (call.call_id, 5));
    assert_eq!(reply.result, Some(Reply::ValueJson("42".to_owned())));
    peer.result(call.call_id, ok_json(&json!({"x": [1]}))).await;
    let outcome = finish(running).await.expect("outcome");
    assert_eq!(outcome.result, Ok(json!({"x": [1]})));
    assert_eq!(outcome.stdout, b"log\n");
    assert!(outcome.stderr.is_empty() && outcome.cancelled_host_calls.is_empty());
    let stats = CallStats {
        wall: Duration::from_millis(3),
        cpu: Duration::from_millis(1),
        heap_used_bytes: 4096,
    };
    assert_eq!(outcome.stats, stats);
}

#[tokio::test]
async fn concurrent_host_calls_are_answered_as_they_finish() {
    let (sidecar, mut peer) = connect().await;
    // Each callback registers a gate and waits on it; the test opens them out of order.
    let gates: Arc<Mutex<HashMap<i64, oneshot::Sender<()>>>> = Arc::default();
    let (entered_tx, mut entered) = mpsc::unbounded_channel();
    let spec = CallSpec::new("src").callback("wait", {
        let gates = Arc::clone(&gates);
        move |arg| {
            let (tx, rx) = oneshot::channel();
            let n = arg.as_i64().unwrap_or(-1);
            gates.lock().insert(n, tx);
            let _ = entered_tx.send(n);
            async move {
                rx.await.map_err(|_| "gate dropped".to_owned())?;
                Ok(json!(n * 10))
            }
        }
    });
    let running = start(&sidecar, spec);
    let call = peer.accept_call().await;
    for n in 1..=3 {
        peer.host_call(call.call_id, 100 + n, "wait", &n.to_string())
            .await;
    }
    for _ in 0..3 {
        tokio::time::timeout(HANG, entered.recv())
            .await
            .expect("3 in flight");
    }
    for n in [2, 3, 1] {
        let gate = gates.lock().remove(&n).expect("gate");
        gate.send(()).expect("callback waiting");
        let reply = peer.reply().await;
        assert_eq!(reply.host_call_id, 100 + n as u64);
        assert_eq!(reply.result, Some(Reply::ValueJson((n * 10).to_string())));
    }
    peer.result(call.call_id, ok_json(&json!(null))).await;
    assert_eq!(
        finish(running).await.expect("outcome").result,
        Ok(Value::Null)
    );
}

#[tokio::test]
async fn unknown_names_bad_arguments_errors_and_panics_reply_with_errors() {
    let (sidecar, mut peer) = connect().await;
    let spec = CallSpec::new("src")
        .callback("fails", |_| async { Err("no such record".to_owned()) })
        .callback("panics", |_| async { panic!("callback bug") });
    let running = start(&sidecar, spec);
    let call = peer.accept_call().await;
    let cases = [
        ("missing", "1", "no host callback named \"missing\""),
        ("fails", "1", "no such record"),
        ("fails", "{not json", "host call argument is not JSON"),
        ("panics", "1", "the host callback panicked"),
    ];
    for (i, (name, arg, expected)) in cases.into_iter().enumerate() {
        peer.host_call(call.call_id, i as u64, name, arg).await;
        let reply = peer.reply().await;
        assert_eq!(reply.host_call_id, i as u64);
        match reply.result {
            Some(Reply::Error(message)) => assert!(message.contains(expected), "{message}"),
            other => panic!("{name}: expected an error reply, got {other:?}"),
        }
    }
    peer.result(call.call_id, ok_json(&json!(1))).await;
    assert_eq!(finish(running).await.expect("outcome").result, Ok(json!(1)));
}

#[tokio::test]
async fn call_error_and_cancelled_host_calls() {
    let (sidecar, mut peer) = connect().await;
    let (dropped_tx, dropped) = oneshot::channel::<()>();
    let dropped_tx = Arc::new(Mutex::new(Some(dropped_tx)));
    let spec = CallSpec::new("src")
        .timeout_ms(5)
        .callback("never", move |_| {
            let guard = dropped_tx.lock().take();
            async move {
                let _guard = guard;
                std::future::pending::<()>().await;
                Ok(Value::Null)
            }
        });
    let running = start(&sidecar, spec);
    let call = peer.accept_call().await;
    assert_eq!(call.limits.expect("limits").timeout_ms, 5);
    peer.host_call(call.call_id, 7, "never", "null").await;
    let cancelled = HostCallsCancelled {
        call_id: call.call_id,
        host_call_ids: vec![7],
    };
    peer.send(0, event::Kind::HostCallsCancelled(cancelled))
        .await;
    let error = agentos_proto::v1::CallError {
        code: ErrorCode::Timeout as i32,
        message: "call timed out".to_owned(),
        stack: String::new(),
    };
    peer.result(call.call_id, call_result::Outcome::Error(error))
        .await;
    let outcome = finish(running).await.expect("outcome");
    let expected = CallError {
        code: ErrorCode::Timeout,
        message: "call timed out".to_owned(),
        stack: None,
    };
    assert_eq!(outcome.result, Err(expected));
    assert_eq!(outcome.cancelled_host_calls, [7]);
    // The pending callback was aborted, and nothing was sent for it.
    let aborted = tokio::time::timeout(HANG, dropped).await;
    assert!(aborted.expect("callback dropped").is_err());
    drop(sidecar);
    let next = tokio::time::timeout(HANG, peer.input.next_message::<Request>()).await;
    assert_eq!(next.expect("end in time").expect("clean end"), None);
}

#[tokio::test]
async fn sidecar_death_mid_call_is_sidecar_died() {
    let (sidecar, mut peer) = connect().await;
    let spec = CallSpec::new("src").callback("slow", |_| std::future::pending());
    let running = start(&sidecar, spec);
    let call = peer.accept_call().await;
    peer.host_call(call.call_id, 1, "slow", "null").await;
    drop(peer);
    let err = finish(running).await.expect_err("died");
    assert!(matches!(err, Error::SidecarDied { .. }), "{err}");
}

#[tokio::test]
async fn refused_call_is_a_request_error() {
    let (sidecar, mut peer) = connect().await;
    let running = start(&sidecar, CallSpec::new("src"));
    let request = peer.recv().await;
    let Some(request::Kind::Call(call)) = request.kind else {
        panic!("expected Call, got {request:?}");
    };
    let refused = RequestError {
        code: ErrorCode::DuplicateExec as i32,
        message: "busy".to_owned(),
        exec_id: call.call_id,
    };
    peer.send(request.request_id, event::Kind::RequestError(refused))
        .await;
    let err = finish(running).await.expect_err("refused");
    assert_eq!(err.code(), Some(ErrorCode::DuplicateExec), "{err}");
}

#[tokio::test]
async fn result_that_is_not_json_is_a_protocol_error() {
    let (sidecar, mut peer) = connect().await;
    let running = start(&sidecar, CallSpec::new("src"));
    let call = peer.accept_call().await;
    let outcome = call_result::Outcome::OkJson("{".to_owned());
    peer.result(call.call_id, outcome).await;
    let err = finish(running).await.expect_err("bad result");
    assert!(matches!(err, Error::Protocol(_)), "{err}");
}

#[tokio::test]
async fn an_abandoned_call_is_killed_and_its_late_events_are_dropped() {
    let (sidecar, mut peer) = connect().await;
    let running = start(&sidecar, CallSpec::new("src"));
    let call = peer.accept_call().await;
    running.abort();
    let request = peer.recv().await;
    let Some(request::Kind::Kill(kill)) = request.kind else {
        panic!("expected Kill, got {request:?}");
    };
    assert_eq!((kill.exec_id, kill.signal), (call.call_id, 9));
    peer.host_call(call.call_id, 1, "x", "null").await;
    let killed = agentos_proto::v1::CallError {
        code: ErrorCode::Killed as i32,
        message: "killed".to_owned(),
        stack: String::new(),
    };
    peer.result(call.call_id, call_result::Outcome::Error(killed))
        .await;
    // The connection is unharmed: the next call runs normally.
    let running = start(&sidecar, CallSpec::new("src"));
    let next = peer.accept_call().await;
    assert_ne!(next.call_id, call.call_id);
    peer.result(next.call_id, ok_json(&json!("fine"))).await;
    assert_eq!(
        finish(running).await.expect("outcome").result,
        Ok(json!("fine"))
    );
}
