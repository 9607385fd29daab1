//! Byte codecs behind `Buffer`'s encodings, as Node 20 decodes them: pure functions over
//! byte and code-unit slices, streamed in chunks by `buffer.rs` (so no string is copied whole).
//!
//! Node's decoders see each UTF-16 code unit truncated to its low byte (`static_cast<uint8_t>`
//! in `src/base64-inl.h` / `string_bytes.cc`), so `'a\u0162'` decodes as hex `ab`; the callers
//! pass units already truncated.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// Value of a base64 digit in either alphabet (`+/` and `-_`), or `INVALID`.
const INVALID: u8 = 0xff;
const BASE64_VALUES: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table[b'-' as usize] = 62;
    table[b'_' as usize] = 63;
    table
};

/// Node's forgiving base64 decoder, fed in chunks: digits of either alphabet are decoded,
/// anything else is skipped, and the first `=` ends the input.
#[derive(Debug, Default)]
pub struct Base64Decoder {
    quad: u32,
    digits: u8,
    ended: bool,
}

impl Base64Decoder {
    /// Decodes `units` into `out` from `*written` on; returns false once `out` is full or `=`
    /// was seen (nothing more will be written).
    pub fn feed(
        &mut self,
        units: impl IntoIterator<Item = u8>,
        out: &mut [u8],
        written: &mut usize,
    ) -> bool {
        if self.ended {
            return false;
        }
        for unit in units {
            let value = BASE64_VALUES[usize::from(unit)];
            if value == INVALID {
                if unit == b'=' {
                    self.ended = true;
                    return false;
                }
                continue;
            }
            self.quad = (self.quad << 6) | u32::from(value);
            self.digits += 1;
            // Like Node, every digit after the first of a group completes one more byte.
            let byte = match self.digits {
                2 => (self.quad >> 4) as u8,
                3 => (self.quad >> 2) as u8,
                4 => {
                    self.digits = 0;
                    self.quad as u8
                }
                _ => continue,
            };
            if self.digits == 0 {
                self.quad = 0;
            }
            let Some(slot) = out.get_mut(*written) else {
                self.ended = true;
                return false;
            };
            *slot = byte;
            *written += 1;
            if *written == out.len() {
                self.ended = true;
                return false;
            }
        }
        true
    }
}

/// The value of hex digit `unit`.
fn hex_value(unit: u8) -> Option<u8> {
    match unit {
        b'0'..=b'9' => Some(unit - b'0'),
        b'a'..=b'f' => Some(unit - b'a' + 10),
        b'A'..=b'F' => Some(unit - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex pairs of `units` into `out`; returns the bytes written and whether decoding
/// stopped (an invalid pair, or `out` full). An odd last digit is ignored, as Node does.
pub fn hex_decode(units: &[u8], out: &mut [u8]) -> (usize, bool) {
    let mut written = 0;
    for (pair, slot) in units.chunks_exact(2).zip(out.iter_mut()) {
        let (Some(hi), Some(lo)) = (hex_value(pair[0]), hex_value(pair[1])) else {
            return (written, true);
        };
        *slot = (hi << 4) | lo;
        written += 1;
    }
    (written, written == out.len())
}

/// Lower-case hex of `bytes`, appended to `out`.
pub fn hex_encode(bytes: &[u8], out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
}

/// Length of the base64 text of `len` bytes (padded, or not for base64url).
pub fn base64_encoded_len(len: usize, url: bool) -> Option<usize> {
    if url {
        len.checked_mul(4).map(|n| n.div_ceil(3))
    } else {
        len.div_ceil(3).checked_mul(4)
    }
}

/// Base64 (padded) or base64url (unpadded) of `bytes`, appended to `out`.
pub fn base64_encode(bytes: &[u8], url: bool, out: &mut Vec<u8>) {
    let mut text = String::new();
    if url {
        URL_SAFE_NO_PAD.encode_string(bytes, &mut text);
    } else {
        STANDARD.encode_string(bytes, &mut text);
    }
    out.extend_from_slice(text.as_bytes());
}

/// Where a UTF-8 byte slice may be cut near `at` without changing how it decodes: before a
/// lead byte whose sequence would straddle `at`, else at `at` (a maximal ill-formed subpart
/// never spans a cut made this way).
pub fn utf8_cut(bytes: &[u8], at: usize) -> usize {
    if at >= bytes.len() {
        return bytes.len();
    }
    for back in 1..=3 {
        let Some(start) = at.checked_sub(back) else {
            break;
        };
        let b = bytes[start];
        if b & 0xc0 == 0x80 {
            continue;
        }
        let len = match b {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 1,
        };
        return if len > back { start } else { at };
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str, cap: usize) -> Vec<u8> {
        let mut out = vec![0; cap];
        let mut written = 0;
        Base64Decoder::default().feed(text.bytes(), &mut out, &mut written);
        out.truncate(written);
        out
    }

    #[test]
    fn base64_decodes_both_alphabets_skipping_junk_and_stopping_at_padding() {
        assert_eq!(b64("QUJD", 9), b"ABC");
        assert_eq!(b64("QU JD\nRA", 9), b"ABCD");
        assert_eq!(b64("-_-_", 9), vec![0xfb, 0xff, 0xbf]);
        assert_eq!(b64("+/+/", 9), vec![0xfb, 0xff, 0xbf]);
        assert_eq!(b64("QQ==QUJD", 9), b"A");
        assert_eq!(b64("QUJD", 2), b"AB");
        assert_eq!(b64("Q", 9), b"");
    }

    #[test]
    fn base64_decoding_resumes_across_chunks() {
        let mut out = vec![0; 9];
        let mut written = 0;
        let mut decoder = Base64Decoder::default();
        assert!(decoder.feed(*b"QU", &mut out, &mut written));
        assert!(decoder.feed(*b"JDR", &mut out, &mut written));
        assert!(decoder.feed(*b"A", &mut out, &mut written));
        assert_eq!(&out[..written], b"ABCD");
    }

    #[test]
    fn hex_stops_at_the_first_invalid_pair() {
        let mut out = [0; 4];
        assert_eq!(hex_decode(b"abZz12", &mut out), (1, true));
        assert_eq!(hex_decode(b"abc", &mut out), (1, false));
        assert_eq!(out[0], 0xab);
    }

    #[test]
    fn encoders_match_their_lengths() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37) as u8).collect();
            for url in [false, true] {
                let mut out = Vec::new();
                base64_encode(&bytes, url, &mut out);
                assert_eq!(Some(out.len()), base64_encoded_len(len, url));
            }
        }
    }

    #[test]
    fn utf8_cuts_never_split_a_sequence() {
        let text = "a\u{20ac}b\u{1f600}".as_bytes();
        assert_eq!(utf8_cut(text, 2), 1);
        assert_eq!(utf8_cut(text, 4), 4);
        assert_eq!(utf8_cut(text, 6), 5);
        assert_eq!(utf8_cut(&[0x80, 0x80, 0x80, 0x80, 0x80], 4), 4);
    }
}
