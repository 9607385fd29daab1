//! The [`Sandbox`]: one per exec. Owns the fd table and the preopened directories, and looks
//! entries up for the `fd_*` ([`crate::fd_ops`], [`crate::fd_meta`]) and `path_*`
//! ([`crate::path_ops`]) calls.

use std::path::PathBuf;

use rustix::fs::{Mode, OFlags};

use crate::containment::MountRoot;
use crate::fd_rights::Rights;
use crate::inherited::FirstUse;
use crate::resolve::{Resolver, ResolverKind};
use crate::skeletons::Lease;
use crate::table::{Dir, Entry, FdTable, File};
use crate::types::filetype;
use crate::{Errno, Preopen};

/// Largest byte count one read (or `readdir`) call allocates on the host.
pub const MAX_IO: usize = 16 << 20;

/// Tunables of a [`Sandbox`]; `Default` is what production uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SandboxOptions {
    /// Which path resolver to use (`Auto`: `openat2` if the kernel has it).
    pub resolver: ResolverKind,
    /// Most fds open at once, stdio and preopens included (`MFILE` past it). Default 1024.
    pub max_fds: usize,
    /// The `filetype` stdio fds report. Default `UNKNOWN`, wasmtime's answer for stdio that is
    /// not a terminal (the guest's stdio is a pipe to the host): wasi-libc's `isatty` is false,
    /// so tools print for a pipe (`ls` one name per line, no colours, full buffering).
    /// `CHARACTER_DEVICE` makes `isatty` true (stdio never holds `FD_SEEK`/`FD_TELL`).
    pub stdio_filetype: u8,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            resolver: ResolverKind::Auto,
            max_fds: 1024,
            stdio_filetype: filetype::UNKNOWN,
        }
    }
}

/// Why a sandbox could not be created (host-side configuration errors, not guest errors).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// A preopen's host directory could not be opened.
    #[error("cannot open preopen {guest:?} at {host}: {source}")]
    Preopen {
        /// The guest name.
        guest: String,
        /// The host directory.
        host: PathBuf,
        /// The host error.
        #[source]
        source: std::io::Error,
    },
    /// More preopens than `max_fds` leaves room for.
    #[error("too many preopens: {count} (max_fds {max_fds} includes the 3 stdio fds)")]
    TooManyPreopens {
        /// Preopens requested.
        count: usize,
        /// The fd limit.
        max_fds: usize,
    },
}

/// A guest's file descriptors and preopened directories, with every path confined.
#[derive(Debug)]
pub struct Sandbox {
    pub(crate) table: FdTable,
    pub(crate) resolver: Resolver,
    pub(crate) stdio_filetype: u8,
    /// Inherited fds whose first use starts something (`inherited.rs`).
    pub(crate) first_use: Vec<(u32, FirstUse)>,
    /// Keeps the synthetic root's skeleton (`root.rs`) while this sandbox lives (`None`: the
    /// sandbox has no synthetic root).
    pub(crate) root: Option<Lease>,
}

impl Sandbox {
    /// A sandbox with fds 0–2 as stdio and `preopens` at 3, 4, ... (default options).
    ///
    /// # Errors
    /// [`SandboxError::Preopen`] when a host directory cannot be opened.
    pub fn new(preopens: &[Preopen]) -> Result<Self, SandboxError> {
        Self::with_options(preopens, SandboxOptions::default())
    }

