// 34_wasm_runner.js: the WASI import objects and `runner.startWasm(config)` (see WASI.md).

import { bridge } from 'agentos:bridge';
import {
  bridgeExit,
  bridgeWrite,
  FunctionPrototypeSymbolHasInstance,
  getter,
  globalObject,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  RangeErrorCtor,
  StringPrototypeIncludes,
} from './00_primordials.js';
import { getStack, isError, listPush, newList, splitLines, toStringSafe } from './01_helpers.js';
import { noteIfAtMemoryLimit, setMemoryLimit, wasmOriginals, watchCommand } from './09_memory.js';
import {
  agentos_cwd_get,
  agentos_proc_spawn,
  agentos_proc_spawn_timeout,
  wasi_clock_res_get,
  wasi_clock_time_get,
  wasi_proc_exit,
  wasi_proc_raise,
  wasi_random_get,
  wasi_sched_yield,
  wasiCaptureWebAssembly,
  wasiEncodeStrings,
  wasiEnosys,
  wasiExitIsRequested,
  wasiFdWrite,
  wasiGetArgs,
  wasiGetEnv,
  wasiRefresh,
  wasiRequestExit,
  wasiSetArgsEnv,
  wasiSetCwd,
  wasiSetMemory,
  wasiStringsGet,
  wasiStringsSizesGet,
  wasiWebAssembly,
} from './30_wasi.js';
import {
  wasi_fd_advise,
  wasi_fd_allocate,
  wasi_fd_datasync,
  wasi_fd_fdstat_get,
  wasi_fd_fdstat_set_flags,
  wasi_fd_fdstat_set_rights,
  wasi_fd_filestat_get,
  wasi_fd_filestat_set_size,
  wasi_fd_filestat_set_times,
  wasi_fd_pread,
  wasi_fd_prestat_dir_name,
  wasi_fd_prestat_get,
  wasi_fd_pwrite,
  wasi_fd_read,
  wasi_fd_readdir,
  wasi_fd_seek,
  wasi_fd_sync,
  wasi_fd_tell,
  wasi_fd_write,
  wasi0_fd_filestat_get,
  wasi0_fd_seek,
} from './31_wasi_fd.js';
import {
  agentos_path_chmod,
  agentos_path_mode_get,
  agentos_path_mode_links_get,
  wasi_path_create_directory,
  wasi_path_filestat_get,
  wasi_path_filestat_set_times,
  wasi_path_link,
  wasi_path_open,
  wasi_path_readlink,
  wasi_path_remove_directory,
  wasi_path_rename,
  wasi_path_symlink,
  wasi_path_unlink_file,
  wasi0_path_filestat_get,
} from './32_wasi_fs.js';
import { agentos_host_call, wasiDoorBind } from './33_wasi_door.js';
import {
  agentos_http_close,
  agentos_http_error,
  agentos_http_read,
  agentos_http_request,
  agentos_http_response,
} from './33_wasi_http.js';
import { wasi_poll_oneoff, wasi0_poll_oneoff } from './33_wasi_poll.js';
import {
  wasi_fd_close,
  wasi_fd_renumber,
  wasi_sock_accept,
  wasi_sock_recv,
  wasi_sock_send,
  wasi_sock_shutdown,
} from './33_wasi_sock.js';

const bridgeWasmModuleCompiled =
  typeof bridge.wasmModuleCompiled === 'function' ? bridge.wasmModuleCompiled : undefined;
let WasmModuleCtor;
let WasmInstanceCtor;
let WasmRuntimeError;
let WasmModuleExports;
let WasmInstanceGetExports;
// See `wasiCaptureWebAssembly`: filled at factory time, or at the first `startWasm`.
function wasmCaptureConstructors() {
  wasiCaptureWebAssembly();
  if (WasmModuleCtor !== undefined || wasiWebAssembly() === undefined) return;
  if (wasmOriginals().Module === undefined) return; // captured at the exec's start
  // The engine's own constructors: the command's module is capped already (the guards would
  // copy and rewrite its bytes again).
  WasmModuleCtor = wasmOriginals().Module;
  WasmInstanceCtor = wasmOriginals().Instance;
  WasmRuntimeError = wasiWebAssembly().RuntimeError;
  WasmModuleExports = WasmModuleCtor.exports;
  WasmInstanceGetExports = getter(WasmInstanceCtor.prototype, 'exports');
}
wasmCaptureConstructors();
const ReflectDeleteProperty = Reflect.deleteProperty;
const WASM_BYTES_GLOBAL = '__agentOSWasmModuleBytes';

