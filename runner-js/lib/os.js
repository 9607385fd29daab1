// lib/os.js: the `os` builtin, a fixed, sandbox-true view of the machine a guest runs on: Linux
// x86_64, one CPU (a guest runs on one thread), memory = the guest's heap budget (V8's heap
// limit; free = limit - used), no network interfaces, load 0, hostname `agentos`, the user root
// (uid/gid 0, as fs.stat reports files), home/tmp from the exec's environment (HOME, TMPDIR) as
// Node reads them.

import {
  bridgeHeapStatistics,
  ObjectDefineProperties,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
} from '../js/00_primordials.js';
import { msSinceStart, processObject } from '../js/20_exit.js';
import { osConstants } from './internal__os_constants.js';

export const EOL = '\n';
export const devNull = '/dev/null';
export const constants = osConstants;

function env(name) {
  const e = processObject.env;
  const v = e === null || typeof e !== 'object' ? undefined : e[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function arch() {
  return 'x64';
}

export function platform() {
  return 'linux';
}

export function type() {
  return 'Linux';
}

export function release() {
  return '6.1.0-agentos';
}

export function version() {
  return '#1 SMP agentOS';
}

export function machine() {
  return 'x86_64';
}

export function hostname() {
  return 'agentos';
}

export function endianness() {
  return 'LE';
}

export function homedir() {
  return env('HOME') ?? '/root';
}

export function tmpdir() {
  let path = env('TMPDIR') ?? env('TMP') ?? env('TEMP') ?? '/tmp';
  if (path.length > 1 && StringPrototypeEndsWith(path, '/'))
    path = StringPrototypeSlice(path, 0, -1);
  return path;
}

export function uptime() {
  return msSinceStart() / 1000;
}

export function loadavg() {
  return [0, 0, 0];
}

function heap() {
  return typeof bridgeHeapStatistics === 'function' ? bridgeHeapStatistics() : undefined;
}

export function totalmem() {
  const s = heap();
  return s === undefined ? 0 : s[3];
}

export function freemem() {
  const s = heap();
  return s === undefined ? 0 : s[3] - s[1] > 0 ? s[3] - s[1] : 0;
}

export function availableParallelism() {
  return 1;
}

export function cpus() {
  const t = MathFloorMs(msSinceStart());
  return [
    {
      model: 'agentOS virtual CPU',
      speed: 0,
      times: { user: t, nice: 0, sys: 0, idle: 0, irq: 0 },
    },
  ];
}

function MathFloorMs(ms) {
  return ms - (ms % 1);
}

export function networkInterfaces() {
  return {};
}

export function userInfo(options = undefined) {
  const info = {
    uid: 0,
    gid: 0,
    username: 'root',
    homedir: homedir(),
    shell: env('SHELL') ?? null,
  };
  return info;
}

export function getPriority() {
  return 0;
}

export function setPriority() {}

export const moduleExports = {
  arch,
  availableParallelism,
  cpus,
  endianness,
  freemem,
  getPriority,
  homedir,
  hostname,
  loadavg,
  networkInterfaces,
  platform,
  release,
  setPriority,
  tmpdir,
  totalmem,
  type,
  userInfo,
  uptime,
  version,
  machine,
};
// As Node: EOL and devNull read-only, constants not configurable.
ObjectDefineProperties(moduleExports, {
  constants: { __proto__: null, configurable: false, enumerable: true, value: constants },
  EOL: { __proto__: null, configurable: true, enumerable: true, writable: false, value: EOL },
  devNull: {
    __proto__: null,
    configurable: true,
    enumerable: true,
    writable: false,
    value: devNull,
  },
});
