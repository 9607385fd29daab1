// lib/internal__blob.js: `Blob` and `File` (FileAPI) as Node 20 has them, over an immutable copy of
// their bytes; `URL.createObjectURL` registers blobs here and `buffer.resolveObjectURL` finds them.

import {
  ArrayBufferIsView,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  MathMax,
  MathMin,
  ObjectCreate,
  ObjectDefineProperty,
  PromiseResolve,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  SymbolFor,
  SymbolToStringTag,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSlice,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { inspect } from '../js/04_inspect.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { fromStringId, sliceString, subBuffer, UTF8, viewBytes } from './internal__buffer.js';
import { markCloneable } from './internal__cloneable.js';
import {
  invalidArgType,
  invalidArgValue,
  invalidThis,
  missingArgs,
} from './internal__web_errors.js';

const {
  iterateToList,
  MathTrunc,
  PromiseReject,
  RegExpPrototypeSymbolReplace,
  SymbolIterator,
  Uint8ArrayCtor,
} = webPrimordials;

const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');

// blob -> { bytes: Uint8Array, type: string }
const blobs = new WeakMapCtor();

function stateOf(self) {
  const state = WeakMapPrototypeGet(blobs, self);
  if (state === undefined) throw invalidThis('Blob');
  return state;
}

function normalizeType(type) {
  const text = `${type}`;
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c < 0x20 || c > 0x7e) return '';
  }
  return StringPrototypeToLowerCase(text);
}

function partBytes(part, native) {
  // A copy: the parts' bytes are read when the Blob is made (a SharedArrayBuffer's too).
  if (isAnyArrayBuffer(part)) return TypedArrayPrototypeSlice(new Uint8ArrayCtor(part));
  if (ArrayBufferIsView(part)) {
    const view = viewBytes(part);
    const copy = new Uint8ArrayCtor(TypedArrayPrototypeGetLength(view));
    TypedArrayPrototypeSet(copy, view, 0);
    return copy;
  }
  const blob = WeakMapPrototypeGet(blobs, part);
  if (blob !== undefined) return blob.bytes;
  let text = `${part}`;
  if (native) text = RegExpPrototypeSymbolReplace(/\r?\n/g, text, '\n');
  return fromStringId(text, UTF8);
}

function concatParts(parts, total) {
  const out = new Uint8ArrayCtor(total);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    TypedArrayPrototypeSet(out, parts[i], at);
    at += TypedArrayPrototypeGetLength(parts[i]);
  }
  return out;
}

function isSequence(value) {
  return value !== null && typeof value === 'object' && typeof value[SymbolIterator] === 'function';
}

