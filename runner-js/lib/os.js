// lib/os.js: the `os` builtin, a fixed, sandbox-true view of the machine a guest runs on: Linux
// x86_64, one CPU (a guest runs on one thread), memory = the guest's heap budget (V8's heap
// limit; free = limit - used), only the loopback interface, load 0, hostname `agentos`, the user
// root (uid/gid 0, as fs.stat reports files), home/tmp from the exec's environment (HOME,
// TMPDIR) as Node reads them.

import {
  bridgeHeapStatistics,
  ErrorCtor,
  ObjectDefineProperties,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
  SymbolToPrimitive,
} from '../js/00_primordials.js';
import { makeNodeError, validateInteger } from '../js/06_errors.js';
import { msSinceStart, processObject } from '../js/20_exit.js';
import { ownPid } from '../js/23_warnings.js';
import { Buffer } from './buffer.js';
import { normalizeEncoding } from './internal__buffer.js';
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

// The guest's network: its own IPv4 loopback (servers it starts are reachable there), as Linux
// lists `lo`; the host's interfaces are not visible, and no IPv6 is offered.
export function networkInterfaces() {
  return {
    lo: [
      {
        address: '127.0.0.1',
        netmask: '255.0.0.0',
        family: 'IPv4',
        mac: '00:00:00:00:00:00',
        internal: true,
        cidr: '127.0.0.1/8',
      },
    ],
  };
}

// Node reads `options.encoding` (a getter's error propagates): 'buffer' gives Buffers, another
// encoding re-encodes the UTF-8 strings. The login shell is $SHELL, else the sandbox's /bin/sh.
export function userInfo(options = undefined) {
  const encoding = options !== null && typeof options === 'object' ? options.encoding : undefined;
  const enc = encoding === 'buffer' ? 'buffer' : (normalizeEncoding(encoding) ?? 'utf8');
  const out = (text) =>
    enc === 'buffer' ? Buffer.from(text) : enc === 'utf8' ? text : Buffer.from(text).toString(enc);
  return {
    uid: 0,
    gid: 0,
    username: out('root'),
    homedir: out(homedir()),
    shell: out(env('SHELL') ?? '/bin/sh'),
  };
}

// The guest's scheduling priority: a value it may set and read back for itself (pid 0 or its
// own pid), as a process may lower or raise its own niceness; other pids are not visible here.
let priority = 0;

const INT32 = [-2147483648, 2147483647];

// A pid other than the guest's own (0 or its pid): libuv's ESRCH, as Node's SystemError.
function checkOwnPid(pid, syscall) {
  if (pid === 0 || pid === ownPid()) return;
  const info = {
    errno: -osConstants.errno.ESRCH,
    code: 'ESRCH',
    message: 'no such process',
    syscall,
  };
  const err = makeNodeError(
    ErrorCtor,
    'ERR_SYSTEM_ERROR',
    `A system error occurred: ${syscall} returned ESRCH (no such process)`,
  );
  err.name = 'SystemError';
  err.info = info;
  err.errno = info.errno;
  err.syscall = syscall;
  throw err;
}

export function getPriority(pid = undefined) {
  if (pid !== undefined) {
    validateInteger(pid, 'pid', INT32[0], INT32[1]);
    checkOwnPid(pid, 'uv_os_getpriority');
  }
  return priority;
}

export function setPriority(pid, value = undefined) {
  if (value === undefined) {
    value = pid;
    pid = 0;
  }
  validateInteger(pid, 'pid', INT32[0], INT32[1]);
  validateInteger(value, 'priority', -20, 19);
  checkOwnPid(pid, 'uv_os_setpriority');
  priority = value;
}

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
// As Node: the functions that read one value convert to it (`${os.hostname}`, `+os.totalmem`).
for (const fn of [
  arch,
  availableParallelism,
  endianness,
  freemem,
  homedir,
  hostname,
  machine,
  platform,
  release,
  tmpdir,
  totalmem,
  type,
  uptime,
  version,
]) {
  fn[SymbolToPrimitive] = () => fn();
}
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
