// lib/internal__worker.js: worker_threads' `Worker` and the worker's side of it. A worker is a
// guest of its own (another isolate, like a `fork`ed child: lib/internal__child_ipc.js) with an
// 'advanced' channel that is not `process`'s: messages are V8-serialized (what structuredClone
// keeps; transferred ArrayBuffers are detached here and arrive whole there), the first one carries
// `workerData`, `threadId` and the environment data, and the worker's program starts once it is
// in. Not shared, as a separate guest's memory cannot be: SharedArrayBuffers and WebAssembly
// modules (DataCloneError), MessagePorts in a transfer list, `SHARE_ENV` (the worker gets a copy).
//
// Envelopes, both ways: `{ cmd: 'NODE_WORKER', kind, value }`, kind 'init' (parent to worker),
// 'online', 'message' (either way) or 'error' (the worker's fatal exception, then its exit 1).
import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeForEach,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectAssign,
  ObjectSetPrototypeOf,
  PromiseCtor,
  StringPrototypeStartsWith,
  SymbolAsyncDispose,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { EventEmitter, setEmitterHook } from '../js/08_events.js';
import { processEmit, processObject, setFatalReporter } from '../js/20_exit.js';
import { nextTick } from '../js/21_ticks.js';
import { setImmediate } from '../js/24_timers.js';
import { pathIsAbsolute, pathResolve } from '../js/40_path.js';
import { fsStatRaw } from '../js/41_fs_core.js';
import { createEventsModule } from '../js/47_node_events.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { kChannel, spawn } from './child_process.js';
import { forkExecArgv, serializeMessage, workerEndpoint } from './internal__child_ipc.js';
import { DOMException } from './internal__dom_exception.js';
import { MessagePort } from './internal__message_port.js';

const NodeEventEmitter = createEventsModule();
export const SHARE_ENV = SymbolFor('nodejs.worker_threads.SHARE_ENV');
const CMD = 'NODE_WORKER';

let nextThreadId = 1;
// setEnvironmentData's values, copied into each worker started after.
const environmentData = new MapCtor();

export function getEnvironmentData(key) {
  return MapPrototypeGet(environmentData, key);
}

export function setEnvironmentData(key, value) {
  if (value === undefined) MapPrototypeDelete(environmentData, key);
  else MapPrototypeSet(environmentData, key, value);
}

/** `{ cmd, kind, value }` in V8's format, the transfer list's ArrayBuffers detached. */
function envelope(kind, value, transfer) {
  let list = transfer;
  if (transfer !== null && typeof transfer === 'object' && !ArrayIsArray(transfer)) {
    list = transfer.transfer;
  }
  if (list !== undefined && list !== null) {
    if (!ArrayIsArray(list)) throw makeInvalidArgType('transferList', 'Array', list);
    for (let i = 0; i < list.length; i++) {
      if (list[i] instanceof MessagePort) {
        throw new DOMException(
          'a MessagePort cannot be transferred to a worker in the agentOS sandbox',
          'DataCloneError',
        );
      }
    }
  }
  return serializeMessage({ cmd: CMD, kind, value }, list ?? undefined);
}

/** The script a worker runs: `[execArgv..., entry...]` for `node`. */
function entryArgs(filename, options) {
  if (options.eval === true) {
    if (typeof filename !== 'string') throw makeInvalidArgType('filename', 'string', filename);
    // As Node's: the worker's process.argv[1] is '[worker eval]'.
    return ['-e', filename, '[worker eval]'];
  }
  if (filename !== null && typeof filename === 'object' && 'href' in filename) {
    if (filename.protocol === 'data:') {
      throw makeNodeError(TypeErrorCtor, 'ERR_WORKER_UNSUPPORTED_OPERATION', 'data: URL workers');
    }
    filename = cjsBuiltin('url').fileURLToPath(filename);
  }
  if (typeof filename !== 'string') {
    throw makeInvalidArgType('filename', 'string or an instance of URL', filename);
  }
  if (
    !pathIsAbsolute(filename) &&
    !StringPrototypeStartsWith(filename, './') &&
    !StringPrototypeStartsWith(filename, '../')
  ) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_WORKER_PATH',
      'The worker script or module filename must be an absolute path or a relative path ' +
        `starting with './' or '../'. Received "${filename}"`,
    );
  }
  return [pathResolve(filename)];
}

