// 60_call.js: call mode (`Call` requests, see README.md). The source evaluates to a function
// `async (input, host) => value`; `host` holds exactly the callbacks the call named, each
// returning a promise settled by the host's reply. Only JSON crosses in either direction: the
// result, every host-call argument and every reply. The result goes back through
// `bridge.callResult`, which ends the isolate.

import { bridge } from 'agentos:bridge';
import {
  bridgeCompileScript,
  ErrorCtor,
  JSONStringify,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberIsFinite,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectFreeze,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseResolve,
  ReflectApply,
  TypeErrorCtor,
} from './00_primordials.js';
import { getStack } from './01_helpers.js';

const bridgeHostCall = bridge.hostCall;
const bridgeCallResult = bridge.callResult;
const CallJSONParse = JSON.parse;
const callPending = new MapCtor();
let callSettled = false;

// JSON text for `value`, refusing what JSON cannot represent instead of silently dropping it.
function callToJson(value, what) {
  const json = JSONStringify(value === undefined ? null : value, function callReplacer(key, v) {
    const type = typeof v;
    if (type === 'function' || type === 'symbol' || type === 'bigint') {
      throw new TypeErrorCtor(`${what} is not JSON-representable: a ${type} at key '${key}'`);
    }
    if (type === 'number' && !NumberIsFinite(v)) {
      throw new TypeErrorCtor(`${what} is not JSON-representable: ${v} at key '${key}'`);
    }
    return v;
  });
  return json;
}

function callFinish(isError, text, code, stack) {
  if (callSettled) return;
  callSettled = true;
  bridgeCallResult(isError, text, code, stack);
}

function callSerializationError(err) {
  const message = err !== null && typeof err === 'object' ? `${err.message}` : `${err}`;
  // JSON.stringify's own cycle error names no key; keep its message.
  callFinish(true, message, 'SERIALIZATION_ERROR', '');
}

function callGuestError(err) {
  let message;
  try {
    message =
      err !== null && typeof err === 'object' && 'message' in err ? `${err.message}` : `${err}`;
  } catch {
    message = 'the function threw a value that cannot be shown';
  }
  let stack = '';
  try {
    const s = getStack(err);
    if (typeof s === 'string') stack = s;
  } catch {}
  callFinish(true, message, 'EVALUATION_ERROR', stack);
}

function callHostFunction(name) {
  return function hostCallback(arg) {
    return new PromiseCtor((resolve, reject) => {
      let json;
      try {
        json = callToJson(arg, `the argument of host.${name}`);
      } catch (err) {
        reject(err);
        return;
      }
      const id = bridgeHostCall(name, json);
      MapPrototypeSet(callPending, id, { __proto__: null, resolve, reject });
    });
  };
}

function callMakeHost(names) {
  const host = ObjectCreate(null);
  for (let i = 0; i < names.length; i++) {
    const name = `${names[i]}`;
    ObjectDefineProperty(host, name, { value: callHostFunction(name), enumerable: true });
  }
  return ObjectFreeze(host);
}

// Runs the call; `source` and `input` come from the host through `start(config)`.
export function callStart(config) {
  let input;
  try {
    input = CallJSONParse(`${config.input}`);
  } catch (err) {
    callFinish(true, `the input is not valid JSON: ${err.message}`, 'SERIALIZATION_ERROR', '');
    return;
  }
  let fn;
  try {
    fn = bridgeCompileScript(`${config.source}`, '[call]')();
  } catch (err) {
    callGuestError(err);
    return;
  }
  if (typeof fn !== 'function') {
    callFinish(
      true,
      `the source must evaluate to a function, not ${typeof fn}`,
      'EVALUATION_ERROR',
      '',
    );
    return;
  }
  const host = callMakeHost(config.callbacks);
  let result;
  try {
    result = ReflectApply(fn, undefined, [input, host]);
  } catch (err) {
    callGuestError(err);
    return;
  }
  PromisePrototypeThen(
    PromiseResolve(result),
    (value) => {
      let json;
      try {
        json = callToJson(value, 'the result');
      } catch (err) {
        callSerializationError(err);
        return;
      }
      callFinish(false, json, '', '');
    },
    callGuestError,
  );
}

// The host answered host call `id`.
export function callHostReply(id, isError, text) {
  const entry = MapPrototypeGet(callPending, id);
  if (entry === undefined) return;
  MapPrototypeDelete(callPending, id);
  if (isError) {
    entry.reject(new ErrorCtor(`${text}`));
    return;
  }
  let value;
  try {
    value = CallJSONParse(`${text}`);
  } catch (err) {
    entry.reject(err);
    return;
  }
  entry.resolve(value);
}
