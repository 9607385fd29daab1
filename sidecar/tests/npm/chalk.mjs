// package: chalk
// expect: "\u001b[31m\u001b[1mhi\u001b[22m\u001b[39m" 0 "plain"
import chalk, { Chalk } from 'chalk';
const forced = new Chalk({ level: 1 });
console.log(JSON.stringify(forced.red.bold('hi')), chalk.level, JSON.stringify(chalk.green('plain')));
