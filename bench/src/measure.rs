//! Timing loops and percentiles: warm-up runs, measured runs, and the summary of a sample set.
//!
//! Every measured closure times itself and returns milliseconds, so set-up and tear-down that
//! belong to neither (shutting a cold-started sidecar down, say) stay out of the figures.

use std::future::Future;
use std::time::Instant;

use crate::scenario::{Kind, Mode};

/// Why one run of a scenario did not produce a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The feature under test does not exist yet (command not found, no `require`, no file):
    /// on the first warm-up run this skips the scenario.
    Unavailable(String),
    /// Anything else: wrong output, a non-zero exit, a dead sidecar.
    Failed(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Unavailable(why) => write!(f, "not available: {why}"),
            Problem::Failed(why) => f.write_str(why),
        }
    }
}

impl From<agentos_sdk::Error> for Problem {
    fn from(e: agentos_sdk::Error) -> Self {
        Problem::Failed(e.to_string())
    }
}

/// How many runs to make: `warmup` unmeasured, then `runs` measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Runs made and thrown away first.
    pub warmup: usize,
    /// Runs measured.
    pub runs: usize,
}

impl Plan {
    /// A plan of `warmup` then `runs` runs.
    pub const fn new(warmup: usize, runs: usize) -> Self {
        Self { warmup, runs }
    }
}

/// What a timing loop produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    /// Milliseconds, one per measured run.
    Samples(Vec<f64>),
    /// The first run reported [`Problem::Unavailable`].
    Skipped(String),
    /// A run failed; the message says how.
    Failed(String),
}

/// Milliseconds elapsed since `start`.
pub fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

/// Runs `once` `plan.warmup` times, then `plan.runs` times keeping each returned duration (ms).
///
/// Only the very first run may report the feature as unavailable; later, that is a failure.
pub async fn time_runs<F, Fut>(plan: Plan, mut once: F) -> Measured
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<f64, Problem>>,
{
    let mut samples = Vec::with_capacity(plan.runs);
    for i in 0..plan.warmup + plan.runs {
        match once().await {
            Ok(ms) if i >= plan.warmup => samples.push(ms),
            Ok(_) => {}
            Err(Problem::Unavailable(why)) if i == 0 => return Measured::Skipped(why),
            Err(problem) => return Measured::Failed(format!("run {}: {problem}", i + 1)),
        }
    }
    Measured::Samples(samples)
}

/// The summary of a set of samples (all in the samples' unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Median (nearest rank).
    pub p50: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
    /// 99th percentile (nearest rank).
    pub p99: f64,
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
    /// Number of samples.
    pub runs: usize,
}

impl Summary {
    /// Summarises `samples`; `None` when there are none (NaNs sort last and are kept).
    pub fn of(samples: &[f64]) -> Option<Summary> {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Summary {
            p50: percentile(&sorted, 50.0)?,
            p95: percentile(&sorted, 95.0)?,
            p99: percentile(&sorted, 99.0)?,
            min: *sorted.first()?,
            max: *sorted.last()?,
            runs: sorted.len(),
        })
    }
}

/// The nearest-rank `p`th percentile of ascending `sorted` (`p` in 0..=100): the smallest
/// sample with at least `p`% of the samples at or below it. `None` for no samples.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    // Exact for the sizes we use; `as` saturates, and the clamp keeps the rank in 1..=n.
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, n) - 1])
}

