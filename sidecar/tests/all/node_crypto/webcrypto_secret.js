// Web Crypto's secret-key algorithms (AES-GCM/CBC/CTR, PBKDF2, HKDF) over fixed keys and
// inputs, run by the host's Node and by a guest; the outputs are compared line by line.
'use strict';
const { subtle } = globalThis.crypto;

const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
const lines = [];
const log = (...a) => lines.push(a.join(' '));
async function settle(label, promise) {
  try {
    const v = await promise;
    log(label, 'ok', v instanceof ArrayBuffer ? hex(v) : JSON.stringify(v));
  } catch (e) {
    log(label, 'threw', e.name, e.message);
  }
}

(async () => {
  for (const bits of [128, 192, 256]) {
    const raw = bytes(bits / 8, bits);
    for (const name of ['AES-GCM', 'AES-CBC', 'AES-CTR']) {
      const key = await subtle.importKey('raw', raw, name, true, ['encrypt', 'decrypt']);
      log(name, bits, key.type, key.extractable, JSON.stringify(key.algorithm), key.usages.join());
      for (const len of [0, 1, 15, 16, 17, 100]) {
        const data = bytes(len, 7);
        const params =
          name === 'AES-GCM' ? { name, iv: bytes(12, 1), additionalData: bytes(5, 2) }
          : name === 'AES-CBC' ? { name, iv: bytes(16, 3) }
          : { name, counter: bytes(16, 4), length: 64 };
        const sealed = await subtle.encrypt(params, key, data);
        const opened = await subtle.decrypt(params, key, sealed);
        log(name, bits, len, hex(sealed), hex(opened) === hex(data));
      }
      await settle(`${name} jwk`, subtle.exportKey('jwk', key));
    }
  }
  const gcm = await subtle.importKey('raw', bytes(16, 9), 'AES-GCM', false, ['encrypt', 'decrypt']);
  for (const tagLength of [32, 96, 128, 33]) {
    const params = { name: 'AES-GCM', iv: bytes(12, 5), tagLength };
    await settle(`gcm tag ${tagLength}`, subtle.encrypt(params, gcm, bytes(20, 6)));
  }
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: bytes(12, 5) }, gcm, bytes(20, 6)));
  sealed[3] ^= 1;
  await settle('gcm tampered', subtle.decrypt({ name: 'AES-GCM', iv: bytes(12, 5) }, gcm, sealed));
  await settle('gcm short', subtle.decrypt({ name: 'AES-GCM', iv: bytes(12, 5) }, gcm, bytes(4, 1)));
  // Node 20 names this error InvalidAccessException, later ones InvalidAccessError: the message.
  await subtle.exportKey('raw', gcm).catch((e) => log('gcm export', e.message));
  const cbc = await subtle.importKey('raw', bytes(16, 9), 'AES-CBC', true, ['decrypt']);
  await settle('cbc bad iv', subtle.decrypt({ name: 'AES-CBC', iv: bytes(8, 1) }, cbc, bytes(16, 1)));
  await settle('cbc bad padding', subtle.decrypt({ name: 'AES-CBC', iv: bytes(16, 1) }, cbc, bytes(16, 1)));
  await settle('cbc no encrypt usage', subtle.encrypt({ name: 'AES-CBC', iv: bytes(16, 1) }, cbc, bytes(16, 1)));
  await settle('aes bad length', subtle.importKey('raw', bytes(20, 1), 'AES-GCM', true, ['encrypt']));
  await settle('aes bad usage', subtle.importKey('raw', bytes(16, 1), 'AES-GCM', true, ['sign']));
  const jwkKey = await subtle.importKey('jwk', { kty: 'oct', k: 'AAECAwQFBgcICQoLDA0ODw', alg: 'A128CBC' }, 'AES-CBC', true, ['encrypt']);
  log('jwk import', JSON.stringify(jwkKey.algorithm));
  await settle('jwk wrong alg', subtle.importKey('jwk', { kty: 'oct', k: 'AAECAwQFBgcICQoLDA0ODw', alg: 'A128GCM' }, 'AES-CBC', true, ['encrypt']));
  const gen = await subtle.generateKey({ name: 'AES-CTR', length: 192 }, true, ['encrypt']);
  log('generated', JSON.stringify(gen.algorithm), (await subtle.exportKey('raw', gen)).byteLength);
  await settle('generate 100', subtle.generateKey({ name: 'AES-GCM', length: 100 }, true, ['encrypt']));

  for (const hash of ['SHA-1', 'SHA-256', 'SHA-512']) {
    const pb = await subtle.importKey('raw', bytes(10, 1), 'PBKDF2', false, ['deriveBits', 'deriveKey']);
    log('pbkdf2 key', pb.type, pb.extractable, JSON.stringify(pb.algorithm), pb.usages.join());
    await settle(`pbkdf2 ${hash}`, subtle.deriveBits({ name: 'PBKDF2', salt: bytes(8, 2), iterations: 1000, hash }, pb, 256));
    const hk = await subtle.importKey('raw', bytes(22, 3), 'HKDF', false, ['deriveBits', 'deriveKey']);
    await settle(`hkdf ${hash}`, subtle.deriveBits({ name: 'HKDF', salt: bytes(13, 4), info: bytes(10, 5), hash }, hk, 336));
    const derived = await subtle.deriveKey({ name: 'HKDF', salt: bytes(13, 4), info: bytes(3, 5), hash }, hk, { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    await settle(`hkdf aes key ${hash}`, subtle.exportKey('raw', derived));
    const mac = await subtle.deriveKey({ name: 'PBKDF2', salt: bytes(8, 2), iterations: 10, hash }, pb, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    await settle(`pbkdf2 hmac key ${hash}`, subtle.exportKey('raw', mac));
  }
  const aes0 = await subtle.importKey('raw', bytes(16, 1), 'AES-GCM', false, ['encrypt']);
  const pb = await subtle.importKey('raw', bytes(10, 1), 'PBKDF2', false, ['deriveBits']);
  await settle('pbkdf2 extractable', subtle.importKey('raw', bytes(10, 1), 'PBKDF2', true, ['deriveBits']));
  await settle('pbkdf2 jwk', subtle.importKey('jwk', {}, 'PBKDF2', false, ['deriveBits']));
  await settle('pbkdf2 zero iterations', subtle.deriveBits({ name: 'PBKDF2', salt: bytes(8, 2), iterations: 0, hash: 'SHA-256' }, pb, 256));
  await settle('pbkdf2 odd length', subtle.deriveBits({ name: 'PBKDF2', salt: bytes(8, 2), iterations: 1, hash: 'SHA-256' }, pb, 12));
  await settle('pbkdf2 no deriveKey', subtle.deriveKey({ name: 'PBKDF2', salt: bytes(8, 2), iterations: 1, hash: 'SHA-256' }, pb, { name: 'AES-GCM', length: 128 }, true, ['encrypt']));
  await settle('pbkdf2 as hkdf', subtle.deriveBits({ name: 'HKDF', salt: bytes(8, 2), info: bytes(1, 1), hash: 'SHA-256' }, pb, 256));
  for (const hash of ['SHA-1', 'SHA-256', 'SHA-512']) {
    const mac = await subtle.importKey('raw', bytes(20, 8), { name: 'HMAC', hash }, true, ['sign']);
    const jwk = await subtle.exportKey('jwk', mac);
    log('hmac jwk', hash, JSON.stringify(jwk));
    const back = await subtle.importKey('jwk', jwk, { name: 'HMAC', hash }, true, ['sign']);
    await settle(`hmac jwk round trip ${hash}`, subtle.sign('HMAC', back, bytes(3, 1)));
  }
  const oct = { kty: 'oct', k: 'AAECAw', alg: 'HS256' };
  await settle('hmac jwk wrong alg', subtle.importKey('jwk', oct, { name: 'HMAC', hash: 'SHA-384' }, true, ['sign']));
  await settle('hmac jwk wrong kty', subtle.importKey('jwk', { ...oct, kty: 'EC' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']));
  await settle('hmac no hash', subtle.generateKey({ name: 'HMAC' }, true, ['sign']));
  await settle('aes no length', subtle.generateKey({ name: 'AES-GCM' }, true, ['encrypt']));
  await settle('gcm no iv', subtle.encrypt({ name: 'AES-GCM' }, aes0, bytes(1, 1)));
  const wrapper = await subtle.importKey('raw', bytes(32, 4), 'AES-GCM', false, ['wrapKey', 'unwrapKey']);
  const cbcWrapper = await subtle.importKey('raw', bytes(16, 4), 'AES-CBC', false, ['wrapKey', 'unwrapKey']);
  const inner = await subtle.importKey('raw', bytes(24, 6), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  const gcmWrap = { name: 'AES-GCM', iv: bytes(12, 9) };
  const cbcWrap = { name: 'AES-CBC', iv: bytes(16, 9) };
  for (const [label, format, wrapping, params] of [['gcm jwk', 'jwk', wrapper, gcmWrap], ['cbc raw', 'raw', cbcWrapper, cbcWrap]]) {
    const wrapped = await subtle.wrapKey(format, inner, wrapping, params);
    log('wrap', label, hex(wrapped));
    const back = await subtle.unwrapKey(format, wrapped, wrapping, params, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    await settle(`unwrapped ${label}`, subtle.exportKey('raw', back));
  }
  await settle('wrap without usage', subtle.wrapKey('raw', inner, aes0, gcmWrap));
  await settle('unwrap garbage', subtle.unwrapKey('raw', bytes(32, 1), wrapper, gcmWrap, 'AES-GCM', true, ['encrypt']));
  // Hostile parameters: lengths as WebIDL converts them, a getter that throws, a key of the
  // wrong algorithm, an HKDF output past 255 blocks.
  for (const length of [2 ** 32, 2 ** 10, NaN, 1e300, '64']) {
    const params = { name: 'PBKDF2', salt: bytes(1, 1), iterations: 1, hash: 'SHA-256' };
    await settle(`pbkdf2 length ${length}`, subtle.deriveBits(params, pb, length));
  }
  const hk = await subtle.importKey('raw', bytes(4, 1), 'HKDF', false, ['deriveBits']);
  const long = { name: 'HKDF', salt: bytes(1, 1), info: bytes(1, 1), hash: 'SHA-256' };
  await settle('hkdf too long', subtle.deriveBits(long, hk, 256 * 255 + 8));
  const aes = await subtle.importKey('raw', bytes(16, 1), 'AES-GCM', false, ['encrypt']);
  const throwing = { name: 'AES-GCM', get iv() { throw new Error('getter'); } };
  await settle('iv getter throws', subtle.encrypt(throwing, aes, bytes(1, 1)));
  const ctr = { name: 'AES-CTR', counter: bytes(16, 1), length: 64 };
  await settle('ctr with a gcm key', subtle.encrypt(ctr, aes, bytes(1, 1)));
  console.log(lines.join('\n'));
})();
