//! `agentos-sidecar`: serves the agentos protocol on stdin/stdout; logs go to stderr.
//!
//! With `AGENTOS_CELLS` > 0 (the default) this process is the supervisor and the engine runs in
//! child processes of this same binary started with `--cell`.

use std::io::Write;
use std::sync::Arc;

use agentos_engine::{Engine, snapshot};
use agentos_sidecar::cells::Cells;
use agentos_sidecar::cells::cell::CELL_ARG;
use agentos_sidecar::cells::link::max_cell_frame;
use agentos_sidecar::runner::Runner;
use agentos_sidecar::writer::Writer;
use agentos_sidecar::{Config, ceiling, cell_server, serve};

const HELP: &str = "agentos-sidecar: runs guest programs in fresh V8 isolates.

Usage: agentos-sidecar            serve the protocol on stdin/stdout (frames only on stdout)
       agentos-sidecar --version  print the version

Environment (see README.md): AGENTOS_LOG (log filter, default warn),
AGENTOS_WASM_SNAPSHOT_RUNNER=auto|block|off, AGENTOS_V8_WARM_ISOLATES (default 2),
AGENTOS_V8_SESSION_PHASES=1, AGENTOS_SNAPSHOT_DIR, AGENTOS_CELLS (default 2; 0: no cells),
AGENTOS_CELL_MEMORY_MB, AGENTOS_TMP_MB (default 64), AGENTOS_MAX_RUNNING, AGENTOS_MAX_QUEUED,
AGENTOS_MAX_FRAME_BYTES.
";

fn main() {
    let config = Config::from_env();
    if let Some(arg) = std::env::args().nth(1) {
        let text = match arg.as_str() {
            snapshot::HELPER_ARG => build_snapshot(&config),
            CELL_ARG => run_cell(&config),
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
    let writer = Arc::new(Writer::new(stdout_or_exit(), config.max_frame_bytes));
    let runner = if config.cells == 0 {
        let engine = Engine::new(config.engine.clone());
        engine.start();
        Runner::Local(engine)
    } else {
        let Ok(binary) = std::env::current_exe() else {
            tracing::error!("cannot find the sidecar's own binary to start engine cells");
            std::process::exit(1);
        };
        Runner::Cells(Cells::start(
            config.cells,
            binary,
            config.max_frame_bytes,
            writer.clone(),
        ))
    };
    let end = serve(config, runner, std::io::stdin().lock(), writer);
    agentos_engine::finish_code_cache_stores(agentos_sidecar::cell_server::STORE_PATIENCE);
    std::process::exit(end.exit_code());
}

/// An engine cell: serves its supervisor on stdin/stdout.
fn run_cell(config: &Config) -> ! {
    init_logging(config);
    if let Err(e) = ceiling::apply(config.cell_memory_mb) {
        tracing::warn!("cannot set the cell's memory ceiling: {e}");
    }
    let frame = max_cell_frame(config.max_frame_bytes);
    let out = Arc::new(Writer::new(stdout_or_exit(), frame));
    let code = cell_server::serve_cell(config, std::io::stdin().lock(), out);
    std::process::exit(code);
}

/// Standard output for frames ([`agentos_sidecar::writer::stdout_file`]); without it there is no
/// protocol to speak.
fn stdout_or_exit() -> std::fs::File {
    agentos_sidecar::writer::stdout_file().unwrap_or_else(|e| {
        let _ = writeln!(std::io::stderr(), "agentos-sidecar: cannot use stdout: {e}");
        std::process::exit(1);
    })
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
