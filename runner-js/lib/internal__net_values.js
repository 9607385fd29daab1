// lib/internal__net_values.js: the constants and pure helpers of the networking builtins
// (http.METHODS, http.STATUS_CODES, net.isIP): real, because packages read them at load time.

import {
  ArrayPrototypePush,
  NumberParseInt,
  RegExpCtor,
  RegExpPrototypeTest,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
} from '../js/00_primordials.js';
import { validateBoolean, validateInt32 } from './internal__crypto_util.js';

export const METHODS = [
  'ACL',
  'BIND',
  'CHECKOUT',
  'CONNECT',
  'COPY',
  'DELETE',
  'GET',
  'HEAD',
  'LINK',
  'LOCK',
  'M-SEARCH',
  'MERGE',
  'MKACTIVITY',
  'MKCALENDAR',
  'MKCOL',
  'MOVE',
  'NOTIFY',
  'OPTIONS',
  'PATCH',
  'POST',
  'PROPFIND',
  'PROPPATCH',
  'PURGE',
  'PUT',
  'QUERY',
  'REBIND',
  'REPORT',
  'SEARCH',
  'SOURCE',
  'SUBSCRIBE',
  'TRACE',
  'UNBIND',
  'UNLINK',
  'UNLOCK',
  'UNSUBSCRIBE',
];

export const STATUS_CODES = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  509: 'Bandwidth Limit Exceeded',
  510: 'Not Extended',
  511: 'Network Authentication Required',
};

const IPV4_PART = '(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])';
const IPV4 = `(?:${IPV4_PART}\\.){3}${IPV4_PART}`;
const IPV6_SEG = '(?:[0-9a-fA-F]{1,4})';
const IPV6 =
  '(?:' +
  `(?:${IPV6_SEG}:){7}(?:${IPV6_SEG}|:)|` +
  `(?:${IPV6_SEG}:){6}(?:${IPV4}|:${IPV6_SEG}|:)|` +
  `(?:${IPV6_SEG}:){5}(?::${IPV4}|(?::${IPV6_SEG}){1,2}|:)|` +
  `(?:${IPV6_SEG}:){4}(?:(?::${IPV6_SEG}){0,1}:${IPV4}|(?::${IPV6_SEG}){1,3}|:)|` +
  `(?:${IPV6_SEG}:){3}(?:(?::${IPV6_SEG}){0,2}:${IPV4}|(?::${IPV6_SEG}){1,4}|:)|` +
  `(?:${IPV6_SEG}:){2}(?:(?::${IPV6_SEG}){0,3}:${IPV4}|(?::${IPV6_SEG}){1,5}|:)|` +
  `(?:${IPV6_SEG}:){1}(?:(?::${IPV6_SEG}){0,4}:${IPV4}|(?::${IPV6_SEG}){1,6}|:)|` +
  `(?::(?:(?::${IPV6_SEG}){0,5}:${IPV4}|(?::${IPV6_SEG}){1,7}|:))` +
  ')(?:%[0-9a-zA-Z-.:]{1,})?';
const IPV4_RE = new RegExpCtor(`^${IPV4}$`);
const IPV6_RE = new RegExpCtor(`^${IPV6}$`);

export function isIPv4(s) {
  return typeof s === 'string' && RegExpPrototypeTest(IPV4_RE, s);
}

export function isIPv6(s) {
  return typeof s === 'string' && RegExpPrototypeTest(IPV6_RE, s);
}

export function isIP(s) {
  if (isIPv4(s)) return 4;
  if (isIPv6(s)) return 6;
  return 0;
}

// The happy-eyeballs defaults (net.getDefaultAutoSelectFamily...): plain settings, read by
// packages and by Node's own test/common at load time. Node 22's defaults and validation.
let autoSelectFamily = true;
let autoSelectFamilyAttemptTimeout = 250;

export function getDefaultAutoSelectFamily() {
  return autoSelectFamily;
}

export function setDefaultAutoSelectFamily(value) {
  validateBoolean(value, 'value');
  autoSelectFamily = value;
}

export function getDefaultAutoSelectFamilyAttemptTimeout() {
  return autoSelectFamilyAttemptTimeout;
}

export function setDefaultAutoSelectFamilyAttemptTimeout(value) {
  validateInt32(value, 'value', 1);
  autoSelectFamilyAttemptTimeout = value < 10 ? 10 : value;
}

/** The two 16-bit words of dotted IPv4 `text` (already validated). */
export function ipv4Words(text) {
  const parts = StringPrototypeSplit(text, '.');
  const b = [];
  for (let i = 0; i < 4; i++) ArrayPrototypePush(b, NumberParseInt(parts[i], 10));
  return [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
}

function groupsOf(text) {
  if (text === '') return [];
  const groups = StringPrototypeSplit(text, ':');
  const words = [];
  for (let i = 0; i < groups.length; i++) {
    if (i === groups.length - 1 && StringPrototypeIndexOf(groups[i], '.') !== -1) {
      const tail = ipv4Words(groups[i]);
      ArrayPrototypePush(words, tail[0]);
      ArrayPrototypePush(words, tail[1]);
    } else {
      ArrayPrototypePush(words, NumberParseInt(groups[i], 16));
    }
  }
  return words;
}

/** The eight 16-bit words of IPv6 `text` (already validated; a zone is ignored). */
export function ipv6Words(text) {
  const zone = StringPrototypeIndexOf(text, '%');
  const bare = zone === -1 ? text : StringPrototypeSlice(text, 0, zone);
  const gap = StringPrototypeIndexOf(bare, '::');
  if (gap === -1) return groupsOf(bare);
  const head = groupsOf(StringPrototypeSlice(bare, 0, gap));
  const tail = groupsOf(StringPrototypeSlice(bare, gap + 2));
  const words = head;
  for (let i = head.length + tail.length; i < 8; i++) ArrayPrototypePush(words, 0);
  for (let i = 0; i < tail.length; i++) ArrayPrototypePush(words, tail[i]);
  return words;
}
