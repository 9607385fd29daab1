//! Command resources: a WASI command `NAME.wasm` (or a Node command `NAME.node`) of a command
//! directory may carry a manifest beside it, `NAME.mounts`, naming host directories its guest
//! must see (CPython's standard library at `/usr/local/lib`, npm's package). One mount a line,
//! `#` starts a comment:
//!
//! ```text
//! # HOST (relative to this file's directory)   GUEST (absolute)   MODE (always ro)
//! ../python/lib                                  /usr/local/lib     ro
//! ```
//!
//! The mounts are added read-only to the exec's own, except where the exec mounts the same guest
//! path itself (its mount wins). A manifest is trusted as far as the command directory is, and no
//! further:
//! - a host path must be relative and lead to an existing directory inside the command
//!   directory's parent (the installation prefix: `commands/` and `python/` of one `target/`),
//!   after every symlink is resolved;
//! - a manifest inside a directory the exec mounts writable (the guest could have written it) may
//!   only name directories inside that same mount, which the guest sees already: it grants
//!   nothing (`agentos run` in a checkout mounts the checkout writable at `/`);
//! - anything malformed fails the exec with the manifest's path and line, before the guest runs.
//!
//! A command reached through a symlink (`python.wasm -> python3.wasm`) uses the manifest beside
//! the name it was called by, or else the one beside the file the link resolves to.

use std::path::{Component, Path, PathBuf};

use agentos_sandbox::Preopen;

/// Suffix of a manifest, in place of `.wasm`.
const SUFFIX: &str = "mounts";
/// Largest manifest read.
const MAX_BYTES: u64 = 64 << 10;
/// Most mounts one manifest may name.
const MAX_MOUNTS: usize = 16;

/// Why a command's manifest cannot be used.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{}{}: {reason}", .manifest.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ManifestError {
    /// The manifest file.
    pub manifest: PathBuf,
    /// The 1-based line at fault, when one is.
    pub line: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

/// The mounts a command's manifest names, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandMounts {
    /// Where they come from.
    pub manifest: PathBuf,
    /// Read-only, host paths canonical.
    pub mounts: Vec<Preopen>,
}

impl CommandMounts {
    /// The manifest of the command module `module` (a host path), if it has one.
    ///
    /// # Errors
    /// [`ManifestError`] when a manifest exists and cannot be read, or names a bad mount.
    pub fn of_module(module: &Path) -> Result<Option<Self>, ManifestError> {
        let Some(manifest) = find(module) else {
            return Ok(None);
        };
        let fail = |line, reason: String| ManifestError {
            manifest: manifest.clone(),
            line,
            reason,
        };
        let text = read_bounded(&manifest).map_err(|reason| fail(None, reason))?;
        let dir = manifest.parent().unwrap_or(Path::new("."));
        let dir = dir
            .canonicalize()
            .map_err(|e| fail(None, format!("its directory: {}", e.kind())))?;
        let prefix = dir.parent().unwrap_or(&dir).to_path_buf();
        let mut mounts: Vec<Preopen> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let Some(entry) = parse_line(line).map_err(|r| fail(Some(index + 1), r))? else {
                continue;
            };
            let host = host_dir(&dir, &prefix, entry.host).map_err(|r| fail(Some(index + 1), r))?;
            if mounts
                .iter()
                .any(|m| same_guest_path(&m.guest, entry.guest))
            {
                let reason = format!("{} is mounted twice", entry.guest);
                return Err(fail(Some(index + 1), reason));
            }
            if mounts.len() == MAX_MOUNTS {
                let reason = format!("more than {MAX_MOUNTS} mounts");
                return Err(fail(Some(index + 1), reason));
            }
            mounts.push(Preopen {
                host,
                guest: entry.guest.to_string(),
                read_only: true,
            });
        }
        Ok(Some(Self { manifest, mounts }))
    }

    /// The preopens of an exec whose own mounts are `exec_mounts` (before the synthetic root)
    /// running this command: its mounts, then each of these it does not mount itself, then the
    /// synthetic root over all of them.
    ///
    /// # Errors
    /// [`ManifestError`] when the manifest lies inside a directory the exec mounts writable and
    /// names a directory outside that mount.
    pub fn preopens(
        &self,
        exec_mounts: &[Preopen],
        commands: &agentos_sandbox::CommandNames,
    ) -> Result<Vec<Preopen>, ManifestError> {
        let manifest = self
            .manifest
            .canonicalize()
            .unwrap_or(self.manifest.clone());
        for mount in exec_mounts.iter().filter(|m| !m.read_only) {
            let host = mount.host.canonicalize().unwrap_or(mount.host.clone());
            if !manifest.starts_with(&host) {
                continue;
            }
            if let Some(outside) = self.mounts.iter().find(|m| !m.host.starts_with(&host)) {
                return Err(ManifestError {
                    manifest: self.manifest.clone(),
                    line: None,
                    reason: format!(
                        "refused: it lies inside {}, which the exec mounts writable, and names \
                         {} outside it",
                        mount.guest,
                        outside.host.display()
                    ),
                });
            }
        }
        let mut preopens = exec_mounts.to_vec();
        for mount in &self.mounts {
            if !exec_mounts
                .iter()
                .any(|m| same_guest_path(&m.guest, &mount.guest))
            {
                preopens.push(mount.clone());
            }
        }
        Ok(agentos_sandbox::with_root(preopens, commands))
    }
}

