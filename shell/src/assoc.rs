//! Associative arrays' storage (`declare -A`): string keys, listed in the order bash lists
//! them. Bash keeps an associative array in a hash table (`hashlib.c`): 1024 buckets to begin
//! with, four times as many once there are two entries per bucket, FNV-1 over the key's bytes
//! (as signed `char`s), each bucket's chain newest first, walked bucket by bucket. That walk is
//! the order of `${!a[@]}`, `${a[@]}` and `declare -p`, and scripts print it, so keeping the
//! same order is what makes their output match bash's byte for byte.

use std::collections::{BTreeMap, HashMap};

/// What one entry costs beyond its text (the key is held twice: by value and by bucket): the
/// map's slot, the bucket's `String`, and the allocator's share of three small blocks.
const ENTRY_BYTES: usize = 128;

/// Bash's initial bucket count for an associative array (`ASSOC_HASH_BUCKETS`).
const FIRST_BUCKETS: u32 = 1024;

/// An associative array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assoc {
    values: HashMap<String, String>,
    /// Keys by bucket, each bucket oldest first (bash's chain read backwards).
    buckets: BTreeMap<u32, Vec<String>>,
    /// The bucket count (a power of two).
    width: u32,
    bytes: usize,
}

impl Default for Assoc {
    fn default() -> Self {
        Self {
            values: HashMap::new(),
            buckets: BTreeMap::new(),
            width: FIRST_BUCKETS,
            bytes: 0,
        }
    }
}

/// Bash's `hash_string`: FNV-1, 32 bits, each byte sign-extended as a C `char` is.
fn hash(key: &str) -> u32 {
    key.bytes().fold(2_166_136_261_u32, |h, b| {
        // A byte as a signed `char`, widened to `unsigned int`.
        h.wrapping_mul(16_777_619) ^ (i32::from(b as i8) as u32)
    })
}

impl Assoc {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.values.get(key)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// What its keys and values cost.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: &str, value: String) {
        let added = value.len();
        let old = std::mem::replace(self.slot(key), value);
        self.bytes = self.bytes + added - old.len();
    }

    /// Appends `text` to the value of `key` (created empty).
    pub fn append(&mut self, key: &str, text: &str) {
        self.slot(key).push_str(text);
        self.bytes += text.len();
    }

    /// The value of `key`, created empty (and placed as bash places it) if missing.
    fn slot(&mut self, key: &str) -> &mut String {
        if !self.values.contains_key(key) {
            if self.values.len() >= 2 * self.width as usize {
                self.grow();
            }
            let bucket = hash(key) & (self.width - 1);
            self.buckets
                .entry(bucket)
                .or_default()
                .push(key.to_string());
            self.bytes += 2 * key.len() + ENTRY_BYTES;
        }
        self.values.entry(key.to_string()).or_default()
    }

    /// Bash's `hash_grow`: four times the buckets; each old chain, walked newest first, is
    /// pushed onto the new chains' heads.
    fn grow(&mut self) {
        self.width = self.width.saturating_mul(4);
        let old = std::mem::take(&mut self.buckets);
        for key in old.into_values().flat_map(|chain| chain.into_iter().rev()) {
            let bucket = hash(&key) & (self.width - 1);
            self.buckets.entry(bucket).or_default().push(key);
        }
    }

    pub fn remove(&mut self, key: &str) {
        let Some(old) = self.values.remove(key) else {
            return;
        };
        self.bytes -= old.len() + 2 * key.len() + ENTRY_BYTES;
        let bucket = hash(key) & (self.width - 1);
        if let Some(chain) = self.buckets.get_mut(&bucket) {
            chain.retain(|k| k != key);
            if chain.is_empty() {
                self.buckets.remove(&bucket);
            }
        }
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Keys and values in bash's order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.buckets
            .values()
            .flat_map(|chain| chain.iter().rev())
            .filter_map(|k| self.values.get_key_value(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(a: &Assoc) -> Vec<&str> {
        a.iter().map(|(k, _)| k.as_str()).collect()
    }

    fn of(keys: &[&str]) -> Assoc {
        let mut a = Assoc::default();
        for k in keys {
            a.insert(k, String::new());
        }
        a
    }

    #[test]
    fn keys_come_in_bash_s_order() {
        // Each expected order is what bash 5.2 printed for `${!a[@]}`.
        let a = of(&["x", "y", "z", "apple", "b", "q", "a1"]);
        assert_eq!(keys(&a), ["z", "y", "x", "a1", "q", "b", "apple"]);
        let words = ["one", "two", "three", "four", "five"];
        let more = ["six", "seven", "eight", "nine", "ten"];
        let a = of(&[&words[..], &more[..]].concat());
        let want = "ten four nine seven two three six one five eight";
        assert_eq!(keys(&a).join(" "), want);
    }

    #[test]
    fn non_ascii_keys_hash_as_signed_chars() {
        let a = of(&["é", "ü", "a b", "ÿx"]);
        assert_eq!(keys(&a), ["ÿx", "a b", "ü", "é"]);
    }

    #[test]
    fn growing_keeps_bash_s_order() {
        let names: Vec<String> = (1..=3000).map(|i| format!("k{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let a = of(&refs);
        assert_eq!(a.width, 4096);
        // The head of what bash 5.2 printed for the same 3000 keys.
        assert_eq!(keys(&a)[..5], ["k1698", "k1699", "k1696", "k1697", "k1694"]);
    }

    #[test]
    fn a_replaced_value_keeps_its_place_and_its_cost_follows() {
        let mut a = of(&["x", "y"]);
        let before = keys(&a).join(" ");
        a.insert("x", "long value".into());
        a.append("y", "ab");
        assert_eq!(keys(&a).join(" "), before);
        assert_eq!(a.bytes(), 2 * 2 + 2 * ENTRY_BYTES + 10 + 2);
        a.remove("x");
        a.remove("y");
        assert_eq!((a.bytes(), a.len(), a.buckets.len()), (0, 0, 0));
    }
}
