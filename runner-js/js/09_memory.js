// 09_memory.js: memory a guest allocates outside V8's heap, under its heap_mb. Fixed-length
// ArrayBuffers already draw on the isolate's budget through its allocator; resizable and growable
// buffers and wasm memories are committed by V8's page allocator, which has no per-isolate hook.
// So the constructors and methods that create or grow them are replaced, at factory time, by
// guards that ask the budget first (bridge.memoryReserve) and throw a RangeError when it is
// spent; the engine then reports a failing guest as MEMORY_LIMIT. Wasm memories have their own
// budget of heap_mb: each memory's maximum is capped (a module's defined memories are rewritten
// before compiling, bridge.wasmCap) and reserved whole, so `memory.grow` inside wasm can never
// pass it. The originals stay here, for the WASI runner and nothing else.
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypePush,
  FunctionPrototypeSymbolHasInstance,
  getter,
  globalObject,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  RangeErrorCtor,
  ReflectApply,
  ReflectOwnKeys,
  uncurryThis,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './00_primordials.js';

const memoryReserve = bridge.memoryReserve;
const memoryLimitHit = bridge.memoryLimitHit;
const wasmCap = bridge.wasmCap;
const ReflectConstruct = Reflect.construct;
const FinalizationRegistryCtor = FinalizationRegistry;
const FinalizationRegistryRegister = uncurryThis(FinalizationRegistry.prototype.register);
const PromiseResolve = Promise.resolve.bind(Promise);
const PromisePrototypeThen = uncurryThis(Promise.prototype.then);

const OriginalArrayBuffer = ArrayBuffer;
const ArrayBufferIsView = ArrayBuffer.isView;
const abByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const abResizable = getter(ArrayBuffer.prototype, 'resizable');
const abResize = uncurryThis(ArrayBuffer.prototype.resize);
const abTransfer = uncurryThis(ArrayBuffer.prototype.transfer);
const abTransferFixed = uncurryThis(ArrayBuffer.prototype.transferToFixedLength);
// SharedArrayBuffer is not there when the snapshot is made (V8 installs it in each context it
// restores), so its guard is installed at the exec's start, before any guest code runs.
let OriginalSharedArrayBuffer;
let sabByteLength;
let sabGrowable;
let sabGrow;

// WebAssembly is not there when the snapshot is made either: its guards and originals wait too.
let WA;
let WasmModule;
let WasmInstance;
let WasmMemory;
let wasmMemoryBuffer;
let wasmInstanceExports;
const WASM_PAGE = 65536;
const originals = { __proto__: null, Module: undefined, Instance: undefined };

/** The engine's own WebAssembly constructors, for the WASI runner (its module is capped
 * already); filled at the exec's start. */
export function wasmOriginals() {
  return originals;
}

let memoryLimit = 0; // bytes, per exec (heap_mb)
let wasmReserved = 0; // bytes of wasm memory maxima reserved
const committed = new WeakMapCtor(); // resizable/growable buffer -> { bytes }
const moduleMaxima = new WeakMapCtor(); // module -> total bytes of its capped memories
const releaseBuffers = new FinalizationRegistryCtor((record) => {
  memoryReserve(-record.bytes);
});
const releaseWasm = new FinalizationRegistryCtor((bytes) => {
  wasmReserved -= bytes;
});
// holder -> the reservation tokens it keeps alive (a token is collected, and its reservation
// released, only once every holder of it is).
const wasmHolders = new WeakMapCtor();

/** The exec's limit (heap_mb, in bytes), from `runner.start`; also installs the guards that had
 * to wait for the exec (SharedArrayBuffer, WebAssembly). */
export function setMemoryLimit(bytes) {
  memoryLimit = bytes;
  if (
    OriginalSharedArrayBuffer === undefined &&
    typeof globalObject.SharedArrayBuffer === 'function'
  )
    guardSharedArrayBuffer();
  if (WA === undefined && typeof globalObject.WebAssembly === 'object') guardWebAssembly();
}

