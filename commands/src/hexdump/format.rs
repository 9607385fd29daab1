//! hexdump's format language (util-linux's `parse.c`): a format is a list of units
//! `[ITERATIONS][/BYTES] "TEXT %CONVERSION TEXT..."`, each conversion consuming its bytes of the
//! block; `-b -c -C -d -o -x` are formats of this language too.
//!
//! ```text
//!   "%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x "      one format of -C: 4 units
//!   unit 8/1 "%02x " -> prints [Conv %02x, 1 byte] [Text " "], 8 times; the last
//!                       time without its trailing blank (`nospace`)
//! ```
//! The block is the most bytes any format consumes; a format's last unit without an explicit
//! iteration count repeats to fill it. A unit with `%_A` prints only once, at the end, and the
//! units after it in its format never print.

/// What a conversion prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `%_a`: the offset of the next byte, in the radix of `conv`.
    Address,
    /// `%_A`: the offset after the last byte, printed once at the end.
    EndAddress,
    /// `%_c`: a byte as a character or its C escape or octal number.
    CharEscaped,
    /// `%_p`: a byte if printable, else `.`.
    Printable,
    /// `%_u`: a byte, control characters by their US-ASCII names.
    AsciiName,
    /// `%c`.
    Char,
    /// `%d %i`: signed, 1, 2, 4 or 8 bytes.
    Signed,
    /// `%o %u %x %X`: unsigned, 1, 2, 4 or 8 bytes.
    Unsigned,
    /// `%e %E %f %g %G`: 4 or 8 bytes.
    Float,
    /// `%s`: the bytes as text.
    Str,
}

/// A printf conversion: `%[flags][width][.precision]conv`.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub flags: String,
    pub width: Option<usize>,
    pub precision: Option<usize>,
    /// The printf conversion character (`x`, `d`, `c`, `s`...; for `_a`/`_A` the radix's).
    pub conv: char,
}

/// Text, then at most one conversion (util-linux's `PR`).
#[derive(Debug, Clone)]
pub struct Piece {
    pub text: String,
    pub conv: Option<(Kind, Spec)>,
    /// Bytes the conversion consumes.
    pub bytes: usize,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub reps: usize,
    pub explicit_reps: bool,
    /// Bytes one iteration consumes.
    pub bytes: usize,
    pub pieces: Vec<Piece>,
    /// The last piece's text ends in a blank that the last iteration leaves out.
    pub nospace: bool,
    /// Holds `%_A`: printed at the end only.
    pub at_end: bool,
}

/// One `-e` format (util-linux's `FS`).
#[derive(Debug, Clone, Default)]
pub struct Format {
    pub units: Vec<Unit>,
}

impl Format {
    /// Bytes one block's worth of this format consumes.
    pub fn bytes(&self) -> usize {
        (self.units.iter())
            .map(|u| u.reps.saturating_mul(u.bytes))
            .fold(0, usize::saturating_add)
    }
}

/// Parses one `-e` argument.
///
/// # Errors
/// A message naming what is wrong, as util-linux words it.
pub fn parse(text: &str) -> Result<Format, String> {
    let bad = || format!("bad format {{{text}}}");
    let mut units = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let mut reps = None;
        let mut bytes = None;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let after = &rest[digits..];
            if !(after.starts_with('/') || after.starts_with(char::is_whitespace)) {
                return Err(bad());
            }
            reps = Some(rest[..digits].parse::<usize>().map_err(|_| bad())?);
            rest = after[1..].trim_start();
        }
        if let Some(after) = rest.strip_prefix('/') {
            rest = after.trim_start();
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if !rest[digits..].starts_with(char::is_whitespace) {
                return Err(bad());
            }
            bytes = Some(rest[..digits].parse::<usize>().map_err(|_| bad())?);
            rest = rest[digits..].trim_start();
        }
        let body = rest.strip_prefix('"').ok_or_else(bad)?;
        let end = body.find('"').ok_or_else(bad)?;
        units.push(unit(reps, bytes, &unescape(&body[..end]))?);
        rest = body[end + 1..].trim_start();
    }
    Ok(Format { units })
}

/// `\n`, `\t` and the other C escapes of a format's text.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('v') => out.push('\x0b'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn unit(reps: Option<usize>, bytes: Option<usize>, text: &str) -> Result<Unit, String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut conversions = 0;
    let mut at_end = false;
    while !rest.is_empty() {
        let Some(at) = find_conversion(rest) else {
            pieces.push(Piece {
                text: rest.replace("%%", "%"),
                conv: None,
                bytes: 0,
            });
            break;
        };
        let (spec_text, after) = split_spec(&rest[at..])?;
        let (kind, spec) = conversion(spec_text)?;
        let consumed = match kind {
            Kind::Address | Kind::EndAddress => 0,
            _ => {
                conversions += 1;
                piece_bytes(kind, &spec, bytes)?
            }
        };
        at_end |= kind == Kind::EndAddress;
        pieces.push(Piece {
            text: rest[..at].replace("%%", "%"),
            conv: Some((kind, spec)),
            bytes: consumed,
        });
        rest = after;
    }
    if bytes.is_some() && conversions > 1 {
        return Err("byte count with multiple conversion characters".into());
    }
    let iteration: usize = pieces.iter().map(|p| p.bytes).sum();
    let reps_given = reps.is_some();
    let reps = reps.unwrap_or(1);
    let nospace = reps > 1 && pieces.last().is_some_and(ends_blank);
    Ok(Unit {
        reps,
        explicit_reps: reps_given,
        bytes: iteration,
        pieces,
        nospace,
        at_end,
    })
}

