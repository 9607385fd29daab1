//! Peers: the same work done without the sidecar, measured in the same run so ratios hold on a
//! noisy machine. Native `/bin/true` is the floor for "run a program"; the real `node -e ''` is
//! what a sidecar exec replaces; Node's `node:wasi` runs `true.wasm` in-process per iteration.

use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::cases::{ExecCase, LoopCase};
use crate::measure::{Measured, Plan, Problem, ms_since, time_runs};

/// Loops `warmup + runs` times: a new `WASI`, `WebAssembly.instantiate` of the module (compiled
/// once, up front) and `wasi.start`, timing each iteration in-process; prints the measured
/// iterations' milliseconds as a JSON array.
const NODE_WASI_SCRIPT: &str = r#"'use strict';
const { WASI } = require('node:wasi');
const { readFileSync } = require('node:fs');
const [file, warmup, runs] = process.argv.slice(2).map((a, i) => (i ? Number(a) : a));
(async () => {
  const module = new WebAssembly.Module(readFileSync(file));
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const start = process.hrtime.bigint();
    const wasi = new WASI({ version: 'preview1', args: ['true'], env: {}, returnOnExit: true });
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    const code = wasi.start(instance);
    const ns = process.hrtime.bigint() - start;
    if (code !== 0) throw new Error(`true.wasm exited ${code}`);
    if (i >= warmup) times.push(Number(ns) / 1e6);
  }
  process.stdout.write(JSON.stringify(times));
})();
"#;

