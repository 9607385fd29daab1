//! `printf [-v VAR] FORMAT [ARGS]`: C-style conversions (`%s %b %c %d %i %u %o %x %X %f %e
//! %g %q %%`) with flags, width and precision (`*` too), and bash's `%(FORMAT)T`
//! (`strftime.rs`); the format is reused while arguments remain.

use super::strftime::Clock;
use crate::shell::{Res, Shell};

/// One parsed conversion spec.
#[derive(Default)]
struct Spec {
    flags: String,
    width: Option<usize>,
    prec: Option<usize>,
    /// `%(FORMAT)T`'s FORMAT.
    time: Option<String>,
}

#[derive(Default)]
struct Out {
    text: String,
    stop: bool,
    errors: Vec<String>,
    clock: Clock,
    /// `\\u` escapes become characters (a UTF-8 locale).
    utf8: bool,
}

/// `printf`.
pub(crate) fn printf(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut args = &argv[1..];
    let mut var = None;
    if args.first().is_some_and(|a| a == "-v") {
        var = args.get(1).cloned();
        args = args.get(2..).unwrap_or_default();
    }
    if args.first().is_some_and(|a| a == "--") {
        args = &args[1..];
    }
    let Some((fmt, rest)) = args.split_first() else {
        return sh.builtin_error("printf", "usage: printf [-v var] format [arguments]", 2);
    };
    let mut out = Out {
        clock: Clock::new(exported_tz(sh), sh.dynamic.seconds()),
        utf8: sh.utf8_locale(),
        ..Out::default()
    };
    let mut idx = 0;
    loop {
        let before = idx;
        format_once(fmt, rest, &mut idx, &mut out);
        sh.ctx.budget.check(out.text.len())?;
        if out.stop || idx >= rest.len() || idx == before {
            break;
        }
    }
    let status = i32::from(!out.errors.is_empty());
    for e in &out.errors {
        sh.error(&format!("printf: {e}"))?;
    }
    match var {
        Some(v) => {
            sh.set_var(&v, out.text)?;
            Ok(status)
        }
        None => Ok(sh.print("printf", &out.text)?.max(status)),
    }
}

fn format_once(fmt: &str, args: &[String], idx: &mut usize, out: &mut Out) {
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let next_arg = |idx: &mut usize| {
        let a = args.get(*idx).cloned();
        *idx += 1;
        a
    };
    while i < chars.len() && !out.stop {
        let c = chars[i];
        if c == '\\' {
            i = escape(&chars, i + 1, out);
            continue;
        }
        if c != '%' {
            out.text.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'%') {
            out.text.push('%');
            i += 2;
            continue;
        }
        let (spec, conv, end) = parse_spec(&chars, i + 1, &mut || next_arg(idx));
        i = end;
        let Some(conv) = conv else {
            out.text.push('%');
            continue;
        };
        let arg = next_arg(idx);
        convert(&spec, conv, arg, out);
    }
}

/// Parses flags, width, precision and the conversion letter after `%`.
fn parse_spec(
    chars: &[char],
    mut i: usize,
    arg: &mut dyn FnMut() -> Option<String>,
) -> (Spec, Option<char>, usize) {
    let mut spec = Spec::default();
    while let Some(&c) = chars.get(i).filter(|c| "-+ #0".contains(**c)) {
        spec.flags.push(c);
        i += 1;
    }
    let mut number = |i: &mut usize| -> Option<usize> {
        if chars.get(*i) == Some(&'*') {
            *i += 1;
            return arg()
                .and_then(|a| a.trim().parse::<i64>().ok())
                .map(|n| n.max(0) as usize);
        }
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        chars[start..*i].iter().collect::<String>().parse().ok()
    };
    spec.width = number(&mut i).map(|w| w.min(1 << 20));
    if chars.get(i) == Some(&'.') {
        i += 1;
        spec.prec = Some(number(&mut i).unwrap_or(0).min(1 << 20));
    }
    match chars.get(i) {
        Some(&c) if "sbcdiuoxXfFeEgGq".contains(c) => (spec, Some(c), i + 1),
        Some('(') => {
            let close = (i..chars.len()).find(|&j| chars[j] == ')');
            match close.filter(|&j| chars.get(j + 1) == Some(&'T')) {
                Some(j) => {
                    spec.time = Some(chars[i + 1..j].iter().collect());
                    (spec, Some('T'), j + 2)
                }
                None => (spec, None, i),
            }
        }
        _ => (spec, None, i),
    }
}

