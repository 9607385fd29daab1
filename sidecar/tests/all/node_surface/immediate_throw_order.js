// After an immediate throws (its exception handled by 'uncaughtException' or a domain), the
// next immediate runs before the nextTick queue, as in Node.
const domain = require('domain');
let stage = -1, threw = false;
const log = [];
process.once('uncaughtException', (err) => log.push('uncaught ' + stage));
const d1 = domain.create();
d1.once('error', () => log.push('d1 error ' + stage));
const run = (s) => { stage = s; log.push('run' + s); if (threw) return; setImmediate(run, 2); };
for (let i = 0; i < 2; i++) setImmediate(run, 0);
setImmediate(() => { threw = true; process.nextTick(() => log.push('tick ' + stage)); throw new Error('x'); });
d1.run(() => setImmediate(() => { throw new Error('y'); }));
for (let i = 0; i < 2; i++) setImmediate(run, 1);
process.on('exit', () => console.log(log.join('\n')));
