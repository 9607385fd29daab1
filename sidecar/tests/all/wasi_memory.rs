//! The WASI calls answered straight into a command's memory (`fd_write`, `fd_read`,
//! `path_filestat_get`, `fd_filestat_get`, `fd_readdir`: engine/src/bridge/wasi_mem.rs), called
//! by a hand-made module with what a hostile guest would pass: every pointer, length and count
//! that leads outside memory or wraps past 4 GiB is `EFAULT`, nothing else happens, and a victim
//! alongside finishes.

use wasm_encoder::{
    BlockType, CodeSection, DataSection, Function, FunctionSection, Instruction as I, MemArg,
    Module, TypeSection, ValType,
};

use crate::shell::with_victim;
use crate::support::{run, scratch, sidecar, stdout};

/// `EFAULT` in WASI's numbering.
const EFAULT: i32 = 21;
/// The module's memory: one page.
const END: i32 = 65536;
/// A valid iovec `{ 64, 3 }` ("ok\n") at 16; a path "." at 80.
const IOV: i32 = 16;
const PATH: i32 = 80;

/// One import call: the import's index and its arguments.
struct Call {
    import: u32,
    args: Vec<Arg>,
}

enum Arg {
    I32(i32),
    I64(i64),
}

fn call(import: u32, args: &[i32]) -> Call {
    Call {
        import,
        args: args.iter().map(|&a| Arg::I32(a)).collect(),
    }
}

/// Imports after `proc_exit` (function 0), with their type indices.
const IMPORTS: &[(&str, &str, u32)] = &[
    ("wasi_snapshot_preview1", "fd_write", 2),
    ("wasi_snapshot_preview1", "fd_read", 2),
    ("wasi_snapshot_preview1", "path_filestat_get", 3),
    ("wasi_snapshot_preview1", "fd_filestat_get", 4),
    ("wasi_snapshot_preview1", "fd_readdir", 5),
];
const FD_WRITE: u32 = 1;
const FD_READ: u32 = 2;
const PATH_FILESTAT_GET: u32 = 3;
const FD_FILESTAT_GET: u32 = 4;
const FD_READDIR: u32 = 5;

/// A command that makes each call, exiting with its index + 1 when one does not return
/// `expected`, then writes "ok\n" with a well-formed `fd_write` and exits 0.
fn caller(calls: &[Call], expected: i32) -> Vec<u8> {
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], []);
    types.ty().function([], []);
    types.ty().function([ValType::I32; 4], [ValType::I32]);
    types.ty().function([ValType::I32; 5], [ValType::I32]);
    types.ty().function([ValType::I32; 2], [ValType::I32]);
    let readdir = [
        ValType::I32,
        ValType::I32,
        ValType::I32,
        ValType::I64,
        ValType::I32,
    ];
    types.ty().function(readdir, [ValType::I32]);
    m.section(&types);
    crate::support::command_imports(&mut m, IMPORTS);
    let mut funcs = FunctionSection::new();
    funcs.function(1);
    m.section(&funcs);
    let start = u32::try_from(IMPORTS.len() + 1).expect("few imports");
    crate::support::memory_and_exports(&mut m, start);
    let mut f = Function::new([]);
    for (index, c) in calls.iter().enumerate() {
        for arg in &c.args {
            f.instruction(&match arg {
                Arg::I32(v) => I::I32Const(*v),
                Arg::I64(v) => I::I64Const(*v),
            });
        }
        let failed = i32::try_from(index + 1).expect("few calls");
        for op in [
            I::Call(c.import),
            I::I32Const(expected),
            I::I32Ne,
            I::If(BlockType::Empty),
            I::I32Const(failed),
            I::Call(0),
            I::End,
        ] {
            f.instruction(&op);
        }
    }
    for op in [
        I::I32Const(1),
        I::I32Const(IOV),
        I::I32Const(1),
        I::I32Const(0),
        I::Call(FD_WRITE),
        I::Drop,
        I::I32Const(0),
        I::I32Load(MemArg {
            offset: 0,
            align: 2,
            memory_index: 0,
        }),
        I::I32Const(3),
        I::I32Ne,
        I::Call(0),
        I::End,
    ] {
        f.instruction(&op);
    }
    let mut code = CodeSection::new();
    code.function(&f);
    m.section(&code);
    let mut data = DataSection::new();
    let iov: Vec<u8> = [64u32, 3].iter().flat_map(|w| w.to_le_bytes()).collect();
    data.active(0, &wasm_encoder::ConstExpr::i32_const(IOV), iov);
    data.active(0, &wasm_encoder::ConstExpr::i32_const(64), b"ok\n".to_vec());
    data.active(0, &wasm_encoder::ConstExpr::i32_const(PATH), b".".to_vec());
    // An iovec reaching past the end of memory, at 32; one starting past it, at 40.
    let crossing: Vec<u8> = [(END - 4) as u32, 16, END as u32, 1]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    data.active(0, &wasm_encoder::ConstExpr::i32_const(32), crossing);
    m.section(&data);
    m.finish()
}

