// lib/url.js: the `url` builtin. The legacy API (Url, parse, format, resolve, resolveObject)
// follows Node 20's lib/url.js (MIT) step by step, its quirks being observable; the WHATWG API
// comes from internal/url (servo's url crate underneath).

import {
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  ObjectKeys,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { emitWarning } from '../js/23_warnings.js';
import { pathResolve } from '../js/40_path.js';
import {
  domainToASCII,
  domainToUnicode,
  idnaToASCII,
  isURL,
  URL,
  URLSearchParams,
} from './internal__url.js';
import {
  invalidArgType,
  invalidUrl,
  nodeError,
  validateObject,
  validateString,
} from './internal__web_errors.js';
import { encodeStr, querystringExports } from './querystring.js';

const {
  ArrayPrototypeUnshift,
  DecodeURIComponent,
  FunctionPrototypeCall,
  RegExpPrototypeExec,
  RegExpPrototypeSymbolReplace,
  RegExpPrototypeTest,
  StringPrototypeSplit,
} = webPrimordials;

export function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

const querystring = querystringExports;

function setOf(items) {
  const set = new SetCtor();
  for (let i = 0; i < items.length; i++) SetPrototypeAdd(set, items[i]);
  return set;
}

const protocolPattern = /^[a-z0-9.+-]+:/i;
const portPattern = /:[0-9]*$/;
const hostPattern = /^\/\/[^@/]+@[^@/]+/;
const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
const hostnameMaxLen = 255;
const unsafeProtocol = setOf(['javascript', 'javascript:']);
const hostlessProtocol = setOf(['javascript', 'javascript:']);
const slashedProtocol = setOf([
  'http',
  'http:',
  'https',
  'https:',
  'ftp',
  'ftp:',
  'gopher',
  'gopher:',
  'file',
  'file:',
  'ws',
  'ws:',
  'wss',
  'wss:',
]);
const forbiddenHostChars = /[\0\t\n\r #%/:<>?@[\\\]^|]/;
const forbiddenHostCharsIpv6 = /[\0\t\n\r #%/<>?@\\^|]/;

function hasProto(set, value) {
  return value !== undefined && SetPrototypeHas(set, value);
}

function urlParse(url, parseQueryString, slashesDenoteHost) {
  if (url instanceof Url) return url;
  const urlObject = new Url();
  FunctionPrototypeCall(urlObjectParse, urlObject, url, parseQueryString, slashesDenoteHost);
  return urlObject;
}

function isIpv6Hostname(hostname) {
  return (
    StringPrototypeCharCodeAt(hostname, 0) === 91 &&
    StringPrototypeCharCodeAt(hostname, hostname.length - 1) === 93
  );
}

function urlObjectParse(url, parseQueryString, slashesDenoteHost) {
  validateString(url, 'url');
  let hasHash = false;
  let hasAt = false;
  let start = -1;
  let end = -1;
  let rest = '';
  let lastPos = 0;
  for (let i = 0, inWs = false, split = false; i < url.length; ++i) {
    const code = StringPrototypeCharCodeAt(url, i);
    const isWs = code < 33 || code === 0xa0 || code === 0xfeff;
    if (start === -1) {
      if (isWs) continue;
      lastPos = start = i;
    } else if (inWs) {
      if (!isWs) {
        end = -1;
        inWs = false;
      }
    } else if (isWs) {
      end = i;
      inWs = true;
    }
    if (!split) {
      switch (code) {
        case 64:
          hasAt = true;
          break;
        case 35:
          hasHash = true;
          split = true;
          break;
        case 63:
          split = true;
          break;
        case 92:
          if (i - lastPos > 0) rest += StringPrototypeSlice(url, lastPos, i);
          rest += '/';
          lastPos = i + 1;
          break;
      }
    } else if (!hasHash && code === 35) {
      hasHash = true;
    }
  }
  if (start !== -1) {
    if (lastPos === start) {
      if (end === -1) rest = start === 0 ? url : StringPrototypeSlice(url, start);
      else rest = StringPrototypeSlice(url, start, end);
    } else if (end === -1 && lastPos < url.length) {
      rest += StringPrototypeSlice(url, lastPos);
    } else if (end !== -1 && lastPos < end) {
      rest += StringPrototypeSlice(url, lastPos, end);
    }
  }

  if (!slashesDenoteHost && !hasHash && !hasAt) {
    const simplePath = RegExpPrototypeExec(simplePathPattern, rest);
    if (simplePath) {
      this.path = rest;
      this.href = rest;
      this.pathname = simplePath[1];
      if (simplePath[2]) {
        this.search = simplePath[2];
        if (parseQueryString) this.query = querystring.parse(StringPrototypeSlice(this.search, 1));
        else this.query = StringPrototypeSlice(this.search, 1);
      } else if (parseQueryString) {
        this.search = null;
        this.query = { __proto__: null };
      }
      return this;
    }
  }

  let proto = RegExpPrototypeExec(protocolPattern, rest);
  let lowerProto;
  if (proto) {
    proto = proto[0];
    lowerProto = StringPrototypeToLowerCase(proto);
    this.protocol = lowerProto;
    rest = StringPrototypeSlice(rest, proto.length);
  }

  let slashes;
  if (slashesDenoteHost || proto || RegExpPrototypeTest(hostPattern, rest)) {
    slashes =
      StringPrototypeCharCodeAt(rest, 0) === 47 && StringPrototypeCharCodeAt(rest, 1) === 47;
    if (slashes && !(proto && hasProto(hostlessProtocol, lowerProto))) {
      rest = StringPrototypeSlice(rest, 2);
      this.slashes = true;
    }
  }

  if (
    !hasProto(hostlessProtocol, lowerProto) &&
    (slashes || (proto && !SetPrototypeHas(slashedProtocol, proto)))
  ) {
    let hostEnd = -1;
    let atSign = -1;
    let nonHost = -1;
    for (let i = 0; i < rest.length; ++i) {
      switch (StringPrototypeCharCodeAt(rest, i)) {
        case 9:
        case 10:
        case 13:
        case 32:
        case 34:
        case 37:
        case 39:
        case 59:
        case 60:
        case 62:
        case 92:
        case 94:
        case 96:
        case 123:
        case 124:
        case 125:
          if (nonHost === -1) nonHost = i;
          break;
        case 35:
        case 47:
        case 63:
          if (nonHost === -1) nonHost = i;
          hostEnd = i;
          break;
        case 64:
          atSign = i;
          nonHost = -1;
          break;
      }
      if (hostEnd !== -1) break;
    }
    start = 0;
    if (atSign !== -1) {
      this.auth = DecodeURIComponent(StringPrototypeSlice(rest, 0, atSign));
      start = atSign + 1;
    }
    if (nonHost === -1) {
      this.host = StringPrototypeSlice(rest, start);
      rest = '';
    } else {
      this.host = StringPrototypeSlice(rest, start, nonHost);
      rest = StringPrototypeSlice(rest, nonHost);
    }
    FunctionPrototypeCall(urlObjectParseHost, this);
    if (typeof this.hostname !== 'string') this.hostname = '';
    const hostname = this.hostname;
    const ipv6Hostname = isIpv6Hostname(hostname);
    if (!ipv6Hostname) rest = getHostname(this, rest, hostname, url);
    if (this.hostname.length > hostnameMaxLen) this.hostname = '';
    else this.hostname = StringPrototypeToLowerCase(this.hostname);
    if (this.hostname !== '') {
      if (ipv6Hostname) {
        if (RegExpPrototypeTest(forbiddenHostCharsIpv6, this.hostname)) throw invalidUrl(url);
      } else {
        this.hostname = idnaToASCII(this.hostname);
        if (this.hostname === '' || RegExpPrototypeTest(forbiddenHostChars, this.hostname)) {
          throw invalidUrl(url);
        }
      }
    }
    const p = this.port ? `:${this.port}` : '';
    const h = this.hostname || '';
    this.host = h + p;
    if (ipv6Hostname) {
      this.hostname = StringPrototypeSlice(this.hostname, 1, -1);
      if (rest[0] !== '/') rest = `/${rest}`;
    }
  }

  if (!hasProto(unsafeProtocol, lowerProto)) rest = autoEscapeStr(rest);

  let questionIdx = -1;
  let hashIdx = -1;
  for (let i = 0; i < rest.length; ++i) {
    const code = StringPrototypeCharCodeAt(rest, i);
    if (code === 35) {
      this.hash = StringPrototypeSlice(rest, i);
      hashIdx = i;
      break;
    } else if (code === 63 && questionIdx === -1) {
      questionIdx = i;
    }
  }
  if (questionIdx !== -1) {
    if (hashIdx === -1) {
      this.search = StringPrototypeSlice(rest, questionIdx);
      this.query = StringPrototypeSlice(rest, questionIdx + 1);
    } else {
      this.search = StringPrototypeSlice(rest, questionIdx, hashIdx);
      this.query = StringPrototypeSlice(rest, questionIdx + 1, hashIdx);
    }
    if (parseQueryString) this.query = querystring.parse(this.query);
  } else if (parseQueryString) {
    this.search = null;
    this.query = { __proto__: null };
  }
  const useQuestionIdx = questionIdx !== -1 && (hashIdx === -1 || questionIdx < hashIdx);
  const firstIdx = useQuestionIdx ? questionIdx : hashIdx;
  if (firstIdx === -1) {
    if (rest.length > 0) this.pathname = rest;
  } else if (firstIdx > 0) {
    this.pathname = StringPrototypeSlice(rest, 0, firstIdx);
  }
  if (hasProto(slashedProtocol, lowerProto) && this.hostname && !this.pathname) {
    this.pathname = '/';
  }
  if (this.pathname || this.search) {
    this.path = (this.pathname || '') + (this.search || '');
  }
  this.href = FunctionPrototypeCall(urlObjectFormat, this);
  return this;
}

let warnInvalidPort = true;
function getHostname(self, rest, hostname, url) {
  for (let i = 0; i < hostname.length; ++i) {
    const code = StringPrototypeCharCodeAt(hostname, i);
    const isValid = code !== 47 && code !== 92 && code !== 35 && code !== 63 && code !== 58;
    if (!isValid) {
      if (warnInvalidPort && code === 58) {
        emitWarning(
          `The URL ${url} is invalid. Future versions of Node.js will throw an error.`,
          'DeprecationWarning',
          'DEP0170',
        );
        warnInvalidPort = false;
      }
      self.hostname = StringPrototypeSlice(hostname, 0, i);
      return `/${StringPrototypeSlice(hostname, i)}${rest}`;
    }
  }
  return rest;
}

const escapedCodes = {
  __proto__: null,
  9: '%09',
  10: '%0A',
  13: '%0D',
  32: '%20',
  34: '%22',
  39: '%27',
  60: '%3C',
  62: '%3E',
  92: '%5C',
  94: '%5E',
  96: '%60',
  123: '%7B',
  124: '%7C',
  125: '%7D',
};

function autoEscapeStr(rest) {
  let escaped = '';
  let lastEscapedPos = 0;
  for (let i = 0; i < rest.length; ++i) {
    const escapedChar = escapedCodes[StringPrototypeCharCodeAt(rest, i)];
    if (escapedChar) {
      if (i > lastEscapedPos) escaped += StringPrototypeSlice(rest, lastEscapedPos, i);
      escaped += escapedChar;
      lastEscapedPos = i + 1;
    }
  }
  if (lastEscapedPos === 0) return rest;
  if (lastEscapedPos < rest.length) escaped += StringPrototypeSlice(rest, lastEscapedPos);
  return escaped;
}

function urlFormat(urlObject, options) {
  if (typeof urlObject === 'string') {
    urlObject = urlParse(urlObject);
  } else if (typeof urlObject !== 'object' || urlObject === null) {
    throw invalidArgType('urlObject', ['Object', 'string'], urlObject);
  } else if (isURL(urlObject)) {
    let fragment = true;
    let unicode = false;
    let search = true;
    let auth = true;
    if (options) {
      validateObject(options, 'options');
      if (options.fragment != null) fragment = !!options.fragment;
      if (options.unicode != null) unicode = !!options.unicode;
      if (options.search != null) search = !!options.search;
      if (options.auth != null) auth = !!options.auth;
    }
    return formatWhatwg(urlObject.href, fragment, unicode, search, auth);
  }
  return FunctionPrototypeCall(urlObjectFormat, urlObject);
}

function formatWhatwg(href, fragment, unicode, search, auth) {
  const url = new URL(href);
  if (!fragment) url.hash = '';
  if (!search) url.search = '';
  if (!auth) {
    url.username = '';
    url.password = '';
  }
  let out = url.href;
  if (!fragment && StringPrototypeCharCodeAt(out, out.length - 1) === 35)
    out = StringPrototypeSlice(out, 0, -1);
  if (unicode) {
    const host = url.hostname;
    const converted = domainToUnicode(host);
    if (converted !== '' && converted !== host) {
      const at = StringPrototypeIndexOf(out, host, url.protocol.length);
      if (at !== -1)
        out =
          StringPrototypeSlice(out, 0, at) +
          converted +
          StringPrototypeSlice(out, at + host.length);
    }
  }
  return out;
}

// Characters auth leaves as they are: ! - . _ ~ ' ( ) * : digits, letters.
function noEscapeAuth(c) {
  return (
    (c >= 0x30 && c <= 0x3a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x21 ||
    c === 0x27 ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x2a ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e
  );
}

function urlObjectFormat() {
  let auth = this.auth || '';
  if (auth) {
    auth = encodeStr(auth, noEscapeAuth);
    auth += '@';
  }
  let protocol = this.protocol || '';
  let pathname = this.pathname || '';
  let hash = this.hash || '';
  let host = '';
  let query = '';
  if (this.host) {
    host = auth + this.host;
  } else if (this.hostname) {
    host =
      auth +
      (StringPrototypeIncludes(this.hostname, ':') && !isIpv6Hostname(this.hostname)
        ? `[${this.hostname}]`
        : this.hostname);
    if (this.port) host += `:${this.port}`;
  }
  if (this.query !== null && typeof this.query === 'object') {
    query = querystring.stringify(this.query);
  }
  let search = this.search || (query && `?${query}`) || '';
  if (protocol && StringPrototypeCharCodeAt(protocol, protocol.length - 1) !== 58) protocol += ':';
  let newPathname = '';
  let lastPos = 0;
  for (let i = 0; i < pathname.length; ++i) {
    const code = StringPrototypeCharCodeAt(pathname, i);
    if (code === 35 || code === 63) {
      if (i - lastPos > 0) newPathname += StringPrototypeSlice(pathname, lastPos, i);
      newPathname += code === 35 ? '%23' : '%3F';
      lastPos = i + 1;
    }
  }
  if (lastPos > 0) {
    if (lastPos !== pathname.length)
      pathname = newPathname + StringPrototypeSlice(pathname, lastPos);
    else pathname = newPathname;
  }
  if (this.slashes || SetPrototypeHas(slashedProtocol, protocol)) {
    if (this.slashes || host) {
      if (pathname && StringPrototypeCharCodeAt(pathname, 0) !== 47) pathname = `/${pathname}`;
      host = `//${host}`;
    } else if (
      protocol.length >= 4 &&
      StringPrototypeCharCodeAt(protocol, 0) === 102 &&
      StringPrototypeCharCodeAt(protocol, 1) === 105 &&
      StringPrototypeCharCodeAt(protocol, 2) === 108 &&
      StringPrototypeCharCodeAt(protocol, 3) === 101
    ) {
      host = '//';
    }
  }
  search = RegExpPrototypeSymbolReplace(/#/g, search, '%23');
  if (hash && StringPrototypeCharCodeAt(hash, 0) !== 35) hash = `#${hash}`;
  if (search && StringPrototypeCharCodeAt(search, 0) !== 63) search = `?${search}`;
  return protocol + host + pathname + search + hash;
}

function urlResolve(source, relative) {
  return urlParse(source, false, true).resolve(relative);
}

function urlResolveObject(source, relative) {
  if (!source) return relative;
  return urlParse(source, false, true).resolveObject(relative);
}

function split(s, sep) {
  return StringPrototypeSplit(s, sep);
}

function urlObjectResolveObject(relative) {
  if (typeof relative === 'string') {
    const rel = new Url();
    FunctionPrototypeCall(urlObjectParse, rel, relative, false, true);
    relative = rel;
  }
  const result = new Url();
  const tkeys = ObjectKeys(this);
  for (let tk = 0; tk < tkeys.length; tk++) result[tkeys[tk]] = this[tkeys[tk]];
  result.hash = relative.hash;
  if (relative.href === '') {
    result.href = result.format();
    return result;
  }
  if (relative.slashes && !relative.protocol) {
    const rkeys = ObjectKeys(relative);
    for (let rk = 0; rk < rkeys.length; rk++) {
      if (rkeys[rk] !== 'protocol') result[rkeys[rk]] = relative[rkeys[rk]];
    }
    if (hasProto(slashedProtocol, result.protocol) && result.hostname && !result.pathname) {
      result.path = result.pathname = '/';
    }
    result.href = result.format();
    return result;
  }
  if (relative.protocol && relative.protocol !== result.protocol) {
    if (!hasProto(slashedProtocol, relative.protocol)) {
      const keys = ObjectKeys(relative);
      for (let v = 0; v < keys.length; v++) result[keys[v]] = relative[keys[v]];
      result.href = result.format();
      return result;
    }
    result.protocol = relative.protocol;
    if (
      !relative.host &&
      !RegExpPrototypeTest(/^file:?$/, relative.protocol) &&
      !hasProto(hostlessProtocol, relative.protocol)
    ) {
      const relPath = split(relative.pathname || '', '/');
      // biome-ignore lint/suspicious/noAssignInExpressions: Node's url.resolve, kept as written
      while (relPath.length && !(relative.host = ArrayPrototypeShift(relPath)));
      if (!relative.host) relative.host = '';
      if (!relative.hostname) relative.hostname = '';
      if (relPath[0] !== '') ArrayPrototypeUnshift(relPath, '');
      if (relPath.length < 2) ArrayPrototypeUnshift(relPath, '');
      result.pathname = ArrayPrototypeJoin(relPath, '/');
    } else {
      result.pathname = relative.pathname;
    }
    result.search = relative.search;
    result.query = relative.query;
    result.host = relative.host || '';
    result.auth = relative.auth;
    result.hostname = relative.hostname || relative.host;
    result.port = relative.port;
    if (result.pathname || result.search) {
      result.path = (result.pathname || '') + (result.search || '');
    }
    result.slashes = result.slashes || relative.slashes;
    result.href = result.format();
    return result;
  }

  const isSourceAbs = result.pathname && result.pathname[0] === '/';
  const isRelAbs = relative.host || (relative.pathname && relative.pathname[0] === '/');
  let mustEndAbs = isRelAbs || isSourceAbs || (result.host && relative.pathname);
  const removeAllDots = mustEndAbs;
  let srcPath = (result.pathname && split(result.pathname, '/')) || [];
  const relPath = (relative.pathname && split(relative.pathname, '/')) || [];
  const noLeadingSlashes = result.protocol && !hasProto(slashedProtocol, result.protocol);

  if (noLeadingSlashes) {
    result.hostname = '';
    result.port = null;
    if (result.host) {
      if (srcPath[0] === '') srcPath[0] = result.host;
      else ArrayPrototypeUnshift(srcPath, result.host);
    }
    result.host = '';
    if (relative.protocol) {
      relative.hostname = null;
      relative.port = null;
      if (relative.host) {
        if (relPath[0] === '') relPath[0] = relative.host;
        else ArrayPrototypeUnshift(relPath, relative.host);
      }
      relative.host = null;
    }
    mustEndAbs = mustEndAbs && (relPath[0] === '' || srcPath[0] === '');
  }

  if (isRelAbs) {
    if (relative.host || relative.host === '') {
      if (result.host !== relative.host) result.auth = null;
      result.host = relative.host;
      result.port = relative.port;
    }
    if (relative.hostname || relative.hostname === '') {
      if (result.hostname !== relative.hostname) result.auth = null;
      result.hostname = relative.hostname;
    }
    result.search = relative.search;
    result.query = relative.query;
    srcPath = relPath;
  } else if (relPath.length) {
    if (!srcPath) srcPath = [];
    ArrayPrototypePop(srcPath);
    for (let i = 0; i < relPath.length; i++) ArrayPrototypePush(srcPath, relPath[i]);
    result.search = relative.search;
    result.query = relative.query;
  } else if (relative.search !== null && relative.search !== undefined) {
    if (noLeadingSlashes) {
      result.hostname = result.host = ArrayPrototypeShift(srcPath);
      const authInHost =
        result.host && StringPrototypeIndexOf(result.host, '@') > 0 && split(result.host, '@');
      if (authInHost) {
        result.auth = ArrayPrototypeShift(authInHost);
        result.host = result.hostname = ArrayPrototypeShift(authInHost);
      }
    }
    result.search = relative.search;
    result.query = relative.query;
    if (result.pathname !== null || result.search !== null) {
      result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
    }
    result.href = result.format();
    return result;
  }

  if (!srcPath.length) {
    result.pathname = null;
    result.path = result.search ? `/${result.search}` : null;
    result.href = result.format();
    return result;
  }

  let last = ArrayPrototypeSlice(srcPath, -1)[0];
  const hasTrailingSlash =
    ((result.host || relative.host || srcPath.length > 1) && (last === '.' || last === '..')) ||
    last === '';
  let up = 0;
  for (let i = srcPath.length - 1; i >= 0; i--) {
    last = srcPath[i];
    if (last === '.') {
      ArrayPrototypeSplice(srcPath, i, 1);
    } else if (last === '..') {
      ArrayPrototypeSplice(srcPath, i, 1);
      up++;
    } else if (up) {
      ArrayPrototypeSplice(srcPath, i, 1);
      up--;
    }
  }
  if (!mustEndAbs && !removeAllDots) {
    while (up--) ArrayPrototypeUnshift(srcPath, '..');
  }
  if (mustEndAbs && srcPath[0] !== '' && srcPath[0]?.[0] !== '/') {
    ArrayPrototypeUnshift(srcPath, '');
  }
  if (hasTrailingSlash && StringPrototypeSlice(ArrayPrototypeJoin(srcPath, '/'), -1) !== '/') {
    ArrayPrototypePush(srcPath, '');
  }
  const isAbsolute = srcPath[0] === '' || (srcPath[0] && srcPath[0][0] === '/');
  if (noLeadingSlashes) {
    result.hostname = result.host = isAbsolute
      ? ''
      : srcPath.length
        ? ArrayPrototypeShift(srcPath)
        : '';
    const authInHost =
      result.host && StringPrototypeIndexOf(result.host, '@') > 0 ? split(result.host, '@') : false;
    if (authInHost) {
      result.auth = ArrayPrototypeShift(authInHost);
      result.host = result.hostname = ArrayPrototypeShift(authInHost);
    }
  }
  mustEndAbs = mustEndAbs || (result.host && srcPath.length);
  if (mustEndAbs && !isAbsolute) ArrayPrototypeUnshift(srcPath, '');
  if (srcPath.length > 0) {
    result.pathname = ArrayPrototypeJoin(srcPath, '/');
  } else {
    result.pathname = null;
    result.path = null;
  }
  if (result.pathname !== null || result.search !== null) {
    result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
  }
  result.auth = relative.auth || result.auth;
  result.slashes = result.slashes || relative.slashes;
  result.href = result.format();
  return result;
}

function urlObjectParseHost() {
  let host = this.host;
  let port = RegExpPrototypeExec(portPattern, host);
  if (port) {
    port = port[0];
    if (port !== ':') this.port = StringPrototypeSlice(port, 1);
    host = StringPrototypeSlice(host, 0, host.length - port.length);
  }
  if (host) this.hostname = host;
}

Url.prototype.parse = function parse(url, parseQueryString, slashesDenoteHost) {
  return FunctionPrototypeCall(urlObjectParse, this, url, parseQueryString, slashesDenoteHost);
};
Url.prototype.format = function format() {
  return FunctionPrototypeCall(urlObjectFormat, this);
};
Url.prototype.resolve = function resolve(relative) {
  return this.resolveObject(urlParse(relative, false, true)).format();
};
Url.prototype.resolveObject = function resolveObject(relative) {
  return FunctionPrototypeCall(urlObjectResolveObject, this, relative);
};
Url.prototype.parseHost = function parseHost() {
  return FunctionPrototypeCall(urlObjectParseHost, this);
};

// ---- file URLs, http options ----

function fileURLToPath(path) {
  if (typeof path === 'string') path = new URL(path);
  else if (!isURL(path)) throw invalidArgType('path', ['string', 'URL'], path);
  if (path.protocol !== 'file:') {
    throw nodeError(TypeErrorCtor, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  }
  if (path.hostname !== '') {
    throw nodeError(
      TypeErrorCtor,
      'ERR_INVALID_FILE_URL_HOST',
      'File URL host must be "localhost" or empty on linux',
    );
  }
  const pathname = path.pathname;
  for (let n = 0; n < pathname.length; n++) {
    if (pathname[n] === '%') {
      const third = StringPrototypeCharCodeAt(pathname, n + 2) | 0x20;
      if (pathname[n + 1] === '2' && third === 102) {
        throw nodeError(
          TypeErrorCtor,
          'ERR_INVALID_FILE_URL_PATH',
          'File URL path must not include encoded / characters',
        );
      }
    }
  }
  return DecodeURIComponent(pathname);
}

function encodePathChars(filepath) {
  filepath = RegExpPrototypeSymbolReplace(/%/g, filepath, '%25');
  filepath = RegExpPrototypeSymbolReplace(/\\/g, filepath, '%5C');
  filepath = RegExpPrototypeSymbolReplace(/\n/g, filepath, '%0A');
  filepath = RegExpPrototypeSymbolReplace(/\r/g, filepath, '%0D');
  return RegExpPrototypeSymbolReplace(/\t/g, filepath, '%09');
}

function pathToFileURL(filepath) {
  validateString(filepath, 'path');
  let resolved = pathResolve(filepath);
  if (
    StringPrototypeCharCodeAt(filepath, filepath.length - 1) === 47 &&
    resolved[resolved.length - 1] !== '/'
  ) {
    resolved += '/';
  }
  resolved = encodePathChars(resolved);
  resolved = RegExpPrototypeSymbolReplace(/\?/g, resolved, '%3F');
  resolved = RegExpPrototypeSymbolReplace(/#/g, resolved, '%23');
  return new URL(`file://${resolved}`);
}

function urlToHttpOptions(url) {
  if (url === null || (typeof url !== 'object' && typeof url !== 'function')) {
    throw makeInvalidArgType('url', 'object', url);
  }
  const { hostname, pathname, port, username, password, search } = url;
  const options = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname:
      hostname && StringPrototypeCharCodeAt(hostname, 0) === 91
        ? StringPrototypeSlice(hostname, 1, -1)
        : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  };
  if (port !== '') options.port = +port;
  if (username || password) {
    options.auth = `${DecodeURIComponent(username)}:${DecodeURIComponent(password)}`;
  }
  return options;
}

export const moduleExports = {
  Url,
  parse: urlParse,
  resolve: urlResolve,
  resolveObject: urlResolveObject,
  format: urlFormat,
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  pathToFileURL,
  fileURLToPath,
  urlToHttpOptions,
};
