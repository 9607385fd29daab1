//! The grow guard: every `memory.grow` of a module goes through a function of ours that does the
//! grow and, when it fails (the memory is at its capped maximum), records how many pages were
//! asked for in an exported global (`agentos:asked_pages`). The module behaves as before (a grow
//! past the maximum still returns -1), and the runner can tell a command that failed because its
//! memory limit refused a grow, and by how much: `MEMORY_LIMIT` naming what was asked.
//!
//! Added at the end of their index spaces, so nothing else of the module is renumbered: one
//! function type per index width, one guard function per grown memory, one global, one export.

use std::collections::BTreeMap;

use wasm_encoder::reencode::{Error, Reencode, utils};
use wasm_encoder::{
    CodeSection, ConstExpr, ExportKind, ExportSection, Function, FunctionSection, GlobalSection,
    GlobalType, Instruction, MemorySection, MemoryType, Module, SectionId, TypeSection, ValType,
};
use wasmparser::{Operator, Parser, Payload, TypeRef};

use super::{CapError, Grows};

/// The exported global holding the pages of the last grow the limit refused.
pub const ASKED_EXPORT: &str = "agentos:asked_pages";

/// What a first read of the module found.
#[derive(Debug, Default)]
struct Survey {
    types: u32,
    functions: u32,
    globals: u32,
    /// Per memory index (imported first): 64-bit addresses.
    memory64: Vec<bool>,
    /// What grows where: only the bodies with a grow are re-encoded, every other body is
    /// copied as it is.
    grows: Grows,
    /// Bodies read so far.
    bodies: u32,
    sections: Vec<SectionId>,
}

/// The sections' counts; the grows are `known`, or found by reading every body's code.
fn survey(bytes: &[u8], known: Option<&Grows>) -> Result<Survey, wasmparser::BinaryReaderError> {
    let mut s = Survey::default();
    if let Some(grows) = known {
        s.grows = grows.clone();
    }
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(r) => {
                s.sections.push(SectionId::Type);
                for group in r {
                    s.types += group?.types().len() as u32;
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    match import?.ty {
                        TypeRef::Func(_) => s.functions += 1,
                        TypeRef::Global(_) => s.globals += 1,
                        TypeRef::Memory(m) => s.memory64.push(m.memory64),
                        _ => {}
                    }
                }
            }
            Payload::FunctionSection(r) => s.functions += r.count(),
            Payload::GlobalSection(r) => {
                s.sections.push(SectionId::Global);
                s.globals += r.count();
            }
            Payload::MemorySection(r) => {
                for m in r {
                    s.memory64.push(m?.memory64);
                }
            }
            Payload::ExportSection(_) => s.sections.push(SectionId::Export),
            Payload::CodeSectionEntry(body) if known.is_none() => {
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    if let Operator::MemoryGrow { mem } = ops.read()? {
                        s.grows.note(mem, s.bodies);
                    }
                }
                s.bodies += 1;
            }
            _ => {}
        }
    }
    Ok(s)
}

/// The re-encoder: memory maxima capped, grows guarded.
pub(super) struct Guarding {
    limit: u64,
    survey: Survey,
    /// memory -> guard function index.
    guards: BTreeMap<u32, u32>,
    /// Index width (true: 64) -> type index.
    guard_types: BTreeMap<bool, u32>,
    asked_global: u32,
    maxima: Vec<u64>,
    refused: Option<CapError>,
    /// Bodies of the code section written so far.
    bodies: u32,
}

impl Guarding {
    fn new(limit: u64, survey: Survey) -> Self {
        let mut guard_types = BTreeMap::new();
        let mut guards = BTreeMap::new();
        for (n, &mem) in survey.grows.memories.iter().enumerate() {
            let wide = survey.memory64.get(mem as usize).copied().unwrap_or(false);
            let next = survey.types + guard_types.len() as u32;
            guard_types.entry(wide).or_insert(next);
            guards.insert(mem, survey.functions + n as u32);
        }
        Self {
            limit,
            asked_global: survey.globals,
            survey,
            guards,
            guard_types,
            maxima: Vec::new(),
            refused: None,
            bodies: 0,
        }
    }

