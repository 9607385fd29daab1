//! A module's bytes, kept only while something may still compile them. V8 keeps its own copy of
//! a compiled module's bytes, so once every exec of a module has its code, our copies are dead
//! weight: `python3.wasm` (95 MB) was held three times per engine (as read, as capped, and V8's).
//! A host file's bytes are read again when a new memory limit needs them, and only if the file
//! is still the one validated; a guest's own module (read through its sandbox) keeps its bytes.

use std::path::PathBuf;

use bytes::Bytes;
use parking_lot::Mutex;

use super::{Fingerprint, ModuleError, read_bounded};
use crate::code_cache::ContentId;

/// Where a released host file's bytes are read again.
pub(super) struct Reread {
    /// The file (through the name it was first loaded by).
    pub path: PathBuf,
    /// Its identity when it was read and validated.
    pub id: Fingerprint,
    /// Its content's id, when the disk cache computed one: checked too.
    pub content: Option<ContentId>,
}

/// Bytes that may be released and, for a host file, read again.
pub(super) struct HeldBytes {
    bytes: Mutex<Option<Bytes>>,
    reread: Option<Reread>,
}

impl HeldBytes {
    /// `bytes`, releasable when `reread` says how to get them back.
    pub fn new(bytes: Bytes, reread: Option<Reread>) -> Self {
        Self {
            bytes: Mutex::new(Some(bytes)),
            reread,
        }
    }

    /// The bytes, read again from the file if they were released.
    ///
    /// # Errors
    /// [`ModuleError::Io`] when the file cannot be read or is no longer the one validated.
    pub fn get(&self) -> Result<Bytes, ModuleError> {
        if let Some(bytes) = self.bytes.lock().clone() {
            return Ok(bytes);
        }
        let Some(reread) = &self.reread else {
            return Err(changed(&PathBuf::from("a guest module"), "released"));
        };
        let bytes = Bytes::from(read_same(reread)?);
        *self.bytes.lock() = Some(bytes.clone());
        Ok(bytes)
    }

    /// Lets go of the bytes if they can be read again (freed off the exec's thread).
    pub fn release(&self) {
        if self.reread.is_some()
            && let Some(bytes) = self.bytes.lock().take()
        {
            crate::heap_trim::release(bytes);
        }
    }

    /// Whether the bytes are held now.
    #[cfg(test)]
    pub fn held(&self) -> bool {
        self.bytes.lock().is_some()
    }
}

/// The file's bytes, if it is still the file `reread` names.
fn read_same(reread: &Reread) -> Result<Vec<u8>, ModuleError> {
    let path = &reread.path;
    let same = || std::fs::metadata(path).is_ok_and(|meta| Fingerprint::of(&meta) == reread.id);
    if !same() {
        return Err(changed(path, "changed since it was loaded"));
    }
    let bytes = read_bounded(path).map_err(|e| changed(path, &e.kind().to_string()))?;
    let content_same = reread.content.is_none_or(|id| ContentId::of(&bytes) == id);
    if !same() || !content_same {
        return Err(changed(path, "changed since it was loaded"));
    }
    Ok(bytes)
}

fn changed(path: &std::path::Path, reason: &str) -> ModuleError {
    ModuleError::Io {
        path: path.display().to_string(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in a fresh directory, and how to read it again as it is now.
    fn file(name: &str, contents: &[u8]) -> (PathBuf, Reread) {
        let dir = std::env::temp_dir().join(format!("agentos-held-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("m.wasm");
        std::fs::write(&path, contents).unwrap();
        let id = Fingerprint::of(&std::fs::metadata(&path).unwrap());
        let content = Some(ContentId::of(contents));
        (dir, Reread { path, id, content })
    }

    #[test]
    fn released_bytes_are_read_again_from_the_unchanged_file() {
        let (dir, reread) = file("same", b"\0asm one");
        let held = HeldBytes::new(Bytes::from_static(b"\0asm one"), Some(reread));
        held.release();
        assert!(!held.held());
        assert_eq!(&held.get().unwrap()[..], b"\0asm one");
        assert!(held.held(), "kept until released again");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn released_bytes_of_a_changed_file_are_an_error_not_the_new_bytes() {
        let (dir, reread) = file("changed", b"\0asm one");
        let path = reread.path.clone();
        let held = HeldBytes::new(Bytes::from_static(b"\0asm one"), Some(reread));
        held.release();
        std::fs::write(&path, b"\0asm two").unwrap();
        let err = held.get().unwrap_err();
        assert!(
            err.to_string().contains("changed since it was loaded"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn same_identity_with_other_content_is_caught_by_the_content_id() {
        let (dir, mut reread) = file("content", b"\0asm one");
        reread.content = Some(ContentId::of(b"\0asm 1ne"));
        let held = HeldBytes::new(Bytes::from_static(b"\0asm one"), Some(reread));
        held.release();
        assert!(held.get().is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bytes_that_cannot_be_read_again_are_never_released() {
        let held = HeldBytes::new(Bytes::from_static(b"\0asm guest"), None);
        held.release();
        assert!(held.held());
        assert_eq!(&held.get().unwrap()[..], b"\0asm guest");
    }
}
