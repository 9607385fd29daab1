//! ES modules through the real sidecar: static and dynamic imports, `.mjs` and `"type": "module"`,
//! `import.meta`, top-level await, JSON imports, CommonJS interop both ways (named exports as
//! Node's lexer finds them, `require()` of synchronous ESM), package `exports`/`imports` with each
//! side's conditions, Node-shaped errors, and hostile inputs.
//!
//! Where Node 20 (the host's) and Node 22 behave alike, a test is differential: the same files,
//! mounted at the same guest path as on the host, run under the host's `node` and the sidecar,
//! must print the same. Node 22-only behaviour (the unsettled top-level await warning, the
//! `ERR_IMPORT_ATTRIBUTE_*` codes) is asserted directly.

use std::path::{Path, PathBuf};
use std::process::Command;

use agentos_sdk::{ExecSpec, Output, Sidecar};

use crate::support::{node, run, scratch, sidecar, stderr, stdout};

/// A scratch directory holding `files` (path relative to the root, contents).
pub(crate) fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = scratch(name);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

pub(crate) fn host(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

/// `argv` in the sidecar with `dir` mounted read-only at its own host path, cwd there.
pub(crate) fn guest(dir: &Path, argv: &[&str]) -> ExecSpec {
    ExecSpec::new(argv.iter().copied())
        .dir_ro(host(dir), host(dir))
        .cwd(host(dir))
}

/// Runs `argv` (starting with `node`) under the host's Node in `dir`: (exit code, stdout).
fn host_node(dir: &Path, argv: &[&str]) -> (i32, String) {
    let out = Command::new(argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("the host's node runs (ci/test requires Node 20)");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The sidecar prints what the host's Node prints for `argv` in `dir`, and exits alike.
pub(crate) async fn same_as_node(sc: &Sidecar, dir: &Path, argv: &[&str]) -> String {
    let (code, expected) = host_node(dir, argv);
    let out = run(sc, guest(dir, argv)).await;
    assert_eq!(stdout(&out), expected, "stderr: {}", stderr(&out));
    assert_eq!(out.status.code, code, "stderr: {}", stderr(&out));
    expected
}

pub(crate) async fn ok(sc: &Sidecar, spec: ExecSpec) -> String {
    let out: Output = run(sc, spec).await;
    assert_eq!(out.status.code, 0, "stderr: {}", stderr(&out));
    stdout(&out)
}

const DUAL: &[(&str, &str)] = &[
    (
        "node_modules/dual/package.json",
        r#"{"name": "dual", "exports": {
            ".": {"import": "./dist/index.mjs", "require": "./dist/index.cjs"},
            "./feature": {"node": {"import": "./dist/f.mjs", "default": "./dist/f.cjs"}},
            "./package.json": "./package.json"}}"#,
    ),
    (
        "node_modules/dual/dist/index.mjs",
        "export const kind = 'esm'; export default 'dual-esm';",
    ),
    (
        "node_modules/dual/dist/index.cjs",
        "exports.kind = 'cjs'; exports.default = 'dual-cjs';",
    ),
    ("node_modules/dual/dist/f.mjs", "export const f = 'f-esm';"),
    ("node_modules/dual/dist/f.cjs", "exports.f = 'f-cjs';"),
    (
        "node_modules/esmonly/package.json",
        r#"{"name": "esmonly", "type": "module", "exports": "./index.js"}"#,
    ),
    (
        "node_modules/esmonly/index.js",
        "export const e = 'esm-only'; export default function hello() { return 'hi'; }",
    ),
    (
        "node_modules/onlyimport/package.json",
        r#"{"name": "onlyimport", "exports": {"import": "./i.mjs"}}"#,
    ),
    ("node_modules/onlyimport/i.mjs", "export default 1;"),
    (
        "node_modules/legacy/package.json",
        r#"{"name": "legacy", "main": "lib/main"}"#,
    ),
    (
        "node_modules/legacy/lib/main.js",
        "exports.legacy = true; exports['quoted name'] = 2;",
    ),
];

#[tokio::test]
async fn dual_packages_give_import_and_require_their_own_condition() {
    let main = "import dual, { kind } from 'dual';\n\
        import { f } from 'dual/feature';\n\
        import { createRequire } from 'node:module';\n\
        const require = createRequire(import.meta.url);\n\
        console.log(dual, kind, f, require('dual').kind, require('dual/feature').f);\n\
        try { require('onlyimport'); } catch (e) { console.log(e.code); }\n\
        console.log((await import('onlyimport')).default);\n";
    let mut files = DUAL.to_vec();
    files.push(("main.mjs", main));
    let dir = tree("esm-dual", &files);
    let sc = sidecar().await;
    let printed = same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
    assert_eq!(
        printed,
        "dual-esm esm f-esm cjs f-cjs\nERR_PACKAGE_PATH_NOT_EXPORTED\n1\n"
    );
}

#[tokio::test]
async fn commonjs_imports_get_default_and_the_named_exports_the_lexer_finds() {
    let files = [
        (
            "cjs/plain.js",
            "exports.a = 1;\nmodule.exports.b = function b() {};\n\
             Object.defineProperty(exports, 'c', { enumerable: true, get: function () { return q.c; } });\n\
             Object.defineProperty(exports, 'd', { enumerable: true, get() { return 4; } });\n\
             var q = { c: 3 };",
        ),
        (
            "cjs/literal.js",
            "const x = 1, y = 2;\nmodule.exports = { x, y: y, 'z': x, ...require('./plain.js') };",
        ),
        (
            "cjs/ts.js",
            "var __exportStar = function (m, e) { for (var p in m) e[p] = m[p]; };\n\
             Object.defineProperty(exports, '__esModule', { value: true });\n\
             __exportStar(require('./plain.js'), exports);\nexports.ts = 'ts';",
        ),
        (
            "cjs/reexport.js",
            "module.exports = require('./literal.js');",
        ),
        (
            "main.mjs",
            "import plain, * as ns from './cjs/plain.js';\n\
             import * as lit from './cjs/literal.js';\n\
             import * as ts from './cjs/ts.js';\n\
             import * as re from './cjs/reexport.js';\n\
             const show = (m) => Object.keys(m).sort().join(',');\n\
             console.log(show(ns), ns.default === plain, ns.c, ns.a);\n\
             console.log(show(lit), lit.z, lit.default.d);\n\
             console.log(show(ts), ts.a, ts.__esModule);\n\
             console.log(show(re));\n",
        ),
    ];
    let dir = tree("esm-cjs-names", &files);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
}

#[tokio::test]
async fn a_missing_named_export_of_commonjs_gets_nodes_hint() {
    let files = [
        ("lib.cjs", "exports.a = 1;"),
        (
            "main.mjs",
            "import { a, b as bee } from './lib.cjs';\nconsole.log(a, bee);",
        ),
    ];
    let dir = tree("esm-cjs-hint", &files);
    let sc = sidecar().await;
    let out = run(&sc, guest(&dir, &["node", "main.mjs"])).await;
    assert_eq!(out.status.code, 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "SyntaxError: Named export 'b' not found. The requested module './lib.cjs' is a \
             CommonJS module, which may not support all module.exports as named exports.\n\
             CommonJS modules can always be imported via the default export, for example using:\n\n\
             import pkg from './lib.cjs';\nconst { a, b: bee } = pkg;"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn require_of_synchronous_esm_returns_its_namespace_as_node_22() {
    let main = "const show = (f) => { try { return JSON.stringify(f()); } catch (e) { return e.code; } };\n\
        const esm = require('esmonly');\n\
        console.log(esm.e, typeof esm.default, esm.__esModule, require('esmonly') === esm);\n\
        console.log(show(() => require('./tla.mjs')), show(() => require('./throws.mjs')));\n\
        console.log(require('./plain.mjs').p, Object.keys(require('./plain.mjs')).join());\n\
        console.log(require('legacy').legacy, require('dual').kind);\n";
    let mut files = DUAL.to_vec();
    files.extend([
        ("main.cjs", main),
        ("tla.mjs", "export const v = 1; await 0;"),
        (
            "throws.mjs",
            "throw Object.assign(new Error('x'), { code: 'THROWN' });",
        ),
        ("plain.mjs", "export const p = 'plain';"),
    ]);
    let dir = tree("esm-require", &files);
    let sc = sidecar().await;
    let printed = same_as_node(&sc, &dir, &["node", "main.cjs"]).await;
    assert!(
        printed.starts_with("esm-only function true true\nERR_REQUIRE_ASYNC_MODULE THROWN\n"),
        "{printed}"
    );
}

#[tokio::test]
async fn require_cycles_through_esm_are_node_errors() {
    let files = [
        (
            "a.cjs",
            "exports.early = 1; try { require('./b.mjs'); } catch (e) { console.log(e.code, e.message); }",
        ),
        ("b.mjs", "import a from './a.cjs'; export const x = a;"),
        ("c1.mjs", "import './c2.mjs'; export const c = 1;"),
        (
            "c2.mjs",
            "import { createRequire } from 'module';\n\
             try { createRequire(import.meta.url)('./c1.mjs'); } catch (e) { console.log(e.code); }",
        ),
    ];
    let dir = tree("esm-require-cycle", &files);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "a.cjs"]).await;
    same_as_node(&sc, &dir, &["node", "c1.mjs"]).await;
}

#[tokio::test]
async fn module_sync_imports_and_self_reference_resolve_on_both_sides() {
    let files = [
        (
            "package.json",
            r##"{"name": "app", "exports": {".": "./index.cjs", "./x": "./x.cjs"},
                "imports": {"#util": {"import": "./util.mjs", "require": "./util.cjs"},
                            "#lib/*": "./lib/*.js"}}"##,
        ),
        ("util.cjs", "exports.u = 'util-cjs';"),
        ("util.mjs", "export const u = 'util-esm';"),
        ("lib/a.js", "exports.l = 'lib-a';"),
        ("index.cjs", "module.exports = 'self-index';"),
        ("x.cjs", "module.exports = 'self-x';"),
        (
            "node_modules/sync/package.json",
            r#"{"name": "sync", "exports": {"module-sync": "./s.mjs", "require": "./s.cjs", "import": "./s2.mjs"}}"#,
        ),
        (
            "node_modules/sync/s.mjs",
            "export const which = 'module-sync';",
        ),
        ("node_modules/sync/s.cjs", "exports.which = 'require';"),
        ("node_modules/sync/s2.mjs", "export const which = 'import';"),
        (
            "main.cjs",
            "const show = (f) => { try { return JSON.stringify(f()); } catch (e) { return e.code; } };\n\
             console.log(show(() => require('#util').u), show(() => require('#lib/a').l), show(() => require('#nope')));\n\
             console.log(show(() => require('app')), show(() => require('app/x')), show(() => require('sync').which));\n",
        ),
        (
            "main.mjs",
            "import { u } from '#util';\nimport x from 'app/x';\nimport { which } from 'sync';\n\
             console.log(u, x, which);\ntry { await import('#nope'); } catch (e) { console.log(e.code); }\n",
        ),
    ];
    let dir = tree("esm-conditions", &files);
    let sc = sidecar().await;
    let printed = same_as_node(&sc, &dir, &["node", "main.cjs"]).await;
    assert!(printed.ends_with("\"module-sync\"\n"), "{printed}");
    same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
}

