// lib/internal__test_cli.js: `node --test [PATTERNS...]`, Node's test runner on the command
// line. It finds the test files (Node's default patterns under the working directory, or the
// files, directories and globs given), runs each in a child `node` one after another (each its
// own guest, as Node isolates each file in a process), and prints one TAP report of them all:
// the files' tests renumbered as top-level tests, their other output as `# ` comments, a file
// that failed outside any test (or ran none) as a test named by its path, then the totals. The
// exit code is 1 when anything failed. In the child, node:test marks its TAP lines
// (TAP_MARK in test.js) so that they cannot be confused with the file's own output.
//
// Patterns: a file; a directory (searched as the working directory is); or a glob with `*`,
// `?`, `[...]`, `{a,b}` and `**` (minimatch's rules, without its extglobs). `node_modules` and
// names starting with `.` are never searched. Reporters: `tap` (Node's default when stdout is
// not a terminal, as it never is here) and `spec` (both in internal__test_reports.js).

import {
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  DateNow,
  PromiseCtor,
  RegExpPrototypeExec,
  SetCtor,
  StringPrototypeCharAt,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
} from '../js/00_primordials.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { globRegExp, hasMagic } from './internal__glob.js';
import { SpecReport, TapReport } from './internal__test_reports.js';
import { TAP_MARK, TEST_COUNTS } from './test.js';

const processObject = cjsBuiltin('process');
const fs = cjsBuiltin('fs');
const path = cjsBuiltin('path');

const TEST_EXTENSIONS = ['.js', '.mjs', '.cjs'];

// Node's default: `**/{test,test/**/*,test-*,*[._-]test}.{cjs,mjs,js}`.
function isDefaultTestFile(relative) {
  const ext = path.extname(relative);
  if (!ArrayPrototypeIncludes(TEST_EXTENSIONS, ext)) return false;
  const parts = StringPrototypeSplit(relative, '/');
  const stem = StringPrototypeSlice(parts[parts.length - 1], 0, -ext.length);
  if (stem === 'test' || StringPrototypeStartsWith(stem, 'test-')) return true;
  if (RegExpPrototypeExec(/[._-]test$/, stem) !== null) return true;
  return ArrayPrototypeIncludes(ArrayPrototypeSlice(parts, 0, -1), 'test');
}

// Every file under `dir` (relative to it, `/`-separated), skipping node_modules and dot names;
// symbolic links to directories are not followed.
function walk(dir, prefix, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const name = entry.name;
    if (StringPrototypeCharAt(name, 0) === '.' || name === 'node_modules') continue;
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    if (entry.isDirectory()) walk(path.join(dir, name), relative, out);
    else if (entry.isFile() || entry.isSymbolicLink()) ArrayPrototypePush(out, relative);
  }
  return out;
}

// The files under `dir` Node's default patterns name (relative to it).
function defaultTestFiles(dir) {
  const all = walk(dir, '', []);
  const found = [];
  for (let i = 0; i < all.length; i++) {
    if (isDefaultTestFile(all[i])) ArrayPrototypePush(found, all[i]);
  }
  return found;
}

/** The test files for `patterns` (relative to `cwd` where they are under it), sorted; or
 * undefined when no pattern found anything and none was a glob (Node's "Could not find"). */
export function testFiles(patterns, cwd) {
  if (patterns.length === 0) return ArrayPrototypeSort(defaultTestFiles(cwd));
  const found = new SetCtor();
  let magic = false;
  for (let i = 0; i < patterns.length; i++) {
    const pattern = patterns[i];
    if (hasMagic(pattern)) {
      magic = true;
      addGlob(pattern, cwd, found);
      continue;
    }
    const full = path.resolve(cwd, pattern);
    const st = fs.statSync(full, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      const inside = defaultTestFiles(full);
      for (let j = 0; j < inside.length; j++) {
        found.add(path.relative(cwd, path.join(full, inside[j])));
      }
    } else if (st !== undefined) {
      found.add(path.relative(cwd, full));
    }
  }
  if (found.size === 0 && !magic) return undefined;
  const out = [];
  for (const file of found) ArrayPrototypePush(out, file);
  return ArrayPrototypeSort(out);
}

function addGlob(pattern, cwd, found) {
  const absolute = path.isAbsolute(pattern);
  const base = absolute ? '/' : cwd;
  const normalized = absolute ? StringPrototypeSlice(pattern, 1) : pattern;
  const re = globRegExp(
    StringPrototypeStartsWith(normalized, './') ? StringPrototypeSlice(normalized, 2) : normalized,
  );
  const all = walk(base, '', []);
  for (let i = 0; i < all.length; i++) {
    if (RegExpPrototypeExec(re, all[i]) !== null) {
      found.add(path.relative(cwd, path.join(base, all[i])));
    }
  }
}

