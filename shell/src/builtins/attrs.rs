//! `umask` and `ulimit`: process attributes a script reads and sets, as bash reports them.
//!
//! Both are kept per shell (subshells inherit them) and shown back as set, but neither reaches
//! the guests: file modes are the sandbox's (022 for every creation) and resource limits are
//! the exec's, set by the host. A script that sets them still runs, as on a machine where it may.

use crate::shell::{Res, Shell};

/// The shell's file-creation mask and soft/hard limits ([`crate::shell::Opts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attrs {
    pub umask: u32,
    /// Soft and hard value of each of [`RESOURCES`] (`None`: unlimited).
    pub limits: [(Option<u64>, Option<u64>); RESOURCES.len()],
}

impl Default for Attrs {
    fn default() -> Self {
        let mut limits = [(None, None); RESOURCES.len()];
        for (slot, r) in limits.iter_mut().zip(RESOURCES) {
            *slot = (r.value, r.value);
        }
        Attrs {
            umask: 0o022,
            limits,
        }
    }
}

/// One line of `ulimit -a`.
struct Resource {
    letter: char,
    name: &'static str,
    unit: &'static str,
    value: Option<u64>,
}

const fn res(letter: char, name: &'static str, unit: &'static str, value: Option<u64>) -> Resource {
    Resource {
        letter,
        name,
        unit,
        value,
    }
}

/// bash's order and wording; the values a guest of this sandbox has (1024 fds, no core files).
const RESOURCES: [Resource; 17] = [
    res('R', "real-time non-blocking time", "microseconds", None),
    res('c', "core file size", "blocks", Some(0)),
    res('d', "data seg size", "kbytes", None),
    res('e', "scheduling priority", "", Some(0)),
    res('f', "file size", "blocks", None),
    res('i', "pending signals", "", Some(7823)),
    res('l', "max locked memory", "kbytes", Some(8192)),
    res('m', "max memory size", "kbytes", None),
    res('n', "open files", "", Some(1024)),
    res('p', "pipe size", "512 bytes", Some(8)),
    res('q', "POSIX message queues", "bytes", Some(819_200)),
    res('r', "real-time priority", "", Some(0)),
    res('s', "stack size", "kbytes", Some(8192)),
    res('t', "cpu time", "seconds", None),
    res('u', "max user processes", "", Some(7823)),
    res('v', "virtual memory", "kbytes", None),
    res('x', "file locks", "", None),
];

/// `umask [-p] [-S] [MODE]`: prints the mask (`0022`, `-S` symbolically, `-p` as a command) or
/// sets it from an octal number or a symbolic mode (`u=rwx,g=rx`, `a+w`, `o-r`).
pub(crate) fn umask(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (letters, i) = super::option_letters(argv);
    let (mut symbolic, mut reusable) = (false, false);
    for c in letters {
        match c {
            'S' => symbolic = true,
            'p' => reusable = true,
            _ => {
                let usage = "umask: usage: umask [-p] [-S] [mode]";
                return sh.builtin_error("umask", &format!("-{c}: invalid option\n{usage}"), 2);
            }
        }
    }
    let current = sh.opts.attrs.umask;
    let Some(mode) = argv.get(i) else {
        let shown = if symbolic {
            symbolic_mask(current)
        } else {
            format!("{current:04o}")
        };
        let prefix = if reusable { "umask " } else { "" };
        let flag = if reusable && symbolic { "-S " } else { "" };
        return sh.print("umask", &format!("{prefix}{flag}{shown}\n"));
    };
    let parsed = if mode.starts_with(|c: char| c.is_ascii_digit()) {
        octal(mode)
    } else {
        apply_symbolic(current, mode)
    };
    match parsed {
        Ok(mask) => {
            sh.opts.attrs.umask = mask;
            Ok(0)
        }
        Err(message) => sh.builtin_error("umask", &message, 1),
    }
}

fn octal(mode: &str) -> Result<u32, String> {
    u32::from_str_radix(mode, 8)
        .ok()
        .filter(|m| *m <= 0o777 && mode.len() <= 4)
        .ok_or_else(|| format!("{mode}: octal number out of range"))
}

/// `u=rwx,g=rx,o=rx` for mask `022`.
fn symbolic_mask(mask: u32) -> String {
    let perms = !mask & 0o777;
    let part = |who: char, shift: u32| {
        let bits = (perms >> shift) & 7;
        let letters: String = [(4, 'r'), (2, 'w'), (1, 'x')]
            .iter()
            .filter(|(bit, _)| bits & bit != 0)
            .map(|(_, c)| *c)
            .collect();
        format!("{who}={letters}")
    };
    [part('u', 6), part('g', 3), part('o', 0)].join(",")
}

