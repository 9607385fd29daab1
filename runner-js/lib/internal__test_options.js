// lib/internal__test_options.js: node:test's command-line options (read from process.execArgv,
// as Node reads them; with `node --test` the files' children get them): the per-test timeout
// (`--test-timeout`, and a test's own `timeout` option), `--test-force-exit`, and which tests
// run under `--test-name-pattern`, `--test-skip-pattern` and `--test-only`. As Node 22 does, a test left out is neither run
// nor reported (the others are numbered as if it were not there). A test is kept when a name
// pattern matches its name, an ancestor's, or its ancestors' names and its own joined by
// spaces; a skip pattern matching the same leaves it out; `--test-only` keeps the tests with
// the `only` option and everything under them. A suite is kept while one of its tests is.
// Patterns are regular expressions; `/source/flags` gives flags.

import {
  ArrayPrototypePush,
  ErrorCtor,
  NumberIsFinite,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseResolve,
  RegExpCtor,
  RegExpPrototypeExec,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeHas,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { clearTimeout, setTimeout } from '../js/24_timers.js';

/** `--test-timeout=MS` (Infinity when not given) and `--test-force-exit`. */
export function readRunOptions(execArgv) {
  let timeout = Infinity;
  let forceExit = false;
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if (flag === '--test-force-exit') forceExit = true;
    else if (flag === '--test-timeout' && i + 1 < execArgv.length) timeout = +execArgv[++i];
    else if (StringPrototypeStartsWith(flag, '--test-timeout=')) {
      timeout = +StringPrototypeSlice(flag, '--test-timeout='.length);
    }
  }
  return { timeout: NumberIsFinite(timeout) && timeout >= 0 ? timeout : Infinity, forceExit };
}

const timeouts = new WeakMapCtor(); // the errors made by `timeoutError`

/** The error of a test that ran past its timeout (Node's). */
export function timeoutError(ms) {
  const err = makeNodeError(ErrorCtor, 'ERR_TEST_FAILURE', `test timed out after ${ms}ms`);
  WeakMapPrototypeSet(timeouts, err, true);
  return err;
}

/** True for an error of `timeoutError` (a guest's error cannot pass for one). */
export function isTimeout(err) {
  return typeof err === 'object' && err !== null && WeakMapPrototypeHas(timeouts, err);
}

/** `out` (a test's result), rejected with `timeoutError` past `ms` (when finite). */
export function withTimeout(out, ms) {
  if (!(ms < Infinity)) return out;
  // The runner's own timers: a test's mock.timers must not stop its timeout.
  return new PromiseCtor((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError(ms)), ms);
    const done = (settle) => (value) => {
      clearTimeout(timer);
      settle(value);
    };
    PromisePrototypeThen(PromiseResolve(out), done(resolve), done(reject));
  });
}

const PATTERN_FLAGS = ['--test-name-pattern', '--test-skip-pattern'];

function patternOf(text, flag) {
  const literal = RegExpPrototypeExec(/^\/(.*)\/([a-z]*)$/s, text);
  try {
    return literal === null ? new RegExpCtor(text) : new RegExpCtor(literal[1], literal[2]);
  } catch (err) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument '${flag}' '${text}' is an invalid regular expression. ${err?.message}`,
    );
  }
}

/** The filter that `execArgv` sets, or null when it sets none. */
export function readFilter(execArgv) {
  const lists = [[], []]; // name patterns, skip patterns
  let only = false;
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if (flag === '--test-only') only = true;
    for (let k = 0; k < PATTERN_FLAGS.length; k++) {
      const name = PATTERN_FLAGS[k];
      if (flag === name && i + 1 < execArgv.length) {
        ArrayPrototypePush(lists[k], patternOf(execArgv[++i], name));
      } else if (StringPrototypeStartsWith(flag, `${name}=`)) {
        ArrayPrototypePush(lists[k], patternOf(StringPrototypeSlice(flag, name.length + 1), name));
      }
    }
  }
  if (!only && lists[0].length === 0 && lists[1].length === 0) return null;
  return { names: lists[0], skips: lists[1], only };
}

function anyMatch(patterns, text) {
  for (let i = 0; i < patterns.length; i++) {
    if (RegExpPrototypeExec(patterns[i], text) !== null) return true;
  }
  return false;
}

function fullName(test) {
  return test.parent ? `${fullName(test.parent)} ${test.name}` : test.name;
}

function matchesNames(filter, test) {
  if (filter.names.length === 0) return true;
  for (let t = test; t; t = t.parent) if (anyMatch(filter.names, t.name)) return true;
  return anyMatch(filter.names, fullName(test));
}

function underOnly(test) {
  for (let t = test; t; t = t.parent) if (t.options.only) return true;
  return false;
}

/** True when `test` is left out (a suite: see `keepSuite`). */
export function leftOut(filter, test) {
  if (filter === null) return false;
  if (filter.only && !underOnly(test)) return true;
  if (!matchesNames(filter, test)) return true;
  return anyMatch(filter.skips, test.name) || anyMatch(filter.skips, fullName(test));
}

/** Whether the filter keeps `suite`, whose tests were collected (those left out were never
 * added): while one of them is kept, or by its own name when none is. */
export function keepSuite(filter, suite) {
  return filter === null || suite.children.length > 0 || !leftOut(filter, suite);
}
