//! `agentos-bench`: drives a release-built `agentos-sidecar` through the SDK exactly as a host
//! would, next to peers measured in the same run (native `/bin/true`, real `node -e ''`, Node's
//! `node:wasi`), and reports p50/p95/p99/min/max per scenario, the goals, and, with `--gate`,
//! the comparison with `bench/baseline.json` that CI runs (`ci/bench-gate`).
//!
//! Progress goes to stderr; the tables to stdout.
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a reporting binary: its tables are its output (stdout), progress goes to stderr"
)]

mod cases;
mod catalog;
mod gate;
mod goals;
mod harness;
mod loopback;
mod measure;
mod peers;
mod report;
mod runner;
mod scenario;
mod table;
mod tools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;

use crate::harness::{Harness, WorkDir};
use crate::report::{Column, Machine, Report};
use crate::runner::Runner;
use crate::scenario::{Mode, Scenario};

/// Benchmarks agentos-sidecar (release build) through the SDK.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// A short version of every scenario (under a minute in all).
    #[arg(long)]
    quick: bool,
    /// Write every figure as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write the results table as Markdown to FILE (for the README).
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Run the scenarios under AGENTOS_WASM_SNAPSHOT_RUNNER=auto|block|off and
    /// AGENTOS_V8_WARM_ISOLATES=0|2|8, one column per setting.
    #[arg(long)]
    matrix: bool,
    /// Run the gated scenarios and compare with the baseline (exit 1 on a regression).
    #[arg(long)]
    gate: bool,
    /// With --gate: write this run as the new baseline to FILE instead of comparing.
    #[arg(long, value_name = "FILE", requires = "gate")]
    record: Option<PathBuf>,
    /// With --gate: the baseline to compare with [default: bench/baseline.json].
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Only these scenarios (comma-separated stable names).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// The sidecar binary [default: next to this binary, else target/release/agentos-sidecar].
    #[arg(long, value_name = "PATH")]
    sidecar: Option<PathBuf>,
    /// Directory of NAME.wasm commands, passed as AGENTOS_COMMAND_PATH
    /// [default: $AGENTOS_COMMAND_PATH, else target/commands].
    #[arg(long, value_name = "DIR")]
    commands: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if cfg!(debug_assertions) {
        eprintln!("agentos-bench: refusing to run as a debug build; use `cargo build --release`");
        return ExitCode::from(2);
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    // Run as a task, the way a host's request handlers do. Awaited from `block_on` on the main
    // thread, every SDK reply would cost a wake-up of that thread by a runtime worker: on our
    // 2-vCPU VM that alone took the warm round trip from 0.71 to 1.46 ms.
    match runtime.block_on(async { tokio::spawn(run(args)).await? }) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("agentos-bench: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root, known at compile time.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `--sidecar`, else next to this executable, else `target/release`; never a debug build.
fn sidecar_path(explicit: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("agentos-sidecar")))
        .filter(|p| p.is_file());
    let default = workspace_root().join("target/release/agentos-sidecar");
    let path = explicit.or(beside).unwrap_or(default);
    if !path.is_file() {
        bail!(
            "no sidecar at {}; build it with `cargo build --release -p agentos-sidecar` or pass --sidecar",
            path.display()
        );
    }
    if path.components().any(|c| c.as_os_str() == "debug") {
        bail!(
            "{} is a debug build; benchmark a release build",
            path.display()
        );
    }
    Ok(path)
}

fn commands_dir(explicit: Option<PathBuf>) -> PathBuf {
    explicit
        .or_else(|| std::env::var_os("AGENTOS_COMMAND_PATH").map(PathBuf::from))
        .unwrap_or_else(|| workspace_root().join("target/commands"))
}

/// The settings to run: the default alone, or the `--matrix` columns.
fn settings(matrix: bool) -> Vec<(String, Vec<(String, String)>)> {
    let one = |key: &str, value: &str| {
        let label = format!("{key}={value}");
        (label, vec![(key.to_owned(), value.to_owned())])
    };
    if !matrix {
        return vec![("default".to_owned(), Vec::new())];
    }
    let runner = ["block", "auto", "off"].map(|v| one("AGENTOS_WASM_SNAPSHOT_RUNNER", v));
    let warm = ["0", "2", "8"].map(|v| one("AGENTOS_V8_WARM_ISOLATES", v));
    runner.into_iter().chain(warm).collect()
}

