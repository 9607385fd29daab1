//! `bridge.wasi_http_*`, behind the `agentos_v4.http_*` imports (`runner-js/js/WASI.md`): a WASI
//! command makes HTTP requests through the exec's network (its policy, limits, secrets and
//! stats, as `fetch` in a JS guest) and blocks until the part it asks for is here. Only a command
//! that owns its inbox can wait so; any other guest gets `ENOSYS`.
//!
//! Each native returns its result, or `-errno` (a Number).

use std::time::{Duration, Instant};

use agentos_net::{HttpRequest, RedirectMode, RequestBody, ResponseHead};
use agentos_sandbox::Errno;
use bytes::Bytes;
use v8::MapFnTo;

use super::wasi::host;
use crate::guest_state::{SharedGuest, guest};
use crate::inbox::{Input, Wait};
use crate::strings::{uint8_array, view_bytes};
use crate::wasi_http::{Deadlines, Exchange, Failure, Routed};

/// `flags` bit 0: decode the response's content codings (gzip, deflate, br).
const DECODE: u32 = 1;
/// `flags` bit 1: the network follows redirects (otherwise each hop is the command's).
const FOLLOW: u32 = 2;

/// The longest a wait goes without looking at its deadlines again.
const TICK: Duration = Duration::from_millis(250);

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("wasi_http_request", request.map_fn_to()),
        ("wasi_http_response", response.map_fn_to()),
        ("wasi_http_read", read.map_fn_to()),
        ("wasi_http_error", error.map_fn_to()),
        ("wasi_http_close", close.map_fn_to()),
    ]
}

fn reply<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    mut rv: v8::ReturnValue<'s>,
    result: Result<Vec<u8>, Errno>,
) {
    match result.map(|bytes| uint8_array(scope, bytes)) {
        Ok(Some(array)) => rv.set(array.into()),
        Ok(None) => rv.set_int32(-i32::from(Errno::NOMEM.0)),
        Err(errno) => rv.set_int32(-i32::from(errno.0)),
    }
}

fn number(rv: &mut v8::ReturnValue<'_>, result: Result<u32, Errno>) {
    match result {
        Ok(n) => rv.set_uint32(n),
        Err(errno) => rv.set_int32(-i32::from(errno.0)),
    }
}

/// The guest, when it is a command that may wait for its exchanges.
pub(super) fn command(scope: &mut v8::PinScope<'_, '_>) -> Result<SharedGuest, Errno> {
    let state = guest(scope).ok_or(Errno::NOSYS)?;
    let owns = host(scope, |h| Ok(h.stdio.owns_inbox()))?;
    if !owns || state.net().is_none() {
        return Err(Errno::NOSYS);
    }
    Ok(state)
}

fn handle_at(scope: &mut v8::PinScope<'_, '_>, args: &v8::FunctionCallbackArguments) -> u32 {
    args.get(0).uint32_value(scope).unwrap_or(0)
}

fn millis(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Option<Duration> {
    let ms = value.uint32_value(scope).unwrap_or(0);
    (ms > 0).then(|| Duration::from_millis(u64::from(ms)))
}

/// `wasi_http_request(spec, body, flags, headMs, endMs)`: `spec` is NUL-terminated byte strings
/// back to back (method, URL, then header names and values in turn), `body` a `Uint8Array` or
/// undefined; `headMs`/`endMs` (0: none) bound the wait for the head and for the end -> the
/// exchange's handle. A request the network refuses at once still gets a handle: its error is
/// what `wasi_http_response` and `wasi_http_error` report.
fn request<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let flags = args.get(2).uint32_value(scope).unwrap_or(u32::MAX);
    let deadlines = Deadlines {
        head: millis(scope, args.get(3)),
        end: millis(scope, args.get(4)),
    };
    let result = parse(&args, flags).and_then(|req| {
        let state = command(scope)?;
        let net = state.net().ok_or(Errno::NOSYS)?;
        let started = net.with(|exec| exec.fetch(req)).and_then(|r| r);
        state.wasi_http.borrow_mut().open(started, deadlines)
    });
    number(&mut rv, result);
}

