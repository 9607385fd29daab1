// lib/child_process.js: child processes as Node's API shapes them. Each child is a guest of
// its own in the same sidecar (a WASI command, `node`, a script of the mounts, or `/bin/sh -c`
// with `shell`), with the exec's mounts and limits; its stdio are streams of this guest
// (bridge childSpawn/childWrite/childEnd/childKill, events through runner.childEvent), and the
// *Sync forms block this guest until the child ends (bridge childSpawnSync). `fork` (or
// `'ipc'` in `stdio`) gives the child an IPC channel (lib/internal__child_ipc.js); `detached`
// children still end with the exec. A child's `pid` is its number within this guest.

import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypeSlice,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberIsInteger,
  ObjectDefineProperty,
  ObjectKeys,
  ObjectSetPrototypeOf,
  PromiseCtor,
  RangeErrorCtor,
  StringPrototypeIncludes,
  SymbolCtor,
  SymbolDispose,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { listPush } from '../js/01_helpers.js';
import {
  makeAbortError,
  makeInvalidArgType,
  makeInvalidArgValue,
  makeNodeError,
  makeOutOfRange,
} from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { onChildEvent } from '../js/29_children.js';
import { fsPathArg } from '../js/41_fs_core.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { osConstants } from './internal__os_constants.js';
import { validateAbortSignal } from './internal__stream_core.js';
import { Readable } from './internal__stream_readable.js';
import { Writable } from './internal__stream_writable.js';

/** A child's IPC channel control (`post(bytes)`), for lib/internal__worker.js. */
export const kChannel = SymbolCtor('kChannel');

const SIGNALS = osConstants.signals;
const EventEmitter = cjsBuiltin('events');
const Buffer = cjsBuiltin('buffer').Buffer;
const processObject = cjsBuiltin('process');
const path = cjsBuiltin('path');

function signalNumber(signal) {
  if (signal === undefined || signal === null) return SIGNALS.SIGTERM;
  if (typeof signal === 'number') return signal;
  const n = SIGNALS[signal];
  if (typeof n !== 'number') {
    throw makeNodeError(TypeErrorCtor, 'ERR_UNKNOWN_SIGNAL', `Unknown signal: ${signal}`);
  }
  return n;
}

function signalName(n) {
  const names = ObjectKeys(SIGNALS);
  for (let i = 0; i < names.length; i++) if (SIGNALS[names[i]] === n) return names[i];
  return null;
}

// As Node's validateArgumentNullCheck: no NUL inside a string that becomes argv, env or a path.
function nullCheck(value, name) {
  if (typeof value === 'string' && StringPrototypeIncludes(value, '\u0000')) {
    throw makeInvalidArgValue(name, value, 'must be a string without null bytes');
  }
}

function nullChecks(options, args) {
  for (let i = 0; i < args.length; i++) nullCheck(args[i], `args[${i}]`);
  if (
    options.cwd !== undefined &&
    options.cwd !== null &&
    StringPrototypeIncludes(`${options.cwd}`, '\u0000')
  ) {
    throw makeInvalidArgValue(
      'options.cwd',
      options.cwd,
      'must be a string, Uint8Array, or URL without null bytes',
    );
  }
  nullCheck(options.argv0, 'options.argv0');
  nullCheck(options.shell, 'options.shell');
}

// The child's argv, cwd and environment ("K=V" strings) from Node's arguments.
function normalize(file, args, options) {
  if (typeof file !== 'string') throw makeInvalidArgType('file', 'string', file);
  nullCheck(file, 'file');
  if (file.length === 0) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      "The argument 'file' cannot be empty. Received ''",
    );
  }
  if (args === undefined || args === null) args = [];
  else if (!ArrayIsArray(args)) throw makeInvalidArgType('args', 'Array', args);
  if (options === undefined || options === null) options = {};
  else if (typeof options !== 'object') throw makeInvalidArgType('options', 'object', options);
  nullChecks(options, args);
  let argv = [file];
  for (let i = 0; i < args.length; i++) listPush(argv, `${args[i]}`);
  if (options.shell) {
    const shell = typeof options.shell === 'string' ? options.shell : '/bin/sh';
    argv = [shell, '-c', ArrayPrototypeJoin(argv, ' ')];
  }
  // As Node: a string, a Buffer or a file: URL.
  const cwd = options.cwd
    ? path.resolve(processObject.cwd(), fsPathArg(options.cwd, 'options.cwd'))
    : processObject.cwd();
  const envObject = options.env || processObject.env;
  const env = [];
  const keys = ObjectKeys(envObject);
  for (let i = 0; i < keys.length; i++) {
    const value = envObject[keys[i]];
    if (value === undefined) continue;
    nullCheck(keys[i], `options.env['${keys[i]}']`);
    nullCheck(value, `options.env['${keys[i]}']`);
    listPush(env, `${keys[i]}=${value}`);
  }
  return { argv, cwd, env, file, args: ArrayPrototypeSlice(argv), options };
}

