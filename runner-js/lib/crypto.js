// lib/crypto.js: the `crypto` builtin over native RustCrypto code (engine/src/bridge/crypto/):
// hashes, HMAC, random values, timingSafeEqual, secret KeyObjects (internal__crypto_keys.js);
// loaded on first use: PBKDF2, scrypt, HKDF (internal__crypto_kdf.js), AES ciphers
// (internal__crypto_cipher.js), asymmetric keys (internal__crypto_pkey.js), signatures and RSA
// encryption (internal__crypto_sign.js), ECDH (internal__crypto_ecdh.js), certificates and
// webcrypto. What the sandbox does not have throws ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming the
// API. See CRYPTO.md.

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayPrototypeSlice,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberIsNaN,
  NumberIsSafeInteger,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  StringPrototypeToLowerCase,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypeErrorCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { emitWarning, pendingDeprecation } from '../js/23_warnings.js';
import { setImmediate } from '../js/24_timers.js';
import { utilDeprecate } from '../js/48_node_util.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { cryptoConstants } from './internal__crypto_constants.js';
import { addDeferred } from './internal__crypto_deferred.js';
import { ecCurveNames } from './internal__crypto_ec.js';
import {
  createSecretKey,
  generateKey,
  generateKeySync,
  KeyObject,
  secretKeyBytes,
} from './internal__crypto_keys.js';
import { LazyTransform } from './internal__crypto_lazy_transform.js';
import {
  allocBuffer,
  bytesOf,
  bytesString,
  encodingId,
  invalidArgValue,
  invalidDigest,
  outOfRange,
  toBuffer,
  unavailable,
  validateNumber,
  validateString,
  validateUint32,
} from './internal__crypto_util.js';

const cryptoHashNew = bridge.cryptoHashNew;
const cryptoHmacNew = bridge.cryptoHmacNew;
const cryptoHashCopy = bridge.cryptoHashCopy;
const cryptoHashUpdate = bridge.cryptoHashUpdate;
const cryptoHashDigest = bridge.cryptoHashDigest;
const cryptoHashOnce = bridge.cryptoHashOnce;
const cryptoHashNames = bridge.cryptoHashNames;
const cryptoRandomFill = bridge.cryptoRandomFill;
const cryptoTimingSafeEqual = bridge.cryptoTimingSafeEqual;

const hashStates = new WeakMapCtor(); // Hash/Hmac -> { handle, finalized }

