// 90_main.js: the entry module. Per-exec start (globals, CommonJS wrapper, main code) and the
// `runner` object Rust calls (the factory returns it).

import {
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  bridgeCompileScript,
  bridgeGc,
  bridgeIpcChannel,
  bridgeMonotonic,
  bridgeWrite,
  ErrorCtor,
  globalObject,
  ObjectDefineProperty,
  PromisePrototypeThen,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from './00_primordials.js';
import { isError } from './01_helpers.js';
import { makeNodeError } from './06_errors.js';
import { TextDecoder, TextEncoder } from './07_encoding.js';
import { installMemoryGuards, setMemoryLimit } from './09_memory.js';
import {
  exitCodeValue,
  getExitCode,
  markStart,
  processObject,
  runExitListeners,
  setExitCode,
  setMainSource,
  triggerUncaught,
} from './20_exit.js';
import { drainTicks, processTicksAndRejections, queueMicrotask } from './21_ticks.js';
import {
  reportRejectionHandled,
  reportUnhandledRejection,
  setRejectionsMode,
} from './22_rejections.js';
import { silenceWarnings } from './23_warnings.js';
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
import { deferUserTiming, performanceObject } from './27_performance.js';
import { tsConfigure, tsExtension, tsFeature, tsStrip } from './27_typescript.js';
import { populateProcessMore } from './28_process_more.js';
import { deliverSignal, populateSignals } from './28_signals.js';
import { childEvent } from './29_children.js';
import { netDispatch } from './29_net.js';
import { dropPreparedWasm, prepareWasm, startWasm } from './34_wasm_runner.js';
import { pathResolve, setExecCwd } from './40_path.js';
import { fsReadStdin } from './44_fs_files.js';
import { installLazyGlobals, loadLazyBuiltin } from './49_lazy.js';
import { cjsAddBuiltinGlobals, cjsBuiltin } from './51_cjs_builtins.js';
import {
  cjsEsmSyntaxKind,
  cjsFormatOf,
  cjsGetDefaultType,
  cjsSetDefaultType,
} from './52_cjs_format.js';
import {
  cjsCreateEval,
  cjsCreateMain,
  cjsEsm,
  cjsExecute,
  cjsInit,
  cjsMakeRequire,
} from './53_cjs_load.js';
import { callHostReply, callStart } from './60_call.js';

let started = false;
let esmMain = false; // the main code is an ES module (its loader is loaded)

function defineGlobal(name, value, enumerable) {
  ObjectDefineProperty(globalObject, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable,
    configurable: true,
  });
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
  defineGlobal('performance', performanceObject, true);
  deferUserTiming(() => loadLazyBuiltin('perf_hooks'));
}

