// package: lodash
// expect: [[1,2],[3,4],[5]] fooBarBaz {"3":["one","two"],"5":["three"]} debounce hi you
const _ = require('lodash');
const grouped = _.groupBy(['one', 'two', 'three'], 'length');
console.log(JSON.stringify(_.chunk([1, 2, 3, 4, 5], 2)), _.camelCase('Foo Bar-baz'), JSON.stringify(grouped), _.debounce.name, _.template('hi <%= who %>')({ who: 'you' }));
