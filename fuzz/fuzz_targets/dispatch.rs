//! Fuzzes the whole request side: `agentos_sidecar::serve` on the input as its stdin stream.
//!
//! Input layout:
//! ```text
//! +-------+---------------------------------------------+
//! | flags | stream: request frames as the host sends    |
//! +-------+---------------------------------------------+
//! flags bit 0: prepend a valid Hello frame (request_id 1), to get past the handshake.
//! flags bit 1: max_running 1 instead of 2 (exercises the queue).
//! ```
//! `serve` runs with small limits (64 KiB frames, 2 running, 4 queued, heap 16..64 MiB, 2 s
//! default and 5 s maximum wall and CPU time, 1 MiB default output), the
//! snapshot off and no warm isolates, so a guest the fuzzer writes (`node -e ...`) really runs in
//! V8, but cheaply. Before the stream is served, every frame that decodes as an `Exec` has its
//! preopens' host paths pointed at a scratch directory: the fuzzer runs as root and must not
//! reach the host's files through a writable preopen. Nothing else is changed.
//!
//! Checked after `serve` returns:
//! - it returned at all (libFuzzer's `-timeout` turns a hang into a finding);
//! - it ended `Broken` exactly when the stream breaks (oversized length or cut frame) before a
//!   handshaken `Shutdown`;
//! - the output is a whole number of frames, each a valid `Event` with a kind;
//! - the first event answers the Hello, when one was prepended;
//! - per exec id: `ExecStarted`, then `Output`s, then one `ExecExited`, and nothing after it;
//!   every started exec has exited by the time `serve` returns;
//! - the writer thread lets go of the output within 10 s (no exec thread outlived shutdown),
//!   and the process's thread count comes back to where it was, give or take the process-wide
//!   threads started on first use (no thread leak across runs).
#![no_main]

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock};
use std::time::{Duration, Instant};

use agentos_proto::v1::{Hello, Stream};
use agentos_proto::{
    ErrorCode, Event, FrameDecoder, FrameError, HEADER_LEN, PROTOCOL_VERSION, Request,
    encode_frame, event, request,
};
use agentos_engine::{Engine, EngineConfig, SnapshotMode};
use agentos_sidecar::server::SessionEnd;
use agentos_sidecar::cells::Cells;
use agentos_sidecar::runner::Runner;
use agentos_sidecar::writer::{OUTPUT_CHUNK, Writer};
use agentos_sidecar::{Config, serve};
use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use prost::Message;

const MAX_FRAME: usize = 64 << 10;
const HELLO_ID: u64 = 1;
/// How long the writer may keep the output after `serve` returns before it counts as a leak.
const RELEASE_LIMIT: Duration = Duration::from_secs(10);
/// Threads the sidecar starts once per process, on first use, and keeps (the exec watchdog);
/// more than this many extra threads at rest means threads leak across sessions.
const LAZY_SINGLETONS: usize = 2;

static INIT: Once = Once::new();
static BASELINE_THREADS: OnceLock<usize> = OnceLock::new();
static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();

fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("agentos-fuzz-{}", std::process::id()))
}

fn init() {
    INIT.call_once(|| {
        std::fs::create_dir_all(scratch()).expect("create the scratch directory");
        let engine = Engine::new(EngineConfig {
            snapshot_mode: SnapshotMode::Off,
            warm_isolates: 0,
            ..EngineConfig::default()
        });
        let _ = ENGINE.set(engine);
    });
}

/// With `AGENTOS_FUZZ_CELLS=1`, guests run in one engine cell per input (the sidecar binary built
/// at `../target/debug/agentos-sidecar`, or `AGENTOS_FUZZ_SIDECAR`): the mode for the hostile-JS
/// dictionary, whose V8 aborts would otherwise end the fuzzer.
fn cell_binary() -> Option<PathBuf> {
    if std::env::var("AGENTOS_FUZZ_CELLS").as_deref() != Ok("1") {
        return None;
    }
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/debug/agentos-sidecar");
    Some(std::env::var_os("AGENTOS_FUZZ_SIDECAR").map_or_else(|| default.into(), PathBuf::from))
}

