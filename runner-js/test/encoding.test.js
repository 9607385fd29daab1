// 07_encoding.js's TextEncoder/TextDecoder against the host Node's, on a corpus of strings and
// byte sequences: whole, and streamed in every split into two or three chunks. The UTF-8 natives
// are the bridge double's (test/support/bridge_double.js); what is tested is the runner's part:
// encodeInto, BOM handling, fatal errors, the carrying of incomplete sequences across chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDecoder, TextEncoder } from '../js/07_encoding.js';

const strings = [
  '',
  'a',
  'hello, world',
  'caf\u00e9',
  '\u20ac',
  '\u{1f600}',
  'a\u{1f600}b\u{10ffff}',
  '\ufeff',
  '\ufeffBOM',
  '\ud800',
  '\udc00',
  'x\ud800y',
  '\udc00\ud800',
  '\ud83d\ude00\ud83d',
  '\u0000\u007f',
  '\u0080\u07ff\u0800\uffff',
  '\u{10000}',
  'é'.normalize('NFD'),
  'x'.repeat(1000),
  '\u{1f600}'.repeat(300),
  '\u4e2d\u6587\u5b57',
  '\u0645\u0631\u062d\u0628\u0627',
];

const bytes = [
  [],
  [0x61],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbb, 0xbf, 0x61],
  [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf],
  [0xef, 0xbb],
  [0xe2, 0x82, 0xac],
  [0xe2, 0x82],
  [0xe2],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xf0, 0x9f],
  [0xf0, 0x9f, 0x98],
  [0x80],
  [0xbf, 0x80],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xc2, 0x80],
  [0xdf, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xe0, 0xa0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xed, 0x9f, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf4, 0x8f, 0xbf, 0xbf],
  [0xf5, 0x80, 0x80, 0x80],
  [0xff],
  [0xfe, 0xff],
  [0xe2, 0x41, 0x42],
  [0xf0, 0x9f, 0x41],
  [0x61, 0xe2, 0x82],
  [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80],
  [0xed, 0xb0, 0x80, 0x61],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x00, 0x7f, 0xc2],
];

function attempt(fn) {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: err.name, code: err.code };
  }
}

// Decodes `chunks` with one decoder (stream: true on all but the last), as the list of results.
function streamed(Decoder, options, chunks) {
  return attempt(() => {
    const decoder = new Decoder('utf-8', options);
    const out = [];
    for (let i = 0; i < chunks.length; i++) {
      out.push(decoder.decode(Uint8Array.from(chunks[i]), { stream: i < chunks.length - 1 }));
    }
    // A second use after the end starts afresh (BOM handling included).
    out.push(decoder.decode(Uint8Array.from(chunks.flat())));
    return out;
  });
}

function splits(list) {
  const out = [[list]];
  for (let i = 0; i <= list.length; i++) {
    out.push([list.slice(0, i), list.slice(i)]);
    for (let j = i; j <= list.length; j++) {
      out.push([list.slice(0, i), list.slice(i, j), list.slice(j)]);
    }
  }
  return out;
}

const optionSets = [
  undefined,
  { fatal: true },
  { ignoreBOM: true },
  { fatal: true, ignoreBOM: true },
];

test('TextDecoder matches Node whole and in every split into two or three chunks', () => {
  const inputs = [...bytes, ...strings.slice(0, 16).map((s) => [...Buffer.from(s)])];
  let cases = 0;
  for (const list of inputs) {
    for (const chunks of splits(list)) {
      for (const options of optionSets) {
        const label = `${JSON.stringify(chunks)} ${JSON.stringify(options)}`;
        assert.deepEqual(
          streamed(TextDecoder, options, chunks),
          streamed(globalThis.TextDecoder, options, chunks),
          label,
        );
        cases++;
      }
    }
  }
  assert.ok(cases > 4000, `${cases} cases`);
});

test('TextEncoder.encode matches Node', () => {
  const ours = new TextEncoder();
  const node = new globalThis.TextEncoder();
  for (const s of [...strings, undefined, 5, null, { toString: () => 'obj' }]) {
    assert.deepEqual(ours.encode(s), node.encode(s), JSON.stringify(s));
  }
  assert.deepEqual(ours.encode(), node.encode());
  assert.equal(ours.encoding, node.encoding);
});

