//! `chmod`: GNU's options, modes and messages, over the sandbox's permission bits
//! (`agentos-fsmode`).
//!
//! Ours rather than uutils': `uu_chmod` reads and sets modes through std's Unix extensions and
//! walks trees with `openat`, none of which WASI has; the mode language itself is uucore's
//! (`uucore::mode::parse_chmod`, as `uu_chmod` uses it). The sandbox has no umask: 022, as
//! uucore answers on WASI. Set-id and sticky bits are refused by the sandbox.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use agentos_fsmode::{mode as mode_of, set_mode};

use crate::cli::io_error;
use uucore::display::Quotable;
use uucore::mode::{get_umask, parse_chmod};

const USAGE: &str = "Usage: chmod [OPTION]... MODE[,MODE]... FILE...\n  or:  chmod [OPTION]... OCTAL-MODE FILE...\n  or:  chmod [OPTION]... --reference=RFILE FILE...\nChange the mode of each FILE to MODE.\n\n  -c, --changes          like verbose but report only when a change is made\n  -f, --silent, --quiet  suppress most error messages\n  -v, --verbose          output a diagnostic for every file processed\n      --reference=RFILE  use RFILE's mode instead of specifying MODE values\n  -R, --recursive        change files and directories recursively\n      --help             display this help and exit\n";

/// What to report per file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Report {
    Errors,
    Quiet,
    Changes,
    Verbose,
}

/// Where the new mode comes from.
enum Change {
    Spec(String),
    Reference(u32),
}

struct Chmod {
    report: Report,
    recursive: bool,
    change: Change,
    umask: u32,
    ok: bool,
}

/// `chmod`.
pub fn main(argv: Vec<OsString>) -> i32 {
    let args = crate::cli::operands(argv);
    match parse(&args) {
        Ok(Some((mut chmod, files))) => {
            for file in &files {
                chmod.file(Path::new(file), true);
            }
            i32::from(!chmod.ok)
        }
        Ok(None) => print(USAGE),
        Err(msg) => {
            let _ = writeln!(
                io::stderr(),
                "chmod: {msg}\nTry 'chmod --help' for more information."
            );
            1
        }
    }
}

fn print(text: &str) -> i32 {
    i32::from(io::stdout().write_all(text.as_bytes()).is_err())
}

/// A `-x`, `-w,u+r`, `-022`: a mode, not options (GNU accepts these where options go).
fn is_mode_word(arg: &str) -> bool {
    arg.len() > 1
        && arg[1..]
            .chars()
            .all(|c| "rwxXstugoa,+-=01234567".contains(c))
}

/// The options and the files; `None` for `--help`.
fn parse(args: &[String]) -> Result<Option<(Chmod, Vec<String>)>, String> {
    let (mut report, mut recursive, mut reference) = (Report::Errors, false, None);
    let mut words = Vec::new();
    let mut options_done = false;
    for arg in args {
        if options_done || !arg.starts_with('-') || arg == "-" || is_mode_word(arg) {
            words.push(arg.clone());
            continue;
        }
        match arg.as_str() {
            "--" => options_done = true,
            "--help" => return Ok(None),
            "--changes" => report = Report::Changes,
            "--silent" | "--quiet" => report = Report::Quiet,
            "--verbose" => report = Report::Verbose,
            "--recursive" => recursive = true,
            "--preserve-root" | "--no-preserve-root" => {}
            long if long.starts_with("--reference=") => {
                reference = Some(long["--reference=".len()..].to_string());
            }
            long if long.starts_with("--") => {
                return Err(format!("unrecognized option '{long}'"));
            }
            short => {
                for c in short[1..].chars() {
                    match c {
                        'c' => report = Report::Changes,
                        'f' => report = Report::Quiet,
                        'v' => report = Report::Verbose,
                        'R' => recursive = true,
                        other => return Err(format!("invalid option -- '{other}'")),
                    }
                }
            }
        }
    }
    let change = match reference {
        Some(r) => Change::Reference(mode_of(Path::new(&r), true).map_err(|e| {
            format!(
                "failed to get attributes of {}: {}",
                r.quote(),
                io_error(&e)
            )
        })?),
        None if words.is_empty() => return Err("missing operand".into()),
        None => Change::Spec(words.remove(0)),
    };
    if words.is_empty() {
        return Err(match &change {
            Change::Spec(spec) => format!("missing operand after {}", spec.quote()),
            Change::Reference(_) => "missing operand".into(),
        });
    }
    if let Change::Spec(spec) = &change {
        parse_chmod(0o644, spec, false, 0)
            .map_err(|_| format!("invalid mode: {}", spec.quote()))?;
    }
    let chmod = Chmod {
        report,
        recursive,
        change,
        umask: get_umask(),
        ok: true,
    };
    Ok(Some((chmod, words)))
}

