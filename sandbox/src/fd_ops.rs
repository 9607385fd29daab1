//! The `fd_*` calls that move data or positions: read, write, seek, close, renumber, sync,
//! advise, allocate, truncate.

use std::num::NonZeroU64;

use rustix::fd::BorrowedFd;
use rustix::fs::{Advice, SeekFrom};

use crate::sandbox::MAX_IO;
use crate::table::{Entry, File};
use crate::types::{advice, rights, whence};
use crate::{Errno, Sandbox, Stdio};

impl Sandbox {
    /// `fd_read`: up to `max` bytes (clamped to [`MAX_IO`]) at the fd's offset; empty = EOF.
    /// fd 0 (stdin) goes to `stdio` and may block.
    ///
    /// # Errors
    /// `BADF` for stdout/stderr/directories/closed fds, `NOTCAPABLE` without `FD_READ`; host
    /// errors mapped.
    pub fn fd_read(
        &mut self,
        stdio: &mut dyn Stdio,
        fd: u32,
        max: usize,
    ) -> Result<Vec<u8>, Errno> {
        let max = max.min(MAX_IO);
        self.used(fd);
        match self.table.get(fd)? {
            Entry::Stdin(r) => {
                r.require(rights::FD_READ)?;
                let data = stdio.read(max)?;
                if data.len() > max {
                    return Err(Errno::RANGE);
                }
                Ok(data)
            }
            Entry::File(f) => {
                f.rights.require(rights::FD_READ)?;
                read_with(max, |buf| rustix::io::read(&f.fd, buf))
            }
            _ => Err(Errno::BADF),
        }
    }

    /// `fd_pread`: up to `max` bytes at `offset`, the fd's offset unchanged.
    ///
    /// # Errors
    /// `SPIPE` for stdin, `BADF` for other non-files, `NOTCAPABLE` without `FD_READ` and
    /// `FD_SEEK`.
    pub fn fd_pread(&mut self, fd: u32, max: usize, offset: u64) -> Result<Vec<u8>, Errno> {
        let max = max.min(MAX_IO);
        match self.table.get(fd)? {
            Entry::File(f) => {
                f.rights.require(rights::FD_READ | rights::FD_SEEK)?;
                read_with(max, |buf| rustix::io::pread(&f.fd, buf, offset))
            }
            Entry::Stdin(_) => Err(Errno::SPIPE),
            _ => Err(Errno::BADF),
        }
    }

    /// `fd_write`: writes `data` at the fd's offset (or the end, in append mode); returns the
    /// count written. fds 1/2 go to `stdio`.
    ///
    /// # Errors
    /// `BADF` for stdin/directories/closed fds, `NOTCAPABLE` without `FD_WRITE`.
    pub fn fd_write(
        &mut self,
        stdio: &mut dyn Stdio,
        fd: u32,
        data: &[u8],
    ) -> Result<usize, Errno> {
        self.used(fd);
        let entry = self.table.get(fd)?;
        let stream = match entry {
            Entry::Stdout(_) => 1,
            Entry::Stderr(_) => 2,
            Entry::File(_) => 0,
            _ => return Err(Errno::BADF),
        };
        entry.rights().require(rights::FD_WRITE)?;
        match entry {
            Entry::File(f) => {
                charge_growth(f, data.len(), None)?;
                retry(|| rustix::io::write(&f.fd, data))
            }
            _ => stdio.write(stream, data),
        }
    }

    /// `fd_pwrite`: writes `data` at `offset` (Linux: at the end in append mode).
    ///
    /// # Errors
    /// `SPIPE` for stdout/stderr, `BADF` for other non-files, `NOTCAPABLE` without
    /// `FD_WRITE` and `FD_SEEK`.
    pub fn fd_pwrite(&mut self, fd: u32, data: &[u8], offset: u64) -> Result<usize, Errno> {
        match self.table.get(fd)? {
            Entry::File(f) => {
                f.rights.require(rights::FD_WRITE | rights::FD_SEEK)?;
                charge_growth(f, data.len(), Some(offset))?;
                retry(|| rustix::io::pwrite(&f.fd, data, offset))
            }
            Entry::Stdout(_) | Entry::Stderr(_) => Err(Errno::SPIPE),
            _ => Err(Errno::BADF),
        }
    }