fn config(flags: u8) -> Config {
    let mut config = Config {
        max_frame_bytes: MAX_FRAME,
        max_running: if flags & 2 != 0 { 1 } else { 2 },
        max_queued: 4,
        shutdown_grace: Duration::from_secs(5),
        ..Config::default()
    };
    let limits = &mut config.limits;
    limits.defaults.heap_mb = 16;
    limits.maxima.heap_mb = 64;
    // A guest that spins or waits ends by itself within seconds, not minutes.
    limits.defaults.timeout_ms = 2_000;
    limits.maxima.timeout_ms = 5_000;
    limits.defaults.cpu_ms = 2_000;
    limits.maxima.cpu_ms = 5_000;
    limits.defaults.max_output_bytes = 1 << 20;
    limits.maxima.max_output_bytes = 4 << 20;
    config
}

/// The output: collects frames, and says when the writer thread has let go of it.
struct Sink {
    bytes: Arc<Mutex<Vec<u8>>>,
    released: Arc<AtomicBool>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.lock().expect("sink lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.released.store(true, Ordering::Release);
    }
}

fn frame(request: &Request) -> BytesMut {
    let mut buf = BytesMut::new();
    encode_frame(request, MAX_FRAME, &mut buf).expect("a harness frame fits");
    buf
}

