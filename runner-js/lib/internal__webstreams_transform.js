// lib/internal__webstreams_transform.js: WHATWG TransformStream and its default controller (the
// Streams Standard's transform stream algorithms) over internal__webstreams_writable.js's
// WritableStream and internal__webstreams_readable.js's ReadableStream.

import {
  FunctionPrototypeCall,
  PromiseReject,
  PromiseResolve,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { markTransferable } from './internal__cloneable.js';
import { defineInspect, defineToStringTag } from './internal__webstreams_inspect.js';
import {
  controllerCanCloseOrEnqueue,
  controllerClose,
  controllerEnqueue,
  controllerError,
  controllerGetDesiredSize,
  controllerHasBackpressure,
  createReadableStream,
} from './internal__webstreams_readable.js';
import {
  deferred,
  extractHighWaterMark,
  extractSizeAlgorithm,
  getMethod,
  invalidState,
  invalidThis,
  kState,
  promiseCall,
  then,
} from './internal__webstreams_util.js';
import {
  createWritableStream,
  illegal,
  kConstruct,
  writableControllerError,
} from './internal__webstreams_writable.js';

export class TransformStream {
  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    const t = transformer ?? {};
    if (t.readableType !== undefined) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'transformer.readableType' is invalid. Received ${t.readableType}`,
      );
    }
    if (t.writableType !== undefined) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'transformer.writableType' is invalid. Received ${t.writableType}`,
      );
    }
    const readableHWM = extractHighWaterMark(readableStrategy, 0);
    const readableSize = extractSizeAlgorithm(readableStrategy);
    const writableHWM = extractHighWaterMark(writableStrategy, 1);
    const writableSize = extractSizeAlgorithm(writableStrategy);
    const startPromise = deferred();
    initializeTransform(
      this,
      startPromise.promise,
      writableHWM,
      writableSize,
      readableHWM,
      readableSize,
    );
    const transform = getMethod(t, 'transform');
    const flush = getMethod(t, 'flush');
    const cancel = getMethod(t, 'cancel');
    const controller = new TransformStreamDefaultController(kConstruct);
    setupTransformController(
      this,
      controller,
      transform === undefined
        ? (chunk) => {
            try {
              transformEnqueue(controller, chunk);
              return PromiseResolve(undefined);
            } catch (err) {
              return PromiseReject(err);
            }
          }
        : (chunk) => promiseCall(transform, t, chunk, controller),
      (c) => promiseCall(flush, t, c),
      (reason) => promiseCall(cancel, t, reason),
    );
    const start = getMethod(t, 'start');
    if (start === undefined) startPromise.resolve(undefined);
    else startPromise.resolve(FunctionPrototypeCall(start, t, controller));
  }

  get readable() {
    checkTransform(this);
    return this[kState].readable;
  }

  get writable() {
    checkTransform(this);
    return this[kState].writable;
  }
}
defineToStringTag(TransformStream, 'TransformStream');
defineInspect(TransformStream, 'TransformStream', (s) => ({
  readable: s.readable,
  writable: s.writable,
  backpressure: s[kState].backpressure,
}));

/** Whether `value` is a TransformStream (of this runtime). */
export function isTransformStream(value) {
  return value !== null && typeof value === 'object' && value[kState]?.isTransform === true;
}

function checkTransform(value) {
  if (!isTransformStream(value)) {
    throw invalidThis('TransformStream');
  }
}

export class TransformStreamDefaultController {
  constructor(key) {
    if (key !== kConstruct) throw illegal();
  }

  get desiredSize() {
    const readable = this[kState].stream[kState].readable;
    return controllerGetDesiredSize(readable[kState].controller);
  }

  enqueue(chunk = undefined) {
    transformEnqueue(this, chunk);
  }

  error(reason = undefined) {
    transformError(this[kState].stream, reason);
  }

  terminate() {
    const stream = this[kState].stream;
    const readableController = stream[kState].readable[kState].controller;
    controllerClose(readableController);
    transformErrorWritableAndUnblockWrite(stream, new TypeErrorCtor('TransformStream terminated'));
  }
}
defineToStringTag(TransformStreamDefaultController, 'TransformStreamDefaultController');

function initializeTransform(
  stream,
  startPromise,
  writableHWM,
  writableSize,
  readableHWM,
  readableSize,
) {
  markTransferable(stream);
  const s = {
    isTransform: true,
    backpressure: undefined,
    backpressureChange: undefined,
    controller: undefined,
  };
  stream[kState] = s;
  s.writable = createWritableStream(
    () => startPromise,
    (chunk) => transformSinkWrite(stream, chunk),
    () => transformSinkClose(stream),
    (reason) => transformSinkAbort(stream, reason),
    writableHWM,
    writableSize,
  );
  s.readable = createReadableStream(
    () => startPromise,
    () => transformSourcePull(stream),
    (reason) => transformSourceCancel(stream, reason),
    readableHWM,
    readableSize,
  );
  s.backpressure = undefined;
  setBackpressure(stream, true);
}

