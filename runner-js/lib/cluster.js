// lib/cluster.js: present, not supported (no processes to fork); this exec is the primary.
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'cluster',
  ['fork', 'setupPrimary', 'setupMaster', 'disconnect', 'on', 'once', 'addListener', 'emit'],
  {
    isPrimary: true,
    isMaster: true,
    isWorker: false,
    workers: {},
    settings: {},
    SCHED_NONE: 1,
    SCHED_RR: 2,
    schedulingPolicy: 2,
  },
);
