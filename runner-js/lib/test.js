// lib/test.js: `node:test`, the core of Node's test runner: `test`/`it`, `describe`/`suite`,
// subtests (`t.test`), hooks (`before`, `after`, `beforeEach`, `afterEach`), `skip`/`todo`/
// `only` options and methods, callback-style tests, and the TAP report Node prints when stdout
// is not a terminal (always, in the sandbox), marked line by line in a file `node --test` runs
// (internal__test_cli.js). Tests run one after another once the file's code
// has run; any failure sets the exit code to 1. `mock` and `t.mock` (restored when the test ends)
// are in internal__test_mock.js (`mock.timers`: internal__test_mock_timers.js). Not here:
// `mock.module`, `snapshot` and `run()`
// of other files.

import {
  ArrayPrototypeFilter,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypeReverse,
  ArrayPrototypeShift,
  ArrayPrototypeUnshift,
  DateNow,
  ErrorCtor,
  FunctionPrototypeCall,
  MathMax,
  ObjectAssign,
  PromiseCtor,
  PromiseResolve,
  ReflectApply,
  StringPrototypeIncludes,
  StringPrototypeRepeat,
  StringPrototypeSplit,
  SymbolCtor,
} from '../js/00_primordials.js';
import { listPush } from '../js/01_helpers.js';
import { inspect } from '../js/04_inspect.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { AbortController } from './internal__abort.js';
import { MockTracker } from './internal__test_mock.js';
import {
  isTimeout,
  keepSuite,
  leftOut,
  readFilter,
  readRunOptions,
  withTimeout,
} from './internal__test_options.js';

const processObject = cjsBuiltin('process');
const assert = cjsBuiltin('assert');
// --test-name-pattern, --test-skip-pattern, --test-only (null: every test runs).
const filter = readFilter(processObject.execArgv);
// --test-timeout (each test's default), --test-force-exit.
const runOptions = readRunOptions(processObject.execArgv);

const counts = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
let reported = false;
const started = DateNow();

/** What marks node:test's TAP lines in a file `node --test` runs (internal__test_cli.js), so
 * that they cannot be confused with the file's own output. */
export const TAP_MARK = '\x1eagentos-tap ';
/** The totals of a report, in Node's order. */
export const TEST_COUNTS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'];
const childOfTestCli = processObject.env.NODE_TEST_CONTEXT === 'child-agentos';

function write(text) {
  if (!childOfTestCli) {
    processObject.stdout.write(`${text}\n`);
    return;
  }
  const lines = StringPrototypeSplit(text, '\n');
  let marked = '';
  for (let i = 0; i < lines.length; i++) marked += `${TAP_MARK}${lines[i]}\n`;
  processObject.stdout.write(marked);
}

function yamlBlock(indent, fields) {
  const lines = [`${indent}  ---`];
  for (let i = 0; i < fields.length; i++) {
    const key = fields[i][0];
    const value = fields[i][1];
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : inspect(value);
    if (StringPrototypeIncludes(text, '\n')) {
      listPush(lines, `${indent}  ${key}: |-`);
      const split = StringPrototypeSplit(text, '\n');
      for (let i = 0; i < split.length; i++) listPush(lines, `${indent}    ${split[i]}`);
    } else {
      listPush(lines, `${indent}  ${key}: ${typeof value === 'string' ? `'${text}'` : text}`);
    }
  }
  listPush(lines, `${indent}  ...`);
  return ArrayPrototypeJoin(lines, '\n');
}

function normalize(name, options, fn) {
  if (typeof name === 'function') return normalize(name.name || '<anonymous>', {}, name);
  if (typeof name === 'object' && name !== null) return normalize(undefined, name, options);
  if (typeof options === 'function') return normalize(name, {}, options);
  return {
    name: name === undefined ? fn?.name || '<anonymous>' : `${name}`,
    options: options || {},
    fn,
  };
}

