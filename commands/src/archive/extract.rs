//! `unzip`, as Info-ZIP's UnZip 6.00: `unzip [-l|-v|-t|-p|-c|-Z1] [-o|-n] [-q[q]] [-j] [-d DIR]
//! ZIPFILE [MEMBER...] [-x MEMBER...]`, options anywhere on the line (`unzip a.zip -d out`),
//! members as Info-ZIP wildcards.
//!
//! Extraction never leaves the destination: a leading `/` and `..` components are dropped with
//! Info-ZIP's warning (the sandbox would refuse them anyway). Files get their stored time (the
//! extended timestamp when there is one) and permission bits; directories get their times last.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::PathBuf;

use zip::ZipArchive;
use zip::read::ZipFile;

use super::{entry_seconds, wildcard};
use crate::cli::civil;

mod unpack;

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Extract,
    List,
    Verbose,
    Test,
    Pipe,
    Names,
}

#[derive(Clone, Copy, PartialEq)]
enum Overwrite {
    Ask,
    Always,
    Never,
}

struct Options {
    action: Action,
    overwrite: Overwrite,
    quiet: u8,
    junk_paths: bool,
    dest: Option<PathBuf>,
    archive: Option<String>,
    members: Vec<String>,
    excludes: Vec<String>,
}

/// UnZip's exit codes.
const WARNING: i32 = 1;
const ERROR: i32 = 2;
const NOT_FOUND: i32 = 9;
const BAD_OPTIONS: i32 = 10;
const NO_MATCH: i32 = 11;

pub fn main(args: Vec<OsString>) -> i32 {
    let o = match parse(crate::cli::operands(args)) {
        Ok(o) => o,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "unzip:  {msg}");
            return BAD_OPTIONS;
        }
    };
    let Some(name) = o.archive.clone() else {
        let _ = writeln!(io::stdout(), "{USAGE}");
        return 0;
    };
    let Some((shown, file)) = open_archive(&name) else {
        let _ = writeln!(
            io::stderr(),
            "unzip:  cannot find or open {name}, {name}.zip or {name}.ZIP."
        );
        return NOT_FOUND;
    };
    let mut archive = match ZipArchive::new(io::BufReader::new(file)) {
        Ok(a) => a,
        Err(_) => {
            if o.quiet == 0 && o.action != Action::Pipe {
                let _ = writeln!(io::stdout(), "Archive:  {shown}");
            }
            let _ = write!(io::stderr(), "{NOT_A_ZIP}");
            let _ = writeln!(
                io::stderr(),
                "unzip:  cannot find zipfile directory in one of {shown} or\n        \
                 {shown}.zip, and cannot find {shown}.ZIP, period."
            );
            return NOT_FOUND;
        }
    };
    let mut run = Run {
        o: &o,
        shown,
        code: 0,
        overwrite: o.overwrite,
        dirs: Vec::new(),
        links: Vec::new(),
    };
    run.all(&mut archive);
    let _ = io::stdout().flush();
    run.code
}

const USAGE: &str = "UnZip 6.00 of 20 April 2009, by agentos (the zip crate). Original by Info-ZIP.

Usage: unzip [-Z1] [-opts[modifiers]] file[.zip] [list] [-x xlist] [-d exdir]
  -p  extract files to pipe, no messages     -l  list files (short format)
  -t  test compressed archive data           -v  list verbosely
  -x  exclude files that follow (in xlist)   -d  extract files into exdir
modifiers:
  -n  never overwrite existing files         -q  quiet mode (-qq => quieter)
  -o  overwrite files WITHOUT prompting      -j  junk paths (do not make directories)";

const NOT_A_ZIP: &str = "  End-of-central-directory signature not found.  Either this file is not
  a zipfile, or it constitutes one disk of a multi-part archive.  In the
  latter case the central directory and zipfile comment will be found on
  the last disk(s) of this archive.
