// 44_fs_files.js: the sync API on files and fds: read/write/append whole files, exists, stat,
// access, copy, truncate, open/close/read/write/fstat on the fds fs.openSync returned.

import {
  ArrayBufferIsView,
  ArrayIsArray,
  BigIntCtor,
  bridgeWrite,
  NumberMAX_SAFE_INTEGER,
  NumberParseInt,
  RegExpPrototypeExec,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  uncurryThis,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import {
  makeInvalidArgType,
  makeInvalidArgValue,
  makeNodeError,
  makeOutOfRange,
  validateInteger,
} from './06_errors.js';
import { toUint8View } from './07_encoding.js';
import { stdinReadSync } from './25_stdin.js';
import {
  wasiConcat,
  wasiFdClose,
  wasiFdFilestatGet,
  wasiFdFilestatSetSize,
  wasiFdPread,
  wasiFdPwrite,
  wasiFdRead,
  wasiFdWrite,
} from './30_wasi.js';
import { wasiFdChmod, wasiPathChmod } from './32_wasi_fs.js';
import {
  FS_EACCES,
  FS_EBADF,
  FS_EISDIR,
  FS_ENOENT,
  FS_ENOTDIR,
  FS_EROFS,
  FS_RIGHTS_DIR,
  FS_RIGHTS_READ,
  FS_RIGHTS_WRITE,
  fsAbs,
  fsCheck,
  fsFail,
  fsInvalidate,
  fsIsErr,
  fsLocate,
  fsLocatedFd,
  fsOpenRaw,
  fsPathArg,
  fsReadFailedAt,
  fsReadFd,
  fsReadFileRaw,
  fsRestBytes,
  fsStatRaw,
  fsUmask,
  fsWriteAll,
} from './41_fs_core.js';
import { fsBytesIn, fsBytesOut, fsEncodingOf, fsFlagOf } from './42_fs_bytes.js';
import { fsMakeStats } from './43_fs_stats.js';
import { loadLazyBuiltin } from './49_lazy.js';

const FsBigIntAsUintN = BigInt.asUintN;

export function fsReadFileSync(path, options) {
  const encoding = fsEncodingOf(options, undefined);
  if (typeof path === 'number') {
    const fd = fsUserFd(path);
    const data = fd === 0 ? fsReadStdin() : fsCheck(fsReadFd(fd), 'read');
    return fsBytesOut(data, encoding);
  }
  path = fsPathArg(path);
  const abs = fsAbs(path);
  if (abs === '/dev/stdin' || abs === '/dev/fd/0') return fsBytesOut(fsReadStdin(), encoding);
  const data = fsReadFileRaw(abs);
  if (fsIsErr(data)) {
    if (fsReadFailedAt() === 'open') fsFail(-data, 'open', path);
    fsFail(-data, 'read');
  }
  return fsBytesOut(data, encoding);
}

// oflags/fdflags for a Node flag string.
const FS_OCTAL = /^[0-7]+$/;

/** Node's parseFileMode: a uint32, or an octal string. */
export function fsModeArg(mode) {
  if (typeof mode === 'string') {
    if (RegExpPrototypeExec(FS_OCTAL, mode) === null) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'mode' must be a 32-bit unsigned integer or an octal string. Received '${mode}'`,
      );
    }
    return NumberParseInt(mode, 8);
  }
  validateInteger(mode, 'mode', 0, 4294967295);
  return mode;
}

function fsParseFlags(flags) {
  if (typeof flags === 'number') {
    validateInteger(flags, 'flags', -2147483648, 2147483647);
    let oflags = 0;
    let fdflags = 0;
    if (flags & 0o100) oflags |= 1;
    if (flags & 0o200) oflags |= 4;
    if (flags & 0o1000) oflags |= 8;
    if (flags & 0o200000) oflags |= 2;
    if (flags & 0o2000) fdflags |= 1;
    const acc = flags & 3;
    return { __proto__: null, oflags, fdflags, read: acc !== 1, write: acc !== 0 };
  }
  switch (`${flags}`) {
    case 'r':
    case 'rs':
    case 'sr':
      return { __proto__: null, oflags: 0, fdflags: 0, read: true, write: false };
    case 'r+':
    case 'rs+':
    case 'sr+':
      return { __proto__: null, oflags: 0, fdflags: 0, read: true, write: true };
    case 'w':
      return { __proto__: null, oflags: 1 | 8, fdflags: 0, read: false, write: true };
    case 'wx':
    case 'xw':
      return { __proto__: null, oflags: 1 | 4 | 8, fdflags: 0, read: false, write: true };
    case 'w+':
      return { __proto__: null, oflags: 1 | 8, fdflags: 0, read: true, write: true };
    case 'wx+':
    case 'xw+':
      return { __proto__: null, oflags: 1 | 4 | 8, fdflags: 0, read: true, write: true };
    case 'a':
    case 'as':
    case 'sa':
      return { __proto__: null, oflags: 1, fdflags: 1, read: false, write: true };
    case 'ax':
    case 'xa':
      return { __proto__: null, oflags: 1 | 4, fdflags: 1, read: false, write: true };
    case 'a+':
    case 'as+':
    case 'sa+':
      return { __proto__: null, oflags: 1, fdflags: 1, read: true, write: true };
    case 'ax+':
    case 'xa+':
      return { __proto__: null, oflags: 1 | 4, fdflags: 1, read: true, write: true };
    default:
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'flags' is invalid. Received ${inspect(flags)}`,
      );
  }
}