#[tokio::test]
async fn type_module_packages_make_js_files_modules_and_cjs_stays_commonjs() {
    let files = [
        ("package.json", r#"{"type": "module"}"#),
        (
            "main.js",
            "import { c } from './c.cjs';\nimport data from './data.json' with { type: 'json' };\n\
             console.log(c, typeof require, typeof module, data.n);",
        ),
        ("c.cjs", "exports.c = typeof require;"),
        ("data.json", "{\"n\": 7}"),
    ];
    let dir = tree("esm-type-module", &files);
    let sc = sidecar().await;
    let printed = same_as_node(&sc, &dir, &["node", "main.js"]).await;
    assert_eq!(printed, "function undefined undefined 7\n");
}

#[tokio::test]
async fn import_meta_has_dirname_filename_resolve_and_url() {
    let mut files = DUAL.to_vec();
    files.push((
        "sub dir/m.mjs",
        "console.log(import.meta.url, import.meta.filename, import.meta.dirname);\n\
         console.log(Object.keys(import.meta).filter((k) => k !== 'main').join(), import.meta.resolve('dual'), import.meta.resolve('./nope.js'));\n\
         try { import.meta.resolve('nopkg'); } catch (e) { console.log(e.code); }",
    ));
    let dir = tree("esm-meta", &files);
    let sc = sidecar().await;
    let printed = same_as_node(&sc, &dir, &["node", "sub dir/m.mjs"]).await;
    assert!(printed.contains("/sub%20dir/m.mjs "), "{printed}");
}

#[tokio::test]
async fn top_level_await_works_in_mjs_and_in_eval_with_input_type_module() {
    let files = [
        (
            "tla.mjs",
            "const v = await new Promise((r) => setTimeout(() => r('later'), 5));\nconsole.log(v);",
        ),
        ("dep.mjs", "export const x = await Promise.resolve(41) + 1;"),
    ];
    let dir = tree("esm-tla", &files);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "tla.mjs"]).await;
    let code =
        "const { x } = await import('./dep.mjs'); console.log(x, import.meta.url, typeof require);";
    let printed = same_as_node(&sc, &dir, &["node", "--input-type=module", "-e", code]).await;
    assert!(printed.starts_with("42 file://"), "{printed}");
    let detected = "import { x } from './dep.mjs'; console.log(x);";
    same_as_node(&sc, &dir, &["node", "-e", detected]).await;
}

