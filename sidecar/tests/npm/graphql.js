// package: graphql
// expect: {"hello":"hi ada","n":42} Cannot query field "nope" on type "Query". { a { b } }
const { graphqlSync, buildSchema, parse, print } = require('graphql');
const schema = buildSchema('type Query { hello(name: String): String, n: Int! }');
const root = { hello: ({ name }) => `hi ${name}`, n: () => 42 };
const result = graphqlSync({ schema, source: '{ hello(name: "ada") n }', rootValue: root });
const bad = graphqlSync({ schema, source: '{ nope }', rootValue: root });
console.log(JSON.stringify(result.data), bad.errors[0].message, print(parse('{a{b}}')).replace(/\s+/g, ' '));
