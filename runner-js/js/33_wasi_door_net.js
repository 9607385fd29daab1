// 33_wasi_door_net.js: the door's network ops (33_wasi_door.js has the frames' contract):
// HTTP exchanges over the natives of `agentos_v4.http_*` (Python's `urllib.request`), stream
// sockets (Python's `socket`), TLS over them and TLS sessions the command drives over memory
// (Python's `ssl`); the socket and session mechanics are 33_wasi_sock.js's.

import {
  ArrayIsArray,
  bridgeUtf8Encode,
  JSONStringify,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSubarray,
} from './00_primordials.js';
import { wasiConcat } from './30_wasi.js';
import {
  DOOR_ERRNO_NAMES,
  DOOR_NOTHING,
  doorAnswer,
  doorErrno,
  doorError,
  doorFields,
  doorNumber,
  doorStrings,
} from './33_wasi_door_frames.js';
import {
  wasiHttpClose,
  wasiHttpError,
  wasiHttpRead,
  wasiHttpRequest,
  wasiHttpResponse,
} from './33_wasi_http.js';
import {
  wasiSockConnect,
  wasiSockListen,
  wasiSockNames,
  wasiSockOpen,
  wasiSockTls,
  wasiTlsFree,
  wasiTlsInfo,
  wasiTlsOpen,
  wasiTlsStep,
} from './33_wasi_sock.js';

/** Largest body read at once. */
const DOOR_MAX_READ = 64 * 1024 * 1024;
/** Network operations (sockets and HTTP exchanges) a command holds at once (engine: 64). */
const DOOR_MAX_OPS = 64;

// ---- HTTP through the exec's network: the natives of `agentos_v4.http_*` ----

// `http_request`: {"method", "url", "headers": [[name, value], ..], "follow": B, "head_ms",
// "end_ms"}, the payload its body -> {"handle": N}.
function doorHttpRequest(header, body) {
  const headers = ArrayIsArray(header.headers) ? header.headers : [];
  const fields = [header.method, header.url];
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i];
    if (!ArrayIsArray(pair) || pair.length !== 2)
      return doorError('EINVAL', 'a header is malformed');
    fields[fields.length] = pair[0];
    fields[fields.length] = pair[1];
  }
  const spec = doorStrings(fields);
  const headMs = doorNumber(header.head_ms, 0);
  const endMs = doorNumber(header.end_ms, 0);
  if (spec === undefined || headMs < 0 || endMs < 0)
    return doorError('EINVAL', 'a field is malformed');
  const flags = header.follow === true ? 2 : 0;
  const sent = TypedArrayPrototypeGetLength(body) === 0 ? undefined : body;
  const r = wasiHttpRequest(spec, sent, flags, headMs, endMs);
  return typeof r === 'number' && r >= 0 ? doorAnswer({ handle: r }, DOOR_NOTHING) : doorErrno(r);
}

// `http_response`: {"handle"} -> {"status", "reason", "version", "url"}, the payload the header
// names and values as NUL-terminated bytes; a failed exchange: {"errno": "EIO", "code", "message"}.
function doorHttpResponse(header) {
  const handle = doorNumber(header.handle, -1);
  const r = handle < 0 ? -28 : wasiHttpResponse(handle);
  if (typeof r === 'number') return r === -29 ? doorHttpFailure(handle) : doorErrno(r);
  const fields = doorFields(r, 4);
  const head = { status: +fields[0], reason: fields[1], version: fields[2], url: fields[3] };
  return doorAnswer(head, TypedArrayPrototypeSubarray(r, fields.rest));
}

function doorHttpFailure(handle) {
  const why = doorFields(wasiHttpError(handle), 2);
  return bridgeUtf8Encode(`${JSONStringify({ errno: 'EIO', code: why[0], message: why[1] })}\0`);
}

// `http_read`: {"handle", "max"} -> {}, the payload the bytes (none at the body's end).
function doorHttpRead(header) {
  const handle = doorNumber(header.handle, -1);
  const max = doorNumber(header.max, 65536);
  if (handle < 0 || max < 0) return doorError('EINVAL', 'a field is malformed');
  const r = wasiHttpRead(handle, max > DOOR_MAX_READ ? DOOR_MAX_READ : max);
  if (typeof r === 'number') return r === -29 ? doorHttpFailure(handle) : doorErrno(r);
  return doorAnswer({}, r);
}

