// Copyright Joyent, Inc. and other Node contributors.
//
// Permission is hereby granted, free of charge, to any person obtaining a
// copy of this software and associated documentation files (the
// "Software"), to deal in the Software without restriction, including
// without limitation the rights to use, copy, modify, merge, publish,
// distribute, sublicense, and/or sell copies of the Software, and to permit
// persons to whom the Software is furnished to do so, subject to the
// following conditions:
//
// The above copyright notice and this permission notice shall be included
// in all copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
// OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
// MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
// NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
// DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
// OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
// USE OR OTHER DEALINGS IN THE SOFTWARE.

// lib/domain.js: the deprecated `domain` builtin, laid out as Node 22's lib/domain.js (MIT):
// Domain (enter/exit/run/add/remove/bind/intercept, _errorHandler), uncaught exceptions taken
// by the active domain while a domain with 'error' listeners is on the stack, and its hooks
// into EventEmitter (emitters made inside a domain belong to it; an unhandled 'error'
// goes to the emitter's domain).
//
// What differs: Node moves the active domain into async callbacks with an async_hooks init/
// before/after hook. Here the domain stack lives in the async context V8 carries into promise
// jobs and the runner carries into ticks, timers and immediates (as AsyncLocalStorage's
// stores): a callback sees the stack as it was when the callback was scheduled (Node: only the
// resource's domain).