function refuse(what) {
  memoryLimitHit();
  return new RangeErrorCtor(`${what}: the guest's memory limit (heap_mb) is reached`);
}

function reserve(bytes, what) {
  if (bytes > 0 && !memoryReserve(bytes)) throw refuse(what);
}

function track(buffer, bytes) {
  const record = { bytes };
  WeakMapPrototypeSet(committed, buffer, record);
  FinalizationRegistryRegister(releaseBuffers, buffer, record);
}

/** Changes what `buffer` (tracked) has committed to `bytes`, asking the budget first. */
function recommit(buffer, bytes, what) {
  const record = WeakMapPrototypeGet(committed, buffer);
  if (record === undefined) return;
  const delta = bytes - record.bytes;
  reserve(delta, what);
  if (delta < 0) memoryReserve(delta);
  record.bytes = bytes;
}

function lengthOf(value) {
  const n = +value;
  return n > 0 ? n : 0;
}

function guardArrayBuffer() {
  function ArrayBuffer(length, options) {
    if (new.target === undefined) return ReflectApply(OriginalArrayBuffer, this, arguments);
    const resizable = options !== null && typeof options === 'object' && 'maxByteLength' in options;
    if (!resizable) return ReflectConstruct(OriginalArrayBuffer, arguments, new.target);
    const bytes = lengthOf(length);
    reserve(bytes, 'ArrayBuffer');
    let buffer;
    try {
      buffer = ReflectConstruct(OriginalArrayBuffer, arguments, new.target);
    } catch (err) {
      memoryReserve(-bytes);
      throw err;
    }
    track(buffer, abByteLength(buffer));
    return buffer;
  }
  adopt(ArrayBuffer, OriginalArrayBuffer);
  const proto = OriginalArrayBuffer.prototype;
  method(proto, 'resize', function resize(newLength) {
    if (abResizable(this)) recommit(this, lengthOf(newLength), 'ArrayBuffer.prototype.resize');
    return abResize(this, newLength);
  });
  method(proto, 'transfer', function transfer(newLength) {
    return transferred(this, newLength, abTransfer, 'ArrayBuffer.prototype.transfer');
  });
  method(proto, 'transferToFixedLength', function transferToFixedLength(newLength) {
    return transferred(this, newLength, abTransferFixed, 'transferToFixedLength');
  });
  defineGlobal('ArrayBuffer', ArrayBuffer);
}

/** A transfer of a resizable buffer: the new one commits its length; the old one's goes back. */
function transferred(buffer, newLength, original, what) {
  if (WeakMapPrototypeGet(committed, buffer) === undefined) return original(buffer, newLength);
  const bytes = newLength === undefined ? abByteLength(buffer) : lengthOf(newLength);
  reserve(bytes, what);
  let result;
  try {
    result = original(buffer, newLength);
  } catch (err) {
    memoryReserve(-bytes);
    throw err;
  }
  recommit(buffer, 0, what);
  if (abResizable(result)) track(result, bytes);
  else memoryReserve(-bytes); // a fixed-length result drew on the allocator already
  return result;
}

function guardSharedArrayBuffer() {
  OriginalSharedArrayBuffer = globalObject.SharedArrayBuffer;
  const proto = OriginalSharedArrayBuffer.prototype;
  sabByteLength = getter(proto, 'byteLength');
  sabGrowable = getter(proto, 'growable');
  sabGrow = uncurryThis(proto.grow);
  function SharedArrayBuffer(length, options) {
    if (new.target === undefined) return ReflectApply(OriginalSharedArrayBuffer, this, arguments);
    const bytes = lengthOf(length);
    const growable = options !== null && typeof options === 'object' && 'maxByteLength' in options;
    if (!growable) return ReflectConstruct(OriginalSharedArrayBuffer, arguments, new.target);
    reserve(bytes, 'SharedArrayBuffer');
    let buffer;
    try {
      buffer = ReflectConstruct(OriginalSharedArrayBuffer, arguments, new.target);
    } catch (err) {
      memoryReserve(-bytes);
      throw err;
    }
    track(buffer, sabByteLength(buffer));
    return buffer;
  }
  adopt(SharedArrayBuffer, OriginalSharedArrayBuffer);
  method(OriginalSharedArrayBuffer.prototype, 'grow', function grow(newLength) {
    if (sabGrowable(this)) recommit(this, lengthOf(newLength), 'SharedArrayBuffer.prototype.grow');
    return sabGrow(this, newLength);
  });
  defineGlobal('SharedArrayBuffer', SharedArrayBuffer);
}

