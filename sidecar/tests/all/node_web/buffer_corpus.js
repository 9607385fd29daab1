// Buffer differential corpus: every line is `label => result`; run under Node 20 and the sidecar.
'use strict';
const { Buffer: B, constants, kMaxLength, isUtf8, isAscii, transcode } = require('buffer');
const out = [];
function show(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (B.isBuffer(v)) return `<${v.toString('hex')}|${v.length}>`;
  if (v instanceof Uint8Array) return `u8<${B.from(v).toString('hex')}>`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}
function t(label, fn) {
  let r;
  try {
    r = show(fn());
  } catch (e) {
    r = `THROW ${e && e.name} ${e && e.code} ${e && e.message}`;
  }
  out.push(`${label} => ${r}`);
}

const strings = [
  '', 'a', 'hello world', 'h\u00e9llo', '\u20ac', '\ud83d\ude00', 'a\ud800b', '\udc00', '\ud800',
  '\u0000\u0001\u007f\u0080\u00ff', 'SGVsbG8=', 'SGVsbG8', 'SGV sbG8\n=', 'QQ==QUJD', '-_-_', '+/+/',
  'zz', 'abc', 'ABCDEF0123', 'a\u0162', 'QQ\u013dQ', '====', 'Q', 'QU', 'QUJ', 'QUJD', 'QUJDR',
  '\u00e9\u00e8\u00ea', '\u4e2d\u6587', 'x'.repeat(100), '\u00ff'.repeat(5),
];
const encodings = ['utf8', 'utf-8', 'UTF8', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le', 'latin1',
  'binary', 'ascii', 'base64', 'base64url', 'hex', 'HEX', 'Base64'];

for (const s of strings) {
  for (const e of encodings) {
    t(`from(${JSON.stringify(s)}, ${e})`, () => B.from(s, e));
    t(`byteLength(${JSON.stringify(s)}, ${e})`, () => B.byteLength(s, e));
  }
}
const byteSets = [[], [0], [0x61], [0xff], [0x80, 0x81], [0xc3, 0xa9], [0xe2, 0x82, 0xac],
  [0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80], [0xf0, 0x9f], [0xed, 0xa0, 0x80], [0xc0, 0x80],
  [0x61, 0x00, 0x62, 0x00, 0x63], [0x3d, 0xd8, 0x00, 0xde], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  Array.from({ length: 256 }, (_, i) => i)];
for (const bytes of byteSets) {
  const buf = B.from(bytes);
  for (const e of encodings) {
    t(`toString([${bytes.slice(0, 8)}..${bytes.length}], ${e})`, () => buf.toString(e));
    t(`toString(${e}, 1, 3) of ${bytes.length}`, () => buf.toString(e, 1, 3));
  }
  t(`json ${bytes.length}`, () => buf.toJSON());
  t(`isUtf8 ${bytes}`, () => isUtf8(buf));
  t(`isAscii ${bytes}`, () => isAscii(buf));
}

// alloc / sizes / errors
for (const size of [0, 1, 5, 1.5, -1, NaN, '5', null, undefined, 2 ** 32 + 1, Infinity]) {
  t(`alloc(${String(size)})`, () => B.alloc(size).length);
  t(`allocUnsafe(${String(size)})`, () => B.allocUnsafe(size).length);
}
t('alloc fill str', () => B.alloc(5, 'ab'));
t('alloc fill hex', () => B.alloc(5, 'abc', 'hex'));
t('alloc fill bad hex', () => B.alloc(5, 'zz', 'hex'));
t('alloc fill euro', () => B.alloc(5, '\u20ac'));
t('alloc fill num', () => B.alloc(3, 257));
t('alloc fill buf', () => B.alloc(5, B.from([1, 2])));
t('alloc fill empty buf', () => B.alloc(5, B.alloc(0)));
t('alloc fill bad enc', () => B.alloc(5, 'a', 'nope'));
t('alloc fill ucs2', () => B.alloc(5, 'ab', 'ucs2'));
t('alloc fill base64', () => B.alloc(7, 'QUJD', 'base64'));
t('kMaxLength', () => [kMaxLength, constants.MAX_LENGTH, constants.MAX_STRING_LENGTH]);

