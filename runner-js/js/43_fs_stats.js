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

export function fsModeOf(filetype) {
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
    fsModeOf(st[2]),
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