function fsRightsOf(f) {
  let rights = FS_RIGHTS_READ;
  if (f.write) rights |= FS_RIGHTS_WRITE;
  if (!f.read) rights &= ~(1n << 1n);
  return rights;
}

function fsWriteFileImpl(path, data, options, defaultFlag) {
  const encoding = fsEncodingOf(options, 'utf8');
  const bytes = fsBytesIn(data, encoding);
  if (typeof path === 'number') {
    if ((path === 1 || path === 2) && !SetPrototypeHas(fsClosedStdio, path)) {
      bridgeWrite(path, bytes);
      return;
    }
    fsCheck(fsWriteAll(fsUserFd(path), bytes), 'write');
    return;
  }
  path = fsPathArg(path);
  const f = fsParseFlags(fsFlagOf(options, defaultFlag));
  const abs = fsAbs(path);
  fsInvalidate();
  const mode = options !== null && typeof options === 'object' ? options.mode : undefined;
  const fd = fsCheck(fsOpenCreating(abs, f, mode), 'open', path);
  const r = fsWriteAll(fd, bytes);
  wasiFdClose(fd);
  fsCheck(r, 'write', path);
}

export function fsWriteFileSync(path, data, options) {
  fsWriteFileImpl(path, data, options, 'w');
}

export function fsAppendFileSync(path, data, options) {
  fsWriteFileImpl(path, data, options, 'a');
}

export function fsExistsSync(path) {
  try {
    path = fsPathArg(path);
  } catch {
    return false;
  }
  const st = fsStatRaw(fsAbs(path), true);
  return !fsIsErr(st);
}

function fsStatImpl(path, options, follow, syscall) {
  if (options !== null && typeof options === 'object' && options.bigint) {
    return loadLazyBuiltin('internal/fs_extra').bigintStat(path, follow, options.throwIfNoEntry);
  }
  path = fsPathArg(path);
  const st = fsStatRaw(fsAbs(path), follow);
  if (fsIsErr(st)) {
    if (
      options !== null &&
      typeof options === 'object' &&
      options.throwIfNoEntry === false &&
      (st === -FS_ENOENT || st === -FS_ENOTDIR)
    ) {
      return undefined;
    }
    fsFail(-st, syscall, path);
  }
  return fsMakeStats(st);
}

export function fsStatSync(path, options) {
  return fsStatImpl(path, options, true, 'stat');
}

export function fsLstatSync(path, options) {
  return fsStatImpl(path, options, false, 'lstat');
}