#[tokio::test]
async fn an_unsettled_top_level_await_exits_13_with_node_22s_warning() {
    let dir = tree(
        "esm-stalled",
        &[("stall.mjs", "await new Promise(() => {});\n")],
    );
    let sc = sidecar().await;
    let out = run(&sc, guest(&dir, &["node", "stall.mjs"])).await;
    assert_eq!(out.status.code, 13);
    let expected = format!(
        "Warning: Detected unsettled top-level await at file://{}/stall.mjs:1\n\
         await new Promise(() => {{}});\n^\n\n",
        host(&dir)
    );
    assert_eq!(stderr(&out), expected);
}

#[tokio::test]
async fn builtins_import_with_and_without_the_node_prefix() {
    let code = "import fs, { readFileSync } from 'node:fs';\nimport { join } from 'path';\n\
        import * as events from 'events';\nimport { createRequire, builtinModules } from 'module';\n\
        const p = await import('node:fs/promises');\n\
        console.log(fs.readFileSync === readFileSync, join('a', 'b'), typeof events.default, \
        typeof createRequire, Array.isArray(builtinModules), typeof p.readFile);\n\
        try { await import('node:nope'); } catch (e) { console.log(e.code); }";
    let dir = tree("esm-builtins", &[("b.mjs", code)]);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "b.mjs"]).await;
    let out = ok(
        &sc,
        node("import('node:fs').then((m) => console.log(typeof m.default.statSync, typeof m.statSync))"),
    )
    .await;
    assert_eq!(out, "function function\n");
}

