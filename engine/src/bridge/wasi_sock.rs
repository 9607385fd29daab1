//! `bridge.wasi_sock_*`: stream sockets of a WASI command on the exec's network (its policy,
//! limits and stats, as `net.connect` in a JS guest), as socket fds of its fd table. The door's
//! `sock_open`/`sock_connect` ops make and connect them (`runner-js/js/33_wasi_door.js`);
//! `sock_recv`, `sock_send`, `sock_shutdown` and `poll_oneoff` use them. The connection is an
//! exchange of the command's network table (`crate::wasi_http`), by the handle the fd holds;
//! waits block the command's thread as its HTTP waits do, and a stop ends them (`EINTR`).
//!
//! Each native returns its result, or `-errno` (a Number).

use std::rc::Rc;
use std::time::{Duration, Instant};

use agentos_net::{ConnectRequest, Peer};
use agentos_sandbox::{Errno, SocketFd};
use bytes::Bytes;
use v8::MapFnTo;

use super::wasi::host;
use super::wasi_http::{Part, command, pump, pump_ready, wait};
use crate::guest_state::{SharedGuest, guest};
use crate::inbox::Wait;
use crate::net::GuestNet;
use crate::strings::{uint8_array, v8_str, view_bytes};
use crate::wasi_http::{Deadlines, Exchange, Failure};

/// Bytes one `send` queues at most (a larger one is partial, as a socket's can be).
const MAX_SEND: usize = 64 << 10;
/// `ready` bits.
const READABLE: u8 = 1;
const WRITABLE: u8 = 2;
/// The longest a wait goes without looking at the clock again.
const TICK: Duration = Duration::from_millis(250);

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("wasi_sock_open", open.map_fn_to()),
        ("wasi_sock_connect", connect.map_fn_to()),
        ("wasi_sock_recv", recv.map_fn_to()),
        ("wasi_sock_send", send.map_fn_to()),
        ("wasi_sock_shutdown", shutdown.map_fn_to()),
        ("wasi_sock_ready", ready.map_fn_to()),
        ("wasi_sock_names", names.map_fn_to()),
    ]
}

fn errno(mut rv: v8::ReturnValue<'_>, e: Errno) {
    rv.set_int32(-i32::from(e.0));
}

fn fd_at(scope: &mut v8::PinScope<'_, '_>, args: &v8::FunctionCallbackArguments, i: i32) -> u32 {
    args.get(i).uint32_value(scope).unwrap_or(u32::MAX)
}

/// The socket at `fd`, with `needed` rights, connected (or listening).
pub(super) fn connected(
    scope: &mut v8::PinScope<'_, '_>,
    fd: u32,
    needed: u64,
) -> Result<SocketFd, Errno> {
    let socket = host(scope, |h| h.sandbox.socket_require(fd, needed))?;
    if socket.handle == 0 {
        return Err(Errno::NOTCONN);
    }
    Ok(socket)
}

/// The socket as a blocking one when `wait` (TLS records are read and written whole).
fn blocking_if(socket: SocketFd, wait: bool) -> SocketFd {
    SocketFd {
        nonblocking: socket.nonblocking && !wait,
        ..socket
    }
}

/// The errno of a failed connection, by its code.
fn failure_errno(failure: Option<&Failure>) -> Errno {
    match failure.map(|f| f.code.as_str()) {
        Some("ECONNREFUSED") => Errno::CONNREFUSED,
        Some("ECONNRESET") => Errno::CONNRESET,
        Some("ECONNABORTED" | "ABORT_ERR") => Errno::CONNABORTED,
        Some("ETIMEDOUT") => Errno::TIMEDOUT,
        Some("EPIPE") => Errno::PIPE,
        Some("ENETUNREACH") => Errno::NETUNREACH,
        Some("EHOSTUNREACH") => Errno::HOSTUNREACH,
        _ => Errno::IO,
    }
}

/// `wasi_sock_open()` -> a new, unconnected stream socket's fd.
fn open<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    match command(scope).and_then(|_| host(scope, |h| h.sandbox.socket_open())) {
        Ok(fd) => rv.set_uint32(fd),
        Err(e) => errno(rv, e),
    }
}

