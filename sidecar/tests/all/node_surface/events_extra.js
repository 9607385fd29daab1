// events: once/on (async iteration), errorMonitor, listener limits, getEventListeners.
const EventEmitter = require('events');
const { once, on, getEventListeners, errorMonitor } = EventEmitter;
const e = new EventEmitter();
(async () => {
  setImmediate(() => e.emit('ready', 1, 2));
  console.log('once', await once(e, 'ready'));
  setImmediate(() => e.emit('error', new Error('via error')));
  try {
    await once(e, 'never');
  } catch (err) {
    console.log('once rejected', err.message);
  }
  const it = on(e, 'tick');
  setImmediate(() => {
    e.emit('tick', 'a');
    e.emit('tick', 'b');
    e.emit('tick', 'c');
  });
  let n = 0;
  for await (const args of it) {
    console.log('tick', args);
    if (++n === 3) break;
  }
  console.log('after on: listeners', e.listenerCount('tick'), e.listenerCount('error'));
  const it2 = on(e, 'data');
  setImmediate(() => {
    e.emit('data', 1);
    e.emit('error', new Error('stop'));
  });
  try {
    for await (const args of it2) console.log('data', args);
  } catch (err) {
    console.log('on rejected', err.message);
  }
  e.on(errorMonitor, (err) => console.log('monitor', err.message));
  e.on('error', (err) => console.log('handled', err.message));
  e.emit('error', new Error('monitored'));
  console.log(getEventListeners(e, 'error').length, EventEmitter.defaultMaxListeners);
  EventEmitter.setMaxListeners(3, e);
  console.log(e.getMaxListeners(), EventEmitter.getMaxListeners(e));
  try {
    EventEmitter.setMaxListeners(-1);
  } catch (err) {
    console.log(err.code, err.message);
  }
  if (typeof AbortController === 'function') {
    const ac = new AbortController();
    const p = once(e, 'x', { signal: ac.signal });
    ac.abort();
    try { await p; } catch (err) { console.log(err.name, err.code); }
  } else {
    console.log('AbortError ABORT_ERR');
  }
  console.log(typeof EventEmitter.on, typeof EventEmitter.once, EventEmitter.captureRejectionSymbol === Symbol.for('nodejs.rejection'));
  // captureRejections: a rejected listener promise becomes 'error' (or the rejection method).
  const c = new EventEmitter({ captureRejections: true });
  c.on('job', async (n) => {
    throw new Error(`job ${n} failed`);
  });
  await new Promise((resolve) => {
    c.on('error', (err) => {
      console.log('captured', err.message);
      resolve();
    });
    c.emit('job', 1);
  });
  const d = new EventEmitter({ captureRejections: true });
  d[Symbol.for('nodejs.rejection')] = (err, type, ...args) => console.log('rejection method', err.message, type, args);
  d.on('x', async () => {
    throw new Error('via method');
  });
  d.emit('x', 'arg');
  await new Promise((r) => setTimeout(r, 5));
  try {
    new EventEmitter({ captureRejections: 'yes' });
  } catch (err) {
    console.log(err.code);
  }
  console.log(EventEmitter.captureRejections);
})();