/** Reserves `bytes` of wasm memory maxima until every one of `holders` is collected: an
 * instance and its exports, since an exported memory outlives its instance and can still grow. */
function reserveWasm(holders, bytes, what) {
  if (bytes <= 0) return;
  if (wasmReserved + bytes > memoryLimit) throw refuse(what);
  wasmReserved += bytes;
  const token = { __proto__: null };
  for (let i = 0; i < holders.length; i++) {
    let tokens = WeakMapPrototypeGet(wasmHolders, holders[i]);
    if (tokens === undefined) {
      tokens = [];
      WeakMapPrototypeSet(wasmHolders, holders[i], tokens);
    }
    ArrayPrototypePush(tokens, token);
  }
  FinalizationRegistryRegister(releaseWasm, token, bytes);
}

/** `instance` and the objects it exports (memories, tables, globals; its functions keep it
 * alive already). The exports object is V8's own: frozen, data properties only. */
function instanceHolders(instance) {
  const holders = [instance];
  const exports = wasmInstanceExports(instance);
  const keys = ReflectOwnKeys(exports);
  for (let i = 0; i < keys.length; i++) {
    const value = exports[keys[i]];
    if (value !== null && typeof value === 'object') ArrayPrototypePush(holders, value);
  }
  return holders;
}

function capModule(bytes) {
  const capped = wasmCap(bytes, memoryLimit);
  let total = 0;
  for (let i = 0; i < capped[1].length; i++) total += capped[1][i];
  return { bytes: capped[0] === undefined ? bytes : capped[0], total };
}

function guardWebAssembly() {
  WA = globalObject.WebAssembly;
  WasmModule = WA.Module;
  WasmInstance = WA.Instance;
  WasmMemory = WA.Memory;
  wasmMemoryBuffer = getter(WasmMemory.prototype, 'buffer');
  wasmInstanceExports = getter(WasmInstance.prototype, 'exports');
  originals.Module = WasmModule;
  originals.Instance = WasmInstance;
  function Module(bytes) {
    if (new.target === undefined) return ReflectApply(WasmModule, this, arguments);
    const capped = capModule(bytes);
    const module = ReflectConstruct(WasmModule, [capped.bytes], new.target);
    WeakMapPrototypeSet(moduleMaxima, module, capped.total);
    return module;
  }
  adopt(Module, WasmModule);
  function Instance(module, imports) {
    if (new.target === undefined) return ReflectApply(WasmInstance, this, arguments);
    const total = WeakMapPrototypeGet(moduleMaxima, module);
    const instance = ReflectConstruct(WasmInstance, arguments, new.target);
    if (total !== undefined) reserveWasm(instanceHolders(instance), total, 'WebAssembly.Instance');
    return instance;
  }
  adopt(Instance, WasmInstance);
  function Memory(descriptor) {
    if (new.target === undefined) return ReflectApply(WasmMemory, this, arguments);
    const pages = memoryLimit / WASM_PAGE;
    const asked = descriptor === null || typeof descriptor !== 'object' ? undefined : descriptor;
    const maximum = asked === undefined || asked.maximum === undefined ? pages : +asked.maximum;
    const capped = { __proto__: null };
    if (asked !== undefined) {
      capped.initial = asked.initial;
      capped.minimum = asked.minimum;
      capped.shared = asked.shared;
      capped.index = asked.index;
    }
    capped.maximum = maximum < pages ? maximum : pages;
    if (lengthOf(capped.initial ?? capped.minimum) > capped.maximum)
      throw refuse('WebAssembly.Memory');
    const memory = ReflectConstruct(WasmMemory, [capped], new.target);
    reserveWasm([memory], capped.maximum * WASM_PAGE, 'WebAssembly.Memory');
    return memory;
  }
  adopt(Memory, WasmMemory);
  method(WA, 'compile', function compile(bytes) {
    try {
      return PromiseResolve(new Module(bytes));
    } catch (err) {
      return rejected(err);
    }
  });
  method(WA, 'instantiate', function instantiate(source, imports) {
    if (WeakMapPrototypeGet(moduleMaxima, source) !== undefined || !isBytes(source)) {
      return PromisePrototypeThen(PromiseResolve(), () => new Instance(source, imports));
    }
    try {
      const module = new Module(source);
      return PromisePrototypeThen(PromiseResolve(), () => ({
        module,
        instance: new Instance(module, imports),
      }));
    } catch (err) {
      return rejected(err);
    }
  });
  method(WA, 'Module', Module);
  method(WA, 'Instance', Instance);
  method(WA, 'Memory', Memory);
}

