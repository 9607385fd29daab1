// 30_wasi.js: WASI preview1 over the guest's linear memory (see WASI.md): the native functions,
// constants, memory access, args/environ/clock/random/proc/sock. The fd_* imports are in
// 31_wasi_fd.js, paths in 32_wasi_fs.js, poll_oneoff in 33_wasi_poll.js, the import objects and
// `startWasm` in 34_wasm_runner.js.
//
// Every import re-reads `memory.buffer` first (guest code may have grown memory, which detaches
// the old buffer), bounds-checks every guest pointer/length (EFAULT), and returns a WASI errno.
// Native `bridge.wasi_*` functions return their result, or a negative Number `-errno`.

// Native functions, captured now; absent ones (older native side) answer ENOSYS.

import { bridge } from 'agentos:bridge';
import {
  bridgeExit,
  bridgeUtf8Encode,
  getter,
  globalObject,
  TypedArrayPrototype,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSlice,
  Uint8ArrayCtor,
  uncurryThis,
} from './00_primordials.js';
import { concatBytes, listPush, newList } from './01_helpers.js';
import { encodeRawUtf8 } from './07_encoding.js';
import { noteIfAtMemoryLimit } from './09_memory.js';

export function wasiEnosys() {
  return -52;
}
export function wasiNative(name) {
  const fn = bridge[name];
  return typeof fn === 'function' ? fn : wasiEnosys;
}
export const wasiFdRead = wasiNative('wasi_fd_read');
export const wasiFdPread = wasiNative('wasi_fd_pread');
export const wasiFdWrite = wasiNative('wasi_fd_write');
export const wasiFdPwrite = wasiNative('wasi_fd_pwrite');
export const wasiFdSeek = wasiNative('wasi_fd_seek');
export const wasiFdTell = wasiNative('wasi_fd_tell');
export const wasiFdClose = wasiNative('wasi_fd_close');
export const wasiFdFdstatGet = wasiNative('wasi_fd_fdstat_get');
export const wasiFdFdstatSetFlags = wasiNative('wasi_fd_fdstat_set_flags');
export const wasiFdFdstatSetRights = wasiNative('wasi_fd_fdstat_set_rights');
export const wasiFdFilestatGet = wasiNative('wasi_fd_filestat_get');
export const wasiFdFilestatSetSize = wasiNative('wasi_fd_filestat_set_size');
export const wasiFdFilestatSetTimes = wasiNative('wasi_fd_filestat_set_times');
export const wasiFdPrestatGet = wasiNative('wasi_fd_prestat_get');
export const wasiFdPrestatDirName = wasiNative('wasi_fd_prestat_dir_name');
export const wasiFdReaddir = wasiNative('wasi_fd_readdir'); // fs: entries as arrays
// Answered into guest memory (the memory's view first, then the import's own arguments); each
// returns the errno (bridge/wasi_mem.rs).
export const wasiMemFdReaddir = wasiNative('wasi_mem_fd_readdir');
export const wasiMemFdRead = wasiNative('wasi_mem_fd_read');
export const wasiMemFdWrite = wasiNative('wasi_mem_fd_write');
export const wasiMemFdFilestatGet = wasiNative('wasi_mem_fd_filestat_get');
export const wasiMemPathFilestatGet = wasiNative('wasi_mem_path_filestat_get');
export const wasiFdRenumber = wasiNative('wasi_fd_renumber');
export const wasiFdSync = wasiNative('wasi_fd_sync');
export const wasiFdDatasync = wasiNative('wasi_fd_datasync');
export const wasiFdAdvise = wasiNative('wasi_fd_advise');
export const wasiFdAllocate = wasiNative('wasi_fd_allocate');
export const wasiClockTimeGet = wasiNative('wasi_clock_time_get');
export const WASI_CLOCK_MONOTONIC = 1;

/** The monotonic clock in ns, or undefined. */
export function wasiNowMonotonic() {
  const r = wasiClockTimeGet(WASI_CLOCK_MONOTONIC);
  return typeof r === 'bigint' ? r : undefined;
}
const wasiClockResGet = wasiNative('wasi_clock_res_get');
export const wasiRandomGet = wasiNative('wasi_random_get');
const wasiProcSpawn = wasiNative('wasi_proc_spawn');

