//! `zip` and `unzip` beyond the differential cases (commands_diff): archives a hostile party
//! made (entries that climb out of the destination, a corrupted member, a bomb piped out), each
//! beside a victim, and zip's report against Info-ZIP's.

use std::path::Path;
use std::process::Command;

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::commands_diff::fixture::snapshot as fixture_snapshot;
use crate::support::{beside_a_victim, run, scratch, sidecar, stderr, stdout, typed};

/// Runs the host's Info-ZIP tool in `dir` (ci/install-reference-tools installs it).
fn host(dir: &Path, argv: &[&str]) -> (i32, String) {
    let out = Command::new(argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| panic!("{argv:?}: {e} (run ci/install-reference-tools)"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn in_dir(dir: &Path, argv: &[&str]) -> ExecSpec {
    ExecSpec::new(argv.iter().copied())
        .dir(dir.to_str().expect("utf-8 path"), "/work")
        .cwd("/work")
}

/// An archive whose entries are `../../up.txt` and `/abs.txt`: made by the host's zip from
/// harmless names, then renamed in place (a name is not covered by the CRC).
fn climbing_archive(dir: &Path) {
    std::fs::create_dir_all(dir.join("QQ/QQ")).expect("mkdir");
    std::fs::write(dir.join("QQ/QQ/up.txt"), "up\n").expect("write");
    std::fs::write(dir.join("Qabs.txt"), "abs\n").expect("write");
    host(dir, &["zip", "-q", "evil.zip", "QQ/QQ/up.txt", "Qabs.txt"]);
    let bytes = std::fs::read(dir.join("evil.zip")).expect("read");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(text.contains("QQ/QQ/up.txt"));
    let patched = replace(&bytes, b"QQ/QQ/up.txt", b"../../up.txt");
    let patched = replace(&patched, b"Qabs.txt", b"/abs.txt");
    std::fs::write(dir.join("evil.zip"), patched).expect("write");
    std::fs::remove_dir_all(dir.join("QQ")).expect("rm");
    std::fs::remove_file(dir.join("Qabs.txt")).expect("rm");
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(from) {
            out.extend_from_slice(to);
            at += from.len();
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

#[tokio::test]
async fn unzip_keeps_climbing_entries_inside_the_destination_as_info_zip_does() {
    let (ours, theirs) = (scratch("zip-climb-ours"), scratch("zip-climb-host"));
    for dir in [&ours, &theirs] {
        climbing_archive(dir);
        std::fs::create_dir_all(dir.join("a/b")).expect("mkdir");
    }
    let (host_code, host_out) = host(&theirs.join("a/b"), &["unzip", "../../evil.zip", "-d", "x"]);
    let sc = sidecar().await;
    let unzip = in_dir(&ours, &["unzip", "../../evil.zip", "-d", "x"]).cwd("/work/a/b");
    let out = beside_a_victim(&sc, unzip).await;
    assert_eq!((out.status.code, stdout(&out)), (host_code, host_out));
    assert!(
        stdout(&out).contains("skipped \"../\" path component(s) in ../../up.txt"),
        "{}",
        stdout(&out)
    );
    assert_eq!(fixture_snapshot(&ours), fixture_snapshot(&theirs));
    assert_eq!(
        std::fs::read_to_string(ours.join("a/b/x/up.txt")).expect("inside"),
        "up\n"
    );
}

#[tokio::test]
async fn unzip_reports_a_corrupted_member_with_info_zips_status() {
    let dir = scratch("zip-corrupt");
    let text: String = (0..2000).map(|i| format!("line {i}\n")).collect();
    std::fs::write(dir.join("t.txt"), &text).expect("write");
    host(&dir, &["zip", "-q", "t.zip", "t.txt"]);
    let mut bytes = std::fs::read(dir.join("t.zip")).expect("read");
    // The middle of the deflated data (the local header and name come first).
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(dir.join("t.zip"), bytes).expect("write");
    let (host_code, _) = host(&dir, &["unzip", "-t", "t.zip"]);
    let sc = sidecar().await;
    let out = beside_a_victim(&sc, in_dir(&dir, &["unzip", "-t", "t.zip"])).await;
    assert_eq!((out.status.code, host_code), (2, 2), "{}", stderr(&out));
    assert!(stderr(&out).contains("t.txt"), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("No errors detected"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test]
async fn a_zip_bomb_piped_out_ends_at_the_output_limit_beside_a_victim() {
    let dir = scratch("zip-bomb");
    // 256 MiB of zeros deflate to about 250 KiB.
    let zeros = std::fs::File::create(dir.join("zeros")).expect("create");
    zeros.set_len(256 << 20).expect("sparse file");
    host(&dir, &["zip", "-q", "bomb.zip", "zeros"]);
    std::fs::remove_file(dir.join("zeros")).expect("rm");
    let sc = sidecar().await;
    let hostile = in_dir(&dir, &["unzip", "-p", "bomb.zip"]).max_output_bytes(1 << 20);
    let out = beside_a_victim(&sc, hostile).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::OutputLimit, "{message}");
    assert_eq!(out.stdout.len(), 1 << 20);
}

#[tokio::test]
async fn zip_reports_each_entry_as_info_zip_does() {
    let dir = scratch("zip-report");
    std::fs::create_dir_all(dir.join("d/sub")).expect("mkdir");
    std::fs::write(dir.join("d/empty"), "").expect("write");
    std::fs::write(dir.join("d/short"), "hello\n").expect("write");
    let numbers: String = (1..=2000).map(|i| format!("{i}\n")).collect();
    std::fs::write(dir.join("d/sub/numbers"), numbers).expect("write");
    let (host_code, host_out) = host(&dir, &["zip", "-r", "host.zip", "d"]);
    let sc = sidecar().await;
    let out = run(&sc, in_dir(&dir, &["zip", "-r", "ours.zip", "d"])).await;
    // Info-ZIP follows the directory's own order; ours is name order.
    let sorted = |text: &str| {
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        lines.join("\n")
    };
    assert_eq!(out.status.code, host_code, "{}", stderr(&out));
    assert_eq!(sorted(&stdout(&out)), sorted(&host_out));
    // The host's unzip reads ours back: the same names, sizes and times as its own zip's.
    let listing = |name: &str| sorted(&host(&dir, &["unzip", "-l", name]).1.replace(name, "A"));
    assert_eq!(listing("ours.zip"), listing("host.zip"));
}