/// `DIR/NAME.mounts` for `DIR/NAME.wasm` (or `.node`), or beside the file a symlink resolves to.
fn find(module: &Path) -> Option<PathBuf> {
    let beside = |file: &Path| -> Option<PathBuf> {
        let name = file.file_name()?.to_str()?;
        let stem = (name.strip_suffix(".wasm"))
            .or_else(|| name.strip_suffix(".node"))
            .unwrap_or(name);
        let manifest = file.with_file_name(format!("{stem}.{SUFFIX}"));
        std::fs::symlink_metadata(&manifest)
            .is_ok()
            .then_some(manifest)
    };
    if let Some(manifest) = beside(module) {
        return Some(manifest);
    }
    let linked = std::fs::symlink_metadata(module)
        .ok()?
        .file_type()
        .is_symlink();
    linked
        .then(|| module.canonicalize().ok())
        .flatten()
        .and_then(|target| beside(&target))
}

fn read_bounded(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| e.kind().to_string())?;
    let mut bytes = Vec::new();
    file.by_ref()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.kind().to_string())?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("larger than {MAX_BYTES} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".into())
}

/// One line's mount, unchecked against the file system.
#[derive(Debug, PartialEq, Eq)]
struct Entry<'a> {
    host: &'a str,
    guest: &'a str,
}

/// `HOST GUEST ro`, a comment or a blank line.
fn parse_line(line: &str) -> Result<Option<Entry<'_>>, String> {
    let line = line.split('#').next().unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let (host, guest, mode) = match words[..] {
        [] => return Ok(None),
        [host, guest, mode] => (host, guest, mode),
        _ => return Err(format!("expected `HOST GUEST ro`, found {:?}", line.trim())),
    };
    if mode != "ro" {
        return Err(format!(
            "mode {mode:?}: command mounts are read-only (`ro`)"
        ));
    }
    check_guest(guest)?;
    Ok(Some(Entry { host, guest }))
}

/// A guest path: absolute, not `/`, only plain components.
fn check_guest(guest: &str) -> Result<(), String> {
    let mut components = Path::new(guest).components();
    if components.next() != Some(Component::RootDir) {
        return Err(format!("guest path {guest:?} is not absolute"));
    }
    let mut plain = 0;
    for component in components {
        match component {
            Component::Normal(_) => plain += 1,
            _ => return Err(format!("guest path {guest:?} has `.` or `..`")),
        }
    }
    if guest.split('/').any(|c| c == "." || c == "..") {
        return Err(format!("guest path {guest:?} has `.` or `..`"));
    }
    if plain == 0 {
        return Err("a command cannot mount `/`".into());
    }
    Ok(())
}

/// `host` joined onto the manifest's directory `dir`: an existing directory inside `prefix`.
fn host_dir(dir: &Path, prefix: &Path, host: &str) -> Result<PathBuf, String> {
    if Path::new(host).is_absolute() {
        return Err(format!(
            "host path {host:?} is absolute (it must be relative to the manifest)"
        ));
    }
    let joined = dir.join(host);
    let resolved = joined
        .canonicalize()
        .map_err(|e| format!("host directory {}: {}", joined.display(), e.kind()))?;
    if !resolved.is_dir() {
        return Err(format!(
            "host path {} is not a directory",
            resolved.display()
        ));
    }
    if !resolved.starts_with(prefix) {
        return Err(format!(
            "host directory {} is outside {}",
            resolved.display(),
            prefix.display()
        ));
    }
    Ok(resolved)
}

