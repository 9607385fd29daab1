// lib/internal__fetch.js: WHATWG `fetch`, `Request` and `Response` over the sidecar's network
// (natives `netFetch`, `netCancel`, `netRef`; events through js/29_net.js). The sidecar does the
// I/O under the exec's policy: a denied connection rejects with TypeError('fetch failed') whose
// `cause` has `code` ECONNREFUSED and a message naming the rule, as undici shapes its errors.
// Bodies are streamed (see internal__fetch_body.js); gzip, deflate and br bodies are decoded by
// the sidecar (net/src/decode.rs), as Node's fetch decodes them.
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypeIncludes,
  ErrorCtor,
  JSONStringify,
  ObjectDefineProperty,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseReject,
  RangeErrorCtor,
  RegExpPrototypeTest,
  StringPrototypeStartsWith,
  StringPrototypeToUpperCase,
  SymbolToStringTag,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { netTrack } from '../js/29_net.js';
import { AbortController, AbortSignal } from './internal__abort.js';
import { DOMException } from './internal__dom_exception.js';
import {
  bodyState,
  bodyStream,
  extractBody,
  mixBody,
  networkBody,
} from './internal__fetch_body.js';
import { headersList, makeHeaders, responseHeaders } from './internal__fetch_headers.js';
import { URL } from './internal__url.js';

const netFetch = bridge.netFetch;
const netCancel = bridge.netCancel;
const netRef = bridge.netRef;

const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];
const REDIRECTS = { __proto__: null, follow: 0, manual: 1, error: 2 };
const REDIRECT_STATUS = [301, 302, 303, 307, 308];

const requests = new WeakMapCtor(); // request -> state
const responses = new WeakMapCtor(); // response -> state

function requestState(self) {
  const state = WeakMapPrototypeGet(requests, self);
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation');
  return state;
}

function responseState(self) {
  const state = WeakMapPrototypeGet(responses, self);
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation');
  return state;
}

function parseURL(input, what) {
  try {
    return new URL(`${input}`);
  } catch (cause) {
    const err = new TypeErrorCtor(`${what}: Failed to parse URL from ${input}`);
    err.cause = cause;
    throw err;
  }
}

function normalizeMethod(method) {
  const text = `${method}`;
  if (!RegExpPrototypeTest(METHOD, text)) {
    throw new TypeErrorCtor(`'${text}' is not a valid HTTP method.`);
  }
  const upper = StringPrototypeToUpperCase(text);
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') {
    throw new TypeErrorCtor(`'${text}' HTTP method is unsupported.`);
  }
  for (let i = 0; i < NORMALIZED.length; i++) if (NORMALIZED[i] === upper) return upper;
  return text;
}

export class Request {
  constructor(input, init = undefined) {
    if (input === undefined) {
      throw new TypeErrorCtor('Request constructor: 1 argument required, but only 0 present.');
    }
    const from = WeakMapPrototypeGet(requests, input);
    const options = init ?? {};
    const state = {
      __proto__: null,
      url: from ? from.url : parseURL(input, 'Request constructor').href,
      method: from ? from.method : 'GET',
      headers: makeHeaders(from ? from.headers : undefined, false),
      redirect: from ? from.redirect : 'follow',
      signal: from ? from.signal : null,
      body: from ? from.body : bodyState(extractBody(null)),
    };
    if (options.method !== undefined) state.method = normalizeMethod(options.method);
    if (options.headers !== undefined) state.headers = makeHeaders(options.headers, false);
    if (options.redirect !== undefined) {
      const mode = `${options.redirect}`;
      if (REDIRECTS[mode] === undefined) {
        throw new TypeErrorCtor(`Request constructor: ${mode} is not a valid redirect mode.`);
      }
      state.redirect = mode;
    }
    if (options.signal !== undefined && options.signal !== null) {
      if (!(options.signal instanceof AbortSignal)) {
        throw new TypeErrorCtor(
          "Failed to construct 'Request': member signal is not of type AbortSignal.",
        );
      }
      state.signal = options.signal;
    }
    if (options.body !== undefined && options.body !== null) {
      if (state.method === 'GET' || state.method === 'HEAD') {
        throw new TypeErrorCtor('Request with GET/HEAD method cannot have body.');
      }
      const extracted = extractBody(options.body);
      if (extracted.type !== null && !state.headers.has('content-type')) {
        state.headers.set('content-type', extracted.type);
      }
      state.body = bodyState(extracted);
    }
    if (state.signal === null) state.signal = new AbortController().signal;
    WeakMapPrototypeSet(requests, this, state);
  }

