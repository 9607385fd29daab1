// 43_fs_stats.js: fs.Stats (from a WASI filestat) and fs.Dirent.

import { MathCeil, NumberCtor, ObjectDefineProperty, SymbolCtor } from './00_primordials.js';
import { nodeSet } from './40_path.js';

const FsDateCtor = Date;

// ---- Stats / Dirent ----

export const FS_S_IFMT = 0o170000;
export const FS_S_IFREG = 0o100000;
export const FS_S_IFDIR = 0o040000;
export const FS_S_IFCHR = 0o020000;
export const FS_S_IFBLK = 0o060000;
export const FS_S_IFIFO = 0o010000;
export const FS_S_IFLNK = 0o120000;
export const FS_S_IFSOCK = 0o140000;

// The mode of a filestat: its type, and the host's permission bits (`bits`, the filestat's
// ninth item) where the sandbox has them; devices and sockets have fixed ones.
export function fsModeOf(filetype, bits) {
  if (bits !== undefined && (filetype === 3 || filetype === 4 || filetype === 7)) {
    return (fsModeOf(filetype) & FS_S_IFMT) | bits;
  }
  switch (filetype) {
    case 1:
      return FS_S_IFBLK | 0o644;
    case 2:
      return FS_S_IFCHR | 0o666;
    case 3:
      return FS_S_IFDIR | 0o755;
    case 4:
      return FS_S_IFREG | 0o644;
    case 5:
    case 6:
      return FS_S_IFSOCK | 0o755;
    case 7:
      return FS_S_IFLNK | 0o777;
    default:
      return 0;
  }
}

function fsNsToMs(ns) {
  return NumberCtor(ns / 1000000n) + NumberCtor(ns % 1000000n) / 1e6;
}

export function Stats(
  dev,
  mode,
  nlink,
  uid,
  gid,
  rdev,
  blksize,
  ino,
  size,
  blocks,
  atimeMs,
  mtimeMs,
  ctimeMs,
  birthtimeMs,
) {
  nodeSet(this, 'dev', dev);
  nodeSet(this, 'mode', mode);
  nodeSet(this, 'nlink', nlink);
  nodeSet(this, 'uid', uid);
  nodeSet(this, 'gid', gid);
  nodeSet(this, 'rdev', rdev);
  nodeSet(this, 'blksize', blksize);
  nodeSet(this, 'ino', ino);
  nodeSet(this, 'size', size);
  nodeSet(this, 'blocks', blocks);
  nodeSet(this, 'atimeMs', atimeMs);
  nodeSet(this, 'mtimeMs', mtimeMs);
  nodeSet(this, 'ctimeMs', ctimeMs);
  nodeSet(this, 'birthtimeMs', birthtimeMs);
  nodeSet(this, 'atime', new FsDateCtor(atimeMs));
  nodeSet(this, 'mtime', new FsDateCtor(mtimeMs));
  nodeSet(this, 'ctime', new FsDateCtor(ctimeMs));
  nodeSet(this, 'birthtime', new FsDateCtor(birthtimeMs));
}

function fsStatsMode(self) {
  return typeof self === 'object' && self !== null ? self.mode & FS_S_IFMT : 0;
}

Stats.prototype.isFile = function isFile() {
  return fsStatsMode(this) === FS_S_IFREG;
};
Stats.prototype.isDirectory = function isDirectory() {
  return fsStatsMode(this) === FS_S_IFDIR;
};
Stats.prototype.isSymbolicLink = function isSymbolicLink() {
  return fsStatsMode(this) === FS_S_IFLNK;
};
Stats.prototype.isBlockDevice = function isBlockDevice() {
  return fsStatsMode(this) === FS_S_IFBLK;
};
Stats.prototype.isCharacterDevice = function isCharacterDevice() {
  return fsStatsMode(this) === FS_S_IFCHR;
};
Stats.prototype.isFIFO = function isFIFO() {
  return fsStatsMode(this) === FS_S_IFIFO;
};
Stats.prototype.isSocket = function isSocket() {
  return fsStatsMode(this) === FS_S_IFSOCK;
};

