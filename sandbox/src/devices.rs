//! `/dev` for guests: `null`, `zero`, `full`, `random`, `urandom`, `stdin`, `stdout`, `stderr`
//! and `fd/0`..`fd/63`, as tools expect them (`cat /dev/null`, `tee /dev/stderr`,
//! `fs.readFileSync('/dev/stdin')`, `head -c 16 /dev/urandom`, `diff /dev/fd/63 /dev/fd/62`
//! where a shell's process substitutions gave the guest fds 63 and 62).
//!
//! The synthetic root (`root.rs`) holds a `dev/` directory of empty placeholder files. They are
//! hard links to one set of placeholders private to this process (`skeletons.rs`), so one
//! (device, inode) pair names each device in every skeleton. Opening a file is resolved and confined as any other open;
//! when the file it reaches is a placeholder, the table gets the device instead: a second entry
//! for the guest's own fd (`stdin`/`stdout`/`stderr`/`fd/N`), or the host's device of that name, opened
//! by its fixed host path, for the five harmless ones. No other host device is ever reachable.
//! Where the host mounts something at `/` or `/dev`, its files are what the guest sees.
//!
//! The host devices look like empty regular files, by path (the placeholder) and once open.
//! That is deliberate: tools built for wasm32-wasip1 know only files, directories and symlinks
//! (uutils' `cat /dev/null` fails with "unknown filetype" on a character device there, Rust's
//! `fs::copy` refuses one), and a reader reads them to their end whatever their size says. So
//! `cat /dev/null` and `cp /dev/null f` work, and `test -c /dev/null` is false.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::OnceLock;

use rustix::fs::{Mode, OFlags};

use crate::Errno;
use crate::fd_rights::Rights;
use crate::table::{Entry, File};
use crate::types::filetype;

/// A device a placeholder stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Device {
    /// The host's `/dev/NAME`.
    Host(&'static str),
    /// The guest's own fd N (`stdin`, `stdout` and `stderr` are 0, 1 and 2).
    Fd(u32),
}

/// The devices named in `/dev` itself (`fd/0`..`fd/2` are the stdio ones again).
const DEVICES: [(&str, Device); 8] = [
    ("null", Device::Host("null")),
    ("zero", Device::Host("zero")),
    ("full", Device::Host("full")),
    ("random", Device::Host("random")),
    ("urandom", Device::Host("urandom")),
    ("stdin", Device::Fd(0)),
    ("stdout", Device::Fd(1)),
    ("stderr", Device::Fd(2)),
];

/// The highest N of `/dev/fd/N` (bash numbers process substitutions from 63 down).
const MAX_FD_NAME: u32 = 63;

/// Every shared placeholder: its file name and the device it stands for.
fn placeholders() -> impl Iterator<Item = (String, Device)> {
    let named = DEVICES.iter().map(|(name, d)| ((*name).to_owned(), *d));
    named.chain((3..=MAX_FD_NAME).map(|n| (format!("fd{n}"), Device::Fd(n))))
}

/// The shared placeholders' identities, once made.
static IDS: OnceLock<HashMap<(u64, u64), Device>> = OnceLock::new();

/// Where the shared placeholders live in the process's skeleton store.
const SHARED: &str = "devices";

/// Makes the shared placeholders in the skeleton store `base` and learns their identities
/// (once per process).
pub(crate) fn prepare(base: &Path) -> io::Result<()> {
    if IDS.get().is_none() {
        let ids = make_shared(&base.join(SHARED))?;
        let _ = IDS.set(ids);
    }
    Ok(())
}

/// Links the shared placeholders into `skeleton/dev` ([`prepare`] ran).
pub(crate) fn link_into(base: &Path, skeleton: &Path) -> io::Result<()> {
    let shared = base.join(SHARED);
    let dev = skeleton.join("dev");
    std::fs::create_dir_all(dev.join("fd"))?;
    for (name, device) in placeholders() {
        let placeholder = shared.join(&name);
        if DEVICES.iter().any(|(named, _)| *named == name) {
            std::fs::hard_link(&placeholder, dev.join(&name))?;
        }
        if let Device::Fd(n) = device {
            std::fs::hard_link(&placeholder, dev.join("fd").join(n.to_string()))?;
        }
    }
    Ok(())
}

/// Creates the shared placeholder files (read-only, empty) and returns their identities.
fn make_shared(dir: &Path) -> io::Result<HashMap<(u64, u64), Device>> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let mut ids = HashMap::new();
    for (name, device) in placeholders() {
        let path = dir.join(name);
        let made = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o444)
            .open(&path);
        match made {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let meta = std::fs::symlink_metadata(&path)?;
        if !meta.is_file() || meta.len() != 0 {
            return Err(io::Error::other(format!(
                "{} is not an empty placeholder file",
                path.display()
            )));
        }
        ids.insert((meta.dev(), meta.ino()), device);
    }
    Ok(ids)
}

/// The device `st` is the placeholder of, if it is one.
pub(crate) fn device(st: &rustix::fs::Stat) -> Option<Device> {
    let ids = IDS.get()?;
    ids.get(&(st.st_dev, st.st_ino)).copied()
}

/// The table entry for opening `device` with `flags` (an open's access mode and fd flags),
/// holding `rights` (a second entry for a guest fd keeps that fd's own).
pub(crate) fn open(
    device: Device,
    flags: OFlags,
    rights: Rights,
    fdflags: u16,
    table: &crate::table::FdTable,
) -> Result<Entry, Errno> {
    match device {
        Device::Fd(n) => second_entry(table.get(n)?),
        Device::Host(name) => {
            let keep = OFlags::RDONLY | OFlags::WRONLY | OFlags::RDWR | OFlags::APPEND;
            let flags = (flags & keep) | OFlags::CLOEXEC | OFlags::NOCTTY;
            let fd = rustix::fs::open(Path::new("/dev").join(name), flags, Mode::empty())?;
            Ok(Entry::File(File {
                fd,
                filetype: filetype::REGULAR_FILE,
                fdflags,
                read_only: false,
                rights,
                scratch: None,
            }))
        }
    }
}

/// A second entry for what guest fd N is (`/dev/stdout` after `>&2`-like renumbering is
/// whatever fd 1 is now).
fn second_entry(entry: &Entry) -> Result<Entry, Errno> {
    Ok(match entry {
        Entry::Stdin(r) => Entry::Stdin(*r),
        Entry::Stdout(r) => Entry::Stdout(*r),
        Entry::Stderr(r) => Entry::Stderr(*r),
        Entry::File(f) => Entry::File(File {
            fd: f.fd.try_clone().map_err(|_| Errno::MFILE)?,
            filetype: f.filetype,
            fdflags: f.fdflags,
            read_only: f.read_only,
            rights: f.rights,
            scratch: f.scratch.clone(),
        }),
        Entry::Dir(_) => return Err(Errno::ISDIR),
        Entry::Socket(_) => return Err(Errno::NXIO),
    })
}
