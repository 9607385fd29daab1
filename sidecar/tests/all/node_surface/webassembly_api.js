'use strict';
// The WebAssembly namespace as Node has it: statics of the constructors, module reflection.
// (module (import "env" "f" (func)) (func (export "g") (result i32) i32.const 7)
//  (memory (export "mem") 1 1) (@custom "note" "hi"))
const bytes = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 2, 96, 0, 0, 96, 0, 1, 127, 2, 9, 1, 3, 101, 110, 118, 1,
  102, 0, 0, 3, 2, 1, 1, 5, 4, 1, 1, 1, 1, 7, 11, 2, 1, 103, 0, 1, 3, 109, 101, 109, 2, 0, 10, 6,
  1, 4, 0, 65, 7, 11, 0, 7, 4, 110, 111, 116, 101, 104, 105,
]);
console.log('valid', WebAssembly.validate(bytes));
const mod = new WebAssembly.Module(bytes);
console.log('imports', JSON.stringify(WebAssembly.Module.imports(mod)));
console.log('exports', JSON.stringify(WebAssembly.Module.exports(mod)));
const sections = WebAssembly.Module.customSections(mod, 'note');
console.log('custom', sections.length, Buffer.from(sections[0]).toString());
const instance = new WebAssembly.Instance(mod, { env: { f() {} } });
console.log('call', instance.exports.g(), instance.exports.mem.buffer.byteLength);
console.log('instanceof', mod instanceof WebAssembly.Module, instance instanceof WebAssembly.Instance);
for (const name of ['Module', 'Instance', 'Memory']) {
  const ctor = WebAssembly[name];
  const own = Object.getOwnPropertyNames(ctor).filter((n) => n !== 'arguments' && n !== 'caller');
  const statics = own.sort().join(',');
  console.log(name, ctor.name, ctor.length, statics);
}
console.log('isView', ArrayBuffer.isView(new Uint8Array(1)), typeof ArrayBuffer[Symbol.species]);
try {
  WebAssembly.Module.imports({});
} catch (e) {
  console.log('bad module', e.constructor.name);
}
WebAssembly.instantiate(bytes, { env: { f() {} } }).then(({ module, instance: i }) => {
  console.log('async', WebAssembly.Module.exports(module).length, i.exports.g());
});
