//! Running the AST: lists, `&&`/`||`, `&`, pipelines, commands. `set -e` follows bash: a
//! failing pipeline ends the shell unless it is negated with `!`, is not the last of an
//! `&&`/`||` list, or runs (at any depth, functions included) inside an `if`/`while`/`until`
//! condition or the head of such a list.

mod compound;
mod pipeline;
mod process;
mod redirect;
mod simple;
mod time;

pub(crate) use simple::quote_single;

use brush_parser::ast;

use crate::parse::Parsed;
use crate::shell::{Flow, Res, Shell};

impl Shell {
    /// Runs a parsed script, then reports its syntax error (status 2), as bash does.
    pub fn run_parsed(&mut self, parsed: &Parsed) -> Res<i32> {
        for cc in &parsed.program.complete_commands {
            self.run_top_level(cc)?;
        }
        if let Some(err) = &parsed.error {
            self.at_line(err.line);
            self.error(&err.message)?;
            self.status = 2;
            return Err(Flow::Exit(2));
        }
        Ok(self.status)
    }

    /// Runs one top-level command (a complete command of a script, `eval` or `source` text):
    /// after a [`Flow::Abort`] its status is the abort's and the next one runs.
    pub fn run_top_level(&mut self, cc: &ast::CompoundList) -> Res<i32> {
        match self.run_list(cc) {
            Err(Flow::Abort(n)) => {
                self.status = n;
                Ok(n)
            }
            r => r,
        }
    }

    /// Runs `list`, each item in turn (or in the background).
    pub fn run_list(&mut self, list: &ast::CompoundList) -> Res<i32> {
        for item in &list.0 {
            self.check_stop()?;
            self.run_pending_traps()?;
            match item.1 {
                ast::SeparatorOperator::Async => self.run_async(&item.0)?,
                ast::SeparatorOperator::Sequence => {
                    self.run_and_or(&item.0)?;
                }
            }
        }
        self.run_pending_traps()?;
        Ok(self.status)
    }

    /// Runs `a && b || c ...`.
    pub fn run_and_or(&mut self, list: &ast::AndOrList) -> Res<i32> {
        let n = list.additional.len();
        let mut status = self.errexit_scope(n > 0, |s| s.run_pipeline(&list.first))?;
        for (i, next) in list.additional.iter().enumerate() {
            let last = i + 1 == n;
            let (run, p) = match next {
                ast::AndOr::And(p) => (status == 0, p),
                ast::AndOr::Or(p) => (status != 0, p),
            };
            if run {
                status = self.errexit_scope(!last, |s| s.run_pipeline(p))?;
            }
        }
        self.status = status;
        Ok(status)
    }

    /// Runs `f` with `set -e` ignored when `off`.
    pub fn errexit_scope<T>(&mut self, off: bool, f: impl FnOnce(&mut Self) -> Res<T>) -> Res<T> {
        if off {
            self.errexit_off += 1;
        }
        let r = f(self);
        if off {
            self.errexit_off -= 1;
        }
        r
    }

    /// Runs one pipeline, negated when `!`; applies `set -e`.
    pub fn run_pipeline(&mut self, p: &ast::Pipeline) -> Res<i32> {
        self.check_stop()?;
        let timer = p.timed.as_ref().map(|t| self.start_timer(t));
        let status = if p.bang {
            self.errexit_scope(true, |s| s.run_stages(&p.seq))?
        } else {
            self.run_stages(&p.seq)?
        };
        // A stop that came while the pipeline ran ended its processes: their statuses are the
        // stop's doing, so the stop is what this shell reports (it raced to `Ok` before).
        self.check_stop()?;
        if let Some(timer) = &timer {
            self.report_time(timer)?;
        }
        let status = if p.bang {
            i32::from(status == 0)
        } else {
            status
        };
        self.status = status;
        if status != 0 && !p.bang && self.errexit_off == 0 {
            // A group's failure already fired the trap for the command inside that failed.
            if !is_group(&p.seq) {
                self.run_err_trap(status)?;
            }
            if self.opts.errexit {
                return Err(Flow::Exit(status));
            }
        }
        Ok(status)
    }

    fn run_stages(&mut self, seq: &[ast::Command]) -> Res<i32> {
        match seq {
            // `time` alone times nothing.
            [] => Ok(0),
            [one] => {
                let status = self.run_command(one)?;
                // As bash: a compound command other than a subshell leaves `PIPESTATUS` to
                // the pipelines inside it.
                if !is_group(seq) {
                    self.set_pipestatus(&[status])?;
                }
                Ok(status)
            }
            many => self.run_multi(many),
        }
    }

    /// Runs one command in this shell.
    pub fn run_command(&mut self, cmd: &ast::Command) -> Res<i32> {
        stacker::maybe_grow(128 << 10, 2 << 20, || self.run_command_inner(cmd))
    }

    fn run_command_inner(&mut self, cmd: &ast::Command) -> Res<i32> {
        self.check_stop()?;
        let status = match cmd {
            ast::Command::Simple(s) => self.run_simple(s)?,
            ast::Command::Compound(c, redirects) => {
                let list = redirects.as_ref().map_or(&[][..], |r| &r.0[..]);
                self.with_redirects(list, |s| s.run_compound(c))?
            }
            ast::Command::Function(def) => {
                let name = def.fname.value.clone();
                self.func_files.insert(name.clone(), self.current_file());
                self.funcs.insert(name, std::sync::Arc::new(def.clone()));
                0
            }
            ast::Command::ExtendedTest(t, redirects) => {
                self.at_line(t.loc.start.line);
                let list = redirects.as_ref().map_or(&[][..], |r| &r.0[..]);
                self.with_redirects(list, |s| s.run_extended_test(&t.expr))?
            }
        };
        self.status = status;
        Ok(status)
    }

    /// Runs a forked copy of this shell to its end (subshells): `exit` ends only the copy.
    pub fn run_forked(&mut self, f: impl FnOnce(&mut Shell) -> Res<i32>) -> Res<i32> {
        let mut child = self.fork(self.stop.clone())?;
        let r = f(&mut child);
        finish(&mut child, r)
    }

    /// The status of a process's body once it ended, with its EXIT trap run.
    pub fn finish_process(&mut self, r: Res<i32>) -> Res<i32> {
        finish(self, r)
    }
}

/// Maps how a shell process's body ended to its exit status, running its EXIT trap.
fn finish(shell: &mut Shell, r: Res<i32>) -> Res<i32> {
    let status = match r {
        Ok(s) => s,
        Err(Flow::Exit(n) | Flow::Abort(n) | Flow::Return(n) | Flow::Fail(n)) => n,
        Err(Flow::Break(_) | Flow::Continue(_)) => shell.status,
        Err(Flow::Fatal(e)) => return Err(Flow::Fatal(e)),
    };
    shell.status = status;
    shell.run_exit_trap()
}

/// Whether `seq` is one compound command other than a subshell (its commands ran here).
fn is_group(seq: &[ast::Command]) -> bool {
    matches!(seq, [ast::Command::Compound(c, _)] if !matches!(c, ast::CompoundCommand::Subshell(_)))
}
