//! Shell patterns (`*`, `?`, `[...]` with ranges, negation and `[:class:]`), as `case`,
//! `[[ == ]]`, `${x#...}` and pathname expansion use them, and with `shopt -s extglob` bash's
//! `?(..|..)`, `*(..)`, `+(..)`, `@(..)` and `!(..)`. Matching without those is the linear
//! backtracking-free two-pointer algorithm: O(len(text) * len(pattern)) at worst; with them,
//! `extglob.rs`.

use super::extglob::{self, Ext};

/// Steps of extended-pattern matching one expansion may take in all (`extglob.rs`).
pub(crate) type Budget = std::cell::Cell<u64>;

/// One pattern element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Char(char),
    Any,
    Star,
    Class(Class),
    Ext(Ext),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Class {
    negated: bool,
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    Char(char),
    Range(char, char),
    Named(String),
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    toks: Vec<Tok>,
    /// Letters match either case (`shopt -s nocasematch`).
    nocase: bool,
}

impl Pattern {
    /// Compiles pattern text; `\x` is a literal `x`; an unclosed `[` is literal.
    #[cfg(test)]
    pub fn new(pat: &str) -> Pattern {
        Self::with_extglob(pat, false)
    }

    /// Compiles pattern text (`\x` is a literal `x`; an unclosed `[` is literal), with bash's
    /// extended patterns when `extglob`.
    pub fn with_extglob(pat: &str, extglob: bool) -> Pattern {
        let chars: Vec<char> = pat.chars().collect();
        Pattern {
            toks: tokens(&chars, extglob),
            nocase: false,
        }
    }

    /// This pattern, matching letters of either case when `nocase`.
    pub fn ignore_case(self, nocase: bool) -> Pattern {
        Pattern { nocase, ..self }
    }

    /// A fresh budget for the matches of one expansion.
    pub fn budget() -> Budget {
        Budget::new(extglob::BUDGET)
    }

    fn has_ext(&self) -> bool {
        self.toks.iter().any(|t| matches!(t, Tok::Ext(_)))
    }

    /// The shortest and the longest prefix of `text` this pattern matches, as lengths: one
    /// pass over `text` (a set-of-states simulation) without extended elements.
    pub fn prefixes(&self, text: &[char], budget: &Budget) -> Option<(usize, usize)> {
        if self.has_ext() {
            return extglob::prefixes(self, &self.toks, text, budget);
        }
        let m = self.toks.len();
        let (mut on, mut next) = (vec![false; m + 1], vec![false; m + 1]);
        on[0] = true;
        close(&self.toks, &mut on);
        let (mut first, mut last) = (None, None);
        for pos in 0..=text.len() {
            if on[m] {
                first.get_or_insert(pos);
                last = Some(pos);
            }
            let Some(&c) = text.get(pos) else { break };
            next.fill(false);
            for (ti, tok) in self.toks.iter().enumerate().filter(|(ti, _)| on[*ti]) {
                match tok {
                    Tok::Star => next[ti] = true,
                    _ if self.tok_matches(tok, c) => next[ti + 1] = true,
                    _ => {}
                }
            }
            if !next.contains(&true) {
                break;
            }
            close(&self.toks, &mut next);
            std::mem::swap(&mut on, &mut next);
        }
        first.zip(last)
    }

    /// `*PATTERN*`: whether this pattern matches anywhere in a text, in one pass.
    pub fn anywhere(&self) -> Pattern {
        let mut toks = Vec::with_capacity(self.toks.len() + 2);
        toks.push(Tok::Star);
        toks.extend(self.toks.iter().cloned());
        toks.push(Tok::Star);
        Pattern {
            toks,
            nocase: self.nocase,
        }
    }

