// lib/internal__stream_core.js: what every stream class shares: Node's stream errors, byte
// chunks (Buffer when the `buffer` builtin exists, else a Uint8Array with Buffer's toString),
// destroy/construct (Node's internal/streams/destroy.js) and the state predicates of
// internal/streams/utils.js. Follows Node 20's lib/internal/streams closely, so event order
// matches (the differential tests in sidecar/tests/all/node_stream.rs compare traces).

import {
  AggregateErrorCtor,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  bridgeUtf8Encode,
  ErrorCaptureStackTrace,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  MathFloor,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectFreeze,
  RangeErrorCtor,
  ReflectApply,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeReplace,
  StringPrototypeToLowerCase,
  SymbolAsyncIterator,
  SymbolCtor,
  SymbolFor,
  SymbolIterator,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { toStringSafe } from '../js/01_helpers.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { newStreamDecoder, TextDecoderPrototypeDecode } from '../js/07_encoding.js';
import { internalNextTick, nextTick } from '../js/21_ticks.js';
import { bytesToString, normalizeEncoding, StdinChunk } from '../js/25_stdin.js';
import { isLazyBuiltin, loadLazyBuiltin } from '../js/49_lazy.js';
import { kTypes } from './internal__web_errors.js';

// ---- errors ----

export function streamError(code, message, Ctor = ErrorCtor) {
  return makeNodeError(Ctor, code, message);
}

export function errPrematureClose() {
  return streamError('ERR_STREAM_PREMATURE_CLOSE', 'Premature close');
}

export function errMultipleCallback() {
  return streamError('ERR_MULTIPLE_CALLBACK', 'Callback called multiple times');
}

export function errNotImplemented(method) {
  return streamError('ERR_METHOD_NOT_IMPLEMENTED', `The ${method} method is not implemented`);
}

function isClassName(value) {
  if (value.length === 0) return false;
  const first = StringPrototypeCharCodeAt(value, 0);
  if (first < 65 || first > 90) return false;
  for (let i = 1; i < value.length; i++) {
    const c = StringPrototypeCharCodeAt(value, i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

function listOf(items, word) {
  if (items.length > 2) {
    const last = ArrayPrototypePop(items);
    return `${ArrayPrototypeJoin(items, ', ')}, ${word} ${last}`;
  }
  return items.length === 2 ? `${items[0]} ${word} ${items[1]}` : `${items[0]}`;
}

/** Node's wording of an ERR_INVALID_ARG_TYPE expectation list (internal/errors.js). */
export function formatExpected(expected) {
  if (!ArrayIsArray(expected)) expected = [expected];
  const types = [];
  const instances = [];
  const other = [];
  for (let i = 0; i < expected.length; i++) {
    const value = expected[i];
    if (ArrayPrototypeIncludes(kTypes, value)) {
      ArrayPrototypePush(types, StringPrototypeToLowerCase(value));
    } else if (isClassName(value)) {
      ArrayPrototypePush(instances, value);
    } else {
      ArrayPrototypePush(other, value);
    }
  }
  if (instances.length > 0) {
    const pos = ArrayPrototypeIndexOf(types, 'object');
    if (pos !== -1) {
      ArrayPrototypeSplice(types, pos, 1);
      ArrayPrototypePush(instances, 'Object');
    }
  }
  let msg = '';
  if (types.length > 0) {
    msg += types.length > 1 ? `one of type ${listOf(types, 'or')}` : `of type ${types[0]}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    msg += `an instance of ${listOf(instances, 'or')}`;
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) {
    if (other.length > 1) msg += `one of ${listOf(other, 'or')}`;
    else {
      if (StringPrototypeToLowerCase(other[0]) !== other[0]) msg += 'an ';
      msg += `${other[0]}`;
    }
  }
  return msg;
}

export function errInvalidArgType(name, expected, value) {
  if (!ArrayIsArray(expected)) return makeInvalidArgType(name, expected, value);
  // makeInvalidArgType words one expectation; put Node's wording of the list in its place.
  const err = makeInvalidArgType(name, 'an instance of X', value);
  const text = StringPrototypeReplace(
    err.message,
    'an instance of X.',
    `${formatExpected(expected)}.`,
  );
  return makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', text);
}

export function errInvalidArgValue(name, value, reason = 'is invalid') {
  return streamError(
    'ERR_INVALID_ARG_VALUE',
    `The ${StringPrototypeIncludes(name, '.') ? 'property' : 'argument'} '${name}' ${reason}. Received ${toStringSafe(value)}`,
    TypeErrorCtor,
  );
}

export function errMissingArgs(name) {
  return streamError('ERR_MISSING_ARGS', `The "${name}" argument must be specified`, TypeErrorCtor);
}

export function errInvalidReturnValue(input, name, value) {
  return streamError(
    'ERR_INVALID_RETURN_VALUE',
    `Expected ${input} to be returned from the "${name}" function but got ${value === null ? 'null' : typeof value}.`,
    TypeErrorCtor,
  );
}

export function errOutOfRangeHwm(name, value) {
  return streamError(
    'ERR_INVALID_ARG_VALUE',
    `The property '${name}' is invalid. Received ${toStringSafe(value)}`,
    TypeErrorCtor,
  );
}

// Node's AbortError (internal/errors): name AbortError, code ABORT_ERR.
export class AbortError extends ErrorCtor {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

export function errInvalidState(what) {
  return streamError('ERR_INVALID_STATE', `Invalid state: ${what}`, TypeErrorCtor);
}

export function captureStack(err) {
  if (ErrorCaptureStackTrace) ErrorCaptureStackTrace(err);
  return err;
}

// ---- bytes ----

let bufferModule; // the `buffer` builtin's exports, when it exists (the node-web part)
/** `Buffer`, loaded on first use; undefined where there is no `buffer` builtin. */
export function bufferCtor() {
  if (bufferModule === undefined) {
    bufferModule = isLazyBuiltin('buffer') ? loadLazyBuiltin('buffer') : null;
  }
  return bufferModule === null ? undefined : bufferModule.Buffer;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Value(c) {
  if (c === 45) return 62; // '-' (base64url)
  if (c === 95) return 63; // '_'
  for (let i = 0; i < 64; i++) if (StringPrototypeCharCodeAt(B64, i) === c) return i;
  return -1;
}

/** Bytes of `text` in `encoding`: a Buffer, or a Uint8Array with Buffer's toString. */
export function bytesFrom(text, encoding) {
  const B = bufferCtor();
  if (B !== undefined) return B.from(text, encoding);
  const enc = normalizeEncoding(encoding === undefined || encoding === null ? 'utf8' : encoding);
  if (enc === undefined) {
    throw streamError('ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`, TypeErrorCtor);
  }
  if (enc === 'utf8') return asChunk(bridgeUtf8Encode(text));
  let bytes;
  if (enc === 'latin1' || enc === 'binary' || enc === 'ascii') {
    bytes = new StdinChunk(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = StringPrototypeCharCodeAt(text, i) & 0xff;
  } else if (enc === 'hex') {
    const n = text.length >> 1;
    bytes = new StdinChunk(n);
    for (let i = 0; i < n; i++) {
      const hi = hexValue(StringPrototypeCharCodeAt(text, 2 * i));
      const lo = hexValue(StringPrototypeCharCodeAt(text, 2 * i + 1));
      if (hi < 0 || lo < 0) return bytes.subarray(0, i);
      bytes[i] = hi * 16 + lo;
    }
  } else {
    const out = [];
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < text.length; i++) {
      const v = base64Value(StringPrototypeCharCodeAt(text, i));
      if (v < 0) continue;
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        ArrayPrototypePush(out, (acc >> bits) & 0xff);
      }
    }
    bytes = new StdinChunk(out.length);
    for (let i = 0; i < out.length; i++) bytes[i] = out[i];
  }
  return bytes;
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** A Uint8Array view as a chunk (Buffer when available, sharing memory). */
export function asChunk(view) {
  const B = bufferCtor();
  if (B !== undefined) {
    if (B.isBuffer(view)) return view;
    return B.from(view.buffer, view.byteOffset, view.byteLength);
  }
  if (view instanceof StdinChunk) return view;
  return new StdinChunk(view.buffer, view.byteOffset, view.byteLength);
}

/** True for what a byte stream accepts as a chunk without conversion. */
export function isBytes(v) {
  return TypedArrayPrototypeGetSymbolToStringTag(v) === 'Uint8Array';
}

/** True for a Buffer (a StdinChunk until the `buffer` builtin exists). */
export function isBuffer(v) {
  const B = bufferCtor();
  if (B !== undefined) return B.isBuffer(v);
  return FunctionPrototypeSymbolHasInstance(StdinChunk, v);
}

export function bytesConcat(list, total) {
  const B = bufferCtor();
  if (B !== undefined) return B.concat(list, total);
  const out = new StdinChunk(total);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    TypedArrayPrototypeSet(out, list[i], at);
    at += TypedArrayPrototypeGetByteLength(list[i]);
  }
  return out;
}

export function chunkToString(chunk, encoding) {
  if (typeof chunk === 'string') return chunk;
  return bytesToString(chunk, encoding);
}

export function byteLength(chunk) {
  return TypedArrayPrototypeGetByteLength(chunk);
}

/** A streaming decoder with `write(bytes)` / `end()` (string_decoder when present). */
export function newDecoder(encoding) {
  if (isLazyBuiltin('string_decoder')) {
    const { StringDecoder } = loadLazyBuiltin('string_decoder');
    if (StringDecoder !== undefined) return new StringDecoder(encoding);
  }
  const enc = normalizeEncoding(encoding === undefined ? 'utf8' : encoding);
  if (enc === undefined) {
    throw streamError('ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`, TypeErrorCtor);
  }
  return new FallbackDecoder(enc);
}

const kStream = { __proto__: null, stream: true };

class FallbackDecoder {
  constructor(enc) {
    this.encoding = enc;
    this.rest = undefined;
    this.td = enc === 'utf8' ? newStreamDecoder() : undefined;
  }

  write(bytes) {
    if (typeof bytes === 'string') return bytes;
    if (this.td !== undefined) return TextDecoderPrototypeDecode(this.td, bytes, kStream);
    if (this.encoding === 'base64') {
      let all = bytes;
      if (this.rest !== undefined) {
        all = bytesConcat([this.rest, bytes], byteLength(this.rest) + byteLength(bytes));
      }
      const keep = all.length % 3;
      this.rest = keep ? all.subarray(all.length - keep) : undefined;
      return bytesToString(all.subarray(0, all.length - keep), 'base64');
    }
    return bytesToString(bytes, this.encoding);
  }

  end(bytes) {
    let out = bytes === undefined ? '' : this.write(bytes);
    if (this.td !== undefined) out += TextDecoderPrototypeDecode(this.td);
    else if (this.rest !== undefined) out += bytesToString(this.rest, 'base64');
    this.rest = undefined;
    return out;
  }
}

// ---- high water marks ----

let defaultHwmBytes = 16 * 1024;
let defaultHwmObjects = 16;

export function getDefaultHighWaterMark(objectMode) {
  return objectMode ? defaultHwmObjects : defaultHwmBytes;
}

export function setDefaultHighWaterMark(objectMode, value) {
  if (typeof value !== 'number') throw makeInvalidArgType('value', 'number', value);
  if (value < 0 || NumberIsNaN(value)) {
    throw streamError(
      'ERR_OUT_OF_RANGE',
      `The value of "value" is out of range. It must be >= 0. Received ${value}`,
      RangeErrorCtor,
    );
  }
  if (objectMode) defaultHwmObjects = value;
  else defaultHwmBytes = value;
}

export function getHighWaterMark(state, options, duplexKey, isDuplex) {
  let hwm = options.highWaterMark;
  if (hwm == null && isDuplex) hwm = options[duplexKey];
  if (hwm != null) {
    if (!(typeof hwm === 'number' && hwm >= 0 && hwm === MathFloor(hwm))) {
      const name = isDuplex && options.highWaterMark == null ? duplexKey : 'highWaterMark';
      throw errOutOfRangeHwm(`options.${name}`, hwm);
    }
    return MathFloor(hwm);
  }
  return getDefaultHighWaterMark(state.objectMode);
}

// ---- state predicates (internal/streams/utils.js) ----

export const kIsDestroyed = SymbolFor('nodejs.stream.destroyed');
export const kIsErrored = SymbolCtor('kIsErrored');
export const kIsReadable = SymbolCtor('kIsReadable');
export const kIsDisturbed = SymbolCtor('kIsDisturbed');
export const kIsClosedPromise = SymbolFor('nodejs.webstream.isClosedPromise');
export const kControllerErrorFunction = SymbolFor('nodejs.webstream.controllerErrorFunction');

export function isReadableNodeStream(obj, strict = false) {
  return !!(
    obj &&
    typeof obj.pipe === 'function' &&
    typeof obj.on === 'function' &&
    (!strict || (typeof obj.pause === 'function' && typeof obj.resume === 'function')) &&
    (!obj._writableState || (obj._readableState && obj._readableState.readable !== false)) &&
    (!obj._writableState || obj._readableState)
  );
}

export function isWritableNodeStream(obj) {
  return !!(
    obj &&
    typeof obj.write === 'function' &&
    typeof obj.on === 'function' &&
    (!obj._readableState || (obj._writableState && obj._writableState.writable !== false))
  );
}

export function isDuplexNodeStream(obj) {
  return !!(
    obj &&
    typeof obj.pipe === 'function' &&
    obj._readableState &&
    typeof obj.on === 'function' &&
    typeof obj.write === 'function'
  );
}

export function isNodeStream(obj) {
  return (
    obj &&
    (obj._readableState ||
      obj._writableState ||
      (typeof obj.write === 'function' && typeof obj.on === 'function') ||
      (typeof obj.pipe === 'function' && typeof obj.on === 'function'))
  );
}

export function isReadableStream(obj) {
  return !!(
    obj &&
    !isNodeStream(obj) &&
    typeof obj.pipeThrough === 'function' &&
    typeof obj.getReader === 'function' &&
    typeof obj.cancel === 'function'
  );
}

export function isWritableStream(obj) {
  return !!(
    obj &&
    !isNodeStream(obj) &&
    typeof obj.getWriter === 'function' &&
    typeof obj.abort === 'function'
  );
}

export function isTransformStream(obj) {
  return !!(
    obj &&
    !isNodeStream(obj) &&
    typeof obj.readable === 'object' &&
    typeof obj.writable === 'object'
  );
}

export function isWebStream(obj) {
  return isReadableStream(obj) || isWritableStream(obj) || isTransformStream(obj);
}

export function isIterable(obj, isAsync) {
  if (obj == null) return false;
  if (isAsync === true) return typeof obj[SymbolAsyncIterator] === 'function';
  if (isAsync === false) return typeof obj[SymbolIterator] === 'function';
  return (
    typeof obj[SymbolAsyncIterator] === 'function' || typeof obj[SymbolIterator] === 'function'
  );
}

export function isDestroyed(stream) {
  if (!isNodeStream(stream)) return null;
  const wState = stream._writableState;
  const rState = stream._readableState;
  const state = wState || rState;
  return !!(stream.destroyed || stream[kIsDestroyed] || state?.destroyed);
}

export function isWritableEnded(stream) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableEnded === true) return true;
  const wState = stream._writableState;
  if (wState?.errored) return false;
  if (typeof wState?.ended !== 'boolean') return null;
  return wState.ended;
}

export function isWritableFinished(stream, strict) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableFinished === true) return true;
  const wState = stream._writableState;
  if (wState?.errored) return false;
  if (typeof wState?.finished !== 'boolean') return null;
  return !!(wState.finished || (strict === false && wState.ended === true && wState.length === 0));
}

