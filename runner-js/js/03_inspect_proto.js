// 03_inspect_proto.js: util.inspect's `showHidden` view of a user class's prototypes (Node's
// addPrototypeProperties): the accessors and data properties the first three prototypes of a
// non-builtin class add, each shown as a non-enumerable property (faint with colors).

import {
  ArrayPrototypePop,
  ArrayPrototypePush,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetOwnPropertyNames,
  ObjectGetPrototypeOf,
  ObjectPrototypeHasOwnProperty,
  ReflectOwnKeys,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
  StringPrototypeCharCodeAt,
} from './00_primordials.js';
import { kObjectType } from './02_inspect_base.js';

// Node's test for a builtin's name, /^[A-Z][a-zA-Z0-9]+$/, without a RegExp (running one while
// the runner loads would leave RegExp.$_ and friends set in every guest).
function isClassLikeName(name) {
  if (name.length < 2) return false;
  for (let i = 0; i < name.length; i++) {
    const c = StringPrototypeCharCodeAt(name, i);
    const upper = c >= 65 && c <= 90;
    if (i === 0 ? !upper : !(upper || (c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

// The global constructors of the language (as Node's builtInObjects, taken before any guest code).
const builtInObjects = new SetCtor();
{
  const names = ObjectGetOwnPropertyNames(globalThis);
  for (let i = 0; i < names.length; i++) {
    if (isClassLikeName(names[i])) SetPrototypeAdd(builtInObjects, names[i]);
  }
}

function isBuiltinConstructor(obj) {
  const descriptor = ObjectGetOwnPropertyDescriptor(obj, 'constructor');
  return (
    descriptor !== undefined &&
    typeof descriptor.value === 'function' &&
    SetPrototypeHas(builtInObjects, descriptor.value.name)
  );
}

/**
 * The prototype properties of `main` to show (undefined when none): `holder` says where its
 * constructor `constructor` was found; `formatProperty` formats one property.
 */
export function prototypeProperties(ctx, main, holder, constructor, recurseTimes, formatProperty) {
  if (holder.at === undefined) return undefined;
  if (holder.firstProto === holder.at && SetPrototypeHas(builtInObjects, constructor)) {
    return undefined;
  }
  const output = [];
  let obj = holder.firstProto || main;
  const seenKeys = new SetCtor();
  for (let depth = 0; depth < 3; depth++) {
    if (depth !== 0 || main === obj) {
      obj = ObjectGetPrototypeOf(obj);
      if (obj === null || isBuiltinConstructor(obj)) break;
    }
    const keys = ReflectOwnKeys(obj);
    ArrayPrototypePush(ctx.seen, main);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (
        key === 'constructor' ||
        ObjectPrototypeHasOwnProperty(main, key) ||
        SetPrototypeHas(seenKeys, key)
      ) {
        continue;
      }
      const desc = ObjectGetOwnPropertyDescriptor(obj, key);
      if (typeof desc.value === 'function') continue;
      const value = formatProperty(ctx, obj, recurseTimes, key, kObjectType, desc, main);
      ArrayPrototypePush(output, ctx.colors ? `\u001b[2m${value}\u001b[22m` : value);
    }
    ArrayPrototypePop(ctx.seen);
    for (let i = 0; i < keys.length; i++) SetPrototypeAdd(seenKeys, keys[i]);
  }
  return output.length === 0 ? undefined : output;
}
