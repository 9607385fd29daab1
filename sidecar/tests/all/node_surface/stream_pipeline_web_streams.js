'use strict';
// stream.pipeline and Duplex.from with WHATWG streams as stages: a fetch-style body piped into a
// file, a TransformStream between Node streams, a Node source into a WritableStream, and errors.
const fs = require('fs');
const { pipeline } = require('stream/promises');
const { Duplex, PassThrough, Readable, Writable } = require('stream');

function webSource(chunks) {
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(x);
      c.close();
    },
  });
}

(async () => {
  await pipeline(new Response('body '.repeat(1000)).body, fs.createWriteStream('body.txt'));
  console.log('response body to a file', fs.readFileSync('body.txt', 'utf8').length);

  const upper = new TransformStream({ transform: (c, ctl) => ctl.enqueue(String(c).toUpperCase()) });
  const got = [];
  await pipeline(Readable.from(['a', 'b']), upper, new Writable({
    objectMode: true,
    write(c, _e, cb) { got.push(c); cb(); },
  }));
  console.log('node -> TransformStream -> node', got);

  const sunk = [];
  await pipeline(Readable.from(['x', 'y']), new WritableStream({ write(c) { sunk.push(c); } }));
  console.log('node -> WritableStream', sunk);

  const text = [];
  await pipeline(webSource(['p', 'q']), new TextEncoderStream(), new TextDecoderStream(),
    new WritableStream({ write(c) { text.push(c); } }));
  console.log('web all the way', text);

  const failing = new WritableStream({ write() { throw new Error('sink failed'); } });
  await pipeline(Readable.from(['1', '2']), failing).catch((e) => console.log('sink error', e.message));

  const broken = new ReadableStream({ pull(c) { c.error(new Error('source failed')); } });
  await pipeline(broken, new PassThrough()).catch((e) => console.log('source error', e.message));

  const d = Duplex.from(webSource([Buffer.from('w1'), Buffer.from('w2')]));
  const parts = [];
  for await (const c of d) parts.push(String(c));
  console.log('Duplex.from(ReadableStream)', parts);

  const written = [];
  const w = Duplex.from(new WritableStream({ write(c) { written.push(String(c)); } }));
  w.end('end chunk');
  await new Promise((r) => w.on('finish', r));
  console.log('Duplex.from(WritableStream)', written);

  const blob = Duplex.from(new Blob(['blob bytes']));
  const fromBlob = [];
  for await (const c of blob) fromBlob.push(Buffer.from(c).toString());
  console.log('Duplex.from(Blob)', fromBlob);

  const pair = Duplex.from({ readable: webSource(['r']), writable: new WritableStream() });
  console.log('Duplex.from({ readable, writable }) of web streams', pair.readable, pair.writable);
})();
