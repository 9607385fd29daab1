//! Blobs on disk (snapshots, and the engine's compiled wasm code), one file per digest, validated
//! before use.
//!
//! ```text
//! +----------+-------------+----------------+-------------+------------------+
//! | "AOSNAP1\0" | digest [32] | sha256(blob) [32] | len: u64 LE | blob [len]   |
//! +----------+-------------+----------------+-------------+------------------+
//! ```
//! A file that fails any check is reported and ignored (then rebuilt and overwritten), never
//! trusted. Writes go to a temporary file in the same directory and are renamed into place, so
//! readers never see a partial blob.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest as _, Sha256};

use crate::Digest;

const MAGIC: &[u8; 8] = b"AOSNAP1\0";
const HEADER_LEN: usize = 8 + 32 + 32 + 8;
/// Blobs beyond this size are refused on load (a real one is a few MiB).
const MAX_BLOB_BYTES: u64 = 256 << 20;

/// Why a cached blob could not be used or stored.
#[derive(Debug, thiserror::Error)]
pub enum DiskError {
    /// Reading or writing failed.
    #[error("cache I/O on {path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a valid blob for this digest.
    #[error("cache file {path} is invalid: {reason}")]
    Invalid {
        /// The file involved.
        path: PathBuf,
        /// Which check failed.
        reason: &'static str,
    },
}

/// A directory of blobs of one kind (the file name's prefix).
#[derive(Debug, Clone)]
pub struct DiskCache {
    dir: PathBuf,
    kind: &'static str,
}

/// Tells apart the temporary files of stores racing in one process.
static STORES: AtomicU64 = AtomicU64::new(0);

impl DiskCache {
    /// A cache of snapshot blobs in `dir` (created on first store).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self::of_kind(dir, "snapshot")
    }

    /// A cache of `kind` blobs (`kind-HEX.bin`) in `dir`, beside other kinds.
    pub fn of_kind(dir: impl Into<PathBuf>, kind: &'static str) -> Self {
        Self {
            dir: dir.into(),
            kind,
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the blob for `digest` lives.
    pub fn path(&self, digest: &Digest) -> PathBuf {
        self.dir.join(format!("{}-{}.bin", self.kind, digest.hex()))
    }

    /// The blob for `digest`, `Ok(None)` if there is none.
    ///
    /// # Errors
    /// [`DiskError`] when the file exists but cannot be read or fails validation.
    pub fn load(&self, digest: &Digest) -> Result<Option<Vec<u8>>, DiskError> {
        let path = self.path(digest);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(DiskError::Io { path, source }),
        };
        validate(&bytes, digest)
            .map(|blob| Some(blob.to_vec()))
            .map_err(|reason| DiskError::Invalid { path, reason })
    }

    /// Stores `blob` for `digest`, atomically replacing any previous file.
    ///
    /// # Errors
    /// [`DiskError::Io`] when the directory or file cannot be written.
    pub fn store(&self, digest: &Digest, blob: &[u8]) -> Result<PathBuf, DiskError> {
        let path = self.path(digest);
        let io = |source| DiskError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let tmp = self.dir.join(format!(
            ".{}-{}.{}.{}.tmp",
            self.kind,
            digest.short(),
            std::process::id(),
            STORES.fetch_add(1, Ordering::Relaxed)
        ));
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        file.write_all(MAGIC).map_err(io)?;
        file.write_all(&digest.0).map_err(io)?;
        file.write_all(&Sha256::digest(blob)).map_err(io)?;
        file.write_all(&(blob.len() as u64).to_le_bytes())
            .map_err(io)?;
        file.write_all(blob).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(path)
    }
}

fn validate<'a>(bytes: &'a [u8], digest: &Digest) -> Result<&'a [u8], &'static str> {
    let header = bytes.get(..HEADER_LEN).ok_or("shorter than its header")?;
    if &header[..8] != MAGIC {
        return Err("bad magic");
    }
    if header[8..40] != digest.0 {
        return Err("digest mismatch");
    }
    let len_bytes: [u8; 8] = header[72..80].try_into().map_err(|_| "bad length")?;
    let len = u64::from_le_bytes(len_bytes);
    if len > MAX_BLOB_BYTES || len != (bytes.len() - HEADER_LEN) as u64 {
        return Err("length mismatch");
    }
    let blob = &bytes[HEADER_LEN..];
    if Sha256::digest(blob).as_slice() != &header[40..72] {
        return Err("checksum mismatch");
    }
    Ok(blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> DiskCache {
        let dir = std::env::temp_dir().join(format!("agentos-snap-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        DiskCache::new(dir)
    }

    #[test]
    fn store_then_load_round_trips() {
        let cache = scratch("rt");
        let d = Digest([7; 32]);
        assert!(cache.load(&d).unwrap().is_none());
        cache.store(&d, b"blob bytes").unwrap();
        assert_eq!(cache.load(&d).unwrap().as_deref(), Some(&b"blob bytes"[..]));
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn corrupted_file_is_rejected() {
        let cache = scratch("corrupt");
        let d = Digest([9; 32]);
        let path = cache.store(&d, &[1u8; 1000]).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            cache.load(&d),
            Err(DiskError::Invalid {
                reason: "checksum mismatch",
                ..
            })
        ));
        std::fs::write(&path, &bytes[..10]).unwrap();
        assert!(matches!(cache.load(&d), Err(DiskError::Invalid { .. })));
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn file_for_another_digest_is_rejected() {
        let cache = scratch("other");
        let a = Digest([1; 32]);
        let b = Digest([2; 32]);
        let path_a = cache.store(&a, b"x").unwrap();
        std::fs::copy(&path_a, cache.path(&b)).unwrap();
        assert!(matches!(
            cache.load(&b),
            Err(DiskError::Invalid {
                reason: "digest mismatch",
                ..
            })
        ));
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn kinds_in_one_dir_keep_apart() {
        let snapshots = scratch("kinds");
        let code = DiskCache::of_kind(snapshots.dir(), "wasm-code");
        let d = Digest([3; 32]);
        snapshots.store(&d, b"snapshot").unwrap();
        assert!(code.load(&d).unwrap().is_none());
        code.store(&d, b"code").unwrap();
        assert_eq!(
            snapshots.load(&d).unwrap().as_deref(),
            Some(&b"snapshot"[..])
        );
        assert_eq!(code.load(&d).unwrap().as_deref(), Some(&b"code"[..]));
        std::fs::remove_dir_all(snapshots.dir()).unwrap();
    }
}