// Node's error for a child that could not start ("spawn nosuch ENOENT").
function spawnError(text, syscall, file, spawnargs) {
  const colon = text.indexOf(':');
  const code = colon > 0 ? text.slice(0, colon) : 'EAGAIN';
  const errnos = { ENOENT: -2, EACCES: -13, EAGAIN: -11 };
  const err = new ErrorCtor(`${syscall} ${file} ${code}`);
  err.errno = errnos[code] ?? -11;
  err.code = code;
  err.syscall = `${syscall} ${file}`;
  err.path = file;
  err.spawnargs = spawnargs;
  return err;
}

// The modes of fds 0-2 ('ipc' among them: none), and `modes.ipc`: the fd of an 'ipc' entry.
function stdioModes(stdio) {
  if (stdio === undefined || stdio === null) return ['pipe', 'pipe', 'pipe'];
  if (typeof stdio === 'string') return [stdio, stdio, stdio];
  const modes = [];
  for (let i = 0; i < 3; i++) {
    const mode = stdio[i];
    if (mode === undefined || mode === null) listPush(modes, 'pipe');
    else if (typeof mode === 'number') listPush(modes, mode === i ? 'inherit' : 'pipe');
    else if (mode === 'ipc') listPush(modes, 'ignore');
    else listPush(modes, typeof mode === 'string' ? mode : 'pipe');
  }
  for (let i = 0; i < stdio.length; i++) {
    if (stdio[i] !== 'ipc') continue;
    if (modes.ipc !== undefined) {
      throw makeNodeError(
        ErrorCtor,
        'ERR_IPC_ONE_PIPE',
        'Child process can have only one IPC pipe',
      );
    }
    modes.ipc = i;
  }
  return modes;
}

export function ChildProcess() {
  FunctionPrototypeCall(EventEmitter, this);
  this.pid = undefined;
  this.stdin = null;
  this.stdout = null;
  this.stderr = null;
  this.stdio = [null, null, null];
  this.exitCode = null;
  this.signalCode = null;
  this.killed = false;
  this.connected = false;
  this.spawnfile = undefined;
  this.spawnargs = [];
}
ObjectSetPrototypeOf(ChildProcess.prototype, EventEmitter.prototype);
ObjectSetPrototypeOf(ChildProcess, EventEmitter);

ChildProcess.prototype.kill = function kill(signal) {
  const n = signalNumber(signal);
  if (this.pid === undefined || this.exitCode !== null || this.signalCode !== null) return false;
  const sent = bridge.childKill(this.pid, n);
  if (sent) this.killed = true;
  return sent;
};
ChildProcess.prototype.ref = function ref() {};
ChildProcess.prototype.unref = function unref() {};
ChildProcess.prototype[SymbolDispose] = function dispose() {
  if (!this.killed) this.kill();
};

function childStdin(child, id) {
  return new Writable({
    write(chunk, encoding, callback) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      if (bridge.childWrite(id, bytes)) return callback();
      const err = makeNodeError(ErrorCtor, 'EPIPE', 'write EPIPE');
      err.errno = -32;
      err.syscall = 'write';
      callback(err);
    },
    final(callback) {
      bridge.childEnd(id);
      callback();
    },
    destroy(err, callback) {
      bridge.childEnd(id);
      callback(err);
    },
  });
}