    /// A body with a grow, re-encoded (size prefix included); `None` for any other body, which
    /// stays as it is. Called for every body in order.
    pub(super) fn reencode_if_growing(
        &mut self,
        func: &wasmparser::FunctionBody<'_>,
    ) -> Result<Option<Vec<u8>>, Error<CapError>> {
        let at = self.bodies;
        self.bodies += 1;
        if self.survey.grows.bodies.binary_search(&at).is_err() {
            return Ok(None);
        }
        let mut f = self.new_function_with_parsed_locals(func)?;
        let mut ops = func.get_operators_reader()?;
        while !ops.eof() {
            f.instruction(&self.parse_instruction(&mut ops)?);
        }
        let mut encoded = Vec::new();
        wasm_encoder::Encode::encode(&f, &mut encoded);
        Ok(Some(encoded))
    }

    /// The guard functions, in index order.
    pub(super) fn guard_bodies(&self) -> Vec<Function> {
        self.guards
            .keys()
            .map(|&mem| self.guard_body(mem))
            .collect()
    }

    /// How many guard functions there are.
    pub(super) fn guard_count(&self) -> u32 {
        self.guards.len() as u32
    }

    fn append_types(&self, types: &mut TypeSection) {
        for &wide in self.guard_types.keys() {
            let v = if wide { ValType::I64 } else { ValType::I32 };
            types.ty().function([v], [v]);
        }
    }

    fn append_functions(&self, functions: &mut FunctionSection) {
        for &mem in self.guards.keys() {
            functions.function(self.guard_types[&self.wide(mem)]);
        }
    }

    fn append_global(&self, globals: &mut GlobalSection) {
        let ty = GlobalType {
            val_type: ValType::I64,
            mutable: true,
            shared: false,
        };
        globals.global(ty, &ConstExpr::i64_const(0));
    }

    fn append_export(&self, exports: &mut ExportSection) {
        exports.export(ASKED_EXPORT, ExportKind::Global, self.asked_global);
    }

    fn wide(&self, mem: u32) -> bool {
        self.survey
            .memory64
            .get(mem as usize)
            .copied()
            .unwrap_or(false)
    }

    /// `(param $pages) (result old|-1)`: grow; on -1 record the pages asked for.
    fn guard_body(&self, mem: u32) -> Function {
        let wide = self.wide(mem);
        let mut f = Function::new([(1, if wide { ValType::I64 } else { ValType::I32 })]);
        let i = |f: &mut Function, op: Instruction<'_>| {
            f.instruction(&op);
        };
        i(&mut f, Instruction::LocalGet(0));
        i(&mut f, Instruction::MemoryGrow(mem));
        i(&mut f, Instruction::LocalTee(1));
        if wide {
            i(&mut f, Instruction::I64Const(-1));
            i(&mut f, Instruction::I64Eq);
        } else {
            i(&mut f, Instruction::I32Const(-1));
            i(&mut f, Instruction::I32Eq);
        }
        i(&mut f, Instruction::If(wasm_encoder::BlockType::Empty));
        i(&mut f, Instruction::LocalGet(0));
        if !wide {
            i(&mut f, Instruction::I64ExtendI32U);
        }
        i(&mut f, Instruction::GlobalSet(self.asked_global));
        i(&mut f, Instruction::End);
        i(&mut f, Instruction::LocalGet(1));
        i(&mut f, Instruction::End);
        f
    }
}

impl Reencode for Guarding {
    type Error = CapError;

