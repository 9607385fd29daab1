//! Commands instantiated ahead by a parked worker (`engine/src/pool/prewarm.rs`): an exec that
//! claims one runs on an instance nobody ran before, sees its own argv, and behaves exactly as
//! a cold start; a changed file, a start section or another program never uses one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::support::{builder, node, run, scratch, single_engine, spawn, stdout, typed};

/// The phase an exec reports when it ran on an instance made ahead.
const PREPARED: &str = "inject_prepared";

/// Execs tried before concluding the pool never prepares a command (it needs a few: the first
/// compiles it, the workers parked before then are plain).
const TRIES: usize = 12;

/// A WASI command exiting with `base + 10 * mem[0] + argc`, after adding one to `mem[0]` (from
/// the start section when `start_section`, else in `_start`); with 3 or more arguments after its name it loops
/// forever instead.
fn counting_command(base: i32, start_section: bool) -> Vec<u8> {
    use wasm_encoder::{
        BlockType, CodeSection, Function, FunctionSection, Instruction as I, MemArg, Module,
        StartSection, TypeSection, ValType,
    };
    let at = |offset| MemArg {
        offset,
        align: 2,
        memory_index: 0,
    };
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], []);
    types
        .ty()
        .function([ValType::I32, ValType::I32], [ValType::I32]);
    types.ty().function([], []);
    m.section(&types);
    let sizes = ("wasi_snapshot_preview1", "args_sizes_get", 1);
    crate::support::command_imports(&mut m, &[sizes]);
    let mut funcs = FunctionSection::new();
    funcs.function(2); // 2: _start
    funcs.function(2); // 3: bump
    m.section(&funcs);
    crate::support::memory_and_exports(&mut m, 2);
    if start_section {
        m.section(&StartSection { function_index: 3 });
    }
    let mut start = vec![];
    if !start_section {
        start.push(I::Call(3));
    }
    start.extend([
        I::I32Const(16),
        I::I32Const(20),
        I::Call(1),
        I::Drop,
        I::I32Const(0),
        I::I32Load(at(16)),
        I::I32Const(4),
        I::I32GeU,
        I::If(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::Br(0),
        I::End,
        I::End,
        I::I32Const(base),
        I::I32Const(0),
        I::I32Load(at(0)),
        I::I32Const(10),
        I::I32Mul,
        I::I32Add,
        I::I32Const(0),
        I::I32Load(at(16)),
        I::I32Add,
        I::Call(0),
        I::End,
    ]);
    let bump = [
        I::I32Const(0),
        I::I32Const(0),
        I::I32Load(at(0)),
        I::I32Const(1),
        I::I32Add,
        I::I32Store(at(0)),
        I::End,
    ];
    let mut code = CodeSection::new();
    for body in [&start[..], &bump[..]] {
        let mut f = Function::new([]);
        body.iter().for_each(|op| {
            f.instruction(op);
        });
        code.function(&f);
    }
    m.section(&code);
    m.finish()
}

fn command_in(dir: &Path, base: i32, start_section: bool) -> PathBuf {
    let path = dir.join("count.wasm");
    std::fs::write(&path, counting_command(base, start_section)).expect("write module");
    path
}

async fn pooled_sidecar() -> Sidecar {
    let b = builder("block").env("AGENTOS_V8_SESSION_PHASES", "1");
    spawn(single_engine(b)).await
}

fn prepared(out: &Output) -> bool {
    out.status.phases.iter().any(|(name, _)| name == PREPARED)
}

/// Runs `path` with `args`, `TRIES` times at most, until an exec ran on an instance made ahead;
/// checks every exit code on the way. True if one did.
async fn run_until_prepared(sc: &Sidecar, path: &Path, args: &[&str], code: i32) -> bool {
    for _ in 0..TRIES {
        let mut argv = vec![path.to_str().expect("utf-8 path")];
        argv.extend(args);
        let out = run(sc, ExecSpec::new(argv)).await;
        assert_eq!(out.status.code, code, "{:?}", out.status);
        if prepared(&out) {
            return true;
        }
        // Room for the refill that instantiates it.
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    false
}

#[tokio::test]
async fn a_command_run_again_starts_on_a_fresh_instance_made_ahead_with_its_own_argv() {
    let sc = pooled_sidecar().await;
    let path = command_in(&scratch("prewarm-argv"), 0, false);
    // mem[0] is 1 in every exec (nothing carried over), plus argc: the exec's own argv.
    assert!(
        run_until_prepared(&sc, &path, &[], 11).await,
        "never prepared"
    );
    assert!(
        run_until_prepared(&sc, &path, &["x"], 12).await,
        "never prepared"
    );
    sc.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_command_file_replaced_after_it_was_prepared_runs_its_new_content() {
    let sc = pooled_sidecar().await;
    let dir = scratch("prewarm-replaced");
    let path = command_in(&dir, 0, false);
    assert!(
        run_until_prepared(&sc, &path, &[], 11).await,
        "never prepared"
    );
    tokio::time::sleep(Duration::from_millis(30)).await;
    command_in(&dir, 50, false);
    let out = run(&sc, ExecSpec::new([path.to_str().expect("utf-8 path")])).await;
    assert_eq!(out.status.code, 61, "{:?}", out.status);
    assert!(!prepared(&out), "ran the old module's instance");
    sc.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_module_with_a_start_section_is_never_instantiated_ahead() {
    let sc = pooled_sidecar().await;
    let path = command_in(&scratch("prewarm-start"), 0, true);
    // The start function runs in each exec, once: mem[0] is 1.
    let ever = run_until_prepared(&sc, &path, &[], 11).await;
    assert!(
        !ever,
        "instantiating ahead would run the start function outside any exec"
    );
    sc.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_worker_prepared_for_one_command_runs_other_programs_normally() {
    let sc = pooled_sidecar().await;
    let path = command_in(&scratch("prewarm-other"), 0, false);
    assert!(
        run_until_prepared(&sc, &path, &[], 11).await,
        "never prepared"
    );
    tokio::time::sleep(Duration::from_millis(30)).await;
    // Back to back, so they take the prepared workers too.
    for _ in 0..3 {
        let out = run(&sc, node("console.log(typeof WebAssembly, 6 * 7)")).await;
        assert_eq!(stdout(&out), "object 42\n", "{:?}", out.status);
        let out = run(&sc, ExecSpec::new(["true"])).await;
        assert_eq!(out.status.code, 0, "{:?}", out.status);
    }
    sc.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_prepared_command_that_hangs_ends_at_its_time_limit_and_the_next_runs_fresh() {
    let sc = pooled_sidecar().await;
    let path = command_in(&scratch("prewarm-hang"), 0, false);
    let name = path.to_str().expect("utf-8 path");
    assert!(
        run_until_prepared(&sc, &path, &["a", "b"], 13).await,
        "never prepared"
    );
    tokio::time::sleep(Duration::from_millis(30)).await;
    let spec = ExecSpec::new([name, "a", "b", "c"]).timeout_ms(300);
    let out = crate::support::beside_a_victim(&sc, spec).await;
    assert_eq!(typed(&out.status).0, ErrorCode::Timeout, "{:?}", out.status);
    let out = run(&sc, ExecSpec::new([name])).await;
    assert_eq!(out.status.code, 11, "{:?}", out.status);
    sc.shutdown().await.expect("shutdown");
}
