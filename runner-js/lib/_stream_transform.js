// lib/_stream_transform.js: Node's legacy module, stream.Transform itself.
import { lazyBuiltinModule } from '../js/49_lazy.js';

export const moduleExports = lazyBuiltinModule('stream').Transform;
