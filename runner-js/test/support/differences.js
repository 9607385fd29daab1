// Known differences from Node, read from a checked-in JSON list: [{ value, options, reason }],
// `options` being a case's JSON.stringify(options) (or "*" for every option set). A difference
// not on the list fails, and so does a listed one that no longer differs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export function loadDifferences(url) {
  const list = JSON.parse(readFileSync(url, 'utf8'));
  for (const entry of list) {
    assert.equal(typeof entry.reason, 'string', `a reason for ${entry.value}`);
    assert.ok(entry.reason.length > 10, `a real reason for ${entry.value}`);
  }
  return list;
}

// Compares `cases` ([value name, options key, ours, node]) with the list; throws on surprises: a
// difference not listed, or a listed one that covers cases here of which none differs.
export function checkDifferences(list, cases) {
  const covered = new Set();
  const used = new Set();
  const surprises = [];
  for (const [value, options, ours, node] of cases) {
    const entry = list.find(
      (e) => e.value === value && (e.options === '*' || e.options === options),
    );
    if (entry !== undefined) covered.add(entry);
    if (ours === node) continue;
    if (entry === undefined) {
      surprises.push(
        `${value} ${options}:\n  ours: ${JSON.stringify(ours)}\n  node: ${JSON.stringify(node)}`,
      );
    } else {
      used.add(entry);
    }
  }
  for (const entry of covered) {
    if (!used.has(entry))
      surprises.push(`listed but now matches Node: ${entry.value} ${entry.options}`);
  }
  assert.ok(surprises.length === 0, `${surprises.length} surprises:\n${surprises.join('\n')}`);
}

// Whether `value` differs from Node whatever the options (an entry with options "*").
export function alwaysDiffers(list, value) {
  return list.some((e) => e.value === value && e.options === '*');
}
