// URL differential corpus: WPT's urltestdata.json and setters_tests.json; one line per case.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = __dirname;
const data = JSON.parse(fs.readFileSync(path.join(dir, 'urltestdata.json'), 'utf8'));
const setters = JSON.parse(fs.readFileSync(path.join(dir, 'setters_tests.json'), 'utf8'));
const fields = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'];
const out = [];
const show = (u) => fields.map((f) => u[f]).join(' | ');
for (const c of data) {
  if (typeof c === 'string') continue;
  const label = `parse ${JSON.stringify(c.input)} @ ${JSON.stringify(c.base)}`;
  let got;
  try {
    got = show(c.base === null ? new URL(c.input) : new URL(c.input, c.base));
  } catch (e) {
    got = `THROW ${e.code}`;
  }
  out.push(`${label} => ${got}`);
  out.push(`canParse ${label} => ${c.base === null ? URL.canParse(c.input) : URL.canParse(c.input, c.base)}`);
}
for (const [setter, cases] of Object.entries(setters)) {
  if (setter === 'comment') continue;
  for (const c of cases) {
    const u = new URL(c.href);
    let got;
    try {
      u[setter] = c.new_value;
      got = show(u);
    } catch (e) {
      got = `THROW ${e.code}`;
    }
    out.push(`set ${setter} ${JSON.stringify(c.href)} = ${JSON.stringify(c.new_value)} => ${got}`);
  }
}
console.log(out.join('\n'));
