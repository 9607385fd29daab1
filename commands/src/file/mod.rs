//! `file`: what a file is, as libmagic's `file` 5 says it.
//!
//! Ours over pure-magic (libmagic's rule language in safe Rust) and magic-db (libmagic's rules,
//! compiled into the module): libmagic itself is C that crates.io does not ship. The rules
//! identify binary formats and kinds of text (`POSIX shell script`, `HTML document`); what
//! libmagic decides in C is here: the file system's kinds (`directory`, `symbolic link to`,
//! `empty`), the text encoding and its notes (`text.rs`), and the order of the parts
//! (`C source, ASCII text, with CRLF line terminators`).

mod text;

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use pure_magic::MagicDb;

use crate::cli::io_error;

/// Bytes of a file looked at, as libmagic's `bytes_max`.
const BYTES_MAX: u64 = 7 * 1024 * 1024;

const USAGE: &str =
    "Usage: file [-bhiLN] [--mime-type] [--mime-encoding] [-F separator] [-f namefile] file ...\n";

/// What to print per file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Description,
    Mime,
    MimeType,
    MimeEncoding,
}

struct Options {
    brief: bool,
    follow: bool,
    pad: bool,
    separator: String,
    show: Show,
    names: Vec<String>,
}

/// What one file is: its description, MIME type and encoding.
struct Verdict {
    description: String,
    mime_type: String,
    encoding: &'static str,
}

impl Verdict {
    fn new(description: impl Into<String>, mime_type: &str, encoding: &'static str) -> Self {
        Self {
            description: description.into(),
            mime_type: mime_type.into(),
            encoding,
        }
    }
}

/// `file`.
pub fn main(argv: Vec<OsString>) -> i32 {
    let args = crate::cli::operands(argv);
    let options = match parse(&args) {
        Ok(Some(options)) => options,
        Ok(None) => return print(USAGE),
        Err(msg) => {
            let _ = writeln!(io::stderr(), "file: {msg}\n{USAGE}");
            return 1;
        }
    };
    // Leaked: the process ends right after, and freeing some 10 000 rules one by one is work
    // for nothing.
    let db: &MagicDb = match magic_db::load() {
        Ok(db) => Box::leak(Box::new(db)),
        Err(e) => {
            let _ = writeln!(io::stderr(), "file: could not load the magic rules: {e}");
            return 1;
        }
    };
    let width = options.names.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut out = io::stdout().lock();
    for name in &options.names {
        let verdict = identify(db, Path::new(name), options.follow);
        let shown = match options.show {
            Show::Description => verdict.description,
            Show::Mime => format!("{}; charset={}", verdict.mime_type, verdict.encoding),
            Show::MimeType => verdict.mime_type,
            Show::MimeEncoding => verdict.encoding.to_string(),
        };
        let line = if options.brief {
            shown
        } else if options.pad {
            let head = format!("{name}{}", options.separator);
            format!("{head:<w$} {shown}", w = width + options.separator.len())
        } else {
            format!("{name}{} {shown}", options.separator)
        };
        if writeln!(out, "{line}").is_err() {
            return 1;
        }
    }
    0
}

fn print(text: &str) -> i32 {
    i32::from(io::stdout().write_all(text.as_bytes()).is_err())
}

/// The options and the names; `None` for `--help`.
fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        brief: false,
        follow: false,
        pad: true,
        separator: ":".into(),
        show: Show::Description,
        names: Vec::new(),
    };
    let mut it = args.iter();
    let mut options_done = false;
    while let Some(arg) = it.next() {
        if options_done || !arg.starts_with('-') || arg == "-" {
            options.names.push(arg.clone());
            continue;
        }
        match arg.as_str() {
            "--" => options_done = true,
            "--help" => return Ok(None),
            "--brief" => options.brief = true,
            "--dereference" => options.follow = true,
            "--no-dereference" => options.follow = false,
            "--no-pad" => options.pad = false,
            "--mime" => options.show = Show::Mime,
            "--mime-type" => options.show = Show::MimeType,
            "--mime-encoding" => options.show = Show::MimeEncoding,
            long if long.starts_with("--separator=") => {
                options.separator = long["--separator=".len()..].into();
            }
            long if long.starts_with("--files-from=") => {
                names_from(&long["--files-from=".len()..], &mut options.names)?;
            }
            long if long.starts_with("--") => return Err(format!("unrecognized option '{long}'")),
            short => {
                let letters: Vec<char> = short[1..].chars().collect();
                for (i, c) in letters.iter().enumerate() {
                    match c {
                        'b' => options.brief = true,
                        'L' => options.follow = true,
                        'h' => options.follow = false,
                        'N' => options.pad = false,
                        'i' => options.show = Show::Mime,
                        'F' | 'f' => {
                            let rest: String = letters[i + 1..].iter().collect();
                            let value = if rest.is_empty() {
                                it.next().cloned().ok_or("option requires an argument")?
                            } else {
                                rest
                            };
                            if *c == 'F' {
                                options.separator = value;
                            } else {
                                names_from(&value, &mut options.names)?;
                            }
                            break;
                        }
                        other => return Err(format!("invalid option -- '{other}'")),
                    }
                }
            }
        }
    }
    if options.names.is_empty() {
        return Err("missing file operand".into());
    }
    Ok(Some(options))
}

