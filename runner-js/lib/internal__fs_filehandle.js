// lib/internal__fs_filehandle.js: fs.promises.open and its FileHandle (read, write, readv,
// writev, readFile, writeFile, appendFile, stat, truncate, sync, close, createReadStream/
// createWriteStream, readLines, Symbol.asyncDispose), over the runner's synchronous fd
// functions. A closed handle answers EBADF, as Node's does.

import {
  ArrayBufferIsView,
  ErrorCtor,
  PromiseCtor,
  PromiseResolve,
  SymbolAsyncDispose,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import {
  fsAppendFileSync,
  fsChmod,
  fsCloseSync,
  fsFstatSync,
  fsOpenSync,
  fsReadFileSync,
  fsReadSync,
  fsTruncateSync,
  fsWriteFileSync,
  fsWriteSync,
} from '../js/44_fs_files.js';
import { fsReadvSync, fsWritevSync } from '../js/46_fs.js';
import { createEventsModule } from '../js/47_node_events.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { ReadStream, WriteStream } from './internal__fs_streams.js';
import { asChunk } from './internal__stream_core.js';

const EE = createEventsModule();

function settle(fn) {
  return new PromiseCtor((resolve, reject) => {
    try {
      resolve(fn());
    } catch (err) {
      reject(err);
    }
  });
}

function ebadf(syscall) {
  const err = makeNodeError(ErrorCtor, 'EBADF', `EBADF: bad file descriptor, ${syscall}`);
  err.errno = -9;
  err.syscall = syscall;
  return err;
}

export class FileHandle extends EE {
  #fd;

  constructor(fd) {
    super();
    this.#fd = fd;
  }

  get fd() {
    return this.#fd;
  }

  #live(syscall) {
    if (this.#fd === -1) throw ebadf(syscall);
    return this.#fd;
  }

  getAsyncId() {
    return this.#fd;
  }

  read(buffer, offset, length, position) {
    return settle(() => {
      const fd = this.#live('read');
      if (buffer === undefined || buffer === null || !ArrayBufferIsView(buffer)) {
        const options = buffer ?? {};
        buffer = options.buffer ?? asChunk(new Uint8ArrayCtor(16384));
        offset = options.offset ?? 0;
        length = options.length ?? buffer.byteLength - offset;
        position = options.position ?? null;
      } else if (offset !== null && typeof offset === 'object') {
        const options = offset;
        offset = options.offset ?? 0;
        length = options.length ?? buffer.byteLength - offset;
        position = options.position ?? null;
      }
      const at = offset ?? 0;
      const bytesRead = fsReadSync(
        fd,
        buffer,
        at,
        length ?? buffer.byteLength - at,
        position ?? null,
      );
      return { bytesRead, buffer };
    });
  }

  write(buffer, offsetOrOptions, length, position) {
    return settle(() => {
      const fd = this.#live('write');
      if (typeof buffer === 'string') {
        const bytesWritten = fsWriteSync(fd, buffer, offsetOrOptions, length);
        return { bytesWritten, buffer };
      }
      const bytesWritten = fsWriteSync(fd, buffer, offsetOrOptions, length, position);
      return { bytesWritten, buffer };
    });
  }

  readv(buffers, position = null) {
    return settle(() => {
      const bytesRead = fsReadvSync(this.#live('read'), buffers, position);
      return { __proto__: null, bytesRead, buffers };
    });
  }

  writev(buffers, position = null) {
    return settle(() => {
      const bytesWritten = fsWritevSync(this.#live('write'), buffers, position);
      return { __proto__: null, bytesWritten, buffers };
    });
  }

  readFile(options) {
    return settle(() => fsReadFileSync(this.#live('read'), options));
  }

  writeFile(data, options) {
    return settle(() => fsWriteFileSync(this.#live('write'), data, options));
  }

  appendFile(data, options) {
    return settle(() => fsAppendFileSync(this.#live('write'), data, options));
  }

  stat(options) {
    return settle(() => fsFstatSync(this.#live('fstat'), options));
  }

  truncate(len = 0) {
    return settle(() => fsTruncateSync(this.#live('ftruncate'), len));
  }

  sync() {
    return settle(() => {
      this.#live('fsync');
    });
  }

  datasync() {
    return settle(() => {
      this.#live('fdatasync');
    });
  }

  chmod(mode) {
    return settle(() => fsChmod(this.#live('fchmod'), mode, 'fchmod'));
  }

  chown() {
    return settle(() => {
      this.#live('fchown');
    });
  }

  utimes() {
    return settle(() => {
      this.#live('futime');
    });
  }

  close() {
    if (this.#fd === -1) return PromiseResolve();
    return settle(() => {
      const fd = this.#fd;
      this.#fd = -1;
      fsCloseSync(fd);
      this.emit('close');
    });
  }

  [SymbolAsyncDispose]() {
    return this.close();
  }

  // As Node: the stream reads and writes through this handle and closes it when it ends
  // (unless `autoClose: false`).
  createReadStream(options = undefined) {
    this.#live('read');
    return new ReadStream(undefined, { ...options, fd: this });
  }

  createWriteStream(options = undefined) {
    this.#live('write');
    return new WriteStream(undefined, { ...options, fd: this });
  }

  readLines(options = undefined) {
    const { Interface } = loadReadline();
    return new Interface({ input: this.createReadStream(options), crlfDelay: Infinity });
  }

  readableWebStream() {
    throw makeNodeError(
      ErrorCtor,
      'ERR_NOT_SUPPORTED_IN_SANDBOX',
      'filehandle.readableWebStream is not supported in the agentOS sandbox',
    );
  }
}

let readlineModule;
function loadReadline() {
  if (readlineModule === undefined) readlineModule = loadLazyBuiltin('readline').moduleExports;
  return readlineModule;
}

export function openFileHandle(path, flags, mode) {
  return settle(() => new FileHandle(fsOpenSync(path, flags ?? 'r', mode)));
}
