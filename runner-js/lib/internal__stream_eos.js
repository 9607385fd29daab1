// lib/internal__stream_eos.js: stream.finished (Node 20's internal/streams/end-of-stream.js)
// and stream.addAbortSignal.

import { PromiseCtor, PromisePrototypeThen, ReflectApply } from '../js/00_primordials.js';
import { nextTick } from '../js/21_ticks.js';
import {
  AbortError,
  errInvalidArgType,
  errPrematureClose,
  isClosed,
  isNodeStream,
  isReadable,
  isReadableErrored,
  isReadableFinished,
  isReadableNodeStream,
  isReadableStream,
  isRequest,
  isWebStream,
  isWritable,
  isWritableErrored,
  isWritableFinished,
  isWritableNodeStream,
  kEmptyObject,
  kIsClosedPromise,
  once,
  validateAbortSignal,
  validateFunctionArg,
  validateObjectArg,
  willEmitClose,
} from './internal__stream_core.js';

function nop() {}

export function eos(stream, options, callback) {
  if (arguments.length === 2) {
    callback = options;
    options = kEmptyObject;
  } else if (options == null) {
    options = kEmptyObject;
  } else {
    validateObjectArg(options, 'options');
  }
  validateFunctionArg(callback, 'callback');
  validateAbortSignal(options.signal, 'options.signal');
  callback = once(callback);
  if (isReadableStream(stream) || isWebStream(stream)) return eosWeb(stream, options, callback);
  if (!isNodeStream(stream)) {
    throw errInvalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
  }
  const readable = options.readable ?? isReadableNodeStream(stream);
  const writable = options.writable ?? isWritableNodeStream(stream);
  const wState = stream._writableState;
  const rState = stream._readableState;
  const onlegacyfinish = () => {
    if (!stream.writable) onfinish();
  };
  let willClose =
    willEmitClose(stream) &&
    isReadableNodeStream(stream) === readable &&
    isWritableNodeStream(stream) === writable;
  let writableFinished = isWritableFinished(stream, false);
  const onfinish = () => {
    writableFinished = true;
    if (stream.destroyed) willClose = false;
    if (willClose && (!stream.readable || readable)) return;
    if (!readable || readableFinished) ReflectApply(callback, stream, []);
  };
  let readableFinished = isReadableFinished(stream, false);
  const onend = () => {
    readableFinished = true;
    if (stream.destroyed) willClose = false;
    if (willClose && (!stream.writable || writable)) return;
    if (!writable || writableFinished) ReflectApply(callback, stream, []);
  };
  const onerror = (err) => {
    ReflectApply(callback, stream, [err]);
  };
  let closed = isClosed(stream);
  const onclose = () => {
    closed = true;
    const errored = isWritableErrored(stream) || isReadableErrored(stream);
    if (errored && typeof errored !== 'boolean') return ReflectApply(callback, stream, [errored]);
    if (readable && !readableFinished && isReadableNodeStream(stream, true)) {
      if (!isReadableFinished(stream, false)) {
        return ReflectApply(callback, stream, [errPrematureClose()]);
      }
    }
    if (writable && !writableFinished) {
      if (!isWritableFinished(stream, false)) {
        return ReflectApply(callback, stream, [errPrematureClose()]);
      }
    }
    ReflectApply(callback, stream, []);
  };
  const onclosed = () => {
    closed = true;
    const errored = isWritableErrored(stream) || isReadableErrored(stream);
    if (errored && typeof errored !== 'boolean') return ReflectApply(callback, stream, [errored]);
    ReflectApply(callback, stream, []);
  };
  const onrequest = () => {
    stream.req.on('finish', onfinish);
  };
  if (isRequest(stream)) {
    stream.on('complete', onfinish);
    if (!willClose) stream.on('abort', onclose);
    if (stream.req) onrequest();
    else stream.on('request', onrequest);
  } else if (writable && !wState) {
    stream.on('end', onlegacyfinish);
    stream.on('close', onlegacyfinish);
  }
  if (!willClose && typeof stream.aborted === 'boolean') stream.on('aborted', onclose);
  stream.on('end', onend);
  stream.on('finish', onfinish);
  if (options.error !== false) stream.on('error', onerror);
  stream.on('close', onclose);
  if (closed) {
    nextTick(onclose);
  } else if (wState?.errorEmitted || rState?.errorEmitted) {
    if (!willClose) nextTick(onclosed);
  } else if (
    !readable &&
    (!willClose || isReadable(stream)) &&
    (writableFinished || isWritable(stream) === false)
  ) {
    nextTick(onclosed);
  } else if (
    !writable &&
    (!willClose || isWritable(stream)) &&
    (readableFinished || isReadable(stream) === false)
  ) {
    nextTick(onclosed);
  } else if (rState && stream.req && stream.aborted) {
    nextTick(onclosed);
  }
  const cleanup = () => {
    callback = nop;
    stream.removeListener('aborted', onclose);
    stream.removeListener('complete', onfinish);
    stream.removeListener('abort', onclose);
    stream.removeListener('request', onrequest);
    if (stream.req) stream.req.removeListener('finish', onfinish);
    stream.removeListener('end', onlegacyfinish);
    stream.removeListener('close', onlegacyfinish);
    stream.removeListener('finish', onfinish);
    stream.removeListener('end', onend);
    stream.removeListener('error', onerror);
    stream.removeListener('close', onclose);
  };
  if (options.signal && !closed) {
    const abort = () => {
      const endCallback = callback;
      cleanup();
      ReflectApply(endCallback, stream, [
        new AbortError(undefined, { __proto__: null, cause: options.signal.reason }),
      ]);
    };
    if (options.signal.aborted) {
      nextTick(abort);
    } else {
      const originalCallback = callback;
      const listener = () => abort();
      options.signal.addEventListener('abort', listener);
      callback = once((...args) => {
        options.signal.removeEventListener('abort', listener);
        ReflectApply(originalCallback, stream, args);
      });
    }
  }
  return cleanup;
}

