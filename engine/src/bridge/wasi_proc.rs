//! `bridge.wasi_proc_spawn`, behind the `agentos_v2.proc_spawn` import (`runner-js/js/WASI.md`):
//! a WASI command starts a child guest in its own sandbox and waits for it. The child's output
//! is written, as it comes, to the command's own fds 1 and 2 (so it follows them wherever they
//! lead); its stdin is empty. The command's thread waits; a stop of the command kills the child.
//!
//! `bridge.wasi_proc_run`, behind the `agentos_v5.host_call` door (Python's `subprocess`): the
//! same, with a stdin and each output stream routed on its own: dropped, written to fd 1 or 2
//! as it comes, or kept (at most `maxKept` bytes) and returned; stderr may be kept with stdout,
//! in the order written (`2>&1`).

use std::time::{Duration, Instant};

use agentos_sandbox::Errno;
use agentos_shell::SpawnError;
use bytes::Bytes;
use v8::MapFnTo;

use super::children::spawner;
use super::wasi::host;
use crate::children::{Collector, SpawnRequest};
use crate::strings::{uint8_array, view_bytes};

/// How often the waiting command looks whether it was stopped.
const TICK: Duration = Duration::from_millis(10);

/// Child output not yet written to the command's fds before the child waits (a pipe's buffer).
const WINDOW: usize = 1 << 20;

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("wasi_proc_spawn", proc_spawn.map_fn_to()),
        ("wasi_proc_run", proc_run.map_fn_to()),
        ("wasi_proc_which", proc_which.map_fn_to()),
        ("wasi_proc_reserve", proc_reserve.map_fn_to()),
    ]
}

/// Where one of a child's output streams goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Dropped,
    /// Written to the command's own fd, as it comes.
    Fd(u32),
    /// Kept and returned.
    Kept,
}

impl Route {
    /// A route's number in `wasi_proc_run`'s arguments (4, stderr kept with stdout, is `Kept`
    /// here: the collector merges it).
    fn from_number(n: u32) -> Option<Self> {
        match n {
            0 => Some(Self::Dropped),
            1 | 2 => Some(Self::Fd(n)),
            3 | 4 => Some(Self::Kept),
            _ => None,
        }
    }
}

/// How [`run`] runs a child.
struct Plan {
    input: Bytes,
    deadline: Option<(Instant, u32)>,
    /// stdout's and stderr's routes.
    routes: [Route; 2],
    /// stderr comes as stdout, in the order written.
    merged: bool,
    /// Most bytes kept of both streams together.
    max_kept: usize,
    /// The child's pid, reserved for it earlier (`wasi_proc_reserve`).
    pid: Option<u32>,
}

/// How a child ended, and what was kept of its output.
struct Ended {
    /// `timedOut << 16 | signal << 8 | exit code` (signal or code 0).
    how: i32,
    kept: [Vec<u8>; 2],
}

/// `wasi_proc_spawn(argv, env, cwd, timeoutMs?, signal?)`: NUL-terminated strings back to back
/// (`argv`, `env` as `KEY=VALUE`) and an absolute guest path, as `Uint8Array`s; past
/// `timeoutMs` (a positive Number) the child is sent `signal` (default 15) -> how the child
/// ended, `timedOut << 16 | signal << 8 | exit code` (signal or code 0), or `-errno`.
fn proc_spawn<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let plan = Plan {
        input: Bytes::new(),
        deadline: deadline(scope, &args, 3),
        routes: [Route::Fd(1), Route::Fd(2)],
        merged: false,
        max_kept: 0,
        pid: None,
    };
    let status = request(&args).and_then(|req| run(scope, req, plan));
    match status {
        Ok(ended) => rv.set_int32(ended.how),
        Err(errno) => rv.set_int32(-i32::from(errno.0)),
    }
}

/// `wasi_proc_which(name, path, cwd)`: strings (`path` undefined: `PATH` unset) -> what `command
/// -v name` prints in a shell at `cwd` with that `PATH` (a command of the set as `/bin/NAME` when
/// `PATH` reaches it through a standard directory, a file of the mounts by its path), or
/// undefined when nothing would run or this guest cannot start processes.
fn proc_which<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let text = |scope: &mut v8::PinScope<'s, '_>, i: i32| {
        let value = args.get(i);
        value.is_string().then(|| value.to_rust_string_lossy(scope))
    };
    let (Some(name), path, Some(cwd)) = (text(scope, 0), text(scope, 1), text(scope, 2)) else {
        return;
    };
    let place = crate::shell::resolve::Place {
        cwd: &cwd,
        path: path.as_deref(),
    };
    let shown = spawner(scope).and_then(|children| children.which(&name, place));
    if let Some(shown) = shown {
        rv.set(crate::strings::v8_str(scope, &shown).into());
    }
}

