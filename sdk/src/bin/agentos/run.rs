//! `agentos run`: one exec with stdio passed through, exiting with the guest's status.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use agentos_sdk::{Error, ErrorCode, ExecHandle, ExecSpec, ExitStatus, OutputStream, Sidecar};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::args::{Mount, RunArgs};

/// Exit code when agentos or the sidecar failed before the guest could run (as `docker run`).
const FAILURE: u8 = 125;
/// Bytes read from our stdin per `StdinWrite`.
const STDIN_CHUNK: usize = 64 * 1024;

/// Runs the command in `args`; returns the process exit code.
pub async fn run(sidecar_bin: Option<PathBuf>, mut args: RunArgs) -> ExitCode {
    let cwd = match default_mount(&mut args) {
        Ok(here) => args.cwd.take().or(here).unwrap_or_else(|| "/".to_owned()),
        Err(message) => {
            report(&message);
            return ExitCode::from(FAILURE);
        }
    };
    match execute(sidecar_bin, args, cwd).await {
        Ok(status) => {
            // The guest's stderr already says "command not found", as a shell would.
            if let Some(error) = status
                .error
                .as_ref()
                .filter(|e| e.code != ErrorCode::CommandNotFound)
            {
                report(&format!("{}: {}", error.code.as_str_name(), error.message));
            }
            ExitCode::from((status.shell_code() & 0xff) as u8)
        }
        Err(Error::Request { code, message, .. }) => {
            report(&format!("{}: {message}", code.as_str_name()));
            ExitCode::from(FAILURE)
        }
        Err(e) => {
            report(&format!("error: {e}"));
            ExitCode::from(FAILURE)
        }
    }
}

/// Without any `--dir`, mounts the current directory read-write at its own path, so paths the
/// guest prints are the host's and the guest still has `/bin`, `/usr/bin` and its own `/tmp`.
/// Returns that path, the guest's working directory unless `--cwd` says otherwise.
fn default_mount(args: &mut RunArgs) -> Result<Option<String>, String> {
    if !args.dirs.is_empty() {
        return Ok(None);
    }
    let here = std::env::current_dir()
        .map_err(|e| format!("error: cannot read the current directory: {e}"))?;
    let Some(path) = here.to_str() else {
        return Err(format!(
            "error: the current directory {} is not UTF-8; mount it with --dir HOST::GUEST",
            here.display()
        ));
    };
    args.dirs.push(Mount {
        host: path.to_owned(),
        guest: path.to_owned(),
        read_only: false,
    });
    Ok(Some(path.to_owned()))
}

fn report(message: &str) {
    // Nothing useful is left to do if stderr itself is gone.
    let _ = writeln!(std::io::stderr(), "agentos: {message}");
}

async fn execute(
    sidecar_bin: Option<PathBuf>,
    args: RunArgs,
    cwd: String,
) -> Result<ExitStatus, Error> {
    let mut builder =
        Sidecar::builder().client_name(concat!("agentos-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(bin) = sidecar_bin {
        builder = builder.bin(bin);
    }
    if args.phases {
        builder = builder.env("AGENTOS_V8_SESSION_PHASES", "1");
    }
    let sidecar = builder.spawn().await?;
    let mut spec = ExecSpec::new(args.command);
    for mount in &args.dirs {
        let host = absolute(&mount.host);
        spec = match mount.read_only {
            true => spec.dir_ro(host, &mount.guest),
            false => spec.dir(host, &mount.guest),
        };
    }
    for rule in args.allow_net {
        spec = spec.allow_net(rule);
    }
    let spec = spec
        .envs(args.env)
        .cwd(cwd)
        .heap_mb(args.limits.heap_mb.unwrap_or(0))
        .timeout_ms(args.limits.timeout_ms.unwrap_or(0))
        .cpu_ms(args.limits.cpu_ms.unwrap_or(0))
        .max_output_bytes(args.limits.max_output_bytes.unwrap_or(0))
        .stdin_open(true);
    let handle = Arc::new(sidecar.exec(spec).await?);
    let stdin = tokio::spawn(pump_stdin(Arc::clone(&handle)));
    let asks = tokio::spawn(refuse_asks(Arc::clone(&handle)));
    let (_, _, status) = tokio::join!(
        pass_through(handle.take_stdout(), tokio::io::stdout()),
        pass_through(handle.take_stderr(), tokio::io::stderr()),
        handle.wait(),
    );
    stdin.abort();
    asks.abort();
    if args.phases
        && let Ok(status) = &status
    {
        let _ = writeln!(std::io::stderr(), "{}", phases_json(handle.id(), status));
    }
    status
}

/// `dir` as an absolute host path (the sidecar's working directory may differ from ours).
fn absolute(dir: &str) -> String {
    std::path::absolute(dir).map_or_else(|_| dir.to_owned(), |p| p.to_string_lossy().into_owned())
}

/// `{"exec_id":1,"phases_ms":{"queue_wait":0.004,...}}`: phase names are plain identifiers.
fn phases_json(exec_id: u64, status: &ExitStatus) -> String {
    let fields: Vec<String> = (status.phases.iter())
        .map(|(name, took)| format!("\"{name}\":{:.3}", took.as_secs_f64() * 1e3))
        .collect();
    format!(
        "{{\"exec_id\":{exec_id},\"phases_ms\":{{{}}}}}",
        fields.join(",")
    )
}

/// Copies a guest stream to ours chunk by chunk, flushing each; stops writing if ours breaks.
async fn pass_through(stream: Option<OutputStream>, mut out: impl AsyncWrite + Unpin) {
    let Some(mut stream) = stream else { return };
    while let Some(chunk) = stream.next_chunk().await {
        if out.write_all(&chunk).await.is_err() || out.flush().await.is_err() {
            return;
        }
    }
}

/// Refuses every attempt an `ask:` rule sends (the CLI has nobody to ask), saying so on stderr.
async fn refuse_asks(handle: Arc<ExecHandle>) {
    let Some(mut asks) = handle.net_requests() else {
        return;
    };
    while let Some(ask) = asks.recv().await {
        let what = if ask.url.is_empty() {
            format!("{}://{}:{}", ask.scheme, ask.host, ask.port)
        } else {
            ask.url.clone()
        };
        report(&format!(
            "refused {what} (asked by `{}`; `agentos run` answers asks with no: use an allow rule)",
            ask.rule
        ));
        let message = "agentos run answers asks with no";
        let _ = handle.net_reply(ask.net_request_id, false, message).await;
    }
}

/// Feeds our stdin to the guest until EOF (then closes its stdin) or until the guest is gone.
async fn pump_stdin(handle: Arc<ExecHandle>) {
    let mut chunks = read_stdin_on_a_thread();
    while let Some(chunk) = chunks.recv().await {
        loop {
            match handle.write_stdin(chunk.clone()).await {
                Ok(()) => break,
                // The guest has not read enough yet: backpressure, try again shortly.
                Err(e) if e.code() == Some(ErrorCode::StdinLimit) => {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
                Err(_) => return,
            }
        }
    }
    let _ = handle.close_stdin().await;
}

/// Reads stdin on a plain thread: a blocking read must not hold up the runtime's shutdown, and
/// the thread simply ends with the process.
fn read_stdin_on_a_thread() -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel(4);
    let reader = move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = vec![0; STDIN_CHUNK];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    if tx.blocking_send(buf[..n].to_vec()).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    };
    // If no thread can be started the sender is dropped with the closure: stdin reads as empty.
    let _ = std::thread::Builder::new()
        .name("agentos-stdin".to_owned())
        .spawn(reader);
    rx
}
