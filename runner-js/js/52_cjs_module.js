// 52_cjs_module.js: the `Module` object of CommonJS and the loader's state: `require.cache`, the
// main module, and a private record per Module (its filename, directory and parent) that a guest
// cannot reach or forge. Loading lives in 53_cjs_load.js.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ObjectDefineProperty,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './00_primordials.js';
import { makeInvalidArgType, makeNodeError } from './06_errors.js';
import { nodeSet, pathCwd, pathDirname, pathResolve } from './40_path.js';

let cjsCache; // require.cache (null-prototype object keyed by filename)
let cjsMain; // the entry Module (file mode), else undefined
let cjsInternalNew = false; // set by cjsNewModule right before `new Module(filename)`
const cjsRecords = new WeakMapCtor(); // Module -> { filename, dir, parent (record) }

// A fresh, empty cache for a new exec.
export function cjsCacheInit() {
  cjsCache = { __proto__: null };
}

// `require.cache` (the real cache, as in Node).
export function cjsGetCache() {
  return cjsCache;
}

export function cjsGetMain() {
  return cjsMain;
}

export function cjsSetMain(module) {
  cjsMain = module;
}

// The loader's own `new Module(filename, parent)`: `filename` is already absolute and normal.
export function cjsNewModule(filename, parent) {
  cjsInternalNew = true;
  return new Module(filename, parent);
}

// The record of a Module the loader or a guest made with `new Module`, else undefined.
export function cjsRecord(module) {
  return WeakMapPrototypeGet(cjsRecords, module);
}

export function Module(id = '', parent = undefined) {
  const path = pathDirname(`${id}`);
  // Plain assignments, as in Node (fast); a guest that made these names non-writable on
  // Object.prototype gets own data properties instead.
  try {
    this.id = id;
    this.path = path;
    this.exports = {};
    this.filename = null;
    this.loaded = false;
    this.children = [];
    this.paths = undefined;
  } catch {
    nodeSet(this, 'id', id);
    nodeSet(this, 'path', path);
    nodeSet(this, 'exports', {});
    nodeSet(this, 'filename', null);
    nodeSet(this, 'loaded', false);
    nodeSet(this, 'children', []);
    nodeSet(this, 'paths', undefined);
  }
  const parentRec =
    parent === undefined || parent === null ? undefined : WeakMapPrototypeGet(cjsRecords, parent);
  // The loader passes normalised absolute filenames; anything else is normalised here.
  const dir = cjsInternalNew ? path : pathResolve(path);
  cjsInternalNew = false;
  WeakMapPrototypeSet(cjsRecords, this, {
    __proto__: null,
    filename: `${id}`,
    dir,
    parent: parentRec,
    module: this,
    parentModule: parent,
  });
  if (parent !== undefined && parent !== null) cjsAddChild(parent, this);
}

export function cjsAddChild(parent, child) {
  let children;
  try {
    children = parent.children;
  } catch {
    return;
  }
  if (ArrayIsArray(children) && !ArrayPrototypeIncludes(children, child))
    ArrayPrototypePush(children, child);
}

ObjectDefineProperty(Module.prototype, 'parent', {
  __proto__: null,
  configurable: true,
  enumerable: false,
  get() {
    const rec = WeakMapPrototypeGet(cjsRecords, this);
    return rec === undefined ? undefined : rec.parentModule;
  },
});

// Record of a module the loader did not make (guest-made `new Module()`): resolves from the cwd.
export function cjsRecordOf(module) {
  const rec =
    module !== null && (typeof module === 'object' || typeof module === 'function')
      ? WeakMapPrototypeGet(cjsRecords, module)
      : undefined;
  if (rec !== undefined) return rec;
  return {
    __proto__: null,
    filename: `${pathCwd()}/[eval]`,
    dir: pathCwd(),
    parent: undefined,
    module,
    parentModule: undefined,
  };
}

export function cjsValidateId(id) {
  if (typeof id !== 'string') throw makeInvalidArgType('id', 'string', id);
  if (id === '') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      "The argument 'id' must be a non-empty string. Received ''",
    );
  }
}
