//! Deterministic request fuzzing against one real sidecar: the CI-sized sibling of `fuzz/`.
//!
//! A fixed-seed xorshift generator builds request sequences (every kind, random fields, hostile
//! ids and sizes); a model predicts the answer to each request, and every event is checked
//! against it. After each step a barrier `Ping` (ids from [`BARRIER_BASE`] up) is sent: every
//! direct answer to the step must arrive before its `Pong`, because one dispatcher thread answers
//! in order. `Output` / `ExecExited` may arrive at any time and go to the per-exec tracker.
//!
//! The model only sends requests whose answer is certain: stdin and kills go to guests that are
//! known to be waiting on stdin (or known to be gone), and an exec id counts as free only once
//! its `ExecExited` has been read.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::Duration;

use agentos_proto::v1::{
    EnvVar, ErrorCode, Exec, ExecExited, Hello, Kill, Limits, Ping, Stats, StdinClose, StdinWrite,
    Stream,
};
use agentos_proto::{PROTOCOL_VERSION, Request, encode_frame, event, request};
use agentos_sidecar::limits::LimitPolicy;
use bytes::{Bytes, BytesMut};
use prost::Message;

use crate::raw::Raw;
use crate::support::HANG;

/// Barrier pings use ids from here up; random request ids stay below.
const BARRIER_BASE: u64 = 1 << 62;
/// Guests waiting on stdin at once; each holds a running slot until closed or killed.
const MAX_WAITING: usize = 3;
/// Signal names the protocol accepts, with and without `SIG` (case-insensitive).
const SIGNAL_NAMES: &[(&str, u32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ABRT", 6),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("XCPU", 24),
];

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn word(&mut self, max_len: u64) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
        let len = 1 + self.below(max_len) as usize;
        (0..len)
            .map(|_| ALNUM[self.below(ALNUM.len() as u64) as usize] as char)
            .collect()
    }

    /// Printable ASCII, so guests echo it byte for byte.
    fn text(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| b' ' + self.below(95) as u8).collect()
    }

    /// Printable ASCII of a random length below `max`.
    fn text_below(&mut self, max: u64) -> Vec<u8> {
        let len = self.below(max) as usize;
        self.text(len)
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// What the driver was waiting for last, for the message of a hang.
static WAITING_FOR: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

fn waiting_for(what: String) {
    if let Ok(mut slot) = WAITING_FOR.lock() {
        *slot = what;
    }
}

/// Runs `body` on its own thread; a hang fails the test instead of stalling CI, saying what the
/// driver was waiting for.
fn within<T: Send + 'static>(limit: Duration, body: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)));
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => {
            let what = WAITING_FOR.lock().map(|s| s.clone()).unwrap_or_default();
            panic!("the sidecar did not answer within {limit:?} (a hang); waiting for {what}")
        }
    }
}

fn frame(request: &Request) -> Vec<u8> {
    let mut buf = BytesMut::new();
    encode_frame(request, usize::MAX >> 1, &mut buf).expect("encode");
    buf.to_vec()
}

fn framed(payload: &[u8]) -> Vec<u8> {
    let mut out = (payload.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(payload);
    out
}

/// The direct answer a request must get (requests answered by nothing are not listed).
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    HelloAck,
    Pong(Bytes),
    Stats,
    Started(u64),
    Error(ErrorCode, u64),
}

/// What a started guest does, and so how it must end.
#[derive(Debug, Clone)]
enum Guest {
    /// Prints `stdout` and exits 0.
    Prints(Vec<u8>),
    /// Exits with this code, printing nothing.
    Exits(i32),
    /// Echoes stdin to stdout until stdin closes (then exits 0) or it is killed.
    Echo,
    /// argv[0] names no command: 127, COMMAND_NOT_FOUND.
    NotFound,
    /// `node --bogus`: exits 9 like node.
    BadOption,
}

/// What the test has seen of one running exec, and what it expects of it.
#[derive(Debug)]
struct Live {
    guest: Guest,
    stdout: Vec<u8>,
    /// Stdin written to an `Echo` guest, which it must echo.
    written: Vec<u8>,
    stdin_closed: bool,
    killed: Option<u32>,
}

/// One sidecar, the generator, and the model of which execs are running.
struct Driver {
    raw: Raw,
    rng: Rng,
    barrier: u64,
    /// Accepted (or about to be) and no `ExecExited` read yet.
    live: HashMap<u64, Live>,
    /// Ids whose `ExecExited` has been read (and not reused since).
    exited: Vec<u64>,
    policy: LimitPolicy,
    execs_started: usize,
    execs_checked: usize,
}

impl Driver {
    fn new(seed: u64) -> Self {
        Self {
            raw: Raw::ready(),
            rng: Rng(seed),
            barrier: BARRIER_BASE,
            live: HashMap::new(),
            exited: Vec::new(),
            policy: LimitPolicy::default(),
            execs_started: 0,
            execs_checked: 0,
        }
    }

