//! `iconv`, as glibc's: `iconv [-c] [-s] -f FROM -t TO[//TRANSLIT][//IGNORE] [-o OUT] [FILE...]`
//! and `iconv -l`. Each file (or stdin) is converted whole; at the first byte sequence that is
//! not FROM, or character TO cannot hold, the output so far is written and iconv stops with
//! status 1 (`illegal input sequence at position N`, N the input's byte offset). `-c` leaves such
//! characters out (status 0, as glibc), `//IGNORE` too (status 1, as glibc), `//TRANSLIT`
//! writes a character's closest spelling TO holds, else `?` (glibc's tables: `€` is `EUR` in
//! every locale, `é` is `e` in a UTF-8 one, `?` in the C locale).
//!
//! The character sets are `charset.rs`'s: UTF-8, ASCII, ISO-8859-1, UTF-16/32 (with or without a
//! byte order mark) written here, every other the WHATWG Encoding Standard's (encoding_rs: the
//! ISO-8859 and Windows code pages, KOI8, Shift_JIS, EUC-JP, EUC-KR, GBK, GB18030, Big5...).
//! No crates.io crate is glibc's iconv program.

mod charset;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};

use charset::{Charset, Decoded};

struct Options {
    from: Option<String>,
    to: Option<String>,
    omit_invalid: bool,
    silent: bool,
    output: Option<String>,
    list: bool,
    files: Vec<String>,
}

/// What to do with a character TO cannot hold.
#[derive(Clone, Copy)]
struct Unencodable {
    translit: bool,
    /// `//TRANSLIT` in a UTF-8 locale (accents taken off too).
    utf8_locale: bool,
    ignore: bool,
    omit: bool,
}

pub fn main(args: Vec<OsString>) -> i32 {
    match run(crate::cli::operands(args)) {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "iconv: {msg}");
            1
        }
    }
}

fn run(args: Vec<String>) -> Result<i32, String> {
    let o = parse(args)?;
    if o.list {
        let mut out = io::stdout().lock();
        for name in charset::NAMES {
            let _ = writeln!(out, "{name}//");
        }
        return Ok(0);
    }
    let from_name = o.from.clone().unwrap_or_else(|| "UTF-8".into());
    let to_spec = o.to.clone().unwrap_or_else(|| "UTF-8".into());
    let (to_name, suffixes) = split_suffixes(&to_spec);
    let unsupported =
        |which: &str, name: &str| format!("conversion {which} `{name}' is not supported");
    let from = Charset::named(split_suffixes(&from_name).0)
        .ok_or_else(|| unsupported("from", &from_name))?;
    let to = Charset::named(to_name).ok_or_else(|| unsupported("to", &to_spec))?;
    let how = Unencodable {
        translit: suffixes.iter().any(|s| s.eq_ignore_ascii_case("TRANSLIT")),
        utf8_locale: charset::utf8_locale(),
        ignore: suffixes.iter().any(|s| s.eq_ignore_ascii_case("IGNORE")),
        omit: o.omit_invalid,
    };
    let mut out: Box<dyn Write> = match &o.output {
        Some(path) => Box::new(
            File::create(path)
                .map_err(|e| format!("cannot open output file: {}", crate::cli::io_error(&e)))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let files = if o.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        o.files.clone()
    };
    let mut code = 0;
    let mut converter = Converter {
        from,
        to,
        how,
        started: false,
    };
    for name in &files {
        let opened: io::Result<Box<dyn Read>> = if name == "-" {
            Ok(Box::new(io::stdin().lock()))
        } else {
            File::open(name).map(|f| Box::new(f) as Box<dyn Read>)
        };
        let mut input = match opened {
            Ok(input) => input,
            Err(e) => {
                let _ = writeln!(
                    io::stderr(),
                    "iconv: cannot open input file `{name}': {}",
                    crate::cli::io_error(&e)
                );
                code = 1;
                continue;
            }
        };
        let problem = converter
            .run(&mut input, &mut out)
            .map_err(|e| format!("{name}: {}", crate::cli::io_error(&e)))?;
        if let Some(problem) = problem {
            if !o.silent || !how.ignore {
                let _ = out.flush();
                let _ = writeln!(io::stderr(), "iconv: {problem}");
            }
            code = 1;
            if !how.ignore {
                break;
            }
        }
    }
    out.flush().map_err(|e| crate::cli::io_error(&e))?;
    Ok(code)
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        from: None,
        to: None,
        omit_invalid: false,
        silent: false,
        output: None,
        list: false,
        files: Vec::new(),
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (key, inline) = if let Some(long) = arg.strip_prefix("--") {
            let (k, v) = long
                .split_once('=')
                .map_or((long, None), |(k, v)| (k, Some(v.to_owned())));
            let key = match k {
                "from-code" => 'f',
                "to-code" => 't',
                "output" => 'o',
                "list" => 'l',
                "silent" => 's',
                "verbose" => 'v',
                _ => return Err(format!("unrecognized option '--{k}'")),
            };
            (key, v)
        } else if arg.len() > 1 && arg.starts_with('-') {
            let key = arg[1..].chars().next().unwrap_or('?');
            let rest = &arg[1 + key.len_utf8()..];
            (key, (!rest.is_empty()).then(|| rest.to_owned()))
        } else {
            o.files.push(arg);
            continue;
        };
        let mut value = || crate::cli::option_value(&inline, &mut it, key);
        match key {
            'f' => o.from = Some(value()?),
            't' => o.to = Some(value()?),
            'o' => o.output = Some(value()?),
            'c' => o.omit_invalid = true,
            's' => o.silent = true,
            'l' => o.list = true,
            'v' => {}
            _ => return Err(format!("invalid option -- '{key}'")),
        }
    }
    Ok(o)
}