import {
  ArrayPrototypeLastIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ErrorCtor,
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ReflectApply,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { processObject, setDomainUncaughtHandler } from '../js/20_exit.js';
import { claimUncaughtCaptureForDomain } from '../js/28_process_more.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { AsyncLocalStorage } from './async_hooks.js';

const EventEmitter = cjsBuiltin('events');

claimUncaughtCaptureForDomain();

// The context's record: the stack of entered domains and the active one (process.domain).
const context = new AsyncLocalStorage();
const EMPTY = { __proto__: null, stack: [], active: null };

function current() {
  return context.getStore() ?? EMPTY;
}

function setState(stack, active) {
  context.enterWith({ __proto__: null, stack, active });
}

function getStack() {
  return current().stack;
}

function getActive() {
  return current().active;
}

function setStack(stack) {
  setState(stack, stack.length > 0 ? stack[stack.length - 1] : null);
}

ObjectDefineProperty(processObject, 'domain', {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() {
    return getActive();
  },
  set(value) {
    setState(getStack(), value);
  },
});

// An uncaught exception: the active domain takes it when a domain on the stack has an 'error'
// listener (Node sets its capture callback exactly then); otherwise 'uncaughtException'
// listeners see it.
function handleUncaught(er) {
  const stack = getStack();
  let listening = false;
  for (let i = 0; i < stack.length; i++) {
    if (stack[i].listenerCount('error') > 0) listening = true;
  }
  const active = getActive();
  if (!listening || active === null || active === undefined) return false;
  active._errorHandler(er);
  return true;
}

setDomainUncaughtHandler(handleUncaught);

// The first 'uncaughtException' listener clears the domain stack (as Node).
function domainUncaughtExceptionClear() {
  setStack([]);
}

processObject.on('newListener', (name, listener) => {
  if (name === 'uncaughtException' && listener !== domainUncaughtExceptionClear) {
    processObject.removeListener(name, domainUncaughtExceptionClear);
    processObject.prependListener(name, domainUncaughtExceptionClear);
  }
});

processObject.on('removeListener', (name, listener) => {
  if (name === 'uncaughtException' && listener !== domainUncaughtExceptionClear) {
    const listeners = processObject.listeners('uncaughtException');
    if (listeners.length === 1 && listeners[0] === domainUncaughtExceptionClear) {
      processObject.removeListener(name, domainUncaughtExceptionClear);
    }
  }
});

function defineDomain(target, domain) {
  ObjectDefineProperty(target, 'domain', {
    __proto__: null,
    configurable: true,
    enumerable: false,
    value: domain,
    writable: true,
  });
}

export class Domain extends EventEmitter {
  constructor() {
    super();
    this.members = [];
  }

  // Called for an uncaught exception thrown while this domain was active.
  _errorHandler(er) {
    let caught = false;
    if ((typeof er === 'object' && er !== null) || typeof er === 'function') {
      defineDomain(er, this);
      er.domainThrown = true;
    }
    // The handler does not run inside its own domain.
    while (getActive() === this) this.exit();
    if (getStack().length === 0) {
      // The top-level domain: without a listener, leave the error to 'uncaughtException'.
      if (this.listenerCount('error') > 0) caught = this.emit('error', er);
    } else {
      try {
        caught = this.emit('error', er);
      } catch (er2) {
        // The handler threw: the next domain up may catch that, else it is uncaught.
        const stack = getStack();
        if (stack.length === 0) throw er2;
        setStack(stack);
        caught = getActive()._errorHandler(er2);
      }
    }
    // Uncaught exceptions end the current tick: no domain stays on the stack.
    domainUncaughtExceptionClear();
    return caught;
  }

  enter() {
    const stack = ArrayPrototypeSlice(getStack());
    ArrayPrototypePush(stack, this);
    setStack(stack);
  }

  exit() {
    const stack = getStack();
    const index = ArrayPrototypeLastIndexOf(stack, this);
    if (index === -1) return;
    setStack(ArrayPrototypeSlice(stack, 0, index));
  }

  // Note: this works for timers as well.
  add(ee) {
    if (ee.domain === this) return;
    if (ee.domain) ee.domain.remove(ee);
    // No circular Domain -> Domain links.
    if (this.domain && ee instanceof Domain) {
      for (let d = this.domain; d; d = d.domain) {
        if (ee === d) return;
      }
    }
    defineDomain(ee, this);
    ArrayPrototypePush(this.members, ee);
  }

  remove(ee) {
    ee.domain = null;
    const index = this.members.indexOf(ee);
    if (index !== -1) this.members.splice(index, 1);
  }

  run(fn, ...args) {
    this.enter();
    const ret = ReflectApply(fn, this, args);
    this.exit();
    return ret;
  }

  intercept(cb) {
    const self = this;
    function runIntercepted(...fnargs) {
      return intercepted(this, self, cb, fnargs);
    }
    return runIntercepted;
  }

  bind(cb) {
    const self = this;
    function runBound(...fnargs) {
      return bound(this, self, cb, fnargs);
    }
    runBound.domain = this;
    return runBound;
  }
}

function intercepted(thisArg, self, cb, fnargs) {
  if (fnargs[0] && fnargs[0] instanceof ErrorCtor) {
    const er = fnargs[0];
    er.domainBound = cb;
    er.domainThrown = false;
    defineDomain(er, self);
    self.emit('error', er);
    return undefined;
  }
  self.enter();
  const ret = ReflectApply(cb, thisArg, ArrayPrototypeSlice(fnargs, 1));
  self.exit();
  return ret;
}

function bound(thisArg, self, cb, fnargs) {
  self.enter();
  const ret = ReflectApply(cb, thisArg, fnargs);
  self.exit();
  return ret;
}

// ---- EventEmitter hooks ----

EventEmitter.usingDomains = true;

const eventInit = EventEmitter.init;
EventEmitter.init = function init(opts) {
  defineDomain(this, null);
  const active = getActive();
  if (active && !(this instanceof Domain)) this.domain = active;
  return FunctionPrototypeCall(eventInit, this, opts);
};

const eventEmit = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function emit(...args) {
  const domain = this.domain;
  const type = args[0];
  const shouldEmitError = type === 'error' && this.listenerCount(type) > 0;
  if (shouldEmitError || domain === null || domain === undefined || this === processObject) {
    return ReflectApply(eventEmit, this, args);
  }
  if (type === 'error') {
    const er =
      args.length > 1 && args[1]
        ? args[1]
        : makeNodeError(ErrorCtor, 'ERR_UNHANDLED_ERROR', 'Unhandled error.');
    if (typeof er === 'object') {
      er.domainEmitter = this;
      defineDomain(er, domain);
      er.domainThrown = false;
    }
    // The domain's handler runs outside the domain (and its adjacent duplicates).
    const before = current();
    const stack = before.stack;
    let idx = stack.length - 1;
    while (idx > -1 && before.active === stack[idx]) --idx;
    setStack(ArrayPrototypeSlice(stack, 0, idx + 1));
    try {
      domain.emit('error', er);
    } finally {
      setState(before.stack, before.active);
    }
    return false;
  }
  domain.enter();
  const ret = ReflectApply(eventEmit, this, args);
  domain.exit();
  return ret;
};

export function create() {
  return new Domain();
}

export const moduleExports = {
  Domain,
  create,
  createDomain: create,
};

ObjectDefineProperty(moduleExports, 'active', {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() {
    return getActive();
  },
  set(value) {
    setState(getStack(), value);
  },
});

ObjectDefineProperty(moduleExports, '_stack', {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() {
    return getStack();
  },
});
