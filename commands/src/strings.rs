//! `strings`, as GNU binutils 2.40 prints them: every run of at least `-n` (4) printable
//! characters in each file (or stdin), the whole file scanned (`-a`, the default; `-d`, which
//! reads only an object file's data sections, scans the whole file here too), `-t o|d|x`/`-o`
//! offsets, `-f` file names, `-w` all whitespace, `-e s|S|b|l|B|L` character sizes, `-s`
//! separators. No crates.io crate is binutils' strings.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

struct Options {
    min: usize,
    radix: Option<char>,
    names: bool,
    all_space: bool,
    /// `s`, `S`, `b`, `l`, `B` or `L`.
    encoding: char,
    separator: Vec<u8>,
    files: Vec<String>,
}

pub fn main(args: Vec<OsString>) -> i32 {
    let o = match parse(crate::cli::operands(args)) {
        Ok(o) => o,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "strings: {msg}");
            return 1;
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut code = 0;
    let files = if o.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        o.files.clone()
    };
    for name in &files {
        let input: Box<dyn Read> = if name == "-" {
            Box::new(io::stdin().lock())
        } else {
            match File::open(name) {
                Ok(f) => Box::new(f),
                Err(_) => {
                    let _ = out.flush();
                    let _ = writeln!(io::stderr(), "strings: '{name}': No such file");
                    code = 1;
                    continue;
                }
            }
        };
        let shown = if name == "-" {
            "{standard input}"
        } else {
            name
        };
        if let Err(e) = scan(&o, shown, BufReader::new(input), &mut out) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return code;
            }
            let _ = out.flush();
            let _ = writeln!(
                io::stderr(),
                "strings: {name}: {}",
                crate::cli::io_error(&e)
            );
            code = 1;
        }
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => 1,
        _ => code,
    }
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        min: 4,
        radix: None,
        names: false,
        all_space: false,
        encoding: 's',
        separator: b"\n".to_vec(),
        files: Vec::new(),
    };
    let mut it = args.into_iter();
    let mut only_files = false;
    while let Some(arg) = it.next() {
        if only_files || arg == "-" || !arg.starts_with('-') {
            o.files.push(arg);
            continue;
        }
        if arg == "--" {
            only_files = true;
            continue;
        }
        let (key, inline) = match arg.strip_prefix("--") {
            Some(long) => match long.split_once('=') {
                Some((k, v)) => (long_key(k)?, Some(v.to_owned())),
                None => (long_key(long)?, None),
            },
            None => {
                let rest = &arg[1..];
                if rest.bytes().all(|b| b.is_ascii_digit()) {
                    // `-8` is `-n 8`.
                    o.min = number(rest)?;
                    continue;
                }
                let mut chars = rest.chars();
                let key = chars.next().unwrap_or('?');
                let tail: String = chars.collect();
                (key, (!tail.is_empty()).then_some(tail))
            }
        };
        let mut value = || crate::cli::option_value(&inline, &mut it, key);
        match key {
            'a' | 'd' => {}
            'f' => o.names = true,
            'w' => o.all_space = true,
            'o' => o.radix = Some('o'),
            'n' => o.min = number(&value()?)?,
            't' => match value()?.as_str() {
                r @ ("o" | "d" | "x") => o.radix = r.chars().next(),
                r => return Err(format!("invalid radix: {r}")),
            },
            'e' => match value()?.as_str() {
                e @ ("s" | "S" | "b" | "l" | "B" | "L") => {
                    o.encoding = e.chars().next().unwrap_or('s')
                }
                e => return Err(format!("invalid encoding: {e}")),
            },
            's' => o.separator = value()?.into_bytes(),
            'T' | 'U' => {
                value()?;
            }
            _ => return Err(format!("invalid option -- '{key}'")),
        }
    }
    Ok(o)
}

fn long_key(name: &str) -> Result<char, String> {
    Ok(match name {
        "all" => 'a',
        "data" => 'd',
        "print-file-name" => 'f',
        "bytes" => 'n',
        "radix" => 't',
        "include-all-whitespace" => 'w',
        "encoding" => 'e',
        "output-separator" => 's',
        "target" => 'T',
        "unicode" => 'U',
        _ => return Err(format!("unrecognized option '--{name}'")),
    })
}

fn number(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("invalid minimum string length {text}")),
    }
}

/// Whether character `c` (a byte, or a 16/32-bit unit's value) belongs to a string.
fn printable(o: &Options, c: u32) -> bool {
    c == u32::from(b'\t')
        || (0x20..0x7f).contains(&c)
        || (o.encoding == 'S' && (0x80..=0xff).contains(&c))
        || (o.all_space && matches!(c, 0x0a..=0x0d))
}

/// Prints every run of at least `o.min` printable characters of `input`.
fn scan(o: &Options, name: &str, input: impl BufRead, out: &mut dyn Write) -> io::Result<()> {
    let width = match o.encoding {
        'b' | 'l' => 2,
        'B' | 'L' => 4,
        _ => 1,
    };
    let big_endian = matches!(o.encoding, 'b' | 'B');
    let mut run: Vec<u8> = Vec::new();
    let (mut start, mut offset) = (0u64, 0u64);
    let mut unit = [0u8; 4];
    let mut bytes = input.bytes();
    'units: loop {
        for slot in unit.iter_mut().take(width) {
            match bytes.next() {
                Some(b) => *slot = b?,
                None => break 'units,
            }
        }
        let value = unit[..width]
            .iter()
            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
        let value = if big_endian || width == 1 {
            value
        } else {
            value.swap_bytes() >> (32 - 8 * width)
        };
        if printable(o, value) {
            if run.is_empty() {
                start = offset;
            }
            run.push(value as u8);
        } else {
            emit(o, name, start, &mut run, out)?;
        }
        offset += width as u64;
    }
    emit(o, name, start, &mut run, out)
}

/// Prints `run` if it is long enough, and empties it.
fn emit(
    o: &Options,
    name: &str,
    start: u64,
    run: &mut Vec<u8>,
    out: &mut dyn Write,
) -> io::Result<()> {
    if run.len() >= o.min {
        if o.names {
            write!(out, "{name}: ")?;
        }
        match o.radix {
            Some('o') => write!(out, "{start:7o} ")?,
            Some('x') => write!(out, "{start:7x} ")?,
            Some(_) => write!(out, "{start:7} ")?,
            None => {}
        }
        out.write_all(run)?;
        out.write_all(&o.separator)?;
    }
    run.clear();
    Ok(())
}
