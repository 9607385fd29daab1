//! hexdump, strings, rev and iconv beyond the differential cases (commands_diff): what a
//! hostile party can hand them (formats asking for huge blocks, a 4 GiB sparse file, a line
//! larger than the heap, floods of bytes that are no character), each beside a victim.

use std::io::Write;
use std::path::Path;

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::support::{beside_a_victim, run, scratch, sidecar, stderr, stdout, typed};

/// `argv` with `dir` mounted read-write at `/`.
fn in_dir(dir: &Path, argv: &[&str]) -> ExecSpec {
    ExecSpec::new(argv.iter().copied())
        .dir(dir.to_str().expect("utf-8 path"), "/")
        .cwd("/")
}

#[tokio::test(flavor = "multi_thread")]
async fn hexdump_bounds_a_hostile_format_and_seeks_past_a_sparse_file_beside_a_victim() {
    let sc = sidecar().await;
    let dir = scratch("hexdump-hostile");
    let sparse = std::fs::File::create(dir.join("sparse")).unwrap();
    sparse.set_len(4 << 30).unwrap();
    drop(sparse);
    std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("sparse"))
        .unwrap()
        .write_all(b"END")
        .unwrap();
    // 8 GB a block: refused before anything is allocated.
    let huge = in_dir(&dir, &["hexdump", "-e", r#"1000000000/8 "%x""#, "sparse"]);
    let out = beside_a_victim(&sc, huge).await;
    assert_eq!(out.status.code, 1, "{out:?}");
    assert!(stderr(&out).contains("bytes at a time"), "{}", stderr(&out));
    for bad in [r#""%"#, r#""%_z""#, r#"3/5 "%d""#, r#"/2 "%c""#] {
        let out = run(&sc, in_dir(&dir, &["hexdump", "-e", bad, "sparse"])).await;
        assert_eq!(out.status.code, 1, "{bad}: {out:?}");
        assert!(out.stdout.is_empty(), "{bad}");
    }
    // The last bytes of 4 GiB of holes: a seek, not 4 GiB read through the sandbox.
    let tail = in_dir(&dir, &["hexdump", "-C", "-s", "4294967290", "sparse"]).timeout_ms(10_000);
    let out = beside_a_victim(&sc, tail).await;
    assert_eq!(
        stdout(&out),
        "fffffffa  00 00 00 00 00 00 45 4e  44                       |......END|\n100000003\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rev_holds_a_line_within_the_heap_and_strings_streams_beside_a_victim() {
    let sc = sidecar().await;
    let dir = scratch("rev-strings-hostile");
    // 256 MiB of zeros and no newline: one line, which rev must hold whole.
    let line = std::fs::File::create(dir.join("line")).unwrap();
    line.set_len(256 << 20).unwrap();
    drop(line);
    let out = beside_a_victim(&sc, in_dir(&dir, &["rev", "line"]).heap_mb(64)).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
    // strings holds one run at a time: the same file streams through in bounded memory.
    std::fs::write(dir.join("tail"), b"\x00\x01the end\x00").unwrap();
    let script = "cat line tail | strings -n 3";
    let out = beside_a_victim(&sc, in_dir(&dir, &["sh", "-c", script]).heap_mb(64)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "the end\n"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn iconv_streams_past_its_heap_and_drops_a_flood_of_invalid_bytes_beside_a_victim() {
    let sc = sidecar().await;
    let dir = scratch("iconv-hostile");
    let zeros = std::fs::File::create(dir.join("zeros")).unwrap();
    zeros.set_len(64 << 20).unwrap();
    drop(zeros);
    std::fs::write(dir.join("ff"), vec![0xffu8; 16 << 20]).unwrap();
    // 64 MiB of UTF-16 through a 32 MiB heap: converted as it is read.
    let script = "iconv -f utf-16le -t utf-8 zeros | wc -c";
    let out = beside_a_victim(&sc, in_dir(&dir, &["sh", "-c", script]).heap_mb(32)).await;
    assert_eq!(
        (out.status.code, stdout(&out).trim()),
        (0, "33554432"),
        "{out:?}"
    );
    // 16 MiB of bytes that are never UTF-8: left out with -c, the first one ends it without.
    let out = beside_a_victim(
        &sc,
        in_dir(&dir, &["iconv", "-c", "-f", "utf-8", "-t", "ascii", "ff"]),
    )
    .await;
    assert_eq!((out.status.code, out.stdout.len()), (0, 0), "{out:?}");
    let out = run(
        &sc,
        in_dir(&dir, &["iconv", "-f", "utf-8", "-t", "ascii", "ff"]),
    )
    .await;
    assert_eq!(out.status.code, 1, "{out:?}");
    assert!(
        stderr(&out).contains("illegal input sequence at position 0"),
        "{}",
        stderr(&out)
    );
}