/// `wasi_proc_reserve()` -> a pid for a child `wasi_proc_run` starts later (Python's `Popen.pid`,
/// known before its child runs), or `-errno`: `EAGAIN` while 1024 reserved pids are unused,
/// `ENOSYS` when this guest cannot start processes.
fn proc_reserve<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let reserved = match spawner(scope) {
        None => Err(Errno::NOSYS),
        Some(children) => children.reserve().ok_or(Errno::AGAIN),
    };
    match reserved {
        Ok(pid) => rv.set_uint32(pid),
        Err(errno) => rv.set_int32(-i32::from(errno.0)),
    }
}

/// `wasi_proc_run(argv, env, cwd, input, timeoutMs, signal, stdoutRoute, stderrRoute, maxKept,
/// pid)`: as `wasi_proc_spawn`, with `input` (a `Uint8Array`) as the child's whole stdin, each
/// stream routed (0 dropped, 1 or 2 written to that fd as it comes, 3 kept, 4 (stderr only)
/// kept with stdout in the order written) and `pid` (when not 0) one `wasi_proc_reserve` gave
/// -> `[how, stdout, stderr]` (what was kept, as `Uint8Array`s), or `-errno`: `ENOBUFS` once
/// the kept bytes passed `maxKept` (the child is killed), `EINVAL` for a bad route or a pid
/// not reserved (or used already).
fn proc_run<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let route = |scope: &mut v8::PinScope<'s, '_>, i: i32| {
        args.get(i).uint32_value(scope).and_then(Route::from_number)
    };
    let (Some(out), Some(err)) = (route(scope, 6), route(scope, 7)) else {
        rv.set_int32(-i32::from(Errno::INVAL.0));
        return;
    };
    let merged = args.get(7).uint32_value(scope) == Some(4);
    if merged && out != Route::Kept {
        rv.set_int32(-i32::from(Errno::INVAL.0));
        return;
    }
    let max_kept = args.get(8).number_value(scope).unwrap_or(0.0);
    let plan = Plan {
        input: v8::Local::<v8::ArrayBufferView>::try_from(args.get(3))
            .map(|v| Bytes::from(view_bytes(v)))
            .unwrap_or_default(),
        deadline: deadline(scope, &args, 4),
        routes: [out, err],
        merged,
        max_kept: if max_kept.is_finite() && max_kept > 0.0 {
            max_kept as usize
        } else {
            0
        },
        pid: args.get(9).uint32_value(scope).filter(|pid| *pid != 0),
    };
    let ended = match request(&args).and_then(|req| run(scope, req, plan)) {
        Ok(ended) => ended,
        Err(errno) => {
            rv.set_int32(-i32::from(errno.0));
            return;
        }
    };
    let [stdout, stderr] = ended.kept;
    let (Some(stdout), Some(stderr)) = (uint8_array(scope, stdout), uint8_array(scope, stderr))
    else {
        return;
    };
    let how = v8::Integer::new(scope, ended.how);
    let items: [v8::Local<v8::Value>; 3] = [how.into(), stdout.into(), stderr.into()];
    rv.set(v8::Array::new_with_elements(scope, &items).into());
}

/// The deadline of arguments `at` (timeout in ms, a positive Number) and `at + 1` (the signal
/// then sent, default SIGTERM).
fn deadline(
    scope: &mut v8::PinScope<'_, '_>,
    args: &v8::FunctionCallbackArguments<'_>,
    at: i32,
) -> Option<(Instant, u32)> {
    let timeout = args.get(at).number_value(scope).unwrap_or(0.0);
    (timeout > 0.0 && timeout.is_finite()).then(|| {
        let signal = args
            .get(at + 1)
            .uint32_value(scope)
            .filter(|s| *s > 0)
            .unwrap_or(15);
        (
            Instant::now() + Duration::from_secs_f64(timeout / 1e3),
            signal,
        )
    })
}

fn request(args: &v8::FunctionCallbackArguments<'_>) -> Result<SpawnRequest, Errno> {
    let bytes = |i: i32| {
        v8::Local::<v8::ArrayBufferView>::try_from(args.get(i))
            .map(view_bytes)
            .map_err(|_| Errno::INVAL)
    };
    let argv = strings(&bytes(0)?)?;
    let env = strings(&bytes(1)?)?
        .into_iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (pair, String::new()),
        })
        .collect();
    let cwd = String::from_utf8(bytes(2)?).map_err(|_| Errno::ILSEQ)?;
    if argv.is_empty() || !cwd.starts_with('/') {
        return Err(Errno::INVAL);
    }
    Ok(SpawnRequest {
        argv,
        cwd,
        env,
        ipc: false,
    })
}

