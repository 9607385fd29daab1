// events.getEventListeners over EventTargets (an AbortSignal that once() listens on),
// setMaxListeners on an EventTarget moving its leak-warning threshold, and once() rejecting (not
// throwing) on a bad signal. (AbortSignal's listener limit: none here and in Node 22, 10 in Node 20.)
const { once, EventEmitter, getEventListeners, getMaxListeners, setMaxListeners } = require('events');

process.on('warning', (w) => console.log('warning', w.name, w.count, w.type));
const ee = new EventEmitter();
const ac = new AbortController();
const pending = once(ee, 'go', { signal: ac.signal });
console.log(getEventListeners(ac.signal, 'abort').length, ee.listenerCount('error'));
ee.emit('go', 1);
pending.then((v) => console.log('resolved', v, getEventListeners(ac.signal, 'abort').length));

const target = new EventTarget();
setMaxListeners(1, target);
console.log(getMaxListeners(target));
target.addEventListener('x', () => {});
target.addEventListener('x', () => {});
console.log(getEventListeners(target, 'x').length, getEventListeners(ac.signal, 'abort').length);

once(ee, 'never', { signal: 1 }).catch((err) => console.log('rejected', err.code));
