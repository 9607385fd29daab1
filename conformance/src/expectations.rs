//! The checked-in expectations lists: one line per file expected not to pass,
//! `NAME  OUTCOME  REASON`, where OUTCOME is `fail`, `skip` or `flaky` (either outcome is
//! accepted). A name that is not listed is expected to pass.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, bail};
use serde::Serialize;

/// How one file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Exit 0, and the expected output where there is one.
    Pass,
    /// Anything else: a non-zero exit, a limit, a wrong output.
    Fail,
    /// The test skipped itself (`1..0 # Skipped: ...`, exit 0): not a pass.
    Skip,
}

impl Outcome {
    /// The word used in the lists and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Skip => "skip",
        }
    }
}

/// What the list says about one file that is not expected to pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Expected to fail.
    Fail,
    /// Expected to skip itself.
    Skip,
    /// Known to be timing-dependent here: any outcome is accepted.
    Flaky,
}

impl Expected {
    fn parse(word: &str) -> Option<Self> {
        match word {
            "fail" => Some(Expected::Fail),
            "skip" => Some(Expected::Skip),
            "flaky" => Some(Expected::Flaky),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Expected::Fail => "fail",
            Expected::Skip => "skip",
            Expected::Flaky => "flaky",
        }
    }

    /// The entry an outcome other than a pass is recorded as.
    pub fn of(outcome: Outcome) -> Option<Self> {
        match outcome {
            Outcome::Pass => None,
            Outcome::Fail => Some(Expected::Fail),
            Outcome::Skip => Some(Expected::Skip),
        }
    }
}

/// One listed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The expected outcome.
    pub expected: Expected,
    /// Why, in a few words.
    pub reason: String,
}

/// A parsed list: the comment block that heads it (kept as written) and the entries.
#[derive(Debug, Clone, Default)]
pub struct Expectations {
    /// The leading comment lines, `#` included.
    pub header: Vec<String>,
    /// Entries by file name.
    pub entries: BTreeMap<String, Entry>,
}

impl Expectations {
    /// Parses a list; a line with an unknown outcome word is an error naming the line.
    ///
    /// # Errors
    /// A malformed line.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut list = Expectations::default();
        let mut in_header = true;
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.starts_with('#') {
                if in_header {
                    list.header.push(trimmed.to_string());
                }
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            in_header = false;
            let (name, rest) = split_word(trimmed);
            let (word, reason) = split_word(rest);
            let expected = Expected::parse(word).with_context(|| {
                format!(
                    "line {}: {word:?} is not fail, skip or flaky: {trimmed:?}",
                    index + 1
                )
            })?;
            let reason = reason.to_string();
            let entry = Entry { expected, reason };
            if list.entries.insert(name.to_string(), entry).is_some() {
                bail!("line {}: {name} is listed twice", index + 1);
            }
        }
        Ok(list)
    }

    /// Whether `outcome` of `name` is what the list says.
    pub fn accepts(&self, name: &str, outcome: Outcome) -> bool {
        match (self.entries.get(name).map(|e| e.expected), outcome) {
            (None, Outcome::Pass) => true,
            (None, _) => false,
            (Some(Expected::Flaky), _) => true,
            (Some(expected), outcome) => Expected::of(outcome) == Some(expected),
        }
    }

    /// The first header line starting with `# KEY:`, its value trimmed.
    pub fn header_value(&self, key: &str) -> Option<&str> {
        let prefix = format!("# {key}:");
        self.header
            .iter()
            .find_map(|line| line.strip_prefix(&prefix))
            .map(str::trim)
    }

    /// Records a fresh outcome: a pass removes the entry, another outcome is written with its
    /// fresh reason (the list says why a file fails today, not when it first failed). Flaky
    /// entries are left alone: they are set by hand or by a disagreeing rerun
    /// ([`Expectations::mark_flaky`]).
    pub fn record(&mut self, name: &str, outcome: Outcome, reason: &str) {
        if self.entries.get(name).map(|e| e.expected) == Some(Expected::Flaky) {
            return;
        }
        match Expected::of(outcome) {
            None => {
                self.entries.remove(name);
            }
            Some(expected) => {
                let reason = reason.to_string();
                self.entries
                    .insert(name.to_string(), Entry { expected, reason });
            }
        }
    }

    /// Lists `name` as flaky: two runs disagreed.
    pub fn mark_flaky(&mut self, name: &str, what: &str) {
        let entry = Entry {
            expected: Expected::Flaky,
            reason: what.to_string(),
        };
        self.entries.insert(name.to_string(), entry);
    }

    /// The list as text: the header, a blank line, then one aligned line per entry.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.header {
            out.push_str(line);
            out.push('\n');
        }
        if !self.header.is_empty() {
            out.push('\n');
        }
        let width = self.entries.keys().map(String::len).max().unwrap_or(0);
        for (name, entry) in &self.entries {
            let _ = writeln!(
                out,
                "{name:width$}  {:5}  {}",
                entry.expected.as_str(),
                entry.reason
            );
        }
        out
    }
}

