//! Natives of `child_process` (`runner-js/lib/child_process.js`): start a child process, write
//! its stdin, signal it, or run one to its end while the guest waits (`spawnSync`). The children
//! themselves are `crate::children`.
//!
//! Errors come back as a string `CODE: message` (`ENOENT`, `EACCES`, `EAGAIN`) for the JS side
//! to turn into Node's error objects; bad argument types are a `TypeError`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_shell::SpawnError;
use bytes::Bytes;
use v8::MapFnTo;

use crate::children::{Children, Collector, SpawnRequest};
use crate::guest_state::guest;
use crate::strings::{throw_type_error, uint8_array, v8_str, view_bytes};

/// How often a blocked `spawnSync` looks whether its guest was stopped.
const SYNC_TICK: Duration = Duration::from_millis(10);

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("childSpawn", child_spawn.map_fn_to()),
        ("childWrite", child_write.map_fn_to()),
        ("childEnd", child_end.map_fn_to()),
        ("childKill", child_kill.map_fn_to()),
        ("childSpawnSync", child_spawn_sync.map_fn_to()),
    ]
}

/// The guest's children, when it started one.
pub(super) fn children(scope: &v8::PinScope<'_, '_>) -> Option<Arc<Children>> {
    guest(scope)?.children.borrow().clone()
}

/// The guest's children, built on its first spawn (`None`: it cannot start processes).
pub(super) fn spawner(scope: &v8::PinScope<'_, '_>) -> Option<Arc<Children>> {
    guest(scope)?.spawner()
}

/// `CODE: message` for a refused spawn.
fn spawn_error(error: &SpawnError) -> String {
    match error {
        SpawnError::NotFound | SpawnError::NoSuchFile => format!("ENOENT: {error}"),
        SpawnError::NotExecutable(why) => format!("EACCES: {why}"),
        SpawnError::Other(why) => format!("EAGAIN: {why}"),
    }
}

/// `(argv, cwd, env)` from arguments 0..3: string arrays and a string; `None` after throwing.
fn request(
    scope: &mut v8::PinScope<'_, '_>,
    args: &v8::FunctionCallbackArguments<'_>,
) -> Option<SpawnRequest> {
    let strings = |scope: &mut v8::PinScope<'_, '_>, value: v8::Local<v8::Value>| {
        let array = v8::Local::<v8::Array>::try_from(value).ok()?;
        (0..array.length())
            .map(|i| {
                let item = array.get_index(scope, i)?;
                item.is_string().then(|| item.to_rust_string_lossy(scope))
            })
            .collect::<Option<Vec<String>>>()
    };
    let argv = strings(scope, args.get(0));
    let env = strings(scope, args.get(2));
    let cwd = args.get(1);
    let (Some(argv), Some(env), true) = (argv, env, cwd.is_string()) else {
        throw_type_error(
            scope,
            "childSpawn(argv: string[], cwd: string, env: string[])",
        );
        return None;
    };
    let env = env
        .into_iter()
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect();
    Some(SpawnRequest {
        argv,
        cwd: cwd.to_rust_string_lossy(scope),
        env,
        ipc: args.get(3).is_true(),
    })
}

/// `childSpawn(argv, cwd, env, ipc)` -> the child's id, or `"CODE: message"`; `ipc` true gives
/// the child an IPC channel (`bridge/ipc.rs`).
fn child_spawn<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(req) = request(scope, &args) else {
        return;
    };
    let Some(children) = spawner(scope) else {
        rv.set(v8_str(scope, "EAGAIN: this guest cannot start processes").into());
        return;
    };
    match children.spawn(req) {
        Ok(id) => rv.set_uint32(id),
        Err(e) => rv.set(v8_str(scope, &spawn_error(&e)).into()),
    }
}

pub(super) fn id_arg(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<v8::Value>) -> u32 {
    value.uint32_value(scope).unwrap_or(0)
}

