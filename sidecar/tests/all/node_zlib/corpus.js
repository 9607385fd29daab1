// Differential corpus for the zlib builtin (sidecar/tests/all/node_zlib.rs), run under the host's
// Node 20 and under the sidecar. `node corpus.js pack` prints `want|id|length|sha256` for every
// input and `packed|id|hex` for every (codec, options, input) case; `node corpus.js unpack FILE`
// reads `packed` lines and prints `got|id|length|sha256` of each decompressed result. Each side
// must unpack what the other packed. `node corpus.js errors` prints errors as `name|code|errno|message`.
'use strict';
const zlib = require('zlib');
const crypto = require('crypto');

const hex = (u) => Array.from(new Uint8Array(u.buffer, u.byteOffset, u.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s) => { const u = new Uint8Array(s.length / 2); for (let i = 0; i < u.length; i++) u[i] = parseInt(s.substr(i * 2, 2), 16); return u; };
const out = (...parts) => console.log(parts.join('|'));
const bytes = (n, seed) => {
  const u = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; u[i] = x & 255; }
  return u;
};
const text = (n) => { let s = ''; for (let i = 0; s.length < n; i++) s += `line ${i} of the corpus: ${'lorem ipsum '.repeat(i % 7)}\n`; return new TextEncoder().encode(s.slice(0, n)); };
const sparse = (n) => { const u = new Uint8Array(n); for (let i = 0; i < n; i += 997) u[i] = i & 255; return u; };
const INPUTS = [new Uint8Array(0), new Uint8Array([97]), text(100), text(60000), bytes(20000, 3), new Uint8Array(1 << 20), sparse(300000)];
const DICT = new TextEncoder().encode('line of the corpus: lorem ipsum');

