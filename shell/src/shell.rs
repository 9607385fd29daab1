//! The interpreter's state for one shell process, and what every part of it shares.
//!
//! A `Shell` is one process: the main script, a subshell `( )`, a command substitution, a
//! pipeline stage or a background job. Forking clones it in memory ([`Shell::fork`]); what
//! all forks of one exec share lives in [`Ctx`] (the OS, the limits, the memory budget, the
//! process counts).

use std::collections::HashMap;
use std::sync::Arc;

use brush_parser::ast;

use crate::dynamic::Dynamic;
use crate::error::ShellError;
use crate::limits::{Budget, Limits, ProcessCounts};
use crate::os::{HighFd, Os, Pid};
use crate::stop::Stop;
use crate::stream::{Io, IoError, write_all};
use crate::vars::{SetError, Vars};

/// How control leaves a command other than by finishing: loops, functions, `exit`, and
/// fatal errors that end the whole exec.
#[derive(Debug)]
pub(crate) enum Flow {
    /// `break N` (levels left to leave).
    Break(usize),
    /// `continue N`.
    Continue(usize),
    /// `return N`.
    Return(i32),
    /// `exit N`, or an error that ends a non-interactive shell.
    Exit(i32),
    /// An error after which bash abandons the rest of the top-level command it is running (its
    /// "jump to top level": an arithmetic error, an assignment to a read-only variable) and
    /// goes on with the next one, its status this; `set -e` does not apply. `eval` and
    /// `source` texts are top levels of their own; a subshell exits with it.
    Abort(i32),
    /// The current command fails with this status (a redirection or expansion error); the
    /// script goes on.
    Fail(i32),
    /// A limit or a stop: ends every process of the exec.
    Fatal(ShellError),
}

impl From<ShellError> for Flow {
    fn from(e: ShellError) -> Self {
        Flow::Fatal(e)
    }
}

/// Result of running or expanding something.
pub(crate) type Res<T> = Result<T, Flow>;

/// What every fork of one exec's shell shares.
pub(crate) struct Ctx {
    pub os: Arc<dyn Os>,
    pub limits: Limits,
    pub budget: Arc<Budget>,
    pub procs: ProcessCounts,
    /// `sh` (POSIX parsing) rather than `bash`.
    pub posix: bool,
    /// How messages are prefixed.
    pub mode: MessageMode,
    /// The exec-wide stop flag (every fork's flag descends from it).
    pub root: Stop,
    /// The first fatal error of any fork; it ends the exec.
    pub fatal: std::sync::Mutex<Option<ShellError>>,
}

impl Ctx {
    /// Records a fatal error from any fork and stops every process of the exec.
    pub fn fail(&self, e: ShellError) {
        if let Ok(mut slot) = self.fatal.lock()
            && slot.is_none()
        {
            *slot = Some(e);
        }
        self.root
            .stop(crate::stop::StopCause::Engine("shell fatal error".into()));
    }

    /// The recorded fatal error, if any.
    pub fn fatal(&self) -> Option<ShellError> {
        self.fatal.lock().ok().and_then(|f| f.clone())
    }
}

/// How error messages are prefixed (bash's rules differ by how the script came).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MessageMode {
    /// `-c` or stdin: `NAME: line N: msg`, and `environment: line N: msg` inside functions
    /// (what bash 5.2 prints when stderr is not a terminal).
    Inline,
    /// A script file: `NAME: line N: msg`.
    File,
}

/// The `set` options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Opts {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub noglob: bool,
    pub noclobber: bool,
    pub allexport: bool,
    pub noexec: bool,
    /// `set -E`: the ERR trap also fires in functions and subshells.
    pub errtrace: bool,
    /// `shopt`'s.
    pub shopts: Shopts,
    /// `umask`'s and `ulimit`'s.
    pub attrs: crate::builtins::attrs::Attrs,
}

/// The `shopt` switches of the shell (`builtins/shopt.rs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Shopts {
    /// A pattern that matches nothing expands to nothing.
    pub nullglob: bool,
    /// Patterns match names starting with `.` (never `.` and `..`).
    pub dotglob: bool,
    /// `**` as a whole component matches any depth of directories.
    pub globstar: bool,
    /// A command substitution keeps `set -e` (bash turns it off there otherwise).
    pub inherit_errexit: bool,
    /// A pipeline's last stage runs in this shell, not a subshell.
    pub lastpipe: bool,
    /// `case`, `[[ == ]]`, `[[ =~ ]]` and `${x/pat/rep}` match letters of either case.
    pub nocasematch: bool,
    /// Pathname expansion matches letters of either case.
    pub nocaseglob: bool,
    /// A pattern that matches nothing is an error that abandons the command.
    pub failglob: bool,
    /// bash's extended patterns: `?(..)`, `*(..)`, `+(..)`, `@(..)`, `!(..)`.
    pub extglob: bool,
    /// bash expands aliases in a script (`sh` always does).
    pub expand_aliases: bool,
}

