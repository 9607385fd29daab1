// lib/internal__crypto_cipher.js: `Cipheriv`/`Decipheriv` (AES ECB/CBC/CTR/GCM over the
// `cryptoCipher*` natives, engine/src/bridge/crypto/cipher.rs), `getCiphers`, `getCipherInfo`,
// over Node's LazyTransform (internal__crypto_lazy_transform.js).
import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayPrototypeSlice,
  ErrorCtor,
  FunctionPrototypeCall,
  ObjectFreeze,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  SymbolCtor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { emitWarning } from '../js/23_warnings.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { secretKeyBytes } from './internal__crypto_keys.js';
import { LazyTransform } from './internal__crypto_lazy_transform.js';
import {
  arrayBufferOrView,
  bytesOf,
  encodingId,
  invalidArgValue,
  stringBytes,
  toBuffer,
  validateInt32,
  validateString,
} from './internal__crypto_util.js';

const cipherNew = bridge.cryptoCipherNew;
const cipherUpdate = bridge.cryptoCipherUpdate;
const cipherFinal = bridge.cryptoCipherFinal;
const cipherSetAAD = bridge.cryptoCipherSetAAD;
const cipherSetTag = bridge.cryptoCipherSetTag;
const cipherGetTag = bridge.cryptoCipherGetTag;
const cipherSetPadding = bridge.cryptoCipherSetPadding;
const cipherInfo = bridge.cryptoCipherInfo;
const cipherNames = bridge.cryptoCipherNames;

// ---- errors ----

function invalidState(op) {
  return makeNodeError(ErrorCtor, 'ERR_CRYPTO_INVALID_STATE', `Invalid state for operation ${op}`);
}

function invalidTagLength(n) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_CRYPTO_INVALID_AUTH_TAG',
    `Invalid authentication tag length: ${n}`,
  );
}

function opensslError(message, code, reason) {
  const err = new ErrorCtor(message);
  err.library = 'Provider routines';
  err.reason = reason;
  err.code = code;
  return err;
}

function initError(code) {
  if (code === 1) return makeNodeError(ErrorCtor, 'ERR_CRYPTO_UNKNOWN_CIPHER', 'Unknown cipher');
  if (code === 2)
    return makeNodeError(RangeErrorCtor, 'ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length');
  return makeNodeError(TypeErrorCtor, 'ERR_CRYPTO_INVALID_IV', 'Invalid initialization vector');
}

function finalError(code) {
  if (code === 4) {
    return opensslError(
      'error:1C80006B:Provider routines::wrong final block length',
      'ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH',
      'wrong final block length',
    );
  }
  if (code === 5) {
    return opensslError(
      'error:1C800064:Provider routines::bad decrypt',
      'ERR_OSSL_BAD_DECRYPT',
      'bad decrypt',
    );
  }
  return new ErrorCtor('Unsupported state or unable to authenticate data');
}

// ---- keys and options ----

function stringOption(options, key) {
  if (options !== null && typeof options === 'object' && options[key] !== undefined) {
    const value = options[key];
    if (typeof value !== 'string') throw makeInvalidArgType(`options.${key}`, 'string', value);
    return value;
  }
  return undefined;
}

function uintOption(options, key) {
  if (options !== null && typeof options === 'object' && options[key] !== undefined) {
    const value = options[key];
    if (value >>> 0 !== value) throw invalidArgValue(`options.${key}`, value);
    return value;
  }
  return -1;
}

function validGcmTagLength(n) {
  return n === 4 || n === 8 || (n >= 12 && n <= 16);
}

// ---- Cipheriv / Decipheriv ----

const kHandle = SymbolCtor('kHandle');
const kState = SymbolCtor('kState');

