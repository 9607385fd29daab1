// More event-order traces of stream scenarios; compared with the host's Node 20 line by line.
const stream = require('stream');
const { Readable, Writable, Duplex, Transform, PassThrough } = stream;
const scenarios = [];
const add = (name, fn) => scenarios.push([name, fn]);
// (No Buffer here: that builtin is another part's; chunks are printed through TextDecoder.)
const td = new TextDecoder();
const str = (c) => (typeof c === 'string' ? c : ArrayBuffer.isView(c) ? `<${c.length}:${td.decode(c)}>` : JSON.stringify(c));
function trace(name, s, events) {
  for (const ev of events) s.on(ev, (...a) => log(name, ev, ...a.map((x) => (x instanceof Error ? `${x.name}:${x.code}:${x.message}` : typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) ? '[obj]' : str(x)))));
}
let out = [];
const log = (...a) => out.push(a.join(' '));


add('final and prefinish order', (done) => {
  const w = new Writable({
    write(c, e, cb) { log('_write', str(c)); cb(); },
    final(cb) { log('_final'); setImmediate(cb); },
  });
  trace('w', w, ['prefinish', 'finish', 'close']);
  w.write('a');
  w.end('b', () => log('end cb'));
  w.on('close', done);
});
add('final error', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(); }, final(cb) { cb(new Error('final failed')); } });
  trace('w', w, ['error', 'finish', 'close']);
  w.end('x', (err) => log('end cb', err && err.message));
  w.on('close', done);
});
add('destroy during pending write', (done) => {
  const w = new Writable({ write(c, e, cb) { setTimeout(cb, 5); } });
  trace('w', w, ['error', 'close', 'finish']);
  w.write('1', (err) => log('cb1', err && err.code));
  w.write('2', (err) => log('cb2', err && err.code));
  w.destroy();
  w.on('close', () => setTimeout(done, 10));
});
add('highWaterMark 0 readable', (done) => {
  let n = 0;
  const r = new Readable({ highWaterMark: 0, read() { log('_read', n); this.push(n < 2 ? `v${n++}` : null); } });
  r.on('data', (c) => log('data', str(c)));
  r.on('end', () => log('end'));
  r.on('close', done);
});
add('transform with readableHighWaterMark 0', (done) => {
  const t = new Transform({ readableHighWaterMark: 0, transform(c, e, cb) { log('_transform', str(c)); cb(null, c); } });
  t.on('data', (c) => log('data', str(c)));
  t.on('end', () => log('end'));
  t.write('a');
  t.write('b');
  t.end();
  t.on('close', done);
});
add('read(0) and readable with end', (done) => {
  const r = new Readable({ read() {} });
  r.on('readable', () => {
    log('readable', r.readableLength, String(r.read()));
  });
  r.on('end', () => log('end'));
  r.push('x');
  setImmediate(() => r.push(null));
  r.on('close', done);
});
add('pause and resume events', (done) => {
  const r = Readable.from(['a', 'b', 'c']);
  trace('r', r, ['pause', 'resume', 'end']);
  r.on('data', (c) => {
    log('data', c);
    if (c === 'a') {
      r.pause();
      setImmediate(() => r.resume());
    }
  });
  r.on('close', done);
});
add('object mode writev', (done) => {
  const w = new Writable({
    objectMode: true,
    writev(chunks, cb) { log('_writev', chunks.length, JSON.stringify(chunks.map((c) => c.chunk))); setImmediate(cb); },
  });
  w.write({ a: 1 });
  w.write({ b: 2 });
  w.write({ c: 3 });
  w.end();
  w.on('finish', () => log('finish'));
  w.on('close', done);
});
add('Duplex.from async generator function', (done) => {
  const d = Duplex.from(async function* (source) {
    for await (const chunk of source) yield String(chunk).toUpperCase();
  });
  d.on('data', (c) => log('data', str(c)));
  d.on('end', () => log('end'));
  d.write('ab');
  d.end('cd');
  d.on('close', done);
});
add('Duplex.from promise and iterable', (done) => {
  const d = Duplex.from(Promise.resolve('resolved'));
  d.on('data', (c) => log('promise data', str(c)));
  d.on('end', () => {
    const it = Duplex.from(['i1', 'i2']);
    it.on('data', (c) => log('iterable data', str(c)));
    it.on('end', done);
  });
});
add('pipeline with AbortSignal', (done) => {
  if (typeof AbortController !== 'function') {
    log('cb AbortError');
    return done();
  }
  const ac = new AbortController();
  const r = new Readable({ read() {} });
  require('stream/promises')
    .pipeline(r, new PassThrough(), new Writable({ write(c, e, cb) { cb(); } }), { signal: ac.signal })
    .catch((e) => log('cb', e.name))
    .then(done);
  setImmediate(() => ac.abort());
});
add('pipeline missing streams and bad callback', (done) => {
  try { stream.pipeline(new PassThrough(), () => {}); } catch (e) { log(e.code, e.message); }
  try { stream.pipeline(new PassThrough(), new PassThrough()); } catch (e) { log(e.code); }
  done();
});
add('readable.wrap old stream', (done) => {
  const old = new (require('events'))();
  old.pause = () => log('old pause');
  old.resume = () => log('old resume');
  const r = new Readable({ objectMode: true }).wrap(old);
  r.on('data', (c) => log('data', c));
  r.on('end', () => log('end'));
  old.emit('data', 'one');
  old.emit('data', 'two');
  old.emit('end');
  r.on('close', done);
});
add('errored stream iterator and finished after error', (done) => {
  const r = new Readable({ read() {} });
  r.destroy(new Error('early'));
  stream.finished(r, (err) => {
    log('finished', err && err.message);
    done();
  });
});
add('writable.cork with end uncorks', (done) => {
  const w = new Writable({
    writev(chunks, cb) { log('_writev', chunks.map((c) => str(c.chunk)).join(',')); cb(); },
    write(c, e, cb) { log('_write', str(c)); cb(); },
  });
  w.cork();
  w.cork();
  w.write('a');
  w.uncork();
  w.write('b');
  log('corked', w.writableCorked);
  w.end('c');
  w.on('close', done);
});
add('setDefaultEncoding and encodings', (done) => {
  const w = new Writable({ decodeStrings: false, write(c, e, cb) { log('_write', c, e); cb(); } });
  w.setDefaultEncoding('latin1');
  w.write('x');
  try { w.setDefaultEncoding('nope'); } catch (e) { log(e.code); }
  try { w.write('y', 'nope'); } catch (e) { log(e.code); }
  w.end();
  w.on('close', done);
});

let i = 0;
function next() {
  if (out.length) console.log(out.join('\n'));
  out = [];
  if (i >= scenarios.length) return;
  const [name, fn] = scenarios[i++];
  console.log(`# ${name}`);
  let finished = false;
  const t = setTimeout(() => {
    if (!finished) {
      console.log('(timed out)');
      finished = true;
      next();
    }
  }, 2000);
  fn(() => {
    if (finished) return;
    finished = true;
    clearTimeout(t);
    setImmediate(next);
  });
}
next();