export function fsCopyFileSync(src, dest, mode) {
  src = fsPathArg(src, 'src');
  dest = fsPathArg(dest, 'dest');
  const data = fsCheck(fsReadFileRaw(fsAbs(src)), 'copyfile', src, dest);
  fsInvalidate();
  const excl = typeof mode === 'number' && (mode & 1) !== 0;
  const fd = fsCheck(
    fsOpenRaw(fsAbs(dest), excl ? 1 | 4 | 8 : 1 | 8, FS_RIGHTS_WRITE, 0),
    'copyfile',
    src,
    dest,
  );
  const r = fsWriteAll(fd, data);
  wasiFdClose(fd);
  fsCheck(r, 'copyfile', src, dest);
}

// The guest is root: as access(2) says for root, reading and writing are allowed (but not
// writing the synthetic directories), and running is allowed on a directory or on a file with
// an `x` bit for anyone.
export function fsAccessSync(path, mode) {
  path = fsPathArg(path);
  const abs = fsAbs(path);
  const st = fsCheck(fsStatRaw(abs, true), 'access', path);
  if (typeof mode !== 'number') return;
  if ((mode & 2) !== 0 && st === 'synthetic') fsFail(FS_EROFS, 'access', path);
  if ((mode & 1) !== 0 && st !== 'synthetic' && st[2] !== 3 && (st[8] & 0o111) === 0) {
    fsFail(FS_EACCES, 'access', path);
  }
}

// All of stdin, read synchronously (what process.stdin holds first; also `node -`'s program).
export function fsReadStdin() {
  const parts = newList();
  for (;;) {
    const chunk = fsCheck(stdinReadSync(FS_STDIN_CHUNK), 'read');
    if (TypedArrayPrototypeGetLength(chunk) === 0) return wasiConcat(parts);
    listPush(parts, chunk);
  }
}

const FS_STDIN_CHUNK = 64 * 1024;

// fds the guest opened through fs.openSync (only these and stdio may be used or closed by
// number: `fs.readFileSync(0)` reads the exec's stdin).
const fsUserFds = new SetCtor();
const FsSetPrototypeDelete = uncurryThis(Set.prototype.delete);
const fsClosedStdio = new SetCtor();

// Node's validateInt32(fd, 'fd', 0): the type first, then integer, then range.
function fsUserFd(fd, syscall = 'read') {
  validateInteger(fd, 'fd', 0, 2147483647);
  const stdio = fd <= 2 && !SetPrototypeHas(fsClosedStdio, fd);
  if (!stdio && !SetPrototypeHas(fsUserFds, fd)) fsFail(FS_EBADF, syscall);
  return fd;
}

// WASI oflags CREAT.
const FS_O_CREAT = 1;

// The bits a file created with `mode` gets, or undefined where the host's own creation gives
// them already (0o644: 0o666 less the usual umask, Node's default).
function fsCreateBits(mode) {
  if (mode === undefined || mode === null) mode = 0o666;
  const bits = fsModeArg(mode) & 0o777 & ~fsUmask();
  return bits === 0o644 ? undefined : bits;
}

// Opens `abs` as parsed flags `f` say; a file it creates gets `mode` less the umask (WASI's
// open has no mode: it is set after, only on a file that did not exist before).
function fsOpenCreating(abs, f, mode) {
  const bits = (f.oflags & FS_O_CREAT) !== 0 ? fsCreateBits(mode) : undefined;
  const existed = bits !== undefined && !fsIsErr(fsStatRaw(abs, true));
  const fd = fsOpenRaw(abs, f.oflags, fsRightsOf(f), f.fdflags);
  if (bits !== undefined && !existed && !fsIsErr(fd)) wasiFdChmod(fd, bits);
  return fd;
}

