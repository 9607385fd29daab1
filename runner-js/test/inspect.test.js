// util.inspect (04_inspect.js and friends, through the `util` builtin of 48_node_util.js) against
// the host Node's, on every value of the corpus with every option set. Known differences are
// listed with their reasons in inspect_differences.json.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import nodeUtil from 'node:util';
import { createUtilModule } from '../js/48_node_util.js';
import { inspectOptions, values } from './support/corpus.js';
import { checkDifferences, loadDifferences } from './support/differences.js';

const util = createUtilModule();
const differences = loadDifferences(new URL('./inspect_differences.json', import.meta.url));

function show(inspect, value, options) {
  try {
    return inspect(value, options);
  } catch (err) {
    return `threw ${err.name}: ${err.message}`;
  }
}

test('util.inspect matches Node on the corpus, with every option set', () => {
  const cases = [];
  for (const [name, make] of values) {
    for (const options of inspectOptions) {
      const key = JSON.stringify(options) ?? 'undefined';
      cases.push([
        name,
        key,
        show(util.inspect, make(), options),
        show(nodeUtil.inspect, make(), options),
      ]);
    }
  }
  assert.ok(cases.length > 2000, `${cases.length} cases`);
  checkDifferences(differences, cases);
});

test('util.inspect.custom is the symbol Node registers', () => {
  assert.equal(util.inspect.custom, nodeUtil.inspect.custom);
});
