//! [`SandboxFs`]: the [`FileSystem`] half of the OS interface over `agentos-sandbox`, so the
//! shell's redirections, globbing, `cd`, `test` and `source` are confined exactly as a
//! guest's WASI calls are. A guest path maps to the preopen whose guest name is its longest
//! prefix (as `engine/src/job/guest_files.rs` does); the rest is resolved beneath that
//! preopen by the sandbox (`..` past the mount, absolute or escaping symlinks: `Denied`;
//! writes beneath a read-only mount: `ReadOnly`). No path covered by no mount exists.

use std::sync::{Arc, Mutex};

use agentos_sandbox::{
    Errno, Preopen, Sandbox, SandboxError, Stdio, fdflags, filetype, lookupflags, oflags, rights,
};

use crate::os::{DirEntry, FileKind, FileSystem, FsError, Metadata, OpenMode};
use crate::stream::{Io, IoError, Stream, StreamKind};

/// Bytes asked of one `fd_readdir` call.
const READDIR_CHUNK: usize = 64 << 10;

/// One mount: its guest path, its preopen fd and whether it is read-only.
#[derive(Debug, Clone)]
struct Mount {
    guest: String,
    fd: u32,
    read_only: bool,
}

#[derive(Debug)]
struct Inner {
    sandbox: Mutex<Sandbox>,
    mounts: Vec<Mount>,
}

/// The shell's view of the exec's mounts, through its own [`Sandbox`] (own fd table).
#[derive(Debug, Clone)]
pub struct SandboxFs {
    inner: Arc<Inner>,
}

impl SandboxFs {
    /// Opens `preopens` in a sandbox of the shell's own.
    ///
    /// # Errors
    /// [`SandboxError`] when a host directory cannot be opened.
    pub fn new(preopens: &[Preopen]) -> Result<Self, SandboxError> {
        let sandbox = Sandbox::new(preopens)?;
        let mounts = preopens
            .iter()
            .enumerate()
            .map(|(i, p)| Mount {
                guest: p.guest.clone(),
                fd: 3 + i as u32,
                read_only: p.read_only,
            })
            .collect();
        Ok(Self {
            inner: Arc::new(Inner {
                sandbox: Mutex::new(sandbox),
                mounts,
            }),
        })
    }