// `http_close`: {"handle"} -> {}.
function doorHttpClose(header) {
  const handle = doorNumber(header.handle, -1);
  const r = handle < 0 ? -28 : wasiHttpClose(handle);
  return typeof r === 'number' && r < 0 ? doorErrno(r) : doorAnswer({}, DOOR_NOTHING);
}

// ---- Stream sockets through the exec's network (33_wasi_sock.js) ----

// The answer to a socket native's `-errno`, naming the limit when one was hit.
function doorSockErrno(r) {
  if (r === -33) {
    return doorErrno(r, `the command's ${DOOR_MAX_OPS} network operations at once are all open`);
  }
  if (r === -42)
    return doorErrno(r, "the exec's listeners at once (its network limit) are all in use");
  return doorErrno(r);
}

// `sock_open`: {} -> {"fd": N}, a new socket fd, not connected.
function doorSockOpen() {
  const r = wasiSockOpen();
  return typeof r === 'number' && r >= 0 ? doorAnswer({ fd: r }, DOOR_NOTHING) : doorErrno(r);
}

// `sock_connect`: {"fd", "host", "port", "timeout_ms"} -> {}; a failed connection:
// {"errno": "ECONNREFUSED" | .., "code", "message"} (code: Node's name, as `net.connect` has).
function doorSockConnect(header) {
  const fd = doorNumber(header.fd, -1);
  const port = doorNumber(header.port, -1);
  const ms = doorNumber(header.timeout_ms, 0);
  if (fd < 0 || port < 0 || ms < 0 || typeof header.host !== 'string') {
    return doorError('EINVAL', 'a field is malformed');
  }
  const r = wasiSockConnect(fd, header.host, port, ms);
  if (typeof r === 'number') return r === 0 ? doorAnswer({}, DOOR_NOTHING) : doorSockErrno(r);
  return bridgeUtf8Encode(`${JSONStringify({ errno: 'EIO', code: r[0], message: r[1] })}\0`);
}

// The session options of a `sock_tls`/`tls_open` header.
function doorTlsOptions(header) {
  const list = (v) => (ArrayIsArray(v) ? v : []);
  const bytesOf = (v) => {
    const out = [];
    for (let i = 0; i < v.length; i++) out[i] = bridgeUtf8Encode(`${v[i]}`);
    return out;
  };
  const pem = (v) => (typeof v === 'string' ? bridgeUtf8Encode(v) : undefined);
  return {
    servername: typeof header.server_name === 'string' ? header.server_name : '',
    ca: bytesOf(list(header.cadata)),
    alpn: bytesOf(list(header.alpn)),
    cert: pem(header.cert),
    key: pem(header.key),
    checkName: header.check_name === true,
    networkRoots: true,
  };
}

function doorTlsFailure(r) {
  const errno = r.errno === undefined ? 'EIO' : DOOR_ERRNO_NAMES[r.errno] || 'EIO';
  return bridgeUtf8Encode(`${JSONStringify({ errno, code: r.code, message: r.message })}\0`);
}

// What a session negotiated: {"version", "cipher", "alpn", "verify_error", "certs": [LEN..]},
// the payload the peer's certificates (DER, back to back).
function doorTlsInfo(info) {
  const certs = info.peerCertificates;
  const lengths = [];
  for (let i = 0; i < certs.length; i++) lengths[i] = TypedArrayPrototypeGetLength(certs[i]);
  const head = {
    version: info.protocol,
    cipher: info.cipher,
    alpn: info.alpn === false ? null : info.alpn,
    verify_error: info.verifyError,
    certs: lengths,
  };
  return doorAnswer(head, wasiConcat(certs));
}