export function fsOpenSync(path, flags = 'r', mode) {
  path = fsPathArg(path);
  if (mode !== undefined && mode !== null) fsModeArg(mode);
  const f = fsParseFlags(flags === null ? 'r' : flags);
  const abs = fsAbs(path);
  if (f.oflags !== 0) fsInvalidate();
  let fd = fsOpenCreating(abs, f, mode);
  if (fd === -FS_EISDIR && !f.write) fd = fsOpenRaw(abs, 2, FS_RIGHTS_DIR, 0);
  fsCheck(fd, 'open', path);
  SetPrototypeAdd(fsUserFds, fd);
  return fd;
}

export function fsCloseSync(fd) {
  fsUserFd(fd, 'close');
  FsSetPrototypeDelete(fsUserFds, fd);
  if (fd <= 2) SetPrototypeAdd(fsClosedStdio, fd);
  fsCheck(wasiFdClose(fd), 'close');
}

function fsBufferArgs(buffer, offsetOrOptions, length, position) {
  if (!ArrayBufferIsView(buffer)) {
    throw makeInvalidArgType('buffer', 'an instance of Buffer, TypedArray, or DataView', buffer);
  }
  const view = toUint8View(buffer);
  let offset = offsetOrOptions;
  if (offset !== null && typeof offset === 'object') {
    length = offset.length;
    position = offset.position;
    offset = offset.offset;
  }
  const total = TypedArrayPrototypeGetLength(view);
  offset = offset === undefined || offset === null ? 0 : offset;
  if (typeof offset !== 'number' || offset < 0 || offset > total)
    throw makeOutOfRange('offset', `>= 0 && <= ${total}`, offset);
  if (length === undefined || length === null) length = total - offset;
  if (typeof length !== 'number' || length < 0 || offset + length > total) {
    throw makeOutOfRange('length', `>= 0 && <= ${total - offset}`, length);
  }
  return { __proto__: null, view, offset, length, position };
}

/** Node 22's readSync arguments: `(buffer, offset, length, position)` or `(buffer[, options])`,
 * checked in Node's order and words. */
function fsReadArgs(argc, buffer, offsetOrOptions, length, position) {
  if (!ArrayBufferIsView(buffer)) {
    throw makeInvalidArgType('buffer', 'an instance of Buffer, TypedArray, or DataView', buffer);
  }
  const view = toUint8View(buffer);
  const total = TypedArrayPrototypeGetLength(view);
  let offset = offsetOrOptions;
  if (argc <= 3 || typeof offsetOrOptions === 'object') {
    const o = offsetOrOptions ?? { __proto__: null };
    if (typeof o !== 'object' || ArrayIsArray(o)) {
      throw makeInvalidArgType('options', 'object', offsetOrOptions);
    }
    offset = o.offset === undefined ? 0 : o.offset;
    length = o.length === undefined ? total - offset : o.length;
    position = o.position === undefined ? null : o.position;
  }
  if (offset === undefined || offset === null) offset = 0;
  else validateInteger(offset, 'offset', 0, NumberMAX_SAFE_INTEGER);
  length |= 0;
  if (length !== 0) {
    if (total === 0) {
      throw makeInvalidArgValue('buffer', buffer, 'is empty and cannot be written');
    }
    if (length < 0) throw makeOutOfRange('length', '>= 0', length);
    if (offset + length > total) throw makeOutOfRange('length', `<= ${total - offset}`, length);
    fsPositionArg(position === undefined || position === null ? -1 : position, length);
  }
  return { __proto__: null, view, offset, length, position };
}

/** Node's validatePosition. */
function fsPositionArg(position, length) {
  if (typeof position === 'number') {
    validateInteger(position, 'position', -1, NumberMAX_SAFE_INTEGER);
  } else if (typeof position === 'bigint') {
    const max = 2n ** 63n - 1n - BigIntCtor(length);
    if (!(position >= -1n && position <= max)) {
      throw makeOutOfRange('position', `>= -1 && <= ${max}`, position);
    }
  } else {
    throw makeInvalidArgType('position', 'bigint or integer', position);
  }
}

