//! Reading a guest path through the exec's sandbox, for the sidecar's own needs (`node FILE`):
//! the same preopens and the same confinement as the guest's WASI calls.

use agentos_sandbox::{Errno, Sandbox, lookupflags, rights};

/// Largest file read this way.
const MAX_FILE_BYTES: usize = 64 << 20;

/// `file` made absolute against the guest's `cwd` (guest paths only; never a host path).
pub fn absolute(cwd: &str, file: &str) -> String {
    // Normalised (`.`, `..`, `//`) as Node's path.resolve does.
    agentos_shell::paths::absolute(cwd, file)
}

/// The contents of the guest file at absolute guest path `path`.
///
/// # Errors
/// The WASI errno: `NOENT` when no preopen covers the path, confinement errors as the guest
/// would see them, `FBIG` past the size bound.
pub fn read(sandbox: &mut Sandbox, path: &str) -> Result<Vec<u8>, Errno> {
    let (dirfd, rest) = preopen_for(sandbox, path).ok_or(Errno::NOENT)?;
    let fd = sandbox.path_open(
        dirfd,
        lookupflags::SYMLINK_FOLLOW,
        rest.as_bytes(),
        0,
        rights::FD_READ | rights::FD_SEEK,
        0,
        0,
    )?;
    let result = read_all(sandbox, fd);
    let _ = sandbox.fd_close(fd);
    result
}

/// The sandbox's stat of the guest file at absolute guest path `path` (symlinks followed).
///
/// # Errors
/// The WASI errno, as for [`read`].
pub fn stat(sandbox: &Sandbox, path: &str) -> Result<agentos_sandbox::FileStat, Errno> {
    let (dirfd, rest) = preopen_for(sandbox, path).ok_or(Errno::NOENT)?;
    sandbox.path_filestat_get(dirfd, lookupflags::SYMLINK_FOLLOW, rest.as_bytes())
}

fn read_all(sandbox: &mut Sandbox, fd: u32) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    loop {
        let chunk = sandbox.fd_pread(fd, 1 << 20, out.len() as u64)?;
        if chunk.is_empty() {
            return Ok(out);
        }
        out.extend_from_slice(&chunk);
        if out.len() > MAX_FILE_BYTES {
            return Err(Errno::FBIG);
        }
    }
}

/// The preopen whose guest path is the longest prefix of `path`, and the rest of the path.
fn preopen_for(sandbox: &Sandbox, path: &str) -> Option<(u32, String)> {
    let mut best: Option<(u32, usize, String)> = None;
    for fd in 3.. {
        let name = match sandbox.fd_prestat_dir_name(fd) {
            Ok(name) => String::from_utf8_lossy(&name).into_owned(),
            Err(Errno::BADF) => break,
            Err(_) => continue,
        };
        let Some(rest) = strip_dir(path, &name) else {
            continue;
        };
        if best.as_ref().is_none_or(|(_, len, _)| name.len() > *len) {
            best = Some((fd, name.len(), rest));
        }
    }
    best.map(|(fd, _, rest)| (fd, rest))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_whole_components() {
        assert_eq!(strip_dir("/data/x.js", "/data").as_deref(), Some("x.js"));
        assert_eq!(strip_dir("/data", "/data").as_deref(), Some("."));
        assert_eq!(strip_dir("/database/x", "/data"), None);
        assert_eq!(strip_dir("/a/b", "/").as_deref(), Some("a/b"));
        assert_eq!(absolute("/w/", "m.js"), "/w/m.js");
        assert_eq!(absolute("/w", "/abs.js"), "/abs.js");
        assert_eq!(absolute("/w", "./m.js"), "/w/m.js");
        assert_eq!(absolute("/w/a", "../b//c/./d.js"), "/w/b/c/d.js");
        assert_eq!(absolute("/", "../../x"), "/x");
    }
}
