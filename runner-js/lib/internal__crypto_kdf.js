// lib/internal__crypto_kdf.js: PBKDF2, scrypt and HKDF for the crypto builtin. PBKDF2 and scrypt
// run as native jobs in slices (engine/src/bridge/crypto/kdf.rs): the sync forms loop over the
// slices (a kill or timeout takes effect between two), the callback forms run one slice per
// event-loop turn on the guest's own thread, so their CPU time counts against `cpu_ms` and
// timers keep firing in between.

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ErrorCtor,
  RangeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import { secretKeyObjectBytes } from './internal__crypto_keys.js';
import {
  allocBuffer,
  arrayBufferOrView,
  bytesOf,
  invalidDigest,
  outOfRange,
  validateInt32,
  validateInteger,
  validateString,
  validateUint32,
} from './internal__crypto_util.js';

const cryptoHashNew = bridge.cryptoHashNew;
const cryptoHashDigest = bridge.cryptoHashDigest;
const cryptoPbkdf2 = bridge.cryptoPbkdf2;
const cryptoScrypt = bridge.cryptoScrypt;
const cryptoKdfStep = bridge.cryptoKdfStep;
const cryptoHkdf = bridge.cryptoHkdf;

/** Slice of CPU time one step of a derivation may take before JS runs again, ms. */
export const KDF_SLICE_MS = 20;

/** Runs a derivation job into `out`: all at once (sync) or in slices from the event loop. */
export function runKdf(job, out, callback, result) {
  if (callback === undefined) {
    while (!cryptoKdfStep(job, out, KDF_SLICE_MS)) {
      // Each step returns to JS, where a kill or timeout takes effect.
    }
    return result();
  }
  const step = () => {
    if (cryptoKdfStep(job, out, KDF_SLICE_MS)) callback(null, result());
    else setImmediate(step);
  };
  setImmediate(step);
}

function pbkdf2Job(password, salt, iterations, keylen, digest) {
  validateString(digest, 'digest');
  password = arrayBufferOrView(password, 'password');
  salt = arrayBufferOrView(salt, 'salt');
  validateInt32(iterations, 'iterations', 1);
  validateInt32(keylen, 'keylen', 0);
  const job = cryptoPbkdf2(digest, password, salt, iterations);
  if (job === undefined) throw invalidDigest(digest);
  return job;
}

export function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  const job = pbkdf2Job(password, salt, iterations, keylen, digest);
  const out = allocBuffer(keylen);
  return runKdf(job, out, undefined, () => out);
}

export function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === 'function') {
    callback = digest;
    digest = undefined;
  }
  const job = pbkdf2Job(password, salt, iterations, keylen, digest);
  validateFunction(callback, 'callback');
  const out = allocBuffer(keylen);
  runKdf(job, out, callback, () => out);
}

function byteSource(value, name) {
  if (typeof value === 'string') return arrayBufferOrView(value, name);
  if (isAnyArrayBuffer(value) || ArrayBufferIsView(value)) return bytesOf(value);
  throw makeInvalidArgType(
    name,
    'string or an instance of ArrayBuffer, TypedArray, DataView, or Buffer',
    value,
  );
}

function hkdfDerive(digest, ikm, salt, info, length) {
  validateString(digest, 'digest');
  const secret = secretKeyObjectBytes(ikm);
  if (secret !== undefined) ikm = secret;
  if (typeof ikm !== 'string' && !isAnyArrayBuffer(ikm) && !ArrayBufferIsView(ikm)) {
    throw makeInvalidArgType(
      'ikm',
      'string or an instance of SecretKeyObject, ArrayBuffer, TypedArray, DataView, or Buffer',
      ikm,
    );
  }
  ikm = byteSource(ikm, 'ikm');
  salt = byteSource(salt, 'salt');
  info = byteSource(info, 'info');
  validateInteger(length, 'length', 0, 4294967296);
  const infoLength = TypedArrayPrototypeGetByteLength(info);
  if (infoLength > 1024)
    throw outOfRange('info', 'must not contain more than 1024 bytes', infoLength);
  const probe = cryptoHashNew(digest, -1);
  if (probe === undefined) throw invalidDigest(digest);
  const size = TypedArrayPrototypeGetByteLength(cryptoHashDigest(probe, 0));
  if (length > 255 * size) {
    throw makeNodeError(RangeErrorCtor, 'ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length');
  }
  const out = new Uint8ArrayCtor(length);
  if (!cryptoHkdf(digest, ikm, salt, info, out)) throw invalidDigest(digest);
  return TypedArrayPrototypeGetBuffer(out);
}

