// lib/stream__consumers.js: `stream/consumers`, as Node 22's: the whole of a readable stream
// (any async iterable of chunks: Node streams, web ReadableStreams) as an ArrayBuffer, Blob,
// Buffer, text or JSON.

import { ArrayPrototypePush } from '../js/00_primordials.js';
import { TextDecoder } from '../js/07_encoding.js';
import { CjsJSONParse } from '../js/50_cjs_resolve.js';
import { Buffer } from './buffer.js';
import { Blob } from './internal__blob.js';

export async function blob(stream) {
  const chunks = [];
  for await (const chunk of stream) ArrayPrototypePush(chunks, chunk);
  return new Blob(chunks);
}

export async function arrayBuffer(stream) {
  const ret = await blob(stream);
  return ret.arrayBuffer();
}

export async function buffer(stream) {
  return Buffer.from(await arrayBuffer(stream));
}

export async function text(stream) {
  const dec = new TextDecoder();
  let str = '';
  for await (const chunk of stream) {
    if (typeof chunk === 'string') str += chunk;
    else str += dec.decode(chunk, { stream: true });
  }
  // Flush the decoder's buffered bytes.
  str += dec.decode(undefined, { stream: false });
  return str;
}

export async function json(stream) {
  return CjsJSONParse(await text(stream));
}
