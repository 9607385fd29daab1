// package: ejs
// expect: <ul><li>a</li><li>&lt;b&gt;</li></ul> <hr>
const ejs = require('ejs');
console.log(ejs.render('<ul><% for (const x of xs) { %><li><%= x %></li><% } %></ul> <%- raw %>', { xs: ['a', '<b>'], raw: '<hr>' }));
