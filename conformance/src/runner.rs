//! Runs many guests in parallel over one sidecar: a bounded number in flight, each with its own
//! scratch directory, each bounded by the sidecar's wall-time limit (and a host-side guard in
//! case the sidecar itself hangs). If the sidecar dies, the guests it was running are recorded
//! as such and a new sidecar serves the rest.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agentos_sdk::{Error, ExecSpec, ExitStatus, Sidecar};
use tokio::sync::{Mutex, Semaphore};

/// How a sidecar is started.
#[derive(Debug, Clone)]
pub struct SidecarConfig {
    /// The binary.
    pub bin: PathBuf,
    /// Extra `AGENTOS_*` variables.
    pub env: Vec<(String, String)>,
}

/// One guest's run as the host saw it.
#[derive(Debug, Clone)]
pub struct Run {
    /// How the exec ended; `None` when it never reported an exit (see `trouble`).
    pub status: Option<ExitStatus>,
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
    /// Wall time seen by the host, queueing excluded.
    pub elapsed: Duration,
    /// What went wrong on the host's side: the exec refused, the sidecar died, no exit in time.
    pub trouble: Option<String>,
}

impl Run {
    fn trouble(why: String, started: Instant) -> Self {
        Run {
            status: None,
            stdout: Vec::new(),
            stderr: Vec::new(),
            elapsed: started.elapsed(),
            trouble: Some(why),
        }
    }
}

/// A sidecar shared by concurrent runs, replaced when it dies.
pub struct Pool {
    config: SidecarConfig,
    current: Mutex<(u64, Arc<Sidecar>)>,
}

impl Pool {
    /// Starts the first sidecar.
    ///
    /// # Errors
    /// When the sidecar cannot be started.
    pub async fn start(config: SidecarConfig) -> anyhow::Result<Self> {
        let sidecar = spawn(&config).await?;
        Ok(Pool {
            config,
            current: Mutex::new((0, Arc::new(sidecar))),
        })
    }

    async fn sidecar(&self) -> (u64, Arc<Sidecar>) {
        let guard = self.current.lock().await;
        (guard.0, guard.1.clone())
    }

    /// Replaces generation `seen` with a new sidecar (once, however many runs saw it die).
    async fn replace(&self, seen: u64) {
        let mut guard = self.current.lock().await;
        if guard.0 != seen {
            return;
        }
        match spawn(&self.config).await {
            Ok(sidecar) => *guard = (seen + 1, Arc::new(sidecar)),
            Err(e) => eprintln!("conformance: could not restart the sidecar: {e:#}"),
        }
    }

    /// Runs one guest; `limit` is the wall-time limit the spec carries, the host waits a little
    /// longer before giving up on the sidecar.
    pub async fn run(&self, spec: ExecSpec, limit: Duration) -> Run {
        let (generation, sidecar) = self.sidecar().await;
        let started = Instant::now();
        let handle = match sidecar.exec(spec).await {
            Ok(handle) => handle,
            Err(e) => return self.failed(e, generation, started).await,
        };
        let guard = limit + Duration::from_secs(30);
        match tokio::time::timeout(guard, handle.output()).await {
            Ok(Ok(out)) => Run {
                status: Some(out.status),
                stdout: out.stdout,
                stderr: out.stderr,
                elapsed: started.elapsed(),
                trouble: None,
            },
            Ok(Err(e)) => self.failed(e, generation, started).await,
            Err(_) => Run::trouble(
                format!("no exit {}s after the wall-time limit", guard.as_secs()),
                started,
            ),
        }
    }

    async fn failed(&self, e: Error, generation: u64, started: Instant) -> Run {
        if matches!(e, Error::SidecarDied { .. } | Error::Closed) {
            self.replace(generation).await;
        }
        Run::trouble(format!("{e}"), started)
    }
}

async fn spawn(config: &SidecarConfig) -> anyhow::Result<Sidecar> {
    let mut builder = Sidecar::builder()
        .bin(&config.bin)
        .client_name("agentos-conformance");
    for (key, value) in &config.env {
        builder = builder.env(key, value);
    }
    let sidecar = tokio::time::timeout(Duration::from_secs(120), builder.spawn()).await??;
    Ok(sidecar)
}

/// Runs `make(item, scratch)` for every item, at most `jobs` at once, each with a fresh scratch
/// directory (removed afterwards); results in the order of `items`. Progress goes to stderr.
pub async fn run_all<T, F>(
    pool: Arc<Pool>,
    items: &[T],
    jobs: usize,
    limit: Duration,
    make: F,
) -> anyhow::Result<Vec<Run>>
where
    T: Sync,
    F: Fn(&T, &Path) -> ExecSpec + Send + Sync,
{
    let gate = Arc::new(Semaphore::new(jobs.max(1)));
    let done = Arc::new(AtomicUsize::new(0));
    let total = items.len();
    let started = Instant::now();
    let mut specs = Vec::with_capacity(total);
    let mut scratches = Vec::with_capacity(total);
    for item in items {
        let scratch = tempfile::Builder::new()
            .prefix("agentos-conformance-")
            .tempdir()?;
        specs.push(make(item, scratch.path()));
        scratches.push(scratch);
    }
    let mut handles = Vec::with_capacity(total);
    for (spec, scratch) in specs.into_iter().zip(scratches) {
        let (pool, gate, done) = (pool.clone(), gate.clone(), done.clone());
        handles.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await;
            let run = pool.run(spec, limit).await;
            drop(scratch);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n % 250 == 0 || n == total {
                eprintln!(
                    "conformance: {n}/{total} done ({:.0} s)",
                    started.elapsed().as_secs_f64()
                );
            }
            run
        }));
    }
    let mut runs = Vec::with_capacity(total);
    for handle in handles {
        runs.push(handle.await?);
    }
    Ok(runs)
}
