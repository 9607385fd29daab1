//! Turning a run into an outcome and a short reason (the line a reader of the list needs: the
//! error that ended the guest, the limit it hit, what it printed instead of the expected line).

use crate::expectations::Outcome;
use crate::runner::Run;

/// The longest reason kept, in characters.
const MAX_REASON: usize = 160;

/// How Node's `common.skip()` announces a skipped test (TAP), followed by the reason.
const SKIP_MARK: &str = "1..0 # Skipped:";

/// A Node test file: passes on exit 0 unless it skipped itself.
pub fn node_test(run: &Run) -> (Outcome, String) {
    if let Some(why) = host_or_limit(run) {
        return (Outcome::Fail, why);
    }
    let code = run.status.as_ref().map_or(-1, |s| s.shell_code());
    let stdout = String::from_utf8_lossy(&run.stdout);
    if code == 0 {
        if let Some(line) = stdout.lines().find(|l| l.contains(SKIP_MARK)) {
            let why = line.split_once(SKIP_MARK).map_or("", |(_, why)| why);
            return (Outcome::Skip, clean(&format!("skipped: {}", why.trim())));
        }
        return (Outcome::Pass, String::new());
    }
    (Outcome::Fail, failure(run, code))
}

/// A smoke script: passes on exit 0 with exactly `expected` (one line) on stdout.
pub fn smoke(run: &Run, expected: &str) -> (Outcome, String) {
    if let Some(why) = host_or_limit(run) {
        return (Outcome::Fail, why);
    }
    let code = run.status.as_ref().map_or(-1, |s| s.shell_code());
    if code != 0 {
        return (Outcome::Fail, failure(run, code));
    }
    let stdout = String::from_utf8_lossy(&run.stdout);
    if stdout.trim_end_matches('\n') == expected {
        return (Outcome::Pass, String::new());
    }
    (
        Outcome::Fail,
        clean(&format!(
            "printed {:?}, want {expected:?}",
            stdout.trim_end()
        )),
    )
}

/// The host's trouble or the sidecar's limit error, when either ended the run.
fn host_or_limit(run: &Run) -> Option<String> {
    if let Some(trouble) = &run.trouble {
        return Some(clean(trouble));
    }
    let error = run.status.as_ref()?.error.as_ref()?;
    let code = error.code.as_str_name();
    let last = error_line(&String::from_utf8_lossy(&run.stderr));
    Some(clean(&match last {
        Some(line) => format!("{code}: {line}"),
        None => code.to_string(),
    }))
}

fn failure(run: &Run, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&run.stderr);
    let stdout = String::from_utf8_lossy(&run.stdout);
    let line = error_line(&stderr)
        .or_else(|| error_line(&stdout))
        .or_else(|| tap_failure(&stdout))
        .or_else(|| thrown_value(&stderr))
        .or_else(|| last_line(&stderr))
        .or_else(|| must_call_mismatch(&stdout));
    clean(&match line {
        Some(line) => line,
        None => format!("exit {code}, no output on stderr"),
    })
}

/// test/common's report of `mustCall` counts that were not met, printed on stdout at exit
/// (`Mismatched noop function calls. Expected exactly 1, actual 0.`).
fn must_call_mismatch(stdout: &str) -> Option<String> {
    (stdout.lines())
        .find(|line| line.starts_with("Mismatched ") && line.contains(" function calls."))
        .map(str::to_owned)
}

/// The first line that reads like a thrown error (`TypeError: ...`, `AssertionError
/// [ERR_ASSERTION]: ...`, `Error: ...`) or a refusal of Node's (`node: bad option: ...`); when its
/// message ends with `:` (an assertion's diff follows), the next non-empty line is added.
fn error_line(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let index = lines.iter().position(|line| {
        line.starts_with("node: ")
            || line
                .split_once(": ")
                .is_some_and(|(head, _)| is_error_name(head))
            || line.strip_suffix(':').is_some_and(is_error_name)
    })?;
    let line = lines[index];
    if line.ends_with(':')
        && let Some(next) = lines[index + 1..].iter().find(|l| !l.is_empty())
    {
        return Some(format!("{line} {next}"));
    }
    Some(line.to_string())
}

/// `TypeError`, `AssertionError [ERR_ASSERTION]`, `Error [ERR_X]`, `Uncaught SyntaxError`.
fn is_error_name(head: &str) -> bool {
    let head = head.strip_prefix("Uncaught ").unwrap_or(head);
    let name = match head.split_once(" [") {
        Some((name, code)) if code.ends_with(']') => name,
        Some(_) => return false,
        None => head,
    };
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.')
        && (name.ends_with("Error") || name.ends_with("Exception"))
}