/// Every call here leads outside memory somewhere.
fn hostile_calls() -> Vec<Call> {
    vec![
        // The iovec table itself crosses the end; its count wraps a u32 when multiplied by 8.
        call(FD_WRITE, &[1, END - 4, 1, 0]),
        call(FD_WRITE, &[1, IOV, 0x2000_0001, 0]),
        // An iovec crossing the end, one starting past it; nwritten outside.
        call(FD_WRITE, &[1, 32, 1, 0]),
        call(FD_WRITE, &[1, 40, 1, 0]),
        call(FD_WRITE, &[1, IOV, 1, -1]),
        call(FD_READ, &[0, 32, 1, 0]),
        call(FD_READ, &[0, IOV, 1, END - 2]),
        // A path at the top of the address space; a filestat that does not fit.
        call(PATH_FILESTAT_GET, &[3, 0, -1, 5, 0]),
        call(PATH_FILESTAT_GET, &[3, 0, PATH, 1, END - 63]),
        call(FD_FILESTAT_GET, &[1, END - 8]),
        Call {
            import: FD_READDIR,
            args: vec![
                Arg::I32(3),
                Arg::I32(END - 100),
                Arg::I32(1000),
                Arg::I64(0),
                Arg::I32(0),
            ],
        },
        Call {
            import: FD_READDIR,
            args: vec![
                Arg::I32(3),
                Arg::I32(0),
                Arg::I32(-1),
                Arg::I64(-1),
                Arg::I32(END),
            ],
        },
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn wasi_pointers_outside_memory_are_efault_and_a_victim_finishes() {
    let sc = sidecar().await;
    let dir = scratch("wasi-memory-hostile");
    let module = dir.join("hostile.wasm");
    std::fs::write(&module, caller(&hostile_calls(), EFAULT)).expect("module");
    let spec = agentos_sdk::ExecSpec::new([module.to_string_lossy().into_owned()])
        .dir(dir.to_string_lossy(), "/w")
        .stdin(b"unread".to_vec());
    let out = with_victim(&sc, spec).await;
    assert_eq!(
        (out.status.code, stdout(&out)),
        (0, "ok\n".into()),
        "{out:?}"
    );
    assert!(out.status.error.is_none(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn stat_and_readdir_answer_into_memory_in_wasi_layout() {
    let sc = sidecar().await;
    let dir = scratch("wasi-memory-layout");
    std::fs::write(dir.join("a-file"), "12345").expect("fixture");
    let out = run(
        &sc,
        agentos_sdk::ExecSpec::new(["sh", "-c", "stat -c '%s %F' /w/a-file; ls -a /w | sort"])
            .dir(dir.to_string_lossy(), "/w"),
    )
    .await;
    assert_eq!(stdout(&out), "5 regular file\n.\n..\na-file\n", "{out:?}");
}