// Wires the child's stdio as `modes` say, and its events.
function attach(child, id, modes) {
  const readers = [null, null, null];
  for (let fd = 1; fd <= 2; fd++) {
    if (modes[fd] === 'pipe' || modes[fd] === 'overlapped') {
      readers[fd] = new Readable({ read() {} });
    }
  }
  child.stdout = readers[1];
  child.stderr = readers[2];
  if (modes[0] === 'pipe' || modes[0] === 'overlapped') child.stdin = childStdin(child, id);
  else bridge.childEnd(id);
  child.stdio = [child.stdin, child.stdout, child.stderr];
  let open = 1 + (readers[1] ? 1 : 0) + (readers[2] ? 1 : 0);
  const closed = () => {
    open -= 1;
    if (open === 0) child.emit('close', child.exitCode, child.signalCode);
  };
  if (readers[1]) readers[1].on('end', closed);
  if (readers[2]) readers[2].on('end', closed);
  const channel =
    modes.ipc === undefined ? undefined : ipc().parentChannel(child, id, modes.serialization);
  child[kChannel] = channel;
  onChildEvent(id, (kind, data, signal) => {
    if (kind === 4 || kind === 5) {
      if (kind === 4) channel?.message(data);
      else channel?.closed();
      return;
    }
    if (kind === 1 || kind === 2) {
      const reader = readers[kind];
      if (reader) reader.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      else if (modes[kind] === 'inherit')
        (kind === 1 ? processObject.stdout : processObject.stderr).write(data);
      return;
    }
    if (signal) child.signalCode = signalName(signal);
    else child.exitCode = data;
    channel?.closed();
    if (child.stdin) child.stdin.destroy();
    child.emit('exit', child.exitCode, child.signalCode);
    for (let fd = 1; fd <= 2; fd++) {
      const reader = readers[fd];
      if (reader) {
        reader.push(null);
        // Never read: let it drain, so 'close' comes as in Node for output nobody wanted.
        if (reader.readableFlowing === null) reader.resume();
      }
    }
    closed();
  });
}

export function spawn(file, args, options) {
  if (!ArrayIsArray(args) && args !== undefined && args !== null && typeof args === 'object') {
    options = args;
    args = [];
  }
  const opts = normalize(file, args, options);
  validateAbortSignal(opts.options.signal, 'options.signal');
  const timeout = opts.options.timeout;
  if (timeout !== undefined && timeout !== null && !(NumberIsInteger(timeout) && timeout >= 0)) {
    throw makeOutOfRange('timeout', 'an unsigned integer', timeout);
  }
  const child = new ChildProcess();
  child.spawnfile = opts.argv[0];
  child.spawnargs = opts.argv;
  const modes = stdioModes(opts.options.stdio);
  if (modes.ipc !== undefined) {
    const serialization = opts.options.serialization ?? 'json';
    if (serialization !== 'json' && serialization !== 'advanced') {
      throw makeInvalidArgValue('options.serialization', serialization);
    }
    modes.serialization = serialization;
    listPush(opts.env, `NODE_CHANNEL_FD=${modes.ipc}`);
    listPush(opts.env, `NODE_CHANNEL_SERIALIZATION_MODE=${modes.serialization}`);
  }
  const id = bridge.childSpawn(opts.argv, opts.cwd, opts.env, modes.ipc !== undefined);
  if (typeof id === 'string') {
    const err = spawnError(id, 'spawn', opts.argv[0], opts.argv.slice(1));
    nextTick(() => {
      child.emit('error', err);
      child.emit('close', err.errno, null);
    });
    return child;
  }
  child.pid = id;
  attach(child, id, modes);
  const signal = opts.options.signal;
  if (signal) {
    // As Node: an aborted signal kills the child on the next tick; the error comes only if
    // the kill was delivered.
    const onAbort = () => {
      if (child.kill(opts.options.killSignal)) child.emit('error', makeAbortError(signal));
    };
    if (signal.aborted) nextTick(onAbort);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      child.once('exit', () => signal.removeEventListener('abort', onAbort));
    }
  }
  if (opts.options.timeout > 0) {
    const timer = setTimeout(() => child.kill(opts.options.killSignal), opts.options.timeout);
    child.once('exit', () => clearTimeout(timer));
  }
  nextTick(() => child.emit('spawn'));
  return child;
}

