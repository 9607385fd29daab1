//! `agentos-sidecar`: serves the agentos protocol on stdin/stdout; logs go to stderr.

use std::io::Write;

use agentos_engine::{Engine, snapshot};
use agentos_sidecar::{Config, serve};

const HELP: &str = "agentos-sidecar: runs guest programs in fresh V8 isolates.

Usage: agentos-sidecar            serve the protocol on stdin/stdout (frames only on stdout)
       agentos-sidecar --version  print the version

Environment (see README.md): AGENTOS_LOG (log filter, default warn),
AGENTOS_WASM_SNAPSHOT_RUNNER=auto|block|off, AGENTOS_V8_WARM_ISOLATES (default 2),
AGENTOS_V8_SESSION_PHASES=1, AGENTOS_SNAPSHOT_DIR, AGENTOS_MAX_RUNNING, AGENTOS_MAX_QUEUED,
AGENTOS_MAX_FRAME_BYTES.
";

fn main() {
    let config = Config::from_env();
    if let Some(arg) = std::env::args().nth(1) {
        let text = match arg.as_str() {
            snapshot::HELPER_ARG => build_snapshot(&config),
            "--version" | "-V" => format!("agentos-sidecar {}\n", env!("CARGO_PKG_VERSION")),
            "--help" | "-h" => HELP.to_string(),
            other => {
                let _ = write!(std::io::stderr(), "unknown argument {other:?}\n\n{HELP}");
                std::process::exit(2);
            }
        };
        let _ = std::io::stderr().write_all(text.as_bytes());
        return;
    }
    init_logging(&config);
    let engine = Engine::new(config.engine.clone());
    engine.start();
    let end = serve(config, engine, std::io::stdin().lock(), std::io::stdout());
    std::process::exit(end.exit_code());
}

/// The snapshot helper: writes the blob to stdout, and nothing else.
fn build_snapshot(config: &Config) -> ! {
    init_logging(config);
    match snapshot::create_blob() {
        Ok(blob) => {
            let mut out = std::io::stdout().lock();
            let written = out.write_all(&blob).and_then(|()| out.flush());
            std::process::exit(if written.is_ok() { 0 } else { 1 });
        }
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "agentos-sidecar: snapshot creation failed: {e}"
            );
            std::process::exit(1);
        }
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    for warning in &config.warnings {
        tracing::warn!("{warning}");
    }
}
