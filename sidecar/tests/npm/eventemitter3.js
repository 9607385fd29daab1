// package: eventemitter3
// expect: 3,once:1,7 1 x
const EventEmitter = require('eventemitter3');
const e = new EventEmitter();
const seen = [];
e.on('x', (a, b) => seen.push(a + b));
e.once('x', (a) => seen.push(`once:${a}`));
e.emit('x', 1, 2);
e.emit('x', 3, 4);
console.log(seen.join(','), e.listenerCount('x'), e.eventNames().join(','));