function execArgs(args, hasArgs) {
  let rest = args;
  const out = { args: [], options: {}, callback: undefined };
  if (hasArgs && ArrayIsArray(rest[0])) {
    out.args = rest[0];
    rest = rest.slice(1);
  } else if (hasArgs && (rest[0] === null || rest[0] === undefined) && rest.length > 1) {
    rest = rest.slice(1);
  }
  if (typeof rest[0] === 'function') out.callback = rest[0];
  else {
    if (rest[0] !== undefined && rest[0] !== null) out.options = rest[0];
    if (typeof rest[1] === 'function') out.callback = rest[1];
  }
  return out;
}

// As Node's execFile: output read as strings in `encoding` (unless 'buffer'), each stream cut
// at `maxBuffer` (counted in bytes) and the child killed past it.
function runCollected(file, args, options, callback, command) {
  const asked = options.encoding === undefined ? 'utf8' : options.encoding;
  const encoding = asked !== 'buffer' && Buffer.isEncoding(asked) ? asked : null;
  const maxBuffer = options.maxBuffer === undefined ? 1024 * 1024 : options.maxBuffer;
  const child = spawn(file, args, { ...options, stdio: 'pipe' });
  const out = [];
  const err = [];
  let overflow = null;
  const collect = (stream, list, name) => {
    if (encoding) stream.setEncoding(encoding);
    let length = 0;
    stream.on('data', (chunk) => {
      const text = stream.readableEncoding;
      const size = text ? Buffer.byteLength(chunk, text) : chunk.length;
      length += size;
      if (length <= maxBuffer) return listPush(list, chunk);
      const keep = maxBuffer - (length - size);
      listPush(list, chunk.slice(0, keep));
      if (overflow === null) {
        overflow = makeNodeError(
          RangeErrorCtor,
          'ERR_CHILD_PROCESS_STDIO_MAXBUFFER',
          `${name} maxBuffer length exceeded`,
        );
        child.kill(options.killSignal);
      }
    });
  };
  if (child.stdout) collect(child.stdout, out, 'stdout');
  if (child.stderr) collect(child.stderr, err, 'stderr');
  let done = false;
  const finish = (error, code, signal) => {
    if (done) return;
    done = true;
    const stdout = joined(out, encoding || child.stdout?.readableEncoding);
    const stderr = joined(err, encoding || child.stderr?.readableEncoding);
    if (!error && overflow) error = overflow;
    else if (!error && (code !== 0 || signal !== null)) {
      error = new ErrorCtor(`Command failed: ${command}\n${stderr}`);
      error.code = code === null ? undefined : code;
      error.killed = child.killed;
      error.signal = signal;
    }
    if (error) error.cmd = command;
    if (callback) callback(error || null, stdout, stderr);
  };
  child.on('error', (e) => finish(e, null, null));
  child.on('close', (code, signal) => finish(null, code, signal));
  return child;
}

// Collected output: strings joined, buffers concatenated.
function joined(chunks, text) {
  if (text) return ArrayPrototypeJoin(chunks, '');
  return Buffer.concat(chunks);
}

export function exec(command, options, callback) {
  const parsed = execArgs([options, callback], false);
  return runCollected(
    command,
    [],
    { ...parsed.options, shell: parsed.options.shell || true },
    parsed.callback,
    command,
  );
}

export function execFile(file, ...rest) {
  const parsed = execArgs(rest, true);
  const command = [file, ...parsed.args].join(' ');
  return runCollected(file, parsed.args, parsed.options, parsed.callback, command);
}

// As Node's: argument errors throw at the call; the promise carries the child as `child`, and
// a failure carries the output as `stdout`/`stderr`.
function promisified(run) {
  const fn = (...args) => {
    let settle;
    const promise = new PromiseCtor((resolve, reject) => {
      settle = { resolve, reject };
    });
    promise.child = run(...args, (err, stdout, stderr) => {
      if (err) {
        err.stdout = stdout;
        err.stderr = stderr;
        settle.reject(err);
      } else settle.resolve({ stdout, stderr });
    });
    return promise;
  };
  // Named as the function it promisifies (Node 22).
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: run.name });
  return fn;
}
ObjectDefineProperty(exec, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null,
  value: promisified(exec),
});
ObjectDefineProperty(execFile, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null,
  value: promisified(execFile),
});

