// lib/stream.js: the `stream` builtin. What require('stream') returns is the legacy Stream
// constructor carrying the classes and helpers as properties, as in Node.

import {
  ArrayBufferIsView,
  ObjectDefineProperty,
  ReflectApply,
  SymbolFor,
} from '../js/00_primordials.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import {
  asChunk,
  destroyer,
  getDefaultHighWaterMark,
  isBytes,
  isDestroyed,
  isDisturbed,
  isErrored,
  isReadable,
  isWritable,
  setDefaultHighWaterMark,
} from './internal__stream_core.js';
import { Duplex, PassThrough, Transform } from './internal__stream_duplex.js';
import { Readable, Stream } from './internal__stream_readable.js';
import { Writable } from './internal__stream_writable.js';

// finished, pipeline, compose, addAbortSignal and stream.promises load their files on first use
// (require('stream') itself stays small).
function eosModule() {
  return loadLazyBuiltin('internal/stream_eos');
}

function pipelineModule() {
  return loadLazyBuiltin('internal/stream_pipeline');
}

function eos(...args) {
  return ReflectApply(eosModule().eos, undefined, args);
}
ObjectDefineProperty(eos, 'name', { __proto__: null, value: 'eos' });

function pipeline(...streams) {
  return ReflectApply(pipelineModule().pipeline, undefined, streams);
}

function compose(...streams) {
  return ReflectApply(pipelineModule().compose, undefined, streams);
}

function addAbortSignal(signal, stream) {
  return eosModule().addAbortSignal(signal, stream);
}

function duplexPair(options) {
  const side0 = new Duplex({ ...options, objectMode: options?.objectMode });
  const side1 = new Duplex({ ...options, objectMode: options?.objectMode });
  const wire = (from, to) => {
    from._write = (chunk, encoding, cb) => {
      if (to.push(chunk)) cb();
      else to._pendingWrite = cb;
    };
    from._final = (cb) => {
      to.push(null);
      cb();
    };
    to._read = () => {
      const cb = to._pendingWrite;
      if (cb) {
        to._pendingWrite = null;
        cb();
      }
    };
  };
  wire(side0, side1);
  wire(side1, side0);
  return [side0, side1];
}

function set(name, value) {
  ObjectDefineProperty(Stream, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

ObjectDefineProperty(eos, 'finished', { __proto__: null, value: eos, configurable: true });
ObjectDefineProperty(pipeline, 'pipeline', {
  __proto__: null,
  value: pipeline,
  configurable: true,
});

set('isDestroyed', isDestroyed);
set('isDisturbed', isDisturbed);
set('isErrored', isErrored);
set('isReadable', isReadable);
set('isWritable', isWritable);
set('Readable', Readable);
set('Writable', Writable);
set('Duplex', Duplex);
set('Transform', Transform);
set('PassThrough', PassThrough);
set('duplexPair', duplexPair);
set('pipeline', pipeline);
set('addAbortSignal', addAbortSignal);
set('finished', eos);
set('destroy', destroyer);
set('compose', compose);
set('setDefaultHighWaterMark', setDefaultHighWaterMark);
set('getDefaultHighWaterMark', getDefaultHighWaterMark);
ObjectDefineProperty(Stream, 'promises', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    return loadLazyBuiltin('stream/promises').streamPromises;
  },
});
ObjectDefineProperty(pipeline, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null,
  enumerable: true,
  get() {
    return pipelineModule().pipelinePromise;
  },
});
ObjectDefineProperty(eos, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null,
  enumerable: true,
  get() {
    return eosModule().finished;
  },
});
set('Stream', Stream);
set('_isArrayBufferView', ArrayBufferIsView);
set('_isUint8Array', isBytes);
set('_uint8ArrayToBuffer', asChunk);

// The web-stream adapters load on first use.
function adapters() {
  return loadLazyBuiltin('internal/stream_web_adapters');
}
Readable.fromWeb = function fromWeb(readableStream, options) {
  return adapters().readableFromWeb(readableStream, options);
};
Readable.toWeb = function toWeb(streamReadable, options) {
  return adapters().readableToWeb(streamReadable, options);
};
Writable.fromWeb = function fromWeb(writableStream, options) {
  return adapters().writableFromWeb(writableStream, options);
};
Writable.toWeb = function toWeb(streamWritable) {
  return adapters().writableToWeb(streamWritable);
};
Duplex.fromWeb = function fromWeb(pair, options) {
  return adapters().duplexFromWeb(pair, options);
};
Duplex.toWeb = function toWeb(duplex) {
  return adapters().duplexToWeb(duplex);
};

export const moduleExports = Stream;
