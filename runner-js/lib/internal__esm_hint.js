// lib/internal__esm_hint.js: Node's hints on ES module errors: a named import missing from a
// CommonJS module ("Named export 'x' not found. The requested module '...' is a CommonJS
// module, ..."), with the destructuring to use instead; a CommonJS global used in an ES module
// ("require is not defined in ES module scope, you can use import instead"). Loaded by the ES
// module loader only when linking or evaluation fails.

import {
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  JSONStringify,
  ObjectDefineProperty,
  RegExpPrototypeExec,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
} from '../js/00_primordials.js';
import { isError } from '../js/01_helpers.js';
import { tsExtension } from '../js/27_typescript.js';
import { pathDirname, pathRelative } from '../js/40_path.js';
import { cjsFindPath, cjsIsRelative, cjsPackageScope } from '../js/50_cjs_resolve.js';
import { fileURLToPath, pathToFileURL } from './internal__esm_resolve.js';

const HintEncodeURIComponent = encodeURIComponent;

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
  rewrite(err, 'SyntaxError', message, hint);
}

// `err`'s message `message` replaced by `text`, in its stack's first line too.
function rewrite(err, name, message, text) {
  try {
    const stack = err.stack;
    const head = `${name}: ${message}`;
    ObjectDefineProperty(err, 'message', {
      __proto__: null,
      value: text,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    if (typeof stack === 'string' && StringPrototypeStartsWith(stack, head)) {
      ObjectDefineProperty(err, 'stack', {
        __proto__: null,
        value: `${name}: ${text}${StringPrototypeSlice(stack, head.length)}`,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
  } catch {}
}

const CJS_GLOBAL_LIKE = [
  'require is not defined',
  'module is not defined',
  'exports is not defined',
  '__filename is not defined',
  '__dirname is not defined',
];

const JS_URL = /\.js(\?[^#]*)?(#.*)?$/;

// Node's explanation of a ReferenceError for a CommonJS global (`require`, `module`, ...) met
// while evaluating ES module `rec` (`hasTopLevelAwait`: its code awaits at the top level).
export function explainGlobalLike(err, rec, hasTopLevelAwait) {
  let message;
  try {
    if (!isError(err) || err.name !== 'ReferenceError') return;
    message = err.message;
  } catch {
    return;
  }
  if (!ArrayPrototypeIncludes(CJS_GLOBAL_LIKE, message)) return;
  if (hasTopLevelAwait) {
    rewrite(
      err,
      'ReferenceError',
      message,
      'Cannot determine intended module format because both require() and top-level await ' +
        'are present. If the code is intended to be CommonJS, wrap await in an async ' +
        'function. If the code is intended to be an ES module, replace require() with import.',
    );
    try {
      err.code = 'ERR_AMBIGUOUS_MODULE_SYNTAX';
    } catch {}
    return;
  }
  let text = `${message} in ES module scope`;
  if (StringPrototypeStartsWith(message, 'require ')) text += ', you can use import instead';
  const pkg = typeModuleScope(rec);
  if (pkg !== undefined) {
    text +=
      "\nThis file is being treated as an ES module because it has a '.js' file extension " +
      `and '${pkg.jsonPath}' contains "type": "module". To treat it as a CommonJS script, ` +
      "rename it to use the '.cjs' file extension.";
  }
  rewrite(err, 'ReferenceError', message, text);
}

// The `"type": "module"` package.json that makes `.js` file `rec` an ES module, if it is one.
function typeModuleScope(rec) {
  if (rec.filename === undefined || RegExpPrototypeExec(JS_URL, rec.url) === null) return undefined;
  try {
    const pkg = cjsPackageScope(pathDirname(rec.filename));
    return pkg !== undefined && pkg.type === 'module' ? pkg : undefined;
  } catch {
    return undefined;
  }
}

// A module whose request `specifier` was linked to a CommonJS module.
function cjsImporter(specifier, byId) {
  for (let id = 0; id < byId.length; id++) {
    const rec = byId[id];
    if (rec === undefined || rec.children === undefined || rec.source === undefined) continue;
    for (let i = 0; i < rec.requests.length; i++) {
      if (rec.requests[i][0] !== specifier) continue;
      const child = byId[rec.children[i]];
      // As Node: a CommonJS TypeScript module (its format 'commonjs-typescript') keeps V8's
      // message.
      if (child === undefined || child.format !== 'commonjs') continue;
      if (child.filename === undefined || tsExtension(child.filename) === undefined) return rec;
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

// Node's hint when an import is not found but require() would find it ("Did you mean to import
// "./x.js"?"), for `specifier` imported from `parentURL`.
export function explainNotFound(err, specifier, parentURL) {
  let found;
  try {
    const code = err.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') return;
    if (!StringPrototypeStartsWith(parentURL, 'file:')) return;
    const request = StringPrototypeStartsWith(specifier, 'file://')
      ? fileURLToPath(specifier)
      : specifier;
    found = commonJSForm(request, parentURL);
  } catch {
    return;
  }
  if (found === undefined || found === specifier) return;
  const hint = `Did you mean to import ${JSONStringify(found)}?`;
  try {
    const stack = err.stack;
    const end = typeof stack === 'string' ? StringPrototypeIndexOf(stack, '\n') : -1;
    err.message = `${err.message}\n${hint}`;
    if (end !== -1) {
      err.stack = `${StringPrototypeSlice(stack, 0, end)}\n${hint}${StringPrototypeSlice(stack, end)}`;
    }
  } catch {}
}

// What require() finds for `request` from `parentURL`, written as an import would name it.
function commonJSForm(request, parentURL) {
  const parentDir = pathDirname(fileURLToPath(parentURL));
  const found = cjsFindPath(request, parentDir);
  if (found === undefined) return undefined;
  if (cjsIsRelative(request) && !StringPrototypeStartsWith(request, '/')) {
    const from = StringPrototypeSlice(parentURL, 7, StringPrototypeLastIndexOf(parentURL, '/'));
    const relative = pathRelative(from, StringPrototypeSlice(pathToFileURL(found), 7));
    return StringPrototypeStartsWith(relative, '../') ? relative : `./${relative}`;
  }
  if (cjsIsRelative(request)) return `${pathToFileURL(found)}`;
  const slash = StringPrototypeIndexOf(request, '/');
  const pkg = slash === -1 ? request : StringPrototypeSlice(request, 0, slash);
  const needle = `/node_modules/${pkg}/`;
  const at = StringPrototypeLastIndexOf(found, needle);
  if (at === -1) return `${pathToFileURL(found)}`;
  const parts = StringPrototypeSplit(StringPrototypeSlice(found, at + needle.length), '/');
  for (let i = 0; i < parts.length; i++) parts[i] = HintEncodeURIComponent(parts[i]);
  return `${pkg}/${ArrayPrototypeJoin(parts, '/')}`;
}