    /// Sends `bytes` (one or more frames), then a barrier ping, and checks that exactly
    /// `answers` came back before the pong, in order. `guests` says what each expected
    /// `Started(id)` runs.
    fn step(&mut self, bytes: &[u8], answers: &[(u64, Answer)], guests: &[Guest]) {
        self.barrier += 1;
        let barrier = self.barrier;
        let token = Bytes::from(format!("barrier-{barrier}"));
        let mut wire = bytes.to_vec();
        wire.extend_from_slice(&frame(&Request {
            request_id: barrier,
            kind: Some(request::Kind::Ping(Ping {
                payload: token.clone(),
            })),
        }));
        self.raw.write_bytes(&wire);
        waiting_for(format!(
            "barrier {barrier} after {answers:?}; live execs {:?}",
            self.live_summary()
        ));
        let mut got = Vec::new();
        let mut guests = guests.iter();
        loop {
            let ev = self.raw.next_event().expect("an event before EOF");
            let kind = ev.kind.clone().expect("every event has a kind");
            let answer = match kind {
                event::Kind::Output(o) => {
                    self.output(o.exec_id, o.stream, &o.data);
                    continue;
                }
                event::Kind::ExecExited(x) => {
                    self.exit(&x);
                    continue;
                }
                event::Kind::Pong(p) if ev.request_id == barrier => {
                    assert_eq!(p.payload, token, "barrier pong payload");
                    break;
                }
                event::Kind::Pong(p) => Answer::Pong(p.payload),
                event::Kind::HelloAck(_) => Answer::HelloAck,
                event::Kind::StatsReply(_) => Answer::Stats,
                event::Kind::ExecStarted(s) => {
                    let guest = guests.next().cloned().unwrap_or_else(|| {
                        panic!("exec {} started, expected {answers:?}", s.exec_id)
                    });
                    self.started(s.exec_id, guest);
                    Answer::Started(s.exec_id)
                }
                event::Kind::RequestError(e) => {
                    let code = ErrorCode::try_from(e.code).unwrap_or(ErrorCode::Unspecified);
                    assert!(
                        !e.message.is_empty(),
                        "request error without a message: {e:?}"
                    );
                    Answer::Error(code, e.exec_id)
                }
                other => panic!("unexpected event {other:?}"),
            };
            got.push((ev.request_id, answer));
        }
        assert_eq!(got, answers, "answers to {} request bytes", bytes.len());
    }

    fn send(&mut self, id: u64, kind: request::Kind, answer: Option<Answer>, guest: Option<Guest>) {
        let bytes = frame(&Request {
            request_id: id,
            kind: Some(kind),
        });
        let answers: Vec<_> = answer.into_iter().map(|a| (id, a)).collect();
        let guests: Vec<_> = guest.into_iter().collect();
        self.step(&bytes, &answers, &guests);
    }

    fn started(&mut self, id: u64, guest: Guest) {
        assert_ne!(id, 0, "exec id 0 was started");
        let before = self.live.insert(
            id,
            Live {
                guest,
                stdout: Vec::new(),
                written: Vec::new(),
                stdin_closed: false,
                killed: None,
            },
        );
        assert!(before.is_none(), "exec {id} started while running");
        self.exited.retain(|&e| e != id);
        self.execs_started += 1;
    }

    fn output(&mut self, id: u64, stream: i32, data: &[u8]) {
        let live = (self.live.get_mut(&id))
            .unwrap_or_else(|| panic!("output for exec {id}, which is not running"));
        assert!(!data.is_empty(), "empty output event for exec {id}");
        if stream == Stream::Stdout as i32 {
            live.stdout.extend_from_slice(data);
        } else {
            assert_eq!(stream, Stream::Stderr as i32, "output on stream {stream}");
        }
    }

