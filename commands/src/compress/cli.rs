//! The front end shared by `gzip`/`gunzip`/`zcat`, `bzip2`/`bunzip2`/`bzcat` and
//! `xz`/`unxz`/`xzcat`: `[-cdzkftqv] [-0..-9] [FILE...]`.
//!
//! Without FILE (or with `-`) stdin goes to stdout; with FILE, `FILE` becomes `FILE.gz` (`.bz2`,
//! `.xz`), or back with `-d`, and the input is removed unless `-k` or `-c`. `-t` decodes and
//! discards. Compressed bytes are the crates' (bzip2's are libbzip2's, bit for bit; gzip's and
//! xz's differ from GNU gzip's and xz-utils'); what round-trips is the content. Each tool keeps
//! its own exit statuses for the same situations (an existing output is a warning, 2, for gzip
//! and an error, 1, for bzip2 and xz), as the differential test checks.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use super::{Codec, Origin};

/// How one tool answers each situation: exit statuses (1 error, 2 warning, 0 a message only).
#[derive(Clone, Copy)]
struct Codes {
    exists: i32,
    has_suffix: i32,
    directory: i32,
    corrupt: i32,
}

const GZIP_CODES: Codes = Codes {
    exists: 2,
    // gzip only says so.
    has_suffix: 0,
    directory: 2,
    corrupt: 1,
};
const BZIP2_CODES: Codes = Codes {
    exists: 1,
    has_suffix: 1,
    directory: 1,
    corrupt: 2,
};
const XZ_CODES: Codes = Codes {
    exists: 1,
    has_suffix: 2,
    directory: 2,
    corrupt: 1,
};

/// A tool as invoked, with its defaults.
#[derive(Clone, Copy)]
struct Tool {
    name: &'static str,
    codec: Codec,
    codes: Codes,
    decompress: bool,
    stdout: bool,
    level: u32,
}

#[derive(Clone, Copy)]
struct Options {
    decompress: bool,
    test: bool,
    stdout: bool,
    keep: bool,
    force: bool,
    level: u32,
}

macro_rules! tools {
    ($( $fn_name:ident => $name:literal, $codec:ident, $codes:ident, $d:literal, $c:literal, $level:literal; )*) => {
        $(
            pub fn $fn_name(args: Vec<OsString>) -> i32 {
                run(Tool {
                    name: $name,
                    codec: Codec::$codec,
                    codes: $codes,
                    decompress: $d,
                    stdout: $c,
                    level: $level,
                }, args)
            }
        )*
    };
}

tools! {
    gzip => "gzip", Gzip, GZIP_CODES, false, false, 6;
    gunzip => "gunzip", Gzip, GZIP_CODES, true, false, 6;
    zcat => "zcat", Gzip, GZIP_CODES, true, true, 6;
    bzip2 => "bzip2", Bzip2, BZIP2_CODES, false, false, 9;
    bunzip2 => "bunzip2", Bzip2, BZIP2_CODES, true, false, 9;
    bzcat => "bzcat", Bzip2, BZIP2_CODES, true, true, 9;
    xz => "xz", Xz, XZ_CODES, false, false, 6;
    unxz => "unxz", Xz, XZ_CODES, true, false, 6;
    xzcat => "xzcat", Xz, XZ_CODES, true, true, 6;
}

/// What went wrong with one file, and the status it gives.
struct Problem {
    code: i32,
    msg: String,
}

fn problem(code: i32, msg: String) -> Problem {
    Problem { code, msg }
}

fn run(tool: Tool, args: Vec<OsString>) -> i32 {
    let (o, files) = match parse(tool, args) {
        Ok(parsed) => parsed,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "{}: {msg}", tool.name);
            return 1;
        }
    };
    let mut code = 0;
    for file in &files {
        if let Err(Problem { code: c, msg }) = one(tool, o, file) {
            let _ = writeln!(io::stderr(), "{}: {msg}", tool.name);
            // An error (1) outranks a warning (2), which outranks a message (0).
            code = match (code, c) {
                (1, _) | (_, 1) => 1,
                (2, _) | (_, 2) => 2,
                _ => 0,
            };
        }
    }
    code
}

