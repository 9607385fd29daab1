// path.win32 (and require('path/win32')) over drive letters, UNC roots, device names, mixed
// slashes, '..' above the root and hostile inputs (non-strings, very long paths).
const path = require('path');
const win32 = require('path/win32');
console.log(win32 === path.win32, path.win32.posix === path, path.win32.win32 === path.win32);
const inputs = [
  '', '.', '..', 'C:', 'C:\\', 'c:/', 'C:foo', 'C:\\foo\\..\\..\\bar', '\\\\server\\share',
  '\\\\server\\share\\dir\\file.txt', '//server/share/', '\\\\?\\C:\\long', '\\\\.\\pipe\\x',
  'foo\\bar\\baz.tar.gz', 'foo/bar\\..\\qux', 'CON', 'COM1:', 'a:b:c', '.\\.\\x', '..\\..\\y',
  'file.', '.profile', 'dir\\', 'C:\\a\\b\\..\\..\\..\\c', 'x'.repeat(300),
];
const out = {};
for (const p of inputs) {
  out[p.slice(0, 40)] = [
    win32.normalize(p), win32.isAbsolute(p), win32.dirname(p), win32.basename(p),
    win32.basename(p, '.gz'), win32.extname(p), win32.parse(p), win32.isAbsolute(p) ? win32.toNamespacedPath(p) : null,
    win32.join('C:\\base', p), win32.relative('C:\\a\\b', p.startsWith('\\\\') ? p : `C:\\${p}`),
  ];
}
console.log(JSON.stringify(out));
console.log(win32.resolve('C:\\a', '..\\b', 'c'), win32.resolve('\\\\s\\sh\\x', '..\\..\\y'));
console.log(win32.format({ root: 'C:\\', dir: 'C:\\dir', name: 'f', ext: 'txt' }), win32.sep, win32.delimiter);
for (const bad of [null, 1, {}, undefined]) {
  try {
    win32.join('a', bad);
  } catch (err) {
    console.log(err.code);
  }
}
