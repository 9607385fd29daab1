//! Guest path bytes → validated, split components. Nothing here touches the host: this is the
//! only place guest path text is interpreted, and it never produces a host path.

use crate::Errno;

/// Longest guest path accepted, in bytes (Linux `PATH_MAX` less the NUL).
pub(crate) const MAX_PATH: usize = 4095;

/// A validated relative guest path, split on `/` (empty pieces dropped, `.` and `..` kept so
/// the kernel or the walker interprets them physically).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GuestPath {
    /// Non-empty components.
    pub comps: Vec<Vec<u8>>,
    /// The path ended in `/` (the final component must be a directory, and is followed).
    pub trailing_slash: bool,
}

/// Where a path's final component points.
pub(crate) enum Last<'a> {
    /// The path names a directory by `.`/`..` as its last step: resolve all of it as a directory.
    Dir,
    /// A normal name inside the directory named by the components before it.
    Name(&'a [Vec<u8>], &'a [u8]),
}

impl GuestPath {
    /// Parses a guest path given to a `path_*` call.
    ///
    /// # Errors
    /// `ILSEQ` for invalid UTF-8, `INVAL` for NUL bytes, `NAMETOOLONG` past [`MAX_PATH`],
    /// `NOENT` for the empty path, [`Errno::ESCAPE`] for an absolute path.
    pub fn parse(bytes: &[u8]) -> Result<Self, Errno> {
        if std::str::from_utf8(bytes).is_err() {
            return Err(Errno::ILSEQ);
        }
        Self::parse_target(bytes)
    }

    /// Parses a symlink target read from the host (bytes, no UTF-8 requirement).
    ///
    /// # Errors
    /// As [`GuestPath::parse`], minus the UTF-8 check.
    pub fn parse_target(bytes: &[u8]) -> Result<Self, Errno> {
        if bytes.contains(&0) {
            return Err(Errno::INVAL);
        }
        if bytes.len() > MAX_PATH {
            return Err(Errno::NAMETOOLONG);
        }
        if bytes.is_empty() {
            return Err(Errno::NOENT);
        }
        if bytes[0] == b'/' {
            return Err(Errno::ESCAPE);
        }
        let comps = bytes
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        Ok(Self {
            comps,
            trailing_slash: bytes.ends_with(b"/"),
        })
    }

    /// Splits off the final component.
    pub fn last(&self) -> Last<'_> {
        match self.comps.split_last() {
            None => Last::Dir,
            Some((name, _)) if is_dot(name) => Last::Dir,
            Some((name, parent)) => Last::Name(parent, name),
        }
    }

    /// The components joined by `/` (`.` when there are none), with a trailing `/` kept.
    pub fn joined(&self) -> Vec<u8> {
        join(&self.comps, self.trailing_slash)
    }
}

/// `.` or `..`.
pub(crate) fn is_dot(name: &[u8]) -> bool {
    name == b"." || name == b".."
}

/// Joins components by `/`; `.` for none.
pub(crate) fn join(comps: &[Vec<u8>], trailing_slash: bool) -> Vec<u8> {
    if comps.is_empty() {
        return b".".to_vec();
    }
    let mut out = comps.join(&b'/');
    if trailing_slash {
        out.push(b'/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_is_escape() {
        assert_eq!(GuestPath::parse(b"/etc"), Err(Errno::ESCAPE));
    }

    #[test]
    fn empty_is_noent() {
        assert_eq!(GuestPath::parse(b""), Err(Errno::NOENT));
    }

    #[test]
    fn nul_is_inval() {
        assert_eq!(GuestPath::parse(b"a\0"), Err(Errno::INVAL));
    }

    #[test]
    fn invalid_utf8_is_ilseq() {
        assert_eq!(GuestPath::parse(b"\xff"), Err(Errno::ILSEQ));
    }

    #[test]
    fn splits_and_keeps_trailing_slash() {
        let p = GuestPath::parse(b"a//./b///").unwrap();
        assert_eq!(p.comps, vec![b"a".to_vec(), b".".to_vec(), b"b".to_vec()]);
        assert!(p.trailing_slash);
        assert_eq!(p.joined(), b"a/./b/".to_vec());
    }

    #[test]
    fn dot_last_is_dir() {
        assert!(matches!(
            GuestPath::parse(b"a/..").unwrap().last(),
            Last::Dir
        ));
        assert!(matches!(
            GuestPath::parse(b"a/b").unwrap().last(),
            Last::Name(_, b"b")
        ));
    }

    #[test]
    fn too_long_is_nametoolong() {
        let long = vec![b'a'; MAX_PATH + 1];
        assert_eq!(GuestPath::parse(&long), Err(Errno::NAMETOOLONG));
    }
}
