// lib/internal__webstreams_transfer.js: a web stream in structuredClone's transfer list, as
// Node's transfer of ReadableStream/WritableStream/TransformStream through a MessagePort: the
// original is locked for good and the clone, a plain stream of the base class, reads from (or
// writes to) it, each chunk structured-cloned on its way. Both ends live in this guest, so no
// port is needed: the clone drives the original through its reader or writer directly.

import { ObjectCreate, PromiseReject } from '../js/00_primordials.js';
import { markTransferable } from './internal__cloneable.js';
import { DOMException } from './internal__dom_exception.js';
import {
  controllerClose,
  controllerEnqueue,
  controllerError,
  createReadableStream,
  isReadableStream,
  ReadableStreamDefaultReader,
  readableStreamCancel,
  readerRead,
  readerRelease,
} from './internal__webstreams_readable.js';
import { isTransformStream, TransformStream } from './internal__webstreams_transform.js';
import { deferred, kState, noop, then } from './internal__webstreams_util.js';
import {
  createWritableStream,
  isWritableStream,
  WritableStreamDefaultWriter,
  writableStreamAbort,
  writableStreamClose,
  writerRelease,
  writerWrite,
} from './internal__webstreams_writable.js';

function lockedError(name) {
  return new DOMException(`Cannot transfer a locked ${name}`, 'DataCloneError');
}

/** Whether `value` is a stream structuredClone can transfer. */
export function isTransferableStream(value) {
  return isReadableStream(value) || isWritableStream(value) || isTransformStream(value);
}

/** Locks `stream` (a transferable stream) and returns its clone; `cloneChunk` clones a chunk. */
export function transferStream(stream, cloneChunk) {
  if (isReadableStream(stream)) return transferReadable(stream, cloneChunk);
  if (isWritableStream(stream)) return transferWritable(stream, cloneChunk);
  const s = stream[kState];
  if (s.readable[kState].reader !== undefined || s.writable[kState].writer !== undefined) {
    throw lockedError('TransformStream');
  }
  const clone = ObjectCreate(TransformStream.prototype);
  markTransferable(clone);
  clone[kState] = {
    isTransform: true,
    readable: transferReadable(s.readable, cloneChunk),
    writable: transferWritable(s.writable, cloneChunk),
  };
  return clone;
}

function transferReadable(stream, cloneChunk) {
  if (stream[kState].reader !== undefined) throw lockedError('ReadableStream');
  const reader = new ReadableStreamDefaultReader(stream);
  const pull = (controller) => {
    const done = deferred();
    readerRead(reader, {
      chunk(value) {
        try {
          controllerEnqueue(controller, cloneChunk(value));
        } catch (err) {
          controllerError(controller, err);
          readableStreamCancel(stream, err);
        }
        done.resolve(undefined);
      },
      close() {
        // As a finished pipe: the original is unlocked again (and closed).
        readerRelease(reader);
        controllerClose(controller);
        done.resolve(undefined);
      },
      error(err) {
        readerRelease(reader);
        controllerError(controller, err);
        done.resolve(undefined);
      },
    });
    return done.promise;
  };
  return createReadableStream(noop, pull, (reason) => readableStreamCancel(stream, reason), 0);
}

function transferWritable(stream, cloneChunk) {
  if (stream[kState].writer !== undefined) throw lockedError('WritableStream');
  const writer = new WritableStreamDefaultWriter(stream);
  return createWritableStream(
    noop,
    (chunk) => {
      try {
        return writerWrite(writer, cloneChunk(chunk));
      } catch (err) {
        return PromiseReject(err);
      }
    },
    () => released(writer, writableStreamClose(stream)),
    (reason) => released(writer, writableStreamAbort(stream, reason)),
  );
}

// As a finished pipe: once `done` settles, the original is unlocked again.
function released(writer, done) {
  const release = () => writerRelease(writer);
  then(done, release, release);
  return done;
}
