//! The Node surface of the stream part (stream, events, util, assert, readline, timers/promises,
//! os, tty, perf_hooks, module, process, fs, the unsupported stubs) against the host's Node 20:
//! every script of `node_surface/` runs under `node` on the host and through a real sidecar,
//! each in its own copy of the folder (scripts may write files), and stdout + exit code must be
//! equal, except for the scripts `node_surface/expected-differences.txt` lists with a reason. A
//! surprise either way (a listed script that now matches, an unlisted one that differs) fails.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use agentos_sdk::ExecSpec;

use crate::support::{node, run, scratch, sidecar, stderr, stdout};

const EXPECTED: &str = include_str!("node_surface/expected-differences.txt");

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/all/node_surface")
}

fn scripts() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("node_surface/ exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".js"))
        .collect();
    names.sort();
    names
}

/// A private copy of the fixture folder (the scripts' own files only).
fn copy_fixtures(name: &str) -> PathBuf {
    let dir = scratch(name);
    for entry in std::fs::read_dir(fixture_dir()).expect("read node_surface/") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().expect("a name"))).expect("copy");
        }
    }
    dir
}

/// The stdin of `script` (`name.stdin` beside `name.js`), if any.
fn stdin_of(script: &str) -> Option<Vec<u8>> {
    std::fs::read(fixture_dir().join(script.replace(".js", ".stdin"))).ok()
}

fn host_node(dir: &Path, script: &str) -> (String, i32) {
    use std::io::Write as _;
    let mut child = Command::new("node")
        .arg(script)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", "/root")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the host's `node` (Node 20) runs: ci/test requires it");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin
        .write_all(&stdin_of(script).unwrap_or_default())
        .expect("write stdin");
    drop(stdin);
    let out = child.wait_with_output().expect("node finishes");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn expected() -> BTreeMap<String, String> {
    EXPECTED
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, reason) = l.split_once(':').unwrap_or((l, ""));
            (name.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn node_surface_scripts_match_the_host_node() {
    let version = Command::new("node").arg("--version").output();
    let version = version.map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    assert!(
        version.as_deref().is_ok_and(|v| v.starts_with("v20.")),
        "the differential tests need the host's Node 20, found {version:?}"
    );
    let sc = sidecar().await;
    let listed = expected();
    let mut report = String::new();
    let mut compared = 0;
    for script in scripts() {
        let host_dir = copy_fixtures("surface-host");
        let guest_dir = copy_fixtures("surface-guest");
        let (want, want_code) = host_node(&host_dir, &script);
        let mut spec = ExecSpec::new(["node", script.as_str()])
            .dir(guest_dir.to_str().expect("UTF-8 path"), "/t")
            .cwd("/t")
            .env("HOME", "/root");
        if let Some(input) = stdin_of(&script) {
            spec = spec.stdin(input);
        }
        let out = run(&sc, spec).await;
        let got = stdout(&out);
        let same = got == want && out.status.code == want_code;
        compared += 1;
        match (same, listed.contains_key(&script)) {
            (true, false) | (false, true) => {}
            (true, true) => {
                writeln!(report, "{script}: listed as differing, but now matches").unwrap();
            }
            (false, false) => {
                writeln!(
                    report,
                    "{script}: differs (exit {want_code} vs {})\n{}\nstderr: {}",
                    out.status.code,
                    first_difference(&want, &got),
                    stderr(&out)
                )
                .unwrap();
            }
        }
    }
    assert!(compared >= 5, "only {compared} scripts found");
    assert!(report.is_empty(), "{report}");
}

fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let at = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    format!(
        "line {}: node {:?}\n        ours {:?}",
        at + 1,
        w.get(at).unwrap_or(&"<end>"),
        g.get(at).unwrap_or(&"<end>")
    )
}

