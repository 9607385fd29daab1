/**
 * One output stream of an exec: chunks pushed by the connection, read once as an async iterable
 * (or taken whole by `run`). Unbounded, like a pipe nobody reads from: the sidecar's
 * `max_output_bytes` limit (64 MiB by default) bounds it.
 */

/** A single-reader queue of byte chunks that ends when the exec ends. */
export class ByteChannel implements AsyncIterable<Uint8Array> {
  private chunks: Uint8Array[] = [];
  private closed = false;
  private reading = false;
  /** The reader stopped early: later chunks are dropped. */
  private dropping = false;
  private wake: (() => void) | undefined;

  /** Appends a chunk (dropped once the reader has stopped). */
  push(chunk: Uint8Array): void {
    if (this.closed || this.dropping) {
      return;
    }
    this.chunks.push(chunk);
    this.wakeReader();
  }

  /** Ends the stream after the chunks already pushed. */
  close(): void {
    this.closed = true;
    this.wakeReader();
  }

  /** Every chunk not yet read, concatenated; for a reader that only looks once the exec ended. */
  takeAll(): Buffer {
    const all = Buffer.concat(this.chunks);
    this.chunks = [];
    return all;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.reading) {
      throw new TypeError("this output stream is already being read");
    }
    this.reading = true;
    try {
      for (;;) {
        const batch = this.chunks;
        this.chunks = [];
        for (const chunk of batch) {
          yield chunk;
        }
        if (this.chunks.length > 0) {
          continue;
        }
        if (this.closed) {
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      this.dropping = true;
      this.chunks = [];
    }
  }

  private wakeReader(): void {
    const wake = this.wake;
    if (wake !== undefined) {
      this.wake = undefined;
      wake();
    }
  }
}