// from
t('from array', () => B.from([1, 2, 256, -1, 1.5, 'x']));
t('from arraylike', () => B.from({ length: 3, 0: 1, 1: 2 }));
t('from json', () => B.from({ type: 'Buffer', data: [1, 2] }));
t('from number', () => B.from(5));
t('from object', () => B.from({}));
t('from null', () => B.from(null));
t('from String obj', () => B.from(new String('abc')));
t('from toPrimitive', () => B.from({ [Symbol.toPrimitive]: () => 'xy' }));
t('from ab', () => { const ab = new ArrayBuffer(8); const b = B.from(ab, 2, 3); b[0] = 9; return [b.length, new Uint8Array(ab)[2]]; });
t('from ab off', () => B.from(new ArrayBuffer(4), 5));
t('from ab len', () => B.from(new ArrayBuffer(4), 1, 4));
t('from u16', () => B.from(new Uint16Array([1, 258])));
t('from buf copies', () => { const a = B.from([1]); const b = B.from(a); b[0] = 2; return a[0]; });
t('pool', () => B.from('abc').buffer.byteLength);
t('unsafe pool', () => B.allocUnsafe(10).buffer.byteLength);
t('big not pooled', () => B.from('x'.repeat(5000)).buffer.byteLength);
t('b64 exact', () => { const b = B.from('QU JD '.repeat(2000), 'base64'); return [b.length, b.buffer.byteLength]; });
t('of', () => B.of(1, 2, 300));
t('copyBytesFrom', () => B.copyBytesFrom(new Uint16Array([1, 2, 3]), 1, 1));
t('copyBytesFrom bad', () => B.copyBytesFrom([1]));

// concat / compare / equals
t('concat', () => B.concat([B.from('a'), new Uint8Array([98]), B.from('c')]));
t('concat len', () => B.concat([B.from('abc')], 5));
t('concat short', () => B.concat([B.from('abc')], 2));
t('concat bad', () => B.concat([1]));
t('concat notarray', () => B.concat('x'));
t('concat empty', () => B.concat([]));
t('compare', () => [B.compare(B.from('a'), B.from('b')), B.compare(B.from('b'), B.from('a')), B.compare(B.from('a'), B.from('a')), B.compare(B.from('a'), B.from('ab'))]);
t('compare bad', () => B.compare('a', B.from('a')));
t('cmp ranges', () => B.from('abcdef').compare(B.from('xxcdxx'), 2, 4, 2, 4));
t('cmp ranges2', () => [B.from('abc').compare(B.from('abc'), 0, 0, 1, 1), B.from('abc').compare(B.from('abc'), 5), B.from('abc').compare(B.from('abc'), 0, 2, 0, 3)]);
t('cmp bad range', () => B.from('abc').compare(B.from('abc'), 0, 9));
t('equals', () => [B.from('a').equals(B.from('a')), B.from('a').equals(new Uint8Array([97])), B.from('a').equals(B.from('b'))]);
t('equals bad', () => B.from('a').equals('a'));

