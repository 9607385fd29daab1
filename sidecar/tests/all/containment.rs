//! Containment: a guest that makes V8 abort, or that asks for more memory than its limit, ends
//! with a typed error, and only the guests of its own engine cell can be lost with it; victims
//! in the other cells finish normally with their own `ExecExited`, and the sidecar keeps
//! answering. Each test runs the issue's repro as written (sizes scaled where the machine needs
//! it) beside a JS timer and a WASI `sleep`.

use agentos_sdk::{ErrorCode, ExecSpec, ExitStatus, Output, Sidecar};

use crate::support::{HANG, builder, node, run, spawn, stderr, stdout, typed};

/// A sidecar with three cells: the hostile exec (submitted first) lands in one, the two
/// victims in the two others (a job goes to the cell running the fewest).
async fn three_cells() -> Sidecar {
    spawn(builder("block").env("AGENTOS_CELLS", "3")).await
}

/// Runs `hostile` with a JS-timer victim and a WASI-sleep victim beside it; checks the victims
/// and that the sidecar still serves; returns the hostile exec's status.
async fn with_victims(sc: &Sidecar, hostile: ExecSpec) -> ExitStatus {
    with_victims_output(sc, hostile).await.status
}

/// As [`with_victims`], returning the hostile exec's whole output.
async fn with_victims_output(sc: &Sidecar, hostile: ExecSpec) -> Output {
    let bad = sc.exec(hostile).await.expect("hostile exec accepted");
    let js = sc
        .exec(node("setTimeout(() => console.log('js victim'), 300)"))
        .await
        .expect("js victim accepted");
    let wasi = sc
        .exec(ExecSpec::new(["sleep", "0.3"]))
        .await
        .expect("wasi victim accepted");
    let bad = tokio::time::timeout(HANG, bad.output())
        .await
        .expect("hostile exec hung")
        .expect("hostile exec output");
    let js = tokio::time::timeout(HANG, js.output())
        .await
        .expect("js victim hung");
    let js = js.expect("js victim output");
    assert_eq!(
        (
            js.status.code,
            js.status.error.as_ref(),
            stdout(&js).as_str()
        ),
        (0, None, "js victim\n"),
        "{:?}",
        js.status
    );
    let wasi = tokio::time::timeout(HANG, wasi.wait())
        .await
        .expect("wasi victim hung");
    let wasi = wasi.expect("wasi victim status");
    assert_eq!((wasi.code, wasi.error.as_ref()), (0, None), "{wasi:?}");
    let after = run(sc, node("console.log('alive')")).await;
    assert_eq!(stdout(&after), "alive\n", "{:?}", after.status);
    bad
}