/// Rewrites preopen host paths to the scratch directory and predicts how the session ends.
fn prepare(stream: &[u8]) -> (Vec<u8>, SessionEnd) {
    let mut out = Vec::with_capacity(stream.len());
    let mut handshaken = false;
    let mut rest = stream;
    loop {
        if rest.is_empty() {
            return (out, SessionEnd::Clean);
        }
        if rest.len() < HEADER_LEN {
            out.extend_from_slice(rest);
            return (out, SessionEnd::Broken);
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len > MAX_FRAME || rest.len() < HEADER_LEN + len {
            out.extend_from_slice(rest);
            return (out, SessionEnd::Broken);
        }
        let (whole, next) = rest.split_at(HEADER_LEN + len);
        rest = next;
        let Ok(mut request) = Request::decode(&whole[HEADER_LEN..]) else {
            out.extend_from_slice(whole);
            continue;
        };
        match &mut request.kind {
            Some(request::Kind::Hello(h)) if h.protocol_version == PROTOCOL_VERSION => {
                handshaken = true;
            }
            Some(request::Kind::Shutdown(_)) if handshaken => {
                out.extend_from_slice(whole);
                // The server stops reading here.
                return (out, SessionEnd::Clean);
            }
            Some(request::Kind::Exec(exec)) if !exec.preopens.is_empty() => {
                let host = scratch().to_string_lossy().into_owned();
                for preopen in &mut exec.preopens {
                    preopen.host_path.clone_from(&host);
                }
                out.extend_from_slice(&frame(&request));
                continue;
            }
            _ => {}
        }
        out.extend_from_slice(whole);
    }
}

fn threads() -> usize {
    // Counting entries, not parsing /proc/self/status: no string compares for the fuzzer to chase.
    std::fs::read_dir("/proc/self/task")
        .expect("read /proc/self/task")
        .count()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Life {
    Started,
    Exited,
}

fn check_events(out: &[u8], hello: bool) {
    let mut decoder = FrameDecoder::new(MAX_FRAME);
    let mut buf = BytesMut::from(out);
    let mut execs: HashMap<u64, Life> = HashMap::new();
    let mut first = true;
    loop {
        let ev = match decoder.decode::<Event>(&mut buf) {
            Ok(Some(ev)) => ev,
            Ok(None) => break,
            Err(FrameError::Decode(e)) => panic!("the sidecar wrote an undecodable event: {e}"),
            Err(e) => panic!("the sidecar wrote a bad frame: {e}"),
        };
        let kind = ev.kind.as_ref().expect("every event has a kind");
        if first && hello {
            assert!(
                matches!(kind, event::Kind::HelloAck(_)) && ev.request_id == HELLO_ID,
                "the first event does not answer the Hello: {ev:?}"
            );
        }
        first = false;
        match kind {
            event::Kind::ExecStarted(s) => {
                assert_ne!(s.exec_id, 0, "exec 0 was started");
                let before = execs.insert(s.exec_id, Life::Started);
                assert_ne!(
                    before,
                    Some(Life::Started),
                    "exec {} started twice without exiting",
                    s.exec_id
                );
            }
            event::Kind::Output(o) => {
                assert_eq!(
                    execs.get(&o.exec_id),
                    Some(&Life::Started),
                    "output for exec {} outside its life: {ev:?}",
                    o.exec_id
                );
                assert!(o.data.len() <= OUTPUT_CHUNK && !o.data.is_empty());
                assert!(
                    o.stream == Stream::Stdout as i32 || o.stream == Stream::Stderr as i32,
                    "output on stream {}",
                    o.stream
                );
            }
            event::Kind::ExecExited(x) => {
                assert_eq!(
                    execs.insert(x.exec_id, Life::Exited),
                    Some(Life::Started),
                    "ExecExited for exec {} that is not running",
                    x.exec_id
                );
            }
            event::Kind::RequestError(e) => {
                let code = ErrorCode::try_from(e.code).unwrap_or(ErrorCode::Unspecified);
                assert!(
                    !matches!(code, ErrorCode::Unspecified | ErrorCode::Internal),
                    "request error with code {code:?}: {ev:?}"
                );
            }
            // HelloAck, Pong, StatsReply and the call-mode events carry no exec life.
            _ => {}
        }
    }
    decoder
        .finish(&buf)
        .expect("the output ends on a frame boundary");
    let running: Vec<_> = (execs.iter())
        .filter(|(_, life)| **life == Life::Started)
        .map(|(id, _)| *id)
        .collect();
    assert!(
        running.is_empty(),
        "serve returned with execs that never reported an exit: {running:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    init();
    let Some((&flags, stream)) = data.split_first() else {
        return;
    };
    let baseline = *BASELINE_THREADS.get_or_init(threads);
    let hello = flags & 1 != 0;
    let mut input = Vec::new();
    if hello {
        input.extend_from_slice(&frame(&Request {
            request_id: HELLO_ID,
            kind: Some(request::Kind::Hello(Hello {
                protocol_version: PROTOCOL_VERSION,
                client: "fuzz".into(),
            })),
        }));
    }
    let (prepared, _) = prepare(stream);
    input.extend_from_slice(&prepared);
    let (_, expected_end) = prepare(&input);

    let bytes = Arc::new(Mutex::new(Vec::new()));
    let released = Arc::new(AtomicBool::new(false));
    let sink = Sink {
        bytes: bytes.clone(),
        released: released.clone(),
    };
    let writer = Arc::new(Writer::new(sink, MAX_FRAME));
    let runner = match cell_binary() {
        // Guests that make V8 abort end their cell, not this process.
        Some(binary) => Runner::Cells(Cells::start(1, binary, MAX_FRAME, writer.clone())),
        None => Runner::Local(ENGINE.get().expect("initialised").clone()),
    };
    let end = serve(config(flags), runner, &input[..], writer);
    assert_eq!(
        end, expected_end,
        "serve ended {end:?}, expected {expected_end:?}"
    );

    let returned = Instant::now();
    while !released.load(Ordering::Acquire) {
        assert!(
            returned.elapsed() < RELEASE_LIMIT,
            "the writer still holds the output {RELEASE_LIMIT:?} after serve returned: \
             an exec thread outlived shutdown"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let out = std::mem::take(&mut *bytes.lock().expect("sink lock"));
    check_events(&out, hello);

    // Worker threads exit just after they report; give them a moment, then insist. Process-wide
    // helpers started on first use (the watchdog) stay, hence the allowance.
    while threads() > baseline + LAZY_SINGLETONS {
        assert!(
            returned.elapsed() < RELEASE_LIMIT,
            "{} threads alive after serve returned, {baseline} before the first run",
            threads()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
});
