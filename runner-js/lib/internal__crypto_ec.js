// lib/internal__crypto_ec.js: what node:crypto's ECDH and Web Crypto's EC keys share: the named
// curves here (field sizes, OIDs), the DER around a bare point or scalar (SubjectPublicKeyInfo,
// SEC1 ECPrivateKey) that lets agentos-keys read and check it, and SEC1's point encodings.
import {
  ArrayPrototypeConcat,
  ArrayPrototypePush,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSet,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';

/** OpenSSL's curve name -> [field bytes, the curve's OID as DER]. */
const CURVES = {
  __proto__: null,
  prime256v1: [32, [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]],
  secp384r1: [48, [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]],
  secp521r1: [66, [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23]],
  secp256k1: [32, [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a]],
};
/** id-ecPublicKey (1.2.840.10045.2.1) as DER. */
const EC_PUBLIC_KEY_OID = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/** `name` when it is a curve here (by OpenSSL's name, as `createECDH` takes it), else undefined. */
export function ecCurve(name) {
  return CURVES[name] !== undefined ? name : undefined;
}

/** The curves here, as `crypto.getCurves()` lists them. */
export function ecCurveNames() {
  return ['prime256v1', 'secp256k1', 'secp384r1', 'secp521r1'];
}

/** The byte length of a coordinate (and a scalar) on `curve`. */
export function fieldBytes(curve) {
  return CURVES[curve][0];
}

/** A DER element of `tag` around `content` (an array of bytes, shorter than 64 KiB). */
function derOf(tag, content) {
  const n = content.length;
  const head = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff];
  return ArrayPrototypeConcat(head, content);
}

function arrayOf(bytes, first) {
  const out = first === undefined ? [] : [first];
  const length = TypedArrayPrototypeGetByteLength(bytes);
  for (let i = 0; i < length; i++) ArrayPrototypePush(out, bytes[i]);
  return out;
}

/**
 * The SubjectPublicKeyInfo of SEC1 point `point` (any form) on `curve`. The caller bounds the
 * point's length (no point is longer than 1 + 2 * fieldBytes).
 */
export function ecSpki(curve, point) {
  const algorithm = derOf(0x30, ArrayPrototypeConcat(EC_PUBLIC_KEY_OID, CURVES[curve][1]));
  return new Uint8ArrayCtor(
    derOf(0x30, ArrayPrototypeConcat(algorithm, derOf(0x03, arrayOf(point, 0)))),
  );
}

/** The SEC1 ECPrivateKey of scalar `scalar` (big-endian, at most fieldBytes long) on `curve`. */
export function ecSec1Private(curve, scalar) {
  const size = fieldBytes(curve);
  const padded = new Uint8ArrayCtor(size);
  TypedArrayPrototypeSet(padded, scalar, size - TypedArrayPrototypeGetByteLength(scalar));
  const body = ArrayPrototypeConcat(
    [0x02, 0x01, 0x01],
    derOf(0x04, arrayOf(padded)),
    derOf(0xa0, CURVES[curve][1]),
  );
  return new Uint8ArrayCtor(derOf(0x30, body));
}

/** SEC1's encoding of point (x, y): 'uncompressed' (04), 'compressed' (02/03), 'hybrid' (06/07). */
export function encodePoint(x, y, format) {
  const size = TypedArrayPrototypeGetByteLength(x);
  const odd = y[size - 1] & 1;
  if (format === 'compressed') {
    const out = new Uint8ArrayCtor(1 + size);
    out[0] = 2 | odd;
    TypedArrayPrototypeSet(out, x, 1);
    return out;
  }
  const out = new Uint8ArrayCtor(1 + 2 * size);
  out[0] = format === 'hybrid' ? 6 | odd : 4;
  TypedArrayPrototypeSet(out, x, 1);
  TypedArrayPrototypeSet(out, y, 1 + size);
  return out;
}
