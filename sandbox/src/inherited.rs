//! Fds a guest starts with above 2: host pipe ends a shell's process substitutions hand it
//! (`diff <(a) <(b)` gives the command fds 63 and 62, named `/dev/fd/63` and `/dev/fd/62`).
//!
//! Such an fd reads (or writes) like a file whose end is where the pipe's other side is gone;
//! it says it is a regular file, as the `/dev` placeholders do (`devices.rs` says why). What
//! feeds or drains the pipe may start only when the guest first uses the fd (opens
//! `/dev/fd/N` or reads or writes N): a command that never touches it then takes nothing from
//! it, and the next command that does finds all of it there.

use std::fmt;

use rustix::fd::OwnedFd;

use crate::fd_rights::Rights;
use crate::table::{Entry, File};
use crate::types::filetype;
use crate::{Errno, Sandbox};

/// Which end of a pipe a guest inherits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipeEnd {
    /// The guest reads (`<(LIST)`).
    Read,
    /// The guest writes (`>(LIST)`).
    Write,
}

/// What runs when the guest first uses an inherited fd (`Sync` as the sandbox is: it holds
/// only ends of pipes).
pub(crate) struct FirstUse(Box<dyn FnOnce() + Send + Sync>);

impl fmt::Debug for FirstUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FirstUse")
    }
}

impl Sandbox {
    /// Gives the guest host pipe end `pipe` as fd `fd`; `first_use` runs (once, on the
    /// guest's thread) when the guest first opens `/dev/fd/<fd>` or reads or writes `fd`.
    ///
    /// # Errors
    /// `BADF` when `fd` is taken, `MFILE` when the table is full.
    pub fn inherit(
        &mut self,
        fd: u32,
        pipe: OwnedFd,
        end: PipeEnd,
        first_use: Option<Box<dyn FnOnce() + Send + Sync>>,
    ) -> Result<(), Errno> {
        let rights = match end {
            PipeEnd::Read => Rights::STDIN,
            PipeEnd::Write => Rights::STDOUT,
        };
        let file = File {
            fd: pipe,
            filetype: filetype::REGULAR_FILE,
            fdflags: 0,
            read_only: false,
            rights,
            scratch: None,
        };
        self.table.place(fd, Entry::File(file))?;
        if let Some(run) = first_use {
            self.first_use.push((fd, FirstUse(run)));
        }
        Ok(())
    }

    /// Runs what waits for the first use of `fd`, if anything does.
    pub(crate) fn used(&mut self, fd: u32) {
        if self.first_use.is_empty() {
            return;
        }
        if let Some(i) = self.first_use.iter().position(|(n, _)| *n == fd) {
            let (_, FirstUse(run)) = self.first_use.swap_remove(i);
            run();
        }
    }
}
