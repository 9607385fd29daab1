// lib/worker_threads.js: `Worker` is not supported (one thread per exec); message channels work
// within the exec (internal__message_port.js); the main-thread values are real so that probes
// (`isMainThread`) work.
import { SymbolFor } from '../js/00_primordials.js';
import {
  BroadcastChannel,
  MessageChannel,
  MessagePort,
  receiveMessageOnPort,
} from './internal__message_port.js';
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'worker_threads',
  [
    'Worker',
    'markAsUntransferable',
    'moveMessagePortToContext',
    'getEnvironmentData',
    'setEnvironmentData',
  ],
  {
    isMainThread: true,
    parentPort: null,
    threadId: 0,
    workerData: null,
    resourceLimits: {},
    SHARE_ENV: SymbolFor('nodejs.worker_threads.SHARE_ENV'),
    MessageChannel,
    MessagePort,
    BroadcastChannel,
    receiveMessageOnPort,
  },
);