function hashFinalized() {
  return makeNodeError(ErrorCtor, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
}

function stateOf(self) {
  const state = WeakMapPrototypeGet(hashStates, self);
  if (state === undefined) {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_THIS', 'Value of "this" must be of type Hash');
  }
  return state;
}

function validateEncoding(data, encoding) {
  if (encodingId(encoding) === 2 && data.length % 2 !== 0) {
    throw invalidArgValue('encoding', encoding, `is invalid for data of length ${data.length}`);
  }
}

function outputLengthOf(options) {
  const len = typeof options === 'object' && options !== null ? options.outputLength : undefined;
  if (len !== undefined) validateUint32(len, 'options.outputLength');
  return len === undefined ? -1 : len;
}

function notXof() {
  return makeNodeError(
    ErrorCtor,
    'ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH',
    'error:030000B2:digital envelope routines::not XOF or invalid length',
  );
}

function adopt(self, handle) {
  WeakMapPrototypeSet(hashStates, self, {
    __proto__: null,
    handle,
    finalized: false,
    cached: undefined,
  });
}

let shakeLengthWarned = false;

// Node 22 (DEP0198, under --pending-deprecation): SHAKE without an explicit output length.
function warnShakeDefaultLength(algorithm) {
  if (shakeLengthWarned || !pendingDeprecation()) return;
  const name = StringPrototypeToLowerCase(algorithm);
  if (name !== 'shake128' && name !== 'shake256') return;
  shakeLengthWarned = true;
  emitWarning(
    'Creating SHAKE128/256 digests without an explicit options.outputLength is deprecated.',
    'DeprecationWarning',
    'DEP0198',
  );
}

/** `crypto.Hash` (`createHash`). */
export function Hash(algorithm, options) {
  if (!new.target) return new Hash(algorithm, options);
  validateString(algorithm, 'algorithm');
  const outputLength = outputLengthOf(options);
  const handle = cryptoHashNew(algorithm, outputLength);
  if (handle === undefined) throw new ErrorCtor('Digest method not supported');
  if (handle === null) throw notXof();
  if (outputLength === -1) warnShakeDefaultLength(algorithm);
  adopt(this, handle);
  FunctionPrototypeCall(LazyTransform, this, options);
}
ObjectSetPrototypeOf(Hash.prototype, LazyTransform.prototype);
ObjectSetPrototypeOf(Hash, LazyTransform);

function update(data, encoding) {
  const state = stateOf(this);
  if (state.finalized) throw hashFinalized();
  if (typeof data === 'string') {
    validateEncoding(data, encoding);
  } else if (!ArrayBufferIsView(data)) {
    throw makeInvalidArgType(
      'data',
      'string or an instance of Buffer, TypedArray, or DataView',
      data,
    );
  }
  cryptoHashUpdate(state.handle, data, encodingId(encoding));
  return this;
}

function finish(handle, outputEncoding) {
  // Like Node: a truthy encoding is used as a string; an unknown one means a Buffer.
  const out = cryptoHashDigest(handle, encodingId(outputEncoding && `${outputEncoding}`));
  return typeof out === 'string' ? out : toBuffer(out);
}

function hashTransform(chunk, encoding, callback) {
  cryptoHashUpdate(stateOf(this).handle, chunk, encodingId(encoding));
  callback();
}

// As Node's: the stream's digest does not finalize the object; a later digest() returns it again.
function hashFlush(callback) {
  const state = stateOf(this);
  if (state.cached === undefined) state.cached = finish(state.handle);
  this.push(state.cached);
  callback();
}

function cachedDigest(state, outputEncoding) {
  state.finalized = true;
  const id = encodingId(outputEncoding && `${outputEncoding}`);
  return id === 0 ? state.cached : bytesString(state.cached, outputEncoding);
}

Hash.prototype.update = update;
Hash.prototype._transform = hashTransform;
Hash.prototype._flush = hashFlush;
Hash.prototype.digest = function digest(outputEncoding) {
  const state = stateOf(this);
  if (state.finalized) throw hashFinalized();
  if (state.cached !== undefined) return cachedDigest(state, outputEncoding);
  state.finalized = true;
  return finish(state.handle, outputEncoding);
};
Hash.prototype.copy = function copy(options) {
  const state = stateOf(this);
  if (state.finalized || state.cached !== undefined) throw hashFinalized();
  const handle = cryptoHashCopy(state.handle, outputLengthOf(options));
  if (handle === null) throw notXof();
  const twin = { __proto__: Hash.prototype };
  adopt(twin, handle);
  return twin;
};

/** `crypto.Hmac` (`createHmac`). */
export function Hmac(hmac, key, options) {
  if (!new.target) return new Hmac(hmac, key, options);
  validateString(hmac, 'hmac');
  const encoding = options !== null && typeof options === 'object' ? options.encoding : undefined;
  if (encoding !== undefined) validateString(encoding, 'options.encoding');
  const bytes = secretKeyBytes(key, encoding);
  const handle = cryptoHmacNew(hmac, bytes);
  if (handle === undefined) throw invalidDigest(hmac);
  adopt(this, handle);
  FunctionPrototypeCall(LazyTransform, this, options);
}
ObjectSetPrototypeOf(Hmac.prototype, LazyTransform.prototype);
ObjectSetPrototypeOf(Hmac, LazyTransform);

Hmac.prototype.update = update;
Hmac.prototype._transform = hashTransform;
Hmac.prototype._flush = hashFlush;
Hmac.prototype.digest = function digest(outputEncoding) {
  const state = stateOf(this);
  if (state.finalized) {
    const empty = allocBuffer(0);
    return outputEncoding && outputEncoding !== 'buffer' ? '' : empty;
  }
  if (state.cached !== undefined) return cachedDigest(state, outputEncoding);
  state.finalized = true;
  return finish(state.handle, outputEncoding);
};

export function createHash(algorithm, options) {
  return new Hash(algorithm, options);
}

export function createHmac(hmac, key, options) {
  return new Hmac(hmac, key, options);
}

/** `crypto.hash(algorithm, input[, outputEncoding])` (one shot). */
export function hash(algorithm, input, outputEncoding = 'hex') {
  validateString(algorithm, 'algorithm');
  if (typeof input !== 'string' && !ArrayBufferIsView(input)) {
    throw makeInvalidArgType(
      'input',
      'string or an instance of Buffer, TypedArray, or DataView',
      input,
    );
  }
  let id = 2;
  if (outputEncoding !== 'hex') {
    validateString(outputEncoding, 'outputEncoding');
    id = encodingId(outputEncoding);
    if (id === 0 && StringPrototypeToLowerCase(outputEncoding) !== 'buffer') {
      throw invalidArgValue('outputEncoding', outputEncoding);
    }
  }
  const out = cryptoHashOnce(algorithm, input, 1, id);
  if (out === undefined) throw new ErrorCtor(`Digest method ${algorithm} is not supported`);
  return typeof out === 'string' ? out : toBuffer(out);
}

let hashNames;
export function getHashes() {
  if (hashNames === undefined) hashNames = ObjectFreeze(cryptoHashNames());
  return ArrayPrototypeSlice(hashNames);
}

export function getCurves() {
  return ecCurveNames();
}

// ---- random ----

const kMaxLength = 2 ** 31 - 1;

function assertOffset(offset, elementSize, length) {
  validateNumber(offset, 'offset');
  offset *= elementSize;
  const maxLength = length < kMaxLength ? length : kMaxLength;
  if (NumberIsNaN(offset) || offset > maxLength || offset < 0) {
    throw outOfRange('offset', `>= 0 && <= ${maxLength}`, offset);
  }
  return offset >>> 0;
}

function assertSize(size, elementSize, offset, length) {
  validateNumber(size, 'size');
  size *= elementSize;
  if (NumberIsNaN(size) || size > kMaxLength || size < 0) {
    throw outOfRange('size', `>= 0 && <= ${kMaxLength}`, size);
  }
  if (size + offset > length) throw outOfRange('size + offset', `<= ${length}`, size + offset);
  return size >>> 0;
}

function fillTarget(buf) {
  if (!isAnyArrayBuffer(buf) && !ArrayBufferIsView(buf)) {
    throw makeInvalidArgType('buf', 'an instance of ArrayBuffer or ArrayBufferView', buf);
  }
  const bytes = bytesOf(buf);
  const length = TypedArrayPrototypeGetByteLength(bytes);
  const elements = ArrayBufferIsView(buf) && buf.BYTES_PER_ELEMENT ? buf.BYTES_PER_ELEMENT : 1;
  return { __proto__: null, bytes, length, elementSize: elements };
}

function fillRange(target, offset, size) {
  if (size === 0) return;
  const bytes = target.bytes;
  cryptoRandomFill(
    new Uint8ArrayCtor(
      TypedArrayPrototypeGetBuffer(bytes),
      TypedArrayPrototypeGetByteOffset(bytes) + offset,
      size,
    ),
  );
}

export function randomFillSync(buf, offset = 0, size) {
  const target = fillTarget(buf);
  offset = assertOffset(offset, target.elementSize, target.length);
  size =
    size === undefined
      ? target.length - offset
      : assertSize(size, target.elementSize, offset, target.length);
  fillRange(target, offset, size);
  return buf;
}

export function randomFill(buf, offset, size, callback) {
  const target = fillTarget(buf);
  if (typeof offset === 'function') {
    callback = offset;
    offset = 0;
    size = target.length / target.elementSize;
  } else if (typeof size === 'function') {
    callback = size;
    size = target.length / target.elementSize - offset;
  } else {
    validateFunction(callback, 'callback');
  }
  offset = assertOffset(offset, target.elementSize, target.length);
  size =
    size === undefined
      ? target.length - offset
      : assertSize(size, target.elementSize, offset, target.length);
  fillRange(target, offset, size);
  setImmediate(() => callback(null, buf));
}

export function randomBytes(size, callback) {
  size = assertSize(size, 1, 0, Infinity);
  if (callback !== undefined) validateFunction(callback, 'callback');
  const buf = allocBuffer(size);
  fillRange({ __proto__: null, bytes: buf }, 0, size);
  if (callback === undefined) return buf;
  setImmediate(() => callback(null, buf));
}

const RAND_MAX = 0xffff_ffff_ffff;

function randomUint48() {
  const b = new Uint8ArrayCtor(6);
  cryptoRandomFill(b);
  return ((b[0] * 256 + b[1]) * 65536 + (b[2] * 256 + b[3])) * 65536 + (b[4] * 256 + b[5]);
}

export function randomInt(min, max, callback) {
  const minNotSpecified = typeof max === 'undefined' || typeof max === 'function';
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  const isSync = typeof callback === 'undefined';
  if (!isSync) validateFunction(callback, 'callback');
  if (!NumberIsSafeInteger(min)) throw makeInvalidArgType('min', 'a safe integer', min);
  if (!NumberIsSafeInteger(max)) throw makeInvalidArgType('max', 'a safe integer', max);
  if (max <= min) throw outOfRange('max', `greater than the value of "min" (${min})`, max);
  const range = max - min;
  if (!(range <= RAND_MAX)) {
    throw outOfRange(`max${minNotSpecified ? '' : ' - min'}`, `<= ${RAND_MAX}`, range);
  }
  const randLimit = RAND_MAX - (RAND_MAX % range);
  let x = randomUint48();
  while (x >= randLimit) x = randomUint48();
  const n = min + (x % range);
  if (isSync) return n;
  setImmediate(() => callback(null, n));
}

// Node checks these in C++, without the "Received" part.
function checkTimingSafeInput(name, value) {
  if (!isAnyArrayBuffer(value) && !ArrayBufferIsView(value)) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
    );
  }
}

