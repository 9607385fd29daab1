//! Resolves an exec's argv into what runs: the JS runner (`node`), a WASI command found as
//! `NAME.wasm` on the command path (with the mounts of its manifest, [`super::manifest`]), a
//! Node command found as `NAME.node` (a script `node` runs, with the mounts of its manifest:
//! `npm`, `npx`), a Python command found as `NAME.python` (a script `python3` runs: `pip`), or
//! an explicit `.wasm` file.

use std::path::PathBuf;
use std::sync::Arc;

use agentos_proto::ErrorCode;
use agentos_sandbox::Sandbox;

pub use super::command_path::Lookup;
pub(crate) use super::command_path::{Found, ListedNames, find_command};
use super::guest_files;
use super::manifest::{CommandMounts, ManifestError};
use super::node_options::node_options;
pub use super::script_command::NodeCommand;
use super::script_command::script_line;
use crate::modules::{Module, ModuleCache, ModuleError};

/// The command a Python command's script runs with.
const PYTHON: &str = "python3";

/// Path the guest sees as `process.execPath`.
pub const NODE_EXEC_PATH: &str = "/usr/bin/node";

/// argv[0] of a WASI module named by a guest path (a script's `./tool.wasm`): the path after
/// this prefix is read through the sandbox, and the guest sees the path as its argv[0].
pub const GUEST_MODULE_PREFIX: &str = "agentos:guest-module:";

/// How a JS guest's main code is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsMode {
    /// `node -e CODE`.
    Eval,
    /// `node -p CODE`: like eval, printing the completion value.
    Print,
    /// `node FILE`.
    File,
    /// `node` or `node - ARGS...`: the program is all of stdin, run as `-e` runs its code.
    Stdin,
    /// A `Call`: the source evaluates to a function the runner calls.
    Call,
    /// `node --test [PATTERNS...]`: the test runner over the files `argv` names (or finds).
    Test,
}

impl JsMode {
    /// The name the runner's `start(config)` expects.
    pub fn as_str(self) -> &'static str {
        match self {
            JsMode::Eval => "eval",
            JsMode::Print => "print",
            JsMode::File => "file",
            JsMode::Stdin => "stdin",
            JsMode::Call => "call",
            JsMode::Test => "test",
        }
    }
}

/// A JavaScript program ready for the runner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsMain {
    /// How `source` is run.
    pub mode: JsMode,
    /// The guest's code.
    pub source: String,
    /// Resource name for stack traces: `[eval]` or the script's path.
    pub filename: String,
    /// `process.argv`, Node-shaped.
    pub argv: Vec<String>,
    /// `process.execArgv`.
    pub exec_argv: Vec<String>,
    /// Call mode: JSON text of the input.
    pub input_json: Option<String>,
}

/// A WASI command ready for the wasm runner.
pub struct WasmMain {
    /// The validated module.
    pub module: Arc<Module>,
    /// The guest's argv.
    pub argv: Vec<String>,
    /// What the command's manifest mounts (`NAME.mounts` beside a host module).
    pub mounts: Option<CommandMounts>,
}

/// What an exec runs, or why it cannot.
pub enum Command {
    /// The JS runner.
    Js(JsMain),
    /// A WASI command.
    Wasm(WasmMain),
    /// A Node command, its script not yet read.
    Node(NodeCommand),
    /// The guest fails before running, as the real program would: message on stderr, exit code.
    Fails {
        /// Written to the guest's stderr.
        stderr: String,
        /// The exit code.
        code: i32,
    },
}

