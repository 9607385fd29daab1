//! `gzip`, `bzip2`, `xz` and compressed `tar` beyond the differential cases (commands_diff):
//! what ours writes read back by the host's own tools and by ours, streams a hostile party made
//! (a bomb piped out, corrupted and truncated streams), and a level past the heap limit, each
//! beside a victim.

use std::path::Path;
use std::process::Command;

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::commands_diff::fixture::snapshot;
use crate::support::{beside_a_victim, run, scratch, sidecar, stderr, stdout, typed};

/// The three formats: compressor, decompressor to stdout, suffix.
const TOOLS: [(&str, &str, &str); 3] = [
    ("gzip", "zcat", "gz"),
    ("bzip2", "bzcat", "bz2"),
    ("xz", "xzcat", "xz"),
];

/// Runs a host tool in `dir` (ci/install-reference-tools installs them); its status.
fn host(dir: &Path, script: &str) -> i32 {
    let out = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{script}: {e}"));
    out.status.code().unwrap_or(-1)
}

fn in_dir(dir: &Path, script: &str) -> ExecSpec {
    ExecSpec::new(["sh", "-c", script])
        .dir(dir.to_str().expect("utf-8 path"), "/work")
        .cwd("/work")
}

/// 200 KiB of text that compresses, in `dir/text`.
fn text(dir: &Path) -> Vec<u8> {
    let text: String = (0..20_000)
        .map(|i| format!("line {i} of the text\n"))
        .collect();
    std::fs::write(dir.join("text"), &text).expect("write");
    text.into_bytes()
}

#[tokio::test]
async fn what_each_compressor_writes_the_hosts_tools_read_back() {
    let dir = scratch("compress-to-host");
    let original = text(&dir);
    let sc = sidecar().await;
    let script = "gzip -k text && bzip2 -k -1 text && xz -k -0 text && \
                  mkdir d && cp text d/ && tar -caf d.tar.xz d && tar -cjf d.tar.bz2 d";
    let out = run(&sc, in_dir(&dir, script)).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    for (tool, _, suffix) in TOOLS {
        let back = Command::new(tool)
            .args(["-dc", &format!("text.{suffix}")])
            .current_dir(&dir)
            .output()
            .expect("host tool");
        assert!(back.status.success(), "{tool}: {:?}", back.status);
        assert_eq!(back.stdout, original, "{tool}");
    }
    for (archive, flag) in [("d.tar.xz", "-xJf"), ("d.tar.bz2", "-xjf")] {
        std::fs::create_dir_all(dir.join(archive).with_extension("out")).expect("mkdir");
        let into = dir.join(archive).with_extension("out");
        let status = host(&dir, &format!("tar {flag} {archive} -C {}", into.display()));
        assert_eq!(status, 0, "{archive}");
        assert_eq!(std::fs::read(into.join("d/text")).expect("read"), original);
    }
}

#[tokio::test]
async fn what_the_hosts_tools_write_each_decompressor_reads_back() {
    let dir = scratch("compress-from-host");
    let original = text(&dir);
    // Every level's dictionary (xz -9: 64 MiB) and a multi-stream file.
    let status = host(
        &dir,
        "gzip -9 -c text > text.gz && bzip2 -c text > text.bz2 && xz -9 -c text > text.xz && \
         cat text.gz text.gz > twice.gz && cat text.bz2 text.bz2 > twice.bz2 && \
         cat text.xz text.xz > twice.xz",
    );
    assert_eq!(status, 0);
    let sc = sidecar().await;
    for (_, cat, suffix) in TOOLS {
        let out = run(&sc, in_dir(&dir, &format!("{cat} text.{suffix}"))).await;
        assert_eq!(out.status.code, 0, "{cat}: {}", stderr(&out));
        assert!(out.stdout == original, "{cat}: the text differs");
        let out = run(&sc, in_dir(&dir, &format!("{cat} twice.{suffix} | wc -c"))).await;
        assert_eq!(
            stdout(&out).trim(),
            (2 * original.len()).to_string(),
            "{cat}"
        );
    }
}

#[tokio::test]
async fn a_compression_bomb_piped_out_ends_at_the_output_limit_beside_a_victim() {
    let dir = scratch("compress-bomb");
    // 256 MiB of zeros: some KiB of xz and of bzip2, as themselves and as a tar member.
    let zeros = std::fs::File::create(dir.join("zeros")).expect("create");
    zeros.set_len(256 << 20).expect("sparse file");
    let made = host(
        &dir,
        "xz -0 -k zeros && bzip2 -k zeros && tar -cf - zeros | xz -0 > bomb.tar.xz && rm zeros",
    );
    assert_eq!(made, 0);
    let sc = sidecar().await;
    for cat in ["xzcat zeros.xz", "bzcat zeros.bz2", "tar -xOf bomb.tar.xz"] {
        let hostile = in_dir(&dir, cat).max_output_bytes(1 << 20);
        let out = beside_a_victim(&sc, hostile).await;
        let (code, message) = typed(&out.status);
        assert_eq!(code, ErrorCode::OutputLimit, "{cat}: {message}");
        assert_eq!(out.stdout.len(), 1 << 20, "{cat}");
    }
}

