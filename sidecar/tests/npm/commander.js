// package: commander
// expect: {"num":5,"verbose":true} input.txt Usage: tool [options] <file>
const { Command } = require('commander');
const program = new Command();
program.name('tool').option('-v, --verbose', 'talk more').option('-n, --num <n>', 'a number', Number, 1).argument('<file>');
program.exitOverride();
program.parse(['node', 'tool', '-v', '--num', '5', 'input.txt']);
console.log(JSON.stringify(program.opts()), program.args.join(','), program.helpInformation().split('\n')[0]);