/// `NAME//SUFFIX//SUFFIX` apart.
fn split_suffixes(spec: &str) -> (&str, Vec<&str>) {
    let mut parts = spec.split("//");
    let name = parts.next().unwrap_or("");
    (name, parts.filter(|s| !s.is_empty()).collect())
}

/// Bytes read at a time.
const CHUNK: usize = 64 * 1024;

/// A conversion across the files of one run: one byte order mark at the start of the output,
/// as glibc's one conversion descriptor writes it.
struct Converter {
    from: Charset,
    to: Charset,
    how: Unencodable,
    started: bool,
}

impl Converter {
    /// Converts `input` to `out` a chunk at a time; what stopped or troubled it (positions
    /// count from the start of this input).
    fn run(&mut self, input: &mut dyn Read, out: &mut dyn Write) -> io::Result<Option<String>> {
        let mut written = Vec::with_capacity(CHUNK * 2);
        if !std::mem::replace(&mut self.started, true) {
            written.extend(self.to.preamble());
        }
        let (mut buf, mut at, mut base, mut eof) = (Vec::with_capacity(CHUNK + 8), 0, 0u64, false);
        let mut problem = None;
        loop {
            // At least one whole character (at most 4 bytes) ahead, unless the input has ended.
            if !eof && buf.len() - at < 8 {
                buf.drain(..at);
                base += at as u64;
                at = 0;
                let old = buf.len();
                buf.resize(old + CHUNK, 0);
                let n = read_some(input, &mut buf[old..])?;
                buf.truncate(old + n);
                eof = n == 0;
                continue;
            }
            if at == buf.len() {
                break;
            }
            let position = base + at as u64;
            if let Some(run) = self.utf8_run(&buf[at..], position, eof, &mut written) {
                at += run;
                continue;
            }
            let (step, stop) = self.step(&buf[at..], position, &mut written, &mut problem);
            at += step;
            if written.len() >= CHUNK {
                out.write_all(&written)?;
                written.clear();
            }
            if stop {
                break;
            }
        }
        out.write_all(&written)?;
        Ok(problem)
    }

    /// From UTF-8, the valid text at the start of `input` at once (the common case, character
    /// by character otherwise): the bytes consumed, or `None` to go one character at a time (no
    /// valid text there, a character TO cannot hold, or the first character of the input).
    fn utf8_run(&self, input: &[u8], position: u64, eof: bool, out: &mut Vec<u8>) -> Option<usize> {
        if !matches!(self.from, Charset::Utf8) || position == 0 {
            return None;
        }
        // Short of the end, leave the last bytes for the next chunk: a character may be cut.
        let usable = if eof {
            input.len()
        } else {
            input.len().saturating_sub(4)
        };
        let valid = match std::str::from_utf8(&input[..usable]) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&input[..e.valid_up_to()]).ok()?,
        };
        out.reserve(valid.len() * 2);
        if matches!(self.to, Charset::Utf8) {
            out.extend_from_slice(valid.as_bytes());
            return (!valid.is_empty()).then_some(valid.len());
        }
        for (i, c) in valid.char_indices() {
            // A character TO cannot hold is written by `step` (its translit or its error); a
            // failed `encode` writes nothing.
            if !self.to.encode(c, out) {
                return (i > 0).then_some(i);
            }
        }
        (!valid.is_empty()).then_some(valid.len())
    }

    /// One character of `input` (at `position`): bytes consumed, and whether to stop.
    fn step(
        &self,
        input: &[u8],
        position: u64,
        out: &mut Vec<u8>,
        problem: &mut Option<String>,
    ) -> (usize, bool) {
        let illegal = || Some(format!("illegal input sequence at position {position}"));
        match self.from.decode_one(input, position == 0) {
            Decoded::Char(c, len) => {
                let (to, how) = (self.to, self.how);
                if !to.encode(c, out) && !transliterated(c, to, how, out) && !how.omit {
                    // //IGNORE leaves it out and fails at the end; without it, iconv stops here.
                    *problem = illegal();
                    return (len, !how.ignore);
                }
                (len, false)
            }
            Decoded::Skip(len) => (len, false),
            Decoded::Invalid(len) => {
                if self.how.omit && !self.how.ignore {
                    return (len, false);
                }
                *problem = illegal();
                (len, !self.how.ignore)
            }
            Decoded::Incomplete => {
                *problem = Some("incomplete character or shift sequence at end of buffer".into());
                (input.len(), true)
            }
        }
    }
}

fn read_some(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// A character `to` cannot hold, written as `//TRANSLIT` spells it (`?` when nothing else
/// fits); false without `//TRANSLIT` or when `to` cannot hold even `?`.
fn transliterated(c: char, to: Charset, how: Unencodable, out: &mut Vec<u8>) -> bool {
    if !how.translit {
        return false;
    }
    let spelled = charset::transliterate(c, how.utf8_locale);
    let mut attempt = Vec::new();
    if !spelled.is_empty() && spelled.chars().all(|s| to.encode(s, &mut attempt)) {
        out.extend(attempt);
        return true;
    }
    to.encode('?', out)
}
