// package: query-string
// expect: {"flag":null,"foo":"bar","n":[1,2]} a=1&a=3&b=2&c https://x.io/p
import queryString from 'query-string';
console.log(JSON.stringify(queryString.parse('?foo=bar&n=1&n=2&flag', { parseNumbers: true })), queryString.stringify({ b: 2, a: [1, 3], c: null }), queryString.parseUrl('https://x.io/p?q=1#h').url);
