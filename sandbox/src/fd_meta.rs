//! The `fd_*` calls about an fd's metadata: `fdstat`, `filestat`, times, flags, rights,
//! prestat, and `readdir`.

use rustix::fd::{AsFd, BorrowedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use crate::sandbox::MAX_IO;
use crate::stat::{filestat, stat_filetype, timestamps, wasi_filetype};
use crate::table::Entry;
use crate::types::{fdflags, filetype, rights};
use crate::{DirEntry, Errno, FdStat, FileStat, Sandbox};

/// Size of a preview1 `dirent` header; `fd_readdir` stops once entries cover the caller's bytes.
pub const DIRENT_HEADER: usize = 24;

impl Sandbox {
    /// `fd_fdstat_get`: file type, fdflags and rights (needs no right itself).
    ///
    /// # Errors
    /// `BADF` when `fd` is not open.
    pub fn fd_fdstat_get(&self, fd: u32) -> Result<FdStat, Errno> {
        let (filetype, flags, rights) = match self.table.get(fd)? {
            Entry::Stdin(r) | Entry::Stdout(r) | Entry::Stderr(r) => (self.stdio_filetype, 0, *r),
            Entry::Dir(d) => (filetype::DIRECTORY, 0, d.rights),
            Entry::File(f) => (f.filetype, f.fdflags, f.rights),
        };
        Ok(FdStat {
            filetype,
            flags,
            rights_base: rights.base,
            rights_inheriting: rights.inheriting,
        })
    }

    /// `fd_fdstat_set_flags`: only `APPEND` and `NONBLOCK` can change (as in wasmtime).
    ///
    /// # Errors
    /// `BADF` for non-files; `INVAL` for unknown bits or any of `DSYNC`/`RSYNC`/`SYNC`;
    /// `NOTCAPABLE` without `FD_FDSTAT_SET_FLAGS`.
    pub fn fd_fdstat_set_flags(&mut self, fd: u32, flags: u16) -> Result<(), Errno> {
        let sync = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;
        if flags & !fdflags::ALL != 0 || flags & sync != 0 {
            return Err(Errno::INVAL);
        }
        let Entry::File(file) = self.table.get_mut(fd)? else {
            return Err(Errno::BADF);
        };
        file.rights.require(rights::FD_FDSTAT_SET_FLAGS)?;
        let mut host = rustix::fs::fcntl_getfl(&file.fd)?;
        host.set(OFlags::APPEND, flags & fdflags::APPEND != 0);
        host.set(OFlags::NONBLOCK, flags & fdflags::NONBLOCK != 0);
        rustix::fs::fcntl_setfl(&file.fd, host)?;
        file.fdflags = (file.fdflags & sync) | flags;
        Ok(())
    }

    /// `fd_fdstat_set_rights`: rights can only be dropped.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open; `NOTCAPABLE` when asking for a right not held.
    pub fn fd_fdstat_set_rights(
        &mut self,
        fd: u32,
        base: u64,
        inheriting: u64,
    ) -> Result<(), Errno> {
        self.table
            .get_mut(fd)?
            .rights_mut()
            .narrow(base, inheriting)
    }

    /// `fd_filestat_get`: host `fstat`; stdio reports zeros and its file type.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open, `NOTCAPABLE` without `FD_FILESTAT_GET`.
    pub fn fd_filestat_get(&self, fd: u32) -> Result<FileStat, Errno> {
        let entry = self.table.get(fd)?;
        entry.rights().require(rights::FD_FILESTAT_GET)?;
        let host = match entry {
            Entry::Dir(d) => d.fd.as_fd(),
            Entry::File(f) => f.fd.as_fd(),
            _ => {
                return Ok(FileStat {
                    filetype: self.stdio_filetype,
                    ..FileStat::default()
                });
            }
        };
        Ok(filestat(&rustix::fs::fstat(host)?))
    }

    /// `fd_filestat_set_times` (`fst_flags`: 1 ATIM, 2 ATIM_NOW, 4 MTIM, 8 MTIM_NOW).
    ///
    /// # Errors
    /// `INVAL` for bad flags, `BADF` for stdio, `NOTCAPABLE` without `FD_FILESTAT_SET_TIMES`,
    /// `ROFS` beneath a read-only preopen.
    pub fn fd_filestat_set_times(
        &mut self,
        fd: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u16,
    ) -> Result<(), Errno> {
        let times = timestamps(atim, mtim, fst_flags)?;
        let entry = self.table.get(fd)?;
        if matches!(entry, Entry::File(_) | Entry::Dir(_)) {
            entry.rights().require(rights::FD_FILESTAT_SET_TIMES)?;
        }
        match entry {
            Entry::File(f) if !f.read_only => Ok(rustix::fs::futimens(&f.fd, &times)?),
            Entry::Dir(d) if !d.read_only => Ok(rustix::fs::utimensat(
                &d.fd,
                c".",
                &times,
                AtFlags::empty(),
            )?),
            Entry::File(_) | Entry::Dir(_) => Err(Errno::READ_ONLY),
            _ => Err(Errno::BADF),
        }
    }

    /// `fd_prestat_get`: the byte length of a preopen's guest name.
    ///
    /// # Errors
    /// `BADF` when `fd` is not a preopen.
    pub fn fd_prestat_get(&self, fd: u32) -> Result<u32, Errno> {
        match self.table.get(fd)? {
            Entry::Dir(d) => match &d.preopen {
                Some(name) => Ok(u32::try_from(name.len())?),
                None => Err(Errno::BADF),
            },
            _ => Err(Errno::BADF),
        }
    }

    /// `fd_prestat_dir_name`: a preopen's guest name.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open; `NOTDIR` when it is open but not a preopen (wasmtime).
    pub fn fd_prestat_dir_name(&self, fd: u32) -> Result<Vec<u8>, Errno> {
        match self.table.get(fd)? {
            Entry::Dir(d) => d
                .preopen
                .as_ref()
                .map(|n| n.as_bytes().to_vec())
                .ok_or(Errno::NOTDIR),
            _ => Err(Errno::NOTDIR),
        }
    }

    /// `fd_readdir`: entries from `cookie` on, `.` and `..` first (cookies 0 and 1), then the
    /// host's order; `next` is the following entry's cookie. Stops once the entries cover
    /// `max_bytes` of preview1 dirents (header + name), clamped to [`MAX_IO`]: the caller packs
    /// and truncates them.
    ///
    /// # Errors
    /// `BADF` when `fd` is not a directory, `NOTCAPABLE` without `FD_READDIR`.
    pub fn fd_readdir(
        &self,
        fd: u32,
        cookie: u64,
        max_bytes: usize,
    ) -> Result<Vec<DirEntry>, Errno> {
        let Entry::Dir(dir) = self.table.get(fd)? else {
            return Err(Errno::BADF);
        };
        dir.rights.require(rights::FD_READDIR)?;
        let mut out = Listing {
            cookie,
            budget: max_bytes.min(MAX_IO),
            entries: Vec::new(),
        };
        let self_ino = filestat(&rustix::fs::fstat(&dir.fd)?).ino;
        // `..` reports the directory's own inode (as wasmtime does): never stat above a preopen.
        out.add(0, self_ino, filetype::DIRECTORY, b".");
        out.add(1, self_ino, filetype::DIRECTORY, b"..");
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let host = rustix::fs::openat(&dir.fd, c".", flags, Mode::empty())?;
        let mut index = 2u64;
        for entry in rustix::fs::Dir::new(host)? {
            if out.full() {
                break;
            }
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            if index >= cookie {
                let ft = entry_filetype(dir.fd.as_fd(), name, entry.file_type());
                out.add(index, entry.ino(), ft, name);
            }
            index += 1;
        }
        Ok(out.entries)
    }
}

/// `readdir` output being collected.
struct Listing {
    cookie: u64,
    budget: usize,
    entries: Vec<DirEntry>,
}

impl Listing {
    /// Adds entry number `index` if it is at or past the cookie and the budget allows.
    fn add(&mut self, index: u64, ino: u64, filetype: u8, name: &[u8]) {
        if index < self.cookie || self.full() {
            return;
        }
        self.budget = self.budget.saturating_sub(DIRENT_HEADER + name.len());
        let next = index.saturating_add(1);
        self.entries.push(DirEntry {
            next,
            ino,
            filetype,
            name: name.to_vec(),
        });
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
