// The `events` builtin (47_node_events.js) against the host Node's EventEmitter: each scenario runs
// on both and records a trace (listener calls, return values, errors, listener lists); the traces
// must be equal. The runner's own emitter (08_events.js, for process and stdin) is checked too.
import assert from 'node:assert/strict';
import NodeEvents from 'node:events';
import { test } from 'node:test';
import nodeUtil from 'node:util';
import { EventEmitter as RunnerEmitter } from '../js/08_events.js';
import { createEventsModule } from '../js/47_node_events.js';

const OurEvents = createEventsModule();

function caught(fn) {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: err?.name, code: err?.code, message: err?.message ?? String(err) };
  }
}

function names(list) {
  return list.map((f) => (typeof f === 'function' ? f.name || '(anonymous)' : typeof f));
}

const scenarios = {
  'on and emit in order, with arguments and return values'(EE, t) {
    const e = new EE();
    t.push(e.emit('x'));
    e.on('x', (...a) => t.push(['first', a]));
    e.addListener('x', function second(...a) {
      t.push(['second', a, this === e]);
    });
    t.push(e.emit('x', 1, 'two', [3]));
    t.push(e.emit('y'));
    t.push(e.listenerCount('x'), names(e.listeners('x')));
  },
  'once fires once and reports the original listener'(EE, t) {
    const e = new EE();
    function handler(v) {
      t.push(['handler', v]);
    }
    e.once('x', handler);
    t.push(names(e.listeners('x')), e.rawListeners('x')[0].listener === handler);
    t.push(e.emit('x', 1), e.emit('x', 2), e.listenerCount('x'));
    e.once('y', handler);
    e.removeListener('y', handler);
    t.push(e.emit('y', 3));
  },
  'prepend puts listeners first'(EE, t) {
    const e = new EE();
    e.on('x', () => t.push('on'));
    e.prependListener('x', () => t.push('prepend'));
    e.prependOnceListener('x', () => t.push('prependOnce'));
    e.emit('x');
    e.emit('x');
  },
  'listeners added or removed during emit do not change that emit'(EE, t) {
    const e = new EE();
    const b = () => t.push('b');
    e.on('x', () => {
      t.push('a');
      e.removeListener('x', b);
      e.on('x', () => t.push('c'));
    });
    e.on('x', b);
    e.emit('x');
    t.push('--');
    e.emit('x');
  },
  'newListener and removeListener events'(EE, t) {
    const e = new EE();
    e.on('newListener', (ev, fn) => t.push(['new', String(ev), fn.name]));
    e.on('removeListener', (ev, fn) => t.push(['removed', String(ev), fn.name]));
    function f() {}
    function g() {}
    e.on('x', f);
    e.once('y', g);
    e.emit('y');
    e.off('x', f);
    e.on(Symbol.for('s'), f);
    e.removeAllListeners(Symbol.for('s'));
    e.on('z', f);
    e.removeAllListeners();
    t.push(e.eventNames().map(String));
  },
  'the same listener twice: removeListener drops the last one'(EE, t) {
    const e = new EE();
    const f = (v) => t.push(['f', v]);
    e.on('x', f);
    e.on('x', () => t.push('between'));
    e.on('x', f);
    e.removeListener('x', f);
    e.emit('x', 1);
    t.push(e.listenerCount('x'));
  },
  'error events'(EE, t) {
    const e = new EE();
    t.push(caught(() => e.emit('error', new Error('plain'))));
    t.push(caught(() => e.emit('error', 'a string')));
    t.push(caught(() => e.emit('error', { code: 'X' })));
    t.push(caught(() => e.emit('error')));
    e.on(EE.errorMonitor, (err) => t.push(['monitor', err.message]));
    t.push(caught(() => e.emit('error', new Error('monitored'))));
    e.on('error', (err) => t.push(['handled', err.message]));
    t.push(caught(() => e.emit('error', new Error('caught'))));
  },
  'invalid listeners and limits'(EE, t) {
    const e = new EE();
    for (const bad of [undefined, null, 1, 'f', {}]) {
      t.push(caught(() => e.on('x', bad)));
      t.push(caught(() => e.once('x', bad)));
      t.push(caught(() => e.removeListener('x', bad)));
    }
    t.push(caught(() => e.setMaxListeners(-1)));
    t.push(caught(() => e.setMaxListeners('3')));
    t.push(e.getMaxListeners(), e.setMaxListeners(3) === e, e.getMaxListeners());
    t.push(EE.defaultMaxListeners);
    for (const bad of [-1, NaN, '1']) {
      t.push(
        caught(() => {
          EE.defaultMaxListeners = bad;
        }),
      );
    }
    t.push(caught(() => e.setMaxListeners(NaN)));
  },
  'eventNames, listeners and rawListeners'(EE, t) {
    const e = new EE();
    const s = Symbol('sym');
    function a() {}
    function b() {}
    e.on('one', a);
    e.on(s, b);
    e.once('one', b);
    t.push(e.eventNames().map(String));
    t.push(names(e.listeners('one')), names(e.rawListeners('one')).length);
    t.push(e.listenerCount('one'), e.listenerCount('none'), EE.listenerCount(e, 'one'));
    t.push(e.listeners('none').length, e.rawListeners('none').length);
  },
  'removeAllListeners for one event and for all'(EE, t) {
    const e = new EE();
    e.on('a', () => {});
    e.on('a', () => {});
    e.on('b', () => {});
    t.push(e.removeAllListeners('a') === e, e.eventNames());
    t.push(e.removeAllListeners('missing') === e, e.eventNames());
    t.push(e.removeAllListeners() === e, e.eventNames());
  },
  'old-style subclass through EventEmitter.call and util.inherits'(EE, t) {
    function Old() {
      EE.call(this);
      this.own = true;
    }
    nodeUtil.inherits(Old, EE);
    const o = new Old();
    o.on('x', (v) => t.push(['old', v]));
    t.push(o.emit('x', 5), o instanceof EE, o.own, Object.keys(o).sort());
    class New extends EE {}
    const n = new New();
    n.once('y', () => t.push('new'));
    t.push(n.emit('y'), n instanceof EE);
  },
  'once and prependOnceListener go through the overridable on and prependListener'(EE, t) {
    class Sub extends EE {
      on(type, listener) {
        t.push(['on', type]);
        return super.on(type, listener);
      }
      prependListener(type, listener) {
        t.push(['prependListener', type]);
        return super.prependListener(type, listener);
      }
    }
    const e = new Sub();
    t.push(e.once('data', () => t.push('once fired')) === e);
    t.push(e.prependOnceListener('data', () => t.push('prepended fired')) === e);
    e.emit('data');
    e.emit('data');
    t.push(e.listenerCount('data'));
  },
  'observable state layout'(EE, t) {
    const e = new EE();
    t.push(Object.keys(e).sort(), e._eventsCount, e._maxListeners);
    e.on('x', () => {});
    e.on('x', () => {});
    e.on('y', () => {});
    t.push(e._eventsCount, Object.keys(e._events), Array.isArray(e._events.x), typeof e._events.y);
  },
  statics(EE, t) {
    t.push(EE.EventEmitter === EE, typeof EE.once, typeof EE.errorMonitor, EE.captureRejections);
    t.push(String(EE.captureRejectionSymbol), EE.usingDomains);
  },
};

