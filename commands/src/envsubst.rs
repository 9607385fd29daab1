//! `envsubst`, as GNU gettext-runtime's 0.21: stdin to stdout with `$VARIABLE` and
//! `${VARIABLE}` replaced by the variable's value in the environment (empty when unset), every
//! reference or only those a SHELL-FORMAT argument names; `-v` lists a SHELL-FORMAT's variables.
//!
//! gettext's `envsubst.c` is C and no crate ships its command line (the `envsubst` crate
//! substitutes from a map, with its own syntax). This is its scanner: a name is
//! `[A-Za-z_][A-Za-z0-9_]*`, `${NAME` without its `}` and anything else (`${X:-d}`, `$1`,
//! `$$`) stay as written. Bytes, not text: input need not be UTF-8.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

const HELP: &str = "Usage: envsubst [OPTION] [SHELL-FORMAT]

Substitutes the values of environment variables.

Operation mode:
  -v, --variables             output the variables occurring in SHELL-FORMAT

Informative output:
  -h, --help                  display this help and exit
  -V, --version               output version information and exit

In normal operation mode, standard input is copied to standard output,
with references to environment variables of the form $VARIABLE or ${VARIABLE}
being replaced with the corresponding values.  If a SHELL-FORMAT is given,
only those environment variables that are referenced in SHELL-FORMAT are
substituted; otherwise all environment variables references occurring in
standard input are substituted.

When --variables is used, standard input is ignored, and the output consists
of the environment variables that are referenced in SHELL-FORMAT, one per line.
";

enum Mode {
    Help,
    Version,
    Variables(String),
    Substitute(Option<String>),
}

pub fn main(args: Vec<OsString>) -> i32 {
    let mode = match parse(crate::cli::operands(args)) {
        Ok(mode) => mode,
        Err((msg, hint)) => {
            let hint = if hint {
                "\nTry 'envsubst --help' for more information."
            } else {
                ""
            };
            let _ = writeln!(io::stderr(), "envsubst: {msg}{hint}");
            return 1;
        }
    };
    let out = io::stdout();
    let mut out = BufWriter::new(out.lock());
    let written = match mode {
        Mode::Help => out.write_all(HELP.as_bytes()),
        Mode::Version => out.write_all(b"envsubst (GNU gettext-runtime) 0.21\n"),
        Mode::Variables(format) => variables(format.as_bytes())
            .iter()
            .try_for_each(|name| writeln!(out, "{name}")),
        Mode::Substitute(format) => {
            let only = format.map(|f| variables(f.as_bytes()).into_iter().collect());
            substitute(BufReader::new(io::stdin().lock()), &mut out, only.as_ref())
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(io::stderr(), "envsubst: {}", crate::cli::io_error(&e));
            1
        }
        _ => 0,
    }
}

/// The mode and its SHELL-FORMAT; an error's text and whether `--help` is worth a hint.
fn parse(args: Vec<String>) -> Result<Mode, (String, bool)> {
    let (mut list, mut operands) = (false, Vec::new());
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--" => {
                operands.extend(it.by_ref());
                break;
            }
            "--help" => return Ok(Mode::Help),
            "--version" => return Ok(Mode::Version),
            "--variables" => list = true,
            long if long.starts_with("--") => return Err((long_error(long), true)),
            short if short.len() > 1 && short.starts_with('-') => {
                for flag in short[1..].chars() {
                    match flag {
                        'h' => return Ok(Mode::Help),
                        'V' => return Ok(Mode::Version),
                        'v' => list = true,
                        _ => return Err((format!("invalid option -- '{flag}'"), true)),
                    }
                }
            }
            _ => operands.push(arg),
        }
    }
    if operands.len() > 1 {
        return Err(("too many arguments".into(), false));
    }
    let format = operands.pop();
    match (list, format) {
        (true, Some(format)) => Ok(Mode::Variables(format)),
        (true, None) => Err(("missing arguments".into(), false)),
        (false, format) => Ok(Mode::Substitute(format)),
    }
}

