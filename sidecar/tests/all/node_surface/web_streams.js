// WHATWG streams (globals and stream/web): reading, writing, backpressure, piping, tee,
// TransformStream, async iteration, errors and cancellation; microtask ordering traced.
const web = require('stream/web');
const log = [];
const trace = (...a) => log.push(a.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(' '));
const tick = () => new Promise((r) => setTimeout(r, 0));
(async () => {
  console.log(web.ReadableStream === ReadableStream, typeof WritableStream, typeof TransformStream, Object.prototype.toString.call(new ReadableStream()));
  // Pull-based source with a queue and desiredSize.
  let n = 0;
  const rs = new ReadableStream({
    start(c) { trace('start', c.desiredSize); },
    pull(c) {
      trace('pull', n, c.desiredSize);
      if (n < 3) c.enqueue(`c${n++}`);
      else c.close();
    },
    cancel(r) { trace('cancel', r); },
  }, { highWaterMark: 2 });
  await tick();
  const reader = rs.getReader();
  trace('locked', rs.locked);
  for (;;) {
    const r = await reader.read();
    trace('read', r);
    if (r.done) break;
  }
  await reader.closed;
  trace('closed');
  reader.releaseLock();
  trace('locked after release', rs.locked);
  // Errors.
  const bad = new ReadableStream({ start(c) { c.error(new TypeError('source failed')); } });
  try { await bad.getReader().read(); } catch (e) { trace('read error', e.name, e.message); }
  try { new ReadableStream().getReader().releaseLock(); rs.getReader(); rs.getReader(); } catch (e) { trace('double lock', e.code); }
  // Writable with backpressure.
  const written = [];
  const ws = new WritableStream({
    write(chunk) { written.push(chunk); return tick(); },
    close() { trace('sink close'); },
  }, new CountQueuingStrategy({ highWaterMark: 2 }));
  const w = ws.getWriter();
  trace('desired', w.desiredSize);
  const p1 = w.write('a');
  trace('desired after 1', w.desiredSize);
  w.write('b');
  trace('desired after 2', w.desiredSize);
  await w.ready;
  await p1;
  await w.close();
  trace('written', written.join(''));
  // pipeThrough a TransformStream, then async iteration.
  const upper = new TransformStream({
    transform(chunk, c) { c.enqueue(chunk.toUpperCase()); },
    flush(c) { c.enqueue('!'); },
  });
  const out = [];
  for await (const chunk of ReadableStream.from(['x', 'y', 'z']).pipeThrough(upper)) out.push(chunk);
  trace('piped', out.join(''));
  // pipeTo with an erroring destination cancels the source.
  const src = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { trace('source canceled', r.message); } });
  const dest = new WritableStream({ write() { throw new Error('dest failed'); } });
  try { await src.pipeTo(dest); } catch (e) { trace('pipeTo rejected', e.message); }
  // tee.
  const [b1, b2] = ReadableStream.from([1, 2]).tee();
  const r1 = [];
  const r2 = [];
  for await (const v of b1) r1.push(v);
  for await (const v of b2) r2.push(v);
  trace('tee', r1, r2);
  // cancel and break.
  const infinite = new ReadableStream({ pull(c) { c.enqueue('again'); }, cancel() { trace('infinite canceled'); } });
  for await (const v of infinite) { trace('first', v); break; }
  // Queuing strategies.
  const bl = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
  trace('strategies', bl.highWaterMark, bl.size(new Uint8Array(5)), new CountQueuingStrategy({ highWaterMark: 3 }).size());
  try { new ByteLengthQueuingStrategy(); } catch (e) { trace('strategy error', e.code); }
  // Transform errors reach both sides.
  const failing = new TransformStream({ transform() { throw new Error('transform failed'); } });
  const fw = failing.writable.getWriter();
  fw.write('x').catch((e) => trace('write rejected', e.message));
  try { await failing.readable.getReader().read(); } catch (e) { trace('read rejected', e.message); }
  console.log(log.join('\n'));
})();
