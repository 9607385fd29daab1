//! `getopts OPTSTRING NAME [ARG...]`, as bash's: one option per call from the positional
//! parameters (or ARGs), `OPTIND` the index of the next argument, `OPTARG` an option's argument;
//! grouped options (`-ab`), attached arguments (`-bVALUE`), `--` and a lone `-` end the options;
//! a leading `:` in OPTSTRING reports problems through NAME and OPTARG instead of messages
//! (`OPTERR=0` silences them too).
//!
//! Within a group (`-ab`) `OPTIND` stays at the group's argument and the position in it is the
//! shell's own ([`State`]); assigning `OPTIND` a value getopts did not leave there (a new `local
//! OPTIND`, `OPTIND=1`) starts over, as bash's assignment hook does.

use crate::shell::{Res, Shell};
use crate::vars::is_name;

/// Where getopts is within a group of options.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    /// The `OPTIND` getopts itself left.
    optind: Option<String>,
    /// The next character of the argument at `OPTIND` (0: that argument is not started).
    char_index: usize,
}

/// What one call found.
enum Found {
    /// Past the options: `OPTIND` at the first operand.
    End,
    /// An option, with its argument when it takes one.
    Option(char, Option<String>),
    /// A character OPTSTRING does not name.
    Unknown(char),
    /// An option whose argument is missing.
    MissingArgument(char),
}

pub(crate) fn getopts(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (Some(optstring), Some(name)) = (argv.get(1), argv.get(2)) else {
        let _ = sh.write_fd(2, "getopts: usage: getopts optstring name [arg ...]\n")?;
        return Ok(2);
    };
    if !is_name(name) {
        return sh.builtin_error("getopts", &format!("`{name}': not a valid identifier"), 1);
    }
    let args: Vec<String> = match argv.get(3..) {
        Some(rest) if !rest.is_empty() => rest.to_vec(),
        _ => sh.params.clone(),
    };
    let (silent, spec) = match optstring.strip_prefix(':') {
        Some(spec) => (true, spec),
        None => (false, optstring.as_str()),
    };
    let mut index = start(sh);
    let found = next(spec, &args, &mut index, &mut sh.getopts.char_index);
    let optind = (index + 1).to_string();
    sh.getopts.optind = Some(optind.clone());
    sh.set_var("OPTIND", optind)?;
    let quiet = silent || sh.vars.get("OPTERR") == Some("0");
    let ended = matches!(found, Found::End);
    let (letter, optarg, message) = match found {
        Found::End => ('?', None, None),
        Found::Option(c, arg) => (c, arg, None),
        Found::Unknown(c) if silent => ('?', Some(c.to_string()), None),
        Found::Unknown(c) => ('?', None, Some(format!("illegal option -- {c}"))),
        Found::MissingArgument(c) if silent => (':', Some(c.to_string()), None),
        Found::MissingArgument(c) => {
            let message = format!("option requires an argument -- {c}");
            ('?', None, Some(message))
        }
    };
    if let Some(message) = message.filter(|_| !quiet) {
        let _ = sh.write_fd(2, &format!("{}: {message}\n", sh.arg0))?;
    }
    let assigned = sh.set_var(name, letter.to_string())?;
    match optarg {
        Some(value) => {
            sh.set_var("OPTARG", value)?;
        }
        None => {
            let _ = sh.vars.unset("OPTARG");
        }
    }
    Ok(if ended || !assigned { 1 } else { 0 })
}

/// The 0-based index of the argument `OPTIND` names, starting over when `OPTIND` is not what
/// getopts left.
fn start(sh: &mut Shell) -> usize {
    let current = sh.vars.get("OPTIND").map(str::to_owned);
    if current != sh.getopts.optind {
        sh.getopts.char_index = 0;
    }
    match current.as_deref().map(str::trim).map(str::parse::<usize>) {
        Some(Ok(n)) if n >= 1 => n - 1,
        _ => {
            sh.getopts.char_index = 0;
            0
        }
    }
}

/// The next option of `args` from `index` (and `char_index` within it), moving both on.
fn next(spec: &str, args: &[String], index: &mut usize, char_index: &mut usize) -> Found {
    let Some(arg) = args.get(*index) else {
        *char_index = 0;
        return Found::End;
    };
    if *char_index == 0 {
        if arg == "--" {
            *index += 1;
            return Found::End;
        }
        if !arg.starts_with('-') || arg == "-" {
            return Found::End;
        }
        *char_index = 1;
    }
    let rest: Vec<char> = arg.chars().skip(*char_index).collect();
    let Some(&c) = rest.first() else {
        // A position past the argument's end (OPTIND reassigned mid-group): the next one.
        *index += 1;
        *char_index = 0;
        return next(spec, args, index, char_index);
    };
    let mut letters = spec.chars().peekable();
    let known = std::iter::from_fn(|| {
        let letter = letters.next()?;
        let takes = letters.next_if_eq(&':').is_some();
        Some((letter, takes))
    })
    .find(|&(letter, _)| letter == c && c != ':');
    let at_end = rest.len() == 1;
    let advance = |index: &mut usize, char_index: &mut usize| {
        if at_end {
            *index += 1;
            *char_index = 0;
        } else {
            *char_index += 1;
        }
    };
    match known {
        None => {
            advance(index, char_index);
            Found::Unknown(c)
        }
        Some((_, false)) => {
            advance(index, char_index);
            Found::Option(c, None)
        }
        Some((_, true)) if !at_end => {
            *index += 1;
            *char_index = 0;
            Found::Option(c, Some(rest[1..].iter().collect()))
        }
        Some((_, true)) => {
            *index += 1;
            *char_index = 0;
            match args.get(*index) {
                Some(value) => {
                    *index += 1;
                    Found::Option(c, Some(value.clone()))
                }
                None => Found::MissingArgument(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(spec: &str, args: &[&str]) -> Vec<String> {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let (mut index, mut char_index) = (0, 0);
        let mut out = Vec::new();
        loop {
            let text = match next(spec, &args, &mut index, &mut char_index) {
                Found::End => break,
                Found::Option(c, None) => format!("{c}"),
                Found::Option(c, Some(v)) => format!("{c}={v}"),
                Found::Unknown(c) => format!("?{c}"),
                Found::MissingArgument(c) => format!(":{c}"),
            };
            out.push(format!("{text}@{}", index + 1));
        }
        out.push(format!("end@{}", index + 1));
        out
    }

    #[test]
    fn groups_keep_optind_at_their_argument() {
        assert_eq!(
            all("ab:c", &["-acb", "val", "rest"]),
            ["a@1", "c@1", "b=val@3", "end@3"]
        );
    }

    #[test]
    fn double_dash_is_skipped_and_a_lone_dash_stops() {
        assert_eq!(all("a", &["-a", "--", "-b"]), ["a@2", "end@3"]);
        assert_eq!(all("a", &["-", "-a"]), ["end@1"]);
    }

    #[test]
    fn problems_are_reported_by_kind() {
        assert_eq!(all("ab:", &["-x", "-b"]), ["?x@2", ":b@3", "end@3"]);
        assert_eq!(all("a:", &["-abc"]), ["a=bc@2", "end@2"]);
    }
}