#[tokio::test]
async fn a_v8_invalid_size_abort_ends_only_its_cell() {
    let sc = three_cells().await;
    let status = with_victims(&sc, node(r#""x".repeat(2**28).split("")"#)).await;
    let (code, message) = typed(&status);
    assert_eq!(code, ErrorCode::GuestCrashed, "{message}");
    assert!(message.contains("invalid size"), "{message}");
    let stats = sc.stats().await.expect("stats");
    assert!(stats.cell_restarts >= 1, "{stats:?}");
}

#[tokio::test]
async fn filling_a_huge_array_past_the_heap_limit_is_a_memory_limit() {
    let sc = three_cells().await;
    let status = with_victims(&sc, node("new Array(1e8).fill(0)").heap_mb(64)).await;
    let (code, message) = typed(&status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
    assert!(message.contains("heap_mb = 64"), "{message}");
}

#[tokio::test]
async fn array_from_a_huge_length_is_a_memory_limit() {
    let sc = three_cells().await;
    let status = with_victims(&sc, node("Array.from({length: 2**32 - 1})").heap_mb(64)).await;
    assert_eq!(typed(&status).0, ErrorCode::MemoryLimit, "{status:?}");
}

#[tokio::test]
async fn a_cell_over_its_memory_ceiling_ends_alone() {
    // The per-guest limits allow 4 GiB here; the cell's ceiling (400 MiB) stops it first.
    let sc = spawn(
        builder("block")
            .env("AGENTOS_CELLS", "3")
            .env("AGENTOS_CELL_MEMORY_MB", "400"),
    )
    .await;
    let hog = "const a = []; for (;;) a.push(new Array(1e6).fill(1.5))";
    let status = with_victims(&sc, node(hog).heap_mb(4096)).await;
    let (code, _) = typed(&status);
    assert!(
        matches!(code, ErrorCode::GuestCrashed | ErrorCode::MemoryLimit),
        "{status:?}"
    );
}

/// A sidecar whose cells have room for four isolates of 256 MiB: every isolate reserves a code
/// range as large as its heap limit, which counts against the cell's ceiling (1400 MiB).
async fn room_for_four() -> Sidecar {
    spawn(
        builder("block")
            .env("AGENTOS_CELLS", "3")
            .env("AGENTOS_CELL_MEMORY_MB", "1400"),
    )
    .await
}

/// A script starting seven `node` guests at once that each live `ms`, then one more.
fn seven_at_once(ms: u32) -> ExecSpec {
    let script = format!(
        "for i in 1 2 3 4 5 6 7; do node -e 'setTimeout(() => {{}}, {ms})' & done; \
         wait; node -e 'console.log(\"after\")'"
    );
    ExecSpec::new(["sh", "-c", script.as_str()]).heap_mb(256)
}

#[tokio::test]
async fn guests_held_past_the_room_for_code_ranges_are_refused_and_the_cell_lives() {
    // Seven at once used to abort the cell ("Failed to reserve virtual memory for CodeRange").
    let sc = room_for_four().await;
    let out = with_victims_output(&sc, seven_at_once(3000)).await;
    assert_eq!(
        (
            out.status.code,
            out.status.error.as_ref(),
            stdout(&out).as_str()
        ),
        (0, None, "after\n"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("memory ceiling (RLIMIT_DATA, 1400 MiB) has no room"),
        "{}",
        stderr(&out)
    );
    let stats = sc.stats().await.expect("stats");
    assert_eq!(stats.cell_restarts, 0, "{stats:?}");
}

#[tokio::test]
async fn a_burst_past_the_room_for_code_ranges_waits_for_it() {
    let sc = room_for_four().await;
    let out = with_victims_output(&sc, seven_at_once(300)).await;
    assert_eq!(
        (
            out.status.code,
            out.status.error.as_ref(),
            stdout(&out).as_str(),
            stderr(&out).as_str()
        ),
        (0, None, "after\n", ""),
    );
}

#[tokio::test]
async fn a_timeout_inside_an_exit_listener_is_reported_as_a_timeout() {
    let sc = three_cells().await;
    let hostile = node("process.on('exit', () => { for (;;) {} })").timeout_ms(300);
    let status = with_victims(&sc, hostile).await;
    assert_eq!(typed(&status).0, ErrorCode::Timeout, "{status:?}");
}

#[tokio::test]
async fn a_cpu_limit_inside_an_exit_listener_is_reported_as_a_cpu_limit() {
    let sc = three_cells().await;
    let hostile = node("process.on('exit', () => { for (;;) {} })").cpu_ms(200);
    let status = with_victims(&sc, hostile).await;
    assert_eq!(typed(&status).0, ErrorCode::CpuLimit, "{status:?}");
}

#[tokio::test]
async fn a_kill_inside_an_exit_listener_is_reported_as_the_signal() {
    let sc = three_cells().await;
    let exec = sc
        .exec(node(
            "process.on('exit', () => { for (;;) {} }); console.log('up')",
        ))
        .await
        .expect("accepted");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    exec.kill(9).await.expect("kill");
    let status = tokio::time::timeout(HANG, exec.wait()).await.expect("hung");
    let status = status.expect("status");
    assert_eq!((status.code, status.signal), (137, Some(9)), "{status:?}");
}

#[tokio::test]
async fn a_kill_inside_a_before_exit_listener_is_reported_as_the_signal() {
    let sc = three_cells().await;
    let exec = sc
        .exec(node("process.on('beforeExit', () => { for (;;) {} })"))
        .await
        .expect("accepted");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    exec.kill(9).await.expect("kill");
    let status = tokio::time::timeout(HANG, exec.wait()).await.expect("hung");
    assert_eq!(status.expect("status").signal, Some(9));
}

#[tokio::test]
async fn a_timeout_inside_an_uncaught_exception_handler_is_reported_as_a_timeout() {
    let sc = three_cells().await;
    let source = "process.on('uncaughtException', () => { for (;;) {} }); throw new Error('x')";
    let status = with_victims(&sc, node(source).timeout_ms(300)).await;
    assert_eq!(typed(&status).0, ErrorCode::Timeout, "{status:?}");
}

#[tokio::test]
async fn an_escaping_symlink_is_refused_when_made_and_never_reaches_the_host() {
    let sc = three_cells().await;
    let dir = crate::support::scratch("symlink-escape");
    let mount = dir.join("mount");
    std::fs::create_dir_all(&mount).unwrap();
    std::fs::write(dir.join("secret.txt"), "SECRET").unwrap();
    let source = "try { require('fs').symlinkSync('../secret.txt', '/l'); console.log('made') } \
                  catch (e) { console.log(e.code) }";
    let spec = node(source).dir(mount.to_str().unwrap(), "/");
    let out = run(&sc, spec).await;
    assert_ne!(stdout(&out), "made\n", "{:?}", out.status);
    assert!(
        std::fs::symlink_metadata(mount.join("l")).is_err(),
        "the escaping link was left in the host directory"
    );
}

/// A WASI command that grows its memory by `pages` and exits 1 if the grow fails, 0 if not.
fn grower(pages: i32) -> Vec<u8> {
    use wasm_encoder::Instruction as I;
    let start = [
        I::I32Const(pages),
        I::MemoryGrow(0),
        I::I32Const(-1),
        I::I32Eq,
        I::Call(0),
        I::End,
    ];
    crate::support::wasi_command(&[], &[(1, &start, 0)])
}

#[tokio::test]
async fn a_wasi_memory_grow_past_the_limit_fails_in_the_guest_and_is_a_memory_limit() {
    let sc = three_cells().await;
    let dir = crate::support::scratch("grower");
    let module = dir.join("grower.wasm");
    std::fs::write(&module, grower(16_000)).unwrap();
    let spec = ExecSpec::new([module.to_str().unwrap()]).heap_mb(32);
    let status = with_victims(&sc, spec).await;
    let (code, message) = typed(&status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
    assert!(message.contains("16000 pages"), "{message}");
    let within = ExecSpec::new([module.to_str().unwrap()]).heap_mb(2048);
    assert_eq!(run(&sc, within).await.status.code, 0, "the grow fits 2 GiB");
}

#[tokio::test]
async fn a_resizable_array_buffer_cannot_grow_past_the_limit() {
    let sc = three_cells().await;
    let source = "const b = new ArrayBuffer(1, {maxByteLength: 2**32}); b.resize(2**32 - 1); \
                  new Uint8Array(b).fill(1)";
    let status = with_victims(&sc, node(source).heap_mb(32)).await;
    assert_eq!(typed(&status).0, ErrorCode::MemoryLimit, "{status:?}");
}

#[tokio::test]
async fn a_growable_shared_array_buffer_cannot_grow_past_the_limit() {
    let sc = three_cells().await;
    let source = "const s = new SharedArrayBuffer(1, {maxByteLength: 2**32}); s.grow(2**32 - 1)";
    let status = with_victims(&sc, node(source).heap_mb(64)).await;
    assert_eq!(typed(&status).0, ErrorCode::MemoryLimit, "{status:?}");
}

#[tokio::test]
async fn wasm_memories_together_cannot_pass_the_limit() {
    let sc = three_cells().await;
    let source = "const ms = []; for (let i = 0; i < 3; i++) { const m = new \
                  WebAssembly.Memory({initial: 16384}); new Uint8Array(m.buffer).fill(1); \
                  ms.push(m) }";
    let status = with_victims(&sc, node(source).heap_mb(32)).await;
    assert_eq!(typed(&status).0, ErrorCode::MemoryLimit, "{status:?}");
}

#[tokio::test]
async fn creating_wasm_memories_in_a_loop_at_the_largest_heap_is_bounded() {
    let sc = three_cells().await;
    let source = "for (;;) new WebAssembly.Memory({initial: 1})";
    let status = with_victims(&sc, node(source).heap_mb(4096)).await;
    assert_eq!(typed(&status).0, ErrorCode::MemoryLimit, "{status:?}");
}

#[tokio::test]
async fn a_guest_keeps_the_memory_it_is_allowed() {
    let sc = three_cells().await;
    let source = "const b = new ArrayBuffer(1, {maxByteLength: 8 << 20}); b.resize(8 << 20); \
                  const m = new WebAssembly.Memory({initial: 16, maximum: 64}); m.grow(16); \
                  console.log(b.byteLength, m.buffer.byteLength)";
    let out = run(&sc, node(source).heap_mb(32)).await;
    assert_eq!(stdout(&out), "8388608 2097152\n", "{:?}", out.status);
}

/// A guest that instantiates a module with no memory maximum (capped at heap_mb, reserved whole)
/// `rounds` times, keeping each exported memory (`keep`) or not, and making garbage until the
/// previous reservation is returned (or 40 tries have failed); kept memories are grown by
/// 56 MiB. Prints `round N` per instance, `refused` when none came, and the kept MiB at the end.
fn wasm_rounds(keep: bool, rounds: u32) -> String {
    format!(
        "const bytes = new Uint8Array([0,97,115,109,1,0,0,0,5,3,1,0,1,7,7,1,3,109,101,109,2,0]);
         const mod = new WebAssembly.Module(bytes);
         const kept = [];
         (async () => {{
           for (let round = 0; round < {rounds}; round++) {{
             let inst;
             for (let tries = 0; inst === undefined; tries++) {{
               try {{ inst = new WebAssembly.Instance(mod); }} catch (e) {{
                 if (tries === 40) {{ console.log('refused'); round = {rounds}; break; }}
                 let junk = []; for (let i = 0; i < 2e5; i++) junk.push({{ i }}); junk = null;
                 await new Promise((r) => setTimeout(r, 5));
               }}
             }}
             if (inst === undefined) break;
             console.log('round', round);
             const mem = inst.exports.mem;
             inst = null;
             if ({keep}) {{ try {{ mem.grow(896); }} catch {{}} kept.push(mem); }}
           }}
           console.log('kept MiB', kept.reduce((s, m) => s + m.buffer.byteLength, 0) >> 20);
         }})();"
    )
}

#[tokio::test]
async fn an_exported_wasm_memory_kept_past_its_instance_still_holds_its_reservation() {
    let sc = three_cells().await;
    let out = run(&sc, node(&wasm_rounds(true, 4)).heap_mb(64)).await;
    assert_eq!(
        stdout(&out),
        "round 0\nrefused\nkept MiB 56\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_wasm_reservation_returns_once_the_instance_and_its_memory_are_collected() {
    let sc = three_cells().await;
    let out = run(&sc, node(&wasm_rounds(false, 3)).heap_mb(64)).await;
    assert_eq!(
        stdout(&out),
        "round 0\nround 1\nround 2\nkept MiB 0\n",
        "{}",
        stderr(&out)
    );
}