export const WasiDataViewCtor = DataView;
export const WasiDataViewGetUint8 = uncurryThis(DataView.prototype.getUint8);
export const WasiDataViewGetUint16 = uncurryThis(DataView.prototype.getUint16);
export const WasiDataViewGetUint32 = uncurryThis(DataView.prototype.getUint32);
export const WasiDataViewGetBigUint64 = uncurryThis(DataView.prototype.getBigUint64);
const WasiDataViewSetUint8 = uncurryThis(DataView.prototype.setUint8);
const WasiDataViewSetUint16 = uncurryThis(DataView.prototype.setUint16);
export const WasiDataViewSetUint32 = uncurryThis(DataView.prototype.setUint32);
export const WasiDataViewSetBigUint64 = uncurryThis(DataView.prototype.setBigUint64);
const WasiTypedArrayFill = uncurryThis(TypedArrayPrototype.fill);
const WasiBigIntAsUintN = BigInt.asUintN;
// V8 has no `WebAssembly` global while a snapshot is being created, so when this factory runs
// for the snapshot these are captured later, by `wasiCaptureWebAssembly` at the start of
// `startWasm`: in a wasm exec no guest JS has run by then, so the global is still pristine.
let WasiWebAssembly;
let WasiMemoryGetBuffer;
export function wasiCaptureWebAssembly() {
  if (WasiWebAssembly !== undefined) return;
  const wa = globalObject.WebAssembly;
  if (typeof wa !== 'object' || wa === null) return;
  WasiWebAssembly = wa;
  WasiMemoryGetBuffer = getter(wa.Memory.prototype, 'buffer');
}
wasiCaptureWebAssembly();

// errno
export const WASI_ESUCCESS = 0;
export const WASI_EFAULT = 21;
export const WASI_EINVAL = 28;
export const WASI_EIO = 29;
export const WASI_ENAMETOOLONG = 37;
const WASI_ENOTSUP = 58;
// filetype
export const WASI_FILETYPE_DIRECTORY = 3;
export const WASI_FILETYPE_REGULAR_FILE = 4;

// Largest transfer asked of / handed to the native side per call (never sized by a guest length).
export const WASI_MAX_IO = 16 * 1024 * 1024;
const WASI_RANDOM_CHUNK = 1024 * 1024;

// Per-exec state (set by startWasm).
let wasiMemory; // WebAssembly.Memory
let wasiMemBuffer;
let wasiU8;
let wasiDV;
let wasiMemSize = 0;
let wasiArgs = newList(); // Uint8Array, NUL-terminated
let wasiEnv = newList();
let wasiExitRequested = false;

// Re-derives the views when the memory grew (its old buffer is then detached).
// Before instantiation finished (an import called from the module's start function) there is no
// memory yet: every pointer is then out of range (EFAULT).
const wasiNoMemory = new Uint8ArrayCtor(0);
export function wasiRefresh() {
  if (wasiMemory === undefined) {
    wasiMemBuffer = undefined;
    wasiU8 = wasiNoMemory;
    wasiDV = new WasiDataViewCtor(TypedArrayPrototypeGetBuffer(wasiNoMemory));
    wasiMemSize = 0;
    return;
  }
  const buf = WasiMemoryGetBuffer(wasiMemory);
  if (buf !== wasiMemBuffer) {
    wasiMemBuffer = buf;
    wasiU8 = new Uint8ArrayCtor(buf);
    wasiDV = new WasiDataViewCtor(buf);
    wasiMemSize = TypedArrayPrototypeGetLength(wasiU8);
  }
}

// Accessors of the per-exec state for the other WASI modules (the views change when memory grows:
// read them after `wasiRefresh()`).
export function wasiMemU8() {
  return wasiU8;
}

export function wasiMemDV() {
  return wasiDV;
}

export function wasiWebAssembly() {
  return WasiWebAssembly;
}

export function wasiSetMemory(memory) {
  wasiMemory = memory;
}

export function wasiSetArgsEnv(args, env) {
  wasiArgs = args;
  wasiEnv = env;
}

export function wasiGetArgs() {
  return wasiArgs;
}

export function wasiGetEnv() {
  return wasiEnv;
}

export function wasiRequestExit() {
  wasiExitRequested = true;
}

export function wasiExitIsRequested() {
  return wasiExitRequested;
}

// `ptr`, `len` are u32 Numbers: true when [ptr, ptr+len) is outside memory.
export function wasiOob(ptr, len) {
  return ptr + len > wasiMemSize;
}

