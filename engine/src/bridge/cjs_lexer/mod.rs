//! The named exports of a CommonJS module as Node finds them for `import`: a port to Rust of
//! cjs-module-lexer 1.4.1 (Guy Bedford, MIT; Node 22 bundles it), rule for rule, over the
//! source's UTF-16 code units as the original reads them.
//!
//! Why a port, and in Rust: Node's named exports of CommonJS are exactly what this lexer
//! detects (`exports.a =`, `module.exports = { a, b }`, `Object.defineProperty(exports, 'a', ...)`,
//! TypeScript/Babel re-export helpers, `module.exports = require('x')` re-exports), so anything
//! else would import packages differently from Node. Node runs it as WebAssembly because the JS
//! version is slow cold; every exec here starts cold (a fresh isolate), so it runs natively,
//! where a 1 MB bundle lexes in about a millisecond. No maintained crate implements these rules.
//! Identifier characters use `unicode-ident` (current Unicode) where the original embeds
//! acorn's tables (Unicode 13): the two differ only on characters added since.
//!
//! `bridge.cjsLexer(source)` returns `[exports, reexports]`, `null` when the source has ESM syntax
//! (an import/export statement or `import.meta`: Node 22 then loads it as a module), or
//! `undefined` when it does not lex (Node then exports only `default`).

mod decode;
mod ident;
mod keys;
mod patterns;
mod scan;

use crate::strings::string_array;

/// Why lexing stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Fail {
    /// ESM syntax: an import or export statement, or `import.meta`.
    Esm,
    /// Anything the lexer cannot read (unterminated strings, unbalanced braces, ...).
    Syntax,
}

/// What the lexer found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Export names, in first-seen order.
    pub exports: Vec<String>,
    /// Re-exported specifiers, in first-seen order.
    pub reexports: Vec<String>,
}

/// Lexes `source` (UTF-16 code units).
///
/// # Errors
/// [`Fail`] as the original throws.
pub fn parse(source: &[u16]) -> Result<Found, Fail> {
    let mut lexer = scan::Lexer::new(source);
    lexer.parse_source()?;
    Ok(lexer.finish())
}

/// Insertion-ordered set of optional names (`None` is a name whose literal did not decode).
#[derive(Default)]
pub(crate) struct NameSet(Vec<Option<Vec<u16>>>);

impl NameSet {
    pub(crate) fn add(&mut self, name: Option<Vec<u16>>) {
        if !self.0.contains(&name) {
            self.0.push(name);
        }
    }

    pub(crate) fn contains(&self, name: &Option<Vec<u16>>) -> bool {
        self.0.contains(name)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Option<Vec<u16>>> {
        self.0.iter()
    }
}

/// Most source code units lexed: the copy the lexer reads lives outside the V8 heap, so it is
/// bounded (64 MiB of UTF-16, transient; the largest published CommonJS bundles are a few MB)
/// and drawn from the exec's ArrayBuffer budget while it lives. A larger source, or one the
/// budget cannot hold, exports only `default`, as a source that does not lex.
const MAX_UNITS: usize = 32 << 20;

/// `bridge.cjsLexer(source)`.
pub fn cjs_lexer<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(source) = v8::Local::<v8::String>::try_from(args.get(0)) else {
        return crate::strings::throw_type_error(scope, "cjsLexer: source must be a string");
    };
    let len = source.length();
    let Some(state) = crate::guest_state::guest(scope) else {
        return;
    };
    // The copy counts against the exec's ArrayBuffer budget while it lives.
    let bytes = len * 2;
    if len > MAX_UNITS || !state.budget.reserve_external(bytes) {
        return;
    }
    let mut units = vec![0u16; len];
    source.write_v2(scope, 0, &mut units, v8::WriteFlags::empty());
    let found = parse(&units);
    drop(units);
    state.budget.release_external(bytes);
    match found {
        Ok(found) => {
            let exports = string_array(scope, found.exports.iter().map(String::as_str));
            let reexports = string_array(scope, found.reexports.iter().map(String::as_str));
            let pair = [exports.into(), reexports.into()];
            rv.set(v8::Array::new_with_elements(scope, &pair).into());
        }
        Err(Fail::Esm) => rv.set_null(),
        Err(Fail::Syntax) => {}
    }
}

#[cfg(test)]
mod tests;