/// NUL-terminated strings back to back; bytes that are not UTF-8 are kept as the shell keeps
/// them (`agentos_shell::bytes`), so a child command gets them back unchanged.
fn strings(bytes: &[u8]) -> Result<Vec<String>, Errno> {
    let Some(body) = bytes.strip_suffix(b"\0") else {
        return if bytes.is_empty() {
            Ok(Vec::new())
        } else {
            Err(Errno::INVAL)
        };
    };
    body.split(|b| *b == 0)
        .map(|s| Ok(agentos_shell::bytes::decode(s)))
        .collect()
}

/// Runs `req` to its end as `plan` says; at its deadline it is sent the signal given with it.
fn run(scope: &mut v8::PinScope<'_, '_>, req: SpawnRequest, plan: Plan) -> Result<Ended, Errno> {
    let Plan {
        input,
        mut deadline,
        routes,
        merged,
        max_kept,
        pid,
    } = plan;
    let children = spawner(scope).ok_or(Errno::NOSYS)?;
    if pid.is_some_and(|pid| !children.claim(pid)) {
        return Err(Errno::INVAL);
    }
    let collector = Collector::streaming(WINDOW, merged);
    let id = children
        .spawn_collected(req, input, collector.clone(), pid)
        .map_err(|e| match e {
            SpawnError::NotFound | SpawnError::NoSuchFile => Errno::NOENT,
            SpawnError::NotExecutable(_) => Errno::ACCES,
            SpawnError::Other(_) => Errno::AGAIN,
        })?;
    let mut timed_out = false;
    let mut kept: [Vec<u8>; 2] = Default::default();
    let mut overflowed = false;
    let ended = loop {
        if children.parent_stopped() {
            children.kill(id, 9);
            break None;
        }
        if let Some((at, signal)) = deadline
            && Instant::now() >= at
        {
            children.kill(id, signal);
            timed_out = true;
            deadline = None;
        }
        let taken = collector.take(TICK);
        for (i, data) in [&taken.stdout, &taken.stderr].into_iter().enumerate() {
            match routes[i] {
                _ if data.is_empty() => {}
                Route::Dropped => {}
                // A failed write (a closed fd, the output limit) is the command's own business;
                // the child still runs to its end, as with a pipe nobody reads.
                Route::Fd(fd) => write_all(scope, fd, data),
                Route::Kept if kept[0].len() + kept[1].len() + data.len() > max_kept => {
                    if !overflowed {
                        children.kill(id, 9);
                        overflowed = true;
                    }
                }
                Route::Kept => kept[i].extend_from_slice(data),
            }
        }
        if let Some(exit) = taken.exit {
            break Some(exit);
        }
    };
    children.forget(id);
    // Stopped: the command's own stop ends it, whatever this returns.
    let (code, signal) = ended.ok_or(Errno::INTR)?;
    if overflowed {
        return Err(Errno::NOBUFS);
    }
    let how = if signal != 0 {
        i32::try_from(signal & 0x7f).unwrap_or(0) << 8
    } else {
        code & 0xff
    };
    Ok(Ended {
        how: how | i32::from(timed_out) << 16,
        kept,
    })
}

/// Writes `data` to the command's `fd` as its own `fd_write`s would, until done or refused.
fn write_all(scope: &mut v8::PinScope<'_, '_>, fd: u32, data: &[u8]) {
    let mut rest = data;
    while !rest.is_empty() {
        match host(scope, |h| h.sandbox.fd_write(&mut h.stdio, fd, rest)) {
            Ok(n) if n > 0 => rest = &rest[n.min(rest.len())..],
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_split_on_their_terminators() {
        assert_eq!(strings(b"ls\0-la\0").unwrap(), ["ls", "-la"]);
        assert_eq!(strings(b"").unwrap(), Vec::<String>::new());
        assert_eq!(strings(b"a\0\0").unwrap(), ["a", ""]);
    }

    #[test]
    fn unterminated_strings_are_refused() {
        assert_eq!(strings(b"ls").unwrap_err(), Errno::INVAL);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_kept() {
        let got = strings(b"a\xff\0").unwrap();
        assert_eq!(agentos_shell::bytes::encode(&got[0]).as_ref(), b"a\xff");
    }
}
