// lib/internal__crypto_dh.js: classic (finite-field) Diffie-Hellman: `crypto.createDiffieHellman`,
// `crypto.getDiffieHellman` / `createDiffieHellmanGroup` (the MODP groups), and the
// `DiffieHellman` and `DiffieHellmanGroup` classes (callable without `new`, as Node's). The
// numbers are agentos-keys' (keys/src/dh.rs, through `keyOp`): a generated prime is searched for
// in slices of PRIME_SLICE_MS, so that a kill or timeout takes effect between them; `verifyError`
// is OpenSSL's DH_check. Each object's numbers sit in a WeakMap beside it.
import {
  ArrayBufferIsView,
  ErrorCtor,
  ObjectDefineProperty,
  RangeErrorCtor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSlice,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { normalizeEncoding } from './internal__buffer.js';
import { keyOp, opBytes } from './internal__crypto_pkey.js';
import { arrayBufferOrView, encodeBytes, validateInt32 } from './internal__crypto_util.js';

const DH_GENERATOR = 2;
const PRIME_SLICE_MS = 20;
const SOURCE_TYPES =
  'one of type number or string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView';

/** Each object's { prime, generator, privateBits, private, public }. */
const states = new WeakMapCtor();

function state(self) {
  const s = WeakMapPrototypeGet(states, self);
  if (s === undefined) throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_THIS', 'Illegal invocation');
  return s;
}

function invalidState(what) {
  return makeNodeError(
    ErrorCtor,
    'ERR_CRYPTO_INVALID_STATE',
    `No ${what} key - did you forget to generate one?`,
  );
}

function isBytes(value) {
  return ArrayBufferIsView(value) || isAnyArrayBuffer(value);
}

function isEncoding(encoding) {
  return (
    typeof encoding === 'string' &&
    encoding.length !== 0 &&
    normalizeEncoding(encoding) !== undefined
  );
}

/** A copy of `bytes` without leading zero bytes, as OpenSSL's BN_bn2bin writes a number. */
function unpadded(bytes) {
  let start = 0;
  const length = TypedArrayPrototypeGetByteLength(bytes);
  while (start < length && bytes[start] === 0) start++;
  return TypedArrayPrototypeSlice(TypedArrayPrototypeSubarray(bytes, start));
}

/** Node's encode of a number the object keeps: a Buffer gets a copy of it. */
function encoded(bytes, encoding) {
  return encodeBytes(TypedArrayPrototypeSlice(bytes), encoding);
}

/** A safe prime of `bits` bits for `generator`, searched for a slice at a time. */
function generatePrime(bits, generator) {
  const spec = { bits, generator, budgetMs: PRIME_SLICE_MS };
  for (;;) {
    const found = keyOp('dhPrime', spec).prime;
    if (found !== null) return opBytes(found);
  }
}

function badGenerator() {
  return makeNodeError(
    ErrorCtor,
    'ERR_OSSL_DH_BAD_GENERATOR',
    'error:02800065:Diffie-Hellman routines::bad generator',
  );
}

/** The generator as bytes: Node's rules for a number (0 means 2) or bytes. */
function generatorBytes(generator) {
  if (typeof generator !== 'number') {
    const bytes = unpadded(generator);
    const length = TypedArrayPrototypeGetByteLength(bytes);
    if (length === 0 || (length === 1 && bytes[0] === 1)) throw badGenerator();
    return bytes;
  }
  if (generator < 2) throw badGenerator();
  const out = [];
  for (let g = generator; g > 0; g = (g - (g % 256)) / 256) out[out.length] = g % 256;
  const bytes = new Uint8ArrayCtor(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out[out.length - 1 - i];
  return bytes;
}

/** The state of a DiffieHellman over a prime generated or given (Node's _DiffieHellman). */
function newState(sizeOrKey, generator) {
  if (typeof sizeOrKey === 'number') {
    if (typeof generator !== 'number') {
      throw new ErrorCtor('Initialization failed');
    }
    if (generator < 2) throw badGenerator();
    const prime = generatePrime(sizeOrKey, generator);
    return { prime, generator: generatorBytes(generator), verifyError: 0 };
  }
  if (TypedArrayPrototypeGetByteLength(sizeOrKey) === 0) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_OSSL_BN_BITS_TOO_SMALL',
      'error:01800076:bignum routines::bits too small',
    );
  }
  const prime = unpadded(sizeOrKey);
  const g = generatorBytes(generator);
  return { prime, generator: g, verifyError: keyOp('dhCheck', {}, prime, g).verifyError };
}