function wasiImports(preview0) {
  return {
    __proto__: null,
    args_get: (argv, buf) => wasiStringsGet(wasiGetArgs(), argv, buf),
    args_sizes_get: (count, size) => wasiStringsSizesGet(wasiGetArgs(), count, size),
    environ_get: (environ, buf) => wasiStringsGet(wasiGetEnv(), environ, buf),
    environ_sizes_get: (count, size) => wasiStringsSizesGet(wasiGetEnv(), count, size),
    clock_res_get: wasi_clock_res_get,
    clock_time_get: wasi_clock_time_get,
    fd_advise: wasi_fd_advise,
    fd_allocate: wasi_fd_allocate,
    fd_close: wasi_fd_close,
    fd_datasync: wasi_fd_datasync,
    fd_fdstat_get: wasi_fd_fdstat_get,
    fd_fdstat_set_flags: wasi_fd_fdstat_set_flags,
    fd_fdstat_set_rights: wasi_fd_fdstat_set_rights,
    fd_filestat_get: preview0 ? wasi0_fd_filestat_get : wasi_fd_filestat_get,
    fd_filestat_set_size: wasi_fd_filestat_set_size,
    fd_filestat_set_times: wasi_fd_filestat_set_times,
    fd_pread: wasi_fd_pread,
    fd_prestat_get: wasi_fd_prestat_get,
    fd_prestat_dir_name: wasi_fd_prestat_dir_name,
    fd_pwrite: wasi_fd_pwrite,
    fd_read: wasi_fd_read,
    fd_readdir: wasi_fd_readdir,
    fd_renumber: wasi_fd_renumber,
    fd_seek: preview0 ? wasi0_fd_seek : wasi_fd_seek,
    fd_sync: wasi_fd_sync,
    fd_tell: wasi_fd_tell,
    fd_write: wasi_fd_write,
    path_create_directory: wasi_path_create_directory,
    path_filestat_get: preview0 ? wasi0_path_filestat_get : wasi_path_filestat_get,
    path_filestat_set_times: wasi_path_filestat_set_times,
    path_link: wasi_path_link,
    path_open: wasi_path_open,
    path_readlink: wasi_path_readlink,
    path_remove_directory: wasi_path_remove_directory,
    path_rename: wasi_path_rename,
    path_symlink: wasi_path_symlink,
    path_unlink_file: wasi_path_unlink_file,
    poll_oneoff: preview0 ? wasi0_poll_oneoff : wasi_poll_oneoff,
    proc_exit: wasi_proc_exit,
    proc_raise: wasi_proc_raise,
    random_get: wasi_random_get,
    sched_yield: wasi_sched_yield,
    sock_accept: wasi_sock_accept,
    sock_recv: wasi_sock_recv,
    sock_send: wasi_sock_send,
    sock_shutdown: wasi_sock_shutdown,
  };
}

function wasmErrorText(err) {
  try {
    if (isError(err)) {
      const message = err.message;
      return typeof message === 'string' ? message : toStringSafe(message);
    }
    return toStringSafe(err);
  } catch {
    return 'unknown error';
  }
}

// Ends the exec with a message on stderr.
function wasmFail(message, code) {
  wasiRequestExit();
  try {
    bridgeWrite(2, `${message}\n`);
  } catch {}
  bridgeExit(code);
}