export function wasiU32(ptr) {
  return WasiDataViewGetUint32(wasiDV, ptr, true);
}
export function wasiSetU8(ptr, v) {
  WasiDataViewSetUint8(wasiDV, ptr, v);
}
export function wasiSetU16(ptr, v) {
  WasiDataViewSetUint16(wasiDV, ptr, v, true);
}
export function wasiSetU32(ptr, v) {
  WasiDataViewSetUint32(wasiDV, ptr, v, true);
}
export function wasiSetU64(ptr, v) {
  WasiDataViewSetBigUint64(wasiDV, ptr, WasiBigIntAsUintN(64, v), true);
}
export function wasiZero(ptr, len) {
  WasiTypedArrayFill(wasiU8, 0, ptr, ptr + len);
}
export function wasiIsErr(r) {
  return typeof r === 'number' && r < 0;
}
// Errno of a native result that is not the expected success value.
export function wasiErrno(r) {
  return typeof r === 'number' && r < 0 ? -r : WASI_EIO;
}
// Copy of guest bytes (paths, names) for the natives that take them as values (the wasi_mem ones
// read memory themselves and keep nothing of it).
export function wasiBytes(ptr, len) {
  return TypedArrayPrototypeSlice(wasiU8, ptr, ptr + len);
}
export function wasiU64(v) {
  return WasiBigIntAsUintN(64, v);
}

// ---- args / environ ----

export function wasiStringsGet(list, ptrsPtr, bufPtr) {
  wasiRefresh();
  ptrsPtr >>>= 0;
  bufPtr >>>= 0;
  const n = list.length;
  let size = 0;
  for (let i = 0; i < n; i++) size += TypedArrayPrototypeGetLength(list[i]);
  if (wasiOob(ptrsPtr, n * 4) || wasiOob(bufPtr, size)) return WASI_EFAULT;
  let at = bufPtr;
  for (let i = 0; i < n; i++) {
    wasiSetU32(ptrsPtr + i * 4, at);
    TypedArrayPrototypeSet(wasiU8, list[i], at);
    at += TypedArrayPrototypeGetLength(list[i]);
  }
  return WASI_ESUCCESS;
}

export function wasiStringsSizesGet(list, countPtr, sizePtr) {
  wasiRefresh();
  countPtr >>>= 0;
  sizePtr >>>= 0;
  if (wasiOob(countPtr, 4) || wasiOob(sizePtr, 4)) return WASI_EFAULT;
  let size = 0;
  for (let i = 0; i < list.length; i++) size += TypedArrayPrototypeGetLength(list[i]);
  wasiSetU32(countPtr, list.length);
  wasiSetU32(sizePtr, size);
  return WASI_ESUCCESS;
}

// ---- agentos_v1 (our own imports; WASI.md) ----

let wasiCwd;

/** The command's working directory, as `agentos_v1.cwd_get` gives it. */
export function wasiSetCwd(cwd) {
  wasiCwd = bridgeUtf8Encode(`${cwd}`);
}

/** The command's start-up working directory, UTF-8. */
export function wasiCwdBytes() {
  return wasiCwd === undefined ? bridgeUtf8Encode('/') : wasiCwd;
}

/** `agentos_v1.cwd_get(buf, len) -> size`: up to `len` bytes of the cwd; its full length. */
export function agentos_cwd_get(buf, len) {
  wasiRefresh();
  buf >>>= 0;
  len >>>= 0;
  const cwd = wasiCwdBytes();
  const size = TypedArrayPrototypeGetLength(cwd);
  if (size > len) return size;
  if (wasiOob(buf, size)) return 0;
  TypedArrayPrototypeSet(wasiU8, cwd, buf);
  return size;
}

// ---- agentos_v2 (WASI.md): agentos_v1 and proc_spawn ----

/** `proc_spawn` flags bit 0: the child gets the command's own environment (env_buf ignored). */
const PROC_INHERIT_ENV = 1;

// The byte arrays of `list`, joined into one.
export const wasiConcat = concatBytes;

/**
 * `agentos_v2.proc_spawn(argv_buf, argv_len, env_buf, env_len, cwd_buf, cwd_len, flags,
 * status_ptr) -> errno`: runs a child guest to its end; at `status_ptr` two u32s, its exit code
 * and the signal that ended it (0 when it exited).
 */
export function agentos_proc_spawn(
  argvBuf,
  argvLen,
  envBuf,
  envLen,
  cwdBuf,
  cwdLen,
  flags,
  statusPtr,
) {
  return procSpawn(argvBuf, argvLen, envBuf, envLen, cwdBuf, cwdLen, flags, 0, 0, statusPtr, 2);
}

/**
 * `agentos_v2.proc_spawn_timeout(..., flags, timeout_ms, signal, status_ptr) -> errno`: as
 * `proc_spawn`, but past `timeout_ms` (u32, 0: never) the child is sent `signal` (0: SIGTERM);
 * at `status_ptr` three u32s: exit code, signal, and 1 if the timeout fired.
 */
