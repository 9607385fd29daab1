//! `agentos-conformance`: runs Node's own tests (`node`) and the npm package matrix (`npm`)
//! through a real agentos-sidecar, many guests at once over one sidecar, and compares every
//! outcome with a checked-in expectations list: a surprise either way fails (exit 1). With
//! `--update` it writes the outcomes into the list and the tables into the READMEs instead.
//! `ci/node-tests` and `ci/npm-matrix` fetch what these need and call them.
//!
//! Progress goes to stderr; surprises, tables and reasons to stdout.
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a reporting binary: its tables are its output (stdout), progress goes to stderr"
)]

mod check;
mod expectations;
mod groups;
mod node_cmd;
mod node_suite;
mod npm;
mod npm_cmd;
mod report;
mod runner;
mod verdict;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::check::Checked;
use crate::expectations::Expectations;
use crate::report::{Verdict, top_reasons};
use crate::runner::{Pool, SidecarConfig};

/// Node's tests and npm packages through a real sidecar, against checked-in expectations.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    suite: Suite,
}

#[derive(Debug, Subcommand)]
enum Suite {
    /// Node's test/parallel and test/es-module files.
    Node(node_cmd::NodeArgs),
    /// One smoke script per npm package.
    Npm(npm_cmd::NpmArgs),
}

/// What both suites take.
#[derive(Debug, Args)]
pub struct Common {
    /// The expectations list.
    #[arg(long, value_name = "FILE")]
    expectations: PathBuf,
    /// Write the outcomes into the list and the tables into the --readme files.
    #[arg(long)]
    update: bool,
    /// A file with marked sections to rewrite on --update (repeatable).
    #[arg(long, value_name = "FILE")]
    readme: Vec<PathBuf>,
    /// Write every verdict as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Guests in flight at once (also the sidecar's AGENTOS_MAX_RUNNING).
    #[arg(long, default_value_t = 12)]
    jobs: usize,
    /// Wall-time limit per guest, seconds.
    #[arg(long, default_value_t = 30)]
    timeout_s: u64,
    /// The sidecar binary.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "target/release/agentos-sidecar"
    )]
    sidecar: PathBuf,
    /// Print every verdict, not only the surprises.
    #[arg(long, short)]
    verbose: bool,
    /// Only names containing one of these (an update then touches only them).
    filters: Vec<String>,
}

impl Common {
    fn options(&self) -> check::Options {
        check::Options {
            jobs: self.jobs,
            limit: Duration::from_secs(self.timeout_s.max(1)),
            update: self.update,
            complete: self.filters.is_empty(),
        }
    }

    fn load_list(&self) -> anyhow::Result<Expectations> {
        let text = std::fs::read_to_string(&self.expectations)
            .with_context(|| format!("reading {}", self.expectations.display()))?;
        Expectations::parse(&text).with_context(|| format!("in {}", self.expectations.display()))
    }

    async fn pool(&self) -> anyhow::Result<Arc<Pool>> {
        let config = SidecarConfig {
            bin: self.sidecar.clone(),
            env: vec![
                ("AGENTOS_MAX_RUNNING".into(), self.jobs.max(1).to_string()),
                ("AGENTOS_MAX_QUEUED".into(), "100000".into()),
                ("AGENTOS_WASM_SNAPSHOT_RUNNER".into(), "block".into()),
            ],
        };
        Ok(Arc::new(Pool::start(config).await.with_context(|| {
            format!("starting {}", self.sidecar.display())
        })?))
    }

    /// Prints what was found, writes the JSON and (on --update) the list; the exit code.
    fn finish(&self, checked: &Checked, list: &Expectations) -> anyhow::Result<ExitCode> {
        if self.verbose {
            for v in &checked.verdicts {
                println!("{:4}  {}  {}", v.outcome.as_str(), v.name, v.reason);
            }
        }
        if let Some(path) = &self.json {
            write_json(path, &checked.verdicts)?;
        }
        for line in &checked.flaky {
            println!("FLAKY  {line}");
        }
        print_reasons(&checked.verdicts);
        if self.update {
            std::fs::write(&self.expectations, list.render())
                .with_context(|| format!("writing {}", self.expectations.display()))?;
            println!("updated {}", self.expectations.display());
            return Ok(ExitCode::SUCCESS);
        }
        if checked.surprises.is_empty() {
            println!(
                "no surprises: every outcome is the one in {}",
                self.expectations.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        println!("\n{} surprise(s):", checked.surprises.len());
        for line in &checked.surprises {
            println!("  {line}");
        }
        println!(
            "Fix them, or if the change is intended, record it: the same command with --update."
        );
        Ok(ExitCode::from(1))
    }
}

fn print_reasons(verdicts: &[Verdict]) {
    let top = top_reasons(verdicts, 15);
    if top.is_empty() {
        return;
    }
    println!("\nmost common reasons (files):");
    for (count, reason) in top {
        println!("{count:6}  {reason}");
    }
}

fn write_json(path: &Path, verdicts: &[Verdict]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(verdicts)?;
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("agentos-conformance: no tokio runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match cli.suite {
            Suite::Node(args) => node_cmd::run(args).await,
            Suite::Npm(args) => npm_cmd::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("agentos-conformance: {e:#}");
            ExitCode::from(2)
        }
    }
}
