// lib/internal__structured_clone.js: `structuredClone(value, { transfer })`. The clone is V8's
// own ValueSerializer/ValueDeserializer (engine/src/bridge/clone.rs), as Node's native
// structuredClone: every type V8 knows clones exactly as there, with V8's messages; what cannot
// be cloned throws a DOMException named DataCloneError. Transferred ArrayBuffers are detached
// and their memory moves to the clone; transferred web streams are locked and their clones read
// from (or write to) them. Objects of Node's cloneable classes (`markCloneable`: DOMException,
// Blob, net.BlockList, net.SocketAddress) clone as their class says.

import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypePush,
  MapCtor,
  MapPrototypeSet,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { isArrayBuffer } from '../js/01_helpers.js';
import { makeNodeError } from '../js/06_errors.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { hostCloner, setCloneError, swapTransferring, tagOf } from './internal__cloneable.js';
import { DOMException } from './internal__dom_exception.js';
import { isTransferableStream, transferStream } from './internal__webstreams_transfer.js';

const nativeClone = bridge.structuredClone;
const prefix = "Failed to execute 'structuredClone'";

function dataCloneError(message) {
  return new DOMException(message, 'DataCloneError');
}
setCloneError(dataCloneError);

function invalidArg(message) {
  return makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', `${prefix}: ${message}`);
}

/** `options.transfer` as two lists: the ArrayBuffers for V8, and the streams. */
function readTransfer(options) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw invalidArg('Options cannot be converted to a dictionary');
  }
  const list = options.transfer;
  if (list === undefined) return undefined;
  if (
    list === null ||
    typeof list !== 'object' ||
    typeof list[webPrimordials.SymbolIterator] !== 'function'
  ) {
    throw invalidArg('transfer in Options can not be converted to sequence.');
  }
  // An array is read by index (no guest iterator runs); another iterable to its end.
  const items = ArrayIsArray(list) ? list : webPrimordials.iterateToList(list);
  const buffers = [];
  const streams = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isArrayBuffer(item)) {
      for (let j = 0; j < buffers.length; j++) {
        if (buffers[j] === item)
          throw dataCloneError('Transfer list contains duplicate ArrayBuffer');
      }
      ArrayPrototypePush(buffers, item);
    } else if (isTransferableStream(item)) {
      for (let j = 0; j < streams.length; j++) {
        if (streams[j] === item)
          throw dataCloneError(`Transfer list contains duplicate ${tagOf(item)}`);
      }
      ArrayPrototypePush(streams, item);
    } else {
      throw dataCloneError('Found invalid value in transferList.');
    }
  }
  return { buffers, streams };
}

export function structuredClone(value, options = undefined) {
  if (arguments.length === 0) {
    throw makeNodeError(TypeErrorCtor, 'ERR_MISSING_ARGS', 'The value argument must be specified');
  }
  const transfer = readTransfer(options);
  if (transfer === undefined || transfer.streams.length === 0) {
    return nativeClone(value, transfer?.buffers, dataCloneError, hostCloner());
  }
  const clones = new MapCtor();
  for (let i = 0; i < transfer.streams.length; i++) {
    const stream = transfer.streams[i];
    MapPrototypeSet(clones, stream, transferStream(stream, structuredClone));
  }
  const outer = swapTransferring(clones);
  try {
    return nativeClone(value, transfer.buffers, dataCloneError, hostCloner());
  } finally {
    swapTransferring(outer);
  }
}
