// lib/internal__tls_check.js: `tls.checkServerIdentity` (RFC 6125 name matching), Node 20.20's
// own algorithm from lib/tls.js (MIT, Copyright Node.js contributors), and the errors a
// certificate check reports.
import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSome,
  ErrorCtor,
  JSONParse,
  RegExpPrototypeExec,
  RegExpPrototypeTest,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeReplace,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
  StringPrototypeSubstring,
  StringPrototypeToLowerCase,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { isIP } from './internal__net_values.js';

function unfqdn(host) {
  return StringPrototypeReplace(host, /[.]$/, '');
}

// String#toLowerCase() is locale-sensitive: only A-Z are lowered.
function toLowerCase(c) {
  return StringFromCharCode(32 + StringPrototypeCharCodeAt(c, 0));
}

function splitHost(host) {
  return StringPrototypeSplit(StringPrototypeReplace(unfqdn(host), /[A-Z]/g, toLowerCase), '.');
}

function check(hostParts, pattern, wildcards) {
  if (!pattern) return false;
  const patternParts = splitHost(pattern);
  if (hostParts.length !== patternParts.length) return false;
  if (ArrayPrototypeIncludes(patternParts, '')) return false;
  const isBad = (s) => RegExpPrototypeTest(/[^\u0021-\u007F]/u, s);
  if (ArrayPrototypeSome(patternParts, isBad)) return false;
  for (let i = hostParts.length - 1; i > 0; i -= 1) {
    if (hostParts[i] !== patternParts[i]) return false;
  }
  const hostSubdomain = hostParts[0];
  const patternSubdomain = patternParts[0];
  const patternSubdomainParts = StringPrototypeSplit(patternSubdomain, '*');
  if (patternSubdomainParts.length === 1 || StringPrototypeIncludes(patternSubdomain, 'xn--'))
    return hostSubdomain === patternSubdomain;
  if (!wildcards) return false;
  if (patternSubdomainParts.length > 2) return false;
  if (patternParts.length <= 2) return false;
  const prefix = patternSubdomainParts[0];
  const suffix = patternSubdomainParts[1];
  if (prefix.length + suffix.length > hostSubdomain.length) return false;
  if (!StringPrototypeStartsWith(hostSubdomain, prefix)) return false;
  if (!StringPrototypeEndsWith(hostSubdomain, suffix)) return false;
  return true;
}

// Any valid JSON string literal (subject alt names with escapes are quoted as JSON).
const jsonStringPattern =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON's own grammar.
  /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/;

function splitEscapedAltNames(altNames) {
  const result = [];
  let currentToken = '';
  let offset = 0;
  while (offset !== altNames.length) {
    const nextSep = StringPrototypeIndexOf(altNames, ',', offset);
    const nextQuote = StringPrototypeIndexOf(altNames, '"', offset);
    if (nextQuote !== -1 && (nextSep === -1 || nextQuote < nextSep)) {
      currentToken += StringPrototypeSubstring(altNames, offset, nextQuote);
      const match = RegExpPrototypeExec(
        jsonStringPattern,
        StringPrototypeSubstring(altNames, nextQuote),
      );
      if (!match) {
        throw makeNodeError(
          ErrorCtor,
          'ERR_TLS_CERT_ALTNAME_FORMAT',
          'Invalid subject alternative name string',
        );
      }
      currentToken += JSONParse(match[0]);
      offset = nextQuote + match[0].length;
    } else if (nextSep !== -1) {
      currentToken += StringPrototypeSubstring(altNames, offset, nextSep);
      ArrayPrototypePush(result, currentToken);
      currentToken = '';
      offset = nextSep + 2;
    } else {
      currentToken += StringPrototypeSubstring(altNames, offset);
      offset = altNames.length;
    }
  }
  ArrayPrototypePush(result, currentToken);
  return result;
}