fn convert(spec: &Spec, conv: char, arg: Option<String>, out: &mut Out) {
    let a = arg.unwrap_or_default();
    let body = match conv {
        's' => match spec.prec {
            Some(p) => a.chars().take(p).collect(),
            None => a,
        },
        'b' => {
            let (s, stop) = super::core::echo_escapes(&a, out.utf8);
            out.stop |= stop;
            s
        }
        'c' => a.chars().next().map(String::from).unwrap_or_default(),
        'q' => quote_reusable(&a),
        'T' => time(spec, &a, out),
        'd' | 'i' => signed(spec, number(&a, out)),
        'u' | 'o' | 'x' | 'X' => unsigned(spec, conv, number(&a, out) as u64),
        _ => float(spec, conv, float_arg(&a, out)),
    };
    out.text.push_str(&pad(
        spec,
        body,
        matches!(
            conv,
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G'
        ),
    ));
}

/// `TZ`, when exported: bash's strftime sees the environment's (a plain `TZ=x` changes
/// nothing until it is exported).
fn exported_tz(sh: &Shell) -> Option<&str> {
    let tz = sh.vars.get_var("TZ").filter(|v| v.exported)?;
    tz.value.as_deref()
}

/// `%(FORMAT)T` of `a` (seconds; empty is now).
fn time(spec: &Spec, a: &str, out: &mut Out) -> String {
    let secs = if a.trim().is_empty() {
        -1
    } else {
        number(a, out)
    };
    let fmt = spec.time.as_deref().unwrap_or_default();
    match out.clock.format(fmt, secs) {
        Some(text) => text,
        None => {
            out.errors.push(format!("{a}: time out of range"));
            String::new()
        }
    }
}

fn number(a: &str, out: &mut Out) -> i64 {
    let t = a.trim();
    if t.is_empty() {
        return 0;
    }
    if let Some(c) = t.strip_prefix(['\'', '"']) {
        return c.chars().next().map_or(0, |c| c as i64);
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let parsed = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(h, 16)
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8)
    } else {
        digits.parse()
    };
    match parsed {
        Ok(n) if neg => n.wrapping_neg(),
        Ok(n) => n,
        Err(_) => {
            out.errors.push(format!("{a}: invalid number"));
            let lead: String = t
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-')
                .collect();
            lead.parse().unwrap_or(0)
        }
    }
}

fn float_arg(a: &str, out: &mut Out) -> f64 {
    let t = a.trim();
    if t.is_empty() {
        return 0.0;
    }
    t.parse().unwrap_or_else(|_| {
        out.errors.push(format!("{a}: invalid number"));
        0.0
    })
}

fn signed(spec: &Spec, n: i64) -> String {
    let mut digits = n.unsigned_abs().to_string();
    if let Some(p) = spec.prec {
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let sign = if n < 0 {
        "-"
    } else if spec.flags.contains('+') {
        "+"
    } else if spec.flags.contains(' ') {
        " "
    } else {
        ""
    };
    format!("{sign}{digits}")
}

fn unsigned(spec: &Spec, conv: char, n: u64) -> String {
    let alt = spec.flags.contains('#') && n != 0;
    let mut s = match conv {
        'o' => format!("{}{n:o}", if alt { "0" } else { "" }),
        'x' => format!("{}{n:x}", if alt { "0x" } else { "" }),
        'X' => format!("{}{n:X}", if alt { "0X" } else { "" }),
        _ => n.to_string(),
    };
    if let Some(p) = spec.prec {
        while s.len() < p {
            s.insert(0, '0');
        }
    }
    s
}

fn float(spec: &Spec, conv: char, v: f64) -> String {
    let p = spec.prec.unwrap_or(6);
    let s = match conv {
        'e' | 'E' => exp(v, p),
        'g' | 'G' => general(v, p, spec.flags.contains('#')),
        _ => format!("{v:.p$}"),
    };
    let s = if conv.is_ascii_uppercase() {
        s.to_uppercase()
    } else {
        s
    };
    if v >= 0.0 && spec.flags.contains('+') {
        format!("+{s}")
    } else {
        s
    }
}

/// C's `%e`: mantissa, `e`, sign, at least two exponent digits.
fn exp(v: f64, p: usize) -> String {
    let s = format!("{v:.p$e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let n: i32 = e.parse().unwrap_or(0);
            format!("{m}e{}{:02}", if n < 0 { '-' } else { '+' }, n.abs())
        }
        None => s,
    }
}

/// C's `%g`.
fn general(v: f64, p: usize, keep_zeros: bool) -> String {
    let p = p.max(1);
    if v == 0.0 {
        return "0".into();
    }
    let x = v.abs().log10().floor() as i64;
    let s = if x < -4 || x >= p as i64 {
        exp(v, p - 1)
    } else {
        let decimals = (p as i64 - 1 - x).max(0) as usize;
        format!("{v:.decimals$}")
    };
    if keep_zeros {
        return s;
    }
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", strip_zeros(m)),
        None => strip_zeros(&s),
    }
}

