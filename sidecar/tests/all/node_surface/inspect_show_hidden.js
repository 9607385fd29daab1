// util.inspect with showHidden: the getters and data a user class's prototypes add (first three
// prototypes, builtin classes excluded), called on the instance with 'getters', faint with colors.
const util = require('util');
class X { constructor() { this._y = 1; } get y() { return 2; } m() {} }
class Z extends X { get q() { return 3; } set w(v) {} }
Z.prototype.data = 5;
console.log(util.inspect(new Z(), { showHidden: true }));
console.log(util.inspect(new Z(), { showHidden: true, getters: true }));
console.log(JSON.stringify(util.inspect(new Z(), { showHidden: true, colors: true })));
console.log(util.inspect(new Map([[1, 2]]), { showHidden: true }));
console.log(util.inspect([1], { showHidden: true }));
console.log(util.inspect({ a: new Z() }, { showHidden: true, depth: 0 }));
class A { constructor(B) { this.B = B; } get b() { return this.B; } }
class B { constructor() { this.A = new A(this); } get a() { return this.A; } }
console.log(util.inspect(new B(), { depth: 1, getters: true, showHidden: true }));
console.log(util.inspect(Object.create(new Z()), { showHidden: true }));
