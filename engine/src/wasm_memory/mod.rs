//! Wasm linear memory under a guest's limit: every memory a module defines gets a maximum of at
//! most the guest's budget, so `memory.grow` past it fails inside the guest (it returns -1, as
//! the spec allows) instead of the process granting it. V8 offers no per-isolate hook on wasm
//! memory growth; rewriting the module's memory section before it is compiled is the lever.
//!
//! Only the memory section changes; every other byte of the module is kept as it is.

mod grows;
mod guard;
mod splice;

pub use grows::{Grows, validate as validate_noting_grows};
pub use guard::ASKED_EXPORT;

use wasm_encoder::{MemorySection, MemoryType};
use wasmparser::{BinaryReader, MemorySectionReader};

/// The memory section's id.
const MEMORY_SECTION: u8 = 5;

/// A module with its defined memories capped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capped {
    /// The rewritten module, or `None` when no memory needed a lower maximum.
    pub bytes: Option<Vec<u8>>,
    /// Each defined memory's maximum after capping, in bytes.
    pub maxima: Vec<u64>,
}

/// Why a module cannot run under the budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapError {
    /// A memory starts bigger than the whole budget.
    #[error(
        "wasm memory limit reached: a memory of this module starts at {initial} bytes, more \
         than the guest's limit of {limit} bytes (heap_mb)"
    )]
    InitialTooLarge {
        /// Its initial size, bytes.
        initial: u64,
        /// The budget, bytes.
        limit: u64,
    },
    /// The module's sections do not parse (V8 reports the module as invalid when compiling).
    #[error("malformed module: {0}")]
    Malformed(String),
}

/// Caps every memory `bytes` defines at `limit` bytes, and guards every `memory.grow` (see
/// `guard.rs`: a refused grow is recorded in the export [`ASKED_EXPORT`]).
///
/// # Errors
/// [`CapError`] when a memory starts above the limit or the sections do not parse.
pub fn cap(bytes: &[u8], limit: u64) -> Result<Capped, CapError> {
    cap_with(bytes, limit, None)
}

/// [`cap`] for a module whose grows are known already (validated by [`validate_noting_grows`]).
///
/// # Errors
/// As [`cap`].
pub fn cap_known(bytes: &[u8], limit: u64, grows: &Grows) -> Result<Capped, CapError> {
    cap_with(bytes, limit, Some(grows))
}

fn cap_with(bytes: &[u8], limit: u64, grows: Option<&Grows>) -> Result<Capped, CapError> {
    if let Some(guarded) = guard::guard(bytes, limit, grows)? {
        return Ok(guarded);
    }
    cap_memory_section(bytes, limit)
}

/// Caps the memory section only (for modules that never grow a memory).
fn cap_memory_section(bytes: &[u8], limit: u64) -> Result<Capped, CapError> {
    let malformed = |e: wasmparser::BinaryReaderError| CapError::Malformed(e.message().into());
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err(CapError::Malformed("not a wasm module".into()));
    }
    let mut reader = BinaryReader::new(&bytes[8..], 8);
    while !reader.eof() {
        let start = reader.original_position() as usize;
        let id = reader.read_u8().map_err(malformed)?;
        let size = reader.read_var_u32().map_err(malformed)? as usize;
        let body = reader.original_position() as usize;
        let end = body
            .checked_add(size)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| CapError::Malformed("a section runs past the end".into()))?;
        if id == MEMORY_SECTION {
            return rewrite(bytes, start..end, body, limit);
        }
        reader.read_bytes(size).map_err(malformed)?;
    }
    Ok(Capped {
        bytes: None,
        maxima: Vec::new(),
    })
}

