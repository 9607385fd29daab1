//! The builtins. Each takes the shell and its expanded argv (with `argv[0]`), writes through
//! the shell's fds, and returns its status.

mod aliases;
pub(crate) mod attrs;
mod compgen;
mod core;
mod dirstack;
mod flow;
mod functions;
pub(crate) mod getopts;
pub(crate) mod jobs;
pub(crate) mod lookup;
mod mapfile;
mod printf;
mod read;
pub(crate) mod shopt;
mod strftime;
mod test;
mod trap;
pub(crate) mod vars;

use crate::shell::{Res, Shell};

pub(crate) use flow::run_text;

/// A builtin.
pub(crate) type Builtin = fn(&mut Shell, &[String]) -> Res<i32>;

/// The option letters of `argv` (`-ab -c`, up to `--` or the first operand) and the index of
/// its first operand.
pub(crate) fn option_letters(argv: &[String]) -> (Vec<char>, usize) {
    let (mut letters, mut i) = (Vec::new(), 1);
    while let Some(a) = argv.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        i += 1;
        if a == "--" {
            break;
        }
        letters.extend(a[1..].chars());
    }
    (letters, i)
}

/// POSIX special builtins (their prefix assignments stay in `sh`).
const SPECIAL: &[&str] = &[
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
    "shift", "trap", "unset",
];

/// The builtin called `name`.
pub(crate) fn find(name: &str) -> Option<Builtin> {
    Some(match name {
        ":" | "true" => |_, _| Ok(0),
        "false" => |_, _| Ok(1),
        "echo" => core::echo,
        "pwd" => core::pwd,
        "cd" => core::cd,
        "pushd" => dirstack::pushd,
        "popd" => dirstack::popd,
        "dirs" => dirstack::dirs,
        "builtin" => builtin,
        "caller" => crate::callstack::caller,
        "compgen" => compgen::compgen,
        "printf" => printf::printf,
        "read" => read::read,
        "test" | "[" => test::test,
        "export" => vars::export,
        "readonly" => vars::readonly,
        "unset" => vars::unset,
        "local" => vars::local,
        "declare" | "typeset" => vars::declare,
        "set" => vars::set,
        "shift" => vars::shift,
        "exit" => flow::exit,
        "return" => flow::return_,
        "break" => flow::break_,
        "continue" => flow::continue_,
        "eval" => flow::eval,
        "source" | "." => flow::source,
        "exec" => flow::exec,
        "command" => lookup::command,
        "type" => lookup::type_,
        "wait" => core::wait,
        "trap" => trap::trap,
        "let" => core::let_,
        "kill" => core::kill,
        "getopts" => getopts::getopts,
        "mapfile" | "readarray" => mapfile::mapfile,
        "shopt" => shopt::shopt,
        "hash" => lookup::hash,
        "jobs" => jobs::jobs,
        "disown" => jobs::disown,
        "fg" | "bg" => jobs::no_job_control,
        "umask" => attrs::umask,
        "ulimit" => attrs::ulimit,
        "alias" => aliases::alias,
        "unalias" => aliases::unalias,
        _ => return None,
    })
}

/// Every builtin's name, sorted (`compgen -b`).
pub(crate) const NAMES: &[&str] = &[
    ".",
    ":",
    "[",
    "alias",
    "bg",
    "break",
    "builtin",
    "caller",
    "cd",
    "command",
    "compgen",
    "continue",
    "declare",
    "dirs",
    "disown",
    "echo",
    "eval",
    "exec",
    "exit",
    "export",
    "false",
    "fg",
    "getopts",
    "hash",
    "jobs",
    "kill",
    "let",
    "local",
    "mapfile",
    "popd",
    "printf",
    "pushd",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "test",
    "trap",
    "true",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
];

/// `builtin NAME [ARG...]`: runs the builtin NAME, even where a function has its name.
fn builtin(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let Some(name) = argv.get(1) else {
        return Ok(0);
    };
    match find(name) {
        Some(run) => run(sh, &argv[1..]),
        None => sh.builtin_error("builtin", &format!("{name}: not a shell builtin"), 1),
    }
}

/// Whether `name` is a POSIX special builtin.
pub(crate) fn is_special(name: &str) -> bool {
    SPECIAL.contains(&name)
}

/// Shell keywords, for `type` and `command -v`.
pub(crate) const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done",
    "in", "function", "select", "time", "{", "}", "!", "[[", "]]", "coproc",
];

impl Shell {
    /// Writes `text` to stdout; on failure prints bash's `NAME: write error` and is status 1.
    pub fn print(&mut self, name: &str, text: &str) -> Res<i32> {
        match self.out(text)? {
            Ok(()) => Ok(0),
            Err(e) => {
                self.error(&format!("{name}: write error: {e}"))?;
                Ok(1)
            }
        }
    }

    /// Prints `NAME: msg` as a builtin's error; returns `status`.
    pub fn builtin_error(&mut self, name: &str, msg: &str, status: i32) -> Res<i32> {
        self.error(&format!("{name}: {msg}"))?;
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_listed_name_is_a_builtin_and_the_list_is_sorted() {
        for name in super::NAMES {
            assert!(super::find(name).is_some(), "{name}");
        }
        assert!(super::NAMES.is_sorted());
    }
}