/// Hashes the 1 MiB of `SHA256_1M` (`a` bytes) `warmup + runs` times, timing each in-process; prints
/// the measured iterations' milliseconds as a JSON array.
const NODE_SHA256_SCRIPT: &str = r#"'use strict';
const { createHash } = require('node:crypto');
const [warmup, runs] = process.argv.slice(2).map(Number);
const b = new Uint8Array(1 << 20).fill(97);
const times = [];
for (let i = 0; i < warmup + runs; i++) {
  const start = process.hrtime.bigint();
  createHash('sha256').update(b).digest('hex');
  if (i >= warmup) times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
process.stdout.write(JSON.stringify(times));
"#;

/// `P256_SIGN`'s work (JWK import, ECDSA sign, public key, verify) `warmup + runs` times,
/// timing each in-process; prints the measured iterations' milliseconds as a JSON array.
const NODE_P256_SIGN_SCRIPT: &str = r#"'use strict';
const c = require('node:crypto');
const [warmup, runs] = process.argv.slice(2).map(Number);
const jwk = {kty:"EC",crv:"P-256",x:"OzJX3hjsEBMUY7wdZekzCmgbeWT-KUEBVVoEl4-aKpw",y:"f6ztA1-ykO2ma5TuQlyWAH7ANrvFXl-u_jJ_kkACRww",d:"HkY9Lye1FDivWR-4r8JdW_2fnethDsiePWyT0hCsy80"};
const d = new Uint8Array(1024).fill(97);
const times = [];
for (let i = 0; i < warmup + runs; i++) {
  const start = process.hrtime.bigint();
  const k = c.createPrivateKey({ key: jwk, format: 'jwk' });
  const s = c.sign('sha256', d, k);
  if (!c.verify('sha256', d, c.createPublicKey(k), s)) throw new Error('did not verify');
  if (i >= warmup) times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
process.stdout.write(JSON.stringify(times));
"#;

/// The fetch rows' loop, the same in the guest and under the host's Node: `URL WARMUP RUNS` are
/// its last three arguments; prints a JSON array of milliseconds per fetch (body read whole).
pub const FETCH_SCRIPT: &str = r#"'use strict';
const [url, warmup, runs] = process.argv.slice(-3);
(async () => {
  const times = [];
  for (let i = 0; i < Number(warmup) + Number(runs); i++) {
    const start = performance.now();
    const body = await (await fetch(url)).arrayBuffer();
    if (body.byteLength === 0) throw new Error('empty body');
    if (i >= Number(warmup)) times.push(performance.now() - start);
  }
  process.stdout.write(JSON.stringify(times));
})();
"#;

/// `child_process.spawnSync('true')` per iteration; the same script runs in the guest and
/// under the host's Node. Args: warm-up and run counts; prints a JSON array of milliseconds.
pub const SPAWN_SYNC_SCRIPT: &str = r#"'use strict';
const { spawnSync } = require('child_process');
const [warmup, runs] = process.argv.slice(-2).map(Number);
const times = [];
for (let i = 0; i < warmup + runs; i++) {
  const start = performance.now();
  const r = spawnSync('true');
  if (r.status !== 0) throw new Error(`true: ${r.error || r.status}`);
  if (i >= warmup) times.push(performance.now() - start);
}
process.stdout.write(JSON.stringify(times));
"#;

/// Spawns `program args` (in `dir` when given) with null stdio and waits; the milliseconds it
/// took.
fn spawn_and_wait(program: &str, args: &[&str], dir: Option<&Path>) -> Result<f64, Problem> {
    let start = Instant::now();
    let mut command = Command::new(program);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let status = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let ms = ms_since(start);
    match status {
        Ok(status) if status.success() => Ok(ms),
        Ok(status) => Err(Problem::Failed(format!("{program} exited with {status}"))),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            Err(Problem::Unavailable(format!("{program} is not installed")))
        }
        Err(e) => Err(Problem::Failed(format!("spawning {program}: {e}"))),
    }
}

/// Spawns the host's `case.argv` in `dir`, reading its stdout through a pipe; the milliseconds.
fn tool_run(case: &ExecCase, dir: &Path) -> Result<f64, Problem> {
    let program = host_program(case.argv[0])?;
    let start = Instant::now();
    let out = Command::new(program)
        .args(&case.argv[1..])
        .current_dir(dir)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let ms = ms_since(start);
    match out {
        Ok(out) if out.status.success() => Ok(ms),
        Ok(out) => Err(Problem::Failed(format!(
            "{} exited with {}",
            case.argv[0], out.status
        ))),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(Problem::Unavailable(format!(
            "{} is not installed",
            case.argv[0]
        ))),
        Err(e) => Err(Problem::Failed(format!("spawning {}: {e}", case.argv[0]))),
    }
}

/// The host's program `name` (for `python3`, its real interpreter; for `fd`, Debian's name).
fn host_program(name: &str) -> Result<std::path::PathBuf, Problem> {
    match name {
        "python3" => {
            host_python().ok_or_else(|| Problem::Unavailable("the host has no python3".to_owned()))
        }
        // Debian installs fd as `fdfind`.
        "fd" => Ok("fdfind".into()),
        name => Ok(name.into()),
    }
}

/// The interpreter the host's `python3` runs (its `sys.executable`), so the peer does not time a
/// version manager's shim script (pyenv's adds 100+ ms) in front of it.
fn host_python() -> Option<std::path::PathBuf> {
    static FOUND: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let out = Command::new("python3")
                .args(["-c", "import sys; print(sys.executable)"])
                .stderr(Stdio::null())
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?;
            let path = std::path::PathBuf::from(path.trim());
            (out.status.success() && path.is_file()).then_some(path)
        })
        .clone()
}

/// The host's native tool for a command row, `plan` times, in `dir`.
pub async fn native_tool(plan: Plan, case: &ExecCase, dir: &Path) -> Measured {
    time_runs(plan, || async { tool_run(case, dir) }).await
}

/// The host's HTTP client `argv[0]` fetching from a loopback server (in `dir` when given),
/// spawned `plan` times.
pub async fn native_http_tool(plan: Plan, argv: &[&str], dir: Option<&Path>) -> Measured {
    match crate::loopback::serve(1024) {
        Err(e) => Measured::Failed(format!("loopback server: {e}")),
        Ok(url) => {
            let args: Vec<String> = argv[1..].iter().map(|a| a.replace("URL", &url)).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let program = match host_program(argv[0]) {
                Ok(program) => program,
                Err(_) => return Measured::Skipped(format!("the host has no {}", argv[0])),
            };
            let program = program.to_string_lossy();
            time_runs(plan, || async { spawn_and_wait(&program, &args, dir) }).await
        }
    }
}

