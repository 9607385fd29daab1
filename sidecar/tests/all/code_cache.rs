//! Compiled wasm code kept on disk across restarts (`engine/src/code_cache`): a restarted sidecar
//! runs a module it ran before from the stored code (and gets the same result), and a damaged or
//! refused file is never trusted. Once compiled, a module's bytes are released (V8 keeps its own
//! copy) and read again from the file when another memory limit needs them.

use std::path::{Path, PathBuf};

use agentos_sdk::{ExecSpec, Output, Sidecar, SidecarBuilder};
use agentos_snapshots::{Digest, DiskCache};

use crate::support::{HANG, builder, run, scratch, spawn, stderr};

/// The phase an exec reports when its module came from the disk cache.
const FROM_DISK: &str = "inject_code_from_disk";

/// Calls of the hot function: enough for V8 to optimize it while the exec runs (V8 serializes a
/// module only once some function has optimized code).
const CALLS: i32 = 5_000_000;

/// A WASI command that calls `x * 31 + 7` on its accumulator [`CALLS`] times and exits with the
/// result mod 100 ([`expected_code`]).
fn hot_module() -> Vec<u8> {
    use wasm_encoder::{BlockType, Instruction as I, ValType};
    // Locals: 0 = i, 1 = acc.
    let start = [
        I::Loop(BlockType::Empty),
        I::LocalGet(1),
        I::Call(2),
        I::LocalSet(1),
        I::LocalGet(0),
        I::I32Const(1),
        I::I32Add,
        I::LocalTee(0),
        I::I32Const(CALLS),
        I::I32LtU,
        I::BrIf(0),
        I::End,
        I::LocalGet(1),
        I::I32Const(100),
        I::I32RemU,
        I::Call(0),
        I::End,
    ];
    let work = [
        I::LocalGet(0),
        I::I32Const(31),
        I::I32Mul,
        I::I32Const(7),
        I::I32Add,
        I::End,
    ];
    let step: (&[ValType], &[ValType]) = (&[ValType::I32], &[ValType::I32]);
    crate::support::wasi_command(&[step], &[(1, &start, 2), (2, &work, 0)])
}

fn expected_code() -> i32 {
    let acc = (0..CALLS).fold(0u32, |acc, _| acc.wrapping_mul(31).wrapping_add(7));
    (acc % 100) as i32
}

/// A directory holding [`hot_module`] as `hot.wasm`; its path.
fn hot_file() -> PathBuf {
    let path = scratch("code-cache-module").join("hot.wasm");
    std::fs::write(&path, hot_module()).expect("write module");
    path
}

fn sidecar_in(cache: &Path) -> SidecarBuilder {
    builder("auto")
        .env("AGENTOS_SNAPSHOT_DIR", cache)
        .env("AGENTOS_V8_SESSION_PHASES", "1")
}

/// Runs `module` and checks its exit code.
async fn run_hot(sc: &Sidecar, module: &Path) -> Output {
    let out = run(sc, ExecSpec::new([module.to_str().expect("utf-8 path")])).await;
    assert_eq!(
        out.status.code,
        expected_code(),
        "{:?}: {}",
        out.status,
        stderr(&out)
    );
    out
}

/// A sidecar with its caches in `cache` runs `module` until an engine stored its code; the
/// stored file's digest and bytes (which must differ from `unlike`).
async fn run_until_stored(cache: &Path, module: &Path, unlike: Option<&[u8]>) -> (Digest, Vec<u8>) {
    let sc = spawn(sidecar_in(cache)).await;
    let deadline = tokio::time::Instant::now() + HANG;
    loop {
        run_hot(&sc, module).await;
        if let Some(found) = stored_code(cache, unlike) {
            sc.shutdown().await.expect("shutdown");
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no code file in {cache:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// One run of `module` in a fresh sidecar with its caches in `cache`; whether its module came
/// from the stored code, by the exec's phases and by the sidecar's stats (which must agree).
async fn run_once(cache: &Path, module: &Path) -> bool {
    let sc = spawn(sidecar_in(cache)).await;
    let out = run_hot(&sc, module).await;
    let stats = sc.stats().await.expect("stats");
    sc.shutdown().await.expect("shutdown");
    let by_phase = out.status.phases.iter().any(|(name, _)| name == FROM_DISK);
    assert_eq!(
        stats.module_code_from_disk,
        u64::from(by_phase),
        "{stats:?} {out:?}"
    );
    by_phase
}

/// The code file in `cache`, unless it is missing or holds `unlike`.
fn stored_code(cache: &Path, unlike: Option<&[u8]>) -> Option<(Digest, Vec<u8>)> {
    for entry in std::fs::read_dir(cache).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(hex) = name
            .strip_prefix("wasm-code-")
            .and_then(|n| n.strip_suffix(".bin"))
        else {
            continue;
        };
        let bytes = std::fs::read(entry.path()).expect("read code file");
        if unlike != Some(&bytes[..]) {
            return Some((digest(hex), bytes));
        }
    }
    None
}

fn digest(hex: &str) -> Digest {
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex digest");
    }
    Digest(out)
}

#[tokio::test]
async fn a_restarted_sidecar_runs_a_module_from_its_stored_code() {
    let (cache, module) = (scratch("code-cache"), hot_file());
    run_until_stored(&cache, &module, None).await;
    assert!(
        run_once(&cache, &module).await,
        "not run from the stored code"
    );
}

#[tokio::test]
async fn a_damaged_code_file_is_ignored_and_the_module_compiled() {
    let (cache, module) = (scratch("code-cache-damaged"), hot_file());
    let (digest, mut bytes) = run_until_stored(&cache, &module, None).await;
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(
        DiskCache::of_kind(&cache, "wasm-code").path(&digest),
        &bytes,
    )
    .expect("write");
    assert!(!run_once(&cache, &module).await, "run from a damaged file");
}

#[tokio::test]
async fn code_v8_refuses_is_compiled_instead_and_replaced() {
    // A well-formed file (right key, right checksum) whose contents are not V8's: V8 refuses
    // them and compiles the module; a later store puts real code in its place.
    let (cache, module) = (scratch("code-cache-refused"), hot_file());
    let (digest, _) = run_until_stored(&cache, &module, None).await;
    let disk = DiskCache::of_kind(&cache, "wasm-code");
    disk.store(&digest, &[0x5a; 4096]).expect("store garbage");
    let planted = std::fs::read(disk.path(&digest)).expect("read planted file");
    assert!(!run_once(&cache, &module).await, "run from refused code");
    run_until_stored(&cache, &module, Some(&planted)).await;
    assert!(
        run_once(&cache, &module).await,
        "not run from the replacement"
    );
}

#[tokio::test]
async fn a_module_runs_under_another_memory_limit_after_its_bytes_were_released() {
    let (cache, module) = (scratch("code-cache-limits"), hot_file());
    let sc = spawn(sidecar_in(&cache)).await;
    let path = module.to_str().expect("utf-8 path");
    // Each limit is another capped variant of the bytes; the first exec's compile released them.
    for heap_mb in [64, 128, 64, 96] {
        let out = run(&sc, ExecSpec::new([path]).heap_mb(heap_mb)).await;
        assert_eq!(
            out.status.code,
            expected_code(),
            "heap_mb {heap_mb}: {:?}: {}",
            out.status,
            stderr(&out)
        );
    }
    sc.shutdown().await.expect("shutdown");
}