    /// The pattern matching the reverse of what this one matches (suffixes as prefixes).
    pub fn reversed(&self) -> Pattern {
        Pattern {
            toks: reverse(&self.toks),
            nocase: self.nocase,
        }
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &[char]) -> bool {
        if self.has_ext() {
            return extglob::matches(self, &self.toks, text, &Self::budget());
        }
        let toks = &self.toks;
        let (mut ti, mut si) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while si < text.len() {
            if let Some(tok) = toks.get(ti) {
                if *tok == Tok::Star {
                    star = Some((ti, si));
                    ti += 1;
                    continue;
                }
                if self.tok_matches(tok, text[si]) {
                    ti += 1;
                    si += 1;
                    continue;
                }
            }
            match star {
                Some((st, ss)) => {
                    ti = st + 1;
                    si = ss + 1;
                    star = Some((st, ss + 1));
                }
                None => return false,
            }
        }
        toks[ti..].iter().all(|t| *t == Tok::Star)
    }

    /// Whether the whole of `text` matches (string form).
    pub fn matches_str(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.matches(&chars)
    }

    /// Whether the pattern starts with a literal `.` (needed to match hidden files), or is an
    /// extended pattern one of whose alternatives does.
    pub fn starts_with_dot(&self) -> bool {
        match self.toks.first() {
            Some(Tok::Char('.')) => true,
            Some(Tok::Ext(ext)) => ext.starts_with_dot(),
            _ => false,
        }
    }

    /// Whether the single-character element `tok` matches `c`.
    pub(super) fn tok_matches(&self, tok: &Tok, c: char) -> bool {
        if !self.nocase || !c.is_alphabetic() {
            return tok_matches(tok, c);
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = c.to_uppercase().next().unwrap_or(c);
        tok_matches(tok, lower) || tok_matches(tok, upper)
    }
}

/// Marks the states a `*` reaches without reading anything (it matches the empty text too).
fn close(toks: &[Tok], on: &mut [bool]) {
    for (ti, tok) in toks.iter().enumerate() {
        if on[ti] && *tok == Tok::Star {
            on[ti + 1] = true;
        }
    }
}

/// `toks` backwards (extended elements' alternatives too).
pub(super) fn reverse(toks: &[Tok]) -> Vec<Tok> {
    let back = |t: &Tok| match t {
        Tok::Ext(ext) => Tok::Ext(ext.reversed()),
        t => t.clone(),
    };
    toks.iter().rev().map(back).collect()
}

/// Compiles pattern text into elements.
pub(super) fn tokens(chars: &[char], extglob: bool) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if extglob && let Some((ext, end)) = extglob::parse(chars, i) {
            toks.push(Tok::Ext(ext));
            i = end + 1;
            continue;
        }
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                toks.push(Tok::Char(chars[i + 1]));
                i += 1;
            }
            '*' => {
                if toks.last() != Some(&Tok::Star) {
                    toks.push(Tok::Star);
                }
            }
            '?' => toks.push(Tok::Any),
            '[' => match bracket(chars, i) {
                Some((class, end)) => {
                    toks.push(Tok::Class(class));
                    i = end;
                }
                None => toks.push(Tok::Char('[')),
            },
            c => toks.push(Tok::Char(c)),
        }
        i += 1;
    }
    toks
}

fn tok_matches(tok: &Tok, c: char) -> bool {
    match tok {
        Tok::Char(x) => *x == c,
        Tok::Any => true,
        Tok::Star => true,
        Tok::Ext(_) => false,
        Tok::Class(class) => class.items.iter().any(|i| item_matches(i, c)) != class.negated,
    }
}

fn item_matches(item: &Item, c: char) -> bool {
    match item {
        Item::Char(x) => *x == c,
        Item::Range(a, b) => *a <= c && c <= *b,
        Item::Named(name) => match name.as_str() {
            "alpha" => c.is_ascii_alphabetic(),
            "digit" => c.is_ascii_digit(),
            "alnum" => c.is_ascii_alphanumeric(),
            "upper" => c.is_ascii_uppercase(),
            "lower" => c.is_ascii_lowercase(),
            "space" => c.is_ascii_whitespace() || c == '\x0b',
            "blank" => c == ' ' || c == '\t',
            "punct" => c.is_ascii_punctuation(),
            "xdigit" => c.is_ascii_hexdigit(),
            "cntrl" => c.is_ascii_control(),
            "print" => (' '..='~').contains(&c),
            "graph" => ('!'..='~').contains(&c),
            _ => false,
        },
    }
}

