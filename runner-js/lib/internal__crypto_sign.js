// lib/internal__crypto_sign.js: signatures and RSA encryption with asymmetric keys over the
// native `cryptoKeyOp` (agentos-keys): `crypto.sign`/`verify`, `createSign`/`createVerify`
// (`Sign`/`Verify`, writable streams), `publicEncrypt`/`privateDecrypt`/`privateEncrypt`/
// `publicDecrypt`, and `diffieHellman` for X25519 and EC keys.
import {
  ArrayBufferIsView,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  ObjectSetPrototypeOf,
  RegExpPrototypeTest,
  TypedArrayPrototypeGetByteLength,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import { isKeyObject, keyObjectBytes } from './internal__crypto_keys.js';
import { keyObjectOf, keyOp, opBytes } from './internal__crypto_pkey.js';
import {
  arrayBufferOrView,
  bytesString,
  encodeBytes,
  invalidArgValue,
  validateObject,
  validateString,
} from './internal__crypto_util.js';
import { Writable } from './internal__stream_writable.js';

const RSA_PKCS1_PADDING = 1;

const DIGEST = /^(rsa-)?(md5|sha-?(1|224|256|384|512)|sha2-(224|256|384|512))$/i;

function validateDigest(algorithm) {
  if (!RegExpPrototypeTest(DIGEST, algorithm)) {
    throw makeNodeError(TypeErrorCtor, 'ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest');
  }
}

/** Node's getIntOption: `options[name]`, an int32 when given. */
function intOption(options, name) {
  const value = options[name];
  if (value !== undefined && value !== value >> 0) {
    throw invalidArgValue(`options.${name}`, value);
  }
  return value;
}

/** The key and the signature options of a sign/verify key argument. */
function signingKey(key, want) {
  const ko = keyObjectOf(key, want);
  const spec = { kind: ko.type };
  if (key !== null && typeof key === 'object' && !ArrayBufferIsView(key) && !isKeyObject(key)) {
    const padding = intOption(key, 'padding');
    if (padding !== undefined) spec.padding = padding;
    const saltLength = intOption(key, 'saltLength');
    if (saltLength !== undefined) spec.saltLength = saltLength;
    const enc = key.dsaEncoding;
    if (enc !== undefined && enc !== 'der' && enc !== 'ieee-p1363') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The property 'options.dsaEncoding' is invalid. Received '${enc}'`,
      );
    }
    if (enc !== undefined) spec.dsaEncoding = enc;
  }
  return { ko, spec };
}

function signBytes(algorithm, data, key) {
  const { ko, spec } = signingKey(key, 'private');
  if (algorithm !== undefined && algorithm !== null) spec.hash = algorithm;
  return opBytes(keyOp('sign', spec, keyObjectBytes(ko), data).sig);
}

function verifyBytes(algorithm, data, key, signature) {
  const { ko, spec } = signingKey(key, 'public');
  if (algorithm !== undefined && algorithm !== null) spec.hash = algorithm;
  return keyOp('verify', spec, keyObjectBytes(ko), data, signature).ok;
}

function maybeAsync(callback, run) {
  if (callback === undefined) return run();
  validateFunction(callback, 'callback');
  let result;
  try {
    result = run();
  } catch (e) {
    setImmediate(() => callback(e));
    return undefined;
  }
  setImmediate(() => callback(null, result));
  return undefined;
}

/** `crypto.sign(algorithm, data, key[, callback])`. */
export function sign(algorithm, data, key, callback) {
  if (algorithm !== null && algorithm !== undefined) validateString(algorithm, 'algorithm');
  const bytes = arrayBufferOrView(data, 'data');
  return maybeAsync(callback, () => signBytes(algorithm, bytes, key));
}

/** `crypto.verify(algorithm, data, key, signature[, callback])`. */
export function verify(algorithm, data, key, signature, callback) {
  if (algorithm !== null && algorithm !== undefined) validateString(algorithm, 'algorithm');
  const bytes = arrayBufferOrView(data, 'data');
  // A view only: unlike the data, never a string or an ArrayBuffer (Node 22).
  if (!ArrayBufferIsView(signature)) {
    throw makeInvalidArgType(
      'signature',
      'an instance of Buffer, TypedArray, or DataView',
      signature,
    );
  }
  const sig = arrayBufferOrView(signature, 'signature');
  return maybeAsync(callback, () => verifyBytes(algorithm, bytes, key, sig));
}

// ---- Sign / Verify ----

function collect(self, data, encoding) {
  if (typeof data !== 'string' && !ArrayBufferIsView(data)) {
    throw makeInvalidArgType(
      'data',
      'string or an instance of Buffer, TypedArray, or DataView',
      data,
    );
  }
  ArrayPrototypePush(self._chunks, arrayBufferOrView(data, 'data', encoding));
  return self;
}

function joined(chunks) {
  let n = 0;
  for (let i = 0; i < chunks.length; i++) n += TypedArrayPrototypeGetByteLength(chunks[i]);
  const out = new Uint8ArrayCtor(n);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    out.set(chunks[i], at);
    at += TypedArrayPrototypeGetByteLength(chunks[i]);
  }
  return out;
}

function writeChunk(chunk, encoding, callback) {
  this.update(chunk, encoding);
  callback();
}

/** `crypto.Sign` (`createSign`): a writable stream of the data to sign. */
export function Sign(algorithm, options) {
  if (!new.target) return new Sign(algorithm, options);
  validateString(algorithm, 'algorithm');
  validateDigest(algorithm);
  this._algorithm = algorithm;
  this._chunks = [];
  FunctionPrototypeCall(Writable, this, options);
}
ObjectSetPrototypeOf(Sign.prototype, Writable.prototype);
ObjectSetPrototypeOf(Sign, Writable);
Sign.prototype._write = writeChunk;
Sign.prototype.update = function update(data, encoding) {
  return collect(this, data, encoding);
};
Sign.prototype.sign = function signData(privateKey, outputEncoding) {
  if (privateKey === undefined || privateKey === null) {
    throw makeNodeError(ErrorCtor, 'ERR_CRYPTO_SIGN_KEY_REQUIRED', 'No key provided to sign');
  }
  const sig = signBytes(this._algorithm, joined(this._chunks), privateKey);
  return encodeBytes(sig, outputEncoding);
};

/** `crypto.Verify` (`createVerify`). */
export function Verify(algorithm, options) {
  if (!new.target) return new Verify(algorithm, options);
  validateString(algorithm, 'algorithm');
  validateDigest(algorithm);
  this._algorithm = algorithm;
  this._chunks = [];
  FunctionPrototypeCall(Writable, this, options);
}
ObjectSetPrototypeOf(Verify.prototype, Writable.prototype);
ObjectSetPrototypeOf(Verify, Writable);
Verify.prototype._write = writeChunk;
Verify.prototype.update = function update(data, encoding) {
  return collect(this, data, encoding);
};
/** OpenSSL's refusals of an RSA padding, which `Verify.prototype.verify` answers with false. */
const PADDING_ERRORS = [
  'ERR_OSSL_INVALID_PADDING_MODE',
  'ERR_OSSL_ILLEGAL_OR_UNSUPPORTED_PADDING_MODE',
];

Verify.prototype.verify = function verifyData(object, signature, sigEncoding) {
  const sig = arrayBufferOrView(signature, 'signature', sigEncoding);
  try {
    return verifyBytes(this._algorithm, joined(this._chunks), object, sig);
  } catch (error) {
    if (ArrayPrototypeIncludes(PADDING_ERRORS, error.code)) return false;
    throw error;
  }
};

export function createSign(algorithm, options) {
  return new Sign(algorithm, options);
}

export function createVerify(algorithm, options) {
  return new Verify(algorithm, options);
}

// ---- RSA encryption ----

function rsaCipher(op, withKey, want) {
  return function rsaOperation(key, buffer) {
    const ko = keyObjectOf(key, want);
    const spec = { kind: ko.type, with: withKey };
    if (key !== null && typeof key === 'object' && !ArrayBufferIsView(key) && !isKeyObject(key)) {
      if (key.padding !== undefined) spec.padding = key.padding;
      if (key.oaepHash !== undefined) {
        validateString(key.oaepHash, 'key.oaepHash');
        spec.oaepHash = key.oaepHash;
      }
      if (key.oaepLabel !== undefined) {
        spec.oaepLabel = bytesString(arrayBufferOrView(key.oaepLabel, 'key.oaepLabel'), 'base64');
      }
    }
    const data = arrayBufferOrView(buffer, 'buffer', key?.encoding);
    return opBytes(keyOp(op, spec, keyObjectBytes(ko), data).out);
  };
}

export const publicEncrypt = rsaCipher('encrypt', 'public', 'public');
const decryptPrivate = rsaCipher('decrypt', 'private', 'private');

/**
 * `crypto.privateDecrypt`. As Node 22 over OpenSSL 3.0: PKCS#1 v1.5 padding is refused (the
 * Marvin timing attack, CVE-2023-46809); OAEP and no padding work.
 */
export function privateDecrypt(key, buffer) {
  if (key !== null && typeof key === 'object' && key.padding === RSA_PKCS1_PADDING) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      'RSA_PKCS1_PADDING is no longer supported for private decryption, this can be reverted with --security-revert=CVE-2023-46809',
    );
  }
  return decryptPrivate(key, buffer);
}
export const privateEncrypt = rsaCipher('encrypt', 'private', 'private');
export const publicDecrypt = rsaCipher('decrypt', 'public', 'public');

/** `crypto.diffieHellman({ privateKey, publicKey })` for X25519 and EC key pairs. */
export function diffieHellman(options) {
  validateObject(options, 'options');
  const { privateKey, publicKey } = options;
  if (privateKey === null || typeof privateKey !== 'object' || privateKey.type !== 'private') {
    throw makeInvalidArgType('options.privateKey', 'KeyObject', privateKey);
  }
  if (publicKey === null || typeof publicKey !== 'object' || publicKey.type === 'secret') {
    throw makeInvalidArgType('options.publicKey', 'KeyObject', publicKey);
  }
  const pub = publicKey.type === 'private' ? keyObjectOf({ key: publicKey }, 'public') : publicKey;
  const spki = pub.type === 'private' ? keyOp('public', {}, keyObjectBytes(pub)).der : undefined;
  const pubBytes = spki === undefined ? keyObjectBytes(pub) : opBytes(spki);
  return opBytes(keyOp('dh', {}, keyObjectBytes(privateKey), pubBytes).secret);
}
