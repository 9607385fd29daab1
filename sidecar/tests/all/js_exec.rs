//! JS guests end to end through the SDK: output, exit codes, errors, stdin, kill, volume.

use std::sync::Arc;

use agentos_sdk::{Error, ErrorCode, ExecSpec};

use crate::support::{HANG, node, run, sidecar, stderr, stdout};

#[tokio::test]
async fn console_log_prints_and_exits_zero() {
    let sc = sidecar().await;
    let out = run(&sc, node("console.log(6*7)")).await;
    assert_eq!(stdout(&out), "42\n");
    assert_eq!(out.status.code, 0);
    assert!(out.status.success());
}

#[tokio::test]
async fn process_exit_code_is_reported() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        node("console.log('a'); process.exit(3); console.log('b')"),
    )
    .await;
    assert_eq!(stdout(&out), "a\n");
    assert_eq!(out.status.code, 3);
    let out = run(&sc, node("process.exitCode = 4")).await;
    assert_eq!(out.status.code, 4);
}

#[tokio::test]
async fn uncaught_error_prints_stack_and_exits_one() {
    let sc = sidecar().await;
    let out = run(&sc, node("throw new Error(\"boom\")")).await;
    assert_eq!(out.status.code, 1);
    let err = stderr(&out);
    assert!(err.contains("Error: boom\n    at [eval]:1:7"), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        out.status.error.is_none(),
        "a guest error is not a sidecar error"
    );
}

#[tokio::test]
async fn unhandled_rejection_exits_one() {
    let sc = sidecar().await;
    let out = run(&sc, node("Promise.reject(new Error('nope'))")).await;
    assert_eq!(out.status.code, 1);
    assert!(stderr(&out).contains("Error: nope"), "{}", stderr(&out));
    let handled = "const p = Promise.reject(new Error('x')); p.catch(() => console.log('caught'))";
    let out = run(&sc, node(handled)).await;
    assert_eq!((out.status.code, stdout(&out).as_str()), (0, "caught\n"));
}

#[tokio::test]
async fn argv_env_and_cwd_are_what_the_host_gave() {
    let sc = sidecar().await;
    let code = "console.log(JSON.stringify([process.argv.slice(1), process.env, process.cwd()]))";
    let spec = ExecSpec::new(["node", "-e", code, "x", "y z"])
        .env("A", "1")
        .env("B", "two")
        .cwd("/work/dir");
    let out = run(&sc, spec).await;
    assert_eq!(
        stdout(&out),
        "[[\"x\",\"y z\"],{\"A\":\"1\",\"B\":\"two\"},\"/work/dir\"]\n"
    );
}

#[tokio::test]
async fn a_timer_set_after_a_long_synchronous_stretch_waits_its_whole_delay() {
    let sc = sidecar().await;
    // The timer's start is the time it is set (as Node's, which refreshes the loop's time), not
    // the loop's time cached before 150 ms of synchronous work.
    let code = r#"
        const busyUntil = performance.now() + 150;
        while (performance.now() < busyUntil);
        const start = performance.now();
        setTimeout(() => console.log(performance.now() - start >= 100), 100);
    "#;
    let out = run(&sc, node(code)).await;
    assert_eq!(stdout(&out), "true\n", "{out:?}");
}

#[tokio::test]
async fn a_tick_callback_is_called_from_process_process_ticks_and_rejections() {
    let sc = sidecar().await;
    // As Node's: the frame below a nextTick callback, and the first frame of callbackify's
    // falsy-rejection error (its own frames hidden), is `process.processTicksAndRejections`.
    let code = r#"
        process.nextTick(() => console.log(new Error('x').stack.split('\n')[2].trim().split(' (')[0]));
        require('util').callbackify(() => Promise.reject(null))((err) => {
            console.log(err.stack.split('\n')[0]);
            console.log(err.stack.split('\n')[1].trim().split(' (')[0]);
        });
    "#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "at process.processTicksAndRejections\n\
         Error [ERR_FALSY_VALUE_REJECTION]: Promise was rejected with falsy value\n\
         at process.processTicksAndRejections\n",
        "{out:?}"
    );
}

