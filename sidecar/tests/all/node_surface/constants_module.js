// The deprecated `constants` module and util/types.
const c = require('constants');
console.log(c.O_RDONLY, c.O_CREAT, c.SIGTERM, c.ENOENT, c.RTLD_NOW, c.hasOwnProperty('O_SYMLINK'));
console.log(require('util/types') === require('util').types);
