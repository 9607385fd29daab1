// cjs.js: CommonJS `require` for JS guests (Node's algorithm over the exec's mounts).
//
// Resolution: builtins (also `node:`-prefixed); relative/absolute paths (file, then `.js`/`.json`,
// then a directory's package.json `main` or `index`); bare specifiers through `node_modules`
// walking up from the requiring module, then the exec's `modulePaths` in order (package.json
// `exports` honoured with the `require`/`node`/`default` conditions). Filetypes are cached per exec
// (node_fs.js `fsFiletype`, invalidated by fs writes), so a warm `require` costs one stat and one
// read. Internal state lives in closures/null-prototype records; the guest sees Module objects,
// `require.cache` (the real cache, as in Node) and the builtin module objects.

const CjsJSONParse = JSON.parse;
const CJS_EXTENSIONS = ['.js', '.json'];

const cjsBuiltinNames = ['console', 'events', 'fs', 'fs/promises', 'module', 'path', 'path/posix', 'process',
  'timers', 'util'];
let cjsBuiltins; // Map name -> exports (per exec)
let cjsCache; // require.cache (null-prototype object keyed by filename)
let cjsMain; // the entry Module (file mode), else undefined
let cjsExtraPaths = newList(); // config.modulePaths: guest directories after the node_modules walk
let cjsPkgCache; // Map dir -> package record or null
let cjsResolveCache; // Map "dir\0request" -> filename
let cjsExtensions; // require.extensions
let cjsInternalNew = false; // set by cjsLoad right before `new Module(filename)`
const cjsRecords = new WeakMapCtor(); // Module -> { filename, dir, parent (record) }
const cjsLoaders = new WeakMapCtor(); // our own require.extensions functions -> kind

// The exec's resolution state: caches, `config.modulePaths`, and an empty require.extensions
// (returned, for the loader to fill).
function cjsResolveInit(config) {
  cjsPkgCache = new MapCtor();
  cjsResolveCache = new MapCtor();
  cjsCachesAt = fsWriteCount();
  cjsExtraPaths = newList();
  const extra = config.modulePaths;
  if (extra !== undefined && extra !== null) {
    for (let i = 0; i < extra.length; i++) listPush(cjsExtraPaths, pathResolve(`${extra[i]}`));
  }
  cjsExtensions = { __proto__: null };
  return cjsExtensions;
}

function cjsGetExtensions() {
  return cjsExtensions;
}

function cjsGetExtraPaths() {
  return cjsExtraPaths;
}

