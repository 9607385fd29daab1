//! The runner assembler: the ES-module-shaped files of `js/` become ONE classic script.
//!
//! Used by `build.rs` (which writes the script to `OUT_DIR`) and unit-tested from `lib.rs`. The
//! files use a small, line-based subset of ES modules (see `js/README.md`, "Module rules"):
//!
//! ```js
//! import { a, b } from './10_name.js';         // at column 0, may span lines, ends with `;`
//! import { bridge } from 'agentos:bridge';     // the native bridge (the factory's argument)
//! export function f() {}                       // also `async function`, `function*`, `class`
//! export const NAME = ...;                     // one name per `export const`
//! ```
//!
//! The order is derived from the import graph (depth-first, dependencies sorted by file name); the
//! one module that no other imports is the entry, and the factory returns its export `runner`.
//! Each module becomes a function run once, when the factory runs (at snapshot-build time with a
//! snapshot), after everything it imports: its top-level names stay private to it, and its
//! exports are bound once, as `const`s, in the factory's scope, where its importers' code finds
//! them (an import line itself emits nothing). So exported names are unique across modules, and,
//! because an exported binding is a snapshot of the module's variable, `export let` is refused
//! (export a function that reads or sets the variable instead), and so are import cycles. That a
//! module uses only what it imports is checked by biome (`noUndeclaredVariables`) and by loading
//! the files as real ES modules under Node (`npm test`), not by the wrapper.
//!
//! ```text
//! (function agentOSRunner($agentOSBridge) {
//! 'use strict';
//! const { x, y } = (function () { // 00_primordials.js
//! const bridge = $agentOSBridge;
//! ...body without comments, indentation and `export `...
//! return { __proto__: null, x, y };
//! })();
//! const { z } = (function () { // 01_helpers.js
//! ...
//! return runner;
//! })
//! ```

pub(crate) mod lazy;
pub(crate) mod strip;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The pseudo-module whose one export, `bridge`, is the factory's argument.
pub const BRIDGE_SPECIFIER: &str = "agentos:bridge";

/// Names the generated wrapper uses; no module may contain this prefix.
const RESERVED_PREFIX: &str = "$agentOS";

/// Why the files cannot be assembled. Each names the file (and line) to fix.
#[derive(Debug, PartialEq, Eq)]
pub enum AssembleError {
    /// A line of a module outside the supported subset.
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    /// A non-ASCII character (V8 would hold the whole runner source as a two-byte string).
    NonAscii { file: String, line: usize },
    /// `import ... from './x.js'` where `x.js` is not one of the files.
    UnknownModule { importer: String, specifier: String },
    /// `import { name } from './x.js'` where `x.js` does not export `name`.
    MissingExport {
        importer: String,
        module: String,
        name: String,
    },
    /// Two modules export the same name (exports share the factory's scope).
    DuplicateExport {
        name: String,
        first: String,
        second: String,
    },
    /// Modules that import each other, in order, the first repeated at the end.
    Cycle(Vec<String>),
    /// Not exactly one module is imported by no other one.
    Entry(Vec<String>),
}

impl fmt::Display for AssembleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax {
                file,
                line,
                message,
            } => write!(f, "{file}:{line}: {message}"),
            Self::NonAscii { file, line } => write!(
                f,
                "{file}:{line}: non-ASCII character (write a \\u escape: one non-ASCII character \
                 makes V8 store the whole runner as a two-byte string)"
            ),
            Self::UnknownModule {
                importer,
                specifier,
            } => write!(
                f,
                "{importer}: imports '{specifier}', which is not a file of js/"
            ),
            Self::MissingExport {
                importer,
                module,
                name,
            } => write!(
                f,
                "{importer}: imports `{name}` from {module}, which does not export it"
            ),
            Self::DuplicateExport {
                name,
                first,
                second,
            } => write!(
                f,
                "`{name}` is exported by both {first} and {second} (exported names share the \
                 factory's scope: rename one)"
            ),
            Self::Cycle(path) => write!(f, "import cycle: {}", path.join(" -> ")),
            Self::Entry(roots) if roots.is_empty() => {
                write!(f, "no entry module (every module is imported by another)")
            }
            Self::Entry(roots) => write!(
                f,
                "exactly one module may be imported by no other (the entry, exporting `runner`); \
                 these are: {}",
                roots.join(", ")
            ),
        }
    }
}

impl std::error::Error for AssembleError {}

