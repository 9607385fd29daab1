// lib/internal__buffer_numbers.js: Buffer's read/write methods for integers (8..48 bits, both
// byte orders), BigInts and floats, with Node 20's argument checks and error texts (its
// lib/internal/buffer.js reads bytes with `buf[i]`, so an offset outside the buffer reads
// `undefined`; the checks below follow that shape).

import {
  BigIntCtor,
  MathFloor,
  NumberCtor,
  TypedArrayPrototypeGetLength,
} from '../js/00_primordials.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import {
  bufferOutOfBounds,
  invalidArgType,
  outOfRange,
  validateNumber,
} from './internal__web_errors.js';

const { Float32ArrayCtor, Float64ArrayCtor, Uint8ArrayCtor, TypedArrayPrototypeGetBuffer } =
  webPrimordials;

const float32 = new Float32ArrayCtor(1);
const float32Bytes = new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(float32));
const float64 = new Float64ArrayCtor(1);
const float64Bytes = new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(float64));

function boundsError(value, length, type) {
  if (MathFloor(value) !== value) {
    validateNumber(value, type || 'offset');
    throw outOfRange(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw bufferOutOfBounds();
  throw outOfRange(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

function checkBounds(buf, offset, last) {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + last] === undefined) {
    boundsError(offset, TypedArrayPrototypeGetLength(buf) - (last + 1));
  }
}

function checkInt(value, min, max, buf, offset, last) {
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range;
    if (last > 3) {
      const bits = (last + 1) * 8;
      if (min === 0 || min === 0n) range = `>= 0${n} and < 2${n} ** ${bits}${n}`;
      else range = `>= -(2${n} ** ${bits - 1}${n}) and < 2${n} ** ${bits - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw outOfRange('value', range, value);
  }
  checkBounds(buf, offset, last);
}

// ---- reads ----

function readUnsigned(buf, offset, size, littleEndian) {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + size - 1];
  if (first === undefined || last === undefined) {
    boundsError(offset, TypedArrayPrototypeGetLength(buf) - size);
  }
  let value = 0;
  if (littleEndian) {
    for (let i = size - 1; i >= 0; i--) value = value * 256 + buf[offset + i];
  } else {
    for (let i = 0; i < size; i++) value = value * 256 + buf[offset + i];
  }
  return value;
}

function readSigned(buf, offset, size, littleEndian) {
  const value = readUnsigned(buf, offset, size, littleEndian);
  const limit = 2 ** (size * 8 - 1);
  return value >= limit ? value - limit * 2 : value;
}

function readBig(buf, offset, littleEndian, signed) {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 7];
  if (first === undefined || last === undefined) {
    boundsError(offset, TypedArrayPrototypeGetLength(buf) - 8);
  }
  const a = readUnsigned(buf, offset, 4, littleEndian);
  const b = readUnsigned(buf, offset + 4, 4, littleEndian);
  const lo = littleEndian ? a : b;
  const hi = littleEndian ? b : a;
  const value = (BigIntCtor(hi) << 32n) + BigIntCtor(lo);
  return signed && hi >= 2 ** 31 ? value - 2n ** 64n : value;
}

function readFloatBytes(buf, offset, size, littleEndian) {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + size - 1];
  if (first === undefined || last === undefined) {
    boundsError(offset, TypedArrayPrototypeGetLength(buf) - size);
  }
  const bytes = size === 4 ? float32Bytes : float64Bytes;
  for (let i = 0; i < size; i++) bytes[littleEndian ? i : size - 1 - i] = buf[offset + i];
  return size === 4 ? float32[0] : float64[0];
}

function readVariable(buf, offset, byteLength, littleEndian, signed) {
  if (offset === undefined) throw invalidArgType('offset', 'number', offset);
  if (byteLength >= 1 && byteLength <= 6 && MathFloor(byteLength) === byteLength) {
    return signed
      ? readSigned(buf, offset, byteLength, littleEndian)
      : readUnsigned(buf, offset, byteLength, littleEndian);
  }
  return boundsError(byteLength, 6, 'byteLength');
}

// ---- writes ----

function writeBytes(buf, value, offset, size, littleEndian) {
  // Like Node: the low 32 bits through `>>>`, the rest from the value divided by 2 ** 32.
  const high = size > 4 ? MathFloor(value * 2 ** -32) : 0;
  for (let i = 0; i < size; i++) {
    const byte = i < 4 ? value >>> (8 * i) : high >>> (8 * (i - 4));
    buf[littleEndian ? offset + i : offset + size - 1 - i] = byte;
  }
  return offset + size;
}

function writeInt(buf, value, offset, size, littleEndian, min, max) {
  value = +value;
  if (size === 1) {
    validateNumber(offset, 'offset');
    if (value > max || value < min) throw outOfRange('value', `>= ${min} and <= ${max}`, value);
    if (buf[offset] === undefined) boundsError(offset, TypedArrayPrototypeGetLength(buf) - 1);
    buf[offset] = value;
    return offset + 1;
  }
  checkInt(value, min, max, buf, offset, size - 1);
  return writeBytes(buf, value, offset, size, littleEndian);
}

function writeBig(buf, value, offset, littleEndian, min, max) {
  checkInt(value, min, max, buf, offset, 7);
  const lo = NumberCtor(value & 0xffffffffn);
  const hi = NumberCtor((value >> 32n) & 0xffffffffn);
  writeBytes(buf, littleEndian ? lo : hi, offset, 4, littleEndian);
  writeBytes(buf, littleEndian ? hi : lo, offset + 4, 4, littleEndian);
  return offset + 8;
}

function writeFloatBytes(buf, value, offset, size, littleEndian) {
  value = +value;
  checkBounds(buf, offset, size - 1);
  let bytes;
  if (size === 4) {
    float32[0] = value;
    bytes = float32Bytes;
  } else {
    float64[0] = value;
    bytes = float64Bytes;
  }
  for (let i = 0; i < size; i++) buf[offset + i] = bytes[littleEndian ? i : size - 1 - i];
  return offset + size;
}

const UNSIGNED_MAX = [0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff];

function writeVariable(buf, value, offset, byteLength, littleEndian, signed) {
  if (byteLength >= 1 && byteLength <= 6 && MathFloor(byteLength) === byteLength) {
    const max = signed ? 2 ** (byteLength * 8 - 1) - 1 : UNSIGNED_MAX[byteLength];
    const min = signed ? -(2 ** (byteLength * 8 - 1)) : 0;
    return writeInt(buf, value, offset, byteLength, littleEndian, min, max);
  }
  return boundsError(byteLength, 6, 'byteLength');
}

/** Installs the read/write methods (with Node's `Uint` aliases) on `proto`. */
export function addNumberMethods(proto, define) {
  const methods = {
    __proto__: null,
    readBigUInt64LE(offset = 0) {
      return readBig(this, offset, true, false);
    },
    readBigUInt64BE(offset = 0) {
      return readBig(this, offset, false, false);
    },
    readBigInt64LE(offset = 0) {
      return readBig(this, offset, true, true);
    },
    readBigInt64BE(offset = 0) {
      return readBig(this, offset, false, true);
    },
    writeBigUInt64LE(value, offset = 0) {
      return writeBig(this, value, offset, true, 0n, 0xffffffffffffffffn);
    },
    writeBigUInt64BE(value, offset = 0) {
      return writeBig(this, value, offset, false, 0n, 0xffffffffffffffffn);
    },
    writeBigInt64LE(value, offset = 0) {
      return writeBig(this, value, offset, true, -(2n ** 63n), 2n ** 63n - 1n);
    },
    writeBigInt64BE(value, offset = 0) {
      return writeBig(this, value, offset, false, -(2n ** 63n), 2n ** 63n - 1n);
    },
    readUIntLE(offset, byteLength) {
      return readVariable(this, offset, byteLength, true, false);
    },
    readUInt32LE(offset = 0) {
      return readUnsigned(this, offset, 4, true);
    },
    readUInt16LE(offset = 0) {
      return readUnsigned(this, offset, 2, true);
    },
    readUInt8(offset = 0) {
      return readUnsigned(this, offset, 1, true);
    },
    readUIntBE(offset, byteLength) {
      return readVariable(this, offset, byteLength, false, false);
    },
    readUInt32BE(offset = 0) {
      return readUnsigned(this, offset, 4, false);
    },
    readUInt16BE(offset = 0) {
      return readUnsigned(this, offset, 2, false);
    },
    readIntLE(offset, byteLength) {
      return readVariable(this, offset, byteLength, true, true);
    },
    readInt32LE(offset = 0) {
      return readSigned(this, offset, 4, true);
    },
    readInt16LE(offset = 0) {
      return readSigned(this, offset, 2, true);
    },
    readInt8(offset = 0) {
      return readSigned(this, offset, 1, true);
    },
    readIntBE(offset, byteLength) {
      return readVariable(this, offset, byteLength, false, true);
    },
    readInt32BE(offset = 0) {
      return readSigned(this, offset, 4, false);
    },
    readInt16BE(offset = 0) {
      return readSigned(this, offset, 2, false);
    },
    writeUIntLE(value, offset, byteLength) {
      return writeVariable(this, value, offset, byteLength, true, false);
    },
    writeUInt32LE(value, offset = 0) {
      return writeInt(this, value, offset, 4, true, 0, 0xffffffff);
    },
    writeUInt16LE(value, offset = 0) {
      return writeInt(this, value, offset, 2, true, 0, 0xffff);
    },
    writeUInt8(value, offset = 0) {
      return writeInt(this, value, offset, 1, true, 0, 0xff);
    },
    writeUIntBE(value, offset, byteLength) {
      return writeVariable(this, value, offset, byteLength, false, false);
    },
    writeUInt32BE(value, offset = 0) {
      return writeInt(this, value, offset, 4, false, 0, 0xffffffff);
    },
    writeUInt16BE(value, offset = 0) {
      return writeInt(this, value, offset, 2, false, 0, 0xffff);
    },
    writeIntLE(value, offset, byteLength) {
      return writeVariable(this, value, offset, byteLength, true, true);
    },
    writeInt32LE(value, offset = 0) {
      return writeInt(this, value, offset, 4, true, -0x80000000, 0x7fffffff);
    },
    writeInt16LE(value, offset = 0) {
      return writeInt(this, value, offset, 2, true, -0x8000, 0x7fff);
    },
    writeInt8(value, offset = 0) {
      return writeInt(this, value, offset, 1, true, -0x80, 0x7f);
    },
    writeIntBE(value, offset, byteLength) {
      return writeVariable(this, value, offset, byteLength, false, true);
    },
    writeInt32BE(value, offset = 0) {
      return writeInt(this, value, offset, 4, false, -0x80000000, 0x7fffffff);
    },
    writeInt16BE(value, offset = 0) {
      return writeInt(this, value, offset, 2, false, -0x8000, 0x7fff);
    },
    readFloatLE(offset = 0) {
      return readFloatBytes(this, offset, 4, true);
    },
    readFloatBE(offset = 0) {
      return readFloatBytes(this, offset, 4, false);
    },
    readDoubleLE(offset = 0) {
      return readFloatBytes(this, offset, 8, true);
    },
    readDoubleBE(offset = 0) {
      return readFloatBytes(this, offset, 8, false);
    },
    writeFloatLE(value, offset = 0) {
      return writeFloatBytes(this, value, offset, 4, true);
    },
    writeFloatBE(value, offset = 0) {
      return writeFloatBytes(this, value, offset, 4, false);
    },
    writeDoubleLE(value, offset = 0) {
      return writeFloatBytes(this, value, offset, 8, true);
    },
    writeDoubleBE(value, offset = 0) {
      return writeFloatBytes(this, value, offset, 8, false);
    },
  };
  // Node's order: each method, then its `Uint` alias right after the BigUInt / UInt groups.
  const order = [
    ['readBigUInt64LE', 'readBigUInt64LE'],
    ['readBigUInt64BE', 'readBigUInt64BE'],
    ['readBigUint64LE', 'readBigUInt64LE'],
    ['readBigUint64BE', 'readBigUInt64BE'],
    ['readBigInt64LE', 'readBigInt64LE'],
    ['readBigInt64BE', 'readBigInt64BE'],
    ['writeBigUInt64LE', 'writeBigUInt64LE'],
    ['writeBigUInt64BE', 'writeBigUInt64BE'],
    ['writeBigUint64LE', 'writeBigUInt64LE'],
    ['writeBigUint64BE', 'writeBigUInt64BE'],
    ['writeBigInt64LE', 'writeBigInt64LE'],
    ['writeBigInt64BE', 'writeBigInt64BE'],
    ['readUIntLE', 'readUIntLE'],
    ['readUInt32LE', 'readUInt32LE'],
    ['readUInt16LE', 'readUInt16LE'],
    ['readUInt8', 'readUInt8'],
    ['readUIntBE', 'readUIntBE'],
    ['readUInt32BE', 'readUInt32BE'],
    ['readUInt16BE', 'readUInt16BE'],
    ['readUintLE', 'readUIntLE'],
    ['readUint32LE', 'readUInt32LE'],
    ['readUint16LE', 'readUInt16LE'],
    ['readUint8', 'readUInt8'],
    ['readUintBE', 'readUIntBE'],
    ['readUint32BE', 'readUInt32BE'],
    ['readUint16BE', 'readUInt16BE'],
    ['readIntLE', 'readIntLE'],
    ['readInt32LE', 'readInt32LE'],
    ['readInt16LE', 'readInt16LE'],
    ['readInt8', 'readInt8'],
    ['readIntBE', 'readIntBE'],
    ['readInt32BE', 'readInt32BE'],
    ['readInt16BE', 'readInt16BE'],
    ['writeUIntLE', 'writeUIntLE'],
    ['writeUInt32LE', 'writeUInt32LE'],
    ['writeUInt16LE', 'writeUInt16LE'],
    ['writeUInt8', 'writeUInt8'],
    ['writeUIntBE', 'writeUIntBE'],
    ['writeUInt32BE', 'writeUInt32BE'],
    ['writeUInt16BE', 'writeUInt16BE'],
    ['writeUintLE', 'writeUIntLE'],
    ['writeUint32LE', 'writeUInt32LE'],
    ['writeUint16LE', 'writeUInt16LE'],
    ['writeUint8', 'writeUInt8'],
    ['writeUintBE', 'writeUIntBE'],
    ['writeUint32BE', 'writeUInt32BE'],
    ['writeUint16BE', 'writeUInt16BE'],
    ['writeIntLE', 'writeIntLE'],
    ['writeInt32LE', 'writeInt32LE'],
    ['writeInt16LE', 'writeInt16LE'],
    ['writeInt8', 'writeInt8'],
    ['writeIntBE', 'writeIntBE'],
    ['writeInt32BE', 'writeInt32BE'],
    ['writeInt16BE', 'writeInt16BE'],
    ['readFloatLE', 'readFloatLE'],
    ['readFloatBE', 'readFloatBE'],
    ['readDoubleLE', 'readDoubleLE'],
    ['readDoubleBE', 'readDoubleBE'],
    ['writeFloatLE', 'writeFloatLE'],
    ['writeFloatBE', 'writeFloatBE'],
    ['writeDoubleLE', 'writeDoubleLE'],
    ['writeDoubleBE', 'writeDoubleBE'],
  ];
  for (let i = 0; i < order.length; i++) {
    define(proto, order[i][0], methods[order[i][1]]);
  }
}
