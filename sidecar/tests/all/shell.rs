//! `sh`/`bash` execs through a real sidecar: pipes between guests, the exec's stdin, limits
//! over the whole script, commands named by guest paths, and hostile scripts that must end
//! typed while a victim exec beside them finishes normally.

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::support::{run, scratch, sidecar, stderr, stdout};

fn sh(script: &str) -> ExecSpec {
    ExecSpec::new(["sh", "-c", script])
}

fn bash(script: &str) -> ExecSpec {
    ExecSpec::new(["bash", "-c", script])
}

pub(crate) fn error_code(out: &Output) -> Option<ErrorCode> {
    out.status.error.as_ref().map(|e| e.code)
}

/// Runs `hostile` and, beside it, a victim that must finish normally.
pub(crate) async fn with_victim(sc: &Sidecar, hostile: ExecSpec) -> Output {
    let victim = bash("for i in 1 2 3; do echo $i; done | wc -l");
    let (out, victim) = tokio::join!(run(sc, hostile), run(sc, victim));
    assert_eq!(stdout(&victim).trim(), "3", "victim: {victim:?}");
    assert_eq!(victim.status.code, 0);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pipeline_of_guests_passes_bytes_through() {
    let sc = sidecar().await;
    let out = run(&sc, sh("seq 1 2000 | sort -rn | head -3 | tr '\\n' ,")).await;
    assert_eq!(stdout(&out), "2000,1999,1998,", "{out:?}");
    assert_eq!(out.status.code, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exec_stdin_is_the_script_stdin() {
    let sc = sidecar().await;
    let spec = sh("read first; echo \"first=$first\"; cat | tr a-z A-Z").stdin("one\ntwo\nthree\n");
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "first=one\nTWO\nTHREE\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_js_guest_reads_a_pipe_and_writes_one() {
    let sc = sidecar().await;
    let js = "process.stdin.on('data', d => process.stdout.write(String(d).toUpperCase()))";
    let out = run(
        &sc,
        sh(&format!("printf 'abc\\n' | node -e \"{js}\" | cat")),
    )
    .await;
    assert_eq!(stdout(&out), "ABC\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bytes_that_are_not_utf8_reach_a_node_guest_as_replacement_characters() {
    let sc = sidecar().await;
    let js = "process.stdout.write(JSON.stringify([process.argv[1], process.env.B]))";
    let out = run(
        &sc,
        bash(&format!("B=$'\\xe9' node -e '{js}' $'a\\xe9\\xffb'")),
    )
    .await;
    assert_eq!(
        stdout(&out),
        "[\"a\u{FFFD}\u{FFFD}b\",\"\u{FFFD}\"]",
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn find_exec_passes_a_file_name_that_is_not_utf8_through_unchanged() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("sh-raw-name");
    std::fs::write(dir.join(std::ffi::OsStr::from_bytes(b"lat\xe9")), "x").unwrap();
    let sc = sidecar().await;
    let script = "cd /w && find . -name 'lat*' -exec printf '%s|' {} \\; -exec sh -c 'printf %s \"$1\"' _ {} \\;";
    let spec = bash(script).dir(dir.to_str().unwrap(), "/w");
    let out = run(&sc, spec).await;
    assert_eq!(out.stdout, b"./lat\xe9|./lat\xe9", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_exits_early_kills_the_writer_with_sigpipe() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        bash("set -o pipefail; yes | head -2; echo \"status=$?\""),
    )
    .await;
    assert_eq!(stdout(&out), "y\ny\nstatus=141\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_commands_and_unrunnable_paths_have_bash_statuses() {
    let sc = sidecar().await;
    let dir = scratch("sh-paths");
    std::fs::write(dir.join("data.txt"), "x").expect("fixture");
    let spec = sh("nosuch; echo $?; ./data.txt; echo $?; ./missing; echo $?")
        .dir(dir.to_string_lossy(), "/w")
        .cwd("/w");
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "127\n126\n127\n", "{out:?}");
    assert!(
        stderr(&out).contains("nosuch: command not found"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_named_by_guest_path_run_from_the_mounts() {
    let sc = sidecar().await;
    let dir = scratch("sh-guest-cmds");
    let echo = crate::support::command_file("echo");
    std::fs::copy(echo, dir.join("tool.wasm")).expect("copy a command");
    std::fs::write(dir.join("s.sh"), "#!/bin/sh\necho \"script $1\"\n").expect("script");
    std::fs::write(
        dir.join("j.js"),
        "#!/usr/bin/env node\nconsole.log('js', process.argv[2])\n",
    )
    .expect("js script");
    for f in ["tool.wasm", "s.sh", "j.js"] {
        set_executable(&dir.join(f));
    }
    let spec = sh("./tool.wasm from-wasm; ./s.sh a; /w/j.js b; command -v ./s.sh")
        .dir(dir.to_string_lossy(), "/w")
        .cwd("/w");
    let out = run(&sc, spec).await;
    assert_eq!(
        stdout(&out),
        "from-wasm\nscript a\njs b\n./s.sh\n",
        "{out:?}"
    );
}

fn set_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path).expect("stat").permissions();
    perms.set_mode(0o755);
    std::fs::set_permissions(path, perms).expect("chmod");
}

#[tokio::test(flavor = "multi_thread")]
async fn writing_into_a_read_only_mount_fails_like_bash() {
    let sc = sidecar().await;
    let dir = scratch("sh-ro");
    let spec = bash("echo x > /ro/f; echo \"status=$?\"").dir_ro(dir.to_string_lossy(), "/ro");
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "status=1\n", "{out:?}");
    assert!(stderr(&out).contains("Read-only file system"), "{out:?}");
    assert!(!dir.join("f").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_a_limit_ended_says_which_on_its_stderr() {
    // The guest's heap limit ends the command, not the script: status 137 as for a kill,
    // and the reason on the command's stderr.
    let sc = sidecar().await;
    let hog = "node -e 'const a = []; for (;;) a.push(new Array(1e6).fill(1))'";
    let out = run(&sc, sh(&format!("{hog}; echo status=$?")).heap_mb(64)).await;
    assert_eq!(
        (stdout(&out).as_str(), error_code(&out)),
        ("status=137\n", None)
    );
    let said = "node: MEMORY_LIMIT: heap limit reached: limit heap_mb = 64";
    assert!(stderr(&out).contains(said), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_ends_every_process_of_the_script() {
    let sc = sidecar().await;
    let spec = sh("node -e 'setInterval(() => {}, 1000)' | cat & sleep 60 & echo started; wait");
    let handle = sc.exec(spec).await.expect("exec accepted");
    let mut out = handle.take_stdout().expect("stdout");
    let first = out.next_chunk().await.expect("started");
    assert_eq!(&first[..], b"started\n");
    handle.kill(9).await.expect("kill sent");
    let status = tokio::time::timeout(crate::support::HANG, handle.wait())
        .await
        .expect("a killed script ends")
        .expect("status");
    assert_eq!((status.code, status.signal), (137, Some(9)));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wall_time_limit_covers_the_whole_script() {
    let sc = sidecar().await;
    let out = with_victim(&sc, sh("sleep 1; sleep 1; sleep 1").timeout_ms(300)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::Timeout), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cpu_limit_sums_every_process() {
    let sc = sidecar().await;
    let spin = "node -e 'for(;;);'";
    let script = format!("{spin} & {spin} & {spin} & wait");
    let out = with_victim(&sc, sh(&script).cpu_ms(600).timeout_ms(60_000)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::CpuLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_output_limit_counts_every_process() {
    let sc = sidecar().await;
    let spec = sh("yes a | head -c 30000; yes b").max_output_bytes(50_000);
    let out = with_victim(&sc, spec).await;
    assert_eq!(error_code(&out), Some(ErrorCode::OutputLimit), "{out:?}");
    assert!(out.stdout.len() <= 50_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fork_bomb_ends_with_process_limit() {
    let sc = sidecar().await;
    let out = with_victim(&sc, bash("f() { f | f; }; f").timeout_ms(60_000)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::ProcessLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_background_fork_bomb_ends_with_its_script() {
    // Background jobs never outlive the script: when `f` returns, what it started is killed.
    let sc = sidecar().await;
    let out = with_victim(
        &sc,
        bash("f() { f | f & }; f; echo done").timeout_ms(60_000),
    )
    .await;
    assert!(stdout(&out).ends_with("done\n"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bomb_of_nested_shells_ends_with_process_limit() {
    let sc = sidecar().await;
    let dir = scratch("sh-nested-bomb");
    std::fs::write(dir.join("b.sh"), "sh /w/b.sh & sh /w/b.sh\nwait\n").expect("script");
    let spec = sh("sh /w/b.sh")
        .dir(dir.to_string_lossy(), "/w")
        .timeout_ms(60_000);
    let out = with_victim(&sc, spec).await;
    assert_eq!(error_code(&out), Some(ErrorCode::ProcessLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unbounded_recursion_ends_with_script_limit() {
    let sc = sidecar().await;
    let out = with_victim(&sc, bash("f() { f; }; f")).await;
    assert_eq!(error_code(&out), Some(ErrorCode::ScriptLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interpreter_loop_ends_at_the_cpu_limit() {
    let sc = sidecar().await;
    let out = with_victim(
        &sc,
        sh("while :; do :; done").cpu_ms(300).timeout_ms(60_000),
    )
    .await;
    assert_eq!(error_code(&out), Some(ErrorCode::CpuLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_capture_ends_with_memory_limit() {
    let sc = sidecar().await;
    let out = with_victim(&sc, sh("x=$(yes | head -c 200000000); echo ${#x}")).await;
    assert_eq!(error_code(&out), Some(ErrorCode::MemoryLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_array_growing_without_bound_ends_with_memory_limit() {
    let sc = sidecar().await;
    let script = "x=$(printf '%0100000d' 0); while :; do a+=(\"$x\"); done";
    let out = with_victim(&sc, bash(script).timeout_ms(60_000)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::MemoryLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn mapfile_of_an_endless_stream_ends_with_memory_limit() {
    let sc = sidecar().await;
    let out = with_victim(&sc, bash("yes 0123456789 | mapfile lines; echo unreached")).await;
    assert_eq!(error_code(&out), Some(ErrorCode::MemoryLimit), "{out:?}");
    assert!(!stdout(&out).contains("unreached"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_associative_array_ends_with_memory_limit() {
    let sc = sidecar().await;
    let script = "v=x; for j in {1..12}; do v=$v$v; done; declare -A a; i=0
        while :; do a[key$i]=$v; ((i++)); done; echo unreached";
    let out = with_victim(&sc, bash(script).timeout_ms(60_000)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::MemoryLimit), "{out:?}");
    assert!(!stdout(&out).contains("unreached"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_output_process_substitution_gets_everything_before_the_command_ends() {
    let sc = sidecar().await;
    let script = "seq 1 20000 > >(wc -l); echo after";
    let out = run(&sc, bash(script)).await;
    assert_eq!(stdout(&out), "20000\nafter\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_process_substitution_ends_when_its_reader_stops() {
    let sc = sidecar().await;
    let script = "head -c 5 < <(yes); echo; read -r l < <(yes line); echo $l";
    let out = with_victim(&sc, bash(script).timeout_ms(30_000)).await;
    assert_eq!(stdout(&out), "y\ny\ny\nline\n", "{out:?}");
    assert_eq!(out.status.code, 0, "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_array_subscript_is_one_sparse_element() {
    let sc = sidecar().await;
    let script = "a[9223372036854775807]=x; a[-1]+=y; echo ${#a[@]} ${!a[@]} ${a[-1]}";
    let out = run(&sc, bash(script)).await;
    assert_eq!(stdout(&out), "1 9223372036854775807 xy\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_use_dev_null_stdin_stdout_stderr_zero_and_urandom() {
    let sc = sidecar().await;
    let dir = scratch("sh-dev");
    let script = "cat /dev/null; echo gone > /dev/null; echo in | cat /dev/stdin
        echo fd0 | cat /dev/fd/0; echo both | tee /dev/stderr; head -c 5 /dev/zero | wc -c
        head -c 8 /dev/urandom | wc -c; cp /dev/null empty && wc -c < empty; ls /dev | tr '\\n' ' '";
    let spec = sh(script).dir(dir.to_string_lossy(), "/w").cwd("/w");
    let out = run(&sc, spec).await;
    let listing = "fd full null random stderr stdin stdout urandom zero ";
    let want = format!("in\nfd0\nboth\n5\n8\n0\n{listing}");
    assert_eq!(
        (stdout(&out), stderr(&out)),
        (want, "both\n".into()),
        "{out:?}"
    );
    assert_eq!(out.status.code, 0, "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_without_a_root_mount_still_has_a_read_only_root() {
    let sc = sidecar().await;
    let dir = scratch("sh-root");
    std::fs::write(dir.join("a.txt"), "alpha\n").expect("fixture");
    let script = "ls /; ls /work; mv a.txt b.txt && cat b.txt; touch /x; echo $?";
    let spec = sh(script)
        .dir(dir.to_string_lossy(), "/work/p")
        .cwd("/work/p");
    let out = run(&sc, spec).await;
    assert_eq!(
        stdout(&out),
        "bin\ndev\netc\ntmp\nusr\nwork\np\nalpha\n1\n",
        "{out:?}"
    );
    assert!(stderr(&out).contains("Read-only file system"), "{out:?}");
    assert!(dir.join("b.txt").exists());
}

/// `spec` with a mount (a guest without one has no `/`, so no `/dev/fd/N` to open).
fn mounted(spec: ExecSpec) -> ExecSpec {
    let dir = scratch("sh-procsub");
    spec.dir(dir.to_string_lossy(), "/work").cwd("/work")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_reads_process_substitutions_named_as_arguments() {
    let sc = sidecar().await;
    let node = "node -e 'process.stdout.write(require(\"fs\").readFileSync(process.argv[1]))'";
    let script = format!("paste -d: <(seq 2) <(echo a; echo b); {node} <(echo from-js)");
    let out = run(&sc, mounted(bash(&script))).await;
    assert_eq!(stdout(&out), "1:a\n2:b\nfrom-js\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_writes_an_output_process_substitution_named_as_an_argument() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        mounted(bash("{ seq 1 5000 | tee >(wc -l) > /dev/null; } | cat")),
    )
    .await;
    assert_eq!(stdout(&out), "5000\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_that_never_opens_a_substitution_leaves_it_to_the_next() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        mounted(bash(
            "f() { ls \"$1\" > /dev/null; cat \"$1\"; }; f <(seq 3)",
        )),
    )
    .await;
    assert_eq!(stdout(&out), "1\n2\n3\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_argument_substitution_ends_with_its_reader_or_its_command() {
    let sc = sidecar().await;
    let script = "head -c 5 <(yes); echo; head -n 1 <(yes line); ls <(yes) > /dev/null; echo done";
    let out = with_victim(&sc, mounted(bash(script).timeout_ms(30_000))).await;
    assert_eq!(stdout(&out), "y\ny\ny\nline\ndone\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_blocked_on_a_silent_substitution_ends_at_the_time_limit() {
    let sc = sidecar().await;
    let out = with_victim(
        &sc,
        mounted(bash("cat <(sleep 100); echo unreached").timeout_ms(500)),
    )
    .await;
    assert_eq!(error_code(&out), Some(ErrorCode::Timeout), "{out:?}");
    assert!(!stdout(&out).contains("unreached"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn more_substitutions_than_fds_fail_the_command_with_status_1() {
    let sc = sidecar().await;
    let script = format!("cat {}; echo \"status $?\"", "<(true) ".repeat(60));
    let out = with_victim(&sc, mounted(bash(&script))).await;
    assert_eq!(stdout(&out), "status 1\n", "{out:?}");
    assert!(
        stderr(&out).contains("too many process substitutions"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn time_reports_wall_time_and_the_cpu_its_guests_used() {
    let sc = sidecar().await;
    // A fixed amount of work (about 0.17 s of CPU here), whatever the machine's load.
    let work = "node -e 'let x = 0; for (let i = 0; i < 1e8; i++) x += i % 7; console.log(x)'";
    let out = run(&sc, bash(&format!("TIMEFORMAT='%R %U'; time {work}"))).await;
    let text = stderr(&out);
    let times: Vec<f64> = (text.split_whitespace())
        .filter_map(|t| t.parse().ok())
        .collect();
    let [real, user] = times[..] else {
        panic!("{out:?}");
    };
    assert!(user >= 0.05 && user <= real + 0.02, "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pathological_extended_pattern_stops_at_its_budget_as_no_match() {
    let sc = sidecar().await;
    let script = "shopt -s extglob
        x=$(printf 'a%.0s' {1..3000})b
        [[ $x == +(a|aa|aaa) ]] && echo match || echo 'no match'
        echo \"${x//+(a|aa)b/-}\" | wc -c";
    let out = with_victim(&sc, bash(script)).await;
    // Both give up within their budget: no match, so nothing is replaced (3001 bytes and a
    // newline); bash itself spins on them.
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "no match\n3002\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pattern_removal_and_replacement_over_a_long_value_take_one_pass_per_start() {
    let sc = sidecar().await;
    // 20 000 characters: trying every (start, end) pair would not end before the test's hang
    // bound; one pass per start takes milliseconds.
    let script = "y=$(printf 'a%.0s' {1..20000})
        echo \"${y//a*b/-}\" | wc -c
        echo \"${y%%a*}|${y##*a}|${y/%a/b}\" | wc -c";
    let out = with_victim(&sc, bash(script)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "20001\n20003\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chain_of_aliases_deeper_than_the_nesting_limit_ends_typed() {
    let sc = sidecar().await;
    let script = r#"i=1; while [ $i -lt 400 ]; do alias a$i="a$((i+1))"; i=$((i+1)); done
        alias a400='echo bottom'; a1; echo not reached"#;
    let out = with_victim(&sc, sh(script)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::ScriptLimit), "{out:?}");
    assert!(stderr(&out).contains("depth limit"), "{}", stderr(&out));
}
