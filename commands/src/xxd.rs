//! `xxd`: vim's hex dump (the 2022 version Debian ships), its layouts and its reverse.
//!
//! Ours: no crates.io crate reproduces xxd's output (hexyl and friends draw their own), and the
//! format is a few column rules: byte `p` of a line has its hex digits at
//! `10 + (p * (2g + 1)) / g` for groups of `g`, its character at
//! `12 + ((2g + 1) * cols - 1) / g + p` (`-b`: eight digits a byte).

use std::ffi::OsString;
use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

const USAGE: &str = "Usage:\n       xxd [options] [infile [outfile]]\n    or\n       xxd -r [-s [-]offset] [-c cols] [-ps] [infile [outfile]]\nOptions:\n    -a          toggle autoskip: A single '*' replaces nul-lines. Default off.\n    -b          binary digit dump (incompatible with -ps,-i,-r). Default hex.\n    -c cols     format <cols> octets per line. Default 16 (-i: 12, -ps: 30).\n    -g bytes    number of octets per group in normal output. Default 2.\n    -i          output in C include file style.\n    -l len      stop after <len> octets.\n    -n name     set the variable name used in C include output (-i).\n    -o off      add <off> to the displayed file position.\n    -ps         output in postscript plain hexdump style.\n    -r          reverse operation: convert (or patch) hexdump into binary.\n    -s [+][-]seek  start at <seek> bytes abs. (or +: rel.) infile offset.\n    -u          use upper case hex letters.\n";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Normal,
    Bits,
    Plain,
    Include,
}

struct Options {
    style: Style,
    autoskip: bool,
    cols: Option<usize>,
    group: Option<usize>,
    len: Option<u64>,
    name: Option<String>,
    offset: u64,
    seek: i64,
    reverse: bool,
    upper: bool,
    input: Option<String>,
    output: Option<String>,
}

/// `xxd`.
pub fn main(argv: Vec<OsString>) -> i32 {
    let args = crate::cli::operands(argv);
    let options = match parse(&args) {
        Ok(options) => options,
        Err(msg) => {
            let _ = write!(io::stderr(), "xxd: {msg}\n{USAGE}");
            return 1;
        }
    };
    match run(&options) {
        Ok(()) => 0,
        Err((name, err)) => {
            let _ = writeln!(io::stderr(), "xxd: {name}: {}", crate::cli::io_error(&err));
            2
        }
    }
}

fn number(text: &str) -> Option<i64> {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if neg { -value } else { value })
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        style: Style::Normal,
        autoskip: false,
        cols: None,
        group: None,
        len: None,
        name: None,
        offset: 0,
        seek: 0,
        reverse: false,
        upper: false,
        input: None,
        output: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if !arg.starts_with('-') || arg == "-" {
            if o.input.is_none() {
                o.input = Some(arg.clone());
            } else if o.output.is_none() {
                o.output = Some(arg.clone());
            } else {
                return Err("too many arguments".into());
            }
            continue;
        }
        let flag = arg.trim_start_matches('-');
        let mut value = |name: &str| -> Result<i64, String> {
            let rest = &flag[name.len()..];
            let text = if rest.is_empty() {
                it.next().cloned().ok_or("option requires an argument")?
            } else {
                rest.to_string()
            };
            number(&text).ok_or_else(|| format!("invalid number '{text}'"))
        };
        match flag {
            "a" | "autoskip" => o.autoskip = !o.autoskip,
            "b" | "bits" => o.style = Style::Bits,
            "p" | "ps" | "postscript" | "plain" => o.style = Style::Plain,
            "i" | "include" => o.style = Style::Include,
            "r" | "revert" => o.reverse = true,
            "u" | "uppercase" => o.upper = true,
            "h" | "help" => return Err("".into()),
            "n" | "name" => o.name = it.next().cloned(),
            f if f.starts_with('c') => o.cols = Some(usize::try_from(value("c")?).unwrap_or(0)),
            f if f.starts_with('g') => o.group = Some(usize::try_from(value("g")?).unwrap_or(0)),
            f if f.starts_with('l') => o.len = Some(u64::try_from(value("l")?).unwrap_or(0)),
            f if f.starts_with('o') => o.offset = u64::try_from(value("o")?).unwrap_or(0),
            f if f.starts_with('s') => o.seek = value("s")?,
            f if f.starts_with('n') => o.name = Some(f[1..].to_string()),
            _ => return Err(format!("invalid option -- '{flag}'")),
        }
    }
    Ok(o)
}

