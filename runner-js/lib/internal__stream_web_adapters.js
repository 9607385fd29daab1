// lib/internal__stream_web_adapters.js: Readable.fromWeb/toWeb, Writable.fromWeb/toWeb and
// Duplex.fromWeb/toWeb: Node streams over WHATWG streams and back (what a fetch body needs).

import { PromiseCtor, PromisePrototypeThen, TypeErrorCtor } from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { AbortError } from './internal__stream_core.js';
import { Duplex } from './internal__stream_duplex.js';
import { Readable } from './internal__stream_readable.js';
import { Writable } from './internal__stream_writable.js';
import { isReadableStream, ReadableStream } from './internal__webstreams_readable.js';
import { isWritableStream, WritableStream } from './internal__webstreams_writable.js';

// zlib's failures (the negative codes, and Z_NEED_DICT): a web stream over a zlib stream errors
// with a TypeError for them, as the Compression Standard and Node's adapters have it.
const ZLIB_FAILURES = {
  __proto__: null,
  Z_ERRNO: true,
  Z_STREAM_ERROR: true,
  Z_DATA_ERROR: true,
  Z_MEM_ERROR: true,
  Z_BUF_ERROR: true,
  Z_VERSION_ERROR: true,
  Z_NEED_DICT: true,
};

/** The error a web stream reports for `cause`, an error of the Node stream under it. */
function webError(cause) {
  const code = cause?.code;
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return new AbortError(undefined, { cause });
  if (typeof code !== 'string' || ZLIB_FAILURES[code] !== true) return cause;
  const error = new TypeErrorCtor(undefined, { cause });
  error.code = code;
  return error;
}

function objectModeOf(options) {
  return !!options?.objectMode;
}

export function readableFromWeb(readableStream, options = undefined) {
  if (!isReadableStream(readableStream)) {
    throw makeInvalidArgType('readableStream', 'ReadableStream', readableStream);
  }
  const reader = readableStream.getReader();
  let closed = false;
  const readable = new Readable({
    objectMode: objectModeOf(options),
    highWaterMark: options?.highWaterMark,
    encoding: options?.encoding,
    signal: options?.signal,
    read() {
      PromisePrototypeThen(
        reader.read(),
        (chunk) => {
          if (chunk.done) readable.push(null);
          else readable.push(chunk.value);
        },
        (error) => readable.destroy(error),
      );
    },
    destroy(error, callback) {
      const done = () => callback(error);
      if (!closed) PromisePrototypeThen(reader.cancel(error), done, done);
      else done();
    },
  });
  PromisePrototypeThen(
    reader.closed,
    () => {
      closed = true;
    },
    (error) => {
      closed = true;
      readable.destroy(error);
    },
  );
  return readable;
}

export function readableToWeb(streamReadable, options = undefined) {
  if (typeof streamReadable?.read !== 'function' || typeof streamReadable?.on !== 'function') {
    throw makeInvalidArgType('streamReadable', 'stream.Readable', streamReadable);
  }
  let controller;
  return new ReadableStream(
    {
      start(c) {
        controller = c;
        streamReadable.pause();
        streamReadable.on('data', (chunk) => {
          controller.enqueue(chunk);
          if (controller.desiredSize <= 0) streamReadable.pause();
        });
        streamReadable.on('end', () => controller.close());
        streamReadable.on('error', (error) => controller.error(webError(error)));
      },
      pull() {
        streamReadable.resume();
      },
      cancel(reason) {
        streamReadable.destroy(reason);
      },
    },
    options?.strategy ?? { highWaterMark: 1 },
  );
}

export function writableFromWeb(writableStream, options = undefined) {
  if (!isWritableStream(writableStream)) {
    throw makeInvalidArgType('writableStream', 'WritableStream', writableStream);
  }
  const writer = writableStream.getWriter();
  return new Writable({
    objectMode: objectModeOf(options),
    highWaterMark: options?.highWaterMark,
    decodeStrings: options?.decodeStrings,
    signal: options?.signal,
    write(chunk, encoding, callback) {
      PromisePrototypeThen(
        writer.ready,
        () => PromisePrototypeThen(writer.write(chunk), () => callback(), callback),
        callback,
      );
    },
    final(callback) {
      PromisePrototypeThen(writer.close(), () => callback(), callback);
    },
    destroy(error, callback) {
      const done = () => callback(error);
      if (error) PromisePrototypeThen(writer.abort(error), done, done);
      else done();
    },
  });
}

export function writableToWeb(streamWritable) {
  if (typeof streamWritable?.write !== 'function' || typeof streamWritable?.on !== 'function') {
    throw makeInvalidArgType('streamWritable', 'stream.Writable', streamWritable);
  }
  return new WritableStream({
    write(chunk) {
      return new PromiseCtor((resolve, reject) => {
        const ok = streamWritable.write(chunk, (error) => {
          if (error) reject(webError(error));
        });
        if (ok) resolve();
        else streamWritable.once('drain', resolve);
      });
    },
    close() {
      return new PromiseCtor((resolve, reject) => {
        streamWritable.once('error', (error) => reject(webError(error)));
        streamWritable.end(resolve);
      });
    },
    abort(reason) {
      streamWritable.destroy(reason);
    },
  });
}

export function duplexFromWeb(pair, options = undefined) {
  const readable = readableFromWeb(pair?.readable, options);
  const writable = writableFromWeb(pair?.writable, options);
  return Duplex.from({ readable, writable });
}

export function duplexToWeb(duplex) {
  return { readable: readableToWeb(duplex), writable: writableToWeb(duplex) };
}
