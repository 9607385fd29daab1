// lib/internal__esm_resolve.js: Node's ESM resolution (ESM_RESOLVE and ESM_FILE_FORMAT of the
// Node docs) over the exec's mounts: file URLs, `node:` builtins (bare builtin names too), `data:`
// URLs, `#imports`, package self-reference, `node_modules` packages with "exports" under the
// import conditions, and the legacy "main". No extension guessing and no directory indexes, as in
// Node. package.json reads and the exports/imports matching are shared with `require`
// (50_cjs_resolve.js), each side with its own conditions.

import {
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  ErrorCtor,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { newList } from '../js/01_helpers.js';
import { makeNodeError } from '../js/06_errors.js';
import { tsExtension } from '../js/27_typescript.js';
import { nodeSet, pathCwd, pathDirname, pathResolve } from '../js/40_path.js';
import { fsFiletype } from '../js/41_fs_core.js';
import { cjsPackageScope, cjsReadPackage, cjsSplitPackage } from '../js/50_cjs_resolve.js';
import { pkgExportsResolve, pkgImportsResolve } from '../js/50_pkg_maps.js';
import { cjsIsBuiltin, cjsIsSchemeBuiltin } from '../js/51_cjs_builtins.js';
import { cjsPackageType } from '../js/52_cjs_format.js';

// Node 22's conditions for import and import(); `require` uses CJS_CONDITIONS.
export const ESM_CONDITIONS = ['node', 'import', 'module-sync', 'default'];

// ---- file URLs ----

// Bytes a file URL's path keeps as they are (everything else is percent-encoded): the WHATWG path
// set minus what Node's pathToFileURL encodes first (% \ newline CR tab).
function keepInPath(c) {
  if (c <= 32 || c >= 127) return false;
  return (
    c !== 34 && c !== 35 && c !== 37 && c !== 60 && c !== 62 && c !== 63 && c !== 92 && c !== 96
  );
}

const HEX = '0123456789ABCDEF';

function percentEncode(text, keep) {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (!keep(StringPrototypeCharCodeAt(text, i))) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  const bytes = bridgeUtf8Encode(text);
  let out = '';
  for (let i = 0; i < TypedArrayPrototypeGetLength(bytes); i++) {
    const b = bytes[i];
    out += keep(b) ? StringFromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

// Node's url.pathToFileURL for an absolute guest path, as a string.
export function pathToFileURL(path) {
  return `file://${percentEncode(path, keepInPath)}`;
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// Percent-decodes `text` (invalid sequences stay as they are), as UTF-8.
export function percentDecode(text) {
  if (StringPrototypeIndexOf(text, '%') === -1) return text;
  const raw = bridgeUtf8Encode(text);
  const out = new Uint8ArrayCtor(TypedArrayPrototypeGetLength(raw));
  let n = 0;
  for (let i = 0; i < TypedArrayPrototypeGetLength(raw); i++) {
    const b = raw[i];
    if (b === 37 && i + 2 < TypedArrayPrototypeGetLength(raw)) {
      const hi = hexValue(raw[i + 1]);
      const lo = hexValue(raw[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return bridgeUtf8Decode(TypedArrayPrototypeSubarray(out, 0, n), false);
}

// The path of a `file:` URL (query and fragment dropped); throws Node's errors.
export function fileURLToPath(url) {
  let rest = StringPrototypeSlice(url, 5);
  if (StringPrototypeStartsWith(rest, '//')) {
    const slash = StringPrototypeIndexOf(rest, '/', 2);
    const host = StringPrototypeSlice(rest, 2, slash === -1 ? rest.length : slash);
    if (host !== '' && host !== 'localhost') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_FILE_URL_HOST',
        'File URL host must be "localhost" or empty on linux',
      );
    }
    rest = slash === -1 ? '/' : StringPrototypeSlice(rest, slash);
  }
  const end = urlSuffixAt(rest);
  const path = StringPrototypeSlice(rest, 0, end);
  for (let i = 0; i + 2 < path.length; i++) {
    if (
      StringPrototypeCharCodeAt(path, i) === 37 &&
      StringPrototypeCharCodeAt(path, i + 1) === 50 &&
      (StringPrototypeCharCodeAt(path, i + 2) | 32) === 102
    ) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_FILE_URL_PATH',
        'File URL path must not include encoded / characters',
      );
    }
  }
  return percentDecode(path);
}

// Index of the first `?` or `#` of `text` (its length when none).
function urlSuffixAt(text) {
  const q = StringPrototypeIndexOf(text, '?');
  const h = StringPrototypeIndexOf(text, '#');
  if (q === -1) return h === -1 ? text.length : h;
  return h === -1 || q < h ? q : h;
}

// Removes `.` and `..` segments from an absolute URL path (RFC 3986 remove_dot_segments, with
// `%2e` read as a dot, as WHATWG URL does).
function removeDots(path) {
  const segments = newList();
  let start = 1;
  for (;;) {
    let end = StringPrototypeIndexOf(path, '/', start);
    const last = end === -1;
    if (last) end = path.length;
    const seg = StringPrototypeToLowerCase(StringPrototypeSlice(path, start, end));
    if (seg === '.' || seg === '%2e') {
      if (last) segments[segments.length] = '';
    } else if (seg === '..' || seg === '.%2e' || seg === '%2e.' || seg === '%2e%2e') {
      if (segments.length > 0) segments.length--;
      if (last) segments[segments.length] = '';
    } else {
      segments[segments.length] = StringPrototypeSlice(path, start, end);
    }
    if (last) break;
    start = end + 1;
  }
  let out = '';
  for (let i = 0; i < segments.length; i++) out += `/${segments[i]}`;
  return out === '' ? '/' : out;
}

// Keeps what a WHATWG URL parser keeps of a path written in a specifier: `%XX` stays, `\` is `/`.
function keepInSpecifier(c) {
  return c === 37 || keepInPath(c);
}

// `specifier` (relative, absolute path, or `file:` URL) against file URL `base`.
function resolveFileURL(specifier, base) {
  let text = specifier;
  for (let i = 0; i < text.length; i++) {
    if (StringPrototypeCharCodeAt(text, i) === 92) {
      text = `${StringPrototypeSlice(text, 0, i)}/${StringPrototypeSlice(text, i + 1)}`;
    }
  }
  if (StringPrototypeStartsWith(text, 'file:')) {
    const path = fileURLToPath(text);
    const at = urlSuffixAt(StringPrototypeSlice(text, 5));
    return `file://${removeDots(percentEncode(path, keepInSpecifier))}${StringPrototypeSlice(text, 5 + at)}`;
  }
  const cut = urlSuffixAt(text);
  const suffix = StringPrototypeSlice(text, cut);
  let path = percentEncode(StringPrototypeSlice(text, 0, cut), keepInSpecifier);
  if (StringPrototypeCharCodeAt(path, 0) !== 47) {
    const basePath = StringPrototypeSlice(base, 7, 7 + urlSuffixAt(StringPrototypeSlice(base, 7)));
    path = `${StringPrototypeSlice(basePath, 0, StringPrototypeLastIndexOf(basePath, '/') + 1)}${path}`;
  }
  return `file://${removeDots(path)}${suffix}`;
}

// ---- errors ----

function notFound(message, url) {
  const err = makeNodeError(ErrorCtor, 'ERR_MODULE_NOT_FOUND', message);
  if (url !== undefined) nodeSet(err, 'url', url);
  return err;
}

function invalidSpecifier(request, reason, base) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_MODULE_SPECIFIER',
    `Invalid module "${request}" ${reason}${base ? ` imported from ${base}` : ''}`,
  );
}

// The path shown for `base` in errors ("imported from ...").
export function basePath(base) {
  return StringPrototypeStartsWith(base, 'file:') ? fileURLToPath(base) : base;
}

// ---- resolution ----

// A resolved module: its URL, and its file path or builtin name.
function fileResult(url) {
  return { __proto__: null, url, filename: fileURLToPath(url), builtin: undefined };
}

// Node's finalizeResolution: the file must exist and not be a directory.
function finalize(url, base) {
  const result = fileResult(url);
  const path = result.filename;
  const ft = StringPrototypeEndsWith(path, '/') ? 3 : fsFiletype(path);
  if (ft === 3) {
    const err = makeNodeError(
      ErrorCtor,
      'ERR_UNSUPPORTED_DIR_IMPORT',
      `Directory import '${path}' is not supported resolving ES modules imported from ${basePath(base)}`,
    );
    nodeSet(err, 'url', url);
    throw err;
  }
  if (ft !== 4) throw notFound(`Cannot find module '${path}' imported from ${basePath(base)}`, url);
  return result;
}

function builtinResult(name) {
  return { __proto__: null, url: `node:${name}`, filename: undefined, builtin: name };
}

// True when `specifier` starts with a URL scheme (`x:` before any `/`, `?` or `#`).
function urlScheme(specifier) {
  for (let i = 0; i < specifier.length; i++) {
    const c = StringPrototypeCharCodeAt(specifier, i);
    if (c === 58)
      return i > 1
        ? StringPrototypeToLowerCase(StringPrototypeSlice(specifier, 0, i + 1))
        : undefined;
    const alpha = (c | 32) >= 97 && (c | 32) <= 122;
    if (!(alpha || (i > 0 && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)))) {
      return undefined;
    }
  }
  return undefined;
}

// Resolves `specifier` imported from URL `base` under `conditions`: `{ url, filename, builtin }`.
export function esmResolve(specifier, base, conditions) {
  const c0 = StringPrototypeCharCodeAt(specifier, 0);
  if (
    c0 === 47 ||
    StringPrototypeStartsWith(specifier, './') ||
    StringPrototypeStartsWith(specifier, '../') ||
    specifier === '.' ||
    specifier === '..'
  ) {
    if (!StringPrototypeStartsWith(base, 'file:')) {
      throw invalidSpecifier(specifier, 'is not a valid relative specifier', basePath(base));
    }
    const spec = specifier === '.' || specifier === '..' ? `${specifier}/` : specifier;
    return finalize(resolveFileURL(spec, base), base);
  }
  if (c0 === 35) {
    if (!StringPrototypeStartsWith(base, 'file:')) {
      throw invalidSpecifier(specifier, 'is not a valid package import specifier', basePath(base));
    }
    const scope = cjsPackageScope(pathDirname(fileURLToPath(base)));
    const target = pkgImportsResolve(specifier, scope, conditions, basePath(base));
    if (typeof target !== 'string') {
      return packageResolve(target.bare, pathToFileURL(target.pkg.jsonPath), conditions);
    }
    return finalize(pathToFileURL(target), base);
  }
  const scheme = urlScheme(specifier);
  if (scheme !== undefined) {
    if (scheme === 'node:') {
      const name = StringPrototypeSlice(specifier, 5);
      if (!cjsIsSchemeBuiltin(name)) {
        throw makeNodeError(
          ErrorCtor,
          'ERR_UNKNOWN_BUILTIN_MODULE',
          `No such built-in module: ${specifier}`,
        );
      }
      return builtinResult(name);
    }
    if (scheme === 'file:') return finalize(resolveFileURL(specifier, base), base);
    if (scheme === 'data:') {
      return { __proto__: null, url: specifier, filename: undefined, builtin: undefined };
    }
    throw makeNodeError(
      ErrorCtor,
      'ERR_UNSUPPORTED_ESM_URL_SCHEME',
      `Only URLs with a scheme in: file, data, and node are supported by the default ESM loader. Received protocol '${scheme}'`,
    );
  }
  if (cjsIsBuiltin(specifier)) return builtinResult(specifier);
  return packageResolve(specifier, base, conditions);
}

function packageResolve(specifier, base, conditions) {
  const split = cjsSplitPackage(specifier);
  if (split === undefined) {
    throw invalidSpecifier(specifier, 'is not a valid package name', basePath(base));
  }
  if (!StringPrototypeStartsWith(base, 'file:')) {
    throw notFound(`Cannot find package '${split[0]}' imported from ${basePath(base)}`, undefined);
  }
  const name = split[0];
  const subpath = split[1];
  const parentDir = pathDirname(fileURLToPath(base));
  const scope = cjsPackageScope(parentDir);
  if (scope !== undefined && scope.name === name && scope.exports != null) {
    return finalize(
      pathToFileURL(pkgExportsResolve(scope, subpath, conditions, basePath(base))),
      base,
    );
  }
  let dir = parentDir;
  for (let depth = 0; depth < 4096; depth++) {
    const nm = StringPrototypeEndsWith(dir, '/node_modules')
      ? undefined
      : `${dir === '/' ? '' : dir}/node_modules/${name}`;
    if (nm !== undefined && fsFiletype(nm) === 3) {
      const pkg = cjsReadPackage(nm, `"${specifier}" from ${basePath(base)}`);
      if (pkg !== undefined && pkg.exports != null) {
        const target = pkgExportsResolve(pkg, subpath, conditions, basePath(base));
        return finalize(pathToFileURL(target), base);
      }
      if (subpath === '.') return legacyMain(nm, pkg, base);
      return finalize(
        resolveFileURL(`.${StringPrototypeSlice(subpath, 1)}`, pathToFileURL(`${nm}/`)),
        base,
      );
    }
    if (dir === '/') break;
    dir = pathDirname(dir);
  }
  throw notFound(`Cannot find package '${name}' imported from ${basePath(base)}`, undefined);
}

const LEGACY_MAIN = ['', '.js', '.json', '.node', '/index.js', '/index.json', '/index.node'];
const LEGACY_INDEX = ['index.js', 'index.json', 'index.node'];

// Node's legacyMainResolve: "main" with the old extensions, then index.js.
function legacyMain(dir, pkg, base) {
  const main = pkg === undefined ? undefined : pkg.main;
  if (main !== undefined) {
    const target = pathResolve(dir, main);
    for (let i = 0; i < LEGACY_MAIN.length; i++) {
      const candidate = `${target}${LEGACY_MAIN[i]}`;
      if (fsFiletype(candidate) === 4) return fileResult(pathToFileURL(candidate));
    }
  }
  for (let i = 0; i < LEGACY_INDEX.length; i++) {
    const candidate = `${dir}/${LEGACY_INDEX[i]}`;
    if (fsFiletype(candidate) === 4) return fileResult(pathToFileURL(candidate));
  }
  throw notFound(`Cannot find package '${dir}/' imported from ${basePath(base)}`, undefined);
}

// The URL dynamic imports resolve against for a script named `name` (a file URL, an absolute
// path, or anything else: then the cwd, as for `node -e`).
export function referrerURL(name) {
  if (typeof name === 'string') {
    if (StringPrototypeStartsWith(name, 'file:')) return name;
    if (StringPrototypeCharCodeAt(name, 0) === 47) return pathToFileURL(name);
  }
  const cwd = pathCwd();
  return pathToFileURL(`${cwd === '/' ? '' : cwd}/[eval1]`);
}

// ---- formats ----

function unknownExtension(ext, path) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_UNKNOWN_FILE_EXTENSION',
    `Unknown file extension "${ext}" for ${path}`,
  );
}

