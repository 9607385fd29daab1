// lib/internal__test_reports.js: the reports of `node --test` (internal__test_cli.js), made
// from the TAP each test file's node:test prints. `tap`: the files' tests renumbered as the
// run's top-level tests, the files' own output as comments. `spec`: a line per test as it ends
// (a check, a cross, a dash for skipped), a suite or a test with subtests announced before its
// children, errors under the failing test, diagnostics and the totals as `i` lines, and the
// failing tests again at the end. As Node prints them when stdout is not a terminal (no
// colours); durations are whole milliseconds here, and the recap has no `test at
// FILE:LINE:COL` lines.

import {
  ArrayPrototypePush,
  RegExpPrototypeExec,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
} from '../js/00_primordials.js';
import { TEST_COUNTS } from './test.js';

const PASS = '\u2714';
const FAIL = '\u2716';
const SUITE = '\u25b6';
const INFO = '\u2139';
const SKIP = '\ufe63';

function indent(depth) {
  return StringPrototypeRepeat('  ', depth);
}

// A YAML scalar of the TAP report: quotes dropped.
function scalar(text) {
  const quoted = RegExpPrototypeExec(/^'(.*)'$/, text);
  return quoted === null ? text : quoted[1];
}

// What both reports keep: where they write and the run's totals.
class Report {
  constructor(write) {
    this.write = write;
    this.counts = { __proto__: null };
    for (let i = 0; i < TEST_COUNTS.length; i++) this.counts[TEST_COUNTS[i]] = 0;
  }

  // A file's own totals.
  add(tally) {
    for (let i = 0; i < TEST_COUNTS.length; i++) {
      this.counts[TEST_COUNTS[i]] += tally[TEST_COUNTS[i]];
    }
  }

  // The test a file is reported as (see `fileResult`).
  countFile(failed) {
    this.counts.tests++;
    this.counts[failed ? 'fail' : 'pass']++;
  }
}

// The TAP report of the whole run: the files' tests renumbered as top-level tests.
export class TapReport extends Report {
  constructor(write) {
    super(write);
    this.top = 0;
    write('TAP version 13');
  }

  // A line of a test file's own output.
  output(line) {
    this.write(`# ${line}`);
  }

  // One line of a child's TAP (plans and totals already taken out).
  tap(line) {
    const result = RegExpPrototypeExec(/^(not ok|ok) \d+ - (.*)$/, line);
    if (result !== null) this.write(`${result[1]} ${++this.top} - ${result[2]}`);
    else this.write(line);
  }

  // A test named by the file's path: what ran outside its tests failed, or it ran none.
  fileResult(file, duration, exitCode, signal) {
    const failed = exitCode !== 0 || signal !== null;
    this.write(`# Subtest: ${file}`);
    this.write(`${failed ? 'not ok' : 'ok'} ${++this.top} - ${file}`);
    this.write('  ---');
    this.write(`  duration_ms: ${duration}`);
    if (failed) {
      this.write("  failureType: 'testCodeFailure'");
      this.write(`  exitCode: ${exitCode === null ? '~' : exitCode}`);
      this.write(`  signal: ${signal === null ? '~' : `'${signal}'`}`);
      this.write("  error: 'test failed'");
      this.write("  code: 'ERR_TEST_FAILURE'");
    }
    this.write('  ...');
    this.countFile(failed);
  }

  summary(duration) {
    this.write(`1..${this.top}`);
    for (let i = 0; i < TEST_COUNTS.length; i++) {
      this.write(`# ${TEST_COUNTS[i]} ${this.counts[TEST_COUNTS[i]]}`);
    }
    this.write(`# duration_ms ${duration}`);
  }
}

export class SpecReport extends Report {
  constructor(write) {
    super(write);
    this.open = []; // the tests started and not ended, outermost first
    this.result = null; // the result whose YAML block is being read
    this.failures = []; // [lines] of each failure, for the recap
  }

  // A line of a test file's own output.
  output(line) {
    this.write(line);
  }

