// os (priority, userInfo encodings, loopback, values as primitives), util (callbackify, the
// "last argument" message, null-prototype names, styleText streams), TextDecoder labels and the
// order of a warning's text and its listeners, against the host's Node.
const os = require('os');
const util = require('util');

const show = (label, f) => {
  try {
    console.log(label, JSON.stringify(f()));
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
};

show('priority default', () => os.getPriority());
show('priority set', () => [os.setPriority(10), os.getPriority(), os.getPriority(0), os.getPriority(process.pid)]);
show('priority set pid 0', () => [os.setPriority(0, -5), os.getPriority()]);
show('priority range', () => os.setPriority(0, 20));
show('priority type', () => os.setPriority('0', 1));
show('pid range', () => os.getPriority(3.5));
show('pid type', () => os.getPriority(null));
show('no such pid', () => {
  try {
    os.getPriority(2 ** 31 - 1);
  } catch (e) {
    return [e.name, e.code, e.info.code, e.info.syscall, e.errno === e.info.errno];
  }
});
show('userInfo keys', () => Object.keys(os.userInfo()));
show('userInfo buffer', () => {
  const [s, b] = [os.userInfo(), os.userInfo({ encoding: 'buffer' })];
  return [Buffer.isBuffer(b.username), b.username.toString() === s.username, b.homedir.toString() === s.homedir, typeof s.uid];
});
show('userInfo getter', () => os.userInfo({ get encoding() { throw new Error('xyz'); } }));
show('lo', () => os.networkInterfaces().lo.filter((e) => e.address === '127.0.0.1'));
show('primitives', () => [`${os.platform}`, `${os.EOL}`, +os.totalmem === os.totalmem(), `${os.tmpdir}` === os.tmpdir()]);
show('primitive keys', () => Object.keys(os).filter((k) => typeof os[k] === 'function' && os[k][Symbol.toPrimitive]));

async function answer(n) {
  return n * 2;
}
const cb = util.callbackify(answer);
show('callbackified', () => [cb.name, cb.length]);
show('last argument', () => cb(1, 'nope'));
util.callbackify(() => ({ then: (ok) => ok('thenable') }))((err, v) => console.log('thenable', err, v));
util.callbackify(() => Promise.reject(0))((err) => console.log('falsy', err.code, err.reason));

class Foo {}
show('null proto', () => [util.inspect(Object.setPrototypeOf(new Foo(), null)), util.format('%s', Object.setPrototypeOf(new Foo(), null)), util.inspect(Object.create(null)), util.inspect({ a: Object.setPrototypeOf(Object.assign(new Foo(), { k: 1 }), null) }, { depth: 0 })]);
show('styleText stream', () => util.styleText('red', 'x', { stream: {} }));
show('styleText no check', () => util.styleText('red', 'x', { stream: {}, validateStream: false }));
show('styleText validateStream', () => util.styleText('red', 'x', { validateStream: 'no' }));

for (const label of ['utf-8', ' utf-8\n', '\u00a0utf-8', 'utf-8\u000b', '\u2028latin1', '\tutf-16le ']) {
  show(`label ${JSON.stringify(label)}`, () => new TextDecoder(label).encoding);
}

process.on('warning', (w) => console.log('listener', w.message));
const writes = [];
const write = process.stderr.write;
process.stderr.write = function (chunk, ...rest) {
  writes.push(String(chunk).split('\n')[0].replace(/node:\d+/, 'node:PID'));
  return write.call(this, chunk, ...rest);
};
process.emitWarning('careful', 'CustomWarning');
process.on('exit', () => console.log('stderr writes', JSON.stringify(writes)));
