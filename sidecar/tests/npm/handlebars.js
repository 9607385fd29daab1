// package: handlebars
// expect: ADA is 36, ALAN is 41 <<b>> &lt;i&gt;
const Handlebars = require('handlebars');
Handlebars.registerHelper('upper', (s) => s.toUpperCase());
const t = Handlebars.compile('{{#each people}}{{upper name}} is {{age}}{{#unless @last}}, {{/unless}}{{/each}} <{{{raw}}}> {{esc}}');
console.log(t({ people: [{ name: 'ada', age: 36 }, { name: 'alan', age: 41 }], raw: '<b>', esc: '<i>' }));
