//! `agentos_v2.proc_spawn`: WASI commands that start commands (`xargs`, `find -exec`) through a
//! real sidecar, the limits over the children they start, and hand-made modules that call the
//! import with what a hostile guest would pass. (Conformance against GNU: the shell corpus's
//! `misc/03*-xargs*`/`find-exec` scripts and the command corpus.)

use agentos_sdk::{ErrorCode, ExecSpec};
use wasm_encoder::{
    CodeSection, DataSection, Function, FunctionSection, Instruction as I, Module, TypeSection,
    ValType,
};

use crate::shell::{error_code, with_victim};
use crate::support::{HANG, run, scratch, sidecar, stdout};

/// A fixture directory with three text files, mounted at `/w` by the specs below.
fn fixture(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    for (file, text) in [
        ("a.txt", "alpha\n"),
        ("b.txt", "beta\n"),
        ("c.txt", "gamma\n"),
    ] {
        std::fs::write(dir.join(file), text).expect("fixture");
    }
    dir
}

fn in_fixture(dir: &std::path::Path, argv: &[&str]) -> ExecSpec {
    ExecSpec::new(argv.iter().copied())
        .dir(dir.to_string_lossy(), "/w")
        .cwd("/w")
}

#[tokio::test(flavor = "multi_thread")]
async fn xargs_runs_its_command_in_the_command_s_directory() {
    let sc = sidecar().await;
    let dir = fixture("spawn-xargs");
    let spec = in_fixture(&dir, &["xargs", "cat"]).stdin(b"a.txt\nc.txt\n".to_vec());
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "alpha\ngamma\n", "{out:?}");
    assert_eq!(out.status.code, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn find_exec_children_write_through_find_s_own_stdout_in_order() {
    let sc = sidecar().await;
    let dir = fixture("spawn-find");
    let argv = [
        "find", ".", "-name", "b.txt", "-print", "-exec", "cat", "{}", ";", "-print",
    ];
    let out = run(&sc, in_fixture(&dir, &argv)).await;
    assert_eq!(stdout(&out), "./b.txt\nbeta\n./b.txt\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_ends_a_command_waiting_for_its_child() {
    let sc = sidecar().await;
    let dir = fixture("spawn-kill");
    let argv = ["find", "a.txt", "-exec", "sleep", "60", ";"];
    let handle = sc
        .exec(in_fixture(&dir, &argv))
        .await
        .expect("exec accepted");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    handle.kill(9).await.expect("kill sent");
    let status = tokio::time::timeout(HANG, handle.wait())
        .await
        .expect("a killed command ends with its child")
        .expect("status");
    assert_eq!((status.code, status.signal), (137, Some(9)));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wall_time_limit_covers_the_children() {
    let sc = sidecar().await;
    let dir = fixture("spawn-timeout");
    let spec = in_fixture(&dir, &["find", "a.txt", "-exec", "sleep", "5", ";"]).timeout_ms(300);
    let out = with_victim(&sc, spec).await;
    assert_eq!(error_code(&out), Some(ErrorCode::Timeout), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_output_limit_counts_the_children_s_output() {
    let sc = sidecar().await;
    let dir = fixture("spawn-output");
    let spec = in_fixture(&dir, &["xargs", "yes"])
        .stdin(b"y\n".to_vec())
        .max_output_bytes(50_000);
    let out = with_victim(&sc, spec).await;
    assert_eq!(error_code(&out), Some(ErrorCode::OutputLimit), "{out:?}");
    assert!(out.stdout.len() <= 50_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bomb_of_xargs_starting_itself_ends_with_process_limit() {
    let sc = sidecar().await;
    let dir = fixture("spawn-bomb");
    std::fs::write(dir.join("b.sh"), "echo x | xargs sh /w/b.sh\n").expect("script");
    let spec = in_fixture(&dir, &["sh", "/w/b.sh"]).timeout_ms(60_000);
    let out = with_victim(&sc, spec).await;
    assert_eq!(error_code(&out), Some(ErrorCode::ProcessLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_ends_a_busy_child_with_124_and_a_victim_finishes() {
    let sc = sidecar().await;
    let dir = fixture("spawn-timeout-busy");
    let spec =
        in_fixture(&dir, &["timeout", "0.3", "sh", "-c", "while :; do :; done"]).timeout_ms(30_000);
    let out = with_victim(&sc, spec).await;
    assert_eq!((out.status.code, error_code(&out)), (124, None), "{out:?}");
}

/// How a hand-made module calls `proc_spawn`.
struct Call<'a> {
    argv: &'a [u8],
    /// Overrides where argv is said to be (a pointer outside memory).
    argv_ptr: Option<i32>,
    cwd: &'a [u8],
    flags: i32,
}

const CALL: Call<'static> = Call {
    argv: b"true\0",
    argv_ptr: None,
    cwd: b"",
    flags: 1,
};

/// A WASI command that calls `agentos_v2.proc_spawn` once as `call` says and exits with the
/// errno it returned, or with 100 + the child's exit code.
fn spawner(call: &Call<'_>) -> Vec<u8> {
    const ARGV: i32 = 16;
    const CWD: i32 = 512;
    const STATUS: i32 = 1024;
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], []);
    types.ty().function([ValType::I32; 8], [ValType::I32]);
    types.ty().function([], []);
    m.section(&types);
    crate::support::command_imports(&mut m, &[("agentos_v2", "proc_spawn", 1)]);
    let mut funcs = FunctionSection::new();
    funcs.function(2);
    m.section(&funcs);
    crate::support::memory_and_exports(&mut m, 2);
    let len = |b: &[u8]| i32::try_from(b.len()).expect("small");
    let mut f = Function::new([(1, ValType::I32)]);
    for op in [
        I::I32Const(call.argv_ptr.unwrap_or(ARGV)),
        I::I32Const(len(call.argv)),
        I::I32Const(0),
        I::I32Const(0),
        I::I32Const(CWD),
        I::I32Const(len(call.cwd)),
        I::I32Const(call.flags),
        I::I32Const(STATUS),
        I::Call(1),
        I::LocalTee(0),
        I::If(wasm_encoder::BlockType::Empty),
        I::LocalGet(0),
        I::Call(0),
        I::End,
        I::I32Const(STATUS),
        I::I32Load(wasm_encoder::MemArg {
            offset: 0,
            align: 2,
            memory_index: 0,
        }),
        I::I32Const(100),
        I::I32Add,
        I::Call(0),
        I::End,
    ] {
        f.instruction(&op);
    }
    let mut code = CodeSection::new();
    code.function(&f);
    m.section(&code);
    let mut data = DataSection::new();
    data.active(
        0,
        &wasm_encoder::ConstExpr::i32_const(ARGV),
        call.argv.iter().copied(),
    );
    data.active(
        0,
        &wasm_encoder::ConstExpr::i32_const(CWD),
        call.cwd.iter().copied(),
    );
    m.section(&data);
    m.finish()
}

/// The exit code of a module calling `proc_spawn` as `call` says.
async fn spawn_exit(call: Call<'_>) -> i32 {
    let sc = sidecar().await;
    let dir = scratch("spawn-module");
    let module = dir.join("spawner.wasm");
    std::fs::write(&module, spawner(&call)).expect("module");
    let out = run(&sc, ExecSpec::new([module.to_string_lossy().into_owned()])).await;
    assert!(out.status.error.is_none(), "{out:?}");
    out.status.code
}

#[tokio::test(flavor = "multi_thread")]
async fn proc_spawn_reports_the_child_s_exit_code() {
    assert_eq!(spawn_exit(CALL).await, 100);
    let fails = Call {
        argv: b"false\0",
        ..CALL
    };
    assert_eq!(spawn_exit(fails).await, 101);
}

#[tokio::test(flavor = "multi_thread")]
async fn proc_spawn_of_an_unknown_command_is_enoent() {
    let call = Call {
        argv: b"no-such-command\0",
        ..CALL
    };
    assert_eq!(spawn_exit(call).await, 44);
}

#[tokio::test(flavor = "multi_thread")]
async fn proc_spawn_with_argv_outside_memory_is_efault() {
    let call = Call {
        argv_ptr: Some(-16),
        ..CALL
    };
    assert_eq!(spawn_exit(call).await, 21);
}

#[tokio::test(flavor = "multi_thread")]
async fn proc_spawn_passes_argv_bytes_that_are_not_utf8_through() {
    // `test` compares the bytes it was given: were they replaced (U+FFFD), both would match.
    let same = Call {
        argv: b"test\0\xff\0=\0\xff\0",
        ..CALL
    };
    assert_eq!(spawn_exit(same).await, 100);
    let different = Call {
        argv: b"test\0\xff\0=\0\xfe\0",
        ..CALL
    };
    assert_eq!(spawn_exit(different).await, 101);
}

#[tokio::test(flavor = "multi_thread")]
async fn proc_spawn_refuses_unterminated_argv_reserved_flags_and_relative_cwd() {
    let unterminated = Call {
        argv: b"true",
        ..CALL
    };
    assert_eq!(spawn_exit(unterminated).await, 28);
    let reserved = Call { flags: 3, ..CALL };
    assert_eq!(spawn_exit(reserved).await, 28);
    let relative = Call { cwd: b"w", ..CALL };
    assert_eq!(spawn_exit(relative).await, 28);
}