/// `-f NAMEFILE`: one name per line (`-`: stdin).
fn names_from(file: &str, names: &mut Vec<String>) -> Result<(), String> {
    let text = if file == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        text
    } else {
        fs::read_to_string(file).map_err(|e| format!("cannot open `{file}' ({})", io_error(&e)))?
    };
    names.extend(text.lines().map(str::to_string));
    Ok(())
}

/// What `path` is.
fn identify(db: &MagicDb, path: &Path, follow: bool) -> Verdict {
    let shown = path.display();
    let meta = if follow {
        fs::metadata(path)
    } else {
        fs::symlink_metadata(path)
    };
    let meta = match meta {
        Ok(meta) => meta,
        Err(e) => {
            let msg = format!("cannot open `{shown}' ({})", io_error(&e));
            return Verdict::new(msg, "application/x-not-regular-file", "binary");
        }
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = fs::read_link(path).unwrap_or_default();
        let broken = if fs::metadata(path).is_err() {
            "broken "
        } else {
            ""
        };
        let desc = format!("{broken}symbolic link to {}", target.display());
        return Verdict::new(desc, "inode/symlink", "binary");
    }
    if kind.is_dir() {
        return Verdict::new("directory", "inode/directory", "binary");
    }
    if !kind.is_file() {
        return Verdict::new("special", "inode/x-special", "binary");
    }
    match head(path) {
        Ok(buf) if buf.is_empty() => Verdict::new("empty", "inode/x-empty", "binary"),
        Ok(buf) => contents(db, &buf),
        Err(e) => {
            let msg = format!("cannot open `{shown}' ({})", io_error(&e));
            Verdict::new(msg, "application/x-not-regular-file", "binary")
        }
    }
}

/// The first [`BYTES_MAX`] bytes of `path`.
fn head(path: &Path) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    fs::File::open(path)?
        .take(BYTES_MAX)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// What bytes `buf` (not empty) are.
fn contents(db: &MagicDb, buf: &[u8]) -> Verdict {
    // The rule that matched (magic-db's default ones, `data` and `... text`, say nothing here).
    let found = (db.first_magic_slice(buf, None).ok())
        .filter(|m| !m.is_default())
        .map(|m| (m.message(), m.mime_type().to_string()));
    let Some((encoding, chars)) = text::decode(buf) else {
        return match found {
            Some((message, mime)) => Verdict::new(dates(&message), &mime, "binary"),
            None => Verdict::new("data", "application/octet-stream", "binary"),
        };
    };
    let mime_encoding = encoding.mime();
    if let Some((message, mime)) = found.as_ref().filter(|(m, _)| m == "JSON text data") {
        return Verdict::new(message.as_str(), mime, mime_encoding);
    }
    if text::is_csv(buf) {
        return Verdict::new("CSV text", "text/csv", mime_encoding);
    }
    let (code, notes) = (format!("{} text", encoding.code()), text::notes(&chars));
    match found.filter(|(m, _)| !m.starts_with("CSV ")) {
        None => Verdict::new(format!("{code}{notes}"), "text/plain", mime_encoding),
        Some((message, mime)) => {
            // A kind of text (`C source text`): its name, then the encoding and the notes,
            // where the rule said `text`.
            let description = match message.split_once(" text") {
                Some((kind, rest)) => format!("{kind}, {code}{rest}{notes}"),
                None => format!("{message}, {code}{notes}"),
            };
            Verdict::new(description, &mime, mime_encoding)
        }
    }
}

/// libmagic prints dates as `ctime` does (`Fri Dec  4 23:26:37 2026`); magic-db's rules print
/// them as `2026-12-04 23:26:37`.
fn dates(message: &str) -> String {
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len());
    let mut i = 0;
    while i < message.len() {
        if let Some(ctime) = bytes.get(i..i + 19).and_then(ctime_of) {
            out.push_str(&ctime);
            i += 19;
            continue;
        }
        let c = message[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// `YYYY-MM-DD HH:MM:SS` as `ctime` writes it (`Fri Dec  4 23:26:37 2026`).
fn ctime_of(s: &[u8]) -> Option<String> {
    let shape = s.iter().enumerate().all(|(i, &b)| match i {
        4 | 7 => b == b'-',
        10 => b == b' ',
        13 | 16 => b == b':',
        _ => b.is_ascii_digit(),
    });
    let s = std::str::from_utf8(s).ok().filter(|_| shape)?;
    let when = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()?;
    Some(when.format("%a %b %e %H:%M:%S %Y").to_string())
}