fn parse(tool: Tool, args: Vec<OsString>) -> Result<(Options, Vec<OsString>), String> {
    let mut o = Options {
        decompress: tool.decompress,
        test: false,
        stdout: tool.stdout,
        keep: tool.stdout,
        force: false,
        level: tool.level,
    };
    let mut files = Vec::new();
    let mut only_files = false;
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        let s = arg.to_string_lossy().into_owned();
        if only_files || s == "-" || !s.starts_with('-') {
            files.push(arg);
            continue;
        }
        if s == "--" {
            only_files = true;
            continue;
        }
        let flags: Vec<char> = match long_flag(&s) {
            Some(flags) => flags.chars().collect(),
            None if s.starts_with("--threads=") || s.starts_with("--format=") => continue,
            None if s.starts_with("--") => return Err(format!("unrecognized option '{s}'")),
            None => s[1..].chars().collect(),
        };
        for (at, &c) in flags.iter().enumerate() {
            match c {
                'c' => o.stdout = true,
                'd' => o.decompress = true,
                'z' => o.decompress = false,
                't' => o.test = true,
                'k' => o.keep = true,
                'f' => o.force = true,
                'q' | 'v' | 'n' | 'N' | 's' | 'e' => {}
                // xz's thread count (`-T0`, `-T 4`): one thread here.
                'T' => {
                    if at + 1 == flags.len() {
                        let _ = args.next();
                    }
                    break;
                }
                '0'..='9' => o.level = c.to_digit(10).unwrap_or(tool.level),
                other => return Err(format!("invalid option -- '{other}'")),
            }
        }
    }
    if o.test {
        o.decompress = true;
    }
    if files.is_empty() {
        files.push(OsString::from("-"));
    }
    Ok((o, files))
}

/// The short flags a long option stands for (empty: accepted, no effect).
fn long_flag(arg: &str) -> Option<&'static str> {
    Some(match arg {
        "--stdout" | "--to-stdout" => "c",
        "--decompress" | "--uncompress" => "d",
        "--compress" => "z",
        "--test" => "t",
        "--keep" => "k",
        "--force" => "f",
        "--quiet" | "--verbose" | "--no-name" | "--name" | "--small" | "--extreme" => "",
        "--fast" => "1",
        "--best" => "9",
        _ => return None,
    })
}

/// Compresses, decompresses or tests `input` into `out`.
fn transform(
    tool: Tool,
    o: Options,
    input: &mut dyn Read,
    out: &mut dyn Write,
    origin: &Origin,
) -> io::Result<()> {
    if o.decompress {
        let mut decoder = tool.codec.decoder(Box::new(input));
        if o.test {
            io::copy(&mut decoder, &mut io::sink())?;
        } else {
            io::copy(&mut decoder, out)?;
        }
        return Ok(());
    }
    let mut encoder = tool.codec.encoder(Box::new(out), o.level, origin)?;
    io::copy(input, &mut encoder)?;
    encoder.finish()
}

/// An I/O error while coding, as a problem of `shown`: data the format rejects is the tool's
/// "corrupt" status, the rest an error.
fn coding_problem(tool: Tool, shown: &str, e: &io::Error) -> Problem {
    let corrupt = matches!(
        e.kind(),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::UnexpectedEof
    );
    let code = if corrupt { tool.codes.corrupt } else { 1 };
    problem(code, format!("{shown}: {}", crate::cli::io_error(e)))
}

