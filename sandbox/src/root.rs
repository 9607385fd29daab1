//! The synthetic root: a real system always has `/`.
//!
//! When the host mounts nothing at `/`, the guest would find no `/` at all: `ls /` and `cd /`
//! fail, and so does every tool that canonicalises a path component by component (uutils `mv`,
//! `realpath`). [`with_root`] then adds a read-only preopen at `/` whose only entries are the
//! directories leading to the mounts (`/work` and `/work/project` for a mount at
//! `/work/project`). The guest's own mounts still win for their paths: WASI resolves a path
//! through the preopen with the longest matching prefix.
//!
//! The skeleton also holds `dev/`, whose placeholders stand for the devices (`devices.rs`).
//! `/bin` and `/usr/bin` are two more read-only preopens, of the command set's directory
//! (`commands.rs`), and `/etc` one more (`etc.rs`), unless a mount is at, above or beneath them.
//!
//! Each distinct set of mount points gets one skeleton of empty directories, built on first
//! use and kept while in use and for a while after (`skeletons.rs` says where and how long).
//! Nothing a guest does can write into it.

use std::hash::{Hash, Hasher};
use std::path::{Component, Path};

use crate::skeletons::{self, Lease};
use crate::{CommandNames, Preopen};

/// Where the command set is mounted.
const COMMAND_DIRS: [&str; 2] = ["/bin", "/usr/bin"];

/// `preopens`, plus a read-only skeleton at `/` when there are some and none is mounted there,
/// and `/bin` and `/usr/bin` listing `commands`.
///
/// When the skeleton cannot be built (no writable temp dir), `preopens` come back unchanged:
/// the guest then has no `/`, as before, which is worse but not unsafe.
#[must_use]
pub fn with_root(mut preopens: Vec<Preopen>, commands: &CommandNames) -> Vec<Preopen> {
    // No mounts at all is no filesystem at all (fd 3 stays free, as WASI's own tests expect).
    if preopens.is_empty() || preopens.iter().any(|p| components(&p.guest).is_empty()) {
        return preopens;
    }
    add_commands(&mut preopens, commands);
    add_etc(&mut preopens);
    let points: Vec<Vec<String>> = preopens.iter().map(|p| components(&p.guest)).collect();
    match skeleton(&points) {
        Ok((host, _idle)) => preopens.push(Preopen {
            host,
            guest: "/".into(),
            read_only: true,
        }),
        Err(e) => tracing::warn!("no synthetic root for the guest: {e}"),
    }
    preopens
}

/// Mounts the directory of `commands` at each of [`COMMAND_DIRS`] no mount is at, above or
/// beneath (the host's own `/usr` has its own `/usr/bin`).
fn add_commands(preopens: &mut Vec<Preopen>, commands: &CommandNames) {
    let dir = match crate::commands::directory(commands) {
        Ok(Some(dir)) => dir,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!("no /bin for the guest: {e}");
            return;
        }
    };
    for guest in COMMAND_DIRS {
        if !is_taken(preopens, guest) {
            preopens.push(Preopen {
                host: dir.clone(),
                guest: guest.into(),
                read_only: true,
            });
        }
    }
}

/// Mounts `/etc` (`etc.rs`) unless a mount is at, above or beneath it.
fn add_etc(preopens: &mut Vec<Preopen>) {
    if is_taken(preopens, crate::etc::GUEST_PATH) {
        return;
    }
    match crate::etc::directory() {
        Ok(host) => preopens.push(Preopen {
            host,
            guest: crate::etc::GUEST_PATH.into(),
            read_only: true,
        }),
        Err(e) => tracing::warn!("no /etc for the guest: {e}"),
    }
}

/// Whether one of `preopens` is at or above guest path `guest` (the host's own `/`, or a mount
/// at `guest` itself): what is there is the host's.
#[must_use]
pub fn is_covered(preopens: &[Preopen], guest: &str) -> bool {
    let at = components(guest);
    preopens
        .iter()
        .any(|p| at.starts_with(&components(&p.guest)))
}

/// Whether one of `preopens` is at, above or beneath guest path `guest` (a mount there, or the
/// host's own `/` or `/usr`, leaves no room for another).
#[must_use]
pub fn is_taken(preopens: &[Preopen], guest: &str) -> bool {
    let at = components(guest);
    preopens.iter().any(|p| {
        let mount = components(&p.guest);
        mount.starts_with(&at) || at.starts_with(&mount)
    })
}

