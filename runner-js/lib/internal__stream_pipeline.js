// lib/internal__stream_pipeline.js: stream.pipeline and stream.compose (Node 20's
// internal/streams/pipeline.js and compose.js; pipeline's stages may be web streams as in
// Node 22, compose's may not).

import {
  ArrayIsArray,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeSlice,
  FunctionPrototypeCall,
  ObjectDefineProperty,
  PromiseCtor,
  PromisePrototypeThen,
  SymbolAsyncIterator,
} from '../js/00_primordials.js';
import { nextTick } from '../js/21_ticks.js';
import {
  AbortError,
  aggregateTwoErrors,
  destroyer,
  errInvalidArgType,
  errInvalidArgValue,
  errInvalidReturnValue,
  errMissingArgs,
  errPrematureClose,
  isIterable,
  isNodeStream,
  isReadable,
  isReadableFinished,
  isReadableNodeStream,
  isReadableStream,
  isTransformStream,
  isWebStream,
  isWritable,
  once,
  streamError,
  validateAbortSignal,
  validateFunctionArg,
} from './internal__stream_core.js';
import { Duplex, PassThrough } from './internal__stream_duplex.js';
import { newAbortController } from './internal__stream_duplexify.js';
import { eos } from './internal__stream_eos.js';
import { Readable } from './internal__stream_readable.js';

function pipelineDestroyer(stream, reading, writing) {
  let finished = false;
  stream.on('close', () => {
    finished = true;
  });
  const cleanup = eos(stream, { readable: reading, writable: writing }, (err) => {
    finished = !err;
  });
  return {
    destroy: (err) => {
      if (finished) return;
      finished = true;
      destroyer(stream, err || errStreamDestroyed('pipe'));
    },
    cleanup,
  };
}

function errStreamDestroyed(method) {
  return streamError('ERR_STREAM_DESTROYED', `Cannot call ${method} after a stream was destroyed`);
}

function popCallback(streams) {
  validateFunctionArg(streams[streams.length - 1], 'streams[stream.length - 1]');
  return ArrayPrototypePop(streams);
}

function makeAsyncIterable(val) {
  if (isIterable(val)) return val;
  if (isReadableNodeStream(val)) return fromReadable(val);
  throw errInvalidArgType('val', ['Readable', 'Iterable', 'AsyncIterable'], val);
}

async function* fromReadable(val) {
  yield* FunctionPrototypeCall(Readable.prototype[SymbolAsyncIterator], val);
}

async function pumpToNode(iterable, writable, finish, { end }) {
  let error;
  let onresolve = null;
  const resume = (err) => {
    if (err) error = err;
    if (onresolve) {
      const callback = onresolve;
      onresolve = null;
      callback();
    }
  };
  const wait = () =>
    new PromiseCtor((resolve, reject) => {
      if (error) {
        reject(error);
      } else {
        onresolve = () => {
          if (error) reject(error);
          else resolve();
        };
      }
    });
  writable.on('drain', resume);
  const cleanup = eos(writable, { readable: false }, resume);
  try {
    if (writable.writableNeedDrain) await wait();
    for await (const chunk of iterable) {
      if (!writable.write(chunk)) await wait();
    }
    if (end) {
      writable.end();
      await wait();
    }
    finish();
  } catch (err) {
    finish(error !== err ? aggregateTwoErrors(error, err) : err);
  } finally {
    cleanup();
    writable.off('drain', resume);
  }
}

// What a web stream stage reads: the previous stage as an async iterable.
function webSource(ret) {
  if (isReadableNodeStream(ret)) return makeAsyncIterable(ret);
  if (isTransformStream(ret)) return ret.readable;
  if (isReadableStream(ret) || isIterable(ret)) return ret;
  throw errInvalidArgType(
    'val',
    ['Readable', 'Iterable', 'AsyncIterable', 'ReadableStream', 'TransformStream'],
    ret,
  );
}

// Writes `iterable` into a WritableStream (or a TransformStream's writable side), waiting for
// the writer's backpressure before each chunk, closing it at the end when `end`; an error aborts
// the writer.
async function pumpToWeb(iterable, destination, finish, { end }) {
  const writer = (destination.writable ?? destination).getWriter();
  try {
    for await (const chunk of iterable) {
      await writer.ready;
      // A failed write errors the stream, which the next `ready` reports.
      PromisePrototypeThen(writer.write(chunk), undefined, () => {});
    }
    await writer.ready;
    if (end) await writer.close();
    finish();
  } catch (err) {
    try {
      await writer.abort(err);
    } catch {
      // The stream had already errored: `err` says why.
    }
    finish(err);
  }
}

export function pipeline(...streams) {
  return pipelineImpl(streams, once(popCallback(streams)));
}

