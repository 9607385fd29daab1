// lib/internal__webstreams_readable.js: WHATWG ReadableStream (the Streams Standard's
// algorithms, default controller and reader; tee, pipeTo/pipeThrough, async iteration,
// ReadableStream.from). `type: 'bytes'` streams work as default streams of ArrayBufferViews;
// BYOB readers are not offered (getReader({ mode: 'byob' }) throws ERR_NOT_SUPPORTED_IN_SANDBOX).

import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  AsyncIteratorPrototype,
  ErrorCtor,
  FunctionPrototypeCall,
  FunctionPrototypeSymbolHasInstance,
  ObjectCreate,
  ObjectSetPrototypeOf,
  PromiseAll,
  PromiseReject,
  PromiseResolve,
  SymbolAsyncIterator,
  SymbolCtor,
  SymbolIterator,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';
import { markTransferable } from './internal__cloneable.js';
import { AbortError } from './internal__stream_core.js';
import { defineInspect, defineToStringTag } from './internal__webstreams_inspect.js';
import {
  deferred,
  dequeueValue,
  enqueueValueWithSize,
  extractHighWaterMark,
  extractSizeAlgorithm,
  getMethod,
  handled,
  invalidState,
  invalidThis,
  kState,
  noop,
  promiseCall,
  resetQueue,
  then,
} from './internal__webstreams_util.js';

// ---- ReadableStream ----

export class ReadableStream {
  constructor(underlyingSource = undefined, strategy = undefined) {
    if (underlyingSource === null) throw makeInvalidArgType('source', 'object', underlyingSource);
    markTransferable(this);
    this[kState] = {
      state: 'readable',
      reader: undefined,
      storedError: undefined,
      disturbed: false,
      controller: undefined,
    };
    const source = underlyingSource ?? {};
    const type = source.type;
    if (type !== undefined && `${type}` !== 'bytes') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'source.type' is invalid. Received '${type}'`,
      );
    }
    const isBytes = type !== undefined;
    const hwm = extractHighWaterMark(strategy, isBytes ? 0 : 1);
    const size = isBytes ? () => 1 : extractSizeAlgorithm(strategy);
    setupDefaultController(
      this,
      source,
      getMethod(source, 'start'),
      getMethod(source, 'pull'),
      getMethod(source, 'cancel'),
      hwm,
      size,
    );
  }

  get locked() {
    checkStream(this);
    return this[kState].reader !== undefined;
  }

  cancel(reason = undefined) {
    if (!isReadableStream(this)) return PromiseReject(invalidThis('ReadableStream'));
    if (this[kState].reader !== undefined) {
      return PromiseReject(invalidState('ReadableStream is locked'));
    }
    return readableStreamCancel(this, reason);
  }

  getReader(options = undefined) {
    checkStream(this);
    const mode = options?.mode;
    if (mode === undefined) return new ReadableStreamDefaultReader(this);
    if (`${mode}` === 'byob') {
      throw makeNodeError(
        ErrorCtor,
        'ERR_NOT_SUPPORTED_IN_SANDBOX',
        'ReadableStream BYOB readers are not supported in the agentOS sandbox',
      );
    }
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'options.mode' is invalid. Received '${mode}'`,
    );
  }

  pipeThrough(transform, options = undefined) {
    checkStream(this);
    const readable = transform?.readable;
    const writable = transform?.writable;
    if (!isReadableStream(readable)) {
      throw makeInvalidArgType('transform.readable', 'ReadableStream', readable);
    }
    if (!isWritableStreamLike(writable)) {
      throw makeInvalidArgType('transform.writable', 'WritableStream', writable);
    }
    if (this[kState].reader !== undefined) throw invalidState('The ReadableStream is locked');
    if (writable.locked) throw invalidState('The WritableStream is locked');
    handled(pipeImpl(this, writable, options));
    return readable;
  }

  pipeTo(destination, options = undefined) {
    if (!isReadableStream(this)) return PromiseReject(invalidThis('ReadableStream'));
    if (!isWritableStreamLike(destination)) {
      return PromiseReject(makeInvalidArgType('destination', 'WritableStream', destination));
    }
    if (this[kState].reader !== undefined) {
      return PromiseReject(invalidState('The ReadableStream is locked'));
    }
    if (destination.locked) return PromiseReject(invalidState('The WritableStream is locked'));
    return pipeImpl(this, destination, options);
  }

  tee() {
    checkStream(this);
    return readableStreamTee(this);
  }

  values(options = undefined) {
    checkStream(this);
    return createAsyncIterator(this, !!options?.preventCancel);
  }

  [SymbolAsyncIterator](options = undefined) {
    return this.values(options);
  }

  static from(iterable) {
    return readableStreamFromIterable(iterable);
  }
}
defineToStringTag(ReadableStream, 'ReadableStream');
defineInspect(ReadableStream, 'ReadableStream', (s) => ({
  locked: s.locked,
  state: s[kState].state,
  supportsBYOB: false,
}));

