//! Text renderings: the results table (plain or Markdown), the goals, the `--matrix` table with
//! one column per setting, and the gate's comparison.

use std::fmt::Write as _;

use crate::gate::{Row, Verdict};
use crate::report::GoalResult;
use crate::report::{Column, Report, ScenarioResult, Status};

/// Lays out `rows` under `headers`: aligned plain text, or a Markdown table.
pub fn render(headers: &[&str], rows: &[Vec<String>], markdown: bool) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let padded: Vec<String> = (cells.zip(&widths))
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        if markdown {
            format!("| {} |\n", padded.join(" | "))
        } else {
            format!("{}\n", padded.join("  ").trim_end())
        }
    };
    let mut out = line(&mut headers.iter().copied());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&mut rule.iter().map(String::as_str)));
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

fn ms(v: Option<f64>) -> String {
    v.map_or("-".to_owned(), |v| format!("{v:.3}"))
}

/// The value a one-number view shows: execs/s, MiB or p50 ms; the skip or failure otherwise.
fn headline(r: &ScenarioResult) -> String {
    match (r.status, r.per_sec, r.rss_mib, r.p50_ms) {
        (Status::Ok, Some(per_sec), ..) => format!("{per_sec:.0}/s"),
        (Status::Ok, _, Some(mib), _) => format!("{mib:.1} MiB"),
        (Status::Ok, _, _, Some(p50)) => format!("{p50:.3}"),
        (Status::Skipped, ..) => "skipped".to_owned(),
        _ => "FAILED".to_owned(),
    }
}

/// The results table: one row per scenario.
pub fn results(results: &[ScenarioResult], markdown: bool) -> String {
    let headers = [
        "scenario", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "runs", "other", "x peer",
        "note",
    ];
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let other = match (r.per_sec, r.rss_mib) {
                (Some(per_sec), _) => format!("{per_sec:.0} execs/s"),
                (_, Some(mib)) => format!("{mib:.1} MiB"),
                _ => String::new(),
            };
            let ratio = match (r.ratio_to_peer, &r.peer) {
                (Some(x), Some(peer)) => format!("{x:.2} x {peer}"),
                _ => String::new(),
            };
            let note = match r.status {
                Status::Failed => format!("FAILED: {}", r.note),
                _ => r.note.clone(),
            };
            vec![
                r.name.clone(),
                ms(r.p50_ms),
                ms(r.p95_ms),
                ms(r.p99_ms),
                ms(r.min_ms),
                ms(r.max_ms),
                r.runs.to_string(),
                other,
                ratio,
                note,
            ]
        })
        .collect();
    render(&headers, &rows, markdown)
}

/// The goals, met or not.
pub fn goals(goals: &[GoalResult], markdown: bool) -> String {
    let rows: Vec<Vec<String>> = goals
        .iter()
        .map(|g| {
            vec![
                g.scenario.clone(),
                g.goal.clone(),
                g.actual.clone(),
                g.verdict().to_owned(),
            ]
        })
        .collect();
    render(
        &["scenario", "goal", "this run", "verdict"],
        &rows,
        markdown,
    )
}

/// `--matrix`: one row per scenario, one column per setting (p50 ms, execs/s or MiB).
pub fn matrix(columns: &[Column], markdown: bool) -> String {
    let Some(first) = columns.first() else {
        return String::new();
    };
    let mut headers = vec!["scenario (p50 ms)"];
    headers.extend(columns.iter().map(|c| c.setting.as_str()));
    let rows: Vec<Vec<String>> = (first.scenarios.iter())
        .map(|r| {
            let mut row = vec![r.name.clone()];
            for c in columns {
                let cell = c.scenarios.iter().find(|x| x.name == r.name);
                row.push(cell.map_or("-".to_owned(), headline));
            }
            row
        })
        .collect();
    render(&headers, &rows, markdown)
}

/// The whole report as Markdown, for the README.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let m = &report.machine;
    let _ = writeln!(
        out,
        "Measured with `agentos-bench` ({} mode) at `{}` on {} ({} cores).\n",
        report.mode,
        short(&report.git_rev),
        m.cpu_model,
        m.cores
    );
    out.push_str(&results(&report.scenarios, true));
    out.push_str("\nGoals:\n\n");
    out.push_str(&goals(&report.goals, true));
    if !report.matrix.is_empty() {
        out.push_str("\nSettings side by side:\n\n");
        out.push_str(&matrix(&report.matrix, true));
    }
    out
}

fn short(rev: &str) -> &str {
    rev.get(..12).unwrap_or(rev)
}

/// The gate's comparison table.
pub fn gate(rows: &[Row]) -> String {
    let x = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.2}x"));
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut verdict = r.verdict.word().to_owned();
            if r.verdict == Verdict::Skipped && !r.note.is_empty() {
                verdict.clone_from(&r.note);
            } else if !r.note.is_empty() {
                let _ = write!(verdict, ": {}", r.note);
            }
            vec![
                r.scenario.to_owned(),
                ms(r.baseline),
                ms(r.current),
                x(r.ratio),
                x(r.normalised),
                verdict,
            ]
        })
        .collect();
    let headers = [
        "scenario",
        "baseline p50 ms",
        "current p50 ms",
        "ratio",
        "vs machine",
        "verdict",
    ];
    render(&headers, &table, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_aligns_plain_and_markdown() {
        let rows = vec![vec!["a".to_owned(), "1.000".to_owned()]];
        assert_eq!(
            render(&["name", "v"], &rows, false),
            "name  v\n----  -----\na     1.000\n"
        );
        assert_eq!(
            render(&["name", "v"], &rows, true),
            "| name | v     |\n| ---- | ----- |\n| a    | 1.000 |\n"
        );
    }
}
