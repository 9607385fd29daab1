// lib/tls.js: `TLSSocket`/`connect` (internal__tls_socket.js: TLS the guest drives over its own
// transport, or the sidecar's TLS client for hosts on the network), `Server`/`createServer` and
// secure contexts (internal__tls_server.js), `checkServerIdentity` (internal__tls_check.js).
//
// The CA lists are Node's: `rootCertificates` and `getCACertificates('bundled')` are the bundled
// Mozilla roots (the set the sidecar verifies servers against), 'extra' the certificates of
// NODE_EXTRA_CA_CERTS, 'system' none (a sandbox has no system store), 'default' the bundled ones
// (unless --use-openssl-ca) and the extra ones, or what setDefaultCACertificates set. What a
// guest sets here is reported back, but connections are still verified by the sidecar against
// its own roots: a guest cannot widen the trust of the sidecar's TLS client.
import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ErrorCtor,
  ObjectDefineProperty,
  ObjectFreeze,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { toUint8View } from '../js/07_encoding.js';
import { processObject } from '../js/20_exit.js';
import { emitWarning } from '../js/23_warnings.js';
import { fsReadFileSync } from '../js/44_fs_files.js';
import { Buffer } from './buffer.js';
import { checkServerIdentity } from './internal__tls_check.js';
import {
  createSecureContext,
  createTlsServer,
  SecureContext,
  TlsServer,
} from './internal__tls_server.js';
import { getCiphers, TLSSocket, tlsConnect } from './internal__tls_socket.js';
import { unsupportedModule } from './internal__unsupported.js';

const tlsBundledCertificates = bridge.tlsBundledCertificates;
const tlsCertificatesFromPem = bridge.tlsCertificatesFromPem;

let bundled;
let extra;
let defaults;
let userDefaults;
// A sandbox has no system store.
const systemCertificates = ObjectFreeze([]);

function bundledCertificates() {
  bundled ??= ObjectFreeze(tlsBundledCertificates());
  return bundled;
}

// NODE_EXTRA_CA_CERTS, read once (Node reads it at start-up and warns when it cannot).
function extraCertificates() {
  if (extra !== undefined) return extra;
  const file = processObject.env.NODE_EXTRA_CA_CERTS;
  let certs = [];
  if (file) {
    try {
      const parsed = tlsCertificatesFromPem(fsReadFileSync(file));
      if (typeof parsed === 'string') throw new ErrorCtor(parsed);
      certs = parsed;
    } catch (err) {
      emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${err.message}`);
    }
  }
  extra = ObjectFreeze(certs);
  return extra;
}

function defaultCertificates() {
  if (defaults !== undefined) return defaults;
  if (userDefaults !== undefined) {
    defaults = userDefaults;
    return defaults;
  }
  const certs = [];
  if (!ArrayPrototypeIncludes(processObject.execArgv, '--use-openssl-ca')) {
    const roots = bundledCertificates();
    for (let i = 0; i < roots.length; i++) ArrayPrototypePush(certs, roots[i]);
  }
  const more = extraCertificates();
  for (let i = 0; i < more.length; i++) ArrayPrototypePush(certs, more[i]);
  defaults = ObjectFreeze(certs);
  return defaults;
}

function getCACertificates(type = 'default') {
  if (typeof type !== 'string') throw makeInvalidArgType('type', 'string', type);
  switch (type) {
    case 'default':
      return defaultCertificates();
    case 'bundled':
      return bundledCertificates();
    case 'system':
      return systemCertificates;
    case 'extra':
      return extraCertificates();
    default:
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'type' is invalid. Received '${type}'`,
      );
  }
}

// Each element's certificates, checked; duplicates kept once. Nothing changes on an error.
function setDefaultCACertificates(certs) {
  if (!ArrayIsArray(certs)) throw makeInvalidArgType('certs', 'an instance of Array', certs);
  for (let i = 0; i < certs.length; i++) {
    if (typeof certs[i] !== 'string' && !ArrayBufferIsView(certs[i])) {
      throw makeInvalidArgType(`certs[${i}]`, 'string or an instance of ArrayBufferView', certs[i]);
    }
  }
  const out = [];
  const seen = new SetCtor();
  for (let i = 0; i < certs.length; i++) {
    const bytes = typeof certs[i] === 'string' ? Buffer.from(certs[i]) : toUint8View(certs[i]);
    const parsed = tlsCertificatesFromPem(bytes);
    if (typeof parsed === 'string') {
      throw makeNodeError(ErrorCtor, 'ERR_OSSL_PEM_ASN1_LIB', parsed);
    }
    for (let j = 0; j < parsed.length; j++) {
      if (SetPrototypeHas(seen, parsed[j])) continue;
      SetPrototypeAdd(seen, parsed[j]);
      ArrayPrototypePush(out, parsed[j]);
    }
  }
  if (certs.length > 0 && out.length === 0) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_CRYPTO_OPERATION_FAILED',
      'No valid certificates found in the provided array',
    );
  }
  userDefaults = ObjectFreeze(out);
  defaults = undefined;
}

const tls = unsupportedModule('tls', ['createSecurePair'], {
  DEFAULT_MIN_VERSION: 'TLSv1.2',
  DEFAULT_MAX_VERSION: 'TLSv1.3',
  DEFAULT_ECDH_CURVE: 'auto',
  DEFAULT_CIPHERS:
    'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384',
  CLIENT_RENEG_LIMIT: 3,
  CLIENT_RENEG_WINDOW: 600,
});
ObjectDefineProperty(tls, 'rootCertificates', {
  __proto__: null,
  configurable: false,
  enumerable: true,
  get: bundledCertificates,
});
tls.getCACertificates = getCACertificates;
tls.setDefaultCACertificates = setDefaultCACertificates;
tls.connect = tlsConnect;
tls.TLSSocket = TLSSocket;
tls.Server = TlsServer;
tls.createServer = createTlsServer;
tls.SecureContext = SecureContext;
tls.createSecureContext = createSecureContext;
tls.checkServerIdentity = checkServerIdentity;
tls.getCiphers = getCiphers;
export const moduleExports = tls;
