//! A JS guest reading stdin synchronously (`fs.readFileSync(0)`, `'/dev/stdin'`,
//! `fs.readSync(0, ...)`), as Node does from a pipe: the read blocks for the host's stdin, what
//! `process.stdin` already holds comes first, and the event loop's other inputs wait.

use std::time::Duration;

use agentos_sdk::{ErrorCode, ExecHandle, ExecSpec};

use crate::support::{beside_a_calm_exec, node, run, sidecar, stderr, stdout, typed};

/// Writes 64 KiB chunks of `byte` to the exec's stdin (up to 256 MiB), waiting while its
/// stdin is full, until a write fails because the exec ended.
async fn feed_until_it_ends(exec: &ExecHandle, byte: u8) {
    let chunk = vec![byte; 64 * 1024];
    for _ in 0..4096 {
        match exec.write_stdin(chunk.clone()).await {
            Ok(()) => {}
            Err(e) if e.code() == Some(ErrorCode::StdinLimit) => {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Err(_) => break,
        }
    }
}

#[tokio::test]
async fn read_file_sync_of_fd_0_waits_for_stdin_written_in_pieces() {
    let sc = sidecar().await;
    let code = "setTimeout(() => console.log('timer after'), 0);
        const text = require('fs').readFileSync(0, 'utf8');
        console.log(JSON.stringify(text));";
    let exec = sc.exec(node(code).stdin_open(true)).await.unwrap();
    for piece in ["one ", "two ", "three"] {
        tokio::time::sleep(Duration::from_millis(50)).await;
        exec.write_stdin(piece.as_bytes().to_vec()).await.unwrap();
    }
    exec.close_stdin().await.unwrap();
    let out = exec.output().await.unwrap();
    assert_eq!(stdout(&out), "\"one two three\"\ntimer after\n", "{out:?}");
}

#[tokio::test]
async fn dev_stdin_and_fd_0_read_what_process_stdin_already_holds_first() {
    let sc = sidecar().await;
    let code = "setTimeout(() => {
            const fs = require('fs');
            const b = Buffer.alloc(2);
            const n = fs.readSync(0, b);
            console.log(n, b.toString(), JSON.stringify(fs.readFileSync('/dev/stdin', 'utf8')));
            process.stdin.on('end', () => console.log('end')).resume();
        }, 20);";
    let out = run(&sc, node(code).stdin("abcdef")).await;
    assert_eq!(stdout(&out), "2 ab \"cdef\"\nend\n", "{out:?}");
}

#[tokio::test]
async fn a_guest_blocked_reading_stdin_that_never_ends_meets_its_time_limit() {
    let sc = sidecar().await;
    let spec = node("require('fs').readFileSync(0)")
        .stdin_open(true)
        .timeout_ms(300);
    let out = beside_a_calm_exec(&sc, spec).await;
    assert_eq!(typed(&out.status).0, ErrorCode::Timeout, "{out:?}");
}

#[tokio::test]
async fn a_guest_that_keeps_all_of_an_endless_stdin_ends_with_memory_limit() {
    let sc = sidecar().await;
    let code = "const kept = []; process.stdin.on('data', (c) => kept.push(c));";
    let spec = node(code).stdin_open(true).heap_mb(16).timeout_ms(60_000);
    let exec = sc.exec(spec).await.unwrap();
    feed_until_it_ends(&exec, b'y').await;
    let out = exec.output().await.unwrap();
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{out:?}");
    assert!(message.contains("a stdin chunk"), "{message}");
}

#[tokio::test]
async fn node_without_a_program_runs_all_of_stdin() {
    let sc = sidecar().await;
    let program = "console.log(process.argv.length, typeof require, typeof fs, __filename)";
    let out = run(&sc, ExecSpec::new(["node"]).stdin(program)).await;
    let got = (out.status.code, stdout(&out));
    assert_eq!(got, (0, "1 function undefined [stdin]\n".into()), "{out:?}");
}

#[tokio::test]
async fn node_dash_runs_stdin_with_the_arguments_after_it() {
    let sc = sidecar().await;
    let program = "console.log(JSON.stringify(process.argv.slice(1)))";
    let out = run(&sc, ExecSpec::new(["node", "-", "a", "--b"]).stdin(program)).await;
    assert_eq!(stdout(&out), "[\"-\",\"a\",\"--b\"]\n", "{out:?}");
}

#[tokio::test]
async fn an_es_module_from_stdin_runs_with_input_type_module() {
    let sc = sidecar().await;
    let program = "const { sep } = await import('node:path'); console.log(sep);";
    let spec = ExecSpec::new(["node", "--input-type=module"]).stdin(program);
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "/\n", "{out:?}");
}

#[tokio::test]
async fn an_error_thrown_by_a_program_from_stdin_names_stdin_and_its_line() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        ExecSpec::new(["node"]).stdin("\n\nthrow new Error('boom')"),
    )
    .await;
    assert_eq!(out.status.code, 1, "{out:?}");
    assert!(stderr(&out).contains("at [stdin]:3:7"), "{out:?}");
}

#[tokio::test]
async fn a_program_on_an_endless_stdin_ends_with_memory_limit_beside_a_calm_exec() {
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node"])
        .stdin_open(true)
        .heap_mb(16)
        .timeout_ms(60_000);
    let exec = std::sync::Arc::new(sc.exec(spec).await.unwrap());
    let writer = exec.clone();
    let feed = tokio::spawn(async move { feed_until_it_ends(&writer, b'/').await });
    let calm = run(&sc, node("setTimeout(() => console.log('calm'), 20)")).await;
    assert_eq!(stdout(&calm), "calm\n");
    feed.await.unwrap();
    let exec = std::sync::Arc::into_inner(exec).expect("the feeder is done");
    let out = exec.output().await.unwrap();
    assert_eq!(typed(&out.status).0, ErrorCode::MemoryLimit, "{out:?}");
}