/// `childWrite(id, bytes)` -> false when the child is gone or has too much unread stdin.
fn child_write<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let id = id_arg(scope, args.get(0));
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(1)) else {
        throw_type_error(scope, "childWrite(id, bytes: Uint8Array)");
        return;
    };
    let data = Bytes::from(view_bytes(view));
    rv.set_bool(children(scope).is_some_and(|c| c.write(id, data)));
}

/// `childEnd(id)`: the child's stdin ends.
fn child_end<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let id = id_arg(scope, args.get(0));
    if let Some(c) = children(scope) {
        c.end(id);
    }
}

/// `childKill(id, signal)` -> false when the child is gone.
fn child_kill<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let id = id_arg(scope, args.get(0));
    let signal = args.get(1).uint32_value(scope).unwrap_or(15);
    rv.set_bool(children(scope).is_some_and(|c| c.kill(id, signal)));
}

/// `childSpawnSync(argv, cwd, env, input, maxBuffer, timeoutMs, killSignal)` ->
/// `[code, signal, stdout, stderr, error, pid]`: `error` is `"CODE: message"` when the child could
/// not start (`ENOENT`...), `ETIMEDOUT` after `timeoutMs` (the child was sent `killSignal`),
/// `ENOBUFS` past `maxBuffer`. The guest's thread waits; a stop of the guest ends the wait.
fn child_spawn_sync<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(req) = request(scope, &args) else {
        return;
    };
    let input = v8::Local::<v8::ArrayBufferView>::try_from(args.get(3))
        .map(|v| Bytes::from(view_bytes(v)))
        .unwrap_or_default();
    let max_buffer = args.get(4).number_value(scope).unwrap_or(f64::MAX);
    let max_buffer = if max_buffer.is_finite() && max_buffer >= 0.0 {
        max_buffer as usize
    } else {
        usize::MAX
    };
    let timeout = args.get(5).number_value(scope).unwrap_or(0.0);
    let kill_signal = args.get(6).uint32_value(scope).unwrap_or(15);
    let Some(children) = spawner(scope) else {
        let text = v8_str(scope, "EAGAIN: this guest cannot start processes");
        rv.set(text.into());
        return;
    };
    let collector = Collector::new(max_buffer);
    let id = match children.spawn_collected(req, input, collector.clone(), None) {
        Ok(id) => id,
        Err(e) => {
            rv.set(v8_str(scope, &spawn_error(&e)).into());
            return;
        }
    };
    let deadline = (timeout > 0.0 && timeout.is_finite())
        .then(|| Instant::now() + Duration::from_secs_f64(timeout / 1e3));
    let mut error: Option<&str> = None;
    let collected = collector.wait(SYNC_TICK, |overflowed| {
        if children.parent_stopped() {
            children.kill(id, 9);
            return true;
        }
        if error.is_none() && deadline.is_some_and(|d| Instant::now() >= d) {
            error = Some("ETIMEDOUT: spawnSync timed out");
            children.kill(id, kill_signal);
        }
        if error.is_none() && overflowed {
            error = Some("ENOBUFS: spawnSync output past maxBuffer");
            children.kill(id, kill_signal);
        }
        false
    });
    children.forget(id);
    let Some(collected) = collected else {
        // The guest was stopped: its own stop ends it.
        return;
    };
    let (code, signal) = collected.exit.unwrap_or((1, 0));
    let (Some(stdout), Some(stderr)) = (
        uint8_array(scope, collected.stdout.to_vec()),
        uint8_array(scope, collected.stderr.to_vec()),
    ) else {
        return;
    };
    let error: v8::Local<v8::Value> = match error {
        Some(e) => v8_str(scope, e).into(),
        None => v8::undefined(scope).into(),
    };
    let items: [v8::Local<v8::Value>; 6] = [
        v8::Integer::new(scope, code).into(),
        v8::Integer::new_from_unsigned(scope, signal).into(),
        stdout.into(),
        stderr.into(),
        error,
        v8::Integer::new_from_unsigned(scope, id).into(),
    ];
    rv.set(v8::Array::new_with_elements(scope, &items).into());
}