";

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        action: Action::Extract,
        overwrite: Overwrite::Ask,
        quiet: 0,
        junk_paths: false,
        dest: None,
        archive: None,
        members: Vec::new(),
        excludes: Vec::new(),
    };
    let mut excluding = false;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            if o.archive.is_none() {
                o.archive = Some(arg);
            } else if excluding {
                o.excludes.push(arg);
            } else {
                o.members.push(arg);
            }
            continue;
        };
        excluding = false;
        if flags == "Z1" {
            o.action = Action::Names;
            continue;
        }
        for (at, c) in flags.char_indices() {
            match c {
                'l' => o.action = Action::List,
                'v' => o.action = Action::Verbose,
                't' => o.action = Action::Test,
                'p' | 'c' => o.action = Action::Pipe,
                'o' => o.overwrite = Overwrite::Always,
                'n' => o.overwrite = Overwrite::Never,
                'q' => o.quiet += 1,
                'j' => o.junk_paths = true,
                'x' => excluding = true,
                'a' | 'b' | 'C' | 'D' | 'K' | 'L' | 'U' | 'X' => {}
                'd' => {
                    let rest = &flags[at + 1..];
                    let dir = if rest.is_empty() {
                        it.next()
                    } else {
                        Some(rest.to_owned())
                    };
                    o.dest = Some(dir.ok_or("-d option requires an argument")?.into());
                    break;
                }
                other => return Err(format!("invalid option -- '{other}'")),
            }
        }
    }
    Ok(o)
}

/// The archive as named, or with `.zip` or `.ZIP` added (UnZip's search).
fn open_archive(name: &str) -> Option<(String, File)> {
    [
        name.to_owned(),
        format!("{name}.zip"),
        format!("{name}.ZIP"),
    ]
    .into_iter()
    .find_map(|n| match File::open(&n) {
        Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => Some((n, f)),
        _ => None,
    })
}

struct Run<'a> {
    o: &'a Options,
    shown: String,
    code: i32,
    overwrite: Overwrite,
    /// Directories made, with their times, set once everything inside is written.
    dirs: Vec<(PathBuf, Option<i64>)>,
    /// Symbolic links to make at the end: (path, entry name, target).
    links: Vec<(PathBuf, String, String)>,
}

/// Totals of a listing: (bytes, compressed bytes, entries).
type Totals = (u64, u64, u64);

