// 27_console.js: the global `console` (stdout for log/info/debug, stderr for warn/error/trace).

import {
  ArrayPrototypeJoin,
  bridgeMonotonic,
  bridgeWrite,
  ErrorCaptureStackTrace,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  MathMax,
  ObjectDefineProperty,
  ObjectKeys,
  ReflectApply,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  SymbolToStringTag,
  uncurryThis,
} from './00_primordials.js';
import { splitLines } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import { formatWithOptions } from './05_format.js';
import { emitWarning, setWarningWriter } from './23_warnings.js';
import { hijackedStdio } from './26_process.js';
import { defineLazyProperty, loadLazyBuiltin } from './49_lazy.js';

const NumberPrototypeToFixed = uncurryThis(Number.prototype.toFixed);

let groupIndent = '';
const consoleCounts = new MapCtor();
const consoleTimers = new MapCtor();

// `text` with every line indented by the group indentation `indent` (as Node's console.group).
export function indentGroup(text, indent) {
  if (indent !== '') {
    if (StringPrototypeIncludes(text, '\n')) {
      text = ArrayPrototypeJoin(splitLines(text), `\n${indent}`);
    }
    text = `${indent}${text}`;
  }
  return text;
}

export function consoleWrite(fd, text) {
  const line = `${indentGroup(text, groupIndent)}\n`;
  const stream = hijackedStdio(fd);
  if (stream === undefined) bridgeWrite(fd, line);
  else ReflectApply(stream.write, stream, [line]);
}

setWarningWriter((text) => consoleWrite(2, text));

export function formatLog(args) {
  return formatWithOptions(undefined, args);
}

// A console.time duration as Node prints it: `1.234ms`, `1.234s`, `1.234min`, `1.234h`.
export function formatDuration(ms) {
  let value = ms;
  let unit = 'ms';
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) {
        value = ms / 3600000;
        unit = 'h';
      } else {
        value = ms / 60000;
        unit = 'min';
      }
    } else {
      value = ms / 1000;
      unit = 's';
    }
  }
  return `${NumberPrototypeToFixed(value, 3)}${unit}`;
}

function makeConsole() {
  const methods = {
    log(...args) {
      consoleWrite(1, formatLog(args));
    },
    info(...args) {
      consoleWrite(1, formatLog(args));
    },
    debug(...args) {
      consoleWrite(1, formatLog(args));
    },
    warn(...args) {
      consoleWrite(2, formatLog(args));
    },
    error(...args) {
      consoleWrite(2, formatLog(args));
    },
    dir(object, options) {
      const opts = { __proto__: null, customInspect: false };
      if (options !== null && typeof options === 'object') {
        const keys = ObjectKeys(options);
        for (let i = 0; i < keys.length; i++) opts[keys[i]] = options[keys[i]];
      }
      consoleWrite(1, inspect(object, opts));
    },
    dirxml(...args) {
      consoleWrite(1, formatLog(args));
    },
    assert(expression, ...args) {
      if (!expression) {
        args[0] = `Assertion failed${args.length === 0 ? '' : `: ${args[0]}`}`;
        consoleWrite(2, formatLog(args));
      }
    },
    trace(...args) {
      const err = { name: 'Trace', message: formatLog(args) };
      ErrorCaptureStackTrace(err, methods.trace);
      consoleWrite(2, err.stack);
    },
    count(label = 'default') {
      label = `${label}`;
      const n = (MapPrototypeGet(consoleCounts, label) || 0) + 1;
      MapPrototypeSet(consoleCounts, label, n);
      consoleWrite(1, `${label}: ${n}`);
    },
    countReset(label = 'default') {
      label = `${label}`;
      if (MapPrototypeHas(consoleCounts, label)) MapPrototypeSet(consoleCounts, label, 0);
      else emitWarning(`Count for '${label}' does not exist`);
    },
    group(...args) {
      if (args.length > 0) consoleWrite(1, formatLog(args));
      groupIndent += '  ';
    },
    groupCollapsed(...args) {
      if (args.length > 0) consoleWrite(1, formatLog(args));
      groupIndent += '  ';
    },
    groupEnd() {
      groupIndent = StringPrototypeSlice(groupIndent, 0, MathMax(0, groupIndent.length - 2));
    },
    time(label = 'default') {
      label = `${label}`;
      if (MapPrototypeHas(consoleTimers, label)) {
        emitWarning(`Label '${label}' already exists for console.time()`);
        return;
      }
      MapPrototypeSet(consoleTimers, label, bridgeMonotonic());
    },
    timeEnd(label = 'default') {
      label = `${label}`;
      const start = MapPrototypeGet(consoleTimers, label);
      if (start === undefined) {
        emitWarning(`No such label '${label}' for console.timeEnd()`);
        return;
      }
      MapPrototypeDelete(consoleTimers, label);
      consoleWrite(1, `${label}: ${formatDuration(bridgeMonotonic() - start)}`);
    },
    timeLog(label = 'default', ...data) {
      label = `${label}`;
      const start = MapPrototypeGet(consoleTimers, label);
      if (start === undefined) {
        emitWarning(`No such label '${label}' for console.timeLog()`);
        return;
      }
      let text = `${label}: ${formatDuration(bridgeMonotonic() - start)}`;
      if (data.length > 0) text += ` ${formatLog(data)}`;
      consoleWrite(1, text);
    },
    table(data, properties) {
      const table = loadLazyBuiltin('internal/console_table').renderTable(data, properties);
      consoleWrite(1, formatLog([table === undefined ? data : table]));
    },
    // Clears a terminal; stdout is never one in the sandbox.
    clear() {},
  };
  const con = {};
  const keys = ObjectKeys(methods);
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(con, keys[i], {
      __proto__: null,
      value: methods[keys[i]],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  // `console.Console` (lib/internal__console.js), loaded on first use.
  defineLazyProperty(con, 'Console', 'internal/console', 'Console', true);
  ObjectDefineProperty(con, SymbolToStringTag, {
    __proto__: null,
    value: 'console',
    writable: false,
    enumerable: false,
    configurable: true,
  });
  return con;
}

// The global console (also require('console')), made once at factory time.
export const globalConsole = makeConsole();
