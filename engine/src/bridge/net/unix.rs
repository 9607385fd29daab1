//! The Unix domain socket natives behind runner-js's `net` (`listen(path)`, `connect({ path })`):
//! names in the exec's virtual port registry (`agentos_net::ports`) that only guests of the exec
//! reach. The socket file a guest sees in its filesystem is runner-js's (`fs` makes and removes
//! it); these natives never touch the filesystem.

use agentos_net::NetError;
use agentos_net::socket::MAX_SOCKET_PATH;

use super::{bound, net_of, started};
use crate::strings::throw_type_error;

/// The path argument of `op`: `None` (a TypeError thrown) when it is not a string; an `EINVAL`
/// refusal past [`MAX_SOCKET_PATH`] (a string longer than that in UTF-16 units is longer in
/// bytes too, and is not copied out of the heap first).
fn path_arg(
    scope: &mut v8::PinScope<'_, '_>,
    value: v8::Local<'_, v8::Value>,
    op: &'static str,
) -> Option<Result<String, NetError>> {
    let Ok(text) = v8::Local::<v8::String>::try_from(value) else {
        throw_type_error(scope, &format!("{op}: the path must be a string"));
        return None;
    };
    if text.length() > MAX_SOCKET_PATH {
        return Some(Err(NetError::Io {
            op,
            code: "EINVAL",
            addr: format!("(a path of {} characters)", text.length()),
        }));
    }
    Some(Ok(text.to_rust_string_lossy(scope)))
}

/// An optional path argument (`netFetch`'s `socketPath`): undefined/null is none, anything
/// else its string.
pub(super) fn optional_path(
    scope: &mut v8::PinScope<'_, '_>,
    value: v8::Local<'_, v8::Value>,
) -> Option<String> {
    if value.is_null_or_undefined() {
        return None;
    }
    let text = value.to_string(scope)?;
    // A path too long becomes an empty one, which the net crate refuses as EINVAL.
    path_arg(scope, text.into(), "connect").map(Result::unwrap_or_default)
}

/// `netListenPath(path)`: `[id, 0]` of a listener on the Unix socket `path` (absolute, or an
/// abstract name starting with NUL), or `{ code, message }` (`EADDRINUSE`, `EINVAL`,
/// `ERR_NET_LIMIT`). Its events are `netListen`'s; an accepted peer is `{ pipe: true }`.
pub(super) fn listen<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let Some(path) = path_arg(scope, args.get(0), "listen") else {
        return;
    };
    let result = path.and_then(|path| net.with(|exec| exec.listen_path(&path)).and_then(|r| r));
    bound(scope, &net, result.map(|id| (id, 0)), &mut rv);
}

/// `netConnectPath(path)`: a socket operation like `netConnect`'s to the guest listening on
/// `path`, or `{ code, message }` (`ENOENT` when nothing listens there, `EINVAL`).
pub(super) fn connect<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let Some(path) = path_arg(scope, args.get(0), "connect") else {
        return;
    };
    let result = path.and_then(|path| net.with(|exec| exec.connect_path(&path)).and_then(|r| r));
    started(scope, &net, result, &mut rv);
}

/// `netReleasePath(path)`: frees the Unix socket `path` at once (a closing server's), as
/// unlinking its file does; its listener then ends. Returns undefined.
pub(super) fn release<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    // A path too long was never listened on: nothing to free.
    if let Some(Ok(path)) = path_arg(scope, args.get(0), "release") {
        let _ = net.with(|exec| exec.release_path(&path));
    }
}
