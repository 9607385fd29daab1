// 52_cjs_format.js: which loader a file is for, as Node 22 decides: its extension and its
// package.json "type", else its syntax (V8's SyntaxError for an ES module body compiled as
// CommonJS); and Node's warning when a file typed as CommonJS turns out to be an ES module.

import {
  ArrayPrototypeIncludes,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
} from './00_primordials.js';
import { isError } from './01_helpers.js';
import { emitWarningSync } from './23_warnings.js';
import { tsExtension } from './27_typescript.js';
import { pathDirname } from './40_path.js';
import { cjsPackageScope } from './50_cjs_resolve.js';

// 'module' for `.mjs`, `.mts` and a file that package.json "type" makes ESM (`.js`, `.ts`, or no
// extension), 'commonjs' for `.cjs`, `.cts` and "type": "commonjs", 'none' when no package says
// (Node 22 then detects the syntax).
export function cjsFormatOf(filename) {
  if (StringPrototypeEndsWith(filename, '.mjs')) return 'module';
  if (StringPrototypeEndsWith(filename, '.cjs')) return 'commonjs';
  const ts = tsExtension(filename);
  if (ts === '.mts') return 'module';
  if (ts === '.cts') return 'commonjs';
  return cjsPackageType(filename);
}

// `--experimental-default-type` (Node 22): the type of a file no package.json types, outside
// node_modules ('none': its syntax decides), and of `-e` code without `--input-type`.
let cjsDefaultType = 'none';

export function cjsSetDefaultType(execArgv) {
  if (ArrayPrototypeIncludes(execArgv, '--experimental-default-type=module')) {
    cjsDefaultType = 'module';
  } else if (ArrayPrototypeIncludes(execArgv, '--experimental-default-type=commonjs')) {
    cjsDefaultType = 'commonjs';
  }
}

export function cjsGetDefaultType() {
  return cjsDefaultType;
}

// The "type" of the package.json that scopes `filename` ('module', 'commonjs', or 'none'
// when none says, unless `--experimental-default-type` does).
export function cjsPackageType(filename) {
  const pkg = cjsPackageScope(pathDirname(filename));
  const type = pkg === undefined ? 'none' : pkg.type;
  if (type !== 'none' || StringPrototypeIncludes(filename, '/node_modules/')) return type;
  return cjsDefaultType;
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

// Node's warning when a main file its package types as CommonJS has ES module syntax.
export function cjsWarnEsmSyntax(filename) {
  emitWarningSync(
    `Failed to load the ES module: ${filename}. Make sure to set "type": "module" in the ` +
      'nearest package.json file or use the .mjs extension.',
  );
}