/// What Node prints after the caret line of an uncaught throw (`throw 'x'`, an object): the
/// first non-empty line below `^`.
fn thrown_value(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    let caret = lines
        .iter()
        .position(|l| !l.is_empty() && l.chars().all(|c| c == '^'))?;
    lines[caret + 1..]
        .iter()
        .find(|l| !l.is_empty())
        .map(|l| (*l).to_string())
}

/// `not ok 3 - name` of a `node:test` file's TAP output.
fn tap_failure(stdout: &str) -> Option<String> {
    stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("not ok"))
        .map(str::to_string)
}

fn last_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .map(str::to_string)
}

/// One line, collapsed whitespace, at most `MAX_REASON` characters.
fn clean(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX_REASON {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX_REASON - 3).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use agentos_sdk::{ErrorCode, ExecError, ExitStatus};

    use super::*;

    fn run(code: i32, stdout: &str, stderr: &str) -> Run {
        Run {
            status: Some(ExitStatus {
                code,
                signal: None,
                error: None,
                phases: Vec::new(),
                net: None,
                net_denied: Vec::new(),
            }),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
            elapsed: Duration::ZERO,
            trouble: None,
        }
    }

    #[test]
    fn exit_zero_passes_and_skip_marker_skips() {
        assert_eq!(node_test(&run(0, "ok\n", "")).0, Outcome::Pass);
        let (outcome, why) = node_test(&run(0, "1..0 # Skipped: missing crypto\n", ""));
        assert_eq!(
            (outcome, why.as_str()),
            (Outcome::Skip, "skipped: missing crypto")
        );
    }

    #[test]
    fn reason_is_the_thrown_error() {
        let stderr = "/node/test/parallel/test-a.js:3\n  throw e;\n  ^\n\nError: Cannot find module 'assert'\nRequire stack:\n- /x\n";
        assert_eq!(
            node_test(&run(1, "", stderr)).1,
            "Error: Cannot find module 'assert'"
        );
        let stderr =
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n1 !== 2\n";
        assert_eq!(
            node_test(&run(1, "", stderr)).1,
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: 1 !== 2"
        );
        let stderr = "/x.js:3\nassert.ok(a);\n       ^\n\nAssertionError [ERR_ASSERTION]:\npath.win32.join(\"a\")\n";
        assert_eq!(
            node_test(&run(1, "", stderr)).1,
            "AssertionError [ERR_ASSERTION]: path.win32.join(\"a\")"
        );
        let stderr = "/x.js:1\nthrow { a: 1 };\n^\n\n{ a: 1 }\n(Use `node --trace-uncaught ...`)\n\nNode.js v20.20.2\n";
        assert_eq!(node_test(&run(1, "", stderr)).1, "{ a: 1 }");
        assert_eq!(
            node_test(&run(9, "", "node: bad option: --expose-internals\n")).1,
            "node: bad option: --expose-internals"
        );
    }

    #[test]
    fn limits_and_silence_have_reasons() {
        let mut timed_out = run(137, "", "");
        if let Some(status) = timed_out.status.as_mut() {
            status.error = Some(ExecError {
                code: ErrorCode::Timeout,
                message: "wall time".into(),
            });
        }
        assert_eq!(node_test(&timed_out), (Outcome::Fail, "TIMEOUT".into()));
        assert_eq!(node_test(&run(3, "", "")).1, "exit 3, no output on stderr");
        assert_eq!(node_test(&run(1, "not ok 2 - x\n", "")).1, "not ok 2 - x");
        let mismatch = "Mismatched noop function calls. Expected exactly 1, actual 0.";
        let stdout =
            format!("ok\n{mismatch}\n    at mustCall (/node/test/common/index.js:396:10)\n");
        assert_eq!(node_test(&run(1, &stdout, "")).1, mismatch);
    }

    #[test]
    fn smoke_compares_the_line() {
        assert_eq!(smoke(&run(0, "42\n", ""), "42").0, Outcome::Pass);
        assert_eq!(
            smoke(&run(0, "41\n", ""), "42").1,
            "printed \"41\", want \"42\""
        );
    }

    #[test]
    fn long_reasons_are_cut() {
        let long = format!("TypeError: {}", "x".repeat(400));
        let why = node_test(&run(1, "", &long)).1;
        assert_eq!(why.chars().count(), MAX_REASON);
        assert!(why.ends_with("..."));
    }
}
