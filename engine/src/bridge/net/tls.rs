//! The natives behind runner-js's `TLSSocket` (lib/internal__tls_socket.js): TLS the guest
//! drives over its own transport, one [`TlsSession`] per socket held in a handle.
//!
//! - `tlsClient({ servername, alpn, ca, cert, key })` and `tlsServer(context)`: a session
//!   handle, or `{ code, message }` for bad input.
//! - `tlsServerContext({ cert, key, alpn, requestCert, ca })`: a secure context handle, or
//!   `{ code, message }`. PEM as `Uint8Array`s; `alpn` and `ca` arrays of them.
//! - `tlsFeed(h, bytes)`, `tlsWrite(h, bytes)`, `tlsClose(h)`, `tlsPending(h)`: what came of it,
//!   `{ plain, out, secure, closed, error }` (`plain`/`out` `Uint8Array`s or undefined).
//! - `tlsInfo(h)`: `{ alpn, protocol, cipher, servername, peerCertificates, verifyError }`,
//!   `verifyError` OpenSSL's code for why the peer's chain did not verify (or null).

use agentos_net::tls_session::{
    ClientSetup, LocalTrust, Progress, ServerContext, ServerSetup, TlsSession, TlsSetupError,
};

use crate::bridge::handles;
use crate::strings::{throw_type_error, uint8_array, v8_str, view_bytes};

/// Native memory a session holds (rustls buffers), charged to the exec.
const SESSION_BYTES: usize = 64 << 10;
/// A secure context: a parsed chain and key.
const CONTEXT_BYTES: usize = 16 << 10;

fn get<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    object: v8::Local<'s, v8::Object>,
    name: &str,
) -> v8::Local<'s, v8::Value> {
    let key = v8_str(scope, name);
    object
        .get(scope, key.into())
        .unwrap_or_else(|| v8::undefined(scope).into())
}

fn bytes_of(value: v8::Local<'_, v8::Value>) -> Option<Vec<u8>> {
    v8::Local::<v8::ArrayBufferView>::try_from(value)
        .ok()
        .map(view_bytes)
}

fn list_of(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Vec<Vec<u8>> {
    let Ok(array) = v8::Local::<v8::Array>::try_from(value) else {
        return Vec::new();
    };
    (0..array.length())
        .filter_map(|i| array.get_index(scope, i))
        .filter_map(bytes_of)
        .collect()
}

fn set(
    scope: &mut v8::PinScope<'_, '_>,
    object: v8::Local<'_, v8::Object>,
    name: &str,
    value: v8::Local<'_, v8::Value>,
) {
    let key = v8_str(scope, name);
    object.set(scope, key.into(), value);
}

fn refusal(scope: &mut v8::PinScope<'_, '_>, rv: &mut v8::ReturnValue<'_>, error: &TlsSetupError) {
    let code = match error {
        TlsSetupError::BadCertificate(_) => "ERR_OSSL_PEM_NO_START_LINE",
        TlsSetupError::BadKey(_) => "ERR_OSSL_UNSUPPORTED",
        TlsSetupError::Refused(m) if m.contains("inconsistent") || m.contains("match") => {
            "ERR_OSSL_X509_KEY_VALUES_MISMATCH"
        }
        TlsSetupError::Refused(_) => "ERR_TLS_INVALID_CONTEXT",
        TlsSetupError::BadServerName(_) => "ERR_INVALID_ARG_VALUE",
    };
    // OpenSSL's own text where Node tests and programs match on it.
    let message = match code {
        "ERR_OSSL_X509_KEY_VALUES_MISMATCH" => {
            "error:05800074:x509 certificate routines::key values mismatch".to_owned()
        }
        _ => error.to_string(),
    };
    let object = v8::Object::new(scope);
    let code = v8_str(scope, code).into();
    set(scope, object, "code", code);
    let message = v8_str(scope, &message).into();
    set(scope, object, "message", message);
    rv.set(object.into());
}

/// Sets the return value to a new handle holding `made` (about `size` bytes), or to the refusal.
fn handle_or_refusal<T: 'static>(
    scope: &mut v8::PinScope<'_, '_>,
    rv: &mut v8::ReturnValue<'_>,
    made: Result<T, TlsSetupError>,
    size: usize,
) {
    match made {
        Ok(value) => {
            if let Some(h) = handles::create(scope, value, size) {
                rv.set(h.into());
            }
        }
        Err(e) => refusal(scope, rv, &e),
    }
}

fn options_of<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
    name: &str,
) -> Option<v8::Local<'s, v8::Object>> {
    let object = v8::Local::<v8::Object>::try_from(value).ok();
    if object.is_none() {
        throw_type_error(scope, &format!("{name}: options must be an object"));
    }
    object
}

/// `netFetch`'s trust for the exec's own HTTPS servers: `{ ca, rejectUnauthorized, servername }`.
pub(super) fn local_trust<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
) -> LocalTrust {
    let Ok(o) = v8::Local::<v8::Object>::try_from(value) else {
        return LocalTrust::default();
    };
    let ca = get(scope, o, "ca");
    let reject = get(scope, o, "rejectUnauthorized");
    let name = get(scope, o, "servername");
    LocalTrust {
        ca: list_of(scope, ca),
        accept_any: reject.is_false(),
        server_name: name.is_string().then(|| name.to_rust_string_lossy(scope)),
    }
}

