// package: jsonwebtoken
// expect: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZGEiLCJhZG1pbiI6dHJ1ZX0.LG5jqWCrAAWbUMv6IIF_kHEjmYwSQrtDQajAELdwFLs ada invalid signature
const jwt = require('jsonwebtoken');
const token = jwt.sign({ sub: 'ada', admin: true }, 'secret', { algorithm: 'HS256', noTimestamp: true });
const claims = jwt.verify(token, 'secret');
let bad = 'accepted';
try { jwt.verify(token, 'wrong'); } catch (e) { bad = e.message; }
console.log(token, claims.sub, bad);
