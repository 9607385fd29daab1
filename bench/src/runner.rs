//! Runs the scenarios: the peers once, then the sidecar scenarios under one setting (one warm
//! sidecar for the warm and throughput scenarios, fresh ones for cold starts and idle RSS),
//! showing progress on stderr.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agentos_sdk::{ExecSpec, NetLimits, Sidecar};

use crate::cases::{Cwd, ExecCase, Expect, LoopCase, PIP_INSTALL};
use crate::harness::{Harness, WorkDir, run_checked, spec_for};
use crate::measure::{Measured, Plan, Problem, Summary, ms_since, plan, time_runs};
use crate::peers;
use crate::report::{ScenarioResult, Status};
use crate::scenario::{Kind, Mode, Pace, Scenario};

/// Longest a settled warm run waits for the pool to refill.
const SETTLE_LIMIT: Duration = Duration::from_millis(200);

/// What every scenario run shares.
#[derive(Debug)]
pub struct Runner<'a> {
    /// Run counts.
    pub mode: Mode,
    /// Fixtures and snapshot directories.
    pub work: &'a WorkDir,
    /// Where `NAME.wasm` commands are (the `node:wasi` peer's `true.wasm` is the tiny C one
    /// next to them).
    pub commands: &'a Path,
}

impl Runner<'_> {
    /// Measures the peers among `scenarios`.
    pub async fn peers(&self, scenarios: &[Scenario]) -> Vec<ScenarioResult> {
        let mut out = Vec::new();
        for s in scenarios.iter().filter(|s| s.kind.is_peer()) {
            progress_start("", s);
            let plan = plan(s.kind, self.mode);
            let measured = match s.kind {
                Kind::NativeTrue => peers::native_true(plan).await,
                Kind::NodeSpawn => peers::node_spawn(plan).await,
                Kind::NodeSha256 => peers::node_sha256(plan, self.work.root()),
                Kind::NodeP256Sign => peers::node_p256_sign(plan, self.work.root()),
                Kind::NodeFetch { bytes } => peers::node_fetch(plan, self.work.root(), bytes),
                Kind::NodeSpawnSync => peers::node_spawn_sync(plan, self.work.root()),
                Kind::NativeHttpTool(argv) => peers::native_http_tool(plan, argv, None).await,
                Kind::NativePip => {
                    let dir = self.work.cwd(PIP_INSTALL.cwd);
                    peers::native_http_tool(plan, PIP_INSTALL.argv, dir.as_deref()).await
                }
                Kind::NodeLoop(case) => peers::node_loop(plan, self.work.root(), case),
                Kind::NativeTool(case) => {
                    let dir = self
                        .work
                        .cwd(case.cwd)
                        .unwrap_or_else(|| self.work.root().into());
                    peers::native_tool(plan, &case, &dir).await
                }
                _ => {
                    let dir = crate::harness::test_modules(self.commands);
                    let dir = dir.unwrap_or_else(|| self.commands.to_path_buf());
                    peers::node_wasi_true(plan, &dir.join("true.wasm"), self.work.root())
                }
            };
            let note = match s.kind {
                Kind::NodeWasiTrue => "in-process per iteration: new WASI + instantiate + start",
                Kind::NodeSha256 => "in-process per iteration: createHash + update(1 MiB) + digest",
                Kind::NodeP256Sign => "in-process per iteration: JWK import + ECDSA sign + verify",
                Kind::NodeFetch { .. } => "in-process per iteration: fetch + arrayBuffer (undici)",
                Kind::NodeSpawnSync => "in-process per iteration: spawnSync('true') (fork + exec)",
                Kind::NodeLoop(case) => case.what,
                _ => "",
            };
            out.push(progress_end(ScenarioResult::from_measured(
                s, measured, note,
            )));
        }
        out
    }

    /// Runs the sidecar scenarios among `scenarios` under `harness`'s setting.
    pub async fn sidecar_scenarios(
        &self,
        harness: &Harness,
        label: &str,
        scenarios: &[Scenario],
    ) -> Vec<ScenarioResult> {
        let warm = match harness.spawn(&self.work.warm_snapshot_dir()).await {
            Ok(sidecar) => Ok(Arc::new(sidecar)),
            Err(problem) => Err(problem.to_string()),
        };
        let mut out = Vec::new();
        for s in scenarios.iter().filter(|s| !s.kind.is_peer()) {
            progress_start(label, s);
            let result = match (&warm, s.kind) {
                (
                    Err(why),
                    Kind::Warm(..)
                    | Kind::Tool(_)
                    | Kind::Throughput { .. }
                    | Kind::Fetch { .. }
                    | Kind::HttpTool(_)
                    | Kind::Pip
                    | Kind::SpawnSync
                    | Kind::Loop(_),
                ) => ScenarioResult::empty(s, Status::Failed, format!("warm sidecar: {why}")),
                (Ok(sidecar), Kind::Warm(case, pace)) => {
                    let pool = (pace == Pace::Settled).then(|| harness.warm_isolates());
                    self.warm(sidecar, s, case, pool).await
                }
                (Ok(sidecar), Kind::Tool(case)) => {
                    self.warm(sidecar, s, case, Some(harness.warm_isolates()))
                        .await
                }
                (_, Kind::FirstExec(case)) => self.first_exec(harness, s, case).await,
                (_, Kind::ExecRss(case)) => self.exec_rss(harness, s, case).await,
                (Ok(sidecar), Kind::Fetch { bytes }) => self.fetch(sidecar, s, bytes).await,
                (Ok(sidecar), Kind::HttpTool(argv)) => {
                    self.http_tool(sidecar, s, argv, Cwd::Default).await
                }
                (Ok(sidecar), Kind::Pip) => {
                    let (argv, cwd) = (PIP_INSTALL.argv, PIP_INSTALL.cwd);
                    self.http_tool(sidecar, s, argv, cwd).await
                }
                (Ok(sidecar), Kind::SpawnSync) => self.spawn_sync(sidecar, s).await,
                (Ok(sidecar), Kind::Loop(case)) => self.script_loop(sidecar, s, case).await,
                (Ok(sidecar), Kind::Throughput { clients }) => {
                    self.throughput(sidecar, s, clients).await
                }
                (_, Kind::ColdStart { disk_snapshot }) => {
                    self.cold_start(harness, s, disk_snapshot).await
                }
                (_, Kind::IdleRss) => self.idle_rss(harness, s).await,
                (_, k) => unreachable!("{k:?} is a peer"),
            };
            out.push(progress_end(result));
        }
        if let Ok(Ok(sidecar)) = warm.map(Arc::try_unwrap) {
            let _ = sidecar.shutdown().await;
        }
        out
    }

    /// Times `case` run after run; with `settle_to`, each run first waits (untimed) until that
    /// many workers are parked in the warm pool.
    async fn warm(
        &self,
        sidecar: &Sidecar,
        s: &Scenario,
        case: ExecCase,
        settle_to: Option<u64>,
    ) -> ScenarioResult {
        let spec = spec_for(&case, self.work);
        let before = sidecar.stats().await.ok();
        let unsettled = AtomicUsize::new(0);
        let measured = time_runs(plan(s.kind, self.mode), || {
            let spec = spec.clone();
            let unsettled = &unsettled;
            async move {
                if let Some(parked) = settle_to
                    && !settle(sidecar, parked).await
                {
                    unsettled.fetch_add(1, Ordering::Relaxed);
                }
                run_checked(sidecar, spec, case.expect).await
            }
        })
        .await;
        let unsettled = unsettled.into_inner();
        let mut note = match (before, sidecar.stats().await.ok()) {
            (Some(a), Some(b)) => format!(
                "warm pool hits {}, misses {}",
                b.pool_hits - a.pool_hits,
                b.pool_misses - a.pool_misses
            ),
            _ => String::new(),
        };
        match settle_to {
            Some(_) if unsettled > 0 => {
                note.push_str(&format!("; pool not refilled before {unsettled} runs"));
            }
            Some(_) => note.push_str("; pool refilled before each run"),
            None => note.push_str("; back to back"),
        }
        ScenarioResult::from_measured(s, measured, &note)
    }

    /// One exec running the fetch loop against a loopback server; its per-fetch timings.
    async fn fetch(&self, sidecar: &Sidecar, s: &Scenario, bytes: usize) -> ScenarioResult {
        let plan = plan(s.kind, self.mode);
        let measured = match crate::loopback::serve(bytes) {
            Err(e) => Measured::Failed(format!("loopback server: {e}")),
            Ok(url) => {
                let rule = url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_owned();
                let spec = ExecSpec::new([
                    "node",
                    "-e",
                    peers::FETCH_SCRIPT,
                    &url,
                    &plan.warmup.to_string(),
                    &plan.runs.to_string(),
                ])
                .allow_net(rule)
                .net_limits(fetch_limits(bytes, plan));
                guest_timings(sidecar, spec).await
            }
        };
        ScenarioResult::from_measured(
            s,
            measured,
            "per fetch inside one exec: fetch + arrayBuffer",
        )
    }

    /// A warm exec of `curl -s -o /dev/null` per iteration against a loopback server.
    async fn http_tool(
        &self,
        sidecar: &Sidecar,
        s: &Scenario,
        argv: &[&str],
        cwd: Cwd,
    ) -> ScenarioResult {
        let measured = match crate::loopback::serve(1024) {
            Err(e) => Measured::Failed(format!("loopback server: {e}")),
            Ok(url) => {
                let rule = url.trim_start_matches("http://").trim_end_matches('/');
                let spec = ExecSpec::new(argv.iter().map(|a| a.replace("URL", &url)));
                let spec = crate::harness::placed(spec, cwd, self.work).allow_net(rule);
                time_runs(plan(s.kind, self.mode), || {
                    run_checked(sidecar, spec.clone(), Expect::Anything)
                })
                .await
            }
        };
        let note = match s.kind {
            Kind::Pip => "a warm exec of pip per install",
            _ => "a warm exec of the WASI command per fetch",
        };
        ScenarioResult::from_measured(s, measured, note)
    }

    /// One exec running the `spawnSync('true')` loop; its per-call timings.
    async fn spawn_sync(&self, sidecar: &Sidecar, s: &Scenario) -> ScenarioResult {
        let plan = plan(s.kind, self.mode);
        let spec = ExecSpec::new([
            "node",
            "-e",
            peers::SPAWN_SYNC_SCRIPT,
            &plan.warmup.to_string(),
            &plan.runs.to_string(),
        ]);
        ScenarioResult::from_measured(
            s,
            guest_timings(sidecar, spec).await,
            "per spawnSync('true') inside one exec: a wasm child in an isolate of its own",
        )
    }

    /// One exec running `case`'s loop; its per-iteration timings.
    async fn script_loop(
        &self,
        sidecar: &Sidecar,
        s: &Scenario,
        case: &LoopCase,
    ) -> ScenarioResult {
        let plan = plan(s.kind, self.mode);
        let (warmup, runs) = (plan.warmup.to_string(), plan.runs.to_string());
        let scratch = self.work.scratch_dir().display().to_string();
        let spec = ExecSpec::new(["node", "-e", case.script, &warmup, &runs]).dir(scratch, "/tmp");
        ScenarioResult::from_measured(s, guest_timings(sidecar, spec).await, case.what)
    }

    async fn cold_start(&self, harness: &Harness, s: &Scenario, disk: bool) -> ScenarioResult {
        if disk {
            // Make sure the snapshot is on disk whatever this setting's mode is.
            let prewarm = harness.with("AGENTOS_WASM_SNAPSHOT_RUNNER", "block");
            if let Err(e) = prewarm.cold_start(&self.work.warm_snapshot_dir()).await {
                return ScenarioResult::empty(s, Status::Failed, format!("pre-warming: {e}"));
            }
        }
        let measured = time_runs(plan(s.kind, self.mode), || async {
            let dir = match disk {
                true => self.work.warm_snapshot_dir(),
                false => self.work.fresh_snapshot_dir(),
            };
            let ms = harness.cold_start(&dir).await;
            if !disk {
                let _ = std::fs::remove_dir_all(&dir);
            }
            ms
        })
        .await;
        ScenarioResult::from_measured(s, measured, "spawn sidecar -> first `node -e ''` done")
    }

    /// Spawn a sidecar whose snapshot is on disk, time until `case` is done, again and again.
    async fn first_exec(&self, harness: &Harness, s: &Scenario, case: ExecCase) -> ScenarioResult {
        let prewarm = harness.with("AGENTOS_WASM_SNAPSHOT_RUNNER", "block");
        if let Err(e) = prewarm.cold_start(&self.work.warm_snapshot_dir()).await {
            return ScenarioResult::empty(s, Status::Failed, format!("pre-warming: {e}"));
        }
        let measured = time_runs(plan(s.kind, self.mode), || async {
            let spec = spec_for(&case, self.work);
            harness
                .first_exec(&self.work.warm_snapshot_dir(), spec, case.expect)
                .await
        })
        .await;
        let note = format!("spawn sidecar -> first `{}` done", case.argv.join(" "));
        ScenarioResult::from_measured(s, measured, &note)
    }

    async fn throughput(
        &self,
        sidecar: &Arc<Sidecar>,
        s: &Scenario,
        clients: usize,
    ) -> ScenarioResult {
        let Plan { warmup, runs } = plan(s.kind, self.mode);
        let wasm = ExecSpec::new(["true"]);
        let (spec, note) = match run_checked(sidecar, wasm.clone(), Expect::Exactly(b"")).await {
            Ok(_) => (wasm, "wasm `true`".to_owned()),
            Err(Problem::Unavailable(_)) => (
                ExecSpec::new(["node", "-e", ""]),
                "wasm `true` not available: measured `node -e ''` instead".to_owned(),
            ),
            Err(e) => return ScenarioResult::empty(s, Status::Failed, e.to_string()),
        };
        let per_client = runs.div_ceil(clients);
        if let Err(e) = load(sidecar, &spec, clients, warmup.div_ceil(clients)).await {
            return ScenarioResult::empty(s, Status::Failed, format!("warm-up: {e}"));
        }
        let start = Instant::now();
        let latencies = load(sidecar, &spec, clients, per_client).await;
        let wall = start.elapsed().as_secs_f64();
        let result = ScenarioResult::from_measured(
            s,
            latencies.map_or_else(Measured::Failed, Measured::Samples),
            "",
        );
        match result.status {
            Status::Ok => ScenarioResult {
                per_sec: Some((per_client * clients) as f64 / wall),
                note: format!("{note}; latency under load (clients: {clients})"),
                ..result
            },
            _ => result,
        }
    }

    async fn idle_rss(&self, harness: &Harness, s: &Scenario) -> ScenarioResult {
        match self
            .idle_rss_samples(harness, plan(s.kind, self.mode))
            .await
        {
            Ok((samples, note)) => {
                let mut result = ScenarioResult::empty(s, Status::Ok, note);
                let summary = Summary::of(&samples);
                result.rss_mib = summary.map(|m| m.p50);
                result.runs = samples.len();
                result
            }
            Err(e) => ScenarioResult::empty(s, Status::Failed, e.to_string()),
        }
    }

    async fn exec_rss(&self, harness: &Harness, s: &Scenario, case: ExecCase) -> ScenarioResult {
        match self
            .exec_rss_samples(harness, &case, plan(s.kind, self.mode))
            .await
        {
            Ok((samples, note)) => {
                let mut result = ScenarioResult::empty(s, Status::Ok, note);
                result.rss_mib = Summary::of(&samples).map(|m| m.p50);
                result.runs = samples.len();
                result
            }
            Err(Problem::Unavailable(why)) => ScenarioResult::empty(s, Status::Skipped, why),
            Err(e) => ScenarioResult::empty(s, Status::Failed, e.to_string()),
        }
    }

    /// A fresh sidecar runs `case` once to the end (its module compiled and cached), rests, and is
    /// sampled idle; then `case` runs again with stdin open, and once it has printed its line
    /// the sidecar is sampled `plan.runs` times. Each sample is running minus idle.
    async fn exec_rss_samples(
        &self,
        harness: &Harness,
        case: &ExecCase,
        plan: Plan,
    ) -> Result<(Vec<f64>, String), Problem> {
        const MIB: f64 = 1024.0 * 1024.0;
        let sidecar = harness.spawn(&self.work.warm_snapshot_dir()).await?;
        let spec = spec_for(case, self.work);
        run_checked(&sidecar, spec.clone(), case.expect).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let idle = sidecar.stats().await?.rss_bytes as f64 / MIB;
        let exec = sidecar.exec(spec.stdin_open(true)).await?;
        let mut stdout = exec
            .take_stdout()
            .ok_or_else(|| Problem::Failed("no stdout stream".to_owned()))?;
        if stdout.next_chunk().await.is_none() {
            return Err(Problem::Failed("the exec ended before printing".to_owned()));
        }
        let mut samples = Vec::new();
        for _ in 0..plan.runs.max(1) {
            let running = sidecar.stats().await?.rss_bytes as f64 / MIB;
            samples.push(running - idle);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        exec.close_stdin().await?;
        exec.wait().await?;
        sidecar.shutdown().await?;
        let note = format!("sidecar + cells RSS while one exec runs, minus idle ({idle:.1} MiB)");
        Ok((samples, note))
    }

    /// A fresh sidecar, warmed up with `node -e ''`, left idle, then sampled `plan.runs` times.
    async fn idle_rss_samples(
        &self,
        harness: &Harness,
        plan: Plan,
    ) -> Result<(Vec<f64>, String), Problem> {
        let sidecar = harness.spawn(&self.work.warm_snapshot_dir()).await?;
        for _ in 0..20 {
            run_checked(
                &sidecar,
                ExecSpec::new(["node", "-e", ""]),
                Expect::Exactly(b""),
            )
            .await?;
        }
        let settle = if self.mode == Mode::Full { 1000 } else { 300 };
        tokio::time::sleep(Duration::from_millis(settle)).await;
        let mut samples = Vec::new();
        let mut last = None;
        for _ in 0..plan.runs.max(1) {
            let stats = sidecar.stats().await?;
            samples.push(stats.rss_bytes as f64 / (1024.0 * 1024.0));
            last = Some(stats);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        sidecar.shutdown().await?;
        let note = last.map_or(String::new(), |st| {
            format!(
                "median of {} samples after 20 execs and {settle} ms idle; pool_parked={}, snapshot {} ({})",
                samples.len(),
                st.pool_parked,
                st.snapshot_state,
                st.snapshot_mode
            )
        });
        Ok((samples, note))
    }
}

/// `clients` tasks each running `spec` `each` times; every exec's latency in ms.
async fn load(
    sidecar: &Arc<Sidecar>,
    spec: &ExecSpec,
    clients: usize,
    each: usize,
) -> Result<Vec<f64>, String> {
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (sidecar, spec) = (Arc::clone(sidecar), spec.clone());
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(each);
                for _ in 0..each {
                    let start = Instant::now();
                    run_checked(&sidecar, spec.clone(), Expect::Anything).await?;
                    times.push(ms_since(start));
                }
                Ok::<_, Problem>(times)
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        let times = task.await.map_err(|e| e.to_string())?;
        all.extend(times.map_err(|e| e.to_string())?);
    }
    Ok(all)
}

