// 50_cjs_resolve.js: CommonJS resolution (Node's algorithm over the exec's mounts): builtins
// aside, relative/absolute paths (file, then the require.extensions, then a directory's
// package.json `main` or `index`); bare specifiers through `node_modules` walking up from the
// requiring module, then the exec's `modulePaths` in order (package.json `exports` honoured with
// the `require`/`node`/`default` conditions). Resolutions and package.json reads are cached per
// exec and dropped after any fs write (41_fs_core.js's fsWriteCount); filetypes are cached by
// fsFiletype, so a warm `require` costs one stat and one read.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  bridgeUtf8Decode,
  ErrorCaptureStackTrace,
  ErrorCtor,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectKeys,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeErrorCtor,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import { makeNodeError } from './06_errors.js';
import { emitWarning } from './23_warnings.js';
import { nodeSet, pathResolve } from './40_path.js';
import { fsFiletype, fsIsErr, fsProbeFile, fsReadFileRaw, fsWriteCount } from './41_fs_core.js';

export const CjsJSONParse = JSON.parse;
const CJS_EXTENSIONS = ['.js', '.json'];
let cjsExtraPaths = newList(); // config.modulePaths: guest directories after the node_modules walk
let cjsPkgCache; // Map dir -> package record or null
let cjsResolveCache; // Map "dir\0request" -> filename
let cjsExtensions; // require.extensions