    /// `fd_seek`: moves the offset (`whence` 0 SET, 1 CUR, 2 END); returns the new offset.
    ///
    /// # Errors
    /// `SPIPE` for stdio, `BADF` for directories, `INVAL` for a bad `whence` or negative offset,
    /// `NOTCAPABLE` without `FD_SEEK` (`FD_TELL` is enough for a zero move from the current
    /// offset, which only reports it).
    pub fn fd_seek(&mut self, fd: u32, delta: i64, whence: u8) -> Result<u64, Errno> {
        let pos = match whence {
            whence::SET => SeekFrom::Start(u64::try_from(delta).map_err(|_| Errno::INVAL)?),
            whence::CUR => SeekFrom::Current(delta),
            whence::END => SeekFrom::End(delta),
            _ => return Err(Errno::INVAL),
        };
        let needed = if pos == SeekFrom::Current(0) {
            rights::FD_TELL | rights::FD_SEEK
        } else {
            rights::FD_SEEK
        };
        let fd = self.seekable(fd, needed)?;
        Ok(rustix::fs::seek(fd, pos)?)
    }

    /// `fd_tell`: the current offset.
    ///
    /// # Errors
    /// As [`Sandbox::fd_seek`].
    pub fn fd_tell(&mut self, fd: u32) -> Result<u64, Errno> {
        let fd = self.seekable(fd, rights::FD_TELL | rights::FD_SEEK)?;
        Ok(rustix::fs::seek(fd, SeekFrom::Current(0))?)
    }

    /// `fd_close`: closes any fd, stdio and preopens included.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open.
    pub fn fd_close(&mut self, fd: u32) -> Result<(), Errno> {
        self.table.remove(fd).map(drop)
    }

