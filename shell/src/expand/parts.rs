//! Expansion of one word piece (quotes, escapes, tilde, substitutions, arithmetic) into
//! [`Part`]s, command substitution, and brace expansion's word lists.

use std::sync::Arc;

use brush_parser::word::{BraceExpressionMember, BraceExpressionOrText, TildeExpr, WordPiece};

use super::Part;
use crate::shell::{Flow, Res, Shell};
use crate::stream::Capture;

impl Shell {
    /// Appends the parts of `piece` to `out`; `quoted` when inside double quotes.
    pub(super) fn expand_piece(
        &mut self,
        piece: WordPiece,
        quoted: bool,
        out: &mut Vec<Part>,
    ) -> Res<()> {
        match piece {
            WordPiece::Text(s) if quoted => out.push(Part::quoted(s)),
            WordPiece::Text(s) => out.push(Part::literal(s)),
            WordPiece::SingleQuotedText(s) => out.push(Part::quoted(s)),
            WordPiece::AnsiCQuotedText(s) => {
                out.push(Part::quoted(ansi_c(&s, self.utf8_locale())));
            }
            WordPiece::DoubleQuotedSequence(seq) | WordPiece::GettextDoubleQuotedSequence(seq) => {
                if !seq.iter().any(|p| is_at(&p.piece)) {
                    out.push(Part::quoted(""));
                }
                for p in seq {
                    self.expand_piece(p.piece, true, out)?;
                }
            }
            WordPiece::TildeExpansion(t) => out.push(Part::quoted(self.tilde(&t))),
            WordPiece::ParameterExpansion(expr) => self.expand_param(expr, quoted, out)?,
            WordPiece::CommandSubstitution(src) => {
                let text = self.command_subst(&src)?;
                out.push(result_part(text, quoted));
            }
            WordPiece::BackquotedCommandSubstitution(src) => {
                let text = self.command_subst(&unescape_backquoted(&src))?;
                out.push(result_part(text, quoted));
            }
            WordPiece::EscapeSequence(s) => {
                let c: String = s.chars().skip(1).collect();
                if c != "\n" {
                    out.push(Part::quoted(c));
                }
            }
            WordPiece::ArithmeticExpression(e) => {
                let n = self.arith_text(&e.value)?;
                out.push(result_part(n.to_string(), quoted));
            }
        }
        Ok(())
    }

    fn tilde(&self, t: &TildeExpr) -> String {
        let var = |name: &str| self.vars.get(name).unwrap_or_default().to_string();
        match t {
            TildeExpr::Home => var("HOME"),
            TildeExpr::WorkingDir => var("PWD"),
            TildeExpr::OldWorkingDir => var("OLDPWD"),
            TildeExpr::UserHome(user) => format!("~{user}"),
            TildeExpr::NthDirFromTopOfDirStack { n, plus_used } => {
                format!("~{}{n}", if *plus_used { "+" } else { "" })
            }
            TildeExpr::NthDirFromBottomOfDirStack { n } => format!("~-{n}"),
        }
    }

    /// Runs `src` in a forked shell whose stdout is captured; trailing newlines removed.
    pub fn command_subst(&mut self, src: &str) -> Res<String> {
        self.check_stop()?;
        self.enter()?;
        let result = self.capture_output(src);
        self.leave();
        let (bytes, status) = result?;
        self.status = status;
        self.subst_status = Some(status);
        let mut text = crate::bytes::decode_vec(bytes);
        let trimmed = text.trim_end_matches('\n').len();
        text.truncate(trimmed);
        Ok(text)
    }

    fn capture_output(&mut self, src: &str) -> Res<(Vec<u8>, i32)> {
        let parsed = crate::parse::parse(src, self.ctx.limits.max_nesting, &self.syntax(src))?;
        if let Some(file) = read_only_redirect(&parsed) {
            return self.read_file_subst(&file);
        }
        let mut child = self.fork(self.stop.clone())?;
        let capture = Arc::new(Capture::new(self.ctx.budget.remaining()));
        child.fds[1] = Some(capture.clone());
        // bash runs a substitution without `set -e`, unless `inherit_errexit` or POSIX (dash)
        // says it keeps it.
        if !(self.ctx.posix || self.opts.shopts.inherit_errexit) {
            child.opts.errexit = false;
        }
        child.line_base = self.line.saturating_sub(1);
        let r = child.run_parsed(&parsed);
        let r = child.caught_in_subshell(r);
        let status = child.finish_process(r)?;
        drop(child);
        if capture.overflowed() {
            return Err(Flow::Fatal(crate::ShellError::MemoryLimit {
                limit: self.ctx.limits.max_memory,
            }));
        }
        Ok((capture.take(), status))
    }
}

