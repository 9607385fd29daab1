//! The assembler's rules, one per test, on small module sets (the real `js/` is assembled by
//! `build.rs`, so a broken rule there fails the build).

use crate::assemble::{AssembleError, assemble};

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
        .collect()
}

fn error(list: &[(&str, &str)]) -> AssembleError {
    assemble(&files(list)).expect_err("the files must be refused")
}

const MAIN: &str = "import { b } from './b.js';\nexport const runner = { b };\n";

#[test]
fn order_puts_dependencies_first_and_the_entry_last() {
    let out = assemble(&files(&[
        ("z_main.js", "import { b } from './b.js';\nimport { a } from './a.js';\nexport const runner = { a, b };\n"),
        ("b.js", "import { a } from './a.js';\nexport function b() { return a; }\n"),
        ("a.js", "export const a = 1;\n"),
    ]))
    .expect("assembles");
    assert_eq!(out.order, ["a.js", "b.js", "z_main.js"]);
}

#[test]
fn the_script_is_one_factory_returning_the_entry_runner() {
    let out = assemble(&files(&[("main.js", "export const runner = 1;\n")])).expect("assembles");
    assert!(
        out.script
            .starts_with("(function agentOSRunner($agentOSBridge) {\n'use strict';\n")
    );
    assert!(out.script.ends_with("return runner;\n})"));
}

#[test]
fn exports_are_bound_once_in_the_factory_scope_and_imports_emit_nothing() {
    let out = assemble(&files(&[
        (
            "a.js",
            "export function f() {}\nexport class C {}\nconst hidden = 2;\n",
        ),
        (
            "main.js",
            "import {\n  f,\n  C,\n} from './a.js';\nexport const runner = { f, C };\n",
        ),
    ]))
    .expect("assembles");
    assert!(
        out.script
            .contains("const { f, C } = (function () { // a.js\n")
    );
    assert!(out.script.contains("return { __proto__: null, f, C };"));
    assert!(
        out.script
            .contains("function f() {}\nclass C {}\nconst hidden = 2;\n")
    );
    assert!(
        out.script
            .contains("const { runner } = (function () { // main.js\nconst runner = { f, C };\n")
    );
    assert!(!out.script.contains("export ") && !out.script.contains("import"));
}

#[test]
fn imports_are_not_renamed() {
    let err = error(&[
        ("a.js", "export const a = 1;\n"),
        (
            "main.js",
            "import { a as b } from './a.js';\nexport const runner = b;\n",
        ),
    ]);
    assert!(
        matches!(err, AssembleError::Syntax { line: 1, .. }),
        "{err}"
    );
}

#[test]
fn an_exported_name_belongs_to_one_module() {
    let err = error(&[
        ("a.js", "export const x = 1;\n"),
        ("b.js", "export const x = 2;\n"),
        (
            "main.js",
            "import { x } from './a.js';\nimport { } from './b.js';\nexport const runner = 1;\n",
        ),
    ]);
    assert_eq!(
        err,
        AssembleError::DuplicateExport {
            name: "x".into(),
            first: "a.js".into(),
            second: "b.js".into()
        }
    );
}

#[test]
fn only_modules_importing_the_bridge_see_it() {
    let out = assemble(&files(&[
        (
            "a.js",
            "import { bridge } from 'agentos:bridge';\nexport const w = bridge.write;\n",
        ),
        (
            "main.js",
            "import { w } from './a.js';\nexport const runner = { w };\n",
        ),
    ]))
    .expect("assembles");
    assert_eq!(
        out.script.matches("const bridge = $agentOSBridge;").count(),
        1
    );
    let a = out.script.find("// a.js").expect("a.js is emitted");
    let main = out.script.find("// main.js").expect("main.js is emitted");
    let binding = out
        .script
        .find("const bridge")
        .expect("the binding is emitted");
    assert!(a < binding && binding < main);
}

#[test]
fn the_bridge_module_has_only_the_bridge_export() {
    let err = error(&[(
        "main.js",
        "import { write } from 'agentos:bridge';\nexport const runner = 1;\n",
    )]);
    assert!(
        matches!(err, AssembleError::Syntax { line: 1, .. }),
        "{err}"
    );
}

#[test]
fn a_cycle_is_an_error_naming_the_cycle() {
    let err = error(&[
        ("a.js", "import { b } from './b.js';\nexport const a = 1;\n"),
        ("b.js", "import { a } from './a.js';\nexport const b = 1;\n"),
        (
            "main.js",
            "import { a } from './a.js';\nexport const runner = a;\n",
        ),
    ]);
    assert_eq!(
        err,
        AssembleError::Cycle(vec!["a.js".into(), "b.js".into(), "a.js".into()])
    );
    assert_eq!(err.to_string(), "import cycle: a.js -> b.js -> a.js");
}

#[test]
fn a_missing_export_names_the_importer() {
    let err = error(&[("b.js", "export const c = 1;\n"), ("main.js", MAIN)]);
    assert_eq!(
        err.to_string(),
        "main.js:1: imports `b` from b.js, which does not export it"
    );
}

#[test]
fn an_unknown_module_names_the_importer() {
    let err = error(&[("main.js", MAIN)]);
    assert_eq!(
        err.to_string(),
        "main.js:1: imports './b.js', which is not a file of js/"
    );
}

#[test]
fn export_let_is_refused() {
    let err = error(&[("b.js", "export let b = 1;\n"), ("main.js", MAIN)]);
    assert!(
        matches!(&err, AssembleError::Syntax { file, line: 1, message } if file == "b.js" && message.contains("export let")),
        "{err}"
    );
}