// Puts the items of `list` before those of `chain`, in their order.
function prepend(chain, list) {
  for (let i = list.length - 1; i >= 0; i--) ArrayPrototypeUnshift(chain, list[i]);
}

class Hooks {
  constructor() {
    this.before = [];
    this.after = [];
    this.beforeEach = [];
    this.afterEach = [];
  }
}

class Test {
  constructor(parent, name, options, fn, isSuite) {
    this.parent = parent;
    this.name = name;
    this.options = options;
    this.fn = fn;
    this.isSuite = isSuite;
    this.depth = parent ? parent.depth + 1 : 0;
    this.children = [];
    this.hooks = new Hooks();
    this.error = null;
    this.skip = options.skip ? (typeof options.skip === 'string' ? options.skip : '') : null;
    this.todo = options.todo ? (typeof options.todo === 'string' ? options.todo : '') : null;
    this.diagnostics = [];
    this.done = false;
    this.promise = null;
  }

  get indent() {
    return StringPrototypeRepeat('    ', MathMax(0, this.depth));
  }

  add(child) {
    listPush(this.children, child);
    return child;
  }

  async runHooks(list, context) {
    for (let i = 0; i < list.length; i++) await callFn(list[i], context);
  }

  eachHooks(kind) {
    const chain = [];
    // Outermost first: the root's hooks, then each suite's down to this test's parent.
    for (let t = this.parent; t; t = t.parent) prepend(chain, t.hooks[kind]);
    prepend(chain, rootHooks[kind]);
    return kind === 'afterEach' ? ArrayPrototypeReverse(chain) : chain;
  }

  async run() {
    const begin = DateNow();
    write(`${this.indent}# Subtest: ${this.name}`);
    if (this.skip === null && this.todo === null) {
      const context = new TestContext(this);
      try {
        if (!this.isSuite) await this.runHooks(this.eachHooks('beforeEach'), context);
        if (this.fn) {
          const out = this.isSuite
            ? FunctionPrototypeCall(this.fn, context, context)
            : callFn(this.fn, context);
          await (this.isSuite ? out : withTimeout(out, this.timeout()));
        }
        await this.runHooks(this.hooks.before, context);
        for (let i = 0; i < this.children.length; i++) await this.children[i].start();
        await this.runHooks(this.hooks.after, context);
        if (!this.isSuite) await this.runHooks(this.eachHooks('afterEach'), context);
        const failed = ArrayPrototypeFilter(
          this.children,
          (c) => c.error !== null && c.todo === null,
        ).length;
        if (failed > 0 && this.error === null) {
          const count = ArrayPrototypeFilter(this.children, (c) => c.error).length;
          this.error = new ErrorCtor(`${count} subtest failed`);
          this.subtestsFailed = true;
        }
      } catch (err) {
        this.error = err;
      }
      context[kResetMocks]();
    }
    this.report(DateNow() - begin);
  }

  // The test's `timeout` option, else --test-timeout's.
  timeout() {
    const own = this.options.timeout;
    return typeof own === 'number' && own >= 0 ? own : runOptions.timeout;
  }

  start() {
    if (this.promise === null) this.promise = this.run();
    return this.promise;
  }