function init(self, cipher, key, iv, options, decipher) {
  validateString(cipher, 'cipher');
  const encoding = stringOption(options, 'encoding');
  const keyBytes = secretKeyBytes(key, encoding);
  const ivBytes = iv === null ? null : arrayBufferOrView(iv, 'iv');
  const authTagLength = uintOption(options, 'authTagLength');
  const handle = cipherNew(cipher, keyBytes, ivBytes, !decipher);
  if (typeof handle === 'number') throw initError(handle);
  const info = cipherInfo(cipher);
  const gcm = info[5] === 'gcm';
  if (gcm && authTagLength !== -1 && !validGcmTagLength(authTagLength)) {
    throw invalidTagLength(authTagLength);
  }
  self[kHandle] = handle;
  self[kState] = {
    __proto__: null,
    decipher,
    gcm,
    authTagLength,
    finalized: false,
    tagSet: false,
    tag: undefined,
  };
  self._decoder = null;
  FunctionPrototypeCall(LazyTransform, self, options);
}

function getDecoder(decoder, encoding) {
  const { StringDecoder } = loadLazyBuiltin('string_decoder');
  const fresh = new StringDecoder(encoding);
  if (decoder === null) return fresh;
  if (decoder.encoding !== fresh.encoding) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_INTERNAL_ASSERTION',
      'Cannot change encoding\nThis is caused by either a bug in Node.js or incorrect usage of ' +
        'Node.js internals.\nPlease open an issue with this stack trace at ' +
        'https://github.com/nodejs/node/issues\n',
    );
  }
  return decoder;
}

function update(data, inputEncoding, outputEncoding) {
  const state = this[kState];
  let bytes;
  if (typeof data === 'string') {
    if (encodingId(inputEncoding) === 2 && data.length % 2 !== 0) {
      throw invalidArgValue(
        'encoding',
        inputEncoding,
        `is invalid for data of length ${data.length}`,
      );
    }
    bytes = stringBytes(data, inputEncoding);
  } else if (ArrayBufferIsView(data)) {
    bytes = bytesOf(data);
  } else {
    throw makeInvalidArgType(
      'data',
      'string or an instance of Buffer, TypedArray, or DataView',
      data,
    );
  }
  if (state.finalized) throw new ErrorCtor('Trying to add data in unsupported state');
  const out = toBuffer(cipherUpdate(this[kHandle], bytes));
  if (outputEncoding && outputEncoding !== 'buffer') {
    this._decoder = getDecoder(this._decoder, outputEncoding);
    return this._decoder.write(out);
  }
  return out;
}

function final(outputEncoding) {
  const state = this[kState];
  if (state.finalized) throw makeNodeError(ErrorCtor, 'ERR_CRYPTO_INVALID_STATE', 'Invalid state');
  if (state.gcm && state.decipher && !state.tagSet) {
    state.finalized = true;
    throw new ErrorCtor('Unsupported state or unable to authenticate data');
  }
  state.finalized = true;
  const out = cipherFinal(this[kHandle]);
  if (typeof out === 'number') throw finalError(out);
  if (state.gcm && !state.decipher) state.tag = cipherGetTag(this[kHandle]);
  const buf = toBuffer(out);
  if (outputEncoding && outputEncoding !== 'buffer') {
    this._decoder = getDecoder(this._decoder, outputEncoding);
    return this._decoder.end(buf);
  }
  return buf;
}

function setAutoPadding(ap) {
  if (this[kState].finalized) throw invalidState('setAutoPadding');
  cipherSetPadding(this[kHandle], ap === undefined ? true : !!ap);
  return this;
}

function setAAD(aadbuf, options) {
  const encoding = stringOption(options, 'encoding');
  uintOption(options, 'plaintextLength');
  const bytes = arrayBufferOrView(aadbuf, 'aadbuf', encoding);
  if (this[kState].finalized || !cipherSetAAD(this[kHandle], bytes)) throw invalidState('setAAD');
  return this;
}

function getAuthTag() {
  const state = this[kState];
  if (state.decipher || !state.finalized || state.tag === undefined) {
    throw invalidState('getAuthTag');
  }
  const len = state.authTagLength === -1 ? 16 : state.authTagLength;
  return toBuffer(TypedArrayPrototypeSubarray(state.tag, 0, len));
}

