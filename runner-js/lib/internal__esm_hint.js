// lib/internal__esm_hint.js: Node's hint when a named import is missing from a CommonJS module
// ("Named export 'x' not found. The requested module '...' is a CommonJS module, ..."), with the
// destructuring to use instead. Loaded by the ES module loader only when linking fails.

import {
  ObjectDefineProperty,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from '../js/00_primordials.js';
import { isError } from '../js/01_helpers.js';

const MISSING_EXPORT = 'does not provide an export named ';

// Node's hint when the module missing a named export is CommonJS.
export function explainMissingExport(err, byId) {
  let message;
  try {
    if (!isError(err) || err.name !== 'SyntaxError') return;
    message = err.message;
  } catch {
    return;
  }
  const prefix = "The requested module '";
  const at = StringPrototypeIndexOf(message, `' ${MISSING_EXPORT}'`);
  if (!StringPrototypeStartsWith(message, prefix) || at === -1) return;
  const specifier = StringPrototypeSlice(message, prefix.length, at);
  const name = StringPrototypeSlice(message, at + MISSING_EXPORT.length + 3, message.length - 1);
  const importer = cjsImporter(specifier, byId);
  if (importer === undefined) return;
  const names = namedImports(importer.source, specifier);
  const hint =
    `Named export '${name}' not found. The requested module '${specifier}' is a CommonJS ` +
    'module, which may not support all module.exports as named exports.\nCommonJS modules ' +
    'can always be imported via the default export, for example using:\n\n' +
    `import pkg from '${specifier}';\n${names === undefined ? '' : `const ${names} = pkg;\n`}`;
  try {
    const stack = err.stack;
    const head = `SyntaxError: ${message}`;
    ObjectDefineProperty(err, 'message', {
      __proto__: null,
      value: hint,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    if (typeof stack === 'string' && StringPrototypeStartsWith(stack, head)) {
      ObjectDefineProperty(err, 'stack', {
        __proto__: null,
        value: `SyntaxError: ${hint}${StringPrototypeSlice(stack, head.length)}`,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
  } catch {}
}

// A module whose request `specifier` was linked to a CommonJS module.
function cjsImporter(specifier, byId) {
  for (let id = 0; id < byId.length; id++) {
    const rec = byId[id];
    if (rec === undefined || rec.children === undefined || rec.source === undefined) continue;
    for (let i = 0; i < rec.requests.length; i++) {
      if (rec.requests[i][0] !== specifier) continue;
      const child = byId[rec.children[i]];
      if (child !== undefined && child.format === 'commonjs') return rec;
    }
  }
  return undefined;
}

// `{ a, b: c }` for `import { a, b as c } from 'specifier'` in `source`, on one line.
function namedImports(source, specifier) {
  let at = StringPrototypeIndexOf(source, `'${specifier}'`);
  if (at === -1) at = StringPrototypeIndexOf(source, `"${specifier}"`);
  if (at === -1) return undefined;
  const start = StringPrototypeLastIndexOf(source, 'import', at);
  const open = StringPrototypeIndexOf(source, '{', start);
  const close = StringPrototypeIndexOf(source, '}', open);
  if (start === -1 || open === -1 || close === -1 || close > at) return undefined;
  let out = '';
  let space = false;
  const text = StringPrototypeSlice(source, open, close + 1);
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += text[i];
  }
  for (;;) {
    const as = StringPrototypeIndexOf(out, ' as ');
    if (as === -1) return out;
    out = `${StringPrototypeSlice(out, 0, as)}: ${StringPrototypeSlice(out, as + 4)}`;
  }
}
