//! Hostile scripts: each ends in a typed, bounded way, and the test process (standing in for
//! the sidecar) lives on.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_sandbox::Preopen;
use agentos_shell::{Limits, SandboxFs, ShellError, Stop};

use crate::support::fake_os::FakeOs;
use crate::support::{Outcome, run_shell};

fn run(script: &str, limits: Limits) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), script, limits)
}

fn run_in(dir: &std::path::Path, script: &str, limits: Limits) -> Outcome {
    let stop = Stop::new();
    let os = Arc::new(FakeOs::new(dir, stop.clone()));
    let o = run_shell(
        os.clone(),
        &["bash", "-c", script],
        "/work",
        &[],
        b"",
        limits,
        stop,
    );
    os.procs.kill_all();
    o
}

#[test]
fn fork_bomb_hits_the_process_limit() {
    let start = Instant::now();
    let o = run("f(){ f|f& }; f; while :; do :; done", Limits::default());
    assert!(
        matches!(o.status, Err(ShellError::ProcessLimit { .. })),
        "{:?}",
        o.status
    );
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn fork_bomb_without_a_tail_ends_with_the_script() {
    let start = Instant::now();
    let o = run("f(){ f|f& }; f", Limits::default());
    assert!(
        matches!(o.status, Ok(0) | Err(ShellError::ProcessLimit { .. })),
        "{:?}",
        o.status
    );
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn deeply_nested_braces_are_refused() {
    let script = format!("{}true;{}", "{ ".repeat(100_000), "} ".repeat(100_000));
    assert_eq!(
        run(&script, Limits::default()).status,
        Err(ShellError::NestingLimit { limit: 150 })
    );
}

#[test]
fn deeply_nested_substitutions_are_refused() {
    let script = format!("echo {}x{}", "$(echo ".repeat(10_000), ")".repeat(10_000));
    assert_eq!(
        run(&script, Limits::default()).status,
        Err(ShellError::NestingLimit { limit: 150 })
    );
}

#[test]
fn deep_arithmetic_from_a_variable_is_refused() {
    let script = format!(
        "x='{}1{}'; echo $((x))",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    assert_eq!(
        run(&script, Limits::default()).status,
        Err(ShellError::NestingLimit { limit: 150 })
    );
}

#[test]
fn eval_recursion_hits_the_depth_limit() {
    assert_eq!(
        run("f() { eval f; }; f", Limits::default()).status,
        Err(ShellError::DepthLimit { limit: 200 })
    );
}

#[test]
fn substitution_recursion_hits_the_depth_limit() {
    assert_eq!(
        run("f() { echo $(f); }; f", Limits::default()).status,
        Err(ShellError::DepthLimit { limit: 200 })
    );
}

#[test]
fn huge_here_document_within_limits_works() {
    let body = "x".repeat(1 << 20);
    let o = run(&format!("fcount <<EOF\n{body}\nEOF"), Limits::default());
    assert_eq!(o.stdout, format!("{}\n", (1 << 20) + 1));
}

#[test]
fn script_past_its_size_limit_is_typed() {
    let limits = Limits {
        max_script_bytes: 1 << 20,
        ..Limits::default()
    };
    let body = "x".repeat(2 << 20);
    let o = run(&format!("fcat <<EOF\n{body}\nEOF"), limits);
    assert!(
        matches!(o.status, Err(ShellError::ScriptTooLarge { .. })),
        "{:?}",
        o.status
    );
}

#[test]
fn here_document_growing_past_the_budget_is_typed() {
    let limits = Limits {
        max_memory: 4 << 20,
        ..Limits::default()
    };
    let o = run(
        "x=aaaaaaaaaaaaaaaa; i=0; while [ $i -lt 30 ]; do x=$x$x; i=$((i+1)); done; fcat <<EOF\n$x\nEOF",
        limits,
    );
    assert_eq!(o.status, Err(ShellError::MemoryLimit { limit: 4 << 20 }));
}

#[test]
fn globbing_a_hundred_thousand_files_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..100_000 {
        std::fs::File::create(dir.path().join(format!("f{i}"))).unwrap();
    }
    let o = run_in(dir.path(), "set -- *; echo $#", Limits::default());
    assert_eq!(o.stdout, "100000\n");
    let small = Limits {
        max_glob_entries: 50_000,
        ..Limits::default()
    };
    let o = run_in(dir.path(), "set -- *; echo $#", small);
    assert!(
        o.stderr.contains("too many directory entries"),
        "{}",
        o.stderr
    );
}

#[test]
fn globstar_over_a_wide_tree_is_bounded_by_the_entry_limit() {
    let dir = tempfile::tempdir().unwrap();
    for d in 0..50 {
        let sub = dir.path().join(format!("d{d}"));
        std::fs::create_dir(&sub).unwrap();
        for f in 0..50 {
            std::fs::File::create(sub.join(format!("f{f}"))).unwrap();
        }
    }
    let script = "shopt -s globstar; set -- **; echo $#";
    let o = run_in(dir.path(), script, Limits::default());
    assert_eq!(o.stdout, "2550\n", "{}", o.stderr);
    let small = Limits {
        max_glob_entries: 1_000,
        ..Limits::default()
    };
    let o = run_in(dir.path(), script, small);
    assert!(
        o.stderr.contains("too many directory entries"),
        "{}",
        o.stderr
    );
}

#[test]
fn globstar_lists_a_symlink_loop_without_entering_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("a/up")).unwrap();
    let o = run_in(dir.path(), "shopt -s globstar; echo **", Limits::default());
    assert_eq!(o.stdout, "a a/up\n", "{}", o.stderr);
}

