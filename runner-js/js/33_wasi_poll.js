// 33_wasi_poll.js: poll_oneoff. Clock subscriptions and stdin reads wait in one `wasi_poll`;
// socket fds (33_wasi_sock.js) wait in `wasi_sock_ready` with the earliest clock (stdin then is
// only looked at, before and after); every other fd subscription (files, directories,
// stdout/stderr writes) is ready at once.
//
// subscription (preview1, 48 bytes): userdata u64 @0, tag u8 @8, then
//   clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40
//   fd_read / fd_write: fd u32 @16
// preview0 (56 bytes): the clock has an extra `identifier` u64 @16, so id @24, timeout @32,
//   precision @40, flags @48.
// event (32 bytes): userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24.

import { NumberCtor, Uint8ArrayCtor, Uint32ArrayCtor } from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import {
  WASI_CLOCK_MONOTONIC,
  WASI_EFAULT,
  WASI_EINVAL,
  WASI_EIO,
  WASI_ESUCCESS,
  WASI_FILETYPE_DIRECTORY,
  WASI_FILETYPE_REGULAR_FILE,
  WasiDataViewGetBigUint64,
  WasiDataViewGetUint8,
  WasiDataViewGetUint16,
  WasiDataViewGetUint32,
  wasiClockTimeGet,
  wasiErrno,
  wasiFdFdstatGet,
  wasiFdFilestatGet,
  wasiFdTell,
  wasiIsErr,
  wasiMemDV,
  wasiNative,
  wasiNowMonotonic,
  wasiOob,
  wasiRefresh,
  wasiSetU8,
  wasiSetU16,
  wasiSetU32,
  wasiSetU64,
  wasiZero,
} from './30_wasi.js';
import { wasiSockReady, wasiSockTlsReadable } from './33_wasi_sock.js';

const wasiPoll = wasiNative('wasi_poll');

const WASI_EVENTTYPE_CLOCK = 0;
const WASI_EVENTTYPE_FD_READ = 1;
const WASI_EVENTTYPE_FD_WRITE = 2;
const WASI_SUBSCRIPTION_CLOCK_ABSTIME = 1;
const WASI_FILETYPE_SOCKET_STREAM = 6;

function wasiPollEvent(events, userdata, error, type, nbytes) {
  const ev = { __proto__: null, userdata, error, type, nbytes };
  listPush(events, ev);
}

// Readiness of a non-stdin fd subscription: [errno, nbytes].
function wasiFdReadiness(fd, type, st) {
  if (type === WASI_EVENTTYPE_FD_READ && st[0] === WASI_FILETYPE_REGULAR_FILE) {
    // Bytes left before EOF, as wasmtime reports for files (0 when it cannot tell).
    const fst = wasiFdFilestatGet(fd);
    const pos = wasiFdTell(fd);
    if (!wasiIsErr(fst) && typeof pos === 'bigint' && typeof fst[4] === 'bigint' && fst[4] > pos) {
      return fst[4] - pos;
    }
  }
  return 0n;
}

// Waits up to `timeout` ns (negative: no limit) for the socket subscriptions; adds the ready ones.
function wasiPollSockets(events, subs, timeout) {
  const fds = new Uint32ArrayCtor(subs.length);
  const wants = new Uint8ArrayCtor(subs.length);
  for (let i = 0; i < subs.length; i++) {
    fds[i] = subs[i].fd;
    wants[i] = subs[i].tag === WASI_EVENTTYPE_FD_READ ? 1 : 2;
  }
  const ms = timeout < 0n ? -1 : NumberCtor(timeout / 1000n) / 1000;
  const ready = wasiSockReady(fds, wants, ms);
  if (typeof ready === 'number') return ready < 0 ? -ready : WASI_EIO;
  for (let i = 0; i < subs.length; i++) {
    if (ready[i] !== 0) wasiPollEvent(events, subs[i].userdata, WASI_ESUCCESS, subs[i].tag, 1n);
  }
  return WASI_ESUCCESS;
}