  // One line of a child's TAP (plans and totals already taken out).
  tap(line) {
    const m = RegExpPrototypeExec(/^( *)(.*)$/, line);
    const depth = (m[1].length / 4) | 0;
    const text = m[2];
    if (this.result !== null) return this.yamlLine(m[1].length, text);
    if (StringPrototypeStartsWith(text, '# Subtest: ')) return this.start(depth, text);
    const result = RegExpPrototypeExec(
      /^(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)(?: (.*))?)?$/,
      text,
    );
    if (result !== null) {
      this.result = {
        depth,
        ok: result[1] === 'ok',
        name: result[2],
        directive: result[3],
        reason: result[4],
        fields: { __proto__: null },
        block: undefined, // the key of a `|-` value being read
        inYaml: false,
      };
      return;
    }
    if (StringPrototypeStartsWith(text, '# ')) {
      this.write(`${indent(depth)}${INFO} ${StringPrototypeSlice(text, 2)}`);
    }
  }

  start(depth, text) {
    this.open.length = depth;
    const parent = this.open[depth - 1];
    if (parent !== undefined && !parent.announced) {
      this.write(`${indent(depth - 1)}${SUITE} ${parent.name}`);
      parent.announced = true;
    }
    ArrayPrototypePush(this.open, {
      name: StringPrototypeSlice(text, '# Subtest: '.length),
      announced: false,
    });
  }

  yamlLine(spaces, text) {
    const r = this.result;
    const base = r.depth * 4 + 2;
    if (!r.inYaml) {
      if (text === '---') r.inYaml = true;
      return;
    }
    if (text === '...' && spaces === base) {
      this.result = null;
      return this.end(r);
    }
    const field = spaces === base ? RegExpPrototypeExec(/^(\w+): (.*)$/, text) : null;
    if (field !== null) {
      r.block = field[2] === '|-' ? field[1] : undefined;
      r.fields[field[1]] = field[2] === '|-' ? '' : scalar(field[2]);
    } else if (r.block !== undefined) {
      const previous = r.fields[r.block];
      const content = StringPrototypeSlice(
        `${StringPrototypeRepeat(' ', spaces)}${text}`,
        base + 2,
      );
      r.fields[r.block] = previous === '' ? content : `${previous}\n${content}`;
    }
  }

  end(r) {
    const pad = indent(r.depth);
    const time = `(${r.fields.duration_ms ?? 0}ms)`;
    this.open.length = r.depth;
    if (r.directive === 'SKIP') {
      this.write(`${pad}${SKIP} ${r.name} ${time} # ${r.reason ?? 'SKIP'}`);
    } else if (r.directive === 'TODO') {
      this.write(`${pad}${PASS} ${r.name} ${time} # ${r.reason ?? 'TODO'}`);
    } else if (r.ok) {
      this.write(`${pad}${PASS} ${r.name} ${time}`);
    } else if (r.fields.failureType === 'subtestsFailed') {
      this.write(`${pad}${FAIL} ${r.name} ${time}`);
    } else {
      this.failed(pad, `${r.name} ${time}`, r.fields.stack ?? r.fields.error ?? '');
    }
  }

  // A failure with its error, now (at its depth) and in the recap (unindented).
  failed(pad, title, error) {
    const lines = [`${FAIL} ${title}`];
    const errorLines = StringPrototypeSplit(error, '\n');
    for (let i = 0; i < errorLines.length; i++) ArrayPrototypePush(lines, `  ${errorLines[i]}`);
    ArrayPrototypePush(lines, '');
    for (let i = 0; i < lines.length; i++) this.write(lines[i] === '' ? '' : `${pad}${lines[i]}`);
    ArrayPrototypePush(this.failures, lines);
  }

  // A test named by the file's path: what ran outside its tests failed, or it ran none.
  fileResult(file, duration, exitCode, signal) {
    const failed = exitCode !== 0 || signal !== null;
    if (failed) this.failed('', `${file} (${duration}ms)`, "'test failed'");
    else this.write(`${PASS} ${file} (${duration}ms)`);
    this.countFile(failed);
  }

  summary(duration) {
    for (let i = 0; i < TEST_COUNTS.length; i++) {
      this.write(`${INFO} ${TEST_COUNTS[i]} ${this.counts[TEST_COUNTS[i]]}`);
    }
    this.write(`${INFO} duration_ms ${duration}`);
    if (this.failures.length === 0) return;
    this.write('');
    this.write(`${FAIL} failing tests:`);
    this.write('');
    for (let i = 0; i < this.failures.length; i++) {
      const lines = this.failures[i];
      for (let j = 0; j < lines.length; j++) this.write(lines[j]);
    }
  }
}
