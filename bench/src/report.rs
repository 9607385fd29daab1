//! The results model and its JSON form (`--json`, `--record`, `bench/baseline.json`): every
//! figure, the machine, the git revision, the mode and the sidecar's environment.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::measure::{Measured, Summary};
use crate::scenario::Scenario;

/// Whether a scenario produced figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Measured.
    Ok,
    /// Not available in this build (command not found, no `require`, no node): not a failure.
    Skipped,
    /// A run failed; `note` says how.
    Failed,
}

/// One scenario's figures. Latencies are in milliseconds; `per_sec` is set for throughput,
/// `rss_mib` for idle RSS (whose latency fields are null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    /// Stable scenario name.
    pub name: String,
    /// Measured, skipped or failed.
    pub status: Status,
    /// Median latency.
    pub p50_ms: Option<f64>,
    /// 95th percentile latency.
    pub p95_ms: Option<f64>,
    /// 99th percentile latency.
    pub p99_ms: Option<f64>,
    /// Fastest run.
    pub min_ms: Option<f64>,
    /// Slowest run.
    pub max_ms: Option<f64>,
    /// Measured runs (or samples).
    pub runs: usize,
    /// Execs per second, for throughput scenarios.
    #[serde(default)]
    pub per_sec: Option<f64>,
    /// Resident set size in MiB, for `idle_rss_mib`.
    #[serde(default)]
    pub rss_mib: Option<f64>,
    /// The peer scenario `ratio_to_peer` divides by.
    pub peer: Option<String>,
    /// `p50_ms / peer's p50_ms`, when both were measured.
    pub ratio_to_peer: Option<f64>,
    /// What was measured when it differs from the name, or why nothing was.
    pub note: String,
}

impl ScenarioResult {
    /// A result with no figures yet.
    pub fn empty(scenario: &Scenario, status: Status, note: impl Into<String>) -> Self {
        ScenarioResult {
            name: scenario.name.to_owned(),
            status,
            p50_ms: None,
            p95_ms: None,
            p99_ms: None,
            min_ms: None,
            max_ms: None,
            runs: 0,
            per_sec: None,
            rss_mib: None,
            peer: scenario.peer.map(str::to_owned),
            ratio_to_peer: None,
            note: note.into(),
        }
    }

    /// The result of a timing loop.
    pub fn from_measured(scenario: &Scenario, measured: Measured, note: &str) -> Self {
        match measured {
            Measured::Skipped(why) => Self::empty(scenario, Status::Skipped, skipped_note(&why)),
            Measured::Failed(why) => Self::empty(scenario, Status::Failed, why),
            Measured::Samples(samples) => match Summary::of(&samples) {
                Some(summary) => Self::empty(scenario, Status::Ok, note).with_summary(summary),
                None => Self::empty(scenario, Status::Failed, "no samples"),
            },
        }
    }

    /// Fills the latency fields from `summary`.
    pub fn with_summary(mut self, s: Summary) -> Self {
        self.p50_ms = Some(s.p50);
        self.p95_ms = Some(s.p95);
        self.p99_ms = Some(s.p99);
        self.min_ms = Some(s.min);
        self.max_ms = Some(s.max);
        self.runs = s.runs;
        self
    }

    /// True when measured.
    pub fn ok(&self) -> bool {
        self.status == Status::Ok
    }
}

fn skipped_note(why: &str) -> String {
    format!("skipped ({why})")
}

/// Sets each result's `ratio_to_peer` from its peer's p50 in the same list.
pub fn fill_peer_ratios(results: &mut [ScenarioResult]) {
    let p50: BTreeMap<String, f64> = (results.iter())
        .filter_map(|r| Some((r.name.clone(), r.p50_ms?)))
        .collect();
    for r in results.iter_mut() {
        let peer = r.peer.as_ref().and_then(|p| p50.get(p));
        r.ratio_to_peer = match (r.p50_ms, peer) {
            (Some(mine), Some(&theirs)) if theirs > 0.0 => Some(mine / theirs),
            _ => None,
        };
    }
}

/// The machine the figures come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Logical CPUs available to the bench.
    pub cores: usize,
    /// `model name` from `/proc/cpuinfo`, or "unknown".
    pub cpu_model: String,
    /// Kernel release, or "unknown".
    pub kernel: String,
}

impl Machine {
    /// Reads this machine's description.
    pub fn this() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = (cpuinfo.lines())
            .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
            .map_or("unknown".to_owned(), |(_, m)| m.trim().to_owned());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map_or("unknown".to_owned(), |k| k.trim().to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu_model,
            kernel,
        }
    }
}

/// One column of `--matrix`: the scenarios under one setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The setting, e.g. `AGENTOS_V8_WARM_ISOLATES=0`.
    pub setting: String,
    /// The sidecar's environment under it.
    pub env: BTreeMap<String, String>,
    /// The figures.
    pub scenarios: Vec<ScenarioResult>,
}

/// Everything one run of the bench produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The figures (of the default setting, under `--matrix`).
    pub scenarios: Vec<ScenarioResult>,
    /// The goals, met or not.
    #[serde(default)]
    pub goals: Vec<GoalResult>,
    /// The machine.
    pub machine: Machine,
    /// `git rev-parse HEAD` of the workspace, or "unknown".
    pub git_rev: String,
    /// `full`, `quick`, `gate`, each with `+matrix` under `--matrix`.
    pub mode: String,
    /// The sidecar's environment, plus the bench's own facts (`node_version`).
    pub env: BTreeMap<String, String>,
    /// `--matrix` columns, one per setting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matrix: Vec<Column>,
}

impl Report {
    /// The result called `name`.
    pub fn get(&self, name: &str) -> Option<&ScenarioResult> {
        self.scenarios.iter().find(|r| r.name == name)
    }

    /// Writes the report as pretty JSON.
    ///
    /// # Errors
    /// I/O errors, with the path.
    pub fn write_json(&self, path: &Path) -> anyhow::Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
    }

    /// Reads a report (e.g. the baseline).
    ///
    /// # Errors
    /// I/O or JSON errors, with the path.
    pub fn read_json(path: &Path) -> anyhow::Result<Report> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("parsing {}: {e}", path.display()))
    }
}

/// `git rev-parse HEAD` in `root`, or "unknown".
pub fn git_rev(root: &Path) -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or("unknown".to_owned(), |s| s.trim().to_owned())
}

/// `node --version`, or "not installed".
pub fn node_version() -> String {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or("not installed".to_owned(), |s| s.trim().to_owned())
}

/// One goal and how this run fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalResult {
    /// The scenario judged.
    pub scenario: String,
    /// The goal in words, e.g. `p50 <= 1.0 ms`.
    pub goal: String,
    /// The figure judged, in words.
    pub actual: String,
    /// `None` when the scenario (or the one it is compared with) was not measured.
    pub met: Option<bool>,
}

impl GoalResult {
    /// `met`, `NOT met` or `n/a`.
    pub fn verdict(&self) -> &'static str {
        match self.met {
            Some(true) => "met",
            Some(false) => "NOT met",
            None => "n/a",
        }
    }
}
