//! The harness end to end: `agentos-conformance` over a real sidecar (the workspace's build of
//! `agentos-sidecar`, next to this binary) on a small Node-shaped tree and a small npm matrix.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CONFORMANCE: &str = env!("CARGO_BIN_EXE_agentos-conformance");

/// The sidecar built next to the binary under test (`cargo build --workspace` builds both).
fn sidecar_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("AGENTOS_SIDECAR_BIN") {
        return bin.into();
    }
    let bin = Path::new(CONFORMANCE).with_file_name("agentos-sidecar");
    assert!(
        bin.is_file(),
        "{} is missing: `cargo build -p agentos-sidecar` first",
        bin.display()
    );
    bin
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const HEADER: &str = "# test list\n# source: Debian nodejs 0.0.0-1 (Node v0.0.0)\n";

const README: &str = "intro\n<!-- node-tests:begin -->\nold\n<!-- node-tests:end -->\nrest\n";

/// A Node-shaped tree: one file that passes, fails, skips, and needs a flag, each.
fn node_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("test/common/index.js", "module.exports = { ok: true };\n"),
            ("test/fixtures/data.txt", "fixture\n"),
            (
                "test/parallel/test-buffer-pass.js",
                "const common = require('../common');\nconst fs = require('fs');\n\
                 if (!common.ok || fs.readFileSync('test/fixtures/data.txt', 'utf8') !== 'fixture\\n') process.exit(1);\n\
                 fs.writeFileSync(process.env.NODE_TEST_DIR + '/scratch', 'x');\n",
            ),
            (
                "test/parallel/test-buffer-fail.js",
                "throw new TypeError('nope');\n",
            ),
            (
                "test/parallel/test-os-skip.js",
                "console.log('1..0 # Skipped: no such thing here');\n",
            ),
            (
                "test/parallel/test-http-flags.js",
                "// Flags: --expose-internals\n'use strict';\n",
            ),
            (
                "test/parallel/helper.js",
                "throw new Error('not a test');\n",
            ),
            ("test/es-module/test-esm-pass.js", "console.log('fine');\n"),
        ],
    );
    dir
}