export function timingSafeEqual(buf1, buf2) {
  checkTimingSafeInput('buf1', buf1);
  checkTimingSafeInput('buf2', buf2);
  const a = bytesOf(buf1);
  const b = bytesOf(buf2);
  if (TypedArrayPrototypeGetByteLength(a) !== TypedArrayPrototypeGetByteLength(b)) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH',
      'Input buffers must have the same byte length',
    );
  }
  return cryptoTimingSafeEqual(a, b);
}

// ---- loaded on first use: key derivation and webcrypto (require('crypto') stays cheap) ----

let kdfModule;
let webcryptoModule;

function kdf() {
  if (kdfModule === undefined) kdfModule = loadLazyBuiltin('internal/crypto_kdf');
  return kdfModule;
}

function wc() {
  if (webcryptoModule === undefined) webcryptoModule = loadLazyBuiltin('internal/webcrypto');
  return webcryptoModule;
}

export function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  return kdf().pbkdf2(password, salt, iterations, keylen, digest, callback);
}

export function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  return kdf().pbkdf2Sync(password, salt, iterations, keylen, digest);
}

export function scrypt(password, salt, keylen, options, callback) {
  // Node's scrypt tells "no options" from "options undefined" by the argument count.
  if (arguments.length < 5) return kdf().scrypt(password, salt, keylen, options);
  return kdf().scrypt(password, salt, keylen, options, callback);
}