export function spawnSync(file, args, options) {
  if (!ArrayIsArray(args) && args !== undefined && args !== null && typeof args === 'object') {
    options = args;
    args = [];
  }
  const opts = normalize(file, args, options);
  const o = opts.options;
  let input = o.input;
  if (typeof input === 'string') input = Buffer.from(input, o.encoding || 'utf8');
  const maxBuffer = o.maxBuffer === undefined ? 1024 * 1024 : o.maxBuffer;
  const r = bridge.childSpawnSync(
    opts.argv,
    opts.cwd,
    opts.env,
    input,
    maxBuffer,
    o.timeout || 0,
    signalNumber(o.killSignal),
  );
  if (typeof r === 'string') {
    return {
      error: spawnError(r, 'spawnSync', opts.argv[0], opts.argv.slice(1)),
      status: null,
      signal: null,
      output: null,
      pid: 0,
      stdout: null,
      stderr: null,
    };
  }
  const encoding = o.encoding && o.encoding !== 'buffer' ? o.encoding : undefined;
  const wrap = (u8) => {
    const buf = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    return encoding ? buf.toString(encoding) : buf;
  };
  const modes = stdioModes(o.stdio);
  const stdout = wrap(r[2]);
  const stderr = wrap(r[3]);
  if (modes[1] === 'inherit') processObject.stdout.write(r[2]);
  if (modes[2] === 'inherit') processObject.stderr.write(r[3]);
  const result = {
    pid: r[5],
    output: [null, stdout, stderr],
    stdout,
    stderr,
    status: r[1] ? null : r[0],
    signal: r[1] ? signalName(r[1]) : null,
  };
  if (r[4] !== undefined) {
    const text = r[4];
    const code = text.slice(0, text.indexOf(':'));
    const err = new ErrorCtor(`spawnSync ${opts.argv[0]} ${code}`);
    err.code = code;
    err.errno = code === 'ETIMEDOUT' ? -110 : -105;
    err.syscall = `spawnSync ${opts.argv[0]}`;
    err.path = opts.argv[0];
    err.spawnargs = opts.argv.slice(1);
    result.error = err;
  }
  return result;
}

function checkSync(result, command) {
  if (result.error) {
    if (result.stdout !== null) {
      result.error.stdout = result.stdout;
      result.error.stderr = result.stderr;
    }
    throw result.error;
  }
  if (result.status !== 0) {
    const stderr = result.stderr ? `${result.stderr}` : '';
    const err = new ErrorCtor(`Command failed: ${command}${stderr ? `\n${stderr}` : ''}`);
    err.status = result.status;
    err.signal = result.signal;
    err.output = result.output;
    err.pid = result.pid;
    err.stdout = result.stdout;
    err.stderr = result.stderr;
    throw err;
  }
  return result.stdout;
}

// execSync/execFileSync: the child's stderr goes to ours unless `stdio` says otherwise.
function syncOptions(options) {
  const o = { ...(options || {}) };
  if (o.stdio === undefined) o.stdio = ['pipe', 'pipe', 'inherit'];
  return o;
}

export function execSync(command, options) {
  const o = syncOptions(options);
  const result = spawnSync(command, [], { ...o, shell: o.shell || true });
  return checkSync(result, command);
}

export function execFileSync(file, args, options) {
  if (!ArrayIsArray(args) && args !== undefined && args !== null && typeof args === 'object') {
    options = args;
    args = [];
  }
  const result = spawnSync(file, args || [], syncOptions(options));
  return checkSync(result, [file, ...(args || [])].join(' '));
}

function ipc() {
  return loadLazyBuiltin('internal/child_ipc');
}

// As Node's fork: `node [execArgv] modulePath ...args` with an IPC channel.
export function fork(modulePath, args, options) {
  return ipc().fork({ spawn, nullCheck }, modulePath, args, options);
}