/// `wasi_sock_connect(fd, host, port, timeoutMs)`: connects the socket through the exec's
/// network (0: the network's own connect limit) -> 0, `-errno` for a bad fd or too many
/// operations, or `[code, message]` when the connection failed (denied, refused, timed out).
fn connect<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let fd = fd_at(scope, &args, 0);
    let host_name = args.get(1).to_rust_string_lossy(scope);
    let port = args.get(2).uint32_value(scope).unwrap_or(u32::MAX);
    let ms = args.get(3).uint32_value(scope).unwrap_or(0);
    let deadlines = Deadlines {
        head: (ms > 0).then(|| Duration::from_millis(u64::from(ms))),
        end: None,
    };
    match start(scope, fd, host_name, port, deadlines) {
        Ok(None) => rv.set_int32(0),
        Ok(Some(failure)) => {
            let code = v8_str(scope, &failure.code).into();
            let message = v8_str(scope, &failure.message).into();
            rv.set(v8::Array::new_with_elements(scope, &[code, message]).into());
        }
        Err(e) => errno(rv, e),
    }
}

/// The command, its network and `port` for socket `fd`, which must not be connected or
/// listening yet.
pub(super) fn unconnected(
    scope: &mut v8::PinScope<'_, '_>,
    fd: u32,
    port: u32,
) -> Result<(SharedGuest, Rc<GuestNet>, u16), Errno> {
    let state = command(scope)?;
    let socket = host(scope, |h| h.sandbox.socket(fd))?;
    if socket.handle != 0 {
        return Err(Errno::ISCONN);
    }
    let port = u16::try_from(port).map_err(|_| Errno::INVAL)?;
    let net = state.net().ok_or(Errno::NOSYS)?;
    Ok((state, net, port))
}

/// Connects and waits for the outcome -> `None` once connected, the failure otherwise.
fn start(
    scope: &mut v8::PinScope<'_, '_>,
    fd: u32,
    host_name: String,
    port: u32,
    deadlines: Deadlines,
) -> Result<Option<Failure>, Errno> {
    let (state, net, port) = unconnected(scope, fd, port)?;
    let req = ConnectRequest {
        host: host_name,
        port,
        tls: None,
    };
    let started = net.with(|exec| exec.connect(req)).and_then(|r| r);
    let handle = state.wasi_http.borrow_mut().open(started, deadlines)?;
    let failure = wait(scope, handle, Part::Head, |x| Ok(x.failure.clone()))?;
    if failure.is_some() {
        forget(&state, handle);
        return Ok(failure);
    }
    host(scope, |h| h.sandbox.socket_connected(fd, handle))?;
    Ok(None)
}

/// Forgets a socket's connection, closing it gracefully (its queued writes still go out).
/// A listener stops listening, and the connections it did not hand out end.
pub(super) fn forget(state: &SharedGuest, handle: u32) {
    let mut http = state.wasi_http.borrow_mut();
    let listening = http.get_mut(handle).is_some_and(|x| x.listening.is_some());
    let running = http.close(handle).unwrap_or_default();
    drop(http);
    if let Some(net) = state.net() {
        net.if_open(|exec| {
            for op in running {
                if listening {
                    exec.cancel(op)
                } else {
                    exec.finish(op)
                }
            }
        });
    }
}

/// `fd_close` of a socket fd: its connection is forgotten first.
pub(super) fn on_close(scope: &mut v8::PinScope<'_, '_>, fd: u32) {
    let socket = host(scope, |h| h.sandbox.socket(fd));
    if let (Ok(socket), Some(state)) = (socket, guest(scope))
        && socket.handle != 0
    {
        forget(&state, socket.handle);
    }
}

/// `wasi_sock_recv(fd, max, wait)` -> at most `max` bytes read (empty: the peer ended its
/// side); `-EAGAIN` for a non-blocking socket with nothing to read, unless `wait` is true.
fn recv<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    rv: v8::ReturnValue<'s>,
) {
    let fd = fd_at(scope, &args, 0);
    let max = args.get(1).uint32_value(scope).unwrap_or(0) as usize;
    let max = max.min(agentos_sandbox::MAX_IO);
    let wait = args.get(2).is_true();
    let result = connected(scope, fd, agentos_sandbox::rights::FD_READ)
        .map(|socket| blocking_if(socket, wait))
        .and_then(|socket| receive(scope, socket, max));
    match result.map(|chunk| uint8_array(scope, chunk)) {
        Ok(Some(array)) => {
            let mut rv = rv;
            rv.set(array.into());
        }
        Ok(None) => errno(rv, Errno::NOMEM),
        Err(e) => errno(rv, e),
    }
}

/// `NOTCONN` for a listening socket (it has no stream of its own).
fn streaming(scope: &mut v8::PinScope<'_, '_>, socket: SocketFd) -> Result<SocketFd, Errno> {
    let state = command(scope)?;
    let mut http = state.wasi_http.borrow_mut();
    match http.get_mut(socket.handle) {
        Some(x) if x.listening.is_some() => Err(Errno::NOTCONN),
        _ => Ok(socket),
    }
}

