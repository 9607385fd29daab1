//! `bridge.wasi_proc_spawn`, behind the `agentos_v2.proc_spawn` import (`runner-js/js/WASI.md`):
//! a WASI command starts a child guest in its own sandbox and waits for it. The child's output
//! is written, as it comes, to the command's own fds 1 and 2 (so it follows them wherever they
//! lead); its stdin is empty. The command's thread waits; a stop of the command kills the child.

use std::time::{Duration, Instant};

use agentos_sandbox::Errno;
use agentos_shell::SpawnError;
use bytes::Bytes;
use v8::MapFnTo;

use super::children::spawner;
use super::wasi::host;
use crate::children::{Collector, SpawnRequest};
use crate::strings::view_bytes;

/// How often the waiting command looks whether it was stopped.
const TICK: Duration = Duration::from_millis(10);

/// Child output not yet written to the command's fds before the child waits (a pipe's buffer).
const WINDOW: usize = 1 << 20;

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![("wasi_proc_spawn", proc_spawn.map_fn_to())]
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
    let timeout = args.get(3).number_value(scope).unwrap_or(0.0);
    let deadline = (timeout > 0.0 && timeout.is_finite()).then(|| {
        let signal = args
            .get(4)
            .uint32_value(scope)
            .filter(|s| *s > 0)
            .unwrap_or(15);
        (
            Instant::now() + Duration::from_secs_f64(timeout / 1e3),
            signal,
        )
    });
    let status = request(&args).and_then(|req| run(scope, req, deadline));
    match status {
        Ok(status) => rv.set_int32(status),
        Err(errno) => rv.set_int32(-i32::from(errno.0)),
    }
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

/// NUL-terminated UTF-8 strings back to back.
fn strings(bytes: &[u8]) -> Result<Vec<String>, Errno> {
    let Some(body) = bytes.strip_suffix(b"\0") else {
        return if bytes.is_empty() {
            Ok(Vec::new())
        } else {
            Err(Errno::INVAL)
        };
    };
    body.split(|b| *b == 0)
        .map(|s| String::from_utf8(s.to_vec()).map_err(|_| Errno::ILSEQ))
        .collect()
}

/// Runs `req` to its end; at `deadline` it is sent the signal given with it.
fn run(
    scope: &mut v8::PinScope<'_, '_>,
    req: SpawnRequest,
    mut deadline: Option<(Instant, u32)>,
) -> Result<i32, Errno> {
    let children = spawner(scope).ok_or(Errno::NOSYS)?;
    let collector = Collector::streaming(WINDOW);
    let id = children
        .spawn_collected(req, Bytes::new(), collector.clone())
        .map_err(|e| match e {
            SpawnError::NotFound | SpawnError::NoSuchFile => Errno::NOENT,
            SpawnError::NotExecutable(_) => Errno::ACCES,
            SpawnError::Other(_) => Errno::AGAIN,
        })?;
    let mut timed_out = false;
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
        for (fd, data) in [(1, &taken.stdout), (2, &taken.stderr)] {
            if !data.is_empty() {
                // A failed write (a closed fd, the output limit) is the command's own business;
                // the child still runs to its end, as with a pipe nobody reads.
                write_all(scope, fd, data);
            }
        }
        if let Some(exit) = taken.exit {
            break Some(exit);
        }
    };
    children.forget(id);
    // Stopped: the command's own stop ends it, whatever this returns.
    let (code, signal) = ended.ok_or(Errno::INTR)?;
    let how = if signal != 0 {
        i32::try_from(signal & 0x7f).unwrap_or(0) << 8
    } else {
        code & 0xff
    };
    Ok(how | i32::from(timed_out) << 16)
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
    fn unterminated_or_non_utf8_strings_are_refused() {
        assert_eq!(strings(b"ls").unwrap_err(), Errno::INVAL);
        assert_eq!(strings(b"\xff\0").unwrap_err(), Errno::ILSEQ);
    }
}
