//! Writing a guarded module into one buffer sized up front: the sections the guard changes are
//! re-encoded (types, functions, memories, globals, exports, and the few bodies with a
//! `memory.grow`), every other byte is copied in runs. Re-encoding the whole module with
//! `wasm_encoder`'s `Module` (each section built in its own growing buffer, then copied into
//! the module's growing buffer) took 130 ms for `python3.wasm` (95 MB) on its first exec.

use wasm_encoder::reencode::{Error, Reencode};
use wasm_encoder::{
    Encode, ExportSection, FunctionSection, GlobalSection, MemorySection, Module, Section,
    SectionId, TypeSection,
};
use wasmparser::BinaryReader;

use super::CapError;
use super::guard::Guarding;

type Failed = Error<CapError>;

/// Part of the new code section: bytes of the original, or new ones.
enum Piece {
    Original(std::ops::Range<usize>),
    New(Vec<u8>),
}

/// `bytes` (a valid module) with `guarding`'s changes.
pub(super) fn splice(guarding: &mut Guarding, bytes: &[u8]) -> Result<Vec<u8>, Failed> {
    let mut out = Vec::with_capacity(bytes.len() + 1024);
    out.extend_from_slice(&bytes[..8]);
    let mut reader = BinaryReader::new(&bytes[8..], 8);
    let mut last = None;
    while !reader.eof() {
        let start = reader.original_position() as usize;
        let id = reader.read_u8()?;
        let size = reader.read_var_u32()? as usize;
        let body = reader.original_position() as usize;
        reader.read_bytes(size)?;
        let end = body + size;
        let section = BinaryReader::new(&bytes[body..end], body as u64);
        let Some(known) = section_id(id) else {
            out.extend_from_slice(&bytes[start..end]); // a custom section
            continue;
        };
        missing_before(guarding, &mut out, last, Some(known))?;
        last = Some(known);
        match known {
            SectionId::Type => {
                let mut types = TypeSection::new();
                guarding
                    .parse_type_section(&mut types, wasmparser::TypeSectionReader::new(section)?)?;
                push(&mut out, &types);
            }
            SectionId::Function => {
                let mut functions = FunctionSection::new();
                let reader = wasmparser::FunctionSectionReader::new(section)?;
                guarding.parse_function_section(&mut functions, reader)?;
                push(&mut out, &functions);
            }
            SectionId::Memory => {
                let mut memories = MemorySection::new();
                let reader = wasmparser::MemorySectionReader::new(section)?;
                guarding.parse_memory_section(&mut memories, reader)?;
                push(&mut out, &memories);
            }
            SectionId::Global => {
                let mut globals = GlobalSection::new();
                let reader = wasmparser::GlobalSectionReader::new(section)?;
                guarding.parse_global_section(&mut globals, reader)?;
                push(&mut out, &globals);
            }
            SectionId::Export => {
                let mut exports = ExportSection::new();
                let reader = wasmparser::ExportSectionReader::new(section)?;
                guarding.parse_export_section(&mut exports, reader)?;
                push(&mut out, &exports);
            }
            SectionId::Code => code(guarding, &mut out, bytes, section)?,
            _ => out.extend_from_slice(&bytes[start..end]),
        }
    }
    missing_before(guarding, &mut out, last, None)?;
    Ok(out)
}

/// The code section: runs of original bodies, the bodies with a grow re-encoded, the guards.
fn code(
    guarding: &mut Guarding,
    out: &mut Vec<u8>,
    bytes: &[u8],
    section: BinaryReader<'_>,
) -> Result<(), Failed> {
    let end = section.original_position() as usize + section.bytes_remaining();
    let reader = wasmparser::CodeSectionReader::new(section)?;
    let count = reader.count();
    let mut pieces = Vec::new();
    let mut run = reader.original_position() as usize;
    for item in reader.into_iter_with_offsets() {
        let (at, func) = item?;
        let Some(body) = guarding.reencode_if_growing(&func)? else {
            continue;
        };
        // The run of original bytes stops at this body's size prefix.
        pieces.push(Piece::Original(run..at as usize));
        pieces.push(Piece::New(body));
        run = func.range().end as usize;
    }
    pieces.push(Piece::Original(run..end));
    for guard in guarding.guard_bodies() {
        let mut encoded = Vec::new();
        guard.encode(&mut encoded);
        pieces.push(Piece::New(encoded));
    }
    let total = count + guarding.guard_count();
    let len = |p: &Piece| match p {
        Piece::Original(r) => r.len(),
        Piece::New(v) => v.len(),
    };
    let content = leb_len(u64::from(total)) + pieces.iter().map(len).sum::<usize>();
    let too_large = |_| Error::UserError(CapError::Malformed("a code section over 4 GiB".into()));
    let content = u32::try_from(content).map_err(too_large)?;
    out.push(SectionId::Code as u8);
    content.encode(out);
    total.encode(out);
    for piece in pieces {
        match piece {
            Piece::Original(r) => out.extend_from_slice(&bytes[r]),
            Piece::New(v) => out.extend_from_slice(&v),
        }
    }
    Ok(())
}