function defineVerifyError(self, value) {
  ObjectDefineProperty(self, 'verifyError', {
    __proto__: null,
    enumerable: true,
    value,
    writable: false,
  });
}

export function DiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding) {
  if (!(this instanceof DiffieHellman)) {
    return new DiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding);
  }
  if (typeof sizeOrKey !== 'number' && typeof sizeOrKey !== 'string' && !isBytes(sizeOrKey)) {
    throw makeInvalidArgType('sizeOrKey', SOURCE_TYPES, sizeOrKey);
  }
  if (typeof sizeOrKey === 'number') validateInt32(sizeOrKey, 'sizeOrKey');
  if (keyEncoding && !isEncoding(keyEncoding) && keyEncoding !== 'buffer') {
    genEncoding = generator;
    generator = keyEncoding;
    keyEncoding = false;
  }
  if (typeof sizeOrKey !== 'number') {
    sizeOrKey = arrayBufferOrView(sizeOrKey, 'sizeOrKey', keyEncoding);
  }
  if (!generator) {
    generator = DH_GENERATOR;
  } else if (typeof generator === 'number') {
    validateInt32(generator, 'generator');
  } else if (typeof generator === 'string' || isBytes(generator)) {
    generator = arrayBufferOrView(generator, 'generator', genEncoding);
  } else {
    throw makeInvalidArgType('generator', SOURCE_TYPES, generator);
  }
  const s = newState(sizeOrKey, generator);
  s.privateBits = undefined;
  WeakMapPrototypeSet(states, this, s);
  defineVerifyError(this, s.verifyError);
}

export function DiffieHellmanGroup(name) {
  if (!(this instanceof DiffieHellmanGroup)) return new DiffieHellmanGroup(name);
  if (typeof name !== 'string') {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', 'Group name must be a string');
  }
  const group = keyOp('dhGroup', { name });
  WeakMapPrototypeSet(states, this, {
    prime: opBytes(group.prime),
    generator: generatorBytes(DH_GENERATOR),
    privateBits: group.privateBits,
  });
  defineVerifyError(this, 0);
}

function generateKeys(encoding) {
  const s = state(this);
  const keep = s.private !== undefined;
  const spec = { keep, privateBits: s.privateBits };
  const pair = keyOp('dhKeys', spec, s.prime, s.generator, keep ? s.private : undefined);
  s.private = opBytes(pair.private);
  s.public = opBytes(pair.public);
  return encoded(s.public, encoding);
}

function computeSecret(key, inEnc, outEnc) {
  const s = state(this);
  const peer = arrayBufferOrView(key, 'key', inEnc);
  if (s.private === undefined) throw invalidState('private');
  const out = keyOp('dhSecret', {}, s.prime, s.private, peer);
  if (out.invalid !== undefined) {
    throw makeNodeError(RangeErrorCtor, 'ERR_CRYPTO_INVALID_KEYLEN', out.invalid);
  }
  return encoded(opBytes(out.secret), outEnc);
}

function getPrime(encoding) {
  return encoded(state(this).prime, encoding);
}

function getGenerator(encoding) {
  return encoded(state(this).generator, encoding);
}

function getPublicKey(encoding) {
  const s = state(this);
  if (s.public === undefined) throw invalidState('public');
  return encoded(s.public, encoding);
}

function getPrivateKey(encoding) {
  const s = state(this);
  if (s.private === undefined) throw invalidState('private');
  return encoded(s.private, encoding);
}

const SHARED = [generateKeys, computeSecret, getPrime, getGenerator, getPublicKey, getPrivateKey];
for (let i = 0; i < SHARED.length; i++) {
  DiffieHellman.prototype[SHARED[i].name] = SHARED[i];
  DiffieHellmanGroup.prototype[SHARED[i].name] = SHARED[i];
}

DiffieHellman.prototype.setPublicKey = function setPublicKey(key, encoding) {
  state(this).public = unpadded(arrayBufferOrView(key, 'key', encoding));
  return this;
};

DiffieHellman.prototype.setPrivateKey = function setPrivateKey(key, encoding) {
  state(this).private = unpadded(arrayBufferOrView(key, 'key', encoding));
  return this;
};

/** `crypto.createDiffieHellman(...)`. */
export function createDiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding) {
  return new DiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding);
}

/** `crypto.getDiffieHellman(name)` (also `createDiffieHellmanGroup`). */
export function getDiffieHellman(name) {
  return new DiffieHellmanGroup(name);
}

export const createDiffieHellmanGroup = getDiffieHellman;
