// lib/internal__stream_duplex.js: stream.Duplex, Transform and PassThrough (Node 20's
// duplex.js, transform.js, passthrough.js) and Duplex.from (a subset of duplexify.js).

import {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  FunctionPrototypeCall,
  ObjectDefineProperties,
  ObjectGetOwnPropertyDescriptor,
  ObjectKeys,
  ObjectSetPrototypeOf,
  PromiseCtor,
  SymbolCtor,
} from '../js/00_primordials.js';
import { nextTick } from '../js/21_ticks.js';
import {
  AbortError,
  destroyer,
  errInvalidArgType,
  errInvalidReturnValue,
  errNotImplemented,
  getHighWaterMark,
  isDuplexNodeStream,
  isIterable,
  isReadable,
  isReadableNodeStream,
  isWritable,
  isWritableNodeStream,
} from './internal__stream_core.js';
import { addAbortSignalNoValidate, eos } from './internal__stream_eos.js';
import { Readable, readableFrom, setDuplex } from './internal__stream_readable.js';
import { setWritableDuplex, Writable } from './internal__stream_writable.js';

export function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  FunctionPrototypeCall(Readable, this, options);
  FunctionPrototypeCall(Writable, this, options);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      this._readableState.readable = false;
      this._readableState.ended = true;
      this._readableState.endEmitted = true;
    }
    if (options.writable === false) {
      this._writableState.writable = false;
      this._writableState.ending = true;
      this._writableState.ended = true;
      this._writableState.finished = true;
    }
    if (options.signal) addAbortSignalNoValidate(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }
}
ObjectSetPrototypeOf(Duplex.prototype, Readable.prototype);
ObjectSetPrototypeOf(Duplex, Readable);
setDuplex(Duplex);
setWritableDuplex(Duplex);

{
  const keys = ObjectKeys(Writable.prototype);
  for (let i = 0; i < keys.length; i++) {
    const method = keys[i];
    if (!Duplex.prototype[method]) Duplex.prototype[method] = Writable.prototype[method];
  }
}

function writableDescriptor(name) {
  return { __proto__: null, ...ObjectGetOwnPropertyDescriptor(Writable.prototype, name) };
}

ObjectDefineProperties(Duplex.prototype, {
  writable: writableDescriptor('writable'),
  writableHighWaterMark: writableDescriptor('writableHighWaterMark'),
  writableObjectMode: writableDescriptor('writableObjectMode'),
  writableBuffer: writableDescriptor('writableBuffer'),
  writableLength: writableDescriptor('writableLength'),
  writableFinished: writableDescriptor('writableFinished'),
  writableCorked: writableDescriptor('writableCorked'),
  writableEnded: writableDescriptor('writableEnded'),
  writableNeedDrain: writableDescriptor('writableNeedDrain'),
  destroyed: {
    __proto__: null,
    get() {
      if (this._readableState === undefined || this._writableState === undefined) return false;
      return this._readableState.destroyed && this._writableState.destroyed;
    },
    set(value) {
      if (this._readableState && this._writableState) {
        this._readableState.destroyed = value;
        this._writableState.destroyed = value;
      }
    },
  },
});

// ---- Transform ----

const kCallback = SymbolCtor('kCallback');

export function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  const readableHighWaterMark = options
    ? getHighWaterMark(this, options, 'readableHighWaterMark', true)
    : null;
  if (readableHighWaterMark === 0) {
    options = {
      ...options,
      highWaterMark: null,
      readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark || 0,
    };
  }
  FunctionPrototypeCall(Duplex, this, options);
  this._readableState.sync = false;
  this[kCallback] = null;
  if (options) {
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }
  this.on('prefinish', transformPrefinish);
}
ObjectSetPrototypeOf(Transform.prototype, Duplex.prototype);
ObjectSetPrototypeOf(Transform, Duplex);

function transformFinal(cb) {
  if (typeof this._flush === 'function' && !this.destroyed) {
    this._flush((er, data) => {
      if (er) {
        if (cb) cb(er);
        else this.destroy(er);
        return;
      }
      if (data != null) this.push(data);
      this.push(null);
      if (cb) cb();
    });
  } else {
    this.push(null);
    if (cb) cb();
  }
}

function transformPrefinish() {
  if (this._final !== transformFinal) FunctionPrototypeCall(transformFinal, this);
}

Transform.prototype._final = transformFinal;

Transform.prototype._transform = function (chunk, encoding, callback) {
  throw errNotImplemented('_transform()');
};

Transform.prototype._write = function (chunk, encoding, callback) {
  const rState = this._readableState;
  const wState = this._writableState;
  const length = rState.length;
  this._transform(chunk, encoding, (err, val) => {
    if (err) {
      callback(err);
      return;
    }
    if (val != null) this.push(val);
    if (wState.ended || length === rState.length || rState.length < rState.highWaterMark) {
      callback();
    } else {
      this[kCallback] = callback;
    }
  });
};

Transform.prototype._read = function () {
  if (this[kCallback]) {
    const callback = this[kCallback];
    this[kCallback] = null;
    callback();
  }
};

export function PassThrough(options) {
  if (!(this instanceof PassThrough)) return new PassThrough(options);
  FunctionPrototypeCall(Transform, this, options);
}
ObjectSetPrototypeOf(PassThrough.prototype, Transform.prototype);
ObjectSetPrototypeOf(PassThrough, Transform);

PassThrough.prototype._transform = function (chunk, encoding, cb) {
  cb(null, chunk);
};

// ---- Duplex.from (duplexify) ----

export function duplexify(body, name) {
  if (isDuplexNodeStream(body)) return body;
  if (isReadableNodeStream(body)) return fromPair({ readable: body });
  if (isWritableNodeStream(body)) return fromPair({ writable: body });
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
  if (typeof body === 'object' && body !== null) {
    if (isReadableNodeStream(body.readable) || isWritableNodeStream(body.writable)) {
      return fromPair({
        readable: isReadableNodeStream(body.readable) ? body.readable : undefined,
        writable: isWritableNodeStream(body.writable) ? body.writable : undefined,
      });
    }
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
  const AC = globalThis.AbortController;
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

Duplex.from = function (body) {
  return duplexify(body, 'body');
};
