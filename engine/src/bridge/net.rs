//! The network natives behind runner-js's `fetch`, `http`/`https`, `dns` and `net` (contract:
//! `runner-js/js/README.md`, "Network natives"), and the delivery of the exec's network events
//! to `runner.netEvent(kind, id, value)`.
//!
//! Every native returns at once. A call that starts an operation returns its id (a number), or
//! `{ code, message }` when the request is refused synchronously (a bad URL, header or host, a
//! limit); everything later arrives as events. Header values cross as byte strings (one char
//! per byte, like undici's), bodies as `Uint8Array`s.

use agentos_net::{
    ConnectRequest, HttpRequest, NetError, NetEvent, Peer, RedirectMode, RequestBody, ResponseHead,
    TlsOptions,
};
use bytes::Bytes;
use v8::MapFnTo;

mod ca;
mod http_head;
mod tls;
mod udp;
mod unix;

use crate::guest_state::{SharedGuest, guest};
use crate::net::GuestNet;
use crate::runner_call::{Stop, call};
use crate::stopper::Stopper;
use crate::strings::{throw_type_error, v8_str, view_bytes};

/// The network natives, in external-reference order.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("netFetch", fetch.map_fn_to()),
        ("netConnect", connect.map_fn_to()),
        ("netLookup", lookup.map_fn_to()),
        ("netLookupService", lookup_service.map_fn_to()),
        ("netWrite", write.map_fn_to()),
        ("netEnd", end.map_fn_to()),
        ("netConsume", consume.map_fn_to()),
        ("netCancel", cancel.map_fn_to()),
        ("netFinish", finish.map_fn_to()),
        ("netRef", set_ref.map_fn_to()),
        ("netListen", listen.map_fn_to()),
        ("netIsVirtual", is_virtual.map_fn_to()),
        ("netListenPath", unix::listen.map_fn_to()),
        ("netConnectPath", unix::connect.map_fn_to()),
        ("netReleasePath", unix::release.map_fn_to()),
        ("udpBind", udp::bind.map_fn_to()),
        ("udpSend", udp::send.map_fn_to()),
        ("udpIsVirtual", udp::is_virtual.map_fn_to()),
        ("netDnsQuery", udp::dns_query.map_fn_to()),
        ("netDnsSystemQuery", udp::dns_system_query.map_fn_to()),
        ("httpParseHead", http_head::parse.map_fn_to()),
        ("tlsBundledCertificates", ca::bundled.map_fn_to()),
        ("tlsCertificatesFromPem", ca::from_pem.map_fn_to()),
        ("tlsClient", tls::client.map_fn_to()),
        ("tlsServerContext", tls::server_context.map_fn_to()),
        ("tlsServer", tls::server.map_fn_to()),
        ("tlsFeed", tls::feed.map_fn_to()),
        ("tlsWrite", tls::write.map_fn_to()),
        ("tlsClose", tls::close.map_fn_to()),
        ("tlsPending", tls::pending.map_fn_to()),
        ("tlsInfo", tls::info.map_fn_to()),
    ]
}

/// The exec's network, or a thrown TypeError (a wasm guest has none).
fn net_of(scope: &mut v8::PinScope<'_, '_>) -> Option<std::rc::Rc<GuestNet>> {
    let net = guest(scope).and_then(|state| state.net());
    if net.is_none() {
        throw_type_error(scope, "this guest has no network");
    }
    net
}

/// A port argument, 0..65535.
fn port_arg(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Option<u16> {
    value
        .uint32_value(scope)
        .and_then(|p| u16::try_from(p).ok())
}

/// `{ code, message }` for a synchronous refusal.
fn error_object<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    error: &NetError,
) -> v8::Local<'s, v8::Object> {
    let object = v8::Object::new(scope);
    let fields = [
        ("code", error.code().to_string()),
        ("message", error.to_string()),
    ];
    for (name, value) in fields {
        let key = v8_str(scope, name);
        let value = v8_str(scope, &value);
        object.set(scope, key.into(), value.into());
    }
    object
}