/// Number of shell fds (0..=9).
pub(crate) const NFDS: usize = 10;

/// One shell process.
pub(crate) struct Shell {
    pub ctx: Arc<Ctx>,
    pub stop: Stop,
    pub vars: Vars,
    pub funcs: HashMap<String, Arc<ast::FunctionDefinition>>,
    pub params: Vec<String>,
    pub arg0: String,
    pub opts: Opts,
    pub cwd: String,
    pub status: i32,
    pub fds: [Option<Io>; NFDS],
    /// The background jobs started by this shell (`&`), oldest first.
    pub jobs: Vec<crate::builtins::jobs::Job>,
    pub last_bg: Option<Pid>,
    pub exit_trap: Option<String>,
    /// Signal traps: signal -> action (empty: ignored).
    pub traps: std::collections::BTreeMap<i32, String>,
    /// Whether signals delivered to [`Shell::stop`] are this shell's to handle: false in a
    /// subshell run in memory, which shares its parent's (the signal is the parent's).
    pub owns_stop: bool,
    /// `trap ... ERR`, and whether it is running (it never fires inside itself).
    pub err_trap: Option<String>,
    pub in_err_trap: bool,
    pub depth: usize,
    /// > 0 while `set -e` is ignored (conditions, `&&`/`||` heads, `!`).
    pub errexit_off: usize,
    /// The line being run (`$LINENO`, messages): [`Shell::line_base`] + the line in its text.
    pub line: usize,
    /// Lines before the text being run: a command substitution's text counts from the line
    /// of the command holding it, as bash's messages do.
    pub line_base: usize,
    pub loops: usize,
    /// > 0 inside `source` (where `return` is allowed).
    pub sourcing: usize,
    /// `$$` (the main shell's; subshells keep it).
    pub pid: u32,
    /// Status of the last command substitution (for assignment-only commands).
    pub subst_status: Option<i32>,
    /// When set, external commands are started and their pids collected here instead of
    /// waited for (a pipeline stage started directly).
    pub detach: Option<Vec<Pid>>,
    /// `NAME=(...)` arguments of a declaration builtin (`local a=(x y)`), assigned once it ran,
    /// with whether NAME was read-only before (`readonly a=(x)` may assign what it declares).
    pub declared_arrays: Vec<(ast::Assignment, bool)>,
    /// `RANDOM` and `SECONDS`.
    pub dynamic: Dynamic,
    /// The functions being run, innermost last (`FUNCNAME`; empty outside any function).
    pub calls: Vec<String>,
    /// Process substitutions started for the redirections being applied, to reap.
    pub substitutions: Vec<Pid>,
    /// Process substitutions' pipe ends named `/dev/fd/N` on the command being run, which
    /// processes it starts inherit.
    pub high_fds: Vec<HighFd>,
    /// Associative arrays' keys in the arithmetic being evaluated (`expand/arith.rs`).
    pub arith_keys: Vec<String>,
    /// A fatal expansion error is ending this shell ([`Shell::expansion_exit`]).
    pub expansion_failed: bool,
    pub aliases: crate::aliases::Aliases,
    /// Function calls and `source`s being run, innermost last (`BASH_SOURCE`, `caller`).
    pub frames: Vec<crate::callstack::Frame>,
    /// The file each function was defined in.
    pub func_files: HashMap<String, Arc<str>>,
    /// The directory stack below the working directory, most recent first (`pushd`).
    pub dirstack: Vec<String>,
    /// Where `getopts` is within a group of options.
    pub getopts: crate::builtins::getopts::State,
}

impl Shell {
    /// Parser options for `src`, parsed now: `extglob` as it is set, or as `src` sets it itself
    /// (bash parses a script command by command, so its `shopt -s extglob` applies to the
    /// commands after it; this shell parses the whole text first).
    pub(crate) fn syntax(&self, src: &str) -> brush_parser::ParserOptions {
        let extglob = self.opts.shopts.extglob || src.contains("extglob");
        crate::parse::options(self.ctx.posix, extglob)
    }

    /// `pat` compiled as the options say (`extglob`).
    pub(crate) fn pattern(&self, pat: &str) -> crate::expand::pattern::Pattern {
        crate::expand::pattern::Pattern::with_extglob(pat, self.opts.shopts.extglob)
    }

