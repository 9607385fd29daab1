// lib/string_decoder.js: the `string_decoder` builtin. Its state lives in a 7-byte Buffer as in
// Node 20 (src/string_decoder.cc: 4 bytes of an incomplete character, then missing bytes,
// buffered bytes, encoding), and decoding follows that file's rules: UTF-8 sequences, UTF-16
// code units and surrogate pairs, and base64 groups of 3 bytes wait for the next chunk.

import {
  ArrayBufferIsView,
  ObjectDefineProperty,
  SymbolCtor,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
} from '../js/00_primordials.js';
import {
  ASCII,
  BASE64,
  BASE64URL,
  FastBuffer,
  HEX,
  LATIN1,
  normalizeEncoding,
  sliceString,
  subBuffer,
  UTF8,
  UTF16LE,
  viewBytes,
} from './internal__buffer.js';
import { invalidArgType, invalidThis, unknownEncoding } from './internal__web_errors.js';

const kNativeDecoder = SymbolCtor('kNativeDecoder');
const kMissingBytes = 4;
const kBufferedBytes = 5;
const kEncodingField = 6;
// Node's `enum encoding` values, as the state buffer holds them.
const NODE_ENCODING = {
  __proto__: null,
  ascii: 0,
  utf8: 1,
  base64: 2,
  utf16le: 3,
  latin1: 4,
  hex: 5,
  base64url: 7,
};
const ID_OF_NODE = [ASCII, UTF8, BASE64, UTF16LE, LATIN1, HEX, -1, BASE64URL];

function stateOf(self) {
  const state = self?.[kNativeDecoder];
  if (state === undefined) throw invalidThis('StringDecoder');
  return state;
}

function makeString(bytes, start, end, id) {
  return end > start ? sliceString(bytes, start, end, id) : '';
}

function decode(state, bytes) {
  const id = ID_OF_NODE[state[kEncodingField]];
  let nread = TypedArrayPrototypeGetLength(bytes);
  if (id !== UTF8 && id !== UTF16LE && id !== BASE64 && id !== BASE64URL) {
    return makeString(bytes, 0, nread, id);
  }
  let data = 0;
  let prepend = '';
  if (state[kMissingBytes] > 0) {
    if (id === UTF8) {
      for (let i = 0; i < nread && i < state[kMissingBytes]; ++i) {
        if ((bytes[i] & 0xc0) !== 0x80) {
          state[kMissingBytes] = 0;
          TypedArrayPrototypeSet(state, subBuffer(bytes, 0, i), state[kBufferedBytes]);
          state[kBufferedBytes] += i;
          data += i;
          nread -= i;
          break;
        }
      }
    }
    const found = nread < state[kMissingBytes] ? nread : state[kMissingBytes];
    TypedArrayPrototypeSet(state, subBuffer(bytes, data, data + found), state[kBufferedBytes]);
    data += found;
    nread -= found;
    state[kMissingBytes] -= found;
    state[kBufferedBytes] += found;
    if (state[kMissingBytes] === 0) {
      prepend = makeString(state, 0, state[kBufferedBytes], id);
      state[kBufferedBytes] = 0;
    }
  }
  if (nread === 0) return prepend;
  const end = data + nread;
  if (id === UTF8 && bytes[end - 1] & 0x80) {
    for (let i = end - 1; ; --i) {
      state[kBufferedBytes]++;
      if ((bytes[i] & 0xc0) === 0x80) {
        if (state[kBufferedBytes] >= 4 || i === data) {
          state[kBufferedBytes] = 0;
          break;
        }
      } else {
        if ((bytes[i] & 0xe0) === 0xc0) state[kMissingBytes] = 2;
        else if ((bytes[i] & 0xf0) === 0xe0) state[kMissingBytes] = 3;
        else if ((bytes[i] & 0xf8) === 0xf0) state[kMissingBytes] = 4;
        else {
          state[kBufferedBytes] = 0;
          break;
        }
        if (state[kBufferedBytes] >= state[kMissingBytes]) {
          state[kMissingBytes] = 0;
          state[kBufferedBytes] = 0;
        }
        state[kMissingBytes] -= state[kBufferedBytes];
        break;
      }
    }
  } else if (id === UTF16LE) {
    if (nread % 2 === 1) {
      state[kBufferedBytes] = 1;
      state[kMissingBytes] = 1;
    } else if ((bytes[end - 1] & 0xfc) === 0xd8) {
      state[kBufferedBytes] = 2;
      state[kMissingBytes] = 2;
    }
  } else if (id === BASE64 || id === BASE64URL) {
    state[kBufferedBytes] = nread % 3;
    if (state[kBufferedBytes] > 0) state[kMissingBytes] = 3 - state[kBufferedBytes];
  }
  let bodyEnd = end;
  if (state[kBufferedBytes] > 0) {
    bodyEnd -= state[kBufferedBytes];
    TypedArrayPrototypeSet(state, subBuffer(bytes, bodyEnd, end), 0);
  }
  return prepend + makeString(bytes, data, bodyEnd, id);
}

function flush(state) {
  const id = ID_OF_NODE[state[kEncodingField]];
  if (id === UTF16LE && state[kBufferedBytes] % 2 === 1) {
    state[kMissingBytes]--;
    state[kBufferedBytes]--;
  }
  if (state[kBufferedBytes] === 0) return '';
  const ret = makeString(state, 0, state[kBufferedBytes], id);
  state[kMissingBytes] = 0;
  state[kBufferedBytes] = 0;
  return ret;
}

export function StringDecoder(encoding) {
  const normalized = normalizeEncoding(encoding);
  if (normalized === undefined) throw unknownEncoding(encoding);
  this.encoding = normalized;
  const state = new FastBuffer(7);
  state[kEncodingField] = NODE_ENCODING[normalized];
  this[kNativeDecoder] = state;
}

function write(buf) {
  if (typeof buf === 'string') return buf;
  if (!ArrayBufferIsView(buf))
    throw invalidArgType('buf', ['Buffer', 'TypedArray', 'DataView'], buf);
  return decode(stateOf(this), viewBytes(buf));
}

function define(name, value) {
  ObjectDefineProperty(StringDecoder.prototype, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

define('write', write);
define('end', function end(buf) {
  let ret = '';
  if (buf !== undefined) ret = this.write(buf);
  const state = stateOf(this);
  if (state[kBufferedBytes] > 0) ret += flush(state);
  return ret;
});
define('text', function text(buf, offset) {
  const state = stateOf(this);
  state[kMissingBytes] = 0;
  state[kBufferedBytes] = 0;
  return this.write(buf.slice(offset));
});
ObjectDefineProperty(StringDecoder.prototype, 'lastChar', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    return subBuffer(stateOf(this), 0, 4);
  },
});
ObjectDefineProperty(StringDecoder.prototype, 'lastNeed', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    return stateOf(this)[kMissingBytes];
  },
});
ObjectDefineProperty(StringDecoder.prototype, 'lastTotal', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    const state = stateOf(this);
    return state[kBufferedBytes] + state[kMissingBytes];
  },
});
