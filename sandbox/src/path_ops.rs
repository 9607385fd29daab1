//! The `path_*` calls. Every guest path is parsed by [`GuestPath`] and resolved beneath its
//! directory fd by the sandbox's resolver; the host call then acts on (confined parent fd,
//! final name). Each call needs its `PATH_*` right on the directory fd (`NOTCAPABLE` without);
//! calls that modify anything refuse read-only preopens with `ROFS`.

use rustix::fd::AsFd;
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use crate::containment::{MountRoot, check_moved_entry, check_moved_link, check_target};
use crate::devices::Device;
use crate::fd_rights::Rights;
use crate::guest_path::GuestPath;
use crate::resolve::Target;
use crate::stat::{filestat, stat_filetype};
use crate::types::{filetype, lookupflags, rights};
use crate::walk::read_link;
use crate::{Errno, FileStat, Sandbox};

impl Sandbox {
    /// `path_create_directory`.
    ///
    /// # Errors
    /// `ROFS` beneath a read-only preopen, [`Errno::ESCAPE`] outside it, host errors mapped.
    pub fn path_create_directory(&mut self, fd: u32, path: &[u8]) -> Result<(), Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        self.charge_entry(fd)?;
        let (target, _) = self.resolve_for_change(fd, rights::PATH_CREATE_DIRECTORY, path)?;
        let name = target.at_name().ok_or(Errno::EXIST)?;
        Ok(rustix::fs::mkdirat(
            &target.dir,
            name.as_slice(),
            Mode::from_raw_mode(0o777),
        )?)
    }

    /// Makes a Unix socket's file, the inode `bind(2)` leaves (an agentOS extension, not WASI:
    /// `net.Server.listen(path)`). Nothing listens on it on the host: a host process connecting
    /// is refused. The guest's listener is a name in the exec's port registry.
    ///
    /// # Errors
    /// As [`Sandbox::path_create_directory`]; `EXIST` when the name is taken.
    pub fn path_make_socket(&mut self, fd: u32, path: &[u8]) -> Result<(), Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        self.charge_entry(fd)?;
        let (target, _) = self.resolve_for_change(fd, rights::PATH_CREATE_FILE, path)?;
        let name = target.at_name().ok_or(Errno::EXIST)?;
        Ok(rustix::fs::mknodat(
            &target.dir,
            name.as_slice(),
            FileType::Socket,
            Mode::from_raw_mode(0o777),
            0,
        )?)
    }

    /// `path_remove_directory`.
    ///
    /// # Errors
    /// As [`Sandbox::path_create_directory`]; `NOTEMPTY`, `NOTDIR` from the host.
    pub fn path_remove_directory(&mut self, fd: u32, path: &[u8]) -> Result<(), Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        let (target, _) = self.resolve_for_change(fd, rights::PATH_REMOVE_DIRECTORY, path)?;
        let Some(name) = target.at_name() else {
            return Err(if path.ends_with(b".") && !path.ends_with(b"..") {
                Errno::INVAL
            } else {
                Errno::NOTEMPTY
            });
        };
        Ok(rustix::fs::unlinkat(
            &target.dir,
            name.as_slice(),
            AtFlags::REMOVEDIR,
        )?)
    }

    /// `path_unlink_file`.
    ///
    /// # Errors
    /// As [`Sandbox::path_create_directory`]; `ISDIR` for directories.
    pub fn path_unlink_file(&mut self, fd: u32, path: &[u8]) -> Result<(), Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        let (target, _) = self.resolve_for_change(fd, rights::PATH_UNLINK_FILE, path)?;
        let name = target.at_name().ok_or(Errno::ISDIR)?;
        Ok(rustix::fs::unlinkat(
            &target.dir,
            name.as_slice(),
            AtFlags::empty(),
        )?)
    }

    /// `path_filestat_get` (`lookupflags` 1 = follow a final symlink).
    ///
    /// # Errors
    /// [`Errno::ESCAPE`] outside the preopen, host errors mapped.
    pub fn path_filestat_get(&self, fd: u32, lookup: u32, path: &[u8]) -> Result<FileStat, Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        let dir = self.dir(fd, rights::PATH_FILESTAT_GET)?;
        let path = GuestPath::parse(path)?;
        let follow = lookup & lookupflags::SYMLINK_FOLLOW != 0 || path.trailing_slash;
        let target = self.resolver.resolve(dir.fd.as_fd(), &path, follow)?;
        let st = stat_target(&target)?;
        let mut stat = filestat(&st);
        if crate::devices::device(&st).is_some() {
            // A device's placeholder is read-only on the host; the device is not.
            stat.mode = 0o666;
        }
        Ok(stat)
    }

    /// `path_filestat_set_times`.
    ///
    /// # Errors
    /// `INVAL` for bad flags, `ROFS` beneath a read-only preopen, host errors mapped.
    pub fn path_filestat_set_times(
        &mut self,
        fd: u32,
        lookup: u32,
        path: &[u8],
        atim: u64,
        mtim: u64,
        fst_flags: u16,
    ) -> Result<(), Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        let times = crate::stat::timestamps(atim, mtim, fst_flags)?;
        let dir = self.writable_dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
        let path = GuestPath::parse(path)?;
        let follow = lookup & lookupflags::SYMLINK_FOLLOW != 0 || path.trailing_slash;
        let target = self.resolver.resolve(dir.fd.as_fd(), &path, follow)?;
        stat_target(&target)?;
        let name = target.name.as_deref().unwrap_or(b".");
        Ok(rustix::fs::utimensat(
            &target.dir,
            name,
            &times,
            AtFlags::SYMLINK_NOFOLLOW,
        )?)
    }

    /// `path_link`: a hard link; symlinks are linked themselves (following is `INVAL`, as in
    /// wasmtime), and a symlink whose target would lead outside the mount from its new place
    /// is refused ([`crate::containment`]). Both directories must be writable: linking out of a
    /// read-only preopen would make its files writable.
    ///
    /// # Errors
    /// `ROFS`, [`Errno::ESCAPE`], `INVAL` for `SYMLINK_FOLLOW`, host errors mapped.
    pub fn path_link(
        &mut self,
        old_fd: u32,
        old_lookup: u32,
        old_path: &[u8],
        new_fd: u32,
        new_path: &[u8],
    ) -> Result<(), Errno> {
        let (old_fd, old_path_at) = self.located(old_fd, old_path);
        let old_path = &*old_path_at;
        let (new_fd, new_path_at) = self.located(new_fd, new_path);
        let new_path = &*new_path_at;
        self.charge_entry(new_fd)?;
        let old_dir = self.writable_dir(old_fd, rights::PATH_LINK_SOURCE)?;
        if old_lookup & lookupflags::SYMLINK_FOLLOW != 0 {
            return Err(Errno::INVAL);
        }
        let old_path = GuestPath::parse(old_path)?;
        let old = self
            .resolver
            .resolve(old_dir.fd.as_fd(), &old_path, old_path.trailing_slash)?;
        let (new, mount) = self.resolve_for_change(new_fd, rights::PATH_LINK_TARGET, new_path)?;
        if old.trailing_slash {
            // A trailing slash names a directory, and directories cannot be hard-linked.
            return Err(match stat_target(&old)? {
                _ if old.name.is_none() => Errno::PERM,
                st if FileType::from_raw_mode(st.st_mode) == FileType::Directory => Errno::PERM,
                _ => Errno::NOTDIR,
            });
        }
        let old_name = old.name.ok_or(Errno::PERM)?;
        let new_name = new.at_name().ok_or(Errno::EXIST)?;
        check_moved_link(old.dir.as_fd(), &old_name, new.dir.as_fd(), mount)?;
        Ok(rustix::fs::linkat(
            &old.dir,
            old_name.as_slice(),
            &new.dir,
            new_name.as_slice(),
            AtFlags::empty(),
        )?)
    }

    /// `path_readlink`: a symlink's target (at most `PATH_MAX` bytes).
    ///
    /// # Errors
    /// `INVAL` when the path is not a symlink, [`Errno::ESCAPE`], host errors mapped.
    pub fn path_readlink(&self, fd: u32, path: &[u8]) -> Result<Vec<u8>, Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        let dir = self.dir(fd, rights::PATH_READLINK)?;
        let path = GuestPath::parse(path)?;
        let target = self
            .resolver
            .resolve(dir.fd.as_fd(), &path, path.trailing_slash)?;
        if target.trailing_slash {
            // Fully resolved through any link: a directory, so not a symlink.
            stat_target(&target)?;
            return Err(Errno::INVAL);
        }
        let name = target.name.as_deref().ok_or(Errno::INVAL)?;
        read_link(target.dir.as_fd(), name)
    }

    /// `path_rename`. Both directories must be writable; a symlink whose target would lead
    /// outside the mount from its new place is refused, and so is a directory moved up (or to
    /// another mount) with such a link inside ([`crate::containment`]).
    ///
    /// # Errors
    /// `ROFS`, [`Errno::ESCAPE`], `BUSY` for `.`/`..`, host errors mapped.
    pub fn path_rename(
        &mut self,
        fd: u32,
        old_path: &[u8],
        new_fd: u32,
        new_path: &[u8],
    ) -> Result<(), Errno> {
        let (fd, old_path_at) = self.located(fd, old_path);
        let old_path = &*old_path_at;
        let (new_fd, new_path_at) = self.located(new_fd, new_path);
        let new_path = &*new_path_at;
        let (old, from) = self.resolve_for_change(fd, rights::PATH_RENAME_SOURCE, old_path)?;
        let (new, to) = self.resolve_for_change(new_fd, rights::PATH_RENAME_TARGET, new_path)?;
        let (Some(old_name), Some(new_name)) = (old.at_name(), new.at_name()) else {
            return Err(Errno::BUSY);
        };
        if let Some(name) = &old.name {
            check_moved_entry((old.dir.as_fd(), from), name, (new.dir.as_fd(), to))?;
        }
        Ok(rustix::fs::renameat(
            &old.dir,
            old_name.as_slice(),
            &new.dir,
            new_name.as_slice(),
        )?)
    }

    /// `path_symlink`: creates `new_path` pointing at `target`, which must stay inside the
    /// mount from where the link lands ([`crate::containment`]): absolute targets, and
    /// relative ones that would climb out, are refused and nothing is created. Dangling
    /// targets inside are fine.
    ///
    /// # Errors
    /// `ROFS`, [`Errno::ESCAPE`], `ILSEQ`/`INVAL`/`NAMETOOLONG` for a bad target, host errors.
    pub fn path_symlink(&mut self, target: &[u8], fd: u32, new_path: &[u8]) -> Result<(), Errno> {
        let (fd, new_path_at) = self.located(fd, new_path);
        let new_path = &*new_path_at;
        GuestPath::parse(target)?;
        self.charge_entry(fd)?;
        let (new, mount) = self.resolve_for_change(fd, rights::PATH_SYMLINK, new_path)?;
        let name = new.at_name().ok_or(Errno::EXIST)?;
        check_target(target, new.dir.as_fd(), mount)?;
        Ok(rustix::fs::symlinkat(target, &new.dir, name.as_slice())?)
    }

    /// `path_open`: opens a file or directory beneath `fd` and returns the new guest fd. The
    /// new fd's rights are those asked for, bounded by the directory's inheriting rights and by
    /// its kind (`fd_rights.rs`); the host access mode follows them (`FD_READ` → read; `FD_WRITE`,
    /// `FD_FILESTAT_SET_SIZE` or `FD_ALLOCATE` → write; none → read).
    ///
    /// # Errors
    /// `INVAL` for unknown flags or `CREAT|DIRECTORY`, `NOTCAPABLE` without `PATH_OPEN` (and
    /// `PATH_CREATE_FILE` for `CREAT`, `PATH_FILESTAT_SET_SIZE` for `TRUNC`) on `fd`, `ROFS` for
    /// write/create/truncate beneath a read-only preopen, `LOOP` for a final symlink without
    /// `SYMLINK_FOLLOW`, [`Errno::ESCAPE`], `MFILE` when the table is full, host errors mapped.
    #[expect(clippy::too_many_arguments, reason = "one argument per WASI parameter")]
    pub fn path_open(
        &mut self,
        fd: u32,
        lookup: u32,
        path: &[u8],
        oflags: u16,
        rights_base: u64,
        rights_inheriting: u64,
        fdflags: u16,
    ) -> Result<u32, Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        let dir = self.dir(fd, 0)?;
        let asked = Rights {
            base: rights_base,
            inheriting: rights_inheriting,
        };
        let req = crate::open::OpenRequest::new(oflags, asked, fdflags, &dir.rights)?;
        let path = GuestPath::parse(path)?;
        let follow = lookup & lookupflags::SYMLINK_FOLLOW != 0 && !req.exclusive();
        if dir.read_only && req.modifies() {
            // `/dev/null` and the other devices lie beneath the read-only synthetic root.
            let probe = OFlags::PATH | OFlags::CLOEXEC;
            if let Ok(fd) = self
                .resolver
                .open(dir.fd.as_fd(), &path, probe, Mode::empty(), follow)
                && let Some((device, entry)) = self.device_entry(&rustix::fs::fstat(&fd)?, &req)?
            {
                return self.push_device(device, entry);
            }
            // As the kernel: a missing parent is reported before the read-only file system.
            self.resolver.resolve_parent(dir.fd.as_fd(), &path)?;
            return Err(Errno::READ_ONLY);
        }
        let (read_only, mount, scratch) = (dir.read_only, dir.mount, dir.scratch.clone());
        if let Some(scratch) = &scratch
            && oflags & crate::types::oflags::CREAT != 0
        {
            scratch.charge(crate::scratch::ENTRY_COST)?;
        }
        let fd = self.resolver.open(
            dir.fd.as_fd(),
            &path,
            req.host_flags(),
            req.mode(),
            follow || path.trailing_slash,
        )?;
        let st = rustix::fs::fstat(&fd)?;
        if let Some((device, entry)) = self.device_entry(&st, &req)? {
            return self.push_device(device, entry);
        }
        let entry = crate::open::entry(fd, &st, &req, read_only, mount, scratch)?;
        self.table.push(entry)
    }

    /// The device entry when the opened file (`st`, its `fstat`) is one of `/dev`'s
    /// placeholders (`devices.rs`).
    fn device_entry(
        &self,
        st: &rustix::fs::Stat,
        req: &crate::open::OpenRequest,
    ) -> Result<Option<(Device, crate::table::Entry)>, Errno> {
        let Some(device) = crate::devices::device(st) else {
            return Ok(None);
        };
        let (flags, rights) = (req.host_flags(), req.file_rights());
        let entry = crate::devices::open(device, flags, rights, req.fdflags(), &self.table)?;
        Ok(Some((device, entry)))
    }

    /// Gives the guest a device's entry; opening `/dev/fd/N` is a first use of fd N.
    fn push_device(&mut self, device: Device, entry: crate::table::Entry) -> Result<u32, Errno> {
        if let Device::Fd(n) = device {
            self.used(n);
        }
        self.table.push(entry)
    }

    /// Resolves `path` beneath writable directory `fd` (holding the rights `needed`) without
    /// following a final symlink, for the calls that create, remove or rename the final name;
    /// with the root of `fd`'s mount.
    /// Charges a name made beneath directory `fd` to the bounded `/tmp` it lies in, if any.
    fn charge_entry(&self, fd: u32) -> Result<(), Errno> {
        match self.table.get(fd) {
            Ok(crate::table::Entry::Dir(dir)) => dir
                .scratch
                .as_ref()
                .map_or(Ok(()), |s| s.charge(crate::scratch::ENTRY_COST)),
            _ => Ok(()),
        }
    }

    fn resolve_for_change(
        &self,
        fd: u32,
        needed: u64,
        path: &[u8],
    ) -> Result<(Target<'_>, MountRoot), Errno> {
        let dir = self.dir(fd, needed)?;
        let path = GuestPath::parse(path)?;
        // As the kernel: a missing parent is reported before the read-only file system.
        let target = self.resolver.resolve_parent(dir.fd.as_fd(), &path)?;
        if dir.read_only {
            return Err(Errno::READ_ONLY);
        }
        Ok((target, dir.mount))
    }
}

/// `stat` of a resolved target without following it; `NOTDIR` when a trailing slash named a
/// non-directory.
fn stat_target(target: &Target<'_>) -> Result<rustix::fs::Stat, Errno> {
    let st = match &target.name {
        None => rustix::fs::fstat(&target.dir)?,
        Some(name) => rustix::fs::statat(&target.dir, name.as_slice(), AtFlags::SYMLINK_NOFOLLOW)?,
    };
    if target.trailing_slash && stat_filetype(&st) != filetype::DIRECTORY {
        return Err(Errno::NOTDIR);
    }
    Ok(st)
}