type Failure = (String, io::Error);

/// The most of one dump line `-r` keeps (the rest cannot hold bytes of that line).
const MAX_LINE: usize = 4096;

fn run(o: &Options) -> Result<(), Failure> {
    let in_name = o.input.clone().unwrap_or_else(|| "-".into());
    let (input, start) = open_input(o, &in_name).map_err(|e| (in_name.clone(), e))?;
    let out_name = o.output.clone().unwrap_or_else(|| "-".into());
    let sink: Box<dyn Write> = match o.output.as_deref() {
        None | Some("-") => Box::new(io::stdout().lock()),
        Some(path) => Box::new(fs::File::create(path).map_err(|e| (out_name.clone(), e))?),
    };
    let mut out = BufWriter::new(sink);
    let mut input = BufReader::new(input);
    let done = if o.reverse {
        reverse(o.style == Style::Plain, &mut input, o.cols, &mut out)
    } else {
        let mut chunks = Chunks::new(input, cols_of(o));
        dump(o, &mut chunks, start, &in_name, &mut out)
    };
    // A read error names the input, a write error the output.
    match done {
        Err(Fault::Read(e)) => Err((in_name, e)),
        Err(Fault::Write(e)) => Err((out_name, e)),
        Ok(()) => out.flush().map_err(|e| (out_name, e)),
    }
}

/// Where a dump failed.
enum Fault {
    Read(io::Error),
    Write(io::Error),
}

impl From<io::Error> for Fault {
    fn from(e: io::Error) -> Self {
        Fault::Write(e)
    }
}

/// The input from `-s` on, cut to `-l`, and where it starts in the file.
fn open_input(o: &Options, name: &str) -> io::Result<(Box<dyn Read>, u64)> {
    let limit = o.len.filter(|_| !o.reverse).unwrap_or(u64::MAX);
    let seek = if o.reverse { 0 } else { o.seek };
    if name == "-" {
        let mut stdin = io::stdin();
        if seek < 0 {
            return Err(io::Error::other("Sorry, cannot seek."));
        }
        let skip = u64::try_from(seek).unwrap_or(0);
        io::copy(&mut (&mut stdin).take(skip), &mut io::sink())?;
        return Ok((Box::new(stdin.take(limit)), skip));
    }
    let mut file = fs::File::open(name)?;
    let size = file.metadata()?.len();
    let back = seek.unsigned_abs();
    let start = if seek < 0 {
        size.saturating_sub(back)
    } else {
        back.min(size)
    };
    file.seek(SeekFrom::Start(start))?;
    Ok((Box::new(file.take(limit)), start))
}

fn cols_of(o: &Options) -> usize {
    let default = match o.style {
        Style::Plain => 30,
        Style::Include => 12,
        Style::Bits => 6,
        Style::Normal => 16,
    };
    o.cols.filter(|&c| c > 0).unwrap_or(default).min(256)
}

/// The input `cols` bytes at a time, knowing which chunk is the last.
struct Chunks<R> {
    input: R,
    cols: usize,
    ahead: Option<Vec<u8>>,
}

impl<R: Read> Chunks<R> {
    fn new(input: R, cols: usize) -> Self {
        Self {
            input,
            cols,
            ahead: None,
        }
    }

    fn fill(&mut self) -> Result<Vec<u8>, Fault> {
        let mut chunk = Vec::with_capacity(self.cols);
        (&mut self.input)
            .take(self.cols as u64)
            .read_to_end(&mut chunk)
            .map_err(Fault::Read)?;
        Ok(chunk)
    }

