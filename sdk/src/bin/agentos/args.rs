//! Command-line syntax of `agentos` (clap derive): `run` flags in [`RunArgs`], `call` flags in
//! [`CallArgs`].

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
    /// Call a guest function on a JSON input; print its JSON result as one line on stdout.
    #[command(after_help = CALL_AFTER_HELP)]
    Call(CallArgs),
}

const RUN_AFTER_HELP: &str = r#"Examples:
  agentos run -- node -e 'console.log(6 * 7)'
  echo hi | agentos run --env LANG=C -- node -e "process.stdin.on('data', d => process.stdout.write(d))"

Exit status: the guest's exit code; 128+N if it was killed by signal N; 125 if agentos or the
sidecar failed before the guest could run. When the sidecar ends the guest itself (a limit, an
unknown command, an internal fault) it prints `agentos: <ERROR_CODE>: <message>` on stderr."#;

const CALL_AFTER_HELP: &str = r#"FILE holds JavaScript source that evaluates to a function `async (input, host) => value`.
It runs in a fresh isolate with no host directory mounted; `host.NAME(arg)` (one per
--callback) is its only way to the host, and only JSON crosses in either direction.

Each `--callback NAME=SHELL_CMD` runs `sh -c SHELL_CMD` per host call, with the argument's
JSON on its stdin; its stdout must be one JSON value, the promise's result. A non-zero exit or
invalid JSON rejects the promise with an Error whose message includes the command's stderr.
Host calls run concurrently; one still running when the call ends has its shell killed.

Output: one JSON line on stdout, `{"ok":VALUE}` or
`{"error":{"code":"TIMEOUT","message":"...","stack":...}}` (plus `"stats":{...}` with
--stats). The guest's console output goes to stderr.

Examples:
  echo 'async (input) => input.a + input.b' > add.js
  agentos call add.js --input '{"a":1,"b":2}'                     # {"ok":3}
  echo 'async (s, host) => host.upper(s)' > up.js
  agentos call up.js --input '"cats"' --callback 'upper=tr a-z A-Z'    # {"ok":"CATS"}

Exit status: 0 on an ok result; 1 on a call error (the guest threw, a limit was hit, the
result was not JSON); 125 if agentos or the sidecar failed."#;

/// Options of `agentos call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The function's input, as JSON [default: null].
    #[arg(long, value_name = "JSON", value_parser = parse_json)]
    pub input: Option<serde_json::Value>,

    /// Offer `host.NAME(arg)` to the guest, answered by `sh -c SHELL_CMD` (repeatable).
    #[arg(long = "callback", value_name = "NAME=SHELL_CMD", value_parser = parse_callback)]
    pub callbacks: Vec<(String, String)>,

    /// Resource limits.
    #[command(flatten)]
    pub limits: LimitArgs,

    /// Host calls allowed [default: the sidecar's].
    #[arg(long, value_name = "N")]
    pub max_host_calls: Option<u32>,

    /// Bytes of one host call's JSON argument or reply [default: the sidecar's].
    #[arg(long, value_name = "BYTES")]
    pub max_host_payload_bytes: Option<u64>,

    /// Bytes of the result's JSON [default: the sidecar's].
    #[arg(long, value_name = "BYTES")]
    pub max_result_bytes: Option<u64>,

    /// Add `"stats":{...}` (wall and CPU time, heap used) to the output line.
    #[arg(long)]
    pub stats: bool,

    /// The JavaScript file (a host path; `-` reads stdin).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Options of `agentos run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Set a guest environment variable (repeatable). The guest sees exactly these; nothing is
    /// inherited from this shell.
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    pub env: Vec<(String, String)>,

    /// The guest's working directory, a guest path [default: the current directory without
    /// --dir, else /].
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<String>,

    /// Mount a host directory: `HOST[::GUEST][:ro]` (repeatable). GUEST defaults to HOST; `:ro`
    /// makes it read-only. Without any --dir, the current directory is mounted read-write at its
    /// own path.
    #[arg(long = "dir", value_name = "HOST[::GUEST][:ro]", value_parser = parse_dir)]
    pub dirs: Vec<Mount>,

    /// Let the guest reach what RULE allows (repeatable): `[allow:|deny:|ask:][SCHEME://]HOST[:PORTS]`,
    /// e.g. `example.com`, `https://*.github.com:443`, `localhost:3000`, `deny:*:25`. Without
    /// any, the guest has no network. Loopback and private addresses need a rule naming them.
    /// `ask:` rules are refused (the CLI has nobody to ask), with a note on stderr.
    #[arg(long = "allow-net", value_name = "RULE")]
    pub allow_net: Vec<String>,

    /// Resource limits.
    #[command(flatten)]
    pub limits: LimitArgs,

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