export function pipelineImpl(streams, callback, opts) {
  if (streams.length === 1 && ArrayIsArray(streams[0])) streams = streams[0];
  if (streams.length < 2) throw errMissingArgs('streams');
  const ac = newAbortController();
  const signal = ac.signal;
  const outerSignal = opts?.signal;
  const lastStreamCleanup = [];
  validateAbortSignal(outerSignal, 'options.signal');
  function abort() {
    finishImpl(new AbortError());
  }
  let disposeAbort;
  if (outerSignal) {
    if (outerSignal.aborted) {
      nextTick(abort);
    } else {
      outerSignal.addEventListener('abort', abort);
      disposeAbort = () => outerSignal.removeEventListener('abort', abort);
    }
  }
  let error;
  let value;
  const destroys = [];
  let finishCount = 0;
  function finish(err) {
    finishImpl(err, --finishCount === 0);
  }
  function finishImpl(err, final) {
    if (err && (!error || error.code === 'ERR_STREAM_PREMATURE_CLOSE')) error = err;
    if (!error && !final) return;
    while (destroys.length) ArrayPrototypeShift(destroys)(error);
    if (disposeAbort) disposeAbort();
    ac.abort();
    if (final) {
      if (!error) for (let i = 0; i < lastStreamCleanup.length; i++) lastStreamCleanup[i]();
      nextTick(callback, error, value);
    }
  }
  let ret;
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i];
    const reading = i < streams.length - 1;
    const writing = i > 0;
    const end = reading || opts?.end !== false;
    const isLastStream = i === streams.length - 1;
    if (isNodeStream(stream)) {
      if (end) {
        const { destroy, cleanup } = pipelineDestroyer(stream, reading, writing);
        ArrayPrototypePush(destroys, destroy);
        if (isReadable(stream) && isLastStream) ArrayPrototypePush(lastStreamCleanup, cleanup);
      }
      function onError(err) {
        if (err && err.name !== 'AbortError' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
          finish(err);
        }
      }
      stream.on('error', onError);
      if (isReadable(stream) && isLastStream) {
        ArrayPrototypePush(lastStreamCleanup, () => {
          stream.removeListener('error', onError);
        });
      }
    }
    if (i === 0) {
      if (typeof stream === 'function') {
        ret = stream({ signal });
        if (!isIterable(ret))
          throw errInvalidReturnValue('Iterable, AsyncIterable or Stream', 'source', ret);
      } else if (isIterable(stream) || isReadableNodeStream(stream) || isTransformStream(stream)) {
        ret = stream;
      } else {
        ret = Duplex.from(stream);
      }
    } else if (typeof stream === 'function') {
      if (isTransformStream(ret)) ret = makeAsyncIterable(ret?.readable);
      else ret = makeAsyncIterable(ret);
      ret = stream(ret, { signal });
      if (reading) {
        if (!isIterable(ret, true)) {
          throw errInvalidReturnValue('AsyncIterable', `transform[${i - 1}]`, ret);
        }
      } else {
        const pt = new PassThrough({ objectMode: true });
        const then = ret?.then;
        if (typeof then === 'function') {
          finishCount++;
          FunctionPrototypeCall(
            then,
            ret,
            (val) => {
              value = val;
              if (val != null) pt.write(val);
              if (end) pt.end();
              nextTick(finish);
            },
            (err) => {
              pt.destroy(err);
              nextTick(finish, err);
            },
          );
        } else if (isIterable(ret, true)) {
          finishCount++;
          pumpToNode(ret, pt, finish, { end });
        } else {
          throw errInvalidReturnValue('AsyncIterable or Promise', 'destination', ret);
        }
        ret = pt;
        const { destroy, cleanup } = pipelineDestroyer(ret, false, true);
        ArrayPrototypePush(destroys, destroy);
        if (isLastStream) ArrayPrototypePush(lastStreamCleanup, cleanup);
      }
    } else if (isNodeStream(stream)) {
      if (isReadableNodeStream(ret)) {
        finishCount += 2;
        const cleanup = pipe(ret, stream, finish, { end });
        if (isReadable(stream) && isLastStream) ArrayPrototypePush(lastStreamCleanup, cleanup);
      } else if (isTransformStream(ret) || isReadableStream(ret)) {
        finishCount++;
        pumpToNode(ret.readable ?? ret, stream, finish, { end });
      } else if (isIterable(ret)) {
        finishCount++;
        pumpToNode(ret, stream, finish, { end });
      } else {
        throw errInvalidArgType(
          'val',
          ['Readable', 'Iterable', 'AsyncIterable', 'ReadableStream', 'TransformStream'],
          ret,
        );
      }
      ret = stream;
    } else if (isWebStream(stream)) {
      finishCount++;
      pumpToWeb(webSource(ret), stream, finish, { end });
      ret = stream;
    } else {
      ret = Duplex.from(stream);
    }
  }
  if (signal?.aborted || outerSignal?.aborted) nextTick(abort);
  return ret;
}

