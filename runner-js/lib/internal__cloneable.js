// lib/internal__cloneable.js: the objects structuredClone clones by their class's own rule
// (Node's JSTransferable `markTransferMode(this, cloneable)`): a marked object is cloned by the
// function it was marked with, called while serializing. Its own module so that the classes
// structuredClone knows (DOMException among them) can mark their objects without an import cycle.

import { bridge } from 'agentos:bridge';
import {
  MapPrototypeGet,
  ObjectPrototypeToString,
  StringPrototypeSlice,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';

const markNative = bridge.markCloneable;
const cloners = new WeakMapCtor();
// Until an object is marked, the serializer asks about none (the fast path).
let anyMarked = false;

/** Makes `object` one structuredClone clones by `clone(object)`. */
export function markCloneable(object, clone) {
  WeakMapPrototypeSet(cloners, object, clone);
  markNative(object);
  anyMarked = true;
}

function cloneHost(object) {
  const clone = WeakMapPrototypeGet(cloners, object);
  return clone(object);
}

/** The serializer's callback for marked objects, or undefined while none is marked. */
export function hostCloner() {
  return anyMarked ? cloneHost : undefined;
}

// Transferable-only objects (web streams): the clones of this call's transfer list (object ->
// clone), and how a DataCloneError is made (structuredClone's, set when it loads).
let transferring;
let cloneError;

function cloneTransferred(object) {
  const clone = transferring === undefined ? undefined : MapPrototypeGet(transferring, object);
  if (clone === undefined) {
    throw cloneError(`#<${tagOf(object)}> could not be cloned.`);
  }
  return clone;
}

/** The class tag of `object` (`ReadableStream` for `[object ReadableStream]`). */
export function tagOf(object) {
  return StringPrototypeSlice(ObjectPrototypeToString(object), 8, -1);
}

/** Makes `object` one structuredClone can transfer but not clone. */
export function markTransferable(object) {
  markCloneable(object, cloneTransferred);
}

/** Sets the transferred objects' clones for the clone now starting; returns the outer ones. */
export function swapTransferring(clones) {
  const outer = transferring;
  transferring = clones;
  return outer;
}

export function setCloneError(makeError) {
  cloneError = makeError;
}
