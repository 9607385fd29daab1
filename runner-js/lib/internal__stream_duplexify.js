// lib/internal__stream_duplexify.js: Duplex.from (Node 20's internal/streams/duplexify.js, the
// common cases, web streams and Blobs among them), loaded on its first use; also the
// AbortController pipeline uses.

import {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  FunctionPrototypeCall,
  globalObject,
  PromiseCtor,
} from '../js/00_primordials.js';
import { nextTick } from '../js/21_ticks.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import {
  AbortError,
  destroyer,
  errInvalidArgType,
  errInvalidReturnValue,
  isDuplexNodeStream,
  isIterable,
  isReadable,
  isReadableNodeStream,
  isReadableStream,
  isWritable,
  isWritableNodeStream,
  isWritableStream,
} from './internal__stream_core.js';
import { Duplex } from './internal__stream_duplex.js';
import { eos } from './internal__stream_eos.js';
import { Readable, readableFrom } from './internal__stream_readable.js';

export function duplexify(body, name) {
  if (isDuplexNodeStream(body)) return body;
  if (isReadableNodeStream(body)) return fromPair({ readable: body });
  if (isWritableNodeStream(body)) return fromPair({ writable: body });
  if (isReadableStream(body)) return fromPair({ readable: webAdapters().readableFromWeb(body) });
  if (isWritableStream(body)) return fromPair({ writable: webAdapters().writableFromWeb(body) });
  if (typeof body === 'function') {
    const { value, write, final, destroy } = fromAsyncGen(body);
    if (isIterable(value)) {
      return fromParts(
        readableFrom(value, { objectMode: true, highWaterMark: 1 }),
        write,
        final,
        destroy,
      );
    }
    if (typeof value?.then === 'function') {
      let d;
      const promise = value.then(
        (val) => {
          if (val != null) throw errInvalidReturnValue('nully', 'body', val);
        },
        (err) => {
          destroyer(d, err);
        },
      );
      d = new Duplex({
        objectMode: true,
        readable: false,
        write,
        final(cb) {
          final(async () => {
            try {
              await promise;
              nextTick(cb, null);
            } catch (err) {
              nextTick(cb, err);
            }
          });
        },
        destroy,
      });
      return d;
    }
    throw errInvalidReturnValue('Iterable, AsyncIterable or AsyncFunction', name, value);
  }
  if (isIterable(body)) return readableFrom(body, { objectMode: true, writable: false });
  if (typeof body?.then === 'function') {
    let d;
    body.then(
      (val) => {
        if (val != null) d.push(val);
        d.push(null);
      },
      (err) => {
        destroyer(d, err);
      },
    );
    d = new Duplex({ objectMode: true, writable: false, read() {} });
    return d;
  }
  if (typeof body?.readable === 'object' || typeof body?.writable === 'object') {
    // Each side a Node stream, or anything else Duplex.from takes (a web stream).
    const { readable, writable } = body;
    return fromPair({
      readable: readable && !isReadableNodeStream(readable) ? duplexify(readable) : readable,
      writable: writable && !isWritableNodeStream(writable) ? duplexify(writable) : writable,
    });
  }
  if (typeof body === 'object' && body !== null && loadLazyBuiltin('internal/blob').isBlob(body)) {
    return duplexify(body.arrayBuffer(), name);
  }
  throw errInvalidArgType(
    name,
    [
      'Blob',
      'ReadableStream',
      'WritableStream',
      'Stream',
      'Iterable',
      'AsyncIterable',
      'Function',
      '{ readable, writable } pair',
      'Promise',
    ],
    body,
  );
}

function fromParts(readable, write, final, destroy) {
  const d = fromPair({ readable });
  d._write = write;
  d._final = final;
  d._writableState.writable = true;
  d._writableState.ending = false;
  d._writableState.ended = false;
  d._writableState.finished = false;
  const ownDestroy = d._destroy;
  d._destroy = function (err, cb) {
    destroy(err, () => FunctionPrototypeCall(ownDestroy, d, err, cb));
  };
  return d;
}

