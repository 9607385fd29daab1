// 50_cjs_resolve.js: CommonJS resolution (Node's algorithm over the exec's mounts): builtins
// aside, relative/absolute paths (file, then the require.extensions, then a directory's
// package.json `main` or `index`); bare specifiers through `node_modules` walking up from the
// requiring module, then the exec's `modulePaths` in order (package.json `exports` honoured with
// the `require`/`node`/`default` conditions). Resolutions and package.json reads are cached per
// exec and dropped after any fs write (41_fs_core.js's fsWriteCount); filetypes are cached by
// fsFiletype, so a warm `require` costs one stat and one read.

import {
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
  ObjectKeys,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import { makeNodeError } from './06_errors.js';
import { emitWarning } from './23_warnings.js';
import { nodeSet, pathResolve } from './40_path.js';
import { fsFiletype, fsIsErr, fsProbeFile, fsReadFileRaw, fsWriteCount } from './41_fs_core.js';
import { pkgExportsResolve, pkgImportsResolve, pkgOwn } from './50_pkg_maps.js';

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

// { dir, jsonPath, main, exports, imports, name, type } for directory `dir` (cached), or
// undefined without package.json. An invalid one throws ERR_INVALID_PACKAGE_CONFIG, naming
// `importing` (`"pkg" from /importer.mjs`) if given.
export function cjsReadPackage(dir, importing) {
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
      `Invalid package config ${jsonPath}${importing === undefined ? '' : ` while importing ${importing}`}.`,
    );
    nodeSet(err, 'cause', e);
    throw err;
  }
  const main = pkgOwn(parsed, 'main');
  const type = pkgOwn(parsed, 'type');
  const name = pkgOwn(parsed, 'name');
  const rec = {
    __proto__: null,
    dir,
    jsonPath,
    main: typeof main === 'string' ? main : undefined,
    exports: pkgOwn(parsed, 'exports'),
    imports: pkgOwn(parsed, 'imports'),
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

// The conditions of `require` (Node 22: `module-sync` too, since require() loads synchronous ESM).
export const CJS_CONDITIONS = ['require', 'node', 'node-addons', 'module-sync', 'default'];

function cjsResolveExports(pkg, subpath) {
  return cjsMappedFile(pkg, pkgExportsResolve(pkg, subpath, CJS_CONDITIONS, undefined));
}

// The file an "exports" or "imports" map named: as Node, exactly that file (no extensions).
function cjsMappedFile(pkg, resolved) {
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
  // `#name` goes through "imports" when the package scope has them; otherwise (as Node's CJS
  // loader) it is looked up in node_modules like any bare name.
  const scope = StringPrototypeCharCodeAt(request, 0) === 35 ? cjsPackageScope(dir) : undefined;
  if (scope !== undefined && scope.imports !== null && scope.imports !== undefined) {
    const target = pkgImportsResolve(request, scope, CJS_CONDITIONS, undefined);
    if (typeof target !== 'string') return cjsFindPath(target.bare, target.pkg.dir);
    return cjsMappedFile(scope, target);
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
