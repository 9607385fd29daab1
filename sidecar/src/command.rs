//! Resolves an exec's argv into what runs: today the JS runner; WASI commands join later.

use std::path::{Path, PathBuf};

/// Largest guest script the sidecar reads from disk.
const MAX_SCRIPT_BYTES: u64 = 64 << 20;

/// Path the guest sees as `process.execPath`.
pub const NODE_EXEC_PATH: &str = "/usr/bin/node";

/// How a JS guest's main code is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsMode {
    /// `node -e CODE`.
    Eval,
    /// `node -p CODE`: like eval, printing the completion value.
    Print,
    /// `node FILE`.
    File,
}

impl JsMode {
    /// The name the runner's `start(config)` expects.
    pub fn as_str(self) -> &'static str {
        match self {
            JsMode::Eval => "eval",
            JsMode::Print => "print",
            JsMode::File => "file",
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
}

/// What an exec runs, or why it cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The JS runner.
    Js(JsMain),
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
    /// argv[0] names no known command.
    #[error("{0}: command not found")]
    NotFound(String),
}

/// Resolves `argv`; `cwd` is where `node FILE` finds FILE.
///
/// # Errors
/// [`CommandError`] when argv is empty or names no command.
pub fn resolve(argv: &[String], cwd: &str) -> Result<Command, CommandError> {
    let (program, args) = argv.split_first().ok_or(CommandError::EmptyArgv)?;
    match program.as_str() {
        "node" | "nodejs" => Ok(parse_node(args, cwd)),
        other => Err(CommandError::NotFound(other.to_string())),
    }
}

fn parse_node(args: &[String], cwd: &str) -> Command {
    let (mode, rest) = match args.split_first() {
        Some((flag, rest)) if flag == "-e" || flag == "--eval" => (JsMode::Eval, rest),
        Some((flag, rest)) if flag == "-p" || flag == "--print" => (JsMode::Print, rest),
        Some((dashdash, rest)) if dashdash == "--" => return program_file(rest, cwd),
        Some((flag, _)) if flag.starts_with('-') && flag.len() > 1 => {
            return bad_option(&format!("bad option: {flag}"));
        }
        _ => return program_file(args, cwd),
    };
    let flag = &args[0];
    let Some((code, script_args)) = rest.split_first() else {
        return bad_option(&format!("{flag} requires an argument"));
    };
    let mut argv = vec![NODE_EXEC_PATH.to_string()];
    argv.extend(script_args.iter().cloned());
    Command::Js(JsMain {
        mode,
        source: code.clone(),
        filename: "[eval]".into(),
        argv,
        exec_argv: vec![flag.clone(), code.clone()],
    })
}

fn program_file(args: &[String], cwd: &str) -> Command {
    match args.split_first() {
        Some((file, rest)) => load_file(file, rest, cwd, Vec::new()),
        None => bad_option("reading a program from stdin is not supported; use -e CODE or FILE"),
    }
}

fn load_file(file: &str, rest: &[String], cwd: &str, exec_argv: Vec<String>) -> Command {
    let path = absolute(cwd, file);
    let shown = path.display().to_string();
    let source = match read_bounded(&path) {
        Ok(source) => source,
        Err(reason) => {
            return Command::Fails {
                stderr: format!(
                    "node:internal/modules/cjs/loader\n\nError: Cannot find module '{shown}' ({reason})\n"
                ),
                code: 1,
            };
        }
    };
    let mut argv = vec![NODE_EXEC_PATH.to_string(), shown.clone()];
    argv.extend(rest.iter().cloned());
    Command::Js(JsMain {
        mode: JsMode::File,
        source,
        filename: shown,
        argv,
        exec_argv,
    })
}

fn absolute(cwd: &str, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        Path::new(cwd).join(path)
    }
}

fn read_bounded(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.kind().to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_SCRIPT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.kind().to_string())?;
    if bytes.len() as u64 > MAX_SCRIPT_BYTES {
        return Err(format!("larger than {MAX_SCRIPT_BYTES} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_string())
}

fn bad_option(message: &str) -> Command {
    Command::Fails {
        stderr: format!("node: {message}\n"),
        code: 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn eval_with_args() {
        let Ok(Command::Js(main)) = resolve(&argv(&["node", "-e", "1", "a", "b"]), "/") else {
            panic!("expected a JS main");
        };
        assert_eq!(main.mode, JsMode::Eval);
        assert_eq!(main.source, "1");
        assert_eq!(main.argv, argv(&[NODE_EXEC_PATH, "a", "b"]));
        assert_eq!(main.exec_argv, argv(&["-e", "1"]));
    }

    #[test]
    fn unknown_command_and_empty_argv() {
        assert_eq!(
            resolve(&argv(&["nope"]), "/"),
            Err(CommandError::NotFound("nope".into()))
        );
        assert_eq!(resolve(&[], "/"), Err(CommandError::EmptyArgv));
    }

    #[test]
    fn bad_node_options_fail_like_node() {
        for parts in [&["node", "--inspect"][..], &["node", "-e"], &["node"]] {
            let Ok(Command::Fails { code, stderr }) = resolve(&argv(parts), "/") else {
                panic!("expected a failing command for {parts:?}");
            };
            assert_eq!(code, 9);
            assert!(stderr.starts_with("node: "));
        }
    }

    #[test]
    fn file_is_read_relative_to_cwd() {
        let dir = std::env::temp_dir().join(format!("agentos-cmd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.js"), "console.log(1)").unwrap();
        let cwd = dir.to_str().unwrap();
        let Ok(Command::Js(main)) = resolve(&argv(&["node", "main.js", "x"]), cwd) else {
            panic!("expected a JS main");
        };
        assert_eq!(main.mode, JsMode::File);
        assert_eq!(main.source, "console.log(1)");
        assert_eq!(main.argv[2], "x");
        let Ok(Command::Fails { code: 1, .. }) = resolve(&argv(&["node", "missing.js"]), cwd)
        else {
            panic!("expected a missing-module failure");
        };
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
