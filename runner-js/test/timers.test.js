// The timers of 24_timers.js: what a Timeout and an Immediate report, as Node's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clearImmediate, setImmediate } from '../js/24_timers.js';

test("an Immediate's hasRef() follows ref() and unref(); a foreign this has no ref", () => {
  const immediate = setImmediate(() => {});
  try {
    assert.equal(immediate.hasRef(), true);
    assert.equal(immediate.unref().hasRef(), false);
    assert.equal(immediate.ref().hasRef(), true);
    assert.equal(immediate.hasRef.call({}), false);
    assert.equal(immediate.hasRef.call(null), false);
  } finally {
    clearImmediate(immediate);
  }
});
