'use strict';
// util.parseEnv and process.loadEnvFile over the common .env forms.
const fs = require('fs');
const util = require('util');
const text = [
  '# a comment',
  'BASIC=basic',
  'EMPTY=',
  'QUOTED="double quoted"',
  "SINGLE='single quoted'",
  'SPACED =   trimmed value   ',
  'EQUALS=a=b=c',
  'JSON={"foo": "bar"}',
  'EXPAND="one\\ntwo"',
  'INLINE=value # comment',
  '',
  'LAST=last',
].join('\n');
console.log(JSON.stringify(util.parseEnv(text)));
console.log(JSON.stringify(util.parseEnv('')), JSON.stringify(util.parseEnv('A=1\nA=2\n')));
for (const bad of [null, undefined, 1, {}]) {
  try {
    util.parseEnv(bad);
  } catch (e) {
    console.log('bad', e.code);
  }
}
fs.writeFileSync('.env', 'FROM_FILE=yes\nPATH_KEPT=no\n');
fs.writeFileSync('other.env', 'OTHER=1\n');
process.env.PATH_KEPT = 'kept';
process.loadEnvFile();
process.loadEnvFile('other.env');
console.log(process.env.FROM_FILE, process.env.PATH_KEPT, process.env.OTHER);
try {
  process.loadEnvFile('missing.env');
} catch (e) {
  console.log('missing', e.code);
}
