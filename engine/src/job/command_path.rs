//! The command path: where a command name is looked up (the exec's own directories, then the
//! sidecar's), and what a name names there: a WASI module `NAME.wasm`, a Node command
//! `NAME.node` or a Python command `NAME.python` (`script_command`).

use std::path::PathBuf;

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
