//! The CI gate: this run's p50s against the committed baseline (`bench/baseline.json`).
//!
//! The rule, per gated scenario measured in both runs, with threshold `T` (default 2.0,
//! `BENCH_GATE_THRESHOLD`):
//!
//! - a baseline under 0.3 ms passes while the current p50 stays at or under 1 ms (too small to
//!   judge by a ratio);
//! - otherwise it fails only when BOTH its ratio (current p50 / baseline p50) exceeds `T` AND
//!   that ratio divided by the run's *machine factor* exceeds `T`. The machine factor is the
//!   larger current/baseline ratio of the two machine peers measured in the same run: a native
//!   fork + exec of `/bin/true` (the kernel's speed) and the host's `node -e ''` (a V8 start:
//!   snapshot, JIT, GC, the kind of work the sidecar does). A machine that is slow as a whole
//!   slows a peer too and passes; a real regression slows only the sidecar and fails. Native
//!   spawn alone under-corrects: seen in CI, native spawn 1.03x while the host's Node start,
//!   the baseline commit's own sidecar and the whole suite were all 2.1-2.3x;
//! - and it also fails only when its ratio exceeds `T` x the run's *suite factor*: the median
//!   ratio over every compared scenario, so one scenario that regresses still stands out
//!   against the median of the others.
//!
//! A regression of the whole sidecar moves the median too, so the suite is judged as one: the
//! gate fails when the suite factor divided by the machine factor (at least 1) exceeds `T`.
//! Without a machine peer on either side, the absolute comparison decides alone.
//!
//! Skipped scenarios are not failures; one measured in the baseline but skipped now is a warning.
//! One that failed to run fails the gate if the baseline had measured it.

use crate::catalog::selected;
use crate::report::{Report, ScenarioResult, Status};
use crate::scenario::{Mode, NATIVE_PEER, NODE_PEER};

/// Default regression threshold (x baseline).
pub const DEFAULT_THRESHOLD: f64 = 2.0;
/// Baselines under this many ms are judged by [`TINY_CURRENT_LIMIT_MS`] instead of a ratio.
const TINY_BASELINE_MS: f64 = 0.3;
/// A tiny baseline's scenario passes while its current p50 is at most this.
const TINY_CURRENT_LIMIT_MS: f64 = 1.0;

/// The peers whose current/baseline ratio measures how fast this machine is today.
pub const MACHINE_PEERS: [&str; 2] = [NATIVE_PEER, NODE_PEER];

/// What the gate concluded for one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within threshold.
    Pass,
    /// Sub-0.3 ms baseline, still at most 1 ms.
    PassTiny,
    /// Slower in absolute time only: the whole machine was slower (machine-normalised ok).
    PassNoisy,
    /// Slower than `T` x against the peer too, but not against the rest of this run's suite.
    PassSuite,
    /// Slower both absolutely and relative to the peer: a regression.
    Regressed,
    /// Measured now, not in the baseline: nothing to compare.
    New,
    /// Skipped now and in the baseline.
    Skipped,
    /// Measured in the baseline, skipped now: a warning.
    NowSkipped,
    /// Failed to run now; `fails` says whether that fails the gate.
    RunFailed {
        /// True when the baseline had measured it.
        fails: bool,
    },
}

impl Verdict {
    /// Whether this verdict fails the gate.
    pub fn fails(self) -> bool {
        matches!(
            self,
            Verdict::Regressed | Verdict::RunFailed { fails: true }
        )
    }

    /// Whether it deserves a warning line.
    pub fn warns(self) -> bool {
        matches!(
            self,
            Verdict::NowSkipped | Verdict::RunFailed { fails: false }
        )
    }

    /// The word printed in the table.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::PassTiny => "pass (sub-0.3 ms baseline)",
            Verdict::PassNoisy => "pass (machine slower: machine-normalised ok)",
            Verdict::PassSuite => "pass (whole run slower: suite-normalised ok)",
            Verdict::Regressed => "FAIL (regression)",
            Verdict::New => "new (no baseline)",
            Verdict::Skipped => "skipped (not available)",
            Verdict::NowSkipped => "WARNING: skipped now, measured in baseline",
            Verdict::RunFailed { fails: true } => "FAIL (did not run)",
            Verdict::RunFailed { fails: false } => "WARNING: did not run",
        }
    }
}

/// Judges one scenario measured in both runs: its baseline and current p50 (ms) and the run's
/// machine factor (None without a machine peer on both sides).
pub fn judge(base: f64, cur: f64, machine: Option<f64>, threshold: f64) -> Verdict {
    if base < TINY_BASELINE_MS && cur <= TINY_CURRENT_LIMIT_MS {
        return Verdict::PassTiny;
    }
    if cur <= threshold * base {
        return Verdict::Pass;
    }
    match machine {
        Some(m) if cur / base <= threshold * m => Verdict::PassNoisy,
        _ => Verdict::Regressed,
    }
}