/// Spawning native `/bin/true`, `plan` times.
pub async fn native_true(plan: Plan) -> Measured {
    time_runs(plan, || async { spawn_and_wait("/bin/true", &[], None) }).await
}

/// Spawning the real `node -e ''`, `plan` times; skipped when node is not installed.
pub async fn node_spawn(plan: Plan) -> Measured {
    time_runs(plan, || async { spawn_and_wait("node", &["-e", ""], None) }).await
}

/// `true.wasm` under Node's `node:wasi`, timed per iteration inside one node process; skipped
/// when node or the wasm file is missing.
pub fn node_wasi_true(plan: Plan, true_wasm: &Path, scratch: &Path) -> Measured {
    if !true_wasm.is_file() {
        return Measured::Skipped(format!(
            "{} not built (ci/build-commands)",
            true_wasm.display()
        ));
    }
    let file = true_wasm.to_string_lossy();
    node_script_timings(
        plan,
        scratch,
        "node-wasi-true.js",
        NODE_WASI_SCRIPT,
        &[&file],
    )
}

/// SHA-256 of 1 MiB under the host's Node, timed per iteration inside one node process; skipped
/// when node is missing.
pub fn node_sha256(plan: Plan, scratch: &Path) -> Measured {
    node_script_timings(plan, scratch, "node-sha256.js", NODE_SHA256_SCRIPT, &[])
}

/// `P256_SIGN`'s work under the host's Node, per iteration in one process.
pub fn node_p256_sign(plan: Plan, scratch: &Path) -> Measured {
    node_script_timings(
        plan,
        scratch,
        "node-p256-sign.js",
        NODE_P256_SIGN_SCRIPT,
        &[],
    )
}

/// `fetch` of `bytes` bytes from a loopback server under the host's Node, per iteration in one
/// process; skipped when node is missing.
pub fn node_fetch(plan: Plan, scratch: &Path, bytes: usize) -> Measured {
    match crate::loopback::serve(bytes) {
        Ok(url) => node_script_timings(plan, scratch, "node-fetch.js", FETCH_SCRIPT, &[&url]),
        Err(e) => Measured::Failed(format!("loopback server: {e}")),
    }
}

/// `child_process.spawnSync('true')` under the host's Node, per iteration in one process;
/// skipped when node is missing.
pub fn node_spawn_sync(plan: Plan, scratch: &Path) -> Measured {
    node_script_timings(plan, scratch, "node-spawn-sync.js", SPAWN_SYNC_SCRIPT, &[])
}

/// A [`LoopCase`] under the host's Node, per iteration in one process.
pub fn node_loop(plan: Plan, scratch: &Path, case: &LoopCase) -> Measured {
    node_script_timings(plan, scratch, "node-loop.js", case.script, &[])
}

/// Runs `script` (written to `scratch/name`) under the host's node with `args`, warm-up and run
/// counts; its stdout is a JSON array of milliseconds.
fn node_script_timings(
    plan: Plan,
    scratch: &Path,
    name: &str,
    script: &str,
    args: &[&str],
) -> Measured {
    let path = scratch.join(name);
    if let Err(e) = std::fs::write(&path, script) {
        return Measured::Failed(format!("writing {}: {e}", path.display()));
    }
    let output = Command::new("node")
        .arg("--no-warnings")
        .arg(&path)
        .args(args)
        .args([plan.warmup.to_string(), plan.runs.to_string()])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match output {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            Measured::Skipped("node is not installed".into())
        }
        Err(e) => Measured::Failed(format!("spawning node: {e}")),
        Ok(out) if !out.status.success() => Measured::Failed(format!(
            "{name} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        )),
        Ok(out) => match serde_json::from_slice::<Vec<f64>>(&out.stdout) {
            Ok(samples) => Measured::Samples(samples),
            Err(e) => Measured::Failed(format!("{name} printed no timings: {e}")),
        },
    }
}
