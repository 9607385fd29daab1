// package: immutable
// expect: 2 3 true {"x":{"y":[1,2,3]}} 2-4-6
const { Map, List, fromJS, is } = require('immutable');
const m1 = Map({ a: 1, b: 2 });
const m2 = m1.set('b', 3);
const deep = fromJS({ x: { y: [1, 2] } }).updateIn(['x', 'y'], (l) => l.push(3));
console.log(m1.get('b'), m2.get('b'), is(Map({ a: 1 }), Map({ a: 1 })), JSON.stringify(deep.toJS()), List([1, 2, 3]).map((x) => x * 2).join('-'));