/// True when two guest paths name the same mount point (`/a/b/` and `/a//b` do).
fn same_guest_path(a: &str, b: &str) -> bool {
    let parts = |p: &str| -> Vec<String> {
        Path::new(p)
            .components()
            .filter_map(|c| match c {
                Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    parts(a) == parts(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("agentos-manifest-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("commands")).unwrap();
        std::fs::create_dir_all(dir.join("python/lib")).unwrap();
        std::fs::write(dir.join("commands/tool.wasm"), b"\0asm").unwrap();
        dir
    }

    fn manifest(dir: &Path, text: &str) -> Result<Option<CommandMounts>, ManifestError> {
        std::fs::write(dir.join("commands/tool.mounts"), text).unwrap();
        CommandMounts::of_module(&dir.join("commands/tool.wasm"))
    }

    #[test]
    fn a_command_without_a_manifest_has_no_mounts() {
        let dir = scratch("none");
        assert_eq!(
            CommandMounts::of_module(&dir.join("commands/tool.wasm")),
            Ok(None)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_manifest_names_read_only_mounts_relative_to_itself() {
        let dir = scratch("ok");
        let text = "# the stdlib\n\n  ../python/lib   /usr/local/lib  ro  # trailing\n";
        let got = manifest(&dir, text).unwrap().unwrap();
        let lib = dir.join("python/lib").canonicalize().unwrap();
        assert_eq!(
            got.mounts,
            vec![Preopen {
                host: lib,
                guest: "/usr/local/lib".into(),
                read_only: true
            }]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_lines_are_errors_naming_the_manifest_and_line() {
        let dir = scratch("bad");
        let outside = std::env::temp_dir();
        let outside_rel = format!(
            "../../../../../../../..{}",
            outside.canonicalize().unwrap().display()
        );
        let cases = [
            "../python/lib /usr/local/lib",
            "../python/lib /usr/local/lib rw",
            "../python/lib usr/local/lib ro",
            "../python/lib /usr/../etc ro",
            "../python/lib /usr/./lib ro",
            "../python/lib / ro",
            "../python/missing /usr/local/lib ro",
            "tool.wasm /usr/local/lib ro",
            "/etc /etc ro",
            &format!("{outside_rel} /tmp ro"),
            "../python/lib /a ro\n../python/lib /a/ ro",
        ];
        for text in cases {
            let err = manifest(&dir, &format!("# header\n{text}\n")).unwrap_err();
            assert_eq!(err.manifest, dir.join("commands/tool.mounts"), "{text}");
            assert!(err.line.is_some_and(|l| l >= 2), "{text}: {err}");
            assert!(
                err.to_string()
                    .starts_with(&format!("{}:", dir.join("commands/tool.mounts").display())),
                "{err}"
            );
        }
        std::fs::write(dir.join("commands/tool.mounts"), b"\xff\xfe").unwrap();
        let err = CommandMounts::of_module(&dir.join("commands/tool.wasm")).unwrap_err();
        assert_eq!((err.line, err.reason.as_str()), (None, "not UTF-8 text"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_symlinked_command_uses_its_own_manifest_or_its_targets() {
        let dir = scratch("link");
        let commands = dir.join("commands");
        std::os::unix::fs::symlink("tool.wasm", commands.join("alias.wasm")).unwrap();
        std::fs::write(commands.join("tool.mounts"), "../python/lib /lib ro\n").unwrap();
        let via_target = CommandMounts::of_module(&commands.join("alias.wasm"))
            .unwrap()
            .unwrap();
        assert_eq!(via_target.mounts[0].guest, "/lib");
        std::fs::write(commands.join("alias.mounts"), "../python /py ro\n").unwrap();
        let own = CommandMounts::of_module(&commands.join("alias.wasm"))
            .unwrap()
            .unwrap();
        assert_eq!(own.mounts[0].guest, "/py");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_exec_s_own_mount_wins_and_a_root_covers_the_rest() {
        let dir = scratch("merge");
        let got = manifest(&dir, "../python/lib /usr/local/lib ro\n")
            .unwrap()
            .unwrap();
        let alone = got.preopens(&[], &Default::default()).unwrap();
        let guests: Vec<(&str, bool)> = alone
            .iter()
            .map(|p| (p.guest.as_str(), p.read_only))
            .collect();
        assert_eq!(
            guests,
            [("/usr/local/lib", true), ("/etc", true), ("/", true)]
        );
        let own = Preopen {
            host: dir.join("python"),
            guest: "/usr/local/lib/".into(),
            read_only: true,
        };
        let merged = got
            .preopens(std::slice::from_ref(&own), &Default::default())
            .unwrap();
        assert_eq!(merged.len(), 3, "{merged:?}");
        assert_eq!(merged[0], own);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_manifest_inside_a_writable_mount_names_only_what_that_mount_holds() {
        let dir = scratch("writable");
        let got = manifest(&dir, "../python/lib /usr/local/lib ro\n")
            .unwrap()
            .unwrap();
        let writable = |host: PathBuf| Preopen {
            host,
            guest: "/work".into(),
            read_only: false,
        };
        // The guest could write the manifest and not the lib: refused.
        let err = got
            .preopens(&[writable(dir.join("commands"))], &Default::default())
            .unwrap_err();
        assert!(err.reason.contains("/work"), "{err}");
        assert!(err.reason.contains("python/lib"), "{err}");
        // The guest sees both already: the mount grants nothing new.
        let both = got
            .preopens(&[writable(dir.clone())], &Default::default())
            .unwrap();
        assert_eq!(both.len(), 4, "{both:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
