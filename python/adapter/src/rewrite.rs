//! The second pass: re-encodes the reactor section by section with [`Plan`]'s index map, renames
//! the door's import, drops `_initialize`'s export, and appends `_start`.

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection, ImportSection,
    IndirectNameMap, Instruction, NameMap, NameSection, TypeSection, ValType,
};

use crate::AdaptError;
use crate::plan::{DOOR, DOOR_IMPORT, Plan};

type Result<T> = std::result::Result<T, reencode::Error<AdaptError>>;

/// The sandbox's import module of `cwd_get` (`runner-js/js/WASI.md`).
const CWD_MODULE: &str = "agentos_v1";

struct Rewriter<'p> {
    plan: &'p Plan,
}

pub fn rewrite(plan: &Plan, wasm: &[u8]) -> std::result::Result<Vec<u8>, AdaptError> {
    let mut module = wasm_encoder::Module::new();
    Rewriter { plan }
        .parse_core_module(&mut module, wasmparser::Parser::new(0), wasm)
        .map_err(|e| match e {
            reencode::Error::UserError(e) => e,
            other => AdaptError::Malformed(other.to_string()),
        })?;
    Ok(module.finish())
}

fn user(e: AdaptError) -> reencode::Error<AdaptError> {
    reencode::Error::UserError(e)
}

impl Rewriter<'_> {
    fn start_body(&mut self) -> Result<Function> {
        let cwd = self.plan.cwd;
        let mut f = Function::new(if cwd.is_some() {
            crate::cwd::locals()
        } else {
            vec![]
        });
        if let Some(init) = self.plan.initialize {
            f.instruction(&Instruction::Call(self.function_index(init)?));
        }
        if let Some(cwd) = &cwd {
            let chdir = self.function_index(cwd.chdir)?;
            crate::cwd::enter(&mut f, self.plan, cwd, chdir);
        }
        f.instruction(&Instruction::Call(self.function_index(self.plan.run)?));
        f.instruction(&Instruction::Call(
            self.function_index(self.plan.proc_exit)?,
        ));
        f.instruction(&Instruction::End);
        Ok(f)
    }

    /// Names sorted by their new index.
    fn sorted_names(&mut self, map: wasmparser::NameMap<'_>) -> Result<NameMap> {
        let mut pairs = Vec::new();
        for naming in map {
            let naming = naming?;
            pairs.push((self.function_index(naming.index)?, naming.name));
        }
        pairs.sort_by_key(|(index, _)| *index);
        let mut out = NameMap::new();
        for (index, name) in pairs {
            out.append(index, name);
        }
        Ok(out)
    }

    fn sorted_indirect(&mut self, map: wasmparser::IndirectNameMap<'_>) -> Result<IndirectNameMap> {
        let mut pairs = Vec::new();
        for naming in map {
            let naming = naming?;
            let inner = reencode::utils::name_map(naming.names, Ok)?;
            pairs.push((self.function_index(naming.index)?, inner));
        }
        pairs.sort_by_key(|(index, _)| *index);
        let mut out = IndirectNameMap::new();
        for (index, names) in &pairs {
            out.append(*index, names);
        }
        Ok(out)
    }
}

impl Reencode for Rewriter<'_> {
    type Error = AdaptError;

    fn function_index(&mut self, func: u32) -> Result<u32> {
        self.plan.function(func).map_err(user)
    }

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<()> {
        reencode::utils::parse_type_section(self, types, section)?;
        if self.plan.unit_type.is_none() {
            types.ty().function([], []);
        }
        if self.plan.cwd.is_some_and(|c| c.existing_type.is_none()) {
            types
                .ty()
                .function([ValType::I32, ValType::I32], [ValType::I32]);
        }
        Ok(())
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<()> {
        for import in section.into_imports() {
            let import = import?;
            let (module, name) = if (import.module, import.name) == DOOR {
                DOOR_IMPORT
            } else {
                (import.module, import.name)
            };
            imports.import(module, name, self.entity_type(import.ty)?);
        }
        if let Some(ty) = self.plan.cwd_get_type() {
            imports.import(CWD_MODULE, "cwd_get", EntityType::Function(ty));
        }
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<()> {
        reencode::utils::parse_function_section(self, functions, section)?;
        functions.function(self.plan.start_type());
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<()> {
        reencode::utils::parse_code_section(self, code, section)?;
        code.function(&self.start_body()?);
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<()> {
        for export in section {
            let export = export?;
            if export.name == "_initialize" {
                continue;
            }
            let index = self.external_index(export.kind, export.index)?;
            exports.export(export.name, self.export_kind(export.kind)?, index);
        }
        exports.export("_start", ExportKind::Func, self.plan.start());
        Ok(())
    }

    fn parse_custom_name_subsection(
        &mut self,
        names: &mut NameSection,
        section: wasmparser::Name<'_>,
    ) -> Result<()> {
        match section {
            wasmparser::Name::Function(map) => names.functions(&self.sorted_names(map)?),
            wasmparser::Name::Local(map) => names.locals(&self.sorted_indirect(map)?),
            wasmparser::Name::Label(map) => names.labels(&self.sorted_indirect(map)?),
            other => reencode::utils::parse_custom_name_subsection(self, names, other)?,
        }
        Ok(())
    }
}