// Takes a child's TAP header, plans and totals (into `tally`); true if `line` was one.
function tookTotals(line, tally) {
  if (line === 'TAP version 13' || RegExpPrototypeExec(/^1\.\.\d+$/, line) !== null) return true;
  if (StringPrototypeStartsWith(line, '# duration_ms ')) return true;
  const total = RegExpPrototypeExec(/^# (\w+) (\d+)$/, line);
  if (total === null || !ArrayPrototypeIncludes(TEST_COUNTS, total[1])) return false;
  tally[total[1]] += +total[2];
  return true;
}

// Splits a stream's chunks into lines, calling `onLine` for each complete one.
function lineSplitter(onLine) {
  let pending = '';
  return {
    push(chunk) {
      const lines = StringPrototypeSplit(`${pending}${chunk}`, '\n');
      pending = lines[lines.length - 1];
      for (let i = 0; i < lines.length - 1; i++) onLine(lines[i]);
    },
    end() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

// Runs one test file in a child node; resolves once it has exited and been reported.
function runFile(file, execArgv, report) {
  const started = DateNow();
  const tally = { __proto__: null };
  for (let i = 0; i < TEST_COUNTS.length; i++) tally[TEST_COUNTS[i]] = 0;
  const env = { __proto__: null, ...processObject.env, NODE_TEST_CONTEXT: 'child-agentos' };
  const child = cjsBuiltin('child_process').spawn(processObject.execPath, [...execArgv, file], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = lineSplitter((line) => {
    if (!StringPrototypeStartsWith(line, TAP_MARK)) return report.output(line);
    const tap = StringPrototypeSlice(line, TAP_MARK.length);
    if (!tookTotals(tap, tally)) report.tap(tap);
  });
  const err = lineSplitter((line) => report.output(line));
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => out.push(chunk));
  child.stderr.on('data', (chunk) => err.push(chunk));
  return new PromiseCtor((resolve) => {
    child.on('error', (e) => {
      err.push(`${e?.message ?? e}\n`);
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      const ranTests = tally.tests + tally.suites > 0;
      if ((code !== 0 || signal !== null) && tally.fail + tally.cancelled === 0) {
        report.fileResult(file, DateNow() - started, code, signal);
      } else if (!ranTests) {
        report.fileResult(file, DateNow() - started, 0, null);
      }
      report.add(tally);
      resolve();
    });
  });
}

// The node options a child gets: the parent's but `--test` and the reporter (the filters
// `--test-name-pattern`, `--test-skip-pattern`, `--test-only` are the children's to apply).
function childExecArgv(flags) {
  const out = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag === '--test-reporter') i++;
    else if (flag !== '--test' && !StringPrototypeStartsWith(flag, '--test-reporter=')) {
      ArrayPrototypePush(out, flag);
    }
  }
  return out;
}

// `--test-reporter`'s value, when given (either form).
function reporterOf(flags) {
  let reporter;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--test-reporter') reporter = flags[++i];
    else if (StringPrototypeStartsWith(flags[i], '--test-reporter=')) {
      reporter = StringPrototypeSlice(flags[i], '--test-reporter='.length);
    }
  }
  return reporter;
}

/** `node --test PATTERNS...` with the node options `flags` in force. */
export async function runTestCli(patterns, flags) {
  const reporter = reporterOf(flags);
  if (reporter !== undefined && reporter !== 'tap' && reporter !== 'spec') {
    processObject.stderr.write(
      `node: --test-reporter=${reporter} is not supported in the agentOS sandbox (tap and spec are)\n`,
    );
    processObject.exitCode = 9;
    return;
  }
  const cwd = processObject.cwd();
  const files = testFiles(patterns, cwd);
  if (files === undefined) {
    processObject.stderr.write(`Could not find '${ArrayPrototypeJoin(patterns, ', ')}'\n`);
    processObject.exitCode = 1;
    return;
  }
  const started = DateNow();
  const write = (line) => processObject.stdout.write(`${line}\n`);
  const report = reporter === 'spec' ? new SpecReport(write) : new TapReport(write);
  const execArgv = childExecArgv(flags);
  for (let i = 0; i < files.length; i++) {
    await runFile(path.resolve(cwd, files[i]), execArgv, report);
  }
  report.summary(DateNow() - started);
  if (report.counts.fail > 0 || report.counts.cancelled > 0) processObject.exitCode = 1;
}
