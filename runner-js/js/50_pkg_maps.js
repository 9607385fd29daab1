// 50_pkg_maps.js: a package.json's "exports" and "imports" maps, resolved as Node 22 resolves
// them (lib/internal/modules/esm/resolve.js: packageExportsResolve, packageImportsResolve,
// resolvePackageTarget) for both loaders, with Node's errors: ERR_PACKAGE_PATH_NOT_EXPORTED,
// ERR_PACKAGE_IMPORT_NOT_DEFINED, ERR_INVALID_PACKAGE_TARGET, ERR_INVALID_MODULE_SPECIFIER and
// ERR_INVALID_PACKAGE_CONFIG. A result is a path (percent escapes decoded, as Node's file URLs
// decode them; not checked for existence), or `{ bare, pkg }` for an "imports" target that names
// another package, which the caller resolves from `pkg.dir` by its own loader's rules.
// Deprecation warnings for odd targets (double slashes) are not emitted.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ErrorCtor,
  JSONStringify,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetOwnPropertyNames,
  RegExpPrototypeExec,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  TypeErrorCtor,
} from './00_primordials.js';
import { makeNodeError } from './06_errors.js';
import { pathResolve } from './40_path.js';

const PkgDecodeURIComponent = decodeURIComponent;

// A path segment that is `.`, `..` or `node_modules`, percent-encoded or not (Node's
// deprecatedInvalidSegmentRegEx; its invalidSegmentRegEx adds empty segments, which Node only
// warns about).
const BAD_SEGMENT =
  /(^|\\|\/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))(\\|\/|$)/i;
const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** The own data property `key` of `obj`, or undefined (also for a non-object). */
export function pkgOwn(obj, key) {
  if (obj === null || typeof obj !== 'object') return undefined;
  const d = ObjectGetOwnPropertyDescriptor(obj, key);
  return d === undefined ? undefined : d.value;
}

/**
 * The target of `subpath` ('.' or './x') in package `pkg`'s "exports" under `conditions`;
 * throws ERR_PACKAGE_PATH_NOT_EXPORTED (naming `base`, a path, if given) and Node's other errors.
 */
export function pkgExportsResolve(pkg, subpath, conditions, base) {
  let exports = pkg.exports;
  if (isMainSugar(pkg, exports, base)) exports = { __proto__: null, '.': exports };
  const ctx = { __proto__: null, pkg, key: subpath, base, internal: false, conditions };
  let result;
  if (
    pkgOwn(exports, subpath) !== undefined &&
    !StringPrototypeIncludes(subpath, '*') &&
    !StringPrototypeEndsWith(subpath, '/')
  ) {
    result = resolveTarget(ctx, pkgOwn(exports, subpath), '', false);
  } else {
    const best = bestPattern(exports, subpath);
    if (best !== undefined) {
      ctx.key = best.key;
      result = resolveTarget(ctx, pkgOwn(exports, best.key), best.match, true);
    }
  }
  if (result === undefined || result === null) throw exportsNotFound(pkg, subpath, base);
  return result;
}

/**
 * `#name` through the "imports" of `pkg` (the requester's package scope, or undefined); throws
 * ERR_PACKAGE_IMPORT_NOT_DEFINED (naming `base`, a path, if given) and Node's other errors.
 */
export function pkgImportsResolve(request, pkg, conditions, base) {
  if (
    request === '#' ||
    StringPrototypeStartsWith(request, '#/') ||
    StringPrototypeEndsWith(request, '/')
  ) {
    throw invalidSpecifier(request, 'is not a valid internal imports specifier name', base);
  }
  const imports = pkg === undefined ? undefined : pkg.imports;
  let result;
  if (imports !== null && typeof imports === 'object') {
    const ctx = { __proto__: null, pkg, key: request, base, internal: true, conditions };
    if (pkgOwn(imports, request) !== undefined && !StringPrototypeIncludes(request, '*')) {
      result = resolveTarget(ctx, pkgOwn(imports, request), '', false);
    } else {
      const best = bestPattern(imports, request);
      if (best !== undefined) {
        ctx.key = best.key;
        result = resolveTarget(ctx, pkgOwn(imports, best.key), best.match, true);
      }
    }
  }
  if (result === undefined || result === null) {
    const where = pkg === undefined ? '' : ` in package ${pkg.jsonPath}`;
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_PACKAGE_IMPORT_NOT_DEFINED',
      `Package import specifier "${request}" is not defined${where}${base === undefined ? '' : ` imported from ${base}`}`,
    );
  }
  return result;
}