function pipe(src, dst, finish, { end }) {
  let ended = false;
  dst.on('close', () => {
    if (!ended) finish(errPrematureClose());
  });
  src.pipe(dst, { end: false });
  if (end) {
    function endFn() {
      ended = true;
      dst.end();
    }
    if (isReadableFinished(src)) nextTick(endFn);
    else src.once('end', endFn);
    eos(dst, { readable: false, writable: true }, finish);
  } else {
    finish();
  }
  eos(src, { readable: true, writable: false }, (err) => {
    const rState = src._readableState;
    if (
      err &&
      err.code === 'ERR_STREAM_PREMATURE_CLOSE' &&
      rState?.ended &&
      !rState.errored &&
      !rState.errorEmitted
    ) {
      src.once('end', finish).once('error', finish);
    } else {
      finish(err);
    }
  });
  return eos(dst, { readable: true, writable: false }, finish);
}

// ---- compose ----

export function compose(...streams) {
  if (streams.length === 0) throw errMissingArgs('streams');
  if (streams.length === 1) return Duplex.from(streams[0]);
  const orgStreams = ArrayPrototypeSlice(streams);
  if (typeof streams[0] === 'function') streams[0] = Duplex.from(streams[0]);
  if (typeof streams[streams.length - 1] === 'function') {
    const idx = streams.length - 1;
    streams[idx] = Duplex.from(streams[idx]);
  }
  for (let n = 0; n < streams.length; ++n) {
    if (!isNodeStream(streams[n]) && !isWebStream(streams[n])) continue;
    if (n < streams.length - 1 && !isReadable(streams[n])) {
      throw errInvalidArgValue(`streams[${n}]`, orgStreams[n], 'must be readable');
    }
    if (n > 0 && !isWritable(streams[n])) {
      throw errInvalidArgValue(`streams[${n}]`, orgStreams[n], 'must be writable');
    }
  }
  let ondrain;
  let onfinish;
  let onreadable;
  let onclose;
  let d;
  function onfinished(err) {
    const cb = onclose;
    onclose = null;
    if (cb) cb(err);
    else if (err) d.destroy(err);
    else if (!readable && !writable) d.destroy();
  }
  const head = streams[0];
  const tail = pipeline(streams, onfinished);
  const writable = !!isWritable(head);
  const readable = !!isReadable(tail);
  d = new Duplex({
    writableObjectMode: !!head?.writableObjectMode,
    readableObjectMode: !!tail?.readableObjectMode,
    writable,
    readable,
  });
  if (writable) {
    d._write = function (chunk, encoding, callback) {
      if (head.write(chunk, encoding)) callback();
      else ondrain = callback;
    };
    d._final = function (callback) {
      head.end();
      onfinish = callback;
    };
    head.on('drain', () => {
      if (ondrain) {
        const cb = ondrain;
        ondrain = null;
        cb();
      }
    });
    tail.on('finish', () => {
      if (onfinish) {
        const cb = onfinish;
        onfinish = null;
        cb();
      }
    });
  }
  if (readable) {
    tail.on('readable', () => {
      if (onreadable) {
        const cb = onreadable;
        onreadable = null;
        cb();
      }
    });
    tail.on('end', () => {
      d.push(null);
    });
    d._read = function () {
      while (true) {
        const buf = tail.read();
        if (buf === null) {
          onreadable = d._read;
          return;
        }
        if (!d.push(buf)) return;
      }
    };
  }
  d._destroy = function (err, callback) {
    if (!err && onclose !== null) err = new AbortError();
    onreadable = null;
    ondrain = null;
    onfinish = null;
    if (onclose === null) {
      callback(err);
    } else {
      onclose = callback;
      destroyer(tail, err);
    }
  };
  return d;
}

export function pipelinePromise(...streams) {
  return new PromiseCtor((resolve, reject) => {
    let signal;
    let end;
    const lastArg = streams[streams.length - 1];
    if (
      lastArg &&
      typeof lastArg === 'object' &&
      !isNodeStream(lastArg) &&
      !isIterable(lastArg) &&
      !isWebStream(lastArg)
    ) {
      const options = ArrayPrototypePop(streams);
      signal = options.signal;
      end = options.end;
    }
    pipelineImpl(
      streams,
      (err, value) => {
        if (err) reject(err);
        else resolve(value);
      },
      { signal, end },
    );
  });
}
// stream/promises' pipeline is named `pipeline`, as Node's.
ObjectDefineProperty(pipelinePromise, 'name', { __proto__: null, value: 'pipeline' });