/// Sets the return value to the operation id, or to the refusal.
fn started(
    scope: &mut v8::PinScope<'_, '_>,
    net: &GuestNet,
    result: Result<u64, NetError>,
    rv: &mut v8::ReturnValue<'_>,
) {
    match result {
        Ok(id) => {
            // A new operation keeps the loop alive until the guest says otherwise.
            net.set_ref(id, true);
            rv.set_double(id as f64);
        }
        Err(error) => rv.set(error_object(scope, &error).into()),
    }
}

/// A JS string as bytes, one byte per char; `None` when a char is above U+00FF.
fn byte_string(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Option<Bytes> {
    let text = value.to_rust_string_lossy(scope);
    let bytes: Option<Vec<u8>> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect();
    bytes.map(Bytes::from)
}

fn op_id(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> u64 {
    value.number_value(scope).map_or(0, |n| n as u64)
}

/// `netFetch(method, url, headers: [name, value][], body, redirect, decode, trust, socketPath)`: `body` is
/// undefined (none), a `Uint8Array` (all of it), or `true` (streamed with `netWrite`/`netEnd`);
/// `redirect` 0 follow, 1 manual, 2 error; `decode` true decodes the response's content codings
/// (fetch); `trust` `{ ca, rejectUnauthorized, servername }` for `https:` to the exec's own ports;
/// `socketPath` (a string, or undefined) the Unix socket of the exec to send it over.
fn fetch<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let method = args.get(0).to_rust_string_lossy(scope);
    let url = args.get(1).to_rust_string_lossy(scope);
    let mut headers = Vec::new();
    if let Ok(list) = v8::Local::<v8::Array>::try_from(args.get(2)) {
        for i in 0..list.length() {
            let Some(pair) = list.get_index(scope, i) else {
                return;
            };
            let Ok(pair) = v8::Local::<v8::Array>::try_from(pair) else {
                return throw_type_error(scope, "netFetch: a header must be [name, value]");
            };
            let (Some(name), Some(value)) = (pair.get_index(scope, 0), pair.get_index(scope, 1))
            else {
                return;
            };
            let name = name.to_rust_string_lossy(scope);
            let Some(value) = byte_string(scope, value) else {
                return throw_type_error(scope, &format!("invalid value for header {name:?}"));
            };
            headers.push((name, value));
        }
    }
    let body = args.get(3);
    let body = if body.is_true() {
        RequestBody::Streaming
    } else if let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(body) {
        RequestBody::Full(Bytes::from(view_bytes(view)))
    } else {
        RequestBody::Empty
    };
    let redirect = match args.get(4).int32_value(scope) {
        Some(1) => RedirectMode::Manual,
        Some(2) => RedirectMode::Error,
        _ => RedirectMode::Follow,
    };
    let request = HttpRequest {
        method,
        url,
        headers,
        body,
        redirect,
        decode: args.get(5).is_true(),
        local_trust: tls::local_trust(scope, args.get(6)),
        socket_path: unix::optional_path(scope, args.get(7)),
    };
    let result = net.with(|exec| exec.fetch(request)).and_then(|r| r);
    started(scope, &net, result, &mut rv);
}

/// `netConnect(host, port, tls)`: `tls` is undefined (plain TCP) or the TLS server name
/// (empty: the host).
fn connect<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let host = args.get(0).to_rust_string_lossy(scope);
    let Some(port) = port_arg(scope, args.get(1)) else {
        return throw_type_error(scope, "netConnect: port must be 0..65535");
    };
    let tls = args.get(2);
    let tls = if tls.is_null_or_undefined() {
        None
    } else {
        let name = tls.to_rust_string_lossy(scope);
        Some(TlsOptions {
            server_name: (!name.is_empty()).then_some(name),
            alpn: Vec::new(),
        })
    };
    let request = ConnectRequest { host, port, tls };
    let result = net.with(|exec| exec.connect(request)).and_then(|r| r);
    started(scope, &net, result, &mut rv);
}

