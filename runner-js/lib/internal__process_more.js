// lib/internal__process_more.js: the implementations behind the `process` members of
// js/28_process_more.js (loaded on first use): memoryUsage (V8's heap statistics, through a
// native), cpuUsage (the guest thread's CPU time), resourceUsage, umask, kill,
// allowedNodeEnvironmentFlags, config, and what keeps the loop alive (getActiveResourcesInfo,
// _getActiveHandles, _getActiveRequests).

import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  bridgeHeapStatistics,
  bridgeThreadCpuMicros,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberIsFinite,
  NumberParseInt,
  ObjectFreeze,
  RangeErrorCtor,
  SetCtor,
  SetPrototypeAdd,
  StringPrototypeCharCodeAt,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError, makeOutOfRange } from '../js/06_errors.js';
import { ownPid } from '../js/23_warnings.js';
import { activeTimerResources } from '../js/24_timers.js';
import { netActiveHandles } from '../js/29_net.js';
import { fsSetUmask, fsUmask } from '../js/41_fs_core.js';
import { osConstants } from './internal__os_constants.js';

function heapStats() {
  return typeof bridgeHeapStatistics === 'function'
    ? bridgeHeapStatistics()
    : [0, 0, 0, 0, 0, 0, 0, 0];
}

export function memoryUsage() {
  const s = heapStats();
  return {
    rss: s[4] + s[6],
    heapTotal: s[0],
    heapUsed: s[1],
    external: s[2],
    arrayBuffers: s[2],
  };
}
export function memoryUsageRss() {
  const s = heapStats();
  return s[4] + s[6];
}

function cpuMicros() {
  const us = typeof bridgeThreadCpuMicros === 'function' ? bridgeThreadCpuMicros() : -1;
  return us < 0 ? 0 : us;
}

