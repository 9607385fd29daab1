//! `read [-r] [-p PROMPT] [-d DELIM] [-n N] [-u FD] [NAME...]`: reads one byte at a time
//! (never past the delimiter, so the rest stays for the next reader of a pipe), splits by
//! `$IFS` and assigns.

use crate::shell::{Res, Shell};
use crate::stream::IoError;

struct Opts {
    raw: bool,
    delim: u8,
    count: Option<usize>,
    fd: usize,
    prompt: Option<String>,
    /// `-a NAME`: the fields go to array NAME.
    array: Option<String>,
}

/// Longest line `read` accepts.
const MAX_LINE: usize = 16 << 20;

/// `read`.
pub(crate) fn read(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (opts, names) = match parse(argv) {
        Ok(x) => x,
        Err(msg) => {
            let status = sh.builtin_error("read", &msg, 2)?;
            if msg.contains("option") {
                let _ = sh.write_fd(2, READ_USAGE)?;
            }
            return Ok(status);
        }
    };
    if let Some(p) = &opts.prompt {
        let _ = sh.write_fd(2, p)?;
    }
    let Some(io) = sh.fd(opts.fd) else {
        return sh.builtin_error(
            "read",
            &format!("{}: invalid file descriptor: Bad file descriptor", opts.fd),
            1,
        );
    };
    let mut bytes = Vec::new();
    let mut escaped = Vec::new();
    let mut eof = true;
    let mut pending_backslash = false;
    let mut buf = [0u8; 1];
    loop {
        sh.check_stop()?;
        if opts.count.is_some_and(|n| escaped.len() >= n) {
            eof = false;
            break;
        }
        match io.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(IoError::Stopped) => {
                sh.check_stop()?;
                break;
            }
            Err(e) => return sh.builtin_error("read", &format!("read error: {e}"), 1),
        }
        let b = buf[0];
        if pending_backslash {
            pending_backslash = false;
            if b != b'\n' {
                bytes.push(b);
                escaped.push(true);
            }
            continue;
        }
        if b == b'\\' && !opts.raw {
            pending_backslash = true;
            continue;
        }
        if b == opts.delim {
            eof = false;
            break;
        }
        bytes.push(b);
        escaped.push(false);
        if bytes.len() > MAX_LINE {
            return sh.builtin_error("read", "line too long", 1);
        }
    }
    sh.ctx.budget.check(bytes.len())?;
    let line = flagged_chars(&bytes, &escaped);
    match &opts.array {
        Some(array) => {
            let fields = fields(sh, &line).into_iter().enumerate().collect();
            sh.set_array(array, fields)?;
        }
        None => {
            if !assign(sh, &names, &line)? {
                return Ok(1);
            }
        }
    }
    Ok(i32::from(eof))
}

/// The line's characters, each with the escaped flag of its first byte.
fn flagged_chars(bytes: &[u8], escaped: &[bool]) -> Vec<(char, bool)> {
    let mut at = 0;
    crate::bytes::decode(bytes)
        .chars()
        .map(|c| {
            let flag = escaped.get(at).copied().unwrap_or(false);
            at += crate::bytes::escaped_byte(c).map_or(c.len_utf8(), |_| 1);
            (c, flag)
        })
        .collect()
}

const READ_USAGE: &str = "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] \
                          [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n";