let writableHooks; // set by the writable part: { isWritableStream }
export function setWritableHooks(hooks) {
  writableHooks = hooks;
}

function isWritableStreamLike(value) {
  return writableHooks?.isWritableStream(value);
}

export function isReadableStream(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    value[kState] !== undefined &&
    FunctionPrototypeSymbolHasInstance(ReadableStreamDefaultController, value[kState].controller)
  );
}

function checkStream(value) {
  if (!isReadableStream(value)) throw invalidThis('ReadableStream');
}

// ---- the default controller ----

export class ReadableStreamDefaultController {
  constructor(key) {
    if (key !== kConstruct)
      throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }

  get desiredSize() {
    return controllerGetDesiredSize(this);
  }

  close() {
    if (!controllerCanCloseOrEnqueue(this)) {
      throw invalidState('Controller is already closed');
    }
    controllerClose(this);
  }

  enqueue(chunk = undefined) {
    if (!controllerCanCloseOrEnqueue(this)) {
      throw invalidState('Controller is already closed');
    }
    controllerEnqueue(this, chunk);
  }

  error(error = undefined) {
    controllerError(this, error);
  }
}
defineToStringTag(ReadableStreamDefaultController, 'ReadableStreamDefaultController');

const kConstruct = SymbolCtor('kConstruct');

function setupDefaultController(stream, source, start, pull, cancel, hwm, size) {
  const controller = new ReadableStreamDefaultController(kConstruct);
  const c = {
    stream,
    queue: [],
    queueTotalSize: 0,
    started: false,
    closeRequested: false,
    pullAgain: false,
    pulling: false,
    highWaterMark: hwm,
    sizeAlgorithm: size,
    pullAlgorithm: () => promiseCall(pull, source, controller),
    cancelAlgorithm: (reason) => promiseCall(cancel, source, reason),
  };
  controller[kState] = c;
  stream[kState].controller = controller;
  const startResult =
    start === undefined ? undefined : FunctionPrototypeCall(start, source, controller);
  then(
    PromiseResolve(startResult),
    () => {
      c.started = true;
      controllerCallPullIfNeeded(controller);
    },
    (err) => controllerError(controller, err),
  );
}

/** A ReadableStream driven by internal algorithms (for TransformStream and tee). */
export function createReadableStream(start, pull, cancel, hwm = 1, size = () => 1) {
  const stream = ObjectCreate(ReadableStream.prototype);
  markTransferable(stream);
  stream[kState] = {
    state: 'readable',
    reader: undefined,
    storedError: undefined,
    disturbed: false,
    controller: undefined,
  };
  const source = {};
  setupDefaultController(
    stream,
    source,
    () => start(stream[kState].controller),
    () => pull(stream[kState].controller),
    (reason) => cancel(reason),
    hwm,
    size,
  );
  return stream;
}

function controllerCallPullIfNeeded(controller) {
  if (!controllerShouldCallPull(controller)) return;
  const c = controller[kState];
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  then(
    c.pullAlgorithm(),
    () => {
      c.pulling = false;
      if (c.pullAgain) {
        c.pullAgain = false;
        controllerCallPullIfNeeded(controller);
      }
    },
    (err) => controllerError(controller, err),
  );
}

