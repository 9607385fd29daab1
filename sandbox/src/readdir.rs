//! `fd_readdir`: a directory's entries by cookie, from one host directory stream per fd that
//! stays open between calls.
//!
//! ```text
//!   cookie 0 "."   cookie 1 ".."   cookie 2.. the host's entries, in the host's order
//!   an entry's `next` = its cookie + 1
//! ```
//!
//! Guests list a directory in buffer-sized pieces, each call resuming at the cookie after the
//! last whole entry they got. Re-reading the directory from its start on every call (what
//! wasmtime does) costs O(n²) for n entries, and numbers entries afresh each time, so a guest
//! that deletes what it has listed (`rm -r`, `find -delete`) skips entries. Instead the [`Cursor`]
//! keeps the stream where the previous call stopped: resuming at that cookie reads on; resuming
//! at the previous call's last entry (the guest's buffer truncated it) serves it again from
//! memory; cookie 0 or 1 starts over with a fresh stream (`rewinddir`: entries created since
//! show); any other cookie reopens the directory and skips to it (O(n), for `seekdir`). The
//! stream is dropped at the end of the directory, so only directories being listed hold one.

use rustix::fd::{AsFd, BorrowedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use crate::sandbox::MAX_IO;
use crate::stat::{filestat, stat_filetype, wasi_filetype};
use crate::table::Entry;
use crate::types::{filetype, rights};
use crate::{DirEntry, Errno, Sandbox};

/// Size of a preview1 `dirent` header; `fd_readdir` stops once entries cover the caller's bytes.
pub const DIRENT_HEADER: usize = 24;

/// The cookie of the first host entry (after `.` and `..`).
const FIRST: u64 = 2;

impl Sandbox {
    /// `fd_readdir`: entries from `cookie` on, `.` and `..` first (cookies 0 and 1), then the
    /// host's order; `next` is the following entry's cookie. Stops once the entries cover
    /// `max_bytes` of preview1 dirents (header + name), clamped to [`MAX_IO`]: the caller packs
    /// and truncates them.
    ///
    /// # Errors
    /// `BADF` when `fd` is not a directory, `NOTCAPABLE` without `FD_READDIR`, host errors.
    pub fn fd_readdir(
        &mut self,
        fd: u32,
        cookie: u64,
        max_bytes: usize,
    ) -> Result<Vec<DirEntry>, Errno> {
        let Entry::Dir(dir) = self.table.get_mut(fd)? else {
            return Err(Errno::BADF);
        };
        dir.rights.require(rights::FD_READDIR)?;
        let mut out = Listing {
            budget: max_bytes.min(MAX_IO),
            entries: Vec::new(),
        };
        let self_ino = filestat(&rustix::fs::fstat(&dir.fd)?).ino;
        // `..` reports the directory's own inode (as wasmtime does): never stat above a preopen.
        for (index, name) in [(0, &b"."[..]), (1, &b".."[..])] {
            if index >= cookie && !out.full() {
                out.add(index, self_ino, filetype::DIRECTORY, name);
            }
        }
        if cookie < FIRST {
            // A listing from the start (`rewinddir`) sees the directory as it is now.
            dir.readdir = Cursor::default();
        }
        if !out.full() {
            dir.readdir
                .list(dir.fd.as_fd(), cookie.max(FIRST), &mut out)?;
        }
        Ok(out.entries)
    }
}

/// Where a directory fd's listing stands between `fd_readdir` calls.
#[derive(Debug, Default)]
pub(crate) struct Cursor {
    /// The open host stream; `None` before the first listing and after the end.
    stream: Option<rustix::fs::Dir>,
    /// The cookie of the entry the stream yields next; at the end, one past the last entry.
    next: u64,
    /// The end was reached (and the stream dropped).
    done: bool,
    /// The last entry handed out, with its cookie.
    last: Option<(u64, DirEntry)>,
}

impl Cursor {
    /// Adds the host entries from cookie `from` (at least [`FIRST`]) until `out` is full.
    fn list(&mut self, dir: BorrowedFd<'_>, from: u64, out: &mut Listing) -> Result<(), Errno> {
        let mut from = from;
        if let Some((index, entry)) = &self.last
            && *index == from
            && self.next == from + 1
        {
            out.push(entry.clone());
            from += 1;
        }
        let result = self.read_into(dir, from, out);
        if result.is_err() {
            *self = Cursor::default();
        }
        result
    }

    fn read_into(
        &mut self,
        dir: BorrowedFd<'_>,
        from: u64,
        out: &mut Listing,
    ) -> Result<(), Errno> {
        if !self.positioned_at(from) {
            self.reopen(dir)?;
        }
        while self.next < from {
            if self.read(dir)?.is_none() {
                return Ok(());
            }
        }
        while !out.full() {
            let Some(entry) = self.read(dir)? else {
                break;
            };
            self.last = Some((entry.next - 1, entry.clone()));
            out.push(entry);
        }
        Ok(())
    }

    /// Whether reading on (forward, without reopening) reaches cookie `from`.
    fn positioned_at(&self, from: u64) -> bool {
        (self.stream.is_some() || self.done) && self.next <= from
    }

    /// Starts over at the directory's first host entry.
    fn reopen(&mut self, dir: BorrowedFd<'_>) -> Result<(), Errno> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let host = rustix::fs::openat(dir, c".", flags, Mode::empty())?;
        *self = Cursor {
            stream: Some(rustix::fs::Dir::new(host)?),
            next: FIRST,
            done: false,
            last: None,
        };
        Ok(())
    }

    /// The next host entry (never `.` or `..`), numbered; `None` at the end.
    fn read(&mut self, dir: BorrowedFd<'_>) -> Result<Option<DirEntry>, Errno> {
        let Some(stream) = self.stream.as_mut() else {
            return Ok(None);
        };
        loop {
            let Some(entry) = stream.read() else {
                self.stream = None;
                self.done = true;
                return Ok(None);
            };
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            let index = self.next;
            self.next += 1;
            return Ok(Some(DirEntry {
                next: index + 1,
                ino: entry.ino(),
                filetype: entry_filetype(dir, name, entry.file_type()),
                name: name.to_vec(),
            }));
        }
    }
}

/// `readdir` output being collected.
struct Listing {
    /// Bytes of the caller's buffer not yet covered.
    budget: usize,
    entries: Vec<DirEntry>,
}

impl Listing {
    /// Adds entry number `index`.
    fn add(&mut self, index: u64, ino: u64, filetype: u8, name: &[u8]) {
        self.push(DirEntry {
            next: index + 1,
            ino,
            filetype,
            name: name.to_vec(),
        });
    }

    /// Adds an entry.
    fn push(&mut self, entry: DirEntry) {
        self.budget = self.budget.saturating_sub(DIRENT_HEADER + entry.name.len());
        self.entries.push(entry);
    }

    /// The caller's buffer is covered.
    fn full(&self) -> bool {
        self.budget == 0
    }
}

/// The file type of a directory entry, by `fstatat` when the host file system did not say.
fn entry_filetype(dir: BorrowedFd<'_>, name: &[u8], ft: FileType) -> u8 {
    if ft != FileType::Unknown {
        return wasi_filetype(ft);
    }
    rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
        .map_or(filetype::UNKNOWN, |st| stat_filetype(&st))
}
