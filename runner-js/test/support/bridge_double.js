// A JS double of the native bridge (sidecar/src/engine/bridge*.rs, contract in js/README.md) for
// unit tests under the host's Node: enough for the modules to load and for the pure parts (path,
// inspect, format, events, text encoding) to run. Output goes to `written`; `exit` throws
// ExitCalled. The WASI natives are absent (the runner then answers ENOSYS). Integration tests use
// the real bridge.
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
};