    fn instruction<'a>(&mut self, op: Operator<'a>) -> Result<Instruction<'a>, Error<CapError>> {
        match op {
            Operator::MemoryGrow { mem } => Ok(Instruction::Call(self.guards[&mem])),
            op => utils::instruction(self, op),
        }
    }

    fn memory_type(
        &mut self,
        memory: wasmparser::MemoryType,
    ) -> Result<MemoryType, Error<CapError>> {
        let page = 1u64 << memory.page_size_log2.unwrap_or(16);
        let cap_pages = self.limit / page;
        if memory.initial > cap_pages && self.refused.is_none() {
            self.refused = Some(CapError::InitialTooLarge {
                initial: memory.initial.saturating_mul(page),
                limit: self.limit,
            });
        }
        let maximum = memory.maximum.map_or(cap_pages, |m| m.min(cap_pages));
        self.maxima.push(maximum.saturating_mul(page));
        Ok(MemoryType {
            maximum: Some(maximum),
            ..utils::memory_type(self, memory)
        })
    }

    fn parse_memory_section(
        &mut self,
        memories: &mut MemorySection,
        section: wasmparser::MemorySectionReader<'_>,
    ) -> Result<(), Error<CapError>> {
        for memory in section {
            let ty = self.memory_type(memory?)?;
            memories.memory(ty);
        }
        Ok(())
    }

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), Error<CapError>> {
        utils::parse_type_section(self, types, section)?;
        self.append_types(types);
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), Error<CapError>> {
        utils::parse_function_section(self, functions, section)?;
        self.append_functions(functions);
        Ok(())
    }

    fn parse_global_section(
        &mut self,
        globals: &mut GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), Error<CapError>> {
        utils::parse_global_section(self, globals, section)?;
        self.append_global(globals);
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), Error<CapError>> {
        utils::parse_export_section(self, exports, section)?;
        self.append_export(exports);
        Ok(())
    }

    /// A body that never grows a memory is copied byte for byte (re-encoding every instruction
    /// of a large module costs tens of milliseconds on its first exec).
    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), Error<CapError>> {
        let at = self.bodies;
        self.bodies += 1;
        if self.survey.grows.bodies.binary_search(&at).is_ok() {
            return utils::parse_function_body(self, code, func);
        }
        code.raw(func.as_bytes());
        Ok(())
    }

    /// Used only when re-encoding the whole module (the tests' reference for `splice`).
    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), Error<CapError>> {
        utils::parse_code_section(self, code, section)?;
        for &mem in self.guards.keys() {
            code.function(&self.guard_body(mem));
        }
        Ok(())
    }

    /// Sections the module lacks are added where they belong.
    fn intersperse_section_hook(
        &mut self,
        module: &mut Module,
        after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), Error<CapError>> {
        let place = |id: Option<SectionId>| id.map(order);
        let (after, before) = (place(after), place(before));
        for id in [SectionId::Type, SectionId::Global, SectionId::Export] {
            let here = Some(order(id));
            let between = after < here && (before.is_none() || before > here);
            if !between || self.survey.sections.contains(&id) {
                continue;
            }
            self.survey.sections.push(id);
            match id {
                SectionId::Type => {
                    let mut types = TypeSection::new();
                    self.append_types(&mut types);
                    module.section(&types);
                }
                SectionId::Global => {
                    let mut globals = GlobalSection::new();
                    self.append_global(&mut globals);
                    module.section(&globals);
                }
                _ => {
                    let mut exports = ExportSection::new();
                    self.append_export(&mut exports);
                    module.section(&exports);
                }
            }
        }
        Ok(())
    }
}

/// The guarded module as `wasm_encoder` re-encodes it whole: what [`super::splice`] must write.
#[cfg(test)]
pub(super) fn reencoded_whole(bytes: &[u8], limit: u64) -> Vec<u8> {
    let survey = survey(bytes, None).expect("valid module");
    let mut guarding = Guarding::new(limit, survey);
    let mut module = Module::new();
    (guarding.parse_core_module(&mut module, Parser::new(0), bytes)).expect("re-encoded");
    module.finish()
}

/// Where a non-custom section goes in a module (its place, not its id: tags and the data count
/// come out of id order).
fn order(id: SectionId) -> u8 {
    match id {
        SectionId::Type => 1,
        SectionId::Import => 2,
        SectionId::Function => 3,
        SectionId::Table => 4,
        SectionId::Memory => 5,
        SectionId::Tag => 6,
        SectionId::Global => 7,
        SectionId::Export => 8,
        SectionId::Start => 9,
        SectionId::Element => 10,
        SectionId::DataCount => 11,
        SectionId::Code => 12,
        SectionId::Data => 13,
        _ => 0,
    }
}

/// `bytes` with defined memories capped at `limit` and every grow guarded, and the capped maxima
/// (bytes); `None` when the module never grows a memory (capping alone does then).
/// `known`: the grows, when validation found them already.
pub fn guard(
    bytes: &[u8],
    limit: u64,
    known: Option<&Grows>,
) -> Result<Option<super::Capped>, CapError> {
    let malformed = |e: wasmparser::BinaryReaderError| CapError::Malformed(e.message().into());
    let survey = survey(bytes, known).map_err(malformed)?;
    if survey.grows.memories.is_empty() {
        return Ok(None);
    }
    let mut guarding = Guarding::new(limit, survey);
    let spliced = super::splice::splice(&mut guarding, bytes);
    if let Some(refused) = guarding.refused.take() {
        return Err(refused);
    }
    let spliced = spliced.map_err(|e| CapError::Malformed(e.to_string()))?;
    Ok(Some(super::Capped {
        bytes: Some(spliced),
        maxima: guarding.maxima,
    }))
}