impl Chmod {
    /// Changes `path` (and beneath it with `-R`). Symlinks named on the command line are
    /// followed; those met while recursing are left alone, as GNU does.
    fn file(&mut self, path: &Path, named: bool) {
        let meta = if named {
            fs::metadata(path)
        } else {
            fs::symlink_metadata(path)
        };
        let meta = match meta {
            Ok(m) => m,
            Err(e) => {
                return self.fail(&format!("cannot access {}: {}", path.quote(), io_error(&e)));
            }
        };
        if meta.file_type().is_symlink() {
            if self.report == Report::Verbose {
                self.say(&format!(
                    "neither symbolic link {} nor referent has been changed",
                    path.quote()
                ));
            }
            return;
        }
        self.set(path, meta.is_dir());
        if self.recursive && meta.is_dir() {
            self.beneath(path);
        }
    }

    fn set(&mut self, path: &Path, is_dir: bool) {
        let old = match mode_of(path, true) {
            Ok(m) => m,
            Err(e) => {
                return self.fail(&format!("cannot access {}: {}", path.quote(), io_error(&e)));
            }
        };
        let (new, naive) = match &self.change {
            Change::Reference(m) => (*m, *m),
            Change::Spec(spec) => (
                parse_chmod(old, spec, is_dir, self.umask).unwrap_or(old),
                parse_chmod(old, spec, is_dir, 0).unwrap_or(old),
            ),
        };
        // As GNU: set even when nothing changes (a read-only file system says so).
        if let Err(e) = set_mode(path, new, true) {
            let msg = format!("changing permissions of {}: {}", path.quote(), io_error(&e));
            return self.fail(&msg);
        }
        let (q, o, n) = (path.quote(), describe(old), describe(new));
        match self.report {
            Report::Verbose if new == old => self.say(&format!("mode of {q} retained as {o}")),
            Report::Verbose | Report::Changes if new != old => {
                self.say(&format!("mode of {q} changed from {o} to {n}"));
            }
            _ => {}
        }
        if new & !naive & 0o7777 != 0 && self.report != Report::Quiet {
            let (got, wanted) = (rwx(new), rwx(naive));
            let _ = writeln!(
                io::stderr(),
                "chmod: {}: new permissions are {got}, not {wanted}",
                path.maybe_quote()
            );
            self.ok = false;
        }
    }

    fn beneath(&mut self, dir: &Path) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                return self.fail(&format!(
                    "cannot read directory {}: {}",
                    dir.quote(),
                    io_error(&e)
                ));
            }
        };
        for entry in entries {
            match entry {
                Ok(entry) => self.file(&entry.path(), false),
                Err(e) => self.fail(&format!(
                    "reading directory {}: {}",
                    dir.quote(),
                    io_error(&e)
                )),
            }
        }
    }

    fn say(&self, line: &str) {
        let _ = writeln!(io::stdout(), "{line}");
    }

    fn fail(&mut self, msg: &str) {
        self.ok = false;
        if self.report != Report::Quiet {
            let _ = io::stdout().flush();
            let _ = writeln!(io::stderr(), "chmod: {msg}");
        }
    }
}

/// `0755 (rwxr-xr-x)`, as GNU's verbose lines show a mode.
fn describe(mode: u32) -> String {
    format!("{:04o} ({})", mode & 0o7777, rwx(mode))
}

/// The nine `rwx` letters of `mode`, with `s`/`S` and `t`/`T` for the set-id and sticky bits.
fn rwx(mode: u32) -> String {
    let mut out = String::with_capacity(9);
    for (shift, special, letter) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(match (bits & 1 != 0, mode & special != 0) {
            (true, true) => letter,
            (false, true) => letter.to_ascii_uppercase(),
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    out
}
