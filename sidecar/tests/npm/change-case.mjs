// package: change-case
// expect: helloWorldFoo hello_world_foo XYZ some-title One Two
import { camelCase, snakeCase, pascalCase, kebabCase, capitalCase } from 'change-case';
console.log(camelCase('hello world-foo'), snakeCase('helloWorldFoo'), pascalCase('x_y_z'), kebabCase('Some Title'), capitalCase('one two'));
