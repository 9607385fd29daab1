//! A selection of CPython's own test modules through the sidecar, against
//! `sidecar/tests/python-expectations.txt` (a surprise either way fails). Needs `ci/fetch-python`,
//! which installs CPython's tests beside the standard library.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use agentos_sdk::Sidecar;
use futures::StreamExt;

use crate::python::{py, python_dir};
use crate::support::{HANG, scratch, sidecar, stderr, stdout};

/// CPython test modules run through the sidecar (`python3 run_unittests.py`).
const CPYTHON_MODULES: &[&str] = &[
    "test.test_json",
    "test.test_re",
    "test.test_math",
    "test.test_string",
    "test.test_collections",
    "test.test_itertools",
    "test.test_datetime",
];

/// How long one module may take (they run at once, on a shared 2-core machine).
const MODULE_BOUND: Duration = Duration::from_secs(900);

/// `python-expectations.txt`: test id -> (verdict, reason).
fn expectations() -> BTreeMap<String, (String, String)> {
    let text = include_str!("../python-expectations.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (verdict, rest) = l
                .split_once(char::is_whitespace)
                .expect("VERDICT ID REASON");
            let (verdict, rest) = (verdict.to_string(), rest.trim_start());
            let (id, reason) = rest.split_once(char::is_whitespace).expect("ID REASON");
            assert!(
                verdict == "fail" || verdict == "skip",
                "bad verdict in: {l}"
            );
            (id.to_string(), (verdict, reason.trim().to_string()))
        })
        .collect()
}

/// Runs one module; every test id with its verdict (`ok`, `fail`, `error`, `skip`, ...).
async fn run_module(sc: &Sidecar, module: &str, skips: &[String]) -> Vec<(String, String)> {
    let dir = python_dir();
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/all/python");
    let tmp = scratch("py-tmp");
    let mut argv = vec!["python3", "/runner/run_unittests.py", "/tests"];
    for id in skips {
        argv.extend(["--skip", id]);
    }
    argv.push(module);
    let spec = py(&argv)
        .dir_ro(dir.join("tests").to_str().unwrap(), "/tests")
        .dir_ro(runner.to_str().unwrap(), "/runner")
        .dir(tmp.to_str().unwrap(), "/tmp")
        .env("TMPDIR", "/tmp")
        .heap_mb(1024)
        .timeout_ms(MODULE_BOUND.as_millis() as u64);
    let exec = sc.exec(spec).await.expect("exec accepted");
    let out = tokio::time::timeout(MODULE_BOUND + HANG, exec.output())
        .await
        .expect("module run hung")
        .expect("module output");
    let text = stdout(&out);
    assert!(
        out.status.code == 0 && text.lines().any(|l| l.starts_with("DONE ")),
        "{module}: {:?}\n{}",
        out.status,
        stderr(&out)
    );
    text.lines()
        .filter_map(|l| l.strip_prefix("RESULT "))
        .filter_map(|l| {
            let mut parts = l.split(' ');
            Some((parts.nth(1)?.to_string(), l.split(' ').next()?.to_string()))
        })
        .collect()
}

#[tokio::test]
async fn cpython_test_modules_pass_but_for_the_listed_expectations() {
    let sc = sidecar().await;
    let expected = expectations();
    let skips: Vec<String> = (expected.iter())
        .filter(|(_, (verdict, _))| verdict == "skip")
        .map(|(id, _)| id.clone())
        .collect();
    // Two at a time: the machine has two cores, and other tests run meanwhile.
    let runs = futures::stream::iter(CPYTHON_MODULES.iter().map(|m| run_module(&sc, m, &skips)));
    let results: Vec<(String, String)> = runs
        .buffer_unordered(2)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .flatten()
        .collect();
    let mut surprises = Vec::new();
    let mut seen = BTreeSet::new();
    let mut passed = 0;
    for (id, verdict) in &results {
        seen.insert(id.clone());
        let listed = expected.get(id).map(|(v, _)| v.as_str());
        match (verdict.as_str(), listed) {
            ("ok" | "xfail", None) => passed += 1,
            ("skip", _) => {}
            ("ok" | "xfail", Some("fail")) => {
                surprises.push(format!("{id} passes: remove it from the expectations"));
            }
            ("fail" | "error" | "xpass", Some("fail")) => {}
            (other, _) => surprises.push(format!("{id}: {other} (not in the expectations)")),
        }
    }
    for id in expected.keys().filter(|id| !seen.contains(*id)) {
        surprises.push(format!("{id} is listed but did not run"));
    }
    assert!(passed > 1500, "only {passed} tests passed");
    assert!(surprises.is_empty(), "{}", surprises.join("\n"));
}