function installGlobals(require, module, evalMode, filename) {
  if (esmMain) return; // an ES module main has no CommonJS globals
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
populateProcessMore();
populateSignals();
installStaticGlobals();

function start(config) {
  dropPreparedWasm();
  setMemoryLimit(+config.memoryLimit);
  if (started) return;
  started = true;
  const now = bridgeMonotonic();
  markStart(now);
  setLoopTime(now);
  const mode = `${config.mode}`;
  configureProcess(processObject, config);
  const flags = optionFlags(config);
  applyRunnerFlags(flags);
  setExecCwd(pathResolve(`${processObject.cwd()}`));
  loadEnvFiles(flags);
  applyTitle(flags);
  if (bridgeIpcChannel()) loadLazyBuiltin('internal/child_ipc').setupChildChannel(processObject);
  cjsInit(config);
  // A worker_threads Worker starts once its parent's init message (workerData) is in.
  const worker = bridgeIpcChannel() && mode !== 'call';
  if (
    worker &&
    loadLazyBuiltin('internal/worker').startWorker(() => startMain(config, mode, flags))
  ) {
    return;
  }
  // The ticks the main program leaves are run by the host right after this returns (as Node
  // runs them from C++: engine/src/runner_call.rs `start`).
  inStart = true;
  try {
    startMain(config, mode, flags);
  } finally {
    inStart = false;
  }
}

// True while `start` runs the main program synchronously (its ticks are the host's to run).
let inStart = false;

function drainUnlessStarting() {
  if (!inStart) drainTicks();
}

// The node options in force, NODE_OPTIONS' then the command line's (engine/src/guest.rs
// `node_options_in_force`).
function optionFlags(config) {
  const options = config.options;
  return options === undefined || options === null ? [] : options;
}

// Preloads (`-r`, `--import`), then the main program.
function startMain(config, mode, flags) {
  if (mode === 'test') {
    // `node --test`: the children run the preloads, each with its test file.
    const patterns = ArrayPrototypeSlice(config.argv, 1);
    loadLazyBuiltin('internal/test_cli').runTestCli(patterns, flags);
    drainUnlessStarting();
    return;
  }
  const filename = `${config.filename}`;
  const source = `${config.source}`;
  if (mode !== 'call' && !preloaded(flags)) return;
  const imports = mode === 'call' ? [] : flagValues(flags, ['--import']);
  if (imports.length === 0) return runProgram(config, mode, filename, source);
  // `--import`: ES modules evaluated first (asynchronously); the main program after them, or
  // not at all when one throws (reported as uncaught, as Node does).
  const specifiers = [];
  for (let i = 0; i < imports.length; i++) ArrayPrototypePush(specifiers, imports[i][1]);
  importsPending = true;
  PromisePrototypeThen(
    cjsEsm().importPreloads(specifiers),
    () => {
      importsPending = false;
      runProgram(config, mode, filename, source);
    },
    (err) => {
      importsPending = false;
      triggerUncaught(err);
    },
  );
  drainUnlessStarting();
}

// True from the start of the `--import`s until they settle (the main program waits for them).
let importsPending = false;

// The main program (or the host's call) once the preloads are in.
function runProgram(config, mode, filename, text) {
  let source = text;
  if (mode === 'stdin') {
    // `node` or `node -`: the program is all of stdin, read before it runs (as Node does).
    try {
      source = new TextDecoder().decode(fsReadStdin());
    } catch (err) {
      triggerUncaught(err);
      return;
    }
  }
  const evalMode = mode !== 'file';
  const inputType = mainInputType(config);
  esmMain = evalMode
    ? inputType === 'module' || inputType === 'module-typescript'
    : cjsFormatOf(filename) === 'module';
  // An ES module main is no CommonJS module: not in require.cache, no require.main.
  const module = evalMode || esmMain ? cjsCreateEval() : cjsCreateMain(filename);
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
    if (!evalMode && tsExtension(filename) !== undefined) source = tsStrip(source, filename);
    // `--input-type=module-typescript` / `commonjs-typescript`: TypeScript, stripped first.
    if (evalMode && StringPrototypeEndsWith(`${inputType}`, '-typescript')) {
      source = tsStrip(source, '[eval]');
    }
    if (esmMain) {
      if (mode === 'print') {
        throw makeNodeError(
          ErrorCtor,
          'ERR_EVAL_ESM_CANNOT_PRINT',
          '--print cannot be used with ESM input',
        );
      }
      if (evalMode) cjsEsm().runEval(source, true);
      else cjsEsm().runMain(filename, source);
    } else if (evalMode) {
      // As Node's -e/-p: the builtin modules are globals (`fs`, `path`, `util`, ...); not for
      // a program read from stdin.
      if (mode !== 'stdin') cjsAddBuiltinGlobals(globalThis);
      const fixed = mode === 'print' || inputType !== undefined;
      const result = runEval(
        source,
        filename,
        fixed,
        inputType === undefined && tsFeature() !== false,
      );
      if (mode === 'print') consoleWrite(1, formatLog([result]));
    } else {
      cjsExecute(module, source, filename, require, true);
    }
    module.loaded = true;
  } catch (err) {
    triggerUncaught(err);
  }
  drainUnlessStarting();
}

