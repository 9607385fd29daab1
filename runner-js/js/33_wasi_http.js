// 33_wasi_http.js: `agentos_v4.http_*` (WASI.md), a WASI command's HTTP requests through the
// exec's network. Each import copies what it needs out of guest memory, calls the blocking
// native, and writes the answer back; the natives return their result or `-errno`.

import { TypedArrayPrototypeGetLength, TypedArrayPrototypeSet } from './00_primordials.js';
import {
  WASI_EFAULT,
  WASI_ESUCCESS,
  wasiBytes,
  wasiErrno,
  wasiMemU8,
  wasiNative,
  wasiOob,
  wasiRefresh,
  wasiSetU32,
} from './30_wasi.js';

// Also the door's HTTP ops (33_wasi_door.js).
export const wasiHttpRequest = wasiNative('wasi_http_request');
export const wasiHttpResponse = wasiNative('wasi_http_response');
export const wasiHttpRead = wasiNative('wasi_http_read');
export const wasiHttpError = wasiNative('wasi_http_error');
export const wasiHttpClose = wasiNative('wasi_http_close');

const WASI_ENOBUFS = 42;

/**
 * `agentos_v4.http_request(req_buf, req_len, body_buf, body_len, flags, head_ms, end_ms,
 * handle_ptr) -> errno`: starts a request; the u32 at `handle_ptr` becomes its handle.
 */
export function agentos_http_request(
  reqBuf,
  reqLen,
  bodyBuf,
  bodyLen,
  flags,
  headMs,
  endMs,
  handlePtr,
) {
  wasiRefresh();
  reqBuf >>>= 0;
  reqLen >>>= 0;
  bodyBuf >>>= 0;
  bodyLen >>>= 0;
  handlePtr >>>= 0;
  if (wasiOob(reqBuf, reqLen) || wasiOob(bodyBuf, bodyLen) || wasiOob(handlePtr, 4)) {
    return WASI_EFAULT;
  }
  const spec = wasiBytes(reqBuf, reqLen);
  const body = bodyLen === 0 ? undefined : wasiBytes(bodyBuf, bodyLen);
  const r = wasiHttpRequest(spec, body, flags >>> 0, headMs >>> 0, endMs >>> 0);
  if (typeof r !== 'number' || r < 0) return wasiErrno(r);
  wasiSetU32(handlePtr, r);
  return WASI_ESUCCESS;
}

// Writes `r` (a Uint8Array, or -errno) at `buf` when it fits; its size at `usedPtr` either way.
function wasiHttpAnswer(r, buf, bufLen, usedPtr) {
  if (typeof r === 'number') return wasiErrno(r);
  wasiRefresh();
  const n = TypedArrayPrototypeGetLength(r);
  wasiSetU32(usedPtr, n);
  if (n > bufLen) return WASI_ENOBUFS;
  TypedArrayPrototypeSet(wasiMemU8(), r, buf);
  return WASI_ESUCCESS;
}

function wasiHttpFetch(native, handle, buf, bufLen, usedPtr) {
  wasiRefresh();
  buf >>>= 0;
  bufLen >>>= 0;
  usedPtr >>>= 0;
  if (wasiOob(buf, bufLen) || wasiOob(usedPtr, 4)) return WASI_EFAULT;
  return wasiHttpAnswer(native(handle >>> 0), buf, bufLen, usedPtr);
}

/**
 * `agentos_v4.http_response(handle, buf, buf_len, used_ptr) -> errno`: waits for the response
 * head; `ENOBUFS` (size at `used_ptr`) when it does not fit, `EIO` when the request failed.
 */
export function agentos_http_response(handle, buf, bufLen, usedPtr) {
  return wasiHttpFetch(wasiHttpResponse, handle, buf, bufLen, usedPtr);
}

/** `agentos_v4.http_error(handle, buf, buf_len, used_ptr) -> errno`: why the request failed. */
export function agentos_http_error(handle, buf, bufLen, usedPtr) {
  return wasiHttpFetch(wasiHttpError, handle, buf, bufLen, usedPtr);
}

/**
 * `agentos_v4.http_read(handle, buf, buf_len, nread_ptr) -> errno`: waits for body bytes; 0 read
 * at the body's end, `EIO` when the request failed.
 */
export function agentos_http_read(handle, buf, bufLen, nreadPtr) {
  wasiRefresh();
  buf >>>= 0;
  bufLen >>>= 0;
  nreadPtr >>>= 0;
  if (wasiOob(buf, bufLen) || wasiOob(nreadPtr, 4)) return WASI_EFAULT;
  return wasiHttpAnswer(wasiHttpRead(handle >>> 0, bufLen), buf, bufLen, nreadPtr);
}

/** `agentos_v4.http_close(handle) -> errno`: forgets the request, ending it if it still runs. */
export function agentos_http_close(handle) {
  const r = wasiHttpClose(handle >>> 0);
  return typeof r === 'number' && r < 0 ? -r : WASI_ESUCCESS;
}
