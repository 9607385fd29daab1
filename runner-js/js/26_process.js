// 26_process.js: the properties of the `process` object (built once at factory time; argv, env
// and cwd are filled per exec by configureProcess), process.stdout/stderr and process.hrtime.

import {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypePush,
  bridgeHrtime,
  bridgeWrite,
  NumberCtor,
  NumberIsInteger,
  ObjectDefineProperty,
  ObjectKeys,
  ProxyCtor,
  ReflectDefineProperty,
  ReflectGet,
  ReflectHas,
  StringPrototypeSlice,
  TypeErrorCtor,
} from './00_primordials.js';
import { formatWithOptions } from './05_format.js';
import { makeInvalidArgType, makeNodeError, makeOutOfRange, NODE_VERSION } from './06_errors.js';
import { decodeRawLossy } from './07_encoding.js';
import { EventEmitter } from './08_events.js';
import {
  getExitCode,
  msSinceStart,
  processExit,
  processObject,
  reallyExit,
  setExitCode,
} from './20_exit.js';
import { internalNextTick, nextTick } from './21_ticks.js';
import { emitWarning, pendingDeprecation, processEmitWarning, setOwnPid } from './23_warnings.js';
import { stdin } from './25_stdin.js';

function validateExitCode(code) {
  if (code === undefined || code === null) return undefined;
  if (typeof code === 'string' && code !== '' && NumberIsInteger(+code)) code = +code;
  if (typeof code !== 'number') throw makeInvalidArgType('code', 'number', code);
  if (!NumberIsInteger(code)) throw makeOutOfRange('code', 'an integer', code);
  return code;
}

function hrtime(time) {
  const t = bridgeHrtime();
  let sec = NumberCtor(t / 1000000000n);
  let ns = NumberCtor(t % 1000000000n);
  if (time !== undefined) {
    if (!ArrayIsArray(time)) throw makeInvalidArgType('time', 'an instance of Array', time);
    if (time.length !== 2) throw makeOutOfRange('time', '2', time.length);
    sec -= time[0];
    ns -= time[1];
    if (ns < 0) {
      sec--;
      ns += 1e9;
    }
  }
  return [sec, ns];
}
ObjectDefineProperty(hrtime, 'bigint', {
  __proto__: null,
  writable: true,
  configurable: true,
  enumerable: true,
  value: function bigint() {
    return bridgeHrtime();
  },
});

class WriteSocket extends EventEmitter {
  #fd;

  constructor(fd) {
    super();
    this.#fd = fd;
  }

  get fd() {
    return this.#fd;
  }

  get writable() {
    return true;
  }

  write(chunk, encoding = undefined, callback = undefined) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    if (typeof chunk === 'string') {
      bridgeWrite(this.#fd, chunk);
    } else if (ArrayBufferIsView(chunk)) {
      bridgeWrite(this.#fd, chunk);
    } else {
      throw makeInvalidArgType(
        'chunk',
        'of type string or an instance of Buffer, TypedArray, or DataView',
        chunk,
      );
    }
    if (typeof callback === 'function') internalNextTick(callback, null);
    return true;
  }

  end(chunk = undefined, encoding = undefined, callback = undefined) {
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = undefined;
    } else if (typeof encoding === 'function') {
      callback = encoding;
    }
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    if (typeof callback === 'function') internalNextTick(callback, null);
    return this;
  }

  cork() {}

  uncork() {}

  getColorDepth() {
    return 1;
  }

  hasColors() {
    return false;
  }
}

const socketWrite = WriteSocket.prototype.write;
let stdoutSocket;
let stderrSocket;

/** The process's own stdout (fd 1) or stderr when the guest replaced its `write` (as Node's
 * test/common hijackstdio and log-capturing libraries do): the console then writes through it,
 * as Node's does; else undefined, and the console writes to the exec's output directly. */
export function hijackedStdio(fd) {
  const socket = fd === 1 ? stdoutSocket : stderrSocket;
  if (socket === undefined || socket.write === socketWrite) return undefined;
  return socket;
}

function copyStrings(list) {
  const out = [];
  if (list === undefined || list === null) return out;
  for (let i = 0; i < list.length; i++) ArrayPrototypePush(out, decodeRawLossy(`${list[i]}`));
  return out;
}

let processCwd = '/';