  get url() {
    return requestState(this).url;
  }
  get method() {
    return requestState(this).method;
  }
  get headers() {
    return requestState(this).headers;
  }
  get redirect() {
    return requestState(this).redirect;
  }
  get signal() {
    return requestState(this).signal;
  }
  get destination() {
    return '';
  }
  get mode() {
    return 'cors';
  }
  get credentials() {
    return 'same-origin';
  }
  get cache() {
    return 'default';
  }
  get keepalive() {
    return false;
  }
  get duplex() {
    return 'half';
  }

  clone() {
    const state = requestState(this);
    if (state.body.used) throw new TypeErrorCtor('Request.clone: Body has already been consumed.');
    return new Request(this);
  }
}

mixBody(
  Request,
  (self) => requestState(self).body,
  (self) => requestState(self).headers.get('content-type'),
);
ObjectDefineProperty(Request.prototype, SymbolToStringTag, {
  value: 'Request',
  configurable: true,
});

const kNetwork = { __proto__: null };

export class Response {
  constructor(body = null, init = undefined) {
    if (body === kNetwork) {
      WeakMapPrototypeSet(responses, this, init);
      return;
    }
    const options = init ?? {};
    const status = options.status === undefined ? 200 : options.status >>> 0;
    if (status < 200 || status > 599) {
      throw new RangeErrorCtor(`init["status"] must be in the range of 200 to 599, inclusive.`);
    }
    const extracted = extractBody(body);
    const headers = makeHeaders(options.headers, false);
    if (extracted.type !== null && !headers.has('content-type')) {
      headers.set('content-type', extracted.type);
    }
    WeakMapPrototypeSet(responses, this, {
      __proto__: null,
      type: 'default',
      url: '',
      redirected: false,
      status,
      statusText: options.statusText === undefined ? '' : `${options.statusText}`,
      headers,
      body: bodyState(extracted),
    });
  }

  static error() {
    return networkResponse(
      'error',
      '',
      false,
      0,
      '',
      responseHeaders([]),
      bodyState(extractBody(null)),
    );
  }

  static redirect(url, status = 302) {
    const href = parseURL(url, 'Response.redirect').href;
    if (!ArrayPrototypeIncludes(REDIRECT_STATUS, status))
      throw new RangeErrorCtor(`Invalid status code ${status}`);
    return new Response(null, { status, headers: { location: href } });
  }

  static json(data, init = undefined) {
    const text = JSONStringify(data);
    if (text === undefined) throw new TypeErrorCtor('Value is not JSON serializable');
    const response = new Response(text, init);
    responseState(response).headers.set('content-type', 'application/json');
    return response;
  }

  get type() {
    return responseState(this).type;
  }
  get url() {
    return responseState(this).url;
  }
  get redirected() {
    return responseState(this).redirected;
  }
  get status() {
    return responseState(this).status;
  }
  get ok() {
    const status = responseState(this).status;
    return status >= 200 && status <= 299;
  }
  get statusText() {
    return responseState(this).statusText;
  }
  get headers() {
    return responseState(this).headers;
  }

  clone() {
    const state = responseState(this);
    if (state.body.used) throw new TypeErrorCtor('Response.clone: Body has already been consumed.');
    const stream = bodyStream(state.body);
    let body = bodyState(extractBody(null));
    if (stream !== null) {
      const [a, b] = stream.tee();
      state.body.stream = a;
      body = bodyState({ bytes: null, stream: b });
    }
    return networkResponse(
      state.type,
      state.url,
      state.redirected,
      state.status,
      state.statusText,
      makeHeaders(state.headers, false),
      body,
    );
  }
}

