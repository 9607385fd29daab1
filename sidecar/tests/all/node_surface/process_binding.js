// The deprecated process.binding: the allowed names give an object (util: the legacy type
// checks, a new object each call; constants: the os/fs/crypto/zlib groups), any other name
// throws, and the runtime-deprecated names warn once each.
process.on('warning', (w) => console.log('warning', w.code, w.message));
const b = process.binding('util');
console.log(Object.keys(b).sort().join(), b.isMap(new Map()), process.binding('util') === b);
console.log(b.isTypedArray === require('util').types.isTypedArray);
const constants = process.binding('constants');
console.log(Object.keys(constants).sort().join(), constants.fs.O_RDONLY, constants === process.binding('constants'));
try {
  process.binding('nope');
} catch (e) {
  console.log(e.name, e.message);
}
for (const name of ['zlib', 'crypto', 'v8', 'fs', 'natives', 'uv', 'tty_wrap']) {
  console.log(name, typeof process.binding(name));
}
