//! What a command word of a script names: the shell itself, `node`, a WASI command of the
//! command path, or a file in the guest's mounts (a script with `#!`, a script without one,
//! a `.wasm` module). A path is always a guest path: resolved beneath the mounts, never on the
//! host. `/bin/NAME` and `/usr/bin/NAME` name command NAME unless a mount has such a file.
//!
//! A bare name is searched along `$PATH` as bash does: the command set stands in for the
//! standard directories (`/bin`, `/usr/bin`, ...; the guest's `/bin` and `/usr/bin` list it,
//! each name a file saying `#!COMMAND_INTERPRETER NAME`), and a directory of the mounts is
//! searched for an executable file (`node_modules/.bin`, a project's `bin`). The command set is
//! looked in last when `$PATH` names none of the standard directories (or is unset).

use agentos_sandbox::COMMAND_INTERPRETER;
use agentos_shell::{FileKind, FileSystem, FsError, OpenMode, SandboxFs, SpawnError, is_shell};

use crate::Dispatch;
use crate::job::Setting;
use crate::job::command::{self, Lookup, NODE_EXEC_PATH};

/// The argv[0] prefix that marks a guest-path WASI module for the child's job.
pub use crate::job::command::GUEST_MODULE_PREFIX;

/// Bytes of a file read to tell a `#!` line or a wasm module.
const HEAD: usize = 256;

/// The `$PATH` directories the command set stands for.
const STANDARD_DIRS: [&str; 6] = [
    "/bin",
    "/usr/bin",
    "/usr/local/bin",
    "/sbin",
    "/usr/sbin",
    "/usr/local/sbin",
];

/// What a command word names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The shell: argv[0] is replaced by `argv` (`[sh, FILE]` for a script file).
    Shell {
        /// What `command -v` prints.
        shown: String,
        /// Replaces argv[0].
        argv: Vec<String>,
    },
    /// A guest job: argv[0] is replaced by `argv`.
    Guest {
        /// What `command -v` prints.
        shown: String,
        /// Replaces argv[0].
        argv: Vec<String>,
    },
}

/// Where a command word is resolved: the caller's working directory and `$PATH`.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The working directory (absolute guest path).
    pub cwd: &'a str,
    /// The value of `$PATH`, when set.
    pub path: Option<&'a str>,
}

impl<'a> Place<'a> {
    /// `cwd` with the `PATH` of `env`.
    pub fn of(cwd: &'a str, env: &'a [(String, String)]) -> Self {
        let path = env.iter().rev().find(|(k, _)| k == "PATH");
        Place {
            cwd,
            path: path.map(|(_, v)| v.as_str()),
        }
    }
}

/// Resolves command word `name` for a script at `place`.
///
/// # Errors
/// [`SpawnError`] with bash's wording: not found (127), no such file (127), not executable
/// (126).
pub fn target(
    name: &str,
    place: Place<'_>,
    setting: &Setting,
    dispatch: &Dispatch,
    fs: &SandboxFs,
) -> Result<Target, SpawnError> {
    let cwd = place.cwd;
    if is_shell(name) {
        let shown = if name.contains('/') {
            name.to_string()
        } else {
            format!("{}/{name}", shown_dir(place))
        };
        return Ok(Target::Shell {
            shown,
            argv: vec![name.to_string()],
        });
    }
    if !name.contains('/') {
        return along_path(name, place, setting, dispatch, fs);
    }
    let path = absolute(cwd, name);
    match fs.stat(&path, true) {
        Err(FsError::NotFound) => {
            let base = ["/bin/", "/usr/bin/", "/usr/local/bin/"]
                .iter()
                .find_map(|dir| path.strip_prefix(dir))
                .filter(|b| !b.contains('/'));
            match base {
                Some(base) if is_shell(base) => target(base, place, setting, dispatch, fs),
                Some(base) => by_name(base, setting, dispatch).ok_or(SpawnError::NoSuchFile),
                None => Err(SpawnError::NoSuchFile),
            }
        }
        Err(e) => Err(SpawnError::NotExecutable(e.to_string())),
        Ok(meta) if meta.kind == FileKind::Directory => {
            Err(SpawnError::NotExecutable("Is a directory".into()))
        }
        Ok(meta) if !meta.executable => Err(SpawnError::NotExecutable("Permission denied".into())),
        Ok(_) => by_file(&path, setting, dispatch, fs).map(|t| t.shown_as(name)),
    }
}

impl Target {
    /// The same target, shown as `name` (bash prints a path as the script wrote it).
    fn shown_as(self, name: &str) -> Self {
        match self {
            Target::Shell { argv, .. } => Target::Shell {
                shown: name.into(),
                argv,
            },
            Target::Guest { argv, .. } => Target::Guest {
                shown: name.into(),
                argv,
            },
        }
    }
}

/// A bare name along `$PATH` (see the module's documentation).
fn along_path(
    name: &str,
    place: Place<'_>,
    setting: &Setting,
    dispatch: &Dispatch,
    fs: &SandboxFs,
) -> Result<Target, SpawnError> {
    let dirs = place.path.unwrap_or_default().split(':');
    // As bash: a file found but not executable is the answer only if nothing runnable is.
    let mut refused = None;
    // The standard directories all stand for the command set: it is asked once.
    let mut asked = false;
    let shown = format!("{}/{name}", shown_dir(place));
    for dir in dirs.filter(|d| !d.is_empty()) {
        if STANDARD_DIRS.contains(&dir.trim_end_matches('/')) {
            if !asked && let Some(target) = by_name(name, setting, dispatch) {
                return Ok(target.shown_as(&shown));
            }
            asked = true;
            continue;
        }
        let file = absolute(place.cwd, &format!("{}/{name}", dir.trim_end_matches('/')));
        match fs.stat(&file, true) {
            Ok(meta) if meta.kind != FileKind::Directory && meta.executable => {
                return by_file(&file, setting, dispatch, fs).map(|t| t.shown_as(&file));
            }
            Ok(meta) if meta.kind != FileKind::Directory => {
                refused.get_or_insert(SpawnError::NotExecutable("Permission denied".into()));
            }
            _ => {}
        }
    }
    let last = if asked {
        None
    } else {
        by_name(name, setting, dispatch).map(|t| t.shown_as(&shown))
    };
    last.ok_or(refused.unwrap_or(SpawnError::NotFound))
}

