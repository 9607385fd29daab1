//! `tree` over rust_tree, patched to print what GNU tree 2 prints (`patches/`): the listing,
//! the summary line (the root counted among the directories) and the common options (`-a -d
//! -L -I -P -f -F -s --noreport --dirsfirst`), for one directory. As GNU tree, it draws with
//! box-drawing characters in a UTF-8 locale and with ASCII (`|--`, `` `-- ``) in any other.

use std::ffi::OsString;
use std::io::{self, Write};

pub fn main(args: Vec<OsString>) -> i32 {
    let mut args: Vec<String> = (args.into_iter())
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if !utf8_locale() && !args.is_empty() {
        // rust_tree's `-A` is its ASCII drawing (patched to GNU's ASCII lines).
        args.insert(1, "-A".into());
    }
    match rust_tree::rust_tree::cli::run_with_args(args) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        // The listing said so (`DIR  [error opening dir]`), as GNU tree's does.
        Err(e) if e.kind() == io::ErrorKind::NotFound => 2,
        Err(e) => {
            let _ = writeln!(io::stderr(), "tree: {e}");
            2
        }
    }
}

/// Whether the locale's charset is UTF-8 (`LC_ALL`, else `LC_CTYPE`, else `LANG`).
fn utf8_locale() -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default()
        .to_ascii_lowercase();
    locale.contains("utf-8") || locale.contains("utf8")
}
