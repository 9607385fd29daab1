//! What libmagic's `encoding.c` and `ascmagic.c` say about text: its encoding (`ASCII`,
//! `Unicode text, UTF-8`, `ISO-8859`...) and the notes after it (line terminators, very long
//! lines, escape sequences, overstriking). pure-magic matches the rules; this part of `file` is
//! C code of libmagic's own, written again here from its documented behaviour.

/// libmagic's classes of a byte: never in text, plain ASCII text, ISO-8859, other extended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Never,
    Ascii,
    Iso,
    Extended,
}

fn class(b: u8) -> Class {
    match b {
        7..=13 | 27 | 0x20..=0x7e => Class::Ascii,
        0x80..=0x9f => Class::Extended,
        0xa0..=0xff => Class::Iso,
        _ => Class::Never,
    }
}

/// A text encoding libmagic names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Ascii,
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Iso8859,
    Extended,
}

impl Encoding {
    /// The words before `text` (`ASCII`, `Unicode text, UTF-8`).
    pub fn code(self) -> &'static str {
        match self {
            Encoding::Ascii => "ASCII",
            Encoding::Utf8 => "Unicode text, UTF-8",
            Encoding::Utf8Bom => "Unicode text, UTF-8 (with BOM)",
            Encoding::Utf16Le => "Unicode text, UTF-16, little-endian",
            Encoding::Utf16Be => "Unicode text, UTF-16, big-endian",
            Encoding::Iso8859 => "ISO-8859",
            Encoding::Extended => "Non-ISO extended-ASCII",
        }
    }

    /// `--mime-encoding`'s name.
    pub fn mime(self) -> &'static str {
        match self {
            Encoding::Ascii => "us-ascii",
            Encoding::Utf8 | Encoding::Utf8Bom => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Iso8859 => "iso-8859-1",
            Encoding::Extended => "unknown-8bit",
        }
    }
}

/// The encoding of `buf` and its characters, or `None` for data.
pub fn decode(buf: &[u8]) -> Option<(Encoding, Vec<u32>)> {
    if buf.iter().all(|&b| class(b) == Class::Ascii) {
        return Some((Encoding::Ascii, buf.iter().map(|&b| u32::from(b)).collect()));
    }
    if let Some(rest) = buf.strip_prefix(b"\xef\xbb\xbf")
        && let Some(chars) = utf8(rest)
    {
        return Some((Encoding::Utf8Bom, chars));
    }
    if let Some(chars) = utf8(buf) {
        return Some((Encoding::Utf8, chars));
    }
    if let Some(found) = utf16(buf) {
        return Some(found);
    }
    let widen = || buf.iter().map(|&b| u32::from(b)).collect();
    if buf
        .iter()
        .all(|&b| matches!(class(b), Class::Ascii | Class::Iso))
    {
        return Some((Encoding::Iso8859, widen()));
    }
    if buf.iter().all(|&b| class(b) != Class::Never) {
        return Some((Encoding::Extended, widen()));
    }
    None
}

/// UTF-8 text: valid, with ASCII bytes only of the text class.
fn utf8(buf: &[u8]) -> Option<Vec<u32>> {
    let text = std::str::from_utf8(buf).ok()?;
    let chars: Vec<u32> = text.chars().map(u32::from).collect();
    chars
        .iter()
        .all(|&c| c > 0x7f || class(c as u8) == Class::Ascii)
        .then_some(chars)
}

/// UTF-16 text after a byte-order mark.
fn utf16(buf: &[u8]) -> Option<(Encoding, Vec<u32>)> {
    let (encoding, big) = match buf.get(..2)? {
        [0xff, 0xfe] => (Encoding::Utf16Le, false),
        [0xfe, 0xff] => (Encoding::Utf16Be, true),
        _ => return None,
    };
    let units = buf[2..].chunks_exact(2).map(|p| {
        let pair = [p[0], p[1]];
        if big {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let chars: Vec<u32> = char::decode_utf16(units)
        .map(|c| c.map(u32::from))
        .collect::<Result<_, _>>()
        .ok()?;
    chars
        .iter()
        .all(|&c| c > 0xff || class(c as u8) != Class::Never)
        .then_some((encoding, chars))
}

/// libmagic's `MAXLINELEN`: a longer line is noted.
const MAX_LINE: usize = 300;

/// The notes after `... text`: `, with very long lines (N)`, the line terminators when any
/// is not LF (or there is none), `, with escape sequences`, `, with overstriking`.
pub fn notes(chars: &[u32]) -> String {
    let (mut crlf, mut lf, mut cr, mut nel) = (0usize, 0usize, 0usize, 0usize);
    let (mut long, mut escapes, mut backspace) = (0usize, false, false);
    let mut seen_cr = false;
    // Index of the last line end, plus one (0: none yet).
    let mut line_start = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        if c == u32::from(b'\n') {
            if seen_cr {
                crlf += 1;
            } else {
                lf += 1;
            }
            line_start = i + 1;
        } else if seen_cr {
            cr += 1;
        }
        seen_cr = c == u32::from(b'\r');
        if seen_cr {
            line_start = i + 1;
        }
        if c == 0x85 {
            nel += 1;
            line_start = i + 1;
        }
        if i >= line_start + MAX_LINE {
            long = long.max(i + 1 - line_start);
        }
        escapes |= c == 0x1b;
        backspace |= c == 0x08;
    }
    let mut out = String::new();
    if long > 0 {
        out.push_str(&format!(", with very long lines ({long})"));
    }
    let none = crlf + cr + nel + lf == 0;
    if none || crlf + cr + nel > 0 {
        out.push_str(", with");
        if none {
            out.push_str(" no");
        } else {
            let kinds = [(crlf, "CRLF"), (cr, "CR"), (lf, "LF"), (nel, "NEL")];
            let named: Vec<&str> = kinds
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(_, k)| *k)
                .collect();
            out.push(' ');
            out.push_str(&named.join(", "));
        }
        out.push_str(" line terminators");
    }
    if escapes {
        out.push_str(", with escape sequences");
    }
    if backspace {
        out.push_str(", with overstriking");
    }
    out
}

/// libmagic's `is_csv`: lines with the same number of commas (quoted ones not counted), at
/// least one; decided after ten lines, or at the end with more than two.
pub fn is_csv(buf: &[u8]) -> bool {
    const LINES: usize = 10;
    let (mut fields, mut first, mut lines) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < buf.len() {
        let b = buf[i];
        i += 1;
        match b {
            b'"' => i = past_quote(buf, i),
            b',' => fields += 1,
            b'\n' => {
                lines += 1;
                if lines == LINES {
                    return first != 0 && first == fields;
                }
                if first == 0 {
                    if fields == 0 {
                        return false;
                    }
                    first = fields;
                } else if first != fields {
                    return false;
                }
                fields = 0;
            }
            _ => {}
        }
    }
    first != 0 && lines > 2
}

/// Past the quote that closes the one before `i` (`""` is a quote inside).
fn past_quote(buf: &[u8], mut i: usize) -> usize {
    while i < buf.len() {
        if buf[i] == b'"' {
            if buf.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    i
}