export function scryptSync(password, salt, keylen, options) {
  if (arguments.length < 4) return kdf().scryptSync(password, salt, keylen);
  return kdf().scryptSync(password, salt, keylen, options);
}

export function hkdf(digest, ikm, salt, info, keylen, callback) {
  return kdf().hkdf(digest, ikm, salt, info, keylen, callback);
}

export function hkdfSync(digest, ikm, salt, info, keylen) {
  return kdf().hkdfSync(digest, ikm, salt, info, keylen);
}

export function randomUUID(options) {
  return wc().randomUUID(options);
}

export function getRandomValues(data) {
  return wc().getRandomValues(data);
}

// ---- what the sandbox does not provide ----

function missing(name) {
  return function unavailableApi() {
    throw unavailable(`crypto.${name}`);
  };
}

const MISSING = ['setEngine', 'Certificate', 'Cipher', 'Decipher'];

/** `crypto[key]`: randomBytes under an old name, hidden from enumeration and, under
 * `--pending-deprecation`, deprecated (DEP0115) on first use, as Node's. */
function defineRandomBytesAlias(mod, key) {
  const settle = (target, value) => {
    ObjectDefineProperty(target, key, {
      __proto__: null,
      enumerable: false,
      configurable: true,
      writable: true,
      value,
    });
  };
  ObjectDefineProperty(mod, key, {
    __proto__: null,
    enumerable: false,
    configurable: true,
    get() {
      const value = pendingDeprecation()
        ? utilDeprecate(randomBytes, `crypto.${key} is deprecated.`, 'DEP0115')
        : randomBytes;
      settle(this, value);
      return value;
    },
    set(value) {
      settle(this, value);
    },
  });
}

function buildModule() {
  const mod = {
    createHash,
    createHmac,
    getHashes,
    createSecretKey,
    generateKey,
    generateKeySync,
    KeyObject,
    getCurves,
    hash,
    hkdf,
    hkdfSync,
    pbkdf2,
    pbkdf2Sync,
    randomBytes,
    randomFill,
    randomFillSync,
    randomInt,
    randomUUID,
    scrypt,
    scryptSync,
    timingSafeEqual,
    getRandomValues,
    getFips: () => 0,
    setFips: missing('setFips'),
    secureHeapUsed: () => ({ total: 0, min: 0, used: 0, utilization: 0 }),
    // Calling the constructors themselves is deprecated in Node 22 (createHash/createHmac are not).
    Hash: utilDeprecate(Hash, 'crypto.Hash constructor is deprecated.', 'DEP0179'),
    Hmac: utilDeprecate(Hmac, 'crypto.Hmac constructor is deprecated.', 'DEP0181'),
    constants: cryptoConstants,
  };
  defineRandomBytesAlias(mod, 'pseudoRandomBytes');
  defineRandomBytesAlias(mod, 'prng');
  defineRandomBytesAlias(mod, 'rng');
  for (let i = 0; i < MISSING.length; i++) mod[MISSING[i]] = missing(MISSING[i]);
  addDeferred(mod);
  // Getters, as Node's: the webcrypto objects load on first touch.
  ObjectDefineProperty(mod, 'webcrypto', {
    __proto__: null,
    configurable: false,
    enumerable: true,
    get: () => wc().webcrypto,
  });
  ObjectDefineProperty(mod, 'subtle', {
    __proto__: null,
    configurable: false,
    enumerable: true,
    get: () => wc().webcrypto.subtle,
  });
  return mod;
}

/** What `require('crypto')` returns. */
export const moduleExports = buildModule();
