// lib/internal__dotenv.js: the `.env` format of Node 22 (`util.parseEnv`, `process.loadEnvFile`),
// following the rules of its src/node_dotenv.cc: `KEY=value` lines, `export ` prefixes, `#`
// comments (whole lines, and after unquoted values), values in '', "" or `` kept verbatim and
// across lines (in "" a `\n` is a newline), an unclosed quote kept as the rest of its line, and
// the first line without `=` ending the file.

import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypeSort,
  ObjectKeys,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { processObject } from '../js/20_exit.js';
import { fsReadFileSync } from '../js/44_fs_files.js';

/** `text` with every `from` replaced by `to` (no RegExp, no Symbol.replace lookup). */
function replaceAll(text, from, to) {
  let out = '';
  let at = 0;
  for (;;) {
    const next = StringPrototypeIndexOf(text, from, at);
    if (next === -1) return out + StringPrototypeSlice(text, at);
    out += StringPrototypeSlice(text, at, next) + to;
    at = next + from.length;
  }
}

/** Trims spaces (only spaces, as Node: a tab or a newline stays) at both ends. */
function trimSpaces(text) {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === ' ') start++;
  while (end > start && text[end - 1] === ' ') end--;
  return StringPrototypeSlice(text, start, end);
}

/** The rest of `text` from its first newline at or after `from` (the newline kept); '' if none. */
function fromNewline(text, from) {
  const newline = StringPrototypeIndexOf(text, '\n', from);
  return newline === -1 ? '' : StringPrototypeSlice(text, newline);
}

/** `value` of a quoted or bare value at the start of `content`, and what follows it. */
function readValue(content) {
  const quote = content[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const closing = StringPrototypeIndexOf(content, quote, 1);
    if (closing !== -1) {
      let value = StringPrototypeSlice(content, 1, closing);
      if (quote === '"') value = replaceAll(value, '\\n', '\n');
      return { value, rest: fromNewline(content, closing + 1) };
    }
    // Unclosed: the line is the value, quote and all.
    const newline = StringPrototypeIndexOf(content, '\n');
    if (newline === -1) return { value: undefined, rest: '' };
    return {
      value: StringPrototypeSlice(content, 0, newline),
      rest: StringPrototypeSlice(content, newline),
    };
  }
  const newline = StringPrototypeIndexOf(content, '\n');
  let value = newline === -1 ? content : StringPrototypeSlice(content, 0, newline);
  const hash = StringPrototypeIndexOf(value, '#');
  if (hash !== -1) value = StringPrototypeSlice(value, 0, hash);
  return {
    value: trimSpaces(value),
    rest: newline === -1 ? '' : StringPrototypeSlice(content, newline),
  };
}

/** Calls `set(key, value)` for every variable of `.env` text `input`, in order. */
function parse(input, set) {
  let content = trimSpaces(replaceAll(input, '\r', ''));
  while (content !== '') {
    const first = content[0];
    if (first === '\n' || first === '#') {
      const newline = StringPrototypeIndexOf(content, '\n');
      if (newline === -1) break;
      content = trimSpaces(StringPrototypeSlice(content, newline + 1));
      continue;
    }
    const equal = StringPrototypeIndexOf(content, '=');
    if (equal === -1) break;
    let key = trimSpaces(StringPrototypeSlice(content, 0, equal));
    content = StringPrototypeSlice(content, equal + 1);
    if (StringPrototypeStartsWith(key, 'export ')) key = trimSpaces(StringPrototypeSlice(key, 7));
    if (key === '') {
      content = fromNewline(content, 0);
      continue;
    }
    if (content === '' || content[0] === '\n') {
      set(key, '');
      continue;
    }
    const { value, rest } = readValue(trimSpaces(content));
    if (value !== undefined) set(key, value);
    content = rest;
  }
}

/** `util.parseEnv(content)`: the variables of `.env` text as an object, keys sorted (Node keeps
 * them in a std::map). */
export function parseEnv(content) {
  if (typeof content !== 'string') throw makeInvalidArgType('content', 'string', content);
  const store = { __proto__: null };
  parse(content, (key, value) => {
    store[key] = value;
  });
  const keys = ArrayPrototypeSort(ObjectKeys(store));
  const out = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]] = store[keys[i]];
  return out;
}

/** `--env-file=PATH` and `--env-file-if-exists=PATH` (`files`: `[path, optional]` in order):
 * every file's variables, a later file's winning, into `process.env` where not set yet; a
 * missing required file is Node's start-up error (`node: PATH: not found`, exit 9). */
export function loadEnvFlags(files) {
  const store = { __proto__: null };
  for (let i = 0; i < files.length; i++) {
    const [path, optional] = files[i];
    let text;
    try {
      text = fsReadFileSync(path, 'utf8');
    } catch (e) {
      if (optional && e?.code === 'ENOENT') {
        bridge.write(2, `${path} not found. Continuing without it.\n`);
        continue;
      }
      bridge.write(2, `node: ${path}: not found\n`);
      bridge.exit(9);
      return;
    }
    parse(text, (key, value) => {
      store[key] = value;
    });
  }
  const env = processObject.env;
  for (const key in store) {
    if (env[key] === undefined) env[key] = store[key];
  }
}

/** `process.loadEnvFile(path = '.env')`: the file's variables into `process.env`, where not set
 * yet. */
export function loadEnvFile(path) {
  const text = fsReadFileSync(path === undefined ? '.env' : path, 'utf8');
  const env = processObject.env;
  parse(text, (key, value) => {
    if (env[key] === undefined) env[key] = value;
  });
}
