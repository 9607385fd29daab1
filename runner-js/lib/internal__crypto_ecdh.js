// lib/internal__crypto_ecdh.js: `crypto.createECDH(curve)` and the `ECDH` class (also callable
// without `new`, as Node's): `generateKeys`, `computeSecret`, `getPublicKey`/`getPrivateKey` (a
// point as 'uncompressed', 'compressed' or 'hybrid'), `setPrivateKey`, `setPublicKey`, and
// `ECDH.convertKey`, on the curves of lib/internal__crypto_ec.js. The key is a PKCS#8 DER held
// in a WeakMap beside the object; every operation is agentos-keys' (through `keyOp`), which
// checks points and scalars.
import {
  ErrorCtor,
  ObjectDefineProperty,
  RangeErrorCtor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeNativeError, makeNodeError } from '../js/06_errors.js';
import { ecCurve, ecSec1Private, ecSpki, encodePoint, fieldBytes } from './internal__crypto_ec.js';
import { keyOp, opBytes } from './internal__crypto_pkey.js';
import {
  arrayBufferOrView,
  encodeBytes,
  stringBytes,
  validateString,
} from './internal__crypto_util.js';

const FORMATS = ['uncompressed', 'compressed', 'hybrid'];

/** Each ECDH's key, out of the guest's reach (Node keeps it in a native handle). */
const states = new WeakMapCtor();

function invalidCurve() {
  return makeNodeError(TypeErrorCtor, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name');
}

/** Node's native ECDH failures: no [code] in their string form. */
function failed(message) {
  return makeNativeError(ErrorCtor, 'ERR_CRYPTO_OPERATION_FAILED', message);
}

/** Node's getFormat: the point format named, 'uncompressed' when none is. */
function formatOf(format) {
  if (!format) return 'uncompressed';
  for (let i = 0; i < FORMATS.length; i++) if (format === FORMATS[i]) return format;
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_CRYPTO_ECDH_INVALID_FORMAT',
    `Invalid ECDH format: ${format}`,
  );
}

/** The (x, y) of a point (any SEC1 form) on `curve`, checked; undefined when it is not one. */
function pointOf(curve, point) {
  if (TypedArrayPrototypeGetByteLength(point) > 1 + 2 * fieldBytes(curve)) return undefined;
  let jwk;
  try {
    const key = keyOp(
      'import',
      { format: 'der', type: 'spki', want: 'public' },
      ecSpki(curve, point),
    );
    jwk = keyOp('export', { kind: 'public', format: 'jwk' }, opBytes(key.der)).jwk;
  } catch {
    return undefined;
  }
  return { x: stringBytes(jwk.x, 'base64url'), y: stringBytes(jwk.y, 'base64url') };
}

/** Leading zero bytes dropped, as OpenSSL's BN_bn2bin writes a number. */
function unpadded(bytes) {
  let start = 0;
  const length = TypedArrayPrototypeGetByteLength(bytes);
  while (start < length - 1 && bytes[start] === 0) start++;
  return TypedArrayPrototypeSubarray(bytes, start);
}

export function ECDH(curve) {
  if (!(this instanceof ECDH)) return new ECDH(curve);
  validateString(curve, 'curve');
  const name = ecCurve(curve);
  if (name === undefined) throw invalidCurve();
  WeakMapPrototypeSet(states, this, {
    curve: name,
    private: undefined,
    public: undefined,
    derived: undefined,
    scalar: undefined,
  });
}

/** The state of ECDH `self`; a TypeError for anything else, as Node's native methods throw. */
function state(self) {
  const s = WeakMapPrototypeGet(states, self);
  if (s === undefined) throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_THIS', 'Illegal invocation');
  return s;
}

/** Keeps the private key of PKCS#8 `der`, its scalar and its public point in state `s`. */
function keep(s, der) {
  const jwk = keyOp('export', { kind: 'private', format: 'jwk' }, der).jwk;
  s.private = der;
  s.public = { x: stringBytes(jwk.x, 'base64url'), y: stringBytes(jwk.y, 'base64url') };
  s.derived = s.public;
  s.scalar = stringBytes(jwk.d, 'base64url');
}

ECDH.prototype.generateKeys = function generateKeys(encoding, format) {
  const s = state(this);
  const pair = keyOp('generate', { type: 'ec', namedCurve: s.curve });
  keep(s, opBytes(pair.private.der));
  return this.getPublicKey(encoding, format);
};

ECDH.prototype.computeSecret = function computeSecret(key, inEnc, outEnc) {
  const s = state(this);
  const point = arrayBufferOrView(key, 'key', inEnc);
  // Node's IsKeyPairValid: a private key whose own public point is still the one set.
  if (s.private === undefined || s.public !== s.derived) {
    throw makeNodeError(RangeErrorCtor, 'ERR_CRYPTO_INVALID_KEYPAIR', 'Invalid key pair');
  }
  if (pointOf(s.curve, point) === undefined) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY',
      'Public key is not valid for specified curve',
    );
  }
  const secret = keyOp('dh', {}, s.private, ecSpki(s.curve, point)).secret;
  return encodeBytes(opBytes(secret), outEnc);
};

ECDH.prototype.getPublicKey = function getPublicKey(encoding, format) {
  const s = state(this);
  const f = formatOf(format);
  if (s.public === undefined) throw failed('Failed to get ECDH public key');
  return encodeBytes(encodePoint(s.public.x, s.public.y, f), encoding);
};

ECDH.prototype.getPrivateKey = function getPrivateKey(encoding) {
  const s = state(this);
  if (s.scalar === undefined) throw failed('Failed to get ECDH private key');
  return encodeBytes(unpadded(s.scalar), encoding);
};

ECDH.prototype.setPrivateKey = function setPrivateKey(key, encoding) {
  const s = state(this);
  const scalar = arrayBufferOrView(key, 'key', encoding);
  let der;
  try {
    if (TypedArrayPrototypeGetByteLength(scalar) > fieldBytes(s.curve)) throw invalidCurve();
    const sec1 = ecSec1Private(s.curve, scalar);
    der = opBytes(keyOp('import', { format: 'der', type: 'sec1', want: 'private' }, sec1).der);
  } catch {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_CRYPTO_INVALID_KEYTYPE',
      'Private key is not valid for specified curve.',
    );
  }
  keep(s, der);
  return this;
};

ECDH.prototype.setPublicKey = function setPublicKey(key, encoding) {
  const s = state(this);
  const point = pointOf(s.curve, arrayBufferOrView(key, 'key', encoding));
  if (point === undefined) throw failed('Failed to convert Buffer to EC_POINT');
  s.public = point;
  return this;
};

ECDH.convertKey = function convertKey(key, curve, inEnc, outEnc, format) {
  validateString(curve, 'curve');
  const bytes = arrayBufferOrView(key, 'key', inEnc);
  const name = ecCurve(curve);
  if (name === undefined) throw invalidCurve();
  const f = formatOf(format);
  const point = pointOf(name, bytes);
  if (point === undefined) throw failed('Failed to convert Buffer to EC_POINT');
  return encodeBytes(encodePoint(point.x, point.y, f), outEnc);
};

ObjectDefineProperty(ECDH, 'name', { __proto__: null, value: 'ECDH' });

/** `crypto.createECDH(curve)`. */
export function createECDH(curve) {
  return new ECDH(curve);
}
