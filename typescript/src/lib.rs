//! TypeScript for Node-compatible guests, as Node 22 runs it (its `amaro`, which is this same
//! `swc_fast_ts_strip` compiled to wasm): types stripped, each replaced by whitespace so every
//! line and column stays where it was, or, for `--experimental-transform-types`, transformed
//! (enums, namespaces, parameter properties become JavaScript).

mod depth;
mod notes;

use std::sync::{Arc, Mutex};

pub use notes::{Note, Place};
use serde_json::json;
use swc_common::errors::{HANDLER, Handler};
use swc_common::sync::Lrc;
use swc_common::{GLOBALS, Globals, SourceMap};
use swc_ts_fast_strip::{ErrorCode, Options, operate};

/// What to do with the types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Erase them; syntax that would need code (an `enum`, a `namespace` with values) is an
    /// error (Node's default).
    Strip,
    /// Turn the syntax that needs code into JavaScript (`--experimental-transform-types`).
    Transform,
}

/// Why a source could not be stripped: swc's diagnostics, one per problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypeScriptError {
    /// Not TypeScript at all (Node's `ERR_INVALID_TYPESCRIPT_SYNTAX`).
    #[error("{}", notes::joined(.0))]
    InvalidSyntax(Vec<Note>),
    /// TypeScript the mode cannot erase (Node's `ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX`).
    #[error("{}", notes::joined(.0))]
    UnsupportedSyntax(Vec<Note>),
    /// A source nested deeper than the stripper's stack allows ([`MAX_DEPTH`]).
    #[error(
        "the source nests deeper than {MAX_DEPTH} levels (brackets and operators within one expression), more than the type stripper handles"
    )]
    TooDeep,
}

impl TypeScriptError {
    /// Where its first diagnostic points, if anywhere.
    pub fn place(&self) -> Option<&Place> {
        match self {
            Self::InvalidSyntax(notes) | Self::UnsupportedSyntax(notes) => {
                notes.iter().find_map(|n| n.place.as_ref())
            }
            Self::TooDeep => None,
        }
    }
}

/// The deepest nesting a source may have, as [`depth::estimate`] counts it: swc recurses once per
/// level, and [`STACK`] holds this many of its deepest levels (about 5 KiB each, measured) with
/// room to spare.
pub const MAX_DEPTH: usize = 6_000;

/// The stack of the thread a deep source is stripped on (reserved, touched only as deep as the
/// source goes; a debug build's frames are several times larger).
const STACK: usize = if cfg!(debug_assertions) {
    1 << 30
} else {
    64 << 20
};

/// Sources no deeper than this are stripped on the caller's thread (an engine thread's 8 MiB stack
/// has about 7 MiB below V8's own limit: this many levels take at most 1.3 MiB; far less in a
/// debug build, whose frames are larger).
const INLINE_DEPTH: usize = if cfg!(debug_assertions) { 32 } else { 256 };

/// JavaScript made of TypeScript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    /// The code.
    pub code: String,
    /// Its source map (JSON), when one was asked for (transforming only).
    pub map: Option<String>,
}

/// `source` (named `filename` in messages) with its types handled as `mode` says, with a source
/// map when `source_map` (which only transforming makes: stripping keeps every position);
/// `module`: parse it as an ES module (`Some(true)`), a script (`Some(false)`) or whichever fits
/// (`None`).
///
/// # Errors
/// [`TypeScriptError`] with swc's messages when the source is not valid TypeScript or uses
/// syntax `mode` cannot handle; [`TypeScriptError::TooDeep`] past [`MAX_DEPTH`].
pub fn convert(
    source: String,
    filename: &str,
    mode: Mode,
    module: Option<bool>,
    source_map: bool,
) -> Result<Stripped, TypeScriptError> {
    let depth = depth::estimate(&source);
    if depth <= INLINE_DEPTH {
        return convert_here(source, filename, mode, module, source_map);
    }
    if depth > MAX_DEPTH {
        return Err(TypeScriptError::TooDeep);
    }
    let filename = filename.to_owned();
    std::thread::Builder::new()
        .name("ts-strip".into())
        .stack_size(STACK)
        .spawn(move || convert_here(source, &filename, mode, module, source_map))
        .map_err(|_| TypeScriptError::TooDeep)?
        .join()
        .unwrap_or(Err(TypeScriptError::TooDeep))
}

