// 40_path.js: the `path` builtin (posix; win32 is the lazy internal__path_win32.js; Node's algorithms), also used by the loader and fs.
//
// `pathResolve` resolves against `process.cwd()` of the exec (a guest path).

// Defines a data property without running setters the guest may have put on prototypes.

import {
  ArrayIsArray,
  ObjectDefineProperty,
  StringPrototypeCharCodeAt,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import { makeInvalidArgType } from './06_errors.js';
import { loadLazyBuiltin } from './49_lazy.js';

export function nodeSet(obj, key, value) {
  ObjectDefineProperty(obj, key, {
    __proto__: null,
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

export function pathValidateString(value, name) {
  if (typeof value !== 'string') throw makeInvalidArgType(name, 'string', value);
}

function pathIsPosixSeparator(code) {
  return code === 47;
}

// Resolves `.` and `..` in `path` (no leading slash handling); Node's normalizeString, for
// posix (`/`) and, from the lazy win32 module, for win32 (`\\`, either slash a separator).
export function pathNormalizeString(path, allowAboveRoot, separator, isSeparator) {
  let res = '';
  let lastSegmentLength = 0;
  let lastSlash = -1;
  let dots = 0;
  let code = 0;
  for (let i = 0; i <= path.length; ++i) {
    if (i < path.length) code = StringPrototypeCharCodeAt(path, i);
    else if (isSeparator(code)) break;
    else code = 47;
    if (isSeparator(code)) {
      if (lastSlash === i - 1 || dots === 1) {
        // NOOP
      } else if (dots === 2) {
        if (
          res.length < 2 ||
          lastSegmentLength !== 2 ||
          StringPrototypeCharCodeAt(res, res.length - 1) !== 46 ||
          StringPrototypeCharCodeAt(res, res.length - 2) !== 46
        ) {
          if (res.length > 2) {
            const lastSlashIndex = StringPrototypeLastIndexOf(res, separator);
            if (lastSlashIndex === -1) {
              res = '';
              lastSegmentLength = 0;
            } else {
              res = StringPrototypeSlice(res, 0, lastSlashIndex);
              lastSegmentLength = res.length - 1 - StringPrototypeLastIndexOf(res, separator);
            }
            lastSlash = i;
            dots = 0;
            continue;
          } else if (res.length !== 0) {
            res = '';
            lastSegmentLength = 0;
            lastSlash = i;
            dots = 0;
            continue;
          }
        }
        if (allowAboveRoot) {
          res += res.length > 0 ? `${separator}..` : '..';
          lastSegmentLength = 2;
        }
      } else {
        if (res.length > 0) res += `${separator}${StringPrototypeSlice(path, lastSlash + 1, i)}`;
        else res = StringPrototypeSlice(path, lastSlash + 1, i);
        lastSegmentLength = i - lastSlash - 1;
      }
      lastSlash = i;
      dots = 0;
    } else if (code === 46 && dots !== -1) {
      ++dots;
    } else {
      dots = -1;
    }
  }
  return res;
}

// The exec's working directory (a guest path), set by `start`; `process.cwd()` returns the same.
let execCwd = '/';

export function pathCwd() {
  return execCwd;
}

export function setExecCwd(cwd) {
  execCwd = cwd;
}

// path.resolve over an internal list of strings.
function pathResolveList(args) {
  let resolvedPath = '';
  let resolvedAbsolute = false;
  for (let i = args.length - 1; i >= -1 && !resolvedAbsolute; i--) {
    const path = i >= 0 ? args[i] : pathCwd();
    pathValidateString(path, `paths[${i}]`);
    if (path.length === 0) continue;
    resolvedPath = `${path}/${resolvedPath}`;
    resolvedAbsolute = StringPrototypeCharCodeAt(path, 0) === 47;
  }
  resolvedPath = pathNormalizeString(resolvedPath, !resolvedAbsolute, '/', pathIsPosixSeparator);
  if (resolvedAbsolute) return `/${resolvedPath}`;
  return resolvedPath.length > 0 ? resolvedPath : '.';
}

export function pathResolve(a, b) {
  const list = newList();
  listPush(list, a);
  if (b !== undefined) listPush(list, b);
  return pathResolveList(list);
}

export function pathNormalize(path) {
  pathValidateString(path, 'path');
  if (path.length === 0) return '.';
  const isAbsolute = StringPrototypeCharCodeAt(path, 0) === 47;
  const trailingSeparator = StringPrototypeCharCodeAt(path, path.length - 1) === 47;
  path = pathNormalizeString(path, !isAbsolute, '/', pathIsPosixSeparator);
  if (path.length === 0) {
    if (isAbsolute) return '/';
    return trailingSeparator ? './' : '.';
  }
  if (trailingSeparator) path += '/';
  return isAbsolute ? `/${path}` : path;
}

export function pathIsAbsolute(path) {
  pathValidateString(path, 'path');
  return path.length > 0 && StringPrototypeCharCodeAt(path, 0) === 47;
}

export function pathJoinList(args) {
  if (args.length === 0) return '.';
  let joined;
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    pathValidateString(arg, 'path');
    if (arg.length > 0) {
      if (joined === undefined) joined = arg;
      else joined += `/${arg}`;
    }
  }
  if (joined === undefined) return '.';
  return pathNormalize(joined);
}

export function pathRelative(from, to) {
  pathValidateString(from, 'from');
  pathValidateString(to, 'to');
  if (from === to) return '';
  from = pathResolve(from);
  to = pathResolve(to);
  if (from === to) return '';
  const fromStart = 1;
  const fromEnd = from.length;
  const fromLen = fromEnd - fromStart;
  const toStart = 1;
  const toLen = to.length - toStart;
  const length = fromLen < toLen ? fromLen : toLen;
  let lastCommonSep = -1;
  let i = 0;
  for (; i < length; i++) {
    const fromCode = StringPrototypeCharCodeAt(from, fromStart + i);
    if (fromCode !== StringPrototypeCharCodeAt(to, toStart + i)) break;
    else if (fromCode === 47) lastCommonSep = i;
  }
  if (i === length) {
    if (toLen > length) {
      if (StringPrototypeCharCodeAt(to, toStart + i) === 47) {
        return StringPrototypeSlice(to, toStart + i + 1);
      }
      if (i === 0) return StringPrototypeSlice(to, toStart + i);
    } else if (fromLen > length) {
      if (StringPrototypeCharCodeAt(from, fromStart + i) === 47) lastCommonSep = i;
      else if (i === 0) lastCommonSep = 0;
    }
  }
  let out = '';
  for (i = fromStart + lastCommonSep + 1; i <= fromEnd; ++i) {
    if (i === fromEnd || StringPrototypeCharCodeAt(from, i) === 47) {
      out += out.length === 0 ? '..' : '/..';
    }
  }
  return `${out}${StringPrototypeSlice(to, toStart + lastCommonSep)}`;
}

export function pathDirname(path) {
  pathValidateString(path, 'path');
  if (path.length === 0) return '.';
  const hasRoot = StringPrototypeCharCodeAt(path, 0) === 47;
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; --i) {
    if (StringPrototypeCharCodeAt(path, i) === 47) {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else {
      matchedSlash = false;
    }
  }
  if (end === -1) return hasRoot ? '/' : '.';
  if (hasRoot && end === 1) return '//';
  return StringPrototypeSlice(path, 0, end);
}

export function pathBasename(path, suffix) {
  if (suffix !== undefined) pathValidateString(suffix, 'suffix');
  pathValidateString(path, 'path');
  let start = 0;
  let end = -1;
  let matchedSlash = true;
  if (suffix !== undefined && suffix.length > 0 && suffix.length <= path.length) {
    if (suffix === path) return '';
    let extIdx = suffix.length - 1;
    let firstNonSlashEnd = -1;
    for (let i = path.length - 1; i >= 0; --i) {
      const code = StringPrototypeCharCodeAt(path, i);
      if (code === 47) {
        if (!matchedSlash) {
          start = i + 1;
          break;
        }
      } else {
        if (firstNonSlashEnd === -1) {
          matchedSlash = false;
          firstNonSlashEnd = i + 1;
        }
        if (extIdx >= 0) {
          if (code === StringPrototypeCharCodeAt(suffix, extIdx)) {
            if (--extIdx === -1) end = i;
          } else {
            extIdx = -1;
            end = firstNonSlashEnd;
          }
        }
      }
    }
    if (start === end) end = firstNonSlashEnd;
    else if (end === -1) end = path.length;
    return StringPrototypeSlice(path, start, end);
  }
  for (let i = path.length - 1; i >= 0; --i) {
    if (StringPrototypeCharCodeAt(path, i) === 47) {
      if (!matchedSlash) {
        start = i + 1;
        break;
      }
    } else if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
  }
  if (end === -1) return '';
  return StringPrototypeSlice(path, start, end);
}

function pathExtname(path) {
  pathValidateString(path, 'path');
  let startDot = -1;
  let startPart = 0;
  let end = -1;
  let matchedSlash = true;
  let preDotState = 0;
  for (let i = path.length - 1; i >= 0; --i) {
    const code = StringPrototypeCharCodeAt(path, i);
    if (code === 47) {
      if (!matchedSlash) {
        startPart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
    if (code === 46) {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }
  if (
    startDot === -1 ||
    end === -1 ||
    preDotState === 0 ||
    (preDotState === 1 && startDot === end - 1 && startDot === startPart + 1)
  ) {
    return '';
  }
  return StringPrototypeSlice(path, startDot, end);
}

export function pathFormat(sep, pathObject) {
  if (pathObject === null || typeof pathObject !== 'object' || ArrayIsArray(pathObject)) {
    throw makeInvalidArgType('pathObject', 'object', pathObject);
  }
  const dir = pathObject.dir || pathObject.root;
  let base = pathObject.base;
  if (!base) {
    const ext = pathObject.ext;
    base = `${pathObject.name || ''}${ext ? (StringPrototypeCharCodeAt(`${ext}`, 0) === 46 ? ext : `.${ext}`) : ''}`;
  }
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}${sep}${base}`;
}

function pathParse(path) {
  pathValidateString(path, 'path');
  const ret = { root: '', dir: '', base: '', ext: '', name: '' };
  if (path.length === 0) return ret;
  const isAbsolute = StringPrototypeCharCodeAt(path, 0) === 47;
  let start;
  if (isAbsolute) {
    ret.root = '/';
    start = 1;
  } else {
    start = 0;
  }
  let startDot = -1;
  let startPart = 0;
  let end = -1;
  let matchedSlash = true;
  let i = path.length - 1;
  let preDotState = 0;
  for (; i >= start; --i) {
    const code = StringPrototypeCharCodeAt(path, i);
    if (code === 47) {
      if (!matchedSlash) {
        startPart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) {
      matchedSlash = false;
      end = i + 1;
    }
    if (code === 46) {
      if (startDot === -1) startDot = i;
      else if (preDotState !== 1) preDotState = 1;
    } else if (startDot !== -1) {
      preDotState = -1;
    }
  }
  if (end !== -1) {
    const start2 = startPart === 0 && isAbsolute ? 1 : startPart;
    if (
      startDot === -1 ||
      preDotState === 0 ||
      (preDotState === 1 && startDot === end - 1 && startDot === startPart + 1)
    ) {
      ret.base = ret.name = StringPrototypeSlice(path, start2, end);
    } else {
      ret.name = StringPrototypeSlice(path, start2, startDot);
      ret.base = StringPrototypeSlice(path, start2, end);
      ret.ext = StringPrototypeSlice(path, startDot, end);
    }
  }
  if (startPart > 0) ret.dir = StringPrototypeSlice(path, 0, startPart - 1);
  else if (isAbsolute) ret.dir = '/';
  return ret;
}

function pathToNamespacedPath(path) {
  return path;
}

// The guest-visible module object (made once per exec, on first require).
export function createPathModule() {
  const posix = {
    resolve: function resolve(...args) {
      return pathResolveList(args);
    },
    normalize: function normalize(path) {
      return pathNormalize(path);
    },
    isAbsolute: function isAbsolute(path) {
      return pathIsAbsolute(path);
    },
    join: function join(...args) {
      return pathJoinList(args);
    },
    relative: function relative(from, to) {
      return pathRelative(from, to);
    },
    toNamespacedPath: function toNamespacedPath(path) {
      return pathToNamespacedPath(path);
    },
    dirname: function dirname(path) {
      return pathDirname(path);
    },
    basename: function basename(path, suffix) {
      return pathBasename(path, suffix);
    },
    extname: function extname(path) {
      return pathExtname(path);
    },
    format: function format(pathObject) {
      return pathFormat('/', pathObject);
    },
    parse: function parse(path) {
      return pathParse(path);
    },
    matchesGlob: function matchesGlob(path, pattern) {
      return loadLazyBuiltin('internal/glob').matchesGlob(path, pattern);
    },
    sep: '/',
    delimiter: ':',
    win32: undefined,
    posix: undefined,
    _makeLong: pathToNamespacedPath,
  };
  posix.posix = posix;
  // path.win32 loads on first use (internal__path_win32.js), its `posix` this module.
  ObjectDefineProperty(posix, 'win32', {
    __proto__: null,
    get() {
      const win32 = loadLazyBuiltin('internal/path_win32').win32;
      win32.posix = posix;
      nodeSet(posix, 'win32', win32);
      return win32;
    },
    set(value) {
      nodeSet(posix, 'win32', value);
    },
    enumerable: true,
    configurable: true,
  });
  return posix;
}
