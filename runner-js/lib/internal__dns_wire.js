// lib/internal__dns_wire.js: DNS messages (RFC 1035) for the Resolver: a query for one name and
// record type, and the answers of a response in the shapes Node's `dns.resolve*` return.
//
// Ours rather than a Rust crate's: the bytes come from whatever server a guest names, and parsing
// them here keeps that parser inside the guest's isolate (a bug in it can only fail that guest's
// query); a native codec would also need per-record glue into V8 objects as long as this file.
// Every read is bounds-checked; a malformed response is an EBADRESP error, never a throw of
// another kind. Compression pointers may only point backwards, so a loop cannot be built.
import {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  NumberPrototypeToString,
  ObjectDefineProperty,
  ObjectKeys,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
  StringPrototypeSplit,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { utf8Decode } from '../js/07_encoding.js';

/** The record types the Resolver asks for, by Node's names. */
export const TYPES = {
  __proto__: null,
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  ANY: 255,
  CAA: 257,
};
const NAMES = { __proto__: null };
const typeNames = ObjectKeys(TYPES);
for (let i = 0; i < typeNames.length; i++) NAMES[TYPES[typeNames[i]]] = typeNames[i];

const MAX_NAME = 253;
const MAX_LABEL = 63;

/** A malformed message: the Resolver reports it as EBADRESP. */
export class BadMessage {
  constructor(detail) {
    this.detail = detail;
  }
}

function encodeLabel(label) {
  const bytes = [];
  for (let i = 0; i < label.length; i++) {
    const c = StringPrototypeCharCodeAt(label, i);
    if (c > 0x7f) return null; // c-ares takes names as bytes; Node passes punycode
    ArrayPrototypePush(bytes, c);
  }
  return bytes;
}

/**
 * The query for `name` and type number `type`, or null for a name DNS cannot carry. No EDNS
 * record, as Node sends none (its own DNS tests parse its queries and know no OPT record):
 * answers over 512 bytes come truncated and are asked again over TCP.
 */
export function encodeQuery(id, name, type) {
  let host = name;
  if (StringPrototypeEndsWith(host, '.')) host = StringPrototypeSlice(host, 0, -1);
  if (host.length > MAX_NAME) return null;
  const labels = host === '' ? [] : StringPrototypeSplit(host, '.');
  const out = [id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < labels.length; i++) {
    const label = encodeLabel(labels[i]);
    if (label === null || label.length === 0 || label.length > MAX_LABEL) return null;
    ArrayPrototypePush(out, label.length);
    for (let j = 0; j < label.length; j++) ArrayPrototypePush(out, label[j]);
  }
  ArrayPrototypePush(out, 0, type >> 8, type & 0xff, 0, 1);
  return new Uint8ArrayCtor(out);
}

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
  }

  need(offset, length) {
    if (offset + length > this.bytes.length) throw new BadMessage('truncated message');
  }

  u8(offset) {
    this.need(offset, 1);
    return this.bytes[offset];
  }

  u16(offset) {
    this.need(offset, 2);
    return (this.bytes[offset] << 8) | this.bytes[offset + 1];
  }

  u32(offset) {
    this.need(offset, 4);
    return this.bytes[offset] * 0x1000000 + ((this.bytes[offset + 1] << 16) | this.u16(offset + 2));
  }

  /** The text of `length` bytes at `offset`, as UTF-8. */
  utf8(offset, length) {
    return utf8Decode(TypedArrayPrototypeSubarray(this.bytes, offset, offset + length));
  }

  /** The name at `offset`. */
  name(offset) {
    return this.nameAt(offset).value;
  }

  /** The name at `offset` and the offset after it (a pointer ends a name in place). */
  nameAt(offset) {
    const labels = [];
    let at = offset;
    let end = -1;
    let length = 0;
    for (;;) {
      const len = this.u8(at);
      if (len === 0) {
        if (end === -1) end = at + 1;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        const target = ((len & 0x3f) << 8) | this.u8(at + 1);
        if (end === -1) end = at + 2;
        if (target >= at) throw new BadMessage('a name pointer that does not point back');
        at = target;
        continue;
      }
      if (len > MAX_LABEL) throw new BadMessage('a label longer than 63 bytes');
      this.need(at + 1, len);
      length += len + 1;
      if (length > 255) throw new BadMessage('a name longer than 255 bytes');
      ArrayPrototypePush(labels, this.utf8(at + 1, len));
      at += len + 1;
    }
    return { value: ArrayPrototypeJoin(labels, '.'), end };
  }

  /** The <character-string> at `offset` (within `limit`) and the offset after it. */
  text(offset, limit) {
    const len = this.u8(offset);
    if (offset + 1 + len > limit) throw new BadMessage('a string past its record');
    return { value: this.utf8(offset + 1, len), end: offset + 1 + len };
  }
}