test('TextEncoder.encodeInto matches Node for every destination size', () => {
  const ours = new TextEncoder();
  const node = new globalThis.TextEncoder();
  for (const s of strings.filter((x) => x.length < 40)) {
    const max = Buffer.byteLength(s) + 2;
    for (let size = 0; size <= max; size++) {
      const a = new Uint8Array(size);
      const b = new Uint8Array(size);
      assert.deepEqual(
        ours.encodeInto(s, a),
        node.encodeInto(s, b),
        `${JSON.stringify(s)} into ${size}`,
      );
      assert.deepEqual(a, b, `${JSON.stringify(s)} into ${size}`);
    }
  }
});

test('labels, options and bad input are handled like Node', () => {
  const labels = [
    'utf-8',
    'UTF-8',
    'utf8',
    ' utf-8 ',
    'unicode-1-1-utf-8',
    'latin1',
    'ascii',
    'utf-16le',
    'UTF-16',
    'utf-16be',
    'windows-1252',
    'iso-8859-2',
    '',
    'x',
  ];
  for (const label of labels) {
    const got = attempt(() => new TextDecoder(label).encoding);
    const want = attempt(() => new globalThis.TextDecoder(label).encoding);
    // utf-8, utf-16le/be and windows-1252 are implemented (documented): every other label is
    // ERR_ENCODING_NOT_SUPPORTED.
    const implemented = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];
    const unsupported = { error: 'RangeError', code: 'ERR_ENCODING_NOT_SUPPORTED' };
    assert.deepEqual(got, implemented.includes(want.value) ? want : unsupported, label);
  }
  for (const input of [5, 'str', {}, null, [1, 2], { length: 3 }, new SharedArrayBuffer(2)]) {
    assert.deepEqual(
      attempt(() => new TextDecoder().decode(input)),
      attempt(() => new globalThis.TextDecoder().decode(input)),
      JSON.stringify(input),
    );
  }
  const views = [
    new Uint16Array([0x6948]),
    new DataView(new Uint8Array([0x68, 0x69]).buffer),
    new Uint8Array([0x68, 0x69]).buffer,
  ];
  for (const view of views) {
    assert.equal(new TextDecoder().decode(view), new globalThis.TextDecoder().decode(view));
  }
  const d = new TextDecoder('utf-8', { fatal: 1, ignoreBOM: 'yes' });
  assert.deepEqual([d.fatal, d.ignoreBOM, d.encoding], [true, true, 'utf-8']);
});

test('utf-16le, utf-16be and windows-1252 decode like Node, whole and streamed', () => {
  const inputs = [
    [0xff, 0xfe, 0x68, 0x00, 0x69, 0x00],
    [0x68, 0x00, 0x3d, 0xd8, 0x00, 0xde, 0x21, 0x00],
    [0x00, 0xd8, 0x41, 0x00],
    [0x00, 0xdc],
    [0x41, 0x00, 0x42],
    [0xfe, 0xff, 0x00, 0x68, 0xd8, 0x3d, 0xde, 0x00],
    [0xa0, 0xe9, 0x41, 0xff],
  ];
  for (const label of ['utf-16le', 'utf-16be', 'latin1']) {
    for (const options of [{}, { fatal: true }, { ignoreBOM: true }]) {
      for (const bytes of inputs) {
        // Node 20's latin1 decoder drops a leading 0xff (a bug); windows-1252 has no BOM.
        if (label === 'latin1' && bytes[0] === 0xff) continue;
        const data = new Uint8Array(bytes);
        const whole = (D) => attempt(() => new D(label, options).decode(data));
        assert.deepEqual(whole(TextDecoder), whole(globalThis.TextDecoder), `${label} ${bytes}`);
        const streamed = (D) =>
          attempt(() => {
            const d = new D(label, options);
            let out = '';
            for (let i = 0; i < data.length; i++) {
              out += d.decode(data.subarray(i, i + 1), { stream: true });
            }
            return out + d.decode();
          });
        assert.deepEqual(
          streamed(TextDecoder),
          streamed(globalThis.TextDecoder),
          `${label} ${bytes} streamed`,
        );
      }
    }
  }
});

test('windows-1252 maps 0x80-0x9f as WHATWG and Node 22 do (Node 20 decoded them as latin1)', () => {
  const text = new TextDecoder('latin1').decode(Uint8Array.of(0x80, 0x81, 0x82, 0x8a, 0x9f));
  assert.equal(text, '\u20ac\x81\u201a\u0160\u0178');
  assert.equal(new TextDecoder('latin1').decode(Uint8Array.of(0xff, 0xfe, 0x41)), '\xff\xfeA');
});
