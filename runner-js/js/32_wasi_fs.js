// 32_wasi_fs.js: the path_* imports. Paths are copied out of guest memory as bytes; the native
// side resolves them beneath the directory fd (confinement, symlinks, UTF-8 validation).

import {
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
} from './00_primordials.js';
import {
  WASI_EFAULT,
  WASI_EINVAL,
  WASI_EIO,
  WASI_ESUCCESS,
  wasiBytes,
  wasiErrno,
  wasiMemPathFilestatGet,
  wasiMemU8,
  wasiNative,
  wasiOob,
  wasiRefresh,
  wasiSetU32,
  wasiSetU64,
  wasiU64,
} from './30_wasi.js';
import { wasiFstFlagsValid, wasiStatus, wasiWriteFilestat } from './31_wasi_fd.js';

export const wasiPathOpen = wasiNative('wasi_path_open');
export const wasiPathCreateDirectory = wasiNative('wasi_path_create_directory');
export const wasiPathRemoveDirectory = wasiNative('wasi_path_remove_directory');
export const wasiPathUnlinkFile = wasiNative('wasi_path_unlink_file');
export const wasiPathMakeSocket = wasiNative('wasi_path_make_socket');
export const wasiPathFilestatGet = wasiNative('wasi_path_filestat_get');
export const wasiPathFilestatSetTimes = wasiNative('wasi_path_filestat_set_times');
export const wasiPathChmod = wasiNative('wasi_path_chmod');
export const wasiFdChmod = wasiNative('wasi_fd_chmod');
export const wasiPathLink = wasiNative('wasi_path_link');
export const wasiPathReadlink = wasiNative('wasi_path_readlink');
export const wasiPathRename = wasiNative('wasi_path_rename');
export const wasiPathSymlink = wasiNative('wasi_path_symlink');

// Guest path bytes, or undefined when out of bounds.
function wasiPath(ptr, len) {
  ptr >>>= 0;
  len >>>= 0;
  if (wasiOob(ptr, len)) return undefined;
  return wasiBytes(ptr, len);
}

export function wasi_path_open(
  dirfd,
  lookupflags,
  pathPtr,
  pathLen,
  oflags,
  rightsBase,
  rightsInheriting,
  fdflags,
  fdPtr,
) {
  wasiRefresh();
  fdPtr >>>= 0;
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined || wasiOob(fdPtr, 4)) return WASI_EFAULT;
  const r = wasiPathOpen(
    dirfd >>> 0,
    lookupflags >>> 0,
    path,
    oflags & 0xffff,
    wasiU64(rightsBase),
    wasiU64(rightsInheriting),
    fdflags & 0xffff,
  );
  if (typeof r !== 'number') return WASI_EIO;
  if (r < 0) return -r;
  wasiSetU32(fdPtr, r);
  return WASI_ESUCCESS;
}

export function wasi_path_create_directory(fd, pathPtr, pathLen) {
  wasiRefresh();
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined) return WASI_EFAULT;
  return wasiStatus(wasiPathCreateDirectory(fd >>> 0, path));
}

export function wasi_path_remove_directory(fd, pathPtr, pathLen) {
  wasiRefresh();
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined) return WASI_EFAULT;
  return wasiStatus(wasiPathRemoveDirectory(fd >>> 0, path));
}

export function wasi_path_unlink_file(fd, pathPtr, pathLen) {
  wasiRefresh();
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined) return WASI_EFAULT;
  return wasiStatus(wasiPathUnlinkFile(fd >>> 0, path));
}

function wasiPathFilestat(fd, lookupflags, pathPtr, pathLen, bufPtr, preview0) {
  wasiRefresh();
  bufPtr >>>= 0;
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined || wasiOob(bufPtr, preview0 ? 56 : 64)) return WASI_EFAULT;
  const r = wasiPathFilestatGet(fd >>> 0, lookupflags >>> 0, path);
  if (typeof r === 'number' || r === undefined || r === null) return wasiErrno(r);
  wasiWriteFilestat(bufPtr, r, preview0);
  return WASI_ESUCCESS;
}

export function wasi_path_filestat_get(fd, lookupflags, pathPtr, pathLen, bufPtr) {
  wasiRefresh();
  return wasiMemPathFilestatGet(wasiMemU8(), fd, lookupflags, pathPtr, pathLen, bufPtr);
}

export function wasi0_path_filestat_get(fd, lookupflags, pathPtr, pathLen, bufPtr) {
  return wasiPathFilestat(fd, lookupflags, pathPtr, pathLen, bufPtr, true);
}