    /// `fd_renumber`: moves `from` to `to`, closing what `to` held.
    ///
    /// # Errors
    /// `BADF` when `from` or `to` is not open (preview1 renumbers onto an open fd only).
    pub fn fd_renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.table.renumber(from, to)
    }

    /// `fd_sync`: `fsync` of a file.
    ///
    /// # Errors
    /// `BADF` for non-files, `NOTCAPABLE` without `FD_SYNC`.
    pub fn fd_sync(&mut self, fd: u32) -> Result<(), Errno> {
        Ok(rustix::fs::fsync(&self.file(fd, rights::FD_SYNC)?.fd)?)
    }

    /// `fd_datasync`: `fdatasync` of a file.
    ///
    /// # Errors
    /// `BADF` for non-files, `NOTCAPABLE` without `FD_DATASYNC`.
    pub fn fd_datasync(&mut self, fd: u32) -> Result<(), Errno> {
        Ok(rustix::fs::fdatasync(
            &self.file(fd, rights::FD_DATASYNC)?.fd,
        )?)
    }

    /// `fd_advise`: `posix_fadvise` (`len` 0 = to the end).
    ///
    /// # Errors
    /// `BADF` for non-files, `INVAL` for an unknown advice, `NOTCAPABLE` without `FD_ADVISE`.
    pub fn fd_advise(&mut self, fd: u32, offset: u64, len: u64, advice: u8) -> Result<(), Errno> {
        let advice = match advice {
            advice::NORMAL => Advice::Normal,
            advice::SEQUENTIAL => Advice::Sequential,
            advice::RANDOM => Advice::Random,
            advice::WILLNEED => Advice::WillNeed,
            advice::DONTNEED => Advice::DontNeed,
            advice::NOREUSE => Advice::NoReuse,
            _ => return Err(Errno::INVAL),
        };
        let file = self.file(fd, rights::FD_ADVISE)?;
        Ok(rustix::fs::fadvise(
            &file.fd,
            offset,
            NonZeroU64::new(len),
            advice,
        )?)
    }

    /// `fd_allocate`: always `NOTSUP` for files, as in wasmtime (the guest cannot reserve host
    /// disk space; `fd_filestat_set_size` still grows files).
    ///
    /// # Errors
    /// `BADF` for non-files, `NOTCAPABLE` without `FD_ALLOCATE`, else `NOTSUP`.
    pub fn fd_allocate(&mut self, fd: u32, _offset: u64, _len: u64) -> Result<(), Errno> {
        self.file(fd, rights::FD_ALLOCATE)?;
        Err(Errno::NOTSUP)
    }

    /// `fd_filestat_set_size`: truncates or zero-extends a file.
    ///
    /// # Errors
    /// `BADF` for non-files, `NOTCAPABLE` without `FD_FILESTAT_SET_SIZE`, `ROFS` beneath a
    /// read-only preopen.
    pub fn fd_filestat_set_size(&mut self, fd: u32, size: u64) -> Result<(), Errno> {
        let file = self.writable_file(fd, rights::FD_FILESTAT_SET_SIZE)?;
        if let Some(scratch) = &file.scratch {
            let now = rustix::fs::fstat(&file.fd)?.st_size;
            scratch.charge(size.saturating_sub(u64::try_from(now).unwrap_or(0)))?;
        }
        Ok(rustix::fs::ftruncate(&file.fd, size)?)
    }

    /// The host fd of a seekable entry holding one of the rights `any`: `SPIPE` for stdio,
    /// `BADF` for directories, `NOTCAPABLE` without the rights.
    fn seekable(&self, fd: u32, any: u64) -> Result<BorrowedFd<'_>, Errno> {
        match self.table.get(fd)? {
            Entry::File(f) => {
                f.rights.require_any(any)?;
                Ok(rustix::fd::AsFd::as_fd(&f.fd))
            }
            Entry::Stdin(_) | Entry::Stdout(_) | Entry::Stderr(_) | Entry::Socket(_) => {
                Err(Errno::SPIPE)
            }
            Entry::Dir(_) => Err(Errno::BADF),
        }
    }
}

/// Charges what writing `len` bytes at `offset` (the fd's offset when `None`; the end in append
/// mode) adds beyond the end of a file in a bounded `/tmp`.
fn charge_growth(file: &File, len: usize, offset: Option<u64>) -> Result<(), Errno> {
    let Some(scratch) = &file.scratch else {
        return Ok(());
    };
    let len = len as u64;
    let appending = file.fdflags & crate::types::fdflags::APPEND != 0;
    // Linux writes at the end in append mode, `pwrite` too.
    let growth = if appending {
        len
    } else {
        let at = match offset {
            Some(offset) => offset,
            None => rustix::fs::seek(&file.fd, rustix::fs::SeekFrom::Current(0))?,
        };
        let size = u64::try_from(rustix::fs::fstat(&file.fd)?.st_size).unwrap_or(0);
        at.saturating_add(len).saturating_sub(size)
    };
    scratch.charge(growth)
}

/// Reads up to `max` bytes with `read`, allocating only what `max` asks for.
fn read_with(
    max: usize,
    mut read: impl FnMut(rustix::buffer::SpareCapacity<'_, u8>) -> rustix::io::Result<usize>,
) -> Result<Vec<u8>, Errno> {
    let mut buf = Vec::with_capacity(max);
    if max == 0 {
        return Ok(buf);
    }
    loop {
        match read(rustix::buffer::spare_capacity(&mut buf)) {
            Ok(_) => return Ok(buf),
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Runs a host call again after `EINTR`.
fn retry<T>(mut op: impl FnMut() -> rustix::io::Result<T>) -> Result<T, Errno> {
    loop {
        match op() {
            Err(rustix::io::Errno::INTR) => {}
            other => return Ok(other?),
        }
    }
}
