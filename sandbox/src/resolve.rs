//! Path resolution beneath a directory fd: `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)`
//! when the kernel has it, the component walker in [`crate::walk`] otherwise.
//!
//! Operations that act on a name (`mkdirat`, `unlinkat`, `renameat`, ...) get a [`Target`]: the
//! confined parent directory fd plus the final name. Following a final symlink is done here, in
//! guest-path space: the link's target replaces the final component and the whole path is
//! resolved again from the root, so a link can never take the operation outside.

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{Mode, OFlags, ResolveFlags, openat, openat2};

use crate::Errno;
use crate::guest_path::{GuestPath, Last, join};
use crate::walk::{self, MAX_SYMLINKS, read_link};

/// Which resolver a sandbox uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResolverKind {
    /// `openat2` when the kernel supports it (probed once per process), else the walker.
    #[default]
    Auto,
    /// Always `openat2` (fails on kernels without it).
    Openat2,
    /// Always the component-by-component walker.
    Walk,
}

/// Flags used to open a directory that only serves as a base for `*at` calls.
const DIR_PATH: OFlags = OFlags::PATH.union(OFlags::DIRECTORY).union(OFlags::CLOEXEC);

/// The directory of a [`Target`]: the resolution's root itself when the path has no parent
/// components (saves an `openat2` and a `close` per call: `ls -l` stats every entry by its bare
/// name), else a directory opened beneath it.
#[derive(Debug)]
pub(crate) enum TargetDir<'root> {
    Root(BorrowedFd<'root>),
    Opened(OwnedFd),
}

impl AsFd for TargetDir<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Self::Root(fd) => *fd,
            Self::Opened(fd) => fd.as_fd(),
        }
    }
}

/// A resolved path: the directory that holds the final name, and the name.
#[derive(Debug)]
pub(crate) struct Target<'root> {
    /// The parent directory (or the directory itself when `name` is `None`).
    pub dir: TargetDir<'root>,
    /// The final component; `None` when the path names `dir` itself (`.`, `a/..`).
    pub name: Option<Vec<u8>>,
    /// The guest path ended in `/`.
    pub trailing_slash: bool,
}

impl Target<'_> {
    /// The name to pass to `*at` calls that never follow the final component, keeping a
    /// trailing `/` so the kernel applies its directory rules.
    pub fn at_name(&self) -> Option<Vec<u8>> {
        self.name.as_ref().map(|n| {
            let mut n = n.clone();
            if self.trailing_slash {
                n.push(b'/');
            }
            n
        })
    }
}

/// The resolver chosen for one sandbox.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Resolver {
    use_openat2: bool,
}

impl Resolver {
    /// Picks the resolver; `Auto` probes `openat2` on `probe`.
    pub fn new(kind: ResolverKind, probe: BorrowedFd<'_>) -> Self {
        let use_openat2 = match kind {
            ResolverKind::Openat2 => true,
            ResolverKind::Walk => false,
            // The kernel and any seccomp policy do not change under a running process: the
            // first answer holds for every later sandbox (this runs on each exec's start).
            ResolverKind::Auto => *OPENAT2.get_or_init(|| openat2_available(probe)),
        };
        tracing::debug!(use_openat2, "sandbox resolver");
        Self { use_openat2 }
    }

    /// Opens the directory named by `comps` beneath `root`, for use as an `*at` base.
    pub fn open_dir(&self, root: BorrowedFd<'_>, comps: &[Vec<u8>]) -> Result<OwnedFd, Errno> {
        if self.use_openat2 {
            openat2_beneath(root, &join(comps, false), DIR_PATH, Mode::empty())
        } else {
            walk::open_dir(root, comps)
        }
    }