export function agentos_proc_spawn_timeout(
  argvBuf,
  argvLen,
  envBuf,
  envLen,
  cwdBuf,
  cwdLen,
  flags,
  timeoutMs,
  signal,
  statusPtr,
) {
  return procSpawn(
    argvBuf,
    argvLen,
    envBuf,
    envLen,
    cwdBuf,
    cwdLen,
    flags,
    timeoutMs >>> 0,
    signal >>> 0,
    statusPtr,
    3,
  );
}

function procSpawn(
  argvBuf,
  argvLen,
  envBuf,
  envLen,
  cwdBuf,
  cwdLen,
  flags,
  timeoutMs,
  signal,
  statusPtr,
  words,
) {
  wasiRefresh();
  argvBuf >>>= 0;
  argvLen >>>= 0;
  envBuf >>>= 0;
  envLen >>>= 0;
  cwdBuf >>>= 0;
  cwdLen >>>= 0;
  flags >>>= 0;
  statusPtr >>>= 0;
  if ((flags & ~PROC_INHERIT_ENV) !== 0) return WASI_EINVAL;
  const inherit = (flags & PROC_INHERIT_ENV) !== 0;
  if (wasiOob(argvBuf, argvLen) || wasiOob(statusPtr, 4 * words)) return WASI_EFAULT;
  if (wasiOob(cwdBuf, cwdLen) || (!inherit && wasiOob(envBuf, envLen))) return WASI_EFAULT;
  const argv = wasiBytes(argvBuf, argvLen);
  const env = inherit ? wasiConcat(wasiEnv) : wasiBytes(envBuf, envLen);
  const cwd = cwdLen === 0 ? wasiCwdBytes() : wasiBytes(cwdBuf, cwdLen);
  const r = wasiProcSpawn(argv, env, cwd, timeoutMs, signal);
  if (typeof r !== 'number' || r < 0) return wasiErrno(r);
  wasiSetU32(statusPtr, r & 0xff);
  wasiSetU32(statusPtr + 4, (r >>> 8) & 0xff);
  if (words === 3) wasiSetU32(statusPtr + 8, r >>> 16);
  return WASI_ESUCCESS;
}

export function wasiEncodeStrings(strings) {
  const out = newList();
  for (let i = 0; i < strings.length; i++) {
    listPush(out, encodeRawUtf8(`${strings[i]}\0`));
  }
  return out;
}

// ---- clocks, random, proc, sched, sock ----

function wasiClockValid(id) {
  return id >= 0 && id <= 3;
}

export function wasi_clock_res_get(id, resPtr) {
  wasiRefresh();
  id >>>= 0;
  resPtr >>>= 0;
  if (!wasiClockValid(id)) return WASI_EINVAL;
  if (wasiOob(resPtr, 8)) return WASI_EFAULT;
  const r = wasiClockResGet(id);
  if (typeof r !== 'bigint') return wasiErrno(r);
  wasiSetU64(resPtr, r);
  return WASI_ESUCCESS;
}

export function wasi_clock_time_get(id, precision, timePtr) {
  wasiRefresh();
  id >>>= 0;
  timePtr >>>= 0;
  if (!wasiClockValid(id)) return WASI_EINVAL;
  if (wasiOob(timePtr, 8)) return WASI_EFAULT;
  const r = wasiClockTimeGet(id);
  if (typeof r !== 'bigint') return wasiErrno(r);
  wasiSetU64(timePtr, r);
  return WASI_ESUCCESS;
}

export function wasi_random_get(buf, len) {
  wasiRefresh();
  buf >>>= 0;
  len >>>= 0;
  if (wasiOob(buf, len)) return WASI_EFAULT;
  let done = 0;
  while (done < len) {
    const want = len - done > WASI_RANDOM_CHUNK ? WASI_RANDOM_CHUNK : len - done;
    const r = wasiRandomGet(want);
    if (wasiIsErr(r)) return -r;
    const got = TypedArrayPrototypeGetLength(r);
    if (got === 0 || got > want) return WASI_EIO;
    TypedArrayPrototypeSet(wasiU8, r, buf + done);
    done += got;
  }
  return WASI_ESUCCESS;
}

export function wasi_proc_exit(code) {
  wasiExitRequested = true;
  if ((code & 0xff) !== 0) noteIfAtMemoryLimit();
  bridgeExit(code & 0xff);
}

export function wasi_proc_raise(sig) {
  return WASI_ENOTSUP;
}

export function wasi_sched_yield() {
  return WASI_ESUCCESS;
}
