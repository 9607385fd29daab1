// lib/internal__fs_extra.js: the parts of `fs` loaded on first use: stat with `{ bigint: true }`
// (BigIntStats), cp/cpSync (recursive, over the sync primitives), opendir and fs.Dir.

import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  BigIntCtor,
  DateCtor,
  ErrorCtor,
  NumberCtor,
  NumberIsInteger,
  ObjectSetPrototypeOf,
  PromiseCtor,
  RangeErrorCtor,
  StringPrototypeStartsWith,
  SymbolAsyncDispose,
  SymbolAsyncIterator,
  SymbolDispose,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import {
  nodeSet,
  pathDirname,
  pathIsAbsolute,
  pathJoinList,
  pathRelative,
  pathResolve,
} from '../js/40_path.js';
import { fsAbs, fsFail, fsIsErr, fsPathArg, fsStatRaw } from '../js/41_fs_core.js';
import { FS_S_IFDIR, FS_S_IFMT, fsModeOf, Stats } from '../js/43_fs_stats.js';
import { fsCopyFileSync, fsLstatSync, fsStatSync } from '../js/44_fs_files.js';
import {
  fsMkdirSync,
  fsReaddirSync,
  fsReadlinkSync,
  fsRmSync,
  fsSymlinkSync,
} from '../js/45_fs_dirs.js';
import { fsSetTimes } from '../js/46_fs.js';
import { missingArgs } from './internal__web_errors.js';

// ---- BigIntStats ----

export function BigIntStats(st) {
  const synthetic = st === 'synthetic';
  const ns = (i) => (synthetic ? 0n : BigIntCtor(st[i]));
  const ms = (v) => v / 1000000n;
  const size = synthetic ? 4096n : BigIntCtor(st[4]);
  nodeSet(this, 'dev', synthetic ? 0n : BigIntCtor(st[0]));
  nodeSet(this, 'mode', BigIntCtor(synthetic ? FS_S_IFDIR | 0o555 : fsModeOf(st[2], st[8])));
  nodeSet(this, 'nlink', synthetic ? 1n : BigIntCtor(st[3]));
  nodeSet(this, 'uid', 0n);
  nodeSet(this, 'gid', 0n);
  nodeSet(this, 'rdev', 0n);
  nodeSet(this, 'blksize', 4096n);
  nodeSet(this, 'ino', synthetic ? 0n : BigIntCtor(st[1]));
  nodeSet(this, 'size', size);
  nodeSet(this, 'blocks', (size + 511n) / 512n);
  nodeSet(this, 'atimeMs', ms(ns(5)));
  nodeSet(this, 'mtimeMs', ms(ns(6)));
  nodeSet(this, 'ctimeMs', ms(ns(7)));
  nodeSet(this, 'birthtimeMs', ms(ns(7)));
  nodeSet(this, 'atimeNs', ns(5));
  nodeSet(this, 'mtimeNs', ns(6));
  nodeSet(this, 'ctimeNs', ns(7));
  nodeSet(this, 'birthtimeNs', ns(7));
  nodeSet(this, 'atime', new DateCtor(NumberCtor(ms(ns(5)))));
  nodeSet(this, 'mtime', new DateCtor(NumberCtor(ms(ns(6)))));
  nodeSet(this, 'ctime', new DateCtor(NumberCtor(ms(ns(7)))));
  nodeSet(this, 'birthtime', new DateCtor(NumberCtor(ms(ns(7)))));
}
ObjectSetPrototypeOf(BigIntStats.prototype, Stats.prototype);
{
  const kinds = [
    ['isFile', 0o100000],
    ['isDirectory', 0o040000],
    ['isSymbolicLink', 0o120000],
    ['isBlockDevice', 0o060000],
    ['isCharacterDevice', 0o020000],
    ['isFIFO', 0o010000],
    ['isSocket', 0o140000],
  ];
  for (let i = 0; i < kinds.length; i++) {
    const bits = BigIntCtor(kinds[i][1]);
    BigIntStats.prototype[kinds[i][0]] = function () {
      return (this.mode & BigIntCtor(FS_S_IFMT)) === bits;
    };
  }
}

/** The BigIntStats of `path` (stat or lstat). */
export function bigintStat(path, follow, throwIfNoEntry) {
  path = fsPathArg(path);
  const st = fsStatRaw(fsAbs(path), follow);
  if (fsIsErr(st)) {
    if (throwIfNoEntry === false && (st === -44 || st === -54)) return undefined;
    fsFail(-st, follow ? 'stat' : 'lstat', path);
  }
  return new BigIntStats(st);
}