/// `netListen(port)`: `[id, port]` (port 0 picks a free one), or `{ code, message }`
/// (`EADDRINUSE`, `ERR_NET_LIMIT`). Events: `accepted` (one per connection: `{ id, ...peer }`,
/// `id` a socket operation like `netConnect`'s), `done` once `netEnd(id)` stops listening.
fn listen<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let Some(port) = port_arg(scope, args.get(0)) else {
        return throw_type_error(scope, "netListen: port must be 0..65535");
    };
    let result = net.with(|exec| exec.listen(port)).and_then(|r| r);
    bound(scope, &net, result, &mut rv);
}

/// Sets the return value of a bind (`netListen`, `udpBind`): `[id, port]` of the new operation,
/// which keeps the loop alive, or the refusal.
fn bound(
    scope: &mut v8::PinScope<'_, '_>,
    net: &GuestNet,
    result: Result<(u64, u16), NetError>,
    rv: &mut v8::ReturnValue<'_>,
) {
    match result {
        Ok((id, port)) => {
            net.set_ref(id, true);
            let id = v8::Number::new(scope, id as f64).into();
            let port = v8::Number::new(scope, f64::from(port)).into();
            rv.set(v8::Array::new_with_elements(scope, &[id, port]).into());
        }
        Err(error) => rv.set(error_object(scope, &error).into()),
    }
}

/// `netLookup(host)`: a `resolved` event with the addresses, then `done`.
fn lookup<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let host = args.get(0).to_rust_string_lossy(scope);
    let result = net.with(|exec| exec.lookup(&host)).and_then(|r| r);
    started(scope, &net, result, &mut rv);
}

/// `netLookupService(address, port)`: a `named` event (`[hostname, service]`), then `done`.
fn lookup_service<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let address = args.get(0).to_rust_string_lossy(scope);
    let Some(port) = port_arg(scope, args.get(1)) else {
        return throw_type_error(scope, "netLookupService: port must be 0..65535");
    };
    let result = net
        .with(|exec| exec.lookup_service(&address, port))
        .and_then(|r| r);
    started(scope, &net, result, &mut rv);
}

/// `netWrite(id, bytes)`: the bytes queued (a `drain` event follows past the high-water mark),
/// or `{ code, message }`.
fn write<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let id = op_id(scope, args.get(0));
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(1)) else {
        return throw_type_error(scope, "netWrite: data must be an ArrayBufferView");
    };
    let data = Bytes::from(view_bytes(view));
    match net.with(|exec| exec.write(id, data)).and_then(|r| r) {
        Ok(queued) => rv.set_double(queued as f64),
        Err(error) => rv.set(error_object(scope, &error).into()),
    }
}

/// `netEnd(id)`: no more writes; undefined, or `{ code, message }`.
fn end<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let id = op_id(scope, args.get(0));
    if let Err(error) = net.with(|exec| exec.end(id)).and_then(|r| r) {
        rv.set(error_object(scope, &error).into());
    }
}

/// `netConsume(id, n)`: the guest took `n` bytes; more may come.
fn consume<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let id = op_id(scope, args.get(0));
    let n = args.get(1).number_value(scope).map_or(0, |n| n as usize);
    net.if_open(|exec| exec.consume(id, n));
}

/// `netFinish(id)`: a socket's graceful close; its queued writes still go out.
fn finish<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let id = op_id(scope, args.get(0));
    net.if_open(|exec| exec.finish(id));
}

/// `netCancel(id)`: aborts the operation (its `done` carries `ABORT_ERR`).
fn cancel<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let id = op_id(scope, args.get(0));
    net.if_open(|exec| exec.cancel(id));
}