    /// The mount covering `path` (longest guest prefix) and the path relative to it.
    fn resolve(&self, path: &str) -> Result<(Mount, String), FsError> {
        let mut best: Option<(&Mount, String)> = None;
        for m in &self.inner.mounts {
            let Some(rest) = strip_dir(path, &m.guest) else {
                continue;
            };
            if best
                .as_ref()
                .is_none_or(|(b, _)| m.guest.len() > b.guest.len())
            {
                best = Some((m, rest));
            }
        }
        best.map(|(m, r)| (m.clone(), r)).ok_or(FsError::NotFound)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Sandbox>, FsError> {
        self.inner
            .sandbox
            .lock()
            .map_err(|_| FsError::Other("sandbox lock poisoned".into()))
    }
}

/// `path` relative to mount `dir`, or `None` when `dir` does not cover it.
fn strip_dir(path: &str, dir: &str) -> Option<String> {
    let dir = dir.trim_end_matches('/');
    let rest = path.strip_prefix(dir)?;
    if !rest.is_empty() && !rest.starts_with('/') {
        return None;
    }
    let rest = rest.trim_start_matches('/');
    Some(if rest.is_empty() {
        ".".into()
    } else {
        rest.into()
    })
}

/// A WASI errno as the message bash would print.
fn fs_error(e: Errno) -> FsError {
    match e {
        Errno::NOENT => FsError::NotFound,
        Errno::NOTDIR => FsError::NotDir,
        Errno::ISDIR => FsError::IsDir,
        Errno::EXIST => FsError::Exists,
        Errno::NOTCAPABLE | Errno::ACCES | Errno::PERM => FsError::Denied,
        Errno::ROFS => FsError::ReadOnly,
        Errno::LOOP => FsError::Loop,
        Errno::NAMETOOLONG => FsError::NameTooLong,
        // glibc's words: a name that is not UTF-8, which guest paths must be.
        Errno::ILSEQ => FsError::Other("Invalid or incomplete multibyte or wide character".into()),
        other => FsError::Other(other.name().to_lowercase()),
    }
}

fn kind(ft: u8) -> FileKind {
    match ft {
        filetype::REGULAR_FILE => FileKind::Regular,
        filetype::DIRECTORY => FileKind::Directory,
        filetype::SYMBOLIC_LINK => FileKind::Symlink,
        filetype::CHARACTER_DEVICE => FileKind::CharDevice,
        filetype::BLOCK_DEVICE => FileKind::BlockDevice,
        filetype::SOCKET_STREAM | filetype::SOCKET_DGRAM => FileKind::Socket,
        _ => FileKind::Other,
    }
}

impl FileSystem for SandboxFs {
    fn open(&self, path: &str, mode: OpenMode) -> Result<Io, FsError> {
        let (mount, rel) = self.resolve(path)?;
        let mut of = 0;
        if mode.create {
            of |= oflags::CREAT;
        }
        if mode.truncate {
            of |= oflags::TRUNC;
        }
        if mode.exclusive {
            of |= oflags::EXCL;
        }
        let mut base = rights::FD_SEEK | rights::FD_FILESTAT_GET;
        if mode.read {
            base |= rights::FD_READ;
        }
        if mode.write {
            base |= rights::FD_WRITE | rights::FD_FILESTAT_SET_SIZE;
        }
        let fdf = if mode.append { fdflags::APPEND } else { 0 };
        let mut sb = self.lock()?;
        let fd = sb
            .path_open(
                mount.fd,
                lookupflags::SYMLINK_FOLLOW,
                &crate::bytes::encode(&rel),
                of,
                base,
                0,
                fdf,
            )
            .map_err(fs_error)?;
        let is_dir = sb
            .fd_fdstat_get(fd)
            .is_ok_and(|s| s.filetype == filetype::DIRECTORY);
        if is_dir && mode.write {
            let _ = sb.fd_close(fd);
            return Err(FsError::IsDir);
        }
        Ok(Arc::new(SandboxFile {
            fs: self.clone(),
            fd,
            is_dir,
        }))
    }

    fn stat(&self, path: &str, follow: bool) -> Result<Metadata, FsError> {
        let (mount, rel) = self.resolve(path)?;
        let lookup = if follow {
            lookupflags::SYMLINK_FOLLOW
        } else {
            0
        };
        let st = self
            .lock()?
            .path_filestat_get(mount.fd, lookup, &crate::bytes::encode(&rel))
            .map_err(fs_error)?;
        let k = kind(st.filetype);
        Ok(Metadata {
            kind: k,
            size: st.size,
            mtime_ns: st.mtim,
            dev: st.dev,
            ino: st.ino,
            writable: !mount.read_only,
            executable: k == FileKind::Directory || k == FileKind::Regular && st.mode & 0o111 != 0,
        })
    }

