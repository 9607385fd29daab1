// structuredClone with web streams in the transfer list: the original is locked, the clone (of
// the base class) reads from or writes to it with each chunk cloned; the errors for a locked,
// duplicated or untransferred stream.
const show = (label, fn) => {
  try {
    console.log(label, fn());
  } catch (e) {
    console.log(label, e.name, e.message);
  }
};

async function main() {
  const rs = new ReadableStream({
    start(c) {
      c.enqueue({ a: 1 });
      c.enqueue('x');
      c.close();
    },
  });
  const r2 = structuredClone(rs, { transfer: [rs] });
  console.log('readable', rs.locked, Object.getPrototypeOf(r2) === ReadableStream.prototype);
  for await (const chunk of r2) console.log('chunk', chunk);
  console.log('original unlocked at the end', !rs.locked);

  const seen = [];
  const ws = new WritableStream({ write: (c) => seen.push(c) });
  const w2 = structuredClone({ w: ws }, { transfer: [ws] }).w;
  const writer = w2.getWriter();
  const chunk = { n: 1 };
  await writer.write(chunk);
  await writer.close();
  // Node's clone writes through a MessagePort: the sink has the chunk a moment later.
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log('written', seen, seen[0] !== chunk, ws.locked);

  const ts = new TransformStream({ transform: (c, ctl) => ctl.enqueue(c * 2) });
  const t2 = structuredClone(ts, { transfer: [ts] });
  console.log('transform', t2 instanceof TransformStream, ts.readable.locked, ts.writable.locked);
  const tw = t2.writable.getWriter();
  tw.write(21);
  tw.close();
  for await (const c of t2.readable) console.log('doubled', c);

  class Sub extends ReadableStream {}
  const sub = new Sub();
  show('subclass', () => Object.getPrototypeOf(structuredClone(sub, { transfer: [sub] })) === ReadableStream.prototype);
  show('duplicate', () => structuredClone(rs, { transfer: [rs, rs] }));
  const locked = new ReadableStream();
  locked.getReader();
  show('locked', () => structuredClone(locked, { transfer: [locked] }));
  show('not a stream', () => structuredClone({ f() {} }, { transfer: [] }));
}
main();