fn parse(argv: &[String]) -> Result<(Opts, Vec<String>), String> {
    let mut o = Opts {
        raw: false,
        delim: b'\n',
        count: None,
        fd: 0,
        prompt: None,
        array: None,
    };
    // Options cluster as getopt's do (`-ra NAME`, `-d,`, `-n3`): a letter that takes a value
    // takes the rest of its argument, or the next one.
    let mut i = 1;
    while let Some(a) = argv.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        if a == "--" {
            i += 1;
            break;
        }
        let letters: Vec<char> = a.chars().skip(1).collect();
        for (k, &c) in letters.iter().enumerate() {
            if matches!(c, 'r' | 's' | 'e' | 'E') {
                o.raw |= c == 'r';
                continue;
            }
            if !"pdnNtuai".contains(c) {
                return Err(format!("-{c}: invalid option"));
            }
            let rest: String = letters[k + 1..].iter().collect();
            let value = if rest.is_empty() {
                i += 1;
                argv.get(i)
                    .cloned()
                    .ok_or_else(|| format!("-{c}: option requires an argument"))?
            } else {
                rest
            };
            match c {
                'p' => o.prompt = Some(value),
                'd' => o.delim = value.bytes().next().unwrap_or(0),
                'n' | 'N' => o.count = value.parse().ok(),
                'u' => {
                    o.fd = value
                        .parse()
                        .map_err(|_| format!("{value}: invalid file descriptor specification"))?;
                }
                'a' => o.array = Some(value),
                _ => {} // -t (a timeout: input here never waits on a terminal), -i (readline)
            }
            break;
        }
        i += 1;
    }
    if o.fd >= crate::shell::NFDS {
        return Err(format!("{}: invalid file descriptor", o.fd));
    }
    Ok((o, argv[i.min(argv.len())..].to_vec()))
}

/// Splits `line` (chars with their escaped flag) over `names` by `$IFS`: the last name gets
/// the rest of the line. False when a name is read-only (the names after it are left alone).
fn assign(sh: &mut Shell, names: &[String], line: &[(char, bool)]) -> Res<bool> {
    if names.is_empty() {
        let text: String = line.iter().map(|(c, _)| c).collect();
        return sh.set_var("REPLY", text);
    }
    let mut fields = Fields::new(sh.ifs(), line);
    for (k, name) in names.iter().enumerate() {
        let value = if k + 1 == names.len() {
            fields.rest()
        } else {
            fields.next_field()
        };
        let assigned = match super::vars::element_name(name) {
            Some((array, index)) => sh.assign_element(array, index, value, false)?,
            None => sh.set_var(name, value)?,
        };
        if !assigned {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `read -a`: every field of `line`.
fn fields(sh: &Shell, line: &[(char, bool)]) -> Vec<String> {
    let mut fields = Fields::new(sh.ifs(), line);
    let mut out = Vec::new();
    while !fields.done() {
        out.push(fields.next_field());
    }
    out
}

/// `read`'s field splitting: `$IFS` characters separate, escaped ones do not, runs of IFS
/// white space count once.
struct Fields<'a> {
    ifs: String,
    line: &'a [(char, bool)],
    pos: usize,
}

impl<'a> Fields<'a> {
    fn new(ifs: String, line: &'a [(char, bool)]) -> Self {
        let mut f = Self { ifs, line, pos: 0 };
        f.skip_ws();
        f
    }

    fn is_ifs(&self, i: usize) -> bool {
        let (c, esc) = self.line[i];
        !esc && self.ifs.contains(c)
    }

    fn is_ws(&self, i: usize) -> bool {
        self.is_ifs(i) && matches!(self.line[i].0, ' ' | '\t' | '\n')
    }

    fn skip_ws(&mut self) {
        while self.pos < self.line.len() && self.is_ws(self.pos) {
            self.pos += 1;
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.line.len()
    }

    fn text(&self, start: usize, end: usize) -> String {
        self.line[start..end].iter().map(|(c, _)| c).collect()
    }

    /// The next field, and the separator after it.
    fn next_field(&mut self) -> String {
        let start = self.pos;
        while self.pos < self.line.len() && !self.is_ifs(self.pos) {
            self.pos += 1;
        }
        let field = self.text(start, self.pos);
        self.skip_ws();
        if self.pos < self.line.len() && self.is_ifs(self.pos) && !self.is_ws(self.pos) {
            self.pos += 1;
            self.skip_ws();
        }
        field
    }

    /// The rest of the line, without trailing IFS white space.
    fn rest(&mut self) -> String {
        let mut end = self.line.len();
        while end > self.pos && self.is_ws(end - 1) {
            end -= 1;
        }
        let rest = self.text(self.pos.min(end), end);
        self.pos = self.line.len();
        rest
    }
}
