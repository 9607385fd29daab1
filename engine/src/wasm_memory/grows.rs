//! Where a module grows a memory, found while validating it: one read of its code does both,
//! and capping then copies every body without a `memory.grow` as it is (`guard.rs`).

use wasmparser::{
    FrameKind, FrameStack, FuncValidatorAllocations, ValidPayload, VisitOperator, VisitSimdOperator,
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
        self.note_memory(mem);
        if self.bodies.last() != Some(&body) {
            self.bodies.push(body);
        }
    }

    /// Appends the grows of later bodies.
    fn append(&mut self, later: Grows) {
        later
            .memories
            .into_iter()
            .for_each(|mem| self.note_memory(mem));
        self.bodies.extend(later.bodies);
    }

    fn note_memory(&mut self, mem: u32) {
        if !self.memories.contains(&mem) {
            self.memories.push(mem);
        }
    }
}

/// Bodies below this many are validated on the calling thread.
const PARALLEL_BODIES: usize = 256;
/// Most threads one module's bodies are validated on.
const MAX_THREADS: usize = 4;

/// Validates `bytes` as `wasmparser::Validator::validate_all` does, noting every grow. The code
/// bodies of a large module are validated on several threads (CPython's 30 000 take over half a
/// second on one).
///
/// # Errors
/// The first validation error (of the sections in order, then of the bodies in order).
pub fn validate(bytes: &[u8]) -> wasmparser::Result<Grows> {
    let mut validator = wasmparser::Validator::new();
    let mut bodies = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let ValidPayload::Func(func, code) = validator.payload(&payload?)? {
            bodies.push((func, code));
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.clamp(1, MAX_THREADS);
    if threads == 1 || bodies.len() < PARALLEL_BODIES {
        return validate_bodies(0, bodies);
    }
    let per_thread = bodies.len().div_ceil(threads);
    let mut chunks = Vec::new();
    while !bodies.is_empty() {
        let rest = bodies.split_off(per_thread.min(bodies.len()));
        chunks.push(std::mem::replace(&mut bodies, rest));
    }
    let results: Vec<_> = std::thread::scope(|scope| {
        let mut first = 0u32;
        let handles: Vec<_> = (chunks.into_iter())
            .map(|chunk| {
                let start = first;
                first += chunk.len() as u32;
                scope.spawn(move || validate_bodies(start, chunk))
            })
            .collect();
        (handles.into_iter())
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut grows = Grows::default();
    for part in results {
        grows.append(part?);
    }
    Ok(grows)
}

type Body<'a> = (
    wasmparser::FuncToValidate<wasmparser::ValidatorResources>,
    wasmparser::FunctionBody<'a>,
);

/// Validates `bodies`, the first of them body number `first` of the module.
fn validate_bodies(first: u32, bodies: Vec<Body<'_>>) -> wasmparser::Result<Grows> {
    let mut allocations = FuncValidatorAllocations::default();
    let mut grows = Grows::default();
    for (body, (func, code)) in (first..).zip(bodies) {
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
        reader.finish_expression(&func.visitor(reader.original_position()))?;
        allocations = func.into_allocations();
    }
    Ok(grows)
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
pub(super) mod tests {
    use wasm_encoder::{
        CodeSection, Function, FunctionSection, Instruction, MemorySection, MemoryType, Module,
        TypeSection,
    };

    use super::*;

    /// `(drop (i32.const 1))` with the constant padded to four bytes (valid, not canonical).
    const PADDED: &[u8] = &[0x00, 0x41, 0x81, 0x80, 0x80, 0x00, 0x1a, 0x0b];

    /// A module of `n` functions `[] -> []` and one memory of a page (no maximum), up to its code
    /// section.
    pub(in crate::wasm_memory) fn prelude(n: u32) -> Module {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut funcs = FunctionSection::new();
        (0..n).for_each(|_| {
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
        m
    }

    /// Three functions: the padded one, one that grows memory 0, and one that does nothing;
    /// `extra` is appended to the last body (before its `end`).
    fn module(extra: &[Instruction<'_>]) -> Vec<u8> {
        let mut m = prelude(3);
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

    /// `n` bodies: those in `growing` grow memory 0, the one at `invalid` leaves a value behind.
    fn many(n: u32, growing: &[u32], invalid: Option<u32>) -> Vec<u8> {
        let mut m = prelude(n);
        let mut code = CodeSection::new();
        for i in 0..n {
            let mut f = Function::new([]);
            f.instruction(&Instruction::I32Const(1));
            if growing.contains(&i) {
                f.instruction(&Instruction::MemoryGrow(0));
            }
            if invalid != Some(i) {
                f.instruction(&Instruction::Drop);
            }
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        m.section(&code);
        m.finish()
    }

    #[test]
    fn a_large_module_validated_on_several_threads_notes_every_grow_in_order() {
        let growing = [3, 299, 300, 1000, 1999];
        let grows = validate(&many(2000, &growing, None)).unwrap();
        assert_eq!(grows.bodies, growing);
        assert_eq!(grows.memories, vec![0]);
    }

    #[test]
    fn a_large_module_with_one_bad_body_late_is_invalid() {
        let bytes = many(2000, &[], Some(1900));
        assert!(wasmparser::Validator::new().validate_all(&bytes).is_err());
        assert!(validate(&bytes).is_err());
        assert!(validate(&many(2000, &[], None)).is_ok());
    }
}
