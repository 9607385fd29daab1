// lib/internal__structured_clone.js: `structuredClone(value, { transfer })`. The clone is V8's
// own ValueSerializer/ValueDeserializer (engine/src/bridge/clone.rs), as Node 20's native
// structuredClone: every type V8 knows clones exactly as there, with V8's messages; what cannot
// be cloned throws a DOMException named DataCloneError. Transferred ArrayBuffers are detached
// and their memory moves to the clone. Objects of Node's cloneable classes (`markCloneable`:
// net.BlockList, net.SocketAddress) clone as their class says.

import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypePush,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { isArrayBuffer } from '../js/01_helpers.js';
import { makeNodeError } from '../js/06_errors.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { DOMException } from './internal__dom_exception.js';

const nativeClone = bridge.structuredClone;
const markNative = bridge.markCloneable;
const cloners = new WeakMapCtor();
// Until an object is marked, the serializer asks about none (the fast path).
let anyMarked = false;

/** Makes `object` one structuredClone clones by `clone(object)` (Node's JSTransferable). */
export function markCloneable(object, clone) {
  WeakMapPrototypeSet(cloners, object, clone);
  markNative(object);
  anyMarked = true;
}

function cloneHost(object) {
  const clone = WeakMapPrototypeGet(cloners, object);
  return clone(object);
}

function dataCloneError(message) {
  return new DOMException(message, 'DataCloneError');
}

export function structuredClone(value, options = undefined) {
  if (arguments.length === 0) {
    throw makeNodeError(TypeErrorCtor, 'ERR_MISSING_ARGS', 'The value argument must be specified');
  }
  let transfer;
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object' && typeof options !== 'function') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_TYPE',
        'The options argument must be either an object or undefined',
      );
    }
    const list = options.transfer;
    if (list !== undefined && list !== null) {
      if (typeof list !== 'object' || typeof list[webPrimordials.SymbolIterator] !== 'function') {
        throw makeNodeError(
          TypeErrorCtor,
          'ERR_INVALID_ARG_TYPE',
          'Optional transferList argument must be an iterable',
        );
      }
      const items = webPrimordials.iterateToList(list);
      transfer = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (!isArrayBuffer(item)) {
          throw makeNodeError(
            TypeErrorCtor,
            'ERR_INVALID_TRANSFER_OBJECT',
            'Found invalid object in transferList',
          );
        }
        for (let j = 0; j < transfer.length; j++) {
          if (transfer[j] === item)
            throw dataCloneError('Transfer list contains duplicate ArrayBuffer');
        }
        ArrayPrototypePush(transfer, item);
      }
    }
  }
  return nativeClone(value, transfer, dataCloneError, anyMarked ? cloneHost : undefined);
}
