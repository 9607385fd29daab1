// The process emitter tells removals as Node's EventEmitter does: 'removeListener' after an
// off(), after a once listener fires (before it runs), and for each listener removeAllListeners
// takes, last first. (Not removeAllListeners() of every event: Node's process has listeners of
// its own there.)
const log = [];
const name = (fn) => fn.name || '(anonymous)';
process.on('removeListener', function watcher(event, fn) {
  log.push(`removed ${String(event)} ${name(fn)}`);
});
function added(event, fn) {
  log.push(`added ${String(event)} ${name(fn)}`);
}
process.on('newListener', added);

function a() {}
function b() {}
process.on('foo', a);
process.on('foo', b);
process.off('foo', a);
process.off('foo', a); // not there: nothing told
process.once('bar', function once() {
  log.push('once runs');
});
process.emit('bar');
process.emit('bar');
process.on('baz', a);
process.on('baz', b);
process.removeAllListeners('baz');
log.push(`baz left ${process.listenerCount('baz')}`);
process.on(Symbol.for('sym'), b);
process.off(Symbol.for('sym'), b);
process.off('newListener', added);
process.off('foo', b);
process.removeAllListeners('removeListener');
process.on('foo', a);
process.off('foo', a);
log.push(`removeListener left ${process.listenerCount('removeListener')}`);

const { EventEmitter } = require('events');
const e = new EventEmitter();
e.on('removeListener', (event, fn) => log.push(`events: removed ${event} ${name(fn)}`));
e.once('x', a);
e.emit('x');
console.log(log.join('\n'));