fn parse(args: &v8::FunctionCallbackArguments<'_>, flags: u32) -> Result<HttpRequest, Errno> {
    if flags & !(DECODE | FOLLOW) != 0 {
        return Err(Errno::INVAL);
    }
    let spec = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0))
        .map(view_bytes)
        .map_err(|_| Errno::INVAL)?;
    let body = match v8::Local::<v8::ArrayBufferView>::try_from(args.get(1)) {
        Ok(view) => RequestBody::Full(Bytes::from(view_bytes(view))),
        Err(_) => RequestBody::Empty,
    };
    let mut fields = spec
        .strip_suffix(b"\0")
        .ok_or(Errno::INVAL)?
        .split(|b| *b == 0);
    let text = |field: Option<&[u8]>| {
        String::from_utf8(field.ok_or(Errno::INVAL)?.to_vec()).map_err(|_| Errno::ILSEQ)
    };
    let method = text(fields.next())?;
    let url = text(fields.next())?;
    let mut headers = Vec::new();
    while let Some(name) = fields.next() {
        let name = text(Some(name))?;
        let value = fields.next().ok_or(Errno::INVAL)?;
        headers.push((name, Bytes::copy_from_slice(value)));
    }
    Ok(HttpRequest {
        method,
        url,
        headers,
        body,
        redirect: if flags & FOLLOW != 0 {
            RedirectMode::Follow
        } else {
            RedirectMode::Manual
        },
        decode: flags & DECODE != 0,
        local_trust: Default::default(),
        socket_path: None,
    })
}

/// `wasi_http_response(handle)`: waits for the response head -> NUL-terminated strings back to
/// back: the status, the reason phrase, the HTTP version, the URL that answered, then header
/// names (lower case) and values in turn; `-EIO` when the exchange failed.
fn response<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    rv: v8::ReturnValue<'s>,
) {
    let handle = handle_at(scope, &args);
    let result = wait(scope, handle, Part::Head, |x| {
        x.head.as_ref().map(encode_head).ok_or(Errno::IO)
    });
    reply(scope, rv, result);
}

fn encode_head(head: &ResponseHead) -> Vec<u8> {
    let status = head.status.to_string();
    let mut out = Vec::new();
    let fields = [
        status.as_bytes(),
        head.reason_phrase().as_bytes(),
        head.version.as_bytes(),
    ];
    for field in fields.into_iter().chain([head.url.as_bytes()]) {
        out.extend_from_slice(field);
        out.push(0);
    }
    for (name, value) in &head.headers {
        for field in [name.as_bytes(), value] {
            out.extend(field.iter().filter(|b| **b != 0));
            out.push(0);
        }
    }
    out
}

/// `wasi_http_read(handle, max)`: waits for body bytes -> at most `max` of them (empty at the
/// body's end); `-EIO` when the exchange failed.
fn read<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    rv: v8::ReturnValue<'s>,
) {
    let handle = handle_at(scope, &args);
    let max = args.get(1).uint32_value(scope).unwrap_or(0) as usize;
    let result = wait(scope, handle, Part::Body, |x| {
        x.take(max.min(agentos_sandbox::MAX_IO))
            .map(|chunk| (chunk, x.op))
            .map_err(|()| Errno::IO)
    });
    let result = result.map(|(chunk, op)| {
        // The guest took these bytes: the network may read as many more.
        if let (Some(op), Some(net)) = (op, guest(scope).and_then(|s| s.net())) {
            net.if_open(|exec| exec.consume(op, chunk.len()));
        }
        chunk.to_vec()
    });
    reply(scope, rv, result);
}

/// `wasi_http_error(handle)` -> `code\0message\0` of a failed exchange (empty when it did not
/// fail).
fn error<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    rv: v8::ReturnValue<'s>,
) {
    let handle = handle_at(scope, &args);
    let result = guest(scope).ok_or(Errno::NOSYS).and_then(|state| {
        let mut http = state.wasi_http.borrow_mut();
        let exchange = http.get_mut(handle).ok_or(Errno::BADF)?;
        Ok(exchange
            .failure
            .as_ref()
            .map_or_else(Vec::new, encode_failure))
    });
    reply(scope, rv, result);
}

