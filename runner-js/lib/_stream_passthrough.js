// lib/_stream_passthrough.js: Node's legacy module, stream.PassThrough itself.
import { lazyBuiltinModule } from '../js/49_lazy.js';

export const moduleExports = lazyBuiltinModule('stream').PassThrough;