/// One line of the gate's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Scenario name.
    pub scenario: &'static str,
    /// Baseline p50 (ms).
    pub baseline: Option<f64>,
    /// Current p50 (ms).
    pub current: Option<f64>,
    /// current / baseline.
    pub ratio: Option<f64>,
    /// The ratio divided by the machine factor.
    pub normalised: Option<f64>,
    /// The conclusion.
    pub verdict: Verdict,
    /// The current run's note when it did not measure.
    pub note: String,
}

/// The gate's conclusion: a row per scenario and the suite as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// One row per gated sidecar scenario.
    pub rows: Vec<Row>,
    /// The median current/baseline ratio over the compared scenarios.
    pub suite_factor: Option<f64>,
    /// Each machine peer's current/baseline ratio, where both runs measured it.
    pub peer_factors: Vec<(&'static str, f64)>,
    /// True when the suite as a whole regressed against the machine factor.
    pub suite_regressed: bool,
}

impl Outcome {
    /// The machine factor: the largest of `peer_factors` (None when there are none).
    pub fn machine_factor(&self) -> Option<f64> {
        machine_factor(&self.peer_factors)
    }

    /// The names of the failing scenarios, with `suite` when the whole suite regressed.
    pub fn failures(&self) -> Vec<&'static str> {
        let mut failed: Vec<&'static str> = (self.rows.iter())
            .filter(|r| r.verdict.fails())
            .map(|r| r.scenario)
            .collect();
        if self.suite_regressed {
            failed.push("suite (every scenario slower against the machine peers)");
        }
        failed
    }
}

/// Compares every gated sidecar scenario of `current` with `baseline`.
pub fn compare(baseline: &Report, current: &Report, threshold: f64) -> Outcome {
    let peer_factors = peer_factors(baseline, current);
    let machine_factor = machine_factor(&peer_factors);
    let mut rows = scenario_rows(baseline, current, threshold, machine_factor);
    let suite_factor = median(rows.iter().filter_map(|r| r.ratio).collect());
    let suite_regressed = match suite_factor {
        Some(m) => m > threshold * machine_factor.unwrap_or(1.0).max(1.0),
        None => false,
    };
    if let Some(m) = suite_factor.filter(|_| !suite_regressed) {
        for row in &mut rows {
            let within = row.ratio.is_some_and(|r| r <= threshold * m);
            if row.verdict == Verdict::Regressed && within {
                row.verdict = Verdict::PassSuite;
            }
        }
    }
    Outcome {
        rows,
        suite_factor,
        peer_factors,
        suite_regressed,
    }
}