export function hkdfSync(digest, ikm, salt, info, length) {
  return hkdfDerive(digest, ikm, salt, info, length);
}

export function hkdf(digest, ikm, salt, info, length, callback) {
  const result = hkdfDerive(digest, ikm, salt, info, length);
  validateFunction(callback, 'callback');
  setImmediate(() => callback(null, result));
}

const SCRYPT_DEFAULTS = { __proto__: null, N: 16384, r: 8, p: 1, maxmem: 32 << 20 };

function scryptInvalidParameter() {
  return makeNodeError(
    ErrorCtor,
    'ERR_CRYPTO_SCRYPT_INVALID_PARAMETER',
    'Invalid scrypt parameter',
  );
}

function scryptJob(password, salt, keylen, options) {
  password = arrayBufferOrView(password, 'password');
  salt = arrayBufferOrView(salt, 'salt');
  validateInt32(keylen, 'keylen', 0);
  let { N, r, p, maxmem } = SCRYPT_DEFAULTS;
  if (options && options !== SCRYPT_DEFAULTS) {
    const hasN = options.N !== undefined;
    if (hasN) {
      N = options.N;
      validateUint32(N, 'N');
    }
    if (options.cost !== undefined) {
      if (hasN) throw scryptInvalidParameter();
      N = options.cost;
      validateUint32(N, 'cost');
    }
    const hasR = options.r !== undefined;
    if (hasR) {
      r = options.r;
      validateUint32(r, 'r');
    }
    if (options.blockSize !== undefined) {
      if (hasR) throw scryptInvalidParameter();
      r = options.blockSize;
      validateUint32(r, 'blockSize');
    }
    const hasP = options.p !== undefined;
    if (hasP) {
      p = options.p;
      validateUint32(p, 'p');
    }
    if (options.parallelization !== undefined) {
      if (hasP) throw scryptInvalidParameter();
      p = options.parallelization;
      validateUint32(p, 'parallelization');
    }
    if (options.maxmem !== undefined) {
      maxmem = options.maxmem;
      validateInteger(maxmem, 'maxmem', 0);
    }
    if (N === 0) N = SCRYPT_DEFAULTS.N;
    if (r === 0) r = SCRYPT_DEFAULTS.r;
    if (p === 0) p = SCRYPT_DEFAULTS.p;
    if (maxmem === 0) maxmem = SCRYPT_DEFAULTS.maxmem;
  }
  const job = cryptoScrypt(password, salt, N, r, p, maxmem);
  if (job === 1 || job === 2) {
    const detail =
      job === 2 ? ': error:030000AC:digital envelope routines::memory limit exceeded' : '';
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_CRYPTO_INVALID_SCRYPT_PARAMS',
      `Invalid scrypt params${detail}`,
    );
  }
  return { __proto__: null, job, keylen };
}

export function scryptSync(password, salt, keylen, options = SCRYPT_DEFAULTS) {
  const { job } = scryptJob(password, salt, keylen, options);
  const out = allocBuffer(keylen);
  return runKdf(job, out, undefined, () => out);
}

export function scrypt(password, salt, keylen, options, callback = SCRYPT_DEFAULTS) {
  if (callback === SCRYPT_DEFAULTS) {
    callback = options;
    options = SCRYPT_DEFAULTS;
  }
  const { job } = scryptJob(password, salt, keylen, options);
  validateFunction(callback, 'callback');
  const out = allocBuffer(keylen);
  runKdf(job, out, callback, () => out);
}
