//! Node's string encodings for the crypto natives (`hash.update(s, 'hex')`, `digest('base64')`):
//! the rules are Node's `StringBytes` (hex stops at the first bad pair, base64 decoding skips
//! what is not in either alphabet and stops at `=`, latin1 keeps each code unit's low byte).

/// An encoding as the runner numbers it (`lib/internal__crypto_util.js`'s `encodingId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// No encoding: bytes (a `Buffer`).
    Buffer,
    /// UTF-8 (lossy both ways).
    Utf8,
    /// Lowercase hex.
    Hex,
    /// Standard base64, padded.
    Base64,
    /// URL-safe base64, unpadded.
    Base64Url,
    /// One byte per UTF-16 code unit (`binary` too).
    Latin1,
    /// Like latin1, but decoding to a string clears the high bit.
    Ascii,
    /// UTF-16 little-endian (`ucs2` too).
    Utf16Le,
}

impl Encoding {
    /// The encoding numbered `id`; unknown numbers are `Buffer`, as Node treats unknown names.
    pub fn from_id(id: i32) -> Self {
        match id {
            1 => Self::Utf8,
            2 => Self::Hex,
            3 => Self::Base64,
            4 => Self::Base64Url,
            5 => Self::Latin1,
            6 => Self::Ascii,
            7 => Self::Utf16Le,
            _ => Self::Buffer,
        }
    }
}

/// The bytes of string `text` in `encoding` (`Buffer` and `Utf8` both mean UTF-8).
pub fn decode_string(
    scope: &v8::PinScope<'_, '_>,
    text: v8::Local<'_, v8::String>,
    encoding: Encoding,
) -> Vec<u8> {
    match encoding {
        Encoding::Buffer | Encoding::Utf8 => text.to_rust_string_lossy(scope).into_bytes(),
        Encoding::Latin1 | Encoding::Ascii => {
            let mut out = vec![0; text.length()];
            text.write_one_byte_v2(scope, 0, &mut out, v8::WriteFlags::empty());
            out
        }
        Encoding::Utf16Le => units(scope, text)
            .iter()
            .flat_map(|u| u.to_le_bytes())
            .collect(),
        Encoding::Hex => decode_hex(&units(scope, text)),
        Encoding::Base64 | Encoding::Base64Url => decode_base64(&units(scope, text)),
    }
}

fn units(scope: &v8::PinScope<'_, '_>, text: v8::Local<'_, v8::String>) -> Vec<u16> {
    let mut out = vec![0; text.length()];
    text.write_v2(scope, 0, &mut out, v8::WriteFlags::empty());
    out
}

// Node reads each UTF-16 code unit of a hex or base64 string by its low byte (`uint8_t` casts in
// its decoders), so '\u{d834}' counts as '4'.
fn hex_value(unit: u16) -> Option<u8> {
    match unit as u8 {
        c @ b'0'..=b'9' => Some(c - b'0'),
        c @ b'a'..=b'f' => Some(c - b'a' + 10),
        c @ b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Node's hex decoding: pairs until the first invalid one; an odd last digit is dropped.
pub fn decode_hex(units: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(units.len() / 2);
    for pair in units.chunks_exact(2) {
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
            _ => break,
        }
    }
    out
}

fn base64_value(unit: u16) -> Option<u32> {
    match unit as u8 {
        c @ b'A'..=b'Z' => Some(u32::from(c - b'A')),
        c @ b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        c @ b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Node's lenient base64 decoding (either alphabet; other characters skipped; `=` ends it).
pub fn decode_base64(units: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(units.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &unit in units {
        if unit as u8 == b'=' {
            break;
        }
        let Some(value) = base64_value(unit) else {
            continue;
        };
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Lowercase hex of `bytes`.
pub fn encode_hex(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 15)]);
    }
    out
}

/// Base64 of `bytes` (`url`: the URL-safe alphabet without padding, as Node's `base64url`).
pub fn encode_base64(bytes: &[u8], url: bool) -> Vec<u8> {
    let table = if url { B64URL } else { B64 };
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(table[((n >> (18 - 6 * i)) & 63) as usize]);
            } else if !url {
                out.push(b'=');
            }
        }
    }
    out
}

/// `bytes` as a JS string in `encoding`; `None` when the string would exceed V8's maximum
/// length (the caller throws) or the encoding is `Buffer`.
pub fn encode_string<'s>(
    scope: &v8::PinScope<'s, '_>,
    bytes: &[u8],
    encoding: Encoding,
) -> Option<v8::Local<'s, v8::String>> {
    let one_byte = |data: &[u8]| v8::String::new_from_one_byte(scope, data, Default::default());
    match encoding {
        Encoding::Buffer => None,
        Encoding::Utf8 => v8::String::new_from_utf8(scope, bytes, Default::default()),
        Encoding::Hex => one_byte(&encode_hex(bytes)),
        Encoding::Base64 => one_byte(&encode_base64(bytes, false)),
        Encoding::Base64Url => one_byte(&encode_base64(bytes, true)),
        Encoding::Latin1 => one_byte(bytes),
        Encoding::Ascii => one_byte(&bytes.iter().map(|b| b & 0x7f).collect::<Vec<_>>()),
        Encoding::Utf16Le => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            v8::String::new_from_two_byte(scope, &units, Default::default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn hex_stops_at_the_first_bad_pair_and_drops_an_odd_digit() {
        assert_eq!(decode_hex(&u("0aFf")), [0x0a, 0xff]);
        assert_eq!(decode_hex(&u("0a0g11")), [0x0a]);
        assert_eq!(decode_hex(&u("abc")), [0xab]);
        assert_eq!(encode_hex(&[0, 0x7f, 0xff]), b"007fff");
    }

    #[test]
    fn base64_reads_both_alphabets_skips_junk_and_stops_at_padding() {
        assert_eq!(decode_base64(&u("aGVsbG8=")), b"hello");
        assert_eq!(decode_base64(&u("aGVs bG8")), b"hello");
        assert_eq!(decode_base64(&u("-_-_")), decode_base64(&u("+/+/")));
        assert_eq!(decode_base64(&u("aGk=aGk=")), b"hi");
        assert_eq!(encode_base64(b"hello", false), b"aGVsbG8=");
        assert_eq!(encode_base64(&[0xfb, 0xff], true), b"-_8");
        assert_eq!(encode_base64(b"", false), b"");
    }
}
