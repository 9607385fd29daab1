// package: debug
// expect: true false true
const createDebug = require('debug');
const { format } = require('util');
const log = createDebug('app:db');
let captured = '';
log.log = (...args) => { captured = format(...args); };
createDebug.enable('app:*');
log('connected %d', 3);
console.log(log.enabled, createDebug('other').enabled, captured.includes('app:db connected 3'));
