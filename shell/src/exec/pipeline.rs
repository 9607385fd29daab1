//! Pipelines of two or more commands. Every stage runs concurrently, joined by bounded
//! pipes from [`crate::Processes::pipe`]:
//!
//! ```text
//!   stage 0 ──pipe──► stage 1 ──pipe──► ... ──► stage n-1
//!   external command with a literal name ─► a guest, started directly (no thread)
//!   the last other stage                 ─► run inline, in a fork, on this thread
//!   any other stage                      ─► an internal process (a forked interpreter)
//! ```
//! Running one stage inline saves a thread for the common `builtin | guest` shapes; it never
//! deadlocks because every other stage is already running when it starts. The status is the
//! last stage's, or with `pipefail` the last non-zero one; `PIPESTATUS` has them all.

use brush_parser::ast;

use crate::builtins;
use crate::os::Pid;
use crate::shell::{Flow, Res, Shell};
use crate::stream::Io;

/// How one stage is running.
enum Stage {
    /// A process to wait for.
    Running(Pid),
    /// Already ended (it could not start, or ran inline).
    Done(i32),
}

impl Shell {
    /// Runs `cmds` as one pipeline.
    pub fn run_multi(&mut self, cmds: &[ast::Command]) -> Res<i32> {
        let n = cmds.len();
        let mut stdins: Vec<Option<Io>> = vec![None; n];
        let mut stdouts: Vec<Option<Io>> = vec![None; n];
        for i in 0..n - 1 {
            let (r, w) = match self.ctx.os.pipe() {
                Ok(p) => p,
                Err(e) => {
                    self.error(&format!("pipe error: {e}"))?;
                    return Ok(1);
                }
            };
            stdouts[i] = Some(w);
            stdins[i + 1] = Some(r);
        }
        let inline = (0..n).rev().find(|&i| !self.is_direct(&cmds[i]));
        let mut stages = Vec::with_capacity(n);
        for (i, cmd) in cmds.iter().enumerate() {
            if Some(i) == inline {
                stages.push(Stage::Done(0));
                continue;
            }
            let (stdin, stdout) = (stdins[i].take(), stdouts[i].take());
            let stage = match self.start_stage(cmd, stdin, stdout, inline.is_none_or(|j| i < j)) {
                Ok(s) => s,
                Err(Flow::Fail(n)) => Stage::Done(n),
                Err(e) => return Err(e),
            };
            stages.push(stage);
        }
        // With `lastpipe`, a last stage that runs inline runs in this shell (`read` and loops
        // set its variables); an `exit` there ends it once the other stages are reaped.
        let mut last_flow = None;
        if let Some(i) = inline {
            let (stdin, stdout) = (stdins[i].take(), stdouts[i].take());
            let status = if i == n - 1 && self.opts.shopts.lastpipe {
                match self.run_last_here(&cmds[i], stdin) {
                    Ok(s) => s,
                    Err(flow) => {
                        last_flow = Some(flow);
                        self.status
                    }
                }
            } else {
                self.run_forked(move |c| {
                    set_stdio(c, stdin, stdout);
                    c.run_stage(&cmds[i])
                })?
            };
            stages[i] = Stage::Done(status);
        }
        drop((stdins, stdouts));
        let mut statuses = Vec::with_capacity(n);
        for stage in stages {
            statuses.push(match stage {
                Stage::Running(pid) => self.wait_pid(pid)?,
                Stage::Done(s) => s,
            });
        }
        if let Some(flow) = last_flow {
            return Err(flow);
        }
        self.set_pipestatus(&statuses)?;
        Ok(pipeline_status(&statuses, self.opts.pipefail))
    }

    /// The last stage in this shell, reading `stdin`.
    fn run_last_here(&mut self, cmd: &ast::Command, stdin: Option<Io>) -> Res<i32> {
        let saved = std::mem::replace(&mut self.fds[0], stdin);
        let r = self.run_command(cmd);
        self.fds[0] = saved;
        r
    }

    /// Starts one stage that does not run inline.
    fn start_stage(
        &mut self,
        cmd: &ast::Command,
        stdin: Option<Io>,
        stdout: Option<Io>,
        _before_inline: bool,
    ) -> Res<Stage> {
        if self.is_direct(cmd) {
            let mut child = self.fork(self.stop.clone())?;
            set_stdio(&mut child, stdin, stdout);
            child.detach = Some(Vec::new());
            let status = match child.run_command(cmd) {
                Ok(s) => s,
                Err(Flow::Exit(n) | Flow::Abort(n) | Flow::Fail(n)) => n,
                Err(e) => return Err(e),
            };
            let pids = child.detach.take().unwrap_or_default();
            return Ok(match pids.as_slice() {
                [pid] => Stage::Running(*pid),
                _ => Stage::Done(status),
            });
        }
        let cmd = cmd.clone();
        let pid = self.spawn_shell(stdin, stdout, move |s| s.run_stage(&cmd))?;
        Ok(Stage::Running(pid))
    }

    /// A pipeline stage in its forked shell: a compound one is a subshell of bash's.
    fn run_stage(&mut self, cmd: &ast::Command) -> Res<i32> {
        let r = self.run_command(cmd);
        match cmd {
            ast::Command::Simple(_) => r,
            _ => self.caught_in_subshell(r),
        }
    }

    /// Whether `cmd` is an external command with a literal name (started as a guest
    /// directly, without an interpreter thread).
    pub(super) fn is_direct(&self, cmd: &ast::Command) -> bool {
        let ast::Command::Simple(s) = cmd else {
            return false;
        };
        let Some(name) = &s.word_or_name else {
            return false;
        };
        let v = name.value.as_str();
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./+".contains(c))
            && !self.funcs.contains_key(v)
            && builtins::find(v).is_none()
            && !s.prefix.iter().flat_map(|x| &x.0).any(substitutes)
            && !s.suffix.iter().flat_map(|x| &x.0).any(substitutes)
    }
}

/// Whether `item` is or redirects to a process substitution (such a command runs in an
/// interpreter, which reaps the substitution once the command ends).
fn substitutes(item: &ast::CommandPrefixOrSuffixItem) -> bool {
    use ast::{CommandPrefixOrSuffixItem as Item, IoFileRedirectTarget as Target, IoRedirect};
    matches!(
        item,
        Item::ProcessSubstitution(..)
            | Item::IoRedirect(IoRedirect::File(_, _, Target::ProcessSubstitution(..)))
    )
}

fn set_stdio(shell: &mut Shell, stdin: Option<Io>, stdout: Option<Io>) {
    if let Some(io) = stdin {
        shell.fds[0] = Some(io);
    }
    if let Some(io) = stdout {
        shell.fds[1] = Some(io);
    }
}

/// The last status, or with `pipefail` the last non-zero one.
fn pipeline_status(statuses: &[i32], pipefail: bool) -> i32 {
    if pipefail {
        statuses
            .iter()
            .rev()
            .copied()
            .find(|&s| s != 0)
            .unwrap_or(0)
    } else {
        statuses.last().copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipefail_takes_the_last_failure() {
        assert_eq!(pipeline_status(&[1, 0], false), 0);
        assert_eq!(pipeline_status(&[1, 0], true), 1);
        assert_eq!(pipeline_status(&[2, 3, 0], true), 3);
    }
}