fn machine_factor(peer_factors: &[(&'static str, f64)]) -> Option<f64> {
    peer_factors.iter().map(|&(_, f)| f).reduce(f64::max)
}

/// The current/baseline ratio of each machine peer both runs measured.
fn peer_factors(baseline: &Report, current: &Report) -> Vec<(&'static str, f64)> {
    let p50 = |r: &Report, name| r.get(name).filter(|p| p.ok()).and_then(|p| p.p50_ms);
    (MACHINE_PEERS.iter())
        .filter_map(|&name| match (p50(baseline, name), p50(current, name)) {
            (Some(b), Some(c)) if b > 0.0 && c > 0.0 => Some((name, c / b)),
            _ => None,
        })
        .collect()
}

/// The median of `values` (None when empty).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

fn scenario_rows(
    baseline: &Report,
    current: &Report,
    threshold: f64,
    machine: Option<f64>,
) -> Vec<Row> {
    let gated = selected(Mode::Gate);
    gated
        .iter()
        .filter(|s| !s.kind.is_peer())
        .map(|s| {
            let base = baseline
                .get(s.name)
                .filter(|r| r.ok())
                .and_then(|r| r.p50_ms);
            let cur = current.get(s.name);
            let mut row = Row {
                scenario: s.name,
                baseline: base,
                current: cur.and_then(|r| r.p50_ms),
                ratio: None,
                normalised: None,
                verdict: Verdict::New,
                note: cur
                    .filter(|r| !r.ok())
                    .map_or(String::new(), |r| r.note.clone()),
            };
            row.verdict = verdict_for(base, cur, &mut row, threshold, machine);
            row
        })
        .collect()
}

fn verdict_for(
    base: Option<f64>,
    cur: Option<&ScenarioResult>,
    row: &mut Row,
    threshold: f64,
    machine: Option<f64>,
) -> Verdict {
    let status = cur.map_or(Status::Skipped, |r| r.status);
    match (base, status, row.current) {
        (_, Status::Failed, _) => Verdict::RunFailed {
            fails: base.is_some(),
        },
        (Some(_), Status::Skipped, _) => Verdict::NowSkipped,
        (None, Status::Skipped, _) => Verdict::Skipped,
        (Some(b), Status::Ok, Some(c)) => {
            row.ratio = Some(c / b);
            row.normalised = machine.map(|m| c / b / m);
            judge(b, c, machine, threshold)
        }
        _ => Verdict::New,
    }
}

/// The threshold from `BENCH_GATE_THRESHOLD`, else [`DEFAULT_THRESHOLD`].
///
/// # Errors
/// When the variable is set but is not a number greater than 1.
pub fn threshold_from_env() -> anyhow::Result<f64> {
    match std::env::var("BENCH_GATE_THRESHOLD") {
        Err(_) => Ok(DEFAULT_THRESHOLD),
        Ok(raw) => match raw.trim().parse::<f64>() {
            Ok(t) if t > 1.0 => Ok(t),
            _ => anyhow::bail!("BENCH_GATE_THRESHOLD={raw:?} is not a number greater than 1"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judge_table() {
        // (what, baseline p50, current p50, machine factor, verdict)
        let cases: &[(&str, f64, f64, Option<f64>, Verdict)] = &[
            ("same speed", 1.0, 1.1, Some(1.0), Verdict::Pass),
            ("exactly at threshold", 1.0, 2.0, Some(1.0), Verdict::Pass),
            ("faster", 2.0, 0.5, Some(1.0), Verdict::Pass),
            (
                "noisy machine: peer slower too",
                1.0,
                2.5,
                Some(3.0),
                Verdict::PassNoisy,
            ),
            (
                "real regression, peers steady",
                1.0,
                2.5,
                Some(1.0),
                Verdict::Regressed,
            ),
            (
                "regression beyond the noise",
                1.0,
                5.0,
                Some(1.2),
                Verdict::Regressed,
            ),
            (
                "peers faster now, sidecar steady",
                1.0,
                1.0,
                Some(0.4),
                Verdict::Pass,
            ),
            (
                "tiny baseline, still sub-ms",
                0.1,
                0.9,
                Some(1.0),
                Verdict::PassTiny,
            ),
            (
                "tiny baseline, now over 1 ms",
                0.1,
                1.2,
                Some(1.0),
                Verdict::Regressed,
            ),
            (
                "tiny baseline, over 1 ms, noisy",
                0.29,
                1.2,
                Some(4.0),
                Verdict::PassNoisy,
            ),
            (
                "no peer: absolute decides",
                1.0,
                5.0,
                None,
                Verdict::Regressed,
            ),
        ];
        for &(what, base, cur, machine, want) in cases {
            assert_eq!(judge(base, cur, machine, DEFAULT_THRESHOLD), want, "{what}");
        }
    }

    #[test]
    fn threshold_scales_the_rule() {
        assert_eq!(judge(1.0, 2.5, Some(1.0), 3.0), Verdict::Pass);
        assert_eq!(judge(1.0, 3.5, Some(1.0), 3.0), Verdict::Regressed);
    }

    fn report(rows: &[(&str, Status, f64)]) -> Report {
        let scenarios = (rows.iter())
            .map(|&(name, status, p50)| {
                let s = crate::catalog::by_name(name).expect("scenario");
                let mut r = ScenarioResult::empty(&s, status, "");
                r.p50_ms = (status == Status::Ok).then_some(p50);
                r
            })
            .collect();
        Report {
            scenarios,
            goals: Vec::new(),
            machine: crate::report::Machine::this(),
            git_rev: "test".into(),
            mode: "gate".into(),
            env: Default::default(),
            matrix: Vec::new(),
        }
    }

    #[test]
    fn compare_skips_warns_and_fails() {
        let (ok, skipped, failed) = (Status::Ok, Status::Skipped, Status::Failed);
        let baseline = report(&[
            (NATIVE_PEER, ok, 0.5),
            ("node_e_empty", ok, 1.0),
            ("node_e_log", ok, 1.0),
            ("wasm_true", skipped, 0.0),
            ("echo_hello", ok, 1.0),
        ]);
        let current = report(&[
            (NATIVE_PEER, ok, 0.5),
            ("node_e_empty", ok, 1.2),
            ("node_e_log", failed, 0.0),
            ("wasm_true", skipped, 0.0),
            ("echo_hello", skipped, 0.0),
            ("pwd", ok, 1.0),
        ]);
        let rows = compare(&baseline, &current, DEFAULT_THRESHOLD).rows;
        let verdict = |name: &str| rows.iter().find(|r| r.scenario == name).map(|r| r.verdict);
        assert_eq!(verdict("node_e_empty"), Some(Verdict::Pass));
        assert_eq!(
            verdict("node_e_log"),
            Some(Verdict::RunFailed { fails: true })
        );
        assert_eq!(verdict("wasm_true"), Some(Verdict::Skipped));
        assert_eq!(verdict("echo_hello"), Some(Verdict::NowSkipped));
        assert_eq!(verdict("pwd"), Some(Verdict::New));
        assert_eq!(
            verdict(NATIVE_PEER),
            None,
            "the peer is the yardstick, not compared"
        );
    }

    /// A run with the native peer at `peer` ms, the host Node's start at `node` ms and the
    /// scenarios below at `p50s` ms.
    fn run_of(peer: f64, node: f64, p50s: &[f64]) -> Report {
        const NAMES: [&str; 3] = ["node_e_empty", "node_e_log", "echo_hello"];
        let mut rows = vec![
            (NATIVE_PEER, Status::Ok, peer),
            (NODE_PEER, Status::Ok, node),
        ];
        rows.extend(NAMES.iter().zip(p50s).map(|(&n, &p)| (n, Status::Ok, p)));
        report(&rows)
    }

    #[test]
    fn one_scenario_slower_than_the_peer_but_not_the_suite_passes() {
        let baseline = run_of(1.0, 50.0, &[1.0, 1.0, 1.0]);
        let current = run_of(1.4, 50.0, &[2.0, 2.0, 3.2]);
        let out = compare(&baseline, &current, DEFAULT_THRESHOLD);
        let echo = out.rows.iter().find(|r| r.scenario == "echo_hello");
        assert_eq!(echo.map(|r| r.verdict), Some(Verdict::PassSuite));
        assert_eq!(out.suite_factor, Some(2.0));
        assert!(out.failures().is_empty(), "{:?}", out.failures());
    }

    #[test]
    fn one_scenario_slower_than_the_suite_and_the_peer_fails() {
        let baseline = run_of(1.0, 50.0, &[1.0, 1.0, 1.0]);
        let current = run_of(1.0, 50.0, &[1.1, 1.0, 2.5]);
        let out = compare(&baseline, &current, DEFAULT_THRESHOLD);
        assert_eq!(out.failures(), vec!["echo_hello"]);
    }

    #[test]
    fn the_whole_suite_slower_against_a_steady_peer_fails() {
        let baseline = run_of(1.0, 50.0, &[1.0, 1.0]);
        let current = run_of(1.0, 55.0, &[2.5, 2.5]);
        let out = compare(&baseline, &current, DEFAULT_THRESHOLD);
        assert!(out.suite_regressed);
        assert_eq!(out.failures().len(), 3, "{:?}", out.failures());
    }

    /// The CI run that motivated the Node peer: native spawn 1.03x, the host's Node start and
    /// every sidecar scenario about 2.2x.
    #[test]
    fn the_whole_suite_slower_with_the_hosts_node_start_passes() {
        let baseline = run_of(0.54, 61.0, &[0.62, 0.67, 0.74]);
        let current = run_of(0.55, 136.0, &[1.39, 1.50, 1.61]);
        let out = compare(&baseline, &current, DEFAULT_THRESHOLD);
        assert!(!out.suite_regressed);
        assert!(out.failures().is_empty(), "{:?}", out.failures());
        let machine = out.machine_factor().unwrap_or_default();
        assert!((machine - 136.0 / 61.0).abs() < 1e-9, "{machine}");
    }

    #[test]
    fn a_regression_beyond_the_slow_nodes_start_still_fails() {
        let baseline = run_of(0.54, 61.0, &[1.0, 1.0, 1.0]);
        let current = run_of(0.55, 122.0, &[4.5, 4.5, 4.5]);
        let out = compare(&baseline, &current, DEFAULT_THRESHOLD);
        assert!(out.suite_regressed);
        assert_eq!(out.failures().len(), 4, "{:?}", out.failures());
    }

    #[test]
    fn failing_verdicts() {
        assert!(Verdict::Regressed.fails());
        assert!(Verdict::RunFailed { fails: true }.fails());
        for ok in [
            Verdict::Pass,
            Verdict::PassTiny,
            Verdict::PassNoisy,
            Verdict::PassSuite,
            Verdict::New,
        ] {
            assert!(!ok.fails() && !ok.warns(), "{ok:?}");
        }
        assert!(!Verdict::Skipped.fails() && !Verdict::Skipped.warns());
        assert!(!Verdict::NowSkipped.fails() && Verdict::NowSkipped.warns());
    }
}
