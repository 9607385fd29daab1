// package: react react-dom
// expect: <ul class="l"><li>a</li><li>&lt;b&gt;</li><p>2 items</p></ul>
const React = require('react');
const { renderToString } = require('react-dom/server');
const h = React.createElement;
function List({ items }) {
  const [n] = React.useState(items.length);
  return h('ul', { className: 'l' }, items.map((x) => h('li', { key: x }, x)), h('p', null, `${n} items`));
}
console.log(renderToString(h(List, { items: ['a', '<b>'] })));
