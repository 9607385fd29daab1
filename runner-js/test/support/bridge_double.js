// A JS double of the native bridge (sidecar/src/engine/bridge*.rs, contract in js/README.md) for
// unit tests under the host's Node: enough for the modules to load and for the pure parts (path,
// inspect, format, events, text encoding) to run. Output goes to `written`; `exit` throws
// ExitCalled. The WASI natives are absent (the runner then answers ENOSYS). Integration tests use
// the real bridge.
import { types } from 'node:util';
import { runInThisContext } from 'node:vm';

export class ExitCalled extends Error {
  constructor(code) {
    super(`bridge.exit(${code})`);
    this.code = code;
  }
}

/** Everything passed to bridge.write, as [fd, string]. */
export const written = [];

const origin = process.hrtime.bigint();
const decoders = {
  strict: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }),
  lenient: new TextDecoder('utf-8', { ignoreBOM: true }),
};

const KIND_CHECKS = [
  types.isProxy,
  types.isExternal,
  types.isModuleNamespaceObject,
  types.isGeneratorObject,
  types.isArgumentsObject,
  types.isPromise,
  types.isAsyncFunction,
  types.isGeneratorFunction,
  types.isMapIterator,
  types.isSetIterator,
  types.isNativeError,
  types.isSharedArrayBuffer,
  (value) => value instanceof WebAssembly.Module,
  types.isNumberObject,
  types.isStringObject,
  types.isSymbolObject,
];

export const bridge = {
  write(fd, data) {
    written.push([fd, typeof data === 'string' ? data : Buffer.from(data).toString('utf8')]);
  },
  exit(code) {
    throw new ExitCalled(code);
  },
  hrtime: () => process.hrtime.bigint() - origin,
  monotonic: () => Number(process.hrtime.bigint() - origin) / 1e6,
  stdinRef() {},
  runMicrotasks() {},
  compileScript: (source, filename) => () => runInThisContext(source, { filename }),
  compileFunction: (source, filename, params) =>
    runInThisContext(`(function (${params.join(', ')}) {\n${source}\n})`, { filename }),
  // Like V8's String::WriteUtf8: lone surrogates become U+FFFD (Buffer does the same).
  utf8Encode: (string) => new Uint8Array(Buffer.from(string, 'utf8')),
  // Never strips a BOM (TextDecoder's ignoreBOM is the runner's job).
  utf8Decode: (view, fatal) => (fatal ? decoders.strict : decoders.lenient).decode(view),
  // V8's brand checks, bit i = check i (KIND_CHECKS in engine/src/bridge/node_process.rs).
  valueKinds: (value) => {
    let bits = 0;
    for (let i = 0; i < KIND_CHECKS.length; i++) {
      if (KIND_CHECKS[i](value)) bits |= 1 << i;
    }
    return bits;
  },
};
