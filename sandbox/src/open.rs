//! `path_open`'s arguments → host `open` flags, and the opened host fd → a table entry.

use rustix::fd::OwnedFd;
use rustix::fs::{Mode, OFlags};

use crate::Errno;
use crate::containment::MountRoot;
use crate::fd_rights::{Rights, access_mode};
use crate::stat::stat_filetype;
use crate::table::{Dir, Entry, File};
use crate::types::{fdflags, filetype, oflags};

/// A validated `path_open` request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OpenRequest {
    oflags: u16,
    fdflags: u16,
    read: bool,
    write: bool,
    /// The rights asked for.
    asked: Rights,
    /// The directory's rights.
    parent: Rights,
}

impl OpenRequest {
    /// Validates the flags and the directory's rights for them, and derives the access mode
    /// from the rights the new fd will hold.
    ///
    /// # Errors
    /// `INVAL` for unknown bits or `CREAT | DIRECTORY`; `NOTCAPABLE` when `parent` lacks a
    /// right the flags need.
    pub fn new(oflags: u16, asked: Rights, fdflags: u16, parent: &Rights) -> Result<Self, Errno> {
        if oflags & !oflags::ALL != 0 || fdflags & !fdflags::ALL != 0 {
            return Err(Errno::INVAL);
        }
        if oflags & oflags::CREAT != 0 && oflags & oflags::DIRECTORY != 0 {
            return Err(Errno::INVAL);
        }
        parent.check_open(oflags, fdflags)?;
        let directory = oflags & oflags::DIRECTORY != 0;
        let (read, write) = access_mode(parent.granted(asked.base), directory);
        Ok(Self {
            oflags,
            fdflags,
            read,
            write,
            asked,
            parent: *parent,
        })
    }

    /// Whether the open would modify the tree or a file (refused beneath read-only preopens).
    pub fn modifies(&self) -> bool {
        self.write || self.oflags & (oflags::CREAT | oflags::TRUNC) != 0
    }

    /// `CREAT | EXCL`: the final component is never followed.
    pub fn exclusive(&self) -> bool {
        self.oflags & oflags::CREAT != 0 && self.oflags & oflags::EXCL != 0
    }

    /// Host `open` flags. `O_NONBLOCK` is always set for the open itself (a FIFO must not
    /// block the sidecar) and cleared afterwards unless requested.
    pub fn host_flags(&self) -> OFlags {
        let mut f = match (self.read, self.write) {
            (true, true) => OFlags::RDWR,
            (false, true) => OFlags::WRONLY,
            _ => OFlags::RDONLY,
        };
        f |= OFlags::CLOEXEC | OFlags::NOCTTY | OFlags::NONBLOCK;
        let pairs = [
            (self.oflags & oflags::CREAT, OFlags::CREATE),
            (self.oflags & oflags::DIRECTORY, OFlags::DIRECTORY),
            (self.oflags & oflags::EXCL, OFlags::EXCL),
            (self.oflags & oflags::TRUNC, OFlags::TRUNC),
            (self.fdflags & fdflags::APPEND, OFlags::APPEND),
            (self.fdflags & fdflags::DSYNC, OFlags::DSYNC),
            (self.fdflags & fdflags::RSYNC, OFlags::RSYNC),
            (self.fdflags & fdflags::SYNC, OFlags::SYNC),
        ];
        for (bit, flag) in pairs {
            if bit != 0 {
                f |= flag;
            }
        }
        f
    }

    /// Mode for a created file (the host umask applies).
    pub fn mode(&self) -> Mode {
        if self.oflags & oflags::CREAT != 0 {
            Mode::from_raw_mode(0o666)
        } else {
            Mode::empty()
        }
    }

    /// The rights of the opened fd.
    fn rights(&self, is_dir: bool) -> Rights {
        self.parent.child(self.asked, is_dir)
    }

    /// The rights of the opened fd when it is not a directory.
    pub fn file_rights(&self) -> Rights {
        self.rights(false)
    }

    /// The fd flags asked for.
    pub fn fdflags(&self) -> u16 {
        self.fdflags
    }
}

/// Turns a freshly opened host fd (`st` its `fstat`) into a table entry, restoring blocking mode if asked; the
/// entry lies in the mount rooted at `mount`, read-only when `read_only`.
///
/// # Errors
/// Host errors from `fstat`/`fcntl`.
pub(crate) fn entry(
    fd: OwnedFd,
    st: &rustix::fs::Stat,
    req: &OpenRequest,
    read_only: bool,
    mount: MountRoot,
    scratch: Option<std::sync::Arc<crate::Scratch>>,
) -> Result<Entry, Errno> {
    if req.fdflags & fdflags::NONBLOCK == 0 {
        let flags = rustix::fs::fcntl_getfl(&fd)?;
        rustix::fs::fcntl_setfl(&fd, flags - OFlags::NONBLOCK)?;
    }
    let ft = stat_filetype(st);
    if ft == filetype::DIRECTORY {
        return Ok(Entry::Dir(Dir {
            fd,
            preopen: None,
            read_only,
            mount,
            rights: req.rights(true),
            readdir: Default::default(),
            scratch,
        }));
    }
    Ok(Entry::File(File {
        fd,
        filetype: ft,
        fdflags: req.fdflags,
        read_only,
        rights: req.rights(false),
        scratch,
    }))
}
