//! `agentos-conformance npm`: the smoke scripts of `sidecar/tests/npm/` against
//! `sidecar/tests/npm/expectations.txt`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;

use crate::check::conform;
use crate::expectations::Outcome;
use crate::npm::{self, Smoke};
use crate::report::{Tally, Verdict, update_files};
use crate::{Common, verdict};

/// The npm matrix.
#[derive(Debug, Args)]
pub struct NpmArgs {
    /// The smoke scripts, next to the package.json and lock file they were installed from.
    #[arg(long, value_name = "DIR")]
    scripts: PathBuf,
    /// The installed node_modules (by `npm ci`, outside the work tree).
    #[arg(long, value_name = "DIR")]
    modules: PathBuf,
    /// The host's Node, to check every script prints its line there first [default: node].
    #[arg(long, value_name = "PATH", default_value = "node")]
    host_node: PathBuf,
    #[command(flatten)]
    common: Common,
}

/// Runs the matrix; exit 1 on a surprise, 2 when a script is wrong under the host's Node.
///
/// # Errors
/// Missing files, a package a script names that is not installed, a sidecar that cannot start.
pub async fn run(args: NpmArgs) -> anyhow::Result<ExitCode> {
    let scripts = args.scripts.canonicalize().context("the --scripts dir")?;
    let modules = args.modules.canonicalize().context("the --modules dir")?;
    let smokes = npm::collect(&scripts, &args.common.filters)?;
    anyhow::ensure!(!smokes.is_empty(), "no smoke script matches");
    for smoke in &smokes {
        for package in &smoke.packages {
            if npm::installed_version(&modules, package).is_none() {
                bail!(
                    "{}: {package} is not installed in {}",
                    smoke.file,
                    modules.display()
                );
            }
        }
    }
    let mut list = args.common.load_list()?;
    eprintln!(
        "conformance: {} smoke scripts under the host's node first",
        smokes.len()
    );
    let wrong = npm::check_on_host(
        &args.host_node,
        &scripts,
        &modules,
        &smokes,
        args.common.jobs,
    )
    .await?;
    if !wrong.is_empty() {
        println!("smoke scripts that do not print their line under the host's node:");
        for (file, why) in &wrong {
            println!("  {file}: {why}");
        }
        return Ok(ExitCode::from(2));
    }
    let pool = args.common.pool().await?;
    let checked = conform(
        pool,
        &smokes,
        |s: &Smoke| s.file.clone(),
        |s, scratch, limit| npm::spec(&scripts, &modules, s, scratch, limit),
        |s, run| verdict::smoke(run, &s.expect),
        &mut list,
        args.common.options(),
    )
    .await?;
    let full = full_table(&smokes, &checked.verdicts, &modules);
    let summary = summary(&checked.verdicts);
    println!("\n{full}\n{summary}");
    if args.common.update {
        if args.common.filters.is_empty() {
            let sections = [("npm-matrix", summary), ("npm-matrix-table", full)];
            update_files(&args.common.readme, &sections)?;
        } else if !args.common.readme.is_empty() {
            eprintln!("conformance: a filtered run does not rewrite the README tables");
        }
    }
    args.common.finish(&checked, &list)
}

fn full_table(smokes: &[Smoke], verdicts: &[Verdict], modules: &std::path::Path) -> String {
    let mut out = String::from("| script | packages | result | reason |\n|---|---|---|---|\n");
    for (smoke, v) in smokes.iter().zip(verdicts) {
        let packages: Vec<String> = smoke
            .packages
            .iter()
            .map(|p| match npm::installed_version(modules, p) {
                Some(version) => format!("{p} {version}"),
                None => p.clone(),
            })
            .collect();
        let reason = v.reason.replace('|', "\\|");
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {reason} |",
            smoke.file,
            packages.join(", "),
            v.outcome.as_str()
        );
    }
    out
}

fn summary(verdicts: &[Verdict]) -> String {
    let mut tally = Tally::default();
    for v in verdicts {
        tally.add(v.outcome);
    }
    let mut out = format!(
        "{} of {} npm packages' smoke scripts pass through the sidecar ({}); run by \
         `ci/npm-matrix`, table in `sidecar/tests/npm/README.md`.",
        tally.pass,
        tally.files,
        tally.percent()
    );
    let failing: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Pass)
        .collect();
    if !failing.is_empty() {
        out.push_str(" Not passing yet:\n\n");
        for v in failing {
            let _ = writeln!(out, "- `{}`: {}", v.name, v.reason);
        }
    }
    out
}