/// The first whitespace-separated word and the rest, trimmed.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (text, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "# head\n# source: nodejs 22\n\na.js      fail    no assert\nb.js skip  no crypto\nc.js flaky  timing\n";

    #[test]
    fn parse_keeps_header_and_entries() {
        let list = Expectations::parse(LIST).unwrap();
        assert_eq!(list.header, ["# head", "# source: nodejs 22"]);
        assert_eq!(list.header_value("source"), Some("nodejs 22"));
        assert_eq!(list.entries["a.js"].reason, "no assert");
        assert_eq!(list.entries["b.js"].expected, Expected::Skip);
    }

    #[test]
    fn accepts_is_strict_except_for_flaky() {
        let list = Expectations::parse(LIST).unwrap();
        assert!(list.accepts("a.js", Outcome::Fail));
        assert!(!list.accepts("a.js", Outcome::Pass));
        assert!(!list.accepts("a.js", Outcome::Skip));
        assert!(list.accepts("b.js", Outcome::Skip));
        assert!(list.accepts("c.js", Outcome::Pass));
        assert!(list.accepts("c.js", Outcome::Fail));
        assert!(list.accepts("new.js", Outcome::Pass));
        assert!(!list.accepts("new.js", Outcome::Fail));
    }

    #[test]
    fn record_writes_fresh_outcomes_and_reasons_but_keeps_flaky_entries() {
        let mut list = Expectations::parse(LIST).unwrap();
        list.record("a.js", Outcome::Fail, "something else");
        list.record("b.js", Outcome::Fail, "now fails");
        list.record("c.js", Outcome::Pass, "");
        list.record("d.js", Outcome::Skip, "skips");
        list.record("e.js", Outcome::Pass, "");
        assert_eq!(list.entries["a.js"].reason, "something else");
        assert_eq!(list.entries["b.js"].expected, Expected::Fail);
        assert_eq!(list.entries["c.js"].expected, Expected::Flaky);
        assert_eq!(list.entries["d.js"].expected, Expected::Skip);
        assert!(!list.entries.contains_key("e.js"));
        list.record("a.js", Outcome::Pass, "");
        assert!(!list.entries.contains_key("a.js"));
    }

    #[test]
    fn render_round_trips() {
        let list = Expectations::parse(LIST).unwrap();
        let again = Expectations::parse(&list.render()).unwrap();
        assert_eq!(again.header, list.header);
        assert_eq!(again.entries, list.entries);
    }

    #[test]
    fn unknown_outcome_and_duplicates_are_errors() {
        assert!(Expectations::parse("a.js  broken  why\n").is_err());
        assert!(Expectations::parse("a.js fail x\na.js fail y\n").is_err());
    }
}