/// `netRef(id, on)`: whether the guest waits on the operation (keeps the loop alive).
fn set_ref<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let id = op_id(scope, args.get(0));
    let on = args.get(1).boolean_value(scope);
    net.set_ref(id, on);
}

/// `netIsVirtual(host, port)`: true when `host` is a loopback host and a guest of this exec
/// listens on virtual port `port` (where a `tls.connect` does its TLS in the guest, over the
/// guest's own socket).
fn is_virtual<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let host = args.get(0).to_rust_string_lossy(scope);
    let port = port_arg(scope, args.get(1));
    let virtual_port =
        port.is_some_and(|p| net.with(|exec| exec.is_virtual(&host, p)).unwrap_or(false));
    rv.set_bool(virtual_port);
}

/// Hands one network event to `runner.netEvent(kind, id, value)`.
pub(crate) fn deliver<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    event: NetEvent,
    state: &SharedGuest,
    stopper: &Stopper,
) -> Result<(), Stop> {
    v8::scope!(let scope, scope);
    let id = event.id();
    let (kind, value): (&str, v8::Local<v8::Value>) = match event {
        NetEvent::Response { head, .. } => ("response", response_head(scope, &head).into()),
        NetEvent::Data { chunk, .. } => {
            let Some(bytes) = super::views::delivered_uint8_array(scope, &chunk) else {
                let outcome = super::views::memory_outcome(scope, "a network chunk", chunk.len());
                return Err(Stop::Done(outcome));
            };
            ("data", bytes.into())
        }
        NetEvent::Datagram { from, chunk, .. } => {
            let len = chunk.len();
            let Some(value) = udp::datagram(scope, from, chunk) else {
                let outcome = super::views::memory_outcome(scope, "a datagram", len);
                return Err(Stop::Done(outcome));
            };
            ("message", value)
        }
        NetEvent::End { .. } => ("end", v8::undefined(scope).into()),
        NetEvent::Drain { .. } => ("drain", v8::undefined(scope).into()),
        NetEvent::Resolved { addrs, .. } => {
            let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
            let list = crate::strings::string_array(scope, list.iter().map(String::as_str));
            ("resolved", list.into())
        }
        NetEvent::Named {
            hostname, service, ..
        } => {
            let names = [hostname.as_str(), service.as_str()];
            let list = crate::strings::string_array(scope, names);
            ("named", list.into())
        }
        NetEvent::Connected { peer, .. } => ("connected", peer_object(scope, &peer).into()),
        NetEvent::Denied { denial, .. } => {
            report_denial(state, &denial);
            ("denied", v8_str(scope, &denial.to_string()).into())
        }
        // A new socket for the listener `id`: it keeps the loop alive like a client's.
        NetEvent::Accepted {
            id: socket, peer, ..
        } => {
            if let Some(net) = state.net() {
                net.set_ref(socket, true);
            }
            let object = accepted_object(scope, socket, &peer);
            ("accepted", object.into())
        }
        NetEvent::Done { result, .. } => {
            if let Some(net) = state.net() {
                net.done(id);
            }
            match result {
                Ok(()) => ("done", v8::null(scope).into()),
                Err(error) => ("done", error_object(scope, &error).into()),
            }
        }
    };
    let args = [
        v8_str(scope, kind).into(),
        v8::Number::new(scope, id as f64).into(),
        value,
    ];
    call(scope, runner, "netEvent", &args, state, stopper).map(drop)
}

