// fs completeness over a tree the script makes: recursive mkdir/rm/cp, streams, FileHandle,
// opendir, bigint stats, watch; results printed relative to the script's folder.
const fs = require('fs');
const fsp = require('fs/promises');
const path = require('path');
const root = 'work';
fs.rmSync(root, { recursive: true, force: true });
fs.mkdirSync(root);
console.log('mkdir', fs.mkdirSync(`${root}/a/b/c`, { recursive: true }), fs.mkdirSync(`${root}/a/b`, { recursive: true }), path.relative('.', fs.mkdirSync(path.resolve(`${root}/z/y`), { recursive: true })));
fs.writeFileSync(`${root}/a/one.txt`, 'one\n');
fs.writeFileSync(`${root}/a/b/two.txt`, 'two\n'.repeat(1000));
fs.symlinkSync('one.txt', `${root}/a/link`);
const list = (dir) => fs.readdirSync(dir, { recursive: true }).sort().join(',');
console.log('tree', list(root));
fs.cpSync(`${root}/a`, `${root}/copy`, { recursive: true });
console.log('cp', list(`${root}/copy`), JSON.stringify(fs.readFileSync(`${root}/copy/link`, 'utf8')), fs.readFileSync(`${root}/copy/b/two.txt`, 'utf8').length);
for (const [args, label] of [[[`${root}/a`, `${root}/x`], 'dir without recursive'], [[`${root}/a`, `${root}/a/b/inside`, { recursive: true }], 'into itself'], [[`${root}/a/one.txt`, `${root}/a/one.txt`], 'same']]) {
  try { fs.cpSync(...args); console.log(label, 'ok'); } catch (e) { console.log(label, e.code); }
}
fs.cpSync(`${root}/a/one.txt`, `${root}/copy/one.txt`, { force: false, errorOnExist: false });
try { fs.cpSync(`${root}/a/one.txt`, `${root}/copy/one.txt`, { force: false, errorOnExist: true }); } catch (e) { console.log('errorOnExist', e.code); }
const big = fs.statSync(`${root}/a/one.txt`, { bigint: true });
console.log('bigint', typeof big.size, big.size, typeof big.mtimeNs, big.isFile(), big.isDirectory(), fs.lstatSync(`${root}/a/link`, { bigint: true }).isSymbolicLink());
console.log('bigint missing', fs.statSync(`${root}/nope`, { bigint: true, throwIfNoEntry: false }));
// (fs.watch itself is not compared: Node's keeps the process alive; see node_surface.rs.)
try { fs.watchFile(root); } catch (e) { console.log('watchFile without listener', e.code); }
fs.chmodSync(`${root}/a/one.txt`, 0o600);
try { fs.chmodSync(`${root}/missing`, 0o600); } catch (e) { console.log('chmod missing', e.code); }
const dir = fs.opendirSync(`${root}/a`);
const names = [];
let d;
while ((d = dir.readSync()) !== null) names.push(`${d.name}:${d.isDirectory() ? 'd' : d.isSymbolicLink() ? 'l' : 'f'}`);
dir.closeSync();
console.log('opendir', names.sort().join(','));
try { dir.closeSync(); } catch (e) { console.log('closed twice', e.code); }
(async () => {
  const entries = [];
  for await (const e of await fsp.opendir(`${root}/copy`)) entries.push(e.name);
  console.log('async opendir', entries.sort().join(','));
  // Streams.
  await new Promise((resolve) => {
    const events = [];
    const ws = fs.createWriteStream(`${root}/stream.txt`);
    ws.on('open', () => events.push('open'));
    ws.on('ready', () => events.push('ready'));
    ws.on('finish', () => events.push('finish'));
    ws.on('close', () => {
      events.push('close');
      console.log('write stream', events.join(','), ws.bytesWritten, fs.readFileSync(`${root}/stream.txt`, 'utf8'));
      resolve();
    });
    ws.write('hello ');
    ws.end('streams');
  });
  await new Promise((resolve) => {
    const rs = fs.createReadStream(`${root}/a/b/two.txt`, { highWaterMark: 1000, encoding: 'utf8' });
    let chunks = 0;
    let total = 0;
    rs.on('open', (fd) => console.log('read stream open', typeof fd));
    rs.on('data', (c) => {
      chunks++;
      total += c.length;
    });
    rs.on('end', () => console.log('read stream end', chunks, total, rs.bytesRead));
    rs.on('close', resolve);
  });
  await new Promise((resolve) => {
    const rs = fs.createReadStream(`${root}/a/b/two.txt`, { start: 4, end: 11, encoding: 'utf8' });
    let s = '';
    rs.on('data', (c) => (s += c));
    rs.on('close', () => {
      console.log('range', JSON.stringify(s));
      resolve();
    });
  });
  await new Promise((resolve) => {
    const rs = fs.createReadStream(`${root}/missing.txt`);
    rs.on('error', (e) => console.log('missing read stream', e.code, e.syscall));
    rs.on('close', resolve);
  });
  const { pipeline } = require('stream/promises');
  await pipeline(fs.createReadStream(`${root}/a/one.txt`), fs.createWriteStream(`${root}/piped.txt`));
  console.log('pipeline copy', JSON.stringify(fs.readFileSync(`${root}/piped.txt`, 'utf8')));
  // FileHandle.
  const fh = await fsp.open(`${root}/fh.txt`, 'w+');
  console.log('fh', typeof fh.fd, (await fh.write('abcdef')).bytesWritten);
  await fh.write('XY', 2);
  const buf = new Uint8Array(6);
  const { bytesRead } = await fh.read(buf, 0, 6, 0);
  console.log('fh read', bytesRead, new TextDecoder().decode(buf));
  console.log('fh stat', (await fh.stat()).size);
  await fh.truncate(3);
  await fh.close();
  console.log('fh after', fs.readFileSync(`${root}/fh.txt`, 'utf8'));
  try { await fh.stat(); } catch (e) { console.log('closed handle', e.code); }
  const fh2 = await fsp.open(`${root}/a/b/two.txt`);
  let lines = 0;
  for await (const line of fh2.readLines()) if (line === 'two') lines++;
  console.log('readLines', lines);
  await fsp.cp(`${root}/a/one.txt`, `${root}/promise-copy.txt`);
  await fsp.rm(`${root}/copy`, { recursive: true });
  await fsp.mkdir(`${root}/p/q`, { recursive: true });
  console.log('final', list(root));
  fs.rmSync(root, { recursive: true });
  console.log('removed', fs.existsSync(root));
})();
