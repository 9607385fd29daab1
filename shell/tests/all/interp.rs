//! The interpreter against the fake process double: every external command is a "guest"
//! (a Rust fake on its own thread); files live in a real temp directory mounted at `/work`.

use std::sync::Arc;
use std::time::Duration;

use agentos_shell::{Limits, ShellError, Stop, StopCause};

use crate::support::fake_os::FakeOs;
use crate::support::{Outcome, run_shell};

fn run_with(script: &str, stdin: &[u8], limits: Limits) -> (Outcome, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let stop = Stop::new();
    let os = Arc::new(FakeOs::new(dir.path(), stop.clone()));
    let out = run_shell(
        os.clone(),
        &["bash", "-c", script],
        "/work",
        &[],
        stdin,
        limits,
        stop,
    );
    os.procs.kill_all();
    (out, dir)
}

fn sh(script: &str) -> Outcome {
    run_with(script, b"", Limits::default()).0
}

#[test]
fn builtin_output_reaches_stdout() {
    let o = sh("echo hello world");
    assert_eq!(o.stdout, "hello world\n");
    assert_eq!(o.status, Ok(0));
}

#[test]
fn builtin_pipes_into_a_guest() {
    assert_eq!(sh("echo hi | fcat").stdout, "hi\n");
}

#[test]
fn guests_pipe_into_guests() {
    assert_eq!(sh("fecho a b | fcat | fcat | fcat").stdout, "a b\n");
}

#[test]
fn guest_pipes_into_a_builtin_loop() {
    let o = sh("fecho x | while read l; do echo \"got $l\"; done");
    assert_eq!(o.stdout, "got x\n");
}

#[test]
fn pipeline_status_is_the_last_stage() {
    assert_eq!(sh("fexit 3 | fexit 0; echo $?").stdout, "0\n");
    assert_eq!(sh("fexit 0 | fexit 4; echo $?").stdout, "4\n");
}

#[test]
fn pipefail_reports_the_last_failure() {
    assert_eq!(
        sh("set -o pipefail; fexit 3 | fexit 0; echo $?").stdout,
        "3\n"
    );
}

#[test]
fn guest_writer_gets_sigpipe_when_the_reader_leaves() {
    let o = sh("set -o pipefail; flood | fexit 0; echo $?");
    assert_eq!(o.stdout, "141\n");
}

#[test]
fn builtin_writer_ends_when_the_reader_leaves() {
    let o = sh("while :; do echo y; done | fexit 5; echo $?");
    assert_eq!(o.stdout, "5\n");
}

#[test]
fn exec_stdin_is_the_scripts_stdin() {
    let (o, _d) = run_with("fcount", b"abcdef", Limits::default());
    assert_eq!(o.stdout, "6\n");
}

#[test]
fn large_output_flows_through_a_pipe_with_backpressure() {
    assert_eq!(sh("flood 2000 | fcount").stdout, "2048000\n");
}

#[test]
fn command_substitution_captures_a_guest() {
    assert_eq!(
        sh("x=$(fecho hi there); echo \"[$x]\"").stdout,
        "[hi there]\n"
    );
}

#[test]
fn redirections_write_and_read_files_in_the_mount() {
    let (o, dir) = run_with(
        "fecho one > f; fecho two >> f; fcat < f",
        b"",
        Limits::default(),
    );
    assert_eq!(o.stdout, "one\ntwo\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("f")).unwrap(),
        "one\ntwo\n"
    );
}

#[test]
fn stderr_can_join_stdout() {
    let o = sh("{ echo out; echo err >&2; } 2>&1 | fcat");
    assert_eq!(o.stdout, "out\nerr\n");
    assert_eq!(o.stderr, "");
}

#[test]
fn here_documents_feed_guests() {
    let o = sh("x=world; fcat <<EOF\nhello $x\nEOF\nfcat <<<'here string'");
    assert_eq!(o.stdout, "hello world\nhere string\n");
}

#[test]
fn unknown_command_is_127_with_bash_message() {
    let o = sh("nosuch; echo $?");
    assert_eq!(o.stdout, "127\n");
    assert_eq!(o.stderr, "bash: line 1: nosuch: command not found\n");
}

#[test]
fn background_jobs_run_concurrently_and_wait_collects_them() {
    let o = sh("{ fsleep 100; echo late; } & echo early; wait; echo done");
    assert_eq!(o.stdout, "early\nlate\ndone\n");
}

