//! `node --test`: Node's test runner on the command line, beside the host's Node over the same
//! project (which files it finds, the tests it reports in what order, the totals, the exit
//! code; durations, stacks and `location` fields differ and are left out). The host's Node is
//! 20, whose runner takes no globs and also searches dot directories; Node 22's glob patterns
//! (its `**` skips them) are checked against what Node 22 finds. Then what Node does with a
//! file that fails outside its tests, and a test file that never ends (and a fake clock ticking
//! forever) beside a victim.

use std::path::{Path, PathBuf};
use std::process::Command;

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::support::{beside_a_victim, run, scratch, sidecar, stderr, stdout};

const PROJECT: &[(&str, &str)] = &[
    (
        "test/a.test.js",
        "const test = require('node:test');\nconst assert = require('node:assert');\n\
         test('adds', () => assert.strictEqual(1 + 1, 2));\n\
         test('fails', () => assert.strictEqual(1 + 1, 3));\n\
         test('skipped', { skip: 'not now' }, () => {});\n\
         test.todo('later');\n",
    ),
    (
        "test/b.test.mjs",
        "import { describe, it, before } from 'node:test';\n\
         describe('suite', () => { before(() => {}); it('works', () => {}); it('also', async () => {}); });\n",
    ),
    (
        "test/c.test.js",
        "const test = require('node:test');\nconsole.log('top-level log');\n\
         test('logs', (t) => { console.log('inside'); t.diagnostic('diag'); });\n\
         test('nested', async (t) => { await t.test('child', () => {}); });\n",
    ),
    (
        "lib/util-test.js",
        "require('node:test')('util', () => {});\n",
    ),
    ("lib/util.js", "module.exports = () => 1;\n"),
    ("test-top.cjs", "require('node:test')('top', () => {});\n"),
    (
        "spec_test.mjs",
        "import test from 'node:test'; test('spec', () => {});\n",
    ),
    ("notes.test.txt", "not a test\n"),
    (
        "node_modules/dep/test.js",
        "require('node:test')('dependency', () => {});\n",
    ),
];

/// Where Node 22 and the host's Node 20 part ways: a helper under `test/` (a test file by
/// Node's default patterns, reported by its path as it runs no test) and a dot directory.
const MORE: &[(&str, &str)] = &[
    ("test/helpers/setup.js", "module.exports = 1;\n"),
    (
        ".hidden/x.test.js",
        "require('node:test')('hidden', () => {});\n",
    ),
];

/// argv after `node`.
const CASES: &[&[&str]] = &[
    &["--test"],
    &["--test", "test/b.test.mjs"],
    &["--test", "lib"],
    &["--test", "no-such-file.js"],
];

/// argv after `node`, and the top-level results Node 22 reports.
const GLOBS: &[(&[&str], &[&str])] = &[
    (
        &["--test"],
        &[
            "ok 1 - util",
            "ok 2 - spec",
            "ok 3 - top",
            "ok 4 - adds",
            "not ok 5 - fails",
            "ok 6 - skipped # SKIP not now",
            "ok 7 - later # TODO",
            "ok 8 - suite",
            "ok 9 - logs",
            "ok 10 - nested",
            "ok 11 - /app/test/helpers/setup.js",
        ],
    ),
    (
        &["--test", "test/*.test.js", "lib/*-test.js"],
        &[
            "ok 1 - util",
            "ok 2 - adds",
            "not ok 3 - fails",
            "ok 4 - skipped # SKIP not now",
            "ok 5 - later # TODO",
            "ok 6 - logs",
            "ok 7 - nested",
        ],
    ),
    (
        &["--test", "**/*.mjs", "./*.cjs"],
        &["ok 1 - spec", "ok 2 - top", "ok 3 - suite"],
    ),
    (
        &["--test", "{lib,nothing}/*.js"],
        &["ok 1 - util", "ok 2 - /app/lib/util.js"],
    ),
];

fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// The report's shape: results, subtest headers, plans and totals (each line trimmed of the
/// paths' prefix, which differs: the host's project dir against `/app`).
fn shape(tap: &str, root: &str) -> Vec<String> {
    let kept = |line: &&str| {
        let t = line.trim_start();
        t.starts_with("ok ")
            || t.starts_with("not ok ")
            || t.starts_with("# Subtest: ")
            || (t.starts_with("1..") && t[3..].chars().all(|c| c.is_ascii_digit()))
            || [
                "tests",
                "suites",
                "pass",
                "fail",
                "cancelled",
                "skipped",
                "todo",
            ]
            .iter()
            .any(|k| line.starts_with(&format!("# {k} ")))
    };
    (tap.lines().filter(kept))
        .map(|line| line.replace(root, "<root>"))
        .collect()
}