async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mode = match (args.gate, args.quick) {
        (true, _) => Mode::Gate,
        (false, true) => Mode::Quick,
        (false, false) => Mode::Full,
    };
    let bin = sidecar_path(args.sidecar.clone())?;
    let commands = commands_dir(args.commands.clone());
    let scenarios: Vec<Scenario> = catalog::selected(mode)
        .into_iter()
        .filter(|s| args.only.is_empty() || args.only.iter().any(|n| n == s.name))
        .collect();
    let work = WorkDir::create(&commands).context("creating the bench's temp directory")?;
    let runner = Runner {
        mode,
        work: &work,
        commands: &commands,
    };
    eprintln!("agentos-bench: {mode:?} mode, sidecar {}", bin.display());
    eprintln!("peers:");
    let peers = runner.peers(&scenarios).await;
    let mut columns = Vec::new();
    for (label, overrides) in settings(args.matrix) {
        let harness = Harness::new(bin.clone(), &commands, &overrides);
        eprintln!("sidecar scenarios ({label}):");
        let mut results = peers.clone();
        results.extend(runner.sidecar_scenarios(&harness, "", &scenarios).await);
        report::fill_peer_ratios(&mut results);
        columns.push(Column {
            setting: label,
            env: harness.env.iter().cloned().collect(),
            scenarios: results,
        });
    }
    let report = build_report(mode, args.matrix, columns, &bin);
    print_report(&report);
    if let Some(path) = &args.json {
        report.write_json(path)?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = &args.markdown {
        std::fs::write(path, table::markdown(&report))
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    if args.gate {
        return run_gate(&args, &report);
    }
    Ok(ExitCode::SUCCESS)
}

fn build_report(mode: Mode, matrix: bool, mut columns: Vec<Column>, bin: &Path) -> Report {
    let first = columns.first().cloned().expect("at least one setting");
    let mut env: BTreeMap<String, String> = first.env.clone();
    env.insert("node_version".to_owned(), report::node_version());
    env.insert("sidecar".to_owned(), bin.display().to_string());
    let mode = format!("{mode:?}").to_lowercase() + if matrix { "+matrix" } else { "" };
    if !matrix {
        columns.clear();
    }
    Report {
        goals: goals::judge(&first.scenarios),
        scenarios: first.scenarios,
        machine: Machine::this(),
        git_rev: report::git_rev(&workspace_root()),
        mode,
        env,
        matrix: columns,
    }
}

fn print_report(report: &Report) {
    let m = &report.machine;
    println!(
        "\nagentos-bench ({}) at {} on {} ({} cores)\n",
        report.mode, report.git_rev, m.cpu_model, m.cores
    );
    println!("{}", table::results(&report.scenarios, false));
    println!("Goals:\n{}", table::goals(&report.goals, false));
    if !report.matrix.is_empty() {
        println!(
            "Settings side by side:\n{}",
            table::matrix(&report.matrix, false)
        );
    }
}

fn run_gate(args: &Args, report: &Report) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.record {
        report.write_json(path)?;
        println!("bench gate: recorded a new baseline in {}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let path =
        (args.baseline.clone()).unwrap_or_else(|| workspace_root().join("bench/baseline.json"));
    let baseline = Report::read_json(&path)?;
    let threshold = gate::threshold_from_env()?;
    let outcome = gate::compare(&baseline, report, threshold);
    let rows = &outcome.rows;
    println!(
        "bench gate: p50 vs baseline {} (git {}), threshold {threshold}x; a scenario fails only \
         when its p50 exceeds it absolutely, relative to the machine peers (native_true_spawn, \
         node_spawn) and relative to the suite's median ratio",
        path.display(),
        baseline.git_rev
    );
    if baseline.machine.cpu_model != report.machine.cpu_model {
        println!(
            "WARNING: baseline recorded on {:?}, this is {:?}",
            baseline.machine.cpu_model, report.machine.cpu_model
        );
    }
    println!("{}", table::gate(rows));
    let x = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.2}x"));
    let peers: Vec<String> = (outcome.peer_factors.iter())
        .map(|&(name, f)| format!("{name} {f:.2}x"))
        .collect();
    println!(
        "suite factor (median ratio) {}, machine factor {} (peers: {})",
        x(outcome.suite_factor),
        x(outcome.machine_factor()),
        peers.join(", ")
    );
    let failed = outcome.failures();
    let warned = rows.iter().filter(|r| r.verdict.warns()).count();
    let compared = rows.iter().filter(|r| r.ratio.is_some()).count();
    let skipped = rows.len() - compared;
    if failed.is_empty() {
        println!(
            "bench gate: PASS ({compared} compared, {skipped} not compared, {warned} warnings)"
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("bench gate: FAIL: {}", failed.join(", "));
        Ok(ExitCode::from(1))
    }
}
