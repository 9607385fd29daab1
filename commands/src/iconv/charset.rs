//! The character sets `iconv` converts between: decoding one character at a time (with its
//! length in bytes, for glibc's error positions) and encoding one.
//!
//! UTF-8, ASCII, ISO-8859-1 and UTF-16/32 are written here, because the WHATWG names that
//! encoding_rs follows mean other things by them (its `latin1`/`ascii` is windows-1252) or it
//! does not encode them (UTF-16); every other name is looked up as a WHATWG label.

use encoding_rs::{DecoderResult, EncoderResult, Encoding};
use unicode_normalization::UnicodeNormalization;

/// Byte order of a UTF-16/32 set; `Bom` reads a byte order mark (little-endian without one, as
/// glibc here) and writes one, little-endian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Bom,
    Little,
    Big,
}

#[derive(Debug, Clone, Copy)]
pub enum Charset {
    Utf8,
    Ascii,
    Latin1,
    Utf16(Order),
    Utf32(Order),
    Web(&'static Encoding),
}

/// One step of decoding.
pub enum Decoded {
    Char(char, usize),
    /// A byte order mark: no character.
    Skip(usize),
    /// Bytes that are not the set's.
    Invalid(usize),
    /// The input ends inside a character.
    Incomplete,
}

/// The names `iconv -l` lists (every WHATWG label is accepted too).
pub const NAMES: &[&str] = &[
    "ANSI_X3.4-1968",
    "ASCII",
    "BIG5",
    "CP1250",
    "CP1251",
    "CP1252",
    "CP1253",
    "CP1254",
    "CP1255",
    "CP1256",
    "CP1257",
    "CP1258",
    "CP866",
    "EUC-JP",
    "EUC-KR",
    "GB18030",
    "GBK",
    "IBM866",
    "ISO-8859-1",
    "ISO-8859-2",
    "ISO-8859-3",
    "ISO-8859-4",
    "ISO-8859-5",
    "ISO-8859-6",
    "ISO-8859-7",
    "ISO-8859-8",
    "ISO-8859-10",
    "ISO-8859-13",
    "ISO-8859-14",
    "ISO-8859-15",
    "ISO-8859-16",
    "KOI8-R",
    "KOI8-U",
    "LATIN1",
    "MACINTOSH",
    "SHIFT_JIS",
    "UCS-2",
    "UCS-2BE",
    "UCS-2LE",
    "UCS-4",
    "UCS-4BE",
    "UCS-4LE",
    "US-ASCII",
    "UTF-16",
    "UTF-16BE",
    "UTF-16LE",
    "UTF-32",
    "UTF-32BE",
    "UTF-32LE",
    "UTF-8",
    "WCHAR_T",
];

impl Charset {
    /// The set a name (any case, `_` or `-`) stands for.
    pub fn named(name: &str) -> Option<Charset> {
        let key: String = name
            .chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        Some(match key.as_str() {
            "UTF8" => Charset::Utf8,
            "ASCII" | "USASCII" | "ANSIX3.41968" | "646" | "US" => Charset::Ascii,
            "LATIN1" | "L1" | "ISO88591" | "ISO885911987" | "CP819" | "IBM819" => Charset::Latin1,
            "UTF16" => Charset::Utf16(Order::Bom),
            "UTF16LE" | "UCS2" | "UCS2LE" => Charset::Utf16(Order::Little),
            "UTF16BE" | "UCS2BE" => Charset::Utf16(Order::Big),
            "UTF32" | "UCS4" => Charset::Utf32(Order::Bom),
            "UTF32LE" | "UCS4LE" | "WCHART" => Charset::Utf32(Order::Little),
            "UTF32BE" | "UCS4BE" => Charset::Utf32(Order::Big),
            _ => Charset::Web(Encoding::for_label(name.as_bytes()).or_else(|| {
                // glibc's `CP1252` is WHATWG's `cp1252`; `ISO_8859-2` is `iso-8859-2`.
                Encoding::for_label(name.replace('_', "-").as_bytes())
            })?),
        })
    }

