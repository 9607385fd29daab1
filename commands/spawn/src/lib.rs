//! On WASI, `std::process::Command` cannot start anything; in the agentos sandbox a command
//! starts another through the `agentos_v2.proc_spawn` import (`runner-js/js/WASI.md`).
//! [`status`] runs a `Command` there and waits for it. The crate is empty on other targets,
//! where the crates that use it keep calling `Command::status`.
#![cfg(target_os = "wasi")]

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::wasi::ffi::OsStrExt;
use std::process::Command;
use std::time::Duration;

#[link(wasm_import_module = "agentos_v2")]
unsafe extern "C" {
    fn proc_spawn_timeout(
        argv: *const u8,
        argv_len: usize,
        env: *const u8,
        env_len: usize,
        cwd: *const u8,
        cwd_len: usize,
        flags: u32,
        timeout_ms: u32,
        signal: u32,
        status: *mut u32,
    ) -> u16;
}

/// How a child ended: its exit code, or the signal that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    code: Option<i32>,
    signal: Option<i32>,
}

impl Status {
    /// It exited with 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Its exit code; `None` when a signal ended it.
    pub fn code(&self) -> Option<i32> {
        self.code
    }

    /// The signal that ended it.
    pub fn signal(&self) -> Option<i32> {
        self.signal
    }
}

/// Runs `command` to its end: its stdin empty, its stdout and stderr this program's own fds 1
/// and 2. Its environment is this program's (as `std::env` has it now) with the command's own
/// changes: `Command` does not tell whether `env_clear` was called, and the callers that clear
/// (xargs) set their whole start-up environment again, which comes to the same.
///
/// # Errors
/// What the import returned: `NotFound` for an unknown command, and the like.
pub fn status(command: &Command) -> io::Result<Status> {
    // A timeout of 0 is never.
    spawn(command, 0, 0).map(|(status, _)| status)
}

/// As [`status`], but once `timeout` has passed the command is sent `signal`; also tells
/// whether that happened.
///
/// # Errors
/// As [`status`].
pub fn status_timeout(
    command: &Command,
    timeout: Duration,
    signal: u32,
) -> io::Result<(Status, bool)> {
    // Past u32 milliseconds (49 days) is never, as 0 is.
    let timeout_ms = u32::try_from(timeout.as_millis().max(1)).unwrap_or(0);
    spawn(command, timeout_ms, signal)
}

/// Runs `command` through `proc_spawn_timeout`: its status, and whether the timeout fired.
fn spawn(command: &Command, timeout_ms: u32, signal: u32) -> io::Result<(Status, bool)> {
    let req = Request::new(command)?;
    let mut words = [0u32; 3];
    // SAFETY: every pointer is to a live buffer of the length passed with it, and `words` has
    // room for the three u32s the import writes.
    let errno = unsafe {
        proc_spawn_timeout(
            req.argv.as_ptr(),
            req.argv.len(),
            req.env.as_ptr(),
            req.env.len(),
            req.cwd.as_ptr(),
            req.cwd.len(),
            0,
            timeout_ms,
            signal,
            words.as_mut_ptr(),
        )
    };
    Ok((ended(errno, words[0], words[1])?, words[2] != 0))
}

/// The import's buffers for `command`.
struct Request {
    argv: Vec<u8>,
    env: Vec<u8>,
    cwd: Vec<u8>,
}

impl Request {
    fn new(command: &Command) -> io::Result<Self> {
        // The child writes to the same fds: what this program buffered goes first.
        let _ = io::stdout().flush();
        let _ = io::stderr().flush();
        let mut argv = Vec::new();
        push(&mut argv, command.get_program());
        for arg in command.get_args() {
            push(&mut argv, arg);
        }
        let cwd = match command.get_current_dir() {
            Some(dir) => std::env::current_dir()?.join(dir),
            None => std::env::current_dir()?,
        };
        Ok(Self {
            argv,
            env: environment(command),
            cwd: cwd.as_os_str().as_bytes().to_vec(),
        })
    }
}

/// The import's result as a [`Status`].
fn ended(errno: u16, code: u32, signal: u32) -> io::Result<Status> {
    if errno != 0 {
        return Err(io::Error::from_raw_os_error(i32::from(errno)));
    }
    let [code, signal] = [code, signal].map(|w| i32::try_from(w).unwrap_or(i32::MAX));
    Ok(if signal != 0 {
        Status {
            code: None,
            signal: Some(signal),
        }
    } else {
        Status {
            code: Some(code),
            signal: None,
        }
    })
}

fn push(buf: &mut Vec<u8>, s: &OsStr) {
    buf.extend_from_slice(s.as_bytes());
    buf.push(0);
}

/// `KEY=VALUE\0` strings back to back.
fn environment(command: &Command) -> Vec<u8> {
    let mut vars: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    for (key, value) in command.get_envs() {
        vars.retain(|(k, _)| k != key);
        if let Some(value) = value {
            vars.push((key.to_os_string(), value.to_os_string()));
        }
    }
    let mut env = Vec::new();
    for (key, value) in &vars {
        env.extend_from_slice(key.as_bytes());
        env.push(b'=');
        push(&mut env, value);
    }
    env
}
