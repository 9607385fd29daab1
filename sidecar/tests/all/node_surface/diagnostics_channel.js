// diagnostics_channel: named channels, subscribers, tracing channels.
const dc = require('node:diagnostics_channel');
const seen = [];
const ch = dc.channel('app:event');
console.log(ch.name, ch.hasSubscribers, dc.hasSubscribers('app:event'));
const sub = (message, name) => seen.push([message, name]);
dc.subscribe('app:event', sub);
console.log(ch.hasSubscribers, dc.channel('app:event') === ch);
ch.publish({ n: 1 });
console.log(dc.unsubscribe('app:event', sub), dc.unsubscribe('app:event', sub), ch.hasSubscribers);
ch.publish({ n: 2 });
console.log(JSON.stringify(seen));
const tc = dc.tracingChannel('app:op');
const events = [];
tc.subscribe({
  start: () => events.push('start'),
  end: () => events.push('end'),
  asyncStart: () => events.push('asyncStart'),
  asyncEnd: () => events.push('asyncEnd'),
  error: (ctx) => events.push(`error:${ctx.error.message}`),
});
console.log(tc.traceSync((a, b) => a + b, {}, null, 2, 3));
try {
  tc.traceSync(() => { throw new Error('boom'); });
} catch (e) {
  console.log('caught', e.message);
}
tc.tracePromise(async () => 7, {}).then((v) => {
  console.log(v, events.join(' '));
  tc.traceCallback((cb) => cb(null, 'cb'), -1, {}, null, (err, r) => {
    console.log(err, r, events.slice(-4).join(' '));
  });
});
try {
  dc.channel(42);
} catch (e) {
  console.log(e.code);
}
