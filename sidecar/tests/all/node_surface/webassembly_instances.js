'use strict';
// Three live instances of a module whose memory declares no maximum.
// (module (memory (export "mem") 1))
const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 7, 1, 3, 109, 101, 109, 2, 0]);
const mod = new WebAssembly.Module(bytes);
const live = [];
for (let i = 0; i < 3; i++) {
  try {
    live.push(new WebAssembly.Instance(mod));
    console.log('instance', i, live[i].exports.mem.buffer.byteLength);
  } catch (e) {
    console.log('instance', i, e.constructor.name);
  }
}
