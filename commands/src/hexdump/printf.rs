//! C's printf for one conversion, as hexdump's formats use it: flags `-+ #0`, width,
//! precision, and `d i o u x X c s e E f g G`.

use super::format::Spec;

/// A value to print.
pub enum Value<'a> {
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Char(u8),
    Text(&'a [u8]),
}

/// `spec` applied to `value` (printed as `conv`, which may differ from the spec's own).
pub fn render(spec: &Spec, conv: char, value: Value<'_>) -> Vec<u8> {
    let flag = |c: char| spec.flags.contains(c);
    let (sign, body): (&str, Vec<u8>) = match value {
        Value::Signed(n) => {
            let sign = if n < 0 {
                "-"
            } else if flag('+') {
                "+"
            } else if flag(' ') {
                " "
            } else {
                ""
            };
            (sign, digits(spec, conv, n.unsigned_abs()))
        }
        Value::Unsigned(n) => ("", digits(spec, conv, n)),
        Value::Float(x) => float(spec, conv, x),
        Value::Char(b) => ("", vec![b]),
        Value::Text(bytes) => {
            let cut = spec.precision.map_or(bytes.len(), |p| p.min(bytes.len()));
            ("", bytes[..cut].to_vec())
        }
    };
    pad(spec, conv, sign, body)
}

/// The digits of `n` in `conv`'s radix, with the precision's leading zeros and `#`'s prefix.
fn digits(spec: &Spec, conv: char, n: u64) -> Vec<u8> {
    let mut text = match conv {
        'o' => format!("{n:o}"),
        'x' => format!("{n:x}"),
        'X' => format!("{n:X}"),
        _ => n.to_string(),
    };
    if spec.precision == Some(0) && n == 0 {
        text.clear();
    }
    if let Some(p) = spec.precision
        && text.len() < p
    {
        text = format!("{}{text}", "0".repeat(p - text.len()));
    }
    if spec.flags.contains('#') {
        match conv {
            'o' if !text.starts_with('0') => text.insert(0, '0'),
            'x' if n != 0 => text.insert_str(0, "0x"),
            'X' if n != 0 => text.insert_str(0, "0X"),
            _ => {}
        }
    }
    text.into_bytes()
}

fn float(spec: &Spec, conv: char, x: f64) -> (&'static str, Vec<u8>) {
    let sign = if x.is_sign_negative() {
        "-"
    } else if spec.flags.contains('+') {
        "+"
    } else if spec.flags.contains(' ') {
        " "
    } else {
        ""
    };
    let x = x.abs();
    let precision = spec.precision.unwrap_or(6);
    let text = if !x.is_finite() {
        if x.is_nan() { "nan" } else { "inf" }.to_string()
    } else {
        match conv {
            'e' | 'E' => exponent(x, precision),
            'g' | 'G' => general(x, precision, spec.flags.contains('#')),
            _ => format!("{x:.precision$}"),
        }
    };
    let text = if conv.is_ascii_uppercase() {
        text.to_uppercase()
    } else {
        text
    };
    (sign, text.into_bytes())
}

/// `%e`: one digit, the fraction, `e`, a sign and at least two exponent digits.
fn exponent(x: f64, precision: usize) -> String {
    let text = format!("{x:.precision$e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
}

/// `%g`: `%e` or `%f` by the exponent, trailing zeros dropped unless `#`.
fn general(x: f64, precision: usize, keep_zeros: bool) -> String {
    let p = precision.max(1);
    let exp = if x == 0.0 {
        0
    } else {
        let e = format!("{x:.prec$e}", prec = p - 1);
        e.split_once('e')
            .and_then(|(_, e)| e.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let p_i = i32::try_from(p).unwrap_or(i32::MAX);
    let mut text = if exp < -4 || exp >= p_i {
        exponent(x, p - 1)
    } else {
        let decimals = usize::try_from(p_i - 1 - exp).unwrap_or(0);
        format!("{x:.decimals$}")
    };
    if !keep_zeros && text.contains('.') {
        let (number, exp_part) = match text.find('e') {
            Some(at) => (text[..at].to_string(), text[at..].to_string()),
            None => (text.clone(), String::new()),
        };
        let number = number.trim_end_matches('0').trim_end_matches('.');
        text = format!("{number}{exp_part}");
    }
    text
}

/// The sign and body padded to the width: left with `-`, with zeros after the sign with `0`
/// (numbers without a precision), else with spaces.
fn pad(spec: &Spec, conv: char, sign: &str, body: Vec<u8>) -> Vec<u8> {
    let len = sign.len() + body.len();
    let width = spec.width.unwrap_or(0);
    let mut out = Vec::with_capacity(width.max(len));
    if len >= width {
        out.extend_from_slice(sign.as_bytes());
        out.extend(body);
        return out;
    }
    let fill = width - len;
    let numeric = !matches!(conv, 'c' | 's');
    let zeros = spec.flags.contains('0')
        && !spec.flags.contains('-')
        && numeric
        && (spec.precision.is_none() || "eEfgG".contains(conv));
    if spec.flags.contains('-') {
        out.extend_from_slice(sign.as_bytes());
        out.extend(body);
        out.resize(width, b' ');
    } else if zeros {
        out.extend_from_slice(sign.as_bytes());
        out.resize(sign.len() + fill, b'0');
        out.extend(body);
    } else {
        out.resize(fill, b' ');
        out.extend_from_slice(sign.as_bytes());
        out.extend(body);
    }
    out
}

/// What a conversion prints where the data has ended: spaces as wide as its field (util-linux
/// turns it into `%s` of nothing, keeping width and precision).
pub fn blank(spec: &Spec) -> Vec<u8> {
    vec![b' '; spec.width.unwrap_or(0)]
}
