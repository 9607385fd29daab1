// util.inspect of proxies (no trap runs: a hostile handler cannot steer or break inspect),
// revoked proxies, showProxy, and null-prototype objects named by their constructor.
const u=require('util');
const {proxy, revoke} = Proxy.revocable({}, {}); revoke();
const p = new Proxy(Object.create(null), { getPrototypeOf(){ throw new Error('trap') }, get(){ throw new Error('get') } });
class Foo{}; const o = Object.setPrototypeOf(new Foo(), null); Object.defineProperty(o, 'constructor', { get(){ throw new Error('getter ran') } });
console.log(u.inspect(proxy)); console.log(u.inspect(p)); console.log(u.inspect(o));
console.log(u.inspect(new Proxy({ a: 1 }, { get() { return 5; } }), { showProxy: true }));
console.log(u.inspect(new Proxy([1, 2], {}), { showProxy: true, depth: -1 }));
console.log(u.inspect({ x: new Proxy(function f() {}, { apply() {} }) }));
console.log(u.format('%o', new Proxy({ b: 2 }, {})));
console.log(u.types.isProxy(p), require('util').inspect(new Proxy(new Map([[1, 2]]), {})));
