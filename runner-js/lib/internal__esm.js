// lib/internal__esm.js: the ES module loader, loaded on an exec's first import (or require of
// ESM). It resolves (internal__esm_resolve.js), reads, and builds each module as a V8 module
// through the `esm*` natives (engine/src/bridge/esm): source text modules, and synthetic ones
// for builtins, JSON and CommonJS (named exports found by the CommonJS lexer, as Node's
// cjs-module-lexer finds them). Loading and linking are synchronous (the guest's files are
// local); only evaluation is asynchronous (top-level await). The map of modules lives here and in
// the engine's per-exec map, so it is per exec.

import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypeIncludes,
  bridgeUtf8Decode,
  ErrorCtor,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberCtor,
  ObjectDefineProperty,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  PromiseCtor,
  SetCtor,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeGetSize,
  SetPrototypeHas,
  SetPrototypeValues,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeSlice,
} from '../js/00_primordials.js';
import { listPush, newList } from '../js/01_helpers.js';
import { makeNodeError } from '../js/06_errors.js';
import { getExitCode, setExitCode, setMainSource, triggerUncaught } from '../js/20_exit.js';
import { warningsPrinted } from '../js/23_warnings.js';
import { tsExtension, tsStrip } from '../js/27_typescript.js';
import { nodeSet, pathCwd, pathDirname } from '../js/40_path.js';
import { fsFail, fsIsErr, fsReadFileRaw, fsTakeProbed } from '../js/41_fs_core.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { CjsJSONParse, cjsStripBOM } from '../js/50_cjs_resolve.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import {
  cjsForgetMain,
  cjsIsLoading,
  cjsJsonForEsm,
  cjsLoadForEsm,
  cjsParentFilename,
  cjsResolveFrom,
} from '../js/53_cjs_load.js';
import { attributesOf, checkAttributeKeys, checkAttributes } from './internal__esm_attributes.js';
import {
  dataURL,
  ESM_CONDITIONS,
  esmResolve,
  fileFormat,
  pathToFileURL,
  referrerURL,
} from './internal__esm_resolve.js';

const esmCompile = bridge.esmCompile;
const esmSynthetic = bridge.esmSynthetic;
const esmLink = bridge.esmLink;
const esmInstantiate = bridge.esmInstantiate;
const esmEvaluate = bridge.esmEvaluate;
const esmNamespace = bridge.esmNamespace;
const esmInfo = bridge.esmInfo;
const esmStalled = bridge.esmStalled;
const esmError = bridge.esmError;
const cjsLexer = bridge.cjsLexer;
const PromiseReject = PromiseCtor.reject.bind(PromiseCtor);

const byURL = new MapCtor(); // url -> record
const byId = newList(); // module id -> record
let mainRecord; // the entry module, when the main is ESM
let mainSettled = false;
let requiring = 0; // require(esm) calls under way

// A module record: { id, url, filename, format, requests, linked, value, builtin, names }.
function addRecord(id, url, filename, format) {
  const rec = {
    __proto__: null,
    id,
    url,
    filename,
    format,
    requests: undefined,
    linked: false,
    value: undefined,
    builtin: undefined,
    names: undefined,
    children: undefined,
    source: undefined,
  };
  byId[id] = rec;
  MapPrototypeSet(byURL, url, rec);
  return rec;
}

// A module's source; a TypeScript file's with its types stripped.
function readSource(filename) {
  let bytes = fsTakeProbed(filename);
  if (bytes === undefined) bytes = fsReadFileRaw(filename);
  if (fsIsErr(bytes)) fsFail(-bytes, 'open', filename);
  const text = bridgeUtf8Decode(bytes, false);
  return tsExtension(filename) === undefined ? text : tsStrip(cjsStripBOM(text), filename);
}

function compileRecord(url, filename, source) {
  let text = cjsStripBOM(source);
  if (StringPrototypeCharCodeAt(text, 0) === 35 && StringPrototypeCharCodeAt(text, 1) === 33) {
    text = `//${StringPrototypeSlice(text, 2)}`; // a hashbang, keeping every position
  }
  const compiled = esmCompile(text, url);
  const rec = addRecord(compiled[0], url, filename, 'module');
  rec.requests = compiled[1];
  rec.source = text;
  return rec;
}