#[tokio::test]
async fn corrupt_and_truncated_streams_end_with_the_hosts_status_beside_a_victim() {
    let dir = scratch("compress-corrupt");
    let original = text(&dir);
    assert_eq!(host(&dir, "gzip -k text && bzip2 -k text && xz -k text"), 0);
    for (_, _, suffix) in TOOLS {
        let packed = std::fs::read(dir.join(format!("text.{suffix}"))).expect("read");
        let mut flipped = packed.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x55;
        std::fs::write(dir.join(format!("flipped.{suffix}")), flipped).expect("write");
        let truncated = &packed[..packed.len() * 2 / 3];
        std::fs::write(dir.join(format!("cut.{suffix}")), truncated).expect("write");
    }
    let sc = sidecar().await;
    for (tool, _, suffix) in TOOLS {
        for name in ["flipped", "cut"] {
            let test = format!("{tool} -t {name}.{suffix}");
            let want = host(&dir, &test);
            assert_ne!(want, 0, "the host's {test} passed");
            let out = beside_a_victim(&sc, in_dir(&dir, &test)).await;
            assert_eq!(out.status.code, want, "{test}: {}", stderr(&out));
            assert!(out.status.error.is_none(), "{test}: {:?}", out.status);
        }
    }
    assert!(!original.is_empty());
}

#[tokio::test]
async fn xz_past_the_heap_limit_is_a_typed_memory_error_and_a_lower_level_fits() {
    let dir = scratch("compress-heap");
    text(&dir);
    let sc = sidecar().await;
    // xz -9's encoder wants 512 MiB of tables (xz-utils' 674 MiB), past a 128 MiB heap.
    let hostile = ExecSpec::new(["xz", "-9", "-c", "text"])
        .dir(dir.to_str().expect("utf-8 path"), "/work")
        .cwd("/work")
        .heap_mb(128);
    let out = beside_a_victim(&sc, hostile).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
    assert!(message.contains("heap_mb"), "{message}");
    let fits = in_dir(&dir, "xz -6 -c text | xz -dc | cmp - text").heap_mb(128);
    let out = run(&sc, fits).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
}

#[tokio::test]
async fn each_tool_replaces_its_input_and_keeps_it_with_k() {
    let dir = scratch("compress-files");
    let original = text(&dir);
    let sc = sidecar().await;
    for (tool, _, suffix) in TOOLS {
        let script = format!(
            "cp text a && {tool} a && test ! -e a && {tool} -d a.{suffix} && test ! -e a.{suffix} \
             && {tool} -k a && test -e a && {tool} -dc a.{suffix} > b"
        );
        let out = run(&sc, in_dir(&dir, &script)).await;
        assert_eq!(out.status.code, 0, "{tool}: {}", stderr(&out));
        assert_eq!(std::fs::read(dir.join("a")).expect("a"), original, "{tool}");
        assert_eq!(std::fs::read(dir.join("b")).expect("b"), original, "{tool}");
        for name in ["a", "b", &format!("a.{suffix}")] {
            std::fs::remove_file(dir.join(name)).expect("rm");
        }
    }
    let names: Vec<String> = snapshot(&dir).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["text"], "{names:?}");
}

#[tokio::test]
async fn zstd_archives_are_read_within_bounds_and_not_written_beside_a_victim() {
    let dir = scratch("compress-zstd");
    let zeros = std::fs::File::create(dir.join("zeros")).expect("create");
    zeros.set_len(256 << 20).expect("sparse file");
    let made = host(
        &dir,
        "tar -cf - zeros | zstd -q -1 -o bomb.tar.zst && rm zeros",
    );
    assert_eq!(made, 0);
    // A frame that asks for a 2 TiB window (window descriptor exponent 31).
    let wide = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8, 0x01, 0x00, 0x00];
    std::fs::write(dir.join("wide.tar.zst"), wide).expect("write");
    let sc = sidecar().await;
    let bomb = in_dir(&dir, "tar -xOf bomb.tar.zst").max_output_bytes(1 << 20);
    let out = beside_a_victim(&sc, bomb).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::OutputLimit, "{message}");
    let out = beside_a_victim(&sc, in_dir(&dir, "tar -tf wide.tar.zst")).await;
    assert_eq!((out.status.code, out.stdout.len()), (2, 0), "{out:?}");
    assert!(out.status.error.is_none(), "{:?}", out.status);
    let out = run(&sc, in_dir(&dir, "mkdir d && tar --zstd -cf d.tar.zst d")).await;
    assert_eq!(out.status.code, 2, "{out:?}");
    assert!(
        stderr(&out).contains("zstd is not supported"),
        "{}",
        stderr(&out)
    );
}
