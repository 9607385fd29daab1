//! bash's extended patterns (`shopt -s extglob`): `?(A|B)` zero or one of the alternatives,
//! `*(..)` zero or more, `+(..)` one or more, `@(..)` exactly one, `!(..)` anything none of
//! them matches. Alternatives are patterns themselves and may nest.
//!
//! Matching is a memoised search over (element, position) pairs; an extended element tries
//! every end position for the text it covers. That is polynomial, not linear, so a match has a
//! budget of steps: past it the pattern does not match (a hostile `${x//+(a|aa)/}` over a long
//! string ends instead of spinning the shell).

use std::collections::HashMap;

use super::pattern::{Budget, Pattern, Tok, reverse, tokens};

/// Steps the matches of one expansion may take.
pub(super) const BUDGET: u64 = 1_000_000;

/// One extended element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ext {
    /// `?`, `*`, `+`, `@` or `!`.
    kind: char,
    alts: Vec<Vec<Tok>>,
}

impl Ext {
    /// Whether an alternative starts with a literal `.` (bash then matches hidden files).
    pub(super) fn starts_with_dot(&self) -> bool {
        (self.alts.iter()).any(|alt| alt.first() == Some(&Tok::Char('.')))
    }

    /// The element matching the reverse of what this one matches.
    pub(super) fn reversed(&self) -> Ext {
        let alts = self.alts.iter().map(|alt| reverse(alt)).collect();
        Ext {
            kind: self.kind,
            alts,
        }
    }
}

/// Parses an extended element at `chars[start]` (`K(`); returns it and the index of its `)`.
/// `None` when there is none there or it is not closed (the text is then literal).
pub(super) fn parse(chars: &[char], start: usize) -> Option<(Ext, usize)> {
    let kind = *chars.get(start)?;
    if !matches!(kind, '?' | '*' | '+' | '@' | '!') || chars.get(start + 1) != Some(&'(') {
        return None;
    }
    let mut depth = 0usize;
    let mut alts = Vec::new();
    let mut from = start + 2;
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => i = super::pattern::bracket(chars, i).map_or(i, |(_, end)| end),
            '(' => depth += 1,
            '|' if depth == 1 => {
                alts.push(tokens(&chars[from..i], true));
                from = i + 1;
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    alts.push(tokens(&chars[from..i], true));
                    return Some((Ext { kind, alts }, i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `toks` (with an extended element somewhere) match the whole of `text`.
pub(super) fn matches(p: &Pattern, toks: &[Tok], text: &[char], budget: &Budget) -> bool {
    Search::new(p, toks, text, budget).at(0, 0)
}

/// The shortest and the longest prefix of `text` that `toks` match, as lengths.
pub(super) fn prefixes(
    p: &Pattern,
    toks: &[Tok],
    text: &[char],
    budget: &Budget,
) -> Option<(usize, usize)> {
    let mut ends = (0..=text.len()).filter(|&end| matches(p, toks, &text[..end], budget));
    let first = ends.next()?;
    Some((first, ends.last().unwrap_or(first)))
}

/// One sequence of elements against one text.
struct Search<'a> {
    pattern: &'a Pattern,
    toks: &'a [Tok],
    text: &'a [char],
    memo: HashMap<(usize, usize), bool>,
    budget: &'a Budget,
}

impl<'a> Search<'a> {
    fn new(pattern: &'a Pattern, toks: &'a [Tok], text: &'a [char], budget: &'a Budget) -> Self {
        Search {
            pattern,
            toks,
            text,
            memo: HashMap::new(),
            budget,
        }
    }

    /// Whether `toks[ti..]` match `text[si..]`.
    fn at(&mut self, ti: usize, si: usize) -> bool {
        let left = self.budget.get();
        if left == 0 {
            return false;
        }
        self.budget.set(left - 1);
        if let Some(&known) = self.memo.get(&(ti, si)) {
            return known;
        }
        let got = self.step(ti, si);
        self.memo.insert((ti, si), got);
        got
    }

    fn step(&mut self, ti: usize, si: usize) -> bool {
        let n = self.text.len();
        let Some(tok) = self.toks.get(ti) else {
            return si == n;
        };
        match tok {
            Tok::Star => (si..=n).any(|end| self.at(ti + 1, end)),
            Tok::Ext(ext) => (si..=n).any(|end| self.covers(ext, si, end) && self.at(ti + 1, end)),
            _ => si < n && self.pattern.tok_matches(tok, self.text[si]) && self.at(ti + 1, si + 1),
        }
    }

    /// Whether `ext` matches `text[from..to]`.
    fn covers(&self, ext: &Ext, from: usize, to: usize) -> bool {
        let piece = &self.text[from..to];
        match ext.kind {
            '@' => self.one_of(ext, piece),
            '?' => piece.is_empty() || self.one_of(ext, piece),
            '!' => !self.one_of(ext, piece),
            '*' => piece.is_empty() || self.repeated(ext, piece),
            _ => self.repeated(ext, piece),
        }
    }

    /// Whether one alternative matches the whole of `piece`.
    fn one_of(&self, ext: &Ext, piece: &[char]) -> bool {
        (ext.alts.iter()).any(|alt| Search::new(self.pattern, alt, piece, self.budget).at(0, 0))
    }

    /// Whether `piece` is one or more pieces, each matched by an alternative.
    fn repeated(&self, ext: &Ext, piece: &[char]) -> bool {
        if piece.is_empty() {
            return self.one_of(ext, piece);
        }
        let mut reached = vec![false; piece.len() + 1];
        reached[0] = true;
        for from in 0..piece.len() {
            if !reached[from] {
                continue;
            }
            for to in from + 1..=piece.len() {
                if !reached[to] && self.one_of(ext, &piece[from..to]) {
                    reached[to] = true;
                }
            }
        }
        reached[piece.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Pattern::with_extglob(p, true).matches_str(s)
    }

    #[test]
    fn each_kind_counts_its_alternatives() {
        assert!(m("@(a|b)", "b") && !m("@(a|b)", "ab"));
        assert!(m("?(a|b)x", "x") && m("?(a|b)x", "ax") && !m("?(a|b)x", "abx"));
        assert!(m("*(ab)", "") && m("*(ab)", "abab") && !m("*(ab)", "aba"));
        assert!(m("+(ab|c)", "abcab") && !m("+(ab|c)", ""));
        assert!(m("!(*.txt)", "a.rs") && !m("!(*.txt)", "a.txt"));
    }

    #[test]
    fn alternatives_nest_and_mix_with_plain_elements() {
        assert!(m("file.@(tar.+(gz|xz)|zip)", "file.tar.gz"));
        assert!(m("[0-9]+([0-9])", "2024"));
        assert!(!m("[0-9]+([0-9])", "2"));
        assert!(m("*.!(md)", "x.rs") && !m("*.!(md)", "x.md"));
    }

    #[test]
    fn without_extglob_the_text_is_literal() {
        assert!(Pattern::new("@(a|b)").matches_str("@(a|b)"));
        assert!(m("@(a|b", "@(a|b"));
    }

    #[test]
    fn a_hostile_match_ends_within_its_budget() {
        let text = "a".repeat(3000) + "b";
        assert!(!m("+(a|aa|aaa)", &text));
    }
}