function syntheticRecord(url, filename, format, names) {
  const all = newList();
  listPush(all, 'default');
  for (let i = 0; i < names.length; i++) if (names[i] !== 'default') listPush(all, names[i]);
  const rec = addRecord(esmSynthetic(url, all), url, filename, format);
  rec.names = all;
  rec.linked = true;
  return rec;
}

function jsonRecord(url, filename, source) {
  const parse = () => parseJSON(url, filename, source);
  // As Node: a JSON file's value is require()'s too, unless the URL has a query or a hash.
  const shared =
    filename !== undefined &&
    !StringPrototypeIncludes(url, '?') &&
    !StringPrototypeIncludes(url, '#');
  const value = shared ? cjsJsonForEsm(filename, parse) : parse();
  const rec = syntheticRecord(url, filename, 'json', []);
  rec.value = value;
  return rec;
}

function parseJSON(url, filename, source) {
  try {
    return CjsJSONParse(cjsStripBOM(source));
  } catch (err) {
    try {
      nodeSet(err, 'message', `${filename === undefined ? url : filename}: ${err.message}`);
    } catch {}
    throw err;
  }
}

function builtinRecord(url, name) {
  const exports = cjsBuiltin(name);
  const names =
    exports !== null && (typeof exports === 'object' || typeof exports === 'function')
      ? ObjectKeys(exports)
      : newList();
  const rec = syntheticRecord(url, undefined, 'builtin', names);
  rec.builtin = name;
  return rec;
}

// ---- CommonJS named exports ----

// The names a CommonJS file exports as the lexer finds them, following re-exports (bounded).
function cjsNames(filename, source, seen, out) {
  if (SetPrototypeHas(seen, filename) || SetPrototypeGetSize(seen) > 256) return;
  SetPrototypeAdd(seen, filename);
  const found = cjsLexer(source);
  if (found === undefined || found === null) return;
  const exports = found[0];
  for (let i = 0; i < exports.length; i++) SetPrototypeAdd(out, exports[i]);
  const reexports = found[1];
  for (let i = 0; i < reexports.length; i++) {
    const target = cjsResolveFrom(reexports[i], filename);
    if (target === undefined) continue;
    const format = safeFormat(target);
    if (format !== 'commonjs' && format !== 'detect') continue;
    let text;
    try {
      text = readSource(target);
    } catch {
      continue;
    }
    cjsNames(target, text, seen, out);
  }
}

function safeFormat(path) {
  try {
    return fileFormat(path);
  } catch {
    return undefined;
  }
}

function commonjsRecord(url, filename, source) {
  const names = new SetCtor();
  cjsNames(filename, source, new SetCtor(), names);
  const list = newList();
  const it = SetPrototypeValues(names);
  for (let step = SetIteratorPrototypeNext(it); !step.done; step = SetIteratorPrototypeNext(it)) {
    listPush(list, step.value);
  }
  return syntheticRecord(url, filename, 'commonjs', list);
}

// ---- loading ----

// Resolutions by importer and specifier, kept as Node's loader keeps them: importing the same
// specifier from the same module again finds the same module, even once its file is gone.
const resolutions = new MapCtor();

function resolveCached(specifier, base) {
  const key = `${base}\n${specifier}`;
  let resolved = MapPrototypeGet(resolutions, key);
  if (resolved === undefined) {
    try {
      resolved = esmResolve(specifier, base, ESM_CONDITIONS);
    } catch (err) {
      loadLazyBuiltin('internal/esm_hint').explainNotFound(err, specifier, base);
      throw err;
    }
    MapPrototypeSet(resolutions, key, resolved);
  }
  return resolved;
}