// cares' canonical text of an address: IPv4 as is, IPv6 compressed and lower case.
function canonicalizeIP(ip) {
  if (isIP(ip) !== 6) return ip;
  const parts = StringPrototypeSplit(StringPrototypeToLowerCase(ip), '::');
  const head = parts[0] === '' ? [] : StringPrototypeSplit(parts[0], ':');
  const tail = parts.length > 1 && parts[1] !== '' ? StringPrototypeSplit(parts[1], ':') : [];
  const groups = [];
  for (let i = 0; i < head.length; i++) ArrayPrototypePush(groups, head[i]);
  for (let i = head.length + tail.length; i < 8; i++) ArrayPrototypePush(groups, '0');
  for (let i = 0; i < tail.length; i++) ArrayPrototypePush(groups, tail[i]);
  const hex = [];
  for (let i = 0; i < groups.length; i++) {
    ArrayPrototypePush(hex, StringPrototypeReplace(groups[i], /^0+(?=.)/, ''));
  }
  // The longest run of two or more zero groups becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < hex.length; ) {
    let j = i;
    while (j < hex.length && hex[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best === -1) return ArrayPrototypeJoin(hex, ':');
  const left = ArrayPrototypeJoin(hex.slice(0, best), ':');
  const right = ArrayPrototypeJoin(hex.slice(best + bestLen), ':');
  return `${left}::${right}`;
}

export function checkServerIdentity(hostname, cert) {
  const subject = cert.subject;
  const altNames = cert.subjectaltname;
  const dnsNames = [];
  const ips = [];
  hostname = `${hostname}`;
  if (altNames) {
    const splitAltNames = StringPrototypeIncludes(altNames, '"')
      ? splitEscapedAltNames(altNames)
      : StringPrototypeSplit(altNames, ', ');
    for (let i = 0; i < splitAltNames.length; i++) {
      const name = splitAltNames[i];
      if (StringPrototypeStartsWith(name, 'DNS:')) {
        ArrayPrototypePush(dnsNames, StringPrototypeSlice(name, 4));
      } else if (StringPrototypeStartsWith(name, 'IP Address:')) {
        ArrayPrototypePush(ips, canonicalizeIP(StringPrototypeSlice(name, 11)));
      }
    }
  }
  let valid = false;
  let reason = 'Unknown reason';
  hostname = unfqdn(hostname);
  if (isIP(hostname)) {
    valid = ArrayPrototypeIncludes(ips, canonicalizeIP(hostname));
    if (!valid)
      reason = `IP: ${hostname} is not in the cert's list: ${ArrayPrototypeJoin(ips, ', ')}`;
  } else if (dnsNames.length > 0 || subject?.CN) {
    const hostParts = splitHost(hostname);
    const wildcard = (pattern) => check(hostParts, pattern, true);
    if (dnsNames.length > 0) {
      valid = ArrayPrototypeSome(dnsNames, wildcard);
      if (!valid) reason = `Host: ${hostname}. is not in the cert's altnames: ${altNames}`;
    } else {
      const cn = subject.CN;
      if (ArrayIsArray(cn)) valid = ArrayPrototypeSome(cn, wildcard);
      else if (cn) valid = wildcard(cn);
      if (!valid) reason = `Host: ${hostname}. is not cert's CN: ${cn}`;
    }
  } else {
    reason = 'Cert does not contain a DNS name';
  }
  if (!valid) {
    const err = makeNodeError(
      ErrorCtor,
      'ERR_TLS_CERT_ALTNAME_INVALID',
      `Hostname/IP does not match certificate's altnames: ${reason}`,
    );
    err.reason = reason;
    err.host = hostname;
    err.cert = cert;
    return err;
  }
  return undefined;
}

// OpenSSL's text for each verify code the sidecar reports (X509_verify_cert_error_string).
const VERIFY_MESSAGES = {
  __proto__: null,
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
};

/** The Error Node's TLS layer gives for verify code `code`. */
export function verifyError(code) {
  const err = new ErrorCtor(VERIFY_MESSAGES[code] ?? StringPrototypeToLowerCase(code));
  err.code = code;
  return err;
}
