//! What every file of Node's own test suite needs before its first line runs (`ci/node-tests`
//! runs them; `test/common/index.js` loads first): the globals as Node has them.

use agentos_sdk::ExecSpec;

use crate::support::{node, run, scratch, sidecar, stderr, stdout};

/// `node /app/main.js` with `source` as main.js.
fn file_guest(source: &str) -> ExecSpec {
    let dir = scratch("conformance");
    std::fs::write(dir.join("main.js"), source).unwrap();
    ExecSpec::new(["node", "/app/main.js"])
        .dir(dir.to_string_lossy(), "/app")
        .cwd("/app")
}

const GLOBAL_FACTS: &str = "const d = Object.getOwnPropertyDescriptor(globalThis, 'global'); \
     console.log(global === globalThis, d.enumerable, d.writable, d.configurable, \
     Object.keys(globalThis)[0])";

#[tokio::test]
async fn global_is_globalthis_enumerable_and_first_like_node() {
    let sc = sidecar().await;
    for spec in [node(GLOBAL_FACTS), file_guest(GLOBAL_FACTS)] {
        let out = run(&sc, spec).await;
        assert_eq!(
            stdout(&out),
            "true true true true global\n",
            "{}",
            stderr(&out)
        );
    }
}

#[tokio::test]
async fn require_is_a_global_in_eval_mode_only() {
    let sc = sidecar().await;
    let probe = "console.log(typeof require, Object.keys(globalThis).includes('require'))";
    let out = run(&sc, node(probe)).await;
    assert_eq!(stdout(&out), "function true\n", "{}", stderr(&out));
    let out = run(&sc, file_guest(probe)).await;
    assert_eq!(stdout(&out), "function false\n", "{}", stderr(&out));
}

#[tokio::test]
async fn a_guest_may_replace_global_like_node() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        file_guest("global = 5; console.log(globalThis.global, typeof setTimeout)"),
    )
    .await;
    assert_eq!(stdout(&out), "5 function\n", "{}", stderr(&out));
}