// The record of resolved module `resolved` (loaded now unless cached), with the attributes of
// the import that asked for it checked.
function load(resolved, attributes) {
  const url = resolved.url;
  const cached = MapPrototypeGet(byURL, url);
  if (cached !== undefined) {
    checkAttributes(url, cached.format === 'json' ? 'json' : 'module', attributes);
    return cached;
  }
  if (resolved.builtin !== undefined) {
    checkAttributes(url, 'builtin', attributes);
    return builtinRecord(url, resolved.builtin);
  }
  // As Node: an unknown attribute is refused before the format is looked at.
  checkAttributeKeys(attributes);
  if (resolved.filename === undefined) {
    const data = dataURL(url);
    checkAttributes(url, data.format, attributes);
    return data.format === 'json'
      ? jsonRecord(url, undefined, data.source)
      : compileRecord(url, undefined, data.source);
  }
  const filename = resolved.filename;
  let format = fileFormat(filename);
  checkAttributes(url, format, attributes);
  const source = readSource(filename);
  if (format === 'json') return jsonRecord(url, filename, source);
  if (format === 'detect') format = cjsLexer(source) === null ? 'module' : 'commonjs';
  if (format === 'commonjs') return commonjsRecord(url, filename, source);
  return compileRecord(url, filename, source);
}

// Resolves and loads every module `root` depends on, and tells the engine each link. Iterative,
// so a deep chain of imports costs no JS stack.
function linkGraph(root) {
  const stack = newList();
  listPush(stack, root);
  while (stack.length > 0) {
    const rec = stack[stack.length - 1];
    stack.length--;
    if (rec.linked) continue;
    const requests = rec.requests;
    const ids = newList();
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i];
      const resolved = resolveCached(request[0], rec.url);
      const child = load(resolved, attributesOf(request, 1));
      if (requiring > 0) checkCycle(rec, request[0], child);
      listPush(ids, child.id);
      if (!child.linked) listPush(stack, child);
    }
    esmLink(rec.id, ids);
    rec.children = ids;
    rec.linked = true;
  }
}

// Inside a require(): a module of the graph that is still loading (a CommonJS one running, an
// ES module evaluating) closes a cycle, which Node refuses.
function checkCycle(rec, request, child) {
  let kind;
  if (child.format === 'commonjs') {
    if (cjsIsLoading(child.filename)) kind = 'CommonJS Module';
  } else if (child.format === 'module' && esmInfo(child.id)[0] === 3) {
    kind = 'Module';
  }
  if (kind === undefined) return;
  throw requireError(
    'ERR_REQUIRE_CYCLE_MODULE',
    `Cannot import ${kind} ${request} in a cycle. (from ${rec.filename})`,
  );
}

// Node's hint for an error thrown while evaluating ES module `rec`'s graph.
function explainEvaluationError(err, rec) {
  loadLazyBuiltin('internal/esm_hint').explainGlobalLike(err, rec, esmInfo(rec.id)[1]);
}

function prepare(rec) {
  linkGraph(rec);
  try {
    esmInstantiate(rec.id);
  } catch (err) {
    // Node's hint for a named import CommonJS does not have (rare: loaded only then).
    loadLazyBuiltin('internal/esm_hint').explainMissingExport(err, byId);
    throw err;
  }
  return rec;
}

// ---- the runner's hooks ----

// `import(specifier)` from the script or module named `referrer`: a promise of the namespace.
export function importDynamic(specifier, referrer, attributes) {
  try {
    return importAsync(`${specifier}`, referrerURL(referrer), attributesOf(attributes, 0));
  } catch (err) {
    return PromiseReject(err);
  }
}