/// The assembled runner.
#[derive(Debug)]
pub struct Assembled {
    /// The classic script `(function agentOSRunner($agentOSBridge) { ... })`.
    pub script: String,
    /// File names in evaluation order (the entry last).
    pub order: Vec<String>,
    /// The lazy builtins of `lib/` (see `lazy.rs`).
    pub builtins: Vec<lazy::Builtin>,
}

#[derive(Debug)]
pub(crate) struct Import {
    pub from: String,
    pub line: usize,
    pub names: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Module {
    pub imports: Vec<Import>,
    pub exports: Vec<String>,
    pub uses_bridge: bool,
    /// Names imported from `agentos:lazy`.
    pub uses_lazy: Vec<String>,
    pub body: String,
}

/// Assembles `files` (file name, source) into the runner script.
///
/// # Errors
/// [`AssembleError`] naming the file to fix: syntax outside the subset, a non-ASCII character, an
/// unknown module, a missing export, an import cycle, or not exactly one entry module.
#[cfg_attr(
    not(test),
    expect(dead_code, reason = "the build script assembles with `lib/`")
)]
pub fn assemble(files: &[(String, String)]) -> Result<Assembled, AssembleError> {
    assemble_with_lazy(files, &[])
}

/// Assembles the runner's `files` and the lazy builtins `lib` (see `lazy.rs`).
///
/// # Errors
/// As [`assemble`], for either set of files.
pub fn assemble_with_lazy(
    files: &[(String, String)],
    lib: &[(String, String)],
) -> Result<Assembled, AssembleError> {
    let mut modules = BTreeMap::new();
    for (name, source) in files {
        modules.insert(name.clone(), parse_with(name, source, false)?);
    }
    check_imports(&modules)?;
    let order = order(&modules, &lazy::core_imports(lib)?)?;
    let builtins = lazy::assemble_lazy(lib, &modules)?;
    Ok(Assembled {
        script: emit(&modules, &order, &builtins),
        order,
        builtins,
    })
}