    /// What starts the output (UTF-16's and UTF-32's byte order mark).
    pub fn preamble(self) -> Vec<u8> {
        match self {
            Charset::Utf16(Order::Bom) => vec![0xff, 0xfe],
            Charset::Utf32(Order::Bom) => vec![0xff, 0xfe, 0, 0],
            _ => Vec::new(),
        }
    }

    /// The first character of `input`; `first` when `input` starts the data (where a byte
    /// order mark may be).
    pub fn decode_one(self, input: &[u8], first: bool) -> Decoded {
        match self {
            Charset::Utf8 => utf8(input),
            Charset::Ascii if input[0] < 0x80 => Decoded::Char(char::from(input[0]), 1),
            Charset::Ascii => Decoded::Invalid(1),
            Charset::Latin1 => Decoded::Char(char::from(input[0]), 1),
            Charset::Utf16(order) => utf16(input, order, first),
            Charset::Utf32(order) => utf32(input, order, first),
            Charset::Web(encoding) => web(encoding, input),
        }
    }

    /// Appends `c` in this set; false when the set cannot hold it.
    pub fn encode(self, c: char, out: &mut Vec<u8>) -> bool {
        let code = u32::from(c);
        match self {
            Charset::Utf8 => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Charset::Ascii if code < 0x80 => out.push(code as u8),
            Charset::Latin1 if code < 0x100 => out.push(code as u8),
            Charset::Ascii | Charset::Latin1 => return false,
            Charset::Utf16(order) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units).iter() {
                    out.extend_from_slice(&match order {
                        Order::Big => unit.to_be_bytes(),
                        _ => unit.to_le_bytes(),
                    });
                }
            }
            Charset::Utf32(Order::Big) => out.extend_from_slice(&code.to_be_bytes()),
            Charset::Utf32(_) => out.extend_from_slice(&code.to_le_bytes()),
            Charset::Web(encoding) => return web_encode(encoding, c, out),
        }
        true
    }
}

fn utf8(input: &[u8]) -> Decoded {
    let len = match input[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Decoded::Invalid(1),
    };
    if input.len() < len {
        // A truncated sequence at the very end, if what there is could begin one.
        return match std::str::from_utf8(input) {
            Err(e) if e.error_len().is_none() => Decoded::Incomplete,
            _ => Decoded::Invalid(1),
        };
    }
    match std::str::from_utf8(&input[..len]) {
        Ok(s) => s
            .chars()
            .next()
            .map_or(Decoded::Invalid(1), |c| Decoded::Char(c, len)),
        Err(_) => Decoded::Invalid(1),
    }
}

/// The byte order to read with, and whether `input` starts with a byte order mark of `width`.
fn order_of(input: &[u8], order: Order, first: bool, bom_le: &[u8], bom_be: &[u8]) -> (bool, bool) {
    if order != Order::Bom || !first {
        return (order == Order::Big, false);
    }
    if input.starts_with(bom_le) {
        (false, true)
    } else if input.starts_with(bom_be) {
        (true, true)
    } else {
        (false, false)
    }
}