// The node options the runner honours (engine/src/job/command.rs RUNNER_FLAGS).
function applyRunnerFlags(execArgv) {
  if (execArgv === undefined || execArgv === null) return;
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if (StringPrototypeStartsWith(flag, '--unhandled-rejections=')) {
      setRejectionsMode(StringPrototypeSlice(flag, 23)); // checked by the engine
    }
  }
  tsConfigure(execArgv);
  cjsSetDefaultType(execArgv);
  if (ArrayPrototypeIncludes(execArgv, '--no-warnings')) silenceWarnings();
  if (ArrayPrototypeIncludes(execArgv, '--no-deprecation')) processObject.noDeprecation = true;
  if (ArrayPrototypeIncludes(execArgv, '--throw-deprecation')) {
    processObject.throwDeprecation = true;
  }
  if (ArrayPrototypeIncludes(execArgv, '--expose-gc')) {
    defineGlobal(
      'gc',
      function gc() {
        bridgeGc();
      },
      false,
    );
  }
}

// The values of the node options `names` with a value (engine/src/job/node_options.rs
// RUNNER_VALUE_FLAGS), `--NAME=VALUE` or `--NAME VALUE`, in the order given: `[name, value]` each.
function flagValues(execArgv, names) {
  const found = [];
  if (execArgv === undefined || execArgv === null) return found;
  for (let i = 0; i < execArgv.length; i++) {
    const flag = `${execArgv[i]}`;
    for (let n = 0; n < names.length; n++) {
      const name = names[n];
      if (flag === name && i + 1 < execArgv.length) {
        ArrayPrototypePush(found, [name, `${execArgv[++i]}`]);
      } else if (StringPrototypeStartsWith(flag, `${name}=`)) {
        ArrayPrototypePush(found, [name, StringPrototypeSlice(flag, name.length + 1)]);
      }
    }
  }
  return found;
}

// `--env-file[-if-exists] PATH`, relative to the cwd: into process.env before anything runs.
function loadEnvFiles(execArgv) {
  const flags = flagValues(execArgv, ['--env-file', '--env-file-if-exists']);
  const files = [];
  for (let i = 0; i < flags.length; i++) {
    ArrayPrototypePush(files, [flags[i][1], flags[i][0] === '--env-file-if-exists']);
  }
  if (files.length > 0) loadLazyBuiltin('internal/dotenv').loadEnvFlags(files);
}

// `--title TITLE` (the last one given): process.title.
function applyTitle(execArgv) {
  const titles = flagValues(execArgv, ['--title']);
  if (titles.length > 0) processObject.title = titles[titles.length - 1][1];
}

// `-r MODULE` / `--require MODULE`, in order, before the main program (require.main not yet
// set), as Node's preload: from a parent module deemed to be in the cwd (module.parent.id
// 'internal/preload'). False when one threw: reported as uncaught, the main program not run.
function preloaded(execArgv) {
  try {
    preloadModules(execArgv);
    return true;
  } catch (err) {
    triggerUncaught(err);
    drainTicks();
    return false;
  }
}

function preloadModules(execArgv) {
  const requests = flagValues(execArgv, ['-r', '--require']);
  if (requests.length === 0) return;
  const Module = cjsBuiltin('module');
  const cwd = `${processObject.cwd()}`;
  const parent = new Module(pathResolve(cwd, 'preload'), null);
  parent.id = 'internal/preload';
  parent.paths = Module._nodeModulePaths(cwd);
  for (let i = 0; i < requests.length; i++) parent.require(requests[i][1]);
}

// '--input-type' of `node -e`: 'module', 'commonjs', 'module-typescript', 'commonjs-typescript',
// or undefined when not given (or what `--experimental-default-type` says).
function mainInputType(config) {
  const execArgv = config.execArgv;
  if (execArgv === undefined || execArgv === null) return undefined;
  if (ArrayPrototypeIncludes(execArgv, '--input-type=module')) return 'module';
  if (ArrayPrototypeIncludes(execArgv, '--input-type=commonjs')) return 'commonjs';
  if (ArrayPrototypeIncludes(execArgv, '--input-type=module-typescript')) {
    return 'module-typescript';
  }
  if (ArrayPrototypeIncludes(execArgv, '--input-type=commonjs-typescript')) {
    return 'commonjs-typescript';
  }
  const type = cjsGetDefaultType();
  return type === 'none' ? undefined : type;
}

