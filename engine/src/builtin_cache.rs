//! V8 code caches of the lazy builtins (`runner-js/lib/`), one per builtin, made the first time an
//! isolate of this process compiles it (eagerly, so every function is in it) and consumed by
//! every later isolate: a guest's first `require('crypto')` then deserializes code instead of
//! parsing and compiling the module.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

/// The code caches of this process.
#[derive(Default)]
pub struct BuiltinCache {
    code: Mutex<HashMap<&'static str, Arc<[u8]>>>,
}

impl BuiltinCache {
    /// The code cache of builtin `name`, if one was made.
    pub fn get(&self, name: &str) -> Option<Arc<[u8]>> {
        self.code.lock().get(name).cloned()
    }

    /// Keeps `code` as the code cache of builtin `name`.
    pub fn put(&self, name: &'static str, code: &[u8]) {
        self.code.lock().insert(name, Arc::from(code));
    }

    /// Forgets builtin `name`'s code cache (V8 rejected it).
    pub fn forget(&self, name: &str) {
        self.code.lock().remove(name);
    }
}
