//! How a JS guest's uncaught error is printed, as Node prints it: the source line it was
//! thrown from (or the line a SyntaxError is on, with `^^^` under the offending text) above the
//! stack, for the main file and for any module it loaded; Node's hints in the message.

use agentos_sdk::{ExecSpec, Output, Sidecar};

use crate::esm::tree;
use crate::support::{beside_a_victim, run, sidecar, stderr};

/// `node MAIN` in a tree of `files`, mounted writable at `/w`, cwd there.
fn app(name: &str, main: &str, files: &[(&str, &str)]) -> ExecSpec {
    ExecSpec::new(["node", main])
        .dir(tree(name, files).to_str().unwrap(), "/w")
        .cwd("/w")
}

async fn failing(sc: &Sidecar, spec: ExecSpec) -> String {
    let out: Output = run(sc, spec).await;
    assert_eq!(out.status.code, 1, "{}", stderr(&out));
    stderr(&out)
}

#[tokio::test]
async fn a_syntax_error_in_a_required_file_shows_its_line_and_carets() {
    let sc = sidecar().await;
    let files = [
        ("main.js", "require('./lib.js');\n"),
        ("lib.js", "let a = 1;\nvar foo bar;\n"),
    ];
    let err = failing(&sc, app("arrow-cjs", "main.js", &files)).await;
    assert!(
        err.starts_with(
            "/w/lib.js:2\nvar foo bar;\n        ^^^\n\nSyntaxError: Unexpected identifier 'bar'\n"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_syntax_error_in_an_es_module_shows_its_url_line_and_carets() {
    let sc = sidecar().await;
    let files = [
        ("main.mjs", "import './lib.mjs';\n"),
        ("lib.mjs", "export default 1 +;\n"),
    ];
    let err = failing(&sc, app("arrow-esm", "main.mjs", &files)).await;
    assert!(
        err.starts_with(
            "file:///w/lib.mjs:1\nexport default 1 +;\n                  ^\n\nSyntaxError:"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn an_error_thrown_in_a_required_file_shows_the_throwing_line() {
    let sc = sidecar().await;
    let files = [
        ("main.js", "require('./lib.js')();\n"),
        (
            "lib.js",
            "module.exports = () => {\n  throw new Error('boom');\n};\n",
        ),
    ];
    let err = failing(&sc, app("arrow-throw", "main.js", &files)).await;
    assert!(
        err.starts_with("/w/lib.js:2\n  throw new Error('boom');\n  ^\n\nError: boom\n"),
        "{err}"
    );
}

#[tokio::test]
async fn a_caught_syntax_error_keeps_node_s_stack_without_the_arrow() {
    let sc = sidecar().await;
    let files = [
        (
            "main.js",
            "try { require('./lib.js') } catch (e) { console.log(e.stack.split('\\n')[0]) }\n",
        ),
        ("lib.js", "var foo bar;\n"),
    ];
    let out = run(&sc, app("arrow-caught", "main.js", &files)).await;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "SyntaxError: Unexpected identifier 'bar'\n"
    );
}

#[tokio::test]
async fn a_hostile_module_that_deletes_itself_before_throwing_ends_with_its_stack() {
    let sc = sidecar().await;
    let lib = "require('fs').unlinkSync(__filename); throw new Error('gone');\n";
    let files = [("main.js", "require('./lib.js');\n"), ("lib.js", lib)];
    let out = beside_a_victim(&sc, app("arrow-gone", "main.js", &files)).await;
    assert_eq!(out.status.code, 1);
    assert!(
        stderr(&out).starts_with("Error: gone\n"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_hostile_megabyte_line_with_a_syntax_error_is_shown_and_the_sidecar_lives() {
    let sc = sidecar().await;
    let line = format!("var x = [{}] bad;\n", "1,".repeat(512 * 1024));
    let files = [("main.js", line.as_str())];
    let out = beside_a_victim(&sc, app("arrow-long", "main.js", &files)).await;
    assert_eq!(out.status.code, 1);
    let err = stderr(&out);
    assert!(
        err.starts_with("/w/main.js:1\nvar x = [1,"),
        "{}",
        &err[..200.min(err.len())]
    );
    assert!(
        err.contains("SyntaxError: Unexpected identifier 'bad'"),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
}

#[tokio::test]
async fn an_import_without_its_extension_suggests_the_file_require_finds() {
    let sc = sidecar().await;
    let files = [
        ("main.mjs", "import './lib';\n"),
        ("lib.js", "export default 1;\n"),
    ];
    let err = failing(&sc, app("hint-ext", "main.mjs", &files)).await;
    assert!(
        err.contains("Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/w/lib' imported from /w/main.mjs\nDid you mean to import \"./lib.js\"?\n"),
        "{err}"
    );
}

#[tokio::test]
async fn a_hostile_stack_naming_a_huge_file_is_printed_without_reading_it() {
    let sc = sidecar().await;
    let root = crate::esm::tree("arrow-huge", &[("big", "HELLO\n")]);
    let big = std::fs::OpenOptions::new()
        .append(true)
        .open(root.join("big"))
        .unwrap();
    big.set_len(65 << 20).unwrap();
    let code = "const e = new Error('x'); e.stack = 'Error: x\\n    at /w/big:1:1'; throw e;";
    let spec = ExecSpec::new(["node", "-e", code]).dir(root.to_str().unwrap(), "/w");
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(out.status.code, 1, "{:?}", out.status);
    assert!(
        stderr(&out).starts_with("Error: x\n    at /w/big:1:1"),
        "{}",
        stderr(&out)
    );
}