/// Waits until `parked` workers are parked in the warm pool, polling `Stats`; false when
/// [`SETTLE_LIMIT`] passed first (the run goes ahead anyway).
async fn settle(sidecar: &Sidecar, parked: u64) -> bool {
    let start = Instant::now();
    loop {
        match sidecar.stats().await {
            Ok(stats) if stats.pool_parked >= parked => return true,
            Ok(_) if start.elapsed() < SETTLE_LIMIT => {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            _ => return false,
        }
    }
}

fn progress_start(label: &str, s: &Scenario) {
    eprint!("  {label}{:<26} ", s.name);
}

fn progress_end(result: ScenarioResult) -> ScenarioResult {
    let figure = match (result.status, result.p50_ms, result.per_sec, result.rss_mib) {
        (Status::Ok, _, Some(per_sec), _) => format!("{per_sec:.0} execs/s"),
        (Status::Ok, _, _, Some(mib)) => format!("{mib:.1} MiB"),
        (Status::Ok, Some(p50), _, _) => format!("p50 {p50:.3} ms"),
        (Status::Skipped, ..) => result.note.clone(),
        _ => format!("FAILED: {}", result.note),
    };
    eprintln!("{figure}");
    result
}

/// Runs `spec` to its end: the JSON array of milliseconds the guest printed, or why there is
/// none.
async fn guest_timings(sidecar: &Sidecar, spec: ExecSpec) -> Measured {
    let output = match sidecar.exec(spec).await {
        Ok(handle) => handle.output().await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match output {
        Err(e) => Measured::Failed(e),
        Ok(out) if !out.status.success() => Measured::Failed(format!(
            "the guest failed ({:?}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        )),
        Ok(out) => match serde_json::from_slice::<Vec<f64>>(&out.stdout) {
            Ok(samples) => Measured::Samples(samples),
            Err(e) => Measured::Failed(format!("the guest printed no timings: {e}")),
        },
    }
}

/// The fetch rows' network limits: the sidecar's defaults, with room for every body the loop
/// downloads (100 runs of 10 MiB pass the default 1 GiB `max_bytes_in`).
fn fetch_limits(bytes: usize, plan: Plan) -> NetLimits {
    let fetches = (plan.warmup + plan.runs) as u64;
    NetLimits {
        max_bytes_in: (bytes as u64 + 4096) * fetches * 2,
        ..NetLimits::default()
    }
}