export function isReadableFinished(stream, strict) {
  if (!isReadableNodeStream(stream)) return null;
  const rState = stream._readableState;
  if (rState?.errored) return false;
  if (typeof rState?.endEmitted !== 'boolean') return null;
  return !!(
    rState.endEmitted ||
    (strict === false && rState.ended === true && rState.length === 0)
  );
}

export function isReadable(stream) {
  if (stream && stream[kIsReadable] != null) return stream[kIsReadable];
  if (typeof stream?.readable !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isReadableNodeStream(stream) && stream.readable && !isReadableFinished(stream);
}

export function isWritable(stream) {
  if (typeof stream?.writable !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isWritableNodeStream(stream) && stream.writable && !isWritableEnded(stream);
}

export function isFinished(stream, opts) {
  if (!isNodeStream(stream)) return null;
  if (isDestroyed(stream)) return true;
  if (opts?.readable !== false && isReadable(stream)) return false;
  if (opts?.writable !== false && isWritable(stream)) return false;
  return true;
}

export function isWritableErrored(stream) {
  if (!isNodeStream(stream)) return null;
  if (stream.writableErrored) return stream.writableErrored;
  return stream._writableState?.errored ?? null;
}

export function isReadableErrored(stream) {
  if (!isNodeStream(stream)) return null;
  if (stream.readableErrored) return stream.readableErrored;
  return stream._readableState?.errored ?? null;
}

export function isClosed(stream) {
  if (!isNodeStream(stream)) return null;
  if (typeof stream.closed === 'boolean') return stream.closed;
  const wState = stream._writableState;
  const rState = stream._readableState;
  if (typeof wState?.closed === 'boolean' || typeof rState?.closed === 'boolean') {
    return wState?.closed || rState?.closed;
  }
  if (typeof stream.closed === 'boolean' && isOutgoingMessage(stream)) return stream.closed;
  return null;
}

export function isOutgoingMessage(stream) {
  return (
    typeof stream._closed === 'boolean' &&
    typeof stream._defaultKeepAlive === 'boolean' &&
    typeof stream._removedConnection === 'boolean' &&
    typeof stream._removedContLen === 'boolean'
  );
}

export function isServerResponse(stream) {
  return typeof stream._sent100 === 'boolean' && isOutgoingMessage(stream);
}

export function isServerRequest(stream) {
  return (
    typeof stream._consuming === 'boolean' &&
    typeof stream._dumped === 'boolean' &&
    stream.req?.upgradeOrConnect === undefined
  );
}

export function willEmitClose(stream) {
  if (!isNodeStream(stream)) return null;
  const wState = stream._writableState;
  const rState = stream._readableState;
  const state = wState || rState;
  return (
    (!state && isServerResponse(stream)) ||
    !!(state?.autoDestroy && state.emitClose && state.closed === false)
  );
}

export function isDisturbed(stream) {
  return !!(stream && (stream[kIsDisturbed] ?? (stream.readableDidRead || stream.readableAborted)));
}

export function isErrored(stream) {
  return !!(
    stream &&
    (stream[kIsErrored] ??
      stream.readableErrored ??
      stream.writableErrored ??
      stream._readableState?.errorEmitted ??
      stream._writableState?.errorEmitted ??
      stream._readableState?.errored ??
      stream._writableState?.errored)
  );
}

export function isRequest(stream) {
  return stream?.setHeader && typeof stream.abort === 'function';
}

// ---- destroy (internal/streams/destroy.js) ----

export const kDestroy = SymbolCtor('kDestroy');
export const kConstruct = SymbolCtor('kConstruct');

function checkError(err, w, r) {
  if (err) {
    err.stack; // eslint-disable-line no-unused-expressions
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
  }
}

export function destroy(err, cb) {
  const r = this._readableState;
  const w = this._writableState;
  const s = w || r;
  if (w?.destroyed || r?.destroyed) {
    if (typeof cb === 'function') cb();
    return this;
  }
  checkError(err, w, r);
  if (w) w.destroyed = true;
  if (r) r.destroyed = true;
  if (!s.constructed) {
    this.once(kDestroy, function (er) {
      _destroy(this, aggregateTwoErrors(er, err), cb);
    });
  } else {
    _destroy(this, err, cb);
  }
  return this;
}

function _destroy(self, err, cb) {
  let called = false;
  function onDestroy(err) {
    if (called) return;
    called = true;
    const r = self._readableState;
    const w = self._writableState;
    checkError(err, w, r);
    if (w) w.closed = true;
    if (r) r.closed = true;
    if (typeof cb === 'function') cb(err);
    if (err) nextTick(emitErrorCloseNT, self, err);
    else nextTick(emitCloseNT, self);
  }
  try {
    self._destroy(err || null, onDestroy);
  } catch (err) {
    onDestroy(err);
  }
}

function emitErrorCloseNT(self, err) {
  emitErrorNT(self, err);
  emitCloseNT(self);
}

function emitCloseNT(self) {
  const r = self._readableState;
  const w = self._writableState;
  if (w) w.closeEmitted = true;
  if (r) r.closeEmitted = true;
  if (w?.emitClose || r?.emitClose) self.emit('close');
}

function emitErrorNT(self, err) {
  const r = self._readableState;
  const w = self._writableState;
  if (w?.errorEmitted || r?.errorEmitted) return;
  if (w) w.errorEmitted = true;
  if (r) r.errorEmitted = true;
  self.emit('error', err);
}

export function undestroy() {
  const r = this._readableState;
  const w = this._writableState;
  if (r) {
    r.constructed = true;
    r.closed = false;
    r.closeEmitted = false;
    r.destroyed = false;
    r.errored = null;
    r.errorEmitted = false;
    r.reading = false;
    r.ended = r.readable === false;
    r.endEmitted = r.readable === false;
  }
  if (w) {
    w.constructed = true;
    w.destroyed = false;
    w.closed = false;
    w.closeEmitted = false;
    w.errored = null;
    w.errorEmitted = false;
    w.finalCalled = false;
    w.prefinished = false;
    w.ended = w.writable === false;
    w.ending = w.writable === false;
    w.finished = w.writable === false;
  }
}

export function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState;
  const w = stream._writableState;
  if (w?.destroyed || r?.destroyed) return;
  if (r?.autoDestroy || w?.autoDestroy) {
    stream.destroy(err);
  } else if (err) {
    err.stack; // eslint-disable-line no-unused-expressions
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
    if (sync) nextTick(emitErrorNT, stream, err);
    else emitErrorNT(stream, err);
  }
}

export function construct(stream, cb) {
  if (typeof stream._construct !== 'function') return;
  const r = stream._readableState;
  const w = stream._writableState;
  if (r) r.constructed = false;
  if (w) w.constructed = false;
  stream.once(kConstruct, cb);
  if (stream.listenerCount(kConstruct) > 1) return;
  nextTick(constructNT, stream);
}

function constructNT(stream) {
  let called = false;
  function onConstruct(err) {
    if (called) {
      errorOrDestroy(stream, err ?? errMultipleCallback());
      return;
    }
    called = true;
    const r = stream._readableState;
    const w = stream._writableState;
    const s = w || r;
    if (r) r.constructed = true;
    if (w) w.constructed = true;
    if (s.destroyed) stream.emit(kDestroy, err);
    else if (err) errorOrDestroy(stream, err, true);
    else nextTick(emitConstructNT, stream);
  }
  try {
    stream._construct((err) => {
      nextTick(onConstruct, err);
    });
  } catch (err) {
    nextTick(onConstruct, err);
  }
}

function emitConstructNT(stream) {
  stream.emit(kConstruct);
}

function emitCloseLegacy(stream) {
  stream.emit('close');
}

function emitErrorCloseLegacy(stream, err) {
  stream.emit('error', err);
  nextTick(emitCloseLegacy, stream);
}

/** Node's destroyer(stream, err): destroys streams, requests and legacy emitters alike. */
export function destroyer(stream, err) {
  if (!stream || isDestroyed(stream)) return;
  if (!err && !isFinished(stream)) err = new AbortError();
  if (isServerRequest(stream)) {
    stream.socket = null;
    stream.destroy(err);
  } else if (isRequest(stream)) {
    stream.abort();
  } else if (isRequest(stream.req)) {
    stream.req.abort();
  } else if (typeof stream.destroy === 'function') {
    stream.destroy(err);
  } else if (typeof stream.close === 'function') {
    stream.close();
  } else if (err) {
    nextTick(emitErrorCloseLegacy, stream, err);
  } else {
    nextTick(emitCloseLegacy, stream);
  }
  if (!stream.destroyed) stream[kIsDestroyed] = true;
}

export function aggregateTwoErrors(inner, outer) {
  if (inner && outer && inner !== outer) {
    if (ArrayIsArray(outer.errors)) {
      ArrayPrototypePush(outer.errors, inner);
      return outer;
    }
    const err = new AggregateErrorCtor([outer, inner], outer.message);
    err.code = outer.code;
    return err;
  }
  return inner || outer;
}

export function once(callback) {
  let called = false;
  return function (...args) {
    if (called) return;
    called = true;
    return ReflectApply(callback, this, args);
  };
}

export function validateFunctionArg(fn, name) {
  if (typeof fn !== 'function') throw makeInvalidArgType(name, 'function', fn);
}

export function validateObjectArg(value, name, allowNull = false) {
  if ((!allowNull && value === null) || ArrayIsArray(value) || typeof value !== 'object') {
    if (!(allowNull && value === null)) throw makeInvalidArgType(name, 'object', value);
  }
}

export function validateAbortSignal(signal, name) {
  if (
    signal !== undefined &&
    (signal === null || typeof signal !== 'object' || !('aborted' in signal))
  ) {
    throw makeInvalidArgType(name, 'an instance of AbortSignal', signal);
  }
}

/** Listens for `abort` on `signal` (an AbortSignal or a look-alike); returns a disposer. */
export function onAbort(signal, fn) {
  if (signal.aborted) {
    internalNextTick(fn);
    return () => {};
  }
  const listener = () => fn();
  signal.addEventListener('abort', listener, { __proto__: null, once: true });
  return () => signal.removeEventListener('abort', listener);
}

export function defineGetter(proto, name, get, set) {
  ObjectDefineProperty(proto, name, {
    __proto__: null,
    get,
    set,
    enumerable: false,
    configurable: true,
  });
}

export const kEmptyObject = ObjectFreeze({ __proto__: null });

// Buffer's encodings, for `write(chunk, encoding)` and `defaultEncoding`.
const ENCODINGS = [
  'utf8',
  'utf-8',
  'hex',
  'base64',
  'base64url',
  'ascii',
  'latin1',
  'binary',
  'ucs2',
  'ucs-2',
  'utf16le',
  'utf-16le',
];
export function isEncoding(enc) {
  const e = StringPrototypeToLowerCase(`${enc}`);
  for (let i = 0; i < ENCODINGS.length; i++) if (ENCODINGS[i] === e) return true;
  return false;
}

/** `options.defaultEncoding`, checked as Node 22 does (ERR_UNKNOWN_ENCODING); utf8 by default. */
export function checkedDefaultEncoding(options) {
  const enc = options?.defaultEncoding;
  if (enc == null) return 'utf8';
  if (!isEncoding(enc)) {
    throw streamError('ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`, TypeErrorCtor);
  }
  return enc;
}
