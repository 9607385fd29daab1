//! Where each hunk went, for GNU patch's messages: flickzeug applies a diff but does not say at
//! which line each hunk landed, so the old side of each hunk is looked up here the way GNU patch
//! looks for it (exactly, nearest the expected line first; then with context lines dropped at
//! the edges, up to the fuzz factor).

use flickzeug::{Hunk, Line};

/// How a hunk that applied fitted, as GNU patch reports it.
pub(super) enum Fit {
    /// At the line the header names: nothing to say.
    Exact,
    /// At `line`, `offset` lines from where the header said.
    Offset { line: usize, offset: isize },
    /// At `line`, with `fuzz` context lines ignored at each edge.
    Fuzz { line: usize, fuzz: usize },
}

impl Fit {
    /// GNU patch's line for hunk `number`, if there is one to print.
    pub(super) fn message(&self, number: usize) -> Option<String> {
        match *self {
            Fit::Exact => None,
            Fit::Offset { line, offset } => {
                let s = if offset.unsigned_abs() == 1 { "" } else { "s" };
                Some(format!(
                    "Hunk #{number} succeeded at {line} (offset {offset} line{s})."
                ))
            }
            Fit::Fuzz { line, fuzz } => Some(format!(
                "Hunk #{number} succeeded at {line} with fuzz {fuzz}."
            )),
        }
    }

    /// Whether GNU patch would keep a `.orig` backup for this fit.
    pub(super) fn mismatch(&self) -> bool {
        !matches!(self, Fit::Exact)
    }
}

/// The old side (context and deleted lines) of `hunk`.
fn old_side<'a>(hunk: &'a Hunk<'a, [u8]>) -> Vec<&'a [u8]> {
    hunk.lines()
        .iter()
        .filter_map(|line| match line {
            Line::Context((text, _)) | Line::Delete((text, _)) => Some(*text),
            Line::Insert(_) => None,
        })
        .collect()
}

/// How `hunk` fits `lines` (the file's lines without their ends), searching from the header's
/// line moved by `shift` (how far the hunks before it were found from theirs).
pub(super) fn fit(hunk: &Hunk<'_, [u8]>, lines: &[&[u8]], shift: isize, max_fuzz: usize) -> Fit {
    let old = old_side(hunk);
    let header = hunk.old_range().start().max(1);
    let expected = header.saturating_add_signed(shift);
    for fuzz in 0..=max_fuzz.min(old.len() / 2) {
        let core = &old[fuzz..old.len() - fuzz];
        if let Some(at) = nearest(core, lines, (expected + fuzz).saturating_sub(1)) {
            let line = at + 1 - fuzz;
            let offset = line as isize - header as isize;
            return match (fuzz, offset) {
                (0, 0) => Fit::Exact,
                (0, _) => Fit::Offset { line, offset },
                _ => Fit::Fuzz { line, fuzz },
            };
        }
    }
    Fit::Fuzz {
        line: expected,
        fuzz: max_fuzz,
    }
}

/// The start (0-based) of the occurrence of `needle` in `lines` nearest `from`.
fn nearest(needle: &[&[u8]], lines: &[&[u8]], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from.min(lines.len()));
    }
    let last = lines.len().checked_sub(needle.len())?;
    let from = from.min(last);
    let matches = |at: usize| lines[at..at + needle.len()] == *needle;
    (0..=last.max(from)).find_map(|d| {
        let after = from + d;
        if d <= from && matches(from - d) {
            return Some(from - d);
        }
        (after <= last && matches(after)).then_some(after)
    })
}

/// `text`'s lines without their `\n` (and a `\r` before it).
pub(super) fn lines_of(text: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    if text.ends_with(b"\n") {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}
