//! The command set against the host's GNU tools: every case of `commands_diff/cases.txt` runs
//! natively and through a real sidecar over the same fixture tree; stdout and exit code must
//! match, except for the cases `commands_diff/expected-failures.txt` lists with a reason. A
//! surprise either way (a listed case that now matches, an unlisted one that differs) fails.

#[path = "commands_diff/fixture.rs"]
pub mod fixture;
#[path = "commands_diff/patches.rs"]
mod patches;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use agentos_sdk::{ExecSpec, Sidecar};
use futures::StreamExt;

use crate::support::{run, scratch, sidecar};

const CASES: &str = include_str!("commands_diff/cases.txt");
const EXPECTED: &str = include_str!("commands_diff/expected-failures.txt");

/// One invocation.
struct Case {
    line: String,
    argv: Vec<String>,
    stdin: Option<String>,
    /// Runs in a private copy of the tree, which is compared afterwards too.
    tree: bool,
}

/// What one side produced.
#[derive(PartialEq, Debug)]
struct Outcome {
    stdout: Vec<u8>,
    code: i32,
    tree: Vec<(String, String)>,
}

fn parse_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for line in CASES.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (tree, rest) = match line.strip_prefix("@tree ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let mut words = shlex::split(rest).unwrap_or_else(|| panic!("bad quoting: {line}"));
        let stdin = (words.first().map(String::as_str) == Some("<")).then(|| {
            let file = words
                .get(1)
                .cloned()
                .unwrap_or_else(|| panic!("`<` needs a file: {line}"));
            words.drain(..2);
            file
        });
        assert!(!words.is_empty(), "empty case: {line}");
        cases.push(Case {
            line: line.to_owned(),
            argv: words,
            stdin,
            tree,
        });
    }
    cases
}