function controllerShouldCallPull(controller) {
  const c = controller[kState];
  if (!controllerCanCloseOrEnqueue(controller)) return false;
  if (!c.started) return false;
  const stream = c.stream;
  const reader = stream[kState].reader;
  if (reader !== undefined && reader[kState].readRequests.length > 0) return true;
  return controllerGetDesiredSize(controller) > 0;
}

function controllerClearAlgorithms(controller) {
  const c = controller[kState];
  c.pullAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
  c.sizeAlgorithm = undefined;
}

export function controllerClose(controller) {
  if (!controllerCanCloseOrEnqueue(controller)) return;
  const c = controller[kState];
  c.closeRequested = true;
  if (c.queue.length === 0) {
    controllerClearAlgorithms(controller);
    readableStreamClose(c.stream);
  }
}

export function controllerEnqueue(controller, chunk) {
  if (!controllerCanCloseOrEnqueue(controller)) return;
  const c = controller[kState];
  const stream = c.stream;
  const reader = stream[kState].reader;
  if (reader !== undefined && reader[kState].readRequests.length > 0) {
    fulfillReadRequest(stream, chunk, false);
  } else {
    let size;
    try {
      size = c.sizeAlgorithm(chunk);
    } catch (err) {
      controllerError(controller, err);
      throw err;
    }
    try {
      enqueueValueWithSize(c, chunk, size);
    } catch (err) {
      controllerError(controller, err);
      throw err;
    }
  }
  controllerCallPullIfNeeded(controller);
}

export function controllerError(controller, error) {
  const c = controller[kState];
  if (c.stream[kState].state !== 'readable') return;
  resetQueue(c);
  controllerClearAlgorithms(controller);
  readableStreamError(c.stream, error);
}

export function controllerGetDesiredSize(controller) {
  const c = controller[kState];
  const state = c.stream[kState].state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return c.highWaterMark - c.queueTotalSize;
}

export function controllerHasBackpressure(controller) {
  return !controllerShouldCallPull(controller);
}

export function controllerCanCloseOrEnqueue(controller) {
  const c = controller[kState];
  return !c.closeRequested && c.stream[kState].state === 'readable';
}

function controllerPullSteps(controller, readRequest) {
  const c = controller[kState];
  const stream = c.stream;
  if (c.queue.length > 0) {
    const chunk = dequeueValue(c);
    if (c.closeRequested && c.queue.length === 0) {
      controllerClearAlgorithms(controller);
      readableStreamClose(stream);
    } else {
      controllerCallPullIfNeeded(controller);
    }
    readRequest.chunk(chunk);
  } else {
    readableStreamAddReadRequest(stream, readRequest);
    controllerCallPullIfNeeded(controller);
  }
}

function controllerCancelSteps(controller, reason) {
  const c = controller[kState];
  resetQueue(c);
  const result = c.cancelAlgorithm(reason);
  controllerClearAlgorithms(controller);
  return result;
}

// ---- stream operations ----

function readableStreamAddReadRequest(stream, readRequest) {
  ArrayPrototypePush(stream[kState].reader[kState].readRequests, readRequest);
}

function fulfillReadRequest(stream, chunk, done) {
  const reader = stream[kState].reader;
  const readRequest = ArrayPrototypeShift(reader[kState].readRequests);
  if (done) readRequest.close();
  else readRequest.chunk(chunk);
}

export function readableStreamCancel(stream, reason) {
  const s = stream[kState];
  s.disturbed = true;
  if (s.state === 'closed') return PromiseResolve(undefined);
  if (s.state === 'errored') return PromiseReject(s.storedError);
  readableStreamClose(stream);
  const sourceCancel = controllerCancelSteps(s.controller, reason);
  return then(sourceCancel, () => undefined);
}

function readableStreamClose(stream) {
  const s = stream[kState];
  s.state = 'closed';
  const reader = s.reader;
  if (reader === undefined) return;
  reader[kState].closed.resolve(undefined);
  const requests = reader[kState].readRequests;
  reader[kState].readRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].close();
}

function readableStreamError(stream, error) {
  const s = stream[kState];
  s.state = 'errored';
  s.storedError = error;
  const reader = s.reader;
  if (reader === undefined) return;
  reader[kState].closed.reject(error);
  handled(reader[kState].closed.promise);
  const requests = reader[kState].readRequests;
  reader[kState].readRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].error(error);
}

