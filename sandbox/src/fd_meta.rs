//! The `fd_*` calls about an fd's metadata: `fdstat`, `filestat`, times, flags, rights and
//! prestat (`fd_readdir` is in [`crate::readdir`]).

use rustix::fd::AsFd;
use rustix::fs::{AtFlags, OFlags};

use crate::stat::{filestat, timestamps};
use crate::table::Entry;
use crate::types::{fdflags, filetype, rights};
use crate::{Errno, FdStat, FileStat, Sandbox};

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
            Entry::Socket(s) => (filetype::SOCKET_STREAM, s.fdflags, s.rights),
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
        let file = match self.table.get_mut(fd)? {
            Entry::File(file) => file,
            Entry::Socket(socket) => {
                socket.rights.require(rights::FD_FDSTAT_SET_FLAGS)?;
                socket.fdflags = flags & fdflags::NONBLOCK;
                return Ok(());
            }
            _ => return Err(Errno::BADF),
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

    /// `fd_filestat_get`: host `fstat` with the type the fd was opened as; stdio reports zeros
    /// and its file type.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open, `NOTCAPABLE` without `FD_FILESTAT_GET`.
    pub fn fd_filestat_get(&self, fd: u32) -> Result<FileStat, Errno> {
        let entry = self.table.get(fd)?;
        entry.rights().require(rights::FD_FILESTAT_GET)?;
        let (host, filetype) = match entry {
            Entry::Dir(d) => (d.fd.as_fd(), filetype::DIRECTORY),
            // The type it was opened as (a device of `/dev` is an empty regular file).
            Entry::File(f) => (f.fd.as_fd(), f.filetype),
            Entry::Socket(_) => {
                return Ok(FileStat {
                    filetype: filetype::SOCKET_STREAM,
                    ..FileStat::default()
                });
            }
            _ => {
                return Ok(FileStat {
                    filetype: self.stdio_filetype,
                    ..FileStat::default()
                });
            }
        };
        Ok(FileStat {
            filetype,
            ..filestat(&rustix::fs::fstat(host)?)
        })
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
}
