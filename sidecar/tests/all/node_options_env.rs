//! `NODE_OPTIONS` beside the host's Node: the same programs with the same variable, comparing
//! stdout and the exit code; then a variable naming a module outside the sandbox, beside a victim.

use std::path::{Path, PathBuf};
use std::process::Command;

use agentos_sdk::ExecSpec;

use crate::support::{beside_a_victim, run, scratch, sidecar, stderr, stdout};

const FILES: &[(&str, &str)] = &[
    ("pre.js", "console.log('pre');"),
    ("pre2.js", "console.log('pre2');"),
    (
        "setup.mjs",
        "console.log('setup'); globalThis.fromSetup = 1;",
    ),
    (
        "main.js",
        "console.log('main', JSON.stringify(process.execArgv), globalThis.fromSetup);",
    ),
];

/// (NODE_OPTIONS, argv after `node`).
const CASES: &[(&str, &[&str])] = &[
    ("--require ./pre.js", &["main.js"]),
    ("-r ./pre.js --require=./pre2.js", &["main.js"]),
    ("--require ./pre.js", &["-r", "./pre2.js", "main.js"]),
    ("--import ./setup.mjs", &["main.js"]),
    ("  --require   \"./pre.js\"  ", &["main.js"]),
    (
        "--title \"my app\" --max-old-space-size=64",
        &["-e", "console.log(process.title)"],
    ),
    (
        "--title first",
        &["--title", "second", "-e", "console.log(process.title)"],
    ),
    (
        "--no-warnings",
        &["-e", "process.emitWarning('w'); console.log('after')"],
    ),
    (
        "--unhandled-rejections=warn",
        &[
            "-e",
            "Promise.reject(new Error('x')); setTimeout(() => console.log('alive'), 10)",
        ],
    ),
    ("--expose-gc", &["-e", "console.log(typeof gc)"]),
    (
        "--enable-source-maps",
        &["-e", "console.log(process.execArgv.length)"],
    ),
];

fn tree() -> PathBuf {
    let dir = scratch("node-options");
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text).expect("write");
    }
    dir
}

fn host_node(dir: &Path, options: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new("node")
        .args(args)
        .current_dir(dir)
        .env("NODE_OPTIONS", options)
        .output()
        .expect("the host's node");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn node_options_act_as_in_the_hosts_node() {
    let dir = tree();
    let sc = sidecar().await;
    let mut differ = Vec::new();
    for (options, args) in CASES {
        let (code, out) = host_node(&dir, options, args);
        let argv = std::iter::once("node").chain(args.iter().copied());
        let spec = ExecSpec::new(argv)
            .dir_ro(dir.to_str().expect("utf-8"), "/app")
            .cwd("/app")
            .env("NODE_OPTIONS", *options);
        let guest = run(&sc, spec).await;
        if (guest.status.code, stdout(&guest)) != (code, out.clone()) {
            differ.push(format!(
                "NODE_OPTIONS={options:?} node {args:?}\n  host  {code}: {out:?}\n  guest {}: {:?}\n  stderr: {}",
                guest.status.code,
                stdout(&guest),
                stderr(&guest)
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[tokio::test]
async fn node_options_naming_a_module_outside_the_sandbox_fail_like_any_require_beside_a_victim() {
    let dir = tree();
    let sc = sidecar().await;
    let hostile = ExecSpec::new(["node", "main.js"])
        .dir_ro(dir.to_str().expect("utf-8"), "/app")
        .cwd("/app")
        .env(
            "NODE_OPTIONS",
            "--require /etc/shadow --require ../../../../etc/shadow",
        );
    let out = beside_a_victim(&sc, hostile).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (1, ""),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("Cannot find module"),
        "{}",
        stderr(&out)
    );
}