    /// `root` itself for no components, else the directory they name opened beneath it.
    fn target_dir<'root>(
        &self,
        root: BorrowedFd<'root>,
        comps: &[Vec<u8>],
    ) -> Result<TargetDir<'root>, Errno> {
        if comps.is_empty() {
            return Ok(TargetDir::Root(root));
        }
        self.open_dir(root, comps).map(TargetDir::Opened)
    }

    /// Resolves `path` beneath `root` to a parent directory and final name. With `follow` (or a
    /// trailing slash), a final symlink is replaced by its target until it is not one.
    ///
    /// # Errors
    /// [`Errno::ESCAPE`] for anything leading outside `root`, `LOOP` past 40 links.
    pub fn resolve<'root>(
        &self,
        root: BorrowedFd<'root>,
        path: &GuestPath,
        follow: bool,
    ) -> Result<Target<'root>, Errno> {
        self.resolve_with(root, path, follow || path.trailing_slash)
    }

    /// Resolves `path` beneath `root` without ever following its final component, even with a
    /// trailing slash (kept in [`Target::at_name`] for the kernel to judge): what `rmdir`,
    /// `unlink`, `rename`, `mkdir`, `symlink` and `link`'s new name do on Linux, where
    /// `rmdir("link_to_dir/")` is `ENOTDIR` and leaves the directory alone.
    ///
    /// # Errors
    /// As [`Resolver::resolve`].
    pub fn resolve_parent<'root>(
        &self,
        root: BorrowedFd<'root>,
        path: &GuestPath,
    ) -> Result<Target<'root>, Errno> {
        self.resolve_with(root, path, false)
    }

    fn resolve_with<'root>(
        &self,
        root: BorrowedFd<'root>,
        path: &GuestPath,
        follow: bool,
    ) -> Result<Target<'root>, Errno> {
        let mut path = path.clone();
        for _ in 0..=MAX_SYMLINKS {
            let (parent, name) = match path.last() {
                Last::Dir => {
                    let dir = self.target_dir(root, &path.comps)?;
                    return Ok(Target {
                        dir,
                        name: None,
                        trailing_slash: path.trailing_slash,
                    });
                }
                Last::Name(parent, name) => (parent.to_vec(), name.to_vec()),
            };
            let dir = self.target_dir(root, &parent)?;
            if follow {
                match read_link(dir.as_fd(), &name) {
                    Ok(target) => {
                        let target = GuestPath::parse_target(&target)?;
                        let mut comps = parent;
                        comps.extend(target.comps);
                        path = GuestPath {
                            comps,
                            trailing_slash: path.trailing_slash || target.trailing_slash,
                        };
                        continue;
                    }
                    Err(Errno::INVAL | Errno::NOENT) => {}
                    Err(e) => return Err(e),
                }
            }
            let trailing_slash = path.trailing_slash;
            return Ok(Target {
                dir,
                name: Some(name),
                trailing_slash,
            });
        }
        Err(Errno::LOOP)
    }

    /// Opens `path` beneath `root` with `flags` (`O_NOFOLLOW` is added unless `follow`).
    pub fn open(
        &self,
        root: BorrowedFd<'_>,
        path: &GuestPath,
        flags: OFlags,
        mode: Mode,
        follow: bool,
    ) -> Result<OwnedFd, Errno> {
        let nofollow = if follow {
            OFlags::empty()
        } else {
            OFlags::NOFOLLOW
        };
        if self.use_openat2 {
            return openat2_beneath(root, &path.joined(), flags | nofollow, mode);
        }
        let target = self.resolve(root, path, follow)?;
        let fd = match &target.name {
            None => openat(&target.dir, c".", flags, mode),
            Some(name) => {
                let dir = if target.trailing_slash {
                    OFlags::DIRECTORY
                } else {
                    OFlags::empty()
                };
                openat(
                    &target.dir,
                    name.as_slice(),
                    flags | OFlags::NOFOLLOW | dir,
                    mode,
                )
            }
        };
        Ok(fd?)
    }
}

/// `openat2` confined beneath `root`; `EXDEV` (the kernel's "would escape") becomes
/// [`Errno::ESCAPE`], and `EAGAIN` (a concurrent rename) is retried a few times.
fn openat2_beneath(
    root: BorrowedFd<'_>,
    path: &[u8],
    flags: OFlags,
    mode: Mode,
) -> Result<OwnedFd, Errno> {
    let how = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
    for _ in 0..4 {
        match openat2(root, path, flags, mode, how) {
            Ok(fd) => return Ok(fd),
            Err(rustix::io::Errno::XDEV) => return Err(Errno::ESCAPE),
            Err(rustix::io::Errno::AGAIN) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Errno::AGAIN)
}

static OPENAT2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Whether `openat2` works here (absent before Linux 5.6; seccomp may answer `EPERM`).
fn openat2_available(probe: BorrowedFd<'_>) -> bool {
    let how = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
    match openat2(probe, c".", DIR_PATH, Mode::empty(), how) {
        Ok(_) => true,
        Err(e) => {
            tracing::debug!(error = %e, "openat2 unavailable, using the walker");
            false
        }
    }
}
