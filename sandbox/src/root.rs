//! The synthetic root: a real system always has `/`.
//!
//! When the host mounts nothing at `/`, the guest would find no `/` at all: `ls /` and `cd /`
//! fail, and so does every tool that canonicalises a path component by component (uutils `mv`,
//! `realpath`). [`with_root`] then adds a read-only preopen at `/` whose only entries are the
//! directories leading to the mounts (`/work` and `/work/project` for a mount at
//! `/work/project`). The guest's own mounts still win for their paths: WASI resolves a path
//! through the preopen with the longest matching prefix.
//!
//! The skeleton also holds `dev/`, whose placeholders stand for the devices (`devices.rs`).
//!
//! Each distinct set of mount points gets one skeleton of empty directories, built once under a
//! directory private to this user (`$TMPDIR/agentos-roots-UID`, mode 0700) and reused by every
//! exec and every sidecar process after that. It holds only empty directories, bounded by the
//! number of distinct mount layouts; nothing a guest does can write into it.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::Preopen;

/// `preopens`, plus a read-only skeleton at `/` when there are some and none is mounted there.
///
/// When the skeleton cannot be built (no writable temp dir), `preopens` come back unchanged:
/// the guest then has no `/`, as before, which is worse but not unsafe.
#[must_use]
pub fn with_root(mut preopens: Vec<Preopen>) -> Vec<Preopen> {
    // No mounts at all is no filesystem at all (fd 3 stays free, as WASI's own tests expect).
    if preopens.is_empty() || preopens.iter().any(|p| components(&p.guest).is_empty()) {
        return preopens;
    }
    let points: Vec<Vec<String>> = preopens.iter().map(|p| components(&p.guest)).collect();
    match skeleton(&points) {
        Ok(host) => preopens.push(Preopen {
            host,
            guest: "/".into(),
            read_only: true,
        }),
        Err(e) => tracing::warn!("no synthetic root for the guest: {e}"),
    }
    preopens
}

/// The normal components of a guest path; `.`, `..` and empty components are dropped, so a
/// host-given path can never name anything outside the skeleton.
fn components(guest: &str) -> Vec<String> {
    Path::new(guest)
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str().map(str::to_owned),
            _ => None,
        })
        .collect()
}

/// The skeleton directory for these mount points, built on first use.
fn skeleton(points: &[Vec<String>]) -> std::io::Result<PathBuf> {
    static BUILT: OnceLock<Mutex<HashMap<u64, PathBuf>>> = OnceLock::new();
    let mut sorted = points.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    // The layout's version: skeletons made before `dev/` (2) or `dev/fd/3`.. (3) existed are
    // not reused.
    3_u32.hash(&mut hasher);
    sorted.hash(&mut hasher);
    let key = hasher.finish();
    let built = BUILT.get_or_init(Mutex::default);
    if let Some(path) = built.lock().map_err(|_| poisoned())?.get(&key) {
        return Ok(path.clone());
    }
    let path = build(&private_base()?, key, &sorted)?;
    built
        .lock()
        .map_err(|_| poisoned())?
        .insert(key, path.clone());
    Ok(path)
}

fn poisoned() -> std::io::Error {
    std::io::Error::other("the skeleton table's lock is poisoned")
}

/// `$TMPDIR/agentos-roots-UID`, created mode 0700; refused when someone else owns it or
/// others can write into it.
fn private_base() -> std::io::Result<PathBuf> {
    let uid = rustix::process::geteuid().as_raw();
    let base = std::env::temp_dir().join(format!("agentos-roots-{uid}"));
    match std::fs::DirBuilder::new().mode(0o700).create(&base) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(&base)?;
    if !meta.is_dir() || meta.uid() != uid || meta.permissions().mode() & 0o077 != 0 {
        return Err(std::io::Error::other(format!(
            "{} is not a private directory of this user",
            base.display()
        )));
    }
    Ok(base)
}

/// Builds the skeleton `KEY` under `base` (staged, then renamed into place, so a concurrent
/// sidecar never sees half of one).
fn build(base: &Path, key: u64, points: &[Vec<String>]) -> std::io::Result<PathBuf> {
    crate::devices::prepare(base)?;
    let done = base.join(format!("{key:016x}"));
    if done.is_dir() {
        return Ok(done);
    }
    let stage = base.join(format!("{key:016x}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir(&stage)?;
    for point in points {
        let dir = point.iter().fold(stage.clone(), |dir, name| dir.join(name));
        std::fs::create_dir_all(dir)?;
    }
    crate::devices::link_into(base, &stage)?;
    if std::fs::rename(&stage, &done).is_err() {
        // Another process won the race; its skeleton is the same.
        let _ = std::fs::remove_dir_all(&stage);
    }
    if done.is_dir() {
        Ok(done)
    } else {
        Err(std::io::Error::other("the skeleton directory vanished"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(guest: &str) -> Preopen {
        Preopen {
            host: PathBuf::from("/nonexistent"),
            guest: guest.into(),
            read_only: false,
        }
    }

    #[test]
    fn no_mounts_get_no_root() {
        assert!(with_root(Vec::new()).is_empty());
    }

    #[test]
    fn a_mount_at_root_needs_no_skeleton() {
        let got = with_root(vec![mount("/data"), mount("/")]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn the_skeleton_holds_dev_and_the_directories_leading_to_each_mount() {
        let got = with_root(vec![mount("/work/project"), mount("/data")]);
        let root = got.last().expect("a root");
        assert_eq!((root.guest.as_str(), root.read_only), ("/", true));
        assert!(root.host.join("work/project").is_dir());
        assert!(root.host.join("data").is_dir());
        let mut names: Vec<_> = std::fs::read_dir(&root.host)
            .expect("read skeleton")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["data", "dev", "work"]);
        assert!(root.host.join("dev/fd/0").is_file());
    }

    #[test]
    fn dot_dot_in_a_mount_point_cannot_reach_outside_the_skeleton() {
        let got = with_root(vec![mount("/../../x/./y")]);
        let root = got.last().expect("a root");
        assert!(root.host.join("x/y").is_dir());
    }

    #[test]
    fn the_same_layout_reuses_one_skeleton() {
        let a = with_root(vec![mount("/a"), mount("/b")]);
        let b = with_root(vec![mount("/b"), mount("/a")]);
        assert_eq!(a[2].host, b[2].host);
    }
}