/// Why argv was refused outright.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CommandError {
    /// argv was empty.
    #[error("argv is empty")]
    EmptyArgv,
    /// `argv[0]` names no known command.
    #[error("{0}: command not found")]
    NotFound(String),
    /// The file is not a runnable WASI command.
    #[error(transparent)]
    Module(#[from] ModuleError),
    /// The command's manifest (`NAME.mounts`) is unreadable or names a bad mount.
    #[error("cannot run the command: {0}")]
    Manifest(#[from] ManifestError),
    /// A script command's file (`NAME.node`, `NAME.python`) is unreadable or names no script.
    #[error("cannot run the command: {0}")]
    ScriptFile(String),
}

impl CommandError {
    /// The wire code and the shell-style exit code (127 not found, 126 cannot execute).
    pub fn codes(&self) -> (ErrorCode, i32) {
        match self {
            CommandError::EmptyArgv => (ErrorCode::BadArgument, 127),
            CommandError::NotFound(_) | CommandError::Module(ModuleError::Io { .. }) => {
                (ErrorCode::CommandNotFound, 127)
            }
            CommandError::Module(ModuleError::NativeBinary(_)) => (ErrorCode::NativeBinary, 126),
            CommandError::Module(_) | CommandError::Manifest(_) | CommandError::ScriptFile(_) => {
                (ErrorCode::InvalidModule, 126)
            }
        }
    }
}

/// Resolves `argv`; `node FILE` reads FILE through `sandbox`, relative to the guest's `cwd`;
/// WASI modules come from `modules`.
///
/// # Errors
/// [`CommandError`] when argv is empty, names no command, or names an unrunnable file.
pub fn resolve(
    argv: &[String],
    cwd: &str,
    lookup: &Lookup<'_>,
    sandbox: &mut Sandbox,
    modules: &ModuleCache,
) -> Result<Command, CommandError> {
    let (program, args) = argv.split_first().ok_or(CommandError::EmptyArgv)?;
    if program == "node" || program == "nodejs" {
        return Ok(parse_node(args, cwd, sandbox));
    }
    if let Some(path) = program.strip_prefix(GUEST_MODULE_PREFIX) {
        let module = guest_module(path, sandbox, modules)?;
        let mut argv = argv.to_vec();
        argv[0] = path.to_string();
        return Ok(Command::Wasm(WasmMain {
            module,
            argv,
            // A module in the guest's files has no manifest: the guest could have written one.
            mounts: None,
        }));
    }
    let found =
        find_command(program, lookup).ok_or_else(|| CommandError::NotFound(program.clone()))?;
    let (file, argv) = match found {
        Found::Wasm(file) => (file, argv.to_vec()),
        Found::Python(file) => python_command(&file, &argv[1..], lookup)?,
        Found::Node(file) => {
            let mounts = CommandMounts::of_module(&file)?;
            let mut args = vec![script_line(&file).map_err(CommandError::ScriptFile)?];
            args.extend(argv[1..].iter().cloned());
            return Ok(Command::Node(NodeCommand { args, mounts }));
        }
    };
    // The manifest first: it is small, the module may be 95 MB to read and validate.
    let mounts = CommandMounts::of_module(&file)?;
    let module = modules.load(&file)?;
    Ok(Command::Wasm(WasmMain {
        module,
        argv,
        mounts,
    }))
}

/// `python3`'s module file and `python3 SCRIPT ARGS...` for a Python command's file: `python3`
/// as the command path has it (a module, never another script command), whose manifest mounts
/// the script.
fn python_command(
    file: &std::path::Path,
    args: &[String],
    lookup: &Lookup<'_>,
) -> Result<(PathBuf, Vec<String>), CommandError> {
    let script = script_line(file).map_err(CommandError::ScriptFile)?;
    let Some(Found::Wasm(python)) = find_command(PYTHON, lookup) else {
        return Err(CommandError::NotFound(PYTHON.into()));
    };
    let mut argv = vec![PYTHON.to_string(), script];
    argv.extend(args.iter().cloned());
    Ok((python, argv))
}

/// The WASI module at absolute guest path `path`, read through `sandbox`.
fn guest_module(
    path: &str,
    sandbox: &mut Sandbox,
    modules: &ModuleCache,
) -> Result<Arc<Module>, CommandError> {
    let io = |errno: agentos_sandbox::Errno| ModuleError::Io {
        path: path.into(),
        reason: errno.name().into(),
    };
    let stat = guest_files::stat(sandbox, path).map_err(io)?;
    let key = PathBuf::from(format!("{GUEST_MODULE_PREFIX}{path}"));
    let fingerprint = crate::modules::Fingerprint::of_guest(&stat);
    let read = || guest_files::read(sandbox, path).map_err(|e| e.name().to_string());
    Ok(modules.load_guest(&key, path, fingerprint, read)?)
}

/// `node ARGS` of a Node command, read through `sandbox` (which holds its manifest's mounts).
pub fn node_command(node: &NodeCommand, cwd: &str, sandbox: &mut Sandbox) -> Command {
    parse_node(&node.args, cwd, sandbox)
}

fn parse_node(args: &[String], cwd: &str, sandbox: &mut Sandbox) -> Command {
    let (options, input_type, args) = match node_options(args) {
        Ok(parsed) => parsed,
        Err(message) => return bad_option(message),
    };
    if options.iter().any(|o| o == "--test") {
        return test_runner(args, options);
    }
    let (mode, rest) = match args.split_first() {
        Some((flag, rest)) if flag == "-e" || flag == "--eval" => (JsMode::Eval, rest),
        Some((flag, rest)) if flag == "-p" || flag == "--print" => (JsMode::Print, rest),
        Some((flag, _)) if flag == "-v" || flag == "--version" => return version(options),
        Some((flag, _)) if flag.starts_with('-') && flag.len() > 1 && flag != "--" => {
            return bad_option(&format!("bad option: {flag}"));
        }
        _ if input_type && !reads_stdin(args) => {
            return bad_option(
                "--input-type can only be used with string input via --eval, --print, or STDIN",
            );
        }
        Some((dashdash, rest)) if dashdash == "--" => {
            return program_file(rest, cwd, sandbox, options);
        }
        _ => return program_file(args, cwd, sandbox, options),
    };
    let flag = &args[0];
    let Some((code, script_args)) = rest.split_first() else {
        return bad_option(&format!("{flag} requires an argument"));
    };
    let mut argv = vec![NODE_EXEC_PATH.to_string()];
    argv.extend(script_args.iter().cloned());
    let mut exec_argv = options;
    exec_argv.extend([flag.clone(), code.clone()]);
    Command::Js(JsMain {
        mode,
        source: code.clone(),
        filename: "[eval]".into(),
        argv,
        exec_argv,
        input_json: None,
    })
}

/// `node -v`/`--version`: the runner prints its `process.version` (one place names it).
fn version(exec_argv: Vec<String>) -> Command {
    Command::Js(JsMain {
        mode: JsMode::Eval,
        source: "process.stdout.write(`${process.version}\\n`)".into(),
        filename: "[eval]".into(),
        argv: vec![NODE_EXEC_PATH.to_string()],
        exec_argv,
        input_json: None,
    })
}

/// `node --test [PATTERNS...]`: every argument after the options is a test file, directory or
/// glob (none: the files Node's default patterns find under the working directory).
fn test_runner(patterns: &[String], exec_argv: Vec<String>) -> Command {
    let mut argv = vec![NODE_EXEC_PATH.to_string()];
    argv.extend(patterns.iter().cloned());
    Command::Js(JsMain {
        mode: JsMode::Test,
        source: String::new(),
        filename: "[test]".into(),
        argv,
        exec_argv,
        input_json: None,
    })
}

fn program_file(
    args: &[String],
    cwd: &str,
    sandbox: &mut Sandbox,
    exec_argv: Vec<String>,
) -> Command {
    match args.split_first() {
        Some((dash, rest)) if dash == "-" => stdin_program(Some(rest), exec_argv),
        Some((file, rest)) => load_file(file, rest, cwd, sandbox, exec_argv),
        None => stdin_program(None, exec_argv),
    }
}

/// Whether `node OPTIONS ARGS` takes its program from stdin: no file, or `-`.
fn reads_stdin(args: &[String]) -> bool {
    args.first().is_none_or(|a| a == "-")
}

/// `node` (`args` None) or `node - ARGS...`: the runner reads stdin to its end, then runs it as
/// Node does (`[stdin]` in stack traces, the builtins as globals, `process.argv[1]` is `-`).
fn stdin_program(args: Option<&[String]>, exec_argv: Vec<String>) -> Command {
    let mut argv = vec![NODE_EXEC_PATH.to_string()];
    if let Some(args) = args {
        argv.push("-".into());
        argv.extend(args.iter().cloned());
    }
    Command::Js(JsMain {
        mode: JsMode::Stdin,
        source: String::new(),
        filename: "[stdin]".into(),
        argv,
        exec_argv,
        input_json: None,
    })
}

fn load_file(
    file: &str,
    rest: &[String],
    cwd: &str,
    sandbox: &mut Sandbox,
    exec_argv: Vec<String>,
) -> Command {
    let given = guest_files::absolute(cwd, file);
    let (path, read) = read_main(sandbox, &given);
    let source = match read {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(source) => source,
            Err(_) => return cannot_load(&path, "not valid UTF-8"),
        },
        Err(errno) => return cannot_load(&path, errno.name()),
    };
    let mut argv = vec![NODE_EXEC_PATH.to_string(), path.clone()];
    argv.extend(rest.iter().cloned());
    Command::Js(JsMain {
        mode: JsMode::File,
        source,
        filename: path,
        argv,
        exec_argv,
        input_json: None,
    })
}

