//! `gzip`, `gunzip`, `zcat` over flate2 (miniz_oxide, pure Rust).
//!
//! `gzip [-cdfknqv] [-1..-9] [FILE...]`: without FILE (or with `-`) stdin to stdout; with FILE,
//! `FILE` -> `FILE.gz` (or back with `-d`) and the input removed unless `-k`/`-c`. The deflate
//! stream is miniz_oxide's, so compressed bytes differ from GNU gzip's; what round-trips is
//! the content, and what `gunzip` reads is any gzip stream (multi-member included).

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use flate2::Compression;
use flate2::GzBuilder;
use flate2::read::MultiGzDecoder;

#[derive(Clone, Copy)]
struct Options {
    decompress: bool,
    stdout: bool,
    keep: bool,
    force: bool,
    level: u32,
}

pub fn main(args: Vec<OsString>) -> i32 {
    run(
        "gzip",
        args,
        Options {
            decompress: false,
            stdout: false,
            keep: false,
            force: false,
            level: 6,
        },
    )
}

pub fn gunzip_main(args: Vec<OsString>) -> i32 {
    run(
        "gunzip",
        args,
        Options {
            decompress: true,
            stdout: false,
            keep: false,
            force: false,
            level: 6,
        },
    )
}

pub fn zcat_main(args: Vec<OsString>) -> i32 {
    run(
        "zcat",
        args,
        Options {
            decompress: true,
            stdout: true,
            keep: true,
            force: false,
            level: 6,
        },
    )
}

fn run(name: &str, args: Vec<OsString>, mut o: Options) -> i32 {
    let mut files = Vec::new();
    let mut only_files = false;
    for arg in args.into_iter().skip(1) {
        let s = arg.to_string_lossy().into_owned();
        if only_files || s == "-" || !s.starts_with('-') {
            files.push(arg);
            continue;
        }
        if s == "--" {
            only_files = true;
            continue;
        }
        let flags: Vec<char> = match s.as_str() {
            "--stdout" | "--to-stdout" => vec!['c'],
            "--decompress" | "--uncompress" => vec!['d'],
            "--keep" => vec!['k'],
            "--force" => vec!['f'],
            "--quiet" | "--verbose" | "--no-name" | "--name" => vec![],
            "--fast" => vec!['1'],
            "--best" => vec!['9'],
            long if long.starts_with("--") => {
                let _ = writeln!(io::stderr(), "{name}: unrecognized option '{long}'");
                return 1;
            }
            short => short[1..].chars().collect(),
        };
        for c in flags {
            match c {
                'c' => o.stdout = true,
                'd' => o.decompress = true,
                'k' => o.keep = true,
                'f' => o.force = true,
                'q' | 'v' | 'n' | 'N' => {}
                '1'..='9' => o.level = c.to_digit(10).unwrap_or(6),
                other => {
                    let _ = writeln!(io::stderr(), "{name}: invalid option -- '{other}'");
                    return 1;
                }
            }
        }
    }
    if files.is_empty() {
        files.push(OsString::from("-"));
    }
    let mut code = 0;
    for file in &files {
        if let Err(Problem { code: c, msg }) = one(file, o) {
            let _ = writeln!(io::stderr(), "{name}: {msg}");
            // An error (1) outranks a warning (2), as in GNU gzip.
            code = if code == 1 || c == 1 { 1 } else { c };
        }
    }
    code
}

/// What went wrong with one file: GNU gzip exits 1 for an error, 2 for a warning.
struct Problem {
    code: i32,
    msg: String,
}

impl From<String> for Problem {
    fn from(msg: String) -> Self {
        Problem { code: 1, msg }
    }
}

fn warn(msg: String) -> Problem {
    Problem { code: 2, msg }
}

fn transform(
    o: Options,
    input: &mut dyn Read,
    out: &mut dyn Write,
    name: &str,
    mtime: u32,
) -> io::Result<()> {
    if o.decompress {
        io::copy(&mut MultiGzDecoder::new(input), out)?;
    } else {
        let mut builder = GzBuilder::new().mtime(mtime);
        if !name.is_empty() {
            builder = builder.filename(name.as_bytes());
        }
        let mut encoder = builder.write(out, Compression::new(o.level));
        io::copy(input, &mut encoder)?;
        encoder.finish()?;
    }
    Ok(())
}

fn one(file: &OsString, o: Options) -> Result<(), Problem> {
    if file == "-" {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        transform(o, &mut io::stdin().lock(), &mut out, "", 0)
            .map_err(|e| Problem::from(format!("stdin: {e}")))?;
        return out
            .flush()
            .map_err(|e| Problem::from(format!("stdout: {e}")));
    }
    let path = Path::new(file);
    let shown = path.display().to_string();
    let meta = fs::metadata(path)
        .map_err(|e| Problem::from(format!("{shown}: {}", crate::cli::io_error(&e))))?;
    if meta.is_dir() {
        return Err(warn(format!("{shown} is a directory -- ignored")));
    }
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(0));
    let base = path
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut input = File::open(path)
        .map_err(|e| Problem::from(format!("{shown}: {}", crate::cli::io_error(&e))))?;
    if o.stdout {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        transform(o, &mut input, &mut out, &base, mtime)
            .map_err(|e| Problem::from(format!("{shown}: {e}")))?;
        return out
            .flush()
            .map_err(|e| Problem::from(format!("stdout: {e}")));
    }
    let target = if o.decompress {
        match shown
            .strip_suffix(".gz")
            .or_else(|| shown.strip_suffix(".tgz"))
        {
            Some(stem) if shown.ends_with(".tgz") => format!("{stem}.tar"),
            Some(stem) => stem.to_owned(),
            None => return Err(warn(format!("{shown}: unknown suffix -- ignored"))),
        }
    } else {
        if shown.ends_with(".gz") {
            return Err(warn(format!("{shown} already has .gz suffix -- unchanged")));
        }
        format!("{shown}.gz")
    };
    if !o.force && Path::new(&target).exists() {
        // GNU gzip: a warning, and exit status 2.
        return Err(warn(format!("{target} already exists; not overwritten")));
    }
    let mut out = File::create(&target)
        .map_err(|e| Problem::from(format!("{target}: {}", crate::cli::io_error(&e))))?;
    if let Err(e) = transform(o, &mut input, &mut out, &base, mtime) {
        let _ = fs::remove_file(&target);
        return Err(Problem::from(format!("{shown}: {e}")));
    }
    drop(out);
    let _ = File::options()
        .write(true)
        .open(&target)
        .and_then(|f| f.set_modified(meta.modified()?));
    if !o.keep {
        fs::remove_file(path)
            .map_err(|e| Problem::from(format!("{shown}: {}", crate::cli::io_error(&e))))?;
    }
    Ok(())
}
