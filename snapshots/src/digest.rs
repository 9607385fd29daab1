//! The identity of a snapshot: anything that changes what a blob contains, or whether V8 can
//! restore it, changes the digest.

use sha2::{Digest as _, Sha256};

/// SHA-256 over everything a blob depends on.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// Lower-case hex, as used in file names.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The first 12 hex digits, for logs.
    pub fn short(&self) -> String {
        self.hex()[..12].to_string()
    }
}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Digest({})", self.short())
    }
}

/// What a snapshot is built from.
#[derive(Debug, Clone, Copy)]
pub struct DigestInput<'a> {
    /// `v8::V8::get_version()`.
    pub v8_version: &'a str,
    /// V8 flags that affect the heap layout, as passed to V8.
    pub heap_flags: &'a str,
    /// Every runner source baked into the context, with its name, in order.
    pub sources: &'a [(&'a str, &'a str)],
    /// Names of the external references, in table order: restore needs the identical table.
    pub external_references: &'a [&'a str],
}

impl DigestInput<'_> {
    /// The digest; each field is length-prefixed so no two inputs collide by concatenation.
    pub fn digest(&self) -> Digest {
        let mut h = Sha256::new();
        let mut put = |label: &str, bytes: &[u8]| {
            h.update(label.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        put("format", b"agentos-snapshot-v1");
        put("v8", self.v8_version.as_bytes());
        put("flags", self.heap_flags.as_bytes());
        for (name, source) in self.sources {
            put("source-name", name.as_bytes());
            put("source", source.as_bytes());
        }
        for name in self.external_references {
            put("extref", name.as_bytes());
        }
        Digest(h.finalize().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(sources: &'a [(&'a str, &'a str)], refs: &'a [&'a str]) -> DigestInput<'a> {
        DigestInput {
            v8_version: "15.2",
            heap_flags: "",
            sources,
            external_references: refs,
        }
    }

    #[test]
    fn digest_changes_when_a_source_changes() {
        let a = input(&[("main.js", "1")], &["write"]).digest();
        let b = input(&[("main.js", "2")], &["write"]).digest();
        assert_ne!(a, b);
        assert_eq!(a, input(&[("main.js", "1")], &["write"]).digest());
    }

    #[test]
    fn digest_changes_with_external_references_and_version() {
        let base = input(&[("a", "x")], &["write"]);
        let more = input(&[("a", "x")], &["write", "exit"]);
        assert_ne!(base.digest(), more.digest());
        let newer = DigestInput {
            v8_version: "15.3",
            ..base
        };
        assert_ne!(base.digest(), newer.digest());
    }

    #[test]
    fn fields_do_not_run_together() {
        let a = input(&[("ab", "c")], &[]).digest();
        let b = input(&[("a", "bc")], &[]).digest();
        assert_ne!(a, b);
    }
}