pub(super) fn client<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(o) = options_of(scope, args.get(0), "tlsClient") else {
        return;
    };
    let name = get(scope, o, "servername");
    let alpn = get(scope, o, "alpn");
    let ca = get(scope, o, "ca");
    let cert = get(scope, o, "cert");
    let key = get(scope, o, "key");
    let setup = ClientSetup {
        server_name: if name.is_string() {
            name.to_rust_string_lossy(scope)
        } else {
            String::new()
        },
        alpn: list_of(scope, alpn),
        ca: list_of(scope, ca),
        identity: bytes_of(cert).zip(bytes_of(key)),
        check_name: get(scope, o, "checkName").is_true(),
        // A command's TLS over its socket trusts what the network trusts (extra roots too).
        roots: get(scope, o, "networkRoots")
            .is_true()
            .then(|| crate::net::runtime().ok().map(|rt| rt.roots()))
            .flatten(),
    };
    handle_or_refusal(scope, &mut rv, TlsSession::client(&setup), SESSION_BYTES);
}

pub(super) fn server_context<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(o) = options_of(scope, args.get(0), "tlsServerContext") else {
        return;
    };
    let cert = get(scope, o, "cert");
    let key = get(scope, o, "key");
    let alpn = get(scope, o, "alpn");
    let request = get(scope, o, "requestCert");
    let ca = get(scope, o, "ca");
    let setup = ServerSetup {
        cert: bytes_of(cert).unwrap_or_default(),
        key: bytes_of(key).unwrap_or_default(),
        alpn: list_of(scope, alpn),
        request_cert: request.is_true(),
        ca: list_of(scope, ca),
    };
    handle_or_refusal(scope, &mut rv, ServerContext::new(&setup), CONTEXT_BYTES);
}

pub(super) fn server<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((id, context)) = handles::take::<ServerContext>(scope, args.get(0)) else {
        return throw_type_error(scope, "tlsServer: not a secure context");
    };
    let session = TlsSession::server(&context);
    handles::put(scope, id, context);
    handle_or_refusal(scope, &mut rv, session, SESSION_BYTES);
}

/// Runs `f` on the session in handle `args[0]` and returns its progress.
fn step<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: &v8::FunctionCallbackArguments<'s>,
    rv: &mut v8::ReturnValue<'s>,
    f: impl FnOnce(&mut TlsSession, Option<Vec<u8>>) -> Progress,
) {
    let data = bytes_of(args.get(1));
    let Some((id, mut session)) = handles::take::<TlsSession>(scope, args.get(0)) else {
        return throw_type_error(scope, "tls: not a TLS session");
    };
    let p = f(&mut session, data);
    handles::put(scope, id, session);
    let object = v8::Object::new(scope);
    for (name, bytes) in [("plain", p.plain), ("out", p.out)] {
        if bytes.is_empty() {
            continue;
        }
        // From the exec's budget: a guest that keeps what it decrypts stays bounded.
        let Some(array) = crate::bridge::views::new_uint8_array(scope, &bytes) else {
            return; // a RangeError is thrown
        };
        set(scope, object, name, array.into());
    }
    for (name, flag) in [("secure", p.secure), ("closed", p.closed)] {
        let value = v8::Boolean::new(scope, flag).into();
        set(scope, object, name, value);
    }
    if let Some(error) = p.error {
        let value = v8_str(scope, &error).into();
        set(scope, object, "error", value);
    }
    rv.set(object.into());
}

pub(super) fn feed<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    step(scope, &args, &mut rv, |s, d| s.feed(&d.unwrap_or_default()));
}

pub(super) fn write<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    step(scope, &args, &mut rv, |s, d| {
        s.write(&d.unwrap_or_default())
    });
}

pub(super) fn close<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    step(scope, &args, &mut rv, |s, _| s.close());
}

pub(super) fn pending<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    step(scope, &args, &mut rv, |s, _| s.pending());
}

pub(super) fn info<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((id, session)) = handles::take::<TlsSession>(scope, args.get(0)) else {
        return throw_type_error(scope, "tlsInfo: not a TLS session");
    };
    let object = v8::Object::new(scope);
    let alpn = match session.alpn() {
        Some(a) => v8_str(scope, &String::from_utf8_lossy(a)).into(),
        None => v8::Boolean::new(scope, false).into(),
    };
    set(scope, object, "alpn", alpn);
    let texts = [
        ("protocol", session.protocol().map(str::to_owned)),
        ("cipher", session.cipher()),
        ("servername", session.sni().map(str::to_owned)),
        (
            "verifyError",
            session
                .verify_failure()
                .map(|f| f.openssl_code(self_signed).to_owned()),
        ),
    ];
    for (name, text) in texts {
        let value = match text {
            Some(t) => v8_str(scope, &t).into(),
            None => v8::null(scope).into(),
        };
        set(scope, object, name, value);
    }
    let certs: Vec<v8::Local<v8::Value>> = (session.peer_certificates().into_iter())
        .filter_map(|c| uint8_array(scope, c.to_vec()))
        .map(Into::into)
        .collect();
    let certs = v8::Array::new_with_elements(scope, &certs).into();
    set(scope, object, "peerCertificates", certs);
    handles::put(scope, id, session);
    rv.set(object.into());
}

/// Whether a certificate names itself as its issuer.
fn self_signed(der: &[u8]) -> bool {
    x509_parser::parse_x509_certificate(der)
        .is_ok_and(|(_, c)| c.subject().as_raw() == c.issuer().as_raw())
}
