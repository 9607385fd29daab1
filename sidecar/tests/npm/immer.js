// package: immer
// expect: {"todos":[{"t":"a","done":true},{"t":"b","done":false}],"n":1} false true true
const { produce } = require('immer');
const base = { todos: [{ t: 'a', done: false }], n: 1 };
const next = produce(base, (d) => { d.todos[0].done = true; d.todos.push({ t: 'b', done: false }); });
console.log(JSON.stringify(next), base.todos[0].done, next.n === base.n, Object.isFrozen(next));
