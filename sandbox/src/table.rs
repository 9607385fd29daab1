//! The per-exec file descriptor table: guest fd numbers → open host objects.
//!
//! ```text
//!   0 Stdin   1 Stdout   2 Stderr   3.. preopens (in order)   then path_open results
//! ```
//! New fds take the lowest free number; the table holds at most `max_fds` entries (`MFILE`).

use std::collections::BTreeMap;
use std::sync::Arc;

use rustix::fd::OwnedFd;

use crate::Errno;
use crate::containment::MountRoot;
use crate::fd_rights::Rights;
use crate::readdir::Cursor;
use crate::scratch::Scratch;

/// What one guest fd refers to.
#[derive(Debug)]
pub(crate) enum Entry {
    /// The sidecar's stdin.
    Stdin(Rights),
    /// The sidecar's stdout.
    Stdout(Rights),
    /// The sidecar's stderr.
    Stderr(Rights),
    /// A directory (a preopen, or opened by `path_open`).
    Dir(Dir),
    /// Anything else opened by `path_open` (regular file, device, fifo, ...).
    File(File),
    /// A stream socket on the exec's network (`crate::sockets`).
    Socket(Socket),
}

/// A socket entry: the engine holds the connection itself, by `handle`.
#[derive(Debug)]
pub(crate) struct Socket {
    /// The engine's handle for its connection; 0 until connected.
    pub handle: u32,
    /// Current `fdflags` (only `NONBLOCK` means anything).
    pub fdflags: u16,
    /// Its rights.
    pub rights: Rights,
}

/// A directory entry of the table.
#[derive(Debug)]
pub(crate) struct Dir {
    /// The host directory (`O_PATH` for preopens, `O_RDONLY` for `path_open` results).
    pub fd: OwnedFd,
    /// The guest name when this is a preopen.
    pub preopen: Option<String>,
    /// Nothing beneath may be modified.
    pub read_only: bool,
    /// The root of the mount it lies in (symlinks made beneath must stay inside it).
    pub mount: MountRoot,
    /// Its rights.
    pub rights: Rights,
    /// Where its `fd_readdir` listing stands.
    pub readdir: Cursor,
    /// The bounded `/tmp` it lies in, if it does (`scratch.rs`): names made beneath are charged.
    pub scratch: Option<Arc<Scratch>>,
}

/// A non-directory entry of the table.
#[derive(Debug)]
pub(crate) struct File {
    /// The host file.
    pub fd: OwnedFd,
    /// A `filetype` value.
    pub filetype: u8,
    /// Current `fdflags` (as requested; `APPEND`/`NONBLOCK` mirrored on the host fd).
    pub fdflags: u16,
    /// Opened beneath a read-only preopen.
    pub read_only: bool,
    /// Its rights.
    pub rights: Rights,
    /// The bounded `/tmp` it lies in, if it does (`scratch.rs`): its growth is charged.
    pub scratch: Option<Arc<Scratch>>,
}

impl Entry {
    /// The entry's rights.
    pub fn rights(&self) -> &Rights {
        match self {
            Entry::Stdin(r) | Entry::Stdout(r) | Entry::Stderr(r) => r,
            Entry::Dir(d) => &d.rights,
            Entry::File(f) => &f.rights,
            Entry::Socket(s) => &s.rights,
        }
    }

    /// The entry's rights, mutably.
    pub fn rights_mut(&mut self) -> &mut Rights {
        match self {
            Entry::Stdin(r) | Entry::Stdout(r) | Entry::Stderr(r) => r,
            Entry::Dir(d) => &mut d.rights,
            Entry::File(f) => &mut f.rights,
            Entry::Socket(s) => &mut s.rights,
        }
    }
}

/// The fd table.
#[derive(Debug)]
pub(crate) struct FdTable {
    entries: BTreeMap<u32, Entry>,
    max_fds: usize,
}

