//! Where a module grows a memory, found while validating it: one read of its code does both,
//! and capping then copies every body without a `memory.grow` as it is (`guard.rs`).

use wasmparser::{
    BinaryReader, FrameKind, FrameStack, FuncValidatorAllocations, ValidPayload, VisitOperator,
    VisitSimdOperator,
};

/// Which memories a module grows, and which of its code bodies do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grows {
    /// Memories some `memory.grow` grows, in the order first seen.
    pub memories: Vec<u32>,
    /// Positions in the code section (ascending) of the bodies with a `memory.grow`.
    pub bodies: Vec<u32>,
}

impl Grows {
    /// Notes a `memory.grow` of memory `mem` in body `body` (bodies come in ascending order).
    pub fn note(&mut self, mem: u32, body: u32) {
        if !self.memories.contains(&mem) {
            self.memories.push(mem);
        }
        if self.bodies.last() != Some(&body) {
            self.bodies.push(body);
        }
    }
}

/// Validates `bytes` as `wasmparser::Validator::validate_all` does, noting every grow.
///
/// # Errors
/// The first validation error.
pub fn validate(bytes: &[u8]) -> wasmparser::Result<Grows> {
    let mut validator = wasmparser::Validator::new();
    let mut allocations = FuncValidatorAllocations::default();
    let mut grows = Grows::default();
    let mut body = 0u32;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        let ValidPayload::Func(func, code) = validator.payload(&payload)? else {
            continue;
        };
        let mut func = func.into_validator(std::mem::take(&mut allocations));
        let mut reader = code.get_binary_reader();
        func.read_locals(&mut reader)?;
        while !reader.eof() {
            let mut noting = Noting {
                inner: func.visitor(reader.original_position()),
                grows: &mut grows,
                body,
            };
            reader.visit_operator(&mut noting)??;
        }
        finish(&reader, &mut func)?;
        allocations = func.into_allocations();
        body += 1;
    }
    Ok(grows)
}

fn finish(
    reader: &BinaryReader<'_>,
    func: &mut wasmparser::FuncValidator<wasmparser::ValidatorResources>,
) -> wasmparser::Result<()> {
    reader.finish_expression(&func.visitor(reader.original_position()))
}

/// The validator's visitor, noting `memory.grow` on the way through.
struct Noting<'g, V> {
    inner: V,
    grows: &'g mut Grows,
    body: u32,
}

macro_rules! forward {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(,$arg: $argty)*)?) -> Self::Output {
                forward!(@note self $visit $($($arg)*)?);
                self.inner.$visit($($($arg),*)?)
            }
        )*
    };
    (@note $self:ident visit_memory_grow $mem:ident) => {
        $self.grows.note($mem, $self.body);
    };
    (@note $self:ident $visit:ident $($arg:ident)*) => {};
}

impl<'a, V> VisitOperator<'a> for Noting<'_, V>
where
    V: VisitOperator<'a>,
{
    type Output = V::Output;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        self.inner.simd_visitor()
    }

    wasmparser::for_each_visit_operator!(forward);
}

impl<V: FrameStack> FrameStack for Noting<'_, V> {
    fn current_frame(&self) -> Option<FrameKind> {
        self.inner.current_frame()
    }
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, Function, FunctionSection, Instruction, MemorySection, MemoryType, Module,
        TypeSection,
    };

    use super::*;

    /// `(drop (i32.const 1))` with the constant padded to four bytes (valid, not canonical).
    const PADDED: &[u8] = &[0x00, 0x41, 0x81, 0x80, 0x80, 0x00, 0x1a, 0x0b];

    /// Three functions: the padded one, one that grows memory 0, and one that does nothing;
    /// `extra` is appended to the last body (before its `end`).
    fn module(extra: &[Instruction<'_>]) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut funcs = FunctionSection::new();
        (0..3).for_each(|_| {
            funcs.function(0);
        });
        m.section(&funcs);
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        m.section(&memories);
        let mut code = CodeSection::new();
        code.raw(PADDED);
        let mut grow = Function::new([]);
        for op in [
            Instruction::I32Const(1),
            Instruction::MemoryGrow(0),
            Instruction::Drop,
            Instruction::End,
        ] {
            grow.instruction(&op);
        }
        code.function(&grow);
        let mut last = Function::new([]);
        extra.iter().for_each(|op| {
            last.instruction(op);
        });
        last.instruction(&Instruction::End);
        code.function(&last);
        m.section(&code);
        m.finish()
    }

    #[test]
    fn validation_notes_which_bodies_grow_which_memory() {
        let grows = validate(&module(&[])).unwrap();
        assert_eq!(
            grows,
            Grows {
                memories: vec![0],
                bodies: vec![1]
            }
        );
    }

    #[test]
    fn an_invalid_body_fails_as_validate_all_fails() {
        let bytes = module(&[Instruction::I32Const(7)]);
        assert!(wasmparser::Validator::new().validate_all(&bytes).is_err());
        let error = validate(&bytes).unwrap_err();
        assert!(error.message().contains("type mismatch"), "{error}");
    }

    #[test]
    fn capping_copies_bodies_without_a_grow_byte_for_byte() {
        let bytes = module(&[]);
        let grows = validate(&bytes).unwrap();
        let capped = super::super::cap_known(&bytes, 1 << 20, &grows).unwrap();
        let out = capped.bytes.expect("guarded");
        wasmparser::Validator::new().validate_all(&out).unwrap();
        assert!(
            out.windows(PADDED.len()).any(|w| w == PADDED),
            "the padded body was re-encoded"
        );
        assert_eq!(super::super::cap(&bytes, 1 << 20).unwrap().bytes, Some(out));
    }
}
