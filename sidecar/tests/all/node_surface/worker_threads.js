// worker_threads: a Worker is another guest of the exec here; what a program sees must be
// Node's: workerData and messages cloned both ways (Dates, Maps, BigInts, typed arrays),
// transferred buffers detached, 'online'/'error'/'exit' with Node's codes, terminate() of a busy
// worker, process.exit in a worker, eval workers and their argv, environment data, the worker's
// output copied to ours or piped. The same output as the host's Node.
const {
  Worker,
  isMainThread,
  parentPort,
  workerData,
  threadId,
  setEnvironmentData,
} = require('worker_threads');

if (!isMainThread) {
  parentPort.postMessage({ threadId, workerData, isDate: workerData.when instanceof Date });
  parentPort.on('message', (m) => {
    if (m === 'bye') parentPort.close();
    else parentPort.postMessage({ echo: m, buf: new Uint8Array([1, 2]) });
  });
  return;
}

const steps = [];
const next = () => {
  const f = steps.shift();
  if (f) f();
};
const line = (...a) => console.log(...a);

steps.push(() => {
  const data = { n: 5, when: new Date(0), m: new Map([[1, 'a']]), big: 2n ** 70n };
  const w = new Worker(__filename, { workerData: data });
  let online = false;
  w.on('online', () => (online = true));
  w.on('message', (m) => {
    line('parent got', m);
    if (m.echo) w.postMessage('bye');
    else w.postMessage({ hello: 1n, set: new Set(['s']) });
  });
  w.on('exit', (code) => {
    line('exit', code, 'online was', online);
    next();
  });
});

steps.push(() => {
  const w = new Worker('throw new TypeError("boom in worker")', { eval: true });
  w.on('error', (e) => line('error event', e instanceof Error, e.name, e.message));
  w.on('exit', (c) => {
    line('exit after throw', c);
    next();
  });
});

steps.push(() => {
  const w = new Worker('while (true) {}', { eval: true });
  w.on('online', () => w.terminate().then((c) => {
    line('busy worker terminated', c);
    next();
  }));
});

steps.push(() => {
  const w = new Worker('process.exit(7)', { eval: true });
  w.on('exit', (c) => {
    line('process.exit in a worker', c);
    next();
  });
});

steps.push(() => {
  try {
    new Worker('x.js');
  } catch (e) {
    line('bare name:', e.code);
  }
  setEnvironmentData('k', { v: 42 });
  const code = `const wt = require('worker_threads');
    console.log('env data', wt.getEnvironmentData('k'), wt.isMainThread, process.argv.slice(1));`;
  const w = new Worker(code, { eval: true, argv: ['a', 1], stdout: true });
  let out = '';
  w.stdout.on('data', (d) => (out += d));
  w.on('exit', (c) => {
    line('piped:', out.trim(), c);
    next();
  });
});

steps.push(() => {
  const w = new Worker('console.log("from the worker, copied to our stdout")', { eval: true });
  w.on('exit', (c) => {
    line('then exit', c);
    next();
  });
});

steps.push(() => {
  const ab = new ArrayBuffer(8);
  const code = `require('worker_threads').parentPort.once('message', (m) => {
    require('worker_threads').parentPort.postMessage(m.byteLength);
  });`;
  const w = new Worker(code, { eval: true });
  w.postMessage(ab, [ab]);
  line('detached here', ab.byteLength);
  w.on('message', (n) => line('arrived whole', n));
  w.on('exit', (c) => {
    line('exit', c);
    next();
  });
});

next();
