// lib/internal__webstreams_strategies.js: the WHATWG queuing strategies, ByteLengthQueuingStrategy
// and CountQueuingStrategy.

import { TypeErrorCtor } from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { defineToStringTag } from './internal__webstreams_inspect.js';

export class ByteLengthQueuingStrategy {
  #highWaterMark;

  constructor(init) {
    if (init === null || typeof init !== 'object') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_TYPE',
        `The "init" argument must be of type object. Received ${init === null ? 'null' : `type ${typeof init}`}`,
      );
    }
    if (init.highWaterMark === undefined) {
      throw makeNodeError(TypeErrorCtor, 'ERR_MISSING_OPTION', 'init.highWaterMark is required');
    }
    this.#highWaterMark = +init.highWaterMark;
  }

  get highWaterMark() {
    return this.#highWaterMark;
  }

  get size() {
    return byteLengthSize;
  }
}
defineToStringTag(ByteLengthQueuingStrategy, 'ByteLengthQueuingStrategy');

function byteLengthSize(chunk) {
  return chunk.byteLength;
}

export class CountQueuingStrategy {
  #highWaterMark;

  constructor(init) {
    if (init === null || typeof init !== 'object') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_TYPE',
        `The "init" argument must be of type object. Received ${init === null ? 'null' : `type ${typeof init}`}`,
      );
    }
    if (init.highWaterMark === undefined) {
      throw makeNodeError(TypeErrorCtor, 'ERR_MISSING_OPTION', 'init.highWaterMark is required');
    }
    this.#highWaterMark = +init.highWaterMark;
  }

  get highWaterMark() {
    return this.#highWaterMark;
  }

  get size() {
    return countSize;
  }
}
defineToStringTag(CountQueuingStrategy, 'CountQueuingStrategy');

function countSize() {
  return 1;
}
