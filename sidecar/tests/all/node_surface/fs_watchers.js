// fs.watch, fs.promises.watch and fs.watchFile: the first event of each change (inotify may
// report more than one per change; a polling watcher reports one), the errors, the iterator's
// abort, and watchFile's stats for a file that is missing.
const fs = require('fs');
const path = require('path');

const dir = fs.mkdtempSync(path.join(__dirname, 'watch-'));
const file = path.join(dir, 'a.txt');

function firstEvent(target, options, change) {
  return new Promise((resolve) => {
    const watcher = fs.watch(target, options, (eventType, filename) => {
      clearInterval(kick);
      watcher.close();
      resolve(`${eventType} ${Buffer.isBuffer(filename) ? `buffer:${filename}` : filename}`);
    });
    const kick = setInterval(change, 30);
  });
}

(async () => {
  let n = 0;
  console.log('create:', await firstEvent(dir, {}, () => fs.writeFileSync(file, 'one')));
  console.log('modify file:', await firstEvent(file, {}, () => fs.writeFileSync(file, `two${n++}`)));
  fs.mkdirSync(path.join(dir, 'sub'));
  const nested = path.join(dir, 'sub', 'deep.txt');
  console.log(
    'recursive:',
    await firstEvent(dir, { recursive: true }, () => fs.writeFileSync(nested, `x${n++}`)),
  );
  console.log(
    'buffer names:',
    await firstEvent(dir, { encoding: 'buffer' }, () => fs.writeFileSync(file, `three${n++}`)),
  );
  console.log('delete:', await firstEvent(dir, {}, () => fs.rmSync(file, { force: true })));

  try {
    fs.watch(path.join(dir, 'missing'));
  } catch (e) {
    console.log('missing:', e.code, e.syscall);
  }
  try {
    fs.watch(42);
  } catch (e) {
    console.log('bad filename:', e.code);
  }

  const ac = new AbortController();
  const iterator = fs.promises.watch(dir, { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  try {
    for await (const _ of iterator);
  } catch (e) {
    console.log('aborted iterator:', e.name, e.code);
  }

  const later = path.join(dir, 'later.txt');
  await new Promise((resolve) => {
    fs.watchFile(later, { interval: 20 }, (curr, prev) => {
      console.log('watchFile missing:', curr.size, curr.mtimeMs, prev.ino, curr.isFile());
      fs.unwatchFile(later);
      resolve();
    });
  });
  fs.writeFileSync(later, 'abc');
  await new Promise((resolve) => {
    const watcher = fs.watchFile(later, { interval: 20 }, (curr, prev) => {
      if (curr.size === prev.size) return;
      console.log('watchFile grew:', prev.size, '->', curr.size);
      fs.unwatchFile(later);
      resolve();
    });
    watcher.once('stop', () => console.log('stopped'));
    setTimeout(() => fs.appendFileSync(later, 'defg'), 50);
  });
  await new Promise((resolve) => setImmediate(resolve));
  fs.rmSync(dir, { recursive: true });
})();
