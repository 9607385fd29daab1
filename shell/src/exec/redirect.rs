//! Redirections: `<`, `>`, `>>`, `>|`, `<>`, `n>&m`, `n<&m`, `>&-`, `&>`, `&>>`,
//! here-documents, here-strings and process substitutions (`< <(LIST)`, `> >(LIST)`). Files are
//! opened through [`crate::FileSystem::open`]
//! (confined to the mounts); `/dev/null`, `/dev/stdin`, `/dev/stdout`, `/dev/stderr` and
//! `/dev/fd/N` are the shell's own.

use std::sync::Arc;

use brush_parser::ast::{
    IoFileRedirectKind as Kind, IoFileRedirectTarget as Target, IoRedirect,
    ProcessSubstitutionKind, SubshellCommand,
};

use crate::os::{FsError, HighFd, OpenMode};
use crate::shell::{Flow, NFDS, Res, Shell};
use crate::stream::{Io, MemoryReader, NullStream};

/// A shell's fd table.
pub(crate) type Fds = [Option<Io>; NFDS];

impl Shell {
    /// Runs `f` with `list` applied to this shell's fds, restoring them afterwards.
    pub fn with_redirects(
        &mut self,
        list: &[IoRedirect],
        f: impl FnOnce(&mut Self) -> Res<i32>,
    ) -> Res<i32> {
        if list.is_empty() {
            return f(self);
        }
        let mut fds = self.fds.clone();
        let substitutions = self.substitutions.len();
        let applied = self.apply_redirects(list, &mut fds);
        let r = match applied {
            Ok(()) => {
                let saved = std::mem::replace(&mut self.fds, fds);
                let r = f(self);
                self.fds = saved;
                r
            }
            Err(e) => {
                // Our ends close before the reaping below, whatever failed.
                drop(fds);
                match e {
                    Flow::Fail(n) => Ok(n),
                    e => Err(e),
                }
            }
        };
        // Our ends are closed now: each substitution sees EOF (or a broken pipe) and ends.
        let started = self.substitutions.split_off(substitutions);
        for pid in started {
            self.wait_pid(pid)?;
        }
        r
    }

    /// Applies `list` in order to `fds`; a failure prints bash's message and is
    /// [`Flow::Fail`] with status 1.
    pub fn apply_redirects(&mut self, list: &[IoRedirect], fds: &mut Fds) -> Res<()> {
        for r in list {
            self.check_stop()?;
            self.apply_one(r, fds)?;
        }
        Ok(())
    }

    fn apply_one(&mut self, r: &IoRedirect, fds: &mut Fds) -> Res<()> {
        match r {
            IoRedirect::File(fd, kind, target) => {
                let default =
                    matches!(kind, Kind::Read | Kind::ReadAndWrite | Kind::DuplicateInput);
                let fd = self.fd_number(*fd, usize::from(!default))?;
                self.file_redirect(fd, kind, target, fds)
            }
            IoRedirect::HereDocument(fd, doc) => {
                let fd = self.fd_number(*fd, 0)?;
                let text = if doc.requires_expansion {
                    self.expand_heredoc(&doc.doc.value)?
                } else {
                    doc.doc.value.clone()
                };
                self.ctx.budget.check(text.len())?;
                fds[fd] = Some(Arc::new(MemoryReader::new(crate::bytes::encode_string(
                    text,
                ))));
                Ok(())
            }
            IoRedirect::HereString(fd, word) => {
                let fd = self.fd_number(*fd, 0)?;
                let mut text = self.expand_string(&word.value)?;
                text.push('\n');
                self.ctx.budget.check(text.len())?;
                fds[fd] = Some(Arc::new(MemoryReader::new(crate::bytes::encode_string(
                    text,
                ))));
                Ok(())
            }
            IoRedirect::OutputAndError(word, append) => {
                let mode = if *append {
                    OpenMode::APPEND
                } else {
                    self.write_mode()
                };
                let io = self.open_word(&word.value, mode, fds)?;
                fds[1] = Some(io.clone());
                fds[2] = Some(io);
                Ok(())
            }
        }
    }

    fn file_redirect(&mut self, fd: usize, kind: &Kind, target: &Target, fds: &mut Fds) -> Res<()> {
        let word = match target {
            Target::Filename(w) => w.value.clone(),
            Target::Fd(n) => return self.dup(fd, &n.to_string(), fds),
            Target::Duplicate(w) => {
                let text = self.expand_string(&w.value)?;
                if matches!(kind, Kind::DuplicateOutput)
                    && text.parse::<usize>().is_err()
                    && text != "-"
                {
                    let io = self.open_word(&w.value, self.write_mode(), fds)?;
                    fds[1] = Some(io.clone());
                    fds[2] = Some(io);
                    return Ok(());
                }
                return self.dup(fd, &text, fds);
            }
            Target::ProcessSubstitution(kind, list) => {
                fds[fd] = Some(self.process_substitution(kind, list)?);
                return Ok(());
            }
        };
        let mode = match kind {
            Kind::Read => OpenMode::READ,
            Kind::Write => self.write_mode(),
            Kind::Clobber => OpenMode::TRUNCATE,
            Kind::Append => OpenMode::APPEND,
            Kind::ReadAndWrite => OpenMode::READ_WRITE,
            Kind::DuplicateInput | Kind::DuplicateOutput => {
                let text = self.expand_string(&word)?;
                return self.dup(fd, &text, fds);
            }
        };
        fds[fd] = Some(self.open_word(&word, mode, fds)?);
        Ok(())
    }