// indexOf family
const hay = B.from('abcabc\u20acxyz\u20ac');
const needles = ['a', 'bc', 'abc', '', 'zz', '\u20ac', 99, 0x161, -1, B.from('ca'), B.alloc(0), new Uint8Array([120])];
for (const n of needles) {
  for (const off of [undefined, 0, 1, 3, -1, -4, 100, -100, 1.5, '1', null, NaN]) {
    t(`indexOf(${show(n)}, ${String(off)})`, () => hay.indexOf(n, off));
    t(`lastIndexOf(${show(n)}, ${String(off)})`, () => hay.lastIndexOf(n, off));
  }
  t(`includes(${show(n)})`, () => hay.includes(n));
}
const u16 = B.from('abcab\u20ac', 'ucs2');
for (const n of ['a', 'b', 'ab', 'ca', '\u20ac', '']) {
  for (const off of [undefined, 0, 1, 2, 3, -2, -3]) {
    t(`ucs2 indexOf(${n},${off})`, () => u16.indexOf(n, off, 'ucs2'));
    t(`ucs2 lastIndexOf(${n},${off})`, () => u16.lastIndexOf(n, off, 'ucs2'));
  }
}
t('odd ucs2', () => B.from([0x61, 0x00, 0x62]).indexOf('b', 0, 'ucs2'));
t('unaligned ucs2', () => B.from([0x00, 0x61, 0x00, 0x62, 0x00]).indexOf('a', 0, 'ucs2'));
t('hex needle', () => hay.indexOf('6263', 0, 'hex'));
t('b64 needle', () => hay.indexOf('YWJj', 1, 'base64'));
t('latin1 needle', () => B.from([0xff, 0x61]).indexOf('\u00ff', 0, 'latin1'));
t('bad needle', () => hay.indexOf({}));
t('bad enc needle', () => hay.indexOf('a', 0, 'nope'));

// write
const wb = () => B.alloc(8);
t('write', () => { const b = wb(); return [b.write('hi'), b]; });
t('write enc', () => { const b = wb(); return [b.write('6869', 'hex'), b]; });
t('write off', () => { const b = wb(); return [b.write('hi', 6), b]; });
t('write off len', () => { const b = wb(); return [b.write('hello', 1, 2), b]; });
t('write off enc', () => { const b = wb(); return [b.write('hello', 1, 'latin1'), b]; });
t('write off len enc', () => { const b = wb(); return [b.write('aGVsbG8=', 0, 3, 'base64'), b]; });
t('write partial utf8', () => { const b = B.alloc(2); return [b.write('\u20ac'), b]; });
t('write partial ucs2', () => { const b = B.alloc(3); return [b.write('ab', 'ucs2'), b]; });
t('write bad off', () => wb().write('a', 9));
t('write neg off', () => wb().write('a', -1));
t('write float off', () => wb().write('a', 1.5));
t('write str off', () => wb().write('a', '1', 2));
t('write num', () => wb().write(5));
t('write bad enc', () => wb().write('a', 0, 1, 'nope'));
t('write odd hex', () => { const b = wb(); return [b.write('abc', 'hex'), b]; });
t('write bad hex', () => { const b = wb(); return [b.write('a', 'hex'), b.write('zz00', 'hex')]; });
t('utf8Write', () => { const b = wb(); return [b.utf8Write('abc', 1, 1), b]; });
t('latin1Write oob', () => wb().latin1Write('abc', 9));
t('hexSlice', () => B.from('abc').hexSlice(1));
t('utf8Slice oob', () => B.from('abc').utf8Slice(0, 9));
t('utf8Slice neg', () => B.from('abc').utf8Slice(-1));

// fill
t('fill', () => B.alloc(5).fill('ab', 1));
t('fill num range', () => B.alloc(5).fill(1, 1, 3));
t('fill bad off', () => B.alloc(5).fill(1, -1));
t('fill bad end', () => B.alloc(5).fill(1, 0, 6));
t('fill off>end', () => B.alloc(5).fill(1, 3, 2));
t('fill bool', () => B.alloc(3).fill(true));
t('fill obj', () => B.alloc(3).fill({}));
t('fill enc as off', () => B.alloc(4).fill('6162', 'hex'));
t('fill enc as end', () => B.alloc(4).fill('6162', 1, 'hex'));
t('fill latin1 1', () => B.alloc(3).fill('\u00e9', 'latin1'));
t('fill utf8 1', () => B.alloc(3).fill('\u00e9'));
t('fill u8', () => B.alloc(5).fill(new Uint8Array([1, 2, 3])));
t('fill u16', () => B.alloc(5).fill(new Uint16Array([258])));