    fn exit(&mut self, x: &ExecExited) {
        let id = x.exec_id;
        let live = (self.live.remove(&id))
            .unwrap_or_else(|| panic!("ExecExited for exec {id}, which is not running: {x:?}"));
        let error = ErrorCode::try_from(x.error).unwrap_or(ErrorCode::Unspecified);
        let outcome = (x.exit_code, x.signal, error);
        match (&live.guest, live.killed) {
            (Guest::Echo, Some(signal)) => {
                assert_eq!(
                    outcome,
                    (128 + signal as i32, signal, ErrorCode::Unspecified)
                );
            }
            (_, Some(_)) => panic!("only waiting guests are killed"),
            (Guest::Echo, None) => {
                assert!(live.stdin_closed, "echo {id} exited with stdin open: {x:?}");
                assert_eq!(outcome, (0, 0, ErrorCode::Unspecified), "echo {id}");
                assert_eq!(live.stdout, live.written, "echo {id} stdout");
            }
            (Guest::Prints(text), None) => {
                assert_eq!(outcome, (0, 0, ErrorCode::Unspecified), "exec {id}: {x:?}");
                assert_eq!(
                    String::from_utf8_lossy(&live.stdout),
                    String::from_utf8_lossy(text),
                    "exec {id} stdout"
                );
            }
            (Guest::Exits(code), None) => {
                assert_eq!(outcome, (*code, 0, ErrorCode::Unspecified), "exec {id}");
            }
            (Guest::NotFound, None) => {
                assert_eq!(outcome, (127, 0, ErrorCode::CommandNotFound), "exec {id}");
            }
            (Guest::BadOption, None) => assert_eq!(outcome.0, 9, "exec {id}: {x:?}"),
        }
        self.exited.push(id);
        self.execs_checked += 1;
    }

    fn request_id(&mut self) -> u64 {
        match self.rng.below(10) {
            0 => 0,
            1 => BARRIER_BASE - 1,
            _ => self.rng.below(BARRIER_BASE),
        }
    }

    /// An id no running exec has.
    fn free_exec_id(&mut self) -> u64 {
        loop {
            let id = match self.rng.below(3) {
                0 => 1 + self.rng.below(64),
                1 if !self.exited.is_empty() => {
                    self.exited[self.rng.below(self.exited.len() as u64) as usize]
                }
                _ => 1 + self.rng.below(u64::MAX - 1),
            };
            if !self.live.contains_key(&id) {
                return id;
            }
        }
    }

    /// A guest that is certainly waiting on stdin: open, not killed.
    fn waiting(&mut self) -> Option<u64> {
        let mut ids: Vec<u64> = (self.live.iter())
            .filter(|(_, l)| {
                matches!(l.guest, Guest::Echo) && !l.stdin_closed && l.killed.is_none()
            })
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        (!ids.is_empty()).then(|| ids[self.rng.below(ids.len() as u64) as usize])
    }

    /// An exec id certainly not registered: never used, or read as exited.
    fn gone_exec_id(&mut self) -> u64 {
        if !self.exited.is_empty() && self.rng.chance(50) {
            return self.exited[self.rng.below(self.exited.len() as u64) as usize];
        }
        self.free_exec_id()
    }

    fn env(&mut self) -> Vec<EnvVar> {
        (0..self.rng.below(12))
            .map(|_| EnvVar {
                key: self.rng.word(16),
                value: String::from_utf8(self.rng.text_below(200)).expect("ascii"),
            })
            .collect()
    }

    fn exec_msg(&mut self, id: u64, argv: Vec<String>) -> Exec {
        Exec {
            exec_id: id,
            argv,
            env: self.env(),
            cwd: "/".into(),
            ..Default::default()
        }
    }

    fn exec_step(&mut self, exec: Exec, answer: Answer, guest: Option<Guest>) {
        let id = self.request_id();
        self.send(id, request::Kind::Exec(exec), Some(answer), guest);
    }

