//! `decode` of the original: a quoted string literal's value (the original `eval`s it, sloppy
//! mode: legacy octal escapes included), `None` when it is not a valid literal or holds an
//! unpaired surrogate; an identifier as it is.

/// The value of `text`: a quoted literal decoded, anything else unchanged.
pub(super) fn decode(text: &[u16]) -> Option<Vec<u16>> {
    let quote = *text.first()?;
    if quote != u16::from(b'"') && quote != u16::from(b'\'') {
        return Some(text.to_vec());
    }
    if text.len() < 2 || text[text.len() - 1] != quote {
        return None;
    }
    let value = unescape(&text[1..text.len() - 1], quote)?;
    paired(&value).then_some(value)
}

/// True when every surrogate of `units` is part of a pair.
fn paired(units: &[u16]) -> bool {
    let mut i = 0;
    while i < units.len() {
        match units[i] & 0xFC00 {
            0xD800 => {
                if units.get(i + 1).is_none_or(|&n| n & 0xFC00 != 0xDC00) {
                    return false;
                }
                i += 2;
            }
            0xDC00 => return false,
            _ => i += 1,
        }
    }
    true
}

fn hex(unit: u16) -> Option<u32> {
    char::from_u32(u32::from(unit)).and_then(|c| c.to_digit(16))
}

fn is_octal(unit: Option<&u16>) -> bool {
    unit.is_some_and(|&u| (u16::from(b'0')..=u16::from(b'7')).contains(&u))
}

/// The body of a string literal quoted with `quote`, unescaped; `None` when `eval` would throw.
fn unescape(body: &[u16], quote: u16) -> Option<Vec<u16>> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let unit = body[i];
        i += 1;
        if unit == quote || unit == 10 || unit == 13 {
            return None;
        }
        if unit != u16::from(b'\\') {
            out.push(unit);
            continue;
        }
        let escaped = *body.get(i)?;
        i += 1;
        match u8::try_from(escaped).unwrap_or(0) {
            b'n' => out.push(10),
            b'r' => out.push(13),
            b't' => out.push(9),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'\n' => {}
            b'\r' => {
                if body.get(i) == Some(&10) {
                    i += 1;
                }
            }
            b'x' => {
                let value = hex(*body.get(i)?)? * 16 + hex(*body.get(i + 1)?)?;
                out.push(value as u16);
                i += 2;
            }
            b'u' => {
                let (code, used) = unicode_escape(&body[i..])?;
                i += used;
                match u16::try_from(code) {
                    Ok(unit) => out.push(unit),
                    Err(_) => {
                        let mut buf = [0u16; 2];
                        out.extend_from_slice(char::from_u32(code)?.encode_utf16(&mut buf));
                    }
                }
            }
            b'0'..=b'7' => {
                let first = u32::from(escaped - u16::from(b'0'));
                let max = if first < 4 { 2 } else { 1 };
                let mut value = first;
                let mut taken = 0;
                while taken < max && is_octal(body.get(i)) {
                    value = value * 8 + u32::from(body[i] - u16::from(b'0'));
                    i += 1;
                    taken += 1;
                }
                out.push(value as u16);
            }
            _ if escaped == 0x2028 || escaped == 0x2029 => {}
            _ => out.push(escaped),
        }
    }
    Some(out)
}

/// `XXXX` or `{X...}` after `\u`: the code point and the units read.
fn unicode_escape(rest: &[u16]) -> Option<(u32, usize)> {
    if rest.first() == Some(&u16::from(b'{')) {
        let close = rest.iter().position(|&u| u == u16::from(b'}'))?;
        if close < 2 {
            return None;
        }
        let mut code: u32 = 0;
        for &unit in &rest[1..close] {
            code = code.checked_mul(16)?.checked_add(hex(unit)?)?;
            if code > 0x10FFFF {
                return None;
            }
        }
        return Some((code, close + 1));
    }
    let mut code = 0;
    for k in 0..4 {
        code = code * 16 + hex(*rest.get(k)?)?;
    }
    Some((code, 4))
}