/// Limits shared by `run` and `call`; unset means the sidecar's default.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The guest's V8 heap limit in MiB [default: 256].
    #[arg(long, value_name = "MIB")]
    pub heap_mb: Option<u32>,

    /// Wall-time limit, ms [default: 300000].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,

    /// CPU-time limit on the guest's thread, ms [default: 120000].
    #[arg(long, value_name = "MS")]
    pub cpu_ms: Option<u64>,

    /// Cap on stdout + stderr bytes [default: 64 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_output_bytes: Option<u64>,
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

/// Parses one JSON value.
fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

/// Parses `NAME=SHELL_CMD` (the name may not be empty; the command may contain `=`).
fn parse_callback(pair: &str) -> Result<(String, String), String> {
    match pair.split_once('=') {
        Some((name, cmd)) if !name.is_empty() && !cmd.is_empty() => {
            Ok((name.to_owned(), cmd.to_owned()))
        }
        _ => Err(format!("expected NAME=SHELL_CMD, got `{pair}`")),
    }
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
        let Command::Run(run) = cli.command else {
            panic!("expected run");
        };
        assert_eq!(run.env, [("A".to_owned(), "1".to_owned())]);
        assert_eq!(run.cwd.as_deref(), Some("/w"));
        assert_eq!(run.command, ["node", "-e", "x", "--env"]);
    }

    #[test]
    fn allow_net_repeats() {
        let cli = Cli::try_parse_from([
            "agentos",
            "run",
            "--allow-net",
            "example.com",
            "--allow-net",
            "deny:*:25",
            "node",
        ])
        .expect("parses");
        let Command::Run(run) = cli.command else {
            panic!("expected run");
        };
        assert_eq!(run.allow_net, ["example.com", "deny:*:25"]);
    }

    #[test]
    fn run_without_double_dash() {
        let cli = Cli::try_parse_from(["agentos", "run", "node", "-e", "1"]).expect("parses");
        let Command::Run(run) = cli.command else {
            panic!("expected run");
        };
        assert_eq!(run.command, ["node", "-e", "1"]);
    }

    #[test]
    fn run_requires_a_command() {
        assert!(Cli::try_parse_from(["agentos", "run", "--env", "A=1"]).is_err());
    }

    #[test]
    fn call_parses_input_callbacks_and_limits() {
        let cli = Cli::try_parse_from([
            "agentos",
            "call",
            "f.js",
            "--input",
            r#"{"a":[1]}"#,
            "--callback",
            "search=grep -c x=y",
            "--callback",
            "id=cat",
            "--timeout-ms",
            "5",
            "--stats",
        ])
        .expect("parses");
        let Command::Call(call) = cli.command else {
            panic!("expected call");
        };
        assert_eq!(call.file, PathBuf::from("f.js"));
        assert_eq!(call.input, Some(serde_json::json!({"a": [1]})));
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            call.callbacks,
            [pair("search", "grep -c x=y"), pair("id", "cat")]
        );
        assert_eq!(
            (call.limits.timeout_ms, call.limits.cpu_ms, call.stats),
            (Some(5), None, true)
        );
    }

    #[test]
    fn call_rejects_bad_input_and_callbacks() {
        let parse = |args: &[&str]| Cli::try_parse_from([&["agentos", "call"], args].concat());
        assert!(parse(&["f.js"]).is_ok());
        assert!(parse(&["f.js", "--input", "{nope"]).is_err());
        assert!(parse(&["f.js", "--callback", "nocmd"]).is_err());
        assert!(parse(&["f.js", "--callback", "=cat"]).is_err());
        assert!(parse(&["--input", "1"]).is_err());
    }
}
