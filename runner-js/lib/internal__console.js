// lib/internal__console.js: the `Console` class (`require('console').Console`,
// `console.Console`), after Node 22's lib/internal/console/constructor.js: a console over any
// writable streams, with its own counters, timers and group indentation. `new Console(stdout,
// stderr, ignoreErrors)` or `new Console({ stdout, stderr, ignoreErrors, colorMode,
// inspectOptions, groupIndentation })`; callable without `new`; every method is bound to its
// instance. With `ignoreErrors` (the default) a stream's write errors, thrown or emitted, are
// swallowed, as Node's. `table` prints the value as `log` does (no table layout).

import {
  bridgeMonotonic,
  ErrorCaptureStackTrace,
  FunctionPrototypeBind,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  NumberIsInteger,
  ObjectDefineProperty,
  ObjectKeys,
  RangeErrorCtor,
  ReflectApply,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  SymbolHasInstance,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { formatWithOptions } from '../js/05_format.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { emitWarning } from '../js/23_warnings.js';
import { formatDuration, globalConsole, indentGroup } from '../js/27_console.js';
import { renderTable } from './internal__console_table.js';

// Per-instance state, out of the guest's reach.
const states = new WeakMapCtor();

function stateOf(con) {
  const state = WeakMapPrototypeGet(states, con);
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation');
  return state;
}

function validateStream(stream, name) {
  if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_CONSOLE_WRITABLE_STREAM',
      `Console expects a writable stream instance for ${name}`,
    );
  }
}

function noop() {}

// Node's kWriteToConsole: a write error (thrown or emitted) is ignored when `ignoreErrors`.
function writeTo(state, useStdout, text) {
  const stream = useStdout ? state.stdout : state.stderr;
  text = `${indentGroup(text, state.groupIndent)}\n`;
  if (!state.ignoreErrors) {
    stream.write(text);
    return;
  }
  const listens =
    typeof stream.once === 'function' &&
    typeof stream.removeListener === 'function' &&
    typeof stream.listenerCount === 'function';
  // An error reported later by the write's callback is emitted later too: a one-time noop
  // listener keeps it from becoming an uncaught exception (as Node's createWriteErrorHandler).
  const onWritten = (err) => {
    if (err !== null && err !== undefined && listens && !stream._writableState?.errorEmitted) {
      if (stream.listenerCount('error') === 0) stream.once('error', noop);
    }
  };
  try {
    if (listens && stream.listenerCount('error') === 0) stream.once('error', noop);
    stream.write(text, onWritten);
  } catch (err) {
    if (err instanceof RangeErrorCtor && err.message === 'Maximum call stack size exceeded') {
      throw err;
    }
  } finally {
    if (listens) stream.removeListener('error', noop);
  }
}

function useColors(state, stream) {
  if (state.colorMode !== 'auto') return state.colorMode;
  return !!(
    stream?.isTTY &&
    (typeof stream.getColorDepth === 'function' ? stream.getColorDepth() > 2 : true)
  );
}

function format(state, useStdout, args) {
  const stream = useStdout ? state.stdout : state.stderr;
  const options = { __proto__: null, ...state.inspectOptions };
  if (options.colors === undefined) options.colors = useColors(state, stream);
  return formatWithOptions(options, args);
}

const methods = {
  log(...args) {
    const state = stateOf(this);
    writeTo(state, true, format(state, true, args));
  },
  warn(...args) {
    const state = stateOf(this);
    writeTo(state, false, format(state, false, args));
  },
  dir(object, options) {
    const state = stateOf(this);
    const opts = { __proto__: null, customInspect: false, ...state.inspectOptions };
    if (options !== null && typeof options === 'object') {
      const keys = ObjectKeys(options);
      for (let i = 0; i < keys.length; i++) opts[keys[i]] = options[keys[i]];
    }
    writeTo(state, true, inspect(object, opts));
  },
  time(label = 'default') {
    const state = stateOf(this);
    label = `${label}`;
    if (MapPrototypeHas(state.timers, label)) {
      emitWarning(`Label '${label}' already exists for console.time()`);
      return;
    }
    MapPrototypeSet(state.timers, label, bridgeMonotonic());
  },
  timeEnd(label = 'default') {
    const state = stateOf(this);
    label = `${label}`;
    const start = MapPrototypeGet(state.timers, label);
    if (start === undefined) {
      emitWarning(`No such label '${label}' for console.timeEnd()`);
      return;
    }
    MapPrototypeDelete(state.timers, label);
    writeTo(state, true, `${label}: ${formatDuration(bridgeMonotonic() - start)}`);
  },
  timeLog(label = 'default', ...data) {
    const state = stateOf(this);
    label = `${label}`;
    const start = MapPrototypeGet(state.timers, label);
    if (start === undefined) {
      emitWarning(`No such label '${label}' for console.timeLog()`);
      return;
    }
    let text = `${label}: ${formatDuration(bridgeMonotonic() - start)}`;
    if (data.length > 0) text += ` ${format(state, true, data)}`;
    writeTo(state, true, text);
  },
  trace(...args) {
    const state = stateOf(this);
    const err = { name: 'Trace', message: format(state, false, args) };
    ErrorCaptureStackTrace(err, methods.trace);
    writeTo(state, false, err.stack);
  },
  assert(expression, ...args) {
    if (!expression) {
      args[0] = `Assertion failed${args.length === 0 ? '' : `: ${args[0]}`}`;
      ReflectApply(this.warn, this, args);
    }
  },
  clear() {
    const state = stateOf(this);
    if (state.stdout.isTTY) {
      state.stdout.write('\u001b[1;1H\u001b[0J');
    }
  },
  count(label = 'default') {
    const state = stateOf(this);
    label = `${label}`;
    const n = (MapPrototypeGet(state.counts, label) || 0) + 1;
    MapPrototypeSet(state.counts, label, n);
    writeTo(state, true, `${label}: ${n}`);
  },
  countReset(label = 'default') {
    const state = stateOf(this);
    label = `${label}`;
    if (MapPrototypeHas(state.counts, label)) MapPrototypeSet(state.counts, label, 0);
    else emitWarning(`Count for '${label}' does not exist`);
  },
  group(...data) {
    const state = stateOf(this);
    if (data.length > 0) ReflectApply(this.log, this, data);
    state.groupIndent += StringPrototypeRepeat(' ', state.groupIndentation);
  },
  groupEnd() {
    const state = stateOf(this);
    state.groupIndent = StringPrototypeSlice(
      state.groupIndent,
      0,
      state.groupIndent.length - state.groupIndentation,
    );
  },
  table(data, properties) {
    const state = stateOf(this);
    const table = renderTable(data, properties);
    writeTo(state, true, format(state, true, [table === undefined ? data : table]));
  },
};