fn strip_zeros(s: &str) -> String {
    if !s.contains('.') {
        return s.to_string();
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn pad(spec: &Spec, body: String, numeric: bool) -> String {
    let Some(w) = spec.width else {
        return body;
    };
    let len = body.chars().count();
    if len >= w {
        return body;
    }
    let fill = w - len;
    if spec.flags.contains('-') {
        return format!("{body}{}", " ".repeat(fill));
    }
    if spec.flags.contains('0') && numeric && spec.prec.is_none() {
        let (sign, digits) = match body.strip_prefix(['-', '+', ' ']) {
            Some(d) => (&body[..1], d),
            None => ("", body.as_str()),
        };
        return format!("{sign}{}{digits}", "0".repeat(fill));
    }
    format!("{}{body}", " ".repeat(fill))
}

/// `%q`, as bash's: `$'...'` when the word holds a control character or a raw byte, else a
/// backslash before each character the shell would read specially.
fn quote_reusable(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    if s.chars()
        .any(|c| c.is_control() || crate::bytes::escaped_byte(c).is_some())
    {
        return quote_ansi_c(s);
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev = None;
    for (i, c) in s.chars().enumerate() {
        let special = match c {
            ' ' | '\'' | '"' | '\\' | '|' | '&' | ';' | '(' | ')' | '<' | '>' | '!' | '{' | '}'
            | '*' | '[' | '?' | ']' | '^' | '$' | '`' | ',' => true,
            '~' => i == 0 || matches!(prev, Some('=' | ':')),
            '#' => i == 0,
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// `$'...'` with C escapes: the named ones, octal for other controls and raw bytes.
fn quote_ansi_c(s: &str) -> String {
    let mut out = String::from("$'");
    for c in s.chars() {
        let named = match c {
            '\x07' => "\\a",
            '\x08' => "\\b",
            '\x1b' => "\\E",
            '\x0c' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\x0b' => "\\v",
            '\\' => "\\\\",
            '\'' => "\\'",
            _ => "",
        };
        if !named.is_empty() {
            out.push_str(named);
        } else if let Some(b) = crate::bytes::escaped_byte(c) {
            out.push_str(&format!("\\{b:03o}"));
        } else if c.is_control() {
            let mut utf8 = [0; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("\\{b:03o}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A backslash escape of the format at `chars[i..]`; returns the index after it.
fn escape(chars: &[char], i: usize, to: &mut Out) -> usize {
    let (out, stop, utf8) = (&mut to.text, &mut to.stop, to.utf8);
    let Some(&c) = chars.get(i) else {
        out.push('\\');
        return i;
    };
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        'e' | 'E' => Some('\x1b'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '\'' => Some('\''),
        _ => None,
    };
    if let Some(s) = simple {
        out.push(s);
        return i + 1;
    }
    match c {
        'c' => {
            *stop = true;
            i + 1
        }
        '0'..='7' => {
            let mut v = 0u32;
            let mut j = i;
            while j < chars.len() && j < i + 3 && chars[j].is_digit(8) {
                v = v * 8 + chars[j].to_digit(8).unwrap_or(0);
                j += 1;
            }
            out.push(crate::bytes::byte_char((v & 0xff) as u8));
            j
        }
        'x' | 'u' | 'U' => {
            let max = match c {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let mut v = 0u32;
            let mut j = i + 1;
            while j < chars.len() && j <= i + max && chars[j].is_ascii_hexdigit() {
                v = v * 16 + chars[j].to_digit(16).unwrap_or(0);
                j += 1;
            }
            if j == i + 1 {
                out.push('\\');
                out.push(c);
            } else if c == 'x' {
                out.push(crate::bytes::byte_char((v & 0xff) as u8));
            } else {
                crate::bytes::push_code_point(out, v, utf8);
            }
            j
        }
        other => {
            out.push('\\');
            out.push(other);
            i + 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(f: &str, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut out = Out::default();
        let mut idx = 0;
        loop {
            let before = idx;
            format_once(f, &args, &mut idx, &mut out);
            if out.stop || idx >= args.len() || idx == before {
                break;
            }
        }
        out.text
    }

    #[test]
    fn conversions() {
        assert_eq!(fmt("%s-%d\\n", &["a", "5"]), "a-5\n");
        assert_eq!(fmt("%5s|%-5s|", &["ab", "cd"]), "   ab|cd   |");
        assert_eq!(fmt("%05d %x %o", &["42", "255", "8"]), "00042 ff 10");
        assert_eq!(fmt("%.2f %e", &["3.14159", "1500"]), "3.14 1.500000e+03");
        assert_eq!(fmt("%g %g", &["0.0001", "1234567"]), "0.0001 1.23457e+06");
    }

    #[test]
    fn format_repeats_for_extra_args() {
        assert_eq!(fmt("%s\\n", &["a", "b", "c"]), "a\nb\nc\n");
        assert_eq!(fmt("%s %s\\n", &["a", "b", "c"]), "a b\nc \n");
    }
}
