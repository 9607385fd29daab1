//! Word expansion, in POSIX order: brace expansion (bash), then tilde, parameter, command
//! and arithmetic expansion ([`parts`]), field splitting ([`split`]), pathname expansion
//! ([`glob`]) and quote removal. Words come from `brush-parser` as raw text; their pieces are
//! parsed by `brush_parser::word::parse` and expanded here.
//!
//! Expanded text travels as [`Part`]s that remember whether they were quoted and whether they
//! came from an expansion (only unquoted expansion results are split).

pub(crate) mod arith;
mod extglob;
pub(crate) mod glob;
mod matching;
mod param;
mod parts;
pub(crate) mod pattern;
mod split;

pub(crate) use parts::ansi_c;

use brush_parser::ast;

use crate::shell::{Flow, Res, Shell};

/// A piece of expanded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// Text with its quoting: `quoted` text is literal; unquoted `split` text is an expansion
    /// result subject to field splitting.
    Text {
        text: String,
        quoted: bool,
        split: bool,
    },
    /// A field boundary (between the words of `"$@"`).
    Break,
}

impl Part {
    pub fn literal(text: impl Into<String>) -> Part {
        Part::Text {
            text: text.into(),
            quoted: false,
            split: false,
        }
    }
    pub fn quoted(text: impl Into<String>) -> Part {
        Part::Text {
            text: text.into(),
            quoted: true,
            split: false,
        }
    }
}

/// One field after splitting: its text, and its glob pattern (quoted metacharacters escaped).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Field {
    pub text: String,
    pub pattern: String,
    /// An unquoted glob metacharacter is in it.
    pub glob: bool,
}

impl Shell {
    /// A word as command arguments: every expansion, splitting and globbing.
    pub fn expand_fields(&mut self, word: &ast::Word) -> Res<Vec<String>> {
        let mut out = Vec::new();
        for raw in self.brace_expand(&word.value)? {
            let parts = self.expand_raw(&raw, false)?;
            let fields = split::split(&parts, &self.ifs());
            for field in fields {
                if field.glob && !self.opts.noglob {
                    out.extend(self.glob(&field)?);
                } else {
                    out.push(field.text);
                }
            }
        }
        let size: usize = out.iter().map(String::len).sum();
        self.ctx.budget.check(size)?;
        Ok(out)
    }

    /// A word as one string: no splitting, no globbing (assignments, redirection targets,
    /// `case` subjects, here-strings).
    pub fn expand_string(&mut self, word: &str) -> Res<String> {
        let parts = self.expand_raw(word, false)?;
        Ok(join(&parts))
    }

    /// A word as a pattern (`case`, `[[ == ]]`, `${x#...}`): quoted characters literal.
    pub fn expand_pattern(&mut self, word: &str) -> Res<String> {
        let parts = self.expand_raw(word, false)?;
        let mut pat = String::new();
        for part in &parts {
            if let Part::Text { text, quoted, .. } = part {
                if *quoted {
                    pat.push_str(&pattern::escape(text));
                } else {
                    pat.push_str(text);
                }
            }
        }
        Ok(pat)
    }

    /// Expands word text to parts (no brace expansion).
    pub fn expand_raw(&mut self, word: &str, quoted: bool) -> Res<Vec<Part>> {
        let pieces = match brush_parser::word::parse(word, &self.syntax("")) {
            Ok(p) => p,
            Err(_) => {
                self.error(&format!("{word}: bad substitution"))?;
                return Err(Flow::Exit(1));
            }
        };
        let mut out = Vec::new();
        for piece in pieces {
            self.expand_piece(piece.piece, quoted, &mut out)?;
        }
        Ok(out)
    }

    /// Here-document text: parameter, command and arithmetic expansion only.
    pub fn expand_heredoc(&mut self, body: &str) -> Res<String> {
        let body = &join_continued_lines(body);
        let pieces = match brush_parser::word::parse_heredoc(body, &self.syntax("")) {
            Ok(p) => p,
            Err(_) => return Ok(body.to_string()),
        };
        let mut out = Vec::new();
        for piece in pieces {
            self.expand_piece(piece.piece, true, &mut out)?;
        }
        Ok(join(&out))
    }

    fn brace_expand(&mut self, word: &str) -> Res<Vec<String>> {
        if self.ctx.posix || !word.contains('{') {
            return Ok(vec![word.to_string()]);
        }
        let opts = crate::parse::options(false, false);
        match brush_parser::word::parse_brace_expansions(word, &opts) {
            Ok(Some(pieces)) => {
                let words = parts::brace_words(&pieces, self.ctx.limits.max_glob_entries);
                let size: usize = words.iter().map(String::len).sum();
                self.ctx.budget.check(size)?;
                Ok(words)
            }
            _ => Ok(vec![word.to_string()]),
        }
    }
}

/// Removes backslash-newline pairs (line continuations of an unquoted here-document).
fn join_continued_lines(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\n') => {}
            Some(n) => {
                out.push(c);
                out.push(n);
            }
            None => out.push(c),
        }
    }
    out
}

/// Concatenates parts' text ("$@" joined by spaces).
pub(crate) fn join(parts: &[Part]) -> String {
    let mut s = String::new();
    for part in parts {
        match part {
            Part::Text { text, .. } => s.push_str(text),
            Part::Break => s.push(' '),
        }
    }
    s
}