function wasiPollOneoff(inPtr, outPtr, nsubs, neventsPtr, preview0) {
  wasiRefresh();
  inPtr >>>= 0;
  outPtr >>>= 0;
  nsubs >>>= 0;
  neventsPtr >>>= 0;
  if (nsubs === 0) return WASI_EINVAL;
  const subSize = preview0 ? 56 : 48;
  const clockAt = preview0 ? 24 : 16;
  if (wasiOob(inPtr, nsubs * subSize) || wasiOob(outPtr, nsubs * 32) || wasiOob(neventsPtr, 4)) {
    return WASI_EFAULT;
  }
  const events = newList();
  const stdinSubs = newList(); // [userdata]
  const sockSubs = newList(); // { userdata, fd, tag }
  const clocks = newList(); // { userdata, deadline (monotonic ns) }
  let now; // monotonic ns at the start, read lazily
  let minRemaining = -1n;
  for (let i = 0; i < nsubs; i++) {
    const sub = inPtr + i * subSize;
    const userdata = WasiDataViewGetBigUint64(wasiMemDV(), sub, true);
    const tag = WasiDataViewGetUint8(wasiMemDV(), sub + 8);
    if (tag === WASI_EVENTTYPE_CLOCK) {
      const id = WasiDataViewGetUint32(wasiMemDV(), sub + clockAt, true);
      const timeout = WasiDataViewGetBigUint64(wasiMemDV(), sub + clockAt + 8, true);
      const flags = WasiDataViewGetUint16(wasiMemDV(), sub + clockAt + 24, true);
      if (id !== 0 && id !== 1) return WASI_EINVAL;
      if (now === undefined) {
        now = wasiNowMonotonic();
        if (now === undefined) return WASI_EIO;
      }
      let remaining = timeout;
      if ((flags & WASI_SUBSCRIPTION_CLOCK_ABSTIME) !== 0) {
        const clockNow = id === WASI_CLOCK_MONOTONIC ? now : wasiClockTimeGet(id);
        if (typeof clockNow !== 'bigint') return wasiErrno(clockNow);
        remaining = timeout > clockNow ? timeout - clockNow : 0n;
      }
      listPush(clocks, { __proto__: null, userdata, deadline: now + remaining });
      if (minRemaining < 0n || remaining < minRemaining) minRemaining = remaining;
    } else if (tag === WASI_EVENTTYPE_FD_READ || tag === WASI_EVENTTYPE_FD_WRITE) {
      const fd = WasiDataViewGetUint32(wasiMemDV(), sub + 16, true);
      const st = wasiFdFdstatGet(fd);
      if (typeof st === 'number' || st === undefined || st === null) {
        wasiPollEvent(events, userdata, wasiErrno(st), tag, 0n);
      } else if (
        tag === WASI_EVENTTYPE_FD_READ &&
        fd === 0 &&
        st[0] !== WASI_FILETYPE_REGULAR_FILE &&
        st[0] !== WASI_FILETYPE_DIRECTORY
      ) {
        listPush(stdinSubs, userdata);
      } else if (
        st[0] === WASI_FILETYPE_SOCKET_STREAM &&
        !(tag === WASI_EVENTTYPE_FD_READ && wasiSockTlsReadable(fd))
      ) {
        listPush(sockSubs, { __proto__: null, userdata, fd, tag });
      } else {
        wasiPollEvent(events, userdata, WASI_ESUCCESS, tag, wasiFdReadiness(fd, tag, st));
      }
    } else {
      return WASI_EINVAL;
    }
  }

  const wantStdin = stdinSubs.length > 0;
  if (sockSubs.length > 0) {
    const r = wasiPollSockets(events, sockSubs, events.length > 0 ? 0n : minRemaining);
    if (r !== WASI_ESUCCESS) return r;
  }
  if ((events.length === 0 && sockSubs.length === 0) || wantStdin) {
    // Wait (or, with events already ready, just look) for stdin and the earliest clock.
    const timeout = events.length > 0 || sockSubs.length > 0 ? 0n : minRemaining;
    const r = wasiPoll(timeout, wantStdin);
    if (typeof r !== 'number') return WASI_EIO;
    if (r < 0) return -r;
    if (r === 1) {
      for (let i = 0; i < stdinSubs.length; i++) {
        wasiPollEvent(events, stdinSubs[i], WASI_ESUCCESS, WASI_EVENTTYPE_FD_READ, 1n);
      }
    }
  }
  if (clocks.length > 0) {
    let later = wasiNowMonotonic();
    if (later === undefined) return WASI_EIO;
    // Nothing else woke us: the wait ended at the earliest deadline (clock granularity aside).
    if (events.length === 0 && later < now + minRemaining) later = now + minRemaining;
    for (let i = 0; i < clocks.length; i++) {
      if (clocks[i].deadline <= later) {
        wasiPollEvent(events, clocks[i].userdata, WASI_ESUCCESS, WASI_EVENTTYPE_CLOCK, 0n);
      }
    }
  }

  wasiRefresh();
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    const at = outPtr + i * 32;
    wasiZero(at, 32);
    wasiSetU64(at, ev.userdata);
    wasiSetU16(at + 8, ev.error);
    wasiSetU8(at + 10, ev.type);
    wasiSetU64(at + 16, ev.nbytes);
  }
  wasiSetU32(neventsPtr, events.length);
  return WASI_ESUCCESS;
}

export function wasi_poll_oneoff(inPtr, outPtr, nsubs, neventsPtr) {
  return wasiPollOneoff(inPtr, outPtr, nsubs, neventsPtr, false);
}

export function wasi0_poll_oneoff(inPtr, outPtr, nsubs, neventsPtr) {
  return wasiPollOneoff(inPtr, outPtr, nsubs, neventsPtr, true);
}
