//! `hexdump` and `hd`, as util-linux 2.38 writes them: the files as one stream, in blocks, each
//! printed by every format in turn; `-b -c -C -d -o -x` are built-in formats, `-e`/`-f` the
//! user's (`format.rs`); identical blocks after the first print as one `*` unless `-v`; the
//! offset after the last byte at the end. `hd` is `hexdump -C` when given no format.

mod format;
mod input;
mod printf;

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};

use format::{Format, Kind, Piece, Spec, Unit};
use input::Input;
use printf::{Value, render};

/// The built-in formats (util-linux's `hexdump.c`).
const ONE_BYTE_OCTAL: [&str; 2] = [r#""%07.7_Ax\n""#, r#""%07.7_ax " 16/1 "%03o " "\n""#];
const ONE_BYTE_CHAR: [&str; 2] = [r#""%07.7_Ax\n""#, r#""%07.7_ax " 16/1 "%3_c " "\n""#];
const CANONICAL: [&str; 3] = [
    r#""%08.8_Ax\n""#,
    r#""%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x " "#,
    r#""  |" 16/1 "%_p" "|\n""#,
];
const TWO_BYTES_DECIMAL: [&str; 2] = [r#""%07.7_Ax\n""#, r#""%07.7_ax " 8/2 "  %05u " "\n""#];
const TWO_BYTES_OCTAL: [&str; 2] = [r#""%07.7_Ax\n""#, r#""%07.7_ax " 8/2 " %06o " "\n""#];
const TWO_BYTES_HEX: [&str; 2] = [r#""%07.7_Ax\n""#, r#""%07.7_ax " 8/2 "   %04x " "\n""#];
const DEFAULT: [&str; 2] = [r#""%07.7_Ax\n""#, r#""%07.7_ax " 8/2 "%04x " "\n""#];

/// The largest block the formats may read at once (util-linux has no bound of its own).
const MAX_BLOCK: usize = 1 << 26;

struct Options {
    formats: Vec<Format>,
    files: Vec<String>,
    skip: u64,
    length: Option<u64>,
    squeeze: bool,
}

pub fn main(args: Vec<OsString>) -> i32 {
    run("hexdump", args)
}

pub fn hd(args: Vec<OsString>) -> i32 {
    run("hd", args)
}

fn run(name: &str, args: Vec<OsString>) -> i32 {
    let mut o = match parse(name, crate::cli::operands(args)) {
        Ok(o) => o,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "{name}: {msg}");
            return 1;
        }
    };
    let block = format::settle(&mut o.formats);
    if block > MAX_BLOCK {
        let _ = writeln!(
            io::stderr(),
            "{name}: the formats read more than {MAX_BLOCK} bytes at a time"
        );
        return 1;
    }
    let mut input = Input::new(name, &o);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = Display::new(&o.formats, block, o.squeeze).run(&mut input, &mut out);
    let flushed = out.flush();
    if let Err(e) = result.and(flushed)
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(io::stderr(), "{name}: {}", crate::cli::io_error(&e));
        return 1;
    }
    if input.named > 0 && input.unopened == input.named {
        let _ = writeln!(io::stderr(), "{name}: all input file arguments failed");
    }
    i32::from(input.unopened > 0)
}

fn parse(name: &str, args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        formats: Vec::new(),
        files: Vec::new(),
        skip: 0,
        length: None,
        squeeze: true,
    };
    let add = |o: &mut Options, texts: &[&str]| -> Result<(), String> {
        for text in texts {
            o.formats.push(format::parse(text)?);
        }
        Ok(())
    };
    let mut it = bundled(args).into_iter();
    let mut only_files = false;
    while let Some(arg) = it.next() {
        // As util-linux: `-` is a file's name; stdin is read when no file is named.
        if only_files || arg == "-" || !arg.starts_with('-') {
            o.files.push(arg);
            continue;
        }
        if arg == "--" {
            only_files = true;
            continue;
        }
        let (flag, inline) = split_option(&arg)?;
        let mut value = || crate::cli::option_value(&inline, &mut it, flag);
        match flag {
            'b' => add(&mut o, &ONE_BYTE_OCTAL)?,
            'c' => add(&mut o, &ONE_BYTE_CHAR)?,
            'C' => add(&mut o, &CANONICAL)?,
            'd' => add(&mut o, &TWO_BYTES_DECIMAL)?,
            'o' => add(&mut o, &TWO_BYTES_OCTAL)?,
            'x' => add(&mut o, &TWO_BYTES_HEX)?,
            'e' => add(&mut o, &[value()?.as_str()])?,
            'f' => {
                let path = value()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{path}: {}", crate::cli::io_error(&e)))?;
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    if !line.starts_with('#') {
                        add(&mut o, &[line])?;
                    }
                }
            }
            'n' => o.length = Some(size(&value()?)?),
            's' => o.skip = size(&value()?)?,
            'v' => o.squeeze = false,
            'L' => {}
            _ => return Err(format!("invalid option -- '{flag}'")),
        }
    }
    finish(name, o)
}

/// Bundled short flags (`-vC`, `-Cn16`) one per argument: a flag that takes a value keeps the
/// rest of its argument as that value.
fn bundled(args: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            out.push(arg);
            out.extend(args.by_ref());
            break;
        }
        let Some(flags) = arg
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && !f.starts_with('-'))
        else {
            out.push(arg);
            continue;
        };
        let mut rest = flags;
        while let Some(flag) = rest.chars().next() {
            if "efns".contains(flag) || rest.len() == 1 {
                out.push(format!("-{rest}"));
                break;
            }
            out.push(format!("-{flag}"));
            rest = &rest[flag.len_utf8()..];
        }
    }
    out
}