#[tokio::test]
async fn a_tick_after_the_main_program_has_no_runner_frame_below_it() {
    let sc = sidecar().await;
    // As Node, which runs the main program's ticks from C++: the stack of an error thrown in one
    // ends at `process.processTicksAndRejections`.
    let code = r#"
        process.nextTick(function fromTick() {
            const frames = new Error('x').stack.split('\n').slice(1);
            console.log(frames.map((f) => f.trim().split(' (')[0]).join(' | '));
        });
    "#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "at fromTick | at process.processTicksAndRejections\n",
        "{out:?}"
    );
}

#[tokio::test]
async fn using_declarations_dispose_builtins_with_the_engines_own_symbols() {
    let sc = sidecar().await;
    // V8 has Symbol.dispose and Symbol.asyncDispose (and `using`): the builtins must dispose
    // under those symbols, not under Node 20's `Symbol.for('nodejs.dispose')` stand-ins.
    let code = r#"
        const fs = require('fs');
        const events = require('events');
        const { Worker } = require('worker_threads');
        (async () => {
            let dir;
            {
                await using d = await fs.promises.opendir('/w');
                dir = d;
            }
            await dir.read().catch((e) => console.log('dir', e.code));
            const ac = new AbortController();
            {
                using _listener = events.addAbortListener(ac.signal, () => console.log('aborted'));
            }
            ac.abort();
            {
                using _timer = setTimeout(() => console.log('timer fired'), 1);
            }
            {
                await using w = new Worker('for (;;) {}', { eval: true });
                w.on('exit', () => console.log('worker exited'));
            }
            console.log('done');
        })();
    "#;
    let dir = crate::support::scratch("using");
    let out = run(&sc, node(code).dir(dir.to_str().unwrap(), "/w")).await;
    assert_eq!(
        stdout(&out),
        "dir ERR_DIR_CLOSED\nworker exited\ndone\n",
        "{out:?}"
    );
}

#[tokio::test]
async fn events_once_rejects_options_that_are_not_an_object() {
    let sc = sidecar().await;
    // Node 22 validates them (a bad one used to leave the promise pending for ever).
    let code = r#"
        const { once, EventEmitter } = require('events');
        for (const options of [1, 'hi', null, false, () => {}]) {
            once(new EventEmitter(), 'x', options).catch((e) => console.log(typeof options, e.code));
        }
    "#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "number ERR_INVALID_ARG_TYPE\nstring ERR_INVALID_ARG_TYPE\nobject ERR_INVALID_ARG_TYPE\n\
         boolean ERR_INVALID_ARG_TYPE\nfunction ERR_INVALID_ARG_TYPE\n",
        "{out:?}"
    );
}

#[tokio::test]
async fn timers_nexttick_and_promises_run_in_node_order() {
    let sc = sidecar().await;
    let code = r#"
        setTimeout(() => console.log('timeout'), 5);
        setImmediate(() => console.log('immediate'));
        Promise.resolve().then(() => console.log('promise'));
        process.nextTick(() => console.log('tick'));
        queueMicrotask(() => console.log('microtask'));
        console.log('sync');
    "#;
    let out = run(&sc, node(code)).await;
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // Which of a 5 ms timer and an immediate runs first depends on how long start-up took, in
    // Node as here; everything before them is deterministic.
    assert_eq!(
        lines[..4],
        ["sync", "tick", "promise", "microtask"],
        "{text}"
    );
    let mut rest = lines[4..].to_vec();
    rest.sort_unstable();
    assert_eq!(rest, ["immediate", "timeout"], "{text}");
}