export function fsMakeStats(st) {
  if (st === 'synthetic') {
    return new Stats(0, FS_S_IFDIR | 0o555, 1, 0, 0, 0, 4096, 0, 4096, 8, 0, 0, 0, 0);
  }
  const size = NumberCtor(st[4]);
  const ctimeMs = fsNsToMs(st[7]);
  return new Stats(
    NumberCtor(st[0]),
    fsModeOf(st[2], st[8]),
    NumberCtor(st[3]),
    0,
    0,
    0,
    4096,
    NumberCtor(st[1]),
    size,
    MathCeil(size / 512),
    fsNsToMs(st[5]),
    fsNsToMs(st[6]),
    ctimeMs,
    ctimeMs,
  );
}

export class Dirent {
  constructor(name, type, path) {
    nodeSet(this, 'name', name);
    nodeSet(this, 'parentPath', path);
    nodeSet(this, 'path', path);
    ObjectDefineProperty(this, fsDirentType, { __proto__: null, value: type, enumerable: false });
  }

  isFile() {
    return this[fsDirentType] === 4;
  }

  isDirectory() {
    return this[fsDirentType] === 3;
  }

  isSymbolicLink() {
    return this[fsDirentType] === 7;
  }

  isBlockDevice() {
    return this[fsDirentType] === 1;
  }

  isCharacterDevice() {
    return this[fsDirentType] === 2;
  }

  isFIFO() {
    return false;
  }

  isSocket() {
    return this[fsDirentType] === 5 || this[fsDirentType] === 6;
  }
}
const fsDirentType = SymbolCtor('type');

/** Node's `fs.constants` on Linux, in Node's order (a new object each call). */
export function fsConstants() {
  return {
    UV_FS_SYMLINK_DIR: 1,
    UV_FS_SYMLINK_JUNCTION: 2,
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    UV_DIRENT_UNKNOWN: 0,
    UV_DIRENT_FILE: 1,
    UV_DIRENT_DIR: 2,
    UV_DIRENT_LINK: 3,
    UV_DIRENT_FIFO: 4,
    UV_DIRENT_SOCKET: 5,
    UV_DIRENT_CHAR: 6,
    UV_DIRENT_BLOCK: 7,
    EXTENSIONLESS_FORMAT_JAVASCRIPT: 0,
    EXTENSIONLESS_FORMAT_WASM: 1,
    S_IFMT: FS_S_IFMT,
    S_IFREG: FS_S_IFREG,
    S_IFDIR: FS_S_IFDIR,
    S_IFCHR: FS_S_IFCHR,
    S_IFBLK: FS_S_IFBLK,
    S_IFIFO: FS_S_IFIFO,
    S_IFLNK: FS_S_IFLNK,
    S_IFSOCK: FS_S_IFSOCK,
    O_CREAT: 0o100,
    O_EXCL: 0o200,
    UV_FS_O_FILEMAP: 0,
    O_NOCTTY: 0o400,
    O_TRUNC: 0o1000,
    O_APPEND: 0o2000,
    O_DIRECTORY: 0o200000,
    O_NOATIME: 0o1000000,
    O_NOFOLLOW: 0o400000,
    O_SYNC: 0o4010000,
    O_DSYNC: 0o10000,
    O_DIRECT: 0o40000,
    O_NONBLOCK: 0o4000,
    S_IRWXU: 0o700,
    S_IRUSR: 0o400,
    S_IWUSR: 0o200,
    S_IXUSR: 0o100,
    S_IRWXG: 0o70,
    S_IRGRP: 0o40,
    S_IWGRP: 0o20,
    S_IXGRP: 0o10,
    S_IRWXO: 0o7,
    S_IROTH: 0o4,
    S_IWOTH: 0o2,
    S_IXOTH: 0o1,
    F_OK: 0,
    R_OK: 4,
    W_OK: 2,
    X_OK: 1,
    UV_FS_COPYFILE_EXCL: 1,
    COPYFILE_EXCL: 1,
    UV_FS_COPYFILE_FICLONE: 2,
    COPYFILE_FICLONE: 2,
    UV_FS_COPYFILE_FICLONE_FORCE: 4,
    COPYFILE_FICLONE_FORCE: 4,
  };
}