    /// One random request (or a pair sharing a request id) and its predicted answers.
    fn random_step(&mut self) {
        match self.rng.below(20) {
            0 | 1 => {
                let len = match self.rng.below(10) {
                    0 => self.rng.below(64 << 10) as usize,
                    _ => self.rng.below(64) as usize,
                };
                let payload = Bytes::from(self.rng.bytes(len));
                let id = self.request_id();
                let ping = request::Kind::Ping(Ping {
                    payload: payload.clone(),
                });
                self.send(id, ping, Some(Answer::Pong(payload)), None);
            }
            2 => {
                let id = self.request_id();
                self.send(
                    id,
                    request::Kind::Stats(Stats {}),
                    Some(Answer::Stats),
                    None,
                );
            }
            3 | 4 => {
                // Prints a word, or an env var it was given.
                let exec_id = self.free_exec_id();
                let word = self.rng.word(20);
                let mut exec = self.exec_msg(exec_id, Vec::new());
                let code = if self.rng.chance(50) {
                    exec.env.push(EnvVar {
                        key: "FUZZ_VALUE".into(),
                        value: word.clone(),
                    });
                    "console.log(process.env.FUZZ_VALUE)".to_string()
                } else {
                    format!("console.log('{word}')")
                };
                exec.argv = ["node", "-e", &code].map(String::from).to_vec();
                let guest = Guest::Prints(format!("{word}\n").into_bytes());
                self.exec_step(exec, Answer::Started(exec_id), Some(guest));
            }
            5 => {
                // Initial stdin, closed: echoed back.
                let exec_id = self.free_exec_id();
                let stdin = self.rng.text_below(4096);
                let code = "process.stdin.on('data', c => process.stdout.write(c))";
                let mut exec =
                    self.exec_msg(exec_id, ["node", "-e", code].map(String::from).to_vec());
                exec.stdin = stdin.clone().into();
                let guest = Guest::Prints(stdin);
                self.exec_step(exec, Answer::Started(exec_id), Some(guest));
            }
            6 if self.waiting_count() < MAX_WAITING => {
                let exec_id = self.free_exec_id();
                let code = "process.stdin.on('data', c => process.stdout.write(c))";
                let mut exec =
                    self.exec_msg(exec_id, ["node", "-e", code].map(String::from).to_vec());
                exec.stdin_open = true;
                self.exec_step(exec, Answer::Started(exec_id), Some(Guest::Echo));
            }
            7 => {
                let exec_id = self.free_exec_id();
                let code = self.rng.below(256) as i32;
                let js = format!("process.exit({code})");
                let exec = self.exec_msg(exec_id, ["node", "-e", &js].map(String::from).to_vec());
                self.exec_step(exec, Answer::Started(exec_id), Some(Guest::Exits(code)));
            }
            8 => {
                let exec_id = self.free_exec_id();
                let (argv, guest) = if self.rng.chance(50) {
                    (
                        vec![format!("no-such-command-{}", self.rng.word(8))],
                        Guest::NotFound,
                    )
                } else {
                    (vec!["node".into(), "--bogus-flag".into()], Guest::BadOption)
                };
                let exec = self.exec_msg(exec_id, argv);
                self.exec_step(exec, Answer::Started(exec_id), Some(guest));
            }
            9 => self.refused_exec(),
            10 | 11 => self.stdin_step(),
            12 => self.close_step(),
            13 | 14 => self.kill_step(),
            15 => self.unknown_fields_step(),
            16 => self.hello_step(),
            17 => self.shared_request_id_step(),
            18 => self.huge_argv_step(),
            _ => {
                // A duplicate of a waiting guest's id is refused; it keeps running.
                let Some(exec_id) = self.waiting() else {
                    return;
                };
                let exec = self.exec_msg(exec_id, vec!["node".into(), "-e".into(), "1".into()]);
                self.exec_step(exec, Answer::Error(ErrorCode::DuplicateExec, exec_id), None);
            }
        }
    }

    fn waiting_count(&self) -> usize {
        (self.live.values())
            .filter(|l| matches!(l.guest, Guest::Echo) && !l.stdin_closed && l.killed.is_none())
            .count()
    }

    /// Execs refused at admission: id 0, empty argv, limits past the maxima.
    fn refused_exec(&mut self) {
        let exec_id = self.free_exec_id();
        let argv = vec!["node".to_string(), "-e".into(), "1".into()];
        let maxima = self.policy.maxima;
        let (exec, code, named) = match self.rng.below(4) {
            0 => (self.exec_msg(0, argv), ErrorCode::BadArgument, 0),
            1 => (
                self.exec_msg(exec_id, Vec::new()),
                ErrorCode::BadArgument,
                exec_id,
            ),
            2 => {
                let mut exec = self.exec_msg(exec_id, argv);
                exec.limits = Some(Limits {
                    heap_mb: maxima.heap_mb + 1 + self.rng.below(1000) as u32,
                    ..Default::default()
                });
                (exec, ErrorCode::BadArgument, exec_id)
            }
            _ => {
                let mut exec = self.exec_msg(exec_id, argv);
                exec.limits = Some(Limits {
                    timeout_ms: maxima.timeout_ms + 1 + self.rng.below(1000),
                    ..Default::default()
                });
                (exec, ErrorCode::BadArgument, exec_id)
            }
        };
        self.exec_step(exec, Answer::Error(code, named), None);
    }

    fn stdin_step(&mut self) {
        let mut data = self.rng.text_below(2048);
        data.push(b'.');
        let id = self.request_id();
        let (exec_id, answer) = match self.waiting() {
            Some(exec_id) if self.rng.chance(70) => {
                let live = self.live.get_mut(&exec_id).expect("waiting guest");
                live.written.extend_from_slice(&data);
                (exec_id, None)
            }
            _ => {
                let exec_id = self.gone_exec_id();
                (
                    exec_id,
                    Some(Answer::Error(ErrorCode::UnknownExec, exec_id)),
                )
            }
        };
        let write = request::Kind::StdinWrite(StdinWrite {
            exec_id,
            data: data.into(),
        });
        self.send(id, write, answer, None);
    }

    fn close_step(&mut self) {
        let id = self.request_id();
        let (exec_id, answer) = match self.waiting() {
            Some(exec_id) if self.rng.chance(70) => {
                self.live
                    .get_mut(&exec_id)
                    .expect("waiting guest")
                    .stdin_closed = true;
                (exec_id, None)
            }
            _ => {
                let exec_id = self.gone_exec_id();
                (
                    exec_id,
                    Some(Answer::Error(ErrorCode::UnknownExec, exec_id)),
                )
            }
        };
        self.send(
            id,
            request::Kind::StdinClose(StdinClose { exec_id }),
            answer,
            None,
        );
    }

