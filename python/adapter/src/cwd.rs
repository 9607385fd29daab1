//! Entering the exec's working directory. wasi-libc starts every program in `/`; the command
//! set links a constructor that asks the sandbox for the working directory
//! (`agentos_v1.cwd_get`) and `chdir`s there, but a reactor built elsewhere has none, so
//! `python3 script.py` would look for `/script.py`. The adapted `_start` does what that
//! constructor does, after `_initialize`: it reserves a buffer on the C stack (the
//! `__stack_pointer` global), fills it with `cwd_get` and calls the module's own `chdir`. Both
//! are found by name in the module's name section; a module without them keeps starting in `/`.

use wasm_encoder::{Function, Instruction, MemArg, ValType as EncValType};
use wasmparser::{GlobalType, ValType};

use crate::AdaptError;
use crate::plan::{Plan, Sig};

/// Bytes reserved for the path (a longer working directory is not entered).
const BUFFER: i32 = 4096;

/// What the first pass saw that the working-directory step needs.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// The type index of each defined function.
    pub func_types: Vec<u32>,
    /// Every global, imported ones first.
    pub globals: Vec<GlobalType>,
    chdir: Option<u32>,
    stack_pointer: Option<u32>,
}

/// The module's `chdir` and stack pointer, and a `(i32, i32) -> i32` type it already has.
#[derive(Debug, Clone, Copy)]
pub struct Cwd {
    /// The input index of `chdir: (i32) -> i32`.
    pub chdir: u32,
    /// The index of `__stack_pointer` (a mutable i32 global).
    pub stack_pointer: u32,
    /// The input's `(i32, i32) -> i32` type, if it has one.
    pub existing_type: Option<u32>,
}

impl Found {
    pub fn function_names(&mut self, map: wasmparser::NameMap<'_>) -> Result<(), AdaptError> {
        for naming in map {
            let naming = naming?;
            if naming.name == "chdir" {
                self.chdir = Some(naming.index);
            }
        }
        Ok(())
    }

    pub fn global_names(&mut self, map: wasmparser::NameMap<'_>) -> Result<(), AdaptError> {
        for naming in map {
            let naming = naming?;
            if naming.name == "__stack_pointer" {
                self.stack_pointer = Some(naming.index);
            }
        }
        Ok(())
    }

    /// The step, when the module has a defined `chdir: (i32) -> i32` and a mutable i32
    /// `__stack_pointer`.
    pub fn cwd(&self, sigs: &[Option<Sig>], func_imports: u32) -> Option<Cwd> {
        let chdir = self.chdir?;
        let ty = *self
            .func_types
            .get(chdir.checked_sub(func_imports)? as usize)?;
        let want: Sig = (vec![ValType::I32], vec![ValType::I32]);
        if sigs.get(ty as usize)?.as_ref()? != &want {
            return None;
        }
        let stack_pointer = self.stack_pointer?;
        let global = self.globals.get(stack_pointer as usize)?;
        if !global.mutable || global.content_type != ValType::I32 {
            return None;
        }
        let pair: Sig = (vec![ValType::I32, ValType::I32], vec![ValType::I32]);
        let existing_type = (0..sigs.len())
            .find(|&t| sigs[t].as_ref() == Some(&pair))
            .and_then(|t| u32::try_from(t).ok());
        Some(Cwd {
            chdir,
            stack_pointer,
            existing_type,
        })
    }
}

/// `_start`'s locals for the step: the buffer's address and the path's length.
pub fn locals() -> Vec<(u32, EncValType)> {
    vec![(2, EncValType::I32)]
}

/// Appends the step to `f` (`chdir` is already mapped to its new index).
pub fn enter(f: &mut Function, plan: &Plan, cwd: &Cwd, chdir: u32) {
    let (buf, len) = (0, 1);
    let sp = cwd.stack_pointer;
    let byte = MemArg {
        offset: 0,
        align: 0,
        memory_index: 0,
    };
    for i in [
        Instruction::GlobalGet(sp),
        Instruction::I32Const(BUFFER),
        Instruction::I32Sub,
        Instruction::LocalTee(buf),
        Instruction::GlobalSet(sp),
        Instruction::LocalGet(buf),
        Instruction::I32Const(BUFFER),
        Instruction::Call(plan.cwd_get()),
        Instruction::LocalTee(len),
        Instruction::I32Const(BUFFER),
        Instruction::I32LtU,
        Instruction::If(wasm_encoder::BlockType::Empty),
        Instruction::LocalGet(buf),
        Instruction::LocalGet(len),
        Instruction::I32Add,
        Instruction::I32Const(0),
        Instruction::I32Store8(byte),
        Instruction::LocalGet(buf),
        Instruction::Call(chdir),
        Instruction::Drop,
        Instruction::End,
        Instruction::GlobalGet(sp),
        Instruction::I32Const(BUFFER),
        Instruction::I32Add,
        Instruction::GlobalSet(sp),
    ] {
        f.instruction(&i);
    }
}
