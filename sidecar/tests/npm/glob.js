// package: glob
// expect: index.js license.md,package.json,readme.md
const { globSync, glob } = require('glob');
const path = require('path');
const cwd = path.join(__dirname, 'node_modules', 'ms');
glob('*.{json,md}', { cwd }).then((files) => {
  console.log(globSync('*.js', { cwd }).join(','), files.sort().join(','));
});
