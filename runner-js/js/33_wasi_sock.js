// 33_wasi_sock.js: stream sockets of a WASI command on the exec's network (socket fds; the
// natives are engine/src/bridge/wasi_sock.rs), and TLS over them: a rustls session per socket,
// the natives Node's TLSSocket uses (engine/src/bridge/net/tls.rs), so `sock_recv`/`sock_send`
// on a TLS socket carry plain text and the records go through the session here. The door's
// `sock_*` ops (33_wasi_door.js) open, connect and secure them; `sock_recv`, `sock_send`,
// `sock_shutdown`, `fd_close`, `fd_renumber` and `poll_oneoff` (33_wasi_poll.js) use them.

import {
  ArrayBufferCtor,
  ArrayPrototypeShift,
  BigIntCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberCtor,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
  Uint32ArrayCtor,
} from './00_primordials.js';
import {
  WASI_EFAULT,
  WASI_EIO,
  WASI_ESUCCESS,
  wasiFdClose,
  wasiFdFdstatSetFlags,
  wasiFdRenumber,
  wasiNative,
  wasiNowMonotonic,
  wasiOob,
  wasiRefresh,
  wasiSetU16,
  wasiSetU32,
} from './30_wasi.js';
import { wasiGather, wasiIovTotal, wasiScatter, wasiStatus } from './31_wasi_fd.js';

export const wasiSockOpen = wasiNative('wasi_sock_open');
export const wasiSockConnect = wasiNative('wasi_sock_connect');
export const wasiSockNames = wasiNative('wasi_sock_names');
export const wasiSockListen = wasiNative('wasi_sock_listen');
const sockAccept = wasiNative('wasi_sock_accept');
const sockRecv = wasiNative('wasi_sock_recv');
const sockSend = wasiNative('wasi_sock_send');
const sockShutdown = wasiNative('wasi_sock_shutdown');
/** The readiness of socket fds: see `wasi_sock_ready` (WASI.md). */
export const wasiSockReady = wasiNative('wasi_sock_ready');
const tlsClient = wasiNative('tlsClient');
const tlsFeed = wasiNative('tlsFeed');
const tlsWrite = wasiNative('tlsWrite');
const tlsClose = wasiNative('tlsClose');
const tlsPending = wasiNative('tlsPending');
const tlsInfo = wasiNative('tlsInfo');

const WASI_EPIPE = 64;
const WASI_ETIMEDOUT = 73;
const SOCK_RIFLAGS_PEEK = 1;

// TLS state by socket fd: { session, plain: [Uint8Array], eof, closed, error }.
const sockTls = new Map();

// Sends all of `bytes` (TLS records: whole, waiting for room) -> 0 or -errno.
function sockSendAll(fd, bytes) {
  const n = TypedArrayPrototypeGetLength(bytes);
  let at = 0;
  while (at < n) {
    const r = sockSend(fd, TypedArrayPrototypeSubarray(bytes, at), true);
    if (typeof r !== 'number') return -WASI_EIO;
    if (r < 0) return r;
    at += r;
  }
  return 0;
}

// Files what a session call gave: records out, plain text kept -> 0 or -errno.
function sockProgress(fd, state, p) {
  if (p.out !== undefined && TypedArrayPrototypeGetLength(p.out) > 0) {
    const r = sockSendAll(fd, p.out);
    if (r < 0) return r;
  }
  if (p.plain !== undefined && TypedArrayPrototypeGetLength(p.plain) > 0) {
    state.plain[state.plain.length] = p.plain;
  }
  if (p.secure) state.secure = true;
  if (p.closed) state.closed = true;
  if (p.error) state.error = p.error;
  return 0;
}

// Reads records until the session has plain text, ended, or failed -> 0 or -errno (-EAGAIN
// when `wait` is false and no record is here).
function sockFill(fd, state, wait) {
  while (state.plain.length === 0 && !state.closed && !state.eof && !state.error) {
    const raw = sockRecv(fd, 65536, wait);
    if (typeof raw === 'number') return raw;
    if (TypedArrayPrototypeGetLength(raw) === 0) {
      state.eof = true;
      return 0;
    }
    const r = sockProgress(fd, state, tlsFeed(state.session, raw));
    if (r < 0) return r;
  }
  return 0;
}

// Up to `max` plain bytes of a TLS socket (`peek`: left in place) -> bytes or -errno.
function sockTlsRecv(fd, state, max, peek) {
  const r = sockFill(fd, state, false);
  if (r < 0 && state.plain.length === 0) return r;
  if (state.plain.length === 0) return state.error ? -WASI_EIO : new Uint8ArrayCtor(0);
  const first = state.plain[0];
  const n = TypedArrayPrototypeGetLength(first);
  if (n <= max) {
    if (!peek) ArrayPrototypeShift(state.plain);
    return first;
  }
  if (!peek) state.plain[0] = TypedArrayPrototypeSubarray(first, max);
  return TypedArrayPrototypeSubarray(first, 0, max);
}

