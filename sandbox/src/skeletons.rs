//! Where the synthetic roots' skeletons live, and for how long (`root.rs` says what they hold).
//!
//! Each sidecar process keeps its skeletons in a directory of its own,
//! `$TMPDIR/agentos-roots-UID/pPID-NANOS` (the base is mode 0700 and this user's), beside a
//! `pPID-NANOS.lock` file it holds an exclusive `flock` on for as long as it lives. Every
//! process sweeps the base once when it starts: a lock file it can lock belongs to a process
//! that is gone, and that process's directory goes with it. So a crash leaks nothing for
//! longer than until the next sidecar starts.
//!
//! Within a process a skeleton is built for each distinct mount layout on first use and kept
//! while a [`Lease`] on it lives (every [`crate::Sandbox`] with a synthetic root holds one) and
//! afterwards among the [`IDLE_KEPT`] most recently used. Older idle ones are removed, so a
//! host that mounts a fresh path for every exec uses bounded disk, and the devices'
//! placeholders, hard-linked into every skeleton, stay far below the filesystem's link limit.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use rustix::fs::FlockOperation;

/// Idle skeletons kept for reuse; older idle ones are removed.
pub(crate) const IDLE_KEPT: usize = 64;

/// A skeleton in use: it is not removed while this lives.
#[derive(Debug)]
pub(crate) struct Lease {
    key: u64,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Ok(mut store) = STORE.lock()
            && let Some(store) = store.as_mut()
            && let Some(skeleton) = store.built.get_mut(&self.key)
        {
            skeleton.users = skeleton.users.saturating_sub(1);
            store.clock += 1;
            skeleton.last_used = store.clock;
        }
    }
}

/// One process's skeletons.
struct Store {
    /// `BASE/pPID-NANOS`.
    dir: PathBuf,
    /// Holds the exclusive lock that says this process is alive.
    _alive: File,
    built: HashMap<u64, Skeleton>,
    /// Orders releases (for "least recently used").
    clock: u64,
    /// Names removed skeletons uniquely while they are deleted.
    removed: u64,
}

struct Skeleton {
    path: PathBuf,
    users: usize,
    last_used: u64,
}

static STORE: Mutex<Option<Store>> = Mutex::new(None);

/// The skeleton `key` (built by `build` into the directory it is given, when missing), with a
/// lease on it.
pub(crate) fn acquire(
    key: u64,
    build: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> io::Result<(PathBuf, Lease)> {
    let mut guard = STORE
        .lock()
        .map_err(|_| io::Error::other("the skeleton store's lock is poisoned"))?;
    let store = opened(&mut guard)?;
    if let Some(skeleton) = store.built.get_mut(&key) {
        skeleton.users += 1;
        return Ok((skeleton.path.clone(), Lease { key }));
    }
    let path = store.dir.join(format!("{key:016x}"));
    if let Err(e) = build(&store.dir, &path) {
        let _ = std::fs::remove_dir_all(&path);
        return Err(e);
    }
    let skeleton = Skeleton {
        path: path.clone(),
        users: 1,
        last_used: store.clock,
    };
    store.built.insert(key, skeleton);
    let doomed = store.evict();
    drop(guard);
    for dir in doomed {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok((path, Lease { key }))
}

/// Runs `f` on this process's store directory (made on first use), holding the store's lock.
pub(crate) fn in_store<T>(f: impl FnOnce(&Path) -> io::Result<T>) -> io::Result<T> {
    let mut guard = STORE
        .lock()
        .map_err(|_| io::Error::other("the skeleton store's lock is poisoned"))?;
    f(&opened(&mut guard)?.dir)
}

/// The store, opened on first use.
fn opened(store: &mut Option<Store>) -> io::Result<&mut Store> {
    if store.is_none() {
        *store = Some(Store::open()?);
    }
    store
        .as_mut()
        .ok_or_else(|| io::Error::other("no skeleton store"))
}

/// Whether `path` is one of this process's skeletons.
pub(crate) fn owns(path: &Path) -> bool {
    let Ok(guard) = STORE.lock() else {
        return false;
    };
    guard
        .as_ref()
        .is_some_and(|s| path.parent() == Some(&s.dir))
}

/// How many skeletons this process holds now (tests).
#[cfg(test)]
pub(crate) fn count() -> usize {
    let guard = STORE.lock().expect("store lock");
    guard.as_ref().map_or(0, |s| s.built.len())
}

impl Store {
    /// Sweeps the base of dead processes' directories and makes this process's own.
    fn open() -> io::Result<Self> {
        let base = private_base()?;
        sweep(&base);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("p{}-{nanos:x}", std::process::id());
        let alive = hold_lock(&base, &name)?;
        let dir = base.join(&name);
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        crate::devices::prepare(&dir)?;
        Ok(Self {
            dir,
            _alive: alive,
            built: HashMap::new(),
            clock: 0,
            removed: 0,
        })
    }

    /// Takes the idle skeletons past the [`IDLE_KEPT`] most recent out of the store, renamed
    /// aside (so a rebuild of the same layout never meets a half-removed one); the caller
    /// removes them without holding the store's lock.
    fn evict(&mut self) -> Vec<PathBuf> {
        let mut idle: Vec<(u64, u64)> = (self.built.iter())
            .filter(|(_, s)| s.users == 0)
            .map(|(key, s)| (s.last_used, *key))
            .collect();
        let excess = idle.len().saturating_sub(IDLE_KEPT);
        idle.sort_unstable();
        let mut doomed = Vec::new();
        for (_, key) in idle.into_iter().take(excess) {
            let Some(skeleton) = self.built.remove(&key) else {
                continue;
            };
            self.removed += 1;
            let aside = self.dir.join(format!("removed-{}", self.removed));
            match std::fs::rename(&skeleton.path, &aside) {
                Ok(()) => doomed.push(aside),
                Err(_) => doomed.push(skeleton.path),
            }
        }
        doomed
    }
}

/// Creates `BASE/NAME.lock` already holding its exclusive lock (made under another name and
/// renamed, so a sweeper never finds it unlocked while its process lives).
fn hold_lock(base: &Path, name: &str) -> io::Result<File> {
    let fresh = base.join(format!("{name}.lock.new"));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&fresh)?;
    rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive)?;
    std::fs::rename(&fresh, base.join(format!("{name}.lock")))?;
    Ok(file)
}

