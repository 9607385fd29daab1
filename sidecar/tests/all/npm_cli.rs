//! `npm` and `npx` as bundled commands (the real npm CLI, `ci/fetch-npm`): the same invocations
//! over copies of one project print what the host's own npm prints and exit the same; a
//! project's hostile scripts end with a typed error while a victim beside them finishes.

use std::path::{Path, PathBuf};

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::shell::{error_code, with_victim};
use crate::support::{run, scratch, sidecar, stderr, stdout};

/// The project's `package.json` scripts.
const SCRIPTS: &str = r#"{
  "name": "proj",
  "version": "1.2.0",
  "scripts": {
    "pretest": "echo before the tests",
    "test": "node -e \"console.log('tests of', process.env.npm_package_name)\"",
    "posttest": "echo after the tests",
    "build": "hello built && echo $npm_lifecycle_event",
    "fails": "echo failing; exit 3",
    "args": "echo got"
  }
}
"#;

/// A project with `node_modules/hello` and its bin linked in `node_modules/.bin`.
fn project(name: &str) -> PathBuf {
    let dir = scratch(name).join("proj");
    let hello = dir.join("node_modules/hello");
    std::fs::create_dir_all(hello.join("bin")).expect("dirs");
    std::fs::create_dir_all(dir.join("node_modules/.bin")).expect("bin dir");
    std::fs::write(dir.join("package.json"), SCRIPTS).expect("package.json");
    std::fs::write(
        hello.join("package.json"),
        r#"{"name":"hello","version":"0.1.0","bin":{"hello":"bin/hello.js"}}"#,
    )
    .expect("hello");
    let bin = hello.join("bin/hello.js");
    std::fs::write(
        &bin,
        "#!/usr/bin/env node\nconsole.log('hello', process.argv.slice(2).join(' '))\n",
    )
    .expect("hello.js");
    let mut perms = std::fs::metadata(&bin).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&bin, perms).expect("chmod");
    std::os::unix::fs::symlink("../hello/bin/hello.js", dir.join("node_modules/.bin/hello"))
        .expect("link");
    dir
}

/// `argv` under the host's npm in a copy of the project: (stdout, exit code).
fn host(argv: &[&str]) -> (String, i32) {
    let dir = project("npm-host");
    let home = dir.parent().expect("parent").join("home");
    let out = std::process::Command::new(argv[0])
        .args(&argv[1..])
        .current_dir(&dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &home)
        .output()
        .expect("the host's npm");
    let text = String::from_utf8_lossy(&out.stdout).replace(dir.to_str().unwrap(), "/proj");
    (text, out.status.code().unwrap_or(-1))
}

/// `argv` through the sidecar in a copy of the project mounted at `/proj`.
fn guest(dir: &Path, argv: &[&str]) -> ExecSpec {
    let home = dir.parent().expect("parent").join("home");
    std::fs::create_dir_all(&home).expect("home");
    ExecSpec::new(argv.iter().copied())
        .dir(dir.to_str().unwrap(), "/proj")
        .dir(home.to_str().unwrap(), "/home")
        .cwd("/proj")
        .env("HOME", "/home")
        .timeout_ms(60_000)
}

#[tokio::test(flavor = "multi_thread")]
async fn npm_and_npx_print_what_the_host_npm_prints() {
    let sc = sidecar().await;
    let cases: &[&[&str]] = &[
        &["npm", "--version"],
        &["npm", "test"],
        &["npm", "run", "build"],
        &["npm", "run"],
        &["npm", "run", "fails"],
        &["npm", "run", "args", "--", "one", "two"],
        &["npm", "exec", "--", "hello", "from", "exec"],
        &["npx", "hello", "from", "npx"],
        &["npm", "pkg", "get", "name", "version"],
    ];
    for argv in cases {
        let out = run(&sc, guest(&project("npm-guest"), argv)).await;
        let ours = (stdout(&out), out.status.code);
        assert_eq!(ours, host(argv), "{argv:?}: {}", stderr(&out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn npm_runs_with_no_path_in_the_environment() {
    let sc = sidecar().await;
    let dir = project("npm-no-path");
    let spec = ExecSpec::new(["npm", "run", "build"])
        .dir(dir.to_str().unwrap(), "/proj")
        .cwd("/proj");
    let out = run(&sc, spec).await;
    assert_eq!(out.status.code, 0, "{out:?} {}", stderr(&out));
    assert!(
        stdout(&out).ends_with("hello built\nbuild\n"),
        "{}",
        stdout(&out)
    );
}

/// Runs `npm run args` with the `args` script's body replaced by `script` beside a victim:
/// the exec must end with `PROCESS_LIMIT`.
async fn ends_with_process_limit(name: &str, script: &str) {
    let sc = sidecar().await;
    let dir = project(name);
    let bomb = SCRIPTS.replace("echo got", script);
    std::fs::write(dir.join("package.json"), bomb).expect("package.json");
    let out = with_victim(&sc, guest(&dir, &["npm", "run", "args"])).await;
    assert_eq!(error_code(&out), Some(ErrorCode::ProcessLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fork_bomb_in_a_script_ends_the_exec_with_process_limit_beside_a_victim() {
    // The script's shell is a child of npm: its own bound on subshells ends the whole exec.
    ends_with_process_limit("npm-bomb", "f(){ f | f; }; f").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bomb_of_npm_starting_itself_ends_with_process_limit() {
    // Each level is a guest of its own (npm, its shell, npm again...): the exec tree's bound.
    ends_with_process_limit("npm-self-bomb", "npm run args & npm run args; wait").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_package_json_is_npm_s_own_error() {
    let sc = sidecar().await;
    let dir = project("npm-malformed");
    std::fs::write(dir.join("package.json"), "{ not json").expect("package.json");
    let out = with_victim(&sc, guest(&dir, &["npm", "test"])).await;
    assert_eq!(
        (out.status.code, out.status.error.as_ref()),
        (1, None),
        "{out:?}"
    );
    assert!(stderr(&out).contains("EJSONPARSE"), "{}", stderr(&out));
}
