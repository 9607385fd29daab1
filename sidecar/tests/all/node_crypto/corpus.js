// Differential corpus for the crypto builtin: run under the host's Node 20 and under the sidecar,
// the two outputs must be equal line for line (sidecar/tests/all/node_crypto.rs). Uses no Buffer
// (the sidecar may not have one): bytes are printed as hex by `hex` below.
'use strict';
const crypto = require('crypto');

const hex = (u) => Array.from(new Uint8Array(u.buffer, u.byteOffset, u.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');
const out = (...parts) => console.log(parts.join('|'));
const bytes = (n, seed) => {
  const u = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    u[i] = x & 255;
  }
  return u;
};
const show = (v) => (typeof v === 'string' ? `s:${v}` : `b:${hex(v)}`);
const err = (label, fn) => {
  try {
    const r = fn();
    out(label, 'ok', typeof r === 'string' ? r : r && r.byteLength !== undefined ? hex(r) : String(r));
  } catch (e) {
    out(label, 'throw', e.name, e.code, e.message);
  }
};

const STRINGS = ['', 'abc', 'hello world', '\u20ac\ud834\udd1e caf\u00e9', 'lone \ud800 surrogate', 'a'.repeat(1000), 'ff00aa', 'aGVsbG8gd29ybGQ=', 'not-hex-zz'];
const BINARY = [0, 1, 55, 63, 64, 65, 111, 112, 127, 128, 129, 136, 1000, 65537].map((n, i) => bytes(n, i + 7));
const ALGS = crypto.getHashes().filter((a) => !/^(sm3|md5-sha1|sm3WithRSAEncryption|RSA-SM3)$/i.test(a));
out('hashes', ALGS.length);
const CANON = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'ripemd160', 'blake2b512', 'blake2s256', 'SHA256', 'RSA-SHA512/256', 'sha256WithRSAEncryption', 'rmd160'];

for (const alg of ALGS) {
  for (const [i, s] of STRINGS.entries()) out('hash', alg, 's', i, crypto.createHash(alg).update(s).digest('hex'));
  for (const [i, b] of BINARY.entries()) out('hash', alg, 'b', i, crypto.createHash(alg).update(b).digest('hex'));
}
for (const alg of CANON) {
  const b = BINARY[12];
  // Streamed in uneven pieces, and through other views of the same bytes.
  const h = crypto.createHash(alg);
  for (let at = 0, step = 1; at < b.length; at += step, step = step * 3 + 1) h.update(b.subarray(at, at + step));
  out('stream', alg, h.digest('hex'));
  out('views', alg, crypto.createHash(alg).update(new DataView(b.buffer, 8, 100)).update(new Uint16Array(b.buffer, 2, 10)).digest('hex'));
  for (const enc of ['hex', 'base64', 'base64url', 'latin1', 'binary', 'utf8', 'ucs2', 'utf16le', 'ascii', 'HEX', 'Base64', 'buffer', 'bogus']) {
    out('digest', alg, enc, show(crypto.createHash(alg).update('abc').digest(enc)));
  }
  for (const enc of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'ucs2', 'utf16le', 'UTF-8']) {
    for (const [i, s] of STRINGS.entries()) {
      if (enc === 'hex' && s.length % 2) continue;
      out('input', alg, enc, i, crypto.createHash(alg).update(s, enc).digest('hex'));
    }
  }
  const keys = ['', 'key', 'k'.repeat(200), bytes(64, 3), bytes(129, 4)];
  for (const [k, key] of keys.entries()) {
    for (const [i, s] of STRINGS.slice(0, 4).entries()) out('hmac', alg, k, i, crypto.createHmac(alg, key).update(s).digest('hex'));
    out('hmac', alg, k, 'b', crypto.createHmac(alg, key).update(BINARY[9]).digest('base64'));
  }
  const c = crypto.createHash(alg).update('part one ');
  const c2 = c.copy();
  out('copy', alg, c.update('A').digest('hex'), c2.update('B').digest('hex'));
  out('oneshot', alg, crypto.hash(alg, 'abc'), crypto.hash(alg, BINARY[3], 'base64'), show(crypto.hash(alg, 'x', 'buffer')));
}
for (const alg of ['shake128', 'shake256']) {
  for (const len of [0, 1, 16, 32, 100, 1000]) {
    out('xof', alg, len, crypto.createHash(alg, { outputLength: len }).update('abc').digest('hex'));
  }
  const x = crypto.createHash(alg).update('abc');
  out('xofcopy', alg, x.copy({ outputLength: 5 }).digest('hex'), x.digest('hex'));
  // A copy without an outputLength has the algorithm's default one, not the original's.
  const short = crypto.createHash(alg, { outputLength: 3 }).update('abc');
  out('xofcopy-default', alg, short.copy().digest('hex'), short.copy({ outputLength: 0 }).digest('hex'), short.digest('hex'));
}
out('random-aliases', Object.keys(crypto).filter((k) => /^(prng|rng|pseudoRandomBytes)$/.test(k)).length, crypto.prng === crypto.randomBytes);
for (const alg of ['md5', 'sha1', 'sha256', 'sha512', 'sha3-256', 'ripemd160']) {
  for (const iter of [1, 2, 1000]) {
    for (const len of [0, 1, 20, 64, 100]) {
      out('pbkdf2', alg, iter, len, hex(crypto.pbkdf2Sync('password', 'salt', iter, len, alg)));
    }
  }
  out('pbkdf2bin', alg, hex(crypto.pbkdf2Sync(bytes(100, 1), bytes(33, 2), 3, 77, alg)));
}
for (const [N, r, p, len] of [[16, 1, 1, 64], [1024, 8, 1, 32], [32, 2, 3, 0], [256, 1, 5, 100], [2, 1, 1, 16]]) {
  out('scrypt', N, r, p, len, hex(crypto.scryptSync('pw', 'NaCl', len, { N, r, p })));
  out('scrypt-alias', N, hex(crypto.scryptSync(bytes(9, 1), 'salt', 16, { cost: N, blockSize: r, parallelization: p })));
}
for (const alg of ['sha1', 'sha256', 'sha512', 'md5', 'sha3-256']) {
  for (const len of [0, 1, 32, 100]) out('hkdf', alg, len, hex(new Uint8Array(crypto.hkdfSync(alg, 'ikm', 'salt', 'info', len))));
  out('hkdf-bin', alg, hex(new Uint8Array(crypto.hkdfSync(alg, bytes(10, 5), bytes(0, 1), bytes(20, 6), 42))));
}
out('tse', crypto.timingSafeEqual(bytes(10, 1), bytes(10, 1)), crypto.timingSafeEqual(bytes(10, 1), bytes(10, 2)), crypto.timingSafeEqual(new Uint16Array(2), new Uint8Array(4)));

