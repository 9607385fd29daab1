//! `install`: copy files (or make directories) and set their permission bits, GNU's options and
//! messages, over the sandbox's bits (`agentos-fsmode`).
//!
//! Ours rather than uutils': `uu_install` sets owners and modes through Unix calls WASI has not.
//! Owners (`-o`, `-g`) are accepted for the sandbox's one user and group only; `-s` (strip) and
//! `-C` are accepted and change nothing that matters here (there is no `strip`, and a copy is
//! always made).

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use uucore::display::Quotable;
use uucore::mode::parse_chmod;

use crate::cli::io_error;

struct Options {
    directories: bool,
    leading: bool,
    mode: u32,
    target: Option<String>,
    no_target: bool,
    verbose: bool,
    preserve_times: bool,
    operands: Vec<String>,
}

/// `install`.
pub fn main(argv: Vec<OsString>) -> i32 {
    match parse(crate::cli::operands(argv)) {
        Ok(o) => run(&o),
        Err(msg) => {
            let _ = writeln!(
                io::stderr(),
                "install: {msg}\nTry 'install --help' for more information."
            );
            1
        }
    }
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        directories: false,
        leading: false,
        mode: 0o755,
        target: None,
        no_target: false,
        verbose: false,
        preserve_times: false,
        operands: Vec::new(),
    };
    let mut it = args.into_iter();
    let mut done = false;
    while let Some(arg) = it.next() {
        if done || !arg.starts_with('-') || arg == "-" {
            o.operands.push(arg);
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if arg.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |inline: Option<String>| {
            inline
                .or_else(|| it.next())
                .ok_or_else(|| format!("option requires an argument -- '{flag}'"))
        };
        match flag.as_str() {
            "--" => done = true,
            "-d" | "--directory" => o.directories = true,
            "-D" => o.leading = true,
            "-v" | "--verbose" => o.verbose = true,
            "-p" | "--preserve-timestamps" => o.preserve_times = true,
            "-T" | "--no-target-directory" => o.no_target = true,
            "-c" | "-C" | "--compare" | "-s" | "--strip" => {}
            "-m" | "--mode" => {
                let spec = value(inline)?;
                o.mode = parse_chmod(0, &spec, false, 0)
                    .map_err(|_| format!("invalid mode {}", spec.quote()))?;
            }
            "-t" | "--target-directory" => o.target = Some(value(inline)?),
            "-o" | "--owner" | "-g" | "--group" => {
                let who = value(inline)?;
                if who != "root" && who != "0" {
                    return Err(format!("invalid user {}", who.quote()));
                }
            }
            other => return Err(format!("unrecognized option '{other}'")),
        }
    }
    Ok(o)
}

fn run(o: &Options) -> i32 {
    let mut ok = true;
    if o.directories {
        if o.operands.is_empty() {
            return fail_usage("missing file operand");
        }
        for dir in &o.operands {
            ok &= report(make_dir(o, Path::new(dir)));
        }
        return i32::from(!ok);
    }
    let (sources, dest_dir, dest_file) = match plan(o) {
        Ok(plan) => plan,
        Err(msg) => return fail_usage(&msg),
    };
    for source in sources {
        let dest = match (&dest_dir, &dest_file) {
            (Some(dir), _) => dir.join(Path::new(source).file_name().unwrap_or_default()),
            (None, Some(file)) => file.clone(),
            (None, None) => continue,
        };
        ok &= report(copy(o, Path::new(source), &dest));
    }
    i32::from(!ok)
}

/// The sources, and the directory they go into or the one file the source becomes.
type Plan<'o> = (Vec<&'o String>, Option<PathBuf>, Option<PathBuf>);

fn plan(o: &Options) -> Result<Plan<'_>, String> {
    if let Some(dir) = &o.target {
        if o.operands.is_empty() {
            return Err("missing file operand".into());
        }
        if o.leading {
            fs::create_dir_all(dir).map_err(|e| {
                format!("cannot create directory {}: {}", dir.quote(), io_error(&e))
            })?;
        }
        if !Path::new(dir).is_dir() {
            return Err(format!("target {} is not a directory", dir.quote()));
        }
        return Ok((o.operands.iter().collect(), Some(PathBuf::from(dir)), None));
    }
    let Some((last, sources)) = o.operands.split_last() else {
        return Err("missing file operand".into());
    };
    if sources.is_empty() {
        return Err(format!(
            "missing destination file operand after {}",
            last.quote()
        ));
    }
    let last_path = PathBuf::from(last);
    if sources.len() == 1 && (o.no_target || !last_path.is_dir()) {
        return Ok((sources.iter().collect(), None, Some(last_path)));
    }
    if !last_path.is_dir() {
        return Err(format!("target {} is not a directory", last.quote()));
    }
    Ok((sources.iter().collect(), Some(last_path), None))
}

fn fail_usage(msg: &str) -> i32 {
    let _ = writeln!(
        io::stderr(),
        "install: {msg}\nTry 'install --help' for more information."
    );
    1
}

/// Prints a failure; whether it went well.
fn report(result: Result<(), String>) -> bool {
    match result {
        Ok(()) => true,
        Err(msg) => {
            let _ = io::stdout().flush();
            let _ = writeln!(io::stderr(), "install: {msg}");
            false
        }
    }
}

fn make_dir(o: &Options, dir: &Path) -> Result<(), String> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    for d in missing.iter().rev() {
        fs::create_dir(d)
            .map_err(|e| format!("cannot create directory {}: {}", d.quote(), io_error(&e)))?;
        if o.verbose {
            say(&format!("install: creating directory {}", d.quote()));
        }
    }
    set_mode(dir, o.mode)
}

fn copy(o: &Options, source: &Path, dest: &Path) -> Result<(), String> {
    let meta = fs::metadata(source)
        .map_err(|e| format!("cannot stat {}: {}", source.quote(), io_error(&e)))?;
    if meta.is_dir() {
        return Err(format!("omitting directory {}", source.quote()));
    }
    if o.leading
        && let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty())
    {
        fs::create_dir_all(parent).map_err(|e| {
            format!(
                "cannot create directory {}: {}",
                parent.quote(),
                io_error(&e)
            )
        })?;
    }
    // As GNU: the old file goes first, so a read-only one or a link is replaced, not written.
    let _ = fs::remove_file(dest);
    fs::copy(source, dest).map_err(|e| {
        format!(
            "cannot create regular file {}: {}",
            dest.quote(),
            io_error(&e)
        )
    })?;
    if o.preserve_times
        && let Ok(modified) = meta.modified()
        && let Ok(file) = fs::File::options().write(true).open(dest)
    {
        let _ = file.set_modified(modified);
    }
    set_mode(dest, o.mode)?;
    if o.verbose {
        say(&format!("{} -> {}", source.quote(), dest.quote()));
    }
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    agentos_fsmode::set_mode(path, mode, true).map_err(|e| {
        format!(
            "cannot change permissions of {}: {}",
            path.quote(),
            io_error(&e)
        )
    })
}

fn say(line: &str) {
    let _ = writeln!(io::stdout(), "{line}");
}