// The format of file `path`: 'module', 'commonjs', 'json', or 'detect' (a `.js` or `.ts` file
// no package.json types: ESM if its syntax says so).
export function fileFormat(path) {
  const slash = StringPrototypeLastIndexOf(path, '/');
  const dot = StringPrototypeLastIndexOf(path, '.');
  const ext = dot > slash + 1 ? StringPrototypeSlice(path, dot) : '';
  if (ext === '.mjs') return 'module';
  if (ext === '.cjs') return 'commonjs';
  if (ext === '.json') return 'json';
  const ts = tsExtension(path);
  if (ts === '.mts') return 'module';
  if (ts === '.cts') return 'commonjs';
  if (ext === '.js' || ext === '' || ts === '.ts') {
    const type = cjsPackageType(path);
    if (type === 'module') return 'module';
    if (type === 'commonjs') return 'commonjs';
    return ext === '' ? 'commonjs' : 'detect';
  }
  throw unknownExtension(ext, path);
}

// ---- data: URLs ----

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Decode(text) {
  const out = new Uint8ArrayCtor((text.length * 3) >> 2);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c === 61) break;
    const v = StringPrototypeIndexOf(B64, StringFromCharCode(c === 45 ? 43 : c === 95 ? 47 : c));
    if (v === -1) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 255;
    }
  }
  return bridgeUtf8Decode(TypedArrayPrototypeSubarray(out, 0, n), false);
}

// `{ format, source }` of a `data:` URL: text/javascript is a module, application/json JSON.
export function dataURL(url) {
  const comma = StringPrototypeIndexOf(url, ',');
  if (comma === -1) throw invalidSpecifier(url, 'is not a valid data: URL', undefined);
  let meta = StringPrototypeToLowerCase(StringPrototypeSlice(url, 5, comma));
  const base64 = StringPrototypeEndsWith(meta, ';base64');
  if (base64) meta = StringPrototypeSlice(meta, 0, meta.length - 7);
  const semi = StringPrototypeIndexOf(meta, ';');
  const mime = semi === -1 ? meta : StringPrototypeSlice(meta, 0, semi);
  const body = StringPrototypeSlice(url, comma + 1);
  const source = base64 ? base64Decode(percentDecode(body)) : percentDecode(body);
  let format;
  if (mime === 'text/javascript' || mime === 'application/javascript') format = 'module';
  else if (mime === 'application/json') format = 'json';
  else {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_UNKNOWN_MODULE_FORMAT',
      `Unknown module format: ${mime} for URL ${url}`,
    );
  }
  return { __proto__: null, format, source };
}
