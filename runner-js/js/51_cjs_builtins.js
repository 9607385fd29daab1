// 51_cjs_builtins.js: the builtin modules of `require`: which names are builtins (with and
// without `node:`), the table of their exports (made on first use, once per exec), and the
// `process` methods that reach them (getBuiltinModule) or the filesystem (chdir). The `module`
// builtin is made by the loader (53_cjs_load.js), which registers its factory here.

import {
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ErrorCtor,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectPrototypeHasOwnProperty,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from './00_primordials.js';
import { makeInvalidArgType, makeNodeError } from './06_errors.js';
import { processObject } from './20_exit.js';
import {
  clearImmediate,
  clearInterval,
  clearTimeout,
  setImmediate,
  setInterval,
  setTimeout,
  timersActive,
  timersEnroll,
  timersUnenroll,
  timersUnrefActive,
} from './24_timers.js';
import { setProcessCwd } from './26_process.js';
import { globalConsole } from './27_console.js';
import { createPathModule, pathCwd, pathResolve, setExecCwd } from './40_path.js';
import { FS_ENOTDIR, fsFail, fsFiletype, fsIsErr } from './41_fs_core.js';
import { createFsModule } from './46_fs.js';
import { createEventsModule } from './47_node_events.js';
import { createUtilModule, utilDeprecate } from './48_node_util.js';
import { isLazyBuiltin, lazyBuiltinModule, lazyBuiltinNames } from './49_lazy.js';

const cjsBuiltinNames = [
  'console',
  'events',
  'fs',
  'fs/promises',
  'module',
  'path',
  'path/posix',
  'path/win32',
  'process',
  'timers',
  'util',
];
let cjsBuiltins; // Map name -> exports (per exec)
// `fs`, made at factory time so that the snapshot holds it ready (making it in a fresh isolate
// took 0.35 ms, and most programs require it); the isolate's exec takes it.
let fsPrebuilt = createFsModule();
let moduleBuiltinFactory; // makes the `module` builtin (registered by 53_cjs_load.js)

// A fresh table for a new exec.
export function cjsBuiltinsInit() {
  cjsBuiltins = new MapCtor();
}

// Registers the function that makes the `module` builtin.
export function cjsSetModuleBuiltinFactory(factory) {
  moduleBuiltinFactory = factory;
}

// Builtins that exist only with the `node:` scheme (`require('test')` is a package).
const PREFIX_ONLY = ['test'];

// `name` (without `node:`) names a builtin that a bare specifier may reach.
export function cjsIsBuiltin(name) {
  return !ArrayPrototypeIncludes(PREFIX_ONLY, name) && cjsIsSchemeBuiltin(name);
}

// `node:NAME` names a builtin.
export function cjsIsSchemeBuiltin(name) {
  return ArrayPrototypeIncludes(cjsBuiltinNames, name) || isLazyBuiltin(name);
}

// A specifier, with or without `node:`, names a builtin.
export function cjsIsBuiltinSpecifier(id) {
  return StringPrototypeStartsWith(id, 'node:')
    ? cjsIsSchemeBuiltin(StringPrototypeSlice(id, 5))
    : cjsIsBuiltin(id);
}

export function cjsBuiltin(name) {
  let exports = MapPrototypeGet(cjsBuiltins, name);
  if (exports !== undefined) return exports;
  switch (name) {
    case 'fs':
      exports = fsPrebuilt ?? createFsModule();
      fsPrebuilt = undefined;
      break;
    case 'fs/promises':
      exports = cjsBuiltin('fs').promises;
      break;
    case 'path':
    case 'path/posix': {
      exports = MapPrototypeGet(cjsBuiltins, name === 'path' ? 'path/posix' : 'path');
      if (exports === undefined) exports = createPathModule();
      break;
    }
    case 'path/win32':
      exports = cjsBuiltin('path').win32;
      break;
    case 'events':
      exports = createEventsModule();
      break;
    case 'util':
      exports = createUtilModule();
      break;
    case 'process':
      exports = processObject;
      break;
    case 'timers':
      exports = {
        setTimeout,
        setInterval,
        setImmediate,
        clearTimeout,
        clearInterval,
        clearImmediate,
        _unrefActive: utilDeprecate(
          timersUnrefActive,
          'timers._unrefActive() is deprecated. Please use timeout.refresh() instead.',
          'DEP0127',
        ),
        active: utilDeprecate(
          timersActive,
          'timers.active() is deprecated. Please use timeout.refresh() instead.',
          'DEP0126',
        ),
        unenroll: utilDeprecate(
          timersUnenroll,
          'timers.unenroll() is deprecated. Please use clearTimeout instead.',
          'DEP0096',
        ),
        enroll: utilDeprecate(
          timersEnroll,
          'timers.enroll() is deprecated. Please use setTimeout instead.',
          'DEP0095',
        ),
      };
      ObjectDefineProperty(exports, 'promises', {
        __proto__: null,
        enumerable: true,
        configurable: true,
        get() {
          return lazyBuiltinModule('timers/promises');
        },
      });
      break;
    case 'module':
      exports = moduleBuiltinFactory();
      break;
    case 'console':
      exports = globalConsole;
      break;
    default:
      exports = lazyBuiltinModule(name);
      if (exports === undefined) return undefined;
  }
  MapPrototypeSet(cjsBuiltins, name, exports);
  return exports;
}

// The names `module.builtinModules` lists (those a bare specifier reaches).
export function cjsBuiltinModuleNames() {
  const names = [];
  for (let i = 0; i < cjsBuiltinNames.length; i++) ArrayPrototypePush(names, cjsBuiltinNames[i]);
  const lazy = lazyBuiltinNames();
  for (let i = 0; i < lazy.length; i++) {
    if (!ArrayPrototypeIncludes(PREFIX_ONLY, lazy[i])) ArrayPrototypePush(names, lazy[i]);
  }
  return names;
}

// Node's addBuiltinLibsToObject (the -e/-p globals): each builtin without `_` or `/` in its
// name, loaded on first read; an assignment replaces it. `crypto` is the module, as in Node.
export function cjsAddBuiltinGlobals(target) {
  const names = cjsBuiltinModuleNames();
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (StringPrototypeStartsWith(name, '_') || StringPrototypeIncludes(name, '/')) continue;
    if (name !== 'crypto' && ObjectPrototypeHasOwnProperty(target, name)) continue;
    ObjectDefineProperty(target, name, {
      __proto__: null,
      get() {
        const lib = cjsBuiltin(name);
        nodeSetHidden(target, name, lib);
        return lib;
      },
      set(value) {
        nodeSetHidden(target, name, value);
      },
      enumerable: false,
      configurable: true,
    });
  }
}