#[tokio::test]
async fn resolution_and_format_errors_are_nodes() {
    let files = [
        ("sub/x.js", ""),
        // `.ts` loads since Node 22.18 (type stripping); `.coffee` is unknown to every Node.
        ("x.coffee", ""),
        ("data.json", "{}"),
        (
            "errors.mjs",
            "for (const s of ['./sub', './x.coffee', './missing.mjs', 'nopkg', 'https://x.y/z.js', \
             'node:nope', '#x', 'data:text/javascript,export default 42']) {\n\
               try { const m = await import(s); console.log(s, 'ok', m.default); }\n\
               catch (e) { console.log(s, e.code, e.message); }\n}\n",
        ),
        ("static.mjs", "import './missing.mjs';"),
    ];
    let dir = tree("esm-errors", &files);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "errors.mjs"]).await;
    let out = run(&sc, guest(&dir, &["node", "static.mjs"])).await;
    assert_eq!(out.status.code, 1);
    let err = stderr(&out);
    let expected = format!(
        "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '{0}/missing.mjs' imported from {0}/static.mjs",
        host(&dir)
    );
    assert!(err.contains(&expected), "{err}");
    assert!(err.contains("code: 'ERR_MODULE_NOT_FOUND'"), "{err}");
}

#[tokio::test]
async fn json_imports_need_the_type_attribute_as_node_22() {
    let files = [
        ("data.json", "{\"a\": [1, 2]}"),
        ("x.mjs", "export default 1;"),
        (
            "main.mjs",
            "const { default: d } = await import('./data.json', { with: { type: 'json' } });\n\
             console.log(JSON.stringify(d));\n\
             for (const [s, a] of [['./data.json', undefined], ['./x.mjs', { type: 'json' }], \
             ['./x.mjs', { type: 'css' }], ['./x.mjs', { other: 'x' }]]) {\n\
               try { await import(s, a && { with: a }); } catch (e) { console.log(e.code); }\n}\n",
        ),
    ];
    let dir = tree("esm-json", &files);
    let sc = sidecar().await;
    let out = ok(&sc, guest(&dir, &["node", "main.mjs"])).await;
    assert_eq!(
        out,
        "{\"a\":[1,2]}\nERR_IMPORT_ATTRIBUTE_MISSING\nERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE\n\
         ERR_IMPORT_ATTRIBUTE_UNSUPPORTED\nERR_IMPORT_ATTRIBUTE_UNSUPPORTED\n"
    );
}

