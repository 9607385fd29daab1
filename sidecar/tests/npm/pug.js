// package: pug
// expect: <ul><li class="one">a</li><li class="two">&lt;b&gt;</li></ul><p>Done!</p>
const pug = require('pug');
const fn = pug.compile('ul\n  each x in items\n    li(class=x.c)= x.t\np #{title}!');
console.log(fn({ items: [{ t: 'a', c: 'one' }, { t: '<b>', c: 'two' }], title: 'Done' }));
