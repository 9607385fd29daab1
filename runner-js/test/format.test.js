// util.format / util.formatWithOptions (05_format.js through the `util` builtin) against the host
// Node's: every format string with every argument of the corpus, and argument lists without a
// format string. Known differences are listed in format_differences.json.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import nodeUtil from 'node:util';
import { createUtilModule } from '../js/48_node_util.js';
import { values } from './support/corpus.js';
import { alwaysDiffers, checkDifferences, loadDifferences } from './support/differences.js';

const util = createUtilModule();
const differences = loadDifferences(new URL('./format_differences.json', import.meta.url));

const formats = [
  '%s',
  '%d',
  '%i',
  '%f',
  '%j',
  '%o',
  '%O',
  '%c',
  '%%',
  '%',
  '%x',
  '%s%',
  'plain text',
  '%s %s',
  '%d%%',
  'a %s b %d c %i d %f',
  '%%s',
  '%s:%s:%s',
  '%5d',
  '%-s',
  '100%',
  '%j %j',
  '%O and %o',
];

function show(fn) {
  try {
    return fn();
  } catch (err) {
    return `threw ${err.name}: ${err.message}`;
  }
}

test('util.format matches Node for every format string and corpus value', () => {
  const cases = [];
  for (const format of formats) {
    for (const [name, make] of values) {
      const ours = show(() => util.format(format, make(), 'extra'));
      const node = show(() => nodeUtil.format(format, make(), 'extra'));
      cases.push([name, format, ours, node]);
    }
  }
  assert.ok(cases.length > 2000, `${cases.length} cases`);
  checkDifferences(differences, cases);
});

test('util.format without a format string matches Node', () => {
  const cases = [];
  for (const [name, make] of values) {
    cases.push([
      name,
      'first',
      show(() => util.format(make(), 1, 'two')),
      show(() => nodeUtil.format(make(), 1, 'two')),
    ]);
    cases.push([
      name,
      'second',
      show(() => util.format(1, make())),
      show(() => nodeUtil.format(1, make())),
    ]);
  }
  checkDifferences(differences, cases);
});

test('util.formatWithOptions passes the options to inspect like Node', () => {
  const options = [{ depth: 0 }, { compact: false }, { breakLength: 20 }, { colors: false }];
  for (const opts of options) {
    for (const [name, make] of values.slice(0, 60)) {
      if (alwaysDiffers(differences, name)) continue;
      const ours = show(() => util.formatWithOptions(opts, '%s %O', make(), make()));
      const node = show(() => nodeUtil.formatWithOptions(opts, '%s %O', make(), make()));
      assert.equal(ours, node, `${name} ${JSON.stringify(opts)}`);
    }
  }
  assert.equal(
    show(() => util.formatWithOptions(null, 'x')),
    show(() => nodeUtil.formatWithOptions(null, 'x')),
  );
});
