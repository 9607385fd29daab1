//! The `agentos` command-line client (built beside the sidecar by `cargo build --workspace`),
//! run as a user runs it: from a directory, with no `--dir`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `agentos` binary beside the sidecar under test.
fn agentos() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_agentos-sidecar")).with_file_name("agentos");
    assert!(
        bin.exists(),
        "{} is missing: build the workspace first (`cargo build --workspace`)",
        bin.display()
    );
    bin
}

/// A fresh directory outside `/tmp` (a mount beneath `/tmp` would keep the guest's own `/tmp`
/// out, as it should).
fn project(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the project dir");
    dir
}

fn run_in(dir: &Path, script: &str) -> (String, String, Option<i32>) {
    let out = Command::new(agentos())
        .current_dir(dir)
        .env("AGENTOS_SNAPSHOT_DIR", dir.with_extension("snapshots"))
        .args(["run", "--", "sh", "-c", script])
        .output()
        .expect("run agentos");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn run_without_dir_mounts_the_current_directory_at_its_own_path() {
    let dir = project("own-path");
    std::fs::write(dir.join("notes.txt"), "hello\n").expect("write a file");
    let host = dir.to_str().expect("UTF-8 path");
    let script = format!("pwd; cat notes.txt; cat {host}/notes.txt; echo made > out.txt");
    let (stdout, stderr, code) = run_in(&dir, &script);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(stdout, format!("{host}\nhello\nhello\n"));
    let written = std::fs::read_to_string(dir.join("out.txt")).expect("the guest's file");
    assert_eq!(written, "made\n");
}

#[test]
fn run_without_dir_gives_the_guest_its_own_tmp_and_bin() {
    let dir = project("tmp-bin");
    let script = "t=$(mktemp) && echo x > \"$t\" && cat \"$t\" && dirname \"$t\" && test -x /usr/bin/ls && echo bin";
    let (stdout, stderr, code) = run_in(&dir, script);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(stdout, "x\n/tmp\nbin\n");
    assert!(
        !dir.join("tmp").exists(),
        "the guest's /tmp is not the project's"
    );
}
