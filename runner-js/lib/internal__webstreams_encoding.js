// lib/internal__webstreams_encoding.js: TextEncoderStream and TextDecoderStream (the Encoding
// Standard's streams), each a TransformStream over the runner's TextEncoder or TextDecoder.

import {
  bridgeUtf8Encode,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { TextDecoder, TextDecoderPrototypeDecode } from '../js/07_encoding.js';
import { defineInspect, enumerableAccessors } from './internal__webstreams_inspect.js';
import { TransformStream } from './internal__webstreams_transform.js';
import { invalidThis } from './internal__webstreams_util.js';

// U+FFFD in UTF-8: what a lone surrogate becomes.
const REPLACEMENT = [0xef, 0xbf, 0xbd];

function isHighSurrogate(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

export class TextEncoderStream {
  #encoding = 'utf-8';
  // A high surrogate that ended the last chunk: its low half may start the next one.
  #pendingHigh = '';
  #transform;

  constructor() {
    this.#transform = new TransformStream({
      transform: (chunk, controller) => {
        let text = this.#pendingHigh + StringCtor(chunk);
        this.#pendingHigh = '';
        if (text !== '' && isHighSurrogate(StringPrototypeCharCodeAt(text, text.length - 1))) {
          this.#pendingHigh = StringPrototypeSlice(text, -1);
          text = StringPrototypeSlice(text, 0, -1);
        }
        if (text !== '') controller.enqueue(bridgeUtf8Encode(text));
      },
      flush: (controller) => {
        if (this.#pendingHigh !== '') controller.enqueue(new Uint8ArrayCtor(REPLACEMENT));
      },
    });
  }

  get encoding() {
    return this.#encoding;
  }

  get readable() {
    return this.#transform.readable;
  }

  get writable() {
    return this.#transform.writable;
  }
}

export class TextDecoderStream {
  #decoder;
  #transform;

  constructor(encoding = 'utf-8', options = undefined) {
    this.#decoder = new TextDecoder(encoding, options);
    this.#transform = new TransformStream({
      transform: (chunk, controller) => {
        // Node's message for a missing chunk.
        if (chunk === undefined) throw invalidThis('TextDecoderStream');
        const text = TextDecoderPrototypeDecode(this.#decoder, chunk, { stream: true });
        if (text !== '') controller.enqueue(text);
      },
      flush: (controller) => {
        const text = TextDecoderPrototypeDecode(this.#decoder);
        if (text !== '') controller.enqueue(text);
      },
    });
  }

  get encoding() {
    return this.#decoder.encoding;
  }

  get fatal() {
    return this.#decoder.fatal;
  }

  get ignoreBOM() {
    return this.#decoder.ignoreBOM;
  }

  get readable() {
    return this.#transform.readable;
  }

  get writable() {
    return this.#transform.writable;
  }
}

enumerableAccessors(TextEncoderStream, ['encoding', 'readable', 'writable']);
enumerableAccessors(TextDecoderStream, ['encoding', 'fatal', 'ignoreBOM', 'readable', 'writable']);
defineInspect(TextEncoderStream, 'TextEncoderStream', (s) => ({
  encoding: s.encoding,
  readable: s.readable,
  writable: s.writable,
}));
defineInspect(TextDecoderStream, 'TextDecoderStream', (s) => ({
  encoding: s.encoding,
  fatal: s.fatal,
  ignoreBOM: s.ignoreBOM,
  readable: s.readable,
  writable: s.writable,
}));
