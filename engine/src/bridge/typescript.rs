//! `bridge.stripTypeScript(source, filename, transform, module, sourceMap)`: TypeScript made
//! JavaScript for the module loaders and `module.stripTypeScriptTypes` (`agentos-typescript`:
//! swc's stripper, which Node's amaro is too): types become whitespace (or, with `transform`,
//! enums and namespaces become code). Returns the code, `[code, map]` when `sourceMap` (a
//! transform's source map, JSON), or `[kind, message, line, column, length, text]` (`kind`
//! `'InvalidSyntax'` or `'UnsupportedSyntax'`; where the first problem is, line 1-based,
//! column 0-based, all strings, empty when nowhere) for the runner to throw as Node's
//! `ERR_INVALID_TYPESCRIPT_SYNTAX` / `ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX` under Node's arrow. `module`: true (an ES module), false (a script) or
//! undefined (whichever parses); `filename`: the name in messages ('' for none).

use agentos_typescript::{Mode, TypeScriptError, convert};
use v8::MapFnTo;

use crate::strings::{string_array, v8_str};

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![("stripTypeScript", strip_typescript.map_fn_to())]
}

fn strip_typescript<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let source = args.get(0).to_rust_string_lossy(scope);
    let filename = args.get(1).to_rust_string_lossy(scope);
    let mode = if args.get(2).boolean_value(scope) {
        Mode::Transform
    } else {
        Mode::Strip
    };
    let module = args.get(3);
    let module = (module.is_boolean()).then(|| module.boolean_value(scope));
    let source_map = args.get(4).boolean_value(scope);
    match convert(source, &filename, mode, module, source_map) {
        Ok(out) => match out.map {
            Some(map) => rv.set(string_array(scope, [out.code.as_str(), &map]).into()),
            None => rv.set(v8_str(scope, &out.code).into()),
        },
        Err(e) => {
            let kind = match e {
                TypeScriptError::InvalidSyntax(_) | TypeScriptError::TooDeep => "InvalidSyntax",
                TypeScriptError::UnsupportedSyntax(_) => "UnsupportedSyntax",
            };
            let (line, column, length, text) = e.place().map_or_else(Default::default, |p| {
                (
                    p.line.to_string(),
                    p.column.to_string(),
                    p.length.to_string(),
                    p.text.as_str(),
                )
            });
            let items = [kind, &e.to_string(), &line, &column, &length, text];
            rv.set(string_array(scope, items).into());
        }
    }
}
