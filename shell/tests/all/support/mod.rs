//! Test support: the process table, the fake-command OS, and a
//! way to run a script and collect its output.

pub mod fake_os;
pub mod procs;

use std::sync::{Arc, Mutex};

use agentos_shell::{
    Invocation, Io, IoError, Limits, MemoryReader, Os, ShellError, Stop, Stream, StreamKind,
};

/// A sink the test reads afterwards.
#[derive(Debug, Default)]
pub struct Sink(pub Mutex<Vec<u8>>);

impl Stream for Sink {
    fn read(&self, _buf: &mut [u8]) -> Result<usize, IoError> {
        Err(IoError::NotReadable)
    }
    fn write(&self, data: &[u8]) -> Result<usize, IoError> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn kind(&self) -> StreamKind {
        StreamKind::ExecStdio
    }
}

impl Sink {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    pub status: Result<i32, ShellError>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `argv` (e.g. `["bash", "-c", script]`) on a thread with a roomy stack.
pub fn run_shell(
    os: Arc<dyn Os>,
    argv: &[&str],
    cwd: &str,
    env: &[(&str, &str)],
    stdin: &[u8],
    limits: Limits,
    stop: Stop,
) -> Outcome {
    let out = Arc::new(Sink::default());
    let err = Arc::new(Sink::default());
    let inv = Invocation {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        cwd: cwd.to_string(),
        stdin: Arc::new(MemoryReader::new(stdin.to_vec())) as Io,
        stdout: out.clone() as Io,
        stderr: err.clone() as Io,
        pid: 4242,
        ppid: 4241,
        high_fds: Vec::new(),
    };
    let status = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || agentos_shell::run(os, inv, limits, stop))
        .unwrap()
        .join()
        .unwrap();
    Outcome {
        status,
        stdout: out.text(),
        stderr: err.text(),
    }
}