fn encode_failure(failure: &Failure) -> Vec<u8> {
    let mut out = Vec::new();
    for field in [&failure.code, &failure.message] {
        out.extend(field.bytes().filter(|b| *b != 0));
        out.push(0);
    }
    out
}

/// `wasi_http_close(handle)` -> 0: forgets the exchange, ending its request if it still runs.
fn close<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let handle = handle_at(scope, &args);
    let result = guest(scope).ok_or(Errno::NOSYS).and_then(|state| {
        let running = state.wasi_http.borrow_mut().close(handle)?;
        if let Some(net) = state.net() {
            net.if_open(|exec| running.iter().for_each(|op| exec.cancel(*op)));
        }
        Ok(0)
    });
    number(&mut rv, result);
}

/// What a wait is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// The response head (a socket: its connection).
    Head,
    /// Body bytes (a socket: bytes read), or their end.
    Body,
    /// Room to write (a socket's `Drain`).
    Drain,
    /// A connection to accept (a listening socket).
    Accept,
}

impl Part {
    fn settled(self, exchange: &Exchange) -> bool {
        match self {
            Part::Head => exchange.head_settled(),
            Part::Body => exchange.body_settled(),
            Part::Drain => exchange.drain_settled(),
            Part::Accept => exchange.accept_settled(),
        }
    }
}

/// Waits until `part` of the exchange is here, or it failed, its deadline passed, or the
/// command was stopped; then `take` what it wants from it.
pub(super) fn wait<T>(
    scope: &mut v8::PinScope<'_, '_>,
    handle: u32,
    part: Part,
    take: impl FnOnce(&mut Exchange) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let state = command(scope)?;
    loop {
        let now = Instant::now();
        let deadline = {
            let mut http = state.wasi_http.borrow_mut();
            let exchange = http.get_mut(handle).ok_or(Errno::BADF)?;
            if let Some(op) = exchange.check_time(now)
                && let Some(net) = state.net()
            {
                net.if_open(|exec| exec.cancel(op));
            }
            if part.settled(exchange) {
                return take(exchange);
            }
            let tick = now + TICK;
            (exchange.deadline(part == Part::Body)).map_or(tick, |d| d.min(tick))
        };
        pump(scope, &state, Wait::Until(deadline))?;
    }
}

/// Files every input that is already here (none: returns at once).
pub(super) fn pump_ready(
    scope: &mut v8::PinScope<'_, '_>,
    state: &SharedGuest,
) -> Result<(), Errno> {
    while pump(scope, state, Wait::Poll)? {}
    Ok(())
}

/// Takes the command's next input (as `wait` says) and files it: network events under their
/// exchanges, `ask` questions to the host -> whether an input came. A stop ends the wait with
/// `EINTR`.
pub(super) fn pump(
    scope: &mut v8::PinScope<'_, '_>,
    state: &SharedGuest,
    wait: Wait,
) -> Result<bool, Errno> {
    let input = host(scope, |h| Ok(h.stdio.next_other(wait)))?;
    match input {
        Some(Input::Net(event)) => {
            let routed = state.wasi_http.borrow_mut().route(*event);
            match routed {
                Routed::Nothing => {}
                Routed::Denied(denial) => super::net::report_denial(state, &denial),
                Routed::Refuse(op) => {
                    if let Some(net) = state.net() {
                        net.if_open(|exec| exec.cancel(op));
                    }
                }
            }
        }
        Some(Input::NetAsk(asked)) => {
            let (question, answer) = *asked;
            if let Some(net) = state.net() {
                net.asks.ask(&state.output, &question, answer);
            }
        }
        Some(Input::Stop) => return Err(Errno::INTR),
        Some(_) => {}
        None => return Ok(false),
    }
    Ok(true)
}