    /// A random signal, by number or name; `None` when the protocol must refuse it.
    fn signal(&mut self) -> (u32, String, Option<u32>) {
        match self.rng.below(6) {
            0 => (0, String::new(), Some(9)),
            1 => {
                let n = 1 + self.rng.below(64) as u32;
                (n, String::new(), Some(n))
            }
            2 => {
                let n = 65 + self.rng.below(u64::from(u32::MAX - 65)) as u32;
                (n, String::new(), None)
            }
            3 | 4 => {
                let (name, n) = SIGNAL_NAMES[self.rng.below(SIGNAL_NAMES.len() as u64) as usize];
                let spelled = match self.rng.below(3) {
                    0 => name.to_string(),
                    1 => format!("SIG{name}"),
                    _ => name.to_lowercase(),
                };
                // A name wins over the number.
                (self.rng.below(100) as u32, spelled, Some(n))
            }
            _ => (
                self.rng.below(10) as u32,
                format!("SIGNOPE{}", self.rng.word(4)),
                None,
            ),
        }
    }

    fn kill_step(&mut self) {
        let id = self.request_id();
        let (signal, signal_name, resolved) = self.signal();
        let (exec_id, answer) = match (resolved, self.waiting()) {
            (None, target) => {
                let exec_id = target.unwrap_or_else(|| self.gone_exec_id());
                (
                    exec_id,
                    Some(Answer::Error(ErrorCode::BadArgument, exec_id)),
                )
            }
            (Some(sig), Some(exec_id)) if self.rng.chance(70) => {
                self.live.get_mut(&exec_id).expect("waiting guest").killed = Some(sig);
                (exec_id, None)
            }
            (Some(_), _) => {
                let exec_id = self.gone_exec_id();
                (
                    exec_id,
                    Some(Answer::Error(ErrorCode::UnknownExec, exec_id)),
                )
            }
        };
        let kill = request::Kind::Kill(Kill {
            exec_id,
            signal,
            signal_name,
        });
        self.send(id, kill, answer, None);
    }

    /// Unknown field numbers: ignored beside a known kind, `BAD_REQUEST` without one.
    fn unknown_fields_step(&mut self) {
        let id = self.request_id();
        let mut payload = Request {
            request_id: id,
            kind: None,
        }
        .encode_to_vec();
        // Field 1000 + k, wire type varint, then a length-delimited field 2000.
        for k in 0..1 + self.rng.below(3) {
            prost::encoding::encode_key(
                (1000 + k) as u32,
                prost::encoding::WireType::Varint,
                &mut payload,
            );
            prost::encoding::encode_varint(self.rng.next(), &mut payload);
        }
        prost::encoding::bytes::encode(2000, &self.rng.bytes(7), &mut payload);
        if self.rng.chance(50) {
            let ping = Ping {
                payload: Bytes::from_static(b"known"),
            };
            prost::encoding::message::encode(8, &ping, &mut payload);
            let answer = Answer::Pong(Bytes::from_static(b"known"));
            self.step(&framed(&payload), &[(id, answer)], &[]);
        } else {
            let answer = Answer::Error(ErrorCode::BadRequest, 0);
            self.step(&framed(&payload), &[(id, answer)], &[]);
        }
    }

    fn hello_step(&mut self) {
        let id = self.request_id();
        let (version, answer) = if self.rng.chance(50) {
            (PROTOCOL_VERSION, Answer::HelloAck)
        } else {
            let v = PROTOCOL_VERSION + 1 + self.rng.below(1000) as u32;
            (v, Answer::Error(ErrorCode::UnsupportedVersion, 0))
        };
        let hello = request::Kind::Hello(Hello {
            protocol_version: version,
            client: self.rng.word(30),
        });
        self.send(id, hello, Some(answer), None);
    }

    /// Two requests with one request id: both answered, in order, under that id.
    fn shared_request_id_step(&mut self) {
        let id = self.request_id();
        let gone = self.gone_exec_id();
        let payload = Bytes::from(self.rng.bytes(8));
        let mut bytes = frame(&Request {
            request_id: id,
            kind: Some(request::Kind::Ping(Ping {
                payload: payload.clone(),
            })),
        });
        bytes.extend(frame(&Request {
            request_id: id,
            kind: Some(request::Kind::StdinClose(StdinClose { exec_id: gone })),
        }));
        let answers = [
            (id, Answer::Pong(payload)),
            (id, Answer::Error(ErrorCode::UnknownExec, gone)),
        ];
        self.step(&bytes, &answers, &[]);
    }