function cjsInit(config) {
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

// After an fs write, cached resolutions may be stale: drop them before the next use.
let cjsCachesAt = 0; // fsWriteCount() when the caches were last dropped

function cjsCheckCaches() {
  const writes = fsWriteCount();
  if (writes === cjsCachesAt) return;
  cjsCachesAt = writes;
  if (cjsResolveCache !== undefined) cjsResolveCache = new MapCtor();
  if (cjsPkgCache !== undefined) cjsPkgCache = new MapCtor();
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
  const parentRec = parent === undefined || parent === null ? undefined : WeakMapPrototypeGet(cjsRecords, parent);
  // The loader passes normalised absolute filenames; anything else is normalised here.
  const dir = cjsInternalNew ? path : pathResolve(path);
  cjsInternalNew = false;
  WeakMapPrototypeSet(cjsRecords, this, {
    __proto__: null, filename: `${id}`, dir, parent: parentRec, module: this, parentModule: parent,
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
  if (ArrayIsArray(children) && !ArrayPrototypeIncludes(children, child)) ArrayPrototypePush(children, child);
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
  const rec = module !== null && (typeof module === 'object' || typeof module === 'function') ?
    WeakMapPrototypeGet(cjsRecords, module) : undefined;
  if (rec !== undefined) return rec;
  return { __proto__: null, filename: `${pathCwd()}/[eval]`, dir: pathCwd(), parent: undefined, module, parentModule: undefined };
}

function cjsValidateId(id) {
  if (typeof id !== 'string') throw makeInvalidArgType('id', 'string', id);
  if (id === '') {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
      "The argument 'id' must be a non-empty string. Received ''");
  }
}

// Node's Module._nodeModulePaths (posix).
function cjsNodeModulePaths(from) {
  const paths = [];
  if (from === '/') {
    ArrayPrototypePush(paths, '/node_modules');
    return paths;
  }
  const nm = 'node_modules';
  for (let i = from.length - 1, p = 0, last = from.length; i >= 0; --i) {
    const code = StringPrototypeCharCodeAt(from, i);
    if (code === 47) {
      if (p !== nm.length) ArrayPrototypePush(paths, `${StringPrototypeSlice(from, 0, last)}/node_modules`);
      last = i;
      p = 0;
    } else if (p !== -1) {
      if (StringPrototypeCharCodeAt(nm, nm.length - 1 - p) === code) ++p;
      else p = -1;
    }
  }
  ArrayPrototypePush(paths, '/node_modules');
  return paths;
}

// ---- builtins ----

function cjsIsBuiltin(name) {
  return ArrayPrototypeIncludes(cjsBuiltinNames, name);
}

function cjsBuiltin(name) {
  let exports = MapPrototypeGet(cjsBuiltins, name);
  if (exports !== undefined) return exports;
  switch (name) {
    case 'fs': exports = createFsModule(); break;
    case 'fs/promises': exports = cjsBuiltin('fs').promises; break;
    case 'path': case 'path/posix': {
      exports = MapPrototypeGet(cjsBuiltins, name === 'path' ? 'path/posix' : 'path');
      if (exports === undefined) exports = createPathModule();
      break;
    }
    case 'events': exports = createEventsModule(); break;
    case 'util': exports = createUtilModule(); break;
    case 'process': exports = processObject; break;
    case 'timers': exports = {
      setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate,
    }; break;
    case 'module': exports = cjsCreateModuleBuiltin(); break;
    case 'console': exports = globalConsole; break;
    default: return undefined;
  }
  MapPrototypeSet(cjsBuiltins, name, exports);
  return exports;
}

function cjsCreateModuleBuiltin() {
  const builtinModules = [];
  for (let i = 0; i < cjsBuiltinNames.length; i++) ArrayPrototypePush(builtinModules, cjsBuiltinNames[i]);
  nodeSet(Module, 'builtinModules', builtinModules);
  nodeSet(Module, 'Module', Module);
  Module.createRequire = function createRequire(filename) {
    let path = filename;
    if (path !== null && typeof path === 'object' && typeof path.href === 'string') path = fsPathArg(path, 'filename');
    if (typeof path !== 'string' || !pathIsAbsolute(path)) {
      throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
        `The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${inspect(filename)}`);
    }
    const trailing = StringPrototypeEndsWith(path, '/');
    const proxyPath = trailing ? pathJoinList([path, 'noop.js']) : path;
    const m = new Module(proxyPath);
    m.filename = proxyPath;
    m.paths = cjsNodeModulePaths(m.path);
    return cjsMakeRequire(m);
  };
  Module.isBuiltin = function isBuiltin(name) {
    const n = `${name}`;
    return cjsIsBuiltin(StringPrototypeStartsWith(n, 'node:') ? StringPrototypeSlice(n, 5) : n);
  };
  nodeSet(Module, '_cache', cjsCache);
  nodeSet(Module, '_extensions', cjsGetExtensions());
  Module._nodeModulePaths = function _nodeModulePaths(from) {
    return cjsNodeModulePaths(pathResolve(`${from}`));
  };
  nodeSet(Module, 'globalPaths', ArrayPrototypeSlice(cjsGetExtraPaths()));
  return Module;
}

// ---- package.json ----

function cjsOwn(obj, key) {
  if (obj === null || typeof obj !== 'object') return undefined;
  const d = ObjectGetOwnPropertyDescriptor(obj, key);
  return d === undefined ? undefined : d.value;
}

// { main, exports, exists } for directory `dir` (cached), or undefined without package.json.
function cjsReadPackage(dir) {
  cjsCheckCaches();
  if (cjsPkgCache === undefined) cjsPkgCache = new MapCtor();
  const cached = MapPrototypeGet(cjsPkgCache, dir);
  if (cached !== undefined) return cached === null ? undefined : cached;
  const jsonPath = dir === '/' ? '/package.json' : `${dir}/package.json`;
  if (fsFiletype(jsonPath) !== 4) {
    MapPrototypeSet(cjsPkgCache, dir, null);
    return undefined;
  }
  const bytes = fsReadFileRaw(jsonPath);
  if (fsIsErr(bytes)) {
    MapPrototypeSet(cjsPkgCache, dir, null);
    return undefined;
  }
  let parsed;
  try {
    parsed = CjsJSONParse(cjsStripBOM(bridgeUtf8Decode(bytes, false)));
  } catch (e) {
    const err = makeNodeError(ErrorCtor, 'ERR_INVALID_PACKAGE_CONFIG',
      `Invalid package config ${jsonPath}.`);
    nodeSet(err, 'cause', e);
    throw err;
  }
  const main = cjsOwn(parsed, 'main');
  const rec = {
    __proto__: null,
    dir,
    jsonPath,
    main: typeof main === 'string' ? main : undefined,
    exports: cjsOwn(parsed, 'exports'),
  };
  MapPrototypeSet(cjsPkgCache, dir, rec);
  return rec;
}

// ---- resolution ----

function cjsStripBOM(text) {
  return StringPrototypeCharCodeAt(text, 0) === 0xfeff ? StringPrototypeSlice(text, 1) : text;
}

function cjsExtensionList() {
  if (cjsExtensions === undefined) return CJS_EXTENSIONS;
  const keys = ObjectKeys(cjsExtensions);
  const out = newList();
  for (let i = 0; i < keys.length; i++) if (keys[i] !== '.node') listPush(out, keys[i]);
  return out;
}

function cjsTryFile(path) {
  return fsProbeFile(path) === 4 ? path : undefined;
}

function cjsTryExtensions(base, exts) {
  if (exts === undefined) exts = cjsExtensionList();
  for (let i = 0; i < exts.length; i++) {
    const f = cjsTryFile(`${base}${exts[i]}`);
    if (f !== undefined) return f;
  }
  return undefined;
}

function cjsTryPackage(dir, exts, request) {
  const pkg = cjsReadPackage(dir);
  const main = pkg === undefined ? undefined : pkg.main;
  if (!main) return cjsTryExtensions(pathResolve(dir, 'index'), exts);
  const filename = pathResolve(dir, main);
  let actual = cjsTryFile(filename);
  if (actual === undefined) actual = cjsTryExtensions(filename, exts);
  if (actual === undefined) actual = cjsTryExtensions(pathResolve(filename, 'index'), exts);
  if (actual === undefined) {
    actual = cjsTryExtensions(pathResolve(dir, 'index'), exts);
    if (actual === undefined) {
      const err = new ErrorCtor(
        `Cannot find module '${filename}'. Please verify that the package.json has a valid "main" entry`);
      nodeSet(err, 'code', 'MODULE_NOT_FOUND');
      nodeSet(err, 'path', pathResolve(dir, 'package.json'));
      nodeSet(err, 'requestPath', request);
      throw err;
    }
    emitWarning(`Invalid 'main' field in '${pkg.jsonPath}' of '${main}'. Please either fix that or ` +
      'report it to the module author', 'DeprecationWarning', 'DEP0128');
  }
  return actual;
}

function cjsHasTrailingSlash(request) {
  const n = request.length;
  if (n === 0) return false;
  const last = StringPrototypeCharCodeAt(request, n - 1);
  if (last === 47) return true;
  if (last !== 46) return false;
  if (n === 1) return true;
  const prev = StringPrototypeCharCodeAt(request, n - 2);
  if (prev === 47) return true;
  return prev === 46 && (n === 2 || StringPrototypeCharCodeAt(request, n - 3) === 47);
}

// `base` as a file, a file with an extension, or a directory; undefined when absent.
function cjsResolveAt(base, trailingSlash, exts, request) {
  const ft = trailingSlash ? fsFiletype(base) : fsProbeFile(base);
  let filename;
  if (!trailingSlash) {
    if (ft === 4) filename = base;
    if (filename === undefined) filename = cjsTryExtensions(base, exts);
  }
  if (filename === undefined && ft === 3) filename = cjsTryPackage(base, exts, request);
  return filename;
}

// Splits a bare request into [name, subpath ('.' or './x')], or undefined.
function cjsSplitPackage(request) {
  let i = 0;
  if (StringPrototypeCharCodeAt(request, 0) === 64) { // '@scope/'
    i = StringPrototypeIndexOf(request, '/');
    if (i <= 1) return undefined;
    i++;
  }
  const c = StringPrototypeCharCodeAt(request, i);
  if (c === 46 || c === 47 || NumberIsNaN(c)) return undefined;
  let end = StringPrototypeIndexOf(request, '/', i);
  if (end === -1) end = request.length;
  const name = StringPrototypeSlice(request, 0, end);
  if (StringPrototypeIncludes(name, '%') || StringPrototypeIncludes(name, '\\')) return undefined;
  return [name, `.${StringPrototypeSlice(request, end)}`];
}

function cjsExportsError(pkg, subpath, request) {
  const message = subpath === '.' ?
    `No "exports" main defined in ${pkg.jsonPath}` :
    `Package subpath '${subpath}' is not defined by "exports" in ${pkg.jsonPath}`;
  const err = makeNodeError(ErrorCtor, 'ERR_PACKAGE_PATH_NOT_EXPORTED', message);
  return err;
}

const cjsConditions = ['require', 'node', 'node-addons', 'default'];

// Resolves an exports target; undefined = no match (try the next), null = excluded.
function cjsExportsTarget(pkg, target, match, isPattern) {
  if (typeof target === 'string') {
    if (!StringPrototypeStartsWith(target, './')) return null;
    let resolved = target;
    if (isPattern) {
      let out = '';
      let start = 0;
      for (;;) {
        const star = StringPrototypeIndexOf(resolved, '*', start);
        if (star === -1) break;
        out += `${StringPrototypeSlice(resolved, start, star)}${match}`;
        start = star + 1;
      }
      resolved = `${out}${StringPrototypeSlice(resolved, start)}`;
    } else if (match !== '') {
      resolved += match;
    }
    const full = pathResolve(pkg.dir, resolved);
    if (!StringPrototypeStartsWith(full, `${pkg.dir}/`)) return null;
    return full;
  }
  if (ArrayIsArray(target)) {
    let last = undefined;
    for (let i = 0; i < target.length; i++) {
      const r = cjsExportsTarget(pkg, target[i], match, isPattern);
      if (r === undefined || r === null) {
        last = r;
        continue;
      }
      return r;
    }
    return last;
  }
  if (target !== null && typeof target === 'object') {
    const keys = ObjectKeys(target);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!ArrayPrototypeIncludes(cjsConditions, key)) continue;
      const r = cjsExportsTarget(pkg, cjsOwn(target, key), match, isPattern);
      if (r === undefined) continue;
      return r;
    }
    return undefined;
  }
  if (target === null) return null;
  return undefined;
}

