// lib/internal__form_data.js: WHATWG `FormData` as Node's fetch (undici) has it, its
// `multipart/form-data` encoding for request bodies (boundary, escaping and line-break
// normalisation as undici writes them) and the parser behind `Request`/`Response.formData()`
// (multipart and `application/x-www-form-urlencoded`).
import {
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  FunctionPrototypeCall,
  MathFloor,
  MathRandom,
  ObjectDefineProperty,
  RegExpPrototypeSymbolReplace,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeToLowerCase,
  StringPrototypeTrim,
  SymbolIterator,
  SymbolToStringTag,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { blobParts, File, isBlob } from './internal__blob.js';
import { URLSearchParams } from './internal__url.js';

// formData -> [{ name, value }] (value: string or File), in order.
const lists = new WeakMapCtor();
const { StringPrototypeToWellFormed } = webPrimordials;

// undici's (webidl) messages, word for word.
function listOf(self) {
  const list = WeakMapPrototypeGet(lists, self);
  if (list === undefined) throw new TypeErrorCtor('Illegal invocation');
  return list;
}

/** Appends without going through the (guest-patchable) prototype. */
function pushEntry(list, name, value) {
  ArrayPrototypePush(list, { __proto__: null, name, value });
}

function needArgs(method, argc) {
  if (argc < 2) {
    throw new TypeErrorCtor(`FormData.${method}: 2 arguments required, but only ${argc} found.`);
  }
}

/** A USVString: lone surrogates become U+FFFD. */
function usv(value) {
  return StringPrototypeToWellFormed(`${value}`);
}

/** An entry's value: a string, or a File (a Blob becomes one named `blob` or `filename`). */
function entryValue(method, value, filename, argc) {
  if (!isBlob(value)) {
    if (argc > 2) {
      throw new TypeErrorCtor(
        `Failed to execute '${method}' on 'FormData': parameter 2 is not of type 'Blob'`,
      );
    }
    return usv(value);
  }
  const isFile = value instanceof File;
  if (isFile && filename === undefined) return value;
  const name = filename !== undefined ? usv(filename) : isFile ? value.name : 'blob';
  const options = { type: value.type };
  if (isFile) options.lastModified = value.lastModified;
  return new File([value], name, options);
}

export class FormData {
  constructor(form = undefined) {
    if (form !== undefined) {
      throw new TypeErrorCtor(
        'FormData constructor: Argument 1 could not be converted to: undefined.',
      );
    }
    WeakMapPrototypeSet(lists, this, []);
  }

  append(name, value, filename = undefined) {
    const list = listOf(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (the spec counts them)
    const argc = arguments.length;
    needArgs('append', argc);
    ArrayPrototypePush(list, {
      __proto__: null,
      name: usv(name),
      value: entryValue('append', value, filename, argc),
    });
  }

  delete(name) {
    const list = listOf(this);
    const key = usv(name);
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].name === key) ArrayPrototypeSplice(list, i, 1);
    }
  }

  get(name) {
    const list = listOf(this);
    const key = usv(name);
    for (let i = 0; i < list.length; i++) if (list[i].name === key) return list[i].value;
    return null;
  }

  getAll(name) {
    const list = listOf(this);
    const key = usv(name);
    const out = [];
    for (let i = 0; i < list.length; i++) {
      if (list[i].name === key) ArrayPrototypePush(out, list[i].value);
    }
    return out;
  }

  has(name) {
    return this.get(name) !== null;
  }

  set(name, value, filename = undefined) {
    const list = listOf(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (the spec counts them)
    const argc = arguments.length;
    needArgs('set', argc);
    const entry = {
      __proto__: null,
      name: usv(name),
      value: entryValue('set', value, filename, argc),
    };
    let first = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].name !== entry.name) continue;
      if (first !== -1) ArrayPrototypeSplice(list, first, 1);
      first = i;
    }
    if (first === -1) ArrayPrototypePush(list, entry);
    else list[first] = entry;
  }

  entries() {
    return new FormDataIterator(listOf(this), 'key+value');
  }

  keys() {
    return new FormDataIterator(listOf(this), 'key');
  }

  values() {
    return new FormDataIterator(listOf(this), 'value');
  }

  forEach(callback, thisArg = undefined) {
    const list = listOf(this);
    if (typeof callback !== 'function') {
      throw new TypeErrorCtor(
        "Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.",
      );
    }
    for (let i = 0; i < list.length; i++) {
      FunctionPrototypeCall(callback, thisArg, list[i].value, list[i].name, this);
    }
  }

  [SymbolIterator]() {
    return this.entries();
  }
}

