//! `--unhandled-rejections=MODE` against the host's Node 20: `node_surface/rejection_modes.cjs`
//! under every mode, with and without 'unhandledRejection' and 'uncaughtException' listeners;
//! stdout (listeners, warnings, 'rejectionHandled', 'exit') and the exit code must be Node's.

use std::path::Path;
use std::process::Command;

use agentos_sdk::ExecSpec;

use crate::support::{run, sidecar, stderr, stdout};

const MODES: [&str; 5] = ["throw", "strict", "warn", "none", "warn-with-error-code"];
const LISTENERS: [&[&str]; 4] = [&[], &["LISTEN"], &["CATCH"], &["LISTEN", "CATCH"]];

fn fixtures() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/all/node_surface");
    dir.to_str().expect("UTF-8 path").to_owned()
}

fn host_node(args: &[&str], env: &[&str]) -> (String, i32) {
    let mut command = Command::new("node");
    command.args(args).current_dir(fixtures());
    for name in env {
        command.env(name, "1");
    }
    let out = command.output().expect("the host's node runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (text, out.status.code().unwrap_or(-1))
}

#[tokio::test]
async fn every_unhandled_rejections_mode_matches_the_host_node() {
    let sc = sidecar().await;
    let mut report = String::new();
    for mode in MODES {
        for env in LISTENERS {
            let flag = format!("--unhandled-rejections={mode}");
            let args = [flag.as_str(), "rejection_modes.cjs"];
            let (want, want_code) = host_node(&args, env);
            let mut spec = ExecSpec::new(["node", args[0], args[1]])
                .dir_ro(fixtures(), "/t")
                .cwd("/t");
            for name in env {
                spec = spec.env(*name, "1");
            }
            let out = run(&sc, spec).await;
            if (stdout(&out), out.status.code) != (want.clone(), want_code) {
                report.push_str(&format!(
                    "{mode} {env:?}: node (exit {want_code}):\n{want}ours (exit {}):\n{}{}\n",
                    out.status.code,
                    stdout(&out),
                    stderr(&out)
                ));
            }
        }
    }
    assert!(report.is_empty(), "{report}");
}

#[tokio::test]
async fn an_unknown_unhandled_rejections_mode_is_a_bad_option() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        ExecSpec::new(["node", "--unhandled-rejections=foobar", "-e", "1"]),
    )
    .await;
    assert_eq!(out.status.code, 9);
    assert!(
        stderr(&out).contains("invalid value for --unhandled-rejections"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn many_rejections_handled_late_are_each_reported_once_beside_a_victim() {
    // 100 000 rejections a turn leaves unhandled, each handled later: one 'unhandledRejection'
    // and one 'rejectionHandled' per promise, in bounded time, while another exec runs.
    let sc = sidecar().await;
    let code = "let u = 0, h = 0; const ps = [];
        process.on('unhandledRejection', () => u++);
        process.on('rejectionHandled', () => h++);
        for (let i = 0; i < 100000; i++) ps.push(Promise.reject(i));
        setTimeout(() => { for (const p of ps) p.catch(() => {}); setTimeout(() => console.log(u, h)); });";
    let out = crate::support::beside_a_calm_exec(&sc, crate::support::node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "100000 100000\n"),
        "{}",
        stderr(&out)
    );
}