// ---- the default reader ----

export class ReadableStreamDefaultReader {
  constructor(stream) {
    checkStream(stream);
    if (stream[kState].reader !== undefined) throw invalidState('ReadableStream is locked');
    this[kState] = { stream, readRequests: [], closed: deferred() };
    stream[kState].reader = this;
    const state = stream[kState].state;
    if (state === 'closed') this[kState].closed.resolve(undefined);
    else if (state === 'errored') {
      this[kState].closed.reject(stream[kState].storedError);
      handled(this[kState].closed.promise);
    }
  }

  get closed() {
    return this[kState].closed.promise;
  }

  read() {
    const r = this[kState];
    if (r === undefined) return PromiseReject(invalidThis('ReadableStreamDefaultReader'));
    if (r.stream === undefined) {
      return PromiseReject(invalidState('The reader is not attached to a stream'));
    }
    const d = deferred();
    readerRead(this, {
      chunk: (value) => d.resolve({ value, done: false }),
      close: () => d.resolve({ value: undefined, done: true }),
      error: (e) => d.reject(e),
    });
    return d.promise;
  }

  releaseLock() {
    const r = this[kState];
    if (r.stream === undefined) return;
    readerRelease(this);
  }

  cancel(reason = undefined) {
    const r = this[kState];
    if (r.stream === undefined) {
      return PromiseReject(invalidState('The reader is not attached to a stream'));
    }
    return readableStreamCancel(r.stream, reason);
  }
}
defineToStringTag(ReadableStreamDefaultReader, 'ReadableStreamDefaultReader');

export function readerRead(reader, readRequest) {
  const stream = reader[kState].stream;
  const s = stream[kState];
  s.disturbed = true;
  if (s.state === 'closed') readRequest.close();
  else if (s.state === 'errored') readRequest.error(s.storedError);
  else controllerPullSteps(s.controller, readRequest);
}

export function readerRelease(reader) {
  const r = reader[kState];
  const stream = r.stream;
  const err = invalidState('Releasing reader');
  if (stream[kState].state === 'readable') {
    r.closed.reject(err);
  } else {
    r.closed = deferred();
    r.closed.reject(err);
  }
  handled(r.closed.promise);
  const requests = r.readRequests;
  r.readRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].error(err);
  stream[kState].reader = undefined;
  r.stream = undefined;
}

// ---- async iteration ----

function createAsyncIterator(stream, preventCancel) {
  const reader = new ReadableStreamDefaultReader(stream);
  let current = PromiseResolve(undefined);
  let finished = false;
  const nextSteps = () => {
    if (finished) return PromiseResolve({ value: undefined, done: true });
    const d = deferred();
    readerRead(reader, {
      chunk: (value) => d.resolve({ value, done: false }),
      close: () => {
        finished = true;
        readerRelease(reader);
        d.resolve({ value: undefined, done: true });
      },
      error: (e) => {
        finished = true;
        readerRelease(reader);
        d.reject(e);
      },
    });
    return d.promise;
  };
  const returnSteps = (value) => {
    if (finished) return PromiseResolve({ value, done: true });
    finished = true;
    if (!preventCancel) {
      const result = readableStreamCancel(stream, value);
      readerRelease(reader);
      return then(result, () => ({ value, done: true }));
    }
    readerRelease(reader);
    return PromiseResolve({ value, done: true });
  };
  const iterator = {
    next() {
      current = then(current, nextSteps, nextSteps);
      return current;
    },
    return(value) {
      current = then(
        current,
        () => returnSteps(value),
        () => returnSteps(value),
      );
      return current;
    },
  };
  ObjectSetPrototypeOf(iterator, AsyncIteratorPrototype);
  return iterator;
}

// ---- tee ----

