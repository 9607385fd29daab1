// fs.read/readSync argument handling: positional and options forms, Node's checks and words.
const fs = require('fs');

fs.writeFileSync('read-args.txt', 'xyz\n');
const fd = fs.openSync('read-args.txt', 'r');
const show = (label, f) => {
  try {
    const buf = Buffer.alloc(4);
    const n = f(buf);
    console.log(label, n, buf.toString('latin1').replace(/\0/g, '.'));
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
};

show('positional', (b) => fs.readSync(fd, b, 0, 4, 0));
show('offset 1', (b) => fs.readSync(fd, b, 1, 3, 0));
show('options', (b) => fs.readSync(fd, b, { offset: 0, length: 2, position: 1 }));
show('null options', (b) => fs.readSync(fd, b, null));
show('no options', (b) => fs.readSync(fd, b));
show('bigint position', (b) => fs.readSync(fd, b, 0, 4, 1n));
show('position -1', (b) => fs.readSync(fd, b, { position: -1 }));
show('position -1n reads on', (b) => {
  const fresh = fs.openSync('read-args.txt', 'r');
  const n = fs.readSync(fresh, b, 0, 2, -1n) + fs.readSync(fresh, b, 2, 2, -1n);
  fs.closeSync(fresh);
  return n;
});
show('String object options', (b) => fs.readSync(fd, b, new String('4444')));
show('length 0', (b) => fs.readSync(fd, b, 0, 0, 0));
for (const options of [false, true, Infinity, 42n, 'amString', [], () => {}, '4444', [4, 4, 4, 4]]) {
  show(`options ${typeof options}`, (b) => fs.readSync(fd, b, options));
}
show('offset -1', (b) => fs.readSync(fd, b, -1, 1, 0));
show('offset NaN', (b) => fs.readSync(fd, b, NaN, 1, 0));
show('offset 1.5', (b) => fs.readSync(fd, b, 1.5, 1, 0));
show('length too long', (b) => fs.readSync(fd, b, 1, 4, 0));
show('length -1', (b) => fs.readSync(fd, b, 0, -1, 0));
show('position string', (b) => fs.readSync(fd, b, 0, 1, '0'));
show('position 1.5', (b) => fs.readSync(fd, b, 0, 1, 1.5));
show('position -2', (b) => fs.readSync(fd, b, 0, 1, -2));
show('empty buffer', () => fs.readSync(fd, Buffer.alloc(0), 0, 1, 0));
show('not a buffer', () => fs.readSync(fd, 'abc', 0, 1, 0));
show('fd null (callback form)', () => fs.read(null, Buffer.alloc(1), 0, 1, 0, () => {}));
// Node names the missing sixth argument; the runner the last one given: the code is the same.
try {
  fs.read(fd, Buffer.alloc(1), 0, 1, 0);
} catch (e) {
  console.log('no callback', e.name, e.code);
}
fs.read(fd, Buffer.alloc(4), 0, 4, 0, (err, n, buf) => {
  console.log('callback', err, n, buf.toString('latin1'));
  fs.closeSync(fd);
});