#[test]
fn wait_pid_returns_the_job_status() {
    assert_eq!(sh("fexit 7 & wait $!; echo $?").stdout, "7\n");
}

#[test]
fn functions_have_locals_and_return_codes() {
    let o = sh("x=g; f() { local x=l; echo $x; return 3; }; f; echo $? $x");
    assert_eq!(o.stdout, "l\n3 g\n");
}

#[test]
fn errexit_ignores_conditions_and_and_or_heads() {
    let o = sh(
        "set -e; if fexit 1; then :; fi; fexit 1 || true; ! fexit 0; echo alive; fexit 2; echo dead",
    );
    assert_eq!(o.stdout, "alive\n");
    assert_eq!(o.status, Ok(2));
}

#[test]
fn exit_trap_runs_at_the_end() {
    let o = sh("trap 'echo bye' EXIT; echo hi; exit 3");
    assert_eq!(o.stdout, "hi\nbye\n");
    assert_eq!(o.status, Ok(3));
}

#[test]
fn subshells_do_not_leak_state() {
    assert_eq!(
        sh("x=1; (x=2; cd /; exit 4); echo $? $x $PWD").stdout,
        "4 1 /work\n"
    );
}

#[test]
fn stop_from_another_thread_ends_an_infinite_loop() {
    let dir = tempfile::tempdir().unwrap();
    let stop = Stop::new();
    let os = Arc::new(FakeOs::new(dir.path(), stop.clone()));
    let s2 = stop.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        s2.stop(StopCause::Signal(9));
    });
    let o = run_shell(
        os,
        &["bash", "-c", "while :; do :; done"],
        "/work",
        &[],
        b"",
        Limits::default(),
        stop,
    );
    assert_eq!(o.status, Err(ShellError::Stopped(StopCause::Signal(9))));
}

#[test]
fn stop_wakes_a_script_blocked_on_a_guest() {
    let dir = tempfile::tempdir().unwrap();
    let stop = Stop::new();
    let os = Arc::new(FakeOs::new(dir.path(), stop.clone()));
    let s2 = stop.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        s2.stop(StopCause::Signal(9));
    });
    let o = run_shell(
        os.clone(),
        &["bash", "-c", "flood | fcat | fcat > /dev/null"],
        "/work",
        &[],
        b"",
        Limits::default(),
        stop,
    );
    os.procs.kill_all();
    assert!(
        matches!(o.status, Err(ShellError::Stopped(_))),
        "{:?}",
        o.status
    );
}

#[test]
fn process_total_limit_is_typed() {
    let limits = Limits {
        max_processes_total: 20,
        ..Limits::default()
    };
    let (o, _d) = run_with(
        "i=0; while [ $i -lt 100 ]; do fexit 0; i=$((i+1)); done",
        b"",
        limits,
    );
    assert_eq!(
        o.status,
        Err(ShellError::ProcessLimit {
            which: "in total",
            limit: 20
        })
    );
}

#[test]
fn memory_budget_is_typed() {
    let limits = Limits {
        max_memory: 1 << 20,
        ..Limits::default()
    };
    let (o, _d) = run_with("x=aaaaaaaa; while :; do x=$x$x; done", b"", limits);
    assert_eq!(o.status, Err(ShellError::MemoryLimit { limit: 1 << 20 }));
}

#[test]
fn capture_past_the_budget_is_typed() {
    let limits = Limits {
        max_memory: 1 << 20,
        ..Limits::default()
    };
    let (o, _d) = run_with("x=$(flood 5000)", b"", limits);
    assert_eq!(o.status, Err(ShellError::MemoryLimit { limit: 1 << 20 }));
}

#[test]
fn recursion_depth_is_typed() {
    let o = sh("f() { f; }; f");
    assert_eq!(o.status, Err(ShellError::DepthLimit { limit: 200 }));
}

#[test]
fn command_v_uses_the_engine_lookup() {
    let o = sh("command -v fcat; command -v echo; command -v nosuch; echo $?");
    assert_eq!(o.stdout, "/bin/fcat\necho\n1\n");
}

#[test]
fn globbing_lists_the_mount() {
    let (o, _d) = run_with(
        "touch() { : > \"$1\"; }; touch b.txt; touch a.txt; touch c.md; echo *.txt; echo *.none",
        b"",
        Limits::default(),
    );
    assert_eq!(o.stdout, "a.txt b.txt\n*.none\n");
}