// Node's aliases (their names are the originals').
const aliases = {
  debug: 'log',
  info: 'log',
  dirxml: 'log',
  error: 'warn',
  groupCollapsed: 'group',
};

function parseOptions(options, stderrArg, ignoreErrorsArg) {
  if (options === null || typeof options !== 'object' || typeof options.write === 'function') {
    return {
      stdout: options,
      stderr: stderrArg,
      ignoreErrors: ignoreErrorsArg,
      colorMode: 'auto',
      inspectOptions: undefined,
      groupIndentation: 2,
    };
  }
  return {
    stdout: options.stdout,
    stderr: options.stderr,
    ignoreErrors: options.ignoreErrors,
    colorMode: options.colorMode ?? 'auto',
    inspectOptions: options.inspectOptions,
    groupIndentation: options.groupIndentation,
  };
}

export function Console(options, stderr, ignoreErrors) {
  if (!new.target) return ReflectApply(ConsoleNew, undefined, [options, stderr, ignoreErrors]);
  const o = parseOptions(options, stderr, ignoreErrors);
  const stdout = o.stdout;
  const err = o.stderr === undefined ? stdout : o.stderr;
  validateStream(stdout, 'stdout');
  validateStream(err, 'stderr');
  if (o.colorMode !== 'auto' && o.colorMode !== true && o.colorMode !== false) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'colorMode' is invalid. Received ${inspect(o.colorMode)}`,
    );
  }
  if (o.inspectOptions !== undefined) {
    if (o.inspectOptions === null || typeof o.inspectOptions !== 'object') {
      throw makeInvalidArgType('options.inspectOptions', 'object', o.inspectOptions);
    }
    if (o.inspectOptions.colors !== undefined && o.colorMode !== 'auto') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INCOMPATIBLE_OPTION_PAIR',
        'Option "options.inspectOptions.color" cannot be used in combination with option "colorMode"',
      );
    }
  }
  const indentation = o.groupIndentation === undefined ? 2 : o.groupIndentation;
  if (typeof indentation !== 'number') {
    throw makeInvalidArgType('groupIndentation', 'number', indentation);
  }
  if (!NumberIsInteger(indentation) || indentation < 0 || indentation > 1000) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_OUT_OF_RANGE',
      `The value of "groupIndentation" is out of range. It must be ${NumberIsInteger(indentation) ? '>= 0 && <= 1000' : 'an integer'}. Received ${indentation}`,
    );
  }
  WeakMapPrototypeSet(states, this, {
    __proto__: null,
    stdout,
    stderr: err,
    ignoreErrors: o.ignoreErrors === undefined ? true : !!o.ignoreErrors,
    colorMode: o.colorMode,
    inspectOptions: o.inspectOptions,
    groupIndentation: indentation,
    groupIndent: '',
    counts: new MapCtor(),
    timers: new MapCtor(),
  });
  // Every method bound to this instance, under its own name (as Node).
  const keys = ObjectKeys(Console.prototype);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    // `this[key]`: a subclass's override is what gets bound.
    const bound = FunctionPrototypeBind(this[key], this);
    ObjectDefineProperty(bound, 'name', { __proto__: null, value: key, configurable: true });
    ObjectDefineProperty(this, key, {
      __proto__: null,
      value: bound,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}

// The global console is a Console too (`console instanceof Console`), as in Node.
ObjectDefineProperty(Console, SymbolHasInstance, {
  __proto__: null,
  value: function hasInstance(instance) {
    return (
      instance === globalConsole ||
      (instance !== null &&
        typeof instance === 'object' &&
        WeakMapPrototypeGet(states, instance) !== undefined)
    );
  },
});

function ConsoleNew(options, stderr, ignoreErrors) {
  return new Console(options, stderr, ignoreErrors);
}

{
  const keys = ObjectKeys(methods);
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(Console.prototype, keys[i], {
      __proto__: null,
      value: methods[keys[i]],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  const names = ObjectKeys(aliases);
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(Console.prototype, names[i], {
      __proto__: null,
      value: methods[aliases[names[i]]],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}
