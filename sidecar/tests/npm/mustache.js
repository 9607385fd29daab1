// package: mustache
// expect: [a][b] none &lt;p&gt; <p>
const Mustache = require('mustache');
console.log(Mustache.render('{{#items}}[{{name}}]{{/items}}{{^none}} none{{/none}} {{html}} {{{html}}}', { items: [{ name: 'a' }, { name: 'b' }], html: '<p>' }));
