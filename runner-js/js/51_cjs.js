// 51_cjs.js: CommonJS `require` for JS guests: Module objects, the builtin modules, loading
// (.js through bridge.compileFunction, .json), require/require.resolve, the main and [eval]
// modules. Internal state lives in closures/null-prototype records; the guest sees Module objects,
// `require.cache` (the real cache, as in Node) and the builtin module objects.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  bridgeCompileFunction,
  bridgeUtf8Decode,
  ErrorCtor,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ReflectApply,
  StringPrototypeEndsWith,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './00_primordials.js';
import { isError } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import { makeInvalidArgType, makeNodeError } from './06_errors.js';
import { processObject } from './20_exit.js';
import {
  clearImmediate,
  clearInterval,
  clearTimeout,
  setImmediate,
  setInterval,
  setTimeout,
} from './24_timers.js';
import { setProcessCwd } from './26_process.js';
import { globalConsole } from './27_console.js';
import {
  createPathModule,
  nodeSet,
  pathBasename,
  pathCwd,
  pathDirname,
  pathIsAbsolute,
  pathJoinList,
  pathResolve,
  setExecCwd,
} from './40_path.js';
import {
  FS_ENOTDIR,
  fsFail,
  fsFiletype,
  fsIsErr,
  fsPathArg,
  fsReadFileRaw,
  fsTakeProbed,
} from './41_fs_core.js';
import { createFsModule } from './46_fs.js';
import { createEventsModule } from './47_node_events.js';
import { createUtilModule } from './48_node_util.js';
import { isLazyBuiltin, lazyBuiltinModule, lazyBuiltinNames, loadLazyBuiltin } from './49_lazy.js';
import {
  CjsJSONParse,
  cjsFindPath,
  cjsGetExtensions,
  cjsGetExtraPaths,
  cjsIsRelative,
  cjsLookupPaths,
  cjsNodeModulePaths,
  cjsNotFound,
  cjsPackageScope,
  cjsResolveFilename,
  cjsResolveInit,
  cjsStripBOM,
} from './50_cjs_resolve.js';

const cjsBuiltinNames = [
  'console',
  'events',
  'fs',
  'fs/promises',
  'module',
  'path',
  'path/posix',
  'process',
  'timers',
  'util',
];
let cjsBuiltins; // Map name -> exports (per exec)
let cjsCache; // require.cache (null-prototype object keyed by filename)
let cjsMain; // the entry Module (file mode), else undefined
let cjsInternalNew = false; // set by cjsLoad right before `new Module(filename)`
const cjsRecords = new WeakMapCtor(); // Module -> { filename, dir, parent (record) }
const cjsLoaders = new WeakMapCtor(); // our own require.extensions functions -> kind

export function cjsInit(config) {
  cjsCache = { __proto__: null };
  cjsBuiltins = new MapCtor();
  const extensions = cjsResolveInit(config);
  const kinds = ['.js', '.json', '.node'];
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i];
    const fn = function (module, filename) {
      cjsLoadKind(kind, module, `${filename}`);
    };
    WeakMapPrototypeSet(cjsLoaders, fn, kind);
    nodeSet(extensions, kind, fn);
  }
}

// ---- Module ----

function Module(id = '', parent = undefined) {
  const path = pathDirname(`${id}`);
  // Plain assignments, as in Node (fast); a guest that made these names non-writable on
  // Object.prototype gets own data properties instead.
  try {
    this.id = id;
    this.path = path;
    this.exports = {};
    this.filename = null;
    this.loaded = false;
    this.children = [];
    this.paths = undefined;
  } catch {
    nodeSet(this, 'id', id);
    nodeSet(this, 'path', path);
    nodeSet(this, 'exports', {});
    nodeSet(this, 'filename', null);
    nodeSet(this, 'loaded', false);
    nodeSet(this, 'children', []);
    nodeSet(this, 'paths', undefined);
  }
  const parentRec =
    parent === undefined || parent === null ? undefined : WeakMapPrototypeGet(cjsRecords, parent);
  // The loader passes normalised absolute filenames; anything else is normalised here.
  const dir = cjsInternalNew ? path : pathResolve(path);
  cjsInternalNew = false;
  WeakMapPrototypeSet(cjsRecords, this, {
    __proto__: null,
    filename: `${id}`,
    dir,
    parent: parentRec,
    module: this,
    parentModule: parent,
  });
  if (parent !== undefined && parent !== null) cjsAddChild(parent, this);
}