    /// A copy of this shell for a subshell, a substitution or a pipeline stage.
    pub fn fork(&self, stop: Stop) -> Result<Shell, ShellError> {
        Ok(Shell {
            owns_stop: !stop.same(&self.stop),
            ctx: self.ctx.clone(),
            stop,
            vars: self.vars.fork()?,
            funcs: self.funcs.clone(),
            params: self.params.clone(),
            arg0: self.arg0.clone(),
            opts: self.opts,
            cwd: self.cwd.clone(),
            status: self.status,
            fds: self.fds.clone(),
            jobs: self.jobs.iter().map(|j| j.inherited()).collect(),
            last_bg: self.last_bg,
            exit_trap: None,
            err_trap: self.err_trap.clone().filter(|_| self.opts.errtrace),
            in_err_trap: false,
            depth: self.depth,
            errexit_off: self.errexit_off,
            line: self.line,
            line_base: self.line_base,
            loops: 0,
            sourcing: self.sourcing,
            pid: self.pid,
            subst_status: None,
            detach: None,
            declared_arrays: Vec::new(),
            dynamic: self.dynamic.fork(),
            calls: self.calls.clone(),
            substitutions: Vec::new(),
            high_fds: self.high_fds.clone(),
            arith_keys: Vec::new(),
            expansion_failed: false,
            aliases: self.aliases.clone(),
            getopts: self.getopts.clone(),
            dirstack: self.dirstack.clone(),
            frames: self.frames.clone(),
            func_files: self.func_files.clone(),
            // A subshell keeps ignored signals ignored; caught ones are reset (POSIX).
            traps: (self.traps.iter())
                .filter(|(_, action)| action.is_empty())
                .map(|(&n, action)| (n, action.clone()))
                .collect(),
        })
    }

    /// Fails when the exec (or this process) was stopped.
    pub fn check_stop(&self) -> Res<()> {
        if !self.stop.is_stopped() {
            return Ok(());
        }
        if !self.ctx.root.is_stopped() {
            let sig = self.stop.cause().map_or(9, |c| match c {
                crate::stop::StopCause::Signal(n) => n,
                crate::stop::StopCause::Engine(_) => 9,
            });
            return Err(Flow::Exit(128 + sig));
        }
        let cause = self
            .ctx
            .root
            .cause()
            .unwrap_or(crate::stop::StopCause::Signal(9));
        Err(Flow::Fatal(ShellError::Stopped(cause)))
    }

    /// One level deeper (functions, eval, source, substitutions), bounded.
    pub fn enter(&mut self) -> Res<()> {
        if self.depth >= self.ctx.limits.max_depth {
            return Err(ShellError::DepthLimit {
                limit: self.ctx.limits.max_depth,
            }
            .into());
        }
        self.depth += 1;
        Ok(())
    }

    /// Back up one level.
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The stream at shell fd `fd`.
    pub fn fd(&self, fd: usize) -> Option<Io> {
        self.fds.get(fd).cloned().flatten()
    }

    /// Writes text to fd `fd` as the bytes it stands for ([`crate::bytes`]); a broken pipe ends
    /// this process as `SIGPIPE` would.
    pub fn write_fd(&self, fd: usize, text: &str) -> Res<Result<(), IoError>> {
        let Some(io) = self.fd(fd) else {
            return Ok(Err(IoError::NotWritable));
        };
        match write_all(&*io, &crate::bytes::encode(text)) {
            Err(IoError::BrokenPipe) => Err(Flow::Exit(141)),
            Err(IoError::Stopped) => self.check_stop().map(|()| Err(IoError::Stopped)),
            other => Ok(other),
        }
    }

