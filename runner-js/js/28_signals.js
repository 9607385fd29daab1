// 28_signals.js: signals a guest handles itself, as Node's process does. Adding the first
// listener for one tells the engine (bridge.signalWatch), which then delivers that signal (the
// host's Kill, a parent's child.kill, a script's kill) to the loop as runner.signal(n) instead
// of ending the guest; removing the last one undoes it. Listeners get (name, number), as
// Node's. Like Node's, a signal listener does not keep the loop alive.

import { bridge } from 'agentos:bridge';
import { ObjectKeys } from './00_primordials.js';
import { processObject } from './20_exit.js';

// The signals a guest may handle (engine/src/stopper.rs has the same set).
const CATCHABLE = {
  __proto__: null,
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

function watch(type, on) {
  if (typeof type !== 'string') return;
  const n = CATCHABLE[type];
  if (n === undefined) return;
  if (on ? processObject.listenerCount(type) === 0 : processObject.listenerCount(type) > 0) {
    return;
  }
  bridge.signalWatch(n, on);
}

// Called once, at factory time (the snapshot holds the two listeners).
export function populateSignals() {
  processObject.on('newListener', (type) => watch(type, true));
  processObject.on('removeListener', (type) => watch(type, false));
}

/** runner.signal(n): a signal the guest listens for arrived. */
export function deliverSignal(n) {
  const names = ObjectKeys(CATCHABLE);
  for (let i = 0; i < names.length; i++) {
    if (CATCHABLE[names[i]] === n) processObject.emit(names[i], names[i], n);
  }
}