function cjsAddChild(parent, child) {
  let children;
  try {
    children = parent.children;
  } catch {
    return;
  }
  if (ArrayIsArray(children) && !ArrayPrototypeIncludes(children, child))
    ArrayPrototypePush(children, child);
}

ObjectDefineProperty(Module.prototype, 'parent', {
  __proto__: null,
  configurable: true,
  enumerable: false,
  get() {
    const rec = WeakMapPrototypeGet(cjsRecords, this);
    return rec === undefined ? undefined : rec.parentModule;
  },
});

Module.prototype.require = function require(id) {
  cjsValidateId(id);
  return cjsLoad(id, this);
};

// Record of a module the loader did not make (guest-made `new Module()`): resolves from the cwd.
function cjsRecordOf(module) {
  const rec =
    module !== null && (typeof module === 'object' || typeof module === 'function')
      ? WeakMapPrototypeGet(cjsRecords, module)
      : undefined;
  if (rec !== undefined) return rec;
  return {
    __proto__: null,
    filename: `${pathCwd()}/[eval]`,
    dir: pathCwd(),
    parent: undefined,
    module,
    parentModule: undefined,
  };
}

function cjsValidateId(id) {
  if (typeof id !== 'string') throw makeInvalidArgType('id', 'string', id);
  if (id === '') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      "The argument 'id' must be a non-empty string. Received ''",
    );
  }
}

// ---- builtins ----

// Builtins that exist only with the `node:` scheme (`require('test')` is a package).
const PREFIX_ONLY = ['test'];

// `name` (without `node:`) names a builtin that a bare specifier may reach.
export function cjsIsBuiltin(name) {
  return !ArrayPrototypeIncludes(PREFIX_ONLY, name) && cjsIsSchemeBuiltin(name);
}

// `node:NAME` names a builtin.
export function cjsIsSchemeBuiltin(name) {
  return ArrayPrototypeIncludes(cjsBuiltinNames, name) || isLazyBuiltin(name);
}

// A specifier, with or without `node:`, names a builtin.
function isBuiltinSpecifier(id) {
  return StringPrototypeStartsWith(id, 'node:')
    ? cjsIsSchemeBuiltin(StringPrototypeSlice(id, 5))
    : cjsIsBuiltin(id);
}

export function cjsBuiltin(name) {
  let exports = MapPrototypeGet(cjsBuiltins, name);
  if (exports !== undefined) return exports;
  switch (name) {
    case 'fs':
      exports = createFsModule();
      break;
    case 'fs/promises':
      exports = cjsBuiltin('fs').promises;
      break;
    case 'path':
    case 'path/posix': {
      exports = MapPrototypeGet(cjsBuiltins, name === 'path' ? 'path/posix' : 'path');
      if (exports === undefined) exports = createPathModule();
      break;
    }
    case 'events':
      exports = createEventsModule();
      break;
    case 'util':
      exports = createUtilModule();
      break;
    case 'process':
      exports = processObject;
      break;
    case 'timers':
      exports = {
        setTimeout,
        setInterval,
        setImmediate,
        clearTimeout,
        clearInterval,
        clearImmediate,
      };
      ObjectDefineProperty(exports, 'promises', {
        __proto__: null,
        enumerable: true,
        configurable: true,
        get() {
          return lazyBuiltinModule('timers/promises');
        },
      });
      break;
    case 'module':
      exports = cjsCreateModuleBuiltin();
      break;
    case 'console':
      exports = globalConsole;
      break;
    default:
      exports = lazyBuiltinModule(name);
      if (exports === undefined) return undefined;
  }
  MapPrototypeSet(cjsBuiltins, name, exports);
  return exports;
}