// Errors: name, code and message as Node's.
err('createHash-nope', () => crypto.createHash('nope'));
err('createHash-num', () => crypto.createHash(5));
err('createHash-xof-bad', () => crypto.createHash('sha256', { outputLength: 5 }));
err('createHash-xof-type', () => crypto.createHash('shake128', { outputLength: -1 }));
err('update-num', () => crypto.createHash('sha256').update(5));
err('update-obj', () => crypto.createHash('sha256').update({}));
err('update-null', () => crypto.createHash('sha256').update(null));
err('update-odd-hex', () => crypto.createHash('sha256').update('abc', 'hex'));
err('digest-twice', () => { const h = crypto.createHash('md5'); h.digest(); return h.digest(); });
err('update-after-digest', () => { const h = crypto.createHash('md5'); h.digest(); return h.update('x'); });
err('copy-after-digest', () => { const h = crypto.createHash('md5'); h.digest(); return h.copy(); });
err('hmac-nope', () => crypto.createHmac('nope', 'k'));
err('hmac-key-num', () => crypto.createHmac('sha256', 5));
err('hmac-key-null', () => crypto.createHmac('sha256', null));
err('hmac-twice', () => { const h = crypto.createHmac('sha256', 'k'); h.digest(); return h.digest('hex'); });
err('hash-nope', () => crypto.hash('nope', 'x'));
err('hash-input', () => crypto.hash('sha1', 5));
err('hash-enc', () => crypto.hash('sha1', 'x', 'nope'));
err('pbkdf2-iter0', () => crypto.pbkdf2Sync('a', 'b', 0, 10, 'sha1'));
err('pbkdf2-iter-frac', () => crypto.pbkdf2Sync('a', 'b', 1.5, 10, 'sha1'));
err('pbkdf2-iter-str', () => crypto.pbkdf2Sync('a', 'b', '1', 10, 'sha1'));
err('pbkdf2-keylen-neg', () => crypto.pbkdf2Sync('a', 'b', 1, -1, 'sha1'));
err('pbkdf2-keylen-big', () => crypto.pbkdf2Sync('a', 'b', 1, 2 ** 31, 'sha1'));
err('pbkdf2-digest', () => crypto.pbkdf2Sync('a', 'b', 1, 10, 'nope'));
err('pbkdf2-digest-undef', () => crypto.pbkdf2Sync('a', 'b', 1, 10));
err('pbkdf2-pw', () => crypto.pbkdf2Sync(5, 'b', 1, 10, 'sha1'));
err('pbkdf2-salt', () => crypto.pbkdf2Sync('a', {}, 1, 10, 'sha1'));
err('pbkdf2-nocb', () => crypto.pbkdf2('a', 'b', 1, 10, 'sha1'));
err('scrypt-N3', () => crypto.scryptSync('a', 'b', 16, { N: 3 }));
err('scrypt-N1', () => crypto.scryptSync('a', 'b', 16, { N: 1 }));
err('scrypt-maxmem', () => crypto.scryptSync('a', 'b', 16, { N: 16384, r: 8, p: 1, maxmem: 1024 }));
err('scrypt-big-N', () => crypto.scryptSync('a', 'b', 16, { N: 2 ** 20 }));
err('scrypt-p-huge', () => crypto.scryptSync('a', 'b', 16, { p: 2 ** 30 }));
err('scrypt-both-N', () => crypto.scryptSync('a', 'b', 16, { N: 16, cost: 16 }));
err('scrypt-N-neg', () => crypto.scryptSync('a', 'b', 16, { N: -1 }));
err('scrypt-keylen', () => crypto.scryptSync('a', 'b', -1));
err('scrypt-maxmem-neg', () => crypto.scryptSync('a', 'b', 16, { maxmem: -1 }));
err('hkdf-digest', () => crypto.hkdfSync('nope', 'k', 's', 'i', 10));
err('hkdf-len', () => crypto.hkdfSync('sha256', 'k', 's', 'i', 255 * 32 + 1));
err('hkdf-len-neg', () => crypto.hkdfSync('sha256', 'k', 's', 'i', -1));
err('hkdf-info', () => crypto.hkdfSync('sha256', 'k', 's', new Uint8Array(1025), 10));
err('hkdf-ikm', () => crypto.hkdfSync('sha256', 5, 's', 'i', 10));
err('hkdf-salt', () => crypto.hkdfSync('sha256', 'k', 5, 'i', 10));
err('random-neg', () => crypto.randomBytes(-1));
err('random-nan', () => crypto.randomBytes(NaN));
err('random-str', () => crypto.randomBytes('5'));
err('random-huge', () => crypto.randomBytes(2 ** 31));
err('random-cb', () => crypto.randomBytes(5, 'x'));
err('fill-type', () => crypto.randomFillSync('abc'));
err('fill-offset', () => crypto.randomFillSync(new Uint8Array(4), 5));
err('fill-size', () => crypto.randomFillSync(new Uint8Array(4), 1, 4));
err('fill-u32-offset', () => crypto.randomFillSync(new Uint32Array(4), 5));
err('fill-ok', () => crypto.randomFillSync(new Uint8Array(4), 4, 0));
err('int-max', () => crypto.randomInt(2 ** 48));
err('int-order', () => crypto.randomInt(5, 5));
err('int-unsafe', () => crypto.randomInt(2 ** 53));
err('int-float', () => crypto.randomInt(1.5));
err('int-range', () => crypto.randomInt(-(2 ** 47), 2 ** 47));
err('int-cb', () => crypto.randomInt(1, 2, 'x'));
err('uuid-opts', () => crypto.randomUUID(5));
err('uuid-opts-bool', () => crypto.randomUUID({ disableEntropyCache: 1 }));
err('tse-len', () => crypto.timingSafeEqual(new Uint8Array(2), new Uint8Array(3)));
err('tse-type', () => crypto.timingSafeEqual('ab', 'ab'));
err('grv-float', () => crypto.getRandomValues(new Float64Array(2)));
err('grv-quota', () => crypto.getRandomValues(new Uint8Array(65537)));
err('grv-dataview', () => crypto.getRandomValues(new DataView(new ArrayBuffer(4))));
err('grv-ok', () => crypto.getRandomValues(new Uint8Array(65536)).length);
out('uuid-shape', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
out('int-range', [crypto.randomInt(3) < 3, crypto.randomInt(-5, -4), crypto.randomInt(10, 11)].join(','));
out('random-len', crypto.randomBytes(0).length, crypto.randomBytes(33).length);
out('globals', typeof globalThis.crypto, crypto.webcrypto === globalThis.crypto, typeof crypto.subtle.digest, Object.prototype.toString.call(globalThis.crypto));