#[test]
fn an_err_trap_that_fails_never_fires_itself() {
    let script = "set -E; f() { false; }; trap 'echo trap; f; false' ERR; false; f; echo end";
    let o = run(script, Limits::default());
    assert_eq!(o.stdout, "trap\ntrap\ntrap\nend\n", "{}", o.stderr);
}

#[test]
fn writing_into_a_read_only_mount_fails_typed() {
    let rw = tempfile::tempdir().unwrap();
    let ro = tempfile::tempdir().unwrap();
    let stop = Stop::new();
    let mut os = FakeOs::new(rw.path(), stop.clone());
    os.fs = SandboxFs::new(&[
        Preopen {
            host: rw.path().into(),
            guest: "/work".into(),
            read_only: false,
        },
        Preopen {
            host: ro.path().into(),
            guest: "/ro".into(),
            read_only: true,
        },
    ])
    .unwrap();
    let o = run_shell(
        Arc::new(os),
        &[
            "bash",
            "-c",
            "echo x > /ro/f; echo $?; echo y >> /ro/g; echo $?",
        ],
        "/work",
        &[],
        b"",
        Limits::default(),
        stop,
    );
    assert_eq!(o.stdout, "1\n1\n");
    assert!(
        o.stderr.contains("/ro/f: Read-only file system"),
        "{}",
        o.stderr
    );
    assert!(!ro.path().join("f").exists());
}

#[test]
fn cd_past_the_mount_root_stays_inside() {
    let o = run(
        "cd ..; echo $?; pwd; cd /work/../..; echo $?; pwd",
        Limits::default(),
    );
    assert_eq!(o.stdout, "1\n/work\n1\n/work\n");
    assert!(
        o.stderr.contains("cd: ..: No such file or directory"),
        "{}",
        o.stderr
    );
}

#[test]
fn paths_outside_the_mounts_do_not_exist() {
    let o = run(
        "fcat < /etc/passwd; echo $?; fcat < ../../etc/passwd; echo $?; [ -e /etc/passwd ]; echo $?",
        Limits::default(),
    );
    assert_eq!(o.stdout, "1\n1\n1\n");
}

#[test]
fn symlink_escapes_are_denied() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/", dir.path().join("root")).unwrap();
    let o = run_in(
        dir.path(),
        "fcat < root/etc/passwd; echo $?; echo x > root/tmp/owned; echo $?",
        Limits::default(),
    );
    assert_eq!(o.stdout, "1\n1\n");
    assert!(o.stderr.contains("Permission denied"), "{}", o.stderr);
}

#[test]
fn output_flood_into_a_closed_reader_ends() {
    let o = run(
        "while :; do echo yyyyyyyyyyyyyyyy; done | fexit 0; echo done",
        Limits::default(),
    );
    assert_eq!(o.stdout, "done\n");
}
