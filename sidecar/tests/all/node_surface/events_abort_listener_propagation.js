// events.addAbortListener: the listener runs even when an earlier 'abort' listener stops propagation.
const events = require('events');
const ac = new AbortController();
ac.signal.addEventListener('abort', (e) => e.stopImmediatePropagation());
events.addAbortListener(ac.signal, (e) => console.log('still called', e.type));
ac.abort();