function cjsCreateModuleBuiltin() {
  const builtinModules = [];
  for (let i = 0; i < cjsBuiltinNames.length; i++)
    ArrayPrototypePush(builtinModules, cjsBuiltinNames[i]);
  const lazy = lazyBuiltinNames();
  for (let i = 0; i < lazy.length; i++) {
    if (!ArrayPrototypeIncludes(PREFIX_ONLY, lazy[i])) ArrayPrototypePush(builtinModules, lazy[i]);
  }
  nodeSet(Module, 'builtinModules', builtinModules);
  nodeSet(Module, 'Module', Module);
  Module.createRequire = function createRequire(filename) {
    let path = filename;
    if (path !== null && typeof path === 'object' && typeof path.href === 'string')
      path = fsPathArg(path, 'filename');
    else if (typeof path === 'string' && StringPrototypeStartsWith(path, 'file:'))
      path = loadLazyBuiltin('internal/esm_resolve').fileURLToPath(path);
    if (typeof path !== 'string' || !pathIsAbsolute(path)) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${inspect(filename)}`,
      );
    }
    const trailing = StringPrototypeEndsWith(path, '/');
    const proxyPath = trailing ? pathJoinList([path, 'noop.js']) : path;
    const m = new Module(proxyPath);
    m.filename = proxyPath;
    m.paths = cjsNodeModulePaths(m.path);
    return cjsMakeRequire(m);
  };
  Module.isBuiltin = function isBuiltin(name) {
    return isBuiltinSpecifier(`${name}`);
  };
  nodeSet(Module, '_cache', cjsCache);
  nodeSet(Module, '_extensions', cjsGetExtensions());
  Module._nodeModulePaths = function _nodeModulePaths(from) {
    return cjsNodeModulePaths(pathResolve(`${from}`));
  };
  nodeSet(Module, 'globalPaths', ArrayPrototypeSlice(cjsGetExtraPaths()));
  cjsAddModuleExtras(Module);
  return Module;
}

// process.getBuiltinModule (Node 20.16) and process.chdir: here, where builtins and the
// filesystem meet (installed at factory time).
ObjectDefineProperty(processObject, 'getBuiltinModule', {
  __proto__: null,
  value: function getBuiltinModule(id) {
    if (typeof id !== 'string') throw makeInvalidArgType('id', 'string', id);
    const name = StringPrototypeStartsWith(id, 'node:') ? StringPrototypeSlice(id, 5) : id;
    return isBuiltinSpecifier(id) ? cjsBuiltin(name) : undefined;
  },
  writable: true,
  enumerable: true,
  configurable: true,
});
ObjectDefineProperty(processObject, 'chdir', {
  __proto__: null,
  value: function chdir(directory) {
    if (typeof directory !== 'string') throw makeInvalidArgType('directory', 'string', directory);
    const from = pathCwd();
    const abs = pathResolve(from, directory);
    const ft = fsFiletype(abs);
    if (fsIsErr(ft)) fsFail(-ft, 'chdir', from, directory);
    if (ft !== 3) fsFail(FS_ENOTDIR, 'chdir', from, directory);
    setExecCwd(abs);
    setProcessCwd(abs);
  },
  writable: true,
  enumerable: true,
  configurable: true,
});

// The rest of `module` real code calls: _load/_resolveFilename (through our loader; patching
// them does not steer `require`), wrap/wrapper, and the ESM/source-map helpers as no-ops.
const cjsWrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];

function cjsAddModuleExtras(Module) {
  Module._load = function _load(request, parent, isMain) {
    cjsValidateId(request);
    return cjsLoad(request, parent);
  };
  Module._resolveFilename = function _resolveFilename(request, parent, isMain, options) {
    if (typeof request !== 'string') throw makeInvalidArgType('request', 'string', request);
    return cjsResolveWith(request, parent, options);
  };
  nodeSet(Module, 'wrapper', cjsWrapper);
  Module.wrap = function wrap(script) {
    return `${cjsWrapper[0]}${script}${cjsWrapper[1]}`;
  };
  Module.syncBuiltinESMExports = function syncBuiltinESMExports() {};
  Module.findSourceMap = function findSourceMap(path) {
    return undefined;
  };
}

function cjsUnknownBuiltin(request) {
  return makeNodeError(
    ErrorCtor,
    'ERR_UNKNOWN_BUILTIN_MODULE',
    `No such built-in module: ${request}`,
  );
}

// ---- loading ----

function cjsLoad(request, parent) {
  if (StringPrototypeStartsWith(request, 'node:')) {
    const name = StringPrototypeSlice(request, 5);
    if (cjsIsSchemeBuiltin(name)) return cjsBuiltin(name);
    throw cjsUnknownBuiltin(request);
  }
  if (cjsIsBuiltin(request)) return cjsBuiltin(request);
  const rec = cjsRecordOf(parent);
  const filename = cjsResolveFilename(request, rec);
  const cached = cjsCache[filename];
  if (cached !== undefined) {
    if (parent !== undefined && parent !== null) cjsAddChild(parent, cached);
    return cached.exports;
  }
  cjsInternalNew = true;
  const module = new Module(filename, rec.module === parent ? parent : undefined);
  const own = WeakMapPrototypeGet(cjsRecords, module);
  if (own.parent === undefined) own.parent = rec;
  module.filename = filename;
  module.paths = cjsNodeModulePaths(own.dir);
  cjsCache[filename] = module;
  let threw = true;
  try {
    cjsLoadModule(module, filename);
    threw = false;
  } finally {
    if (threw) {
      delete cjsCache[filename];
      if (parent !== undefined && parent !== null) {
        try {
          const children = parent.children;
          if (ArrayIsArray(children)) {
            const idx = ArrayPrototypeIndexOf(children, module);
            if (idx !== -1) ArrayPrototypeSplice(children, idx, 1);
          }
        } catch {}
      }
    }
  }
  return module.exports;
}

// Longest registered extension of the file's basename (".js" when none matches).
function cjsExtensionOf(filename) {
  const base = pathBasename(filename);
  const extensions = cjsGetExtensions();
  let idx = 0;
  for (;;) {
    idx = StringPrototypeIndexOf(base, '.', idx + 1);
    if (idx === -1 || idx === 0) return '.js';
    const ext = StringPrototypeSlice(base, idx);
    if (extensions !== undefined && ext in extensions) return ext;
  }
}

function cjsLoadModule(module, filename) {
  const ext = cjsExtensionOf(filename);
  const extensions = cjsGetExtensions();
  const handler = extensions === undefined ? undefined : extensions[ext];
  const kind = typeof handler === 'function' ? WeakMapPrototypeGet(cjsLoaders, handler) : ext;
  if (kind === undefined) {
    // A guest-registered require.extensions handler.
    ReflectApply(handler, extensions, [module, filename]);
  } else {
    cjsLoadKind(StringPrototypeEndsWith(filename, '.mjs') ? '.mjs' : kind, module, filename);
  }
  module.loaded = true;
}

function cjsReadSource(filename) {
  let bytes = fsTakeProbed(filename);
  if (bytes === undefined) bytes = fsReadFileRaw(filename);
  if (fsIsErr(bytes)) fsFail(-bytes, 'open', filename);
  return bridgeUtf8Decode(bytes, false);
}

function cjsLoadKind(kind, module, filename) {
  if (kind === '.json') {
    const text = cjsReadSource(filename);
    try {
      module.exports = CjsJSONParse(cjsStripBOM(text));
    } catch (err) {
      if (isError(err)) {
        try {
          nodeSet(err, 'message', `${filename}: ${err.message}`);
        } catch {}
      }
      throw err;
    }
    return;
  }
  if (kind === '.node') {
    const err = new ErrorCtor(
      `Cannot load native addon ${filename}: native addons are not supported`,
    );
    nodeSet(err, 'code', 'ERR_DLOPEN_FAILED');
    throw err;
  }
  if (kind === '.mjs') {
    cjsEsm().requireModule(module, filename, undefined);
    return;
  }
  const source = cjsReadSource(filename);
  if (cjsFormatOf(filename) === 'module') {
    cjsEsm().requireModule(module, filename, source);
    return;
  }
  cjsExecute(module, source, filename);
}

// The ES module loader (a lazy builtin, loaded on the first import or require of ESM).
export function cjsEsm() {
  return loadLazyBuiltin('internal/esm');
}

// 'module' for a file that package.json "type" makes ESM (`.js`, or no extension), 'commonjs' for
// `.cjs` and "type": "commonjs", 'none' when no package says (Node 22 then detects the syntax).
export function cjsFormatOf(filename) {
  if (StringPrototypeEndsWith(filename, '.mjs')) return 'module';
  if (StringPrototypeEndsWith(filename, '.cjs')) return 'commonjs';
  const pkg = cjsPackageScope(pathDirname(filename));
  return pkg === undefined ? 'none' : pkg.type;
}

// V8's messages for ESM-only syntax in a CommonJS body (Node 22's syntax detection).
const cjsEsmSyntax = [
  'Cannot use import statement outside a module',
  "Unexpected token 'export'",
  "Cannot use 'import.meta' outside a module",
];
// Messages that mean "ESM if it compiles as ESM" (CommonJS-only failures and top-level await).
const cjsMaybeEsmSyntax = [
  "Identifier 'module' has already been declared",
  "Identifier 'exports' has already been declared",
  "Identifier 'require' has already been declared",
  "Identifier '__filename' has already been declared",
  "Identifier '__dirname' has already been declared",
  'await is only valid in async functions and the top level bodies of modules',
];

// 0: not ESM syntax; 1: ESM syntax; 2: ESM if it compiles as ESM.
export function cjsEsmSyntaxKind(err) {
  if (!isError(err) || err.name !== 'SyntaxError') return 0;
  const message = err.message;
  if (ArrayPrototypeIncludes(cjsEsmSyntax, message)) return 1;
  return ArrayPrototypeIncludes(cjsMaybeEsmSyntax, message) ? 2 : 0;
}

// The exports of CommonJS file `filename` for the ES module loader: from require.cache, else
// loaded now with no parent (as Node's Module._load from an import).
export function cjsLoadForEsm(filename) {
  const cached = cjsCache[filename];
  if (cached !== undefined) return cached.exports;
  cjsInternalNew = true;
  const module = new Module(filename, undefined);
  const own = WeakMapPrototypeGet(cjsRecords, module);
  module.filename = filename;
  module.paths = cjsNodeModulePaths(own.dir);
  cjsCache[filename] = module;
  let threw = true;
  try {
    cjsLoadModule(module, filename);
    threw = false;
  } finally {
    if (threw) delete cjsCache[filename];
  }
  return module.exports;
}

// True while CommonJS module `filename` is being loaded (in require.cache, not loaded yet).
export function cjsIsLoading(filename) {
  const cached = cjsCache[filename];
  return cached !== undefined && cached.loaded === false;
}

// The main module turned out to be ES module `filename`: it is no CommonJS module after all.
export function cjsForgetMain(filename) {
  if (cjsMain !== undefined && cjsCache[filename] === cjsMain) delete cjsCache[filename];
  cjsMain = undefined;
}

// The filename of the module that required `module` (for error messages), or undefined.
export function cjsParentFilename(module) {
  const rec = WeakMapPrototypeGet(cjsRecords, module);
  return rec === undefined || rec.parent === undefined ? undefined : rec.parent.filename;
}

// Resolves `request` as require() would from file `filename` (for the CommonJS lexer's
// re-exports); undefined when it does not resolve or is a builtin.
export function cjsResolveFrom(request, filename) {
  if (cjsIsBuiltin(request) || StringPrototypeStartsWith(request, 'node:')) return undefined;
  try {
    return cjsFindPath(request, pathDirname(filename));
  } catch {
    return undefined;
  }
}

// Runs CommonJS `source` as `module` (one compileFunction call).
export function cjsExecute(module, source, filename, require = undefined, isMain = false) {
  source = cjsStripBOM(source);
  if (StringPrototypeStartsWith(source, '#!')) source = `//${StringPrototypeSlice(source, 2)}`;
  let fn;
  try {
    fn = bridgeCompileFunction(source, filename, CJS_PARAMS);
  } catch (err) {
    // Node 22: a file no package.json types that has ESM syntax is loaded as ESM.
    const kind = cjsEsmSyntaxKind(err);
    if (kind === 0 || cjsFormatOf(filename) !== 'none') throw err;
    if (!cjsEsm().requireDetected(module, filename, source, kind === 1, isMain)) throw err;
    return;
  }
  const rec = WeakMapPrototypeGet(cjsRecords, module);
  if (require === undefined) require = cjsMakeRequire(module);
  const exports = module.exports;
  ReflectApply(fn, exports, [
    exports,
    require,
    module,
    filename,
    rec === undefined ? pathDirname(filename) : rec.dir,
  ]);
}

const CJS_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

// ---- require functions ----

export function cjsMakeRequire(module) {
  const require = function require(id) {
    cjsValidateId(id);
    return cjsLoad(id, module);
  };
  const resolve = function resolve(request, options) {
    if (typeof request !== 'string') throw makeInvalidArgType('request', 'string', request);
    return cjsResolveWith(request, module, options);
  };
  const paths = function paths(request) {
    if (typeof request !== 'string') throw makeInvalidArgType('request', 'string', request);
    if (StringPrototypeStartsWith(request, 'node:') || cjsIsBuiltin(request)) return null;
    const rec = cjsRecordOf(module);
    if (cjsIsRelative(request)) return [rec.dir];
    return cjsLookupPaths(rec.dir);
  };
  // Plain assignments, as in Node (fast); if a guest made these names non-writable on a
  // prototype, own data properties instead.
  try {
    resolve.paths = paths;
    require.resolve = resolve;
    require.main = cjsMain;
    require.extensions = cjsGetExtensions();
    require.cache = cjsCache;
  } catch {
    nodeSet(resolve, 'paths', paths);
    nodeSet(require, 'resolve', resolve);
    nodeSet(require, 'main', cjsMain);
    nodeSet(require, 'extensions', cjsGetExtensions());
    nodeSet(require, 'cache', cjsCache);
  }
  return require;
}

function cjsResolveWith(request, module, options) {
  if (StringPrototypeStartsWith(request, 'node:')) {
    if (cjsIsSchemeBuiltin(StringPrototypeSlice(request, 5))) return request;
    throw cjsUnknownBuiltin(request);
  }
  if (cjsIsBuiltin(request)) return request;
  const rec = cjsRecordOf(module);
  if (options !== null && typeof options === 'object' && options.paths !== undefined) {
    const list = options.paths;
    if (!ArrayIsArray(list)) throw makeInvalidArgType('options.paths', 'Array', list);
    for (let i = 0; i < list.length; i++) {
      const dir = pathResolve(rec.dir, `${list[i]}`);
      const found = cjsFindPath(request, dir);
      if (found !== undefined) return found;
    }
    throw cjsNotFound(request, rec);
  }
  return cjsResolveFilename(request, rec);
}

// ---- entry points for main.js ----

// The main module of `node FILE` (registered in require.cache, `require.main`).
export function cjsCreateMain(filename) {
  const abs = pathResolve(filename);
  const module = new Module('.', undefined);
  const rec = WeakMapPrototypeGet(cjsRecords, module);
  rec.filename = abs;
  rec.dir = pathDirname(abs);
  module.path = rec.dir;
  module.filename = abs;
  module.paths = cjsNodeModulePaths(rec.dir);
  cjsCache[abs] = module;
  cjsMain = module;
  return module;
}

// The `[eval]` module of `node -e`: requires resolve from the cwd; `require.main` is undefined.
export function cjsCreateEval() {
  const module = new Module('[eval]', undefined);
  const rec = WeakMapPrototypeGet(cjsRecords, module);
  const cwd = pathCwd();
  rec.filename = `${cwd === '/' ? '' : cwd}/[eval]`;
  rec.dir = cwd;
  module.path = '.';
  module.filename = rec.filename;
  module.paths = cjsNodeModulePaths(cwd);
  return module;
}