    /// As [`Sandbox::new`], with explicit options.
    ///
    /// # Errors
    /// [`SandboxError`] when a host directory cannot be opened or there are too many.
    pub fn with_options(preopens: &[Preopen], opts: SandboxOptions) -> Result<Self, SandboxError> {
        if preopens.len().saturating_add(3) > opts.max_fds {
            return Err(SandboxError::TooManyPreopens {
                count: preopens.len(),
                max_fds: opts.max_fds,
            });
        }
        let root = crate::root::lease(preopens).transpose().map_err(|e| {
            let root = preopens.iter().find(|p| p.guest == "/");
            SandboxError::Preopen {
                guest: "/".into(),
                host: root.map(|p| p.host.clone()).unwrap_or_default(),
                source: e,
            }
        })?;
        let dirs = preopens
            .iter()
            .map(open_preopen)
            .collect::<Result<Vec<_>, _>>()?;
        let resolver = match dirs.first() {
            Some(d) => Resolver::new(opts.resolver, rustix::fd::AsFd::as_fd(&d.fd)),
            None => Resolver::new(ResolverKind::Walk, rustix::fs::CWD),
        };
        let mut table = FdTable::new(opts.max_fds);
        let stdio = [
            Entry::Stdin(Rights::STDIN),
            Entry::Stdout(Rights::STDOUT),
            Entry::Stderr(Rights::STDOUT),
        ];
        for entry in stdio.into_iter().chain(dirs.into_iter().map(Entry::Dir)) {
            table
                .push(entry)
                .map_err(|_| SandboxError::TooManyPreopens {
                    count: preopens.len(),
                    max_fds: opts.max_fds,
                })?;
        }
        Ok(Self {
            table,
            resolver,
            stdio_filetype: opts.stdio_filetype,
            first_use: Vec::new(),
            root,
        })
    }

    /// The directory at `fd` holding the rights `needed`: `NOTDIR` for a file, `BADF` for stdio
    /// or a closed fd, `NOTCAPABLE` without the rights.
    pub(crate) fn dir(&self, fd: u32, needed: u64) -> Result<&Dir, Errno> {
        match self.table.get(fd)? {
            Entry::Dir(d) => d.rights.require(needed).map(|()| d),
            Entry::File(_) => Err(Errno::NOTDIR),
            _ => Err(Errno::BADF),
        }
    }

    /// As [`Sandbox::dir`], and `ROFS` when the directory is beneath a read-only preopen.
    pub(crate) fn writable_dir(&self, fd: u32, needed: u64) -> Result<&Dir, Errno> {
        let dir = self.dir(fd, needed)?;
        if dir.read_only {
            return Err(Errno::READ_ONLY);
        }
        Ok(dir)
    }

    /// The non-directory file at `fd` holding the rights `needed`: `BADF` for anything else,
    /// `NOTCAPABLE` without the rights.
    pub(crate) fn file(&self, fd: u32, needed: u64) -> Result<&File, Errno> {
        match self.table.get(fd)? {
            Entry::File(f) => f.rights.require(needed).map(|()| f),
            _ => Err(Errno::BADF),
        }
    }

    /// As [`Sandbox::file`], and `ROFS` when the file came from a read-only preopen.
    pub(crate) fn writable_file(&self, fd: u32, needed: u64) -> Result<&File, Errno> {
        let file = self.file(fd, needed)?;
        if file.read_only {
            return Err(Errno::READ_ONLY);
        }
        Ok(file)
    }
}

/// Opens one preopen's host directory (`O_PATH | O_DIRECTORY | O_CLOEXEC`), once.
fn open_preopen(p: &Preopen) -> Result<Dir, SandboxError> {
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let failed = |e: rustix::io::Errno| SandboxError::Preopen {
        guest: p.guest.clone(),
        host: p.host.clone(),
        source: e.into(),
    };
    let fd = rustix::fs::open(&p.host, flags, Mode::empty()).map_err(failed)?;
    let mount = MountRoot::from_stat(&rustix::fs::fstat(&fd).map_err(failed)?);
    Ok(Dir {
        fd,
        preopen: Some(p.guest.clone()),
        read_only: p.read_only,
        mount,
        rights: Rights::PREOPEN,
        readdir: Default::default(),
        scratch: crate::scratch::at(&p.host),
    })
}

/// The glue may move a sandbox between threads (one exec, one owner at a time).
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Sandbox>();
};