fn receive(
    scope: &mut v8::PinScope<'_, '_>,
    socket: SocketFd,
    max: usize,
) -> Result<Vec<u8>, Errno> {
    let socket = streaming(scope, socket)?;
    let take = |x: &mut Exchange| {
        let failure = failure_errno(x.failure.as_ref());
        x.take(max).map(|c| (c, x.op)).map_err(|()| failure)
    };
    let (chunk, op) = if socket.nonblocking {
        let state = command(scope)?;
        pump_ready(scope, &state)?;
        let mut http = state.wasi_http.borrow_mut();
        let exchange = http.get_mut(socket.handle).ok_or(Errno::BADF)?;
        if !exchange.body_settled() {
            return Err(Errno::AGAIN);
        }
        take(exchange)?
    } else {
        wait(scope, socket.handle, Part::Body, take)?
    };
    if let (Some(op), Some(net)) = (op, guest(scope).and_then(|s| s.net())) {
        net.if_open(|exec| exec.consume(op, chunk.len()));
    }
    Ok(chunk.to_vec())
}

/// `wasi_sock_send(fd, bytes, wait)` -> the bytes queued (at most 64 KiB a call); `-EAGAIN`
/// for a non-blocking socket whose queue is full (unless `wait` is true), `-EPIPE` once the
/// connection is over.
fn send<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let fd = fd_at(scope, &args, 0);
    let data = v8::Local::<v8::ArrayBufferView>::try_from(args.get(1))
        .map(view_bytes)
        .map_err(|_| Errno::INVAL);
    let wait = args.get(2).is_true();
    let result = data.and_then(|data| {
        let socket = connected(scope, fd, agentos_sandbox::rights::FD_WRITE)?;
        queue(scope, blocking_if(socket, wait), data)
    });
    match result {
        Ok(n) => rv.set_uint32(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(e) => errno(rv, e),
    }
}

fn queue(
    scope: &mut v8::PinScope<'_, '_>,
    socket: SocketFd,
    mut data: Vec<u8>,
) -> Result<usize, Errno> {
    let socket = streaming(scope, socket)?;
    let state = command(scope)?;
    if socket.nonblocking {
        pump_ready(scope, &state)?;
    }
    let op = wait(scope, socket.handle, Part::Head, |x| Ok(x.op))?;
    let settled = {
        let mut http = state.wasi_http.borrow_mut();
        let x = http.get_mut(socket.handle).ok_or(Errno::BADF)?;
        if x.is_over() {
            return Err(Errno::PIPE);
        }
        x.drain_settled()
    };
    if !settled && socket.nonblocking {
        return Err(Errno::AGAIN);
    }
    if !settled {
        wait(scope, socket.handle, Part::Drain, |_| Ok(()))?;
    }
    data.truncate(MAX_SEND);
    let n = data.len();
    let net = state.net().ok_or(Errno::NOSYS)?;
    let op = op.ok_or(Errno::PIPE)?;
    let queued = net
        .with(|exec| {
            exec.write(op, Bytes::from(data))
                .map(|q| (q, exec.write_high_water()))
        })
        .and_then(|r| r)
        .map_err(|_| Errno::PIPE)?;
    if queued.0 > queued.1
        && let Some(x) = state.wasi_http.borrow_mut().get_mut(socket.handle)
    {
        x.draining = true;
    }
    Ok(n)
}

/// `wasi_sock_shutdown(fd, how)`: `how` bit 2 (`SHUT_WR`) ends the socket's sending side.
fn shutdown<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let fd = fd_at(scope, &args, 0);
    let how = args.get(1).uint32_value(scope).unwrap_or(0);
    let result = connected(scope, fd, agentos_sandbox::rights::SOCK_SHUTDOWN).and_then(|s| {
        if how == 0 || how & !3 != 0 {
            return Err(Errno::INVAL);
        }
        let state = command(scope)?;
        let op = state
            .wasi_http
            .borrow_mut()
            .get_mut(s.handle)
            .and_then(|x| x.op);
        if how & 2 != 0
            && let (Some(op), Some(net)) = (op, state.net())
        {
            net.if_open(|exec| {
                let _ = exec.end(op);
            });
        }
        Ok(())
    });
    match result {
        Ok(()) => rv.set_int32(0),
        Err(e) => errno(rv, e),
    }
}

