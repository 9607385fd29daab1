//! swc's diagnostics as Node 22.22 reports them (its amaro 1.x): each message as it is, and where
//! the first one points (line, column, length, the line's text), for the arrow Node prints above
//! the error.

use std::sync::{Arc, Mutex};

use swc_common::errors::{DiagnosticBuilder, Emitter};
use swc_common::sync::Lrc;
use swc_common::{SourceMap, Span};

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// 1-based.
    pub line: usize,
    /// 0-based, in characters.
    pub column: usize,
    /// Characters covered on that line (at least 1).
    pub length: usize,
    /// The line.
    pub text: String,
}

/// One diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub place: Option<Place>,
}

/// The messages of `notes`, one per line.
pub(crate) fn joined(notes: &[Note]) -> String {
    let messages: Vec<&str> = notes.iter().map(|n| n.message.as_str()).collect();
    messages.join("\n")
}

/// An emitter keeping what swc reports.
pub(crate) struct Collect {
    pub(crate) cm: Lrc<SourceMap>,
    pub(crate) notes: Arc<Mutex<Vec<Note>>>,
}

impl Emitter for Collect {
    fn emit(&mut self, db: &mut DiagnosticBuilder<'_>) {
        let place = db.span.primary_span().map(|span| self.place(span));
        if let Ok(mut notes) = self.notes.lock() {
            notes.push(Note {
                message: db.message(),
                place,
            });
        }
    }
}

impl Collect {
    fn place(&self, span: Span) -> Place {
        let lo = self.cm.lookup_char_pos(span.lo);
        let hi = self.cm.lookup_char_pos(span.hi);
        let text = lo.file.get_line(lo.line - 1).unwrap_or_default();
        let text = text.trim_end().to_owned();
        let end = if hi.line == lo.line {
            hi.col.0
        } else {
            text.chars().count()
        };
        Place {
            line: lo.line,
            column: lo.col.0,
            length: end.saturating_sub(lo.col.0).max(1),
            text,
        }
    }
}
