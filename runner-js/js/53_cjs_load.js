// 53_cjs_load.js: loading CommonJS modules for JS guests: require() and require.resolve, the
// `.js`/`.json`/`.node` loaders (require.extensions), Node 22's ESM syntax detection, the
// `module` builtin (createRequire, _load, wrap, ...), and the main and [eval] modules. The Module
// object and the cache are in 52_cjs_module.js, the builtin table in 51_cjs_builtins.js.

import {
  ArrayIsArray,
  ArrayPrototypeIndexOf,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  bridgeCompileFunction,
  bridgeCompileScript,
  bridgeUtf8Decode,
  ErrorCtor,
  ObjectDefineProperty,
  ProxyCtor,
  ReflectApply,
  ReflectDefineProperty,
  ReflectSet,
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
import { setSourceReader } from './20_exit.js';
import { tsExtension, tsStrip, tsStripTypeScriptTypes } from './27_typescript.js';
import {
  nodeSet,
  pathBasename,
  pathCwd,
  pathDirname,
  pathIsAbsolute,
  pathJoinList,
  pathResolve,
} from './40_path.js';
import {
  fsFail,
  fsFiletype,
  fsIsErr,
  fsPathArg,
  fsReadFileRaw,
  fsStatRaw,
  fsTakeProbed,
} from './41_fs_core.js';
import { loadLazyBuiltin } from './49_lazy.js';
import {
  CjsJSONParse,
  cjsFindPath,
  cjsGetExtensions,
  cjsGetExtraPaths,
  cjsIsRelative,
  cjsLookupPaths,
  cjsNodeModulePaths,
  cjsNotFound,
  cjsResolveFilename,
  cjsResolveInit,
  cjsStripBOM,
} from './50_cjs_resolve.js';
import {
  cjsBuiltin,
  cjsBuiltinModuleNames,
  cjsBuiltinsInit,
  cjsIsBuiltin,
  cjsIsBuiltinSpecifier,
  cjsIsSchemeBuiltin,
  cjsSetModuleBuiltinFactory,
  cjsUnknownBuiltin,
} from './51_cjs_builtins.js';
import { cjsEsmSyntaxKind, cjsFormatOf, cjsWarnEsmSyntax } from './52_cjs_format.js';
import {
  cjsAddChild,
  cjsCacheInit,
  cjsGetCache,
  cjsGetMain,
  cjsNewModule,
  cjsRecord,
  cjsRecordOf,
  cjsSetMain,
  cjsValidateId,
  Module,
} from './52_cjs_module.js';

const CjsDecodeURIComponent = decodeURIComponent;
const cjsLoaders = new WeakMapCtor(); // our own require.extensions functions -> kind

export function cjsInit(config) {
  cjsCacheInit();
  cjsBuiltinsInit();
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

Module.prototype.require = function require(id) {
  cjsValidateId(id);
  return cjsLoad(id, this);
};

function cjsCreateModuleBuiltin() {
  nodeSet(Module, 'builtinModules', cjsBuiltinModuleNames());
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
    return cjsIsBuiltinSpecifier(`${name}`);
  };
  nodeSet(Module, '_cache', cjsGetCache());
  nodeSet(Module, '_extensions', cjsGetExtensions());
  Module._nodeModulePaths = function _nodeModulePaths(from) {
    return cjsNodeModulePaths(pathResolve(`${from}`));
  };
  nodeSet(Module, 'globalPaths', ArrayPrototypeSlice(cjsGetExtraPaths()));
  cjsAddModuleExtras(Module);
  return Module;
}
cjsSetModuleBuiltinFactory(cjsCreateModuleBuiltin);

// The rest of `module` real code calls: _load/_resolveFilename (through our loader; patching
// them does not steer `require`), wrap/wrapper, and the ESM/source-map helpers as no-ops.
function cjsAddModuleExtras(Module) {
  Module._load = function _load(request, parent, isMain) {
    cjsValidateId(request);
    return cjsLoad(request, parent);
  };
  Module._resolveFilename = function _resolveFilename(request, parent, isMain, options) {
    if (typeof request !== 'string') throw makeInvalidArgType('request', 'string', request);
    return cjsResolveWith(request, parent, options);
  };
  cjsAddWrap(Module);
  // 1 for a directory, 0 for another file, a negative errno when there is none (Node's).
  Module._stat = function _stat(filename) {
    const type = fsFiletype(pathResolve(`${filename}`));
    if (type < 0) return type;
    return type === 3 ? 1 : 0;
  };
  Module.syncBuiltinESMExports = function syncBuiltinESMExports() {};
  Module.stripTypeScriptTypes = function stripTypeScriptTypes(code, options = undefined) {
    return tsStripTypeScriptTypes(code, options, (text) =>
      loadLazyBuiltin('buffer').Buffer.from(text, 'utf8').toString('base64'),
    );
  };
  Module.findSourceMap = function findSourceMap(path) {
    return undefined;
  };
}

// Module.wrap and Module.wrapper as Node's: once either is replaced (or the wrapper array is
// written), every module compiles after that as the script `Module.wrap(source)` gives.
let cjsWrapPatched = false;
let cjsModuleBuiltin;

function cjsAddWrap(Module) {
  cjsModuleBuiltin = Module;
  let wrap = function wrap(script) {
    return `${Module.wrapper[0]}${script}${Module.wrapper[1]}`;
  };
  const patched = () => {
    cjsWrapPatched = true;
  };
  let wrapper = new ProxyCtor(
    ['(function (exports, require, module, __filename, __dirname) { ', '\n});'],
    {
      __proto__: null,
      set(target, property, value, receiver) {
        patched();
        return ReflectSet(target, property, value, receiver);
      },
      defineProperty(target, property, descriptor) {
        patched();
        return ReflectDefineProperty(target, property, descriptor);
      },
    },
  );
  const accessor = (get, set) => ({
    __proto__: null,
    get,
    set,
    configurable: true,
    enumerable: true,
  });
  ObjectDefineProperty(
    Module,
    'wrap',
    accessor(
      () => wrap,
      (value) => {
        patched();
        wrap = value;
      },
    ),
  );
  ObjectDefineProperty(
    Module,
    'wrapper',
    accessor(
      () => wrapper,
      (value) => {
        patched();
        wrapper = value;
      },
    ),
  );
}

function cjsCompile(source, filename) {
  if (!cjsWrapPatched) return bridgeCompileFunction(source, filename, CJS_PARAMS);
  return bridgeCompileScript(`${cjsModuleBuiltin.wrap(source)}`, filename)();
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
  const cached = cjsGetCache()[filename];
  if (cached !== undefined) {
    if (parent !== undefined && parent !== null) cjsAddChild(parent, cached);
    // As Node: an ES module required again while it loads is a cycle (its loader throws).
    if (cached.loaded === false && WeakMapPrototypeGet(cjsEsmModules, cached) === true) {
      cjsEsm().requireModule(cached, filename, undefined);
    }
    return cached.exports;
  }
  const module = cjsNewModule(filename, rec.module === parent ? parent : undefined);
  const own = cjsRecord(module);
  if (own.parent === undefined) own.parent = rec;
  module.filename = filename;
  module.paths = cjsNodeModulePaths(own.dir);
  cjsGetCache()[filename] = module;
  let threw = true;
  try {
    cjsLoadModule(module, filename);
    threw = false;
  } finally {
    if (threw) {
      delete cjsGetCache()[filename];
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
  let kind = typeof handler === 'function' ? WeakMapPrototypeGet(cjsLoaders, handler) : ext;
  // As Node 22: a TypeScript file loads (its types stripped) when named with its extension;
  // resolution does not try `.ts` (no require.extensions entry).
  if (kind === '.js') kind = tsExtension(filename) ?? kind;
  if (kind === undefined) {
    // A guest-registered require.extensions handler.
    ReflectApply(handler, extensions, [module, filename]);
  } else {
    cjsLoadKind(StringPrototypeEndsWith(filename, '.mjs') ? '.mjs' : kind, module, filename);
  }
  module.loaded = true;
}

// A module's source again, for the source line above an uncaught error thrown in it: a path or
// a file: URL (undefined for anything else, or a file that is gone).
function cjsSourceForError(file) {
  let path = file;
  if (StringPrototypeStartsWith(file, 'file://')) {
    path = CjsDecodeURIComponent(StringPrototypeSlice(file, 7));
  }
  if (!pathIsAbsolute(path)) return undefined;
  // Only a regular file of a module's size: a stack can name anything (a device, stdin).
  const st = fsStatRaw(path, true);
  if (!ArrayIsArray(st) || st[2] !== 4 || st[4] > CJS_SOURCE_FOR_ERROR_MAX) return undefined;
  const bytes = fsReadFileRaw(path);
  return fsIsErr(bytes) ? undefined : bridgeUtf8Decode(bytes, false);
}

const CJS_SOURCE_FOR_ERROR_MAX = 64n << 20n;

setSourceReader(cjsSourceForError);

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
    WeakMapPrototypeSet(cjsEsmModules, module, true);
    cjsEsm().requireModule(module, filename, undefined);
    return;
  }
  let source = cjsReadSource(filename);
  if (kind === '.ts' || kind === '.cts' || kind === '.mts') {
    source = tsStrip(cjsStripBOM(source), filename);
  }
  if (cjsFormatOf(filename) === 'module') {
    WeakMapPrototypeSet(cjsEsmModules, module, true);
    cjsEsm().requireModule(module, filename, source);
    return;
  }
  cjsExecute(module, source, filename);
}

// Modules whose file is an ES module (required through the ES module loader).
const cjsEsmModules = new WeakMapCtor();

// The ES module loader (a lazy builtin, loaded on the first import or require of ESM).
export function cjsEsm() {
  return loadLazyBuiltin('internal/esm');
}

// The exports of CommonJS file `filename` for the ES module loader: from require.cache, else
// loaded now with no parent (as Node's Module._load from an import).
export function cjsLoadForEsm(filename) {
  const cached = cjsGetCache()[filename];
  if (cached !== undefined) return cached.exports;
  const module = cjsCacheNew(filename);
  let threw = true;
  try {
    cjsLoadModule(module, filename);
    threw = false;
  } finally {
    if (threw) delete cjsGetCache()[filename];
  }
  return module.exports;
}

// A new module for `filename`, with no parent, put in require.cache.
function cjsCacheNew(filename) {
  const module = cjsNewModule(filename, undefined);
  module.filename = filename;
  module.paths = cjsNodeModulePaths(cjsRecord(module).dir);
  cjsGetCache()[filename] = module;
  return module;
}

// The value of JSON file `filename` imported as an ES module, shared with require() as Node
// shares it: a loaded module's exports if require() has it, else `parse()`'s value, which
// require() then finds.
export function cjsJsonForEsm(filename, parse) {
  const cached = cjsGetCache()[filename];
  if (cached !== undefined && cached.loaded === true) return cached.exports;
  const value = parse();
  const module = cjsCacheNew(filename);
  module.exports = value;
  module.loaded = true;
  return value;
}

// True while CommonJS module `filename` is being loaded (in require.cache, not loaded yet).
export function cjsIsLoading(filename) {
  const cached = cjsGetCache()[filename];
  return cached !== undefined && cached.loaded === false;
}

// The main module turned out to be ES module `filename`: it is no CommonJS module after all.
export function cjsForgetMain(filename) {
  const main = cjsGetMain();
  if (main !== undefined && cjsGetCache()[filename] === main) delete cjsGetCache()[filename];
  cjsSetMain(undefined);
}

// The filename of the module that required `module` (for error messages), or undefined.
export function cjsParentFilename(module) {
  const rec = cjsRecord(module);
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
    fn = cjsCompile(source, filename);
  } catch (err) {
    // Node 22: a file no package.json types that has ESM syntax is loaded as ESM.
    const kind = cjsEsmSyntaxKind(err);
    if (kind === 0) throw err;
    if (cjsFormatOf(filename) !== 'none') {
      if (isMain && kind === 1) cjsWarnEsmSyntax(filename);
      throw err;
    }
    WeakMapPrototypeSet(cjsEsmModules, module, true);
    if (!cjsEsm().requireDetected(module, filename, source, kind === 1, isMain)) throw err;
    return;
  }
  const rec = cjsRecord(module);
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
    require.main = cjsGetMain();
    require.extensions = cjsGetExtensions();
    require.cache = cjsGetCache();
  } catch {
    nodeSet(resolve, 'paths', paths);
    nodeSet(require, 'resolve', resolve);
    nodeSet(require, 'main', cjsGetMain());
    nodeSet(require, 'extensions', cjsGetExtensions());
    nodeSet(require, 'cache', cjsGetCache());
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
  const rec = cjsRecord(module);
  rec.filename = abs;
  rec.dir = pathDirname(abs);
  module.path = rec.dir;
  module.filename = abs;
  module.paths = cjsNodeModulePaths(rec.dir);
  cjsGetCache()[abs] = module;
  cjsSetMain(module);
  return module;
}

// The `[eval]` module of `node -e`: requires resolve from the cwd; `require.main` is undefined.
export function cjsCreateEval() {
  const module = new Module('[eval]', undefined);
  const rec = cjsRecord(module);
  const cwd = pathCwd();
  rec.filename = `${cwd === '/' ? '' : cwd}/[eval]`;
  rec.dir = cwd;
  module.path = '.';
  module.filename = rec.filename;
  module.paths = cjsNodeModulePaths(cwd);
  return module;
}
