//! The comparison both suites share: run every item, rerun the ones whose outcome is not what
//! the list says (a quarter as many at once, with twice the time: machines are shared and
//! noisy), and either
//! report the surprises or, with `--update`, write the outcomes into the list.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use agentos_sdk::ExecSpec;

use crate::expectations::{Expectations, Outcome};
use crate::report::Verdict;
use crate::runner::{Pool, Run, run_all};

/// How a comparison runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Guests in flight at once.
    pub jobs: usize,
    /// Wall-time limit per guest.
    pub limit: Duration,
    /// Write outcomes into the list instead of failing on surprises.
    pub update: bool,
    /// Every item of the suite ran (no filter): entries for names that are gone are stale.
    pub complete: bool,
}

/// What a comparison found.
#[derive(Debug, Default)]
pub struct Checked {
    /// One per item, in the items' order (the rerun's verdict where there was one).
    pub verdicts: Vec<Verdict>,
    /// Outcomes the list did not expect, and stale entries: each fails the check.
    pub surprises: Vec<String>,
    /// Items whose two runs disagreed.
    pub flaky: Vec<String>,
}

/// Runs `items` and compares with `list` (or updates it, see [`Options::update`]).
///
/// # Errors
/// When the runs cannot be set up (scratch directories, a task that panicked).
pub async fn conform<T, S, V>(
    pool: Arc<Pool>,
    items: &[T],
    name: impl Fn(&T) -> String,
    spec: S,
    verdict: V,
    list: &mut Expectations,
    opts: Options,
) -> anyhow::Result<Checked>
where
    T: Sync + Clone,
    S: Fn(&T, &Path, Duration) -> ExecSpec + Send + Sync,
    V: Fn(&T, &Run) -> (Outcome, String),
{
    let limit = opts.limit;
    let runs = run_all(pool.clone(), items, opts.jobs, limit, |item, scratch| {
        spec(item, scratch, limit)
    })
    .await?;
    let mut verdicts: Vec<Verdict> = items
        .iter()
        .zip(&runs)
        .map(|(item, run)| to_verdict(name(item), verdict(item, run), run))
        .collect();

    let again: Vec<usize> = (0..items.len())
        .filter(|&i| !list.accepts(&verdicts[i].name, verdicts[i].outcome))
        .collect();
    let mut checked = Checked::default();
    if !again.is_empty() {
        eprintln!(
            "conformance: {} outcome(s) differ from the list; running them again",
            again.len()
        );
        let retry: Vec<T> = again.iter().map(|&i| items[i].clone()).collect();
        let slow = limit * 2;
        let jobs = opts.jobs.div_ceil(4).max(2).min(opts.jobs);
        let reruns = run_all(pool, &retry, jobs, slow, |item, scratch| {
            spec(item, scratch, slow)
        })
        .await?;
        for (&i, (item, run)) in again.iter().zip(retry.iter().zip(&reruns)) {
            let second = to_verdict(name(item), verdict(item, run), run);
            let first = std::mem::replace(&mut verdicts[i], second);
            let second = &verdicts[i];
            if first.outcome != second.outcome {
                checked.flaky.push(format!(
                    "{}: {} ({}), then {} ({})",
                    second.name,
                    first.outcome.as_str(),
                    first.reason,
                    second.outcome.as_str(),
                    second.reason
                ));
                if opts.update {
                    list.mark_flaky(&second.name, &flaky_reason(&first, second));
                }
            }
        }
    }

    for v in &verdicts {
        if opts.update {
            list.record(&v.name, v.outcome, &v.reason);
        } else if !list.accepts(&v.name, v.outcome) {
            checked.surprises.push(surprise(list, v));
        }
    }
    if opts.complete {
        let present: std::collections::BTreeSet<&str> =
            verdicts.iter().map(|v| v.name.as_str()).collect();
        let stale: Vec<String> = list
            .entries
            .keys()
            .filter(|name| !present.contains(name.as_str()))
            .cloned()
            .collect();
        for name in stale {
            if opts.update {
                list.entries.remove(&name);
            } else {
                checked
                    .surprises
                    .push(format!("{name}: listed, but there is no such file"));
            }
        }
    }
    checked.verdicts = verdicts;
    Ok(checked)
}

fn to_verdict(name: String, (outcome, reason): (Outcome, String), run: &Run) -> Verdict {
    Verdict {
        name,
        outcome,
        reason,
        ms: u64::try_from(run.elapsed.as_millis()).unwrap_or(u64::MAX),
    }
}

fn flaky_reason(first: &Verdict, second: &Verdict) -> String {
    let failing = if first.outcome == Outcome::Pass {
        second
    } else {
        first
    };
    format!(
        "timing-dependent here: {} then {}; {}",
        first.outcome.as_str(),
        second.outcome.as_str(),
        failing.reason
    )
}

fn surprise(list: &Expectations, v: &Verdict) -> String {
    match (list.entries.get(&v.name), v.outcome) {
        (Some(_), Outcome::Pass) => format!("{}: passes now; remove it from the list", v.name),
        (Some(entry), outcome) => format!(
            "{}: {} ({}), listed as {:?} ({})",
            v.name,
            outcome.as_str(),
            v.reason,
            entry.expected,
            entry.reason
        ),
        (None, outcome) => format!("{}: {} ({})", v.name, outcome.as_str(), v.reason),
    }
}
