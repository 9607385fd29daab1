//! Cases from cjs-module-lexer's own test suite (the patterns Node relies on).

use super::{Fail, parse};

fn lex(source: &str) -> Result<(Vec<String>, Vec<String>), Fail> {
    let units: Vec<u16> = source.encode_utf16().collect();
    parse(&units).map(|f| (f.exports, f.reexports))
}

fn exports(source: &str) -> Vec<String> {
    lex(source).expect("lexes").0
}

#[test]
fn exports_dot_and_bracket_assignments() {
    assert_eq!(
        exports("exports.a = 1; exports['b'] = 2; module.exports.c = 3; exports.d;"),
        ["a", "b", "c"]
    );
    assert_eq!(
        exports("exports['\\u0061b'] = 1; exports['\\ud800'] = 2;"),
        ["ab"]
    );
}

#[test]
fn module_exports_object_literal_and_require_reexport() {
    let (names, re) = lex("module.exports = { a, b: c, 'd': e, ...require('x'), f }").unwrap();
    assert_eq!(names, ["a", "b", "d", "f"]);
    assert_eq!(re, ["x"]);
    let (names, re) = lex("module.exports = require('./dep.js');").unwrap();
    assert!(names.is_empty());
    assert_eq!(re, ["./dep.js"]);
}

#[test]
fn define_property_value_and_getters() {
    let src = "Object.defineProperty(exports, '__esModule', { value: true });\n\
               Object.defineProperty(exports, 'a', { enumerable: true, get: function () { return q.p; } });\n\
               Object.defineProperty(exports, 'b', { enumerable: true, get() { return unsafe(); } });";
    assert_eq!(exports(src), ["__esModule", "a"]);
}

#[test]
fn typescript_export_star_and_babel_loops() {
    let ts = "__exportStar(require('./a'), exports);\nvar b = require('./b');\n\
              Object.keys(b).forEach(function (k) { if (k === 'default' || k === '__esModule') return; \
              exports[k] = b[k]; });";
    let (_, re) = lex(ts).unwrap();
    assert_eq!(re, ["./a", "./b"]);
}

#[test]
fn esm_syntax_is_reported_and_dynamic_import_is_not() {
    assert_eq!(lex("import x from 'y'"), Err(Fail::Esm));
    assert_eq!(lex("export const a = 1"), Err(Fail::Esm));
    assert_eq!(lex("const u = import.meta.url;"), Err(Fail::Esm));
    assert!(lex("console.log(import.meta.url)").is_ok()); // nested: the original misses it too
    assert!(lex("import('x').then(() => {}); exports.a = 1").is_ok());
}

#[test]
fn regexes_templates_and_comments_do_not_confuse_it() {
    let src = "/* exports.no = 1 */ // exports.no2 = 1\nconst r = /exports.x = [/]/g;\n\
               const t = `${ `exports.y = ${1}` }`;\nexports.yes = a / b / c;";
    assert_eq!(exports(src), ["yes"]);
}

#[test]
fn malformed_sources_fail_without_panicking() {
    for src in [
        "'unterminated",
        "a = (",
        "}",
        "`${",
        "/[/",
        "exports.x = 1; )",
    ] {
        assert_eq!(lex(src), Err(Fail::Syntax), "{src}");
    }
    let lone: Vec<u16> = "exports.".encode_utf16().chain([0xD800, 61, 49]).collect();
    assert_eq!(parse(&lone).map(|f| f.exports), Ok(Vec::<String>::new()));
    let deep = "(".repeat(100_000);
    assert_eq!(lex(&deep), Err(Fail::Syntax));
}
