// crypto.X509Certificate: a certificate parsed by the native `cryptoX509Parse` (x509-parser),
// with Node's names, serial, validity, fingerprints, `ca`, `subjectAltName`, `raw` and PEM text.
// Not here yet: publicKey, keyUsage, infoAccess, issuerCertificate and the check*/verify methods.
import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  DateCtor,
  DatePrototypeGetUTCDate,
  DatePrototypeGetUTCFullYear,
  DatePrototypeGetUTCHours,
  DatePrototypeGetUTCMinutes,
  DatePrototypeGetUTCMonth,
  DatePrototypeGetUTCSeconds,
  ErrorCtor,
  StringPrototypeIndexOf,
  StringPrototypePadStart,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeToUpperCase,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { toUint8View } from '../js/07_encoding.js';
import { Buffer } from './buffer.js';

const cryptoX509Parse = bridge.cryptoX509Parse;
const cryptoHashOnce = bridge.cryptoHashOnce;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// OpenSSL's ASN1_TIME_print: `Sep  3 21:40:37 2022 GMT`.
function asn1Time(date) {
  const two = (n) => StringPrototypePadStart(`${n}`, 2, '0');
  const day = StringPrototypePadStart(`${DatePrototypeGetUTCDate(date)}`, 2, ' ');
  const time = `${two(DatePrototypeGetUTCHours(date))}:${two(DatePrototypeGetUTCMinutes(date))}:${two(DatePrototypeGetUTCSeconds(date))}`;
  return `${MONTHS[DatePrototypeGetUTCMonth(date)]} ${day} ${time} ${DatePrototypeGetUTCFullYear(date)} GMT`;
}

// `AB:CD:...`, as Node prints fingerprints.
function fingerprint(der, algorithm) {
  const hex = StringPrototypeToUpperCase(cryptoHashOnce(algorithm, der, 0, 2));
  const pairs = [];
  for (let i = 0; i < hex.length; i += 2)
    ArrayPrototypePush(pairs, StringPrototypeSlice(hex, i, i + 2));
  return ArrayPrototypeJoin(pairs, ':');
}

const fields = new WeakMapCtor();

function fieldsOf(cert) {
  const f = WeakMapPrototypeGet(fields, cert);
  if (f === undefined) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_INVALID_THIS',
      'Value of "this" must be of type X509Certificate',
    );
  }
  return f;
}

export class X509Certificate {
  constructor(buffer) {
    let bytes;
    if (typeof buffer === 'string') bytes = Buffer.from(buffer);
    else if (ArrayBufferIsView(buffer)) bytes = toUint8View(buffer);
    else {
      throw makeInvalidArgType(
        'buffer',
        'of type string or an instance of Buffer, TypedArray, or DataView',
        buffer,
      );
    }
    const parsed = cryptoX509Parse(bytes);
    if (typeof parsed === 'string') {
      throw makeNodeError(
        ErrorCtor,
        'ERR_CRYPTO_OPERATION_FAILED',
        `Failed to parse the certificate: ${parsed}`,
      );
    }
    WeakMapPrototypeSet(fields, this, {
      subject: parsed[0],
      issuer: parsed[1],
      serialNumber: parsed[2],
      validFromDate: new DateCtor(parsed[3] * 1000),
      validToDate: new DateCtor(parsed[4] * 1000),
      raw: Buffer.from(parsed[5]),
      ca: parsed[6],
      subjectAltName: parsed[7],
    });
  }

  get subject() {
    return fieldsOf(this).subject;
  }
  get issuer() {
    return fieldsOf(this).issuer;
  }
  get serialNumber() {
    return fieldsOf(this).serialNumber;
  }
  get subjectAltName() {
    return fieldsOf(this).subjectAltName;
  }
  get ca() {
    return fieldsOf(this).ca;
  }
  get raw() {
    return fieldsOf(this).raw;
  }
  get validFrom() {
    return asn1Time(fieldsOf(this).validFromDate);
  }
  get validTo() {
    return asn1Time(fieldsOf(this).validToDate);
  }
  get validFromDate() {
    return new DateCtor(fieldsOf(this).validFromDate);
  }
  get validToDate() {
    return new DateCtor(fieldsOf(this).validToDate);
  }
  get fingerprint() {
    return fingerprint(fieldsOf(this).raw, 'sha1');
  }
  get fingerprint256() {
    return fingerprint(fieldsOf(this).raw, 'sha256');
  }
  get fingerprint512() {
    return fingerprint(fieldsOf(this).raw, 'sha512');
  }

  toString() {
    const body = fieldsOf(this).raw.toString('base64');
    const lines = [];
    for (let i = 0; i < body.length; i += 64)
      ArrayPrototypePush(lines, StringPrototypeSlice(body, i, i + 64));
    return `-----BEGIN CERTIFICATE-----\n${ArrayPrototypeJoin(lines, '\n')}\n-----END CERTIFICATE-----\n`;
  }

  toJSON() {
    return this.toString();
  }

  // The plain object `tlsSocket.getPeerCertificate()` returns (Node's legacy form).
  toLegacyObject() {
    const f = fieldsOf(this);
    const cert = {
      subject: dnObject(f.subject),
      issuer: dnObject(f.issuer),
      ca: f.ca,
    };
    if (f.subjectAltName !== undefined) cert.subjectaltname = f.subjectAltName;
    cert.valid_from = this.validFrom;
    cert.valid_to = this.validTo;
    cert.fingerprint = this.fingerprint;
    cert.fingerprint256 = this.fingerprint256;
    cert.fingerprint512 = this.fingerprint512;
    cert.serialNumber = f.serialNumber;
    cert.raw = f.raw;
    return cert;
  }
}

// `C=US\nCN=x` as a null-prototype object; a name given twice becomes an array, as Node's.
function dnObject(text) {
  const out = { __proto__: null };
  if (!text) return out;
  const lines = StringPrototypeSplit(text, '\n');
  for (let i = 0; i < lines.length; i++) {
    const at = StringPrototypeIndexOf(lines[i], '=');
    if (at < 1) continue;
    const key = StringPrototypeSlice(lines[i], 0, at);
    const value = StringPrototypeSlice(lines[i], at + 1);
    const had = out[key];
    if (had === undefined) out[key] = value;
    else if (ArrayIsArray(had)) ArrayPrototypePush(had, value);
    else out[key] = [had, value];
  }
  return out;
}
