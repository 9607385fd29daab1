//! A package.json's "exports" and "imports" as Node 22 resolves them, for `require` and
//! `import` alike: targets naming other packages, percent-encoded targets, and Node's errors for
//! targets that are invalid or escape their package.

use agentos_sdk::ExecSpec;

use crate::esm::{guest, ok, tree};
use crate::support::{beside_a_victim, sidecar, stderr, stdout};

/// `node MAIN` in a tree of `files` (mounted at its host path, read-only).
fn app(name: &str, main: &str, files: &[(&str, &str)]) -> ExecSpec {
    guest(&tree(name, files), &["node", main])
}

const DEP: (&str, &str) = (
    "node_modules/dep/package.json",
    r#"{"name": "dep", "exports": {".": "./main.js", "./space": "./sp%20ce.js"}}"#,
);

#[tokio::test]
async fn an_imports_target_may_name_another_package() {
    let sc = sidecar().await;
    let files = [
        (
            "package.json",
            r##"{"imports": {"#dep": "dep", "#sub/*": "dep/*"}}"##,
        ),
        DEP,
        ("node_modules/dep/main.js", "module.exports = 'dep main';"),
        ("node_modules/dep/sp ce.js", "module.exports = 'spaced';"),
        (
            "main.mjs",
            "import a from '#dep'; import { createRequire } from 'node:module';\n\
             const b = createRequire(import.meta.url)('#dep');\n\
             const c = (await import('#sub/space')).default;\n\
             console.log(a, b, c);",
        ),
    ];
    let out = ok(&sc, app("maps-bare", "main.mjs", &files)).await;
    assert_eq!(out, "dep main dep main spaced\n");
}

#[tokio::test]
async fn a_hash_name_without_imports_is_found_in_node_modules_by_require() {
    let sc = sidecar().await;
    let files = [
        (
            "node_modules/#lib/index.js",
            "module.exports = 'from node_modules';",
        ),
        ("main.js", "console.log(require('#lib'))"),
    ];
    let out = ok(&sc, app("maps-hash", "main.js", &files)).await;
    assert_eq!(out, "from node_modules\n");
}

#[tokio::test]
async fn invalid_and_escaping_targets_are_node_s_errors() {
    let sc = sidecar().await;
    let files = [
        (
            "node_modules/bad/package.json",
            r#"{"exports": {"./abs": "/etc/passwd", "./up": "./../x.js", "./nm": "./node_modules/x.js", "./sub/*": "./lib/*.js", "./slash": "./a%2Fb.js"}}"#,
        ),
        (
            "main.js",
            "for (const s of ['abs', 'up', 'nm', 'sub/../../x', 'slash', 'none']) {\n\
               try { require('bad/' + s) } catch (e) { console.log(s, e.code) } }",
        ),
    ];
    let out = ok(&sc, app("maps-invalid", "main.js", &files)).await;
    assert_eq!(
        out,
        "abs ERR_INVALID_PACKAGE_TARGET\nup ERR_INVALID_PACKAGE_TARGET\n\
         nm ERR_INVALID_PACKAGE_TARGET\nsub/../../x ERR_INVALID_MODULE_SPECIFIER\n\
         slash ERR_INVALID_MODULE_SPECIFIER\nnone ERR_PACKAGE_PATH_NOT_EXPORTED\n"
    );
}

#[tokio::test]
async fn a_hostile_package_with_deeply_nested_conditions_fails_typed_beside_a_victim() {
    let sc = sidecar().await;
    let depth = 200_000;
    let exports = format!(
        "{}\"./x.js\"{}",
        "{\"node\":".repeat(depth),
        "}".repeat(depth)
    );
    let json = format!("{{\"name\": \"deep\", \"exports\": {exports}}}");
    let files = [
        ("node_modules/deep/package.json", json.as_str()),
        ("node_modules/deep/x.js", "module.exports = 1;"),
        (
            "main.js",
            "try { require('deep') } catch (e) { console.log(e.name) }",
        ),
    ];
    let out = beside_a_victim(&sc, app("maps-deep", "main.js", &files)).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "RangeError\n");
}
