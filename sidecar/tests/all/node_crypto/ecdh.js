// node:crypto's ECDH (createECDH, the ECDH class, ECDH.convertKey) printed line by line so the
// host's Node and a guest can be compared. Fixed scalars make every key and secret
// deterministic; generated keys are checked by agreeing both ways.
'use strict';
const crypto = require('crypto');
const { ECDH } = crypto;

const out = (...parts) => console.log(parts.join(' '));
function attempt(what, fn) {
  try {
    const value = fn();
    out(what, 'ok', Buffer.isBuffer(value) ? value.toString('hex') : String(value));
  } catch (e) {
    out(what, 'threw', e.name, e.code, e.message);
  }
}

const SCALARS = {
  prime256v1: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
  secp256k1: 'cafebabe'.repeat(8),
  secp384r1: '6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5',
  secp521r1: '00fad06daa62ba3b25d2fb40133da757205de67f5bb0018fee8c86e1b68c7e75caa896eb32f1f47c70855836a6d16fcc1466f6d8fbec67db89ec0c08b0e996b83538',
};

out('curves', crypto.getCurves().filter((c) => c in SCALARS).join(','));
for (const [curve, scalar] of Object.entries(SCALARS)) {
  const a = crypto.createECDH(curve);
  a.setPrivateKey(scalar, 'hex');
  for (const format of ['uncompressed', 'compressed', 'hybrid']) {
    out(curve, format, a.getPublicKey('hex', format));
  }
  out(curve, 'private', a.getPrivateKey('hex'));
  out(curve, 'private base64', a.getPrivateKey('base64'));
  const b = ECDH(curve);
  const bPub = b.generateKeys();
  const ab = a.computeSecret(bPub);
  const ba = b.computeSecret(a.getPublicKey(null, 'compressed'));
  out(curve, 'agree', ab.equals(ba), ab.length);
  const c = crypto.createECDH(curve);
  c.setPrivateKey(Buffer.from('01', 'hex'));
  out(curve, 'scalar one', c.getPublicKey('hex', 'compressed'));
  out(curve, 'fixed secret', a.computeSecret(c.getPublicKey('hex'), 'hex', 'hex'));
  out(curve, 'convert', ECDH.convertKey(a.getPublicKey('hex', 'compressed'), curve, 'hex', 'hex', 'uncompressed'));
  out(curve, 'convert base64', ECDH.convertKey(a.getPublicKey(), curve, undefined, 'base64', 'hybrid'));
  attempt(`${curve} secret with a bad point`, () => a.computeSecret(Buffer.alloc(65, 4)));
  attempt(`${curve} zero scalar`, () => crypto.createECDH(curve).setPrivateKey(Buffer.alloc(32)));
  attempt(`${curve} scalar too long`, () => crypto.createECDH(curve).setPrivateKey(Buffer.alloc(80, 1)));
}

const k1 = crypto.createECDH('secp256k1');
k1.setPrivateKey('cafebabe'.repeat(8), 'hex');
out('setPublicKey', k1.setPublicKey(k1.getPublicKey()) === k1);
attempt('bad curve', () => crypto.createECDH('nope'));
attempt('curve not a string', () => crypto.createECDH(5));
attempt('bad format', () => k1.getPublicKey('hex', 'sideways'));
attempt('format 10', () => ECDH.convertKey(k1.getPublicKey(), 'secp256k1', 'hex', 'hex', 10));
attempt('convert bad point', () => ECDH.convertKey('f'.repeat(128), 'secp521r1', 'hex', 'hex', 'compressed'));
attempt('convert without a key', () => ECDH.convertKey());
attempt('convert bad curve', () => ECDH.convertKey(k1.getPublicKey(), 'badcurve'));
attempt('secret of a number', () => k1.computeSecret(5));
attempt('P-256 name', () => crypto.createECDH('P-256').generateKeys().length);
attempt('public before keys', () => crypto.createECDH('prime256v1').getPublicKey());
attempt('private before keys', () => crypto.createECDH('prime256v1').getPrivateKey());
out('instance', k1 instanceof ECDH, typeof ECDH.convertKey);
