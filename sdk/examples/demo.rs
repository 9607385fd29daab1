//! The README's demo: a handful of guest programs through one sidecar, with timings.
//!
//! ```text
//! cargo build --release -p agentos-sidecar
//! cargo run --release -p agentos-sdk --example demo
//! ```
#![expect(clippy::print_stdout, reason = "a demo prints its results")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_sdk::{ExecSpec, Output, Sidecar};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const TIMERS: &str = r#"
let ticks = 0;
const timer = setInterval(() => {
  ticks += 1;
  console.log(`tick ${ticks}`);
  if (ticks === 3) clearInterval(timer);
}, 10);
setTimeout(() => console.log('timeout after 50 ms'), 50);
Promise.resolve().then(() => console.log('microtask first'));
"#;

const UPPER: &str = r#"
let text = '';
process.stdin.on('data', (chunk) => { text += chunk; });
process.stdin.on('end', () => process.stdout.write(text.toUpperCase()));
"#;

fn node(code: &str) -> ExecSpec {
    ExecSpec::new(["node", "-e", code])
}

fn ms(elapsed: Duration) -> f64 {
    elapsed.as_secs_f64() * 1e3
}

fn show(label: &str, elapsed: Duration, out: &Output) {
    let code = out.status.shell_code();
    println!("── {label}: exit {code} in {:.1} ms", ms(elapsed));
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        println!("   stdout │ {line}");
    }
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        println!("   stderr │ {line}");
    }
    if let Some(error) = &out.status.error {
        println!(
            "   error  │ {}: {}",
            error.code.as_str_name(),
            error.message
        );
    }
}

async fn run(sidecar: &Sidecar, label: &str, spec: ExecSpec) -> Result<()> {
    let start = Instant::now();
    let out = sidecar.exec(spec).await?.output().await?;
    show(label, start.elapsed(), &out);
    Ok(())
}

/// Streams stdin in two writes, then closes it.
async fn stdin_round_trip(sidecar: &Sidecar) -> Result<()> {
    let start = Instant::now();
    let handle = sidecar.exec(node(UPPER).stdin_open(true)).await?;
    handle.write_stdin("hello from ").await?;
    handle.write_stdin("the host\n").await?;
    handle.close_stdin().await?;
    let out = handle.output().await?;
    show("stdin round trip", start.elapsed(), &out);
    Ok(())
}

async fn concurrent(sidecar: &Arc<Sidecar>, n: u32) -> Result<()> {
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let sidecar = Arc::clone(sidecar);
        tasks.spawn(async move {
            let spec = node(&format!("console.log({i} * {i})"));
            let out = sidecar.exec(spec).await?.output().await?;
            Ok::<_, agentos_sdk::Error>((i, out))
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        results.push(joined??);
    }
    results.sort_by_key(|(i, _)| *i);
    let squares: Vec<String> = (results.iter())
        .map(|(_, out)| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .collect();
    let ok = results
        .iter()
        .filter(|(_, out)| out.status.success())
        .count();
    println!(
        "── {n} concurrent execs: {ok} ok in {:.1} ms",
        ms(start.elapsed())
    );
    println!("   stdout │ {}", squares.join(" "));
    Ok(())
}

/// Execs 5 ms apart, so each finds the warm pool refilled (back to back, about one in four
/// would prepare its isolate on the spot).
async fn warm_latency(sidecar: &Sidecar, n: usize) -> Result<()> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        tokio::time::sleep(Duration::from_millis(5)).await;
        let start = Instant::now();
        sidecar.exec(node("")).await?.wait().await?;
        times.push(start.elapsed());
    }
    times.sort();
    let Some(last) = times.len().checked_sub(1) else {
        return Ok(());
    };
    let pick = |q: f64| ms(times[(last as f64 * q).round() as usize]);
    println!(
        "── {n} warm `node -e ''` execs, 5 ms apart: p50 {:.2} ms, p90 {:.2} ms, min {:.2} ms",
        pick(0.5),
        pick(0.9),
        pick(0.0)
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let start = Instant::now();
    let sidecar = Arc::new(Sidecar::spawn().await?);
    let hello = sidecar.hello();
    println!(
        "agentos-sidecar {} ready in {:.1} ms (pid {}, capabilities: {})",
        hello.sidecar_version,
        ms(start.elapsed()),
        sidecar.pid().unwrap_or_default(),
        hello.capabilities.join(", ")
    );

    run(&sidecar, "console.log", node("console.log(6 * 7)")).await?;
    run(&sidecar, "timers", node(TIMERS)).await?;
    stdin_round_trip(&sidecar).await?;
    run(&sidecar, "process.exit(3)", node("process.exit(3)")).await?;
    run(&sidecar, "thrown error", node("throw new Error('boom')")).await?;
    let wasm = ExecSpec::new(["echo", "hello from a WASI command"]);
    run(&sidecar, "wasm echo", wasm).await?;
    let here = std::env::current_dir()?.display().to_string();
    let ls = ExecSpec::new(["ls", "/"]).dir_ro(here, "/");
    run(&sidecar, "wasm ls / (the repo, mounted read-only)", ls).await?;
    concurrent(&sidecar, 20).await?;
    // From a task, as a host's handlers would: awaited from `main` itself (`block_on`), every
    // reply also costs waking the main thread.
    let in_task = Arc::clone(&sidecar);
    tokio::spawn(async move { warm_latency(&in_task, 50).await }).await??;

    if let Ok(sidecar) = Arc::try_unwrap(sidecar) {
        println!("sidecar exited: {}", sidecar.shutdown().await?);
    }
    Ok(())
}