/// getopt_long's words for a long option it does not take: unknown, ambiguous or given a value.
fn long_error(arg: &str) -> String {
    let (name, value) = arg[2..].split_once('=').unwrap_or((&arg[2..], ""));
    let known = ["help", "variables", "version"];
    let matches: Vec<&str> = known.into_iter().filter(|k| k.starts_with(name)).collect();
    match (matches.as_slice(), value.is_empty()) {
        ([one], false) => format!("option '--{one}' doesn't allow an argument"),
        ([_], true) | ([], _) => format!("unrecognized option '{arg}'"),
        _ => format!("option '{arg}' is ambiguous"),
    }
}

fn is_first(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_next(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// One `$` reference at the start of `text`: its name, whether in braces, and its length; a
/// `${NAME` without `}` is no reference.
fn reference(text: &[u8]) -> Option<(&[u8], usize)> {
    let braced = text.get(1) == Some(&b'{');
    let start = 1 + usize::from(braced);
    if !text.get(start).copied().is_some_and(is_first) {
        return None;
    }
    let len = text[start..].iter().take_while(|c| is_next(**c)).count();
    let end = start + len;
    match braced {
        true if text.get(end) == Some(&b'}') => Some((&text[start..end], end + 1)),
        true => None,
        false => Some((&text[start..end], end)),
    }
}

/// The variables a SHELL-FORMAT references, in order, repeats kept (as `-v` prints them).
fn variables(format: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = 0;
    while at < format.len() {
        match (format[at] == b'$')
            .then(|| reference(&format[at..]))
            .flatten()
        {
            Some((name, len)) => {
                names.push(String::from_utf8_lossy(name).into_owned());
                at += len;
            }
            None => at += 1,
        }
    }
    names
}

/// Copies `input` to `out`, each reference replaced when `only` (if given) names it.
fn substitute(
    mut input: impl BufRead,
    out: &mut impl Write,
    only: Option<&BTreeSet<String>>,
) -> io::Result<()> {
    let mut pending = Vec::new();
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (taken, more_name) = (chunk.len(), chunk.iter().all(|c| is_next(*c)));
        pending.extend_from_slice(chunk);
        input.consume(taken);
        if more_name && taken < pending.len() {
            // What was kept is a reference still open, and this chunk only makes it longer:
            // not scanned again (a long name costs linear time, as in gettext's).
            continue;
        }
        let kept = copy_complete(&pending, out, only, false)?;
        pending.drain(..pending.len() - kept);
    }
    copy_complete(&pending, out, only, true).map(|_| ())
}

/// Writes `text` with its references replaced, up to a `$` whose reference may go on in the
/// next chunk (unless `last`); the number of bytes left for then.
fn copy_complete(
    text: &[u8],
    out: &mut impl Write,
    only: Option<&BTreeSet<String>>,
    last: bool,
) -> io::Result<usize> {
    let mut at = 0;
    while let Some(dollar) = text[at..].iter().position(|c| *c == b'$') {
        out.write_all(&text[at..at + dollar])?;
        at += dollar;
        let rest = &text[at..];
        if !last && open_ended(rest) {
            return Ok(rest.len());
        }
        match reference(rest) {
            Some((name, len)) => {
                let name = String::from_utf8_lossy(name);
                if only.is_none_or(|set| set.contains(name.as_ref())) {
                    if let Some(value) = std::env::var_os(name.as_ref()) {
                        out.write_all(value.as_encoded_bytes())?;
                    }
                } else {
                    out.write_all(&rest[..len])?;
                }
                at += len;
            }
            None => {
                out.write_all(b"$")?;
                at += 1;
            }
        }
    }
    out.write_all(&text[at..])?;
    Ok(0)
}

/// Whether a reference starting at `rest`'s `$` could still grow with more input.
fn open_ended(rest: &[u8]) -> bool {
    let braced = rest.get(1) == Some(&b'{');
    let start = 1 + usize::from(braced);
    if rest.len() <= start {
        return true;
    }
    rest[start..].iter().all(|c| is_next(*c))
}