// True when "exports" is one main entry (a string, an array, or conditions only); throws for an
// object that mixes subpath keys and condition keys.
function isMainSugar(pkg, exports, base) {
  if (typeof exports === 'string' || ArrayIsArray(exports)) return true;
  if (exports === null || typeof exports !== 'object') return false;
  const keys = ObjectGetOwnPropertyNames(exports);
  let sugar = false;
  for (let i = 0; i < keys.length; i++) {
    const cur = keys[i] === '' || StringPrototypeCharCodeAt(keys[i], 0) !== 46;
    if (i === 0) sugar = cur;
    else if (sugar !== cur) {
      throw invalidConfig(
        pkg,
        base,
        '"exports" cannot contain some keys starting with \'.\' and some not. The exports object ' +
          'must either be an object of package subpath keys or an object of main entry ' +
          'condition name keys only.',
      );
    }
  }
  return sugar;
}

// The `*` key of `map` that best matches `request` (Node's patternKeyCompare), as `{ key, match }`.
function bestPattern(map, request) {
  if (map === null || typeof map !== 'object') return undefined;
  const keys = ObjectGetOwnPropertyNames(map);
  let best;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const star = StringPrototypeIndexOf(key, '*');
    if (star === -1 || StringPrototypeLastIndexOf(key, '*') !== star) continue;
    if (!StringPrototypeStartsWith(request, StringPrototypeSlice(key, 0, star))) continue;
    const trailer = StringPrototypeSlice(key, star + 1);
    if (request.length < key.length || !StringPrototypeEndsWith(request, trailer)) continue;
    if (best !== undefined && !patternBeats(key, best.key)) continue;
    const match = StringPrototypeSlice(request, star, request.length - trailer.length);
    best = { __proto__: null, key, match };
  }
  return best;
}

// Whether pattern key `a` is more specific than `b`: a longer prefix, then a longer key.
function patternBeats(a, b) {
  const prefixA = StringPrototypeIndexOf(a, '*') + 1;
  const prefixB = StringPrototypeIndexOf(b, '*') + 1;
  if (prefixA !== prefixB) return prefixA > prefixB;
  return a.length > b.length;
}

// Node's resolvePackageTarget: undefined = no condition matched, null = excluded.
function resolveTarget(ctx, target, match, pattern) {
  if (typeof target === 'string') return resolveTargetString(ctx, target, match, pattern);
  if (ArrayIsArray(target)) return resolveTargetList(ctx, target, match, pattern);
  if (target !== null && typeof target === 'object') {
    const keys = ObjectGetOwnPropertyNames(target);
    for (let i = 0; i < keys.length; i++) {
      if (isArrayIndex(keys[i])) {
        throw invalidConfig(ctx.pkg, ctx.base, '"exports" cannot contain numeric property keys.');
      }
    }
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== 'default' && !ArrayPrototypeIncludes(ctx.conditions, key)) continue;
      const r = resolveTarget(ctx, target[key], match, pattern);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (target === null) return null;
  throw invalidTarget(ctx, target);
}

// The first alternative that resolves; an invalid one is skipped, the last error thrown.
function resolveTargetList(ctx, list, match, pattern) {
  if (list.length === 0) return null;
  let last;
  for (let i = 0; i < list.length; i++) {
    let r;
    try {
      r = resolveTarget(ctx, list[i], match, pattern);
    } catch (e) {
      last = e;
      if (e !== null && typeof e === 'object' && e.code === 'ERR_INVALID_PACKAGE_TARGET') continue;
      throw e;
    }
    if (r === undefined) continue;
    if (r === null) {
      last = null;
      continue;
    }
    return r;
  }
  if (last === undefined || last === null) return last;
  throw last;
}

