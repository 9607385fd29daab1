// The process object is an instance of a `process` class over EventEmitter (as Node's), and
// process.exit ends through process.reallyExit: a replaced one is called with the exit code and
// the program goes on; the 'exit' listeners ran once.
const EventEmitter = require('events');

const proto = Object.getPrototypeOf(process);
const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
console.log(process.constructor.name, Object.prototype.toString.call(process), proto instanceof EventEmitter);
console.log(desc.value === process.constructor, desc.writable, desc.enumerable, desc.configurable);
try {
  Object.defineProperty(process, 'locked', { value: 1 });
  delete process.locked;
} catch {}
(function () {
  'use strict';
  try {
    delete process.locked;
  } catch (e) {
    console.log(e.message);
  }
})();
console.log(typeof process._rawDebug, typeof process.reallyExit);
process.on('exit', (code) => console.log('exit listener', code));
process.reallyExit = (code) => console.log('reallyExit called with', code);
process.exitCode = 4;
process.exit();
console.log('still running after exit()');
