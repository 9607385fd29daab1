//! Process ids through a real sidecar: one number space per exec tree, so the pid a parent is
//! given (`child.pid`, `$!`, `spawnSync().pid`) is the child's own (`process.pid`, `$$`), and
//! its `ppid`/`$PPID` is its parent's; `process.kill(pid)` reaches the guest's own children
//! and nothing else (another exec's guests have the same numbers in a space of their own).

use agentos_sdk::ExecSpec;

use crate::support::{beside_a_victim, node, run, sidecar, stdout};

fn bash(script: &str) -> ExecSpec {
    ExecSpec::new(["bash", "-c", script])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_child_process_sees_the_pid_its_parent_was_given() {
    let sc = sidecar().await;
    let js = "const c = require('child_process')\
                .spawn('node', ['-e', 'console.log(process.pid, process.ppid)']);\
              let o = ''; c.stdout.on('data', d => o += d);\
              c.on('close', () => console.log(process.pid, c.pid, o.trim()));";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "1 2 2 1\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn spawn_sync_reports_the_pid_of_its_child() {
    let sc = sidecar().await;
    let js = "const cp = require('child_process');\
              cp.spawnSync('true');\
              const r = cp.spawnSync('sh', ['-c', 'echo $$ $PPID']);\
              console.log(r.pid, String(r.stdout).trim());";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "3 3 1\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_background_command_has_the_pid_dollar_bang_names() {
    let sc = sidecar().await;
    let script = "echo $$ $PPID; node -e 'console.log(process.pid, process.ppid)' & \
                  echo $!; wait";
    let out = run(&sc, bash(script)).await;
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3, "{out:?}");
    let bang = &lines[1];
    assert_eq!(lines[0], "1 0", "{out:?}");
    assert_eq!(lines[2], format!("{bang} 1"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ppid_is_read_only_in_bash() {
    let sc = sidecar().await;
    let out = run(&sc, bash("PPID=5; echo unreachable")).await;
    assert_eq!(out.status.code, 1, "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("PPID: readonly variable"));
}

#[tokio::test(flavor = "multi_thread")]
async fn process_kill_signals_a_child_by_its_pid() {
    let sc = sidecar().await;
    let js = "const c = require('child_process').spawn('sleep', ['30']);\
              console.log(process.kill(c.pid, 0));\
              c.on('exit', (code, sig) => {\
                console.log(code, sig);\
                try { process.kill(c.pid, 0) } catch (e) { console.log(e.code, e.syscall) }\
              });\
              setTimeout(() => console.log(process.kill(c.pid, 'SIGTERM')), 50);";
    let out = run(&sc, node(js)).await;
    assert_eq!(
        stdout(&out),
        "true\ntrue\nnull SIGTERM\nESRCH kill\n",
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn child_kill_with_signal_zero_only_probes() {
    let sc = sidecar().await;
    let js = "const c = require('child_process').spawn('node', ['-e', 'console.log(\"ran\")']);\
              console.log(c.kill(0));\
              c.stdout.pipe(process.stdout);\
              c.on('exit', (code, sig) => console.log(code, sig));";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "true\nran\n0 null\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn process_kill_of_an_unknown_signal_is_a_type_error() {
    let sc = sidecar().await;
    let js = "try { process.kill(process.pid, 'SIGNOPE') } catch (e) { console.log(e.code) }";
    let out = run(&sc, node(js)).await;
    assert_eq!(stdout(&out), "ERR_UNKNOWN_SIGNAL\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_killing_every_pid_reaches_no_other_exec_beside_a_victim() {
    // The victim runs its own child (pid 2 of its tree); the hostile guest sends SIGKILL to
    // every pid it can name: only its own child dies.
    let sc = sidecar().await;
    let victim = "const c = require('child_process').spawn('node', ['-e', \
                  'setTimeout(() => console.log(\"child done\"), 300)']);\
                  c.stdout.pipe(process.stdout);";
    let hostile = "const c = require('child_process').spawn('sleep', ['30']);\
                   let hit = 0;\
                   for (let pid = 2; pid < 100000; pid++) {\
                     try { process.kill(pid, 'SIGKILL'); hit++ } catch (e) {\
                       if (e.code !== 'ESRCH') throw e } }\
                   c.on('exit', (code, sig) => console.log(hit, sig));";
    let (out, victim) = tokio::join!(beside_a_victim(&sc, node(hostile)), run(&sc, node(victim)));
    assert_eq!(stdout(&out), "1 SIGKILL\n", "{out:?}");
    assert_eq!(stdout(&victim), "child done\n", "{victim:?}");
}