function setupTransformController(stream, controller, transform, flush, cancel) {
  controller[kState] = {
    stream,
    transformAlgorithm: transform,
    flushAlgorithm: flush,
    cancelAlgorithm: cancel,
    finishPromise: undefined,
  };
  stream[kState].controller = controller;
}

function setBackpressure(stream, backpressure) {
  const s = stream[kState];
  if (s.backpressureChange !== undefined) s.backpressureChange.resolve(undefined);
  s.backpressureChange = deferred();
  s.backpressure = backpressure;
}

function transformEnqueue(controller, chunk) {
  const stream = controller[kState].stream;
  const readableController = stream[kState].readable[kState].controller;
  if (!controllerCanCloseOrEnqueue(readableController)) {
    throw invalidState('Unable to enqueue');
  }
  try {
    controllerEnqueue(readableController, chunk);
  } catch (err) {
    transformErrorWritableAndUnblockWrite(stream, err);
    throw stream[kState].readable[kState].storedError;
  }
  const backpressure = controllerHasBackpressure(readableController);
  if (backpressure !== stream[kState].backpressure) setBackpressure(stream, true);
}

function transformError(stream, error) {
  controllerError(stream[kState].readable[kState].controller, error);
  transformErrorWritableAndUnblockWrite(stream, error);
}

function transformErrorWritableAndUnblockWrite(stream, error) {
  const c = stream[kState].controller[kState];
  c.transformAlgorithm = undefined;
  c.flushAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
  const writable = stream[kState].writable;
  const wc = writable[kState].controller;
  if (writable[kState].state === 'writable') writableControllerError(wc, error);
  if (stream[kState].backpressure) setBackpressure(stream, false);
}

function transformPerform(controller, chunk) {
  const c = controller[kState];
  return then(c.transformAlgorithm(chunk), undefined, (r) => {
    transformError(c.stream, r);
    throw r;
  });
}

function transformSinkWrite(stream, chunk) {
  const controller = stream[kState].controller;
  if (stream[kState].backpressure) {
    const change = stream[kState].backpressureChange.promise;
    return then(change, () => {
      const writable = stream[kState].writable;
      if (writable[kState].state === 'erroring') throw writable[kState].storedError;
      return transformPerform(controller, chunk);
    });
  }
  return transformPerform(controller, chunk);
}

function transformSinkAbort(stream, reason) {
  const controller = stream[kState].controller;
  const c = controller[kState];
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = stream[kState].readable;
  c.finishPromise = deferred();
  const cancelPromise =
    c.cancelAlgorithm === undefined ? PromiseResolve() : c.cancelAlgorithm(reason);
  c.transformAlgorithm = undefined;
  then(
    cancelPromise,
    () => {
      if (readable[kState].state === 'errored')
        c.finishPromise.reject(readable[kState].storedError);
      else {
        controllerError(readable[kState].controller, reason);
        c.finishPromise.resolve(undefined);
      }
    },
    (r) => {
      controllerError(readable[kState].controller, r);
      c.finishPromise.reject(r);
    },
  );
  return c.finishPromise.promise;
}

function transformSinkClose(stream) {
  const controller = stream[kState].controller;
  const c = controller[kState];
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = stream[kState].readable;
  c.finishPromise = deferred();
  const flushPromise =
    c.flushAlgorithm === undefined ? PromiseResolve() : c.flushAlgorithm(controller);
  c.transformAlgorithm = undefined;
  then(
    flushPromise,
    () => {
      if (readable[kState].state === 'errored')
        c.finishPromise.reject(readable[kState].storedError);
      else {
        controllerClose(readable[kState].controller);
        c.finishPromise.resolve(undefined);
      }
    },
    (r) => {
      controllerError(readable[kState].controller, r);
      c.finishPromise.reject(r);
    },
  );
  return c.finishPromise.promise;
}

function transformSourcePull(stream) {
  setBackpressure(stream, false);
  return stream[kState].backpressureChange.promise;
}

function transformSourceCancel(stream, reason) {
  const controller = stream[kState].controller;
  const c = controller[kState];
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const writable = stream[kState].writable;
  c.finishPromise = deferred();
  const cancelPromise =
    c.cancelAlgorithm === undefined ? PromiseResolve() : c.cancelAlgorithm(reason);
  c.transformAlgorithm = undefined;
  then(
    cancelPromise,
    () => {
      if (writable[kState].state === 'errored')
        c.finishPromise.reject(writable[kState].storedError);
      else {
        if (writable[kState].state === 'writable')
          writableControllerError(writable[kState].controller, reason);
        if (stream[kState].backpressure) setBackpressure(stream, false);
        c.finishPromise.resolve(undefined);
      }
    },
    (r) => {
      if (writable[kState].state === 'writable')
        writableControllerError(writable[kState].controller, r);
      if (stream[kState].backpressure) setBackpressure(stream, false);
      c.finishPromise.reject(r);
    },
  );
  return c.finishPromise.promise;
}