// The engine's evaluation promise `promise`, made safe to await: an own `constructor` (the
// original Promise) so `await` neither reads a guest-replaced `Promise.prototype.constructor`
// nor calls a guest-replaced `then`. The promise itself never reaches the guest.
function awaitable(promise) {
  if (promise === null || typeof promise !== 'object') return promise;
  ObjectDefineProperty(promise, 'constructor', {
    __proto__: null,
    value: PromiseCtor,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return promise;
}

// `--import SPECIFIER`s before the main program, in order, each resolved from the cwd as Node
// does and evaluated (its top-level await included) before the next: a promise of their end.
export async function importPreloads(specifiers) {
  const cwd = pathCwd();
  const base = pathToFileURL(`${cwd === '/' ? '' : cwd}/`);
  for (let i = 0; i < specifiers.length; i++) {
    await awaitable(importAsync(`${specifiers[i]}`, base, { __proto__: null }));
  }
}

async function importAsync(specifier, base, attributes) {
  await undefined; // the importing code finishes its synchronous part first
  const rec = prepare(load(resolveCached(specifier, base), attributes));
  try {
    await awaitable(esmEvaluate(rec.id));
  } catch (err) {
    explainEvaluationError(err, rec);
    throw err;
  }
  return esmNamespace(rec.id);
}

// Fills `import.meta` of module `id`: dirname, filename (file: URLs), main (the entry module's
// only), resolve, url.
export function importMeta(meta, id) {
  const rec = byId[id];
  if (rec === undefined) return;
  const url = rec.url;
  if (rec.filename !== undefined) {
    nodeSet(meta, 'dirname', pathDirname(rec.filename));
    nodeSet(meta, 'filename', rec.filename);
  }
  nodeSet(meta, 'main', rec === mainRecord);
  nodeSet(meta, 'resolve', function resolve(specifier) {
    try {
      return esmResolve(`${specifier}`, url, ESM_CONDITIONS).url;
    } catch (err) {
      // Like Node: a file that is missing (or a directory) still resolves to its URL.
      const code = err.code;
      if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') && err.url)
        return err.url;
      throw err;
    }
  });
  nodeSet(meta, 'url', url);
}

// The values of synthetic module `id`'s exports, when V8 evaluates it.
export function evaluateSynthetic(id) {
  const rec = byId[id];
  const values = { __proto__: null };
  if (rec.format === 'json') {
    values.default = rec.value;
    return values;
  }
  const exports = rec.format === 'builtin' ? cjsBuiltin(rec.builtin) : cjsLoadForEsm(rec.filename);
  values.default = exports;
  const names = rec.names;
  const object = exports !== null && (typeof exports === 'object' || typeof exports === 'function');
  for (let i = 1; i < names.length; i++) {
    const name = names[i];
    if (!object || !ObjectPrototypeHasOwnProperty(exports, name)) continue;
    try {
      values[name] = exports[name];
    } catch {}
  }
  return values;
}

// ---- require(esm) (Node 22) ----

function requireError(code, message) {
  return makeNodeError(ErrorCtor, code, message);
}

// The namespace `require()` returns for ES module `rec`: Node 22's facade adds `__esModule`
// when the module has a default export and no `__esModule` of its own.
function requireNamespace(rec) {
  const ns = esmNamespace(rec.id);
  const names = ObjectKeys(ns);
  if (ArrayPrototypeIncludes(names, 'module.exports')) return ns['module.exports'];
  if (!ArrayPrototypeIncludes(names, 'default') || ArrayPrototypeIncludes(names, '__esModule')) {
    return ns;
  }
  const url = `${rec.url}#require-facade`;
  let facade = MapPrototypeGet(byURL, url);
  if (facade === undefined) {
    facade = compileRecord(
      url,
      undefined,
      "export * from 'x'; export { default } from 'x'; export const __esModule = true;",
    );
    const ids = newList();
    for (let i = 0; i < facade.requests.length; i++) listPush(ids, rec.id);
    esmLink(facade.id, ids);
    facade.linked = true;
    esmInstantiate(facade.id);
    esmEvaluate(facade.id);
  }
  return esmNamespace(facade.id);
}

// require() of ES module `filename` into CommonJS `module` (its `exports` become the namespace).
export function requireModule(module, filename, source) {
  const url = pathToFileURL(filename);
  let rec = MapPrototypeGet(byURL, url);
  if (rec === undefined) {
    rec = compileRecord(url, filename, source === undefined ? readSource(filename) : source);
  }
  return finishRequire(module, rec);
}

function finishRequire(module, rec) {
  requiring++;
  try {
    return finishRequireNow(module, rec);
  } finally {
    requiring--;
  }
}

function finishRequireNow(module, rec) {
  const info = esmInfo(rec.id);
  if (info[0] === 1 || info[0] === 3) {
    const parent = cjsParentFilename(module);
    throw requireError(
      'ERR_REQUIRE_CYCLE_MODULE',
      `Cannot require() ES Module ${rec.filename} in a cycle.${parent === undefined ? '' : ` (from ${parent})`} ` +
        'A cycle involving require(esm) is not allowed to maintain invariants mandated by the ' +
        'ECMAScript specification. Try making at least part of the dependency in the graph ' +
        'lazily loaded.',
    );
  }
  prepare(rec);
  // As Node's getNamespaceSync: a graph with top-level await is never required, even evaluated.
  if (esmInfo(rec.id)[2]) throw requireAsyncError(module, rec);
  esmEvaluate(rec.id);
  const after = esmInfo(rec.id);
  if (after[0] === 5) {
    const err = esmError(rec.id);
    explainEvaluationError(err, rec);
    throw err;
  }
  const exports = requireNamespace(rec);
  module.exports = exports;
  return true;
}

// Node's ERR_REQUIRE_ASYNC_MODULE: `module` required `rec`, whose graph awaits at its top level.
function requireAsyncError(module, rec) {
  const parent = cjsParentFilename(module);
  return requireError(
    'ERR_REQUIRE_ASYNC_MODULE',
    'require() cannot be used on an ESM graph with top-level await. Use import() instead. ' +
      'To see where the top-level await comes from, use --experimental-print-required-tla.' +
      (parent === undefined ? '' : `\n  From ${parent} `) +
      `\n  Requiring ${rec.filename} `,
  );
}

// A `.js` file no package.json types failed to compile as CommonJS with `err`'s ESM syntax
// (`sure`), or with an error that only CommonJS has: load it as ESM when it compiles as ESM.
// False when it is not ESM after all (the caller throws the CommonJS error).
export function requireDetected(module, filename, source, sure, isMain) {
  const url = pathToFileURL(filename);
  let rec = MapPrototypeGet(byURL, url);
  if (rec === undefined) {
    try {
      rec = compileRecord(url, filename, source);
    } catch (err) {
      if (sure) throw err;
      return false;
    }
  }
  if (isMain) {
    cjsForgetMain(filename);
    runRoot(rec, source);
    return true;
  }
  return finishRequire(module, rec);
}

// ---- the main entry ----

async function watchMain(promise) {
  try {
    await promise;
  } catch (err) {
    explainEvaluationError(err, mainRecord);
    mainSettled = true;
    triggerUncaught(err, false); // caught as a rejection: Node points at the creation site
    return;
  }
  mainSettled = true;
}

function runRoot(rec, source) {
  setMainSource(rec.url, cjsStripBOM(source));
  mainRecord = rec;
  prepare(rec);
  watchMain(awaitable(esmEvaluate(rec.id)));
}

// `node FILE` for an ES module.
export function runMain(filename, source) {
  fileFormat(filename); // as Node's loader: a main with an unknown extension is refused
  runRoot(compileRecord(pathToFileURL(filename), filename, source), source);
}

// `node --input-type=module -e CODE` (or CODE that only compiles as a module): false when it
// does not compile as a module and `sure` is false.
export function runEval(source, sure) {
  const cwd = pathCwd();
  const url = pathToFileURL(`${cwd === '/' ? '' : cwd}/[eval1]`);
  let rec;
  try {
    rec = compileRecord(url, undefined, source);
  } catch (err) {
    if (sure) throw err;
    return false;
  }
  runRoot(rec, source);
  return true;
}

// When the loop ends with the entry module's top-level await unsettled: Node 22's warning and
// exit code 13.
export function checkUnsettled(write) {
  if (mainRecord === undefined || mainSettled) return;
  // As Node: an exit code the program set stands, and then nothing is printed.
  if (getExitCode() !== undefined) return;
  const stalled = warningsPrinted() ? esmStalled(mainRecord.id) : [];
  for (let i = 0; i < stalled.length; i++) {
    const at = stalled[i];
    let pad = '';
    for (let c = 0; c < NumberCtor(at[3]) && c < at[2].length; c++) {
      pad += StringPrototypeCharCodeAt(at[2], c) === 9 ? '\t' : ' ';
    }
    write(
      `Warning: Detected unsettled top-level await at ${at[0]}:${at[1]}\n${at[2]}\n${pad}^\n\n`,
    );
  }
  setExitCode(13);
}

export function mainFileURL() {
  return mainRecord === undefined ? undefined : mainRecord.url;
}