#[tokio::test]
async fn modules_are_cached_per_exec_and_evaluated_once() {
    let files = [
        (
            "count.mjs",
            "globalThis.n = (globalThis.n ?? 0) + 1; export const n = globalThis.n;",
        ),
        (
            "main.mjs",
            "import { n } from './count.mjs';\nconst again = await import('./count.mjs');\n\
             const fresh = await import('./count.mjs?v=2');\nconsole.log(n, again.n, fresh.n, globalThis.n);",
        ),
    ];
    let dir = tree("esm-cache", &files);
    let sc = sidecar().await;
    let first = same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
    assert_eq!(first, "1 1 2 2\n");
    assert_eq!(ok(&sc, guest(&dir, &["node", "main.mjs"])).await, first);
}

#[tokio::test]
async fn an_esm_main_has_no_commonjs_globals_and_no_require_main() {
    let files = [
        (
            "main.mjs",
            "import { createRequire } from 'module';\nconst require = createRequire(import.meta.url);\n\
             console.log(typeof exports, typeof module, typeof __filename, require('./c.cjs'));",
        ),
        ("c.cjs", "module.exports = String(require.main);"),
    ];
    let dir = tree("esm-globals", &files);
    let sc = sidecar().await;
    let printed = same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
    assert_eq!(printed, "undefined undefined undefined undefined\n");
}

#[tokio::test]
async fn input_type_options_are_validated_like_node() {
    let sc = sidecar().await;
    let out = run(&sc, ExecSpec::new(["node", "--input-type=module", "x.mjs"])).await;
    assert_eq!(out.status.code, 9);
    assert!(stderr(&out).contains("--input-type can only be used with string input"));
    let out = run(
        &sc,
        ExecSpec::new(["node", "--input-type=module", "-p", "1"]),
    )
    .await;
    assert_eq!(out.status.code, 1);
    assert!(
        stderr(&out).contains("ERR_EVAL_ESM_CANNOT_PRINT"),
        "{}",
        stderr(&out)
    );
    let cjs = run(
        &sc,
        ExecSpec::new(["node", "--input-type=commonjs", "-e", "import x from 'fs'"]),
    )
    .await;
    assert_eq!(cjs.status.code, 1);
    assert!(stderr(&cjs).contains("SyntaxError"), "{}", stderr(&cjs));
}