function validateCpuField(prev, name) {
  const v = prev[name];
  if (typeof v !== 'number') throw makeInvalidArgType(`prevValue.${name}`, 'number', v);
  if (!NumberIsFinite(v) || v < 0) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The property 'prevValue.${name}' is invalid. Received ${v}`,
    );
  }
  return v;
}

// The guest thread's CPU time counts as user time (the sandbox does not split it).
export function cpuUsage(prevValue) {
  const user = cpuMicros();
  if (prevValue !== undefined) {
    if (prevValue === null || typeof prevValue !== 'object' || ArrayIsArray(prevValue)) {
      throw makeInvalidArgType('prevValue', 'object', prevValue);
    }
    const pu = validateCpuField(prevValue, 'user');
    const ps = validateCpuField(prevValue, 'system');
    return { user: user - pu, system: 0 - ps };
  }
  return { user, system: 0 };
}

// One thread runs the guest: its usage is the process's.
export function threadCpuUsage(prevValue) {
  return cpuUsage(prevValue);
}

// process.ref/unref(object): the object's nodejs.ref/nodejs.unref symbol method, else ref/unref.
export function refObject(object, on) {
  const key = on ? 'ref' : 'unref';
  let fn;
  if (object !== null && object !== undefined) {
    fn = object[SymbolFor(`nodejs.${key}`)] ?? object[SymbolFor(`node:${key}`)] ?? object[key];
  }
  if (typeof fn === 'function') FunctionPrototypeCall(fn, object);
}

function isOctal(text) {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c < 48 || c > 55) return false;
  }
  return true;
}

/**
 * Node's order: requests (each an fs callback: 'FSReqCallback'), then handles, then a
 * 'Timeout' per timeout and an 'Immediate' per immediate.
 */
export function getActiveResourcesInfo() {
  const timers = activeTimerResources();
  const handles = netActiveHandles();
  const info = [];
  for (let i = 0; i < timers.requests.length; i++) info[info.length] = 'FSReqCallback';
  for (let i = 0; i < handles.length; i++) info[info.length] = handles[i].resource;
  for (let i = 0; i < timers.timeouts; i++) info[info.length] = 'Timeout';
  for (let i = 0; i < timers.immediates; i++) info[info.length] = 'Immediate';
  return info;
}

/** The sockets and servers that keep the loop alive. */
export function _getActiveHandles() {
  const handles = netActiveHandles();
  const owners = [];
  for (let i = 0; i < handles.length; i++) owners[i] = handles[i].owner;
  return owners;
}

/** The pending requests (fs callbacks) that keep the loop alive. */
export function _getActiveRequests() {
  const requests = activeTimerResources().requests;
  const list = [];
  for (let i = 0; i < requests.length; i++) list[i] = requests[i];
  return list;
}

export function umask(mask) {
  const old = fsUmask();
  if (mask !== undefined) {
    let m = mask;
    if (typeof m === 'string') {
      if (!isOctal(m)) {
        throw makeNodeError(
          TypeErrorCtor,
          'ERR_INVALID_ARG_VALUE',
          `The argument 'mask' must be a 32-bit unsigned integer or an octal string. Received '${m}'`,
        );
      }
      m = NumberParseInt(m, 8);
    }
    if (typeof m !== 'number') throw makeInvalidArgType('mask', 'number', mask);
    if (m < 0 || m > 4294967295 || m !== (m | 0) >>> 0) {
      throw makeOutOfRange('mask', '>= 0 && <= 4294967295', m);
    }
    fsSetUmask(m);
  }
  return old;
}

export function notSupported(api) {
  return makeNodeError(
    ErrorCtor,
    'ERR_NOT_SUPPORTED_IN_SANDBOX',
    `process.${api} is not supported in the agentOS sandbox`,
  );
}

// As Node's: a signal is a number or a name (`'SIGTERM'` when none).
function killSignal(signal) {
  if (signal === (signal | 0)) return signal;
  const n = osConstants.signals[signal || 'SIGTERM'];
  if (typeof n !== 'number') {
    throw makeNodeError(TypeErrorCtor, 'ERR_UNKNOWN_SIGNAL', `Unknown signal: ${signal}`);
  }
  return n;
}

// What a signal to the guest itself does: its listeners run (a later turn of the loop), or
// without one it ends by the signal; those Node ignores by default do nothing, and stopping
// (SIGSTOP, SIGTSTP) is not supported.
const IGNORED = [
  0,
  osConstants.signals.SIGCHLD,
  osConstants.signals.SIGCONT,
  osConstants.signals.SIGURG,
  osConstants.signals.SIGWINCH,
];
const STOPPING = [
  osConstants.signals.SIGSTOP,
  osConstants.signals.SIGTSTP,
  osConstants.signals.SIGTTIN,
  osConstants.signals.SIGTTOU,
];

function killSelf(sig) {
  if (ArrayPrototypeIncludes(STOPPING, sig)) throw notSupported('kill');
  if (!ArrayPrototypeIncludes(IGNORED, sig)) bridge.signalSelf(sig);
  return true;
}

// The guest signals itself or one of its child processes by the pid `child.pid` gave; any
// other pid is outside its reach: ESRCH, as for a process gone.
export function kill(pid, signal) {
  if (typeof pid !== 'number' || pid !== (pid | 0)) throw makeInvalidArgType('pid', 'number', pid);
  const sig = killSignal(signal);
  if (pid === ownPid()) return killSelf(sig);
  if (pid > 0 && bridge.childKill(pid, sig)) return true;
  const err = makeNodeError(ErrorCtor, 'ESRCH', 'kill ESRCH');
  err.errno = -osConstants.errno.ESRCH;
  err.syscall = 'kill';
  throw err;
}

export function resourceUsage() {
  const s = heapStats();
  return {
    userCPUTime: cpuMicros(),
    systemCPUTime: 0,
    maxRSS: ((s[4] + s[6]) / 1024) | 0,
    sharedMemorySize: 0,
    unsharedDataSize: 0,
    unsharedStackSize: 0,
    minorPageFault: 0,
    majorPageFault: 0,
    swappedOut: 0,
    fsRead: 0,
    fsWrite: 0,
    ipcSent: 0,
    ipcReceived: 0,
    signalsCount: 0,
    voluntaryContextSwitches: 0,
    involuntaryContextSwitches: 0,
  };
}

const ENV_FLAGS = [
  '--abort-on-uncaught-exception',
  '--conditions',
  '--diagnostic-dir',
  '--disable-proto',
  '--disable-warning',
  '--dns-result-order',
  '--enable-source-maps',
  '--experimental-default-type',
  '--experimental-detect-module',
  '--experimental-loader',
  '--experimental-require-module',
  '--experimental-vm-modules',
  '--experimental-wasm-modules',
  '--force-context-aware',
  '--frozen-intrinsics',
  '--heapsnapshot-near-heap-limit',
  '--icu-data-dir',
  '--import',
  '--input-type',
  '--insecure-http-parser',
  '--inspect',
  '--inspect-brk',
  '--inspect-port',
  '--max-http-header-size',
  '--max-old-space-size',
  '--no-addons',
  '--no-deprecation',
  '--no-experimental-fetch',
  '--no-experimental-global-webcrypto',
  '--no-force-async-hooks-checks',
  '--no-global-search-paths',
  '--no-warnings',
  '--node-memory-debug',
  '--openssl-config',
  '--pending-deprecation',
  '--preserve-symlinks',
  '--preserve-symlinks-main',
  '--redirect-warnings',
  '--require',
  '--stack-trace-limit',
  '--throw-deprecation',
  '--title',
  '--tls-cipher-list',
  '--trace-deprecation',
  '--trace-exit',
  '--trace-sigint',
  '--trace-sync-io',
  '--trace-uncaught',
  '--trace-warnings',
  '--unhandled-rejections',
  '--use-largepages',
  '--v8-pool-size',
  '--watch',
  '--watch-path',
  '--zero-fill-buffers',
  '-r',
];

export function constrainedMemory() {
  return heapStats()[3];
}

export function availableMemory() {
  const s = heapStats();
  return s[3] > s[1] ? s[3] - s[1] : 0;
}

let envFlags;

export function allowedNodeEnvironmentFlags() {
  if (envFlags === undefined) {
    envFlags = new SetCtor();
    for (let i = 0; i < ENV_FLAGS.length; i++) SetPrototypeAdd(envFlags, ENV_FLAGS[i]);
  }
  return envFlags;
}

export const config = ObjectFreeze({
  target_defaults: ObjectFreeze({
    cflags: [],
    default_configuration: 'Release',
    defines: [],
    include_dirs: [],
    libraries: [],
  }),
  variables: ObjectFreeze({
    host_arch: 'x64',
    target_arch: 'x64',
    node_shared: false,
    node_use_openssl: false,
    // TypeScript's types are stripped as Node's amaro strips them (js/27_typescript.js).
    node_use_amaro: true,
    v8_enable_i18n_support: 1,
    napi_build_version: '9',
    // The ABI version native addons are built for (process.versions.modules).
    node_module_version: 115,
  }),
});
