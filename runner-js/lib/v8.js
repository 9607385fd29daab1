// lib/v8.js: heap statistics are real (V8's, through a native); serialization, snapshots and
// flags are not supported in the sandbox (ERR_NOT_SUPPORTED_IN_SANDBOX naming the API).

import { bridgeHeapStatistics } from '../js/00_primordials.js';
import { unsupportedFunction } from './internal__unsupported.js';

function getHeapStatistics() {
  const s = bridgeHeapStatistics();
  return {
    total_heap_size: s[0],
    total_heap_size_executable: s[7],
    total_physical_size: s[4],
    total_available_size: s[5],
    used_heap_size: s[1],
    heap_size_limit: s[3],
    malloced_memory: s[6],
    peak_malloced_memory: s[6],
    does_zap_garbage: 0,
    number_of_native_contexts: 1,
    number_of_detached_contexts: 0,
    total_global_handles_size: 0,
    used_global_handles_size: 0,
    external_memory: s[2],
  };
}

const names = [
  'serialize',
  'deserialize',
  'Serializer',
  'Deserializer',
  'DefaultSerializer',
  'DefaultDeserializer',
  'getHeapSnapshot',
  'writeHeapSnapshot',
  'getHeapCodeStatistics',
  'takeCoverage',
  'stopCoverage',
  'startupSnapshot',
];

const v8 = {
  getHeapStatistics,
  getHeapSpaceStatistics: function getHeapSpaceStatistics() {
    return [];
  },
  cachedDataVersionTag: function cachedDataVersionTag() {
    return 0;
  },
  setFlagsFromString: unsupportedFunction('v8', 'setFlagsFromString'),
  setHeapSnapshotNearHeapLimit: unsupportedFunction('v8', 'setHeapSnapshotNearHeapLimit'),
};
for (let i = 0; i < names.length; i++) v8[names[i]] = unsupportedFunction('v8', names[i]);

export const moduleExports = v8;
