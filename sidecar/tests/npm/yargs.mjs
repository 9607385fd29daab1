// package: yargs
// expect: ada 3 build false
import yargs from 'yargs';
const argv = yargs(['--name', 'ada', '-n', '3', 'build', '--no-color']).option('n', { type: 'number' }).parseSync();
console.log(argv.name, argv.n, argv._.join(','), argv.color);
