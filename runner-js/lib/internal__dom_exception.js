// lib/internal__dom_exception.js: `DOMException` (WebIDL), as Node 20's: name, message and the
// legacy `code` are getters over per-instance internals; the legacy code constants live on the
// constructor and its prototype.

import {
  ErrorCaptureStackTrace,
  ErrorCtor,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  SymbolToStringTag,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { markCloneable } from './internal__cloneable.js';

const internalsMap = new WeakMapCtor();
const nameToCodeMap = new MapCtor();

function internalsOf(self) {
  const internals = WeakMapPrototypeGet(internalsMap, self);
  if (internals === undefined) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_THIS',
      'Value of "this" must be of DOMException',
    );
  }
  return internals;
}

// structuredClone of a DOMException (Node 22): its name, message and stack.
function cloneDOMException(error) {
  const internals = internalsOf(error);
  const clone = new DOMException(internals.message, internals.name);
  ObjectDefineProperty(clone, 'stack', {
    __proto__: null,
    value: error.stack,
    configurable: true,
    writable: true,
    enumerable: false,
  });
  return clone;
}

export class DOMException {
  constructor(message = '', options = 'Error') {
    let name;
    let cause;
    let hasCause = false;
    if (options && typeof options === 'object') {
      name = `${options.name}`;
      if ('cause' in options) {
        hasCause = true;
        cause = options.cause;
      }
    } else {
      name = `${options}`;
    }
    WeakMapPrototypeSet(internalsMap, this, { __proto__: null, message: `${message}`, name });
    ErrorCaptureStackTrace(this);
    markCloneable(this, cloneDOMException);
    if (hasCause) {
      ObjectDefineProperty(this, 'cause', {
        __proto__: null,
        value: cause,
        configurable: true,
        writable: true,
        enumerable: false,
      });
    }
  }

  get name() {
    return internalsOf(this).name;
  }

  get message() {
    return internalsOf(this).message;
  }

  get code() {
    const code = MapPrototypeGet(nameToCodeMap, internalsOf(this).name);
    return code === undefined ? 0 : code;
  }
}

ObjectSetPrototypeOf(DOMException.prototype, ErrorCtor.prototype);
ObjectDefineProperty(DOMException.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'DOMException',
});
const ENUMERABLE = ['name', 'message', 'code'];
for (let i = 0; i < ENUMERABLE.length; i++) {
  ObjectDefineProperty(DOMException.prototype, ENUMERABLE[i], {
    __proto__: null,
    enumerable: true,
  });
}

const CODES = [
  ['IndexSizeError', 'INDEX_SIZE_ERR', 1],
  ['DOMStringSizeError', 'DOMSTRING_SIZE_ERR', 2],
  ['HierarchyRequestError', 'HIERARCHY_REQUEST_ERR', 3],
  ['WrongDocumentError', 'WRONG_DOCUMENT_ERR', 4],
  ['InvalidCharacterError', 'INVALID_CHARACTER_ERR', 5],
  ['NoDataAllowedError', 'NO_DATA_ALLOWED_ERR', 6],
  ['NoModificationAllowedError', 'NO_MODIFICATION_ALLOWED_ERR', 7],
  ['NotFoundError', 'NOT_FOUND_ERR', 8],
  ['NotSupportedError', 'NOT_SUPPORTED_ERR', 9],
  ['InUseAttributeError', 'INUSE_ATTRIBUTE_ERR', 10],
  ['InvalidStateError', 'INVALID_STATE_ERR', 11],
  ['SyntaxError', 'SYNTAX_ERR', 12],
  ['InvalidModificationError', 'INVALID_MODIFICATION_ERR', 13],
  ['NamespaceError', 'NAMESPACE_ERR', 14],
  ['InvalidAccessError', 'INVALID_ACCESS_ERR', 15],
  ['ValidationError', 'VALIDATION_ERR', 16],
  ['TypeMismatchError', 'TYPE_MISMATCH_ERR', 17],
  ['SecurityError', 'SECURITY_ERR', 18],
  ['NetworkError', 'NETWORK_ERR', 19],
  ['AbortError', 'ABORT_ERR', 20],
  ['URLMismatchError', 'URL_MISMATCH_ERR', 21],
  ['QuotaExceededError', 'QUOTA_EXCEEDED_ERR', 22],
  ['TimeoutError', 'TIMEOUT_ERR', 23],
  ['InvalidNodeTypeError', 'INVALID_NODE_TYPE_ERR', 24],
  ['DataCloneError', 'DATA_CLONE_ERR', 25],
];
for (let i = 0; i < CODES.length; i++) {
  const row = CODES[i];
  const desc = { __proto__: null, enumerable: true, value: row[2] };
  ObjectDefineProperty(DOMException, row[1], desc);
  ObjectDefineProperty(DOMException.prototype, row[1], desc);
  MapPrototypeSet(nameToCodeMap, row[0], row[2]);
}

/** A DOMException, for runner code. */
export function domException(message, name) {
  return new DOMException(message, name);
}