/// The normal components of a guest path; `.`, `..` and empty components are dropped, so a
/// host-given path can never name anything outside the skeleton.
pub(crate) fn components(guest: &str) -> Vec<String> {
    Path::new(guest)
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str().map(str::to_owned),
            _ => None,
        })
        .collect()
}

/// The skeleton for these mount points (built when missing), with a lease on it.
fn skeleton(points: &[Vec<String>]) -> std::io::Result<(std::path::PathBuf, Lease)> {
    let mut sorted = points.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    sorted.hash(&mut hasher);
    skeletons::acquire(hasher.finish(), |store, path| build(store, path, &sorted))
}

/// The lease a sandbox over `preopens` holds on its synthetic root, if it has one (a `/`
/// preopen that is this process's skeleton), rebuilding the skeleton if it was removed
/// meanwhile.
pub(crate) fn lease(preopens: &[Preopen]) -> Option<std::io::Result<Lease>> {
    let root = preopens.iter().find(|p| p.guest == "/")?;
    if !skeletons::owns(&root.host) {
        return None;
    }
    let points: Vec<Vec<String>> = (preopens.iter())
        .map(|p| components(&p.guest))
        .filter(|c| !c.is_empty())
        .collect();
    Some(skeleton(&points).map(|(_, lease)| lease))
}

