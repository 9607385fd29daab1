//! Signals a JS guest handles itself (`process.on('SIGTERM', ...)`) through a real sidecar: the
//! host's `Kill`, a parent's `child.kill`, a script's `kill` and `process.kill(process.pid)`
//! reach the guest's listeners instead of ending it; SIGKILL and the limits still end it, so a
//! guest that ignores every signal cannot outlive its host's will. A script's `trap` takes the
//! signals it names the same way (`shell/src/builtins/trap.rs`).

use agentos_sdk::{ExecSpec, ExitStatus, Sidecar};

use crate::support::{HANG, node, run, scratch, sidecar, stdout};

/// A guest that prints `ready` once its SIGTERM listener is in place, then idles.
const LISTENS: &str = "process.on('SIGTERM', (name, n) => { console.log('got', name, n);\
                        process.exit(7) });\
                       setInterval(() => {}, 1000); console.log('ready')";

/// Starts `spec` and waits for its first line, `ready`.
async fn started(sc: &Sidecar, spec: ExecSpec) -> agentos_sdk::ExecHandle {
    let exec = sc.exec(spec).await.expect("accepted");
    let mut out = exec.take_stdout().expect("stdout");
    let ready = tokio::time::timeout(HANG, out.next_chunk())
        .await
        .expect("no line");
    assert_eq!(ready.as_deref(), Some(&b"ready\n"[..]));
    exec
}

