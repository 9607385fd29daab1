//! Driving the sidecar under test exactly as a host would: through the SDK, with the environment
//! of one setting, against fixtures (temp directories) the bench creates and removes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use agentos_sdk::{Error, ErrorCode, ExecSpec, Output, Sidecar};

use crate::cases::{Cwd, ExecCase, Expect};
use crate::measure::{Problem, ms_since};

/// Number of modules in the `require` fixture.
const MODULES: usize = 100;

/// The bench's scratch directory: guest fixtures and snapshot directories. Removed on drop.
#[derive(Debug)]
pub struct WorkDir {
    root: PathBuf,
    fresh: AtomicUsize,
    python_lib: Option<PathBuf>,
}

impl WorkDir {
    /// Creates the directory under the system temp dir, with the guest fixtures in it; CPython's
    /// standard library is looked for next to the command set `commands` (`ci/fetch-python`).
    ///
    /// # Errors
    /// Any I/O error creating the files.
    pub fn create(commands: &Path) -> std::io::Result<WorkDir> {
        let root = std::env::temp_dir().join(format!("agentos-bench-{}", std::process::id()));
        let python_lib = commands.parent().map(|dir| dir.join("python/lib"));
        let work = WorkDir {
            root,
            fresh: AtomicUsize::new(0),
            python_lib: python_lib.filter(|dir| dir.is_dir()),
        };
        std::fs::create_dir_all(work.empty_dir())?;
        std::fs::create_dir_all(work.scratch_dir())?;
        std::fs::create_dir_all(work.warm_snapshot_dir())?;
        write_require_fixture(&work.require_dir())?;
        crate::tools::write_fixtures(&work.tools_dir())?;
        Ok(work)
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// An empty directory, for `ls`.
    pub fn empty_dir(&self) -> PathBuf {
        self.root.join("empty")
    }

    /// A writable directory the loop scripts see as `/tmp` (`os.tmpdir()`).
    pub fn scratch_dir(&self) -> PathBuf {
        self.root.join("scratch")
    }

    /// `index.js` requiring `m0.js` .. `m99.js`.
    pub fn require_dir(&self) -> PathBuf {
        self.root.join("require")
    }

    /// The command rows' fixtures.
    pub fn tools_dir(&self) -> PathBuf {
        self.root.join("tools")
    }

    /// The snapshot directory shared by warm sidecars, pre-warmed by the first of them.
    pub fn warm_snapshot_dir(&self) -> PathBuf {
        self.root.join("snapshots-warm")
    }

    /// A snapshot directory never used before (for cold starts without a snapshot).
    pub fn fresh_snapshot_dir(&self) -> PathBuf {
        let n = self.fresh.fetch_add(1, Ordering::Relaxed);
        self.root.join(format!("snapshots-fresh-{n}"))
    }

    /// The host directory a case runs in (`None`: the sidecar's default).
    pub fn cwd(&self, cwd: Cwd) -> Option<PathBuf> {
        match cwd {
            Cwd::Default => None,
            Cwd::EmptyDir => Some(self.empty_dir()),
            Cwd::RequireDir => Some(self.require_dir()),
            Cwd::Tools | Cwd::Work => Some(self.tools_dir()),
            Cwd::Python => Some(self.empty_dir()),
        }
    }

    /// CPython's standard library directory, if `ci/fetch-python` installed it.
    pub fn python_lib(&self) -> Option<&Path> {
        self.python_lib.as_deref()
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// 100 modules exporting their index, and an `index.js` that requires each and prints the sum.
fn write_require_fixture(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut index = String::from("'use strict';\nlet sum = 0;\n");
    for i in 0..MODULES {
        std::fs::write(
            dir.join(format!("m{i}.js")),
            format!("module.exports = {i};\n"),
        )?;
        index.push_str(&format!("sum += require('./m{i}.js');\n"));
    }
    index.push_str("console.log(sum);\n");
    std::fs::write(dir.join("index.js"), index)
}

/// `ci/build-commands`' tiny single-command C modules, next to the command set, if built.
pub fn test_modules(commands: &Path) -> Option<PathBuf> {
    let dir = commands.parent()?.join("test-commands");
    dir.join("true.wasm").is_file().then_some(dir)
}

/// How to start the sidecar under test for one setting.
#[derive(Debug, Clone)]
pub struct Harness {
    /// The sidecar binary.
    pub bin: PathBuf,
    /// The environment the sidecar runs with (the setting's knobs included).
    pub env: Vec<(String, String)>,
}

impl Harness {
    /// Workers the sidecar parks per pool key: `AGENTOS_V8_WARM_ISOLATES` as this setting or
    /// the bench's own environment passes it, else the sidecar's default of 2.
    pub fn warm_isolates(&self) -> u64 {
        const KEY: &str = "AGENTOS_V8_WARM_ISOLATES";
        let setting = self.env.iter().rev().find(|(key, _)| key == KEY);
        let value = setting
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var(KEY).ok());
        value.and_then(|v| v.trim().parse().ok()).unwrap_or(2)
    }

    /// The sidecar at `bin`, in `block` snapshot mode unless `overrides` say otherwise, finding
    /// wasm commands in [`test_modules`] first (the tiny C `true`, `echo`, `large` that measure
    /// the exec path itself), then in `commands` (the command set: `ls`, `grep`, `sort`...).
    pub fn new(bin: PathBuf, commands: &Path, overrides: &[(String, String)]) -> Harness {
        let path = match test_modules(commands) {
            Some(tiny) => format!("{}:{}", tiny.display(), commands.display()),
            None => commands.display().to_string(),
        };
        let env = vec![
            (
                "AGENTOS_WASM_SNAPSHOT_RUNNER".to_owned(),
                "block".to_owned(),
            ),
            ("AGENTOS_COMMAND_PATH".to_owned(), path),
            (
                "AGENTOS_LOG".to_owned(),
                std::env::var("AGENTOS_LOG").unwrap_or_else(|_| "error".to_owned()),
            ),
        ];
        let base = Harness { bin, env };
        (overrides.iter()).fold(base, |h, (key, value)| h.with(key, value))
    }

    /// This harness with `key=value` in the sidecar's environment.
    pub fn with(&self, key: &str, value: &str) -> Harness {
        let mut env = self.env.clone();
        env.retain(|(k, _)| k != key);
        env.push((key.to_owned(), value.to_owned()));
        Harness {
            bin: self.bin.clone(),
            env,
        }
    }

    /// Spawns a sidecar whose snapshot cache is `snapshot_dir`; returns once it has shaken hands.
    ///
    /// # Errors
    /// The SDK's spawn or handshake error, as a failure.
    pub async fn spawn(&self, snapshot_dir: &Path) -> Result<Sidecar, Problem> {
        let mut builder = Sidecar::builder()
            .bin(&self.bin)
            .client_name("agentos-bench")
            .env("AGENTOS_SNAPSHOT_DIR", snapshot_dir);
        for (key, value) in &self.env {
            builder = builder.env(key, value);
        }
        Ok(builder.spawn().await?)
    }

    /// Spawns a sidecar, runs `node -e ''` once, and returns the milliseconds that took.
    /// The sidecar is shut down afterwards, outside the measured time.
    ///
    /// # Errors
    /// Spawn, exec or shutdown failures.
    pub async fn cold_start(&self, snapshot_dir: &Path) -> Result<f64, Problem> {
        let spec = ExecSpec::new(["node", "-e", ""]);
        self.first_exec(snapshot_dir, spec, Expect::Exactly(b""))
            .await
    }

    /// Spawns a sidecar, runs `spec` once, and returns the milliseconds that took; the sidecar
    /// is shut down afterwards, outside the measured time.
    ///
    /// # Errors
    /// Spawn, exec or shutdown failures.
    pub async fn first_exec(
        &self,
        snapshot_dir: &Path,
        spec: ExecSpec,
        expect: Expect,
    ) -> Result<f64, Problem> {
        let start = Instant::now();
        let sidecar = self.spawn(snapshot_dir).await?;
        run_checked(&sidecar, spec, expect).await?;
        let ms = ms_since(start);
        sidecar.shutdown().await?;
        Ok(ms)
    }
}

/// The exec request for `case` with this work dir's fixtures.
pub fn spec_for(case: &ExecCase, work: &WorkDir) -> ExecSpec {
    placed(ExecSpec::new(case.argv.iter().copied()), case.cwd, work)
}

/// `spec` with working directory `cwd` (and what it mounts).
pub fn placed(spec: ExecSpec, cwd: Cwd, work: &WorkDir) -> ExecSpec {
    // Guests see only mounted directories, and a WASI command always starts in `/` (wasi-libc
    // has no way to be told another cwd): mount the fixture dir there.
    let spec = match (work.cwd(cwd), cwd) {
        (Some(dir), Cwd::Work) => spec.dir(dir.display().to_string(), "/work").cwd("/work"),
        (Some(dir), _) => spec.dir(dir.display().to_string(), "/").cwd("/"),
        (None, _) => spec,
    };
    match (cwd, work.python_lib()) {
        (Cwd::Python, Some(lib)) => spec.dir_ro(lib.display().to_string(), PYTHON_GUEST_LIB),
        _ => spec,
    }
}

/// Where the guest finds CPython's standard library (its build's `sys.prefix` is `/usr/local`).
pub const PYTHON_GUEST_LIB: &str = "/usr/local/lib";

/// Runs `spec` and checks it exited 0 with the expected stdout; returns the milliseconds from
/// sending the request to having the exit and all output.
///
/// # Errors
/// [`Problem::Unavailable`] when the sidecar does not know the command or `require` is missing,
/// otherwise [`Problem::Failed`].
pub async fn run_checked(
    sidecar: &Sidecar,
    spec: ExecSpec,
    expect: Expect,
) -> Result<f64, Problem> {
    let start = Instant::now();
    let handle = match sidecar.exec(spec).await {
        Err(Error::Request {
            code: ErrorCode::CommandNotFound,
            ..
        }) => return Err(command_unavailable()),
        other => other?,
    };
    let out = handle.output().await?;
    let ms = ms_since(start);
    check(&out, expect)?;
    Ok(ms)
}

fn command_unavailable() -> Problem {
    Problem::Unavailable("command not available".to_owned())
}

/// Judges one exec's output against `expect`.
fn check(out: &Output, expect: Expect) -> Result<(), Problem> {
    if let Some(error) = &out.status.error {
        if error.code == ErrorCode::CommandNotFound {
            return Err(command_unavailable());
        }
        return Err(Problem::Failed(format!(
            "sidecar error {}: {}",
            error.code.as_str_name(),
            error.message
        )));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        if stderr.contains("MODULE_NOT_FOUND") || stderr.contains("Cannot find module") {
            return Err(Problem::Unavailable("require not available".to_owned()));
        }
        let first = stderr.lines().next().unwrap_or("");
        return Err(Problem::Failed(format!(
            "exit {}: {first}",
            out.status.shell_code()
        )));
    }
    let ok = match expect {
        Expect::Exactly(bytes) => out.stdout == bytes,
        Expect::Len(n) => out.stdout.len() == n,
        Expect::Anything => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Problem::Failed(format!(
            "unexpected stdout ({} bytes): {:?}",
            out.stdout.len(),
            String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(40)])
        )))
    }
}
