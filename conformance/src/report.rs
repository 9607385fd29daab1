//! Tallies, Markdown tables, the most common reasons, and rewriting a marked section of a
//! README (`<!-- NAME:begin -->` ... `<!-- NAME:end -->`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;

use crate::expectations::Outcome;

/// One file's result.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// Its name in the list.
    pub name: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Why, when it did not pass.
    pub reason: String,
    /// Wall time seen by the host, ms.
    pub ms: u64,
}

/// Counts of one table row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Files.
    pub files: usize,
    /// Passed.
    pub pass: usize,
    /// Skipped themselves.
    pub skip: usize,
    /// Failed.
    pub fail: usize,
}

impl Tally {
    /// Counts one outcome.
    pub fn add(&mut self, outcome: Outcome) {
        self.files += 1;
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Skip => self.skip += 1,
            Outcome::Fail => self.fail += 1,
        }
    }

    /// Adds another row's counts.
    pub fn merge(&mut self, other: Tally) {
        self.files += other.files;
        self.pass += other.pass;
        self.skip += other.skip;
        self.fail += other.fail;
    }

    /// Passes as a percentage of files, one decimal.
    pub fn percent(&self) -> String {
        if self.files == 0 {
            return "-".into();
        }
        format!("{:.1} %", self.pass as f64 * 100.0 / self.files as f64)
    }
}

/// A Markdown table of labelled rows; a label in `**` is a total.
pub fn table(rows: &[(String, Tally)]) -> String {
    let mut out = String::from(
        "| module | files | pass | skip | fail | pass % |\n|---|--:|--:|--:|--:|--:|\n",
    );
    for (label, t) in rows {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} |",
            t.files,
            t.pass,
            t.skip,
            t.fail,
            t.percent()
        );
    }
    out
}

/// The `n` most frequent reasons among the verdicts that did not pass, with their counts.
pub fn top_reasons(verdicts: &[Verdict], n: usize) -> Vec<(usize, String)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in verdicts.iter().filter(|v| v.outcome != Outcome::Pass) {
        *counts.entry(v.reason.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(usize, String)> = counts
        .into_iter()
        .map(|(reason, count)| (count, reason.to_string()))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked.truncate(n);
    ranked
}

/// Replaces the body between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in `text`.
///
/// # Errors
/// When the markers are missing or out of order.
pub fn replace_section(text: &str, name: &str, body: &str) -> anyhow::Result<String> {
    let begin = format!("<!-- {name}:begin -->");
    let end = format!("<!-- {name}:end -->");
    let (Some(b), Some(e)) = (text.find(&begin), text.find(&end)) else {
        bail!("no {begin} ... {end} section");
    };
    if e < b {
        bail!("{end} comes before {begin}");
    }
    let head = &text[..b + begin.len()];
    let tail = &text[e..];
    Ok(format!("{head}\n{}\n{tail}", body.trim_end()))
}

/// Rewrites the section `name` of each file in `files` that has it; a file with none of the
/// sections is an error (a typo in a path must not pass silently).
///
/// # Errors
/// Unreadable or unwritable files, or a file without any of the sections.
pub fn update_files(files: &[impl AsRef<Path>], sections: &[(&str, String)]) -> anyhow::Result<()> {
    for file in files {
        let file = file.as_ref();
        let mut text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let mut touched = false;
        for (name, body) in sections {
            if let Ok(next) = replace_section(&text, name, body) {
                text = next;
                touched = true;
            }
        }
        if !touched {
            let names: Vec<&str> = sections.iter().map(|(n, _)| *n).collect();
            bail!("{} has none of the sections {names:?}", file.display());
        }
        std::fs::write(file, text).with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_and_percent() {
        let mut t = Tally::default();
        for o in [Outcome::Pass, Outcome::Pass, Outcome::Fail, Outcome::Skip] {
            t.add(o);
        }
        assert_eq!((t.files, t.pass, t.skip, t.fail), (4, 2, 1, 1));
        assert_eq!(t.percent(), "50.0 %");
        assert_eq!(Tally::default().percent(), "-");
    }

    #[test]
    fn section_is_replaced_between_markers() {
        let text = "a\n<!-- x:begin -->\nold\n<!-- x:end -->\nb\n";
        let next = replace_section(text, "x", "new\n").unwrap();
        assert_eq!(next, "a\n<!-- x:begin -->\nnew\n<!-- x:end -->\nb\n");
        assert!(replace_section(text, "y", "new").is_err());
        assert!(replace_section("<!-- x:end --><!-- x:begin -->", "x", "").is_err());
    }

    #[test]
    fn reasons_are_ranked_by_count() {
        let v = |name: &str, outcome, reason: &str| Verdict {
            name: name.into(),
            outcome,
            reason: reason.into(),
            ms: 0,
        };
        let verdicts = [
            v("a", Outcome::Fail, "no assert"),
            v("b", Outcome::Fail, "no assert"),
            v("c", Outcome::Skip, "no crypto"),
            v("d", Outcome::Pass, ""),
        ];
        assert_eq!(
            top_reasons(&verdicts, 5),
            [(2, "no assert".to_string()), (1, "no crypto".to_string())]
        );
    }
}
