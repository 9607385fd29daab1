//! Signal names and numbers, as a `Kill` request carries them.

/// SIGKILL, the default when a `Kill` names no signal.
pub const SIGKILL: u32 = 9;

const NAMES: &[(&str, u32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ABRT", 6),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("XCPU", 24),
];

/// Resolves a `Kill` request's signal; `None` names the invalid value.
///
/// # Errors
/// A message naming the unknown signal name or out-of-range number.
pub fn resolve(number: u32, name: &str) -> Result<u32, String> {
    if !name.is_empty() {
        let has_prefix = name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("SIG"));
        let bare = if has_prefix { &name[3..] } else { name };
        return NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(bare))
            .map(|&(_, num)| num)
            .ok_or_else(|| format!("unknown signal name {name:?}"));
    }
    match number {
        0 => Ok(SIGKILL),
        1..=64 => Ok(number),
        _ => Err(format!("signal number {number} is out of range 1..=64")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(resolve(0, ""), Ok(9));
        assert_eq!(resolve(15, ""), Ok(15));
        assert_eq!(resolve(0, "SIGTERM"), Ok(15));
        assert_eq!(resolve(9, "int"), Ok(2));
        assert_eq!(resolve(0, "sigterm"), Ok(15));
        assert!(resolve(0, "SIGNOPE").is_err());
        assert!(resolve(99, "").is_err());
    }
}
