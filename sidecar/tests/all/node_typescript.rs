//! TypeScript files as Node 22.22 runs them (type stripping on by default): `.ts`, `.mts` and
//! `.cts` mains, imports and requires; Node's errors for syntax stripping cannot erase and for
//! node_modules; the options that turn it off or on to transforms; and a guest's source nested
//! past what the stripper's stack holds, refused with a typed error beside a victim. The host's
//! Node here is 20 (no type stripping), so these compare with Node 22's documented behaviour and
//! its own tests (`ci/node-tests`, test/es-module/test-typescript*.mjs).

use crate::esm::{guest, host, ok, tree};
use crate::support::{beside_a_victim, node, run, sidecar, stderr, stdout};

const PROJECT: &[(&str, &str)] = &[
    (
        "main.ts",
        "import { greet } from './lib.ts';\n\
         interface Options { loud: boolean }\n\
         const options: Options = { loud: true };\n\
         console.log(greet<string>('ts', options.loud));\n",
    ),
    (
        "lib.ts",
        "export function greet<T>(name: T, loud: boolean): string {\n\
         \x20 return loud ? `HELLO ${name}` : `hello ${name}`;\n}\n",
    ),
    (
        "main.cts",
        "const { value } = require('./dep.cts') as { value: number };\n\
         console.log('cts', value satisfies number, typeof module);\n",
    ),
    ("dep.cts", "exports.value = 42 as number;\n"),
    (
        "main.mts",
        "const n: number = await Promise.resolve(7);\n\
         console.log('mts', n, import.meta.url.endsWith('/main.mts'));\n",
    ),
    ("enum.ts", "enum Color { Red }\nconsole.log(Color.Red);\n"),
    (
        "node_modules/typed/index.ts",
        "export const typed: string = 'no';\n",
    ),
    (
        "uses-typed.mts",
        "import { typed } from './node_modules/typed/index.ts';\n",
    ),
    ("implicit.cjs", "require('./lib');\n"),
];

#[tokio::test]
async fn a_ts_main_imports_ts_with_its_types_stripped() {
    let dir = tree("ts-main", PROJECT);
    let sc = sidecar().await;
    let out = ok(&sc, guest(&dir, &["node", "main.ts"])).await;
    assert_eq!(out, "HELLO ts\n");
}

#[tokio::test]
async fn cts_is_commonjs_and_mts_an_es_module() {
    let dir = tree("ts-cts-mts", PROJECT);
    let sc = sidecar().await;
    assert_eq!(
        ok(&sc, guest(&dir, &["node", "main.cts"])).await,
        "cts 42 object\n"
    );
    assert_eq!(
        ok(&sc, guest(&dir, &["node", "main.mts"])).await,
        "mts 7 true\n"
    );
}

#[tokio::test]
async fn an_enum_is_err_unsupported_typescript_syntax_unless_transforming() {
    let dir = tree("ts-enum", PROJECT);
    let sc = sidecar().await;
    let out = run(&sc, guest(&dir, &["node", "enum.ts"])).await;
    assert_eq!(out.status.code, 1);
    // As Node 22.22: the place under Node's arrow, then the error.
    let arrow = "enum.ts:1\nenum Color { Red }\n^^^^^^^^^^^^^^^^^^\n\nSyntaxError \
                 [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript enum is not supported in \
                 strip-only mode\n";
    assert!(stderr(&out).contains(arrow), "{}", stderr(&out));
    let argv = ["node", "--experimental-transform-types", "enum.ts"];
    let out = run(&sc, guest(&dir, &argv)).await;
    assert_eq!(stdout(&out), "0\n", "{}", stderr(&out));
    assert!(stderr(&out).contains("ExperimentalWarning: Transform Types is an experimental"));
}

#[tokio::test]
async fn typescript_under_node_modules_is_refused_as_node_refuses_it() {
    let dir = tree("ts-node-modules", PROJECT);
    let sc = sidecar().await;
    let out = run(&sc, guest(&dir, &["node", "uses-typed.mts"])).await;
    assert_eq!(out.status.code, 1);
    assert!(
        stderr(&out).contains("ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn require_does_not_try_the_ts_extension_and_the_option_turns_stripping_off() {
    let dir = tree("ts-off", PROJECT);
    let sc = sidecar().await;
    let out = run(&sc, guest(&dir, &["node", "implicit.cjs"])).await;
    assert!(
        stderr(&out).contains("Cannot find module './lib'"),
        "{}",
        stderr(&out)
    );
    let argv = [
        "node",
        "--no-experimental-strip-types",
        "-p",
        "process.features.typescript",
    ];
    assert_eq!(ok(&sc, guest(&dir, &argv)).await, "false\n");
    let argv = ["node", "-p", "process.features.typescript"];
    assert_eq!(ok(&sc, guest(&dir, &argv)).await, "strip\n");
}

#[tokio::test]
async fn eval_code_that_is_not_javascript_is_tried_again_as_typescript() {
    let dir = tree("ts-eval", &[]);
    let sc = sidecar().await;
    let code = "const n: number = 2; console.log(n * 21);";
    assert_eq!(ok(&sc, guest(&dir, &["node", "-e", code])).await, "42\n");
    let code = "import { sep } from 'node:path'; const s: string = sep; console.log(s);";
    assert_eq!(ok(&sc, guest(&dir, &["node", "-e", code])).await, "/\n");
    let argv = [
        "node",
        "--input-type=module-typescript",
        "-e",
        "enum E { A }",
    ];
    let out = run(&sc, guest(&dir, &argv)).await;
    assert!(
        stderr(&out).contains("[eval]:1\nenum E { A }\n^^^^^^^^^^^^\n"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn module_strip_type_script_types_strips_in_place() {
    let dir = tree("ts-api", &[]);
    let code = "const { stripTypeScriptTypes } = require('node:module');\n\
                console.log(JSON.stringify(stripTypeScriptTypes('let x: number = 1;')));";
    let sc = sidecar().await;
    let out = run(&sc, guest(&dir, &["node", "-e", code])).await;
    assert_eq!(stdout(&out), "\"let x         = 1;\"\n", "{}", stderr(&out));
    assert!(stderr(&out).contains("stripTypeScriptTypes is an experimental feature"));
}

#[tokio::test]
async fn a_source_nested_past_the_strippers_stack_is_a_typed_error_beside_a_victim() {
    // 100 000 nested parentheses would overflow swc's recursion (and abort the engine): the
    // guest writes the file itself, then requires it.
    let code = "const fs = require('fs');\n\
                const n = 100000;\n\
                fs.writeFileSync('/w/deep.ts', 'let x: number = ' + '('.repeat(n) + '1' + \
                ')'.repeat(n) + ';');\n\
                try { require('/w/deep.ts'); } catch (e) { console.log(e.code); }";
    let dir = tree("ts-deep", &[]);
    let sc = sidecar().await;
    let out = beside_a_victim(&sc, node(code).dir(host(&dir), "/w")).await;
    assert_eq!(
        stdout(&out),
        "ERR_INVALID_TYPESCRIPT_SYNTAX\n",
        "{}",
        stderr(&out)
    );
}
