// events.addAbortListener and events.once's signal: their abort listeners run even when an
// earlier 'abort' listener stops the event's propagation.
const events = require('events');
const ac = new AbortController();
ac.signal.addEventListener('abort', (e) => e.stopImmediatePropagation());
events.addAbortListener(ac.signal, (e) => console.log('still called', e.type));
ac.abort();

const ac2 = new AbortController();
ac2.signal.addEventListener('abort', (e) => e.stopImmediatePropagation());
events.once(new events.EventEmitter(), 'never', { signal: ac2.signal }).catch((e) => console.log('once', e.name));
process.nextTick(() => ac2.abort());