/// Starts `spec`, waits for its first line, then sends `signal`; its stdout and status.
async fn signalled_when_ready(sc: &Sidecar, spec: ExecSpec, signal: u32) -> (String, ExitStatus) {
    let exec = sc.exec(spec).await.expect("accepted");
    let mut out = exec.take_stdout().expect("stdout");
    let first = tokio::time::timeout(HANG, out.next_chunk())
        .await
        .expect("no line");
    exec.kill(signal).await.expect("kill");
    let rest = tokio::time::timeout(HANG, out.read_to_end())
        .await
        .expect("hung");
    let status = tokio::time::timeout(HANG, exec.wait()).await.expect("hung");
    let mut text = String::from_utf8_lossy(&first.unwrap_or_default()).into_owned();
    text.push_str(&String::from_utf8_lossy(&rest));
    (text, status.expect("status"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sigterm_listener_runs_on_the_hosts_kill() {
    let sc = sidecar().await;
    let (out, ExitStatus { code, .. }) = signalled_when_ready(&sc, node(LISTENS), 15).await;
    assert_eq!((out.as_str(), code), ("ready\ngot SIGTERM 15\n", 7));
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_ends_a_guest_that_listens_for_signals() {
    let sc = sidecar().await;
    let (out, ExitStatus { code, .. }) = signalled_when_ready(&sc, node(LISTENS), 9).await;
    assert_eq!((out.as_str(), code), ("ready\n", 137));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_listener_no_longer_stops_sigterm() {
    let sc = sidecar().await;
    let js = "const f = () => console.log('heard'); process.on('SIGTERM', f);\
              process.off('SIGTERM', f); setInterval(() => {}, 1000); console.log('ready')";
    let (out, ExitStatus { code, .. }) = signalled_when_ready(&sc, node(js), 15).await;
    assert_eq!((out.as_str(), code), ("ready\n", 143));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_child_hears_its_parents_kill_through_its_listener() {
    let sc = sidecar().await;
    let child = "process.on('SIGINT', (n) => { console.log('child', n); process.exit(0) });\
                 setInterval(() => {}, 1000); console.log('up')";
    let js = format!(
        "const c = require('child_process').spawn('node', ['-e', {child:?}]);\
         c.stdout.on('data', (d) => {{ process.stdout.write(d); \
           if (String(d).includes('up')) c.kill('SIGINT') }});\
         c.on('exit', (code, sig) => console.log('exit', code, sig));"
    );
    let out = run(&sc, node(&js)).await;
    assert_eq!(stdout(&out), "up\nchild SIGINT\nexit 0 null\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scripts_kill_reaches_a_node_listener() {
    // The script waits for the guest's `up` (its listener is in place) before it signals.
    let sc = sidecar().await;
    let dir = scratch("sig-script");
    let script = "node -e \"process.on('SIGUSR1', () => { console.log('usr1'); process.exit(3) });\
                  setInterval(() => {}, 1000); console.log('up')\" > /w/out &\
                  until grep -q up /w/out; do sleep 0.02; done;\
                  kill -USR1 $!; wait $!; echo status=$?; cat /w/out";
    let spec = ExecSpec::new(["bash", "-c", script]).dir(dir.to_string_lossy(), "/w");
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "status=3\nup\nusr1\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn process_kill_of_itself_runs_its_listener_on_a_later_turn() {
    // As in Node, the listener runs only if something keeps the loop alive (a timer here).
    let sc = sidecar().await;
    let js = "process.on('SIGHUP', (n) => console.log('heard', n));\
              console.log(process.kill(process.pid, 'SIGHUP')); console.log('after');\
              setTimeout(() => {}, 50)";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "true\nafter\nheard SIGHUP\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn process_kill_of_itself_without_a_listener_ends_it_by_the_signal() {
    let sc = sidecar().await;
    let out = run(&sc, node("process.kill(process.pid); console.log('after')")).await;
    assert_eq!((stdout(&out).as_str(), out.status.signal), ("", Some(15)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_ignoring_every_signal_still_ends_at_its_time_limit_beside_a_victim() {
    // It listens for every signal it may and ignores them: the host's SIGTERM is swallowed,
    // the wall-time limit is not; a victim exec runs meanwhile.
    let sc = sidecar().await;
    let js = "for (const s of ['SIGHUP','SIGINT','SIGQUIT','SIGUSR1','SIGUSR2','SIGTERM'])\
                process.on(s, () => {});\
              setInterval(() => {}, 5); console.log('ready')";
    let exec = started(&sc, node(js).timeout_ms(800)).await;
    exec.kill(15).await.expect("kill");
    let victim = run(&sc, node("console.log('victim')")).await;
    assert_eq!(stdout(&victim), "victim\n", "{victim:?}");
    let status = tokio::time::timeout(HANG, exec.wait()).await.expect("hung");
    let error = status.expect("status").error.map(|e| e.code);
    assert_eq!(error, Some(agentos_sdk::ErrorCode::Timeout));
}

/// A victim exec runs to its end while `exec` holds on; then SIGKILL ends `exec`.
async fn a_victim_runs_then_sigkill_ends_it(sc: &Sidecar, exec: agentos_sdk::ExecHandle) {
    let victim = run(sc, bash("echo victim")).await;
    assert_eq!(stdout(&victim), "victim\n", "{victim:?}");
    exec.kill(9).await.expect("kill");
    let status = tokio::time::timeout(HANG, exec.wait()).await.expect("hung");
    let status = status.expect("status");
    assert_eq!((status.code, status.signal), (137, Some(9)));
}

fn bash(script: &str) -> ExecSpec {
    ExecSpec::new(["bash", "-c", script])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_script_trapping_term_runs_its_action_when_the_host_sends_it() {
    let sc = sidecar().await;
    let script = "trap 'echo got TERM; exit 3' TERM; echo ready; while :; do sleep 0.05; done";
    let (out, ExitStatus { code, .. }) = signalled_when_ready(&sc, bash(script), 15).await;
    assert_eq!((out.as_str(), code), ("ready\ngot TERM\n", 3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_script_ignoring_every_signal_still_ends_at_sigkill_beside_a_victim() {
    // `trap ''` for every signal it may: the host's SIGTERM and SIGINT are swallowed, SIGKILL
    // is not; a victim exec runs meanwhile.
    let sc = sidecar().await;
    let script = "trap '' HUP INT QUIT USR1 USR2 TERM KILL; echo ready; while :; do :; done";
    let exec = started(&sc, bash(script)).await;
    exec.kill(15).await.expect("kill");
    exec.kill(2).await.expect("kill");
    a_victim_runs_then_sigkill_ends_it(&sc, exec).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hosts_term_runs_the_exit_trap_of_a_script_that_does_not_trap_it() {
    // As bash's process group: the command the script waits for gets TERM too (or the script
    // would wait 300 s), then the EXIT trap runs and the script dies of TERM.
    let sc = sidecar().await;
    let script = "trap 'echo cleanup' EXIT; echo ready; sleep 300; echo not reached";
    let (out, status) = signalled_when_ready(&sc, bash(script), 15).await;
    assert_eq!(out, "ready\ncleanup\n");
    assert_eq!((status.code, status.signal), (143, Some(15)), "{status:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_exit_trap_still_ends_at_sigkill_beside_a_victim() {
    let sc = sidecar().await;
    let script = "trap 'while :; do :; done' EXIT; echo ready; sleep 300";
    let exec = started(&sc, bash(script)).await;
    exec.kill(15).await.expect("kill");
    a_victim_runs_then_sigkill_ends_it(&sc, exec).await;
}