/// [`convert`] on this thread.
fn convert_here(
    source: String,
    filename: &str,
    mode: Mode,
    module: Option<bool>,
    source_map: bool,
) -> Result<Stripped, TypeScriptError> {
    let cm: Lrc<SourceMap> = Lrc::default();
    let notes = Arc::new(Mutex::new(Vec::new()));
    let emitter = notes::Collect {
        cm: cm.clone(),
        notes: notes.clone(),
    };
    let handler = Handler::with_emitter(true, false, Box::new(emitter));
    // As Node's amaro builds them (its defaults, then Node's): swc deserializes them from JSON.
    let options = json!({
        "mode": match mode {
            Mode::Strip => "strip-only",
            Mode::Transform => "transform",
        },
        "filename": (!filename.is_empty()).then_some(filename),
        "module": module,
        "sourceMap": source_map && mode == Mode::Transform,
        "deprecatedTsModuleAsError": true,
        "transform": {
            "verbatimModuleSyntax": true,
            "nativeClassProperties": true,
            "noEmptyExport": true,
        },
    });
    let options: Options = match serde_json::from_value(options) {
        Ok(options) => options,
        Err(e) => {
            let message = format!("options: {e}");
            return Err(TypeScriptError::InvalidSyntax(vec![Note {
                message,
                place: None,
            }]));
        }
    };
    // The scoped handler too: some of swc's checks (`module X {}`) report through it.
    let result = GLOBALS.set(&Globals::new(), || {
        HANDLER.set(&handler, || operate(&cm, &handler, source, options))
    });
    result
        .map(|out| Stripped {
            code: out.code,
            map: out.map,
        })
        .map_err(|e| {
            let mut said = notes.lock().map(|n| n.clone()).unwrap_or_default();
            if said.is_empty() {
                said.push(Note {
                    message: e.message,
                    place: None,
                });
            }
            match e.code {
                ErrorCode::UnsupportedSyntax => TypeScriptError::UnsupportedSyntax(said),
                _ => TypeScriptError::InvalidSyntax(said),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code of `source` stripped or transformed, without a source map.
    fn strip(
        source: String,
        filename: &str,
        mode: Mode,
        module: Option<bool>,
    ) -> Result<String, TypeScriptError> {
        convert(source, filename, mode, module, false).map(|out| out.code)
    }

    #[test]
    fn types_become_whitespace_in_place() {
        let out = strip("let x: number = 1;\n".into(), "a.ts", Mode::Strip, None);
        assert_eq!(out.as_deref(), Ok("let x         = 1;\n"));
    }

    #[test]
    fn an_enum_is_unsupported_when_stripping_and_javascript_when_transforming() {
        let source = "enum E { A }\nconsole.log(E.A);\n";
        let err = strip(source.into(), "e.ts", Mode::Strip, None).unwrap_err();
        assert!(
            matches!(err, TypeScriptError::UnsupportedSyntax(_)),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "TypeScript enum is not supported in strip-only mode"
        );
        let place = err.place().expect("a place");
        assert_eq!(
            (place.line, place.column, place.text.as_str()),
            (1, 0, "enum E { A }")
        );
        let code = strip(source.into(), "e.ts", Mode::Transform, None).unwrap();
        assert!(code.contains("E[E[\"A\"] = 0] = \"A\""), "{code}");
    }

    #[test]
    fn a_source_nested_past_the_limit_is_refused_and_one_below_it_strips() {
        let deep = |n: usize| format!("let x: number = {}1{};", "(".repeat(n), ")".repeat(n));
        let err = strip(deep(MAX_DEPTH), "d.ts", Mode::Strip, None).unwrap_err();
        assert_eq!(err, TypeScriptError::TooDeep);
        assert!(strip(deep(MAX_DEPTH - 10), "d.ts", Mode::Strip, None).is_ok());
        let not = format!("let x = {}1;", "!".repeat(MAX_DEPTH - 10));
        assert!(strip(not, "n.ts", Mode::Strip, None).is_ok());
    }

    #[test]
    fn what_is_not_typescript_is_invalid_syntax() {
        let err = strip("let = ;".into(), "b.ts", Mode::Strip, None).unwrap_err();
        assert!(matches!(err, TypeScriptError::InvalidSyntax(_)), "{err:?}");
    }
}