#[test]
fn other_export_forms_are_refused() {
    for form in [
        "export default 1;",
        "export { b };",
        "export const { b } = x;",
        "export functionb() {}",
    ] {
        let err = error(&[("b.js", form), ("main.js", MAIN)]);
        assert!(
            matches!(err, AssembleError::Syntax { line: 1, .. }),
            "{form}: {err}"
        );
    }
}

#[test]
fn imports_must_name_sibling_files() {
    for specifier in ["b.js", "./dir/b.js", "../b.js", "./b", "node:fs"] {
        let main = format!("import {{ b }} from '{specifier}';\nexport const runner = b;\n");
        let err = error(&[("b.js", "export const b = 1;\n"), ("main.js", &main)]);
        assert!(
            matches!(err, AssembleError::Syntax { line: 1, .. }),
            "{specifier}: {err}"
        );
    }
}

#[test]
fn an_unterminated_import_is_an_error() {
    let err = error(&[("main.js", "import { b,\n  c\n")]);
    assert!(
        matches!(err, AssembleError::Syntax { line: 1, .. }),
        "{err}"
    );
}

#[test]
fn non_ascii_is_refused_with_its_line() {
    let err = error(&[("main.js", "export const runner = 1;\n// caf\u{e9}\n")]);
    assert_eq!(
        err,
        AssembleError::NonAscii {
            file: "main.js".into(),
            line: 2
        }
    );
}

#[test]
fn the_wrapper_names_are_reserved() {
    let err = error(&[("main.js", "export const runner = $agentOSBridge;\n")]);
    assert!(
        matches!(err, AssembleError::Syntax { line: 1, .. }),
        "{err}"
    );
}

#[test]
fn exactly_one_module_is_the_entry() {
    let err = error(&[
        ("a.js", "export const runner = 1;\n"),
        ("b.js", "export const other = 2;\n"),
    ]);
    assert_eq!(
        err,
        AssembleError::Entry(vec!["a.js".into(), "b.js".into()])
    );
}

#[test]
fn the_entry_exports_runner() {
    let err = error(&[("main.js", "export const other = 1;\n")]);
    assert!(
        matches!(err, AssembleError::MissingExport { ref name, .. } if name == "runner"),
        "{err}"
    );
}

#[test]
fn the_real_runner_has_every_module_once_and_ends_with_main() {
    let names: Vec<&str> = crate::RUNNER
        .lines()
        .filter(|l| l.ends_with(" = (function () {") || l.contains(" = (function () { // "))
        .filter_map(|l| l.split_once(" = (function () { // ").map(|(_, name)| name))
        .collect();
    assert_eq!(names.last(), Some(&"90_main.js"));
    assert_eq!(names.first(), Some(&"00_primordials.js"));
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
    assert!(names.len() > 30, "{names:?}");
}

mod strip {
    use crate::assemble::strip::{Unterminated, strip};

    fn stripped(src: &str) -> String {
        strip(src).expect("strips")
    }

    #[test]
    fn drops_comments_blank_lines_and_indentation() {
        let src = "// header\n\nfunction f() {\n    // inside\n    return 1; // trailing\n}\n";
        assert_eq!(stripped(src), "function f() {\nreturn 1;\n}\n");
    }

    #[test]
    fn keeps_comment_markers_inside_strings() {
        let src = "const a = '// not a comment'; const b = \"/* nor */ this\";\n";
        assert_eq!(stripped(src), src);
        assert_eq!(stripped("x('\\'//')\n"), "x('\\'//')\n");
    }

    #[test]
    fn keeps_template_text_verbatim() {
        let src = "const t = `line one\n    indented // text\n\n`;\n";
        assert_eq!(stripped(src), src);
    }

    #[test]
    fn substitutions_are_code_and_may_nest() {
        let src = "const t = `a${\n    f({ k: `in ${x} // t` }) // c\n  }b // t`;\n";
        assert_eq!(
            stripped(src),
            "const t = `a${\nf({ k: `in ${x} // t` })\n}b // t`;\n"
        );
    }

    #[test]
    fn regular_expressions_are_copied_whole() {
        let src = "const r = /['\"`]\\/[/]/g; // c\nif (x) return /a\\/\\/b/.test(s);\n";
        assert_eq!(
            stripped(src),
            "const r = /['\"`]\\/[/]/g;\nif (x) return /a\\/\\/b/.test(s);\n"
        );
    }

    #[test]
    fn a_slash_after_an_operand_divides() {
        let src = "const x = a / b / 2; // c\nconst y = (a) / c[0] / 'q'.length; // d\n";
        assert_eq!(
            stripped(src),
            "const x = a / b / 2;\nconst y = (a) / c[0] / 'q'.length;\n"
        );
    }

    #[test]
    fn block_comments_separate_tokens_or_end_lines() {
        assert_eq!(stripped("a /* one */ b\n"), "a  b\n");
        assert_eq!(stripped("a /* two\nlines */ b\n"), "a\nb\n");
    }

    #[test]
    fn unterminated_literals_are_errors_with_their_line() {
        let cases = [
            ("x;\nconst s = 'open\n", 2, "string"),
            ("const t = `open\n\n", 1, "template literal"),
            ("a;\nb;\n/* open\n", 3, "comment"),
            ("const r = /open\n", 1, "regular expression"),
        ];
        for (src, line, what) in cases {
            assert_eq!(strip(src), Err(Unterminated { line, what }), "{src:?}");
        }
    }
}
