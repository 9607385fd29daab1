// lib/internal__glob.js: globs as minimatch reads them (`*`, `?`, `[...]`, `{a,b}`, `**`; a
// wildcard never matches a leading `.`; no extglobs), for Node 22's `path.matchesGlob`,
// `fs.globSync`, `fs.glob` and `fs.promises.glob`, and `node --test`'s patterns.
//
// A glob walks only what it can match: from its literal leading directories, as deep as its
// segments reach (everything beneath for `**`), never following a symbolic link to a
// directory. Results come in the walk's order (each directory's entries sorted), relative to
// `cwd` (absolute for an absolute pattern), each path once.

import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  FunctionPrototypeCall,
  PromiseCtor,
  RegExpCtor,
  RegExpPrototypeExec,
  SetCtor,
  StringPrototypeCharAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';

export function hasMagic(pattern) {
  return RegExpPrototypeExec(/[*?[{]/, pattern) !== null;
}

// One path segment of a glob as a regular expression's source.
function segmentSource(segment) {
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = StringPrototypeCharAt(segment, i);
    if (c === '\\' && i + 1 < segment.length) {
      out += `\\${StringPrototypeCharAt(segment, ++i)}`;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = StringPrototypeIndexOf(segment, ']', i + 2);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = StringPrototypeSlice(segment, i + 1, end);
      if (StringPrototypeCharAt(body, 0) === '!') body = `^${StringPrototypeSlice(body, 1)}`;
      out += `[${body}]`;
      i = end;
    } else if (c === '{') {
      inBraces++;
      out += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      out += ')';
    } else if (c === ',' && inBraces > 0) {
      out += '|';
    } else {
      out += RegExpPrototypeExec(/[.+^$()|\\]/, c) !== null ? `\\${c}` : c;
    }
  }
  // A leading wildcard does not match a name starting with `.` (as minimatch).
  return RegExpPrototypeExec(/^[[*?]/, segment) !== null ? `(?!\\.)${out}` : out;
}

// A glob over `/`-separated paths as a regular expression (`**` spans whole segments).
export function globRegExp(pattern) {
  const segments = StringPrototypeSplit(pattern, '/');
  let source = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    // `**` spans any number of whole segments, none starting with `.` (as minimatch); a
    // trailing one also matches the directory before it (`a/**` matches `a`).
    if (segment === '**' && last && i > 0) {
      source = `${StringPrototypeSlice(source, 0, -1)}(?:/[^/.][^/]*)*`;
    } else if (segment === '**') {
      source += last ? '(?:[^/.][^/]*(?:/[^/.][^/]*)*)?' : '(?:[^/.][^/]*/)*';
    } else if (segment !== '' || i === 0) {
      source += `${segmentSource(segment)}${last ? '' : '/'}`;
    }
  }
  return new RegExpCtor(`^${source}$`);
}

function validateString(value, name) {
  if (typeof value !== 'string') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type string. Received ${value === null ? 'null' : `type ${typeof value}`}`,
    );
  }
}

/** `path.matchesGlob(path, pattern)`. */
export function matchesGlob(path, pattern) {
  validateString(path, 'path');
  validateString(pattern, 'pattern');
  return RegExpPrototypeExec(globRegExp(stripDot(pattern)), stripDot(path)) !== null;
}

function stripDot(text) {
  return StringPrototypeStartsWith(text, './') ? StringPrototypeSlice(text, 2) : text;
}

/** One pattern ready to walk: where to start, and what its remaining segments must match. */
function compile(pattern, cwd) {
  const path = cjsBuiltin('path');
  const absolute = path.isAbsolute(pattern);
  const segments = StringPrototypeSplit(
    stripDot(absolute ? StringPrototypeSlice(pattern, 1) : pattern),
    '/',
  );
  let literal = 0;
  while (literal < segments.length - 1 && !hasMagic(segments[literal])) literal++;
  const prefix = ArrayPrototypeJoin(ArrayPrototypeSlice(segments, 0, literal), '/');
  const rest = ArrayPrototypeSlice(segments, literal);
  let depth = rest.length;
  for (let i = 0; i < rest.length; i++) if (rest[i] === '**') depth = Infinity;
  return {
    absolute,
    root: absolute ? '/' : cwd,
    prefix,
    re: globRegExp(ArrayPrototypeJoin(segments, '/')),
    depth,
  };
}

function excluder(exclude, withFileTypes) {
  if (exclude === undefined || exclude === null) return () => false;
  if (typeof exclude === 'function') {
    return (relative, dirent) =>
      !!FunctionPrototypeCall(exclude, undefined, withFileTypes ? dirent : relative);
  }
  if (ArrayIsArray(exclude)) {
    const res = [];
    for (let i = 0; i < exclude.length; i++)
      ArrayPrototypePush(res, globRegExp(stripDot(`${exclude[i]}`)));
    return (relative) => {
      for (let i = 0; i < res.length; i++)
        if (RegExpPrototypeExec(res[i], relative) !== null) return true;
      return false;
    };
  }
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    'The "options.exclude" property must be of type function or an instance of Array.',
  );
}

/** A Dirent for `path`, a match that no directory listing gave. */
function direntOf(path, st) {
  const p = cjsBuiltin('path');
  const { Dirent } = cjsBuiltin('fs');
  // The WASI file types readdir gives (43_fs_stats.js): directory 3, symbolic link 7, file 4.
  const type = st.isDirectory() ? 3 : st.isSymbolicLink() ? 7 : 4;
  return new Dirent(p.basename(path), type, p.dirname(path));
}

function byName(a, b) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `fs.globSync(pattern, options)`. */
export function globSync(pattern, options = undefined) {
  const fs = cjsBuiltin('fs');
  const path = cjsBuiltin('path');
  const patterns = ArrayIsArray(pattern) ? pattern : [pattern];
  for (let i = 0; i < patterns.length; i++) validateString(patterns[i], 'pattern');
  const cwdOption = options?.cwd;
  let cwd = cjsBuiltin('process').cwd();
  if (cwdOption !== undefined) {
    const given =
      typeof cwdOption === 'string' ? cwdOption : cjsBuiltin('url').fileURLToPath(cwdOption);
    cwd = path.resolve(given);
  }
  const withFileTypes = options?.withFileTypes === true;
  const excluded = excluder(options?.exclude, withFileTypes);
  const seen = new SetCtor();
  const out = [];
  for (let i = 0; i < patterns.length; i++) {
    const g = compile(patterns[i], cwd);
    const start = g.prefix === '' ? g.root : path.join(g.root, g.prefix);
    const visit = (dir, relative, level) => {
      let entries;
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      ArrayPrototypeSort(entries, byName);
      for (let j = 0; j < entries.length; j++) {
        const entry = entries[j];
        const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
        const shown = g.absolute ? `/${rel}` : rel;
        if (excluded(shown, entry)) continue;
        if (RegExpPrototypeExec(g.re, rel) !== null && !seen.has(shown)) {
          seen.add(shown);
          ArrayPrototypePush(out, withFileTypes ? entry : shown);
        }
        if (entry.isDirectory() && level + 1 < g.depth)
          visit(path.join(dir, entry.name), rel, level + 1);
      }
    };
    // The literal directory itself may match (`a/b/**` names `a/b`).
    const self = g.absolute ? `/${g.prefix}` : g.prefix;
    if (g.prefix !== '' && RegExpPrototypeExec(g.re, g.prefix) !== null && !seen.has(self)) {
      const st = fs.statSync(start, { throwIfNoEntry: false });
      if (st !== undefined && !excluded(self, undefined)) {
        seen.add(self);
        ArrayPrototypePush(out, withFileTypes ? direntOf(start, st) : self);
      }
    }
    visit(start, g.prefix, 0);
  }
  return out;
}

/** `fs.glob(pattern[, options], callback)`. */
export function glob(pattern, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' ? undefined : options;
  if (typeof cb !== 'function') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_TYPE',
      'The "callback" argument must be of type function.',
    );
  }
  let result;
  try {
    result = globSync(pattern, opts);
  } catch (err) {
    nextTick(cb, err);
    return;
  }
  nextTick(cb, null, result);
}

/** `fs.promises.glob(pattern[, options])`: an async iterator of the matches. */
export async function* globIterator(pattern, options = undefined) {
  const found = await new PromiseCtor((resolve, reject) => {
    try {
      resolve(globSync(pattern, options));
    } catch (err) {
      reject(err);
    }
  });
  for (let i = 0; i < found.length; i++) yield found[i];
}
