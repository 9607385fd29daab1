//! Raw bytes in the shell's text.
//!
//! The interpreter's words are `String`s, but a shell is byte-transparent: `printf '\xe9'`,
//! `$'\377'`, `$(cat latin1.txt)` and a file name that is not UTF-8 carry bytes that are not
//! UTF-8, and bash writes them out unchanged. Each such byte lives in a `String` as one
//! private-use character, U+10FF80 + (byte - 0x80): a character of its own (`${#x}` counts it
//! once, `?` matches it, as bash does with an invalid byte in a UTF-8 locale). Text from the world
//! is [`decode`]d at the edges (command substitution, `read`, scripts, file names) and
//! [`encode`]d on the way out (fds, here-documents, paths, a guest's argv and environment).
//!
//! The mapping is lossless both ways: a genuine U+10FF80..=U+10FFFF in the input (whose UTF-8 is
//! `F4 8F BE|BF xx`) is decoded as its four bytes, each escaped, so encoding gives the same bytes
//! back. The engine's runner applies the same rule to a WASI guest's argv and environment
//! (`wasiEncodeStrings` in `runner-js`).

use std::borrow::Cow;

/// The character that stands for byte 0x80: byte `b` (>= 0x80) is `ESCAPE_BASE + b - 0x80`.
const ESCAPE_BASE: u32 = 0x10_FF80;

/// The character that stands for byte `b` in shell text: itself when ASCII, else its escape.
pub fn byte_char(b: u8) -> char {
    if b.is_ascii() {
        char::from(b)
    } else {
        char::from_u32(ESCAPE_BASE + u32::from(b - 0x80)).unwrap_or(char::REPLACEMENT_CHARACTER)
    }
}

/// The raw byte a character stands for, when it is an escape.
pub fn escaped_byte(c: char) -> Option<u8> {
    let v = u32::from(c);
    (ESCAPE_BASE..=0x10_FFFF)
        .contains(&v)
        .then(|| u8::try_from(v - ESCAPE_BASE + 0x80).ok())
        .flatten()
}

/// Appends the character of a `\\u`/`\\U` escape as bash writes it: in a UTF-8 locale the
/// character (a surrogate as its three bytes, a value past Unicode as nothing); elsewhere only
/// ASCII, anything else as the escape itself, normalised (`\\u00E9`, `\\U0001F600`).
pub fn push_code_point(out: &mut String, v: u32, utf8: bool) {
    if !utf8 && v > 0x7F {
        out.push_str(&if v > 0xFFFF {
            format!("\\U{v:08X}")
        } else {
            format!("\\u{v:04X}")
        });
        return;
    }
    match char::from_u32(v) {
        Some(c) => out.push(c),
        None if (0xD800..0xE000).contains(&v) => {
            // Three bytes; each is at most 0xFF by the mask.
            let b = |x: u32| byte_char((x & 0xFF) as u8);
            out.extend([
                b(0xE0 | v >> 12),
                b(0x80 | (v >> 6) & 0x3F),
                b(0x80 | v & 0x3F),
            ]);
        }
        None => {}
    }
}

/// Bytes from the world as shell text: UTF-8 kept, every other byte escaped.
pub fn decode(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes)
        && !bytes.contains(&0xF4)
    {
        return text.to_owned();
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match escaped_byte(c) {
                Some(_) => {
                    let mut utf8 = [0; 4];
                    c.encode_utf8(&mut utf8)
                        .bytes()
                        .for_each(|b| out.push(byte_char(b)));
                }
                None => out.push(c),
            }
        }
        out.extend(chunk.invalid().iter().map(|&b| byte_char(b)));
    }
    out
}

/// [`decode`] of an owned buffer, without a copy when it is plain UTF-8.
pub fn decode_vec(bytes: Vec<u8>) -> String {
    if bytes.contains(&0xF4) {
        return decode(&bytes);
    }
    String::from_utf8(bytes).unwrap_or_else(|e| decode(e.as_bytes()))
}

/// Shell text as the bytes it stands for.
pub fn encode(text: &str) -> Cow<'_, [u8]> {
    if !text.as_bytes().contains(&0xF4) {
        return Cow::Borrowed(text.as_bytes());
    }
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match escaped_byte(c) {
            Some(b) => out.push(b),
            None => {
                let mut utf8 = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
    Cow::Owned(out)
}

/// [`encode`] of an owned string, without a copy when it holds no escape.
pub fn encode_string(text: String) -> Vec<u8> {
    match encode(&text) {
        Cow::Borrowed(_) => text.into_bytes(),
        Cow::Owned(bytes) => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips() {
        let all: Vec<u8> = (0..=255).collect();
        let text = decode(&all);
        assert_eq!(text.chars().count(), 256);
        assert_eq!(encode(&text).as_ref(), all.as_slice());
    }

    #[test]
    fn utf8_is_kept_as_characters() {
        assert_eq!(decode("café €".as_bytes()), "café €");
        assert!(matches!(encode("café €"), Cow::Borrowed(_)));
    }

    #[test]
    fn an_invalid_byte_is_one_character() {
        let text = decode(b"a\xe9b");
        assert_eq!(text.chars().count(), 3);
        assert_eq!(encode(&text).as_ref(), b"a\xe9b");
    }

    #[test]
    fn a_genuine_escape_character_in_the_input_survives() {
        let input = "x\u{10FFE9}y".as_bytes();
        let text = decode(input);
        assert_eq!(text.chars().count(), 6);
        assert_eq!(encode(&text).as_ref(), input);
        assert_eq!(decode_vec(input.to_vec()), text);
    }

    #[test]
    fn byte_char_of_ascii_is_the_character() {
        assert_eq!(byte_char(b'A'), 'A');
        assert_eq!(escaped_byte(byte_char(0xe9)), Some(0xe9));
        assert_eq!(escaped_byte('é'), None);
    }
}
