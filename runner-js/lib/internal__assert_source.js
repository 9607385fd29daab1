// lib/internal__assert_source.js: the message of a failed `assert(value)`/`assert.ok(value)`
// without one of its own, as Node's getErrMessage: the source of the failing call, read from
// the caller's file ("The expression evaluated to a falsy value:\n\n  assert.ok(x > 1)\n").
// Node finds the call with acorn; a call expression is simple enough to find by scanning: back
// from V8's call position over the callee's member chain, forward to its balanced `(...)`.
// Any doubt (no file, a builtin caller, no call found) gives undefined: the generic message.

import {
  bridgeCallSites,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  NumberPrototypeToString,
  RegExpPrototypeExec,
  RegExpPrototypeSymbolReplace,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
} from '../js/00_primordials.js';
import { fsReadFileSync, fsStatSync } from '../js/44_fs_files.js';

// Call sites already looked at: `file:line:column` -> message (or undefined).
const cache = new MapCtor();
const URIDecode = decodeURIComponent;
const IDENTIFIER_CHAR = /^(?:[\p{ID_Continue}$.]|\u200c|\u200d)$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters Node escapes in the message
const CONTROL_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f]/g;
const MAX_FRAMES = 12;
const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

/** The message for a falsy `assert.ok` called from outside `node:assert`, or undefined. */
export function falsyExpressionMessage() {
  const site = callerSite();
  if (site === undefined) return undefined;
  const key = `${site.file}:${site.line}:${site.column}`;
  if (MapPrototypeHas(cache, key)) return MapPrototypeGet(cache, key);
  let message;
  try {
    message = messageAt(site);
  } catch {
    message = undefined;
  }
  MapPrototypeSet(cache, key, message);
  return message;
}

// The first frame outside this module's callers in `node:assert`: the code that asserted.
function callerSite() {
  if (typeof bridgeCallSites !== 'function') return undefined;
  const flat = bridgeCallSites(MAX_FRAMES);
  for (let i = 0; i + 4 < flat.length; i += 5) {
    const file = flat[i + 1];
    if (file === 'node:assert' || StringPrototypeStartsWith(file, 'node:internal/assert')) continue;
    if (file === '' || StringPrototypeStartsWith(file, 'node:')) return undefined;
    if (StringPrototypeStartsWith(file, 'agentos:')) continue;
    return { file, line: flat[i + 3], column: flat[i + 4] };
  }
  return undefined;
}

function messageAt(site) {
  let path = site.file;
  if (StringPrototypeStartsWith(path, 'file://')) path = URIDecode(StringPrototypeSlice(path, 7));
  if (!StringPrototypeStartsWith(path, '/')) return undefined;
  // A source too big to read whole for one message gives the generic one.
  if (fsStatSync(path).size > MAX_SOURCE_BYTES) return undefined;
  const code = fsReadFileSync(path, 'utf8');
  let lineStart = 0;
  for (let line = 1; line < site.line; line++) {
    const next = StringPrototypeIndexOf(code, '\n', lineStart);
    if (next === -1) return undefined;
    lineStart = next + 1;
  }
  const span = callSpan(code, lineStart + site.column - 1);
  if (span === undefined) return undefined;
  const source = RegExpPrototypeSymbolReplace(
    CONTROL_CHARS,
    StringPrototypeSlice(code, span.start, span.end),
    (c) =>
      `\\u${StringPrototypeSlice(`000${NumberPrototypeToString(StringPrototypeCharCodeAt(c, 0), 16)}`, -4)}`,
  );
  const indent = span.start - (StringPrototypeLastIndexOf(code, '\n', span.start - 1) + 1);
  return `The expression evaluated to a falsy value:\n\n  ${reindent(source, indent)}\n`;
}

// Later lines of a multi-line call lose up to `indent` leading blanks and get two spaces.
function reindent(source, indent) {
  const lines = StringPrototypeSplit(RegExpPrototypeSymbolReplace(/\r\n/g, source, '\n'), '\n');
  let out = lines[0];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    let pos = 0;
    while (pos < indent && (line[pos] === ' ' || line[pos] === '\t')) pos++;
    out += `\n  ${StringPrototypeSlice(line, pos)}`;
  }
  return out;
}

function isIdentifierChar(ch) {
  return ch !== undefined && RegExpPrototypeExec(IDENTIFIER_CHAR, ch) !== null;
}

// The call at `offset` (V8's position: the callee, or its last member): from the start of the
// callee's member chain to the `)` that closes its arguments.
function callSpan(code, offset) {
  let start = offset;
  while (start > 0 && isIdentifierChar(code[start - 1])) start--;
  let at = offset;
  while (isIdentifierChar(code[at]) || code[at] === ' ' || code[at] === '\t') at++;
  if (code[at] !== '(') return undefined;
  const end = closingParen(code, at);
  return end === -1 || start === at ? undefined : { start, end: end + 1 };
}

const CLOSER = { __proto__: null, '(': ')', '[': ']', '{': '}' };

// The index of the bracket closing the one at `open`, past strings, templates and comments.
function closingParen(code, open) {
  const stack = [];
  for (let i = open; i < code.length; i++) {
    const ch = code[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = stringEnd(code, i);
      if (i === -1) return -1;
    } else if (ch === '/' && (code[i + 1] === '/' || code[i + 1] === '*')) {
      const close = code[i + 1] === '/' ? '\n' : '*/';
      const end = StringPrototypeIndexOf(code, close, i + 2);
      if (end === -1) return -1;
      i = end + close.length - 1;
    } else if (CLOSER[ch] !== undefined) {
      stack[stack.length] = CLOSER[ch];
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack[stack.length - 1] !== ch) return -1;
      stack.length--;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

// The index of the quote closing the string or template opened at `open` (past a template's
// `${...}` substitutions).
function stringEnd(code, open) {
  const quote = code[open];
  for (let i = open + 1; i < code.length; i++) {
    const ch = code[i];
    if (ch === '\\') i++;
    else if (ch === quote) return i;
    else if (quote === '`' && ch === '$' && code[i + 1] === '{') {
      i = closingParen(code, i + 1);
      if (i === -1) return -1;
    } else if (ch === '\n' && quote !== '`') return -1;
  }
  return -1;
}