fn one(tool: Tool, o: Options, file: &OsString) -> Result<(), Problem> {
    if file == "-" {
        let origin = Origin::default();
        return to_stdout(tool, o, &mut io::stdin().lock(), "(stdin)", &origin);
    }
    let path = Path::new(file);
    let shown = path.display().to_string();
    let meta = fs::metadata(path)
        .map_err(|e| problem(1, format!("{shown}: {}", crate::cli::io_error(&e))))?;
    if meta.is_dir() {
        return Err(problem(
            tool.codes.directory,
            format!("{shown}: Is a directory, skipping"),
        ));
    }
    let origin = Origin {
        name: path
            .file_name()
            .map(|b| b.to_string_lossy().into_owned())
            .unwrap_or_default(),
        mtime: meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(0)),
    };
    let mut input = File::open(path)
        .map_err(|e| problem(1, format!("{shown}: {}", crate::cli::io_error(&e))))?;
    if o.stdout || o.test {
        return to_stdout(tool, o, &mut input, &shown, &origin);
    }
    let target = target_name(tool, o, &shown, &mut input)?;
    if !o.force && Path::new(&target).exists() {
        return Err(problem(
            tool.codes.exists,
            format!("{target}: File exists; not overwritten"),
        ));
    }
    write_target(tool, o, &mut input, &shown, &target, &origin)?;
    let _ = File::options()
        .write(true)
        .open(&target)
        .and_then(|f| f.set_modified(meta.modified()?));
    if !o.keep {
        fs::remove_file(path)
            .map_err(|e| problem(1, format!("{shown}: {}", crate::cli::io_error(&e))))?;
    }
    Ok(())
}

/// Codes `input` (named `shown` in messages) to stdout.
fn to_stdout(
    tool: Tool,
    o: Options,
    input: &mut dyn Read,
    shown: &str,
    origin: &Origin,
) -> Result<(), Problem> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    transform(tool, o, input, &mut out, origin).map_err(|e| coding_problem(tool, shown, &e))?;
    out.flush()
        .map_err(|e| problem(1, format!("(stdout): {e}")))
}

/// Codes `input` into a new file `target`, removed again if coding fails.
fn write_target(
    tool: Tool,
    o: Options,
    input: &mut File,
    shown: &str,
    target: &str,
    origin: &Origin,
) -> Result<(), Problem> {
    let mut out = File::create(target)
        .map_err(|e| problem(1, format!("{target}: {}", crate::cli::io_error(&e))))?;
    if let Err(e) = transform(tool, o, input, &mut out, origin) {
        let _ = fs::remove_file(target);
        return Err(coding_problem(tool, shown, &e));
    }
    Ok(())
}

/// The file `shown` becomes: with the format's suffix added, or taken off with `-d`.
fn target_name(tool: Tool, o: Options, shown: &str, input: &mut File) -> Result<String, Problem> {
    let suffix = tool.codec.suffix();
    if !o.decompress {
        if tool.codec.strip(shown).is_some() {
            return Err(problem(
                tool.codes.has_suffix,
                format!("{shown}: File already has `{suffix}' suffix, skipping"),
            ));
        }
        return Ok(format!("{shown}{suffix}"));
    }
    if let Some(stem) = tool.codec.strip(shown) {
        return Ok(stem);
    }
    match tool.codec {
        // bunzip2 decompresses anyway, into NAME.out.
        Codec::Bzip2 => {
            let target = format!("{shown}.out");
            let _ = writeln!(
                io::stderr(),
                "{}: Can't guess original name for {shown} -- using {target}",
                tool.name
            );
            Ok(target)
        }
        // xz looks at the data first: not xz at all is an error, xz under another name a warning.
        Codec::Xz => {
            let mut head = [0u8; 6];
            let n = input.read(&mut head).unwrap_or(0);
            if Codec::sniff(&head[..n]) == Some(Codec::Xz) {
                Err(problem(
                    2,
                    format!("{shown}: Filename has an unknown suffix, skipping"),
                ))
            } else {
                Err(problem(1, format!("{shown}: File format not recognized")))
            }
        }
        Codec::Gzip | Codec::Zstd => Err(problem(2, format!("{shown}: unknown suffix -- ignored"))),
    }
}