// `    at ...` frames of a wasm stack that are in wasm code (runner frames dropped).
function wasmFrames(err) {
  const stack = getStack(err);
  if (stack === undefined) return '';
  const lines = splitLines(stack);
  let out = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (
      StringPrototypeIncludes(line, 'wasm://') ||
      StringPrototypeIncludes(line, 'wasm-function[')
    ) {
      out += `${line}\n`;
    }
  }
  return out;
}

function wasmIsTrap(err) {
  try {
    if (
      WasmRuntimeError !== undefined &&
      FunctionPrototypeSymbolHasInstance(WasmRuntimeError, err)
    ) {
      return true;
    }
    // Stack exhaustion in wasm is a RangeError; count it as a trap when wasm frames are on it.
    return FunctionPrototypeSymbolHasInstance(RangeErrorCtor, err) && wasmFrames(err) !== '';
  } catch {
    return false;
  }
}

function wasmReportTrap(err) {
  wasiRequestExit();
  noteIfAtMemoryLimit();
  let text;
  try {
    text = `wasm trap: ${wasmErrorText(err)}\n${wasmFrames(err)}`;
  } catch {
    text = 'wasm trap\n';
  }
  try {
    bridgeWrite(2, text);
  } catch {}
  bridgeExit(134);
}

// Reads and removes the module bytes the host put on the global object.
function wasmTakeBytes() {
  let bytes;
  const desc = ObjectGetOwnPropertyDescriptor(globalObject, WASM_BYTES_GLOBAL);
  if (desc !== undefined) bytes = desc.value;
  if (!ReflectDeleteProperty(globalObject, WASM_BYTES_GLOBAL) && desc !== undefined) {
    try {
      ObjectDefineProperty(globalObject, WASM_BYTES_GLOBAL, { __proto__: null, value: undefined });
    } catch {}
  }
  return bytes;
}

let wasmStarted = false;

// A command module a parked worker instantiated before its exec (see engine/src/pool/prewarm.rs).
let preparedModule;
let preparedInstance;

// Each `agentos_vN` has every function of the version before it (WASI.md).
function wasmImportObject() {
  const v2 = {
    __proto__: null,
    cwd_get: agentos_cwd_get,
    proc_spawn: agentos_proc_spawn,
    proc_spawn_timeout: agentos_proc_spawn_timeout,
  };
  const v3 = {
    __proto__: null,
    ...v2,
    path_chmod: agentos_path_chmod,
    path_mode_get: agentos_path_mode_get,
    path_mode_links_get: agentos_path_mode_links_get,
  };
  const v4 = {
    __proto__: null,
    ...v3,
    http_request: agentos_http_request,
    http_response: agentos_http_response,
    http_read: agentos_http_read,
    http_error: agentos_http_error,
    http_close: agentos_http_close,
  };
  return {
    __proto__: null,
    wasi_snapshot_preview1: wasiImports(false),
    wasi_unstable: wasiImports(true),
    agentos_v1: { __proto__: null, cwd_get: agentos_cwd_get },
    agentos_v2: v2,
    agentos_v3: v3,
    agentos_v4: v4,
    agentos_v5: { __proto__: null, ...v4, host_call: agentos_host_call },
  };
}

// The `_start` and `memory` exports a command needs, or what is missing.
function wasmMissingExport(module) {
  const exportList = WasmModuleExports(module);
  let hasStart = false;
  let hasMemory = false;
  for (let i = 0; i < exportList.length; i++) {
    const e = exportList[i];
    if (e.name === '_start' && e.kind === 'function') hasStart = true;
    if (e.name === 'memory' && e.kind === 'memory') hasMemory = true;
  }
  if (!hasStart) return 'wasm: the module does not export a `_start` function';
  if (!hasMemory) return 'wasm: the module does not export its `memory`';
  return undefined;
}

// The exec's module: the compiled one it was given, else compiled from the bytes global.
function wasmModuleFor(config) {
  let bytes = wasmTakeBytes(); // always removed, even when a compiled module is given
  if (config.module !== undefined) return config.module;
  if (bytes === undefined) return wasmFail('wasm: no module', 1);
  let module;
  try {
    module = new WasmModuleCtor(bytes);
  } catch (err) {
    bytes = undefined;
    return wasmFail(`wasm: invalid module: ${wasmErrorText(err)}`, 1);
  }
  bytes = undefined;
  if (bridgeWasmModuleCompiled !== undefined) bridgeWasmModuleCompiled(module);
  return module;
}