function nodeSetHidden(target, name, value) {
  ObjectDefineProperty(target, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

export function cjsUnknownBuiltin(request) {
  return makeNodeError(
    ErrorCtor,
    'ERR_UNKNOWN_BUILTIN_MODULE',
    `No such built-in module: ${request}`,
  );
}

// process.getBuiltinModule (Node 20.16) and process.chdir: here, where builtins and the
// filesystem meet (installed at factory time).
ObjectDefineProperty(processObject, 'getBuiltinModule', {
  __proto__: null,
  value: function getBuiltinModule(id) {
    if (typeof id !== 'string') throw makeInvalidArgType('id', 'string', id);
    const name = StringPrototypeStartsWith(id, 'node:') ? StringPrototypeSlice(id, 5) : id;
    return cjsIsBuiltinSpecifier(id) ? cjsBuiltin(name) : undefined;
  },
  writable: true,
  enumerable: true,
  configurable: true,
});
ObjectDefineProperty(processObject, 'chdir', {
  __proto__: null,
  value: function chdir(directory) {
    if (typeof directory !== 'string') throw makeInvalidArgType('directory', 'string', directory);
    const from = pathCwd();
    const abs = pathResolve(from, directory);
    const ft = fsFiletype(abs);
    if (fsIsErr(ft)) fsFail(-ft, 'chdir', from, directory);
    if (ft !== 3) fsFail(FS_ENOTDIR, 'chdir', from, directory);
    setExecCwd(abs);
    setProcessCwd(abs);
  },
  writable: true,
  enumerable: true,
  configurable: true,
});
