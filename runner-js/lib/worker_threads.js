// lib/worker_threads.js: `Worker` runs a script in another guest of the exec (another isolate;
// lib/internal__worker.js), with `parentPort`, `workerData`, `threadId` and the environment data
// on its side; message channels work within one isolate (internal__message_port.js).
// Not here: memory shared with a worker (SharedArrayBuffer), ports moved to a worker or context.
import {
  BroadcastChannel,
  MessageChannel,
  MessagePort,
  receiveMessageOnPort,
} from './internal__message_port.js';
import { unsupportedModule } from './internal__unsupported.js';
import {
  getEnvironmentData,
  SHARE_ENV,
  setEnvironmentData,
  threadState,
  Worker,
} from './internal__worker.js';

export const moduleExports = unsupportedModule(
  'worker_threads',
  ['markAsUntransferable', 'moveMessagePortToContext'],
  {
    isMainThread: threadState.isMainThread,
    parentPort: threadState.parentPort,
    threadId: threadState.threadId,
    workerData: threadState.workerData,
    resourceLimits: threadState.resourceLimits,
    SHARE_ENV,
    Worker,
    getEnvironmentData,
    setEnvironmentData,
    MessageChannel,
    MessagePort,
    BroadcastChannel,
    receiveMessageOnPort,
  },
);