export class Blob {
  constructor(sources = [], options = undefined) {
    if (!isSequence(sources)) throw invalidArgType('sources', 'a sequence', sources);
    if (options != null && typeof options !== 'object' && typeof options !== 'function') {
      throw invalidArgType('options', 'a dictionary', options);
    }
    const endings = options?.endings === undefined ? 'transparent' : `${options.endings}`;
    if (endings !== 'transparent' && endings !== 'native') {
      throw invalidArgValue('options.endings', endings);
    }
    const list = iterateToList(sources);
    const parts = [];
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      const bytes = partBytes(list[i], endings === 'native');
      parts[parts.length] = bytes;
      total += TypedArrayPrototypeGetLength(bytes);
    }
    const type = options?.type === undefined ? '' : normalizeType(options.type);
    WeakMapPrototypeSet(blobs, this, { __proto__: null, bytes: concatParts(parts, total), type });
    markCloneable(this, cloneBlob);
  }

  get type() {
    return stateOf(this).type;
  }

  get size() {
    return TypedArrayPrototypeGetLength(stateOf(this).bytes);
  }

  slice(start = 0, end = undefined, contentType = '') {
    const state = stateOf(this);
    const size = TypedArrayPrototypeGetLength(state.bytes);
    const relative = (value, fallback) => {
      if (value === undefined) return fallback;
      let n = MathTrunc(+value);
      // biome-ignore lint/suspicious/noSelfCompare: a NaN test that no guest patch of Number.isNaN can steer
      if (n !== n) n = 0;
      return n < 0 ? MathMax(size + n, 0) : MathMin(n, size);
    };
    const from = relative(start, 0);
    const to = relative(end, size);
    const blob = new Blob();
    WeakMapPrototypeSet(blobs, blob, {
      __proto__: null,
      bytes: subBuffer(state.bytes, from, MathMax(to, from)),
      type: normalizeType(contentType),
    });
    return blob;
  }

  arrayBuffer() {
    let state;
    try {
      state = stateOf(this);
    } catch (err) {
      return PromiseReject(err);
    }
    // A fresh copy: its buffer is exactly the blob's bytes.
    return PromiseResolve(TypedArrayPrototypeGetBuffer(copyOut(state.bytes)));
  }

  text() {
    let state;
    try {
      state = stateOf(this);
    } catch (err) {
      return PromiseReject(err);
    }
    const bytes = state.bytes;
    return PromiseResolve(sliceString(bytes, 0, TypedArrayPrototypeGetLength(bytes), UTF8));
  }

  bytes() {
    let state;
    try {
      state = stateOf(this);
    } catch (err) {
      return PromiseReject(err);
    }
    return PromiseResolve(copyOut(state.bytes));
  }

  stream() {
    const state = stateOf(this);
    const { ReadableStream } = loadLazyBuiltin('internal/webstreams_readable');
    const bytes = copyOut(state.bytes);
    // One chunk of all the bytes, as Node's.
    return new ReadableStream({
      type: 'bytes',
      start(controller) {
        if (TypedArrayPrototypeGetLength(bytes) > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  [customInspectSymbol](depth, options) {
    if (depth < 0) return this;
    const opts = {
      __proto__: null,
      ...options,
      depth: options.depth == null ? null : options.depth - 1,
    };
    return `Blob ${inspect({ size: this.size, type: this.type }, opts)}`;
  }
}

function copyOut(bytes) {
  const copy = new Uint8ArrayCtor(TypedArrayPrototypeGetLength(bytes));
  TypedArrayPrototypeSet(copy, bytes, 0);
  return copy;
}

ObjectDefineProperty(Blob.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'Blob',
});
const BLOB_MEMBERS = ['type', 'size', 'slice', 'arrayBuffer', 'text', 'bytes', 'stream'];
for (let i = 0; i < BLOB_MEMBERS.length; i++) {
  ObjectDefineProperty(Blob.prototype, BLOB_MEMBERS[i], { __proto__: null, enumerable: true });
}

const files = new WeakMapCtor();

function fileState(self) {
  const state = WeakMapPrototypeGet(files, self);
  if (state === undefined) throw invalidThis('File');
  return state;
}

export class File extends Blob {
  constructor(fileBits, fileName, options = undefined) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 2) throw missingArgs('fileBits', 'fileName');
    super(fileBits, options);
    let lastModified = options?.lastModified;
    if (lastModified !== undefined) {
      lastModified = +lastModified;
      // biome-ignore lint/suspicious/noSelfCompare: a NaN test that no guest patch of Number.isNaN can steer
      if (lastModified !== lastModified) lastModified = 0;
    } else {
      lastModified = webPrimordials.DateNow();
    }
    WeakMapPrototypeSet(files, this, { __proto__: null, name: `${fileName}`, lastModified });
  }

  get name() {
    return fileState(this).name;
  }

  get lastModified() {
    return fileState(this).lastModified;
  }

  [customInspectSymbol](depth, options) {
    if (depth < 0) return this;
    const opts = {
      __proto__: null,
      ...options,
      depth: options.depth == null ? null : options.depth - 1,
    };
    return `File ${inspect(
      { size: this.size, type: this.type, name: this.name, lastModified: this.lastModified },
      opts,
    )}`;
  }
}

ObjectDefineProperty(File.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'File',
});
ObjectDefineProperty(File.prototype, 'name', { __proto__: null, enumerable: true });
ObjectDefineProperty(File.prototype, 'lastModified', { __proto__: null, enumerable: true });

// ---- object URLs (blob:nodedata:<id>) ----

const objectUrls = new MapCtor();

export function isBlob(value) {
  return WeakMapPrototypeGet(blobs, value) !== undefined;
}

export function registerObjectURL(id, blob) {
  MapPrototypeSet(objectUrls, id, blob);
}

export function revokeObjectURLId(id) {
  MapPrototypeDelete(objectUrls, id);
}

export function resolveObjectURL(url) {
  url = `${url}`;
  const prefix = 'blob:nodedata:';
  if (!StringPrototypeStartsWith(url, prefix)) return undefined;
  let id = StringPrototypeSlice(url, prefix.length);
  const hash = StringPrototypeIndexOf(id, '#');
  if (hash !== -1) id = StringPrototypeSlice(id, 0, hash);
  const blob = MapPrototypeGet(objectUrls, id);
  // Like Node, a new Blob over the same bytes.
  return blob === undefined ? undefined : blob.slice(0, blob.size, blob.type);
}

/** The bytes and type of a blob (not copied: callers must not write to them). */
export function blobParts(blob) {
  const state = stateOf(blob);
  return { __proto__: null, bytes: state.bytes, type: state.type };
}

// structuredClone of a Blob or File (Node 22): the same bytes and type (and a File's name and
// lastModified) under the same class; the bytes are never written, so the clone shares them.
function cloneBlob(blob) {
  const file = WeakMapPrototypeGet(files, blob);
  const clone = ObjectCreate(file === undefined ? Blob.prototype : File.prototype);
  WeakMapPrototypeSet(blobs, clone, stateOf(blob));
  if (file !== undefined) WeakMapPrototypeSet(files, clone, file);
  markCloneable(clone, cloneBlob);
  return clone;
}
