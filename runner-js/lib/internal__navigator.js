// lib/internal__navigator.js: Node 22's `navigator` global (lib/internal/navigator.js), an
// instance of `Navigator`, saying what the sandbox says: `os.availableParallelism()` processors,
// the ICU default locale, `Node.js/22`, `Linux x86_64`.

const IntlCollator = Intl.Collator;

import {
  ObjectDefineProperties,
  ObjectFreeze,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  SymbolToStringTag,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError, NODE_VERSION } from '../js/06_errors.js';
import { processObject } from '../js/20_exit.js';
import { availableParallelism } from './os.js';

const kInitialize = Symbol('kInitialize');

/** What `navigator.platform` says for this process (Node's getNavigatorPlatform). */
function navigatorPlatform() {
  const { platform, arch } = processObject;
  if (platform === 'darwin') return 'MacIntel';
  if (platform === 'win32') return 'Win32';
  if (platform === 'linux') {
    if (arch === 'ia32') return 'Linux i686';
    if (arch === 'x64') return 'Linux x86_64';
    return `Linux ${arch}`;
  }
  return `${platform} ${arch}`;
}

export class Navigator {
  #language;
  #languages;

  constructor(token) {
    if (token !== kInitialize) {
      throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
    }
  }

  get hardwareConcurrency() {
    return availableParallelism();
  }

  get language() {
    this.#language ??= new IntlCollator().resolvedOptions().locale || 'en-US';
    return this.#language;
  }

  get languages() {
    this.#languages ??= ObjectFreeze([this.language]);
    return this.#languages;
  }

  get userAgent() {
    return `Node.js/${StringPrototypeSlice(NODE_VERSION, 1, StringPrototypeIndexOf(NODE_VERSION, '.'))}`;
  }

  get platform() {
    return navigatorPlatform();
  }
}

const enumerable = { __proto__: null, enumerable: true };
ObjectDefineProperties(Navigator.prototype, {
  hardwareConcurrency: enumerable,
  language: enumerable,
  languages: enumerable,
  userAgent: enumerable,
  platform: enumerable,
  [SymbolToStringTag]: { __proto__: null, value: 'Navigator', configurable: true },
});

export const navigator = new Navigator(kInitialize);