/// `wasi_sock_ready(fds, wants, timeoutMs)`: waits until one of the socket fds is ready as
/// `wants[i]` asks (bit 1 read, bit 2 write), or `timeoutMs` (negative: none) passed -> a
/// `Uint8Array` of what each is ready for (a closed or failed one: both).
fn ready<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let fds = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)).map(view_bytes);
    let wants = v8::Local::<v8::ArrayBufferView>::try_from(args.get(1)).map(view_bytes);
    let ms = args.get(2).number_value(scope).unwrap_or(-1.0);
    let (Ok(fds), Ok(wants)) = (fds, wants) else {
        return errno(rv, Errno::INVAL);
    };
    let fds: Vec<u32> = (fds.chunks_exact(4))
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if fds.len() != wants.len() {
        return errno(rv, Errno::INVAL);
    }
    let deadline = (ms >= 0.0).then(|| Instant::now() + Duration::from_secs_f64(ms / 1000.0));
    match poll(scope, &fds, &wants, deadline).map(|r| uint8_array(scope, r)) {
        Ok(Some(array)) => rv.set(array.into()),
        Ok(None) => errno(rv, Errno::NOMEM),
        Err(e) => errno(rv, e),
    }
}

fn poll(
    scope: &mut v8::PinScope<'_, '_>,
    fds: &[u32],
    wants: &[u8],
    deadline: Option<Instant>,
) -> Result<Vec<u8>, Errno> {
    let state = command(scope)?;
    let sockets = fds
        .iter()
        .map(|&fd| host(scope, |h| h.sandbox.socket(fd)))
        .collect::<Result<Vec<_>, _>>()?;
    loop {
        pump_ready(scope, &state)?;
        let now = Instant::now();
        let found = {
            let mut http = state.wasi_http.borrow_mut();
            (sockets.iter().zip(wants))
                .map(|(s, want)| readiness(http.get_mut(s.handle)) & want)
                .collect::<Vec<u8>>()
        };
        if found.iter().any(|r| *r != 0) || deadline.is_some_and(|d| now >= d) {
            return Ok(found);
        }
        let tick = now + TICK;
        pump(
            scope,
            &state,
            Wait::Until(deadline.map_or(tick, |d| d.min(tick))),
        )?;
    }
}

fn readiness(exchange: Option<&mut Exchange>) -> u8 {
    let Some(x) = exchange else {
        return READABLE | WRITABLE;
    };
    if x.is_over() {
        return READABLE | WRITABLE;
    }
    if x.listening.is_some() {
        return if x.accept_settled() { READABLE } else { 0 };
    }
    let mut bits = 0;
    if x.body_settled() {
        bits |= READABLE;
    }
    if x.connected.is_some() && x.drain_settled() {
        bits |= WRITABLE;
    }
    bits
}

/// An end's address and port.
type End = (String, u16);

/// The socket's (peer, own) ends; a virtual port is the peer's for a connection the command
/// made, its own for a listener (whose peer is empty) and for the connections it accepted.
fn ends(x: &Exchange) -> Result<(End, End), Errno> {
    let loopback = |port| ("127.0.0.1".to_owned(), port);
    match (x.connected, x.listening) {
        (_, Some(port)) => Ok(((String::new(), 0), loopback(port))),
        (Some(Peer::Remote { local, remote }), None) => Ok((
            (remote.ip().to_string(), remote.port()),
            (local.ip().to_string(), local.port()),
        )),
        (Some(Peer::Virtual { port, .. }), None) if x.inbound => Ok((loopback(0), loopback(port))),
        (Some(Peer::Virtual { port, .. }), None) => Ok((loopback(port), loopback(0))),
        (Some(Peer::Pipe { .. }), None) => Ok(((String::new(), 0), (String::new(), 0))),
        (None, None) => Err(Errno::NOTCONN),
    }
}

/// `wasi_sock_names(fd)` -> `[peer address, peer port, own address, own port]`.
fn names<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let fd = fd_at(scope, &args, 0);
    let found = connected(scope, fd, 0).and_then(|s| {
        let state = command(scope)?;
        let mut http = state.wasi_http.borrow_mut();
        ends(http.get_mut(s.handle).ok_or(Errno::BADF)?)
    });
    let (remote, local) = match found {
        Ok(ends) => ends,
        Err(e) => return errno(rv, e),
    };
    let mut items = Vec::with_capacity(4);
    for (addr, port) in [remote, local] {
        items.push(v8_str(scope, &addr).into());
        items.push(v8::Integer::new_from_unsigned(scope, u32::from(port)).into());
    }
    rv.set(v8::Array::new_with_elements(scope, &items).into());
}