// The exec's resolution state: caches, `config.modulePaths`, and an empty require.extensions
// (returned, for the loader to fill).
export function cjsResolveInit(config) {
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

export function cjsGetExtensions() {
  return cjsExtensions;
}

export function cjsGetExtraPaths() {
  return cjsExtraPaths;
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

// Node's Module._nodeModulePaths (posix).
export function cjsNodeModulePaths(from) {
  const paths = [];
  if (from === '/') {
    ArrayPrototypePush(paths, '/node_modules');
    return paths;
  }
  const nm = 'node_modules';
  for (let i = from.length - 1, p = 0, last = from.length; i >= 0; --i) {
    const code = StringPrototypeCharCodeAt(from, i);
    if (code === 47) {
      if (p !== nm.length)
        ArrayPrototypePush(paths, `${StringPrototypeSlice(from, 0, last)}/node_modules`);
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

// ---- package.json ----

function cjsOwn(obj, key) {
  if (obj === null || typeof obj !== 'object') return undefined;
  const d = ObjectGetOwnPropertyDescriptor(obj, key);
  return d === undefined ? undefined : d.value;
}

// { dir, jsonPath, main, exports, imports, name, type } for directory `dir` (cached), or
// undefined without package.json.
export function cjsReadPackage(dir) {
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
    const err = makeNodeError(
      ErrorCtor,
      'ERR_INVALID_PACKAGE_CONFIG',
      `Invalid package config ${jsonPath}.`,
    );
    nodeSet(err, 'cause', e);
    throw err;
  }
  const main = cjsOwn(parsed, 'main');
  const type = cjsOwn(parsed, 'type');
  const name = cjsOwn(parsed, 'name');
  const rec = {
    __proto__: null,
    dir,
    jsonPath,
    main: typeof main === 'string' ? main : undefined,
    exports: cjsOwn(parsed, 'exports'),
    imports: cjsOwn(parsed, 'imports'),
    name: typeof name === 'string' ? name : undefined,
    type: type === 'module' || type === 'commonjs' ? type : 'none',
  };
  MapPrototypeSet(cjsPkgCache, dir, rec);
  return rec;
}

// The package.json that governs `dir` (the nearest one up, not crossing out of a node_modules
// package), or undefined.
export function cjsPackageScope(dir) {
  let cur = dir;
  for (let depth = 0; depth < 4096; depth++) {
    if (StringPrototypeEndsWith(cur, '/node_modules')) return undefined;
    const pkg = cjsReadPackage(cur);
    if (pkg !== undefined) return pkg;
    if (cur === '/' || cur === '') return undefined;
    const slash = StringPrototypeLastIndexOf(cur, '/');
    cur = slash <= 0 ? '/' : StringPrototypeSlice(cur, 0, slash);
  }
  return undefined;
}

// ---- resolution ----

export function cjsStripBOM(text) {
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
        `Cannot find module '${filename}'. Please verify that the package.json has a valid "main" entry`,
      );
      nodeSet(err, 'code', 'MODULE_NOT_FOUND');
      nodeSet(err, 'path', pathResolve(dir, 'package.json'));
      nodeSet(err, 'requestPath', request);
      throw err;
    }
    emitWarning(
      `Invalid 'main' field in '${pkg.jsonPath}' of '${main}'. Please either fix that or ` +
        'report it to the module author',
      'DeprecationWarning',
      'DEP0128',
    );
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
export function cjsSplitPackage(request) {
  let i = 0;
  if (StringPrototypeCharCodeAt(request, 0) === 64) {
    // '@scope/'
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

function cjsExportsError(pkg, subpath, base) {
  const message =
    subpath === '.'
      ? `No "exports" main defined in ${pkg.jsonPath}`
      : `Package subpath '${subpath}' is not defined by "exports" in ${pkg.jsonPath}`;
  const err = makeNodeError(
    ErrorCtor,
    'ERR_PACKAGE_PATH_NOT_EXPORTED',
    base === undefined ? message : `${message} imported from ${base}`,
  );
  return err;
}

// The conditions of `require` (Node 22: `module-sync` too, since require() loads synchronous ESM).
export const CJS_CONDITIONS = ['require', 'node', 'node-addons', 'module-sync', 'default'];

// Resolves an exports target; undefined = no match (try the next), null = excluded.
function cjsExportsTarget(pkg, target, match, isPattern, conditions) {
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
    let last;
    for (let i = 0; i < target.length; i++) {
      const r = cjsExportsTarget(pkg, target[i], match, isPattern, conditions);
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
      if (!ArrayPrototypeIncludes(conditions, key)) continue;
      const r = cjsExportsTarget(pkg, cjsOwn(target, key), match, isPattern, conditions);
      if (r === undefined) continue;
      return r;
    }
    return undefined;
  }
  if (target === null) return null;
  return undefined;
}

// The target of `key` in an exports/imports map (exact, then the best `*` pattern), or undefined.
function cjsMapLookup(pkg, map, key, conditions) {
  const exact = cjsOwn(map, key);
  if (exact !== undefined && !StringPrototypeIncludes(key, '*')) {
    return cjsExportsTarget(pkg, exact, '', false, conditions);
  }
  const keys = ObjectKeys(map);
  let bestKey = '';
  let bestMatch = '';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const star = StringPrototypeIndexOf(k, '*');
    if (star === -1 || StringPrototypeIndexOf(k, '*', star + 1) !== -1) continue;
    const prefix = StringPrototypeSlice(k, 0, star);
    const suffix = StringPrototypeSlice(k, star + 1);
    if (
      StringPrototypeStartsWith(key, prefix) &&
      key !== prefix &&
      key.length >= k.length &&
      StringPrototypeEndsWith(key, suffix) &&
      (bestKey === '' ||
        prefix.length > StringPrototypeIndexOf(bestKey, '*') ||
        (prefix.length === StringPrototypeIndexOf(bestKey, '*') && k.length > bestKey.length))
    ) {
      bestKey = k;
      bestMatch = StringPrototypeSlice(key, prefix.length, key.length - suffix.length);
    }
  }
  if (bestKey === '') return undefined;
  return cjsExportsTarget(pkg, cjsOwn(map, bestKey), bestMatch, true, conditions);
}

// The file `subpath` of package `pkg` maps to through its "exports" under `conditions`, not
// checked for existence; throws ERR_PACKAGE_PATH_NOT_EXPORTED (naming `base` if given).
export function cjsExportsResolve(pkg, subpath, conditions, base) {
  const exports = pkg.exports;
  let isSugar = typeof exports === 'string' || ArrayIsArray(exports);
  if (!isSugar && exports !== null && typeof exports === 'object') {
    const keys = ObjectKeys(exports);
    isSugar = keys.length === 0 || StringPrototypeCharCodeAt(keys[0], 0) !== 46;
  }
  let resolved;
  if (isSugar) {
    if (subpath === '.') resolved = cjsExportsTarget(pkg, exports, '', false, conditions);
  } else if (exports !== null && typeof exports === 'object') {
    resolved = cjsMapLookup(pkg, exports, subpath, conditions);
  }
  if (resolved === undefined || resolved === null) throw cjsExportsError(pkg, subpath, base);
  return resolved;
}

// `#name` through the "imports" of the package scope of `dir`; throws
// ERR_PACKAGE_IMPORT_NOT_DEFINED (naming `base` if given).
export function cjsImportsResolve(request, dir, conditions, base) {
  const pkg = cjsPackageScope(dir);
  let resolved;
  if (
    pkg !== undefined &&
    request !== '#' &&
    !StringPrototypeStartsWith(request, '#/') &&
    pkg.imports !== null &&
    typeof pkg.imports === 'object' &&
    !ArrayIsArray(pkg.imports)
  ) {
    resolved = cjsMapLookup(pkg, pkg.imports, request, conditions);
  }
  if (resolved === undefined || resolved === null) {
    const where = pkg === undefined ? '' : ` in package ${pkg.jsonPath}`;
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_PACKAGE_IMPORT_NOT_DEFINED',
      `Package import specifier "${request}" is not defined${where}${base === undefined ? '' : ` imported from ${base}`}`,
    );
  }
  return resolved;
}

function cjsResolveExports(pkg, subpath) {
  const resolved = cjsExportsResolve(pkg, subpath, CJS_CONDITIONS, undefined);
  if (fsFiletype(resolved) !== 4) {
    const err = new ErrorCtor(`Cannot find module '${resolved}'`);
    nodeSet(err, 'code', 'MODULE_NOT_FOUND');
    nodeSet(err, 'path', pkg.jsonPath);
    throw err;
  }
  return resolved;
}

export function cjsIsRelative(request) {
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
  if (
    StringPrototypeCharCodeAt(request, 0) !== 46 ||
    StringPrototypeCharCodeAt(request, 1) !== 47 ||
    dir.length === 0 ||
    StringPrototypeCharCodeAt(dir, 0) !== 47
  ) {
    return pathResolve(dir, request);
  }
  let prev = 47;
  for (let i = 2; i < request.length; i++) {
    const c = StringPrototypeCharCodeAt(request, i);
    if ((c === 47 || c === 46) && prev === 47) return pathResolve(dir, request);
    prev = c;
  }
  if (prev === 47) return pathResolve(dir, request);
  return dir === '/'
    ? `/${StringPrototypeSlice(request, 2)}`
    : `${dir}/${StringPrototypeSlice(request, 2)}`;
}

// Lookup directories for a bare request from directory `dir`.
export function cjsLookupPaths(dir) {
  const paths = cjsNodeModulePaths(dir);
  for (let i = 0; i < cjsExtraPaths.length; i++) ArrayPrototypePush(paths, cjsExtraPaths[i]);
  return paths;
}

// Resolves `request` from directory `dir`; undefined when not found (builtins handled before).
export function cjsFindPath(request, dir) {
  const exts = undefined; // computed on first need (cjsTryExtensions)
  const trailingSlash = cjsHasTrailingSlash(request);
  if (cjsIsRelative(request)) {
    return cjsResolveAt(cjsJoinSimple(dir, request), trailingSlash, exts, request);
  }
  if (StringPrototypeCharCodeAt(request, 0) === 35) {
    const target = cjsImportsResolve(request, dir, CJS_CONDITIONS, undefined);
    return cjsResolveAt(target, false, exts, request);
  }
  const split = cjsSplitPackage(request);
  if (split !== undefined) {
    const scope = cjsPackageScope(dir);
    if (
      scope !== undefined &&
      scope.name === split[0] &&
      scope.exports !== undefined &&
      scope.exports !== null
    ) {
      return cjsResolveExports(scope, split[1]);
    }
  }
  const paths = cjsLookupPaths(dir);
  for (let i = 0; i < paths.length; i++) {
    const cur = paths[i];
    if (fsFiletype(cur) !== 3) continue;
    if (split !== undefined) {
      const pkgDir = `${cur === '/' ? '' : cur}/${split[0]}`;
      if (fsFiletype(pkgDir) === 3) {
        const pkg = cjsReadPackage(pkgDir);
        if (pkg !== undefined && pkg.exports !== undefined && pkg.exports !== null) {
          return cjsResolveExports(pkg, split[1]);
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

export function cjsNotFound(request, rec) {
  const stack = cjsRequireStack(rec);
  let message = `Cannot find module '${request}'`;
  if (stack.length > 0) message += `\nRequire stack:\n- ${ArrayPrototypeJoin(stack, '\n- ')}`;
  const err = new ErrorCtor(message);
  ErrorCaptureStackTrace(err, cjsNotFound);
  ObjectDefineProperty(err, 'code', {
    __proto__: null,
    value: 'MODULE_NOT_FOUND',
    writable: true,
    enumerable: true,
    configurable: true,
  });
  ObjectDefineProperty(err, 'requireStack', {
    __proto__: null,
    value: stack,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return err;
}

export function cjsResolveFilename(request, rec) {
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