/// Where `command -v` says a command of the command set is: the first of the guest's `/usr/bin`
/// and `/bin` (both list the command set) along `$PATH`, or `/usr/bin` when neither is on it
/// (bash's and dash's default path has it before `/bin`).
fn shown_dir(place: Place<'_>) -> &'static str {
    let mut dirs = place.path.unwrap_or_default().split(':');
    dirs.find_map(|dir| match dir.trim_end_matches('/') {
        "/bin" => Some("/bin"),
        "/usr/bin" => Some("/usr/bin"),
        _ => None,
    })
    .unwrap_or("/usr/bin")
}

/// A command of the command path (or `node`), by name.
fn by_name(name: &str, setting: &Setting, dispatch: &Dispatch) -> Option<Target> {
    if name == "node" || name == "nodejs" {
        return Some(Target::Guest {
            shown: NODE_EXEC_PATH.into(),
            argv: vec!["node".into()],
        });
    }
    let lookup = Lookup {
        exec_dirs: &setting.command_dirs,
        path: &dispatch.ctx.command_path,
    };
    command::find_command(name, &lookup)?;
    Some(Target::Guest {
        shown: format!("/usr/bin/{name}"),
        argv: vec![name.to_string()],
    })
}

/// A file in the mounts: a wasm module, a `#!` script, or a shell script.
fn by_file(
    path: &str,
    setting: &Setting,
    dispatch: &Dispatch,
    fs: &SandboxFs,
) -> Result<Target, SpawnError> {
    let head = read_head(fs, path)?;
    if head.starts_with(b"\0asm") {
        return Ok(Target::Guest {
            shown: path.to_string(),
            argv: vec![format!("{GUEST_MODULE_PREFIX}{path}")],
        });
    }
    let Some(line) = head.strip_prefix(b"#!") else {
        // bash runs a text file without `#!` as a shell script.
        return Ok(Target::Shell {
            shown: path.to_string(),
            argv: vec!["sh".into(), path.to_string()],
        });
    };
    let line = String::from_utf8_lossy(line.split(|&b| b == b'\n').next().unwrap_or_default());
    let mut words = line.split_whitespace();
    let interpreter = words.next().unwrap_or_default();
    let program = interpreter.rsplit('/').next().unwrap_or_default();
    let mut args: Vec<String> = words.map(str::to_string).collect();
    if interpreter == COMMAND_INTERPRETER {
        return placeholder(args.first().map_or("", String::as_str), setting, dispatch);
    }
    if program == "env" && !args.is_empty() {
        let first = args.remove(0);
        return with_interpreter(&first, args, path, setting, dispatch);
    }
    with_interpreter(program, args, path, setting, dispatch)
}

/// A file of the guest's `/bin` (`#!COMMAND_INTERPRETER NAME`, `agentos_sandbox`'s
/// `commands.rs`): command NAME.
fn placeholder(name: &str, setting: &Setting, dispatch: &Dispatch) -> Result<Target, SpawnError> {
    let argv = vec![name.to_string()];
    if is_shell(name) {
        let shown = String::new();
        return Ok(Target::Shell { shown, argv });
    }
    by_name(name, setting, dispatch).ok_or_else(|| {
        SpawnError::NotExecutable(format!(
            "{COMMAND_INTERPRETER}: bad interpreter: no command {name}"
        ))
    })
}

fn with_interpreter(
    program: &str,
    args: Vec<String>,
    path: &str,
    setting: &Setting,
    dispatch: &Dispatch,
) -> Result<Target, SpawnError> {
    let base = program.rsplit('/').next().unwrap_or_default();
    let mut argv = vec![base.to_string()];
    argv.extend(args);
    argv.push(path.to_string());
    if is_shell(base) {
        return Ok(Target::Shell {
            shown: path.to_string(),
            argv,
        });
    }
    match by_name(base, setting, dispatch) {
        Some(_) => Ok(Target::Guest {
            shown: path.to_string(),
            argv,
        }),
        None => Err(SpawnError::NotExecutable(format!(
            "{program}: bad interpreter: No such file or directory"
        ))),
    }
}

fn read_head(fs: &SandboxFs, path: &str) -> Result<Vec<u8>, SpawnError> {
    let io = fs
        .open(path, OpenMode::READ)
        .map_err(|e| SpawnError::NotExecutable(e.to_string()))?;
    let mut head = vec![0u8; HEAD];
    let mut got = 0;
    while got < HEAD {
        match io.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(SpawnError::NotExecutable(e.to_string())),
        }
    }
    head.truncate(got);
    Ok(head)
}

/// `name` joined onto `cwd` (names are relative to the script's cwd).
fn absolute(cwd: &str, name: &str) -> String {
    if name.starts_with('/') {
        return name.to_string();
    }
    let cwd = cwd.trim_end_matches('/');
    format!("{cwd}/{name}")
}
