// Hostile inputs with Node-shaped answers: absurd sizes, a proxy whose trap throws and cycles
// under assert, and a Transform that throws inside a pipeline fed by an infinite source (an
// uncaught exception: exit 1, as Node).
const { Readable, Writable, Transform, pipeline } = require('stream');
const assert = require('assert');
const out = [];
try { new Readable({ highWaterMark: 2 ** 53 }); out.push('huge hwm accepted'); } catch (e) { out.push(e.code); }
try { new Readable({ read() {} }).read(2 ** 31); } catch (e) { out.push(e.code); }
try { new Writable({ highWaterMark: 'x' }); } catch (e) { out.push(e.code); }
const p = new Proxy({ a: 1 }, { ownKeys() { throw new Error('trap'); } });
try { assert.deepStrictEqual(p, { a: 1 }); } catch (e) { out.push(e.message); }
const a = { x: 1 }; a.self = a; const b = { x: 2 }; b.self = b;
try { assert.deepStrictEqual(a, b); } catch (e) { out.push(e.code); }
const t = new Transform({ transform() { throw new TypeError('bad transform'); } });
console.log(out.join('\n'));
const inf = new Readable({ read() { this.push('x'.repeat(1024)); } });
pipeline(inf, t, new Writable({ write(c, e, cb) { cb(); } }), () => console.log('not reached'));
