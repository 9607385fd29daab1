//! `agentos call`: one guest function call, host callbacks as shell commands, a JSON line out.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};

use agentos_sdk::{CallOutcome, CallSpec, Error, Sidecar};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::args::CallArgs;

/// Exit code when agentos or the sidecar failed (as `agentos run`).
const FAILURE: u8 = 125;
/// Exit code when the call ended with a call error.
const CALL_ERROR: u8 = 1;

/// Runs the call described by `args`; returns the process exit code.
pub async fn call(sidecar_bin: Option<PathBuf>, args: CallArgs) -> ExitCode {
    let source = match read_source(&args.file) {
        Ok(source) => source,
        Err(e) => {
            report(&format!("error: cannot read {}: {e}", args.file.display()));
            return ExitCode::from(FAILURE);
        }
    };
    let stats = args.stats;
    let outcome = match execute(sidecar_bin, args, source).await {
        Ok(outcome) => outcome,
        Err(Error::Request { code, message, .. }) => {
            report(&format!("{}: {message}", code.as_str_name()));
            return ExitCode::from(FAILURE);
        }
        Err(e) => {
            report(&format!("error: {e}"));
            return ExitCode::from(FAILURE);
        }
    };
    // The guest's console output goes to stderr, so stdout carries only the result.
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(&outcome.stdout);
    let _ = stderr.write_all(&outcome.stderr);
    let _ = stderr.flush();
    drop(stderr);
    let code = if outcome.result.is_ok() {
        0
    } else {
        CALL_ERROR
    };
    let line = result_json(&outcome, stats).to_string();
    match writeln!(std::io::stdout(), "{line}") {
        Ok(()) => ExitCode::from(code),
        Err(e) => {
            report(&format!("error: writing the result: {e}"));
            ExitCode::from(FAILURE)
        }
    }
}

fn report(message: &str) {
    // Nothing useful is left to do if stderr itself is gone.
    let _ = writeln!(std::io::stderr(), "agentos: {message}");
}

/// The file's text; `-` reads stdin.
fn read_source(file: &Path) -> std::io::Result<String> {
    if file == Path::new("-") {
        let mut source = String::new();
        std::io::stdin().read_to_string(&mut source)?;
        return Ok(source);
    }
    std::fs::read_to_string(file)
}

async fn execute(
    sidecar_bin: Option<PathBuf>,
    args: CallArgs,
    source: String,
) -> Result<CallOutcome, Error> {
    let mut builder =
        Sidecar::builder().client_name(concat!("agentos-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(bin) = sidecar_bin {
        builder = builder.bin(bin);
    }
    let mut spec = CallSpec::new(source)
        .input(args.input.unwrap_or(Value::Null))
        .heap_mb(args.limits.heap_mb.unwrap_or(0))
        .timeout_ms(args.limits.timeout_ms.unwrap_or(0))
        .cpu_ms(args.limits.cpu_ms.unwrap_or(0))
        .max_output_bytes(args.limits.max_output_bytes.unwrap_or(0))
        .max_host_calls(args.max_host_calls.unwrap_or(0))
        .max_host_payload_bytes(args.max_host_payload_bytes.unwrap_or(0))
        .max_result_bytes(args.max_result_bytes.unwrap_or(0));
    for (name, command) in args.callbacks {
        let label = name.clone();
        spec = spec.callback(name, move |arg| shell(label.clone(), command.clone(), arg));
    }
    let sidecar = builder.spawn().await?;
    sidecar.call(spec).await
}

/// `{"ok":VALUE}` or `{"error":{"code","message","stack"}}`, plus `"stats"` when asked.
fn result_json(outcome: &CallOutcome, with_stats: bool) -> Value {
    let mut line = match &outcome.result {
        Ok(value) => json!({ "ok": value }),
        Err(error) => json!({
            "error": {
                "code": error.code.as_str_name(),
                "message": error.message,
                "stack": error.stack,
            }
        }),
    };
    if with_stats {
        let stats = &outcome.stats;
        line["stats"] = json!({
            "wall_ms": stats.wall.as_secs_f64() * 1e3,
            "cpu_ms": stats.cpu.as_secs_f64() * 1e3,
            "heap_used_bytes": stats.heap_used_bytes,
            "cancelled_host_calls": outcome.cancelled_host_calls,
        });
    }
    line
}

/// Answers one host call by running `sh -c COMMAND` with the argument's JSON on stdin.
async fn shell(name: String, command: String, arg: Value) -> Result<Value, String> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(&command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A cancelled host call drops this future: `sh` is killed with it (not its children).
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("host callback {name}: cannot run sh: {e}"))?;
    let stdin = child.stdin.take();
    let feed = async move {
        if let Some(mut stdin) = stdin {
            // A command that does not read its input closes the pipe early: not an error.
            let _ = stdin.write_all(format!("{arg}\n").as_bytes()).await;
        }
    };
    let ((), output) = tokio::join!(feed, child.wait_with_output());
    let output = output.map_err(|e| format!("host callback {name}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stderr = stderr.trim_end();
    if !output.status.success() {
        return Err(format!(
            "host callback {name} (`{command}`) failed ({}): {stderr}",
            output.status
        ));
    }
    if !stderr.is_empty() {
        let _ = writeln!(std::io::stderr(), "{stderr}");
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        format!("host callback {name} (`{command}`) printed invalid JSON ({e}): {stderr}")
    })
}

#[cfg(test)]
mod tests {
    use agentos_sdk::{CallError, CallStats, ErrorCode};

    use super::*;

    fn outcome(result: Result<Value, CallError>) -> CallOutcome {
        CallOutcome {
            result,
            stats: CallStats::default(),
            stdout: Vec::new(),
            stderr: Vec::new(),
            cancelled_host_calls: vec![3],
        }
    }

    #[test]
    fn result_lines() {
        let ok = outcome(Ok(json!({"a": 1})));
        assert_eq!(result_json(&ok, false).to_string(), r#"{"ok":{"a":1}}"#);
        let error = CallError {
            code: ErrorCode::Timeout,
            message: "slow".to_owned(),
            stack: None,
        };
        let line = result_json(&outcome(Err(error)), true);
        assert_eq!(
            line["error"],
            json!({"code": "TIMEOUT", "message": "slow", "stack": null})
        );
        assert_eq!(line["stats"]["cancelled_host_calls"], json!([3]));
        assert_eq!(line["stats"]["wall_ms"], json!(0.0));
    }

    #[tokio::test]
    async fn shell_callbacks_pass_json_both_ways() {
        let arg = json!({"q": "x y"});
        let echoed = shell("echo".into(), "cat".into(), arg.clone()).await;
        assert_eq!(echoed, Ok(arg));
        let upper = shell("up".into(), "tr a-z A-Z".into(), json!("cats")).await;
        assert_eq!(upper, Ok(json!("CATS")));
        let ignores_stdin = shell("n".into(), "echo 42".into(), json!(null)).await;
        assert_eq!(ignores_stdin, Ok(json!(42)));
    }

    #[tokio::test]
    async fn shell_failures_reject_with_stderr() {
        let failed = shell("f".into(), "echo oops >&2; exit 3".into(), json!(1)).await;
        let message = failed.expect_err("exit 3");
        assert!(
            message.contains("oops") && message.contains("f"),
            "{message}"
        );
        let garbage = shell("g".into(), "echo not-json; echo why >&2".into(), json!(1)).await;
        let message = garbage.expect_err("invalid JSON");
        assert!(
            message.contains("invalid JSON") && message.contains("why"),
            "{message}"
        );
    }
}