    /// argv of exactly `max_argv_bytes` runs; one byte more is refused naming the limit.
    fn huge_argv_step(&mut self) {
        let exec_id = self.free_exec_id();
        let head = [
            "node",
            "-e",
            "console.log(process.argv.length, process.argv[1].length)",
        ];
        let used: usize = head.iter().map(|a| a.len() + 1).sum();
        let fill = self.policy.max_argv_bytes - used - 1;
        let over = self.rng.chance(30);
        let big = "x".repeat(fill + usize::from(over));
        let mut argv: Vec<String> = head.map(String::from).to_vec();
        argv.push(big);
        let exec = self.exec_msg(exec_id, argv);
        if over {
            self.exec_step(exec, Answer::Error(ErrorCode::BadArgument, exec_id), None);
        } else {
            let guest = Guest::Prints(format!("2 {fill}\n").into_bytes());
            self.exec_step(exec, Answer::Started(exec_id), Some(guest));
        }
    }

    /// Each live exec: id, guest, killed by, stdin closed, stdout bytes read.
    fn live_summary(&self) -> Vec<String> {
        (self.live.iter())
            .map(|(id, l)| {
                let (guest, killed, closed) = (&l.guest, l.killed, l.stdin_closed);
                format!(
                    "{id}: {guest:?} killed {killed:?} stdin closed {closed} stdout {}",
                    l.stdout.len()
                )
            })
            .collect()
    }

    /// Ends every waiting guest, waits for every exit, then closes stdin: exit 0, no stray event.
    fn finish(mut self) -> (usize, usize) {
        let waiting: Vec<u64> = self.live.keys().copied().collect();
        for exec_id in waiting {
            // Events read while closing one guest's stdin may include another's exit.
            let Some(live) = self.live.get_mut(&exec_id) else {
                continue;
            };
            if matches!(live.guest, Guest::Echo) && !live.stdin_closed && live.killed.is_none() {
                live.stdin_closed = true;
                let close = request::Kind::StdinClose(StdinClose { exec_id });
                self.send(1, close, None, None);
            }
        }
        while !self.live.is_empty() {
            self.step(&[], &[], &[]);
            std::thread::sleep(Duration::from_millis(5));
        }
        let ping = request::Kind::Ping(Ping {
            payload: Bytes::from_static(b"last"),
        });
        self.send(
            2,
            ping,
            Some(Answer::Pong(Bytes::from_static(b"last"))),
            None,
        );
        self.raw.close_stdin();
        let stray = self.raw.drain();
        assert!(stray.is_empty(), "events after the last pong: {stray:?}");
        let status = self.raw.wait_exit(HANG);
        assert_eq!(status.code(), Some(0), "exit status when stdin closes");
        (self.execs_started, self.execs_checked)
    }
}

#[test]
fn random_request_sequences_get_their_predicted_answers() {
    let (started, checked) = within(2 * HANG, || {
        let mut driver = Driver::new(0x5eed_0001_a6e7_05f0);
        for _ in 0..1000 {
            driver.random_step();
        }
        driver.finish()
    });
    assert_eq!(
        started, checked,
        "every started exec was checked at its exit"
    );
    assert!(
        started >= 150,
        "only {started} execs ran; the generator lost its mix"
    );
}

/// A random payload the dispatcher must refuse, with the code it must use.
fn hostile_payload(rng: &mut Rng) -> (Vec<u8>, u64, ErrorCode) {
    loop {
        let payload = match rng.below(4) {
            // Pure noise, mostly short.
            0 => {
                let len = if rng.chance(5) {
                    rng.below(4096)
                } else {
                    rng.below(48)
                };
                rng.bytes(len as usize)
            }
            // A valid request with bytes flipped, cut or appended.
            _ => {
                let exec = Exec {
                    exec_id: rng.next(),
                    argv: vec!["node".into(), rng.word(10)],
                    ..Default::default()
                };
                let mut bytes = Request {
                    request_id: rng.next(),
                    kind: Some(request::Kind::Exec(exec)),
                }
                .encode_to_vec();
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(bytes.len() as u64) as usize;
                    bytes[at] = rng.next() as u8;
                }
                if rng.chance(30) {
                    bytes.truncate(rng.below(bytes.len() as u64) as usize);
                }
                if rng.chance(20) {
                    let extra = 1 + rng.below(8) as usize;
                    bytes.extend(rng.bytes(extra));
                }
                bytes
            }
        };
        match Request::decode(&payload[..]) {
            Err(_) => return (payload, 0, ErrorCode::BadFrame),
            Ok(Request {
                request_id,
                kind: None,
            }) => return (payload, request_id, ErrorCode::BadRequest),
            // It decoded into a real request: not what this test sends.
            Ok(_) => {}
        }
    }
}

