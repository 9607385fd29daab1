//! Command-line syntax of `agentos` (clap derive). New `run` flags (`--dir`, `--heap-mb`,
//! `--timeout-ms`, `--phases`) slot into [`RunArgs`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Run untrusted programs (JavaScript now, WASI later) in fresh V8 isolates of agentos-sidecar.
#[derive(Debug, Parser)]
#[command(name = "agentos", version)]
pub struct Cli {
    /// The agentos-sidecar binary [default: next to `agentos`, its parent directory, or on PATH].
    #[arg(long, global = true, env = "AGENTOS_SIDECAR_BIN", value_name = "PATH")]
    pub sidecar: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one guest program, passing stdin, stdout and stderr through.
    #[command(after_help = RUN_AFTER_HELP)]
    Run(RunArgs),
}

const RUN_AFTER_HELP: &str = r#"Examples:
  agentos run -- node -e 'console.log(6 * 7)'
  echo hi | agentos run --env LANG=C -- node -e "process.stdin.on('data', d => process.stdout.write(d))"

Exit status: the guest's exit code; 128+N if it was killed by signal N; 125 if agentos or the
sidecar failed before the guest could run. When the sidecar ends the guest itself (a limit, an
unknown command, an internal fault) it prints `agentos: <ERROR_CODE>: <message>` on stderr."#;

/// Options of `agentos run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Set a guest environment variable (repeatable). The guest sees exactly these; nothing is
    /// inherited from this shell.
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    pub env: Vec<(String, String)>,

    /// The guest's working directory, a guest path [default: /].
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<String>,

    /// Mount a host directory: HOST[::GUEST][:ro] (repeatable). GUEST defaults to HOST; `:ro`
    /// makes it read-only. Without any --dir, the current directory is mounted at `/`.
    #[arg(long = "dir", value_name = "HOST[::GUEST][:ro]", value_parser = parse_dir)]
    pub dirs: Vec<Mount>,

    /// The guest's V8 heap limit in MiB [default: the sidecar's, 256].
    #[arg(long, value_name = "MIB")]
    pub heap_mb: Option<u32>,

    /// Wall-time limit, ms [default: the sidecar's, 300000].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,

    /// CPU-time limit on the guest's thread, ms [default: the sidecar's, 120000].
    #[arg(long, value_name = "MS")]
    pub cpu_ms: Option<u64>,

    /// Cap on stdout + stderr bytes [default: the sidecar's, 64 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_output_bytes: Option<u64>,

    /// Print per-exec phase timings as one JSON line on stderr after the guest's output.
    #[arg(long)]
    pub phases: bool,

    /// The program and its arguments; `node` runs JavaScript.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<String>,
}

/// One `--dir` mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Host directory.
    pub host: String,
    /// Guest path.
    pub guest: String,
    /// Read-only.
    pub read_only: bool,
}

/// Parses `HOST[::GUEST][:ro]`.
fn parse_dir(spec: &str) -> Result<Mount, String> {
    let (rest, read_only) = match spec.strip_suffix(":ro") {
        Some(rest) => (rest, true),
        None => (spec, false),
    };
    let (host, guest) = rest.split_once("::").unwrap_or((rest, rest));
    if host.is_empty() || !guest.starts_with('/') {
        return Err(format!(
            "expected HOST[::GUEST][:ro] with an absolute GUEST, got `{spec}`"
        ));
    }
    Ok(Mount {
        host: host.to_owned(),
        guest: guest.to_owned(),
        read_only,
    })
}

/// Parses `KEY=VALUE` (the value may contain `=`; the key may not be empty).
fn parse_env(pair: &str) -> Result<(String, String), String> {
    match pair.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("expected KEY=VALUE, got `{pair}`")),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dir_mounts_parse_guest_and_read_only() {
        let mount = |host: &str, guest: &str, read_only| Mount {
            host: host.into(),
            guest: guest.into(),
            read_only,
        };
        assert_eq!(parse_dir("/srv"), Ok(mount("/srv", "/srv", false)));
        assert_eq!(
            parse_dir("/srv::/data:ro"),
            Ok(mount("/srv", "/data", true))
        );
        assert_eq!(parse_dir(".::/"), Ok(mount(".", "/", false)));
        assert!(parse_dir("/srv::data").is_err());
        assert!(parse_dir("").is_err());
    }

    #[test]
    fn env_pairs_split_at_the_first_equals() {
        assert_eq!(parse_env("A=b=c"), Ok(("A".to_owned(), "b=c".to_owned())));
        assert_eq!(parse_env("EMPTY="), Ok(("EMPTY".to_owned(), String::new())));
        assert!(parse_env("NOVALUE").is_err());
        assert!(parse_env("=x").is_err());
    }

    #[test]
    fn run_takes_everything_after_the_command() {
        let cli = Cli::try_parse_from([
            "agentos", "run", "--env", "A=1", "--cwd", "/w", "--", "node", "-e", "x", "--env",
        ])
        .expect("parses");
        let Command::Run(run) = cli.command;
        assert_eq!(run.env, [("A".to_owned(), "1".to_owned())]);
        assert_eq!(run.cwd.as_deref(), Some("/w"));
        assert_eq!(run.command, ["node", "-e", "x", "--env"]);
    }

    #[test]
    fn run_without_double_dash() {
        let cli = Cli::try_parse_from(["agentos", "run", "node", "-e", "1"]).expect("parses");
        let Command::Run(run) = cli.command;
        assert_eq!(run.command, ["node", "-e", "1"]);
    }

    #[test]
    fn run_requires_a_command() {
        assert!(Cli::try_parse_from(["agentos", "run", "--env", "A=1"]).is_err());
    }
}