fn utf16(input: &[u8], order: Order, first: bool) -> Decoded {
    let (big, bom) = order_of(input, order, first, &[0xff, 0xfe], &[0xfe, 0xff]);
    if bom {
        return Decoded::Skip(2);
    }
    let unit = |at: usize| -> Option<u16> {
        let b = input.get(at..at + 2)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let Some(first_unit) = unit(0) else {
        return Decoded::Incomplete;
    };
    if !(0xd800..0xe000).contains(&first_unit) {
        return char::from_u32(u32::from(first_unit))
            .map_or(Decoded::Invalid(2), |c| Decoded::Char(c, 2));
    }
    if first_unit >= 0xdc00 {
        return Decoded::Invalid(2);
    }
    match unit(2) {
        None => Decoded::Incomplete,
        Some(low) if (0xdc00..0xe000).contains(&low) => {
            let code =
                0x10000 + ((u32::from(first_unit) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
            char::from_u32(code).map_or(Decoded::Invalid(4), |c| Decoded::Char(c, 4))
        }
        Some(_) => Decoded::Invalid(2),
    }
}

fn utf32(input: &[u8], order: Order, first: bool) -> Decoded {
    let (big, bom) = order_of(
        input,
        order,
        first,
        &[0xff, 0xfe, 0, 0],
        &[0, 0, 0xfe, 0xff],
    );
    if bom {
        return Decoded::Skip(4);
    }
    let Some(b) = input.get(..4) else {
        return Decoded::Incomplete;
    };
    let bytes = [b[0], b[1], b[2], b[3]];
    let code = if big {
        u32::from_be_bytes(bytes)
    } else {
        u32::from_le_bytes(bytes)
    };
    char::from_u32(code).map_or(Decoded::Invalid(4), |c| Decoded::Char(c, 4))
}

/// One character of a WHATWG encoding: decoded from as few bytes as make one (at most four).
fn web(encoding: &'static Encoding, input: &[u8]) -> Decoded {
    let mut text = String::with_capacity(16);
    for len in 1..=input.len().min(4) {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        text.clear();
        let (result, _) =
            decoder.decode_to_string_without_replacement(&input[..len], &mut text, false);
        if let DecoderResult::Malformed(bad, _) = result {
            return Decoded::Invalid(usize::from(bad).max(1));
        }
        if let Some(c) = text.chars().next() {
            return Decoded::Char(c, len);
        }
    }
    if input.len() < 4 {
        Decoded::Incomplete
    } else {
        Decoded::Invalid(1)
    }
}

fn web_encode(encoding: &'static Encoding, c: char, out: &mut Vec<u8>) -> bool {
    let mut encoder = encoding.new_encoder();
    let mut buf = [0u8; 16];
    let mut tmp = [0u8; 4];
    let (result, _, written) =
        encoder.encode_from_utf8_without_replacement(c.encode_utf8(&mut tmp), &mut buf, true);
    match result {
        EncoderResult::InputEmpty => {
            out.extend_from_slice(&buf[..written]);
            true
        }
        _ => false,
    }
}

/// A character's closest spelling in plain characters, as glibc's `//TRANSLIT` has it: its
/// locale-independent table (symbols, quotes, ligatures) in every locale; in a UTF-8 locale also
/// letters without their accents (canonical decomposition, combining marks dropped) and a few
/// more. Empty when there is none.
pub fn transliterate(c: char, utf8_locale: bool) -> String {
    let always = match c {
        '€' => "EUR",
        'Æ' => "AE",
        'æ' => "ae",
        'Œ' => "OE",
        'œ' => "oe",
        'ß' => "ss",
        '©' => "(C)",
        '®' => "(R)",
        '™' => "(TM)",
        '«' => "<<",
        '»' => ">>",
        '•' => "o",
        '…' => "...",
        '–' | '‐' | '‑' | '−' => "-",
        '—' => "--",
        '‘' | '’' => "'",
        '‚' => ",",
        '“' | '”' => "\"",
        '„' => ",,",
        '\u{a0}' => " ",
        _ => "",
    };
    if !always.is_empty() || !utf8_locale {
        return always.to_owned();
    }
    let more = match c {
        'Ø' => "O",
        'ø' => "o",
        'Đ' | 'Ð' => "D",
        'đ' | 'ð' => "d",
        'Ł' => "L",
        'ł' => "l",
        'Þ' => "TH",
        'þ' => "th",
        '£' => "GBP",
        '¥' => "JPY",
        _ => "",
    };
    if !more.is_empty() {
        return more.to_owned();
    }
    let bare: String = std::iter::once(c)
        .nfd()
        .filter(|d| !unicode_normalization::char::is_combining_mark(*d))
        .collect();
    if bare.chars().any(|d| d != c) && bare.is_ascii() {
        bare
    } else {
        String::new()
    }
}

/// Whether the environment's character locale is a UTF-8 one (`LC_ALL`, else `LC_CTYPE`, else
/// `LANG`); unset is the C locale.
pub fn utf8_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}