mixBody(
  Response,
  (self) => responseState(self).body,
  (self) => responseState(self).headers.get('content-type'),
);
ObjectDefineProperty(Response.prototype, SymbolToStringTag, {
  value: 'Response',
  configurable: true,
});

function networkResponse(type, url, redirected, status, statusText, headers, body) {
  return new Response(kNetwork, {
    __proto__: null,
    type,
    url,
    redirected,
    status,
    statusText,
    headers,
    body,
  });
}

/** A Node-shaped error for a network failure `{ code, message }` (the `cause` of fetch's). */
export function netError(failure) {
  const err = new ErrorCtor(failure.message);
  err.code = failure.code;
  if (failure.code === 'ECONNREFUSED' || failure.code === 'ETIMEDOUT') err.syscall = 'connect';
  if (failure.code === 'ENOTFOUND') err.syscall = 'getaddrinfo';
  return err;
}

function fetchFailed(failure) {
  if (failure.code === 'ABORT_ERR')
    return new DOMException('This operation was aborted', 'AbortError');
  const err = new TypeErrorCtor('fetch failed');
  err.cause = netError(failure);
  return err;
}

function abortReason(signal) {
  return signal.reason === undefined
    ? new DOMException('This operation was aborted', 'AbortError')
    : signal.reason;
}

/** `fetch(input, init)`. */
export function fetch(input, init = undefined) {
  let request;
  try {
    request = new Request(input, init);
  } catch (err) {
    return PromiseReject(err);
  }
  const state = requestState(request);
  if (state.signal.aborted) return PromiseReject(abortReason(state.signal));
  return PromisePrototypeThen(readBody(state), (bytes) => start(state, bytes));
}

/** The request's body bytes (a stream is read whole before the request starts). */
async function readBody(state) {
  if (state.body.bytes !== null) return state.body.bytes;
  if (state.body.stream === null) return undefined;
  return new Response(state.body.stream).bytes();
}

function start(state, bytes) {
  const headers = [];
  const list = headersList(state.headers);
  let accept = false;
  let agent = false;
  let encoding = false;
  for (let i = 0; i < list.length; i++) {
    if (list[i][0] === 'accept') accept = true;
    if (list[i][0] === 'user-agent') agent = true;
    if (list[i][0] === 'accept-encoding') encoding = true;
    headers[headers.length] = [list[i][0], list[i][1]];
  }
  if (!accept) headers[headers.length] = ['accept', '*/*'];
  if (!agent) headers[headers.length] = ['user-agent', 'node'];
  // As Node's fetch (undici): the sidecar decodes these codings (`decode` below).
  if (!encoding) {
    const https = StringPrototypeStartsWith(state.url, 'https:');
    headers[headers.length] = ['accept-encoding', https ? 'br, gzip, deflate' : 'gzip, deflate'];
  }
  const id = netFetch(state.method, state.url, headers, bytes, REDIRECTS[state.redirect], true);
  if (typeof id !== 'number') return PromiseReject(fetchFailed(id));
  return new PromiseCtor((resolve, reject) => {
    let body = null;
    let settled = false;
    const signal = state.signal;
    const onAbort = () => {
      netCancel(id);
      const reason = abortReason(signal);
      if (!settled) {
        settled = true;
        reject(reason);
      } else if (body !== null) {
        body.fail(reason);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const stop = () => signal.removeEventListener('abort', onAbort);
    netTrack(id, (kind, value) => {
      if (kind === 'response') {
        netRef(id, false);
        body = networkBody(id);
        const response = networkResponse(
          'basic',
          value.url,
          value.redirected,
          value.status,
          value.statusText,
          responseHeaders(value.headers),
          bodyState({ bytes: null, stream: body.stream }),
        );
        settled = true;
        resolve(response);
      } else if (kind === 'data') {
        body?.push(value);
      } else if (kind === 'end') {
        body?.end();
      } else if (kind === 'done') {
        stop();
        if (value === null) {
          body?.end();
        } else if (!settled) {
          settled = true;
          reject(fetchFailed(value));
        } else if (body !== null) {
          const err = new TypeErrorCtor('terminated');
          err.cause = netError(value);
          body.fail(value.code === 'ABORT_ERR' ? abortReason(signal) : err);
        }
      }
    });
  });
}