// slice/subarray/copy
const base = B.from('abcdef');
for (const [s, e] of [[1, 3], [-2], [-2, -1], [3, 1], [undefined, 2], [1.7, 4.2], ['1', '3'], [NaN, 2], [0, 100], [-100, 2]]) {
  t(`slice(${s},${e})`, () => base.slice(s, e));
  t(`subarray(${s},${e})`, () => base.subarray(s, e));
}
t('subarray is buffer', () => [B.isBuffer(base.subarray(1)), base.subarray(1).constructor.name, base.map((x) => x + 1).constructor.name]);
t('copy', () => { const t2 = B.alloc(6); return [base.copy(t2, 1, 2, 4), t2]; });
t('copy over', () => { const t2 = B.alloc(3); return [base.copy(t2, 1), t2]; });
t('copy self', () => { const b = B.from('abcdef'); b.copy(b, 2, 0, 4); return b; });
t('copy bad target', () => base.copy([]));
t('copy neg', () => base.copy(B.alloc(3), -1));
t('copy src oob', () => base.copy(B.alloc(3), 0, 9));
t('copy end<start', () => base.copy(B.alloc(3), 0, 4, 2));

// swap / json / misc
t('swap16', () => B.from([1, 2, 3, 4]).swap16());
t('swap32', () => B.from([1, 2, 3, 4, 5, 6, 7, 8]).swap32());
t('swap64', () => B.from([1, 2, 3, 4, 5, 6, 7, 8]).swap64());
t('swap16 odd', () => B.from([1, 2, 3]).swap16());
t('swap64 odd', () => B.from([1, 2, 3]).swap64());
t('toJSON', () => JSON.stringify(B.from('ab')));
t('isEncoding', () => ['utf8', 'UTF-8', 'hex', 'nope', '', 5, null, 'binary', 'ucs-2'].map((e) => B.isEncoding(e)));
t('isBuffer', () => [B.isBuffer(B.alloc(1)), B.isBuffer(new Uint8Array(1)), B.isBuffer(null)]);
t('toString bad', () => B.from('a').toString('nope'));
t('toString null', () => B.from('a').toString(null));
t('toString ranges', () => [B.from('abcdef').toString(undefined, 2), B.from('abcdef').toString('utf8', -1, 2), B.from('abcdef').toString('utf8', 4, 2), B.from('abcdef').toString('utf8', '1', '3')]);
t('parent/offset', () => { const b = B.alloc(4); return [b.parent === b.buffer, b.offset]; });
t('inspect', () => require('util').inspect(B.from('abc')));
t('inspect long', () => require('util').inspect(B.alloc(60)));
t('inspect extra', () => { const b = B.from('ab'); b.foo = 1; return require('util').inspect(b); });
t('Buffer()', () => B(3).length);
t('Buffer(str, num)', () => B(3, 'x'));
t('new Buffer', () => new B('ab'));
t('transcode', () => [transcode(B.from('\u20aca'), 'utf8', 'ascii'), transcode(B.from('\u20aca'), 'utf8', 'ucs2'), transcode(B.from([0xff, 0x41]), 'latin1', 'utf8')]);
t('transcode bad', () => transcode(B.from('a'), 'hex', 'utf8'));
t('transcode invalid', () => transcode(B.from([0xff]), 'utf8', 'ucs2'));
t('atob', () => [atob('SGVsbG8='), atob(' S G V s b G 8 '), atob('SGVsbA')]);
for (const s of ['SGVsbG8', 'S', 'SG=', 'S=G', 'SGV==', '\u00ff', '====', 'SGVsbG8===']) t(`atob(${s})`, () => atob(s));
t('btoa', () => [btoa('hello'), btoa('\u00ff\u00fe'), btoa(1)]);
t('btoa bad', () => btoa('\u0100'));
t('btoa none', () => btoa());
t('atob err', () => { try { atob('*'); } catch (e) { return [e.name, e.code, e.message, e instanceof DOMException]; } });