// The process object without anything exec-specific: built once, at factory time (so a snapshot
// holds it ready); `configureProcess` fills in argv, env and cwd for the exec.
export function populateProcess() {
  const proc = processObject;
  const argv = [];
  const env = {};
  const stdout = new WriteSocket(1);
  const stderr = new WriteSocket(2);
  stdoutSocket = stdout;
  stderrSocket = stderr;
  const props = {
    __proto__: null,
    title: 'node',
    version: NODE_VERSION,
    // `openssl` says "crypto is built in", which code (and Node's test/common) reads it for: the
    // crypto builtin is RustCrypto's (lib/crypto.js), with OpenSSL 3's names; as Deno and Bun do.
    versions: {
      node: StringPrototypeSlice(NODE_VERSION, 1),
      v8: '15.2',
      modules: '127',
      openssl: '3.0.15',
    },
    arch: 'x64',
    platform: 'linux',
    argv,
    execArgv: [],
    argv0: 'node',
    execPath: '/usr/local/bin/node',
    env,
    pid: 1,
    ppid: 0,
    stdout,
    stderr,
    cwd: function cwd_() {
      return processCwd;
    },
    exit: function exit(code) {
      processExit(validateExitCode(code));
    },
    reallyExit,
    // Straight to fd 2, past process.stderr and the tick queue (Node's debugging aid).
    _rawDebug: function _rawDebug(...args) {
      bridgeWrite(2, `${formatWithOptions(undefined, args)}\n`);
    },
    nextTick,
    hrtime,
    uptime: function uptime() {
      return msSinceStart() / 1000;
    },
    emitWarning: processEmitWarning,
  };
  ObjectDefineProperty(props.cwd, 'name', { __proto__: null, value: 'cwd' });
  const keys = ObjectKeys(props);
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(proc, keys[i], {
      __proto__: null,
      value: props[keys[i]],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  ObjectDefineProperty(proc, 'exitCode', {
    __proto__: null,
    enumerable: true,
    configurable: false,
    get() {
      return getExitCode();
    },
    set(code) {
      setExitCode(validateExitCode(code));
    },
  });
  ObjectDefineProperty(proc, 'stdin', {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      return stdin;
    },
  });
}
ObjectDefineProperty(WriteSocket, 'name', { __proto__: null, value: 'Socket' });

function defineProcessValue(proc, key, value) {
  ObjectDefineProperty(proc, key, {
    __proto__: null,
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

// The exec's argv, execArgv, env and cwd, on the process object `createProcess` made.
/** process.chdir's effect on process.cwd(). */
export function setProcessCwd(dir) {
  processCwd = dir;
}

function envDescriptor(value) {
  return {
    __proto__: null,
    value: `${value}`,
    writable: true,
    enumerable: true,
    configurable: true,
  };
}

let envValueWarned = false;

function warnEnvValue() {
  if (envValueWarned || !pendingDeprecation()) return;
  envValueWarned = true;
  emitWarning(
    'Assigning any value other than a string, number, or boolean to a process.env property is ' +
      'deprecated. Please make sure to convert the value to a string before setting process.env with it.',
    'DeprecationWarning',
    'DEP0104',
  );
}

function invalidEnvDescriptor(what) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_OBJECT_DEFINE_PROPERTY',
    `'process.env' ${what}`,
  );
}

// process.env as Node's: values become strings, symbols are never keys (get undefined, set
// throws), delete always succeeds, only plain writable data properties may be defined.
const envHandler = {
  __proto__: null,
  get(target, key, receiver) {
    return typeof key === 'symbol' ? undefined : ReflectGet(target, key, receiver);
  },
  set(target, key, value) {
    if (typeof key === 'symbol')
      throw new TypeErrorCtor('Cannot convert a Symbol value to a string');
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      warnEnvValue();
    }
    return ReflectDefineProperty(target, key, envDescriptor(value));
  },
  has(target, key) {
    return typeof key !== 'symbol' && ReflectHas(target, key);
  },
  deleteProperty(target, key) {
    if (typeof key !== 'symbol') delete target[key];
    return true;
  },
  defineProperty(target, key, desc) {
    if ('get' in desc || 'set' in desc) {
      throw invalidEnvDescriptor('does not accept an accessor(getter/setter) descriptor');
    }
    if (desc.configurable !== true || desc.writable !== true || desc.enumerable !== true) {
      throw invalidEnvDescriptor(
        'only accepts a configurable, writable, and enumerable data descriptor',
      );
    }
    if (typeof key === 'symbol')
      throw new TypeErrorCtor('Cannot convert a Symbol value to a string');
    return ReflectDefineProperty(target, key, envDescriptor(desc.value));
  },
};

export function configureProcess(proc, config) {
  const argv = copyStrings(config.argv);
  const values = {};
  const pairs = config.env || [];
  for (let i = 0; i < pairs.length; i++) {
    const value = decodeRawLossy(`${pairs[i][1]}`);
    ObjectDefineProperty(values, decodeRawLossy(`${pairs[i][0]}`), envDescriptor(value));
  }
  const env = new ProxyCtor(values, envHandler);
  defineProcessValue(proc, 'argv', argv);
  defineProcessValue(proc, 'execArgv', copyStrings(config.execArgv));
  defineProcessValue(proc, 'argv0', argv.length > 0 ? argv[0] : 'node');
  defineProcessValue(proc, 'execPath', argv.length > 0 ? argv[0] : '/usr/local/bin/node');
  defineProcessValue(proc, 'env', env);
  processCwd = `${config.cwd === undefined ? '/' : config.cwd}`;
  // Numbers of the exec tree: the root is 1, a child has the pid its parent was given.
  const pid = typeof config.pid === 'number' ? config.pid : 1;
  setOwnPid(pid);
  defineProcessValue(proc, 'pid', pid);
  defineProcessValue(proc, 'ppid', typeof config.ppid === 'number' ? config.ppid : 0);
}
