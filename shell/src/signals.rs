//! Signal names and numbers as bash has them on Linux (x86-64): what `kill` and `trap` accept
//! and what `trap -p` and `trap -l` print.

/// Signals 1..=31 by number (index 0 unused).
const NAMES: [&str; 32] = [
    "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// The real-time signals, as glibc numbers them for programs (32 and 33 are its own).
const RTMIN: i32 = 34;
const RTMAX: i32 = 64;

/// `SIGNAME` of signal `n` (`SIGRTMIN+3`, `SIGRTMAX-1`), or `None` past the table.
pub fn name(n: i32) -> Option<String> {
    if let Some(short) = usize::try_from(n).ok().and_then(|i| NAMES.get(i)) {
        return (n > 0).then(|| format!("SIG{short}"));
    }
    match n {
        RTMIN => Some("SIGRTMIN".into()),
        RTMAX => Some("SIGRTMAX".into()),
        // bash names the lower half from RTMIN, the upper from RTMAX.
        _ if (RTMIN..RTMIN + 16).contains(&n) => Some(format!("SIGRTMIN+{}", n - RTMIN)),
        _ if (RTMIN + 16..RTMAX).contains(&n) => Some(format!("SIGRTMAX-{}", RTMAX - n)),
        _ => None,
    }
}

/// The number a signal specification names: a number, or a name with or without `SIG`, in any
/// case (`TERM`, `sigterm`, `SIGRTMIN+1`).
pub fn parse(spec: &str) -> Option<i32> {
    if let Ok(n) = spec.parse::<i32>() {
        return (0..=RTMAX).contains(&n).then_some(n);
    }
    let upper = spec.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    (1..=RTMAX).find(|&n| name(n).is_some_and(|full| full[3..] == *bare))
}

/// `trap -l` / `kill -l`: every signal as `N) SIGNAME`, five to a line.
pub fn table() -> String {
    let numbers = (1..=31).chain(RTMIN..=RTMAX);
    let mut out = String::new();
    for (i, n) in numbers.enumerate() {
        let Some(full) = name(n) else { continue };
        out.push_str(&format!("{n:2}) {full}"));
        out.push(if (i + 1) % 5 == 0 { '\n' } else { '\t' });
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_agree() {
        for n in (1..=31).chain(RTMIN..=RTMAX) {
            let full = name(n).unwrap();
            assert_eq!(parse(&full), Some(n), "{full}");
        }
        assert_eq!(parse("term"), Some(15));
        assert_eq!(parse("sigint"), Some(2));
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse("FOO"), None);
        assert_eq!(parse("99"), None);
        assert_eq!(name(50).as_deref(), Some("SIGRTMAX-14"));
        assert_eq!(name(49).as_deref(), Some("SIGRTMIN+15"));
    }

    #[test]
    fn the_table_has_five_to_a_line() {
        let t = table();
        assert!(t.starts_with(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n"));
        assert!(t.ends_with("63) SIGRTMAX-1\t64) SIGRTMAX\t\n"), "{t}");
    }
}