function eosWeb(stream, options, callback) {
  let isAborted = false;
  let abort = nop;
  if (options.signal) {
    abort = () => {
      isAborted = true;
      ReflectApply(callback, stream, [
        new AbortError(undefined, { __proto__: null, cause: options.signal.reason }),
      ]);
    };
    if (options.signal.aborted) nextTick(abort);
    else options.signal.addEventListener('abort', abort);
  }
  const resolverFn = (...args) => {
    if (!isAborted) nextTick(() => ReflectApply(callback, stream, args));
  };
  const closed = stream[kIsClosedPromise];
  if (closed && typeof closed.promise?.then === 'function') {
    PromisePrototypeThen(closed.promise, resolverFn, resolverFn);
  }
  return nop;
}

export function finished(stream, opts) {
  let autoCleanup = false;
  if (opts === null) opts = kEmptyObject;
  if (opts?.cleanup) autoCleanup = true;
  return new PromiseCtor((resolve, reject) => {
    const cleanup = eos(stream, opts, (err) => {
      if (autoCleanup) cleanup();
      if (err) reject(err);
      else resolve();
    });
  });
}

export function addAbortSignal(signal, stream) {
  validateAbortSignal(signal, 'signal');
  if (!isNodeStream(stream) && !isWebStream(stream)) {
    throw errInvalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
  }
  return addAbortSignalNoValidate(signal, stream);
}

export function addAbortSignalNoValidate(signal, stream) {
  if (typeof signal !== 'object' || !('aborted' in signal)) return stream;
  const onAbort = () => {
    stream.destroy(new AbortError(undefined, { __proto__: null, cause: signal.reason }));
  };
  if (signal.aborted) {
    onAbort();
  } else {
    signal.addEventListener('abort', onAbort);
    eos(stream, () => signal.removeEventListener('abort', onAbort));
  }
  return stream;
}