/// A `.lock.new` older than this was left by a process that died while starting.
const STALE_NEW_LOCK: Duration = Duration::from_secs(600);

/// Removes the directories of processes that are gone: those whose lock file this process
/// can lock, and those whose lock file is missing.
pub(crate) fn sweep(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if let Some(process) = name.strip_suffix(".lock") {
            if is_process_dir(process) && owner_is_gone(&path) {
                let _ = std::fs::remove_dir_all(base.join(process));
                let _ = std::fs::remove_file(&path);
            }
        } else if let Some(process) = name.strip_suffix(".lock.new") {
            if is_process_dir(process) && older_than(&path, STALE_NEW_LOCK) {
                let _ = std::fs::remove_file(&path);
            }
        } else if is_process_dir(&name) && !base.join(format!("{name}.lock")).exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// `pPID-HEX`: a process directory's name.
fn is_process_dir(name: &str) -> bool {
    let Some((pid, nanos)) = name.strip_prefix('p').and_then(|n| n.split_once('-')) else {
        return false;
    };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && !nanos.is_empty()
        && nanos.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether nobody holds `lock` (its process is gone).
fn owner_is_gone(lock: &Path) -> bool {
    let Ok(file) = File::open(lock) else {
        return false;
    };
    rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok()
}

fn older_than(path: &Path, age: Duration) -> bool {
    let modified = std::fs::metadata(path).and_then(|m| m.modified());
    modified.is_ok_and(|m| m.elapsed().is_ok_and(|e| e > age))
}

/// `$TMPDIR/agentos-roots-UID`, created mode 0700; refused when someone else owns it or
/// others can write into it.
fn private_base() -> io::Result<PathBuf> {
    let uid = rustix::process::geteuid().as_raw();
    let base = std::env::temp_dir().join(format!("agentos-roots-{uid}"));
    match std::fs::DirBuilder::new().mode(0o700).create(&base) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(&base)?;
    if !meta.is_dir() || meta.uid() != uid || meta.permissions().mode() & 0o077 != 0 {
        return Err(io::Error::other(format!(
            "{} is not a private directory of this user",
            base.display()
        )));
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("agentos-sweep-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("base");
        dir
    }

    #[test]
    fn a_sweep_removes_a_gone_process_directory_and_keeps_a_live_one() {
        let base = base();
        std::fs::create_dir(base.join("p1-ab")).expect("dead dir");
        std::fs::write(base.join("p1-ab.lock"), "").expect("dead lock");
        let _live = hold_lock(&base, "p2-cd").expect("live lock");
        std::fs::create_dir(base.join("p2-cd")).expect("live dir");
        std::fs::create_dir(base.join("p3-ef")).expect("orphan dir");
        std::fs::create_dir(base.join("0123456789abcdef")).expect("not a process dir");
        sweep(&base);
        let mut names: Vec<_> = std::fs::read_dir(&base)
            .expect("read base")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["0123456789abcdef", "p2-cd", "p2-cd.lock"]);
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn process_directory_names_are_p_pid_dash_hex() {
        assert!(is_process_dir("p12-9f"));
        assert!(!is_process_dir("p12"));
        assert!(!is_process_dir("p-9f"));
        assert!(!is_process_dir("devices-v1"));
        assert!(!is_process_dir("p12-xyz"));
    }
}