/// CommonJS sources that exercise the lexer's rules (Node's cjs-module-lexer), as `(file, source)`.
const LEXER_CORPUS: &[(&str, &str)] = &[
    (
        "dot.cjs",
        "exports.a = 1; exports.b = exports.c = 2; module.exports.d = 3;",
    ),
    (
        "bracket.cjs",
        "exports['e f'] = 1; exports[\"g\\u0068\"] = 2; exports[`nope`] = 3;",
    ),
    (
        "literal.cjs",
        "var x = {}; const a = 1, b = 2; module.exports = { a, b: b, 'c d': a, e() {}, ...x };",
    ),
    (
        "reassign.cjs",
        "exports.gone = 1; module.exports = { kept: 1 };",
    ),
    (
        "define.cjs",
        "Object.defineProperty(exports, 'v', { value: 1 });\n\
        Object.defineProperty(module.exports, 'g', { enumerable: true, get: function () { return m.g; } });\n\
        Object.defineProperty(exports, 'h', { enumerable: true, get() { return m['h']; } });\n\
        Object.defineProperty(exports, 'unsafe', { get() { return compute(); } });\nvar m = {};",
    ),
    (
        "esmodule.cjs",
        "Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = 1;\nexports.named = 2;",
    ),
    (
        "regex.cjs",
        "var a = 4, b = 2, y = 6, x; var r = /exports.no = 1/; var d = a / b; exports.yes = 1; var s = '/'; x = y / 2 / 3;\n\
        if (/re/.test(s)) exports.yes2 = 1;",
    ),
    (
        "template.cjs",
        "var t = `exports.no = ${ `nested ${1}` } exports.no2`; exports.after = 1;",
    ),
    (
        "comments.cjs",
        "// exports.no = 1\n/* exports.no2 = 2 */ exports.yes = /* c */ 1;",
    ),
    (
        "unicode.cjs",
        "exports.\u{e9}t\u{e9} = 1; exports.\u{1d4d0}x = 2; exports['\\ud83d\\ude00'] = 3;",
    ),
    (
        "babel.cjs",
        "\"use strict\";\nObject.defineProperty(exports, \"__esModule\", { value: true });\n\
        var _dep = require(\"./dot.cjs\");\nObject.keys(_dep).forEach(function (key) {\n\
        if (key === \"default\" || key === \"__esModule\") return;\n\
        if (key in exports && exports[key] === _dep[key]) return;\n\
        Object.defineProperty(exports, key, { enumerable: true, get: function () { return _dep[key]; } });\n});",
    ),
    (
        "tsstar.cjs",
        "var __exportStar = (this && this.__exportStar) || function(m, exports) {};\n\
        Object.defineProperty(exports, \"__esModule\", { value: true });\n\
        __exportStar(require(\"./literal.cjs\"), exports);\nexports.own = 1;",
    ),
    ("reexport.cjs", "module.exports = require('./define.cjs');"),
    (
        "spreadreq.cjs",
        "module.exports = { ...require('./dot.cjs'), extra: 1 };",
    ),
    (
        "class.cjs",
        "class A { m() { return /x/; } }\nexports.A = A; exports.after = 1 / 2;",
    ),
    ("broken.cjs", "exports.before = 1; var s = 'unterminated\n"),
    (
        "nested.cjs",
        "var x = 0; function f() { exports.inner = 1; }\nif (x) { module.exports.cond = 2; }",
    ),
];

#[tokio::test]
async fn commonjs_named_exports_match_nodes_lexer_on_a_corpus() {
    let mut files: Vec<(&str, &str)> = LEXER_CORPUS.to_vec();
    let main = "for (const f of ['dot', 'bracket', 'literal', 'reassign', 'define', 'esmodule', 'regex', \
        'template', 'comments', 'unicode', 'babel', 'tsstar', 'reexport', 'spreadreq', 'class', 'broken', \
        'nested']) {\n\
          try { const ns = await import(`./${f}.cjs`); console.log(f, JSON.stringify(Object.keys(ns))); }\n\
          catch (e) { console.log(f, e.name); }\n}\n";
    files.push(("main.mjs", main));
    let dir = tree("esm-lexer-corpus", &files);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
}
