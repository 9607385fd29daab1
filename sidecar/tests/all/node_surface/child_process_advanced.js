// child_process.fork with serialization: 'advanced': V8-serialized messages both ways (Map, Date, BigInt), as Node's.
const { fork } = require('child_process');
if (process.argv[2] === 'child') {
  process.on('message', (m) => { process.send({ back: m, isMap: m.m instanceof Map }); process.disconnect(); });
} else {
  const c = fork(__filename, ['child'], { serialization: 'advanced' });
  c.on('message', (m) => console.log('parent got', m));
  c.send({ m: new Map([[1, 2]]), d: new Date(0), b: 3n });
  c.on('exit', (code) => console.log('exit', code));
}