#[tokio::test]
async fn one_mib_of_output_arrives_intact_before_exit() {
    let sc = sidecar().await;
    let code = "const line = 'x'.repeat(1023) + '\\n'; for (let i = 0; i < 1024; i++) process.stdout.write(line)";
    let out = run(&sc, node(code)).await;
    assert_eq!(out.status.code, 0);
    assert_eq!(out.stdout.len(), 1 << 20);
    assert!(
        out.stdout
            .chunks(1024)
            .all(|l| l[..1023].iter().all(|&b| b == b'x') && l[1023] == b'\n')
    );
}

#[tokio::test]
async fn thousand_sequential_execs_all_succeed() {
    let sc = sidecar().await;
    for i in 0..1000 {
        let out = run(&sc, node(&format!("console.log({i})"))).await;
        assert_eq!(stdout(&out), format!("{i}\n"), "exec {i}");
        assert_eq!(out.status.code, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_execs_do_not_cross_talk() {
    let sc = Arc::new(sidecar().await);
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let sc = sc.clone();
            tokio::spawn(async move {
                let code = format!(
                    "for (let k = 0; k < 50; k++) console.log('{i}:' + k); console.error('e{i}')"
                );
                (i, run(&sc, node(&code)).await)
            })
        })
        .collect();
    for task in tasks {
        let (i, out) = task.await.expect("task");
        let expected: String = (0..50).map(|k| format!("{i}:{k}\n")).collect();
        assert_eq!(
            stdout(&out),
            expected,
            "exec {i}: {:?} {}",
            out.status,
            stderr(&out)
        );
        assert_eq!(stderr(&out), format!("e{i}\n"));
        assert_eq!(out.status.code, 0);
    }
}

#[tokio::test]
async fn stdin_round_trip_upper_cases_three_chunks() {
    let sc = sidecar().await;
    let code = "process.stdin.on('data', c => process.stdout.write(c.toString().toUpperCase())); process.stdin.on('end', () => console.log('<end>'))";
    let exec = sc.exec(node(code).stdin_open(true)).await.unwrap();
    let mut out = exec.take_stdout().unwrap();
    for chunk in ["abc", "def", "ghi"] {
        exec.write_stdin(chunk.as_bytes().to_vec()).await.unwrap();
        let echoed = tokio::time::timeout(HANG, out.next_chunk())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&echoed[..], chunk.to_uppercase().as_bytes());
    }
    exec.close_stdin().await.unwrap();
    assert_eq!(
        &tokio::time::timeout(HANG, out.next_chunk())
            .await
            .unwrap()
            .unwrap()[..],
        b"<end>\n"
    );
    assert_eq!(exec.wait().await.unwrap().code, 0);
}

#[tokio::test]
async fn for_await_over_stdin_reads_initial_bytes() {
    let sc = sidecar().await;
    let code = "(async () => { let n = 0; for await (const c of process.stdin) n += c.length; console.log(n) })()";
    let out = run(&sc, node(code).stdin(vec![7u8; 100_000])).await;
    assert_eq!(stdout(&out), "100000\n");
}

#[tokio::test]
async fn output_streams_while_the_guest_is_still_running() {
    // The guest prints, then waits for stdin before finishing: if output were held back until
    // exit, the host would never see "first" and this test would hang (and fail at HANG).
    let sc = sidecar().await;
    let code = "console.log('first'); process.stdin.on('data', () => { console.log('second'); process.exit(0) })";
    let exec = sc.exec(node(code).stdin_open(true)).await.unwrap();
    let mut out = exec.take_stdout().unwrap();
    let first = tokio::time::timeout(HANG, out.next_chunk())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&first[..], b"first\n");
    exec.write_stdin(b"go".to_vec()).await.unwrap();
    assert_eq!(&out.next_chunk().await.unwrap()[..], b"second\n");
    assert_eq!(exec.wait().await.unwrap().code, 0);
}