    /// `<(LIST)` or `>(LIST)` as a redirection's target: LIST runs concurrently in a fork,
    /// writing into (or reading from) a pipe whose other end is returned. The command it is
    /// for reaps it ([`Shell::with_redirects`]).
    fn process_substitution(
        &mut self,
        kind: &ProcessSubstitutionKind,
        list: &SubshellCommand,
    ) -> Res<Io> {
        let (reader, writer) = match self.ctx.os.pipe() {
            Ok(pipe) => pipe,
            Err(e) => {
                self.error(&format!("pipe error: {e}"))?;
                return Err(Flow::Fail(1));
            }
        };
        let (stdin, stdout, ours) = match kind {
            ProcessSubstitutionKind::Read => (None, Some(writer), reader),
            ProcessSubstitutionKind::Write => (Some(reader), None, writer),
        };
        let list = list.list.clone();
        let pid = self.spawn_shell(stdin, stdout, move |s| {
            // Another substitution's pipe end kept here would delay its EOF.
            s.high_fds.clear();
            let r = s.run_list(&list);
            s.caught_in_subshell(r)
        })?;
        self.substitutions.push(pid);
        Ok(ours)
    }

    fn write_mode(&self) -> OpenMode {
        OpenMode {
            exclusive: self.opts.noclobber,
            ..OpenMode::TRUNCATE
        }
    }

    /// `n>&m` / `n<&m` / `n>&-`.
    fn dup(&mut self, fd: usize, target: &str, fds: &mut Fds) -> Res<()> {
        if target == "-" {
            fds[fd] = None;
            return Ok(());
        }
        let src = target.parse::<usize>().ok().filter(|&n| n < NFDS);
        match src.and_then(|n| fds[n].clone()) {
            Some(io) => {
                fds[fd] = Some(io);
                Ok(())
            }
            None => {
                self.error(&format!("{target}: Bad file descriptor"))?;
                Err(Flow::Fail(1))
            }
        }
    }

    fn fd_number(&mut self, fd: Option<i32>, default: usize) -> Res<usize> {
        match fd {
            None => Ok(default),
            Some(n) => match usize::try_from(n).ok().filter(|&n| n < NFDS) {
                Some(n) => Ok(n),
                None => {
                    self.error(&format!("{n}: Bad file descriptor"))?;
                    Err(Flow::Fail(1))
                }
            },
        }
    }

    /// Expands a redirection target to one path and opens it.
    fn open_word(&mut self, word: &str, mode: OpenMode, fds: &Fds) -> Res<Io> {
        let fields = self.expand_fields(&brush_parser::ast::Word::new(word))?;
        let [path] = fields.as_slice() else {
            self.error(&format!("{word}: ambiguous redirect"))?;
            return Err(Flow::Fail(1));
        };
        match self.open_path(path, mode, fds) {
            Ok(io) => Ok(io),
            Err(e) => {
                self.error(&format!("{path}: {e}"))?;
                Err(Flow::Fail(self.error_status(1)))
            }
        }
    }

    /// Opens `path` through the mounts, or as one of the device paths the shell provides
    /// itself: `/dev/null`, `/dev/stdin`..., `/dev/fd/N` of `fds` or of a process
    /// substitution.
    pub(crate) fn open_path(&self, path: &str, mode: OpenMode, fds: &Fds) -> Result<Io, FsError> {
        let fd = match path {
            "/dev/null" => return Ok(Arc::new(NullStream)),
            "/dev/stdin" => Some(0),
            "/dev/stdout" => Some(1),
            "/dev/stderr" => Some(2),
            p => p
                .strip_prefix("/dev/fd/")
                .and_then(|n| n.parse::<usize>().ok()),
        };
        match fd {
            Some(fd) if fd < NFDS => Ok(fds[fd].clone().unwrap_or_else(|| Arc::new(NullStream))),
            Some(fd) => match self.high_fds.iter().find(|h| h.fd as usize == fd) {
                Some(high) => Ok(high.io.clone()),
                None => Err(FsError::NotFound),
            },
            None => self.ctx.os.open(&self.abs_path(path), mode),
        }
    }

    /// `<(LIST)` or `>(LIST)` as a word of a command: the pipe end becomes the highest free fd
    /// from 63 down, which what the command starts inherits, and the word is its name.
    pub(crate) fn argument_substitution(
        &mut self,
        kind: &ProcessSubstitutionKind,
        list: &SubshellCommand,
    ) -> Res<String> {
        let free = |n: &u32| !self.high_fds.iter().any(|h| h.fd == *n);
        let Some(fd) = (NFDS as u32..=MAX_HIGH_FD).rev().find(free) else {
            self.error("too many process substitutions")?;
            return Err(Flow::Fail(1));
        };
        let io = self.process_substitution(kind, list)?;
        let writes = matches!(kind, ProcessSubstitutionKind::Write);
        self.high_fds.push(HighFd { fd, io, writes });
        Ok(format!("/dev/fd/{fd}"))
    }
}

/// The first fd a process substitution takes (bash's, and the last `/dev/fd/N` guests have).
const MAX_HIGH_FD: u32 = 63;