/// Warm-up and measured runs for `kind` in `mode`; for throughput, `runs` is execs per client
/// multiplied out by the caller, and for idle RSS it is the number of `Stats` samples.
pub fn plan(kind: Kind, mode: Mode) -> Plan {
    let (full, quick, gate) = match kind {
        Kind::Warm(..) => (Plan::new(50, 1000), Plan::new(20, 300), Plan::new(50, 1000)),
        Kind::ColdStart { .. } => (Plan::new(1, 15), Plan::new(1, 6), Plan::new(2, 15)),
        Kind::Throughput { .. } => (Plan::new(32, 2000), Plan::new(32, 600), Plan::new(32, 600)),
        Kind::IdleRss => (Plan::new(0, 10), Plan::new(0, 3), Plan::new(0, 3)),
        Kind::NativeTrue => (Plan::new(30, 1000), Plan::new(10, 300), Plan::new(30, 1000)),
        Kind::NodeSpawn => (Plan::new(3, 50), Plan::new(2, 10), Plan::new(2, 20)),
        Kind::NodeWasiTrue => (Plan::new(100, 2000), Plan::new(20, 300), Plan::new(20, 300)),
        Kind::NodeSha256 | Kind::NodeP256Sign | Kind::Loop(_) | Kind::NodeLoop(_) => {
            (Plan::new(20, 500), Plan::new(10, 100), Plan::new(10, 100))
        }
        Kind::Fetch { bytes } | Kind::NodeFetch { bytes } if bytes >= 1 << 20 => {
            (Plan::new(5, 100), Plan::new(3, 30), Plan::new(3, 30))
        }
        Kind::Fetch { .. } | Kind::NodeFetch { .. } => {
            (Plan::new(50, 1000), Plan::new(20, 200), Plan::new(20, 200))
        }
        // Under the 4 096 children one exec may start in all.
        Kind::SpawnSync | Kind::NodeSpawnSync => {
            (Plan::new(20, 1000), Plan::new(10, 100), Plan::new(10, 100))
        }
        Kind::Tool(_) | Kind::NativeTool(_) | Kind::HttpTool(_) | Kind::NativeHttpTool(_) => {
            (Plan::new(5, 200), Plan::new(3, 30), Plan::new(3, 30))
        }
        // A second or more per install.
        Kind::Pip | Kind::NativePip => (Plan::new(1, 10), Plan::new(1, 5), Plan::new(1, 5)),
        Kind::FirstExec(_) => (Plan::new(1, 15), Plan::new(1, 6), Plan::new(1, 10)),
        Kind::ExecRss(_) => (Plan::new(0, 10), Plan::new(0, 3), Plan::new(0, 3)),
    };
    match mode {
        Mode::Full => full,
        Mode::Quick => quick,
        Mode::Gate => gate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_nearest_rank_table() {
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        let cases: &[(&[f64], f64, Option<f64>)] = &[
            (&[], 50.0, None),
            (&[7.0], 0.0, Some(7.0)),
            (&[7.0], 99.0, Some(7.0)),
            (&[1.0, 2.0], 50.0, Some(1.0)),
            (&[1.0, 2.0], 51.0, Some(2.0)),
            (&[1.0, 2.0, 3.0, 4.0], 50.0, Some(2.0)),
            (&[1.0, 2.0, 3.0, 4.0], 75.0, Some(3.0)),
            (&[1.0, 2.0, 3.0, 4.0], 100.0, Some(4.0)),
            (&hundred, 50.0, Some(50.0)),
            (&hundred, 95.0, Some(95.0)),
            (&hundred, 99.0, Some(99.0)),
            (&hundred, 100.0, Some(100.0)),
        ];
        for &(samples, p, want) in cases {
            assert_eq!(percentile(samples, p), want, "p{p} of {samples:?}");
        }
    }

    #[test]
    fn summary_sorts_and_counts() {
        let s = Summary::of(&[5.0, 1.0, 3.0, 2.0, 4.0]).expect("samples");
        assert_eq!((s.p50, s.p95, s.p99), (3.0, 5.0, 5.0));
        assert_eq!((s.min, s.max, s.runs), (1.0, 5.0, 5));
        assert_eq!(Summary::of(&[]), None);
    }

    #[tokio::test]
    async fn first_unavailable_run_skips_later_one_fails() {
        let plan = Plan::new(1, 2);
        let skipped = time_runs(plan, || async { Err(Problem::Unavailable("x".into())) }).await;
        assert_eq!(skipped, Measured::Skipped("x".into()));
        let mut n = 0;
        let failed = time_runs(plan, || {
            n += 1;
            let result = if n == 1 {
                Ok(1.0)
            } else {
                Err(Problem::Unavailable("gone".into()))
            };
            async move { result }
        })
        .await;
        assert!(matches!(failed, Measured::Failed(_)));
        let mut k = 0.0;
        let ok = time_runs(plan, || {
            k += 1.0;
            async move { Ok(k) }
        })
        .await;
        assert_eq!(ok, Measured::Samples(vec![2.0, 3.0]));
    }
}
