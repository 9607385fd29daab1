// lib/_stream_readable.js: Node's legacy module, stream.Readable itself.
import { lazyBuiltinModule } from '../js/49_lazy.js';

export const moduleExports = lazyBuiltinModule('stream').Readable;
