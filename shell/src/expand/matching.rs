//! Where a pattern matches inside a value: `${x#pat}`, `${x##pat}`, `${x%pat}`, `${x%%pat}`
//! ([`trim_match`]) and `${x/pat/rep}` with its `//`, `/#` and `/%` forms ([`replace`]).
//! Each start position costs one pass of [`Pattern::prefixes`]; suffixes are prefixes of the
//! reversed value under the reversed pattern.

use brush_parser::word::SubstringMatchKind;

use super::pattern::Pattern;

/// `s` without the shortest or `longest` prefix (`prefix`) or suffix `pat` matches.
pub(super) fn trim_match(s: &str, pat: &Pattern, prefix: bool, longest: bool) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let budget = Pattern::budget();
    let found = if prefix {
        pat.prefixes(&chars, &budget)
    } else {
        chars.reverse();
        let found = pat.reversed().prefixes(&chars, &budget);
        chars.reverse();
        found
    };
    let Some((shortest, longest_len)) = found else {
        return s.to_string();
    };
    let len = if longest { longest_len } else { shortest };
    let n = chars.len();
    let rest = if prefix {
        &chars[len..]
    } else {
        &chars[..n - len]
    };
    rest.iter().collect()
}

/// `s` with `rep` for what `pat` matches, where `kind` says.
pub(super) fn replace(s: &str, pat: &Pattern, rep: &str, kind: &SubstringMatchKind) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let budget = Pattern::budget();
    let longest_at = |start: usize| Some(start + pat.prefixes(&chars[start..], &budget)?.1);
    match kind {
        SubstringMatchKind::Prefix => match longest_at(0) {
            Some(e) => format!("{rep}{}", chars[e..].iter().collect::<String>()),
            None => s.to_string(),
        },
        SubstringMatchKind::Suffix => {
            let back: Vec<char> = chars.iter().rev().copied().collect();
            match pat.reversed().prefixes(&back, &budget) {
                Some((_, len)) => format!("{}{rep}", chars[..n - len].iter().collect::<String>()),
                None => s.to_string(),
            }
        }
        // Nothing to replace when the pattern matches nowhere (one pass, as bash checks).
        _ if !pat.anywhere().matches(&chars) => s.to_string(),
        SubstringMatchKind::FirstOccurrence | SubstringMatchKind::Anywhere => {
            let all = matches!(kind, SubstringMatchKind::Anywhere);
            let mut out = String::new();
            let mut i = 0;
            let mut done = false;
            while i < n {
                let found = if done { None } else { longest_at(i) };
                match found.filter(|&e| e > i) {
                    Some(e) => {
                        out.push_str(rep);
                        i = e;
                        done = !all;
                    }
                    None => {
                        out.push(chars[i]);
                        i += 1;
                    }
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_prefixes_and_suffixes() {
        let p = Pattern::new("*.");
        assert_eq!(trim_match("a.b.c", &p, true, false), "b.c");
        assert_eq!(trim_match("a.b.c", &p, true, true), "c");
        let p = Pattern::new(".*");
        assert_eq!(trim_match("a.b.c", &p, false, false), "a.b");
        assert_eq!(trim_match("a.b.c", &p, false, true), "a");
    }

    #[test]
    fn replaces_first_and_all() {
        let p = Pattern::new("o");
        assert_eq!(
            replace("foo", &p, "0", &SubstringMatchKind::FirstOccurrence),
            "f0o"
        );
        assert_eq!(
            replace("foo", &p, "0", &SubstringMatchKind::Anywhere),
            "f00"
        );
        assert_eq!(
            replace("foo", &Pattern::new("f"), "F", &SubstringMatchKind::Prefix),
            "Foo"
        );
    }
}