/// Writes the sections the guard needs that the module lacks, between `last` and `next`.
fn missing_before(
    guarding: &mut Guarding,
    out: &mut Vec<u8>,
    last: Option<SectionId>,
    next: Option<SectionId>,
) -> Result<(), Failed> {
    let mut added = Module::new();
    guarding.intersperse_section_hook(&mut added, last, next)?;
    out.extend_from_slice(&added.as_slice()[Module::HEADER.len()..]);
    Ok(())
}

fn push(out: &mut Vec<u8>, section: &impl Section) {
    out.push(section.id());
    section.encode(out);
}

fn leb_len(mut value: u64) -> usize {
    let mut len = 1;
    while value >= 0x80 {
        value >>= 7;
        len += 1;
    }
    len
}

/// A non-custom section's id.
fn section_id(id: u8) -> Option<SectionId> {
    use SectionId as S;
    let all = [
        S::Type,
        S::Import,
        S::Function,
        S::Table,
        S::Memory,
        S::Global,
        S::Export,
        S::Start,
        S::Element,
        S::Code,
        S::Data,
        S::DataCount,
        S::Tag,
    ];
    all.into_iter().find(|s| *s as u8 == id)
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, ConstExpr, CustomSection, DataSection, ExportKind, Function, Instruction,
        MemoryType, ValType,
    };

    use super::*;

    const LIMIT: u64 = 256 << 20;

    /// Bodies without and with grows, in a row; data; custom sections between others.
    fn mixed_module() -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        m.section(&CustomSection {
            name: "between".into(),
            data: b"kept as it is".as_slice().into(),
        });
        let mut funcs = FunctionSection::new();
        (0..5).for_each(|_| {
            funcs.function(0);
        });
        m.section(&funcs);
        let mut memories = MemorySection::new();
        let memory = MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        memories.memory(memory);
        m.section(&memories);
        let mut exports = ExportSection::new();
        exports.export("_start", ExportKind::Func, 0);
        m.section(&exports);
        let mut code = CodeSection::new();
        for grows in [false, true, false, false, true] {
            let mut f = Function::new([(2, ValType::I64)]);
            let mut ops = vec![
                Instruction::Nop,
                Instruction::Block(wasm_encoder::BlockType::Empty),
            ];
            if grows {
                ops.extend([
                    Instruction::I32Const(1),
                    Instruction::MemoryGrow(0),
                    Instruction::Drop,
                ]);
            }
            ops.extend([Instruction::End, Instruction::End]);
            ops.iter().for_each(|op| {
                f.instruction(op);
            });
            code.function(&f);
        }
        m.section(&code);
        let mut data = DataSection::new();
        data.active(0, &ConstExpr::i32_const(16), b"hello".iter().copied());
        data.active(0, &ConstExpr::i32_const(64), [7u8; 300]);
        m.section(&data);
        m.section(&CustomSection {
            name: "last".into(),
            data: b"tail".as_slice().into(),
        });
        m.finish()
    }

    fn spliced(bytes: &[u8]) -> Vec<u8> {
        let capped = super::super::guard::guard(bytes, LIMIT, None).unwrap();
        capped.unwrap().bytes.expect("rewritten")
    }

    #[test]
    fn the_splice_writes_what_re_encoding_the_whole_module_writes() {
        let growing = super::super::tests::growing_module();
        for module in [mixed_module(), growing] {
            let out = spliced(&module);
            wasmparser::Validator::new().validate_all(&out).unwrap();
            let whole = super::super::guard::reencoded_whole(&module, LIMIT);
            assert_eq!(out, whole);
        }
    }

    #[test]
    fn the_commands_that_grow_memory_splice_as_they_re_encode() {
        // Built by `ci/build-commands`; the synthetic modules above run everywhere.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/commands");
        for name in ["ls.wasm", "sort.wasm", "true.wasm", "python3.wasm"] {
            let Ok(module) = std::fs::read(dir.join(name)) else {
                continue;
            };
            let out = spliced(&module);
            assert_eq!(
                out,
                super::super::guard::reencoded_whole(&module, LIMIT),
                "{name}"
            );
        }
    }
}
