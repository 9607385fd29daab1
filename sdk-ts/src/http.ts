/** The host's `HttpRequest` to a guest's server (a virtual port of an exec): wire shapes. */

import type { MessageInitShape } from "@bufbuild/protobuf";

import { toBytes, uint, uint32 } from "./convert.js";
import type { pb } from "./protocol.js";
import type { HttpRequestOptions, HttpResponse } from "./types.js";

export function toHttpRequest(
  execId: number,
  options: HttpRequestOptions,
): MessageInitShape<typeof pb.HttpRequestSchema> {
  const headers = Array.isArray(options.headers) ? options.headers : Object.entries(options.headers ?? {});
  return {
    execId: uint("execId", execId),
    port: uint32("port", options.port),
    method: options.method ?? "",
    path: options.path ?? "",
    headers: headers.map(([name, value]) => ({ name, value: toBytes(value) })),
    body: toBytes(options.body),
    timeoutMs: uint("timeoutMs", options.timeoutMs),
    maxBodyBytes: uint("maxBodyBytes", options.maxBodyBytes),
  };
}

export function fromHttpResponse(response: pb.HttpResponse): HttpResponse {
  const decoder = new TextDecoder();
  return {
    status: response.status,
    headers: response.headers.map((h): [string, string] => [h.name, decoder.decode(h.value)]),
    body: response.body,
  };
}
