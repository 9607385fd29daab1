//! What the runner does as Node 22 does, where the host's Node 20 (the differential tests'
//! reference) does otherwise: `import.meta.main`, require() of ES modules with top-level await
//! or in a cycle, JSON imports shared with require(), Node's hint for a CommonJS global in an
//! ES module, and the version it reports.

use agentos_sdk::ExecSpec;

use crate::esm::{guest, ok, tree};
use crate::support::{node, run, sidecar, stderr};

fn app(name: &str, main: &str, files: &[(&str, &str)]) -> ExecSpec {
    guest(&tree(name, files), &["node", main])
}

#[tokio::test]
async fn import_meta_main_is_true_only_in_the_entry_module() {
    let sc = sidecar().await;
    let files = [
        (
            "main.mjs",
            "import { lib } from './lib.mjs'; console.log(import.meta.main, lib);",
        ),
        ("lib.mjs", "export const lib = import.meta.main;"),
    ];
    assert_eq!(
        ok(&sc, app("n22-main", "main.mjs", &files)).await,
        "true false\n"
    );
}

#[tokio::test]
async fn require_of_an_es_module_with_top_level_await_names_both_files() {
    let sc = sidecar().await;
    let files = [
        (
            "main.js",
            "try { require('./tla.mjs') } catch (e) { console.log(e.code, e.message) }",
        ),
        ("tla.mjs", "await 1;"),
    ];
    let dir = tree("n22-tla", &files);
    let out = ok(&sc, guest(&dir, &["node", "main.js"])).await;
    let root = dir.to_str().unwrap();
    assert!(
        out.starts_with("ERR_REQUIRE_ASYNC_MODULE require() cannot be used"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "\n  From {root}/main.js \n  Requiring {root}/tla.mjs "
        )),
        "{out}"
    );
}

#[tokio::test]
async fn a_require_cycle_back_into_a_loading_es_module_is_refused() {
    let sc = sidecar().await;
    let files = [
        ("main.js", "require('./a.mjs');"),
        ("a.mjs", "import './b.cjs';"),
        ("b.cjs", "require('./a.mjs');"),
    ];
    let out = run(&sc, app("n22-cycle", "main.js", &files)).await;
    assert_eq!(out.status.code, 1);
    let err = stderr(&out);
    assert!(
        err.contains("Error [ERR_REQUIRE_CYCLE_MODULE]: Cannot require() ES Module"),
        "{err}"
    );
    assert!(err.contains("a.mjs in a cycle. (from "), "{err}");
}

#[tokio::test]
async fn a_json_import_is_the_object_require_returns() {
    let sc = sidecar().await;
    let files = [
        (
            "main.mjs",
            "import data from './d.json' with { type: 'json' };\n\
             import { createRequire } from 'node:module';\n\
             console.log(createRequire(import.meta.url)('./d.json') === data);",
        ),
        ("d.json", "{\"a\": 1}"),
    ];
    assert_eq!(ok(&sc, app("n22-json", "main.mjs", &files)).await, "true\n");
}

#[tokio::test]
async fn a_commonjs_global_in_an_es_module_gets_node_s_hint() {
    let sc = sidecar().await;
    let files = [("main.mjs", "require('fs');")];
    let out = run(&sc, app("n22-hint", "main.mjs", &files)).await;
    assert_eq!(out.status.code, 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "ReferenceError: require is not defined in ES module scope, you can use import instead"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn the_reported_version_is_the_node_release_the_runner_follows() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        node("console.log(process.version, process.versions.modules, process.release.lts)"),
    )
    .await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "v22.22.2 127 Jod\n");
}