/// Parses `[...]` starting at `chars[start] == '['`; returns the class and the index of `]`.
pub(super) fn bracket(chars: &[char], start: usize) -> Option<(Class, usize)> {
    let mut i = start + 1;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let first = i;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && i > first {
            return Some((Class { negated, items }, i));
        }
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                items.push(Item::Named(rest[..end].to_string()));
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        let c = if c == '\\' && i + 1 < chars.len() {
            i += 1;
            chars[i]
        } else {
            c
        };
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            items.push(Item::Range(c, chars[i + 2]));
            i += 3;
        } else {
            items.push(Item::Char(c));
            i += 1;
        }
    }
    None
}

/// Escapes pattern metacharacters (extended patterns' parentheses and bars too) so `text`
/// matches only itself.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\' | '(' | ')' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `pat` has an unescaped metacharacter (`+(`, `@(` and `!(` count: extended
/// patterns, which only parse with `extglob` on).
pub(crate) fn has_meta(pat: &str) -> bool {
    let mut escaped = false;
    let mut prev = ' ';
    for c in pat.chars() {
        if escaped {
            (escaped, prev) = (false, ' ');
            continue;
        }
        match c {
            '\\' => escaped = true,
            '*' | '?' | '[' => return true,
            '(' if matches!(prev, '+' | '@' | '!') => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

/// Removes the escapes of a pattern (the text a non-matching glob stands for).
pub(crate) fn unescape(pat: &str) -> String {
    let mut out = String::with_capacity(pat.len());
    let mut escaped = false;
    for c in pat.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn ignore_case_folds_letters_in_chars_ranges_and_classes() {
        let p = Pattern::new("a[b-c][[:upper:]]*").ignore_case(true);
        assert!(p.matches_str("ABcx"));
        assert!(!Pattern::new("a[b-c]*").matches_str("ABC"));
        assert!(!p.matches_str("A1cx"));
    }
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p).matches_str(s)
    }

    #[test]
    fn stars_and_questions() {
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "a.txc"));
        assert!(m("a?c", "abc"));
        assert!(m("*", ""));
        assert!(m("a*b*c", "aXbYbc"));
    }

    #[test]
    fn brackets() {
        assert!(m("[abc]x", "bx"));
        assert!(m("[!abc]x", "dx"));
        assert!(m("[a-c]", "b"));
        assert!(m("[[:digit:]]*", "7up"));
        assert!(m("[]]", "]"));
        assert!(m("[", "["));
    }

    #[test]
    fn escapes_are_literal() {
        assert!(m(r"\*", "*"));
        assert!(!m(r"\*", "a"));
        assert_eq!(escape("a*b"), r"a\*b");
        assert!(has_meta("a*"));
        assert!(!has_meta(r"a\*"));
        assert_eq!(unescape(r"a\*b"), "a*b");
    }

    #[test]
    fn prefixes_are_the_shortest_and_the_longest_match() {
        let text: Vec<char> = "a.b.c".chars().collect();
        let b = Pattern::budget();
        assert_eq!(Pattern::new("*.").prefixes(&text, &b), Some((2, 4)));
        assert_eq!(Pattern::new("x*").prefixes(&text, &b), None);
        assert_eq!(Pattern::new("*").prefixes(&text, &b), Some((0, 5)));
        let back: Vec<char> = text.iter().rev().copied().collect();
        assert_eq!(
            Pattern::new(".*").reversed().prefixes(&back, &b),
            Some((2, 4))
        );
    }

    #[test]
    fn long_text_is_linear() {
        let text = "a".repeat(100_000);
        assert!(!m("*a*a*a*b", &text));
    }
}