function setAuthTag(tagbuf, encoding) {
  const state = this[kState];
  const tag = arrayBufferOrView(tagbuf, 'buffer', encoding);
  if (!state.decipher || !state.gcm || state.finalized || state.tagSet) {
    throw invalidState('setAuthTag');
  }
  const n = TypedArrayPrototypeGetByteLength(tag);
  if (state.authTagLength !== -1 ? n !== state.authTagLength : !validGcmTagLength(n)) {
    throw invalidTagLength(n);
  }
  if (state.authTagLength === -1 && n < 16) {
    emitWarning(
      'Using AES-GCM authentication tags of less than 128 bits without specifying the ' +
        'authTagLength option when initializing decryption is deprecated.',
      'DeprecationWarning',
      'DEP0182',
    );
  }
  state.tagSet = true;
  cipherSetTag(this[kHandle], tag);
  return this;
}

function transform(chunk, encoding, callback) {
  const bytes = typeof chunk === 'string' ? stringBytes(chunk, encoding) : bytesOf(chunk);
  this.push(toBuffer(cipherUpdate(this[kHandle], bytes)));
  callback();
}

function flush(callback) {
  try {
    this.push(this.final());
  } catch (err) {
    callback(err);
    return;
  }
  callback();
}

function defineCipherClass(name, decipher) {
  const ctor = {
    [name]: function (cipher, key, iv, options) {
      if (!(this instanceof ctor)) return new ctor(cipher, key, iv, options);
      init(this, cipher, key, iv, options, decipher);
    },
  }[name];
  ObjectSetPrototypeOf(ctor.prototype, LazyTransform.prototype);
  ObjectSetPrototypeOf(ctor, LazyTransform);
  const proto = ctor.prototype;
  proto.update = update;
  proto.final = final;
  proto.setAutoPadding = setAutoPadding;
  proto.setAAD = setAAD;
  proto._transform = transform;
  proto._flush = flush;
  if (decipher) proto.setAuthTag = setAuthTag;
  else proto.getAuthTag = getAuthTag;
  return ctor;
}

export const Cipheriv = defineCipherClass('Cipheriv', false);
export const Decipheriv = defineCipherClass('Decipheriv', true);

export function createCipheriv(cipher, key, iv, options) {
  return new Cipheriv(cipher, key, iv, options);
}

export function createDecipheriv(cipher, key, iv, options) {
  return new Decipheriv(cipher, key, iv, options);
}

let names;
export function getCiphers() {
  if (names === undefined) names = ObjectFreeze(cipherNames());
  return ArrayPrototypeSlice(names);
}

/** `crypto.getCipherInfo(nameOrNid[, { keyLength, ivLength }])`. */
export function getCipherInfo(nameOrNid, options) {
  if (typeof nameOrNid !== 'string' && typeof nameOrNid !== 'number') {
    throw makeInvalidArgType('nameOrNid', 'string or number', nameOrNid);
  }
  if (typeof nameOrNid === 'number') validateInt32(nameOrNid, 'nameOrNid');
  let keyLength;
  let ivLength;
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') {
      throw makeInvalidArgType('options', 'object', options);
    }
    keyLength = options.keyLength;
    ivLength = options.ivLength;
    if (keyLength !== undefined) validateInt32(keyLength, 'options.keyLength');
    if (ivLength !== undefined) validateInt32(ivLength, 'options.ivLength');
  }
  const info = cipherInfo(nameOrNid);
  if (info === undefined) return undefined;
  const [name, nid, blockSize, ivLen, keyLen, mode] = info;
  if (keyLength !== undefined && keyLength !== keyLen) return undefined;
  if (ivLength !== undefined) {
    const ok = mode === 'gcm' ? ivLength > 0 : ivLength === ivLen;
    if (!ok) return undefined;
  }
  const out = { mode, name, nid };
  out.blockSize = blockSize;
  if (ivLen !== 0) out.ivLength = ivLen;
  out.keyLength = keyLen;
  return out;
}
