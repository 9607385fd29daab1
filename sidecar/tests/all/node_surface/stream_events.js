// Event-order traces of stream scenarios; compared with the host's Node 20 line by line.
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

add('readable push/end/close', (done) => {
  const r = new Readable({ read() {} });
  trace('r', r, ['data', 'end', 'close', 'pause', 'resume']);
  r.push('a');
  r.push('bc');
  r.push(null);
  r.on('close', done);
});
add('readable event and read(n)', (done) => {
  const r = new Readable({ read() {} });
  r.push('hello');
  r.push(' world');
  r.push(null);
  r.on('readable', () => {
    let c;
    while ((c = r.read(3)) !== null) log('read3', str(c));
    log('readable; length', r.readableLength);
  });
  r.on('end', () => log('end'));
  r.on('close', done);
});
add('object mode hwm and backpressure', (done) => {
  let i = 0;
  const r = new Readable({
    objectMode: true,
    highWaterMark: 2,
    read() {
      log('_read', i, this.readableLength);
      if (i < 5) this.push({ n: i++ });
      else this.push(null);
    },
  });
  r.on('data', (o) => log('data', o.n));
  r.on('end', () => log('end'));
  r.on('close', done);
});
add('writable backpressure and drain', (done) => {
  const w = new Writable({
    highWaterMark: 3,
    write(c, e, cb) {
      log('_write', str(c), e);
      setImmediate(cb);
    },
  });
  trace('w', w, ['drain', 'finish', 'close', 'prefinish']);
  log('write a', w.write('a'));
  log('write bcd', w.write('bcd'));
  log('length', w.writableLength, 'needDrain', w.writableNeedDrain);
  w.end('e', () => log('end cb'));
  log('ended', w.writableEnded, 'finished', w.writableFinished);
  w.on('close', done);
});
add('writev batches corked writes', (done) => {
  const w = new Writable({
    writev(chunks, cb) {
      log('_writev', chunks.map((x) => str(x.chunk)).join('|'));
      cb();
    },
  });
  w.cork();
  w.write('1');
  w.write('2');
  w.write('3');
  process.nextTick(() => w.uncork());
  w.end();
  w.on('finish', () => log('finish'));
  w.on('close', done);
});
add('decodeStrings false keeps strings', (done) => {
  const w = new Writable({
    decodeStrings: false,
    write(c, e, cb) {
      log('_write', typeof c, c, e);
      cb();
    },
  });
  w.write('x', 'utf8');
  w.end();
  w.on('close', done);
});
add('write after end errors', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  trace('w', w, ['error', 'finish', 'close']);
  w.end();
  w.write('late', (err) => log('cb err', err && err.code));
  w.on('close', done);
});
add('write callback error destroys', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(new Error('bad write')); } });
  trace('w', w, ['error', 'finish', 'close']);
  w.write('a', (err) => log('cb', err && err.message));
  w.on('close', () => {
    log('destroyed', w.destroyed, 'errored', w.errored && w.errored.message);
    done();
  });
});
add('destroy with error: error then close', (done) => {
  const r = new Readable({ read() {} });
  trace('r', r, ['error', 'close', 'end']);
  r.destroy(new Error('boom'));
  log('destroyed', r.destroyed);
  r.on('close', done);
});
add('destroy without error: only close', (done) => {
  const d = new Duplex({ read() {}, write(c, e, cb) { cb(); } });
  trace('d', d, ['error', 'close', 'end', 'finish']);
  d.destroy();
  d.destroy();
  d.on('close', done);
});
add('_destroy callback sees the error', (done) => {
  const r = new Readable({
    read() {},
    destroy(err, cb) {
      log('_destroy', err && err.message);
      setImmediate(() => cb(err));
    },
  });
  trace('r', r, ['error', 'close']);
  r.destroy(new Error('e1'));
  r.on('close', done);
});
add('construct delays _read and _write', (done) => {
  const d = new Duplex({
    construct(cb) {
      log('construct');
      setImmediate(cb);
    },
    read() {
      log('_read');
      this.push(null);
    },
    write(c, e, cb) {
      log('_write', str(c));
      cb();
    },
  });
  d.write('x');
  d.end();
  d.resume();
  trace('d', d, ['finish', 'end', 'close']);
  d.on('close', done);
});
add('transform and flush', (done) => {
  const t = new Transform({
    transform(c, e, cb) {
      cb(null, String(c).toUpperCase());
    },
    flush(cb) {
      this.push('!');
      cb();
    },
  });
  trace('t', t, ['data', 'end', 'finish', 'close', 'prefinish']);
  t.write('ab');
  t.end('cd');
  t.on('close', done);
});
add('transform that throws', (done) => {
  const t = new Transform({
    transform() {
      throw new Error('transform threw');
    },
  });
  trace('t', t, ['error', 'close']);
  try {
    t.write('x');
  } catch (e) {
    log('sync throw', e.message);
  }
  setImmediate(done);
});
add('transform callback error', (done) => {
  const t = new Transform({ transform(c, e, cb) { cb(new Error('cb error')); } });
  trace('t', t, ['error', 'close', 'finish']);
  t.write('x');
  t.on('close', done);
});
add('passthrough object mode', (done) => {
  const p = new PassThrough({ objectMode: true });
  trace('p', p, ['data', 'end', 'finish', 'close']);
  p.write({ a: 1 });
  p.write(null === 1 ? 1 : 0);
  p.end('s');
  p.on('close', done);
});
add('setEncoding splits utf8 across chunks', (done) => {
  const r = new Readable({ read() {} });
  r.setEncoding('utf8');
  const bytes = new TextEncoder().encode('h\u00e9\u20ac\ud83d\ude00!');
  for (let i = 0; i < bytes.length; i++) r.push(bytes.subarray(i, i + 1));
  r.push(null);
  let s = '';
  r.on('data', (c) => {
    s += c;
    log('chunk', typeof c, c.length);
  });
  r.on('end', () => log('text', s));
  r.on('close', done);
});
add('pipe with backpressure', (done) => {
  let n = 0;
  const r = new Readable({
    highWaterMark: 4,
    read() {
      n++;
      this.push(n <= 6 ? `chunk${n}` : null);
    },
  });
  const w = new Writable({
    highWaterMark: 8,
    write(c, e, cb) {
      log('_write', str(c));
      setTimeout(cb, 1);
    },
  });
  trace('r', r, ['end', 'close', 'pause', 'resume']);
  trace('w', w, ['pipe', 'unpipe', 'drain', 'finish', 'close']);
  r.pipe(w);
  w.on('close', done);
});
add('unpipe stops the flow', (done) => {
  const r = new PassThrough();
  const w = new PassThrough();
  trace('w', w, ['pipe', 'unpipe', 'data']);
  r.pipe(w);
  r.write('1');
  setImmediate(() => {
    r.unpipe(w);
    r.write('2');
    log('flowing', r.readableFlowing, 'paused', r.isPaused());
    setImmediate(done);
  });
});
add('unshift puts data back', (done) => {
  const r = new Readable({ read() {} });
  r.push('abc');
  r.push(null);
  r.once('readable', () => {
    const c = r.read(1);
    log('read', str(c));
    r.unshift(c);
    r.on('data', (d) => log('data', str(d)));
  });
  r.on('end', () => log('end'));
  r.on('close', done);
});
add('push after EOF errors', (done) => {
  const r = new Readable({ read() {} });
  trace('r', r, ['error', 'close']);
  r.push(null);
  r.push('x');
  r.on('close', done);
});
add('invalid chunk type', (done) => {
  const r = new Readable({ read() {} });
  trace('r', r, ['error', 'close']);
  r.push(42);
  r.on('close', done);
});
add('not implemented _read', (done) => {
  const r = new Readable();
  trace('r', r, ['error', 'close']);
  r.resume();
  r.on('close', done);
});
add('duplex allowHalfOpen false ends writable', (done) => {
  const d = new Duplex({
    allowHalfOpen: false,
    read() {
      this.push(null);
    },
    write(c, e, cb) {
      cb();
    },
  });
  trace('d', d, ['end', 'finish', 'close']);
  d.resume();
  d.on('close', done);
});
add('Readable.from string, buffer, iterable, async generator', (done) => {
  const parts = [];
  const all = [
    Readable.from('str'),
    Readable.from(new TextEncoder().encode('buf')),
    Readable.from(new Set([1, 2])),
    Readable.from((async function* () {
      yield 'g1';
      await null;
      yield 'g2';
    })()),
  ];
  let left = all.length;
  all.forEach((r, i) => {
    r.on('data', (c) => parts.push(`${i}:${str(c)}`));
    r.on('end', () => {
      if (--left === 0) {
        log(parts.sort().join(','));
        done();
      }
    });
  });
});
add('Readable.from rejects null values', (done) => {
  const r = Readable.from([1, null, 2]);
  trace('r', r, ['data', 'error', 'close']);
  r.on('close', done);
});
add('Readable.from generator error', (done) => {
  const r = Readable.from((function* () {
    yield 1;
    throw new Error('gen failed');
  })());
  trace('r', r, ['data', 'error', 'close']);
  r.on('close', done);
});
add('async iteration with break destroys', (done) => {
  const r = Readable.from([1, 2, 3, 4]);
  r.on('close', () => {
    log('closed', r.destroyed);
    done();
  });
  (async () => {
    for await (const x of r) {
      log('x', x);
      if (x === 2) break;
    }
    log('after loop');
  })();
});
add('async iteration rethrows stream errors', (done) => {
  const r = new Readable({ read() {} });
  (async () => {
    try {
      for await (const x of r) log('x', str(x));
    } catch (e) {
      log('caught', e.message);
    }
    done();
  })();
  r.push('a');
  setImmediate(() => r.destroy(new Error('mid-stream')));
});
add('finished on premature close', (done) => {
  const r = new Readable({ read() {} });
  stream.finished(r, (err) => {
    log('finished', err && err.code);
    done();
  });
  r.destroy();
});
add('finished on success and after', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  stream.finished(w, (err) => {
    log('finished 1', err);
    stream.finished(w, (err2) => {
      log('finished 2', err2);
      done();
    });
  });
  w.end('x');
});
add('pipeline success', (done) => {
  const src = Readable.from(['a', 'b', 'c']);
  const up = new Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } });
  const sink = new Writable({ write(c, e, cb) { log('sink', str(c)); cb(); } });
  stream.pipeline(src, up, sink, (err) => {
    log('pipeline cb', err);
    done();
  });
});
add('pipeline error destroys all', (done) => {
  const src = new Readable({ read() {} });
  const mid = new PassThrough();
  const sink = new Writable({ write(c, e, cb) { cb(new Error('sink failed')); } });
  stream.pipeline(src, mid, sink, (err) => {
    log('pipeline cb', err && err.message, src.destroyed, mid.destroyed, sink.destroyed);
    done();
  });
  src.push('x');
});
add('pipeline with async generator stages', (done) => {
  stream.pipeline(
    Readable.from([1, 2, 3]),
    async function* (source) {
      for await (const x of source) yield x * 10;
    },
    async function (source) {
      let sum = 0;
      for await (const x of source) sum += x;
      return sum;
    },
    (err, val) => {
      log('pipeline cb', err, val);
      done();
    },
  );
});
add('pipeline: infinite source, failing sink', (done) => {
  let n = 0;
  const inf = new Readable({ read() { this.push(`n${n++}`); } });
  const sink = new Writable({
    write(c, e, cb) {
      if (n > 50) cb(new Error('enough'));
      else cb();
    },
  });
  stream.pipeline(inf, sink, (err) => {
    log('stopped', err && err.message, inf.destroyed);
    done();
  });
});
add('stream/promises pipeline and finished', (done) => {
  const sp = require('stream/promises');
  log('same', sp === stream.promises);
  const chunks = [];
  sp.pipeline(Readable.from(['p', 'q']), new Writable({ objectMode: true, write(c, e, cb) { chunks.push(c); cb(); } }))
    .then(() => log('resolved', chunks.join('')))
    .then(() => {
      const r = new Readable({ read() {} });
      const p = sp.finished(r);
      r.destroy(new Error('fin'));
      return p;
    })
    .catch((e) => log('rejected', e.message))
    .then(done);
});
add('addAbortSignal destroys', (done) => {
  if (typeof AbortController !== 'function') {
    log('AbortError ABORT_ERR');
    return done();
  }
  const ac = new AbortController();
  const r = stream.addAbortSignal(ac.signal, new Readable({ read() {} }));
  r.on('error', (e) => log(e.name, e.code));
  r.on('close', done);
  ac.abort();
});
add('legacy Stream pipe and inheritance', (done) => {
  const s = new stream.Stream();
  log(s instanceof require('events'), typeof stream.Stream.prototype.pipe, stream === stream.Stream);
  log(new PassThrough() instanceof Writable, new Duplex() instanceof Writable, new Readable() instanceof Writable);
  done();
});
add('state getters', (done) => {
  const r = new Readable({ read() {}, highWaterMark: 7 });
  const w = new Writable({ write(c, e, cb) { cb(); }, objectMode: true });
  log(r.readableHighWaterMark, r.readableFlowing, r.readableObjectMode, r.readableEncoding, r.readable, r.readableEnded, r.readableAborted, r.readableDidRead, r.closed, r.errored);
  log(w.writableHighWaterMark, w.writableObjectMode, w.writableCorked, w.writable, w.writableLength, w.closed, w.errored);
  log(stream.getDefaultHighWaterMark(false), stream.getDefaultHighWaterMark(true));
  log(stream.isReadable(r), stream.isErrored(r), stream.isDisturbed(r));
  done();
});
add('invalid highWaterMark', (done) => {
  try {
    new Readable({ highWaterMark: -1 });
  } catch (e) {
    log(e.name, e.code, e.message);
  }
  done();
});
add('write null and bad types', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  for (const v of [null, 5, {}]) {
    try {
      w.write(v);
    } catch (e) {
      log(e.name, e.code, e.message);
    }
  }
  done();
});
add('end twice and end after destroy', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  w.end();
  w.on('finish', () => {
    w.end((err) => log('end again', err && err.code));
  });
  w.on('close', () => setImmediate(done));
});
add('compose and Duplex.from', (done) => {
  if (typeof stream.compose !== 'function') return done();
  const c = stream.compose(new PassThrough(), new Transform({ transform(x, e, cb) { cb(null, `${x}!`); } }));
  c.on('data', (d) => log('composed', str(d)));
  c.on('end', () => {
    log('end');
    done();
  });
  c.end('hi');
});
add('toArray and map', (done) => {
  Readable.from([1, 2, 3])
    .map((x) => x * 2)
    .toArray()
    .then((a) => {
      log('toArray', a.join(','));
      done();
    });
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