#[test]
fn random_well_framed_payloads_get_only_bad_frame_or_bad_request() {
    within(HANG, || {
        let mut raw = Raw::ready();
        let mut rng = Rng(0xbadf_7a3e_5eed);
        let mut counts = HashMap::new();
        // Batches, read back before the next, so neither pipe fills while the other waits.
        for _ in 0..30 {
            let mut wire = Vec::new();
            let mut expected = Vec::new();
            for _ in 0..100 {
                let (payload, id, code) = hostile_payload(&mut rng);
                wire.extend(framed(&payload));
                expected.push((id, code));
            }
            raw.write_bytes(&wire);
            for (id, code) in expected {
                let ev = raw.next_event().expect("an answer before EOF");
                let Some(event::Kind::RequestError(e)) = &ev.kind else {
                    panic!("expected {code:?}, got {ev:?}");
                };
                assert_eq!(
                    (ev.request_id, ErrorCode::try_from(e.code).ok(), e.exec_id),
                    (id, Some(code), 0),
                    "{e:?}"
                );
                *counts.entry(code).or_insert(0) += 1;
            }
        }
        assert!(counts.len() == 2, "both codes exercised: {counts:?}");
        raw.send(
            7,
            request::Kind::Ping(Ping {
                payload: Bytes::from_static(b"in sync"),
            }),
        );
        let ev = raw.next_event().expect("pong");
        assert_eq!(ev.request_id, 7);
        assert!(matches!(ev.kind, Some(event::Kind::Pong(p)) if &p.payload[..] == b"in sync"));
        raw.close_stdin();
        assert!(raw.drain().is_empty());
        assert_eq!(raw.wait_exit(HANG).code(), Some(0));
    });
}

// Regression tests for findings of the fuzzing pass (see fuzz/README.md).

/// A sidecar started with extra environment (`Raw` always uses the defaults).
struct EnvSidecar {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    events: agentos_proto::FrameReader<std::process::ChildStdout>,
}

impl EnvSidecar {
    fn ready(env: &[(&str, &str)], max_frame: usize) -> Self {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_agentos-sidecar"));
        command
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        let mut child = command.spawn().expect("spawn sidecar");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let mut sidecar = Self {
            child,
            stdin,
            events: agentos_proto::FrameReader::new(stdout, max_frame),
        };
        let hello = request::Kind::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            client: "fuzz-regression".into(),
        });
        sidecar.write(&frame(&Request {
            request_id: 1,
            kind: Some(hello),
        }));
        let ack = sidecar.next();
        assert!(
            matches!(ack.kind, Some(event::Kind::HelloAck(_))),
            "{ack:?}"
        );
        sidecar
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        std::io::Write::write_all(stdin, bytes).expect("write to sidecar");
    }

    fn next(&mut self) -> agentos_proto::Event {
        let payload = self.events.next_frame().expect("a frame").expect("not EOF");
        agentos_proto::Event::decode(payload).expect("an event")
    }
}