/// Inside backquotes, `\$` and `\\` lose their backslash before the command is parsed.
fn unescape_backquoted(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('$' | '\\')) {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// `$(< FILE)`: the word of a substitution that is only an input redirection.
fn read_only_redirect(parsed: &crate::parse::Parsed) -> Option<String> {
    use brush_parser::ast::{
        Command, CommandPrefixOrSuffixItem as Item, IoFileRedirectKind, IoFileRedirectTarget,
        IoRedirect,
    };
    let [cc] = parsed.program.complete_commands.as_slice() else {
        return None;
    };
    let [item] = cc.0.as_slice() else {
        return None;
    };
    if !item.0.additional.is_empty() || item.0.first.seq.len() != 1 {
        return None;
    }
    let Command::Simple(s) = &item.0.first.seq[0] else {
        return None;
    };
    if s.word_or_name.is_some() || s.suffix.is_some() {
        return None;
    }
    match s.prefix.as_ref()?.0.as_slice() {
        [
            Item::IoRedirect(IoRedirect::File(
                None | Some(0),
                IoFileRedirectKind::Read,
                IoFileRedirectTarget::Filename(w),
            )),
        ] => Some(w.value.clone()),
        _ => None,
    }
}

impl Shell {
    /// `$(< FILE)`: the file's contents, read through the mounts.
    fn read_file_subst(&mut self, word: &str) -> Res<(Vec<u8>, i32)> {
        let path = self.expand_string(word)?;
        match self.open_path(&path, crate::os::OpenMode::READ, &self.fds) {
            Ok(io) => match crate::stream::read_to_end(&*io, self.ctx.budget.remaining()) {
                Ok(bytes) => Ok((bytes, 0)),
                Err(_) => Err(Flow::Fatal(crate::ShellError::MemoryLimit {
                    limit: self.ctx.limits.max_memory,
                })),
            },
            Err(e) => {
                self.error(&format!("{path}: {e}"))?;
                Ok((Vec::new(), 1))
            }
        }
    }
}

/// Whether `piece` is `$@` (which yields no field at all when there are no parameters).
fn is_at(piece: &WordPiece) -> bool {
    use brush_parser::word::{Parameter, ParameterExpr, SpecialParameter};
    matches!(
        piece,
        WordPiece::ParameterExpansion(ParameterExpr::Parameter {
            parameter: Parameter::Special(SpecialParameter::AllPositionalParameters {
                concatenate: false
            }),
            ..
        })
    )
}

/// An expansion result: split when unquoted.
fn result_part(text: String, quoted: bool) -> Part {
    Part::Text {
        text,
        quoted,
        split: !quoted,
    }
}

/// Decodes the escapes of `$'...'`.
pub(crate) fn ansi_c(s: &str, utf8: bool) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' | '\'' | '"' | '?' => out.push(e),
            'x' => match numeric(&mut chars, 16, 2) {
                Some(v) => out.push(crate::bytes::byte_char(v as u8)),
                None => out.push_str("\\x"),
            },
            'u' | 'U' => match numeric(&mut chars, 16, if e == 'u' { 4 } else { 8 }) {
                Some(v) => crate::bytes::push_code_point(&mut out, v, utf8),
                None => {
                    out.push('\\');
                    out.push(e);
                }
            },
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(crate::bytes::byte_char((v & 0xff) as u8));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

fn numeric(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    radix: u32,
    max: usize,
) -> Option<u32> {
    let mut v = 0u32;
    let mut n = 0;
    while n < max {
        match chars.peek().and_then(|c| c.to_digit(radix)) {
            Some(d) => {
                v = v * radix + d;
                chars.next();
                n += 1;
            }
            None => break,
        }
    }
    (n > 0).then_some(v)
}

/// The words a brace expression stands for, at most `max` of them.
pub(super) fn brace_words(pieces: &[BraceExpressionOrText], max: usize) -> Vec<String> {
    let mut words = vec![String::new()];
    for piece in pieces {
        let alts: Vec<String> = match piece {
            BraceExpressionOrText::Text(t) => vec![t.clone()],
            BraceExpressionOrText::Expr(members) => members
                .iter()
                .flat_map(|m| member_words(m, max))
                .take(max)
                .collect(),
        };
        let mut next = Vec::new();
        'outer: for w in &words {
            for a in &alts {
                if next.len() >= max {
                    break 'outer;
                }
                next.push(format!("{w}{a}"));
            }
        }
        words = next;
    }
    words
}

fn member_words(m: &BraceExpressionMember, max: usize) -> Vec<String> {
    match m {
        BraceExpressionMember::NumberSequence {
            start,
            end,
            increment,
        } => sequence(*start, *end, *increment, max)
            .map(|n| n.to_string())
            .collect(),
        BraceExpressionMember::CharSequence {
            start,
            end,
            increment,
        } => sequence(*start as i64, *end as i64, *increment, max)
            .filter_map(|n| char::from_u32(u32::try_from(n).ok()?))
            .map(String::from)
            .collect(),
        BraceExpressionMember::Child(pieces) => brace_words(pieces, max),
    }
}

fn sequence(start: i64, end: i64, step: i64, max: usize) -> impl Iterator<Item = i64> {
    let step = step.unsigned_abs().max(1) as i64;
    let step = if end >= start { step } else { -step };
    let mut cur = Some(start);
    std::iter::from_fn(move || {
        let v = cur?;
        let next = v.checked_add(step);
        cur = next.filter(|n| if step > 0 { *n <= end } else { *n >= end });
        Some(v)
    })
    .take(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_c_escapes() {
        assert_eq!(ansi_c(r"a\tb\n", true), "a\tb\n");
        assert_eq!(ansi_c(r"\x41\101\'", true), "AA'");
    }

    #[test]
    fn sequences_count_both_ways() {
        assert_eq!(sequence(1, 3, 1, 10).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(sequence(3, 1, 1, 10).collect::<Vec<_>>(), vec![3, 2, 1]);
        assert_eq!(sequence(0, i64::MAX, 1, 4).count(), 4);
    }
}