/// The unsupported builtins load, and using them throws ERR_NOT_SUPPORTED_IN_SANDBOX naming the
/// API (no host Node to compare with: Node has them all). The network clients (`https.request`,
/// `net.connect`, `dns.lookup`) work now: `net.rs` tests them (`dns.Resolver`, `lookupService`: `node_dns.rs`); so do `http`/`net` servers
/// (`net_servers.rs`), `tls`/`https` servers (`node_surface/tls_servers.js`) and
/// `worker_threads.Worker` (`worker_threads.rs`).
#[tokio::test]
async fn unsupported_builtins_load_and_throw_a_coded_error_naming_the_api() {
    let sc = sidecar().await;
    let code = "
      const out = [];
      for (const [m, f] of [['worker_threads', 'moveMessagePortToContext'], ['cluster', 'fork'], ['inspector', 'open'],
          ['http2', 'connect'],
          ['tls', 'createSecurePair'], ['dgram', '_createSocketHandle'],
          ['vm', 'measureMemory'], ['v8', 'serialize']]) {
        const mod = require('node:' + m);
        try { new mod[f](); out.push(m + ': no error'); }
        catch (e) { out.push(`${e.code} ${e.message}`); }
      }
      console.log(out.join('\\n'));
      const wt = require('worker_threads');
      console.log(wt.isMainThread, require('http').METHODS.includes('GET'), require('net').isIP('::1'));
      console.log(require('vm').runInThisContext('6 * 7'), require('v8').getHeapStatistics().heap_size_limit > 0);";
    let out = run(&sc, node(code)).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    let text = stdout(&out);
    for api in [
        "worker_threads.moveMessagePortToContext",
        "cluster.fork",
        "inspector.open",
        "http2.connect",
        "tls.createSecurePair",
        "dgram._createSocketHandle",
        "vm.measureMemory",
        "v8.serialize",
    ] {
        let line =
            format!("ERR_NOT_SUPPORTED_IN_SANDBOX {api} is not supported in the agentOS sandbox");
        assert!(text.contains(&line), "missing {line:?} in:\n{text}");
    }
    assert!(text.contains("true true 6\n42 true\n"), "{text}");
}

/// A guest that patches Array/Function/Object/String/Reflect/Math/Symbol builtins before its first
/// require still gets working stream, assert and util.types (lib/ code compiles after the
/// patches but uses only what the runner captured at factory time).
#[tokio::test]
async fn builtins_work_for_a_guest_that_patched_the_prototypes_first() {
    let dir = copy_fixtures("surface-hostile");
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "hostile_patched_prototypes.guest"])
        .dir(dir.to_str().expect("UTF-8 path"), "/t")
        .cwd("/t");
    let out = run(&sc, spec).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("FAILED"), "{text}");
    assert!(
        text.ends_with("piped 2\nassert ERR_ASSERTION\ntypes true\n"),
        "{text}"
    );
}

/// A readable that buffers without bound (nobody reads, highWaterMark ignored by pushing on)
/// runs into the exec's heap budget: a MemoryLimit error, the sidecar unharmed.
#[tokio::test]
async fn an_unbounded_stream_buffer_hits_the_heap_limit() {
    let sc = sidecar().await;
    let code = "const { Readable } = require('stream'); const r = new Readable({ read() {} }); \
                for (;;) r.push(new Uint8Array(1 << 20));";
    let out = run(&sc, node(code).heap_mb(64)).await;
    let error = out.status.error.clone().expect("a typed error");
    assert_eq!(error.code, agentos_sdk::ErrorCode::MemoryLimit, "{error:?}");
    assert_eq!(
        stdout(&run(&sc, node("console.log(require('stream').Readable.name)")).await),
        "Readable\n"
    );
}

/// `node:test` runs the file's tests after its code, prints TAP with the counts, and a failing
/// test makes the exit code 1 (the output is not compared with Node's: its reporter interleaves
/// differently with the tests' own output).
#[tokio::test]
async fn node_test_reports_tap_counts_and_fails_the_exit_code() {
    let sc = sidecar().await;
    let passing = "const { test, describe, it, beforeEach } = require('node:test');\
                   let n = 0;\
                   test('a', () => {}); test('b', async () => {});\
                   describe('s', () => { beforeEach(() => n++); it('c', () => {}); it('d', () => {}); });\
                   test('hooks ran', () => { if (n !== 2) throw new Error('n=' + n); });";
    let out = run(&sc, node(passing)).await;
    assert_eq!(out.status.code, 0, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.starts_with("TAP version 13\n"), "{text}");
    assert!(
        text.contains("\n# tests 5\n# suites 1\n# pass 5\n# fail 0\n"),
        "{text}"
    );
    let failing = "require('node:test')('x', () => { throw new Error('boom') })";
    let out = run(&sc, node(failing)).await;
    assert_eq!(out.status.code, 1, "{}", stdout(&out));
    assert!(stdout(&out).contains("not ok 1 - x"), "{}", stdout(&out));
    let bare = run(&sc, node("require('test')")).await;
    assert!(
        stderr(&bare).contains("Cannot find module 'test'"),
        "{}",
        stderr(&bare)
    );
}
