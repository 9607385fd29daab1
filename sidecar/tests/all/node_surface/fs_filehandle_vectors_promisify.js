'use strict';
// FileHandle.readv/writev, util.promisify of the fs and dns callbacks with several results
// (`{ bytesRead, buffer }`), and I/O through an fd opened without that access (EBADF).
const fs = require('fs');
const util = require('util');
const f = 'vectors.txt';
fs.writeFileSync(f, 'hello world');
const fd = fs.openSync(f, 'r');
(async () => {
  console.log(await util.promisify(fs.read)(fd, Buffer.alloc(5), 0, 5, 0));
  console.log(await util.promisify(fs.readv)(fd, [Buffer.alloc(3)], 6));
  const w = fs.openSync('out.txt', 'w');
  console.log(await util.promisify(fs.write)(w, Buffer.from('abc')));
  console.log(await util.promisify(fs.write)(w, 'def'));
  console.log(await util.promisify(fs.writev)(w, [Buffer.from('g')]));
  fs.closeSync(w);
  const h = await fs.promises.open('handle.txt', 'w+');
  console.log(await h.writev([Buffer.from('ab'), Buffer.from('cd')]));
  console.log(await h.writev([Buffer.from('')], null));
  console.log(await h.readv([Buffer.alloc(2), Buffer.alloc(5)], 0));
  console.log(await h.readv([Buffer.alloc(0)]));
  console.log(await h.writev('nope').catch((e) => e.code));
  await h.close();
  console.log(await h.readv([Buffer.alloc(1)]).catch((e) => e.code));
  console.log(await util.promisify(fs.write)(fd, 'x').catch((e) => [e.code, e.syscall]));
  try {
    fs.readSync(fs.openSync('out.txt', 'w'), Buffer.alloc(1));
  } catch (e) {
    console.log('read a write-only fd', e.code, e.syscall);
  }
  console.log(fs.readFileSync('out.txt', 'utf8'), fs.readFileSync('handle.txt', 'utf8'));
  console.log(typeof util.promisify(require('dns').lookup));
})();