function rejected(err) {
  return PromisePrototypeThen(PromiseResolve(), () => {
    throw err;
  });
}

function isBytes(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    (ArrayBufferIsView(value) || FunctionPrototypeSymbolHasInstance(OriginalArrayBuffer, value))
  );
}

/** Gives `guard` the original's prototype and statics, so `instanceof` and subclassing work. */
function adopt(guard, original) {
  ObjectDefineProperty(guard, 'prototype', {
    __proto__: null,
    value: original.prototype,
    writable: false,
    enumerable: false,
    configurable: false,
  });
  ObjectDefineProperty(original.prototype, 'constructor', {
    __proto__: null,
    value: guard,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  // Every static (`ArrayBuffer.isView`, `WebAssembly.Module.imports`, `Symbol.species`...),
  // and the original's `length` and `name`.
  const keys = ReflectOwnKeys(original);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === 'prototype' || key === 'arguments' || key === 'caller') continue;
    ObjectDefineProperty(guard, key, ObjectGetOwnPropertyDescriptor(original, key));
  }
}

function method(target, name, value) {
  ObjectDefineProperty(target, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

function defineGlobal(name, value) {
  method(globalObject, name, value);
}

/** Replaces the constructors and methods that commit memory V8 does not count (factory time). */
export function installMemoryGuards() {
  guardArrayBuffer();
}

let commandMemory; // a WASI command's memory
let commandAsked; // its grow guard's record (see engine/src/wasm_memory/guard.rs)

/** The memory and exports of the WASI command this exec runs. */
export function watchCommand(memory, exports) {
  commandMemory = memory;
  commandAsked = exports['agentos:asked_pages'];
}

/** A WASI command failed: if its grow guard recorded a refused grow, or its memory is within a
 * page of the limit, the limit is what failed it: its exit is a MEMORY_LIMIT. */
export function noteIfAtMemoryLimit() {
  if (commandMemory === undefined || wasmMemoryBuffer === undefined) return;
  try {
    const asked = commandAsked === undefined ? 0 : Number(commandAsked.value);
    const size = wasmMemoryBuffer(commandMemory).byteLength;
    if (asked > 0) {
      memoryLimitHit(
        `the command asked to grow its wasm memory by ${asked} pages (${asked * 64} KiB) ` +
          `beyond ${size / 1048576} MiB`,
      );
    } else if (size + WASM_PAGE > memoryLimit) {
      memoryLimitHit(`the command's wasm memory reached ${size / 1048576} MiB`);
    }
  } catch {}
}