/** True when a TLS socket has plain text waiting (poll_oneoff: ready to read at once). */
export function wasiSockTlsReadable(fd) {
  const state = MapPrototypeGet(sockTls, fd);
  return state !== undefined && (state.plain.length > 0 || state.closed || !!state.error);
}

export function wasi_sock_recv(fd, riData, riDataLen, riFlags, roDataLenPtr, roFlagsPtr) {
  wasiRefresh();
  fd >>>= 0;
  const total = wasiIovTotal(riData >>> 0, riDataLen >>> 0);
  if (total < 0) return -total;
  if (wasiOob(roDataLenPtr >>> 0, 4) || wasiOob(roFlagsPtr >>> 0, 2)) return WASI_EFAULT;
  const state = MapPrototypeGet(sockTls, fd);
  const peek = (riFlags & SOCK_RIFLAGS_PEEK) !== 0;
  const r =
    state !== undefined
      ? sockTlsRecv(fd, state, total, peek)
      : peek
        ? -58 // ENOTSUP: the connection's bytes are taken as they are read
        : sockRecv(fd, total, false);
  if (typeof r === 'number') return r < 0 ? -r : WASI_EIO;
  wasiRefresh();
  wasiSetU32(roDataLenPtr >>> 0, wasiScatter(riData >>> 0, riDataLen >>> 0, r));
  wasiSetU16(roFlagsPtr >>> 0, 0);
  return WASI_ESUCCESS;
}

// One piece of a send: plain through the session when the socket is TLS.
function sockSendPiece(fd, bytes) {
  const state = MapPrototypeGet(sockTls, fd);
  if (state === undefined) return sockSend(fd, bytes, false);
  if (state.error || state.sentClose) return -WASI_EPIPE;
  const r = sockProgress(fd, state, tlsWrite(state.session, bytes));
  return r < 0 ? r : TypedArrayPrototypeGetLength(bytes);
}

export function wasi_sock_send(fd, siData, siDataLen, siFlags, soDataLenPtr) {
  wasiRefresh();
  fd >>>= 0;
  const total = wasiIovTotal(siData >>> 0, siDataLen >>> 0);
  if (total < 0) return -total;
  if (wasiOob(soDataLenPtr >>> 0, 4)) return WASI_EFAULT;
  const r =
    total === 0
      ? 0
      : wasiGather(siData >>> 0, siDataLen >>> 0, (bytes) => sockSendPiece(fd, bytes), 0n);
  if (typeof r !== 'number') return WASI_EIO;
  if (r < 0) return -r;
  wasiRefresh();
  wasiSetU32(soDataLenPtr >>> 0, r);
  return WASI_ESUCCESS;
}

export function wasi_sock_shutdown(fd, how) {
  fd >>>= 0;
  const state = MapPrototypeGet(sockTls, fd);
  if (state !== undefined && (how & 2) !== 0 && !state.sentClose) {
    state.sentClose = true;
    sockProgress(fd, state, tlsClose(state.session));
  }
  return wasiStatus(sockShutdown(fd, how & 0xff));
}

/** `sock_accept`: the next connection of a listening socket as a new fd (`flags`: its fdflags). */
export function wasi_sock_accept(fd, flags, fdPtr) {
  wasiRefresh();
  if (wasiOob(fdPtr >>> 0, 4)) return WASI_EFAULT;
  const r = sockAccept(fd >>> 0);
  if (typeof r !== 'number') return WASI_EIO;
  if (r < 0) return -r;
  if ((flags & 0xffff) !== 0) wasiFdFdstatSetFlags(r, flags & 0xffff);
  wasiRefresh();
  wasiSetU32(fdPtr >>> 0, r);
  return WASI_ESUCCESS;
}

/** `fd_close`: a TLS socket says close_notify and forgets its session first. */
export function wasi_fd_close(fd) {
  fd >>>= 0;
  const state = MapPrototypeGet(sockTls, fd);
  if (state !== undefined) {
    MapPrototypeDelete(sockTls, fd);
    if (!state.sentClose && !state.error) sockProgress(fd, state, tlsClose(state.session));
  }
  return wasiStatus(wasiFdClose(fd));
}

/** `fd_renumber`: a TLS socket's session moves with it. */
export function wasi_fd_renumber(from, to) {
  from >>>= 0;
  to >>>= 0;
  const r = wasiFdRenumber(from, to);
  if (r === 0 && from !== to) {
    const state = MapPrototypeGet(sockTls, from);
    MapPrototypeDelete(sockTls, to);
    if (state !== undefined) {
      MapPrototypeDelete(sockTls, from);
      MapPrototypeSet(sockTls, to, state);
    }
  }
  return wasiStatus(r);
}

