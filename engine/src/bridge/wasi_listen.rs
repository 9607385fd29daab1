//! `bridge.wasi_sock_listen`/`wasi_sock_accept`: a WASI command's socket listening on one of
//! the exec's virtual ports (as `net.createServer().listen()` in a JS guest: the guest and its
//! children reach it at localhost, the host through `HttpRequest`, nothing on the real network
//! can). Each connection is kept as an exchange of the command's network table as it arrives
//! (`crate::wasi_http`), so nothing it sends is lost before `accept` hands it out as a new
//! socket fd.
//!
//! Each native returns its result, or `-errno` (a Number).

use agentos_net::NetError;
use agentos_sandbox::Errno;
use v8::MapFnTo;

use super::wasi::host;
use super::wasi_http::{Part, command, pump_ready, wait};
use super::wasi_sock::{connected, unconnected};

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("wasi_sock_listen", listen.map_fn_to()),
        ("wasi_sock_accept", accept.map_fn_to()),
    ]
}

fn reply(mut rv: v8::ReturnValue<'_>, result: Result<u32, Errno>) {
    match result {
        Ok(n) => rv.set_uint32(n),
        Err(e) => rv.set_int32(-i32::from(e.0)),
    }
}

/// `wasi_sock_listen(fd, port)`: listens on virtual `port` (0: a free one) -> the port;
/// `-EADDRINUSE` when it is taken, `-EISCONN` for a socket connected or listening already.
fn listen<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    rv: v8::ReturnValue<'s>,
) {
    let fd = args.get(0).uint32_value(scope).unwrap_or(u32::MAX);
    let port = args.get(1).uint32_value(scope).unwrap_or(u32::MAX);
    reply(rv, start(scope, fd, port));
}

fn start(scope: &mut v8::PinScope<'_, '_>, fd: u32, port: u32) -> Result<u32, Errno> {
    let (state, net, port) = unconnected(scope, fd, port)?;
    let (op, port) = match net.with(|exec| exec.listen(port)).and_then(|r| r) {
        Ok(listening) => listening,
        Err(NetError::PortInUse(_)) => return Err(Errno::ADDRINUSE),
        Err(NetError::Limit { .. }) => return Err(Errno::NOBUFS),
        Err(_) => return Err(Errno::IO),
    };
    let handle = state.wasi_http.borrow_mut().listen(op, port);
    let handle = match handle {
        Ok(handle) => handle,
        Err(e) => {
            net.if_open(|exec| exec.cancel(op));
            return Err(e);
        }
    };
    host(scope, |h| h.sandbox.socket_connected(fd, handle))?;
    Ok(u32::from(port))
}

/// `wasi_sock_accept(fd)` -> a new socket fd for the next connection; `-EAGAIN` when the
/// socket is non-blocking and none is waiting, `-EINVAL` when it does not listen.
fn accept<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    rv: v8::ReturnValue<'s>,
) {
    let fd = args.get(0).uint32_value(scope).unwrap_or(u32::MAX);
    reply(rv, take(scope, fd));
}

fn take(scope: &mut v8::PinScope<'_, '_>, fd: u32) -> Result<u32, Errno> {
    let state = command(scope)?;
    let socket = connected(scope, fd, agentos_sandbox::rights::FD_READ)?;
    let listening = (state.wasi_http.borrow_mut().get_mut(socket.handle))
        .is_some_and(|x| x.listening.is_some());
    if !listening {
        return Err(Errno::INVAL);
    }
    if socket.nonblocking {
        pump_ready(scope, &state)?;
    } else {
        wait(scope, socket.handle, Part::Accept, |_| Ok(()))?;
    }
    let handle = (state.wasi_http.borrow_mut().accept(socket.handle)).ok_or(Errno::AGAIN)?;
    let made = host(scope, |h| {
        let fd = h.sandbox.socket_open()?;
        h.sandbox.socket_connected(fd, handle).map(|()| fd)
    });
    if made.is_err() {
        super::wasi_sock::forget(&state, handle);
    }
    made
}