/// A piece whose text (after its conversion, if any) ends in a blank.
fn ends_blank(piece: &Piece) -> bool {
    piece.conv.is_none() && piece.text.ends_with(|c: char| c.is_ascii_whitespace())
}

/// Where the next conversion starts (`%%` is text).
fn find_conversion(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if bytes.get(i + 1) == Some(&b'%') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `%...X` at the start of `text`, and what follows it.
fn split_spec(text: &str) -> Result<(&str, &str), String> {
    let body = &text[1..];
    let head = body
        .find(|c: char| !(c.is_ascii_digit() || "-+ #.".contains(c)))
        .ok_or("bad conversion character %")?;
    let len = if body[head..].starts_with("_a") || body[head..].starts_with("_A") {
        3
    } else if body[head..].starts_with('_') {
        2
    } else {
        1
    };
    let end = 1 + head + len;
    if end > text.len() || !text.is_char_boundary(end) {
        return Err(format!("bad conversion character %{body}"));
    }
    Ok((&text[..end], &text[end..]))
}

fn conversion(spec_text: &str) -> Result<(Kind, Spec), String> {
    let body = &spec_text[1..];
    let flags: String = body.chars().take_while(|c| "-+ #0".contains(*c)).collect();
    let rest = &body[flags.len()..];
    let width_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let width = rest[..width_len].parse().ok();
    let mut rest = &rest[width_len..];
    let mut precision = None;
    if let Some(after) = rest.strip_prefix('.') {
        let n = after.bytes().take_while(u8::is_ascii_digit).count();
        precision = Some(after[..n].parse().unwrap_or(0));
        rest = &after[n..];
    }
    let bad = || format!("bad conversion character %{rest}");
    let mut chars = rest.chars();
    let first = chars.next().ok_or_else(bad)?;
    let (kind, conv) = if first == '_' {
        let second = chars.next().ok_or_else(bad)?;
        match second {
            'a' | 'A' => {
                let radix = chars.next().ok_or_else(bad)?;
                let conv = match radix {
                    'd' => 'd',
                    'o' => 'o',
                    'x' => 'x',
                    _ => return Err(bad()),
                };
                let kind = if second == 'a' {
                    Kind::Address
                } else {
                    Kind::EndAddress
                };
                (kind, conv)
            }
            'c' => (Kind::CharEscaped, 's'),
            'p' => (Kind::Printable, 'c'),
            'u' => (Kind::AsciiName, 's'),
            _ => return Err(bad()),
        }
    } else {
        let kind = match first {
            'c' => Kind::Char,
            'd' | 'i' => Kind::Signed,
            'o' | 'u' | 'x' | 'X' => Kind::Unsigned,
            'e' | 'E' | 'f' | 'g' | 'G' => Kind::Float,
            's' => Kind::Str,
            _ => return Err(bad()),
        };
        (kind, first)
    };
    Ok((
        kind,
        Spec {
            flags,
            width,
            precision,
            conv,
        },
    ))
}

/// Bytes a conversion consumes, given the unit's byte count if it has one.
fn piece_bytes(kind: Kind, spec: &Spec, given: Option<usize>) -> Result<usize, String> {
    let bad = || format!("bad byte count for conversion character {}", spec.conv);
    match kind {
        Kind::Char | Kind::CharEscaped | Kind::Printable | Kind::AsciiName => match given {
            None | Some(1) => Ok(1),
            Some(_) => Err(bad()),
        },
        Kind::Signed | Kind::Unsigned => match given.unwrap_or(4) {
            n @ (1 | 2 | 4 | 8) => Ok(n),
            _ => Err(bad()),
        },
        Kind::Float => match given.unwrap_or(8) {
            n @ (4 | 8) => Ok(n),
            _ => Err(bad()),
        },
        Kind::Str => given
            .or(spec.precision)
            .filter(|n| *n > 0)
            .ok_or_else(|| "%s requires a precision or a byte count".to_string()),
        Kind::Address | Kind::EndAddress => Ok(0),
    }
}

/// The block size for `formats`, after each format's last unit is stretched to fill it.
pub fn settle(formats: &mut [Format]) -> usize {
    let block = formats.iter().map(Format::bytes).max().unwrap_or(0);
    for format in formats.iter_mut() {
        let used = format.bytes();
        if let Some(last) = format.units.last_mut()
            && used < block
            && !last.explicit_reps
            && last.bytes > 0
        {
            last.reps += (block - used) / last.bytes;
            last.nospace = last.reps > 1 && last.pieces.last().is_some_and(ends_blank);
        }
    }
    block
}