function fromAsyncGen(fn) {
  let { promise, resolve } = withResolvers();
  const ac = newAbortController();
  const signal = ac.signal;
  const value = fn(
    (async function* () {
      while (true) {
        const _promise = promise;
        promise = null;
        const { chunk, done, cb } = await _promise;
        nextTick(cb);
        if (done) return;
        if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
        ({ promise, resolve } = withResolvers());
        yield chunk;
      }
    })(),
    { signal },
  );
  return {
    value,
    write(chunk, encoding, cb) {
      const _resolve = resolve;
      resolve = null;
      _resolve({ chunk, done: false, cb });
    },
    final(cb) {
      const _resolve = resolve;
      resolve = null;
      _resolve({ done: true, cb });
    },
    destroy(err, cb) {
      ac.abort();
      cb(err);
    },
  };
}

function withResolvers() {
  let resolve;
  let reject;
  const promise = new PromiseCtor((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An AbortController: the global one when present, else a minimal internal one. */
export function newAbortController() {
  const AC = globalObject.AbortController;
  if (typeof AC === 'function') return new AC();
  const listeners = [];
  const signal = {
    aborted: false,
    reason: undefined,
    addEventListener(type, fn) {
      if (type === 'abort') ArrayPrototypePush(listeners, fn);
    },
    removeEventListener(type, fn) {
      const i = ArrayPrototypeIndexOf(listeners, fn);
      if (i !== -1) ArrayPrototypeSplice(listeners, i, 1);
    },
    throwIfAborted() {
      if (this.aborted) throw this.reason;
    },
  };
  return {
    signal,
    abort(reason = new AbortError('This operation was aborted')) {
      if (signal.aborted) return;
      signal.aborted = true;
      signal.reason = reason;
      const copy = ArrayPrototypeSlice(listeners);
      for (let i = 0; i < copy.length; i++)
        FunctionPrototypeCall(copy[i], signal, { type: 'abort', target: signal });
    },
  };
}

// Readable.fromWeb and Writable.fromWeb, loaded with the first web stream seen here.
function webAdapters() {
  return loadLazyBuiltin('internal/stream_web_adapters');
}

function fromPair(pair) {
  const r =
    pair.readable && typeof pair.readable.read !== 'function'
      ? Readable.wrap(pair.readable)
      : pair.readable;
  const w = pair.writable;
  let readable = !!isReadable(r);
  let writable = !!isWritable(w);
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
  }
  d = new Duplex({
    readableObjectMode: !!r?.readableObjectMode,
    writableObjectMode: !!w?.writableObjectMode,
    readable,
    writable,
  });
  if (writable) {
    eos(w, (err) => {
      writable = false;
      if (err) destroyer(r, err);
      onfinished(err);
    });
    d._write = function (chunk, encoding, callback) {
      if (w.write(chunk, encoding)) callback();
      else ondrain = callback;
    };
    d._final = function (callback) {
      w.end();
      onfinish = callback;
    };
    w.on('drain', () => {
      if (ondrain) {
        const cb = ondrain;
        ondrain = null;
        cb();
      }
    });
    w.on('finish', () => {
      if (onfinish) {
        const cb = onfinish;
        onfinish = null;
        cb();
      }
    });
  }
  if (readable) {
    eos(r, (err) => {
      readable = false;
      if (err) destroyer(r, err);
      onfinished(err);
    });
    r.on('readable', () => {
      if (onreadable) {
        const cb = onreadable;
        onreadable = null;
        cb();
      }
    });
    r.on('end', () => {
      d.push(null);
    });
    d._read = function () {
      while (true) {
        const buf = r.read();
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
      destroyer(w, err);
      destroyer(r, err);
    }
  };
  return d;
}
