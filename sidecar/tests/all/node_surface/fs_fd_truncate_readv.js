'use strict';
// fs.ftruncate(Sync), fs.readv(Sync), and fs.truncate given an fd (DEP0081).
const fs = require('fs');
const f = 'fd-ops.txt';
fs.writeFileSync(f, 'hello world');
const fd = fs.openSync(f, 'r+');
fs.ftruncateSync(fd, 5);
console.log(JSON.stringify(fs.readFileSync(f, 'utf8')));
const a = Buffer.alloc(2);
const b = Buffer.alloc(10);
console.log('readvSync', fs.readvSync(fd, [a, b], 0), a.toString(), b.toString('utf8', 0, 3));
for (const bad of ['x', null]) {
  try {
    fs.ftruncateSync(bad);
  } catch (e) {
    console.log('bad fd', e.code);
  }
}
try {
  fs.readvSync(fd, 'nope');
} catch (e) {
  console.log('bad buffers', e.code);
}
process.on('warning', (w) => console.log('warning', w.name, w.code));
fs.ftruncate(fd, 2, (err) => {
  console.log('ftruncate cb', err, fs.readFileSync(f, 'utf8'));
  fs.readv(fd, [Buffer.alloc(4)], 0, (err, n, bufs) => {
    console.log('readv cb', err, n, bufs.length, bufs[0].toString('utf8', 0, n));
    fs.truncateSync(fd, 1);
    fs.truncate(fd, 1, () => {
      console.log('after truncate(fd)', fs.readFileSync(f, 'utf8'));
      fs.closeSync(fd);
    });
  });
});
