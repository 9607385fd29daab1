//! `/bin` and `/usr/bin` for guests: one file per command of the command set, so `ls
//! /usr/bin`, `test -x /usr/bin/env`, `[ -e /bin/sh ]`, `fs.existsSync('/usr/bin/node')` and
//! `os.path.exists('/usr/bin/python3')` see what they would on a real system.
//!
//! The commands are not files of the guest's filesystem: they are host modules the sidecar
//! runs by name. [`crate::with_root`] mounts one read-only directory at both `/bin` and
//! `/usr/bin`, holding one executable file per name whose one line is `#!INTERPRETER NAME`
//! ([`INTERPRETER`]): whoever runs the file by its path runs command NAME (the engine's
//! resolution knows the line), and whoever reads it learns what it stands for.
//!
//! Each distinct set of names gets one such directory in this process's skeleton store
//! (`skeletons.rs`), made on first use and kept while the process lives; at most
//! [`MAX_SETS`] of them (a sidecar whose command path changes that often gets no more `/bin`
//! rather than unbounded disk). A separate mount rather than files in each synthetic root: a
//! host that mounts a fresh path for every exec gets a fresh root every time, and a root
//! stays as cheap to build as before.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The interpreter a command's placeholder names on its `#!` line.
pub const INTERPRETER: &str = "/usr/lib/agentos/command";

/// Most names one skeleton lists (more are left out, the lowest sorting first kept).
const MAX_NAMES: usize = 4096;

/// Most command sets one process keeps a directory for.
pub(crate) const MAX_SETS: usize = 64;

/// The directory of each set of names made so far, by the set's key.
static SETS: Mutex<BTreeMap<u64, PathBuf>> = Mutex::new(BTreeMap::new());

/// The command names a guest's `/bin` and `/usr/bin` list: sorted, unique, each
/// a plain file name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandNames {
    names: Arc<[String]>,
    key: u64,
}

impl CommandNames {
    /// The plain names among `names` (no `/`, NUL, `.` or `..`; not empty).
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let mut names: Vec<String> = names.into_iter().filter(|n| is_plain(n)).collect();
        names.sort_unstable();
        names.dedup();
        names.truncate(MAX_NAMES);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        names.hash(&mut hasher);
        Self {
            names: names.into(),
            key: hasher.finish(),
        }
    }

    /// The names, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// A digest of the names (names the directory).
    #[cfg(test)]
    pub(crate) fn key(&self) -> u64 {
        self.key
    }
}

fn is_plain(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\0'])
}

/// The directory listing `names` (made when missing); `None` when there are no names or
/// [`MAX_SETS`] directories exist already.
///
/// # Errors
/// When the directory cannot be made.
pub(crate) fn directory(names: &CommandNames) -> io::Result<Option<PathBuf>> {
    if names.names.is_empty() {
        return Ok(None);
    }
    let mut sets = SETS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(dir) = sets.get(&names.key) {
        return Ok(Some(dir.clone()));
    }
    if sets.len() >= MAX_SETS {
        return Ok(None);
    }
    let dir = crate::skeletons::in_store(|store| {
        let dir = store.join(format!("commands-{:016x}", names.key));
        let fresh = store.join("commands.new");
        let _ = std::fs::remove_dir_all(&fresh);
        std::fs::DirBuilder::new().mode(0o755).create(&fresh)?;
        for name in names.names() {
            make_placeholder(&fresh.join(name), name)?;
        }
        std::fs::rename(&fresh, &dir)?;
        Ok(dir)
    })?;
    sets.insert(names.key, dir.clone());
    Ok(Some(dir))
}

/// Makes `path`, the placeholder of command `name`.
fn make_placeholder(path: &Path, name: &str) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o555)
        .open(path)?;
    writeln!(file, "#!{INTERPRETER} {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_unique_and_plain() {
        let names = CommandNames::new(
            ["sh", "ls", "a/b", "", ".", "..", "ls", "x\0y", "env"].map(String::from),
        );
        assert_eq!(names.names(), ["env", "ls", "sh"]);
    }

    #[test]
    fn the_same_names_in_any_order_have_one_key() {
        let a = CommandNames::new(["ls", "env"].map(String::from));
        let b = CommandNames::new(["env", "ls", "env"].map(String::from));
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), CommandNames::default().key());
    }
}
