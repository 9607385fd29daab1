//! `child_process` of JS guests through a real sidecar: children are guests of the same exec
//! (WASI commands, `node`, `sh -c`), with streamed stdio, exit codes and signals, the *Sync
//! forms, and the hostile cases: a fork bomb ends typed (`PROCESS_LIMIT`) while a victim exec
//! beside it finishes, and killing the parent ends its children.

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::support::{node, run, sidecar, stdout, typed};

fn error_code(out: &Output) -> Option<ErrorCode> {
    out.status.error.as_ref().map(|e| e.code)
}

#[tokio::test(flavor = "multi_thread")]
async fn spawn_streams_stdin_to_a_command_and_its_output_back() {
    let sc = sidecar().await;
    let js = "const c = require('child_process').spawn('sort', ['-r']); let o = '';\
              c.stdout.on('data', d => o += d);\
              c.on('close', (code, sig) => console.log(JSON.stringify([o, code, sig])));\
              c.stdin.end('b\\na\\nc\\n');";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "[\"c\\nb\\na\\n\",0,null]\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_runs_a_shell_command_with_its_status_and_stderr() {
    let sc = sidecar().await;
    let js = "require('child_process').exec('echo $((6*7)); echo oops >&2; exit 3', \
              (e, so, se) => console.log(JSON.stringify([e && e.code, so, se])))";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "[3,\"42\\n\",\"oops\\n\"]\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sync_forms_block_until_the_child_ends() {
    let sc = sidecar().await;
    let js = "const cp = require('child_process');\
              const r = cp.spawnSync('node', ['-e', 'process.stdin.pipe(process.stdout)'], \
                                     {input: 'echoed'});\
              console.log(r.status, String(r.stdout));\
              console.log(cp.execSync('printf %s abc | tr a-z A-Z').toString());\
              try { cp.execFileSync('sh', ['-c', 'exit 4'], {stdio: 'pipe'}) } \
              catch (e) { console.log('status', e.status) }";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "0 echoed\nABC\nstatus 4\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_command_is_an_enoent_error_event() {
    let sc = sidecar().await;
    let js = "const cp = require('child_process');\
              cp.spawn('no-such-command').on('error', e => console.log(e.code, e.syscall));\
              console.log(cp.spawnSync('no-such-command').error.code);";
    let out = run(&sc, node(js)).await;
    assert_eq!(
        stdout(&out),
        "ENOENT\nENOENT spawn no-such-command\n",
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_signals_a_child_and_its_exit_names_the_signal() {
    let sc = sidecar().await;
    let js = "const c = require('child_process').spawn('node', ['-e', 'setInterval(() => {}, 1000)']);\
              c.on('exit', (code, sig) => console.log(code, sig, c.killed));\
              setTimeout(() => c.kill('SIGKILL'), 100);";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "null SIGKILL true\n", "{out:?}");
}

/// Runs `bomb` beside a victim exec: the victim finishes with its output, and the bomb ends typed
/// `PROCESS_LIMIT` with a message containing `message_part`.
async fn bomb_ends_typed(sc: &Sidecar, bomb: ExecSpec, message_part: &str) {
    let victim = ExecSpec::new(["sh", "-c", "for i in 1 2 3; do echo $i; done | wc -l"]);
    let (out, victim) = tokio::join!(run(sc, bomb), run(sc, victim));
    assert_eq!(stdout(&victim).trim(), "3", "victim: {victim:?}");
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::ProcessLimit, "{out:?}");
    assert!(message.contains(message_part), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fork_bomb_ends_with_process_limit_and_a_victim_finishes() {
    let sc = sidecar().await;
    // Every generation starts two more of itself (its source travels in the environment).
    let code = format!(
        "process.env.BOMB = {src:?}; eval(process.env.BOMB)",
        src = "const cp = require('child_process'); for (let i = 0; i < 2; i++) \
               cp.spawn(process.execPath, ['-e', 'eval(process.env.BOMB)'], {stdio: 'ignore'}); \
               setInterval(() => {}, 1000);"
    );
    bomb_ends_typed(
        &sc,
        node(&code).timeout_ms(60_000),
        "child processes alive at once",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_parent_ends_its_children() {
    let sc = sidecar().await;
    let js = "const cp = require('child_process');\
              for (let i = 0; i < 3; i++) cp.spawn('node', ['-e', 'setInterval(() => {}, 1000)']);\
              console.log('started');";
    let out = run(&sc, node(js).timeout_ms(1500)).await;
    assert_eq!(stdout(&out), "started\n", "{out:?}");
    assert_eq!(error_code(&out), Some(ErrorCode::Timeout), "{out:?}");
    // The sidecar is still healthy and its children are gone: a new exec runs at once.
    let again = run(&sc, node("console.log('next')")).await;
    assert_eq!(stdout(&again), "next\n", "{again:?}");
}

/// A script command that runs the JS in `$VAR` with `node -e`.
fn node_running(var: &str) -> String {
    format!("node -e \"eval(process.env.{var})\"")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bomb_alternating_shells_and_node_ends_with_process_limit_and_a_victim_finishes() {
    // One exec, one process accounting: a script's guests and their children share the tree's
    // bounds, so generations alternating `sh` and `node` end typed like any other bomb.
    let sc = sidecar().await;
    let src = format!(
        "const cp = require('child_process'); for (let i = 0; i < 2; i++) \
         cp.spawn('sh', ['-c', {again:?}], {{stdio: 'ignore'}}); setInterval(() => {{}}, 1000);",
        again = node_running("BOMB"),
    );
    let bomb = ExecSpec::new(["sh", "-c", &node_running("BOMB")])
        .env("BOMB", src)
        .timeout_ms(60_000);
    bomb_ends_typed(&sc, bomb, "at most 8 child processes alive at once").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_but_bounded_chain_of_shells_and_node_runs_to_its_end() {
    // sh -> node 4 -> sh -> node 3 -> sh -> node 2 -> sh -> node 1: 7 processes alive at most.
    let sc = sidecar().await;
    let src = format!(
        "const d = +process.env.DEPTH; console.log(d); if (d > 1) \
         require('child_process').spawnSync('sh', ['-c', 'DEPTH=' + (d - 1) + ' ' + {again:?}], \
         {{stdio: 'inherit'}});",
        again = node_running("CHAIN"),
    );
    let chain = ExecSpec::new(["sh", "-c", &node_running("CHAIN")])
        .env("CHAIN", src)
        .env("DEPTH", "4");
    let out = run(&sc, chain).await;
    assert_eq!(stdout(&out), "4\n3\n2\n1\n", "{out:?}");
    assert_eq!(out.status.code, 0, "{out:?}");
}
