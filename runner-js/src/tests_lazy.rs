//! The lazy builtins' rules (`lib/`, see `assemble/lazy.rs`), one per test.

use crate::assemble::{AssembleError, assemble_with_lazy};

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
        .collect()
}

const CORE: &[(&str, &str)] = &[
    (
        "a.js",
        "export const a = 1;\nexport function helper() { return 2; }\n",
    ),
    (
        "main.js",
        "import { a } from './a.js';\nimport { internals, LAZY_BUILTINS } from 'agentos:lazy';\n\
         export const runner = { a, internals, LAZY_BUILTINS };\n",
    ),
];

#[test]
fn a_lazy_builtin_is_a_factory_of_its_exports_taking_runner_internals() {
    let lib = files(&[(
        "zlib.js",
        "import { helper } from '../js/a.js';\nexport function gzip() { return helper(); }\n",
    )]);
    let out = assemble_with_lazy(&files(CORE), &lib).expect("assembles");
    let [zlib] = out.builtins.as_slice() else {
        panic!("one builtin");
    };
    assert_eq!(zlib.name, "zlib");
    assert!(zlib.script.starts_with(
        "(function agentOSBuiltin($agentOSInternals, $agentOSBridge, $agentOSLoad) {"
    ));
    assert!(
        zlib.script
            .contains("const { helper } = $agentOSInternals;")
    );
    assert!(
        zlib.script
            .ends_with("return { __proto__: null, gzip };\n})")
    );
}

#[test]
fn a_lazy_builtin_loads_the_lazy_builtins_it_imports_by_name() {
    let lib = files(&[
        ("stream.js", "export class Readable {}\n"),
        (
            "stream__promises.js",
            "import { Readable } from './stream.js';\nexport const pipeline = Readable;\n",
        ),
    ]);
    let out = assemble_with_lazy(&files(CORE), &lib).expect("assembles");
    let promises = out
        .builtins
        .iter()
        .find(|b| b.name == "stream/promises")
        .expect("named");
    assert!(
        promises
            .script
            .contains("const { Readable } = $agentOSLoad('stream');")
    );
}

#[test]
fn the_runner_gets_internals_of_every_export_and_the_public_names() {
    let lib = files(&[
        ("os.js", "export const EOL = 1;\n"),
        ("internal__x.js", "export const x = 1;\n"),
    ]);
    let out = assemble_with_lazy(&files(CORE), &lib).expect("assembles");
    assert!(
        out.script
            .contains("$agentOSFreeze({ __proto__: null, a, helper, runner })")
    );
    assert!(
        out.script
            .contains("const $agentOSLazyBuiltins = $agentOSFreeze(['os']);")
    );
    assert!(out.script.contains("const internals = $agentOSInternals;"));
}

#[test]
fn a_lazy_import_of_a_missing_export_names_the_importer() {
    let lib = files(&[(
        "os.js",
        "import { nope } from '../js/a.js';\nexport const EOL = 1;\n",
    )]);
    let err = assemble_with_lazy(&files(CORE), &lib).expect_err("refused");
    assert!(
        matches!(err, AssembleError::MissingExport { ref importer, .. } if importer == "lib/os.js:1"),
        "{err}"
    );
}

#[test]
fn only_lazy_builtins_may_import_from_the_runner_directory() {
    let core = files(&[(
        "main.js",
        "import { a } from '../js/a.js';\nexport const runner = a;\n",
    )]);
    assert!(matches!(
        assemble_with_lazy(&core, &[]),
        Err(AssembleError::Syntax { .. })
    ));
}

#[test]
fn the_lazy_pseudo_module_has_two_exports() {
    let core = files(&[(
        "main.js",
        "import { other } from 'agentos:lazy';\nexport const runner = 1;\n",
    )]);
    assert!(matches!(
        assemble_with_lazy(&core, &[]),
        Err(AssembleError::Syntax { .. })
    ));
}

#[test]
fn a_runner_module_only_lazy_builtins_import_is_not_a_second_entry() {
    let mut core = files(CORE);
    core.extend(files(&[(
        "b.js",
        "export const captured = Array.prototype.push;\n",
    )]));
    let lib = files(&[(
        "buffer.js",
        "import { captured } from '../js/b.js';\nexport const push = captured;\n",
    )]);
    let out = assemble_with_lazy(&core, &lib).expect("assembles");
    assert!(out.order.iter().any(|m| m == "b.js"), "{:?}", out.order);
    assert_eq!(out.order.last().map(String::as_str), Some("main.js"));
    assert!(matches!(
        assemble_with_lazy(&core, &[]),
        Err(AssembleError::Entry(_))
    ));
}

#[test]
fn the_fingerprint_changes_with_any_builtin_and_only_then() {
    let builtin = |name: &str, script: &str| crate::assemble::lazy::Builtin {
        name: name.to_owned(),
        script: script.to_owned(),
    };
    let of = |list: &[crate::assemble::lazy::Builtin]| crate::assemble::lazy::fingerprint(list);
    let base = [builtin("stream", "(a)"), builtin("fs", "(b)")];
    assert_eq!(
        of(&base),
        of(&[builtin("stream", "(a)"), builtin("fs", "(b)")])
    );
    assert_ne!(
        of(&base),
        of(&[builtin("stream", "(a)"), builtin("fs", "(c)")])
    );
    assert_ne!(
        of(&base),
        of(&[builtin("stream", "(a)"), builtin("fx", "(b)")])
    );
    assert_ne!(of(&base), of(&base[..1]));
}
