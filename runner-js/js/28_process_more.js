// 28_process_more.js: the `process` members real code reaches for beyond the basics (issue 15,
// item 4): memoryUsage (V8's heap statistics), cpuUsage (the guest thread's CPU time), umask,
// the uid/gid family (the sandbox's fixed view: root, as fs.stat reports files), release,
// config, features, allowedNodeEnvironmentFlags, resourceUsage, kill, report (lib/
// internal__process_report.js), and the privileged setters
// (ERR_NOT_SUPPORTED_IN_SANDBOX). Only small stubs live here (the snapshot): the
// implementations are in lib/internal__process_more.js, loaded on first use.

import { ErrorCtor, ObjectDefineProperty, ObjectKeys, ReflectApply } from './00_primordials.js';
import { makeInvalidArgType, makeNodeError, NODE_VERSION } from './06_errors.js';
import { getUncaughtCapture, processObject, setUncaughtCapture } from './20_exit.js';
import { tsFeature } from './27_typescript.js';
import { utilDeprecate } from './48_node_util.js';
import { loadLazyBuiltin } from './49_lazy.js';

function processMore() {
  return loadLazyBuiltin('internal/process_more');
}

function delegate(name, implName = name) {
  const fn = function (...args) {
    return ReflectApply(processMore()[implName], this, args);
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

function privileged(name) {
  const fn = function () {
    throw processMore().notSupported(name);
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

function zero(name) {
  const fn = function () {
    return 0;
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

function defineValue(key, value) {
  ObjectDefineProperty(processObject, key, {
    __proto__: null,
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

function defineLazyValue(key, load) {
  ObjectDefineProperty(processObject, key, {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      const value = load();
      defineValue(key, value);
      return value;
    },
    set(value) {
      defineValue(key, value);
    },
  });
}

let domainOwnsCapture = false;

// The `domain` builtin loaded: from now on it alone sets the capture callback (as Node).
export function claimUncaughtCaptureForDomain() {
  if (getUncaughtCapture() !== null) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_DOMAIN_CALLBACK_NOT_AVAILABLE',
      'A callback was registered through process.setUncaughtExceptionCaptureCallback(), which is mutually exclusive with using the `domain` module',
    );
  }
  domainOwnsCapture = true;
}

function setUncaughtExceptionCaptureCallback(fn) {
  if (domainOwnsCapture) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_DOMAIN_CANNOT_SET_UNCAUGHT_EXCEPTION_CAPTURE',
      'The `domain` module is in use, which is mutually exclusive with calling process.setUncaughtExceptionCaptureCallback()',
    );
  }
  if (fn === null) {
    setUncaughtCapture(null);
    return;
  }
  if (typeof fn !== 'function') throw makeInvalidArgType('fn', ['Function', 'null'], fn);
  if (getUncaughtCapture() !== null) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_UNCAUGHT_EXCEPTION_CAPTURE_ALREADY_SET',
      '`process.setupUncaughtExceptionCapture()` was called while a capture callback was already active',
    );
  }
  setUncaughtCapture(fn);
}

function hasUncaughtExceptionCaptureCallback() {
  return getUncaughtCapture() !== null;
}

/** Installs the members above on `process` (at factory time). */
export function populateProcessMore() {
  const memoryUsage = delegate('memoryUsage');
  ObjectDefineProperty(memoryUsage, 'rss', {
    __proto__: null,
    value: delegate('rss', 'memoryUsageRss'),
    writable: true,
    enumerable: true,
    configurable: true,
  });
  const members = {
    __proto__: null,
    memoryUsage,
    cpuUsage: delegate('cpuUsage'),
    threadCpuUsage: delegate('threadCpuUsage'),
    ref: function ref(object) {
      processMore().refObject(object, true);
    },
    unref: function unref(object) {
      processMore().refObject(object, false);
    },
    resourceUsage: delegate('resourceUsage'),
    umask: delegate('umask'),
    kill: delegate('kill'),
    constrainedMemory: delegate('constrainedMemory'),
    availableMemory: delegate('availableMemory'),
    getuid: zero('getuid'),
    geteuid: zero('geteuid'),
    getgid: zero('getgid'),
    getegid: zero('getegid'),
    getgroups: function getgroups() {
      return [0];
    },
    setUncaughtExceptionCaptureCallback,
    hasUncaughtExceptionCaptureCallback,
    assert: utilDeprecate(
      function assert(value, message) {
        if (!value) throw makeNodeError(ErrorCtor, 'ERR_ASSERTION', message || 'assertion error');
      },
      'process.assert() is deprecated. Please use the `assert` module instead.',
      'DEP0100',
    ),
    loadEnvFile: function loadEnvFile(path) {
      loadLazyBuiltin('internal/dotenv').loadEnvFile(path);
    },
    getActiveResourcesInfo: delegate('getActiveResourcesInfo'),
    _getActiveHandles: delegate('_getActiveHandles'),
    _getActiveRequests: delegate('_getActiveRequests'),
    binding: function binding(name) {
      return loadLazyBuiltin('internal/process_binding').binding(name);
    },
    release: {
      name: 'node',
      lts: 'Jod',
      sourceUrl: `https://nodejs.org/download/release/${NODE_VERSION}/node-${NODE_VERSION}.tar.gz`,
      headersUrl: `https://nodejs.org/download/release/${NODE_VERSION}/node-${NODE_VERSION}-headers.tar.gz`,
    },
    // What this runtime has, with Node 22's keys: TLS (rustls; ALPN and SNI, no OCSP
    // stapling), require() of ES modules always on, no inspector, TypeScript as the node
    // options say (27_typescript.js: a getter, as Node's, read once they are known).
    features: {
      inspector: false,
      debug: false,
      uv: true,
      ipv6: true,
      openssl_is_boringssl: false,
      tls_alpn: true,
      tls_sni: true,
      tls_ocsp: false,
      tls: true,
      cached_builtins: true,
      require_module: true,
      get typescript() {
        return tsFeature();
      },
    },
  };
  const names = [
    'abort',
    'setuid',
    'setgid',
    'seteuid',
    'setegid',
    'setgroups',
    'initgroups',
    'dlopen',
  ];
  for (let i = 0; i < names.length; i++) members[names[i]] = privileged(names[i]);
  const keys = ObjectKeys(members);
  for (let i = 0; i < keys.length; i++) defineValue(keys[i], members[keys[i]]);
  defineLazyValue('config', () => processMore().config);
  defineLazyValue('report', () => loadLazyBuiltin('internal/process_report').report);
  defineLazyValue('allowedNodeEnvironmentFlags', () => processMore().allowedNodeEnvironmentFlags());
}
