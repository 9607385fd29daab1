// lib/_stream_duplex.js: Node's legacy module, stream.Duplex itself.
import { lazyBuiltinModule } from '../js/49_lazy.js';

export const moduleExports = lazyBuiltinModule('stream').Duplex;