fn finish(name: &str, mut o: Options) -> Result<Options, String> {
    if o.formats.is_empty() {
        let texts: &[&str] = if name == "hd" { &CANONICAL } else { &DEFAULT };
        for text in texts {
            o.formats.push(format::parse(text)?);
        }
    }
    Ok(o)
}

/// A short option's letter and what follows it in the same argument; long options by name.
fn split_option(arg: &str) -> Result<(char, Option<String>), String> {
    if let Some(long) = arg.strip_prefix("--") {
        let (key, value) = long
            .split_once('=')
            .map_or((long, None), |(k, v)| (k, Some(v.to_owned())));
        let flag = match key {
            "one-byte-octal" => 'b',
            "one-byte-char" => 'c',
            "canonical" => 'C',
            "two-bytes-decimal" => 'd',
            "two-bytes-octal" => 'o',
            "two-bytes-hex" => 'x',
            "format" => 'e',
            "format-file" => 'f',
            "length" => 'n',
            "skip" => 's',
            "no-squeezing" => 'v',
            "color" => 'L',
            _ => return Err(format!("unrecognized option '{arg}'")),
        };
        return Ok((flag, value));
    }
    let mut chars = arg[1..].chars();
    let flag = chars.next().ok_or("invalid option -- ''")?;
    let rest: String = chars.collect();
    Ok((flag, (!rest.is_empty()).then_some(rest)))
}

/// A size as util-linux reads one: decimal, `0x` hex or `0` octal, with an optional `K`, `M`,
/// `G` (binary) or `KB`, `MB`, `GB` (decimal) suffix.
fn size(text: &str) -> Result<u64, String> {
    let bad = || format!("invalid size argument: '{text}'");
    let split = text
        .find(|c: char| !c.is_ascii_hexdigit() && c != 'x' && c != 'X')
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let n = if let Some(hex) = number
        .strip_prefix("0x")
        .or_else(|| number.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16)
    } else if number.len() > 1 && number.starts_with('0') {
        u64::from_str_radix(&number[1..], 8)
    } else {
        number.parse()
    }
    .map_err(|_| bad())?;
    let scale: u64 = match suffix {
        "" => 1,
        "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return Err(bad()),
    };
    n.checked_mul(scale).ok_or_else(bad)
}

/// The display loop (util-linux's `display.c`).
struct Display<'f> {
    formats: &'f [Format],
    block: usize,
    squeeze: bool,
    address: u64,
    /// Where the data ends, once a short block was read.
    end: Option<u64>,
}

impl<'f> Display<'f> {
    fn new(formats: &'f [Format], block: usize, squeeze: bool) -> Self {
        Display {
            formats,
            block,
            squeeze,
            address: 0,
            end: None,
        }
    }

    fn run(mut self, input: &mut Input, out: &mut dyn Write) -> io::Result<()> {
        if self.block == 0 {
            return self.finish(out);
        }
        let mut current = vec![0u8; self.block];
        // The block printed last (valid once `printed`): the two buffers trade places.
        let mut previous = vec![0u8; self.block];
        let mut printed = false;
        let mut squeezing = false;
        loop {
            let n = input.fill(&mut current)?;
            if !printed {
                // Offsets count from where `-s` left the input.
                self.address = input.skipped;
            }
            if n == 0 {
                break;
            }
            if n < self.block {
                current[n..].fill(0);
                self.end = Some(self.address + n as u64);
            } else if self.squeeze && printed && previous == current {
                if !squeezing {
                    out.write_all(b"*\n")?;
                    squeezing = true;
                }
                self.address += self.block as u64;
                continue;
            }
            squeezing = false;
            for format in self.formats {
                self.block_of(format, &current, out)?;
            }
            if n < self.block {
                break;
            }
            self.address += self.block as u64;
            std::mem::swap(&mut previous, &mut current);
            printed = true;
        }
        self.finish(out)
    }