function readableStreamTee(stream) {
  const reader = new ReadableStreamDefaultReader(stream);
  let reading = false;
  let readAgain = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = deferred();
  const pull = () => {
    if (reading) {
      readAgain = true;
      return PromiseResolve(undefined);
    }
    reading = true;
    readerRead(reader, {
      chunk: (chunk) => {
        queueMicrotask(() => {
          readAgain = false;
          if (!canceled1) controllerEnqueue(branch1[kState].controller, chunk);
          if (!canceled2) controllerEnqueue(branch2[kState].controller, chunk);
          reading = false;
          if (readAgain) pull();
        });
      },
      close: () => {
        reading = false;
        if (!canceled1) controllerClose(branch1[kState].controller);
        if (!canceled2) controllerClose(branch2[kState].controller);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      },
      error: () => {
        reading = false;
      },
    });
    return PromiseResolve(undefined);
  };
  const cancel1 = (reason) => {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) {
      cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    }
    return cancelPromise.promise;
  };
  const cancel2 = (reason) => {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) {
      cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    }
    return cancelPromise.promise;
  };
  branch1 = createReadableStream(noop, pull, cancel1);
  branch2 = createReadableStream(noop, pull, cancel2);
  then(reader[kState].closed.promise, undefined, (r) => {
    controllerError(branch1[kState].controller, r);
    controllerError(branch2[kState].controller, r);
    if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
  });
  return [branch1, branch2];
}

// ---- pipeTo ----

let pipeHooks; // set by the writable part: writer operations
export function setPipeHooks(hooks) {
  pipeHooks = hooks;
}

function pipeImpl(source, dest, options) {
  const preventClose = !!options?.preventClose;
  const preventAbort = !!options?.preventAbort;
  const preventCancel = !!options?.preventCancel;
  const signal = options?.signal;
  if (
    signal !== undefined &&
    (signal === null || typeof signal !== 'object' || !('aborted' in signal))
  ) {
    return PromiseReject(makeInvalidArgType('options.signal', 'AbortSignal', signal));
  }
  const reader = new ReadableStreamDefaultReader(source);
  const writer = pipeHooks.getWriter(dest);
  source[kState].disturbed = true;
  let shuttingDown = false;
  let currentWrite = PromiseResolve(undefined);
  const result = deferred();
  let abortListener;

  const finalize = (isError, error) => {
    pipeHooks.releaseWriter(writer);
    readerRelease(reader);
    if (signal !== undefined && abortListener !== undefined) {
      signal.removeEventListener('abort', abortListener);
    }
    if (isError) result.reject(error);
    else result.resolve(undefined);
  };
  const waitForWrites = () => {
    const old = currentWrite;
    return then(old, () => (old !== currentWrite ? waitForWrites() : undefined));
  };
  const shutdownWithAction = (action, originalIsError, originalError) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const doAction = () => {
      then(
        action(),
        () => finalize(originalIsError, originalError),
        (e) => finalize(true, e),
      );
    };
    if (pipeHooks.state(dest) === 'writable' && !pipeHooks.closeQueuedOrInFlight(dest)) {
      then(waitForWrites(), doAction);
    } else {
      doAction();
    }
  };
  const shutdown = (isError, error) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (pipeHooks.state(dest) === 'writable' && !pipeHooks.closeQueuedOrInFlight(dest)) {
      then(waitForWrites(), () => finalize(isError, error));
    } else {
      finalize(isError, error);
    }
  };

  if (signal !== undefined) {
    abortListener = () => {
      const error = signal.reason !== undefined ? signal.reason : new AbortError();
      const actions = [];
      if (!preventAbort) {
        ArrayPrototypePush(actions, () =>
          pipeHooks.state(dest) === 'writable' ? pipeHooks.abort(dest, error) : PromiseResolve(),
        );
      }
      if (!preventCancel) {
        ArrayPrototypePush(actions, () =>
          source[kState].state === 'readable'
            ? readableStreamCancel(source, error)
            : PromiseResolve(),
        );
      }
      shutdownWithAction(
        () => {
          const promises = [];
          for (let i = 0; i < actions.length; i++) ArrayPrototypePush(promises, actions[i]());
          return PromiseAll(promises);
        },
        true,
        error,
      );
    };
    if (signal.aborted) {
      abortListener();
      return result.promise;
    }
    signal.addEventListener('abort', abortListener, { __proto__: null, once: true });
  }

  // Errors must be propagated forward / backward, and closing forward / backward.
  const sourceClosedOrErrored = () => {
    const s = source[kState];
    if (s.state === 'errored') {
      if (!preventAbort) {
        shutdownWithAction(() => pipeHooks.abort(dest, s.storedError), true, s.storedError);
      } else {
        shutdown(true, s.storedError);
      }
      return true;
    }
    if (s.state === 'closed') {
      if (!preventClose) {
        shutdownWithAction(() => pipeHooks.closeWithErrorPropagation(writer), false);
      } else {
        shutdown(false);
      }
      return true;
    }
    return false;
  };
  const destClosedOrErrored = () => {
    const state = pipeHooks.state(dest);
    if (state === 'errored' || state === 'erroring') {
      const error = pipeHooks.storedError(dest);
      if (!preventCancel) {
        shutdownWithAction(() => readableStreamCancel(source, error), true, error);
      } else {
        shutdown(true, error);
      }
      return true;
    }
    if (pipeHooks.closeQueuedOrInFlight(dest) || state === 'closed') {
      const error = new TypeErrorCtor(
        'the destination writable stream closed before all data could be piped to it',
      );
      if (!preventCancel) {
        shutdownWithAction(() => readableStreamCancel(source, error), true, error);
      } else {
        shutdown(true, error);
      }
      return true;
    }
    return false;
  };

  then(
    reader[kState].closed.promise,
    () => sourceClosedOrErrored(),
    () => sourceClosedOrErrored(),
  );
  then(
    pipeHooks.writerClosed(writer),
    () => destClosedOrErrored(),
    () => destClosedOrErrored(),
  );

  const step = () => {
    if (shuttingDown) return;
    if (sourceClosedOrErrored() || destClosedOrErrored()) return;
    then(
      pipeHooks.writerReady(writer),
      () => {
        if (shuttingDown) return;
        readerRead(reader, {
          chunk: (chunk) => {
            currentWrite = handled(pipeHooks.write(writer, chunk));
            queueMicrotask(step);
          },
          close: () => {},
          error: () => {},
        });
      },
      () => destClosedOrErrored(),
    );
  };
  queueMicrotask(step);
  return result.promise;
}