/// `{ status, statusText, headers: [name, value][], url, redirected }`.
fn response_head<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    head: &ResponseHead,
) -> v8::Local<'s, v8::Object> {
    let object = v8::Object::new(scope);
    let headers: Vec<v8::Local<v8::Value>> = head
        .headers
        .iter()
        .map(|(name, value)| {
            let name = v8_str(scope, name).into();
            let value = crate::strings::latin1_str(scope, value).into();
            v8::Array::new_with_elements(scope, &[name, value]).into()
        })
        .collect();
    let headers = v8::Array::new_with_elements(scope, &headers);
    let status = v8::Number::new(scope, f64::from(head.status));
    let reason = head.reason.as_deref().unwrap_or_default();
    let fields: [(&str, v8::Local<v8::Value>); 5] = [
        ("status", status.into()),
        ("statusText", v8_str(scope, reason).into()),
        ("headers", headers.into()),
        ("url", v8_str(scope, &head.url).into()),
        (
            "redirected",
            v8::Boolean::new(scope, head.redirected).into(),
        ),
    ];
    for (name, value) in fields {
        let key = v8_str(scope, name);
        object.set(scope, key.into(), value);
    }
    object
}

/// `{ localAddress, localPort, remoteAddress, remotePort }` (zeros for a virtual peer), or
/// `{ pipe: true }` for a Unix socket's.
fn peer_object<'s>(scope: &mut v8::PinScope<'s, '_>, peer: &Peer) -> v8::Local<'s, v8::Object> {
    let object = v8::Object::new(scope);
    let (local, remote) = match peer {
        Peer::Pipe { .. } => {
            let key = v8_str(scope, "pipe");
            let value = v8::Boolean::new(scope, true);
            object.set(scope, key.into(), value.into());
            return object;
        }
        Peer::Remote { local, remote } => (
            (local.ip().to_string(), local.port()),
            (remote.ip().to_string(), remote.port()),
        ),
        Peer::Virtual { port, .. } => (
            ("127.0.0.1".to_string(), 0),
            ("127.0.0.1".to_string(), *port),
        ),
    };
    let fields = [
        ("localAddress", local.0, local.1),
        ("remoteAddress", remote.0, remote.1),
    ];
    for (name, address, port) in fields {
        let key = v8_str(scope, name);
        let value = v8_str(scope, &address);
        object.set(scope, key.into(), value.into());
        let key = v8_str(scope, &name.replace("Address", "Port"));
        let value = v8::Number::new(scope, f64::from(port));
        object.set(scope, key.into(), value.into());
    }
    object
}

/// `{ id, localAddress, localPort, remoteAddress, remotePort }` of an accepted socket: the
/// listener's port is local; a virtual client has no port of its own (0).
fn accepted_object<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    socket: u64,
    peer: &Peer,
) -> v8::Local<'s, v8::Object> {
    let object = peer_object(scope, peer);
    if let Peer::Virtual { port, .. } = peer {
        let fields = [("localPort", *port), ("remotePort", 0)];
        for (name, value) in fields {
            let key = v8_str(scope, name);
            let value = v8::Number::new(scope, f64::from(value));
            object.set(scope, key.into(), value.into());
        }
    }
    let key = v8_str(scope, "id");
    let value = v8::Number::new(scope, socket as f64);
    object.set(scope, key.into(), value.into());
    object
}

/// `NetDenied` events an exec sends at most (a hostile guest can be denied without end; the
/// stats count every denial).
const MAX_DENIAL_EVENTS: u32 = 100;

/// Tells the host about a refused connection attempt (`NetDenied`), up to the cap.
pub(super) fn report_denial(state: &SharedGuest, denial: &agentos_net::Denial) {
    let Some(net) = state.net() else { return };
    if !net.count_denial_event(MAX_DENIAL_EVENTS) {
        return;
    }
    let output = &state.output;
    let event = agentos_proto::v1::NetDenied {
        exec_id: output.exec_id(),
        scheme: denial.scheme.map_or("", |s| s.name()).to_string(),
        host: denial.host.to_string(),
        ip: denial.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        port: denial.port.map_or(0, u32::from),
        reason: denial.to_string(),
    };
    output.sink().send(agentos_proto::Event {
        request_id: 0,
        kind: Some(agentos_proto::event::Kind::NetDenied(event)),
    });
}
