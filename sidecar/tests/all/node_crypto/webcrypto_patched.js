// Web Crypto for a guest that patched the builtins it could reach first: iterators, push,
// TypedArray set and length, an enumerable Object.prototype member, String toLowerCase.
Array.prototype[Symbol.iterator] = function* () { throw new Error('patched iterator'); };
Array.prototype.push = () => { throw new Error('patched push'); };
Uint8Array.prototype.set = () => { throw new Error('patched set'); };
Object.defineProperty(Uint8Array.prototype, 'length', { get() { throw new Error('patched length'); } });
Object.prototype.evil = 1;
String.prototype.toLowerCase = () => 'x';
(async () => {
  const { subtle } = crypto;
  const k = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt', 'decrypt']);
  const iv = new Uint8Array(12);
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv }, k, new Uint8Array(5));
  const pt = await subtle.decrypt({ name: 'AES-GCM', iv }, k, ct);
  const e = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, e.privateKey, new Uint8Array(3));
  const ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, e.publicKey, sig, new Uint8Array(3));
  const jwk = await subtle.exportKey('jwk', e.publicKey);
  const pb = await subtle.importKey('raw', new Uint8Array(4), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', salt: new Uint8Array(1), iterations: 2, hash: 'SHA-256' }, pb, 64);
  console.log(ct.byteLength, pt.byteLength, ok, Object.keys(jwk).join(), bits.byteLength);
})().catch((err) => console.log('failed', err.message));
