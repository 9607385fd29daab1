//! The WASI preview1 conformance suite (`../shared/wasi-testsuite`) through the real sidecar.
//!
//! Each test's `root` is copied to a scratch directory and mounted as `/`; the guest gets exactly
//! the spec's args and env; exit code, stdout and stderr are compared. Tests listed in
//! `sidecar/tests/wasi-expectations.txt` are expected to fail (with the reason written there);
//! an unexpected failure fails this test, and so does a listed test that now passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use agentos_sdk::{ExecSpec, Sidecar};
use serde_json::Value;

use crate::support::{run, scratch, sidecar};

fn suite_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("AGENTOS_WASI_TESTSUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wasi-testsuite")
        });
    dir.is_dir().then_some(dir)
}

fn expectations() -> BTreeMap<String, String> {
    let text = include_str!("../wasi-expectations.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace))
        .map(|(name, reason)| (name.to_string(), reason.trim().to_string()))
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let meta = std::fs::symlink_metadata(&src).unwrap();
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dst).unwrap();
        } else if meta.is_dir() {
            copy_tree(&src, &dst);
        } else if !src.to_string_lossy().ends_with(".cleanup") {
            std::fs::copy(&src, &dst).unwrap();
            let mut perms = std::fs::metadata(&dst).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&dst, perms).unwrap();
        }
    }
}

/// Runs one test; `Err` says what differed.
async fn run_one(sc: &Sidecar, wasm: &Path) -> Result<(), String> {
    let spec_path = wasm.with_extension("json");
    let spec: Value = match std::fs::read_to_string(&spec_path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("bad spec: {e}"))?,
        Err(_) => Value::Object(Default::default()),
    };
    let mut argv = vec![wasm.to_string_lossy().into_owned()];
    for arg in spec["args"].as_array().into_iter().flatten() {
        argv.push(arg.as_str().unwrap_or_default().to_string());
    }
    let mut exec = ExecSpec::new(argv).cwd("/");
    for (key, value) in spec["env"].as_object().into_iter().flatten() {
        exec = exec.env(key, value.as_str().unwrap_or_default());
    }
    if let Some(root) = spec["root"].as_str() {
        let copy = scratch("wasi-root");
        copy_tree(&wasm.parent().unwrap().join(root), &copy);
        exec = exec.dir(copy.to_string_lossy(), "/");
    }
    let out = run(sc, exec).await;
    let want_code = spec["exit_code"].as_i64().unwrap_or(0) as i32;
    let mut problems = Vec::new();
    if out.status.code != want_code {
        problems.push(format!("exit {} (want {want_code})", out.status.code));
    }
    for (stream, got) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if let Some(want) = spec[stream].as_str()
            && want.as_bytes() != &got[..]
        {
            problems.push(format!(
                "{stream} {:?} (want {want:?})",
                String::from_utf8_lossy(got)
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(format!(
        "{}; stderr: {}",
        problems.join(", "),
        stderr.trim()
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[allow(
    clippy::print_stdout,
    reason = "the harness prints one line per test, like a runner"
)]
async fn wasi_testsuite_conforms() {
    let Some(dir) = suite_dir() else {
        println!("wasi-testsuite not found next to the repository; skipped");
        return;
    };
    let mut tests: Vec<PathBuf> = ["c", "rust", "assemblyscript"]
        .iter()
        .flat_map(|lang| std::fs::read_dir(dir.join(lang)).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    tests.sort();
    let sc = Arc::new(sidecar().await);
    let handles: Vec<_> = tests
        .iter()
        .map(|wasm| {
            let (sc, wasm) = (sc.clone(), wasm.clone());
            tokio::spawn(async move { run_one(&sc, &wasm).await })
        })
        .collect();
    let expected = expectations();
    let (mut passed, mut failed, mut surprises) = (0, 0, Vec::new());
    for (wasm, handle) in tests.iter().zip(handles) {
        let lang = wasm
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let name = format!("{lang}/{}", wasm.file_stem().unwrap().to_string_lossy());
        let result = handle.await.expect("test task");
        match (&result, expected.get(&name)) {
            (Ok(()), None) => println!("PASS  {name}"),
            (Ok(()), Some(_)) => {
                surprises.push(format!("{name} passes: remove it from the expectations"))
            }
            (Err(why), Some(reason)) => println!("XFAIL {name}: {why} (expected: {reason})"),
            (Err(why), None) => surprises.push(format!("{name}: {why}")),
        }
        if result.is_ok() {
            passed += 1
        } else {
            failed += 1
        }
    }
    println!(
        "wasi-testsuite: {passed} passed, {failed} failed ({} tests)",
        tests.len()
    );
    assert!(
        surprises.is_empty(),
        "unexpected results:\n{}",
        surprises.join("\n")
    );
}