// ---- cp ----

function cpError(code, message) {
  const err = makeNodeError(ErrorCtor, code, message);
  return err;
}

const CP_FLAGS = [
  'dereference',
  'errorOnExist',
  'force',
  'preserveTimestamps',
  'recursive',
  'verbatimSymlinks',
];

/** Node's validateCpOptions: an object of booleans, a copyfile mode 0..7, a filter function. */
function cpOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw makeInvalidArgType('options', 'object', options);
  for (let i = 0; i < CP_FLAGS.length; i++) {
    const v = options[CP_FLAGS[i]];
    if (v !== undefined && typeof v !== 'boolean') {
      throw makeInvalidArgType(`options.${CP_FLAGS[i]}`, 'boolean', v);
    }
  }
  if (options.dereference === true && options.verbatimSymlinks === true) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INCOMPATIBLE_OPTION_PAIR',
      'Option "dereference" cannot be used in combination with option "verbatimSymlinks"',
    );
  }
  const mode = options.mode;
  if (mode !== undefined && mode !== null) {
    if (typeof mode !== 'number') throw makeInvalidArgType('mode', 'integer', mode);
    if (!NumberIsInteger(mode) || mode < 0 || mode > 7) {
      throw makeNodeError(
        RangeErrorCtor,
        'ERR_OUT_OF_RANGE',
        `The value of "mode" is out of range. It must be an integer >= 0 && <= 7. Received ${mode}`,
      );
    }
  }
  if (options.filter !== undefined && typeof options.filter !== 'function') {
    throw makeInvalidArgType('options.filter', 'function', options.filter);
  }
  return options;
}

export function cpSync(src, dest, options = undefined) {
  const opts = cpOptions(options);
  src = fsPathArg(src, 'src');
  dest = fsPathArg(dest, 'dest');
  const srcAbs = pathResolve(src);
  const destAbs = pathResolve(dest);
  if (srcAbs === destAbs) {
    throw cpError(
      'ERR_FS_CP_EINVAL',
      `Invalid src or dest: cp returned EINVAL (src and dest cannot be the same) ${destAbs}`,
    );
  }
  const st = opts.dereference ? fsStatSync(src) : fsLstatSync(src);
  const destSt = fsLstatSync(dest, { throwIfNoEntry: false });
  if (st.isDirectory() && destSt !== undefined && !destSt.isDirectory()) {
    throw cpError(
      'ERR_FS_CP_DIR_TO_NON_DIR',
      `Cannot overwrite non-directory with directory: cp returned ENOTDIR (cannot overwrite non-directory ${dest} with directory ${src}) ${dest}`,
    );
  }
  if (st.isDirectory()) {
    if (StringPrototypeStartsWith(`${destAbs}/`, `${srcAbs}/`)) {
      throw cpError(
        'ERR_FS_CP_EINVAL',
        `Invalid src or dest: cp returned EINVAL (cannot copy ${src} to a subdirectory of self ${dest}) ${dest}`,
      );
    }
    if (!opts.recursive) {
      throw cpError(
        'ERR_FS_EISDIR',
        `Recursive option is required to copy a directory: cp returned EISDIR (${src} is a directory (not copied)) ${src}`,
      );
    }
  }
  // As Node: the destination's parent is made first.
  const parent = pathDirname(destAbs);
  if (fsLstatSync(parent, { throwIfNoEntry: false }) === undefined) {
    fsMkdirSync(parent, { recursive: true });
  }
  copyEntry(srcAbs, destAbs, st, {
    force: opts.force !== false,
    errorOnExist: !!opts.errorOnExist,
    filter: opts.filter,
    recursive: !!opts.recursive,
    dereference: !!opts.dereference,
    verbatimSymlinks: !!opts.verbatimSymlinks,
    preserveTimestamps: !!opts.preserveTimestamps,
  });
}