fn syntax(file: &str, line: usize, message: impl Into<String>) -> AssembleError {
    AssembleError::Syntax {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// The identifier at the start of `s`.
fn leading_identifier(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Parses one module; a lazy builtin (`lazy`) may import from `../js/` as well as siblings.
pub(crate) fn parse_with(file: &str, source: &str, lazy: bool) -> Result<Module, AssembleError> {
    let mut module = Module {
        imports: Vec::new(),
        exports: Vec::new(),
        uses_bridge: false,
        uses_lazy: Vec::new(),
        body: String::with_capacity(source.len()),
    };
    let mut pending: Option<(usize, String)> = None; // a multi-line import: first line, text
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        if !line.is_ascii() {
            return Err(AssembleError::NonAscii {
                file: file.to_owned(),
                line: number,
            });
        }
        if line.contains(RESERVED_PREFIX) {
            return Err(syntax(
                file,
                number,
                format!("`{RESERVED_PREFIX}` is reserved for the assembler's wrapper"),
            ));
        }
        if let Some((start, mut text)) = pending.take() {
            text.push(' ');
            text.push_str(line.trim());
            if line.trim_end().ends_with(';') {
                parse_import(file, start, &text, lazy, &mut module)?;
            } else {
                pending = Some((start, text));
            }
            module.body.push('\n'); // body lines stay source lines (for errors)
            continue;
        }
        if line.starts_with("import ") || line.starts_with("import{") {
            if line.trim_end().ends_with(';') {
                parse_import(file, number, line, lazy, &mut module)?;
            } else {
                pending = Some((number, line.to_owned()));
            }
            module.body.push('\n');
            continue;
        }
        if let Some(rest) = line.strip_prefix("export ") {
            module.exports.push(parse_export(file, number, rest)?);
            module.body.push_str(rest);
        } else if line.starts_with("export") || line.starts_with("import") {
            return Err(syntax(file, number, "unsupported import/export form"));
        } else {
            module.body.push_str(line);
        }
        module.body.push('\n');
    }
    if let Some((start, _)) = pending {
        return Err(syntax(file, start, "import without a closing `;`"));
    }
    module.body = strip::strip(&module.body).map_err(|u| {
        syntax(
            file,
            u.line,
            format!("unterminated {} (the assembler's lexer)", u.what),
        )
    })?;
    Ok(module)
}

/// `import { a, b as c } from './x.js';` (one statement, joined onto one line).
fn parse_import(
    file: &str,
    line: usize,
    text: &str,
    lazy: bool,
    module: &mut Module,
) -> Result<(), AssembleError> {
    let form = "expected `import { a, b } from './file.js';`";
    let rest = text["import".len()..].trim_start();
    let rest = rest
        .strip_prefix('{')
        .ok_or_else(|| syntax(file, line, form))?;
    let (list, rest) = rest
        .split_once('}')
        .ok_or_else(|| syntax(file, line, form))?;
    let rest = rest
        .trim_start()
        .strip_prefix("from")
        .ok_or_else(|| syntax(file, line, form))?;
    let rest = rest
        .trim()
        .strip_suffix(';')
        .ok_or_else(|| syntax(file, line, form))?
        .trim_end();
    let quote = rest.chars().next().filter(|q| *q == '\'' || *q == '"');
    let specifier = quote
        .and_then(|q| rest.strip_prefix(q)?.strip_suffix(q))
        .ok_or_else(|| syntax(file, line, form))?;
    let mut names = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item.contains(" as ") {
            return Err(syntax(
                file,
                line,
                format!(
                    "`{item}`: no renaming (exported names are unique; import them as they are)"
                ),
            ));
        }
        if !is_identifier(item) {
            return Err(syntax(file, line, format!("`{item}`: {form}")));
        }
        names.push(item.to_owned());
    }
    if specifier == BRIDGE_SPECIFIER {
        if names != ["bridge"] {
            return Err(syntax(
                file,
                line,
                format!(
                    "'{BRIDGE_SPECIFIER}' has one export: `import {{ bridge }} from '{BRIDGE_SPECIFIER}';`"
                ),
            ));
        }
        module.uses_bridge = true;
        return Ok(());
    }
    if specifier == lazy::LAZY_SPECIFIER && !lazy {
        if let Some(other) = names
            .iter()
            .find(|n| !["internals", "LAZY_BUILTINS"].contains(&n.as_str()))
        {
            return Err(syntax(
                file,
                line,
                format!(
                    "'{}' exports `internals` and `LAZY_BUILTINS`, not `{other}`",
                    lazy::LAZY_SPECIFIER
                ),
            ));
        }
        module.uses_lazy = names;
        return Ok(());
    }
    let core = if lazy {
        specifier.strip_prefix("../js/")
    } else {
        None
    };
    if let Some(core_file) = core.filter(|f| f.ends_with(".js") && !f.contains('/')) {
        module.imports.push(Import {
            from: format!("../js/{core_file}"),
            line,
            names,
        });
        return Ok(());
    }
    let from = specifier
        .strip_prefix("./")
        .filter(|f| f.ends_with(".js") && !f.contains('/'))
        .ok_or_else(|| {
            syntax(
                file,
                line,
                format!(
                    "'{specifier}': import a sibling file ('./name.js') or '{BRIDGE_SPECIFIER}'"
                ),
            )
        })?;
    module.imports.push(Import {
        from: from.to_owned(),
        line,
        names,
    });
    Ok(())
}

/// The name declared by `export <rest>`.
fn parse_export(file: &str, line: usize, rest: &str) -> Result<String, AssembleError> {
    let declaration = [
        "async function*",
        "async function",
        "function*",
        "function",
        "class",
        "const",
    ]
    .into_iter()
    .find_map(|keyword| rest.strip_prefix(keyword).map(|after| (keyword, after)));
    let Some((keyword, after)) = declaration else {
        let message = if rest.starts_with("let ") || rest.starts_with("var ") {
            "`export let`/`export var`: importers would get a copy; keep the variable private and \
             export functions that read or set it"
        } else {
            "unsupported export: use `export function|class|const NAME`"
        };
        return Err(syntax(file, line, message));
    };
    let separated = keyword.ends_with('*') || after.starts_with(' ');
    let after = after.trim_start();
    let name = leading_identifier(after);
    let well_formed = separated
        && !name.is_empty()
        && (keyword != "const" || after[name.len()..].trim_start().starts_with('='));
    if !well_formed {
        return Err(syntax(
            file,
            line,
            format!("cannot read the name of `export {keyword} ...`"),
        ));
    }
    Ok(name.to_owned())
}

fn check_imports(modules: &BTreeMap<String, Module>) -> Result<(), AssembleError> {
    let mut exporters: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, module) in modules {
        for name in &module.exports {
            if name == "bridge" {
                return Err(syntax(
                    file,
                    0,
                    "`bridge` is the pseudo-module's name; export another",
                ));
            }
            if let Some(first) = exporters.insert(name, file) {
                return Err(AssembleError::DuplicateExport {
                    name: name.clone(),
                    first: first.to_owned(),
                    second: file.clone(),
                });
            }
        }
    }
    for (importer, module) in modules {
        for import in &module.imports {
            let Some(target) = modules.get(&import.from) else {
                return Err(AssembleError::UnknownModule {
                    importer: format!("{importer}:{}", import.line),
                    specifier: format!("./{}", import.from),
                });
            };
            for name in &import.names {
                if !target.exports.contains(name) {
                    return Err(AssembleError::MissingExport {
                        importer: format!("{importer}:{}", import.line),
                        module: import.from.clone(),
                        name: name.clone(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Evaluation order: dependencies first (sorted by name at each step), the entry last.
/// A module that only lazy builtins import (`lib_imports`) is not an entry: it still runs at
/// factory time, so what it captures is pristine when a builtin loads at guest time.
fn order(
    modules: &BTreeMap<String, Module>,
    lib_imports: &BTreeSet<String>,
) -> Result<Vec<String>, AssembleError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    fn visit(
        name: &str,
        modules: &BTreeMap<String, Module>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
        out: &mut Vec<String>,
    ) -> Result<(), AssembleError> {
        match marks.get(name) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Visiting) => {
                let start = path.iter().position(|p| p == name).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(name.to_owned());
                return Err(AssembleError::Cycle(cycle));
            }
            None => {}
        }
        marks.insert(name.to_owned(), Mark::Visiting);
        path.push(name.to_owned());
        let deps: BTreeSet<&str> = modules[name]
            .imports
            .iter()
            .map(|i| i.from.as_str())
            .collect();
        for dep in deps {
            visit(dep, modules, marks, path, out)?;
        }
        path.pop();
        marks.insert(name.to_owned(), Mark::Done);
        out.push(name.to_owned());
        Ok(())
    }
    let mut marks = BTreeMap::new();
    let mut out = Vec::with_capacity(modules.len());
    for name in modules.keys() {
        visit(name, modules, &mut marks, &mut Vec::new(), &mut out)?;
    }
    let imported: BTreeSet<&str> = modules
        .values()
        .flat_map(|m| m.imports.iter().map(|i| i.from.as_str()))
        .chain(lib_imports.iter().map(String::as_str))
        .collect();
    let roots: Vec<String> = modules
        .keys()
        .filter(|name| !imported.contains(name.as_str()))
        .cloned()
        .collect();
    let [entry] = roots.as_slice() else {
        return Err(AssembleError::Entry(roots));
    };
    if !modules[entry].exports.iter().any(|e| e == "runner") {
        return Err(AssembleError::MissingExport {
            importer: "the runner factory".to_owned(),
            module: entry.clone(),
            name: "runner".to_owned(),
        });
    }
    // Every module is a dependency of the one root, so the entry was finished last.
    out.retain(|name| name != entry);
    out.push(entry.clone());
    Ok(out)
}

fn emit(
    modules: &BTreeMap<String, Module>,
    order: &[String],
    builtins: &[lazy::Builtin],
) -> String {
    let size: usize = modules.values().map(|m| m.body.len() + 256).sum();
    let mut out = String::with_capacity(size);
    out.push_str("(function agentOSRunner($agentOSBridge) {\n'use strict';\n");
    if modules.values().any(|m| !m.uses_lazy.is_empty()) {
        let exports: Vec<&str> = order
            .iter()
            .flat_map(|name| modules[name].exports.iter().map(String::as_str))
            .collect();
        out.push_str(&lazy::factory_support(&exports, builtins));
    }
    for name in order {
        let module = &modules[name];
        let exports = module.exports.join(", ");
        out.push_str(&format!(
            "const {{ {exports} }} = (function () {{ // {name}\n"
        ));
        if module.uses_bridge {
            out.push_str("const bridge = $agentOSBridge;\n");
        }
        for name in &module.uses_lazy {
            let value = if name == "internals" {
                "$agentOSInternals"
            } else {
                "$agentOSLazyBuiltins"
            };
            out.push_str(&format!("const {name} = {value};\n"));
        }
        out.push_str(&module.body);
        out.push_str(&format!(
            "return {{ __proto__: null, {exports} }};\n}})();\n"
        ));
    }
    if modules.values().any(|m| !m.uses_lazy.is_empty()) {
        // Every module has run: build the lazy builtins' internals object now, at factory time,
        // so a snapshot holds it (built on a guest's first require it cost ~0.1 ms).
        out.push_str("$agentOSInternals();\n");
    }
    out.push_str("return runner;\n})");
    out
}
