// 31_wasi_fd.js: iovec handling and the fd_* imports (on the helpers of 30_wasi.js).

// ---- iovecs ----

// Validates an iovec array; returns the total length (capped at WASI_MAX_IO), or -EFAULT.

import {
  BigIntCtor,
  NumberCtor,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from './00_primordials.js';
import {
  WASI_EFAULT,
  WASI_EINVAL,
  WASI_EIO,
  WASI_ENAMETOOLONG,
  WASI_ESUCCESS,
  WASI_MAX_IO,
  wasiErrno,
  wasiFdAdvise,
  wasiFdAllocate,
  wasiFdDatasync,
  wasiFdFdstatGet,
  wasiFdFdstatSetFlags,
  wasiFdFdstatSetRights,
  wasiFdFilestatGet,
  wasiFdFilestatSetSize,
  wasiFdFilestatSetTimes,
  wasiFdPread,
  wasiFdPrestatDirName,
  wasiFdPrestatGet,
  wasiFdPwrite,
  wasiFdSeek,
  wasiFdSync,
  wasiFdTell,
  wasiMemFdFilestatGet,
  wasiMemFdRead,
  wasiMemFdReaddir,
  wasiMemFdWrite,
  wasiMemU8,
  wasiOob,
  wasiRefresh,
  wasiSetU8,
  wasiSetU16,
  wasiSetU32,
  wasiSetU64,
  wasiU32,
  wasiU64,
  wasiZero,
} from './30_wasi.js';

export function wasiIovTotal(iovs, iovsLen) {
  if (wasiOob(iovs, iovsLen * 8)) return -WASI_EFAULT;
  let total = 0;
  for (let i = 0; i < iovsLen; i++) {
    const buf = wasiU32(iovs + i * 8);
    const len = wasiU32(iovs + i * 8 + 4);
    if (wasiOob(buf, len)) return -WASI_EFAULT;
    if (total < WASI_MAX_IO) total += len;
  }
  return total > WASI_MAX_IO ? WASI_MAX_IO : total;
}

// Scatters `data` into the iovecs; returns the number of bytes placed.
export function wasiScatter(iovs, iovsLen, data) {
  const n = TypedArrayPrototypeGetLength(data);
  let done = 0;
  for (let i = 0; i < iovsLen && done < n; i++) {
    const buf = wasiU32(iovs + i * 8);
    const len = wasiU32(iovs + i * 8 + 4);
    const take = n - done < len ? n - done : len;
    if (take === 0) continue;
    TypedArrayPrototypeSet(wasiMemU8(), TypedArrayPrototypeSubarray(data, done, done + take), buf);
    done += take;
  }
  return done;
}

// Hands the iovecs' bytes to `flush(bytes, position)` in pieces of at most WASI_MAX_IO (a view of
// guest memory when a piece lies in one iovec, else a copy); stops at a short write. Returns the
// bytes written, or -errno when nothing could be written.
export function wasiGather(iovs, iovsLen, flush, offset) {
  let remaining = 0; // bytes neither flushed nor copied into `chunk`
  for (let i = 0; i < iovsLen; i++) remaining += wasiU32(iovs + i * 8 + 4);
  let written = 0;
  let chunk;
  let chunkLen = 0;
  let fill = 0;
  for (let i = 0; i < iovsLen; i++) {
    const buf = wasiU32(iovs + i * 8);
    const len = wasiU32(iovs + i * 8 + 4);
    let at = 0;
    while (at < len) {
      let piece;
      let n;
      if (fill === 0 && (len - at >= WASI_MAX_IO || len - at === remaining)) {
        n = len - at > WASI_MAX_IO ? WASI_MAX_IO : len - at;
        piece = TypedArrayPrototypeSubarray(wasiMemU8(), buf + at, buf + at + n);
        at += n;
        remaining -= n;
      } else {
        if (chunk === undefined) {
          chunkLen = remaining > WASI_MAX_IO ? WASI_MAX_IO : remaining;
          chunk = new Uint8ArrayCtor(chunkLen);
        }
        const take = len - at < chunkLen - fill ? len - at : chunkLen - fill;
        TypedArrayPrototypeSet(
          chunk,
          TypedArrayPrototypeSubarray(wasiMemU8(), buf + at, buf + at + take),
          fill,
        );
        fill += take;
        at += take;
        remaining -= take;
        if (fill < chunkLen) continue;
        piece = chunk;
        n = fill;
        chunk = undefined;
        fill = 0;
      }
      const r = flush(piece, offset + BigIntCtor(written));
      if (typeof r !== 'number') return written > 0 ? written : -WASI_EIO;
      if (r < 0) return written > 0 ? written : r;
      written += r;
      if (r !== n) return written;
    }
  }
  return written;
}

// ---- fd_* ----

// fd_read and fd_write are answered natively into guest memory (bridge/wasi_mem.rs); the
// positioned forms go through JS.
function wasiPread(fd, iovs, iovsLen, nPtr, offset) {
  wasiRefresh();
  fd >>>= 0;
  iovs >>>= 0;
  iovsLen >>>= 0;
  nPtr >>>= 0;
  const total = wasiIovTotal(iovs, iovsLen);
  if (total < 0) return -total;
  if (wasiOob(nPtr, 4)) return WASI_EFAULT;
  const r = wasiFdPread(fd, total, wasiU64(offset));
  if (typeof r === 'number' || r === undefined || r === null) return wasiErrno(r);
  wasiRefresh();
  wasiSetU32(nPtr, wasiScatter(iovs, iovsLen, r));
  return WASI_ESUCCESS;
}

export function wasi_fd_read(fd, iovs, iovsLen, nreadPtr) {
  wasiRefresh();
  return wasiMemFdRead(wasiMemU8(), fd, iovs, iovsLen, nreadPtr);
}

export function wasi_fd_pread(fd, iovs, iovsLen, offset, nreadPtr) {
  return wasiPread(fd, iovs, iovsLen, nreadPtr, offset);
}

function wasiPwrite(fd, iovs, iovsLen, nPtr, offset) {
  wasiRefresh();
  fd >>>= 0;
  iovs >>>= 0;
  iovsLen >>>= 0;
  nPtr >>>= 0;
  const total = wasiIovTotal(iovs, iovsLen);
  if (total < 0) return -total;
  if (wasiOob(nPtr, 4)) return WASI_EFAULT;
  const r =
    total === 0
      ? wasiFdPwrite(fd, new Uint8ArrayCtor(0), offset)
      : wasiGather(iovs, iovsLen, (bytes, at) => wasiFdPwrite(fd, bytes, at), offset);
  if (typeof r !== 'number') return WASI_EIO;
  if (r < 0) return -r;
  wasiRefresh();
  wasiSetU32(nPtr, r);
  return WASI_ESUCCESS;
}

export function wasi_fd_write(fd, iovs, iovsLen, nwrittenPtr) {
  wasiRefresh();
  return wasiMemFdWrite(wasiMemU8(), fd, iovs, iovsLen, nwrittenPtr);
}

export function wasi_fd_pwrite(fd, iovs, iovsLen, offset, nwrittenPtr) {
  return wasiPwrite(fd, iovs, iovsLen, nwrittenPtr, wasiU64(offset));
}

// `whenceMap`: preview0 numbers whence differently (0 CUR, 1 END, 2 SET).
function wasiSeek(fd, delta, whence, newOffsetPtr) {
  wasiRefresh();
  newOffsetPtr >>>= 0;
  if (wasiOob(newOffsetPtr, 8)) return WASI_EFAULT;
  const r = wasiFdSeek(fd >>> 0, delta, whence);
  if (typeof r !== 'bigint') return wasiErrno(r);
  wasiSetU64(newOffsetPtr, r);
  return WASI_ESUCCESS;
}

export function wasi_fd_seek(fd, delta, whence, newOffsetPtr) {
  whence &= 0xff;
  if (whence > 2) return WASI_EINVAL;
  return wasiSeek(fd, delta, whence, newOffsetPtr);
}

export function wasi0_fd_seek(fd, delta, whence, newOffsetPtr) {
  whence &= 0xff;
  if (whence > 2) return WASI_EINVAL;
  return wasiSeek(fd, delta, whence === 0 ? 1 : whence === 1 ? 2 : 0, newOffsetPtr);
}

export function wasi_fd_tell(fd, offsetPtr) {
  wasiRefresh();
  offsetPtr >>>= 0;
  if (wasiOob(offsetPtr, 8)) return WASI_EFAULT;
  const r = wasiFdTell(fd >>> 0);
  if (typeof r !== 'bigint') return wasiErrno(r);
  wasiSetU64(offsetPtr, r);
  return WASI_ESUCCESS;
}

// Native calls whose success value is 0.
export function wasiStatus(r) {
  return r === 0 ? WASI_ESUCCESS : wasiErrno(r);
}

export function wasi_fd_sync(fd) {
  return wasiStatus(wasiFdSync(fd >>> 0));
}
export function wasi_fd_datasync(fd) {
  return wasiStatus(wasiFdDatasync(fd >>> 0));
}
export function wasi_fd_advise(fd, offset, len, advice) {
  advice &= 0xff;
  if (advice > 5) return WASI_EINVAL;
  return wasiStatus(wasiFdAdvise(fd >>> 0, wasiU64(offset), wasiU64(len), advice));
}
export function wasi_fd_allocate(fd, offset, len) {
  return wasiStatus(wasiFdAllocate(fd >>> 0, wasiU64(offset), wasiU64(len)));
}
export function wasi_fd_fdstat_set_flags(fd, flags) {
  return wasiStatus(wasiFdFdstatSetFlags(fd >>> 0, flags & 0xffff));
}
export function wasi_fd_fdstat_set_rights(fd, base, inheriting) {
  return wasiStatus(wasiFdFdstatSetRights(fd >>> 0, wasiU64(base), wasiU64(inheriting)));
}
export function wasi_fd_filestat_set_size(fd, size) {
  return wasiStatus(wasiFdFilestatSetSize(fd >>> 0, wasiU64(size)));
}

// ATIM (1) with ATIM_NOW (2), or MTIM (4) with MTIM_NOW (8), is EINVAL; unknown bits too.
export function wasiFstFlagsValid(flags) {
  return (flags & ~0xf) === 0 && (flags & 3) !== 3 && (flags & 12) !== 12;
}

export function wasi_fd_filestat_set_times(fd, atim, mtim, flags) {
  flags &= 0xffff;
  if (!wasiFstFlagsValid(flags)) return WASI_EINVAL;
  return wasiStatus(wasiFdFilestatSetTimes(fd >>> 0, wasiU64(atim), wasiU64(mtim), flags));
}

export function wasi_fd_fdstat_get(fd, bufPtr) {
  wasiRefresh();
  bufPtr >>>= 0;
  if (wasiOob(bufPtr, 24)) return WASI_EFAULT;
  const r = wasiFdFdstatGet(fd >>> 0);
  if (typeof r === 'number' || r === undefined || r === null) return wasiErrno(r);
  wasiZero(bufPtr, 24);
  wasiSetU8(bufPtr, r[0]);
  wasiSetU16(bufPtr + 2, r[1]);
  wasiSetU64(bufPtr + 8, r[2]);
  wasiSetU64(bufPtr + 16, r[3]);
  return WASI_ESUCCESS;
}

// filestat: preview1 is 64 bytes (nlink u64); preview0 56 bytes (nlink u32).
// Native array: [dev, ino, filetype, nlink, size, atim, mtim, ctim].
export function wasiWriteFilestat(ptr, st, preview0) {
  if (preview0) {
    wasiZero(ptr, 56);
    wasiSetU64(ptr, st[0]);
    wasiSetU64(ptr + 8, st[1]);
    wasiSetU8(ptr + 16, st[2]);
    const nlink = wasiU64(st[3]);
    wasiSetU32(ptr + 20, nlink > 0xffffffffn ? 0xffffffff : NumberCtor(nlink));
    wasiSetU64(ptr + 24, st[4]);
    wasiSetU64(ptr + 32, st[5]);
    wasiSetU64(ptr + 40, st[6]);
    wasiSetU64(ptr + 48, st[7]);
    return;
  }
  wasiZero(ptr, 64);
  wasiSetU64(ptr, st[0]);
  wasiSetU64(ptr + 8, st[1]);
  wasiSetU8(ptr + 16, st[2]);
  wasiSetU64(ptr + 24, st[3]);
  wasiSetU64(ptr + 32, st[4]);
  wasiSetU64(ptr + 40, st[5]);
  wasiSetU64(ptr + 48, st[6]);
  wasiSetU64(ptr + 56, st[7]);
}

function wasiFdFilestat(fd, bufPtr, preview0) {
  wasiRefresh();
  if (!preview0) return wasiMemFdFilestatGet(wasiMemU8(), fd, bufPtr);
  bufPtr >>>= 0;
  if (wasiOob(bufPtr, preview0 ? 56 : 64)) return WASI_EFAULT;
  const r = wasiFdFilestatGet(fd >>> 0);
  if (typeof r === 'number' || r === undefined || r === null) return wasiErrno(r);
  wasiWriteFilestat(bufPtr, r, preview0);
  return WASI_ESUCCESS;
}
export function wasi_fd_filestat_get(fd, bufPtr) {
  return wasiFdFilestat(fd, bufPtr, false);
}
export function wasi0_fd_filestat_get(fd, bufPtr) {
  return wasiFdFilestat(fd, bufPtr, true);
}

export function wasi_fd_prestat_get(fd, bufPtr) {
  wasiRefresh();
  bufPtr >>>= 0;
  if (wasiOob(bufPtr, 8)) return WASI_EFAULT;
  const r = wasiFdPrestatGet(fd >>> 0);
  if (typeof r !== 'number') return WASI_EIO;
  if (r < 0) return -r;
  wasiZero(bufPtr, 8); // tag 0: dir
  wasiSetU32(bufPtr + 4, r);
  return WASI_ESUCCESS;
}

export function wasi_fd_prestat_dir_name(fd, pathPtr, pathLen) {
  wasiRefresh();
  pathPtr >>>= 0;
  pathLen >>>= 0;
  if (wasiOob(pathPtr, pathLen)) return WASI_EFAULT;
  const r = wasiFdPrestatDirName(fd >>> 0);
  if (typeof r === 'number' || r === undefined || r === null) return wasiErrno(r);
  const n = TypedArrayPrototypeGetLength(r);
  if (n > pathLen) return WASI_ENAMETOOLONG;
  TypedArrayPrototypeSet(wasiMemU8(), r, pathPtr);
  return WASI_ESUCCESS;
}

// The native side packs the dirents into the guest's buffer; the last one is cut to fill it
// exactly (bufused == buf_len tells the guest "more").
export function wasi_fd_readdir(fd, buf, bufLen, cookie, bufusedPtr) {
  wasiRefresh();
  return wasiMemFdReaddir(wasiMemU8(), fd, buf, bufLen, cookie, bufusedPtr);
}