// ---- ReadableStream.from ----

function readableStreamFromIterable(iterable) {
  if (iterable === null || iterable === undefined) {
    throw makeInvalidArgType('iterable', 'Iterable', iterable);
  }
  let iterator;
  const asyncMethod = iterable[SymbolAsyncIterator];
  if (asyncMethod !== undefined && asyncMethod !== null) {
    iterator = FunctionPrototypeCall(asyncMethod, iterable);
  } else {
    const syncMethod = iterable[SymbolIterator];
    if (typeof syncMethod !== 'function') {
      throw makeInvalidArgType('iterable', 'Iterable', iterable);
    }
    const sync = FunctionPrototypeCall(syncMethod, iterable);
    iterator = {
      next: () => {
        const r = sync.next();
        return then(PromiseResolve(r.value), (value) => ({ value, done: r.done }));
      },
      return: (v) =>
        PromiseResolve(typeof sync.return === 'function' ? sync.return(v) : { done: true }),
    };
  }
  if (iterator === null || typeof iterator !== 'object') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_STATE',
      'Invalid state: the iterator is not an object',
    );
  }
  return createReadableStream(
    noop,
    (controller) =>
      then(PromiseResolve(iterator.next()), (result) => {
        if (result === null || typeof result !== 'object') {
          throw new TypeErrorCtor(
            'The promise returned by the iterator.next() method must fulfill with an object',
          );
        }
        if (result.done) controllerClose(controller);
        else controllerEnqueue(controller, result.value);
      }),
    (reason) => {
      const ret = iterator.return;
      if (ret === undefined || ret === null) return PromiseResolve(undefined);
      return then(PromiseResolve(FunctionPrototypeCall(ret, iterator, reason)), (r) => {
        if (r === null || typeof r !== 'object') {
          throw new TypeErrorCtor(
            'The promise returned by the iterator.return() method must fulfill with an object',
          );
        }
      });
    },
    0,
  );
}
