//! Spawning real sidecars for tests, each with its own snapshot cache directory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use agentos_sdk::{ErrorCode, ExecSpec, ExitStatus, Output, Sidecar, SidecarBuilder};

/// Generous bound on anything that should take milliseconds: exceeding it means a hang (a bug),
/// not slowness. Tests never assert on durations.
pub const HANG: Duration = Duration::from_secs(60);

/// A fresh scratch directory for this test process.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "agentos-test-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// A builder for the binary under test, with a private snapshot cache. `AGENTOS_TEST_CELLS`, when
/// set, is the number of engine cells (`0`: the engine in the sidecar's own process); tests that
/// need a particular number set `AGENTOS_CELLS` themselves.
pub fn builder(mode: &str) -> SidecarBuilder {
    let builder = Sidecar::builder()
        .bin(env!("CARGO_BIN_EXE_agentos-sidecar"))
        .env("AGENTOS_SNAPSHOT_DIR", scratch("snap"))
        .env("AGENTOS_WASM_SNAPSHOT_RUNNER", mode);
    match std::env::var("AGENTOS_TEST_CELLS") {
        Ok(cells) => builder.env("AGENTOS_CELLS", cells),
        Err(_) => builder,
    }
}

/// `builder` with exactly one engine (one cell, or none when the tests run without cells): for
/// tests of per-engine pools and caches.
pub fn single_engine(builder: SidecarBuilder) -> SidecarBuilder {
    let cells = match std::env::var("AGENTOS_TEST_CELLS").as_deref() {
        Ok("0") => "0",
        _ => "1",
    };
    builder.env("AGENTOS_CELLS", cells)
}

/// A sidecar in the default mode with exactly one engine.
pub async fn one_engine() -> Sidecar {
    let mode = std::env::var("AGENTOS_TEST_MODE").unwrap_or_else(|_| "auto".into());
    spawn(single_engine(builder(&mode))).await
}

/// A sidecar in the default mode.
pub async fn sidecar() -> Sidecar {
    spawn(builder(
        &std::env::var("AGENTOS_TEST_MODE").unwrap_or_else(|_| "auto".into()),
    ))
    .await
}

/// Spawns `builder`, failing the test on error or hang.
pub async fn spawn(builder: SidecarBuilder) -> Sidecar {
    tokio::time::timeout(HANG, builder.spawn())
        .await
        .expect("spawn hung")
        .expect("spawn sidecar")
}

/// `node -e CODE`.
pub fn node(code: &str) -> ExecSpec {
    ExecSpec::new(["node", "-e", code])
}

/// Runs `spec` to completion and collects its output.
pub async fn run(sidecar: &Sidecar, spec: ExecSpec) -> Output {
    let handle = sidecar.exec(spec).await.expect("exec accepted");
    tokio::time::timeout(HANG, handle.output())
        .await
        .expect("exec hung")
        .expect("exec output")
}

/// Runs `hostile` while a calm exec runs beside it, then checks the sidecar still runs a new
/// exec; returns the hostile exec's output.
pub async fn beside_a_calm_exec(sc: &Sidecar, hostile: ExecSpec) -> Output {
    let bad = sc.exec(hostile).await.expect("hostile exec accepted");
    let calm = run(sc, node("setTimeout(() => console.log('calm'), 20)")).await;
    assert_eq!((calm.status.code, stdout(&calm).as_str()), (0, "calm\n"));
    let out = tokio::time::timeout(HANG, bad.output())
        .await
        .expect("hostile exec hung")
        .expect("hostile exec output");
    assert_eq!(
        stdout(&run(sc, node("console.log('alive')")).await),
        "alive\n"
    );
    out
}

/// Runs `hostile` and, beside it, a victim JS exec that must finish normally; returns the
/// hostile exec's output.
pub async fn beside_a_victim(sc: &Sidecar, hostile: ExecSpec) -> Output {
    let victim = node("setTimeout(() => console.log('victim'), 200)");
    let (out, victim) = tokio::join!(run(sc, hostile), run(sc, victim));
    assert_eq!(
        (
            victim.status.code,
            victim.status.error.as_ref(),
            stdout(&victim).as_str()
        ),
        (0, None, "victim\n"),
        "victim: {victim:?}"
    );
    out
}

/// Stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A module of the default command set (`ci/build-commands` puts them next to the binary).
pub fn command_file(name: &str) -> PathBuf {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_agentos-sidecar"));
    let target = bin.parent().and_then(std::path::Path::parent);
    target
        .expect("target dir")
        .join(format!("commands/{name}.wasm"))
}

/// The typed error a status must carry: its code and message.
pub fn typed(status: &ExitStatus) -> (ErrorCode, String) {
    let error = status
        .error
        .clone()
        .unwrap_or_else(|| panic!("no typed error: {status:?}"));
    (error.code, error.message)
}

/// A command's import section: `proc_exit` as function 0 (type 0), then `more` as (module, name,
/// type index), functions 1, 2...
pub fn command_imports(m: &mut wasm_encoder::Module, more: &[(&str, &str, u32)]) {
    use wasm_encoder::{EntityType, ImportSection};
    let mut imports = ImportSection::new();
    imports.import(
        "wasi_snapshot_preview1",
        "proc_exit",
        EntityType::Function(0),
    );
    for &(module, name, ty) in more {
        imports.import(module, name, EntityType::Function(ty));
    }
    m.section(&imports);
}

/// A command's memory section (one page, no maximum) and export section (`_start`, function
/// `start`, and `memory`).
pub fn memory_and_exports(m: &mut wasm_encoder::Module, start: u32) {
    use wasm_encoder::{ExportKind, ExportSection, MemorySection, MemoryType};
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    m.section(&memories);
    let mut exports = ExportSection::new();
    exports.export("_start", ExportKind::Func, start);
    exports.export("memory", ExportKind::Memory, 0);
    m.section(&exports);
}

/// A WASI command module: `proc_exit` imported as function 0 (type 0, `(i32) -> ()`), one
/// exported memory of one page, and `bodies` as functions 1, 2... (`_start` is function 1, of
/// type 1, `() -> ()`); each body names its type, from `[(i32) -> (), () -> (), ...more_types]`.
pub fn wasi_command(
    more_types: &[(&[wasm_encoder::ValType], &[wasm_encoder::ValType])],
    bodies: &[(u32, &[wasm_encoder::Instruction<'_>], u32)],
) -> Vec<u8> {
    use wasm_encoder::{CodeSection, Function, FunctionSection, Module, TypeSection, ValType};
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], []);
    types.ty().function([], []);
    for (params, results) in more_types {
        types
            .ty()
            .function(params.iter().copied(), results.iter().copied());
    }
    m.section(&types);
    command_imports(&mut m, &[]);
    let mut funcs = FunctionSection::new();
    bodies.iter().for_each(|(ty, _, _)| {
        funcs.function(*ty);
    });
    m.section(&funcs);
    memory_and_exports(&mut m, 1);
    let mut code = CodeSection::new();
    for (_, ops, i32_locals) in bodies {
        let mut f = Function::new([(*i32_locals, ValType::I32)]);
        ops.iter().for_each(|op| {
            f.instruction(op);
        });
        code.function(&f);
    }
    m.section(&code);
    m.finish()
}
