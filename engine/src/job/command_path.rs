//! The command path: where a command name is looked up (the exec's own directories, then the
//! sidecar's), and what a name names there: a WASI module `NAME.wasm`, a Node command
//! `NAME.node` or a Python command `NAME.python` (`script_command`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use agentos_sandbox::CommandNames;

/// Where commands are looked up: the exec's directories first, then the sidecar's path.
pub struct Lookup<'a> {
    /// Directories the exec named (a project-local path before the global one).
    pub exec_dirs: &'a [String],
    /// The sidecar's command path.
    pub path: &'a [PathBuf],
}

/// A command found on the command path.
pub(crate) enum Found {
    /// `NAME.wasm`.
    Wasm(PathBuf),
    /// `NAME.node`.
    Node(PathBuf),
    /// `NAME.python`.
    Python(PathBuf),
}

/// A `.wasm` path is taken as given (a host path, chosen by the host); a bare name is looked up
/// as `NAME.wasm`, then `NAME.node`, then `NAME.python`, in each directory in turn;
/// first match wins. Names with path syntax are never joined onto directories.
pub(crate) fn find_command(program: &str, lookup: &Lookup<'_>) -> Option<Found> {
    if program.ends_with(".wasm") && program.contains('/') {
        return Some(Found::Wasm(PathBuf::from(program)));
    }
    let plain = !program.is_empty()
        && !program.contains(['/', '\\', '\0'])
        && program != "."
        && program != "..";
    if !plain {
        return None;
    }
    let [wasm, node, python] = ["wasm", "node", "python"].map(|ext| format!("{program}.{ext}"));
    let exec_dirs = lookup.exec_dirs.iter().map(PathBuf::from);
    exec_dirs
        .chain(lookup.path.iter().cloned())
        .find_map(|dir| {
            let module = dir.join(&wasm);
            if module.is_file() {
                return Some(Found::Wasm(module));
            }
            let script = dir.join(&node);
            if script.is_file() {
                return Some(Found::Node(script));
            }
            let script = dir.join(&python);
            script.is_file().then_some(Found::Python(script))
        })
}

/// Names every command set has: the shell, `which` (run by the shell's crate) and `node`
/// (`/bin/sh`, `/usr/bin/which`, `/usr/bin/node`).
const ALWAYS_LISTED: [&str; 4] = ["bash", "node", "sh", "which"];

/// The command names the guest's `/bin` and `/usr/bin` list, read from the command path's
/// directories and kept while none of them changes (each is stat'ed per exec, never listed
/// again unless its modification time moved).
#[derive(Default)]
pub(crate) struct ListedNames {
    last: Mutex<Option<(Vec<DirState>, CommandNames)>>,
}

/// A directory of the command path and its modification time (`None`: unreadable).
type DirState = (PathBuf, Option<SystemTime>);

impl ListedNames {
    /// The names along `lookup`: `NAME` of every `NAME.wasm`, `NAME.node` and `NAME.python`,
    /// and the shell's and `node`.
    pub(crate) fn of(&self, lookup: &Lookup<'_>) -> CommandNames {
        let dirs: Vec<DirState> = (lookup.exec_dirs.iter().map(PathBuf::from))
            .chain(lookup.path.iter().cloned())
            .map(|dir| {
                let modified = std::fs::metadata(&dir).and_then(|m| m.modified()).ok();
                (dir, modified)
            })
            .collect();
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((seen, names)) = last.as_ref()
            && *seen == dirs
        {
            return names.clone();
        }
        let names = CommandNames::new(
            (dirs.iter())
                .flat_map(|(dir, _)| listed(dir))
                .chain(ALWAYS_LISTED.map(String::from)),
        );
        *last = Some((dirs, names.clone()));
        names
    }
}

/// The command names directory `dir` holds.
fn listed(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    (entries.flatten())
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let (stem, ext) = name.rsplit_once('.')?;
            ["wasm", "node", "python"]
                .contains(&ext)
                .then(|| stem.to_string())
        })
        .collect()
}
