//! `agentos-conformance node`: Node's own tests against `sidecar/tests/node-expectations.txt`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::check::conform;
use crate::groups::GROUPS;
use crate::node_suite::{self, TestFile};
use crate::report::{Tally, Verdict, table, update_files};
use crate::{Common, verdict};

/// Node's test/parallel and test/es-module.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// The Node source tree (with test/common, test/fixtures, test/parallel, test/es-module).
    #[arg(long, value_name = "DIR")]
    tree: PathBuf,
    #[command(flatten)]
    common: Common,
}

/// Runs the suite; exit 1 on a surprise.
///
/// # Errors
/// A missing tree or list, a sidecar that cannot start.
pub async fn run(args: NodeArgs) -> anyhow::Result<ExitCode> {
    let tree = node_suite::check_tree(&args.tree)?;
    let files = node_suite::collect(&tree, &args.common.filters)?;
    anyhow::ensure!(!files.is_empty(), "no test file matches");
    let mut list = args.common.load_list()?;
    eprintln!(
        "conformance: {} Node test files, {} at once, {} s each at most",
        files.len(),
        args.common.jobs,
        args.common.timeout_s
    );
    let pool = args.common.pool().await?;
    let checked = conform(
        pool,
        &files,
        |f: &TestFile| f.name.clone(),
        |f, scratch, limit| node_suite::spec(&tree, f, scratch, limit),
        |_, run| verdict::node_test(run),
        &mut list,
        args.common.options(),
    )
    .await?;
    let rows = rows(&files, &checked.verdicts);
    println!("\n{}", table(&rows));
    if args.common.update {
        let source = list.header_value("source").unwrap_or("a Node source tree");
        let body = format!(
            "Node's own tests from {source}, each file run as `node FLAGS FILE` through the \
             sidecar by `ci/node-tests` (expected failures, each with its reason: \
             `sidecar/tests/node-expectations.txt`):\n\n{}",
            table(&rows)
        );
        if args.common.filters.is_empty() {
            update_files(&args.common.readme, &[("node-tests", body)])?;
        } else if !args.common.readme.is_empty() {
            eprintln!("conformance: a filtered run does not rewrite the README tables");
        }
    }
    args.common.finish(&checked, &list)
}

/// The table: one row per module group, the listed modules together, test/es-module, and all
/// of test/parallel.
fn rows(files: &[TestFile], verdicts: &[Verdict]) -> Vec<(String, Tally)> {
    let mut by_group: BTreeMap<&str, Tally> = BTreeMap::new();
    let (mut parallel, mut es_module) = (Tally::default(), Tally::default());
    for (file, v) in files.iter().zip(verdicts) {
        if file.suite == "es-module" {
            es_module.add(v.outcome);
            continue;
        }
        parallel.add(v.outcome);
        if let Some(group) = file.group {
            by_group.entry(group).or_default().add(v.outcome);
        }
    }
    let mut rows = Vec::new();
    let mut listed = Tally::default();
    for (group, _) in GROUPS {
        if let Some(t) = by_group.get(group) {
            listed.merge(*t);
            rows.push(((*group).to_string(), *t));
        }
    }
    rows.push(("**the modules above**".into(), listed));
    rows.push(("**test/es-module**".into(), es_module));
    rows.push(("**test/parallel, all files**".into(), parallel));
    rows
}