  report(duration) {
    const parentList = this.parent ? this.parent.children : roots;
    const n = ArrayPrototypeIndexOf(parentList, this) + 1;
    if (this.children.length > 0) write(`${this.indent}    1..${this.children.length}`);
    let directive = '';
    if (this.skip !== null) directive = ` # SKIP${this.skip ? ` ${this.skip}` : ''}`;
    else if (this.todo !== null) directive = ` # TODO${this.todo ? ` ${this.todo}` : ''}`;
    const ok = this.error === null || this.todo !== null;
    write(`${this.indent}${ok ? 'ok' : 'not ok'} ${n} - ${this.name}${directive}`);
    const fields = [['duration_ms', duration]];
    if (this.isSuite) listPush(fields, ['type', 'suite']);
    if (this.error !== null) {
      const err = this.error;
      const timedOut = isTimeout(err);
      let failureType = this.subtestsFailed ? 'subtestsFailed' : 'testCodeFailure';
      if (timedOut) failureType = 'testTimeoutFailure';
      listPush(fields, ['failureType', failureType]);
      listPush(fields, ['error', `${err?.message ?? err}`]);
      if (err?.code !== undefined) listPush(fields, ['code', `${err.code}`]);
      if (!this.subtestsFailed && !timedOut && err?.stack) {
        listPush(fields, ['stack', `${err.stack}`]);
      }
    }
    write(yamlBlock(this.indent, fields));
    for (let i = 0; i < this.diagnostics.length; i++)
      write(`${this.indent}# ${this.diagnostics[i]}`);
    if (this.isSuite) counts.suites++;
    else {
      counts.tests++;
      if (this.skip !== null) counts.skipped++;
      else if (this.todo !== null) counts.todo++;
      else if (this.error === null) counts.pass++;
      else if (isTimeout(this.error)) counts.cancelled++;
      else counts.fail++;
    }
    if (this.error !== null && this.todo === null) processObject.exitCode = 1;
    this.done = true;
  }
}

// Not async: returning the test's own promise from an async function would resolve through a
// lookup of its `then` (which a guest may have patched); callers await the result instead.
function callFn(fn, context) {
  if (fn.length >= 2) {
    return new PromiseCtor((resolve, reject) => {
      const result = FunctionPrototypeCall(fn, context, context, (err) =>
        err ? reject(err) : resolve(),
      );
      if (result && typeof result.then === 'function') {
        reject(new ErrorCtor('passed a callback but also returned a Promise'));
      }
    });
  }
  return FunctionPrototypeCall(fn, context, context);
}

const kResetMocks = SymbolCtor('kResetMocks');

class TestContext {
  #test;
  #mock = null;

  constructor(test) {
    this.#test = test;
    this.name = test.name;
    this.assert = assert;
    this.signal = new AbortController().signal;
  }

