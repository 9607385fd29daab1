// lib/internal__webstreams_writable.js: WHATWG WritableStream (the Streams Standard's writable
// stream, default controller and writer algorithms); TransformStream is
// internal__webstreams_transform.js, the queuing strategies internal__webstreams_strategies.js.

import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  FunctionPrototypeCall,
  FunctionPrototypeSymbolHasInstance,
  globalObject,
  ObjectCreate,
  PromiseReject,
  PromiseResolve,
  SymbolCtor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { markTransferable } from './internal__cloneable.js';
import { defineInspect, defineToStringTag } from './internal__webstreams_inspect.js';
import { setPipeHooks, setWritableHooks } from './internal__webstreams_readable.js';
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

const kCloseSentinel = { __proto__: null };
export const kConstruct = SymbolCtor('kConstruct');

export function illegal() {
  return makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
}

export class WritableStream {
  constructor(underlyingSink = undefined, strategy = undefined) {
    if (underlyingSink === null) underlyingSink = undefined;
    const sink = underlyingSink ?? {};
    if (sink.type !== undefined) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'sink.type' is invalid. Received ${sink.type}`,
      );
    }
    initWritable(this);
    const hwm = extractHighWaterMark(strategy, 1);
    const size = extractSizeAlgorithm(strategy);
    const start = getMethod(sink, 'start');
    const write = getMethod(sink, 'write');
    const close = getMethod(sink, 'close');
    const abort = getMethod(sink, 'abort');
    setupWritableController(
      this,
      (controller) =>
        start === undefined ? undefined : FunctionPrototypeCall(start, sink, controller),
      (chunk, controller) => promiseCall(write, sink, chunk, controller),
      () => promiseCall(close, sink),
      (reason) => promiseCall(abort, sink, reason),
      hwm,
      size,
    );
  }

  get locked() {
    checkWritable(this);
    return this[kState].writer !== undefined;
  }

  abort(reason = undefined) {
    if (!isWritableStream(this)) return PromiseReject(invalidThis('WritableStream'));
    if (this[kState].writer !== undefined) {
      return PromiseReject(invalidState('WritableStream is locked'));
    }
    return writableStreamAbort(this, reason);
  }

  close() {
    if (!isWritableStream(this)) return PromiseReject(invalidThis('WritableStream'));
    if (this[kState].writer !== undefined) {
      return PromiseReject(invalidState('WritableStream is locked'));
    }
    if (closeQueuedOrInFlight(this)) {
      return PromiseReject(invalidState('Failure closing WritableStream'));
    }
    return writableStreamClose(this);
  }

  getWriter() {
    checkWritable(this);
    return new WritableStreamDefaultWriter(this);
  }
}
defineToStringTag(WritableStream, 'WritableStream');
defineInspect(WritableStream, 'WritableStream', (s) => ({
  locked: s.locked,
  state: s[kState].state,
}));

function initWritable(stream) {
  markTransferable(stream);
  stream[kState] = {
    state: 'writable',
    storedError: undefined,
    writer: undefined,
    controller: undefined,
    inFlightWriteRequest: undefined,
    closeRequest: undefined,
    inFlightCloseRequest: undefined,
    pendingAbortRequest: undefined,
    writeRequests: [],
    backpressure: false,
  };
}

export function isWritableStream(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    value[kState] !== undefined &&
    FunctionPrototypeSymbolHasInstance(WritableStreamDefaultController, value[kState].controller)
  );
}

function checkWritable(value) {
  if (!isWritableStream(value)) throw invalidThis('WritableStream');
}

export function closeQueuedOrInFlight(stream) {
  const s = stream[kState];
  return s.closeRequest !== undefined || s.inFlightCloseRequest !== undefined;
}

// ---- controller ----

export class WritableStreamDefaultController {
  constructor(key) {
    if (key !== kConstruct) throw illegal();
  }

  get signal() {
    return this[kState].abortController.signal;
  }

  error(error = undefined) {
    const c = this[kState];
    if (c.stream[kState].state !== 'writable') return;
    writableControllerError(this, error);
  }
}
defineToStringTag(WritableStreamDefaultController, 'WritableStreamDefaultController');

function newAbortController() {
  const AC = globalObject.AbortController;
  if (typeof AC === 'function') return new AC();
  const signal = {
    aborted: false,
    reason: undefined,
    addEventListener: noop,
    removeEventListener: noop,
  };
  return {
    signal,
    abort(reason) {
      signal.aborted = true;
      signal.reason = reason;
    },
  };
}

function setupWritableController(stream, start, write, close, abort, hwm, size) {
  const controller = new WritableStreamDefaultController(kConstruct);
  const c = {
    stream,
    queue: [],
    queueTotalSize: 0,
    started: false,
    highWaterMark: hwm,
    sizeAlgorithm: size,
    writeAlgorithm: write,
    closeAlgorithm: close,
    abortAlgorithm: abort,
    abortController: newAbortController(),
  };
  controller[kState] = c;
  stream[kState].controller = controller;
  updateBackpressure(stream, getBackpressure(controller));
  const startResult = start(controller);
  then(
    PromiseResolve(startResult),
    () => {
      c.started = true;
      advanceQueueIfNeeded(controller);
    },
    (r) => {
      c.started = true;
      dealWithRejection(stream, r);
    },
  );
}

/** A WritableStream driven by internal algorithms (for TransformStream). */
export function createWritableStream(start, write, close, abort, hwm = 1, size = () => 1) {
  const stream = ObjectCreate(WritableStream.prototype);
  initWritable(stream);
  setupWritableController(stream, start, write, close, abort, hwm, size);
  return stream;
}

function clearAlgorithms(controller) {
  const c = controller[kState];
  c.writeAlgorithm = undefined;
  c.closeAlgorithm = undefined;
  c.abortAlgorithm = undefined;
  c.sizeAlgorithm = undefined;
}

function getDesiredSize(controller) {
  const c = controller[kState];
  return c.highWaterMark - c.queueTotalSize;
}

function getBackpressure(controller) {
  return getDesiredSize(controller) <= 0;
}

function getChunkSize(controller, chunk) {
  const c = controller[kState];
  try {
    return c.sizeAlgorithm(chunk);
  } catch (err) {
    if (c.stream[kState].state === 'writable') writableControllerError(controller, err);
    return 1;
  }
}

function controllerWrite(controller, chunk, chunkSize) {
  const c = controller[kState];
  try {
    enqueueValueWithSize(c, chunk, chunkSize);
  } catch (err) {
    if (c.stream[kState].state === 'writable') writableControllerError(controller, err);
    return;
  }
  const stream = c.stream;
  if (!closeQueuedOrInFlight(stream) && stream[kState].state === 'writable') {
    updateBackpressure(stream, getBackpressure(controller));
  }
  advanceQueueIfNeeded(controller);
}

function advanceQueueIfNeeded(controller) {
  const c = controller[kState];
  const stream = c.stream;
  if (!c.started) return;
  if (stream[kState].inFlightWriteRequest !== undefined) return;
  const state = stream[kState].state;
  if (state === 'erroring') {
    finishErroring(stream);
    return;
  }
  if (c.queue.length === 0) return;
  const value = c.queue[0].value;
  if (value === kCloseSentinel) processClose(controller);
  else processWrite(controller, value);
}

function processClose(controller) {
  const c = controller[kState];
  const stream = c.stream;
  const s = stream[kState];
  s.inFlightCloseRequest = s.closeRequest;
  s.closeRequest = undefined;
  dequeueValue(c);
  const sinkClose = c.closeAlgorithm();
  clearAlgorithms(controller);
  then(
    sinkClose,
    () => finishInFlightClose(stream),
    (r) => finishInFlightCloseWithError(stream, r),
  );
}

function processWrite(controller, chunk) {
  const c = controller[kState];
  const stream = c.stream;
  const s = stream[kState];
  s.inFlightWriteRequest = ArrayPrototypeShift(s.writeRequests);
  then(
    c.writeAlgorithm(chunk, controller),
    () => {
      s.inFlightWriteRequest.resolve(undefined);
      s.inFlightWriteRequest = undefined;
      const state = s.state;
      dequeueValue(c);
      if (!closeQueuedOrInFlight(stream) && state === 'writable') {
        updateBackpressure(stream, getBackpressure(controller));
      }
      advanceQueueIfNeeded(controller);
    },
    (reason) => {
      if (s.state === 'writable') clearAlgorithms(controller);
      s.inFlightWriteRequest.reject(reason);
      s.inFlightWriteRequest = undefined;
      dealWithRejection(stream, reason);
    },
  );
}

export function writableControllerError(controller, error) {
  const stream = controller[kState].stream;
  clearAlgorithms(controller);
  startErroring(stream, error);
}

// ---- stream algorithms ----

export function writableStreamAbort(stream, reason) {
  const s = stream[kState];
  if (s.state === 'closed' || s.state === 'errored') return PromiseResolve(undefined);
  s.controller[kState].abortController.abort(reason);
  const state = s.state;
  if (state === 'closed' || state === 'errored') return PromiseResolve(undefined);
  if (s.pendingAbortRequest !== undefined) return s.pendingAbortRequest.promise.promise;
  let wasAlreadyErroring = false;
  if (state === 'erroring') {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const promise = deferred();
  s.pendingAbortRequest = { promise, reason, wasAlreadyErroring };
  if (!wasAlreadyErroring) startErroring(stream, reason);
  return promise.promise;
}

export function writableStreamClose(stream) {
  const s = stream[kState];
  const state = s.state;
  if (state === 'closed' || state === 'errored') {
    return PromiseReject(invalidState('WritableStream is closed'));
  }
  const promise = deferred();
  s.closeRequest = promise;
  const writer = s.writer;
  if (writer !== undefined && s.backpressure && state === 'writable') {
    writer[kState].ready.resolve(undefined);
  }
  enqueueValueWithSize(s.controller[kState], kCloseSentinel, 0);
  advanceQueueIfNeeded(s.controller);
  return promise.promise;
}

function dealWithRejection(stream, error) {
  if (stream[kState].state === 'writable') {
    startErroring(stream, error);
    return;
  }
  finishErroring(stream);
}

function startErroring(stream, reason) {
  const s = stream[kState];
  const controller = s.controller;
  s.state = 'erroring';
  s.storedError = reason;
  const writer = s.writer;
  if (writer !== undefined) writerEnsureReadyPromiseRejected(writer, reason);
  if (
    s.inFlightWriteRequest === undefined &&
    s.inFlightCloseRequest === undefined &&
    controller[kState].started
  ) {
    finishErroring(stream);
  }
}

function finishErroring(stream) {
  const s = stream[kState];
  s.state = 'errored';
  resetQueue(s.controller[kState]);
  const storedError = s.storedError;
  const requests = s.writeRequests;
  s.writeRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].reject(storedError);
  if (s.pendingAbortRequest === undefined) {
    rejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const abortRequest = s.pendingAbortRequest;
  s.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    abortRequest.promise.reject(storedError);
    rejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const c = s.controller[kState];
  const result =
    c.abortAlgorithm === undefined ? PromiseResolve() : c.abortAlgorithm(abortRequest.reason);
  clearAlgorithms(s.controller);
  then(
    result,
    () => {
      abortRequest.promise.resolve(undefined);
      rejectCloseAndClosedPromiseIfNeeded(stream);
    },
    (reason) => {
      abortRequest.promise.reject(reason);
      rejectCloseAndClosedPromiseIfNeeded(stream);
    },
  );
}

function finishInFlightClose(stream) {
  const s = stream[kState];
  s.inFlightCloseRequest.resolve(undefined);
  s.inFlightCloseRequest = undefined;
  if (s.state === 'erroring') {
    s.storedError = undefined;
    if (s.pendingAbortRequest !== undefined) {
      s.pendingAbortRequest.promise.resolve(undefined);
      s.pendingAbortRequest = undefined;
    }
  }
  s.state = 'closed';
  const writer = s.writer;
  if (writer !== undefined) writer[kState].closed.resolve(undefined);
}

function finishInFlightCloseWithError(stream, error) {
  const s = stream[kState];
  s.inFlightCloseRequest.reject(error);
  s.inFlightCloseRequest = undefined;
  if (s.pendingAbortRequest !== undefined) {
    s.pendingAbortRequest.promise.reject(error);
    s.pendingAbortRequest = undefined;
  }
  dealWithRejection(stream, error);
}

function rejectCloseAndClosedPromiseIfNeeded(stream) {
  const s = stream[kState];
  if (s.closeRequest !== undefined) {
    s.closeRequest.reject(s.storedError);
    s.closeRequest = undefined;
  }
  const writer = s.writer;
  if (writer !== undefined) {
    writer[kState].closed.reject(s.storedError);
    handled(writer[kState].closed.promise);
  }
}

function updateBackpressure(stream, backpressure) {
  const s = stream[kState];
  const writer = s.writer;
  if (writer !== undefined && backpressure !== s.backpressure) {
    if (backpressure) writer[kState].ready = deferred();
    else writer[kState].ready.resolve(undefined);
  }
  s.backpressure = backpressure;
}

// ---- writer ----

export class WritableStreamDefaultWriter {
  constructor(stream) {
    checkWritable(stream);
    if (stream[kState].writer !== undefined) throw invalidState('WritableStream is locked');
    const w = { stream, ready: deferred(), closed: deferred() };
    this[kState] = w;
    const s = stream[kState];
    s.writer = this;
    const state = s.state;
    if (state === 'writable') {
      if (!closeQueuedOrInFlight(stream) && s.backpressure) {
        // ready stays pending
      } else {
        w.ready.resolve(undefined);
      }
    } else if (state === 'erroring') {
      w.ready.reject(s.storedError);
      handled(w.ready.promise);
    } else if (state === 'closed') {
      w.ready.resolve(undefined);
      w.closed.resolve(undefined);
    } else {
      w.ready.reject(s.storedError);
      handled(w.ready.promise);
      w.closed.reject(s.storedError);
      handled(w.closed.promise);
    }
  }

  get closed() {
    return this[kState].closed.promise;
  }

  get ready() {
    return this[kState].ready.promise;
  }

  get desiredSize() {
    const stream = this[kState].stream;
    if (stream === undefined) throw invalidState('Writer is not bound to a WritableStream');
    return writerGetDesiredSize(this);
  }

  abort(reason = undefined) {
    const stream = this[kState].stream;
    if (stream === undefined) {
      return PromiseReject(invalidState('Writer is not bound to a WritableStream'));
    }
    return writableStreamAbort(stream, reason);
  }

  close() {
    const stream = this[kState].stream;
    if (stream === undefined) {
      return PromiseReject(invalidState('Writer is not bound to a WritableStream'));
    }
    if (closeQueuedOrInFlight(stream)) {
      return PromiseReject(invalidState('Failure to close WritableStream'));
    }
    return writableStreamClose(stream);
  }

  releaseLock() {
    if (this[kState].stream === undefined) return;
    writerRelease(this);
  }

  write(chunk = undefined) {
    const stream = this[kState].stream;
    if (stream === undefined) {
      return PromiseReject(invalidState('Writer is not bound to a WritableStream'));
    }
    return writerWrite(this, chunk);
  }
}
defineToStringTag(WritableStreamDefaultWriter, 'WritableStreamDefaultWriter');

function writerGetDesiredSize(writer) {
  const stream = writer[kState].stream;
  const state = stream[kState].state;
  if (state === 'errored' || state === 'erroring') return null;
  if (state === 'closed') return 0;
  return getDesiredSize(stream[kState].controller);
}

function writerEnsureReadyPromiseRejected(writer, error) {
  const w = writer[kState];
  if (w.ready.settled) w.ready = deferred();
  w.ready.reject(error);
  handled(w.ready.promise);
}

function writerEnsureClosedPromiseRejected(writer, error) {
  const w = writer[kState];
  w.closed = deferred();
  w.closed.reject(error);
  handled(w.closed.promise);
}

export function writerRelease(writer) {
  const w = writer[kState];
  const stream = w.stream;
  const error = invalidState('Writer released');
  writerEnsureReadyPromiseRejected(writer, error);
  writerEnsureClosedPromiseRejected(writer, error);
  stream[kState].writer = undefined;
  w.stream = undefined;
}

export function writerWrite(writer, chunk) {
  const stream = writer[kState].stream;
  const s = stream[kState];
  const controller = s.controller;
  const chunkSize = getChunkSize(controller, chunk);
  if (stream !== writer[kState].stream) {
    return PromiseReject(invalidState('Writer is not bound to a WritableStream'));
  }
  const state = s.state;
  if (state === 'errored') return PromiseReject(s.storedError);
  if (closeQueuedOrInFlight(stream) || state === 'closed') {
    return PromiseReject(invalidState('WritableStream is closed'));
  }
  if (state === 'erroring') return PromiseReject(s.storedError);
  const promise = deferred();
  ArrayPrototypePush(s.writeRequests, promise);
  controllerWrite(controller, chunk, chunkSize);
  return promise.promise;
}

// ---- hooks for ReadableStream.pipeTo ----

setWritableHooks({ isWritableStream });
setPipeHooks({
  getWriter: (dest) => new WritableStreamDefaultWriter(dest),
  releaseWriter: (writer) => writerRelease(writer),
  state: (dest) => dest[kState].state,
  storedError: (dest) => dest[kState].storedError,
  closeQueuedOrInFlight,
  abort: (dest, reason) => writableStreamAbort(dest, reason),
  writerReady: (writer) => writer[kState].ready.promise,
  writerClosed: (writer) => writer[kState].closed.promise,
  write: (writer, chunk) => writerWrite(writer, chunk),
  closeWithErrorPropagation: (writer) => {
    const stream = writer[kState].stream;
    const state = stream[kState].state;
    if (closeQueuedOrInFlight(stream) || state === 'closed') return PromiseResolve(undefined);
    if (state === 'errored') return PromiseReject(stream[kState].storedError);
    return writableStreamClose(stream);
  },
});
