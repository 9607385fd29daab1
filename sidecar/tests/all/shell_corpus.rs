//! The shell against the host's: every script of `shell/tests/corpus/<category>/*.sh` runs
//! through a real sidecar (`bash -c`, every command a guest) and through the host's `bash`
//! (and, for scripts marked `# posix`, `sh` against the host's `dash`), each over a fresh copy
//! of `shell/tests/corpus/fixture` mounted at its own path, comparing stdout, the exit status
//! and (unless marked `# stderr: unstable`) stderr.
//!
//! `shell/tests/corpus/expected-differences.txt` lists known differences (`PATH[:sh] reason`);
//! the test fails on a surprise either way. The pass table per category is printed and written
//! to `target/shell-conformance.md` (the README's table).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use agentos_sdk::{ExecSpec, Sidecar};
use futures::StreamExt;

use crate::support::{run, scratch, sidecar};

/// Per-script hang bound (scripts take milliseconds).
const SCRIPT_TIMEOUT_MS: u64 = 20_000;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shell/tests/corpus")
}

/// One script's observable result.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    stdout: String,
    stderr: String,
    status: i32,
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read fixture").flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy fixture file");
        }
    }
}

fn fresh_fixture() -> PathBuf {
    let dir = scratch("corpus").join("fx");
    copy_tree(&corpus().join("fixture"), &dir);
    dir.canonicalize().expect("canonical fixture")
}

fn env(dir: &Path) -> Vec<(String, String)> {
    vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("HOME".into(), dir.to_string_lossy().into_owned()),
        ("LC_ALL".into(), "C".into()),
    ]
}

fn host(shell: &str, script: &str) -> Seen {
    let dir = fresh_fixture();
    let out = Command::new("timeout")
        .args(["20", shell, "-c", script, shell])
        .env_clear()
        .envs(env(&dir))
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run the host shell");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
    Seen {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        // Killed by a signal: 128 + N, as a parent shell's `$?` (and the SDK's code) says.
        status: (out.status.code())
            .or_else(|| out.status.signal().map(|n| 128 + n))
            .unwrap_or(-1),
    }
}

async fn ours(sc: &Sidecar, shell: &str, script: &str) -> Seen {
    let dir = fresh_fixture();
    let path = dir.to_string_lossy().into_owned();
    let spec = ExecSpec::new([shell, "-c", script, shell])
        .envs(env(&dir))
        .cwd(path.clone())
        .dir(path.clone(), path)
        .timeout_ms(SCRIPT_TIMEOUT_MS);
    let out = run(sc, spec).await;
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
    let mut stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let status = match &out.status.error {
        Some(e) => {
            let _ = write!(stderr, "[typed error {:?}: {}]", e.code, e.message);
            -2
        }
        None => out.status.code,
    };
    Seen {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        status,
    }
}

fn same(a: &Seen, b: &Seen, stderr: bool) -> bool {
    a.stdout == b.stdout && a.status == b.status && (!stderr || a.stderr == b.stderr)
}

fn expectations() -> BTreeSet<String> {
    std::fs::read_to_string(corpus().join("expected-differences.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// One run: a script under one shell, its key in the expectations list.
struct RunCase {
    key: String,
    category: String,
    shell: &'static str,
    script: String,
    stderr: bool,
}

fn cases() -> Vec<RunCase> {
    let mut scripts: Vec<PathBuf> = Vec::new();
    for cat in std::fs::read_dir(corpus()).expect("corpus").flatten() {
        if cat.path().is_dir() && cat.file_name() != "fixture" {
            for f in std::fs::read_dir(cat.path()).expect("category").flatten() {
                if f.path().extension().is_some_and(|e| e == "sh") {
                    scripts.push(f.path());
                }
            }
        }
    }
    scripts.sort();
    assert!(scripts.len() >= 300, "corpus has {} scripts", scripts.len());
    let mut runs = Vec::new();
    for path in &scripts {
        let script = std::fs::read_to_string(path).expect("script");
        let rel = (path.strip_prefix(corpus()).expect("in corpus"))
            .to_string_lossy()
            .into_owned();
        let category = rel.split('/').next().unwrap_or("?").to_string();
        let stderr = !script.contains("# stderr: unstable");
        if script.contains("# posix") {
            runs.push(RunCase {
                key: format!("{rel}:sh"),
                category: category.clone(),
                shell: "sh",
                script: script.clone(),
                stderr: false,
            });
        }
        runs.push(RunCase {
            key: rel,
            category,
            shell: "bash",
            script,
            stderr,
        });
    }
    runs
}

#[derive(Default)]
struct Tally {
    pass: usize,
    known: usize,
    total: usize,
}

#[tokio::test(flavor = "multi_thread")]
async fn shell_corpus_matches_bash_and_dash() {
    let expected = expectations();
    let runs = cases();
    let sc = sidecar().await;
    let results: Vec<(usize, Seen, Seen)> = futures::stream::iter(runs.iter().enumerate())
        .map(|(i, case)| {
            let sc = &sc;
            async move {
                let reference = if case.shell == "sh" { "dash" } else { "bash" };
                let script = case.script.clone();
                let host = tokio::task::spawn_blocking(move || host(reference, &script));
                let got = ours(sc, case.shell, &case.script).await;
                (i, host.await.expect("host run"), got)
            }
        })
        .buffered(4)
        .collect()
        .await;
    let mut surprises = Vec::new();
    let mut table: BTreeMap<String, Tally> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (i, reference, got) in &results {
        let case = &runs[*i];
        let ok = same(reference, got, case.stderr);
        let listed = expected.contains(&case.key);
        seen.insert(case.key.clone());
        let t = table.entry(case.category.clone()).or_default();
        t.total += 1;
        match (ok, listed) {
            (true, false) => t.pass += 1,
            (false, true) => t.known += 1,
            (true, true) => surprises.push(format!("{}: listed but passes", case.key)),
            (false, false) => surprises.push(format!(
                "{}: differs\n  reference: {reference:?}\n  ours:      {got:?}",
                case.key
            )),
        }
    }
    for key in expected.difference(&seen) {
        surprises.push(format!("{key}: listed but no such script"));
    }
    let report = render(&table);
    println!("{report}");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/shell-conformance.md");
    let _ = std::fs::write(target, &report);
    assert!(
        surprises.is_empty(),
        "{} surprise(s):\n{}",
        surprises.len(),
        surprises.join("\n")
    );
}

fn render(table: &BTreeMap<String, Tally>) -> String {
    let mut out =
        String::from("| category | runs | pass | known differences |\n|---|---|---|---|\n");
    let (mut runs, mut pass, mut known) = (0, 0, 0);
    for (cat, t) in table {
        let _ = writeln!(out, "| {cat} | {} | {} | {} |", t.total, t.pass, t.known);
        runs += t.total;
        pass += t.pass;
        known += t.known;
    }
    let _ = writeln!(out, "| **all** | {runs} | {pass} | {known} |");
    out
}