function workerEnv(options, threadId) {
  let env = options.env;
  if (env === undefined || env === SHARE_ENV) env = processObject.env;
  else if (env === null || typeof env !== 'object') {
    throw makeInvalidArgType('options.env', 'object', env);
  }
  return { ...env, AGENTOS_WORKER_THREAD: `${threadId}` };
}

export function Worker(filename, options = {}) {
  if (!(this instanceof Worker)) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_CONSTRUCT_CALL_REQUIRED',
      "Class constructor Worker cannot be invoked without 'new'",
    );
  }
  FunctionPrototypeCall(NodeEventEmitter, this);
  if (options === null || typeof options !== 'object') {
    throw makeInvalidArgType('options', 'object', options);
  }
  const entry = entryArgs(filename, options);
  const argv = options.argv === undefined ? [] : options.argv;
  if (!ArrayIsArray(argv)) throw makeInvalidArgType('options.argv', 'Array', argv);
  const execArgv = options.execArgv === undefined ? processObject.execArgv : options.execArgv;
  if (!ArrayIsArray(execArgv)) throw makeInvalidArgType('options.execArgv', 'Array', execArgv);
  const threadId = nextThreadId++;
  this.threadId = threadId;
  this.resourceLimits = { ...options.resourceLimits };
  this._exited = false;
  this._terminating = false;
  const init = envelope(
    'init',
    {
      threadId,
      workerData: options.workerData,
      environmentData,
      name: `${options.name ?? ''}`,
      resourceLimits: this.resourceLimits,
      execArgv: processObject.execArgv,
    },
    options.transferList,
  );
  const args = forkExecArgv(execArgv);
  for (let i = 0; i < entry.length; i++) ArrayPrototypePush(args, entry[i]);
  for (let i = 0; i < argv.length; i++) ArrayPrototypePush(args, `${argv[i]}`);
  processEmit('worker', this);
  const main = entry.length === 1 ? fsStatRaw(entry[0], true) : 0;
  if (typeof main === 'number' && main < 0) {
    // The worker would find no main module: Node's error, as the worker's, and no worker.
    missingMain(this, entry[0]);
    return;
  }
  const child = spawn(processObject.execPath, args, {
    env: workerEnv(options, threadId),
    stdio: [options.stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  this._child = child;
  this.stdin = child.stdin ?? null;
  // As Node's: the worker's output is a stream here, copied to this process's own unless the
  // options ask for it (`stdout: true`, `stderr: true`).
  this.stdout = child.stdout;
  this.stderr = child.stderr;
  if (options.stdout !== true) copyTo(child.stdout, processObject.stdout);
  if (options.stderr !== true) copyTo(child.stderr, processObject.stderr);
  child.on('internalMessage', (m) => this._onMessage(m));
  child.on('error', (err) => this.emit('error', err));
  child.on('exit', (code, signal) => this._onExit(code, signal));
  child[kChannel]?.post(init);
}

function missingMain(worker, path) {
  const err = new ErrorCtor(`Cannot find module '${path}'`);
  err.code = 'MODULE_NOT_FOUND';
  worker._child = null;
  worker.stdin = null;
  worker.stdout = null;
  worker.stderr = null;
  nextTick(() => {
    worker.emit('error', err);
    worker._onExit(1, null);
  });
}

function copyTo(from, to) {
  from.on('data', (chunk) => to.write(chunk));
}
ObjectSetPrototypeOf(Worker.prototype, NodeEventEmitter.prototype);
ObjectSetPrototypeOf(Worker, NodeEventEmitter);

Worker.prototype._onMessage = function (m) {
  if (m === null || typeof m !== 'object' || m.cmd !== CMD) return;
  if (m.kind === 'online') this.emit('online');
  else if (m.kind === 'message') this.emit('message', m.value);
  else if (m.kind === 'error') this.emit('error', m.value);
};

Worker.prototype._onExit = function (code, signal) {
  if (this._exited) return;
  this._exited = true;
  const exitCode = this._terminating || signal !== null ? 1 : code;
  this.exitCode = exitCode;
  this.emit('exit', exitCode);
};

Worker.prototype.postMessage = function (value, transfer) {
  if (this._exited || this._child === null) return;
  this._child[kChannel]?.post(envelope('message', value, transfer));
};

/** Stops the worker: a Promise of its exit code (1, as Node's; or the code it exited with). */
Worker.prototype.terminate = function (callback) {
  if (typeof callback === 'function') {
    processObject.emitWarning(
      'Passing a callback to worker.terminate() is deprecated. It returns a Promise instead.',
      'DeprecationWarning',
      'DEP0132',
    );
  }
  return new PromiseCtor((resolve) => {
    if (this._exited) return resolve(this.exitCode);
    this.once('exit', (code) => {
      if (typeof callback === 'function') callback(null, code);
      resolve(code);
    });
    this._terminating = true;
    this._child?.kill('SIGKILL');
  });
};

// `await using worker = new Worker(...)`: terminated when the scope ends (Node 22).
Worker.prototype[SymbolAsyncDispose] = async function () {
  await this.terminate();
};

Worker.prototype.ref = function () {
  this._child?.ref?.();
  return this;
};

Worker.prototype.unref = function () {
  this._child?.unref?.();
  return this;
};

Worker.prototype.getHeapSnapshot = function () {
  return PromiseCtor.reject(
    makeNodeError(ErrorCtor, 'ERR_WORKER_NOT_RUNNING', 'Worker instance not running'),
  );
};

// ---- the worker's side ----

/** What worker_threads exports in this guest: the main thread's, or a worker's after init. */
export const threadState = {
  isMainThread: true,
  parentPort: null,
  workerData: null,
  threadId: 0,
  resourceLimits: {},
};

/**
 * In a worker (a channel from `Worker`): waits for the parent's init, fills `threadState` and
 * the environment data, wires `parentPort`, then calls `run` (the program). False elsewhere.
 */
export function startWorker(run) {
  const worker = workerEndpoint();
  if (worker === undefined) return false;
  const { endpoint, channel } = worker;
  const port = makeParentPort(channel);
  let started = false;
  endpoint.on('internalMessage', (m) => {
    if (m === null || typeof m !== 'object' || m.cmd !== CMD) return;
    if (m.kind === 'message') {
      port.deliver(m.value);
      return;
    }
    if (m.kind !== 'init' || started) return;
    started = true;
    const init = m.value;
    ObjectAssign(threadState, {
      isMainThread: false,
      parentPort: port,
      workerData: init.workerData,
      threadId: init.threadId,
      resourceLimits: init.resourceLimits,
    });
    // As Node's, process.execArgv is the parent's (its own flags are in effect).
    processObject.execArgv = init.execArgv;
    MapPrototypeForEach(init.environmentData, (value, key) => {
      MapPrototypeSet(environmentData, key, value);
    });
    setFatalReporter((err) => channel.post(fatalEnvelope(err)));
    channel.post(envelope('online'));
    port.refresh();
    run();
  });
  port.refresh();
  return true;
}

/** The worker's fatal exception for the parent; what cannot be cloned goes as an Error of its
 * text (the parent's 'error' still comes). */
function fatalEnvelope(err) {
  try {
    return envelope('error', err);
  } catch {
    let text;
    try {
      text = `${err}`;
    } catch {
      text = 'an uncloneable exception';
    }
    return envelope('error', new ErrorCtor(text));
  }
}

/**
 * A worker's `parentPort`: messages to and from the parent; keeps the worker alive while it has
 * 'message' listeners and is not unref'd or closed. Messages that come while it has no listener
 * wait for one (as a MessagePort's queue does until it starts).
 */
function makeParentPort(channel) {
  const port = new EventEmitter();
  let refed = true;
  let closed = false;
  let waiting = [];
  port.deliver = (value) => {
    if (closed) return;
    if (port.listenerCount('message') === 0) ArrayPrototypePush(waiting, value);
    else port.emit('message', value);
  };
  const flush = () => {
    const list = waiting;
    waiting = [];
    for (let i = 0; i < list.length; i++) port.deliver(list[i]);
  };
  port.refresh = () => {
    // Before init (still the main thread's state) the worker waits for it.
    const waiting = threadState.isMainThread;
    const listening = port.listenerCount('message') > 0;
    bridge.ipcRef(waiting || (refed && listening && !closed));
  };
  port.postMessage = (value, transfer) => {
    if (!closed) channel.post(envelope('message', value, transfer));
  };
  port.close = () => {
    closed = true;
    port.refresh();
    port.emit('close');
  };
  port.ref = () => {
    refed = true;
    port.refresh();
  };
  port.unref = () => {
    refed = false;
    port.refresh();
  };
  port.start = () => {};
  // Listeners change through the emitter's internal hook (no listener of ours shows).
  setEmitterHook(port, (event) => {
    if (event !== undefined && event !== 'message') return;
    port.refresh();
    if (waiting.length > 0 && port.listenerCount('message') > 0) setImmediate(flush);
  });
  return port;
}