/// The mask after symbolic mode `mode` (clauses `[ugoa]*[=+-][rwx]*`, comma-separated), which
/// works on the permissions the mask leaves.
fn apply_symbolic(mask: u32, mode: &str) -> Result<u32, String> {
    let mut perms = !mask & 0o777;
    for clause in mode.split(',') {
        let op_at = clause
            .find(|c: char| !"ugoa".contains(c))
            .filter(|&at| clause[at..].starts_with(['=', '+', '-']))
            .ok_or_else(|| {
                let at = clause.find(|c: char| !"ugoa".contains(c));
                let bad = at.and_then(|at| clause[at..].chars().next());
                format!(
                    "`{}': invalid symbolic mode operator",
                    bad.unwrap_or_else(|| last_char(clause))
                )
            })?;
        let (who, rest) = clause.split_at(op_at);
        let mut whom = 0;
        for c in who.chars() {
            whom |= match c {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                _ => 0o777,
            };
        }
        if whom == 0 {
            whom = 0o777;
        }
        let (op, letters) = rest.split_at(1);
        let mut bits = 0;
        for c in letters.chars() {
            bits |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => return Err(format!("`{c}': invalid symbolic mode character")),
            };
        }
        let bits = bits & whom;
        perms = match op {
            "=" => (perms & !whom) | bits,
            "+" => perms | bits,
            _ => perms & !bits,
        };
    }
    Ok(!perms & 0o777)
}

fn last_char(s: &str) -> char {
    s.chars().last().unwrap_or(' ')
}

/// `ulimit [-SHa] [-Rcdefilmnpqrstuvx] [LIMIT]`: prints a limit (`-f` when none is named;
/// every one with `-a`) or sets it (soft and hard unless `-S` or `-H`); a soft limit above its
/// hard one, or a hard one raised, is refused as for an unprivileged process.
pub(crate) fn ulimit(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (letters, i) = super::option_letters(argv);
    let (mut soft, mut hard, mut all, mut which) = (false, false, false, None);
    for c in letters {
        match c {
            'S' => soft = true,
            'H' => hard = true,
            'a' => all = true,
            _ => match RESOURCES.iter().position(|r| r.letter == c) {
                Some(at) => which = Some(at),
                None => {
                    let usage = "ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]";
                    let msg = format!("-{c}: invalid option\n{usage}");
                    return sh.builtin_error("ulimit", &msg, 2);
                }
            },
        }
    }
    let shown_hard = hard && !soft;
    if all {
        return show_all(sh, shown_hard);
    }
    let at = which.unwrap_or(4);
    match argv.get(i) {
        None => {
            let (s, h) = sh.opts.attrs.limits[at];
            let value = if shown_hard { h } else { s };
            sh.print("ulimit", &format!("{}\n", limit_text(value)))
        }
        Some(text) => set_limit(sh, at, text, (soft, hard)),
    }
}

fn show_all(sh: &mut Shell, hard: bool) -> Res<i32> {
    let mut text = String::new();
    for (r, (s, h)) in RESOURCES.iter().zip(sh.opts.attrs.limits) {
        // bash's `printf ("%-20s %20s", description, unitstr)`.
        let label = if r.unit.is_empty() {
            format!("(-{}) ", r.letter)
        } else {
            format!("({}, -{}) ", r.unit, r.letter)
        };
        let value = limit_text(if hard { h } else { s });
        text.push_str(&format!("{:<20} {label:>20}{value}\n", r.name));
    }
    sh.print("ulimit", &text)
}

fn limit_text(value: Option<u64>) -> String {
    value.map_or_else(|| "unlimited".into(), |v| v.to_string())
}

fn set_limit(sh: &mut Shell, at: usize, text: &str, (soft, hard): (bool, bool)) -> Res<i32> {
    let (s, h) = sh.opts.attrs.limits[at];
    let value = match text {
        "unlimited" => None,
        "hard" => h,
        "soft" => s,
        _ => match text.parse::<u64>() {
            Ok(v) => Some(v),
            Err(_) => return sh.builtin_error("ulimit", &format!("{text}: invalid number"), 1),
        },
    };
    let (set_soft, set_hard) = if soft || hard {
        (soft, hard)
    } else {
        (true, true)
    };
    let above = |v: Option<u64>, limit: Option<u64>| match (v, limit) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(v), Some(l)) => v > l,
    };
    // Raising a hard limit needs privilege; a soft one above the hard one is invalid.
    let refused = if set_hard && above(value, h) {
        Some("Operation not permitted")
    } else if set_soft && above(value, h) {
        Some("Invalid argument")
    } else {
        None
    };
    if let Some(reason) = refused {
        let name = RESOURCES[at].name;
        let msg = format!("{name}: cannot modify limit: {reason}");
        return sh.builtin_error("ulimit", &msg, 1);
    }
    let slot = &mut sh.opts.attrs.limits[at];
    if set_soft {
        slot.0 = value;
    }
    if set_hard {
        slot.1 = value;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbolic_modes_work_on_the_permissions_the_mask_leaves() {
        assert_eq!(apply_symbolic(0o077, "u=rwx,g=rx"), Ok(0o027));
        assert_eq!(apply_symbolic(0o027, "a+w"), Ok(0o005));
        assert_eq!(apply_symbolic(0o022, "o-r"), Ok(0o026));
        assert_eq!(symbolic_mask(0o027), "u=rwx,g=rx,o=");
        assert!(apply_symbolic(0o022, "u*r").is_err());
    }

    #[test]
    fn an_octal_mask_has_at_most_three_permission_digits() {
        assert_eq!(octal("077"), Ok(0o77));
        assert_eq!(octal("0022"), Ok(0o22));
        assert!(octal("8").is_err());
        assert!(octal("1234567").is_err());
    }
}