fn node_run(tree: &Path, list: &Path, readme: &Path, extra: &[&str]) -> Output {
    Command::new(CONFORMANCE)
        .arg("node")
        .arg("--tree")
        .arg(tree)
        .arg("--expectations")
        .arg(list)
        .arg("--readme")
        .arg(readme)
        .arg("--sidecar")
        .arg(sidecar_bin())
        .args(["--jobs", "4", "--timeout-s", "20"])
        .args(extra)
        .output()
        .expect("run agentos-conformance")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A tree, its list (with `entries` after the header) and a README, in one scratch dir.
fn setup(entries: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tree = node_tree();
    let list = tree.path().join("list.txt");
    let readme = tree.path().join("README.md");
    std::fs::write(&list, format!("{HEADER}\n{entries}")).unwrap();
    std::fs::write(&readme, README).unwrap();
    (tree, list, readme)
}

#[test]
fn update_records_each_outcome_with_its_reason_and_the_table() {
    let (tree, list, readme) = setup("");
    let out = node_run(tree.path(), &list, &readme, &["--update"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let written = std::fs::read_to_string(&list).unwrap();
    assert!(written.starts_with(HEADER), "{written}");
    let lines: Vec<Vec<&str>> = written
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    let names: Vec<(&str, &str)> = lines.iter().map(|w| (w[0], w[1])).collect();
    assert_eq!(
        names,
        [
            ("parallel/test-buffer-fail.js", "fail"),
            ("parallel/test-http-flags.js", "fail"),
            ("parallel/test-os-skip.js", "skip"),
        ]
    );
    assert!(written.contains("TypeError: nope"), "{written}");
    assert!(
        written.contains("node: bad option: --expose-internals"),
        "{written}"
    );
    assert!(written.contains("skipped: no such thing here"), "{written}");
    let table = std::fs::read_to_string(&readme).unwrap();
    assert!(
        table.contains("| buffer | 2 | 1 | 0 | 1 | 50.0 % |"),
        "{table}"
    );
    assert!(
        table.contains("| **test/es-module** | 1 | 1 | 0 | 0 | 100.0 % |"),
        "{table}"
    );
    assert!(
        table.contains("| **test/parallel, all files** | 4 | 1 | 1 | 2 | 25.0 % |"),
        "{table}"
    );
    assert!(
        table.starts_with("intro\n") && table.ends_with("rest\n"),
        "{table}"
    );

    let again = node_run(tree.path(), &list, &readme, &[]);
    assert!(again.status.success(), "{}", text(&again.stdout));
    assert!(text(&again.stdout).contains("no surprises"));
}

#[test]
fn an_unlisted_failure_fails_the_check() {
    let (tree, list, readme) =
        setup("parallel/test-http-flags.js fail flag\nparallel/test-os-skip.js skip skips\n");
    let out = node_run(tree.path(), &list, &readme, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("1 surprise(s)"), "{stdout}");
    assert!(
        stdout.contains("parallel/test-buffer-fail.js: fail (TypeError: nope)"),
        "{stdout}"
    );
}

#[test]
fn a_listed_file_that_passes_or_changes_outcome_fails_the_check() {
    let (tree, list, readme) = setup(
        "parallel/test-buffer-fail.js fail nope\nparallel/test-http-flags.js skip wrong\n\
         parallel/test-os-skip.js skip skips\nparallel/test-buffer-pass.js fail old\n",
    );
    let out = node_run(tree.path(), &list, &readme, &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("2 surprise(s)"), "{stdout}");
    assert!(
        stdout.contains("test-buffer-pass.js: passes now"),
        "{stdout}"
    );
    assert!(
        stdout.contains("test-http-flags.js: fail (node: bad option"),
        "{stdout}"
    );
}

#[test]
fn flaky_entries_accept_any_outcome_and_stale_entries_fail_a_full_run() {
    let (tree, list, readme) = setup(
        "parallel/test-buffer-fail.js flaky timing\nparallel/test-buffer-pass.js flaky timing\n\
         parallel/test-http-flags.js fail flag\nparallel/test-os-skip.js skip skips\n",
    );
    let out = node_run(tree.path(), &list, &readme, &[]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    std::fs::write(
        &list,
        format!(
            "{}parallel/test-gone.js fail removed upstream\n",
            std::fs::read_to_string(&list).unwrap()
        ),
    )
    .unwrap();
    let out = node_run(tree.path(), &list, &readme, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("test-gone.js: listed, but there is no such file"));
    let filtered = node_run(tree.path(), &list, &readme, &["test-buffer"]);
    assert!(
        filtered.status.success(),
        "a filtered run cannot tell a stale entry"
    );
}

fn npm_run(dir: &Path, extra: &[&str]) -> Output {
    Command::new(CONFORMANCE)
        .arg("npm")
        .arg("--scripts")
        .arg(dir.join("scripts"))
        .arg("--modules")
        .arg(dir.join("node_modules"))
        .arg("--expectations")
        .arg(dir.join("list.txt"))
        .arg("--sidecar")
        .arg(sidecar_bin())
        .args(["--jobs", "2", "--timeout-s", "20"])
        .args(extra)
        .output()
        .expect("run agentos-conformance")
}

fn npm_setup(expect: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("list.txt", "# npm list\n"),
            (
                "node_modules/greet/package.json",
                "{\"name\":\"greet\",\"version\":\"1.2.3\",\"main\":\"index.js\"}",
            ),
            (
                "node_modules/greet/index.js",
                "module.exports = (who) => `hi ${who}`;\n",
            ),
            ("scripts/package.json", "{\"private\":true}"),
            (
                "scripts/greet.js",
                &format!(
                    "// package: greet\n// expect: {expect}\nconsole.log(require('greet')('you'));\n"
                ),
            ),
        ],
    );
    dir
}

#[test]
fn npm_smoke_passes_when_it_prints_its_line_through_the_sidecar() {
    let dir = npm_setup("hi you");
    let out = npm_run(dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("| `greet.js` | greet 1.2.3 | pass |  |"));
}

#[test]
fn npm_smoke_wrong_under_the_host_node_is_refused_before_the_sidecar_runs() {
    let dir = npm_setup("hello you");
    let out = npm_run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("greet.js: printed \"hi you\", want \"hello you\""));
}
