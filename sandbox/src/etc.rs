//! `/etc` for guests: the few files programs read to learn what machine they are on, saying
//! what the rest of the sandbox says (`uname`, `hostname`, `whoami`, Node's `os`, Python's
//! `pwd`): the host `agentos`, the user `root` (uid 0, home `/root`, shell `/bin/sh`).
//!
//! `cat /etc/os-release` answers "agentOS", so a script that picks a package manager by
//! distribution finds none it knows rather than a Debian it is not; `/etc/passwd` and
//! `/etc/group` hold the one user; `/etc/hosts` names the loopback; `/etc/shells` the shells.
//! [`crate::with_root`] mounts one read-only directory of them, made once per process in the
//! skeleton store, at `/etc` unless a mount is at, above or beneath it.

use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

/// Where the files are mounted.
pub(crate) const GUEST_PATH: &str = "/etc";

/// The directory once made.
static MADE: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The files, by name.
const FILES: [(&str, &str); 6] = [
    (
        "os-release",
        concat!(
            "PRETTY_NAME=\"agentOS sandbox ",
            env!("CARGO_PKG_VERSION"),
            "\"\nNAME=\"agentOS\"\nID=agentos\nVERSION_ID=\"",
            env!("CARGO_PKG_VERSION"),
            "\"\nVERSION=\"",
            env!("CARGO_PKG_VERSION"),
            "\"\n"
        ),
    ),
    (
        "passwd",
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
    ),
    ("group", "root:x:0:\nnogroup:x:65534:\n"),
    ("hostname", "agentos\n"),
    (
        "hosts",
        "127.0.0.1\tlocalhost\n127.0.1.1\tagentos\n::1\tlocalhost ip6-localhost ip6-loopback\n",
    ),
    ("shells", "/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n"),
];

/// The directory (made on first use).
///
/// # Errors
/// When it cannot be made.
pub(crate) fn directory() -> io::Result<PathBuf> {
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(dir) = made.as_ref() {
        return Ok(dir.clone());
    }
    let dir = crate::skeletons::in_store(|store| {
        let dir = store.join("etc");
        let fresh = store.join("etc.new");
        let _ = std::fs::remove_dir_all(&fresh);
        std::fs::DirBuilder::new().mode(0o755).create(&fresh)?;
        for (name, text) in FILES {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o444)
                .open(fresh.join(name))?;
            file.write_all(text.as_bytes())?;
        }
        std::fs::rename(&fresh, &dir)?;
        Ok(dir)
    })?;
    *made = Some(dir.clone());
    Ok(dir)
}
