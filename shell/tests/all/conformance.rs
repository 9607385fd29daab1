//! Differential conformance: every script of `tests/corpus/<category>/*.sh` runs through our
//! interpreter and through the host's `bash` (and, for scripts marked `# posix`, through
//! `dash` against our `sh`), over a fresh copy of `tests/corpus/fixture`, comparing stdout,
//! the exit status and (unless marked `# stderr: unstable`) stderr.
//!
//! INTERIM: our interpreter runs external commands as host processes (`support::host_os`)
//! until the engine implements `Processes`; the lead swaps in the sidecar.
//!
//! `tests/corpus/expected-differences.txt` lists known differences (`PATH[:sh] reason`); the
//! test fails on a surprise either way: an unlisted difference, or a listed one that passes.
//! The pass table per category is printed (and written to `target/shell-conformance.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use agentos_shell::{Limits, Stop, StopCause};

use crate::support::host_os::HostOs;
use crate::support::run_shell;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// One script's observable result.
#[derive(Debug, PartialEq, Eq)]
struct Result3 {
    stdout: String,
    stderr: String,
    status: i32,
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn fresh_fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fx");
    copy_tree(&corpus().join("fixture"), &dir);
    let dir = dir.canonicalize().unwrap();
    (tmp, dir)
}

fn env(dir: &Path) -> Vec<(String, String)> {
    vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("HOME".into(), dir.to_string_lossy().into_owned()),
        ("LC_ALL".into(), "C".into()),
    ]
}

fn host(shell: &str, script: &str) -> Result3 {
    let (_tmp, dir) = fresh_fixture();
    let out = Command::new("timeout")
        .args(["10", shell, "-c", script, shell])
        .env_clear()
        .envs(env(&dir))
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    Result3 {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

fn ours(shell: &str, script: &str) -> Result3 {
    let (_tmp, dir) = fresh_fixture();
    let stop = Stop::new();
    let os = Arc::new(HostOs::new(&dir, stop.clone()));
    let watchdog = stop.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(10));
        watchdog.stop(StopCause::Engine("conformance hang bound".into()));
    });
    let env = env(&dir);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let cwd = dir.to_string_lossy().into_owned();
    let o = run_shell(
        os.clone(),
        &[shell, "-c", script, shell],
        &cwd,
        &env,
        b"",
        Limits::default(),
        stop,
    );
    os.kill_all();
    match o.status {
        Ok(status) => Result3 {
            stdout: o.stdout,
            stderr: o.stderr,
            status,
        },
        Err(e) => Result3 {
            stdout: o.stdout,
            stderr: format!("{}[typed error: {e}]", o.stderr),
            status: -2,
        },
    }
}

fn same(a: &Result3, b: &Result3, stderr: bool) -> bool {
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

#[derive(Default)]
struct Tally {
    pass: usize,
    known: usize,
    total: usize,
}

#[test]
fn corpus_matches_bash_and_dash() {
    let expected = expectations();
    let mut seen = BTreeSet::new();
    let mut surprises = Vec::new();
    let mut table: BTreeMap<String, Tally> = BTreeMap::new();
    let mut scripts: Vec<PathBuf> = Vec::new();
    for cat in std::fs::read_dir(corpus()).unwrap().flatten() {
        if cat.path().is_dir() && cat.file_name() != "fixture" {
            for f in std::fs::read_dir(cat.path()).unwrap().flatten() {
                if f.path().extension().is_some_and(|e| e == "sh") {
                    scripts.push(f.path());
                }
            }
        }
    }
    scripts.sort();
    assert!(scripts.len() >= 300, "corpus has {} scripts", scripts.len());
    for path in &scripts {
        let script = std::fs::read_to_string(path).unwrap();
        let rel = path
            .strip_prefix(corpus())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let category = rel.split('/').next().unwrap_or("?").to_string();
        let compare_stderr = !script.contains("# stderr: unstable");
        let mut runs = vec![("bash", rel.clone(), compare_stderr)];
        if script.contains("# posix") {
            runs.push(("sh", format!("{rel}:sh"), false));
        }
        for (shell, key, stderr) in runs {
            let reference = host(if shell == "sh" { "dash" } else { "bash" }, &script);
            let got = ours(shell, &script);
            let ok = same(&reference, &got, stderr);
            let listed = expected.contains(&key);
            seen.insert(key.clone());
            let t = table.entry(category.clone()).or_default();
            t.total += 1;
            match (ok, listed) {
                (true, false) => t.pass += 1,
                (false, true) => t.known += 1,
                (true, true) => surprises.push(format!("{key}: listed as a difference but passes")),
                (false, false) => surprises.push(format!(
                    "{key}: differs\n  reference: {reference:?}\n  ours:      {got:?}"
                )),
            }
        }
    }
    for key in expected.difference(&seen) {
        surprises.push(format!("{key}: listed but no such script"));
    }
    let report = render(&table);
    print_report(&report);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/shell-conformance.md");
    let _ = std::fs::write(target, &report);
    assert!(
        surprises.is_empty(),
        "{} surprise(s):\n{}",
        surprises.len(),
        surprises.join("\n")
    );
}

#[expect(clippy::print_stdout, reason = "the pass table is the test's report")]
fn print_report(report: &str) {
    println!("{report}");
}

fn render(table: &BTreeMap<String, Tally>) -> String {
    let mut s = String::from("| category | runs | pass | known differences |\n|---|---|---|---|\n");
    let (mut p, mut k, mut t) = (0, 0, 0);
    for (cat, x) in table {
        s.push_str(&format!(
            "| {cat} | {} | {} | {} |\n",
            x.total, x.pass, x.known
        ));
        p += x.pass;
        k += x.known;
        t += x.total;
    }
    s.push_str(&format!("| **all** | {t} | {p} | {k} |\n"));
    s
}
