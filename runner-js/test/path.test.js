// 40_path.js against the host Node's path.posix, function by function, on a corpus of paths.
// pathResolve is relative to the exec's cwd: the tests set it to the host's process.cwd().
import assert from 'node:assert/strict';
import nodePath from 'node:path';
import { test } from 'node:test';
import { createPathModule, setExecCwd } from '../js/40_path.js';

const ours = createPathModule();
const node = nodePath.posix;
setExecCwd(process.cwd());

const segments = [
  '',
  '.',
  '..',
  '/',
  '//',
  '///',
  'a',
  'a/',
  'a//',
  '/a',
  '//a',
  'a/b',
  '/a/b/',
  'a//b',
  'a/./b',
  'a/../b',
  '../a',
  './a',
  '../../x',
  '/..',
  '/../a',
  'a/b/../../..',
  'foo.txt',
  '.hidden',
  '.hidden.txt',
  'a.b.c',
  'dir.d/',
  'file.',
  '..txt',
  '...',
  'x/.',
  'x/..',
  '/x/y/z/',
  'caf\u00e9',
  '\u{1f600}/\u{1f600}.js',
  'sp ace/t\tab',
  'back\\slash',
  'a:b',
  '~',
  '-',
  'a\u0000b',
  'node_modules/pkg/index.js',
  '/usr/local/lib/node_modules/x/package.json',
];

// Every segment, and every ordered pair (as two arguments and joined with '/').
function* paths() {
  yield* segments;
  for (const a of segments) for (const b of segments) yield `${a}/${b}`;
}

function same(name, args) {
  let want;
  let got;
  try {
    want = { value: node[name](...args) };
  } catch (err) {
    want = { error: err.name, code: err.code, message: err.message };
  }
  try {
    got = { value: ours[name](...args) };
  } catch (err) {
    got = { error: err.name, code: err.code, message: err.message };
  }
  assert.deepEqual(got, want, `path.${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
}

test('single-path functions match Node on every path of the corpus', () => {
  let cases = 0;
  for (const p of paths()) {
    for (const name of [
      'normalize',
      'isAbsolute',
      'dirname',
      'basename',
      'extname',
      'parse',
      'toNamespacedPath',
    ]) {
      same(name, [p]);
      cases++;
    }
  }
  assert.ok(cases > 10000, `${cases} cases`);
});

test('join, resolve and relative match Node on every pair of segments', () => {
  for (const a of segments) {
    for (const b of segments) {
      same('join', [a, b]);
      same('resolve', [a, b]);
      same('resolve', [`/${a}`, b]);
      same('relative', [a, b]);
      same('relative', [`/${a}`, `/x/${b}`]);
      same('join', [a, b, a]);
    }
  }
  same('join', []);
  same('resolve', []);
});

test('basename with a suffix matches Node', () => {
  const suffixes = ['', '.js', 'js', '.txt', 'a', '.', 'x/.', 'foo.txt', '.hidden'];
  for (const p of paths()) for (const s of suffixes) same('basename', [p, s]);
});

test('format is the inverse of parse as in Node', () => {
  for (const p of paths()) same('format', [node.parse(p)]);
  const objects = [
    {},
    { root: '/' },
    { dir: 'a' },
    { base: 'b' },
    { name: 'n', ext: '.e' },
    { name: 'n', ext: 'e' },
    { dir: '/a', base: 'b', name: 'ignored', ext: '.ignored' },
    { root: '/', dir: '/', base: 'x' },
    { root: '/r/', name: 'n' },
    { dir: 'd', name: 'n', ext: '' },
  ];
  for (const o of objects) same('format', [o]);
});

test('non-string arguments throw ERR_INVALID_ARG_TYPE like Node', () => {
  const bad = [undefined, null, 1, {}, [], true, Symbol('s'), () => {}];
  for (const v of bad) {
    for (const name of [
      'normalize',
      'dirname',
      'basename',
      'extname',
      'parse',
      'join',
      'resolve',
      'isAbsolute',
    ]) {
      same(name, [v]);
    }
    same('relative', ['/a', v]);
    same('basename', ['/a/b.js', v]);
    same('format', [v]);
  }
});

test('constants and aliases match Node', () => {
  assert.equal(ours.sep, node.sep);
  assert.equal(ours.delimiter, node.delimiter);
  assert.equal(ours.posix, ours);
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(node).sort());
});