export function fsReadSync(fd, buffer, offsetOrOptions, length, position) {
  fsUserFd(fd);
  const a = fsReadArgs(arguments.length, buffer, offsetOrOptions, length, position);
  if (a.length === 0) return 0;
  const pos = a.position;
  const at = (typeof pos === 'bigint' && pos >= 0n) || (typeof pos === 'number' && pos >= 0);
  const data = at
    ? wasiFdPread(fd, a.length, FsBigIntAsUintN(64, BigIntCtor(pos)))
    : fd === 0
      ? stdinReadSync(a.length)
      : wasiFdRead(fd, a.length);
  fsCheck(data, 'read');
  const n = TypedArrayPrototypeGetLength(data);
  TypedArrayPrototypeSet(a.view, data, a.offset);
  return n;
}

export function fsWriteSync(fd, buffer, offsetOrOptions, length, position) {
  let bytes;
  if (typeof buffer === 'string') {
    bytes = fsBytesIn(buffer, typeof length === 'string' ? length : 'utf8', 'buffer');
    position = offsetOrOptions;
  } else {
    const a = fsBufferArgs(buffer, offsetOrOptions, length, position);
    bytes = TypedArrayPrototypeSubarray(a.view, a.offset, a.offset + a.length);
    position = a.position;
  }
  if (fd === 1 || fd === 2) {
    bridgeWrite(fd, bytes);
    return TypedArrayPrototypeGetLength(bytes);
  }
  fsUserFd(fd, 'write');
  if (typeof position === 'bigint' || (typeof position === 'number' && position >= 0)) {
    return fsCheck(wasiFdPwrite(fd, bytes, FsBigIntAsUintN(64, BigIntCtor(position))), 'write');
  }
  return fsCheck(wasiFdWrite(fd, bytes), 'write');
}

export function fsFstatSync(fd) {
  fsUserFd(fd, 'fstat');
  return fsMakeStats(fsCheck(wasiFdFilestatGet(fd), 'fstat'));
}

export function fsTruncateSync(path, len = 0) {
  validateInteger(len, 'len', -NumberMAX_SAFE_INTEGER, NumberMAX_SAFE_INTEGER);
  if (len < 0) len = 0;
  if (typeof path === 'number') {
    fsCheck(wasiFdFilestatSetSize(fsUserFd(path), BigIntCtor(len)), 'ftruncate');
    return;
  }
  path = fsPathArg(path);
  fsInvalidate();
  const fd = fsCheck(fsOpenRaw(fsAbs(path), 0, FS_RIGHTS_WRITE, 0), 'open', path);
  const r = wasiFdFilestatSetSize(fd, BigIntCtor(len));
  wasiFdClose(fd);
  fsCheck(r, 'ftruncate', path);
}

// ---- metadata changes of an fd or a path (chmod, utimes and their f/l forms) ----

// Changes what `byFd(fd)` or `byPath(dirFd, lookupflags, restBytes)` changes (each returns 0 or
// -errno) on fd `target` (`follow` undefined) or on path `target`, following a final symlink
// when `follow`. A missing file is ENOENT even on a read-only mount (which would answer EROFS).
export function fsChangeMeta(target, syscall, follow, byFd, byPath) {
  if (follow === undefined) {
    validateInteger(target, 'fd', 0, 2147483647);
    fsFstatSync(target);
    fsCheck(byFd(target), syscall);
    fsInvalidate();
    return;
  }
  const path = fsPathArg(target);
  if (follow) fsStatSync(path);
  else fsLstatSync(path);
  const abs = fsAbs(path);
  if (!fsLocate(abs)) fsFail(FS_ENOENT, syscall, path);
  fsCheck(byPath(fsLocatedFd(), follow ? 1 : 0, fsRestBytes(abs)), syscall, path);
  fsInvalidate();
}

/** chmod, fchmod, lchmod: real, through the sandbox's chmod (the nine rwx bits). */
export function fsChmod(target, mode, syscall, follow) {
  const bits = fsModeArg(mode) & 0o7777;
  fsChangeMeta(
    target,
    syscall,
    follow,
    (fd) => wasiFdChmod(fd, bits),
    (dir, lookup, rest) => wasiPathChmod(dir, lookup, rest, bits),
  );
}