  test(name, options, fn) {
    const n = normalize(name, options, fn);
    const child = new Test(this.#test, n.name, n.options, n.fn, false);
    if (leftOut(filter, child)) return PromiseResolve(undefined);
    this.#test.add(child);
    if (this.#test.isSuite) return PromiseResolve(undefined);
    return child.start();
  }

  get mock() {
    if (this.#mock === null) this.#mock = new MockTracker();
    return this.#mock;
  }

  [kResetMocks]() {
    this.#mock?.reset();
  }

  diagnostic(message) {
    listPush(this.#test.diagnostics, `${message}`);
  }

  skip(message) {
    this.#test.skip = message === undefined ? '' : `${message}`;
  }

  todo(message) {
    this.#test.todo = message === undefined ? '' : `${message}`;
  }

  plan() {}

  runOnly() {}

  before(fn) {
    listPush(this.#test.hooks.before, fn);
  }

  after(fn) {
    listPush(this.#test.hooks.after, fn);
  }

  beforeEach(fn) {
    listPush(this.#test.hooks.beforeEach, fn);
  }

  afterEach(fn) {
    listPush(this.#test.hooks.afterEach, fn);
  }
}

const roots = [];
const rootHooks = new Hooks();
let current = null; // the suite whose body is running, if any
let rootBeforeRan = false;

function summary() {
  if (reported) return;
  reported = true;
  write(`1..${roots.length}`);
  for (let i = 0; i < TEST_COUNTS.length; i++) {
    write(`# ${TEST_COUNTS[i]} ${counts[TEST_COUNTS[i]]}`);
  }
  write(`# duration_ms ${DateNow() - started}`);
}

// The top-level tests run one after another in one async loop (`drain`), which awaits each; no
// promise reaction returns a promise, so nothing resolves through a (patchable) `then` lookup.
const queue = []; // [entry, resolve] pairs waiting to run
let draining = false;
let finishing = false; // 'beforeExit' came: the root `after` hooks and the summary are due

async function drain() {
  draining = true;
  // Tests start after the file's own code has run (its later tests and hooks are registered).
  await PromiseResolve(undefined);
  while (queue.length > 0) {
    const next = ArrayPrototypeShift(queue);
    if (!rootBeforeRan) {
      rootBeforeRan = true;
      const hooks = rootHooks.before;
      for (let i = 0; i < hooks.length; i++) await callFn(hooks[i], {});
    }
    await next[0].start();
    next[1](undefined);
  }
  draining = false;
  if (finishing) await finishNow();
  else if (runOptions.forceExit) {
    // --test-force-exit: the tests are done; what else keeps the loop alive does not count.
    finishing = true;
    await finishNow();
    processObject.exit();
  }
}

async function finishNow() {
  const hooks = rootHooks.after;
  for (let i = 0; i < hooks.length; i++) await callFn(hooks[i], {});
  summary();
}

// When the loop empties: the root `after` hooks run, then the summary.
function finish() {
  if (finishing) return;
  finishing = true;
  if (!draining) finishNow();
}

let listening = false;
function schedule(entry) {
  if (!listening) {
    listening = true;
    write('TAP version 13');
    processObject.on('beforeExit', finish);
  }
  let resolve;
  const done = new PromiseCtor((r) => {
    resolve = r;
  });
  listPush(queue, [entry, resolve]);
  if (!draining) drain();
  return done;
}

function make(isSuite) {
  return function (name, options, fn) {
    const n = normalize(name, options, fn);
    const parent = current;
    const entry = new Test(parent, n.name, n.options, n.fn, isSuite);
    // A suite's tests are collected first: whether it is kept depends on theirs.
    const kept = isSuite ? collect(entry) : !leftOut(filter, entry);
    if (!kept) return PromiseResolve(undefined);
    if (parent !== null) {
      parent.add(entry);
      return PromiseResolve(undefined);
    }
    listPush(roots, entry);
    return schedule(entry);
  };
}

// A suite's body runs at once, to collect its tests and hooks; they run later, in order.
// Returns whether the filter keeps the suite (dropping the tests it leaves out).
function collect(suite) {
  const outer = current;
  current = suite;
  try {
    const body = suite.fn;
    suite.fn = null;
    if (body && suite.skip === null && suite.todo === null)
      FunctionPrototypeCall(body, undefined, new TestContext(suite));
  } catch (err) {
    suite.error = err;
  } finally {
    current = outer;
  }
  return keepSuite(filter, suite);
}

export const test = make(false);
export const it = test;
export const describe = make(true);
export const suite = describe;

function addFlagMethods(fn) {
  fn.skip = (name, options, f) => ReflectApply(fn, undefined, withFlag(name, options, f, 'skip'));
  fn.todo = (name, options, f) => ReflectApply(fn, undefined, withFlag(name, options, f, 'todo'));
  fn.only = (name, options, f) => ReflectApply(fn, undefined, withFlag(name, options, f, 'only'));
}
addFlagMethods(test);
addFlagMethods(describe);

function withFlag(name, options, fn, flag) {
  const n = normalize(name, options, fn);
  return [n.name, ObjectAssign({}, n.options, { [flag]: true }), n.fn];
}

function hook(kind) {
  return (fn) => {
    if (current !== null) listPush(current.hooks[kind], fn);
    else listPush(rootHooks[kind], fn);
  };
}

export const before = hook('before');
export const after = hook('after');
export const beforeEach = hook('beforeEach');
export const afterEach = hook('afterEach');

export const mock = new MockTracker();

export function run() {
  throw new ErrorCtor('node:test run() is not supported in the agentOS sandbox');
}

// `require('node:test')` is the `test` function, with the rest as its properties (as Node).
export const moduleExports = ObjectAssign(test, {
  test,
  it,
  describe,
  suite,
  before,
  after,
  beforeEach,
  afterEach,
  mock,
  run,
});
