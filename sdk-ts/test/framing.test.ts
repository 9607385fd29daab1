/** The 4-byte length framing, without a sidecar. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { AgentosError } from "@agentos/sdk";
import { encodeFrame, FrameDecoder, FrameError } from "#internal/framing.js";

function frames(...payloads: string[]): Buffer {
  return Buffer.concat(payloads.flatMap((p) => encodeFrame(Buffer.from(p), 1024)));
}

test("decoder returns frames fed one byte at a time, in order", () => {
  const wire = frames("hello", "", "world!");
  const decoder = new FrameDecoder(1024);
  const got: string[] = [];
  for (const byte of wire) {
    for (const payload of decoder.push(Uint8Array.of(byte))) {
      got.push(Buffer.from(payload).toString());
    }
  }
  assert.deepEqual(got, ["hello", "", "world!"]);
  decoder.finish();
});

test("decoder returns every frame of one chunk", () => {
  const decoder = new FrameDecoder(1024);
  const got = decoder.push(frames("a", "bb", "ccc")).map((p) => Buffer.from(p).toString());
  assert.deepEqual(got, ["a", "bb", "ccc"]);
});

test("decoder assembles a large frame split over many chunks", () => {
  const payload = Buffer.alloc(300_000, 7);
  const wire = Buffer.concat(encodeFrame(payload, 1 << 20));
  const decoder = new FrameDecoder(1 << 20);
  const got: Uint8Array[] = [];
  for (let at = 0; at < wire.length; at += 4096) {
    got.push(...decoder.push(wire.subarray(at, at + 4096)));
  }
  assert.equal(got.length, 1);
  assert.ok(Buffer.from(got[0]!).equals(payload));
});

test("decoder refuses a length over the maximum before its payload arrives", () => {
  const decoder = new FrameDecoder(1024);
  assert.throws(() => decoder.push(Uint8Array.of(0, 0, 4, 1)), FrameError);
});

test("decoder reports a stream that ends inside a frame", () => {
  const decoder = new FrameDecoder(1024);
  decoder.push(frames("abcdef").subarray(0, 7));
  assert.throws(() => decoder.finish(), /ended inside a frame/);
});

test("encoder refuses a payload over the maximum", () => {
  assert.throws(
    () => encodeFrame(new Uint8Array(17), 16),
    (e: unknown) => e instanceof AgentosError && e.code === "FRAME_TOO_LARGE",
  );
});
