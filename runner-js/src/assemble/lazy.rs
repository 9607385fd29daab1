//! Lazy builtins: the files of `lib/` are not part of the runner's snapshot. Each becomes its own
//! script, compiled the first time a guest requires it (the engine keeps V8's code cache for it),
//! so the Node surface can grow without every exec paying to restore it.
//!
//! A `lib/` file uses the same module subset as `js/` (see `mod.rs`), and may import:
//! - from the runner's modules (`'../js/NN_name.js'`): any export of that module;
//! - from another lazy builtin (`'./name.js'`): loaded first, when this one is loaded;
//! - `bridge` from `'agentos:bridge'`.
//!
//! Its name is its file name without `.js`, with `__` read as `/` (`lib/stream__promises.js` is
//! `stream/promises`); names starting with `internal__` are ours only, never a guest's. It
//! becomes:
//!
//! ```js
//! (function agentOSBuiltin($agentOSInternals, $agentOSBridge, $agentOSLoad) {
//! 'use strict';
//! const { a, b } = $agentOSInternals;        // imports from js/
//! const { c } = $agentOSLoad('other');       // imports from lib/
//! const bridge = $agentOSBridge;             // when it imports the bridge
//! ...body...
//! return { __proto__: null, x, y };
//! })
//! ```
//! The runner gets the internals object and the public names through the pseudo-module
//! `agentos:lazy` (`import { internals, LAZY_BUILTINS } from 'agentos:lazy';`).

use std::collections::{BTreeMap, BTreeSet};

use super::{AssembleError, Module, parse_with};

/// The pseudo-module of the runner's lazy-builtin support.
pub const LAZY_SPECIFIER: &str = "agentos:lazy";

/// Prefix of lazy builtins that guests cannot require.
pub const INTERNAL_PREFIX: &str = "internal/";

/// One assembled lazy builtin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Builtin {
    /// Its name (`stream/promises`).
    pub name: String,
    /// Its script, a function expression.
    pub script: String,
}

/// The builtin name of `lib/` file `file`.
pub fn name_of(file: &str) -> String {
    file.trim_end_matches(".js").replace("__", "/")
}

/// A fingerprint of every builtin's name and script (std's SipHash with its fixed keys, so the
/// same builtins give the same text in every build): the snapshot's digest includes it.
pub fn fingerprint(builtins: &[Builtin]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for builtin in builtins {
        builtin.name.hash(&mut hasher);
        builtin.script.hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// The runner modules (`js/` file names) that `lib/` files import.
///
/// # Errors
/// [`AssembleError`] naming the file whose syntax is outside the subset.
pub fn core_imports(files: &[(String, String)]) -> Result<BTreeSet<String>, AssembleError> {
    let mut names = BTreeSet::new();
    for (file, source) in files {
        for import in parse_with(file, source, true)?.imports {
            if let Some(core) = import.from.strip_prefix("../js/") {
                names.insert(core.to_owned());
            }
        }
    }
    Ok(names)
}

/// Assembles the `lib/` files against the runner's `core` modules.
///
/// # Errors
/// [`AssembleError`] naming the file: syntax, an unknown module, a missing export.
pub fn assemble_lazy(
    files: &[(String, String)],
    core: &BTreeMap<String, Module>,
) -> Result<Vec<Builtin>, AssembleError> {
    let mut lazy = BTreeMap::new();
    for (file, source) in files {
        lazy.insert(file.clone(), parse_with(file, source, true)?);
    }
    let mut out = Vec::with_capacity(lazy.len());
    for (file, module) in &lazy {
        let mut script = String::with_capacity(module.body.len() + 256);
        script.push_str(
            "(function agentOSBuiltin($agentOSInternals, $agentOSBridge, $agentOSLoad) {\n\
             'use strict';\n",
        );
        for import in &module.imports {
            let names = import.names.join(", ");
            let (from, table) = match import.from.strip_prefix("../js/") {
                Some(core_file) => (core_file, core),
                None => (import.from.as_str(), &lazy),
            };
            let Some(target) = table.get(from) else {
                return Err(AssembleError::UnknownModule {
                    importer: format!("lib/{file}:{}", import.line),
                    specifier: import.from.clone(),
                });
            };
            if let Some(name) = import.names.iter().find(|n| !target.exports.contains(n)) {
                return Err(AssembleError::MissingExport {
                    importer: format!("lib/{file}:{}", import.line),
                    module: import.from.clone(),
                    name: name.clone(),
                });
            }
            if std::ptr::eq(table, core) {
                script.push_str(&format!("const {{ {names} }} = $agentOSInternals;\n"));
            } else {
                let dep = name_of(from);
                script.push_str(&format!("const {{ {names} }} = $agentOSLoad('{dep}');\n"));
            }
        }
        if module.uses_bridge {
            script.push_str("const bridge = $agentOSBridge;\n");
        }
        script.push_str(&module.body);
        let exports = module.exports.join(", ");
        script.push_str(&format!("return {{ __proto__: null, {exports} }};\n}})"));
        out.push(Builtin {
            name: name_of(file),
            script,
        });
    }
    Ok(out)
}

/// The factory-scope support the `agentos:lazy` pseudo-module stands for: `internals()` builds
/// (once) a frozen object of every runner export, with captured `Object.freeze`; the factory
/// calls it after the last module (so it is in the snapshot); `LAZY_BUILTINS` lists the names
/// guests may require.
pub fn factory_support(exports: &[&str], builtins: &[Builtin]) -> String {
    let public: Vec<String> = builtins
        .iter()
        .filter(|b| !b.name.starts_with(INTERNAL_PREFIX))
        .map(|b| format!("'{}'", b.name))
        .collect();
    format!(
        "const $agentOSFreeze = Object.freeze;\n\
         let $agentOSInternalsObject;\n\
         function $agentOSInternals() {{\n\
         if ($agentOSInternalsObject === undefined) \
         $agentOSInternalsObject = $agentOSFreeze({{ __proto__: null, {} }});\n\
         return $agentOSInternalsObject;\n}}\n\
         const $agentOSLazyBuiltins = $agentOSFreeze([{}]);\n",
        exports.join(", "),
        public.join(", ")
    )
}
