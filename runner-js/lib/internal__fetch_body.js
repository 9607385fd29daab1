// lib/internal__fetch_body.js: the body of a `Request` or `Response`: what a body init becomes
// (string, ArrayBuffer, view, URLSearchParams, Blob, ReadableStream), the stream a network
// response's body arrives on (backpressure: the network gets credit only as the guest reads),
// and the mixin methods (`arrayBuffer`, `bytes`, `blob`, `formData`, `json`, `text`, `body`,
// `bodyUsed`).

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayPrototypePush,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  PromiseResolve,
  ReflectOwnKeys,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  SymbolAsyncIterator,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSlice,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { Blob, blobParts, isBlob } from './internal__blob.js';
import { viewBytes } from './internal__buffer.js';
import { formDataBody, isFormData, parseFormData } from './internal__form_data.js';
import { URLSearchParams } from './internal__url.js';
import {
  controllerClose,
  controllerEnqueue,
  controllerError,
  createReadableStream,
  isReadableStream,
  ReadableStream,
} from './internal__webstreams_readable.js';

const netConsume = bridge.netConsume;
const netCancel = bridge.netCancel;
const netRef = bridge.netRef;
const JSONParse = JSON.parse;

/**
 * What a body init is: `{ bytes, stream, type }` (one of bytes/stream, or neither for null).
 * Throws a TypeError for what fetch does not take.
 */
export function extractBody(init) {
  if (init === undefined || init === null) return { bytes: null, stream: null, type: null };
  if (typeof init === 'string') {
    return { bytes: bridgeUtf8Encode(init), stream: null, type: 'text/plain;charset=UTF-8' };
  }
  if (init instanceof URLSearchParams) {
    return {
      bytes: bridgeUtf8Encode(`${init}`),
      stream: null,
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  }
  if (isAnyArrayBuffer(init)) {
    return { bytes: TypedArrayPrototypeSlice(new Uint8ArrayCtor(init)), stream: null, type: null };
  }
  if (ArrayBufferIsView(init)) {
    return { bytes: TypedArrayPrototypeSlice(viewBytes(init)), stream: null, type: null };
  }
  if (isFormData(init)) {
    const body = formDataBody(init);
    return { bytes: body.bytes, stream: null, type: body.type };
  }
  if (isBlob(init)) {
    const parts = blobParts(init);
    return { bytes: parts.bytes, stream: null, type: parts.type === '' ? null : parts.type };
  }
  if (isReadableStream(init)) return { bytes: null, stream: init, type: null };
  if (typeof init === 'object' && typeof init[SymbolAsyncIterator] === 'function') {
    return { bytes: null, stream: ReadableStream.from(init), type: null };
  }
  return { bytes: bridgeUtf8Encode(`${init}`), stream: null, type: 'text/plain;charset=UTF-8' };
}

/** A body's state: bytes in hand, or a stream (a network response's, or the guest's). */
export function bodyState(extracted) {
  return { __proto__: null, bytes: extracted.bytes, stream: extracted.stream, used: false };
}

/** The stream of a body (made from its bytes the first time it is asked for). */
export function bodyStream(state) {
  if (state.stream === null && state.bytes !== null) {
    const bytes = state.bytes;
    state.stream = createReadableStream(
      (c) => {
        controllerEnqueue(c, TypedArrayPrototypeSlice(bytes));
        controllerClose(c);
      },
      () => PromiseResolve(),
      () => PromiseResolve(),
    );
  }
  return state.stream;
}

/** The body's bytes, once (a second read, or a locked stream, is a TypeError). */
async function consume(state) {
  if (state.used || state.stream?.locked === true) {
    throw new TypeErrorCtor('Body is unusable: Body has already been read');
  }
  state.used = true;
  if (state.stream === null) {
    return state.bytes === null ? new Uint8ArrayCtor(0) : state.bytes;
  }
  const reader = state.stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!ArrayBufferIsView(value)) throw new TypeErrorCtor('Received non-Uint8Array chunk');
    const bytes = viewBytes(value);
    ArrayPrototypePush(chunks, bytes);
    total += TypedArrayPrototypeGetByteLength(bytes);
  }
  const out = new Uint8ArrayCtor(total);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    TypedArrayPrototypeSet(out, chunks[i], at);
    at += TypedArrayPrototypeGetByteLength(chunks[i]);
  }
  return out;
}

function utf8Text(bytes) {
  const text = bridgeUtf8Decode(bytes, false);
  return StringPrototypeCharCodeAt(text, 0) === 0xfeff ? StringPrototypeSlice(text, 1) : text;
}

/** Adds the body mixin to `Class`; `stateOf(self)` finds the body state, `typeOf(self)` its type. */
export function mixBody(Class, stateOf, typeOf) {
  const methods = {
    get body() {
      return bodyStream(stateOf(this));
    },
    get bodyUsed() {
      const state = stateOf(this);
      return state.used || state.stream?.locked === true;
    },
    arrayBuffer() {
      return wrap(
        () => consume(stateOf(this)),
        (b) => arrayBufferOf(b),
      );
    },
    bytes() {
      return wrap(
        () => consume(stateOf(this)),
        (b) => b,
      );
    },
    blob() {
      const type = typeOf(this) ?? '';
      return wrap(
        () => consume(stateOf(this)),
        (b) => new Blob([b], { type }),
      );
    },
    formData() {
      const type = typeOf(this);
      return wrap(
        () => consume(stateOf(this)),
        (b) => parseFormData(b, type),
      );
    },
    json() {
      return wrap(
        () => consume(stateOf(this)),
        (b) => JSONParse(utf8Text(b)),
      );
    },
    text() {
      return wrap(
        () => consume(stateOf(this)),
        (b) => utf8Text(b),
      );
    },
  };
  const names = ReflectOwnKeys(methods);
  for (let i = 0; i < names.length; i++) {
    const desc = ObjectGetOwnPropertyDescriptor(methods, names[i]);
    desc.enumerable = true;
    ObjectDefineProperty(Class.prototype, names[i], desc);
  }
}

function arrayBufferOf(bytes) {
  const buffer = TypedArrayPrototypeGetBuffer(bytes);
  const whole =
    TypedArrayPrototypeGetByteOffset(bytes) === 0 &&
    TypedArrayPrototypeGetByteLength(bytes) === ArrayBufferPrototypeGetByteLength(buffer);
  if (whole) return buffer;
  return TypedArrayPrototypeGetBuffer(TypedArrayPrototypeSlice(bytes));
}

async function wrap(read, finish) {
  return finish(await read());
}

/**
 * The body stream of network operation `id`: fed by `push`/`end`/`fail`, giving the network
 * credit (`netConsume`) and keeping the loop alive (`netRef`) only while the guest reads.
 */
export function networkBody(id) {
  let controller;
  let unconsumed = 0;
  let finished = false;
  const stream = createReadableStream(
    (c) => {
      controller = c;
    },
    () => {
      if (finished) return PromiseResolve();
      if (unconsumed > 0) {
        netConsume(id, unconsumed);
        unconsumed = 0;
      }
      netRef(id, true);
      return PromiseResolve();
    },
    () => {
      finished = true;
      netCancel(id);
      return PromiseResolve();
    },
    0,
  );
  return {
    __proto__: null,
    stream,
    push(chunk) {
      if (finished) return;
      unconsumed += TypedArrayPrototypeGetByteLength(chunk);
      netRef(id, false);
      controllerEnqueue(controller, chunk);
    },
    end() {
      if (finished) return;
      finished = true;
      controllerClose(controller);
    },
    fail(error) {
      if (finished) return;
      finished = true;
      controllerError(controller, error);
    },
  };
}