impl Run<'_> {
    fn all<R: Read + Seek>(&mut self, archive: &mut ZipArchive<R>) {
        let o = self.o;
        if o.quiet == 0 && !matches!(o.action, Action::Pipe | Action::Names) {
            self.say(&format!("Archive:  {}", self.shown));
        }
        self.header();
        let mut matched = vec![false; o.members.len()];
        let mut excluded = vec![false; o.excludes.len()];
        let mut totals: Totals = (0, 0, 0);
        for index in 0..archive.len() {
            let mut entry = match archive.by_index(index) {
                Ok(e) => e,
                Err(e) => {
                    self.fail(&format!("error:  entry {index}: {e}"), ERROR);
                    continue;
                }
            };
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            let wanted = o.members.is_empty() || mark(&o.members, &name, &mut matched);
            if !wanted || mark(&o.excludes, &name, &mut excluded) {
                continue;
            }
            totals.0 += entry.size();
            totals.1 += entry.compressed_size();
            totals.2 += 1;
            self.entry(&mut entry, &name);
        }
        self.footer(totals);
        self.finish_links();
        self.finish_dirs();
        for (pattern, hit) in o.members.iter().zip(&matched) {
            if !hit {
                self.fail(
                    &format!("caution: filename not matched:  {pattern}"),
                    NO_MATCH,
                );
            }
        }
        for (pattern, hit) in o.excludes.iter().zip(&excluded) {
            if !hit {
                let _ = writeln!(
                    io::stderr(),
                    "caution: excluded filename not matched:  {pattern}"
                );
                self.code = self.code.max(WARNING);
            }
        }
    }

    fn entry<R: Read>(&mut self, entry: &mut ZipFile<'_, R>, name: &str) {
        match self.o.action {
            Action::List => self.say(&format!(
                "{:>9}  {}   {name}",
                entry.size(),
                stamp(entry_seconds(entry))
            )),
            Action::Verbose => self.say(&format!(
                "{:>8}  {:<7}{:>8} {:>4} {} {:08x}  {name}",
                entry.size(),
                method(entry),
                entry.compressed_size(),
                ratio(entry.size(), entry.compressed_size()),
                stamp(entry_seconds(entry)),
                entry.crc32()
            )),
            Action::Names => self.say(name),
            Action::Test => match io::copy(entry, &mut io::sink()) {
                Ok(_) => self.say(&format!("    testing: {name:<22}   OK")),
                Err(e) => self.fail(&format!("    testing: {name:<22}   bad ({e})"), ERROR),
            },
            Action::Pipe => {
                if let Err(e) = io::copy(entry, &mut io::stdout().lock())
                    && e.kind() != io::ErrorKind::BrokenPipe
                {
                    self.fail(&format!("error:  {name}: {e}"), ERROR);
                }
            }
            Action::Extract => self.extract(entry, name),
        }
    }

    fn header(&self) {
        let header = match self.o.action {
            Action::List => {
                "  Length      Date    Time    Name\n---------  ---------- -----   ----"
            }
            Action::Verbose => concat!(
                " Length   Method    Size  Cmpr    Date    Time   CRC-32   Name\n",
                "--------  ------  ------- ---- ---------- ----- --------  ----"
            ),
            _ => return,
        };
        if self.o.quiet == 0 {
            self.say(header);
        }
    }

    fn footer(&mut self, (size, compressed, count): Totals) {
        let files = if count == 1 { "file" } else { "files" };
        let text = match self.o.action {
            Action::List => format!(
                "---------                     -------\n{size:>9}                     {count} {files}"
            ),
            Action::Verbose => format!(
                "--------          -------  ---                            -------\n\
                 {size:>8}         {compressed:>8} {:>4}                            {count} {files}",
                ratio(size, compressed)
            ),
            Action::Test if self.code == 0 => {
                let none = if count == 0 {
                    "No errors detected in"
                } else {
                    "No errors detected in compressed data of"
                };
                format!("{none} {}.", self.shown)
            }
            _ => return,
        };
        if self.o.quiet == 0 || self.o.action == Action::Test {
            self.say(&text);
        }
    }

    fn say(&self, line: &str) {
        let _ = writeln!(io::stdout(), "{line}");
    }

    fn fail(&mut self, line: &str, code: i32) {
        if self.o.quiet < 2 {
            let _ = io::stdout().flush();
            let _ = writeln!(io::stderr(), "{line}");
        }
        self.code = self.code.max(code);
    }
}

/// Marks which patterns `name` matches; true when any does.
fn mark(patterns: &[String], name: &str, hits: &mut [bool]) -> bool {
    let mut any = false;
    for (pattern, hit) in patterns.iter().zip(hits.iter_mut()) {
        if wildcard(pattern, name) {
            *hit = true;
            any = true;
        }
    }
    any
}

/// `YYYY-MM-DD HH:MM` of an entry's time.
fn stamp(secs: Option<i64>) -> String {
    let (y, mo, d, h, mi, _) = civil(secs.unwrap_or(315_532_800));
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
}

/// UnZip's method column: `Stored`, `Defl:N` (the deflate option from the flag bits)...
fn method<R: Read>(entry: &ZipFile<'_, R>) -> String {
    use zip::CompressionMethod as M;
    match entry.compression() {
        M::Stored => "Stored".into(),
        M::Deflated => {
            let level = match (entry.flags().as_u16() >> 1) & 3 {
                1 => 'X',
                2 => 'F',
                3 => 'S',
                _ => 'N',
            };
            format!("Defl:{level}")
        }
        M::Deflate64 => "Def64".into(),
        other => format!("{other:?}"),
    }
}

/// UnZip's compression ratio: per mille, rounded, shown in whole percent (`-5%` when bigger).
fn ratio(size: u64, compressed: u64) -> String {
    if size == 0 {
        return "0%".into();
    }
    let (diff, sign) = if size >= compressed {
        (size - compressed, "")
    } else {
        (compressed - size, "-")
    };
    let per_mille = if size > 2_000_000 {
        let denom = size / 1000;
        (diff + denom / 2) / denom
    } else {
        (1000 * diff + size / 2) / size
    };
    format!("{sign}{}%", (per_mille + 5) / 10)
}