ObjectDefineProperty(FormData.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'FormData',
});

/** A live iterator over a FormData's list, as Web IDL's pair iterators are. */
class FormDataIterator {
  #list;
  #kind;
  #index = 0;

  constructor(list, kind) {
    this.#list = list;
    this.#kind = kind;
  }

  next() {
    if (this.#index >= this.#list.length) return { value: undefined, done: true };
    const entry = this.#list[this.#index++];
    if (this.#kind === 'key') return { value: entry.name, done: false };
    if (this.#kind === 'value') return { value: entry.value, done: false };
    return { value: [entry.name, entry.value], done: false };
  }

  [SymbolIterator]() {
    return this;
  }
}

ObjectDefineProperty(FormDataIterator.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'FormData Iterator',
});

export function isFormData(value) {
  return WeakMapPrototypeGet(lists, value) !== undefined;
}

// ---- multipart/form-data encoding (as undici's extractBody writes it) ----

const LINE_BREAKS = /\r(?!\n)|(?<!\r)\n/g;
const ESCAPES = /[\n\r"]/g;

function normalizeLinefeeds(s) {
  return RegExpPrototypeSymbolReplace(LINE_BREAKS, s, '\r\n');
}

function escapeName(s) {
  return RegExpPrototypeSymbolReplace(ESCAPES, s, (c) =>
    c === '\n' ? '%0A' : c === '\r' ? '%0D' : '%22',
  );
}

function boundary() {
  let digits = '';
  for (let i = 0; i < 11; i++) digits += MathFloor(MathRandom() * 10);
  return `----formdata-agentos-0${digits}`;
}

/** The body of a FormData: `{ bytes, type }` with a fresh boundary. */
export function formDataBody(fd) {
  const list = listOf(fd);
  const mark = boundary();
  const prefix = `--${mark}\r\nContent-Disposition: form-data`;
  const parts = [];
  let total = 0;
  const add = (bytes) => {
    ArrayPrototypePush(parts, bytes);
    total += TypedArrayPrototypeGetByteLength(bytes);
  };
  for (let i = 0; i < list.length; i++) {
    const { name, value } = list[i];
    const field = escapeName(normalizeLinefeeds(name));
    if (typeof value === 'string') {
      add(bridgeUtf8Encode(`${prefix}; name="${field}"\r\n\r\n${normalizeLinefeeds(value)}\r\n`));
      continue;
    }
    const { bytes, type } = blobParts(value);
    const head =
      `${prefix}; name="${field}"; filename="${escapeName(value.name)}"\r\n` +
      `Content-Type: ${type || 'application/octet-stream'}\r\n\r\n`;
    add(bridgeUtf8Encode(head));
    add(bytes);
    add(bridgeUtf8Encode('\r\n'));
  }
  add(bridgeUtf8Encode(`--${mark}--\r\n`));
  const out = new Uint8ArrayCtor(total);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    TypedArrayPrototypeSet(out, parts[i], at);
    at += TypedArrayPrototypeGetByteLength(parts[i]);
  }
  return { bytes: out, type: `multipart/form-data; boundary=${mark}` };
}

// ---- parsing, for Body.formData() ----

// Node's fetch says only this for every malformed body; `what` is for the reader of this code.
function formDataError(_what) {
  return new TypeErrorCtor('Failed to parse body as FormData.');
}

/** A parameter of a header value (`boundary`, `name`, `filename`), unquoted. */
function parameter(value, key) {
  const lower = StringPrototypeToLowerCase(value);
  let at = 0;
  for (;;) {
    const semi = StringPrototypeIndexOf(lower, ';', at);
    if (semi === -1) return null;
    const eq = StringPrototypeIndexOf(lower, '=', semi);
    if (eq === -1) return null;
    at = semi + 1;
    if (StringPrototypeTrim(StringPrototypeSlice(lower, semi + 1, eq)) !== key) continue;
    let rest = StringPrototypeTrim(StringPrototypeSlice(value, eq + 1));
    if (rest[0] === '"') {
      const end = StringPrototypeIndexOf(rest, '"', 1);
      return end === -1 ? StringPrototypeSlice(rest, 1) : StringPrototypeSlice(rest, 1, end);
    }
    const end = StringPrototypeIndexOf(rest, ';');
    if (end !== -1) rest = StringPrototypeSlice(rest, 0, end);
    return StringPrototypeTrim(rest);
  }
}

/** The index of `needle` in `bytes` from `from`, or -1. */
function indexOfBytes(bytes, needle, from) {
  const n = needle.length;
  const last = bytes.length - n;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < n; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function unescapeName(s) {
  return RegExpPrototypeSymbolReplace(/%0A|%0D|%22/g, s, (e) =>
    e === '%0A' ? '\n' : e === '%0D' ? '\r' : '"',
  );
}

/** One part: its header lines parsed, its body bytes appended to `fd`. */
function addPart(fd, head, body) {
  let disposition = null;
  let type = '';
  const lines = StringPrototypeSplit(head, '\r\n');
  for (let i = 0; i < lines.length; i++) {
    const colon = StringPrototypeIndexOf(lines[i], ':');
    if (colon === -1) continue;
    const key = StringPrototypeToLowerCase(
      StringPrototypeTrim(StringPrototypeSlice(lines[i], 0, colon)),
    );
    const value = StringPrototypeTrim(StringPrototypeSlice(lines[i], colon + 1));
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') type = value;
  }
  const name = disposition === null ? null : parameter(disposition, 'name');
  if (name === null) throw formDataError('a part has no name');
  const filename = parameter(disposition, 'filename');
  const value =
    filename === null
      ? bridgeUtf8Decode(body, false)
      : new File([body], unescapeName(filename), { type });
  pushEntry(listOf(fd), unescapeName(name), value);
}

function parseMultipart(bytes, contentType) {
  const mark = parameter(contentType, 'boundary');
  // RFC 2046: 1 to 70 characters (a longer one would make the scan below quadratic).
  if (mark === null || mark === '' || mark.length > 70) throw formDataError('bad boundary');
  const dash = bridgeUtf8Encode(`--${mark}`);
  const next = bridgeUtf8Encode(`\r\n--${mark}`);
  const blank = bridgeUtf8Encode('\r\n\r\n');
  const fd = new FormData();
  // As Node's fetch: the body starts with the boundary (no preamble).
  if (indexOfBytes(bytes, dash, 0) !== 0) throw formDataError('no opening boundary');
  let at = dash.length;
  for (;;) {
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return fd; // `--`: the closing boundary
    if (bytes[at] !== 0x0d || bytes[at + 1] !== 0x0a) throw formDataError('bad boundary line');
    const headEnd = indexOfBytes(bytes, blank, at + 2);
    if (headEnd === -1) throw formDataError('a part has no end of headers');
    const head = bridgeUtf8Decode(TypedArrayPrototypeSubarray(bytes, at + 2, headEnd), false);
    const bodyEnd = indexOfBytes(bytes, next, headEnd + 4);
    if (bodyEnd === -1) throw formDataError('no closing boundary');
    const body = new Uint8ArrayCtor(TypedArrayPrototypeSubarray(bytes, headEnd + 4, bodyEnd));
    addPart(fd, head, body);
    at = bodyEnd + next.length;
  }
}

/** `Body.formData()`: the body's bytes as FormData, by its content type. */
export function parseFormData(bytes, contentType) {
  const type = StringPrototypeToLowerCase(contentType ?? '');
  if (StringPrototypeIndexOf(type, 'multipart/form-data') === 0) {
    return parseMultipart(bytes, contentType);
  }
  if (StringPrototypeIndexOf(type, 'application/x-www-form-urlencoded') === 0) {
    const fd = new FormData();
    const params = new URLSearchParams(bridgeUtf8Decode(bytes, false));
    const list = listOf(fd);
    params.forEach((v, k) => {
      pushEntry(list, k, v);
    });
    return fd;
  }
  throw new TypeErrorCtor(
    'Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".',
  );
}