function cjsResolveExports(pkg, subpath, request) {
  let exports = pkg.exports;
  let isSugar = typeof exports === 'string' || ArrayIsArray(exports);
  if (!isSugar && exports !== null && typeof exports === 'object') {
    const keys = ObjectKeys(exports);
    isSugar = keys.length === 0 || StringPrototypeCharCodeAt(keys[0], 0) !== 46;
  }
  let resolved;
  if (isSugar) {
    if (subpath === '.') resolved = cjsExportsTarget(pkg, exports, '', false);
  } else if (exports !== null && typeof exports === 'object') {
    const exact = cjsOwn(exports, subpath);
    if (exact !== undefined && !StringPrototypeIncludes(subpath, '*')) {
      resolved = cjsExportsTarget(pkg, exact, '', false);
    } else {
      const keys = ObjectKeys(exports);
      let bestKey = '';
      let bestMatch = '';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const star = StringPrototypeIndexOf(key, '*');
        if (star === -1 || StringPrototypeIndexOf(key, '*', star + 1) !== -1) continue;
        const prefix = StringPrototypeSlice(key, 0, star);
        const suffix = StringPrototypeSlice(key, star + 1);
        if (StringPrototypeStartsWith(subpath, prefix) && subpath !== prefix &&
            subpath.length >= key.length && StringPrototypeEndsWith(subpath, suffix) &&
            (bestKey === '' || prefix.length > StringPrototypeIndexOf(bestKey, '*') ||
             (prefix.length === StringPrototypeIndexOf(bestKey, '*') && key.length > bestKey.length))) {
          bestKey = key;
          bestMatch = StringPrototypeSlice(subpath, prefix.length, subpath.length - suffix.length);
        }
      }
      if (bestKey !== '') resolved = cjsExportsTarget(pkg, cjsOwn(exports, bestKey), bestMatch, true);
    }
  }
  if (resolved === undefined || resolved === null) throw cjsExportsError(pkg, subpath, request);
  if (fsFiletype(resolved) !== 4) {
    const err = new ErrorCtor(`Cannot find module '${resolved}'`);
    nodeSet(err, 'code', 'MODULE_NOT_FOUND');
    nodeSet(err, 'path', pkg.jsonPath);
    throw err;
  }
  return resolved;
}

