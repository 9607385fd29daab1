// lib/stream__web.js: `stream/web`, the WHATWG streams (also the globals of the same names).
import { CompressionStream, DecompressionStream } from './internal__webstreams_compression.js';
import { TextDecoderStream, TextEncoderStream } from './internal__webstreams_encoding.js';
import {
  ReadableStream,
  ReadableStreamDefaultController,
  ReadableStreamDefaultReader,
} from './internal__webstreams_readable.js';
import {
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
} from './internal__webstreams_strategies.js';
import {
  TransformStream,
  TransformStreamDefaultController,
} from './internal__webstreams_transform.js';
import {
  WritableStream,
  WritableStreamDefaultController,
  WritableStreamDefaultWriter,
} from './internal__webstreams_writable.js';

export const webStreams = {
  ReadableStream,
  ReadableStreamDefaultReader,
  ReadableStreamDefaultController,
  TransformStream,
  TransformStreamDefaultController,
  WritableStream,
  WritableStreamDefaultWriter,
  WritableStreamDefaultController,
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  TextEncoderStream,
  TextDecoderStream,
  CompressionStream,
  DecompressionStream,
};
export const moduleExports = webStreams;
