// lib/internal__webstreams_compression.js: CompressionStream and DecompressionStream (the
// Compression Standard's streams: `gzip`, `deflate`, `deflate-raw`, and Node 22's `brotli`),
// each a readable/writable pair over one of zlib's Node streams. zlib and the stream adapters
// load with the first one made, not with `stream/web`.

import { makeInvalidArgValue } from '../js/06_errors.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import {
  defineInspect,
  defineToStringTag,
  enumerableAccessors,
} from './internal__webstreams_inspect.js';

const COMPRESSORS = {
  __proto__: null,
  brotli: 'createBrotliCompress',
  gzip: 'createGzip',
  deflate: 'createDeflate',
  'deflate-raw': 'createDeflateRaw',
};
const DECOMPRESSORS = {
  __proto__: null,
  brotli: 'createBrotliDecompress',
  gzip: 'createGunzip',
  deflate: 'createInflate',
  'deflate-raw': 'createInflateRaw',
};

// The readable/writable pair over zlib stream `makers[format]`; ERR_INVALID_ARG_VALUE for any
// other format (a format is never converted to a string first, as in Node).
function zlibPair(makers, format) {
  const maker = typeof format === 'string' ? makers[format] : undefined;
  if (maker === undefined) throw makeInvalidArgValue('format', format);
  const zlib = loadLazyBuiltin('zlib').moduleExports;
  return loadLazyBuiltin('internal/stream_web_adapters').duplexToWeb(zlib[maker]());
}

export class CompressionStream {
  #pair;

  constructor(format) {
    this.#pair = zlibPair(COMPRESSORS, format);
  }

  get readable() {
    return this.#pair.readable;
  }

  get writable() {
    return this.#pair.writable;
  }
}

export class DecompressionStream {
  #pair;

  constructor(format) {
    this.#pair = zlibPair(DECOMPRESSORS, format);
  }

  get readable() {
    return this.#pair.readable;
  }

  get writable() {
    return this.#pair.writable;
  }
}

defineToStringTag(CompressionStream, 'CompressionStream');
defineToStringTag(DecompressionStream, 'DecompressionStream');
enumerableAccessors(CompressionStream, ['readable', 'writable']);
enumerableAccessors(DecompressionStream, ['readable', 'writable']);
const pairFields = (s) => ({ readable: s.readable, writable: s.writable });
defineInspect(CompressionStream, 'CompressionStream', pairFields);
defineInspect(DecompressionStream, 'DecompressionStream', pairFields);