#[tokio::test]
async fn kill_ends_a_busy_guest_with_the_signal() {
    let sc = sidecar().await;
    let exec = sc
        .exec(node("console.log('spinning'); for(;;){}"))
        .await
        .unwrap();
    let mut out = exec.take_stdout().unwrap();
    tokio::time::timeout(HANG, out.next_chunk())
        .await
        .unwrap()
        .unwrap();
    exec.kill(15).await.unwrap();
    let status = tokio::time::timeout(HANG, exec.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((status.code, status.signal), (143, Some(15)));
    // The sidecar is still fine.
    assert_eq!(stdout(&run(&sc, node("console.log('ok')")).await), "ok\n");
}

#[tokio::test]
async fn kill_ends_a_guest_waiting_on_a_timer() {
    let sc = sidecar().await;
    let exec = sc.exec(node("setTimeout(() => {}, 600000)")).await.unwrap();
    exec.kill(9).await.unwrap();
    let status = tokio::time::timeout(HANG, exec.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((status.code, status.signal), (137, Some(9)));
}

#[tokio::test]
async fn stdin_write_to_a_finished_exec_is_unknown() {
    let sc = sidecar().await;
    let exec = sc.exec(node("")).await.unwrap();
    exec.wait().await.unwrap();
    let err = exec.write_stdin(b"late".to_vec()).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::UnknownExec), "{err:?}");
}

#[tokio::test]
async fn guest_cannot_find_the_bridge() {
    let sc = sidecar().await;
    let code = r#"
        const names = Object.getOwnPropertyNames(globalThis).join(',');
        const leaked = ['bridge', 'write', 'stdinRef', 'compileScript', '__agentOS']
            .filter(n => n in globalThis || names.includes(n));
        console.log(leaked.length === 0 ? 'clean' : 'leaked ' + leaked);
    "#;
    assert_eq!(stdout(&run(&sc, node(code)).await), "clean\n");
}

#[tokio::test]
async fn node_file_is_read_through_the_mounts_from_the_exec_cwd() {
    let dir = crate::support::scratch("file");
    std::fs::write(
        dir.join("main.js"),
        "console.log(__filename.endsWith('main.js'), process.argv[2])",
    )
    .unwrap();
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "main.js", "arg"])
        .dir_ro(dir.to_str().unwrap(), "/app")
        .cwd("/app");
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "true arg\n");
    // Only mounted directories are reachable: the same file outside a mount is not found.
    let unmounted = run(
        &sc,
        ExecSpec::new(["node", dir.join("main.js").to_str().unwrap()]),
    )
    .await;
    assert_eq!(unmounted.status.code, 1);
    assert!(
        stderr(&unmounted).contains("Cannot find module"),
        "{}",
        stderr(&unmounted)
    );
}

#[tokio::test]
async fn a_missing_main_module_is_nodes_module_not_found_error() {
    let sc = sidecar().await;
    let out = run(&sc, ExecSpec::new(["node", "/nowhere/main"])).await;
    assert_eq!(
        (out.status.code, stderr(&out).as_str()),
        (
            1,
            "node:internal/modules/cjs/loader\n  throw err;\n  ^\n\nError: Cannot find module \
             '/nowhere/main' {\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n"
        )
    );
}

#[tokio::test]
async fn sidecar_death_resolves_pending_execs_with_a_typed_error() {
    let sc = sidecar().await;
    let exec = sc.exec(node("setTimeout(() => {}, 600000)")).await.unwrap();
    let pid = sc.pid().expect("pid");
    std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    let err = tokio::time::timeout(HANG, exec.wait())
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, Error::SidecarDied { .. }), "{err:?}");
}

