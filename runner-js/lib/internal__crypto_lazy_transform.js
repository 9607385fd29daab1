// lib/internal__crypto_lazy_transform.js: Node's LazyTransform, the base of Hash, Hmac and the
// ciphers: a Transform whose stream state is made on first stream use (`write`, `pipe`,
// `on('data')`...), so a hash that is only updated and digested never builds one.
//
// Unlike Node's, the stream builtins themselves load on first stream use too (they are lazy
// builtins here, and `require('crypto')` cost ~2 ms more with them). Until they load,
// LazyTransform.prototype inherits from a stand-in: an EventEmitter prototype carrying every
// member of the Transform prototype chain (TRANSFORM_MEMBERS), each of which loads the streams
// and then does what the real member does. Once the streams load, for whatever reason,
// LazyTransform is re-parented onto Transform, as in Node, and the stand-in is out of the chain.
import {
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  ReflectApply,
  ReflectGet,
  SymbolAsyncDispose,
  SymbolAsyncIterator,
  SymbolFor,
} from '../js/00_primordials.js';
import { createEventsModule } from '../js/47_node_events.js';
import { loadLazyBuiltin, whenLazyBuiltinLoaded } from '../js/49_lazy.js';

const STREAMS = 'internal/stream_duplex';

/** Node's LazyTransform: a Transform whose stream state is made on first touch. */
export function LazyTransform(options) {
  this._options = options;
}

// The members of Transform.prototype and the prototypes above it up to EventEmitter's, as
// [name, isAccessor]. A test compares them with the loaded streams'
// (sidecar/tests/node_surface.rs: a hash has every Transform member before stream loads).
const TRANSFORM_MEMBERS = [
  ['_final', false],
  ['_transform', false],
  ['_write', false],
  ['_read', false],
  ['write', false],
  ['cork', false],
  ['uncork', false],
  ['setDefaultEncoding', false],
  ['_writev', true],
  ['end', false],
  ['writable', true],
  ['writableHighWaterMark', true],
  ['writableObjectMode', true],
  ['writableBuffer', true],
  ['writableLength', true],
  ['writableFinished', true],
  ['writableCorked', true],
  ['writableEnded', true],
  ['writableNeedDrain', true],
  ['destroyed', true],
  ['destroy', false],
  ['_undestroy', false],
  ['_destroy', false],
  ['push', false],
  ['unshift', false],
  ['isPaused', false],
  ['setEncoding', false],
  ['read', false],
  ['pipe', false],
  ['unpipe', false],
  ['on', false],
  ['addListener', false],
  ['removeListener', false],
  ['off', false],
  ['removeAllListeners', false],
  ['resume', false],
  ['pause', false],
  ['wrap', false],
  ['iterator', false],
  ['readable', true],
  ['readableDidRead', true],
  ['readableAborted', true],
  ['readableHighWaterMark', true],
  ['readableBuffer', true],
  ['readableFlowing', true],
  ['readableLength', true],
  ['readableObjectMode', true],
  ['readableEncoding', true],
  ['errored', true],
  ['closed', true],
  ['readableEnded', true],
  ['toArray', false],
  ['forEach', false],
  ['map', false],
  ['filter', false],
  ['flatMap', false],
  ['some', false],
  ['every', false],
  ['find', false],
  ['reduce', false],
  ['take', false],
  ['drop', false],
  ['asIndexedPairs', false],
  ['compose', false],
  [SymbolAsyncDispose, false],
  [SymbolFor('nodejs.rejection'), false],
  [SymbolAsyncIterator, false],
];

/** Loads the streams (which re-parents LazyTransform) and returns Transform. */
function transform() {
  return loadLazyBuiltin(STREAMS).Transform;
}

function standInMember(key, isAccessor) {
  if (!isAccessor) {
    return {
      __proto__: null,
      value: function (...args) {
        return ReflectApply(transform().prototype[key], this, args);
      },
      writable: true,
      enumerable: true,
      configurable: true,
    };
  }
  return {
    __proto__: null,
    get() {
      return ReflectGet(transform().prototype, key, this);
    },
    set(value) {
      transform();
      this[key] = value;
    },
    enumerable: true,
    configurable: true,
  };
}

const EventEmitter = createEventsModule();
const standIn = { __proto__: EventEmitter.prototype };
for (let i = 0; i < TRANSFORM_MEMBERS.length; i++) {
  const member = TRANSFORM_MEMBERS[i];
  ObjectDefineProperty(standIn, member[0], standInMember(member[0], member[1]));
}
ObjectSetPrototypeOf(LazyTransform.prototype, standIn);
ObjectSetPrototypeOf(LazyTransform, EventEmitter);
whenLazyBuiltinLoaded(STREAMS, (streams) => {
  ObjectSetPrototypeOf(LazyTransform.prototype, streams.Transform.prototype);
  ObjectSetPrototypeOf(LazyTransform, streams.Transform);
});

function lazyGetter(name) {
  return function () {
    FunctionPrototypeCall(transform(), this, this._options);
    this._writableState.decodeStrings = false;
    return this[name];
  };
}

function lazySetter(name) {
  return function (value) {
    ObjectDefineProperty(this, name, {
      __proto__: null,
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  };
}

const LAZY = ['_readableState', '_writableState', '_transformState'];
for (let i = 0; i < LAZY.length; i++) {
  ObjectDefineProperty(LazyTransform.prototype, LAZY[i], {
    __proto__: null,
    get: lazyGetter(LAZY[i]),
    set: lazySetter(LAZY[i]),
    configurable: true,
    enumerable: true,
  });
}
