//! The performance goals from the benchmark issue, judged against a run's figures.

use crate::report::{GoalResult, ScenarioResult};
use crate::scenario::NATIVE_PEER;

/// How a goal is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Check {
    /// p50 at most this many milliseconds.
    P50AtMost(f64),
    /// At least this many execs per second.
    PerSecAtLeast(f64),
    /// p50 at most `factor` × the p50 of scenario `of`.
    TimesAtMost { of: &'static str, factor: f64 },
    /// p50 at most `ms` milliseconds above the p50 of scenario `of` (the cost of one step).
    OverAtMost { of: &'static str, ms: f64 },
}

/// (scenario, check) for every goal.
const GOALS: &[(&str, Check)] = &[
    ("node_e_empty", Check::P50AtMost(1.0)),
    ("wasm_true", Check::P50AtMost(1.5)),
    ("echo_hello", Check::P50AtMost(2.0)),
    ("pwd", Check::P50AtMost(2.0)),
    ("ls_empty", Check::P50AtMost(2.0)),
    ("printf_64k", Check::P50AtMost(3.0)),
    ("require_100_small", Check::P50AtMost(5.0)),
    // The Node surface: the first import of a builtin in an exec (loader included).
    (
        "require_stream",
        Check::OverAtMost {
            of: "node_e_empty",
            ms: 0.3,
        },
    ),
    (
        "import_node_fs",
        Check::OverAtMost {
            of: "node_e_empty",
            ms: 0.3,
        },
    ),
    ("throughput_16", Check::PerSecAtLeast(1000.0)),
    ("cold_start_disk_snapshot", Check::P50AtMost(100.0)),
    (
        "wasm_true",
        Check::TimesAtMost {
            of: NATIVE_PEER,
            factor: 2.0,
        },
    ),
    // The command set: small inputs within 1.5x the native tool's spawn + run, 1-10 MiB within
    // 3x; the first command after a restart within 50 ms.
    (
        "ls_la_200",
        Check::TimesAtMost {
            of: "native_ls_la_200",
            factor: 1.5,
        },
    ),
    (
        "grep_rn_5m",
        Check::TimesAtMost {
            of: "native_grep_rn_5m",
            factor: 3.0,
        },
    ),
    (
        "sort_1m",
        Check::TimesAtMost {
            of: "native_sort_1m",
            factor: 3.0,
        },
    ),
    (
        "jq_1m",
        Check::TimesAtMost {
            of: "native_jq_1m",
            factor: 3.0,
        },
    ),
    (
        "sha256sum_10m",
        Check::TimesAtMost {
            of: "native_sha256sum_10m",
            factor: 3.0,
        },
    ),
    ("first_ls_after_restart", Check::P50AtMost(50.0)),
    // The shell: `sh -c true` and `echo hi | cat` absolute; a pipeline and a loop of commands
    // within 1.5x the host's own shell doing the same with its native tools.
    ("sh_true", Check::P50AtMost(0.4)),
    ("sh_echo_cat", Check::P50AtMost(1.0)),
    (
        "sh_pipeline_1m",
        Check::TimesAtMost {
            of: "native_sh_pipeline_1m",
            factor: 1.5,
        },
    ),
    (
        "sh_loop_50",
        Check::TimesAtMost {
            of: "native_sh_loop_50",
            factor: 1.5,
        },
    ),
    // Node surface (issue 15): a lazy builtin's first require costs at most 0.3 ms warm.
    (
        "require_crypto",
        Check::OverAtMost {
            of: "node_e_empty",
            ms: 0.3,
        },
    ),
    // Network (issue 17): fetch of 1 KiB and of 10 MiB from a loopback server within 1.5x of
    // Node's fetch.
    (
        "fetch_1k",
        Check::TimesAtMost {
            of: "node_fetch_1k",
            factor: 1.5,
        },
    ),
    (
        "fetch_10m",
        Check::TimesAtMost {
            of: "node_fetch_10m",
            factor: 1.5,
        },
    ),
    // CPython: `-c pass` at or below the host's own python3; numpy imported and used within
    // 100 ms; the first exec after a restart within 300 ms.
    (
        "python_c_pass",
        Check::TimesAtMost {
            of: "native_python_c_pass",
            factor: 1.0,
        },
    ),
    ("python_numpy_sum", Check::P50AtMost(100.0)),
    ("first_python_after_restart", Check::P50AtMost(300.0)),
];

/// Judges every goal against `results`.
pub fn judge(results: &[ScenarioResult]) -> Vec<GoalResult> {
    let find = |name: &str| results.iter().find(|r| r.name == name && r.ok());
    GOALS
        .iter()
        .map(|&(scenario, check)| {
            let mine = find(scenario);
            let (goal, figure) = match check {
                Check::P50AtMost(max) => (
                    format!("p50 <= {max} ms"),
                    mine.and_then(|r| r.p50_ms)
                        .map(|v| (v, v <= max, format!("{v:.3} ms"))),
                ),
                Check::PerSecAtLeast(min) => (
                    format!(">= {min} execs/s"),
                    (mine.and_then(|r| r.per_sec))
                        .map(|v| (v, v >= min, format!("{v:.0} execs/s"))),
                ),
                Check::TimesAtMost { of, factor } => (
                    format!("p50 <= {factor} x {of}"),
                    ratio(mine, find(of)).map(|v| (v, v <= factor, format!("{v:.2} x"))),
                ),
                Check::OverAtMost { of, ms } => (
                    format!("p50 <= {of} + {ms} ms"),
                    excess(mine, find(of)).map(|v| (v, v <= ms, format!("+{v:.3} ms"))),
                ),
            };
            GoalResult {
                scenario: scenario.to_owned(),
                goal,
                actual: figure
                    .as_ref()
                    .map_or("not measured".to_owned(), |f| f.2.clone()),
                met: figure.map(|f| f.1),
            }
        })
        .collect()
}

fn excess(a: Option<&ScenarioResult>, b: Option<&ScenarioResult>) -> Option<f64> {
    Some(a?.p50_ms? - b?.p50_ms?)
}

fn ratio(a: Option<&ScenarioResult>, b: Option<&ScenarioResult>) -> Option<f64> {
    let (a, b) = (a?.p50_ms?, b?.p50_ms?);
    (b > 0.0).then(|| a / b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::by_name;
    use crate::report::Status;

    fn measured(name: &str, p50: f64) -> ScenarioResult {
        let mut r = ScenarioResult::empty(&by_name(name).expect("scenario"), Status::Ok, "");
        r.p50_ms = Some(p50);
        r
    }

    #[test]
    fn goals_met_missed_and_unmeasured() {
        let results = [measured("node_e_empty", 0.9), measured("wasm_true", 1.6)];
        let goals = judge(&results);
        let verdict = |name: &str, goal: &str| {
            let g = goals
                .iter()
                .find(|g| g.scenario == name && g.goal.contains(goal));
            g.expect("goal").met
        };
        assert_eq!(verdict("node_e_empty", "1 ms"), Some(true));
        assert_eq!(verdict("wasm_true", "1.5 ms"), Some(false));
        assert_eq!(verdict("wasm_true", NATIVE_PEER), None);
        assert_eq!(verdict("pwd", "2 ms"), None);
    }

    #[test]
    fn a_step_goal_is_judged_above_its_base() {
        let judged = |import: f64| {
            let results = [
                measured("node_e_empty", 0.25),
                measured("import_node_fs", import),
            ];
            let goals = judge(&results);
            let goal = goals.iter().find(|g| g.scenario == "import_node_fs");
            goal.expect("goal").met
        };
        assert_eq!(judged(0.5), Some(true));
        assert_eq!(judged(0.6), Some(false));
        let alone = judge(&[measured("import_node_fs", 0.4)]);
        let goal = alone.iter().find(|g| g.scenario == "import_node_fs");
        assert_eq!(goal.expect("goal").met, None);
    }
}