// `node -e`: a script, or (Node 22's detection, unless the input type is fixed) a module when
// it only compiles as one.
// Node 22.22: with `typescript`, code that does not compile as JavaScript is compiled again with
// its types stripped (and a TypeScript error adds its message to the JavaScript one).
function runEval(source, filename, fixed, typescript) {
  let run;
  try {
    run = compileEval(source, filename, fixed);
  } catch (err) {
    if (!typescript || !isError(err) || err.name !== 'SyntaxError') throw err;
    run = compileEval(evalStripped(source, err), filename, fixed);
  }
  return run === undefined ? undefined : run();
}

// `source` compiled as a script, or undefined when it started as an ES module instead.
function compileEval(source, filename, fixed) {
  try {
    return bridgeCompileScript(source, filename);
  } catch (err) {
    const kind = fixed ? 0 : cjsEsmSyntaxKind(err);
    if (kind === 0 || !cjsEsm().runEval(source, kind === 1)) throw err;
    esmMain = true;
    return undefined;
  }
}

// `-e` code without its types; when it is no TypeScript either, `err` (JavaScript's error) with
// TypeScript's message under its first lines, as Node's.
function evalStripped(source, err) {
  try {
    return tsStrip(source, '[eval]');
  } catch (tsError) {
    const code = isError(tsError) ? tsError.code : undefined;
    if (code !== 'ERR_INVALID_TYPESCRIPT_SYNTAX' && code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
      throw tsError;
    }
    const stack = `${err.stack}`;
    let at = -1;
    for (let i = 0; i < 3; i++) at = StringPrototypeIndexOf(stack, '\n', at + 1);
    if (at !== -1) {
      err.stack = `${StringPrototypeSlice(stack, 0, at)}\n${tsError.message}${StringPrototypeSlice(stack, at)}`;
    }
    throw err;
  }
}

// The runner's ES module hooks (called by the engine, not guarded: their exceptions go to V8).
function esmImport(specifier, referrer, attributes) {
  return cjsEsm().importDynamic(specifier, referrer, attributes);
}

function esmImportMeta(meta, id) {
  cjsEsm().importMeta(meta, id);
}

function esmSynthetic(id) {
  return cjsEsm().evaluateSynthetic(id);
}

function writeStderr(text) {
  bridgeWrite(2, text);
}

function guarded(fn) {
  return function (arg, arg2, arg3, arg4) {
    try {
      return fn(arg, arg2, arg3, arg4);
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
  // The snapshot helper loads a few builtins into the snapshot (engine/src/snapshot.rs).
  preloadBuiltin: loadLazyBuiltin,
  process: processObject,
  prepareWasm,
  processTicksAndRejections,
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
  childEvent: guarded((id, kind, data, signal) => {
    updateLoopTime();
    childEvent(id, kind, data, signal);
    drainTicks();
  }),
  ipcMessage: guarded((bytes) => {
    updateLoopTime();
    loadLazyBuiltin('internal/child_ipc').childChannelEvent('message', bytes);
    drainTicks();
  }),
  signal: guarded((n) => {
    updateLoopTime();
    deliverSignal(n);
    drainTicks();
  }),
  ipcClosed: guarded(() => {
    updateLoopTime();
    loadLazyBuiltin('internal/child_ipc').childChannelEvent('closed');
    drainTicks();
  }),
  netEvent: guarded((kind, id, value) => {
    updateLoopTime();
    netDispatch(kind, id, value);
    drainTicks();
  }),
  unhandledRejection: guarded(reportUnhandledRejection),
  rejectionHandled: guarded(reportRejectionHandled),
  esmImport,
  esmImportMeta,
  esmSynthetic,
  exitCode: guarded(() => {
    if (esmMain) cjsEsm().checkUnsettled(writeStderr);
    // An `--import` whose top-level await never settled: Node's exit code 13, silently.
    if (importsPending && getExitCode() === undefined) setExitCode(13);
    runExitListeners(true);
    return exitCodeValue() & 0xff;
  }),
};