#[tokio::test]
async fn stack_frames_and_callers_do_not_leak_runner_functions() {
    let sc = sidecar().await;
    let code = r#"
        const found = new Set();
        Error.prepareStackTrace = (err, frames) => {
            for (const f of frames) {
                const fn = f.getFunction(), self = f.getThis();
                if (typeof fn === 'function') found.add('fn:' + (fn.name || '?'));
                const own = self === globalThis || (typeof module === 'object' && self === module.exports) || self === process.stdin
                    || (self && self.constructor && self.constructor.name === 'Timeout');
                if (self && typeof self === 'object' && !own) found.add('this:' + Object.getOwnPropertyNames(self));
            }
            return 'x';
        };
        function probe() {
            new Error().stack;
            let c = probe.caller, depth = 0;
            while (c && depth++ < 10) {
                found.add('caller:' + (c.name || '?'));
                try { c = c.caller; } catch { break; } // strict callers are poisoned, as in Node
            }
        }
        probe();
        setTimeout(function viaTimer() { probe(); }, 0);
        process.nextTick(function viaTick() { probe(); });
        Promise.resolve().then(function viaPromise() { probe(); });
        process.stdin.on('data', function viaData() { probe(); });
        process.stdin.on('end', function viaEnd() {
            probe();
            const own = /^(fn|caller):(probe|via\w+|\?)$/;
            const leaks = [...found].filter(n => !own.test(n));
            console.log(leaks.length ? 'leaked ' + leaks.join(',') : 'clean');
        });
    "#;
    let out = run(&sc, node(code).stdin(b"x".to_vec())).await;
    assert_eq!(stdout(&out), "clean\n", "{}", stderr(&out));
}

#[tokio::test]
async fn heap_bomb_ends_only_that_guest_with_memory_limit() {
    let sc = sidecar().await;
    let bomb = sc
        .exec(node("const a = []; for (;;) a.push(new Array(1e5).fill(1))").heap_mb(64))
        .await
        .unwrap();
    let calm = run(&sc, node("console.log('calm')")).await;
    let status = tokio::time::timeout(HANG, bomb.wait())
        .await
        .unwrap()
        .unwrap();
    let error = status.error.expect("a typed error");
    assert_eq!(error.code, ErrorCode::MemoryLimit, "{}", error.message);
    assert!(error.message.contains("64 MiB"), "{}", error.message);
    assert_eq!(stdout(&calm), "calm\n");
    assert_eq!(
        stdout(&run(&sc, node("console.log('alive')")).await),
        "alive\n"
    );
}

#[tokio::test]
async fn title_option_sets_process_title() {
    let sc = sidecar().await;
    let spec = ExecSpec::new([
        "node",
        "--title",
        "worker-7",
        "-e",
        "console.log(process.title)",
    ]);
    assert_eq!(stdout(&run(&sc, spec).await), "worker-7\n");
}

#[tokio::test]
async fn a_value_option_without_its_value_is_refused_as_node_refuses_it() {
    let sc = sidecar().await;
    for flag in ["--title", "-r", "--require", "--import"] {
        let out = run(&sc, ExecSpec::new(["node", flag])).await;
        assert_eq!(out.status.code, 9, "{flag}: {out:?}");
        assert_eq!(stderr(&out), format!("node: {flag} requires an argument\n"));
    }
}

#[tokio::test]
async fn float16_arrays_compare_by_value_in_loose_deep_equal() {
    // Host Node 20 has no Float16Array to compare against: Node 22's rules (0 == -0 loosely,
    // not strictly; a different value is unequal either way).
    let sc = sidecar().await;
    let code = "const assert = require('assert'); const f = (x) => new Float16Array([x]);\
                const fails = (fn) => { try { fn(); return false; } catch { return true; } };\
                console.log(fails(() => assert.deepEqual(f(0), f(-0))),\
                            fails(() => assert.deepStrictEqual(f(0), f(-0))),\
                            fails(() => assert.deepEqual(f(0.1), f(0))));";
    let spec = ExecSpec::new(["node", "--js-float16array", "-e", code]);
    assert_eq!(stdout(&run(&sc, spec).await), "false true true\n");
}

#[tokio::test]
async fn node_version_flags_print_process_version_and_exit_zero() {
    let sc = sidecar().await;
    let want = stdout(&run(&sc, node("console.log(process.version)")).await);
    assert!(want.starts_with("v22."), "{want}");
    for flag in ["-v", "--version"] {
        let out = run(&sc, ExecSpec::new(["node", flag])).await;
        assert_eq!((out.status.code, stdout(&out)), (0, want.clone()), "{flag}");
    }
}