/// The top-level results of a TAP report.
fn results(tap: &str) -> Vec<&str> {
    (tap.lines())
        .filter(|l| l.starts_with("ok ") || l.starts_with("not ok "))
        .collect()
}

fn host_node(dir: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let out = Command::new("node")
        .args(args)
        .current_dir(dir)
        .env_remove("NODE_OPTIONS")
        .output()
        .expect("the host's node");
    let text = String::from_utf8_lossy(&out.stdout);
    let root = dir.to_str().expect("utf-8");
    (out.status.code().unwrap_or(-1), shape(&text, root))
}

#[tokio::test(flavor = "multi_thread")]
async fn node_test_finds_runs_and_reports_as_the_hosts_node() {
    let dir = project("node-test-cli", PROJECT);
    let sc = sidecar().await;
    let mut differ = Vec::new();
    for args in CASES {
        let host = host_node(&dir, args);
        let spec = ExecSpec::new(std::iter::once("node").chain(args.iter().copied()))
            .dir_ro(dir.to_str().expect("utf-8"), "/app")
            .cwd("/app");
        let out = run(&sc, spec).await;
        let guest = (out.status.code, shape(&stdout(&out), "/app"));
        if guest != host {
            differ.push(format!(
                "node {args:?}\n  host  {host:?}\n  guest {guest:?}\n  stderr: {}",
                stderr(&out)
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn globs_and_default_patterns_find_what_node_22_finds() {
    let files: Vec<(&str, &str)> = PROJECT.iter().chain(MORE).copied().collect();
    let dir = project("node-test-cli-globs", &files);
    let sc = sidecar().await;
    for (args, expected) in GLOBS {
        let spec = ExecSpec::new(std::iter::once("node").chain(args.iter().copied()))
            .dir_ro(dir.to_str().expect("utf-8"), "/app")
            .cwd("/app");
        let out = run(&sc, spec).await;
        let text = stdout(&out);
        assert_eq!(
            &results(&text),
            expected,
            "node {args:?}: {text}{}",
            stderr(&out)
        );
        let failed = expected.iter().any(|r| r.starts_with("not ok"));
        assert_eq!(out.status.code, i32::from(failed), "node {args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn test_only_runs_the_only_tests_and_what_is_under_them() {
    let dir = project(
        "node-test-cli-only",
        &[(
            "only.test.js",
            "const { test, describe, it } = require('node:test');\n\
             test('a', () => {});\ntest.only('b', () => {});\n\
             describe.only('s', () => { it('c', () => {}); });\n\
             describe('t', () => { it.only('d', () => {}); it('e', () => {}); });\n",
        )],
    );
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "--test", "--test-only"])
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app");
    let out = run(&sc, spec).await;
    let text = stdout(&out);
    let all: Vec<&str> = (text.lines())
        .filter(|l| l.trim_start().starts_with("ok ") || l.trim_start().starts_with("not ok "))
        .collect();
    assert_eq!(
        all,
        [
            "ok 1 - b",
            "    ok 1 - c",
            "ok 2 - s",
            "    ok 1 - d",
            "ok 3 - t"
        ],
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_test_past_its_timeout_is_cancelled_as_in_the_hosts_node() {
    let dir = project(
        "node-test-cli-timeout",
        &[(
            "t.test.js",
            "const test = require('node:test');\n\
             test('slow', { timeout: 50 }, () => new Promise((r) => setTimeout(r, 300)));\n\
             test('slower', { timeout: 100 }, () => new Promise((r) => setTimeout(r, 300)));\n\
             test('fast', () => {});\n",
        )],
    );
    // (With --test-timeout, the host's Node 20 also times out the whole file.)
    let args = ["--test", "t.test.js"];
    let host = host_node(&dir, &args);
    let sc = sidecar().await;
    let spec = ExecSpec::new(std::iter::once("node").chain(args))
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app");
    let out = run(&sc, spec).await;
    let text = stdout(&out);
    assert_eq!((out.status.code, shape(&text, "/app")), host, "{text}");
    assert!(
        text.contains("  error: 'test timed out after 100ms'"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn test_force_exit_ends_a_run_that_leaves_a_handle_open() {
    let dir = project(
        "node-test-cli-force-exit",
        &[(
            "h.test.js",
            "require('node:test')('leaves an interval', () => { setInterval(() => {}, 1000); });\n",
        )],
    );
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "--test", "--test-force-exit"])
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app")
        .timeout_ms(20_000);
    let out = run(&sc, spec).await;
    assert_eq!(
        (out.status.code, out.status.error.as_ref()),
        (0, None),
        "{out:?}"
    );
    assert!(stdout(&out).contains("# pass 1"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_failing_outside_its_tests_or_running_none_is_reported_by_its_path() {
    let dir = project(
        "node-test-cli-files",
        &[
            ("test/bad.test.js", "throw new Error('boom');\n"),
            (
                "test/code.test.js",
                "require('node:test')('t', () => {}); process.exitCode = 3;\n",
            ),
            ("test/empty.test.js", "console.log('no tests here');\n"),
        ],
    );
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "--test"])
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app");
    let out = run(&sc, spec).await;
    let text = stdout(&out);
    assert_eq!(
        results(&text),
        [
            "not ok 1 - /app/test/bad.test.js",
            "ok 2 - t",
            "not ok 3 - /app/test/code.test.js",
            "ok 4 - /app/test/empty.test.js"
        ],
        "{text}"
    );
    for wanted in [
        "# Error: boom",
        "  exitCode: 3",
        "# no tests here",
        "# fail 2",
    ] {
        assert!(text.lines().any(|l| l == wanted), "{wanted:?} in {text}");
    }
    assert_eq!(out.status.code, 1);
}

/// The spec report's shape: its result, suite, skip and info lines, durations left out.
fn spec_shape(report: &str) -> Vec<String> {
    let marks = ['\u{2714}', '\u{2716}', '\u{25b6}', '\u{fe63}', '\u{2139}'];
    (report.lines())
        .filter(|l| l.trim_start().starts_with(marks) && !l.contains("duration_ms"))
        .map(|l| match (l.rfind(" ("), l.rfind("ms)")) {
            (Some(open), Some(close)) if close > open => {
                format!("{}{}", &l[..open], &l[close + 3..])
            }
            _ => l.to_string(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_spec_reporter_reports_as_the_hosts_node() {
    let dir = project("node-test-cli-spec", PROJECT);
    let args = [
        "--test",
        "--test-reporter=spec",
        "test/a.test.js",
        "test/b.test.mjs",
        "test/c.test.js",
    ];
    let out = Command::new("node")
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("the host's node");
    let host = (
        out.status.code().unwrap_or(-1),
        spec_shape(&String::from_utf8_lossy(&out.stdout)),
    );
    // 11 results, 2 announcements, 1 diagnostic, 7 totals, the recap's title and failure.
    assert_eq!(host.1.len(), 22, "{host:?}");
    let sc = sidecar().await;
    let spec = ExecSpec::new(std::iter::once("node").chain(args))
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app");
    let guest = run(&sc, spec).await;
    assert_eq!(
        (guest.status.code, spec_shape(&stdout(&guest))),
        host,
        "{}",
        stderr(&guest)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unsupported_reporter_is_refused_as_a_bad_option() {
    let dir = project("node-test-cli-reporter", PROJECT);
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "--test", "--test-reporter=dot"])
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app");
    let out = run(&sc, spec).await;
    assert_eq!((out.status.code, stdout(&out).as_str()), (9, ""));
    assert!(stderr(&out).contains("--test-reporter=dot"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_test_file_that_never_ends_times_out_beside_a_victim() {
    let dir = project(
        "node-test-cli-hang",
        &[(
            "test/hang.test.js",
            "require('node:test')('spins', () => { for (;;); });\n",
        )],
    );
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "--test"])
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app")
        .timeout_ms(1500);
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(
        out.status.error.as_ref().map(|e| e.code),
        Some(ErrorCode::Timeout),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn mock_timers_ticking_forever_time_out_beside_a_victim() {
    let sc = sidecar().await;
    let code = "const { mock } = require('node:test'); mock.timers.enable(); \
                setInterval(() => {}, 1); mock.timers.tick(Infinity);";
    let spec = ExecSpec::new(["node", "-e", code]).timeout_ms(1000);
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(
        out.status.error.as_ref().map(|e| e.code),
        Some(ErrorCode::Timeout),
        "{out:?}"
    );
}
