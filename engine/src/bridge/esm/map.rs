//! The exec's module map: every ES module the guest's loader compiled or synthesized, by id, with
//! its requests and what each request was linked to. The loader (runner-js `lib/internal__esm*`)
//! decides what a specifier means; this map only remembers it for V8's resolve callback.

use std::collections::HashMap;

/// Most modules one exec may create (each also costs heap; this bounds our side table).
pub const MAX_MODULES: usize = 1 << 20;

/// One import request of a module: its specifier and import attributes, as V8 reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The specifier text.
    pub specifier: String,
    /// `(key, value)` pairs, in source order.
    pub attributes: Vec<(String, String)>,
}

/// One module of the map.
pub struct Entry {
    /// The V8 module.
    pub module: v8::Global<v8::Module>,
    /// Its requests, in V8's order.
    pub requests: Vec<Request>,
    /// The module id each request resolved to, once the loader linked it.
    pub links: Vec<Option<u32>>,
    /// A synthetic module's export names (empty for source text modules).
    pub exports: Vec<String>,
}

/// The module map of one exec, with the runner object the isolate hooks call into.
#[derive(Default)]
pub struct EsmMap {
    entries: Vec<Entry>,
    by_hash: HashMap<i32, Vec<u32>>,
    runner: Option<v8::Global<v8::Object>>,
}

impl EsmMap {
    /// Keeps `runner`, whose `esm*` methods the isolate hooks call.
    pub fn set_runner(&mut self, runner: v8::Global<v8::Object>) {
        self.runner = Some(runner);
    }

    /// The runner object, once set.
    pub fn runner(&self) -> Option<&v8::Global<v8::Object>> {
        self.runner.as_ref()
    }

    /// Adds `entry`, whose module hashes to `hash`; `None` when the map is full.
    pub fn add(&mut self, hash: i32, entry: Entry) -> Option<u32> {
        if self.entries.len() >= MAX_MODULES {
            return None;
        }
        let id = u32::try_from(self.entries.len()).ok()?;
        self.entries.push(entry);
        self.by_hash.entry(hash).or_default().push(id);
        Some(id)
    }

    /// The entry with `id`.
    pub fn get(&self, id: u32) -> Option<&Entry> {
        self.entries.get(id as usize)
    }

    /// The entry with `id`, mutable.
    pub fn get_mut(&mut self, id: u32) -> Option<&mut Entry> {
        self.entries.get_mut(id as usize)
    }

    /// The id of `module` (whose identity hash is `hash`), if the map holds it.
    pub fn id_of(&self, hash: i32, module: v8::Local<'_, v8::Module>) -> Option<u32> {
        self.by_hash
            .get(&hash)?
            .iter()
            .copied()
            .find(|&id| self.entries[id as usize].module == module)
    }

    /// The module id `referrer`'s request (`specifier`, `attributes`) was linked to.
    pub fn linked(
        &self,
        referrer: u32,
        specifier: &str,
        attributes: &[(String, String)],
    ) -> Option<u32> {
        let entry = self.get(referrer)?;
        let index = entry
            .requests
            .iter()
            .position(|r| r.specifier == specifier && same_attributes(&r.attributes, attributes))?;
        entry.links.get(index).copied().flatten()
    }
}

/// Attribute lists are equal as sets of pairs (V8 may order them differently than the source).
fn same_attributes(a: &[(String, String)], b: &[(String, String)]) -> bool {
    a.len() == b.len() && a.iter().all(|pair| b.contains(pair))
}

#[cfg(test)]
mod tests {
    use super::same_attributes;

    #[test]
    fn attributes_compare_as_sets() {
        let ty = ("type".to_string(), "json".to_string());
        let other = ("x".to_string(), "y".to_string());
        assert!(same_attributes(
            &[ty.clone(), other.clone()],
            &[other.clone(), ty.clone()]
        ));
        assert!(!same_attributes(
            std::slice::from_ref(&ty),
            std::slice::from_ref(&other)
        ));
        assert!(!same_attributes(std::slice::from_ref(&ty), &[]));
    }
}