    /// Whether the shell's locale is UTF-8, as its `LC_ALL`, `LC_CTYPE` or `LANG` says (the
    /// first set and not empty; none: the C locale).
    pub fn utf8_locale(&self) -> bool {
        ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|name| self.vars.get(name).filter(|v| !v.is_empty()))
            .is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("utf-8") || v.contains("utf8")
            })
    }

    /// Writes to stdout (errors are the builtin's to report).
    pub fn out(&self, data: &str) -> Res<Result<(), IoError>> {
        self.write_fd(1, data)
    }

    /// Prints `msg` on stderr with bash's prefix (`bash: `, `NAME: line N: `).
    pub fn error(&self, msg: &str) -> Res<()> {
        let prefix = match (&self.ctx.mode, !self.calls.is_empty()) {
            (MessageMode::Inline, false) => format!("{}: line {}: ", self.arg0, self.line),
            (MessageMode::Inline, true) => format!("environment: line {}: ", self.line),
            (MessageMode::File, _) => format!("{}: line {}: ", self.arg0, self.line),
        };
        let _ = self.write_fd(2, &format!("{prefix}{msg}\n"))?;
        Ok(())
    }

    /// Sets a variable, reporting a read-only one as bash does (the assignment fails).
    pub fn set_var(&mut self, name: &str, value: String) -> Res<bool> {
        if self.vars.is_readonly(name) {
            // Even to the value it has.
            return self.set_result(name, Err(SetError::ReadOnly));
        }
        let flags = self.vars.get_var(name).filter(|v| v.converts());
        let value = match flags.map(|v| (v.integer, v.lower, v.upper)) {
            Some(flags) => match self.converted(flags, value)? {
                Some(value) => value,
                None => return Ok(false),
            },
            None => value,
        };
        let export = self.opts.allexport;
        let r = self.vars.update(name, |v| {
            // An array's `$a` is `${a[0]}`, and so is `a=x`.
            match (v.array.as_mut(), v.assoc.as_mut()) {
                (Some(elements), _) => elements.insert(0, value),
                (None, Some(entries)) => entries.insert("0", value),
                (None, None) => v.value = Some(value),
            }
            v.exported |= export;
        });
        self.set_result(name, r)
    }

    /// `value` as a variable with attributes `(integer, lower, upper)` holds it: the result of
    /// its arithmetic, or its letters lowercased or uppercased; `None` after reporting a bad
    /// expression (the assignment fails).
    pub(crate) fn converted(
        &mut self,
        flags: (bool, bool, bool),
        value: String,
    ) -> Res<Option<String>> {
        let (integer, lower, upper) = flags;
        let value = if integer {
            match self.arith_expr_value(&value)? {
                Ok(n) => n.to_string(),
                Err(message) => {
                    self.error(&message)?;
                    return Ok(None);
                }
            }
        } else {
            value
        };
        Ok(Some(match (lower, upper) {
            (true, _) => value.to_lowercase(),
            (_, true) => value.to_uppercase(),
            _ => value,
        }))
    }

    /// Maps an assignment result: `Ok(false)` after printing the read-only message.
    pub fn set_result(&mut self, name: &str, r: Result<(), SetError>) -> Res<bool> {
        match r {
            Ok(()) => Ok(true),
            Err(SetError::ReadOnly) => {
                self.error(&format!("{name}: readonly variable"))?;
                Ok(false)
            }
            Err(SetError::Circular) => {
                self.error(&format!("warning: {name}: circular name reference"))?;
                Ok(false)
            }
            Err(SetError::Budget(e)) => Err(e.into()),
        }
    }

    /// Notes that line `line` of the text being run runs now.
    pub fn at_line(&mut self, line: usize) {
        self.line = self.line_base + line;
    }

    /// The flow of an error that makes bash abandon the current top-level command
    /// ([`Flow::Abort`]); `sh` exits with 2, as dash does.
    pub fn abort(&self, status: i32) -> Flow {
        if self.ctx.posix {
            Flow::Exit(2)
        } else {
            Flow::Abort(status)
        }
    }

    /// The status of a shell error: bash's, or 2 in `sh` (dash's for every shell error).
    pub fn error_status(&self, bash: i32) -> i32 {
        if self.ctx.posix { 2 } else { bash }
    }

    /// How a fatal expansion error (`set -u`'s unbound variable, `${x:?}`) ends the shell:
    /// status 127 (2 in POSIX mode), or 1 where a subshell catches it
    /// ([`Shell::caught_in_subshell`]).
    pub fn expansion_exit(&mut self) -> Flow {
        self.expansion_failed = true;
        Flow::Exit(self.error_status(127))
    }

    /// What a forked shell running a compound command or a substitution returns: bash's
    /// subshell catches a fatal expansion error with status 1, where the top-level shell or a
    /// forked simple command exits 127.
    pub fn caught_in_subshell(&self, r: Res<i32>) -> Res<i32> {
        match r {
            Err(Flow::Exit(127)) if self.expansion_failed && !self.ctx.posix => Err(Flow::Exit(1)),
            r => r,
        }
    }

    /// Absolute guest path of `path` against the cwd, normalised lexically.
    pub fn abs_path(&self, path: &str) -> String {
        crate::paths::absolute(&self.cwd, path)
    }

    /// The value of `$IFS` (default when unset).
    pub fn ifs(&self) -> String {
        match self.vars.get_var("IFS") {
            Some(v) => v.value.clone().unwrap_or_else(|| " \t\n".into()),
            None => " \t\n".into(),
        }
    }
}