/// Builds at `path` (in the store directory `store`) the directories leading to each of
/// `points`, and `dev/`.
fn build(store: &Path, path: &Path, points: &[Vec<String>]) -> std::io::Result<()> {
    std::fs::create_dir(path)?;
    for point in points {
        let dir = point
            .iter()
            .fold(path.to_path_buf(), |dir, name| dir.join(name));
        std::fs::create_dir_all(dir)?;
    }
    crate::devices::link_into(store, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::PathBuf;

    fn rooted(preopens: Vec<Preopen>) -> Vec<Preopen> {
        with_root(preopens, &CommandNames::default())
    }

    fn mount(guest: &str) -> Preopen {
        Preopen {
            host: PathBuf::from("/nonexistent"),
            guest: guest.into(),
            read_only: false,
        }
    }

    #[test]
    fn no_mounts_get_no_root() {
        assert!(rooted(Vec::new()).is_empty());
    }

    #[test]
    fn a_mount_at_root_needs_no_skeleton() {
        let got = rooted(vec![mount("/data"), mount("/")]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn the_skeleton_holds_dev_and_the_directories_leading_to_each_mount() {
        let got = rooted(vec![mount("/work/project"), mount("/data")]);
        let root = got.last().expect("a root");
        assert_eq!((root.guest.as_str(), root.read_only), ("/", true));
        assert!(root.host.join("work/project").is_dir());
        assert!(root.host.join("data").is_dir());
        let mut names: Vec<_> = std::fs::read_dir(&root.host)
            .expect("read skeleton")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["data", "dev", "etc", "work"]);
        assert!(root.host.join("dev/fd/0").is_file());
    }

    #[test]
    fn dot_dot_in_a_mount_point_cannot_reach_outside_the_skeleton() {
        let got = rooted(vec![mount("/../../x/./y")]);
        let root = got.last().expect("a root");
        assert!(root.host.join("x/y").is_dir());
    }

    #[test]
    fn the_same_layout_reuses_one_skeleton() {
        let a = rooted(vec![mount("/a"), mount("/b")]);
        let b = rooted(vec![mount("/b"), mount("/a")]);
        assert_eq!(a[2].host, b[2].host);
    }

    /// Mounts at `/churn/N` for N in `range`, one distinct layout each.
    fn churn(range: std::ops::Range<usize>) {
        for n in range {
            let _ = rooted(vec![mount(&format!("/churn-{}/{n}", std::process::id()))]);
        }
    }

    #[test]
    fn idle_skeletons_past_the_kept_number_are_removed() {
        let first = rooted(vec![mount("/evicted-first")]);
        let first = &first.last().expect("a root").host;
        churn(0..skeletons::IDLE_KEPT + 20);
        assert!(!first.exists(), "{first:?}");
        // Other tests may hold a few at the same time.
        assert!(skeletons::count() <= skeletons::IDLE_KEPT + 10);
    }

    #[test]
    fn a_skeleton_a_sandbox_uses_is_kept() {
        let dir = std::env::temp_dir();
        let preopens = rooted(vec![Preopen {
            host: dir,
            guest: "/kept-while-used".into(),
            read_only: true,
        }]);
        let root = preopens.last().expect("a root").host.clone();
        let sandbox = crate::Sandbox::new(&preopens).expect("sandbox");
        churn(1000..1000 + skeletons::IDLE_KEPT + 20);
        assert!(root.join("dev/null").is_file());
        drop(sandbox);
    }

    #[test]
    fn a_removed_skeleton_is_rebuilt_for_a_new_sandbox() {
        let preopens = rooted(vec![Preopen {
            host: std::env::temp_dir(),
            guest: "/rebuilt".into(),
            read_only: true,
        }]);
        let root = preopens.last().expect("a root").host.clone();
        churn(2000..2000 + skeletons::IDLE_KEPT + 20);
        assert!(!root.exists());
        let _sandbox = crate::Sandbox::new(&preopens).expect("sandbox");
        assert!(root.join("rebuilt").is_dir() && root.join("dev/null").is_file());
    }

    fn commands() -> CommandNames {
        CommandNames::new(["env", "ls", "sh"].map(String::from))
    }

    #[test]
    fn bin_and_usr_bin_mount_the_commands_read_only() {
        let got = with_root(vec![mount("/listed")], &commands());
        let guests: Vec<_> = got
            .iter()
            .map(|p| (p.guest.as_str(), p.read_only))
            .collect();
        assert_eq!(
            guests,
            [
                ("/listed", false),
                ("/bin", true),
                ("/usr/bin", true),
                ("/etc", true),
                ("/", true)
            ]
        );
        assert_eq!(got[1].host, got[2].host);
        let root = &got[4].host;
        assert!(root.join("bin").is_dir() && root.join("usr/bin").is_dir());
    }

    #[test]
    fn a_command_is_an_executable_file_naming_it() {
        use std::os::unix::fs::PermissionsExt;
        let got = with_root(vec![mount("/named")], &commands());
        let mut names: Vec<_> = std::fs::read_dir(&got[1].host)
            .expect("read bin")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["env", "ls", "sh"]);
        let env = got[1].host.join("env");
        let line = std::fs::read_to_string(&env).expect("read placeholder");
        assert_eq!(line, format!("#!{} env\n", crate::COMMAND_INTERPRETER));
        let mode = std::fs::metadata(&env).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o555);
    }

    #[test]
    fn a_mount_at_above_or_beneath_bin_keeps_the_command_set_out_of_it() {
        let got = with_root(vec![mount("/bin/tools"), mount("/usr")], &commands());
        let guests: Vec<_> = got.iter().map(|p| p.guest.as_str()).collect();
        assert_eq!(guests, ["/bin/tools", "/usr", "/etc", "/"]);
    }

    #[test]
    fn no_command_names_mount_no_bin() {
        let got = rooted(vec![mount("/bare")]);
        let guests: Vec<_> = got.iter().map(|p| p.guest.as_str()).collect();
        assert_eq!(guests, ["/bare", "/etc", "/"]);
    }

    #[test]
    fn a_mount_at_or_above_a_path_covers_it_and_one_beneath_does_not() {
        assert!(is_covered(&[mount("/")], "/tmp"));
        assert!(is_covered(&[mount("/tmp/")], "/tmp"));
        assert!(!is_covered(&[mount("/tmp/proj")], "/tmp"));
        assert!(is_taken(&[mount("/tmp/proj")], "/tmp"));
        assert!(!is_covered(&[mount("/tmpx")], "/tmp"));
    }

    #[test]
    fn etc_holds_the_sandbox_s_identity_read_only_unless_a_mount_takes_it() {
        let got = rooted(vec![mount("/w")]);
        let etc = got.iter().find(|p| p.guest == "/etc").expect("an /etc");
        assert!(etc.read_only);
        let passwd = std::fs::read_to_string(etc.host.join("passwd")).expect("passwd");
        assert!(
            passwd.starts_with("root:x:0:0:root:/root:/bin/sh\n"),
            "{passwd}"
        );
        let taken = rooted(vec![mount("/etc/app")]);
        assert!(taken.iter().all(|p| p.guest != "/etc"), "{taken:?}");
    }
}
