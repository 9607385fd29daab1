//! `diff` and `cmp`: uutils diffutils.
//!
//! `cmp` is the library's own entry point. The library keeps `diff`'s entry point in its binary,
//! so `main` below is that binary's dispatch over the public API: the same option parser
//! (`params::parse_params`) and the same formatters.

use std::ffi::OsString;
use std::io::{self, Read, Write};

use diffutilslib::params::{Format, parse_params};

/// The argv of this process with the dispatcher's own name skipped, as diffutils wants it.
fn std_args(args: &[OsString]) -> std::iter::Peekable<std::env::ArgsOs> {
    let mut all = std::env::args_os();
    for _ in args.len()..all.len() {
        all.next();
    }
    all.peekable()
}

pub fn cmp_main(args: Vec<OsString>) -> i32 {
    i32::from(exit_byte(diffutilslib::cmp::main(std_args(&args))))
}

/// `ExitCode` is opaque; diffutils only returns 0, 1 or 2.
fn exit_byte(code: std::process::ExitCode) -> u8 {
    if code == std::process::ExitCode::SUCCESS {
        0
    } else if code == std::process::ExitCode::from(1) {
        1
    } else {
        2
    }
}

fn read_input(path: &OsString) -> io::Result<Vec<u8>> {
    if path == "-" {
        let mut content = Vec::new();
        io::stdin().read_to_end(&mut content)?;
        Ok(content)
    } else {
        std::fs::read(path)
    }
}

pub fn main(args: Vec<OsString>) -> i32 {
    let params = match parse_params(args.into_iter().peekable()) {
        Ok(params) => params,
        Err(error) => {
            let _ = writeln!(io::stderr(), "diff: {error}");
            return 2;
        }
    };
    let identical = || {
        if params.report_identical_files {
            let _ = writeln!(
                io::stdout(),
                "Files {} and {} are identical",
                params.from.to_string_lossy(),
                params.to.to_string_lossy()
            );
        }
    };
    if params.from == "-" && params.to == "-"
        || same_file::is_same_file(&params.from, &params.to).unwrap_or(false)
    {
        identical();
        return 0;
    }
    let mut failed = false;
    let mut load = |path: &OsString| {
        read_input(path).unwrap_or_else(|e| {
            diffutilslib::utils::report_failure_to_read_input_file(&params.executable, path, &e);
            failed = true;
            Vec::new()
        })
    };
    let from = load(&params.from);
    let to = load(&params.to);
    if failed {
        return 2;
    }
    let mut stdout = io::stdout().lock();
    let result = match params.format {
        Format::Normal => diffutilslib::normal_diff(&from, &to, &params),
        Format::Unified => diffutilslib::unified_diff(&from, &to, &params),
        Format::Context => diffutilslib::context_diff(&from, &to, &params),
        Format::Ed => match diffutilslib::ed_diff(&from, &to, &params) {
            Ok(result) => result,
            Err(error) => {
                let _ = writeln!(io::stderr(), "diff: {error}");
                return 2;
            }
        },
        Format::SideBySide => diffutilslib::side_by_side_diff(&from, &to, &mut stdout, &params),
    };
    let written = if params.brief && !result.is_empty() {
        writeln!(
            stdout,
            "Files {} and {} differ",
            params.from.to_string_lossy(),
            params.to.to_string_lossy()
        )
    } else {
        stdout.write_all(&result)
    };
    if let Err(e) = written.and_then(|()| stdout.flush())
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(io::stderr(), "diff: write error: {e}");
        return 2;
    }
    drop(stdout);
    if result.is_empty() {
        identical();
        0
    } else {
        1
    }
}