function wasmStartInner(config) {
  if (WasmModuleCtor === undefined || wasiFdWrite === wasiEnosys) {
    wasmTakeBytes();
    return wasmFail('wasm: this host has no WebAssembly/WASI support', 1);
  }
  const ahead = config.prepared === true ? preparedInstance : undefined;
  const module = ahead === undefined ? wasmModuleFor(config) : preparedModule;
  preparedModule = undefined;
  preparedInstance = undefined;
  if (module === undefined) return;

  const argv = config.argv;
  const env = config.env;
  const envStrings = newList();
  for (let i = 0; i < env.length; i++) listPush(envStrings, `${env[i][0]}=${env[i][1]}`);
  wasiSetArgsEnv(wasiEncodeStrings(argv), wasiEncodeStrings(envStrings));
  wasiSetCwd(config.cwd === undefined ? '/' : config.cwd);

  const missing = wasmMissingExport(module);
  if (missing !== undefined) return wasmFail(missing, 1);
  let start;
  try {
    // The instance's start function (if any) is guest code: it runs here. (A module with one is
    // never instantiated ahead.)
    const instance = ahead === undefined ? new WasmInstanceCtor(module, wasmImportObject()) : ahead;
    const exports = WasmInstanceGetExports(instance);
    wasiSetMemory(exports.memory);
    wasiDoorBind(exports, config.pid, config.ppid);
    watchCommand(exports.memory, exports);
    start = exports._start;
    wasiRefresh();
  } catch (err) {
    if (wasiExitIsRequested()) throw err;
    if (wasmIsTrap(err)) return wasmReportTrap(err);
    return wasmFail(`wasm: failed to instantiate the module: ${wasmErrorText(err)}`, 1);
  }
  try {
    start();
  } catch (err) {
    if (wasiExitIsRequested()) throw err; // exit in progress (a host that unwinds by throwing)
    if (wasmIsTrap(err)) return wasmReportTrap(err);
    // An exception from a WASI import: a runner bug, or an import declared with the wrong
    // signature (V8 does not type-check JS imports; e.g. an i32 where WASI has an i64).
    let stack = getStack(err);
    if (stack === undefined) stack = wasmErrorText(err);
    return wasmFail(`wasm: error in a WASI call: ${stack}`, 1);
  }
  wasiRequestExit();
  bridgeExit(0);
}

/** Drops a module instantiated ahead for a WASI command when the exec runs something else. */
export function dropPreparedWasm() {
  preparedModule = undefined;
  preparedInstance = undefined;
}

/** Instantiates a command's compiled module (one without a start section: no guest code runs)
 * before any exec has claimed this isolate; `startWasm` runs it if told it is the exec's own.
 * True if instantiated. */
export function prepareWasm(module, memoryLimit) {
  if (wasmStarted || preparedInstance !== undefined) return false;
  try {
    setMemoryLimit(+memoryLimit);
    wasmCaptureConstructors();
    if (WasmModuleCtor === undefined || wasiFdWrite === wasiEnosys) return false;
    if (wasmMissingExport(module) !== undefined) return false;
    preparedInstance = new WasmInstanceCtor(module, wasmImportObject());
    preparedModule = module;
    return true;
  } catch {
    preparedInstance = undefined;
    return false;
  }
}

export function startWasm(config) {
  if (wasmStarted) return;
  wasmStarted = true;
  setMemoryLimit(+config.memoryLimit);
  try {
    wasmCaptureConstructors();
    wasmStartInner(config);
  } catch (err) {
    if (wasiExitIsRequested()) throw err;
    let stack = getStack(err);
    if (stack === undefined) stack = wasmErrorText(err);
    wasmFail(`wasm: internal error: ${stack}`, 1);
  }
}