// numbers
const nb = B.from([1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0x80, 0x7f, 0]);
const readers = ['readUInt8', 'readInt8', 'readUInt16LE', 'readUInt16BE', 'readInt16LE', 'readInt16BE',
  'readUInt32LE', 'readUInt32BE', 'readInt32LE', 'readInt32BE', 'readFloatLE', 'readFloatBE',
  'readDoubleLE', 'readDoubleBE', 'readBigUInt64LE', 'readBigUInt64BE', 'readBigInt64LE',
  'readBigInt64BE', 'readUint8', 'readUint16LE', 'readBigUint64LE'];
for (const r of readers) {
  for (const off of [undefined, 0, 1, 4, 8, 11, 12, -1, 1.5, '1', NaN]) t(`${r}(${off})`, () => nb[r](off));
}
for (const r of ['readUIntLE', 'readUIntBE', 'readIntLE', 'readIntBE']) {
  for (const [off, len] of [[0, 1], [0, 3], [1, 5], [2, 6], [8, 3], [0, 7], [0, 0], [0, 1.5], [undefined, 2], [7, 6], ['0', 2]]) {
    t(`${r}(${off},${len})`, () => nb[r](off, len));
  }
}
const writers = [
  ['writeUInt8', [0, 255, 256, -1, 1.5, '7', NaN]], ['writeInt8', [-128, 127, 128, -129]],
  ['writeUInt16LE', [0, 65535, 65536, 258]], ['writeUInt16BE', [258]], ['writeInt16LE', [-1, -32768, 32768]],
  ['writeInt16BE', [-2]], ['writeUInt32LE', [2 ** 32 - 1, 2 ** 32, 0x01020304]], ['writeUInt32BE', [0x01020304]],
  ['writeInt32LE', [-1, 2 ** 31, -(2 ** 31)]], ['writeInt32BE', [-5]],
  ['writeFloatLE', [1.5, NaN, -0, 1e40, 'x']], ['writeFloatBE', [1.5]], ['writeDoubleLE', [Math.PI, Infinity]], ['writeDoubleBE', [-1.25]],
  ['writeBigUInt64LE', [0n, 2n ** 64n - 1n, 2n ** 64n, -1n, 5]], ['writeBigUInt64BE', [0x0102030405060708n]],
  ['writeBigInt64LE', [-1n, 2n ** 63n, -(2n ** 63n)]], ['writeBigInt64BE', [-2n]], ['writeUint16LE', [7]],
];
for (const [w, values] of writers) {
  for (const v of values) {
    for (const off of [undefined, 0, 3, 9, -1, 1.5]) {
      t(`${w}(${show(v)},${off})`, () => { const b = B.alloc(12); return [b[w](v, off), b]; });
    }
  }
}
for (const w of ['writeUIntLE', 'writeUIntBE', 'writeIntLE', 'writeIntBE']) {
  for (const [v, off, len] of [[0x123456, 0, 3], [2 ** 40, 0, 6], [2 ** 48, 0, 6], [-1, 0, 6], [-(2 ** 47), 0, 6], [2 ** 47, 1, 6], [1, 0, 7], [1, undefined, 2], [255, 0, 1], [2 ** 39, 0, 5], [-1, 0, 5]]) {
    t(`${w}(${v},${off},${len})`, () => { const b = B.alloc(8); return [b[w](v, off, len), b]; });
  }
}
t('proto methods', () => Object.getOwnPropertyNames(B.prototype).join(' '));
t('static methods', () => Object.getOwnPropertyNames(B).join(' '));
t('buffer module keys', () => Object.keys(require('buffer')).join(' '));
t('species', () => [B[Symbol.species].name, B.name, B.length, B.poolSize]);
console.log(out.join('\n'));
