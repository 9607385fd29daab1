// lib/worker_threads.js: present, not supported (one thread per exec); the main-thread values
// are real so that probes (`isMainThread`) work.
import { SymbolFor } from '../js/00_primordials.js';
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'worker_threads',
  [
    'Worker',
    'MessageChannel',
    'MessagePort',
    'BroadcastChannel',
    'receiveMessageOnPort',
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
  },
);