function cjsIsRelative(request) {
  const c0 = StringPrototypeCharCodeAt(request, 0);
  if (c0 === 47) return true;
  if (c0 !== 46) return false;
  if (request.length === 1) return true;
  const c1 = StringPrototypeCharCodeAt(request, 1);
  if (c1 === 47) return true;
  return c1 === 46 && (request.length === 2 || StringPrototypeCharCodeAt(request, 2) === 47);
}

// pathResolve(dir, request) for an absolute normalised `dir`, without the general algorithm for
// the common `./name/...` request that has no `.`/`..`/empty segments after the first.
function cjsJoinSimple(dir, request) {
  if (StringPrototypeCharCodeAt(request, 0) !== 46 || StringPrototypeCharCodeAt(request, 1) !== 47 ||
      dir.length === 0 || StringPrototypeCharCodeAt(dir, 0) !== 47) {
    return pathResolve(dir, request);
  }
  let prev = 47;
  for (let i = 2; i < request.length; i++) {
    const c = StringPrototypeCharCodeAt(request, i);
    if ((c === 47 || c === 46) && prev === 47) return pathResolve(dir, request);
    prev = c;
  }
  if (prev === 47) return pathResolve(dir, request);
  return dir === '/' ? `/${StringPrototypeSlice(request, 2)}` : `${dir}/${StringPrototypeSlice(request, 2)}`;
}