impl FdTable {
    /// An empty table holding at most `max_fds` entries.
    pub fn new(max_fds: usize) -> Self {
        Self {
            entries: BTreeMap::new(),
            max_fds,
        }
    }

    /// Inserts at the lowest free number.
    ///
    /// # Errors
    /// `MFILE` when the table is full.
    pub fn push(&mut self, entry: Entry) -> Result<u32, Errno> {
        if self.entries.len() >= self.max_fds {
            return Err(Errno::MFILE);
        }
        let mut fd = 0u32;
        for &used in self.entries.keys() {
            if used != fd {
                break;
            }
            fd = fd.checked_add(1).ok_or(Errno::MFILE)?;
        }
        self.entries.insert(fd, entry);
        Ok(fd)
    }

    /// Inserts at `fd`, which must be free.
    ///
    /// # Errors
    /// `MFILE` when the table is full, `BADF` when `fd` is taken.
    pub fn place(&mut self, fd: u32, entry: Entry) -> Result<(), Errno> {
        if self.entries.len() >= self.max_fds {
            return Err(Errno::MFILE);
        }
        if self.entries.contains_key(&fd) {
            return Err(Errno::BADF);
        }
        self.entries.insert(fd, entry);
        Ok(())
    }

    /// The entry at `fd`.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open.
    pub fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.entries.get(&fd).ok_or(Errno::BADF)
    }

    /// The entry at `fd`, mutably.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open.
    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.entries.get_mut(&fd).ok_or(Errno::BADF)
    }

    /// The preopens still open: their fds and guest names.
    pub fn preopens(&self) -> impl Iterator<Item = (u32, &str)> {
        self.entries.iter().filter_map(|(fd, entry)| match entry {
            Entry::Dir(dir) => dir.preopen.as_deref().map(|guest| (*fd, guest)),
            _ => None,
        })
    }

    /// Removes `fd` (closing the host object when dropped).
    ///
    /// # Errors
    /// `BADF` when `fd` is not open.
    pub fn remove(&mut self, fd: u32) -> Result<Entry, Errno> {
        self.entries.remove(&fd).ok_or(Errno::BADF)
    }

    /// Moves `from` to `to`, closing what `to` held (preview1: `to` must be open).
    ///
    /// # Errors
    /// `BADF` when `from` or `to` is not open.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        if !self.entries.contains_key(&from) || !self.entries.contains_key(&to) {
            return Err(Errno::BADF);
        }
        if from != to {
            let entry = self.remove(from)?;
            self.entries.insert(to, entry);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stdin() -> Entry {
        Entry::Stdin(Rights::STDIN)
    }

    #[test]
    fn push_takes_lowest_free() {
        let mut t = FdTable::new(8);
        assert_eq!(t.push(stdin()), Ok(0));
        assert_eq!(t.push(stdin()), Ok(1));
        assert_eq!(t.push(stdin()), Ok(2));
        t.remove(1).unwrap();
        assert_eq!(t.push(stdin()), Ok(1));
    }

    #[test]
    fn push_past_limit_is_mfile() {
        let mut t = FdTable::new(1);
        t.push(stdin()).unwrap();
        assert_eq!(t.push(stdin()), Err(Errno::MFILE));
    }

    #[test]
    fn renumber_replaces_target() {
        let mut t = FdTable::new(8);
        t.push(stdin()).unwrap();
        t.push(stdin()).unwrap();
        t.renumber(0, 1).unwrap();
        assert_eq!(t.get(0).err(), Some(Errno::BADF));
        assert!(t.get(1).is_ok());
        assert_eq!(t.renumber(5, 1), Err(Errno::BADF));
    }

    #[test]
    fn renumber_onto_closed_fd_is_badf() {
        let mut t = FdTable::new(8);
        t.push(stdin()).unwrap();
        assert_eq!(t.renumber(0, 1), Err(Errno::BADF));
        assert!(t.get(0).is_ok(), "the source stays open");
        assert_eq!(t.renumber(0, 0), Ok(()));
    }
}
