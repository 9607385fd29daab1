// 27_typescript.js: TypeScript files as Node 22.22 runs them (type stripping on by default):
// `.ts`, `.mts` and `.cts` have their types stripped, each replaced by whitespace so lines and
// columns stay (bridge.stripTypeScript: swc's stripper, which Node's amaro is too), before
// either loader compiles them. `.mts` is an ES module, `.cts` CommonJS, `.ts` whatever its
// package.json "type" (or its syntax) says, as `.js`. Files under node_modules are refused
// (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING); `--no-experimental-strip-types` turns it all
// off; `--experimental-transform-types` also turns enums and namespaces into JavaScript.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  bridgeStripTypeScript,
  ErrorCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeRepeat,
  SyntaxErrorCtor,
} from './00_primordials.js';
import { makeInvalidArgType, makeInvalidArgValue, makeNodeError } from './06_errors.js';
import { setErrorHeader } from './20_exit.js';
import { emitWarning } from './23_warnings.js';

// 'strip', 'transform', or false (off); set from the node options before the program runs.
let tsMode = 'strip';
let tsTransformWarned = false;

/** Reads the node options that turn stripping off or transforming on. */
export function tsConfigure(execArgv) {
  if (execArgv === undefined || execArgv === null) return;
  if (ArrayPrototypeIncludes(execArgv, '--no-experimental-strip-types')) tsMode = false;
  else if (ArrayPrototypeIncludes(execArgv, '--experimental-transform-types')) tsMode = 'transform';
}

/** `process.features.typescript`: 'strip', 'transform' or false. */
export function tsFeature() {
  return tsMode;
}

/** '.ts', '.mts' or '.cts' when `filename` is TypeScript that is stripped here, else undefined. */
export function tsExtension(filename) {
  if (tsMode === false) return undefined;
  if (StringPrototypeEndsWith(filename, '.ts')) return '.ts';
  if (StringPrototypeEndsWith(filename, '.mts')) return '.mts';
  if (StringPrototypeEndsWith(filename, '.cts')) return '.cts';
  return undefined;
}

/** `source` of TypeScript file `filename` as JavaScript; throws Node's errors. */
export function tsStrip(source, filename) {
  if (StringPrototypeIncludes(filename, '/node_modules/')) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
      `Stripping types is currently unsupported for files under node_modules, for "${filename}"`,
    );
  }
  const transform = tsMode === 'transform';
  if (transform && !tsTransformWarned) {
    tsTransformWarned = true;
    emitWarning(
      'Transform Types is an experimental feature and might change at any time',
      'ExperimentalWarning',
    );
  }
  return tsConvert(source, filename, transform, undefined, false);
}

// The bridge's answer as code (with its source map, when asked: `[code, map]`), or Node's error.
function tsConvert(source, filename, transform, module, sourceMap) {
  const out = bridgeStripTypeScript(`${source}`, `${filename}`, transform, module, sourceMap);
  if (typeof out === 'string' || out.length === 2) return out;
  const code =
    out[0] === 'UnsupportedSyntax'
      ? 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'
      : 'ERR_INVALID_TYPESCRIPT_SYNTAX';
  const err = makeNodeError(SyntaxErrorCtor, code, out[1]);
  // As Node 22.22: `FILE:LINE`, the line, and `^` under what swc points at, above the error.
  if (out[2] !== '') {
    const text = out[5];
    let pad = '';
    for (let i = 0; i < +out[3] && i < text.length; i++) {
      pad += StringPrototypeCharCodeAt(text, i) === 9 ? '\t' : ' ';
    }
    setErrorHeader(
      err,
      `${filename}:${out[2]}\n${text}\n${pad}${StringPrototypeRepeat('^', +out[4])}\n`,
    );
  }
  throw err;
}

let tsApiWarned = false;

/**
 * `module.stripTypeScriptTypes(code, { mode, sourceMap, sourceUrl })` (Node 22.13+): `code` as
 * JavaScript; a transform's source map inline when asked, a `sourceURL` comment when named.
 * `base64` encodes a UTF-8 string (the source map).
 */
export function tsStripTypeScriptTypes(code, options, base64) {
  if (!tsApiWarned) {
    tsApiWarned = true;
    emitWarning(
      'stripTypeScriptTypes is an experimental feature and might change at any time',
      'ExperimentalWarning',
    );
  }
  if (typeof code !== 'string') throw makeInvalidArgType('code', 'string', code);
  const o = options === undefined ? { __proto__: null } : options;
  if (o === null || typeof o !== 'object' || ArrayIsArray(o)) {
    throw makeInvalidArgType('options', 'object', options);
  }
  const { mode = 'strip', sourceMap = false, sourceUrl = '' } = o;
  if (mode !== 'strip' && mode !== 'transform') {
    throw makeInvalidArgValue('options.mode', mode, "must be one of: 'strip', 'transform'");
  }
  if (typeof sourceMap !== 'boolean') {
    throw makeInvalidArgType('options.sourceMap', 'boolean', sourceMap);
  }
  if (typeof sourceUrl !== 'string') {
    throw makeInvalidArgType('options.sourceUrl', 'string', sourceUrl);
  }
  if (mode === 'strip' && sourceMap) {
    throw makeInvalidArgValue('options.sourceMap', sourceMap, 'must be one of: false, undefined');
  }
  const out = tsConvert(code, sourceUrl, mode === 'transform', undefined, sourceMap);
  if (typeof out !== 'string') {
    return `${out[0]}\n\n//# sourceMappingURL=data:application/json;base64,${base64(out[1])}`;
  }
  return sourceUrl === '' ? out : `${out}\n\n//# sourceURL=${sourceUrl}`;
}
