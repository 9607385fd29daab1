//! `child_process` of JS guests through a real sidecar: children are guests of the same exec
//! (WASI commands, `node`, `sh -c`), with streamed stdio, exit codes and signals, the *Sync
//! forms, and the hostile cases: a fork bomb ends typed (`PROCESS_LIMIT`) while a victim exec
//! beside it finishes, and killing the parent ends its children.

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::support::{node, run, scratch, sidecar, stdout, typed};

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
async fn a_child_a_limit_ended_says_which_on_its_stderr() {
    // Its heap limit ends the child, not the parent: code 137, and the reason on its stderr.
    let sc = sidecar().await;
    let js = "const hog = 'const a = []; for (;;) a.push(new Array(1e6).fill(1))';\
              const c = require('child_process').spawn('node', ['-e', hog]);\
              let e = ''; c.stderr.on('data', d => e += d);\
              c.on('close', (code, sig) => console.log(code, sig, JSON.stringify(e)));";
    let out = run(&sc, node(js).heap_mb(64)).await;
    let said = "137 null \"node: MEMORY_LIMIT: heap limit reached: limit heap_mb = 64";
    assert!(stdout(&out).starts_with(said), "{out:?}");
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
async fn a_command_in_a_mounted_directory_on_path_is_found() {
    let sc = sidecar().await;
    let dir = scratch("cp-path");
    let bin = dir.join("node_modules/.bin");
    std::fs::create_dir_all(&bin).expect("bin");
    std::fs::write(
        bin.join("tool"),
        "#!/usr/bin/env node\nconsole.log('tool', process.argv[2])\n",
    )
    .expect("tool");
    let mut perms = std::fs::metadata(bin.join("tool"))
        .expect("meta")
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(bin.join("tool"), perms).expect("chmod");
    let js = "const cp = require('child_process');\
              const env = { PATH: '/w/node_modules/.bin:/usr/bin:/bin' };\
              process.stdout.write(cp.execFileSync('tool', ['direct'], { env }));\
              process.stdout.write(cp.execSync('tool shell', { env }));\
              console.log(cp.spawnSync('tool', { env: { PATH: '/usr/bin' } }).error.code);";
    let out = run(&sc, node(js).dir(dir.to_str().unwrap(), "/w").cwd("/w")).await;
    assert_eq!(stdout(&out), "tool direct\ntool shell\nENOENT\n", "{out:?}");
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

/// `node main.js` where main.js forks itself: `child` is the child's code, `parent` the
/// parent's (with `child` in scope as the forked process).
fn forked(name: &str, parent: &str, child: &str) -> ExecSpec {
    let dir = scratch(name);
    let main = format!(
        "const cp = require('child_process');\n\
         if (process.argv[2] === 'child') {{ {child} }}\n\
         else {{ const child = cp.fork(__filename, ['child']); {parent} }}\n"
    );
    std::fs::write(dir.join("main.js"), main).expect("write main.js");
    ExecSpec::new(["node", "main.js"])
        .dir(dir.to_str().expect("UTF-8 path"), "/w")
        .cwd("/w")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forked_child_and_its_parent_exchange_messages_then_disconnect() {
    let sc = sidecar().await;
    let child = "process.on('message', (m) => process.send({ echo: m, env: process.env.NODE_CHANNEL_FD }));\
                 process.on('disconnect', () => console.log('child: disconnect'));";
    let parent = "const got = [];\
                  child.on('message', (m) => { got.push(m); if (got.length < 3) child.send(got.length); \
                                               else child.disconnect(); });\
                  child.on('disconnect', () => console.log('parent: disconnect', JSON.stringify(got)));\
                  child.on('exit', (code) => console.log('exit', code, child.connected));\
                  child.send('start');";
    let out = run(&sc, forked("fork-exchange", parent, child)).await;
    let printed = stdout(&out);
    assert_eq!(out.status.code, 0, "{out:?}");
    // The child's line comes through its own stdout: anywhere before the exit.
    let mut lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.pop(), Some("exit 0 false"), "{printed}");
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "child: disconnect",
            "parent: disconnect [{\"echo\":\"start\"},{\"echo\":1},{\"echo\":2}]"
        ],
        "{printed}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_child_flooding_its_parent_with_messages_loses_none_beside_a_victim() {
    // 20 000 messages of 1 KiB sent in one synchronous loop: the child waits whenever the
    // parent has 4 MiB untaken, and every message arrives once, in order.
    let sc = sidecar().await;
    let child = "const pad = 'x'.repeat(1024);\
                 for (let i = 0; i < 20000; i++) process.send({ i, pad });";
    let parent = "let next = 0, bad = 0;\
                  child.on('message', (m) => { if (m.i !== next++) bad++; });\
                  child.on('exit', (code) => console.log(code, next, bad));";
    let out = crate::support::beside_a_victim(&sc, forked("fork-flood-up", parent, child)).await;
    assert_eq!(stdout(&out), "0 20000 0\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parent_flooding_a_busy_child_waits_and_loses_none_beside_a_victim() {
    // 5 MiB of messages to a child that is busy for 300 ms: past the child's 1 MiB window the
    // parent queues and retries; the child then gets every message, in order.
    let sc = sidecar().await;
    let child = "const until = Date.now() + 300; while (Date.now() < until);\
                 let next = 0, bad = 0;\
                 process.on('message', (m) => { if (m.i !== next++) bad++;\
                   if (next === 5000) { process.send([next, bad]); process.disconnect(); } });";
    let parent = "const pad = 'y'.repeat(1024); let full = 0;\
                  for (let i = 0; i < 5000; i++) if (!child.send({ i, pad })) full++;\
                  child.on('message', (m) => console.log(JSON.stringify(m), full > 0));";
    let out = crate::support::beside_a_victim(&sc, forked("fork-flood-down", parent, child)).await;
    assert_eq!(stdout(&out), "[5000,0] true\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forked_child_ends_once_it_stops_listening_for_messages() {
    // Its channel keeps it alive only while a 'message' listener is there (removed here after
    // the first message, as a `once` listener would be).
    let sc = sidecar().await;
    let child = "process.once('message', (m) => process.send(m + 1));";
    let parent = "child.on('message', (m) => console.log('reply', m));\
                  child.on('exit', (code) => console.log('exit', code));\
                  child.send(41);";
    let out = run(&sc, forked("fork-once", parent, child)).await;
    assert_eq!(stdout(&out), "reply 42\nexit 0\n", "{out:?}");
}
