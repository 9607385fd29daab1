// 90_main.js: the entry module. Per-exec start (globals, CommonJS wrapper, main code) and the
// `runner` object Rust calls (the factory returns it).

import {
  bridgeCompileScript,
  bridgeMonotonic,
  globalObject,
  ObjectDefineProperty,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  SymbolToStringTag,
} from './00_primordials.js';
import { TextDecoder, TextEncoder } from './07_encoding.js';
import { installMemoryGuards, setMemoryLimit } from './09_memory.js';
import {
  exitCodeValue,
  markStart,
  msSinceStart,
  processObject,
  runExitListeners,
  setMainSource,
  triggerUncaught,
} from './20_exit.js';
import { drainTicks, queueMicrotask } from './21_ticks.js';
import { reportUnhandledRejection } from './22_rejections.js';
import {
  clearImmediate,
  clearInterval,
  clearTimeout,
  loopTurn,
  setImmediate,
  setInterval,
  setLoopTime,
  setTimeout,
  updateLoopTime,
} from './24_timers.js';
import { onStdinData, onStdinEnd } from './25_stdin.js';
import { configureProcess, populateProcess } from './26_process.js';
import { consoleWrite, formatLog, globalConsole } from './27_console.js';
import { startWasm } from './34_wasm_runner.js';
import { pathResolve, setExecCwd } from './40_path.js';
import { installLazyGlobals } from './49_lazy.js';
import { cjsCreateEval, cjsCreateMain, cjsExecute, cjsInit, cjsMakeRequire } from './51_cjs.js';
import { callHostReply, callStart } from './60_call.js';

let started = false;

function defineGlobal(name, value, enumerable) {
  ObjectDefineProperty(globalObject, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable,
    configurable: true,
  });
}

function performanceNow() {
  return msSinceStart();
}

// The globals that do not depend on the exec, installed at factory time.
function installStaticGlobals() {
  // `global`: Node's alias of globalThis, enumerable (test/common and much real code use it).
  defineGlobal('global', globalObject, true);
  defineGlobal('console', globalConsole, false);
  defineGlobal('process', processObject, false);
  defineGlobal('setTimeout', setTimeout, true);
  defineGlobal('setInterval', setInterval, true);
  defineGlobal('setImmediate', setImmediate, true);
  defineGlobal('clearTimeout', clearTimeout, true);
  defineGlobal('clearInterval', clearInterval, true);
  defineGlobal('clearImmediate', clearImmediate, true);
  defineGlobal('queueMicrotask', queueMicrotask, true);
  defineGlobal('TextEncoder', TextEncoder, false);
  defineGlobal('TextDecoder', TextDecoder, false);
  installLazyGlobals();
  installMemoryGuards();
  const performance = {};
  ObjectDefineProperty(performance, 'now', {
    __proto__: null,
    value: function now() {
      return performanceNow();
    },
    writable: true,
    enumerable: true,
    configurable: true,
  });
  ObjectDefineProperty(performance, 'timeOrigin', {
    __proto__: null,
    value: 0,
    writable: false,
    enumerable: true,
    configurable: true,
  });
  ObjectDefineProperty(performance, SymbolToStringTag, {
    __proto__: null,
    value: 'Performance',
    configurable: true,
  });
  defineGlobal('performance', performance, true);
}

function installGlobals(require, module, evalMode, filename) {
  if (evalMode) {
    // `node -e` exposes the CommonJS variables as globals; `node FILE` has them only in the
    // module's scope (test/common's leak check fails on an unexpected enumerable global).
    defineGlobal('require', require, true);
    defineGlobal('module', module, true);
    defineGlobal('exports', module.exports, true);
    defineGlobal('__filename', filename, true);
    defineGlobal('__dirname', '.', true);
  }
}

// Built once, here at factory time: with a snapshot, every isolate starts with these ready.
populateProcess();
installStaticGlobals();

function start(config) {
  setMemoryLimit(+config.memoryLimit);
  if (started) return;
  started = true;
  const now = bridgeMonotonic();
  markStart(now);
  setLoopTime(now);
  const mode = `${config.mode}`;
  const filename = `${config.filename}`;
  let source = `${config.source}`;
  configureProcess(processObject, config);
  const evalMode = mode !== 'file';
  setExecCwd(pathResolve(`${processObject.cwd()}`));
  cjsInit(config);
  const module = evalMode ? cjsCreateEval() : cjsCreateMain(filename);
  const require = cjsMakeRequire(module);
  installGlobals(require, module, evalMode, filename);
  if (mode === 'call') {
    callStart(config);
    drainTicks();
    return;
  }

  if (StringPrototypeCharCodeAt(source, 0) === 0xfeff) source = StringPrototypeSlice(source, 1);
  if (!evalMode && StringPrototypeStartsWith(source, '#!')) {
    source = `//${StringPrototypeSlice(source, 2)}`; // keeps every position
  }
  setMainSource(filename, source);

  try {
    if (evalMode) {
      const run = bridgeCompileScript(source, filename);
      const result = run();
      if (mode === 'print') consoleWrite(1, formatLog([result]));
    } else {
      cjsExecute(module, source, filename, require);
    }
    module.loaded = true;
  } catch (err) {
    triggerUncaught(err);
  }
  drainTicks();
}

function guarded(fn) {
  return function (arg, arg2, arg3) {
    try {
      return fn(arg, arg2, arg3);
    } catch (err) {
      // Only reached for runner bugs or uncaughtException-handled paths; report like Node.
      triggerUncaught(err);
      return -1;
    }
  };
}

export const runner = {
  __proto__: null,
  start: guarded(start),
  startWasm,
  tick: guarded(loopTurn),
  stdinData: guarded((bytes) => {
    updateLoopTime();
    onStdinData(bytes);
    drainTicks();
  }),
  stdinEnd: guarded(() => {
    onStdinEnd();
    drainTicks();
  }),
  hostReply: guarded((id, isError, text) => {
    updateLoopTime();
    callHostReply(id, isError, text);
    drainTicks();
  }),
  unhandledRejection: guarded(reportUnhandledRejection),
  exitCode: guarded(() => {
    runExitListeners();
    return exitCodeValue() & 0xff;
  }),
};