// Lookup directories for a bare request from directory `dir`.
function cjsLookupPaths(dir) {
  const paths = cjsNodeModulePaths(dir);
  for (let i = 0; i < cjsExtraPaths.length; i++) ArrayPrototypePush(paths, cjsExtraPaths[i]);
  return paths;
}

// Resolves `request` from directory `dir`; undefined when not found (builtins handled before).
function cjsFindPath(request, dir) {
  const exts = undefined; // computed on first need (cjsTryExtensions)
  const trailingSlash = cjsHasTrailingSlash(request);
  if (cjsIsRelative(request)) {
    return cjsResolveAt(cjsJoinSimple(dir, request), trailingSlash, exts, request);
  }
  const split = cjsSplitPackage(request);
  const paths = cjsLookupPaths(dir);
  for (let i = 0; i < paths.length; i++) {
    const cur = paths[i];
    if (fsFiletype(cur) !== 3) continue;
    if (split !== undefined) {
      const pkgDir = `${cur === '/' ? '' : cur}/${split[0]}`;
      if (fsFiletype(pkgDir) === 3) {
        const pkg = cjsReadPackage(pkgDir);
        if (pkg !== undefined && pkg.exports !== undefined && pkg.exports !== null) {
          return cjsResolveExports(pkg, split[1], request);
        }
      }
    }
    const found = cjsResolveAt(pathResolve(cur, request), trailingSlash, exts, request);
    if (found !== undefined) return found;
  }
  return undefined;
}

