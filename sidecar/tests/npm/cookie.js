// package: cookie
// expect: {"a":"1","b":"hello world","c":"\"q\""} sid=x%20y; Max-Age=60; Path=/; HttpOnly
const cookie = require('cookie');
console.log(JSON.stringify(cookie.parse('a=1; b=hello%20world; c="q"')), cookie.serialize('sid', 'x y', { httpOnly: true, maxAge: 60, path: '/' }));
