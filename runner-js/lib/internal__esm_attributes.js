// lib/internal__esm_attributes.js: import attributes (`with { type: 'json' }`) as Node 22
// checks them: only `type`, only `json`, and required exactly for JSON modules.

import { ObjectKeys, TypeErrorCtor } from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';

/** Throws Node's error for an attribute other than `type` (checked before the format is known). */
export function checkAttributeKeys(attributes) {
  const keys = ObjectKeys(attributes);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== 'type') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
        `Import attribute "${keys[i]}" with value "${attributes[keys[i]]}" is not supported`,
      );
    }
  }
}

/** Throws Node's error when `attributes` do not fit module `url` of format `format`. */
export function checkAttributes(url, format, attributes) {
  checkAttributeKeys(attributes);
  const type = attributes.type;
  if (type !== undefined && type !== 'json') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED',
      `Import attribute "type" with value "${type}" is not supported`,
    );
  }
  if (format === 'json' && type !== 'json') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_IMPORT_ATTRIBUTE_MISSING',
      `Module "${url}" needs an import attribute of "type: json"`,
    );
  }
  if (format !== 'json' && type === 'json') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE',
      `Module "${url}" is not of type "json"`,
    );
  }
}

/** `{ type: 'json' }` from the flat [key, value, ...] list V8 gives. */
export function attributesOf(list, from) {
  const out = { __proto__: null };
  for (let i = from; i + 1 < list.length; i += 2) out[list[i]] = list[i + 1];
  return out;
}
