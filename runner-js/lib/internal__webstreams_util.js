// lib/internal__webstreams_util.js: what the WHATWG stream parts share (the readable, writable
// and transform streams): the state key, promise helpers, the queue-with-sizes operations, and
// reading a strategy and an underlying object's methods.

import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  NumberIsNaN,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  RangeErrorCtor,
  ReflectApply,
  SymbolCtor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';

export const kState = SymbolCtor('kState');

export function noop() {}

export function handled(promise) {
  PromisePrototypeThen(promise, undefined, noop);
  return promise;
}

/** A promise with its resolve/reject and whether either was called (`settled`). */
export function deferred() {
  const d = { promise: undefined, resolve: undefined, reject: undefined, settled: false };
  d.promise = new PromiseCtor((res, rej) => {
    d.resolve = (value) => {
      d.settled = true;
      res(value);
    };
    d.reject = (error) => {
      d.settled = true;
      rej(error);
    };
  });
  return d;
}

export function then(promise, onFulfilled, onRejected) {
  return PromisePrototypeThen(promise, onFulfilled, onRejected);
}

export function invalidState(message) {
  return makeNodeError(TypeErrorCtor, 'ERR_INVALID_STATE', `Invalid state: ${message}`);
}

export function invalidThis(name) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_THIS',
    `Value of "this" must be of type ${name}`,
  );
}

/** Calls `method` of `object` (an underlying source/sink/transformer) as a promise. */
export function promiseCall(method, object, ...args) {
  if (method === undefined) return PromiseResolve(undefined);
  try {
    // Not a spread call: that would go through the guest's Array.prototype[Symbol.iterator].
    return PromiseResolve(ReflectApply(method, object, args));
  } catch (err) {
    return PromiseReject(err);
  }
}

export function getMethod(object, name) {
  if (object === undefined || object === null) return undefined;
  const method = object[name];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== 'function') throw makeInvalidArgType(name, 'function', method);
  return method;
}

export function extractHighWaterMark(strategy, defaultHWM) {
  const hwm = strategy?.highWaterMark;
  if (hwm === undefined) return defaultHWM;
  const n = +hwm;
  if (NumberIsNaN(n) || n < 0) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The property 'strategy.highWaterMark' is invalid. Received ${hwm}`,
    );
  }
  return n;
}

export function extractSizeAlgorithm(strategy) {
  const size = strategy?.size;
  if (size === undefined) return () => 1;
  if (typeof size !== 'function') throw makeInvalidArgType('strategy.size', 'function', size);
  return (chunk) => size(chunk);
}

// A queue with sizes (the spec's "queue-with-sizes").
export function enqueueValueWithSize(container, value, size) {
  size = +size;
  if (NumberIsNaN(size) || size < 0 || size === Infinity) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'size' is invalid. Received ${size}`,
    );
  }
  ArrayPrototypePush(container.queue, { value, size });
  container.queueTotalSize += size;
}

export function dequeueValue(container) {
  const pair = ArrayPrototypeShift(container.queue);
  container.queueTotalSize -= pair.size;
  if (container.queueTotalSize < 0) container.queueTotalSize = 0;
  return pair.value;
}

export function resetQueue(container) {
  container.queue = [];
  container.queueTotalSize = 0;
}