for (const [name, scenario] of Object.entries(scenarios)) {
  test(`events: ${name}`, () => {
    const ours = [];
    const node = [];
    scenario(OurEvents, ours);
    scenario(NodeEvents, node);
    assert.deepEqual(ours, node);
  });
}

test('events.once resolves with the arguments like Node', async () => {
  for (const EE of [OurEvents, NodeEvents]) {
    const e = new EE();
    const p = EE.once(e, 'ready');
    e.emit('ready', 1, 2);
    assert.deepEqual(await p, [1, 2]);
    const q = EE.once(e, 'ready');
    e.emit('error', new Error('failed'));
    await assert.rejects(q, { message: 'failed' });
  }
});

test('the runner emitter (process, stdin) is an events.EventEmitter with the same order', () => {
  const e = new RunnerEmitter();
  const trace = [];
  e.on('x', () => trace.push('on'));
  e.prependListener('x', () => trace.push('prepend'));
  e.once('x', () => trace.push('once'));
  assert.equal(e.emit('x'), true);
  assert.equal(e.emit('x'), true);
  assert.deepEqual(trace, ['prepend', 'on', 'once', 'prepend', 'on']);
  assert.ok(e instanceof OurEvents);
});

test('createEventsModule installs once: a later call keeps what was set (domain sets usingDomains)', () => {
  const before = OurEvents.usingDomains;
  OurEvents.usingDomains = true;
  try {
    assert.equal(createEventsModule(), OurEvents);
    assert.equal(OurEvents.usingDomains, true);
  } finally {
    OurEvents.usingDomains = before;
  }
});