// [id, compress, decompress, options for both]
const CASES = [];
for (const level of [-1, 0, 1, 6, 9]) CASES.push([`deflate-l${level}`, 'deflateSync', 'inflateSync', { level }]);
for (const windowBits of [9, 12, 15]) CASES.push([`deflate-w${windowBits}`, 'deflateSync', 'inflateSync', { windowBits }]);
for (const memLevel of [1, 9]) CASES.push([`deflate-m${memLevel}`, 'deflateSync', 'inflateSync', { memLevel }]);
for (const strategy of [1, 2, 3, 4]) CASES.push([`deflate-s${strategy}`, 'deflateSync', 'inflateSync', { strategy }]);
CASES.push(['deflate-dict', 'deflateSync', 'inflateSync', { dictionary: DICT }]);
CASES.push(['deflate-chunk64', 'deflateSync', 'inflateSync', { chunkSize: 64 }]);
for (const level of [1, 9]) CASES.push([`gzip-l${level}`, 'gzipSync', 'gunzipSync', { level }]);
CASES.push(['gzip-unzip', 'gzipSync', 'unzipSync', {}]);
CASES.push(['deflate-unzip', 'deflateSync', 'unzipSync', {}]);
for (const windowBits of [8, 9, 15]) CASES.push([`raw-w${windowBits}`, 'deflateRawSync', 'inflateRawSync', { windowBits }]);
CASES.push(['raw-dict', 'deflateRawSync', 'inflateRawSync', { dictionary: DICT }]);
for (const q of [0, 1, 5, 11]) CASES.push([`brotli-q${q}`, 'brotliCompressSync', 'brotliDecompressSync', { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q } }]);
CASES.push(['brotli-w10', 'brotliCompressSync', 'brotliDecompressSync', { params: { [zlib.constants.BROTLI_PARAM_LGWIN]: 10, [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }]);
CASES.push(['brotli-text', 'brotliCompressSync', 'brotliDecompressSync', { params: { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: 60000 } }]);

const mode = process.argv[2];
if (mode === 'pack') {
  INPUTS.forEach((input, i) => out('want', i, input.length, crypto.createHash('sha256').update(input).digest('hex')));
  for (const [id, pack] of CASES.map((c) => [c[0], c[1], c[3]]).map(([id, m, o]) => [id, (u) => zlib[m](u, o)])) {
    INPUTS.forEach((input, i) => out('packed', `${id}:${i}`, hex(pack(input))));
  }
  // Concatenated gzip members and zero padding, as Node's gunzip reads them.
  const two = [zlib.gzipSync(INPUTS[2]), zlib.gzipSync(INPUTS[3]), new Uint8Array(4)];
  const joined = new Uint8Array(two.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of two) { joined.set(b, at); at += b.length; }
  out('packed', 'gzip-members:23', hex(joined));
} else if (mode === 'unpack') {
  const lines = require('fs').readFileSync(process.argv[3], 'utf8').split('\n');
  const byId = Object.fromEntries(CASES.map((c) => [c[0], c]));
  for (const line of lines) {
    const [kind, key, data] = line.split('|');
    if (kind !== 'packed') continue;
    const [id] = key.split(':');
    try {
      const r = id === 'gzip-members' ? zlib.gunzipSync(unhex(data)) : zlib[byId[id][2]](unhex(data), byId[id][2] === 'brotliDecompressSync' ? {} : byId[id][3]);
      out('got', key, r.length, crypto.createHash('sha256').update(r).digest('hex'));
    } catch (e) {
      out('got', key, 'throw', e.code, e.message);
    }
  }
} else if (mode === 'errors') {
  const err = (label, fn) => {
    try { const r = fn(); out(label, 'ok', r && r.length !== undefined ? hex(r) : String(r)); }
    catch (e) { out(label, 'throw', e.name, e.code, e.errno, e.message); }
  };
  const good = zlib.deflateSync(text(5000));
  err('inflate-garbage', () => zlib.inflateSync(new TextEncoder().encode('garbage data here')));
  err('inflate-empty', () => zlib.inflateSync(new Uint8Array(0)));
  err('inflate-truncated', () => zlib.inflateSync(good.subarray(0, 20)));
  err('gunzip-truncated', () => zlib.gunzipSync(zlib.gzipSync('abc').subarray(0, 10)));
  err('gunzip-trailing-garbage', () => zlib.gunzipSync(new Uint8Array([...zlib.gzipSync('a'), 103, 97, 114])));
  err('gunzip-not-gzip', () => zlib.gunzipSync(good));
  err('raw-garbage', () => zlib.inflateRawSync(new Uint8Array([255, 255, 255, 255])));
  err('dict-missing', () => zlib.inflateSync(zlib.deflateSync('abc', { dictionary: DICT })));
  err('dict-bad', () => zlib.inflateSync(zlib.deflateSync('abc', { dictionary: DICT }), { dictionary: new Uint8Array([1, 2, 3]) }));
  err('brotli-garbage', () => zlib.brotliDecompressSync(new TextEncoder().encode('garbage data here')));
  err('brotli-truncated', () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text(5000)).subarray(0, 30)));
  err('max-output', () => zlib.inflateSync(zlib.deflateSync(new Uint8Array(100000)), { maxOutputLength: 1000 }));
  err('max-output-ok', () => zlib.inflateSync(zlib.deflateSync(new Uint8Array(1000)), { maxOutputLength: 1000 }).length);
  err('max-output-zero', () => zlib.inflateSync(good, { maxOutputLength: 0 }));
  err('level-high', () => zlib.deflateSync('x', { level: 10 }));
  err('level-str', () => zlib.deflateSync('x', { level: '1' }));
  err('level-inf', () => zlib.deflateSync('x', { level: Infinity }));
  err('level-nan', () => zlib.deflateSync('x', { level: NaN }).length);
  err('window-7', () => zlib.deflateSync('x', { windowBits: 7 }));
  err('window-gzip-8', () => zlib.gzipSync('x', { windowBits: 8 }));
  err('window-16', () => zlib.inflateSync(good, { windowBits: 16 }));
  err('memlevel-0', () => zlib.deflateSync('x', { memLevel: 0 }));
  err('strategy-5', () => zlib.deflateSync('x', { strategy: 5 }));
  err('chunk-small', () => zlib.deflateSync('x', { chunkSize: 10 }));
  err('flush-bad', () => zlib.deflateSync('x', { finishFlush: 9 }));
  err('dict-type', () => zlib.deflateSync('x', { dictionary: 'abc' }));
  err('input-num', () => zlib.deflateSync(5));
  err('input-null', () => zlib.gzipSync(null));
  err('input-obj', () => zlib.brotliCompressSync({}));
  err('input-arraybuffer', () => zlib.inflateSync(good.buffer.slice(good.byteOffset, good.byteOffset + good.length)).length);
  err('input-dataview', () => zlib.inflateSync(new DataView(good.buffer, good.byteOffset, good.length)).length);
  err('brotli-param-key', () => zlib.brotliCompressSync('x', { params: { 99: 1 } }));
  err('brotli-param-value', () => zlib.brotliCompressSync('x', { params: { 1: 'a' } }));
  err('async-no-cb', () => zlib.deflate('x'));
  err('async-bad-input', () => zlib.deflate(5, () => {}));
  err('async-bad-level', () => zlib.deflate('x', { level: 99 }, () => {}));
  err('crc-type', () => zlib.crc32(5));
  err('crc-value', () => zlib.crc32('x', -1));
  err('crc', () => [zlib.crc32(''), zlib.crc32('hello'), zlib.crc32(text(5000)), zlib.crc32('world', zlib.crc32('hello ')), zlib.crc32('\u20ac')].join(','));
  err('constants', () => [zlib.constants.Z_FINISH, zlib.Z_BEST_COMPRESSION, zlib.codes.Z_DATA_ERROR, zlib.codes['-5'], Object.keys(zlib.constants).length].join(','));
  err('keys', () => Object.keys(zlib).filter((k) => !/^(create|[A-Z])/.test(k)).join(','));
  zlib.inflate(new Uint8Array([1, 2, 3]), (e) => out('async-error', e.name, e.code, e.errno, e.message));
  zlib.gunzip(zlib.gzipSync(text(70000)), (e, r) => out('async-ok', e, r.length));
  zlib.brotliCompress(text(1000), { params: { 1: 4 } }, (e, r) => out('async-brotli', e, zlib.brotliDecompressSync(r).length));
}