    fn read_dir(&self, path: &str, max: usize) -> Result<Vec<DirEntry>, FsError> {
        let (mount, rel) = self.resolve(path)?;
        let mut sb = self.lock()?;
        let fd = sb
            .path_open(
                mount.fd,
                lookupflags::SYMLINK_FOLLOW,
                &crate::bytes::encode(&rel),
                oflags::DIRECTORY,
                rights::FD_READDIR | rights::PATH_FILESTAT_GET,
                0,
                0,
            )
            .map_err(fs_error)?;
        let result = list(&mut sb, fd, max);
        let _ = sb.fd_close(fd);
        let mut entries = result?;
        for e in entries
            .iter_mut()
            .filter(|e| e.1 == filetype::SYMBOLIC_LINK)
        {
            let target = sb.path_filestat_get(
                mount.fd,
                lookupflags::SYMLINK_FOLLOW,
                &crate::bytes::encode(&format!("{rel}/{}", e.0.name)),
            );
            e.0.is_dir = target.is_ok_and(|t| t.filetype == filetype::DIRECTORY);
        }
        Ok(entries.into_iter().map(|(e, _)| e).collect())
    }
}

/// Every entry of the open directory `fd` but `.` and `..`, at most `max`.
fn list(sb: &mut Sandbox, fd: u32, max: usize) -> Result<Vec<(DirEntry, u8)>, FsError> {
    let mut out = Vec::new();
    let mut cookie = 0;
    loop {
        let batch = sb.fd_readdir(fd, cookie, READDIR_CHUNK).map_err(fs_error)?;
        let Some(last) = batch.last() else {
            return Ok(out);
        };
        cookie = last.next;
        for e in batch {
            if e.name == b"." || e.name == b".." {
                continue;
            }
            if out.len() >= max {
                return Err(FsError::TooMany);
            }
            let entry = DirEntry {
                name: crate::bytes::decode(&e.name),
                is_dir: e.filetype == filetype::DIRECTORY,
                is_link: e.filetype == filetype::SYMBOLIC_LINK,
            };
            out.push((entry, e.filetype));
        }
    }
}

/// A file opened through the sandbox; closed when the last clone of its `Io` drops.
#[derive(Debug)]
struct SandboxFile {
    fs: SandboxFs,
    fd: u32,
    is_dir: bool,
}

/// The sandbox's stdio is never reached through a file fd.
struct NoStdio;

impl Stdio for NoStdio {
    fn read(&mut self, _max: usize) -> Result<Vec<u8>, Errno> {
        Err(Errno::BADF)
    }
    fn write(&mut self, _fd: u32, _data: &[u8]) -> Result<usize, Errno> {
        Err(Errno::BADF)
    }
}

fn io_error(e: Errno) -> IoError {
    match e {
        Errno::BADF | Errno::NOTCAPABLE => IoError::NotReadable,
        Errno::FBIG => IoError::TooLarge,
        Errno::NOSPC => IoError::Other("No space left on device".into()),
        other => IoError::Other(fs_error(other).to_string()),
    }
}

impl Stream for SandboxFile {
    fn read(&self, buf: &mut [u8]) -> Result<usize, IoError> {
        if self.is_dir {
            return Err(IoError::Other("Is a directory".into()));
        }
        let mut sb = self.fs.lock().map_err(|e| IoError::Other(e.to_string()))?;
        let data = sb
            .fd_read(&mut NoStdio, self.fd, buf.len())
            .map_err(io_error)?;
        let n = data.len().min(buf.len());
        buf[..n].copy_from_slice(&data[..n]);
        Ok(n)
    }

    fn write(&self, data: &[u8]) -> Result<usize, IoError> {
        let mut sb = self.fs.lock().map_err(|e| IoError::Other(e.to_string()))?;
        sb.fd_write(&mut NoStdio, self.fd, data)
            .map_err(|e| match e {
                Errno::BADF | Errno::NOTCAPABLE => IoError::NotWritable,
                other => io_error(other),
            })
    }

    fn kind(&self) -> StreamKind {
        StreamKind::File
    }
}

impl Drop for SandboxFile {
    fn drop(&mut self) {
        if let Ok(mut sb) = self.fs.inner.sandbox.lock() {
            let _ = sb.fd_close(self.fd);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_match_whole_components() {
        assert_eq!(strip_dir("/data/x", "/data").as_deref(), Some("x"));
        assert_eq!(strip_dir("/data", "/data/").as_deref(), Some("."));
        assert_eq!(strip_dir("/database", "/data"), None);
        assert_eq!(strip_dir("/a/b", "/").as_deref(), Some("a/b"));
    }
}