/// Rewrites the memory section at `section` (its contents start at `body`).
fn rewrite(
    bytes: &[u8],
    section: std::ops::Range<usize>,
    body: usize,
    limit: u64,
) -> Result<Capped, CapError> {
    let malformed = |e: wasmparser::BinaryReaderError| CapError::Malformed(e.message().into());
    let reader =
        MemorySectionReader::new(BinaryReader::new(&bytes[body..section.end], body as u64))
            .map_err(malformed)?;
    let mut out = MemorySection::new();
    let mut maxima = Vec::new();
    let mut changed = false;
    for memory in reader {
        let memory = memory.map_err(malformed)?;
        let page = 1u64 << memory.page_size_log2.unwrap_or(16);
        let cap_pages = limit / page;
        if memory.initial > cap_pages {
            return Err(CapError::InitialTooLarge {
                initial: memory.initial.saturating_mul(page),
                limit,
            });
        }
        let maximum = memory.maximum.map_or(cap_pages, |m| m.min(cap_pages));
        changed |= memory.maximum != Some(maximum);
        maxima.push(maximum.saturating_mul(page));
        out.memory(MemoryType {
            minimum: memory.initial,
            maximum: Some(maximum),
            memory64: memory.memory64,
            shared: memory.shared,
            page_size_log2: memory.page_size_log2,
        });
    }
    if !changed {
        return Ok(Capped {
            bytes: None,
            maxima,
        });
    }
    let mut rewritten = Vec::with_capacity(bytes.len() + 16);
    rewritten.extend_from_slice(&bytes[..section.start]);
    wasm_encoder::Section::append_to(&out, &mut rewritten);
    rewritten.extend_from_slice(&bytes[section.end..]);
    Ok(Capped {
        bytes: Some(rewritten),
        maxima,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use wasm_encoder::{CodeSection, ExportKind, ExportSection, Function, FunctionSection, Module};
    use wasm_encoder::{Instruction, TypeSection};

    use super::*;

    const MIB: u64 = 1 << 20;

    /// A module with a `_start` and one memory of `initial` pages, at most `maximum`.
    fn module(initial: u64, maximum: Option<u64>) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut funcs = FunctionSection::new();
        funcs.function(0);
        m.section(&funcs);
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: initial,
            maximum,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        m.section(&memories);
        let mut exports = ExportSection::new();
        exports.export("_start", ExportKind::Func, 0);
        m.section(&exports);
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        f.instruction(&Instruction::End);
        code.function(&f);
        m.section(&code);
        m.finish()
    }

    fn memory_of(bytes: &[u8]) -> wasmparser::MemoryType {
        for payload in wasmparser::Parser::new(0).parse_all(bytes) {
            if let Ok(wasmparser::Payload::MemorySection(r)) = payload {
                return r.into_iter().next().unwrap().unwrap();
            }
        }
        panic!("no memory section");
    }

    #[test]
    fn a_memory_without_a_maximum_gets_the_budget_and_stays_valid() {
        let capped = cap(&module(1, None), 32 * MIB).unwrap();
        let bytes = capped.bytes.expect("rewritten");
        wasmparser::Validator::new().validate_all(&bytes).unwrap();
        assert_eq!(memory_of(&bytes).maximum, Some(512));
        assert_eq!(capped.maxima, vec![32 * MIB]);
    }

    #[test]
    fn a_lower_maximum_is_kept_and_the_module_left_untouched() {
        let capped = cap(&module(1, Some(4)), 32 * MIB).unwrap();
        assert_eq!(capped.bytes, None);
        assert_eq!(capped.maxima, vec![4 << 16]);
    }

    #[test]
    fn a_higher_maximum_comes_down_to_the_budget() {
        let capped = cap(&module(1, Some(65536)), MIB).unwrap();
        assert_eq!(memory_of(&capped.bytes.unwrap()).maximum, Some(16));
    }

    #[test]
    fn a_memory_that_starts_above_the_budget_is_refused() {
        assert_eq!(
            cap(&module(100, None), MIB),
            Err(CapError::InitialTooLarge {
                initial: 100 << 16,
                limit: MIB
            })
        );
    }

    /// `module(1, None)` whose `_start` grows the memory by 2 pages.
    pub(super) fn growing_module() -> Vec<u8> {
        let mut m = grows::tests::prelude(1);
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        for op in [
            Instruction::I32Const(2),
            Instruction::MemoryGrow(0),
            Instruction::Drop,
            Instruction::End,
        ] {
            f.instruction(&op);
        }
        code.function(&f);
        m.section(&code);
        m.finish()
    }

    #[test]
    fn every_grow_goes_through_a_guard_that_records_refusals_in_an_export() {
        let capped = cap(&growing_module(), MIB).unwrap();
        let bytes = capped.bytes.expect("rewritten");
        wasmparser::Validator::new().validate_all(&bytes).unwrap();
        let mut grows = 0;
        let mut exported = false;
        let mut functions = 0;
        for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
            match payload.unwrap() {
                wasmparser::Payload::ExportSection(r) => {
                    exported = r.into_iter().any(|e| e.unwrap().name == ASKED_EXPORT);
                }
                wasmparser::Payload::CodeSectionEntry(body) => {
                    functions += 1;
                    let mut ops = body.get_operators_reader().unwrap();
                    while !ops.eof() {
                        if let wasmparser::Operator::MemoryGrow { .. } = ops.read().unwrap() {
                            grows += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        assert!(
            exported,
            "no {ASKED_EXPORT} export (the module had no export section)"
        );
        assert_eq!(
            (functions, grows),
            (2, 1),
            "the only grow left is the guard's own"
        );
        assert_eq!(memory_of(&bytes).maximum, Some(16));
    }

    #[test]
    fn modules_without_memory_and_garbage_are_told_apart() {
        let mut m = Module::new();
        m.section(&TypeSection::new());
        assert_eq!(cap(&m.finish(), MIB).unwrap().bytes, None);
        assert!(matches!(
            cap(b"\0asm\x01\0\0\0\x05\xff", MIB),
            Err(CapError::Malformed(_))
        ));
        assert!(matches!(cap(b"ELF", MIB), Err(CapError::Malformed(_))));
    }
}