/// Where Node looks for a main module named `given` when no file has exactly that name: with
/// `.js` added, then a directory's `index.js` (Node's `.json` and `.node` mains are not run
/// here, nor a directory's package.json `main`).
const MAIN_SUFFIXES: &[&str] = &[".js", "/index.js"];

/// The main module at `given` as Node finds it (the name as given, else [`MAIN_SUFFIXES`]): its
/// path and bytes, or the error of reading the name as given.
fn read_main(
    sandbox: &mut Sandbox,
    given: &str,
) -> (String, Result<Vec<u8>, agentos_sandbox::Errno>) {
    let first = guest_files::read(sandbox, given);
    if first.is_ok() {
        return (given.to_string(), first);
    }
    for suffix in MAIN_SUFFIXES {
        let path = format!("{}{suffix}", given.trim_end_matches('/'));
        if let Ok(bytes) = guest_files::read(sandbox, &path) {
            return (path, Ok(bytes));
        }
    }
    (given.to_string(), first)
}

fn cannot_load(path: &str, reason: &str) -> Command {
    // A missing main is Node's MODULE_NOT_FOUND error, as Node prints it; any other failure
    // names its reason.
    let error = match reason {
        "NOENT" | "NOTDIR" | "ISDIR" => format!(
            "Error: Cannot find module '{path}' {{\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}}"
        ),
        _ => format!("Error: Cannot find module '{path}' ({reason})"),
    };
    Command::Fails {
        stderr: format!("node:internal/modules/cjs/loader\n  throw err;\n  ^\n\n{error}\n"),
        code: 1,
    }
}

fn bad_option(message: &str) -> Command {
    Command::Fails {
        stderr: format!("node: {message}\n"),
        code: 9,
    }
}

#[cfg(test)]
#[path = "command_tests.rs"]
mod tests;
