//! What the commands written here share at their edges: their operands as text, and I/O errors
//! worded as GNU tools word them.

use std::ffi::OsString;
use std::io;
use std::path::Path;

/// WASI's `ENOTCAPABLE`: the sandbox refused a path out of its mounts.
const ENOTCAPABLE: i32 = 76;

/// The arguments after argv[0], as text (invalid UTF-8 replaced).
pub fn operands(argv: Vec<OsString>) -> Vec<String> {
    argv.into_iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// A short option's value: the rest of its own argument (`-n5`, `--bytes=5`), else the next
/// argument (`-n 5`).
pub fn option_value(
    inline: &Option<String>,
    rest: &mut impl Iterator<Item = String>,
    key: char,
) -> Result<String, String> {
    inline
        .clone()
        .or_else(|| rest.next())
        .ok_or(format!("option requires an argument -- '{key}'"))
}

/// An I/O error as GNU tools word it: wasi-libc's `strerror` (`No such file or directory`)
/// without Rust's `(os error 44)`; a path out of the sandbox is `Permission denied`.
pub fn io_error(e: &io::Error) -> String {
    if e.raw_os_error() == Some(ENOTCAPABLE) {
        return "Permission denied".into();
    }
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Makes a symbolic link `at` pointing to `link`.
#[cfg(target_os = "wasi")]
pub fn symlink(link: &Path, at: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::wasi::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (link, at) = (c(link)?, c(at)?);
    // SAFETY: both arguments are NUL-terminated strings that outlive the call. (std's
    // `std::os::wasi::fs::symlink_path` is still unstable.)
    if unsafe { libc::symlink(link.as_ptr(), at.as_ptr()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(unix)]
pub fn symlink(link: &Path, at: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(link, at)
}

/// Seconds since the epoch as a civil date and time (UTC): (year, month, day, hour, min, sec).
pub fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem / 60 % 60, rem % 60)
}
