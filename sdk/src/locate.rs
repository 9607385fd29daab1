//! Finding the `agentos-sidecar` binary.
//!
//! In order: an explicit path (builder), `$AGENTOS_SIDECAR_BIN`, next to the current executable,
//! in the parent of the current executable's directory (test binaries live in
//! `target/debug/deps`, the sidecar in `target/debug`), then each directory of `$PATH`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Environment variable naming the sidecar binary.
pub const SIDECAR_BIN_ENV: &str = "AGENTOS_SIDECAR_BIN";

/// The sidecar's file name on this platform.
fn bin_name() -> String {
    format!("agentos-sidecar{}", std::env::consts::EXE_SUFFIX)
}

/// Resolves the sidecar binary from the real environment.
pub(crate) fn find_sidecar(explicit: Option<&Path>) -> Result<PathBuf, Error> {
    locate(
        explicit,
        std::env::var_os(SIDECAR_BIN_ENV),
        std::env::current_exe().ok(),
        std::env::var_os("PATH"),
    )
}

/// Resolves the sidecar binary from the given inputs; explicit choices are not checked here
/// (spawning reports a missing file with its path).
fn locate(
    explicit: Option<&Path>,
    env_bin: Option<OsString>,
    current_exe: Option<PathBuf>,
    path_var: Option<OsString>,
) -> Result<PathBuf, Error> {
    if let Some(path) = explicit {
        return Ok(path.to_owned());
    }
    if let Some(path) = env_bin.filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let name = bin_name();
    let exe_dir = current_exe.as_deref().and_then(Path::parent);
    let near_exe = exe_dir.into_iter().chain(exe_dir.and_then(Path::parent));
    let on_path: Vec<PathBuf> = path_var
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let searched: Vec<PathBuf> = (near_exe.map(Path::to_owned).chain(on_path))
        .map(|dir| dir.join(&name))
        .collect();
    match searched.iter().find(|candidate| candidate.is_file()) {
        Some(found) => Ok(found.clone()),
        None => Err(Error::NotFound { searched }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory tree under the system temp dir: `root/debug/deps`.
    fn scratch(tag: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("agentos-sdk-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("debug/deps")).expect("create scratch dirs");
        root
    }

    #[test]
    fn explicit_path_wins() {
        let got = locate(
            Some(Path::new("/x/sidecar")),
            Some("/env".into()),
            None,
            None,
        );
        assert_eq!(got.expect("explicit"), PathBuf::from("/x/sidecar"));
    }

    #[test]
    fn env_var_beats_the_search() {
        let got = locate(None, Some("/env/sidecar".into()), None, None);
        assert_eq!(got.expect("from env"), PathBuf::from("/env/sidecar"));
    }

    #[test]
    fn found_in_parent_of_test_binary_dir() {
        let root = scratch("parent");
        let bin = root.join("debug").join(bin_name());
        std::fs::write(&bin, b"").expect("write fake sidecar");
        let exe = root.join("debug/deps/tests-123");
        let got = locate(None, Some(OsString::new()), Some(exe), None);
        assert_eq!(got.expect("found"), bin);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn not_found_lists_the_places_searched() {
        let root = scratch("missing");
        let exe = root.join("debug/deps/tests-123");
        let err = locate(None, None, Some(exe), Some("/nonexistent-agentos".into()));
        let Err(Error::NotFound { searched }) = err else {
            panic!("expected NotFound, got {err:?}");
        };
        let expected = [
            root.join("debug/deps"),
            root.join("debug"),
            PathBuf::from("/nonexistent-agentos"),
        ]
        .map(|dir| dir.join(bin_name()));
        assert_eq!(searched, expected);
        let _ = std::fs::remove_dir_all(root);
    }
}
