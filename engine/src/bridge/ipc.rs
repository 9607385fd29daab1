//! Natives of the IPC channel between a JS guest and a forked child (`child_process.fork`, or
//! `'ipc'` in a child's stdio): messages are the runner's serialized bytes (JSON text), carried
//! as whole messages, never split or merged.
//!
//! ```text
//!   parent: childIpcSend(id, bytes) ─► the child's inbox (Input::Ipc, within its stdin window)
//!   child:  ipcSend(bytes) ─► its ChildSink ─► the parent's loop (ChildEvent::Message)
//! ```
//! Either side closes the channel (`childIpcClose`, `ipcClose`); the other side hears of it as
//! `Input::IpcClose` or `ChildEvent::IpcClosed`.

use bytes::Bytes;
use v8::MapFnTo;

use super::children::{children, id_arg};
use crate::guest_state::guest;
use crate::strings::{throw_type_error, view_bytes};

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("childIpcSend", child_ipc_send.map_fn_to()),
        ("childIpcClose", child_ipc_close.map_fn_to()),
        ("ipcChannel", ipc_channel.map_fn_to()),
        ("ipcSend", ipc_send.map_fn_to()),
        ("ipcClose", ipc_close.map_fn_to()),
        ("ipcRef", ipc_ref.map_fn_to()),
    ]
}

/// The message bytes of argument `value`; `None` after throwing a TypeError naming `usage`.
fn message(
    scope: &mut v8::PinScope<'_, '_>,
    value: v8::Local<v8::Value>,
    usage: &str,
) -> Option<Bytes> {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(value) else {
        throw_type_error(scope, usage);
        return None;
    };
    Some(Bytes::from(view_bytes(view)))
}

/// `childIpcSend(id, bytes)` -> false when the child is gone or has too much unread (retry).
fn child_ipc_send<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let id = id_arg(scope, args.get(0));
    let Some(data) = message(scope, args.get(1), "childIpcSend(id, bytes: Uint8Array)") else {
        return;
    };
    rv.set_bool(children(scope).is_some_and(|c| c.ipc_send(id, data)));
}

/// `childIpcClose(id)`: the parent closes child `id`'s channel.
fn child_ipc_close<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let id = id_arg(scope, args.get(0));
    if let Some(c) = children(scope) {
        c.ipc_close(id);
    }
}

/// `ipcChannel()` -> true when this guest is a child with an open channel to its parent.
fn ipc_channel<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    rv.set_bool(guest(scope).is_some_and(|s| s.output.sink().has_ipc()));
}

/// `ipcSend(bytes)` -> false when the channel is closed. Waits (as a writer on a full pipe)
/// while the parent has not taken enough of what this child sent.
fn ipc_send<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(data) = message(scope, args.get(0), "ipcSend(bytes: Uint8Array)") else {
        return;
    };
    rv.set_bool(guest(scope).is_some_and(|s| s.output.sink().ipc_send(data)));
}

/// `ipcClose()`: the child closes its channel to the parent.
fn ipc_close<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    if let Some(state) = guest(scope) {
        state.ipc_ref.set(false);
        state.output.sink().ipc_close();
    }
}

/// `ipcRef(on)`: whether the channel keeps this child's loop alive.
fn ipc_ref<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let on = args.get(0).boolean_value(scope);
    if let Some(state) = guest(scope) {
        state.ipc_ref.set(on && state.output.sink().has_ipc());
    }
}
