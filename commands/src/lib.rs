//! The agentos command set: every command's entry point, by name.
//!
//! `argv[0]`'s base name (without a `.wasm` suffix) picks the command, so `ls.wasm` linked to
//! the multicall module runs `ls`; invoked under its own name (`agentos-commands ls -la`) the
//! second argument does. Every command is a crates.io implementation (uutils coreutils, uutils
//! grep, sed, findutils and diffutils, awk-rs, jaq, tar, flate2, rust_tree); this crate only dispatches and,
//! where a crate ships a library but no callable entry point, holds the thin front end.

mod archive;
mod awk;
mod chmod;
mod cli;
mod column;
mod compress;
mod curl;
mod diff;
mod envsubst;
mod file;
mod hexdump;
mod http;
mod iconv;
mod identity;
mod install;
mod jq;
mod patch;
pub mod registry;
mod rev;
mod runs;
mod sqlite3;
mod strings;
mod tar;
mod timeout;
mod tree;
mod wget;
mod xxd;

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

/// A command's entry point: the full argv (argv[0] included), returning the exit code.
pub type Main = fn(Vec<OsString>) -> i32;

/// The name the multicall module answers to when it is called as itself.
const SELF_NAMES: &[&str] = &["agentos-commands", "commands"];

/// Runs a command, and flushes stdout: the uutils commands flush their own, the others write
/// through `std::io::stdout()`, whose buffer `exit` would drop.
pub fn finish(code: i32) -> ! {
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

/// The multicall dispatch: by argv[0], or by argv[1] under the module's own name.
pub fn run(args: &mut Vec<OsString>) -> i32 {
    let mut name = command_name(args.first());
    if SELF_NAMES.contains(&name.as_str()) {
        if args.len() < 2 {
            return usage();
        }
        if args[1] == "--list" {
            return list();
        }
        args.remove(0);
        // uucore names itself after argv[1] from now on (`ls: ...`, not `agentos-commands: ...`).
        uucore::set_utility_is_second_arg();
        name = command_name(args.first());
    }
    match registry::find(&name) {
        Some(main) => main(std::mem::take(args)),
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "{name}: command not found in agentos-commands"
            );
            127
        }
    }
}

/// The base name of argv[0], without a `.wasm` suffix.
pub fn command_name(arg0: Option<&OsString>) -> String {
    let Some(arg0) = arg0 else {
        return String::new();
    };
    let base = Path::new(arg0)
        .file_name()
        .map_or_else(|| arg0.to_string_lossy(), |b| b.to_string_lossy())
        .into_owned();
    base.strip_suffix(".wasm")
        .map(str::to_owned)
        .unwrap_or(base)
}

fn usage() -> i32 {
    let _ = writeln!(
        std::io::stderr(),
        "usage: agentos-commands COMMAND [ARGS...] | --list"
    );
    2
}

fn list() -> i32 {
    let mut out = std::io::stdout().lock();
    for name in registry::names() {
        if writeln!(out, "{name}").is_err() {
            return 1;
        }
    }
    0
}
