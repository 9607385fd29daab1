//! `mapfile`/`readarray [-d DELIM] [-n COUNT] [-O ORIGIN] [-s COUNT] [-t] [-u FD] [ARRAY]`:
//! lines of a file descriptor into an indexed array (`MAPFILE` by default). With `-n` it reads
//! one byte at a time, never past its last line (what follows stays for the next reader of a
//! pipe); without, it reads to the end in blocks. `-C`/`-c` (callbacks) are refused.

use crate::shell::{Res, Shell};
use crate::stream::{Io, IoError};
use crate::vars::{Array, is_name};

struct Opts {
    delim: u8,
    /// Lines to keep at most (`-n`; 0 is all).
    count: usize,
    origin: Option<usize>,
    skip: usize,
    trim: bool,
    fd: usize,
    name: String,
}

/// bash's usage line for `name` (`mapfile` or `readarray`).
fn usage(name: &str) -> String {
    format!(
        "{name}: usage: {name} [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] \
         [-C callback] [-c quantum] [array]"
    )
}

/// `mapfile` and `readarray`.
pub(crate) fn mapfile(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let name = argv.first().map_or("mapfile", String::as_str);
    let opts = match parse(name, argv) {
        Ok(opts) => opts,
        Err(msg) => return sh.builtin_error(name, &msg, 2),
    };
    if !is_name(&opts.name) {
        let msg = format!("`{}': not a valid identifier", opts.name);
        return sh.builtin_error(name, &msg, 1);
    }
    let Some(io) = sh.fd(opts.fd) else {
        let msg = format!("{}: invalid file descriptor: Bad file descriptor", opts.fd);
        return sh.builtin_error(name, &msg, 1);
    };
    let lines = match read_lines(sh, &io, &opts)? {
        Ok(lines) => lines,
        Err(e) => return sh.builtin_error(name, &format!("read error: {e}"), 1),
    };
    let mut array = match opts.origin {
        Some(_) => sh.vars.array(&opts.name).cloned().unwrap_or_default(),
        None => Array::default(),
    };
    let first = opts.origin.unwrap_or(0);
    for (i, line) in lines.into_iter().enumerate() {
        array.insert(first.saturating_add(i), line);
    }
    Ok(i32::from(!sh.set_array(&opts.name, array)?))
}

/// The lines to store (after `-s`, at most `-n`, each without its delimiter under `-t`).
fn read_lines(sh: &mut Shell, io: &Io, opts: &Opts) -> Res<Result<Vec<String>, IoError>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    let (mut seen, mut bytes) = (0usize, 0usize);
    let mut block = vec![0u8; if opts.count == 0 { 64 << 10 } else { 1 }];
    'reading: loop {
        sh.check_stop()?;
        let n = match io.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(IoError::Stopped) => {
                sh.check_stop()?;
                break;
            }
            Err(e) => return Ok(Err(e)),
        };
        for &b in &block[..n] {
            line.push(b);
            if b != opts.delim {
                continue;
            }
            seen += 1;
            if seen > opts.skip {
                bytes += line.len();
                sh.ctx.budget.check(bytes)?;
                lines.push(finish(&mut line, opts));
                if opts.count != 0 && lines.len() >= opts.count {
                    break 'reading;
                }
            }
            line.clear();
        }
        sh.ctx.budget.check(bytes + line.len())?;
    }
    if !line.is_empty() && seen >= opts.skip && (opts.count == 0 || lines.len() < opts.count) {
        lines.push(finish(&mut line, opts));
    }
    Ok(Ok(lines))
}

/// `line` as text, without its delimiter under `-t`; leaves `line` empty.
fn finish(line: &mut Vec<u8>, opts: &Opts) -> String {
    if opts.trim && line.last() == Some(&opts.delim) {
        line.pop();
    }
    let text = crate::bytes::decode(line);
    line.clear();
    text
}

fn parse(name: &str, argv: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        delim: b'\n',
        count: 0,
        origin: None,
        skip: 0,
        trim: false,
        fd: 0,
        name: "MAPFILE".into(),
    };
    let mut args = argv.iter().skip(1).peekable();
    while let Some(arg) = args.next_if(|a| a.starts_with('-') && a.len() > 1) {
        if arg == "--" {
            break;
        }
        let mut flags = arg[1..].chars();
        while let Some(flag) = flags.next() {
            if flag == 't' {
                o.trim = true;
                continue;
            }
            if !"dnOsuCc".contains(flag) {
                return Err(format!("-{flag}: invalid option\n{}", usage(name)));
            }
            let rest: String = flags.by_ref().collect();
            let value = match (rest.is_empty(), args.next()) {
                (false, _) => rest,
                (true, Some(next)) => next.clone(),
                (true, None) => {
                    let needs = format!("-{flag}: option requires an argument");
                    return Err(format!("{needs}\n{}", usage(name)));
                }
            };
            let number =
                || (value.parse::<usize>()).map_err(|_| format!("{value}: invalid number"));
            match flag {
                'd' => o.delim = value.bytes().next().unwrap_or(0),
                'n' => o.count = number()?,
                'O' => o.origin = Some(number()?),
                's' => o.skip = number()?,
                'u' => o.fd = number()?,
                _ => return Err(format!("-{flag}: callbacks are not supported")),
            }
        }
    }
    if let Some(name) = args.next() {
        o.name.clone_from(name);
    }
    Ok(o)
}
