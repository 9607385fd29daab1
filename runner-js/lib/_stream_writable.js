// lib/_stream_writable.js: Node's legacy module, stream.Writable itself.
import { lazyBuiltinModule } from '../js/49_lazy.js';

export const moduleExports = lazyBuiltinModule('stream').Writable;