// `sock_tls`: {"fd", "server_name", "cadata": [PEM], "alpn": [..], "cert", "key",
// "check_name", "timeout_ms"} -> what it negotiated (doorTlsInfo); a failed handshake: {"errno":
// "EIO", "code", "message"}; past "timeout_ms" (when given): {"errno": "ETIMEDOUT", ..}.
function doorSockTls(header) {
  const fd = doorNumber(header.fd, -1);
  const ms = doorNumber(header.timeout_ms, -2);
  if (fd < 0 || ms === -1) return doorError('EINVAL', 'a field is malformed');
  const r = wasiSockTls(fd, doorTlsOptions(header), ms >= 0 ? ms : undefined);
  return r.info === undefined ? doorTlsFailure(r) : doorTlsInfo(r.info);
}

// `tls_open`: the options of `sock_tls` without "fd" -> {"session": N}, a client session the
// command moves the records of itself (`tls_step`).
function doorTlsOpen(header) {
  const r = wasiTlsOpen(doorTlsOptions(header));
  return r.session === undefined
    ? doorTlsFailure(r)
    : doorAnswer({ session: r.session }, DOOR_NOTHING);
}

const DOOR_TLS_STEPS = { __proto__: null, feed: true, write: true, close: true, pending: true };

// `tls_step`: {"session", "what": "feed" | "write" | "close" | "pending"}, the payload records
// received (feed) or plain text to send (write) -> {"plain": LEN, "out": LEN, "secure": B,
// "closed": B, "error": TEXT | null}, the payload the plain text then the records to send.
function doorTlsStep(header, payload) {
  const id = doorNumber(header.session, -1);
  if (id < 0 || DOOR_TLS_STEPS[header.what] !== true)
    return doorError('EINVAL', 'a field is malformed');
  const p = wasiTlsStep(id, header.what, payload);
  if (p === undefined) return doorError('EBADF', 'no such session');
  const plain = p.plain === undefined ? DOOR_NOTHING : p.plain;
  const out = p.out === undefined ? DOOR_NOTHING : p.out;
  const head = {
    plain: TypedArrayPrototypeGetLength(plain),
    out: TypedArrayPrototypeGetLength(out),
    secure: !!p.secure,
    closed: !!p.closed,
    error: p.error ? `${p.error}` : null,
  };
  return doorAnswer(head, wasiConcat([plain, out]));
}

// `tls_info`: {"session"} -> what it negotiated (doorTlsInfo).
function doorTlsInfoOp(header) {
  const info = wasiTlsInfo(doorNumber(header.session, -1));
  return info === undefined ? doorError('EBADF', 'no such session') : doorTlsInfo(info);
}

// `tls_free`: {"session"} -> {}.
function doorTlsFree(header) {
  wasiTlsFree(doorNumber(header.session, -1));
  return doorAnswer({}, DOOR_NOTHING);
}

// `sock_listen`: {"fd", "port"} -> {"port"}: the socket listens on that virtual port of the exec
// (0: a free one); `EADDRINUSE` when it is taken.
function doorSockListen(header) {
  const fd = doorNumber(header.fd, -1);
  const port = doorNumber(header.port, 0);
  if (fd < 0 || port < 0 || port > 65535) return doorError('EINVAL', 'a field is malformed');
  const r = wasiSockListen(fd, port);
  if (typeof r === 'number' && r >= 0) return doorAnswer({ port: r }, DOOR_NOTHING);
  return doorSockErrno(r);
}

// `sock_names`: {"fd"} -> {"peer": [ADDR, PORT], "local": [ADDR, PORT]}.
function doorSockNames(header) {
  const fd = doorNumber(header.fd, -1);
  const r = fd < 0 ? -28 : wasiSockNames(fd);
  if (typeof r === 'number') return doorErrno(r);
  return doorAnswer({ peer: [r[0], r[1]], local: [r[2], r[3]] }, DOOR_NOTHING);
}

/** The network's ops, by name. */
export const DOOR_NET_OPS = {
  __proto__: null,
  http_request: doorHttpRequest,
  http_response: doorHttpResponse,
  http_read: doorHttpRead,
  http_close: doorHttpClose,
  sock_open: doorSockOpen,
  sock_connect: doorSockConnect,
  sock_tls: doorSockTls,
  sock_listen: doorSockListen,
  sock_names: doorSockNames,
  tls_open: doorTlsOpen,
  tls_step: doorTlsStep,
  tls_info: doorTlsInfoOp,
  tls_free: doorTlsFree,
};