fn expected_failures() -> BTreeMap<String, String> {
    EXPECTED
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (case, reason) = l
                .split_once("  ## ")
                .unwrap_or_else(|| panic!("no `  ## reason`: {l}"));
            assert!(!reason.trim().is_empty(), "empty reason: {l}");
            (case.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

/// The host program for a case's command: GNU awk for `awk` (Debian's default is mawk), and
/// Debian's name for fd.
fn host_program(name: &str) -> &str {
    match name {
        "awk" if Path::new("/usr/bin/gawk").exists() => "/usr/bin/gawk",
        "fd" => "fdfind",
        other => other,
    }
}

fn host_side(case: &Case, root: &Path) -> Outcome {
    let mut cmd = Command::new(host_program(&case.argv[0]));
    cmd.args(&case.argv[1..])
        .current_dir(root)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .stderr(Stdio::null());
    cmd.stdin(match &case.stdin {
        Some(file) => Stdio::from(std::fs::File::open(root.join(file)).expect("stdin file")),
        None => Stdio::null(),
    });
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{}: {e} (run ci/install-reference-tools)", case.line));
    Outcome {
        stdout: out.stdout,
        // A command ended by a signal has a shell's status, 128 + the signal (`timeout -s KILL`
        // kills itself with it).
        code: out.status.code().unwrap_or_else(|| {
            128 + std::os::unix::process::ExitStatusExt::signal(&out.status).unwrap_or(0)
        }),
        tree: if case.tree {
            fixture::snapshot(root)
        } else {
            Vec::new()
        },
    }
}

async fn guest_side(sc: &Sidecar, case: &Case, root: &Path) -> (Outcome, String) {
    let host_dir = root.to_str().expect("utf-8 path");
    // By name, as a user types it: `ls` is `ls.wasm`, its own module.
    let argv = case.argv.iter().cloned();
    let mut spec = ExecSpec::new(argv)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .cwd("/");
    spec = if case.tree {
        spec.dir(host_dir, "/")
    } else {
        spec.dir_ro(host_dir, "/")
    };
    if let Some(file) = &case.stdin {
        spec = spec.stdin(std::fs::read(root.join(file)).expect("stdin file"));
    }
    let out = run(sc, spec).await;
    let outcome = Outcome {
        stdout: out.stdout.to_vec(),
        code: out.status.code,
        tree: if case.tree {
            fixture::snapshot(root)
        } else {
            Vec::new()
        },
    };
    (outcome, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A private copy of the fixture for a case that changes the tree: built the same way.
fn private_tree(name: &str) -> PathBuf {
    let dir = scratch(name);
    fixture::build(&dir);
    dir
}

fn commands_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_agentos-sidecar"));
    bin.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("commands")
}

fn show(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut lines: Vec<&str> = text.lines().take(6).collect();
    if text.lines().count() > 6 {
        lines.push("...");
    }
    lines.join("\\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_set_matches_the_host_gnu_tools() {
    assert!(
        commands_dir().join("ls.wasm").is_file(),
        "run ci/build-commands first"
    );
    let cases = parse_cases();
    let expected = expected_failures();
    for case in expected.keys() {
        assert!(
            cases.iter().any(|c| &c.line == case),
            "expected-failures.txt names no case: {case}"
        );
    }
    let shared = scratch("diff-tree");
    fixture::build(&shared);
    let sc = sidecar().await;
    let results: Vec<(usize, Outcome, Outcome, String)> =
        futures::stream::iter(cases.iter().enumerate())
            .map(|(i, case)| {
                let sc = &sc;
                let shared = &shared;
                async move {
                    let (host_root, guest_root) = if case.tree {
                        (private_tree("diff-host"), private_tree("diff-guest"))
                    } else {
                        (shared.clone(), shared.clone())
                    };
                    let host = host_side(case, &host_root);
                    let (guest, stderr) = guest_side(sc, case, &guest_root).await;
                    (i, host, guest, stderr)
                }
            })
            .buffered(4)
            .collect()
            .await;

    let mut report = String::new();
    let mut per_tool: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let (mut passed, mut surprises) = (0, 0);
    for (i, host, guest, stderr) in &results {
        let case = &cases[*i];
        let same = host == guest;
        let tally = per_tool.entry(case.argv[0].as_str()).or_default();
        if same {
            tally.0 += 1;
            passed += 1;
        } else {
            tally.1 += 1;
        }
        match (same, expected.get(&case.line)) {
            (true, Some(_)) => {
                surprises += 1;
                let _ = writeln!(
                    report,
                    "NOW PASSES (remove from expected-failures.txt): {}",
                    case.line
                );
            }
            (false, None) => {
                surprises += 1;
                let _ = writeln!(
                    report,
                    "DIFFERS: {}\n  host  exit {}: {}\n  guest exit {}: {}\n  guest stderr: {}{}",
                    case.line,
                    host.code,
                    show(&host.stdout),
                    guest.code,
                    show(&guest.stdout),
                    stderr.trim_end(),
                    tree_difference(&host.tree, &guest.tree)
                );
            }
            _ => {}
        }
    }
    let mut table = String::from("| command | same | differs |\n|---|---|---|\n");
    for (tool, (same, differs)) in &per_tool {
        let _ = writeln!(table, "| `{tool}` | {same} | {differs} |");
    }
    println!("{table}");
    println!("{report}");
    println!(
        "differential: {} cases, {passed} same as the host, {} differ ({} listed with a reason)",
        results.len(),
        results.len() - passed,
        expected.len()
    );
    assert_eq!(surprises, 0, "{surprises} surprises:\n{report}");
}

/// The first entries where two trees differ, or nothing when they are the same.
fn tree_difference(host: &[(String, String)], guest: &[(String, String)]) -> String {
    let only = |a: &[(String, String)], b: &[(String, String)]| {
        a.iter()
            .filter(|e| !b.contains(e))
            .take(3)
            .map(|(path, what)| format!("{path} {}", show(what.as_bytes())))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if host == guest {
        return String::new();
    }
    format!(
        "\n  trees differ: host has [{}], guest has [{}]",
        only(host, guest),
        only(guest, host)
    )
}