export function wasi_path_filestat_set_times(fd, lookupflags, pathPtr, pathLen, atim, mtim, flags) {
  wasiRefresh();
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined) return WASI_EFAULT;
  flags &= 0xffff;
  if (!wasiFstFlagsValid(flags)) return WASI_EINVAL;
  return wasiStatus(
    wasiPathFilestatSetTimes(
      fd >>> 0,
      lookupflags >>> 0,
      path,
      wasiU64(atim),
      wasiU64(mtim),
      flags,
    ),
  );
}

/**
 * `agentos_v3.path_chmod(fd, lookupflags, path, path_len, mode) -> errno`: sets the nine
 * permission bits of `path` (WASI.md).
 */
export function agentos_path_chmod(fd, lookupflags, pathPtr, pathLen, mode) {
  wasiRefresh();
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined) return WASI_EFAULT;
  return wasiStatus(wasiPathChmod(fd >>> 0, lookupflags >>> 0, path, mode >>> 0));
}

/**
 * `agentos_v3.path_mode_get(fd, lookupflags, path, path_len, mode_ptr) -> errno`: the u32 at
 * `mode_ptr` becomes the permission bits (`0o7777`) of `path` (WASI.md).
 */
export function agentos_path_mode_get(fd, lookupflags, pathPtr, pathLen, modePtr) {
  return agentos_path_mode_links_get(fd, lookupflags, pathPtr, pathLen, modePtr, undefined);
}

/**
 * `agentos_v3.path_mode_links_get(fd, lookupflags, path, path_len, mode_ptr, links_ptr) ->
 * errno`: as `path_mode_get`, and the u64 at `links_ptr` becomes the link count (WASI.md).
 */
export function agentos_path_mode_links_get(fd, lookupflags, pathPtr, pathLen, modePtr, linksPtr) {
  wasiRefresh();
  modePtr >>>= 0;
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined || wasiOob(modePtr, 4)) return WASI_EFAULT;
  if (linksPtr !== undefined && wasiOob(linksPtr >>> 0, 8)) return WASI_EFAULT;
  const r = wasiPathFilestatGet(fd >>> 0, lookupflags >>> 0, path);
  if (typeof r === 'number' || r === undefined || r === null) return wasiErrno(r);
  wasiSetU32(modePtr, r[8]);
  if (linksPtr !== undefined) wasiSetU64(linksPtr >>> 0, r[3]);
  return WASI_ESUCCESS;
}

export function wasi_path_link(
  oldFd,
  oldLookupflags,
  oldPathPtr,
  oldPathLen,
  newFd,
  newPathPtr,
  newPathLen,
) {
  wasiRefresh();
  const oldPath = wasiPath(oldPathPtr, oldPathLen);
  const newPath = wasiPath(newPathPtr, newPathLen);
  if (oldPath === undefined || newPath === undefined) return WASI_EFAULT;
  return wasiStatus(wasiPathLink(oldFd >>> 0, oldLookupflags >>> 0, oldPath, newFd >>> 0, newPath));
}

// Like readlink(2), a target longer than the buffer is truncated silently.
export function wasi_path_readlink(fd, pathPtr, pathLen, buf, bufLen, bufusedPtr) {
  wasiRefresh();
  buf >>>= 0;
  bufLen >>>= 0;
  bufusedPtr >>>= 0;
  const path = wasiPath(pathPtr, pathLen);
  if (path === undefined || wasiOob(buf, bufLen) || wasiOob(bufusedPtr, 4)) return WASI_EFAULT;
  const r = wasiPathReadlink(fd >>> 0, path);
  if (typeof r === 'number' || r === undefined || r === null) return wasiErrno(r);
  const n = TypedArrayPrototypeGetLength(r);
  const take = n < bufLen ? n : bufLen;
  TypedArrayPrototypeSet(wasiMemU8(), TypedArrayPrototypeSubarray(r, 0, take), buf);
  wasiSetU32(bufusedPtr, take);
  return WASI_ESUCCESS;
}

export function wasi_path_rename(fd, oldPathPtr, oldPathLen, newFd, newPathPtr, newPathLen) {
  wasiRefresh();
  const oldPath = wasiPath(oldPathPtr, oldPathLen);
  const newPath = wasiPath(newPathPtr, newPathLen);
  if (oldPath === undefined || newPath === undefined) return WASI_EFAULT;
  return wasiStatus(wasiPathRename(fd >>> 0, oldPath, newFd >>> 0, newPath));
}

export function wasi_path_symlink(oldPathPtr, oldPathLen, fd, newPathPtr, newPathLen) {
  wasiRefresh();
  const oldPath = wasiPath(oldPathPtr, oldPathLen);
  const newPath = wasiPath(newPathPtr, newPathLen);
  if (oldPath === undefined || newPath === undefined) return WASI_EFAULT;
  return wasiStatus(wasiPathSymlink(oldPath, fd >>> 0, newPath));
}