// A client session's handle (an ArrayBuffer), or `{ code, message }` for options it refuses.
function sockNewSession(options) {
  try {
    const session = tlsClient(options);
    return session instanceof ArrayBufferCtor
      ? session
      : { code: session.code, message: session.message };
  } catch (e) {
    return { code: 'EINVAL', message: `${e?.message}` };
  }
}

// The monotonic deadline `ms` from now (undefined: none).
function sockDeadline(ms) {
  const now = ms === undefined ? undefined : wasiNowMonotonic();
  return now === undefined ? undefined : now + BigIntCtor(ms) * 1000000n;
}

// Whether socket `fd` has bytes to read before `deadline` (none: it will, in time).
function sockReadableBy(fd, deadline) {
  if (deadline === undefined) return true;
  const now = wasiNowMonotonic();
  if (now === undefined) return true;
  if (now >= deadline) return false;
  const ms = NumberCtor((deadline - now) / 1000n) / 1000;
  const ready = wasiSockReady(new Uint32ArrayCtor([fd]), new Uint8ArrayCtor([1]), ms);
  return typeof ready === 'number' || ready[0] !== 0;
}

/**
 * Secures socket `fd` as a TLS client: `options` as `tlsClient` takes them (`servername`, `ca`,
 * `alpn`, `cert`, `key`, `checkName`). Runs the handshake, for at most `timeoutMs` when given (as
 * CPython's socket timeout bounds it) -> `{ info }` (tlsInfo's, plus the peer's certificates), or
 * `{ code, message }`.
 */
export function wasiSockTls(fd, options, timeoutMs) {
  if (MapPrototypeGet(sockTls, fd) !== undefined) return { code: 'EALREADY', message: 'secured' };
  const session = sockNewSession(options);
  if (!(session instanceof ArrayBufferCtor)) return session;
  const state = { session, plain: [], secure: false, eof: false, closed: false, error: undefined };
  const deadline = sockDeadline(timeoutMs);
  let r = sockProgress(fd, state, tlsPending(session));
  while (r === 0 && !state.secure && !state.error && !state.eof && !state.closed) {
    if (!sockReadableBy(fd, deadline)) {
      return { code: 'ERRNO', errno: WASI_ETIMEDOUT, message: 'The handshake operation timed out' };
    }
    const raw = sockRecv(fd, 65536, true);
    if (typeof raw === 'number') r = raw;
    else if (TypedArrayPrototypeGetLength(raw) === 0) state.eof = true;
    else r = sockProgress(fd, state, tlsFeed(session, raw));
  }
  if (state.error) return { code: 'ERR_SSL', message: state.error };
  if (r < 0) return { code: 'ERRNO', errno: -r, message: 'the connection failed' };
  if (!state.secure) return { code: 'EOF', message: 'EOF occurred in violation of protocol' };
  MapPrototypeSet(sockTls, fd, state);
  const info = tlsInfo(session);
  return { info, certs: info.peerCertificates };
}

// ---- TLS over memory (Python's `SSLObject`/`MemoryBIO`, which asyncio uses) ----

/** Sessions the command drives itself, by number (at most `SOCK_MAX_SESSIONS`). */
const sockSessions = new Map();
const SOCK_MAX_SESSIONS = 64;
let sockNextSession = 0;

/** A client session the command feeds and drains itself -> `{ session }` or `{ code, message }`. */
export function wasiTlsOpen(options) {
  if (sockSessions.size >= SOCK_MAX_SESSIONS) {
    return { code: 'EMFILE', message: `${SOCK_MAX_SESSIONS} TLS sessions at once are open` };
  }
  const session = sockNewSession(options);
  if (!(session instanceof ArrayBufferCtor)) return session;
  sockNextSession += 1;
  MapPrototypeSet(sockSessions, sockNextSession, session);
  return { session: sockNextSession };
}

/**
 * One step of session `id`: `what` 'feed' (records in), 'write' (plain in), 'close'
 * (close_notify) or 'pending' -> the session's progress, or undefined for an unknown session.
 */
export function wasiTlsStep(id, what, bytes) {
  const session = MapPrototypeGet(sockSessions, id);
  if (session === undefined) return undefined;
  if (what === 'feed') return tlsFeed(session, bytes);
  if (what === 'write') return tlsWrite(session, bytes);
  if (what === 'close') return tlsClose(session);
  return tlsPending(session);
}

/** What session `id` negotiated (tlsInfo's), or undefined. */
export function wasiTlsInfo(id) {
  const session = MapPrototypeGet(sockSessions, id);
  return session === undefined ? undefined : tlsInfo(session);
}

/** Forgets session `id`. */
export function wasiTlsFree(id) {
  MapPrototypeDelete(sockSessions, id);
}