function copyEntry(src, dest, st, opts) {
  if (typeof opts.filter === 'function' && !opts.filter(src, dest)) return;
  if (st.isDirectory()) {
    fsMkdirSync(dest, { recursive: true });
    const names = fsReaddirSync(src);
    for (let i = 0; i < names.length; i++) {
      const from = pathJoinList([src, names[i]]);
      copyEntry(from, pathJoinList([dest, names[i]]), fsLstatSync(from), opts);
    }
    return;
  }
  const special = specialFileError(st, dest);
  if (special !== undefined) throw special;
  const existing = fsLstatSync(dest, { throwIfNoEntry: false });
  if (existing !== undefined) {
    if (!opts.force) {
      if (opts.errorOnExist) {
        throw cpError(
          'ERR_FS_CP_EEXIST',
          `Target already exists: cp returned EEXIST (${dest} already exists) ${dest}`,
        );
      }
      return;
    }
    if (existing.isDirectory()) {
      throw cpError(
        'ERR_FS_CP_NON_DIR_TO_DIR',
        `Cannot overwrite directory with non-directory: cp returned EISDIR (cannot overwrite directory ${dest} with non-directory ${src}) ${dest}`,
      );
    }
    fsRmSync(dest);
  }
  if (st.isSymbolicLink() && !opts.dereference) {
    // Node makes a relative target absolute (resolved from the source link's folder); the
    // sandbox refuses absolute link targets, so the copy points at the same file relatively.
    let target = fsReadlinkSync(src);
    if (!opts.verbatimSymlinks && !pathIsAbsolute(target)) {
      target = pathRelative(pathDirname(dest), pathResolve(pathDirname(src), target));
    }
    fsSymlinkSync(target, dest);
  } else {
    fsCopyFileSync(src, dest);
    if (opts.preserveTimestamps) fsSetTimes(dest, st.atime, st.mtime, 'utime', true);
  }
}

/** Node's refusal to copy a socket or a FIFO: a SystemError (`cp`, EINVAL), or undefined. */
function specialFileError(st, dest) {
  let kind;
  if (st.isSocket()) kind = ['ERR_FS_CP_SOCKET', 'a socket file'];
  else if (st.isFIFO()) kind = ['ERR_FS_CP_FIFO_PIPE', 'a FIFO pipe'];
  else return undefined;
  const detail = `cannot copy ${kind[1]}: ${dest}`;
  const err = cpError(kind[0], `Cannot copy ${kind[1]}: cp returned EINVAL (${detail}) ${dest}`);
  err.errno = 22;
  err.syscall = 'cp';
  err.path = dest;
  return err;
}

// ---- opendir / Dir ----

export class Dir {
  #path;
  #entries;
  #closed = false;

  constructor(path, entries) {
    // Node's Dir takes a native handle first: without one it is ERR_MISSING_ARGS.
    if (!path) throw missingArgs('handle');
    this.#path = path;
    this.#entries = entries;
  }

  get path() {
    return this.#path;
  }

  #check() {
    if (this.#closed)
      throw makeNodeError(ErrorCtor, 'ERR_DIR_CLOSED', 'Directory handle was closed');
  }

  readSync() {
    this.#check();
    return this.#entries.length > 0 ? ArrayPrototypeShift(this.#entries) : null;
  }

  read(callback) {
    if (callback === undefined) {
      return new PromiseCtor((resolve, reject) => {
        try {
          resolve(this.readSync());
        } catch (e) {
          reject(e);
        }
      });
    }
    if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'function', callback);
    let entry;
    try {
      entry = this.readSync();
    } catch (e) {
      setImmediate(callback, e);
      return undefined;
    }
    setImmediate(callback, null, entry);
    return undefined;
  }

  closeSync() {
    this.#check();
    this.#closed = true;
  }

  close(callback) {
    if (callback === undefined) {
      return new PromiseCtor((resolve, reject) => {
        try {
          resolve(this.closeSync());
        } catch (e) {
          reject(e);
        }
      });
    }
    let err = null;
    try {
      this.closeSync();
    } catch (e) {
      err = e;
    }
    setImmediate(callback, err);
    return undefined;
  }

  async *entries() {
    try {
      for (;;) {
        const entry = this.readSync();
        if (entry === null) break;
        yield entry;
      }
    } finally {
      if (!this.#closed) this.closeSync();
    }
  }

  [SymbolAsyncIterator]() {
    return this.entries();
  }

  [SymbolDispose]() {
    if (!this.#closed) this.closeSync();
  }

  // `await using dir = await fs.promises.opendir(...)`: closed (once) when the scope ends.
  async [SymbolAsyncDispose]() {
    if (!this.#closed) this.closeSync();
  }
}

export function opendirSync(path, options = undefined) {
  path = fsPathArg(path);
  const list = fsReaddirSync(path, { withFileTypes: true, recursive: !!options?.recursive });
  const entries = [];
  for (let i = 0; i < list.length; i++) ArrayPrototypePush(entries, list[i]);
  return new Dir(path, entries);
}