function cjsRequireStack(rec) {
  const stack = [];
  for (let r = rec, depth = 0; r !== undefined && depth < 1000; r = r.parent, depth++) {
    ArrayPrototypePush(stack, r.filename);
  }
  return stack;
}

function cjsNotFound(request, rec) {
  const stack = cjsRequireStack(rec);
  let message = `Cannot find module '${request}'`;
  if (stack.length > 0) message += `\nRequire stack:\n- ${ArrayPrototypeJoin(stack, '\n- ')}`;
  const err = new ErrorCtor(message);
  ErrorCaptureStackTrace(err, cjsNotFound);
  ObjectDefineProperty(err, 'code', {
    __proto__: null, value: 'MODULE_NOT_FOUND', writable: true, enumerable: true, configurable: true,
  });
  ObjectDefineProperty(err, 'requireStack', {
    __proto__: null, value: stack, writable: true, enumerable: true, configurable: true,
  });
  return err;
}

function cjsResolveFilename(request, rec) {
  const dir = rec.dir;
  const key = `${dir}\u0000${request}`;
  cjsCheckCaches();
  if (cjsResolveCache === undefined) cjsResolveCache = new MapCtor();
  const cached = MapPrototypeGet(cjsResolveCache, key);
  if (cached !== undefined) return cached;
  const filename = cjsFindPath(request, dir);
  if (filename === undefined) throw cjsNotFound(request, rec);
  MapPrototypeSet(cjsResolveCache, key, filename);
  return filename;
}

function cjsUnknownBuiltin(request) {
  return makeNodeError(ErrorCtor, 'ERR_UNKNOWN_BUILTIN_MODULE', `No such built-in module: ${request}`);
}

// ---- loading ----

function cjsLoad(request, parent) {
  if (StringPrototypeStartsWith(request, 'node:')) {
    const name = StringPrototypeSlice(request, 5);
    if (cjsIsBuiltin(name)) return cjsBuiltin(name);
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
    const err = new ErrorCtor(`Cannot load native addon ${filename}: native addons are not supported`);
    nodeSet(err, 'code', 'ERR_DLOPEN_FAILED');
    throw err;
  }
  if (kind === '.mjs') {
    const err = makeNodeError(ErrorCtor, 'ERR_REQUIRE_ESM', `require() of ES Module ${filename} not supported.`);
    throw err;
  }
  cjsExecute(module, cjsReadSource(filename), filename);
}

// Runs CommonJS `source` as `module` (one compileFunction call).
function cjsExecute(module, source, filename, require = undefined) {
  source = cjsStripBOM(source);
  if (StringPrototypeStartsWith(source, '#!')) source = `//${StringPrototypeSlice(source, 2)}`;
  const fn = bridgeCompileFunction(source, filename,
    ['exports', 'require', 'module', '__filename', '__dirname']);
  const rec = WeakMapPrototypeGet(cjsRecords, module);
  if (require === undefined) require = cjsMakeRequire(module);
  const exports = module.exports;
  ReflectApply(fn, exports, [exports, require, module, filename, rec === undefined ? pathDirname(filename) : rec.dir]);
}

// ---- require functions ----

function cjsMakeRequire(module) {
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
    if (cjsIsBuiltin(StringPrototypeSlice(request, 5))) return request;
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
function cjsCreateMain(filename) {
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
function cjsCreateEval() {
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
