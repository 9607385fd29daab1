/** Conversions between the public API's plain values and the generated protocol messages. */

import { constants } from "node:os";

import { AgentosError, codeName } from "./errors.js";
import type { MessageInitShape } from "@bufbuild/protobuf";

import type { pb } from "./protocol.js";
import type {
  CallLimits,
  CallStats,
  ExitStatus,
  Limits,
  NetDenial,
  NetOptions,
  NetStats,
  Stats,
} from "./types.js";

/** A non-negative whole number as a protobuf uint64. @throws AgentosError `BAD_ARGUMENT`. */
export function uint(name: string, value: number | undefined): bigint {
  if (value === undefined) {
    return 0n;
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AgentosError("BAD_ARGUMENT", `${name} must be a non-negative integer, got ${String(value)}`);
  }
  return BigInt(value);
}

/** A non-negative whole number that fits a protobuf uint32. @throws AgentosError `BAD_ARGUMENT`. */
export function uint32(name: string, value: number | undefined): number {
  const n = uint(name, value);
  if (n > 0xffff_ffffn) {
    throw new AgentosError("BAD_ARGUMENT", `${name} must be below 2^32, got ${String(value)}`);
  }
  return Number(n);
}

export function toLimits(limits: Limits = {}): MessageInitShape<typeof pb.LimitsSchema> {
  return {
    heapMb: uint32("limits.heapMb", limits.heapMb),
    timeoutMs: uint("limits.timeoutMs", limits.timeoutMs),
    cpuMs: uint("limits.cpuMs", limits.cpuMs),
    maxOutputBytes: uint("limits.maxOutputBytes", limits.maxOutputBytes),
    maxStdinBytes: uint("limits.maxStdinBytes", limits.maxStdinBytes),
  };
}

export function toCallLimits(limits: CallLimits = {}): MessageInitShape<typeof pb.CallLimitsSchema> {
  return {
    maxHostCalls: uint32("callLimits.maxHostCalls", limits.maxHostCalls),
    maxHostPayloadBytes: uint("callLimits.maxHostPayloadBytes", limits.maxHostPayloadBytes),
    maxResultBytes: uint("callLimits.maxResultBytes", limits.maxResultBytes),
  };
}

/** The wire policy of `net`, or `undefined` for none (no network at all). */
export function toNetPolicy(net: NetOptions | undefined): MessageInitShape<typeof pb.NetPolicySchema> | undefined {
  if (net === undefined) {
    return undefined;
  }
  const limits = net.limits ?? {};
  return {
    rules: [...(net.allow ?? [])],
    askUnmatched: net.askUnmatched ?? false,
    secrets: (net.secrets ?? []).map((secret) => ({
      pattern: secret.pattern,
      headers: Object.entries(secret.headers).map(([name, value]) => ({ name, value: toBytes(value) })),
    })),
    limits: {
      maxConnections: uint("net.limits.maxConnections", limits.maxConnections),
      maxConnectionsTotal: uint("net.limits.maxConnectionsTotal", limits.maxConnectionsTotal),
      maxBytesIn: uint("net.limits.maxBytesIn", limits.maxBytesIn),
      maxBytesOut: uint("net.limits.maxBytesOut", limits.maxBytesOut),
      requestTimeoutMs: uint("net.limits.requestTimeoutMs", limits.requestTimeoutMs),
      connectTimeoutMs: uint("net.limits.connectTimeoutMs", limits.connectTimeoutMs),
      execTimeoutMs: uint("net.limits.execTimeoutMs", limits.execTimeoutMs),
      maxRedirects: uint32("net.limits.maxRedirects", limits.maxRedirects),
      maxListeners: uint("net.limits.maxListeners", limits.maxListeners),
    },
  };
}

export function toNetStats(stats: pb.NetStats): NetStats {
  return {
    connectionsTotal: Number(stats.connectionsTotal),
    bytesIn: Number(stats.bytesIn),
    bytesOut: Number(stats.bytesOut),
    denied: Number(stats.denied),
    requests: Number(stats.requests),
    limitErrors: Number(stats.limitErrors),
  };
}

export function toNetDenial(denied: pb.NetDenied): NetDenial {
  return { scheme: denied.scheme, host: denied.host, ip: denied.ip, port: denied.port, reason: denied.reason };
}

/** Bytes of `data`, strings as UTF-8. */
export function toBytes(data: string | Uint8Array | undefined): Uint8Array {
  if (data === undefined) {
    return new Uint8Array(0);
  }
  return typeof data === "string" ? Buffer.from(data, "utf8") : data;
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

/** `"SIGKILL"` for 9; `null` for 0; `"SIG<n>"` for a number this platform has no name for. */
export function signalName(signal: number): string | null {
  if (signal === 0) {
    return null;
  }
  return SIGNAL_NAMES.get(signal) ?? `SIG${signal}`;
}

export function toExitStatus(exited: pb.ExecExited, denied: NetDenial[] = []): ExitStatus {
  const status: ExitStatus = { code: exited.exitCode, signal: signalName(exited.signal) };
  if (exited.error !== 0) {
    status.error = { code: codeName(exited.error), message: exited.errorMessage };
  }
  if (exited.netStats !== undefined) {
    status.net = toNetStats(exited.netStats);
  }
  if (denied.length > 0) {
    status.netDenied = denied;
  }
  return status;
}

export function toCallStats(stats: pb.CallStats | undefined): CallStats {
  return {
    wallMs: Number(stats?.wallNanos ?? 0n) / 1e6,
    cpuMs: Number(stats?.cpuNanos ?? 0n) / 1e6,
    heapUsedBytes: Number(stats?.heapUsedBytes ?? 0n),
  };
}

export function toStats(reply: pb.StatsReply): Stats {
  return {
    poolHits: Number(reply.poolHits),
    poolMisses: Number(reply.poolMisses),
    poolParked: Number(reply.poolParked),
    snapshotMode: reply.snapshotMode,
    snapshotState: reply.snapshotState,
    snapshotDigest: reply.snapshotDigest,
    rssBytes: Number(reply.rssBytes),
    execsLive: Number(reply.execsLive),
    moduleCacheEntries: Number(reply.moduleCacheEntries),
    moduleCacheEvictions: Number(reply.moduleCacheEvictions),
    moduleCompileHits: Number(reply.moduleCompileHits),
    moduleCodeFromDisk: Number(reply.moduleCodeFromDisk),
  };
}