    /// Prints one block with one format.
    fn block_of(&self, format: &Format, data: &[u8], out: &mut dyn Write) -> io::Result<()> {
        let mut at = 0usize;
        for unit in &format.units {
            if unit.at_end {
                break;
            }
            for rep in 0..unit.reps {
                let last = rep + 1 == unit.reps;
                for (i, piece) in unit.pieces.iter().enumerate() {
                    let cut = last && unit.nospace && i + 1 == unit.pieces.len();
                    self.piece(piece, data, at, cut, out)?;
                    at += piece.bytes;
                }
            }
        }
        Ok(())
    }

    fn piece(
        &self,
        piece: &Piece,
        data: &[u8],
        at: usize,
        cut: bool,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let text = if cut {
            &piece.text[..piece.text.len() - 1]
        } else {
            &piece.text
        };
        out.write_all(text.as_bytes())?;
        let Some((kind, spec)) = &piece.conv else {
            return Ok(());
        };
        let address = self.address + at as u64;
        if self.end.is_some_and(|end| address >= end) {
            return out.write_all(&printf::blank(spec));
        }
        let bytes = &data[at..at + piece.bytes];
        out.write_all(&convert(*kind, spec, bytes, address))
    }

    /// The `%_A` unit of the last format that has one, with the final offset (nothing when
    /// nothing was read from offset 0).
    fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(unit) = self
            .formats
            .iter()
            .rev()
            .find_map(|f| f.units.iter().find(|u| u.at_end))
        else {
            return Ok(());
        };
        let end = self.end.unwrap_or(self.address);
        if end == 0 {
            return Ok(());
        }
        end_unit(unit, end, out)
    }
}

/// The end unit's text and offsets; its other conversions print nothing, text included.
fn end_unit(unit: &Unit, end: u64, out: &mut dyn Write) -> io::Result<()> {
    for piece in &unit.pieces {
        match &piece.conv {
            None => out.write_all(piece.text.as_bytes())?,
            Some((Kind::EndAddress | Kind::Address, spec)) => {
                out.write_all(piece.text.as_bytes())?;
                out.write_all(&render(spec, spec.conv, Value::Unsigned(end)))?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// One conversion of the bytes at `bytes` (little-endian numbers).
fn convert(kind: Kind, spec: &Spec, bytes: &[u8], address: u64) -> Vec<u8> {
    let mut raw = [0u8; 8];
    raw[..bytes.len().min(8)].copy_from_slice(&bytes[..bytes.len().min(8)]);
    let unsigned = u64::from_le_bytes(raw);
    match kind {
        Kind::Address | Kind::EndAddress => render(spec, spec.conv, Value::Unsigned(address)),
        Kind::Signed => {
            let bits = 64 - 8 * bytes.len() as u32;
            let signed = ((unsigned << bits) as i64) >> bits;
            render(spec, 'd', Value::Signed(signed))
        }
        Kind::Unsigned => render(spec, spec.conv, Value::Unsigned(unsigned)),
        Kind::Float => {
            let x = if bytes.len() == 4 {
                f64::from(f32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]))
            } else {
                f64::from_le_bytes(raw)
            };
            render(spec, spec.conv, Value::Float(x))
        }
        Kind::Char => render(spec, 'c', Value::Char(bytes[0])),
        Kind::Str => render(spec, 's', Value::Text(bytes)),
        Kind::Printable => {
            let b = bytes[0];
            let shown = if (0x20..0x7f).contains(&b) { b } else { b'.' };
            render(spec, 'c', Value::Char(shown))
        }
        Kind::CharEscaped => escaped(spec, bytes[0]),
        Kind::AsciiName => ascii_name(spec, bytes[0]),
    }
}

/// `%_c`: C's escapes, a printable byte as itself, anything else as three octal digits.
fn escaped(spec: &Spec, b: u8) -> Vec<u8> {
    let name = match b {
        0 => "\\0",
        0x07 => "\\a",
        0x08 => "\\b",
        0x0c => "\\f",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x0b => "\\v",
        0x20..=0x7e => return render(spec, 'c', Value::Char(b)),
        _ => return render(spec, 's', Value::Text(format!("{b:03o}").as_bytes())),
    };
    render(spec, 's', Value::Text(name.as_bytes()))
}

/// `%_u`: control characters by their US-ASCII names, other bytes as themselves or in hex.
fn ascii_name(spec: &Spec, b: u8) -> Vec<u8> {
    const NAMES: [&str; 32] = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "lf", "vt", "ff", "cr",
        "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub",
        "esc", "fs", "gs", "rs", "us",
    ];
    match b {
        0..=0x1f => render(spec, 's', Value::Text(NAMES[b as usize].as_bytes())),
        0x7f => render(spec, 's', Value::Text(b"del")),
        0x20..=0x7e => render(spec, 'c', Value::Char(b)),
        _ => render(spec, 'x', Value::Unsigned(u64::from(b))),
    }
}
