//! Field splitting (POSIX 2.6.5): unquoted expansion results are cut at `$IFS` characters.
//! IFS whitespace runs delimit once and vanish at the edges; every other IFS character
//! delimits a field (possibly empty), absorbing the whitespace around it.

use super::pattern::escape;
use super::{Field, Part};

/// Builds the fields of one word from its parts.
pub(super) fn split(parts: &[Part], ifs: &str) -> Vec<Field> {
    let mut s = Splitter {
        fields: Vec::new(),
        cur: None,
        ws_ended: false,
    };
    for part in parts {
        match part {
            Part::Break => s.finish(),
            Part::Text {
                text, split: true, ..
            } => s.split_text(text, ifs),
            Part::Text { text, quoted, .. } => s.append(text, *quoted),
        }
    }
    s.finish();
    s.fields
}

struct Splitter {
    fields: Vec<Field>,
    cur: Option<Field>,
    /// The last field was ended by IFS whitespace; a following non-whitespace delimiter
    /// belongs to the same delimiter.
    ws_ended: bool,
}

impl Splitter {
    fn append(&mut self, text: &str, quoted: bool) {
        let f = self.cur.get_or_insert_with(Field::default);
        f.text.push_str(text);
        if quoted {
            f.pattern.push_str(&escape(text));
        } else {
            f.pattern.push_str(text);
            f.glob |= super::pattern::has_meta(text);
        }
        self.ws_ended = false;
    }

    fn push_char(&mut self, c: char) {
        let f = self.cur.get_or_insert_with(Field::default);
        f.text.push(c);
        f.pattern.push(c);
        f.glob |= matches!(c, '*' | '?' | '[');
        self.ws_ended = false;
    }

    fn split_text(&mut self, text: &str, ifs: &str) {
        for c in text.chars() {
            if !ifs.contains(c) {
                self.push_char(c);
            } else if matches!(c, ' ' | '\t' | '\n') {
                if self.cur.is_some() {
                    self.finish();
                    self.ws_ended = true;
                }
            } else if self.cur.is_some() {
                self.finish();
            } else if self.ws_ended {
                self.ws_ended = false;
            } else {
                self.fields.push(Field::default());
            }
        }
    }

    fn finish(&mut self) {
        if let Some(f) = self.cur.take() {
            self.fields.push(f);
        }
        self.ws_ended = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(parts: &[Part], ifs: &str) -> Vec<String> {
        split(parts, ifs).into_iter().map(|f| f.text).collect()
    }

    fn exp(s: &str) -> Part {
        Part::Text {
            text: s.into(),
            quoted: false,
            split: true,
        }
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(texts(&[exp("  a  b ")], " \t\n"), vec!["a", "b"]);
    }

    #[test]
    fn other_delimiters_keep_empty_fields() {
        assert_eq!(texts(&[exp("a,,b")], ","), vec!["a", "", "b"]);
        assert_eq!(texts(&[exp(",a")], ","), vec!["", "a"]);
        assert_eq!(texts(&[exp("a,")], ","), vec!["a"]);
        assert_eq!(texts(&[exp("a , b")], " ,"), vec!["a", "b"]);
    }

    #[test]
    fn empty_unquoted_vanishes_quoted_stays() {
        assert!(texts(&[exp("")], " ").is_empty());
        assert_eq!(texts(&[Part::quoted("")], " "), vec![""]);
    }

    #[test]
    fn quoted_text_joins_split_edges() {
        assert_eq!(
            texts(&[exp("a "), Part::quoted("b")], " \t\n"),
            vec!["a", "b"]
        );
        assert_eq!(
            texts(&[Part::quoted("x"), exp("a b")], " \t\n"),
            vec!["xa", "b"]
        );
    }
}
