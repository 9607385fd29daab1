// A SharedArrayBuffer is accepted wherever Node takes "any ArrayBuffer": Buffer, Blob,
// TextDecoder, crypto's KDFs and hashes, zlib, util.types (SharedArrayBuffer is not in the
// runner's snapshot: it appears only when an exec starts).
const crypto = require('crypto');
const zlib = require('zlib');
const util = require('util');

const sab = new SharedArrayBuffer(8);
const view = new Uint8Array(sab);
for (let i = 0; i < 8; i++) view[i] = 0x61 + i;

const show = (label, fn) => {
  try {
    console.log(label, fn());
  } catch (e) {
    console.log(label, 'throws', e.name, e.code);
  }
};

show('types', () => [util.types.isSharedArrayBuffer(sab), util.types.isAnyArrayBuffer(sab), util.types.isArrayBuffer(sab)]);
show('Buffer.from shares', () => {
  const b = Buffer.from(sab, 2, 3);
  view[2] = 0x5a;
  return b.toString('latin1');
});
show('Buffer.from out of range', () => Buffer.from(sab, 9));
show('Buffer.byteLength', () => Buffer.byteLength(sab));
show('TextDecoder', () => new TextDecoder().decode(sab));
show('hkdfSync', () => Buffer.from(crypto.hkdfSync('sha256', sab, sab, sab, 16)).toString('hex'));
show('pbkdf2Sync', () => crypto.pbkdf2Sync(sab, sab, 2, 16, 'sha256').toString('hex'));
show('createHash', () => crypto.createHash('sha256').update(new Uint8Array(sab)).digest('hex'));
show('createHmac key', () => crypto.createHmac('sha256', Buffer.from(sab)).update('x').digest('hex'));
show('inflateSync', () => {
  const packed = zlib.deflateSync('shared bytes');
  const shared = new SharedArrayBuffer(packed.length);
  new Uint8Array(shared).set(packed);
  return zlib.inflateSync(shared).toString();
});
show('randomFillSync', () => crypto.randomFillSync(new Uint8Array(new SharedArrayBuffer(4))).length);
new Blob([sab]).text().then((text) => console.log('Blob text', text));
