//! What the commands written here share at their edges: their operands as text, and I/O errors
//! worded as GNU tools word them.

use std::ffi::OsString;
use std::io;

/// WASI's `ENOTCAPABLE`: the sandbox refused a path out of its mounts.
const ENOTCAPABLE: i32 = 76;

/// The arguments after argv[0], as text (invalid UTF-8 replaced).
pub fn operands(argv: Vec<OsString>) -> Vec<String> {
    argv.into_iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
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