function resolveTargetString(ctx, target, match, pattern) {
  if (!StringPrototypeStartsWith(target, './')) {
    if (
      ctx.internal &&
      !StringPrototypeStartsWith(target, '../') &&
      !StringPrototypeStartsWith(target, '/') &&
      RegExpPrototypeExec(URL_SCHEME, target) === null
    ) {
      return { __proto__: null, bare: substitute(target, match, pattern), pkg: ctx.pkg };
    }
    throw invalidTarget(ctx, target);
  }
  if (RegExpPrototypeExec(BAD_SEGMENT, StringPrototypeSlice(target, 2)) !== null) {
    throw invalidTarget(ctx, target);
  }
  const full = pathResolve(ctx.pkg.dir, target);
  const dir = ctx.pkg.dir === '/' ? '' : ctx.pkg.dir;
  if (full !== ctx.pkg.dir && !StringPrototypeStartsWith(full, `${dir}/`)) {
    throw invalidTarget(ctx, target);
  }
  if (match !== '' && RegExpPrototypeExec(BAD_SEGMENT, match) !== null) {
    const request = pattern ? substitute(ctx.key, match, true) : `${ctx.key}${match}`;
    const what = ctx.internal ? 'imports' : 'exports';
    throw invalidSpecifier(
      request,
      `request is not a valid match in pattern "${ctx.key}" for the "${what}" resolution of ${ctx.pkg.jsonPath}`,
      ctx.base,
    );
  }
  return decodeTarget(ctx, pathResolve(ctx.pkg.dir, substitute(target, match, pattern)));
}

// `target` with `match` put in for each `*` (or appended, for an exact key).
function substitute(target, match, pattern) {
  if (!pattern) return `${target}${match}`;
  let out = '';
  let start = 0;
  for (;;) {
    const star = StringPrototypeIndexOf(target, '*', start);
    if (star === -1) break;
    out += `${StringPrototypeSlice(target, start, star)}${match}`;
    start = star + 1;
  }
  return `${out}${StringPrototypeSlice(target, start)}`;
}

// The path with its percent escapes decoded; an encoded `/` or `\` is refused, as Node does.
function decodeTarget(ctx, path) {
  if (!StringPrototypeIncludes(path, '%')) return path;
  const lower = StringPrototypeToLowerCase(path);
  if (StringPrototypeIncludes(lower, '%2f') || StringPrototypeIncludes(lower, '%5c')) {
    throw invalidSpecifier(path, 'must not include encoded "/" or "\\" characters', ctx.base);
  }
  try {
    return PkgDecodeURIComponent(path);
  } catch {
    return path;
  }
}

function isArrayIndex(key) {
  const n = +key;
  return `${n}` === key && n >= 0 && n < 0xffffffff;
}

function exportsNotFound(pkg, subpath, base) {
  const message =
    subpath === '.'
      ? `No "exports" main defined in ${pkg.jsonPath}`
      : `Package subpath '${subpath}' is not defined by "exports" in ${pkg.jsonPath}`;
  return makeNodeError(
    ErrorCtor,
    'ERR_PACKAGE_PATH_NOT_EXPORTED',
    base === undefined ? message : `${message} imported from ${base}`,
  );
}

function invalidTarget(ctx, target) {
  const from = `in the package config ${ctx.pkg.jsonPath}${ctx.base === undefined ? '' : ` imported from ${ctx.base}`}`;
  const mustStart =
    typeof target === 'string' &&
    !ctx.internal &&
    target.length > 0 &&
    !StringPrototypeStartsWith(target, './');
  const hint = mustStart ? '; targets must start with "./"' : '';
  const message =
    ctx.key === '.' && !ctx.internal
      ? `Invalid "exports" main target ${JSONStringify(target)} defined ${from}${hint}`
      : `Invalid "${ctx.internal ? 'imports' : 'exports'}" target ${JSONStringify(target)} defined for '${ctx.key}' ${from}${hint}`;
  return makeNodeError(ErrorCtor, 'ERR_INVALID_PACKAGE_TARGET', message);
}

function invalidSpecifier(request, reason, base) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_MODULE_SPECIFIER',
    `Invalid module "${request}" ${reason}${base === undefined ? '' : ` imported from ${base}`}`,
  );
}

function invalidConfig(pkg, base, detail) {
  return makeNodeError(
    ErrorCtor,
    'ERR_INVALID_PACKAGE_CONFIG',
    `Invalid package config ${pkg.jsonPath}${base === undefined ? '' : ` while importing ${base}`}. ${detail}`,
  );
}