    /// The next chunk (never empty) and whether it is the last.
    fn next(&mut self) -> Result<Option<(Vec<u8>, bool)>, Fault> {
        let chunk = match self.ahead.take() {
            Some(chunk) => chunk,
            None => self.fill()?,
        };
        if chunk.is_empty() {
            return Ok(None);
        }
        let ahead = if chunk.len() < self.cols {
            Vec::new()
        } else {
            self.fill()?
        };
        let last = ahead.is_empty();
        self.ahead = Some(ahead);
        Ok(Some((chunk, last)))
    }
}

fn dump<R: Read>(
    o: &Options,
    chunks: &mut Chunks<R>,
    start: u64,
    name: &str,
    out: &mut impl Write,
) -> Result<(), Fault> {
    let hex: &[u8; 16] = if o.upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    match o.style {
        Style::Plain => {
            while let Some((chunk, _)) = chunks.next()? {
                let line: Vec<u8> = chunk
                    .iter()
                    .flat_map(|&b| [hex[usize::from(b >> 4)], hex[usize::from(b & 15)]])
                    .collect();
                out.write_all(&line)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Style::Include => include(o, chunks, name, out),
        Style::Normal | Style::Bits => lines(o, chunks, o.offset + start, hex, out),
    }
}

fn include<R: Read>(
    o: &Options,
    chunks: &mut Chunks<R>,
    name: &str,
    out: &mut impl Write,
) -> Result<(), Fault> {
    let var = o
        .name
        .clone()
        .or_else(|| (name != "-").then(|| c_name(name)));
    if let Some(var) = &var {
        writeln!(out, "unsigned char {var}[] = {{")?;
    }
    let x = if o.upper { "0X" } else { "0x" };
    let mut total = 0usize;
    while let Some((chunk, last)) = chunks.next()? {
        total += chunk.len();
        let bytes: Vec<String> = chunk
            .iter()
            .map(|b| {
                if o.upper {
                    format!("{x}{b:02X}")
                } else {
                    format!("{x}{b:02x}")
                }
            })
            .collect();
        let end = if last { "" } else { "," };
        writeln!(out, "  {}{end}", bytes.join(", "))?;
    }
    if let Some(var) = &var {
        writeln!(out, "}};\nunsigned int {var}_len = {total};")?;
    }
    Ok(())
}

/// A C identifier from a file name, as xxd makes it.
fn c_name(name: &str) -> String {
    let mut var: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if var.starts_with(|c: char| c.is_ascii_digit()) {
        var.insert_str(0, "__");
    }
    var
}

fn lines<R: Read>(
    o: &Options,
    chunks: &mut Chunks<R>,
    base: u64,
    hex: &[u8; 16],
    out: &mut impl Write,
) -> Result<(), Fault> {
    let bits = o.style == Style::Bits;
    let cols = chunks.cols;
    let group = match o.group {
        Some(0) => cols,
        Some(g) => g.min(cols),
        None if bits => 1,
        None => 2,
    };
    let digits = if bits { 8 } else { 2 };
    let grplen = digits * group + 1;
    let text_at = 12 + (grplen * cols - 1) / group;
    let mut skip = AutoSkip::default();
    let mut addr = base;
    while let Some((chunk, last)) = chunks.next()? {
        let mut line = vec![b' '; text_at + chunk.len()];
        let head = format!("{addr:08x}: ");
        line.splice(..10, head.bytes());
        let shift = line.len() - (text_at + chunk.len());
        for (p, &b) in chunk.iter().enumerate() {
            let at = shift + 10 + (grplen * p) / group;
            if bits {
                for k in 0..8 {
                    line[at + k] = if b & (0x80 >> k) != 0 { b'1' } else { b'0' };
                }
            } else {
                line[at] = hex[usize::from(b >> 4)];
                line[at + 1] = hex[usize::from(b & 15)];
            }
            line[shift + text_at + p] = if (0x20..0x7f).contains(&b) { b } else { b'.' };
        }
        line.push(b'\n');
        addr += chunk.len() as u64;
        let zeros = chunk.iter().all(|&b| b == 0);
        if !o.autoskip {
            out.write_all(&line)?;
        } else if last && chunk.len() == cols {
            skip.line(out, line, zeros)?;
            skip.end(out)?;
        } else {
            skip.line(out, line, zeros && !last)?;
        }
    }
    Ok(())
}

/// `-a`: runs of all-zero lines become one `*` (xxd's `xxdline`).
#[derive(Default)]
struct AutoSkip {
    seen: u32,
    held: Vec<u8>,
    last: Vec<u8>,
}

impl AutoSkip {
    fn line(&mut self, out: &mut impl Write, line: Vec<u8>, zeros: bool) -> io::Result<()> {
        if zeros {
            if self.seen == 1 {
                self.held = line.clone();
            }
            if self.seen == 0 {
                out.write_all(&line)?;
            }
            self.seen += 1;
            self.last = line;
            return Ok(());
        }
        self.flush_run(out)?;
        out.write_all(&line)?;
        self.seen = 0;
        Ok(())
    }

    /// Before a line that is not zero (or at the end): what the run of zero lines left out.
    fn flush_run(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.seen == 2 {
            out.write_all(&self.held)?;
        }
        if self.seen > 2 {
            out.write_all(b"*\n")?;
        }
        Ok(())
    }

    /// At the end of input: the last line of a run of zero lines is always shown.
    fn end(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.seen > 1 {
            self.seen -= 1;
            self.flush_run(out)?;
            out.write_all(&self.last)?;
        }
        Ok(())
    }
}

/// `-r`: bytes from a dump. Plain (`-p`): every pair of hex digits, whatever is between them.
/// Normal: per line, the address before `:` places the bytes (a gap is written as zeros; bytes
/// before what was written already are dropped: the output is a stream); hex digit pairs
/// follow, groups apart by one space, up to `cols` bytes or two spaces (where the characters
/// begin).
fn reverse(
    plain: bool,
    input: &mut impl BufRead,
    cols: Option<usize>,
    out: &mut impl Write,
) -> Result<(), Fault> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    if plain {
        let mut high = None;
        for c in input.bytes() {
            let Some(d) = digit(c.map_err(Fault::Read)?) else {
                continue;
            };
            match high.take() {
                None => high = Some(d),
                Some(h) => out.write_all(&[h << 4 | d])?,
            }
        }
        return Ok(());
    }
    let cols = cols.filter(|&c| c > 0).unwrap_or(16);
    let mut pos = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut *input)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)
            .map_err(Fault::Read)?;
        if n == 0 {
            return Ok(());
        }
        if line.last() != Some(&b'\n') && n == MAX_LINE {
            // The rest of an overlong line holds no bytes of it.
            let mut rest = Vec::new();
            input.read_until(b'\n', &mut rest).map_err(Fault::Read)?;
        }
        let Some((addr, bytes)) = dump_line(&line, cols, digit) else {
            continue;
        };
        while pos < addr {
            let gap = (addr - pos).min(64 << 10);
            out.write_all(&vec![0; gap as usize])?;
            pos += gap;
        }
        let skip = usize::try_from(pos - addr)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        out.write_all(&bytes[skip..])?;
        pos = pos.max(addr + bytes.len() as u64);
    }
}

/// The address and bytes of one line of a normal dump.
fn dump_line(line: &[u8], cols: usize, digit: impl Fn(u8) -> Option<u8>) -> Option<(u64, Vec<u8>)> {
    let colon = line.iter().position(|&c| c == b':')?;
    let addr = u64::from_str_radix(std::str::from_utf8(&line[..colon]).ok()?.trim(), 16).ok()?;
    let mut bytes = Vec::new();
    let (mut high, mut spaces) = (None, 0);
    for &c in &line[colon + 1..] {
        if bytes.len() >= cols {
            break;
        }
        if c == b' ' {
            spaces += 1;
            if spaces >= 2 && !bytes.is_empty() {
                break;
            }
            continue;
        }
        spaces = 0;
        let Some(d) = digit(c) else { break };
        match high.take() {
            None => high = Some(d),
            Some(h) => bytes.push(h << 4 | d),
        }
    }
    Some((addr, bytes))
}