impl Drop for EnvSidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An exec id reused as soon as the sidecar frees it: the host must never see two lives of one
/// id overlap. `exec.rs` `report` removes the id from the registry *before* it sends
/// `ExecExited` (and with phase timers on, flushes stdout in between), so a new `Exec` with the
/// same id is accepted and its `ExecStarted` goes out ahead of the old life's `ExecExited`; the
/// host then attributes that exit (and the new life's output) to the wrong run.
#[test]
fn exec_id_reuse_never_overlaps_two_lives() {
    within(HANG, || {
        let mut sc = EnvSidecar::ready(
            &[("AGENTOS_V8_SESSION_PHASES", "1")],
            agentos_proto::DEFAULT_MAX_FRAME_BYTES,
        );
        let exec = Exec {
            exec_id: 9,
            argv: ["node", "-e", ""].map(String::from).to_vec(),
            ..Default::default()
        };
        let (mut sent, mut answered, mut running, mut lives) = (0u64, 0u64, false, 0);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        // Small batches, each read back, so new requests keep arriving while lives end.
        while lives < 50 && std::time::Instant::now() < deadline {
            let mut wire = Vec::new();
            for _ in 0..5 {
                sent += 1;
                wire.extend(frame(&Request {
                    request_id: sent,
                    kind: Some(request::Kind::Exec(exec.clone())),
                }));
            }
            sc.write(&wire);
            while answered < sent {
                let ev = sc.next();
                match ev.kind.expect("a kind") {
                    event::Kind::ExecStarted(_) => {
                        assert!(!running, "exec 9 started again before it exited");
                        (running, answered, lives) = (true, answered + 1, lives + 1);
                    }
                    event::Kind::ExecExited(x) => {
                        assert!(running, "exec 9 exited while not running: {x:?}");
                        running = false;
                    }
                    event::Kind::RequestError(e) => {
                        assert_eq!(e.code, ErrorCode::DuplicateExec as i32, "{e:?}");
                        answered += 1;
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        assert!(lives > 1, "the id was never reused");
    });
}

/// A `Ping` whose frame is exactly at the frame limit must be answered. Its `Pong` is one byte
/// longer (event kinds are numbered from 16, so the kind's tag takes two bytes, not one): the
/// sidecar refuses it with a typed error naming the limit rather than writing an oversized frame.
#[test]
fn ping_at_the_frame_limit_gets_a_typed_refusal_and_one_below_gets_a_pong() {
    within(HANG, || {
        let max = agentos_proto::DEFAULT_MAX_FRAME_BYTES;
        let mut len = max - 16;
        let ping = |len: usize| Request {
            request_id: 3,
            kind: Some(request::Kind::Ping(Ping {
                payload: vec![b'p'; len].into(),
            })),
        };
        while ping(len).encoded_len() < max {
            len += 1;
        }
        assert_eq!(ping(len).encoded_len(), max, "a ping exactly at the limit");
        let mut raw = Raw::ready();
        // Its Pong would be a byte past the limit (event tags take two bytes): refused, typed.
        raw.write_bytes(&frame(&ping(len)));
        let ev = raw.next_event().expect("an answer");
        assert_eq!(ev.request_id, 3);
        let kind = ev.kind.expect("a kind");
        assert_eq!(
            crate::raw::request_error(&kind).map(|e| e.0),
            Some(ErrorCode::BadArgument)
        );
        let event::Kind::RequestError(refusal) = kind else {
            unreachable!()
        };
        assert!(
            refusal.message.contains("max_frame_bytes"),
            "{}",
            refusal.message
        );
        // A few bytes smaller, the echo fits and comes back whole.
        raw.write_bytes(&frame(&ping(len - 8)));
        let Some(event::Kind::Pong(pong)) = raw.next_event().expect("an answer").kind else {
            panic!("expected a Pong");
        };
        assert_eq!(pong.payload.len(), len - 8);
    });
}

/// With `AGENTOS_MAX_FRAME_BYTES` at 64 KiB, guest output arrives in `OUTPUT_CHUNK` (64 KiB)
/// pieces whose `Output` events exceed the frame limit: the writer drops them and sends
/// `INTERNAL` "event dropped" errors, so the host loses the output.
#[test]
fn output_fits_a_small_max_frame() {
    within(HANG, || {
        let mut sc = EnvSidecar::ready(&[("AGENTOS_MAX_FRAME_BYTES", "65536")], 65536);
        let code = "process.stdout.write('x'.repeat(100000))";
        let exec = Exec {
            exec_id: 1,
            argv: ["node", "-e", code].map(String::from).to_vec(),
            ..Default::default()
        };
        sc.write(&frame(&Request {
            request_id: 2,
            kind: Some(request::Kind::Exec(exec)),
        }));
        let mut out = 0;
        loop {
            match sc.next().kind.expect("a kind") {
                event::Kind::Output(o) => out += o.data.len(),
                event::Kind::ExecExited(x) => {
                    assert_eq!(x.exit_code, 0, "{x:?}");
                    break;
                }
                event::Kind::ExecStarted(_) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(out, 100_000, "stdout bytes delivered");
    });
}

/// Signal names are matched case-insensitively ("term", "TERM", "SIGTERM" all work), but the
/// `SIG` prefix only in capitals: "sigterm" and "SigTerm" are refused as unknown names.
#[test]
fn kill_signal_prefix_is_case_insensitive_too() {
    within(HANG, || {
        let mut raw = Raw::ready();
        let kill = request::Kind::Kill(Kill {
            exec_id: 404,
            signal: 0,
            signal_name: "sigterm".into(),
        });
        raw.send(5, kill);
        let ev = raw.next_event().expect("an answer");
        let kind = ev.kind.expect("a kind");
        assert_eq!(
            crate::raw::request_error(&kind),
            Some((ErrorCode::UnknownExec, 404)),
            "a valid name for a missing exec is UNKNOWN_EXEC, not BAD_ARGUMENT"
        );
    });
}

#[test]
fn an_exec_id_reused_the_moment_it_exited_reports_its_own_exit() {
    // The old job's release can reach the supervisor after the new job with its id started;
    // it must not take the new job's place (whose exit was then never reported).
    within(HANG, || {
        let mut raw = Raw::ready();
        for round in 0..200u64 {
            raw.send(round + 2, crate::raw::exec(7, &["node", "-e", "1"]));
            loop {
                match raw.next_kind() {
                    event::Kind::ExecExited(x) if x.exec_id == 7 => break,
                    event::Kind::RequestError(e) => panic!("round {round}: {e:?}"),
                    _ => {}
                }
            }
        }
    });
}
