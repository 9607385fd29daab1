//! Fixture: a scratch tree with a writable preopen (fd 3, `/`), a read-only one (fd 4, `/ro`)
//! and an `outside/` directory next to them that must never be reached.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use agentos_sandbox::{
    Errno, Preopen, ResolverKind, Sandbox, SandboxOptions, Stdio, oflags, rights,
};

/// The writable preopen.
pub const ROOT: u32 = 3;
/// The read-only preopen.
pub const RO: u32 = 4;

/// Runs `body` once per resolver.
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports, reason = "not every test body uses the parent module")]
            use super::*;
            #[test]
            fn openat2() {
                ($body)(&mut $crate::common::Fixture::new(
                    agentos_sandbox::ResolverKind::Openat2,
                ));
            }
            #[test]
            fn walk() {
                ($body)(&mut $crate::common::Fixture::new(
                    agentos_sandbox::ResolverKind::Walk,
                ));
            }
        }
    };
}
pub(crate) use both;

/// A scratch tree and a sandbox over it.
pub struct Fixture {
    /// Keeps the tree alive.
    pub tmp: tempfile::TempDir,
    /// The sandbox under test.
    pub sb: Sandbox,
    /// In-memory stdio.
    pub io: MemStdio,
    /// The resolver the sandbox uses.
    resolver: ResolverKind,
}

impl Fixture {
    /// Builds the tree and a sandbox using `resolver`.
    pub fn new(resolver: ResolverKind) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let base = tmp.path();
        for d in ["root", "ro/sub", "outside/dir"] {
            fs::create_dir_all(base.join(d)).expect("mkdir");
        }
        fs::write(base.join("outside/secret"), b"secret").expect("write");
        fs::write(base.join("ro/data"), b"ro-data").expect("write");
        fs::write(base.join("ro/sub/inner"), b"inner").expect("write");
        let preopens = [
            Preopen {
                host: base.join("root"),
                guest: "/".into(),
                read_only: false,
            },
            Preopen {
                host: base.join("ro"),
                guest: "/ro".into(),
                read_only: true,
            },
        ];
        let opts = SandboxOptions {
            resolver,
            ..SandboxOptions::default()
        };
        let sb = Sandbox::with_options(&preopens, opts).expect("sandbox");
        Self {
            tmp,
            sb,
            io: MemStdio::default(),
            resolver,
        }
    }

    /// The resolver the sandbox uses (to build a fresh fixture of the same kind).
    pub fn resolver(&self) -> ResolverKind {
        self.resolver
    }

    /// A host path inside the scratch tree (for set-up and checks only).
    pub fn host(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Creates a host symlink `root/<link>` → `target` (set-up only).
    pub fn link(&self, link: &str, target: impl AsRef<Path>) {
        symlink(target, self.host("root").join(link)).expect("symlink");
    }

    /// Opens `path` beneath the writable preopen with `oflags` and every file right (what
    /// wasi-libc asks for with `O_RDWR`).
    pub fn open(&mut self, path: &str, oflags: u16) -> Result<u32, Errno> {
        self.sb
            .path_open(ROOT, 0, path.as_bytes(), oflags, rights::FILE, 0, 0)
    }

    /// Opens directory `path` beneath `dir` with every directory right, inheriting all.
    pub fn open_dir(&mut self, dir: u32, path: &str) -> Result<u32, Errno> {
        self.sb.path_open(
            dir,
            0,
            path.as_bytes(),
            oflags::DIRECTORY,
            rights::DIRECTORY,
            rights::PREOPEN_INHERITING,
            0,
        )
    }

    /// Creates `path` with `data` through the sandbox.
    pub fn create(&mut self, path: &str, data: &[u8]) {
        let fd = self
            .open(path, oflags::CREAT | oflags::TRUNC)
            .expect("create");
        assert_eq!(self.sb.fd_write(&mut self.io, fd, data), Ok(data.len()));
        self.sb.fd_close(fd).expect("close");
    }

    /// Reads all of `fd` from its offset.
    pub fn read_all(&mut self, fd: u32) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let chunk = self.sb.fd_read(&mut self.io, fd, 7).expect("read");
            if chunk.is_empty() {
                return out;
            }
            out.extend(chunk);
        }
    }

    /// A snapshot of everything under `outside/` (names, types, contents, mtimes).
    pub fn outside_snapshot(&self) -> Vec<String> {
        let mut out = Vec::new();
        snapshot(&self.host("outside"), &mut out);
        out.sort();
        out
    }
}

fn snapshot(dir: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).expect("read_dir") {
        let e = e.expect("entry");
        let meta = fs::symlink_metadata(e.path()).expect("meta");
        let data = if meta.is_file() {
            fs::read(e.path()).expect("read")
        } else {
            Vec::new()
        };
        out.push(format!(
            "{:?} {:?} {:?} {:?}",
            e.path(),
            meta.file_type(),
            data,
            meta.modified().ok()
        ));
        if meta.is_dir() {
            snapshot(&e.path(), out);
        }
    }
}

/// Stdio in memory.
#[derive(Default)]
pub struct MemStdio {
    /// Remaining stdin.
    pub input: Vec<u8>,
    /// Everything written to stdout.
    pub out: Vec<u8>,
    /// Everything written to stderr.
    pub err: Vec<u8>,
}

impl Stdio for MemStdio {
    fn read(&mut self, max: usize) -> Result<Vec<u8>, Errno> {
        let n = max.min(self.input.len());
        Ok(self.input.drain(..n).collect())
    }

    fn write(&mut self, fd: u32, data: &[u8]) -> Result<usize, Errno> {
        match fd {
            1 => self.out.extend_from_slice(data),
            _ => self.err.extend_from_slice(data),
        }
        Ok(data.len())
    }
}