function ipv4(bytes, at) {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

/** An IPv6 address as inet_ntop writes it: lowercase, the longest run of zero groups as `::`. */
function ipv6(reader, at) {
  const groups = [];
  for (let i = 0; i < 8; i++) ArrayPrototypePush(groups, reader.u16(at + i * 2));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from, to) => {
    const parts = [];
    for (let i = from; i < to; i++)
      ArrayPrototypePush(parts, NumberPrototypeToString(groups[i], 16));
    return ArrayPrototypeJoin(parts, ':');
  };
  if (best === -1) return hex(0, 8);
  return `${hex(0, best)}::${hex(best + bestLength, 8)}`;
}

function record(reader, type, ttl, at, end) {
  switch (type) {
    case TYPES.A:
      if (end - at !== 4) throw new BadMessage('an A record that is not 4 bytes');
      return { address: ipv4(reader.bytes, at), ttl };
    case TYPES.AAAA:
      if (end - at !== 16) throw new BadMessage('an AAAA record that is not 16 bytes');
      return { address: ipv6(reader, at), ttl };
    case TYPES.CNAME:
    case TYPES.NS:
    case TYPES.PTR:
      return { value: reader.name(at) };
    case TYPES.MX:
      return { exchange: reader.name(at + 2), priority: reader.u16(at) };
    case TYPES.TXT: {
      const entries = [];
      let pos = at;
      while (pos < end) {
        const text = reader.text(pos, end);
        ArrayPrototypePush(entries, text.value);
        pos = text.end;
      }
      return { entries };
    }
    case TYPES.SRV:
      return {
        name: reader.name(at + 6),
        port: reader.u16(at + 4),
        priority: reader.u16(at),
        weight: reader.u16(at + 2),
      };
    case TYPES.SOA: {
      const nsname = reader.nameAt(at);
      const hostmaster = reader.nameAt(nsname.end);
      const pos = hostmaster.end;
      return {
        nsname: nsname.value,
        hostmaster: hostmaster.value,
        serial: reader.u32(pos),
        refresh: reader.u32(pos + 4),
        retry: reader.u32(pos + 8),
        expire: reader.u32(pos + 12),
        minttl: reader.u32(pos + 16),
      };
    }
    case TYPES.NAPTR: {
      const order = reader.u16(at);
      const preference = reader.u16(at + 2);
      const flags = reader.text(at + 4, end);
      const service = reader.text(flags.end, end);
      const regexp = reader.text(service.end, end);
      return {
        flags: flags.value,
        service: service.value,
        regexp: regexp.value,
        replacement: reader.name(regexp.end),
        order,
        preference,
      };
    }
    case TYPES.CAA: {
      const critical = reader.u8(at);
      const tagLength = reader.u8(at + 1);
      if (at + 2 + tagLength > end) throw new BadMessage('a CAA tag past its record');
      const tag = reader.utf8(at + 2, tagLength);
      const out = { critical };
      ObjectDefineProperty(out, tag, {
        __proto__: null,
        value: reader.utf8(at + 2 + tagLength, end - at - 2 - tagLength),
        writable: true,
        enumerable: true,
        configurable: true,
      });
      return out;
    }
    default:
      return null;
  }
}

/**
 * The header fields and answers of response `bytes`: { id, truncated, rcode, answers }, each
 * answer { type (Node's name), ttl, ...data }. Records of other types are left out.
 * @throws {BadMessage} when the message is malformed.
 */
export function decodeResponse(bytes) {
  const reader = new Reader(bytes);
  const id = reader.u16(0);
  const flags = reader.u16(2);
  const questions = reader.u16(4);
  const count = reader.u16(6);
  if ((flags & 0x8000) === 0) throw new BadMessage('not a response');
  let at = 12;
  for (let i = 0; i < questions; i++) at = reader.nameAt(at).end + 4;
  const answers = [];
  for (let i = 0; i < count; i++) {
    at = reader.nameAt(at).end;
    const type = reader.u16(at);
    const ttl = reader.u32(at + 4);
    const length = reader.u16(at + 8);
    const start = at + 10;
    reader.need(start, length);
    const data = record(reader, type, ttl, start, start + length);
    if (data !== null) {
      data.type = NAMES[type];
      ArrayPrototypePush(answers, data);
    }
    at = start + length;
  }
  return { id, truncated: (flags & 0x0200) !== 0, rcode: flags & 0xf, answers };
}
