//! The `zlib` builtin: round trips both ways with the host's Node 20 (what we compress Node
//! inflates, and the reverse) over every codec and option set in the corpus, errors as Node's,
//! and decompression bombs bounded by `maxOutputLength` and by the guest's memory budget.

use agentos_sdk::{ErrorCode, ExecSpec, Output};

use crate::node_crypto::{differences, fixtures, host_node};
use crate::support::{node, run, scratch, sidecar, stderr, stdout};

/// Known differences from Node in the error corpus, each with its reason.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[(
    "brotli-garbage|",
    "the brotli crate reports the first bad header field as PADDING_2 where libbrotli says PADDING_1",
)];

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code, 0, "stderr: {}", stderr(out));
    stdout(out)
}

/// The `got` lines of an unpack run, as `index|length|sha256`, checked against the `want` lines.
fn check_unpacked(want: &str, got: &str) {
    let want: std::collections::HashMap<&str, &str> = want
        .lines()
        .filter_map(|l| l.strip_prefix("want|"))
        .filter_map(|l| l.split_once('|'))
        .collect();
    let mut checked = 0;
    for line in got.lines().filter_map(|l| l.strip_prefix("got|")) {
        let (key, rest) = line.split_once('|').expect("key|rest");
        let (case, index) = key.split_once(':').expect("case:index");
        let expected = if case == "gzip-members" {
            "60100|eaa8f73f102adab2bb592d1d061e07717a5ef14dd987564c8983acc75e682c83"
        } else {
            want[index]
        };
        assert_eq!(rest, expected, "{key}");
        checked += 1;
    }
    assert!(checked > 200, "only {checked} cases were unpacked");
}

#[tokio::test]
async fn zlib_round_trips_both_ways_with_host_node() {
    let dir = fixtures("node_zlib");
    let corpus = dir.join("corpus.js");
    let corpus = corpus.to_str().unwrap();
    let sc = sidecar().await;
    let theirs = host_node(&[corpus, "pack"]);
    let pack = ExecSpec::new(["node", "/t/corpus.js", "pack"]).dir_ro(dir.to_str().unwrap(), "/t");
    let ours = ok(&run(&sc, pack).await);
    let data = scratch("zlib-packed");
    std::fs::write(data.join("ours.txt"), &ours).unwrap();
    std::fs::write(data.join("theirs.txt"), &theirs).unwrap();
    // Node unpacks ours.
    let node_got = host_node(&[corpus, "unpack", data.join("ours.txt").to_str().unwrap()]);
    check_unpacked(&theirs, &node_got);
    // We unpack Node's.
    let unpack = ExecSpec::new(["node", "/t/corpus.js", "unpack", "/d/theirs.txt"])
        .dir_ro(dir.to_str().unwrap(), "/t")
        .dir_ro(data.to_str().unwrap(), "/d");
    check_unpacked(&theirs, &ok(&run(&sc, unpack).await));
}

#[tokio::test]
async fn zlib_errors_match_host_node() {
    let dir = fixtures("node_zlib");
    let sorted = |text: &str| {
        // Callback results arrive in completion order, which differs; compare them as a set.
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !KNOWN_DIFFERENCES.iter().any(|(p, _)| l.starts_with(p)))
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines.join("\n")
    };
    let theirs = host_node(&[dir.join("corpus.js").to_str().unwrap(), "errors"]);
    let sc = sidecar().await;
    let spec =
        ExecSpec::new(["node", "/t/corpus.js", "errors"]).dir_ro(dir.to_str().unwrap(), "/t");
    let ours = ok(&run(&sc, spec).await);
    for (prefix, _) in KNOWN_DIFFERENCES {
        let pick = |t: &str| t.lines().find(|l| l.starts_with(prefix)).map(str::to_owned);
        assert_ne!(
            pick(&theirs),
            pick(&ours),
            "{prefix} no longer differs: drop it"
        );
    }
    let diffs = differences(&sorted(&theirs), &sorted(&ours));
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// A gzip "bomb": `members` copies of one gzip member of 1 MiB of zeros (about 1 KiB each), which
/// gunzip reads as one stream of `members` MiB.
fn bomb(members: usize) -> String {
    format!(
        "const z = require('zlib'); const one = z.gzipSync(new Uint8Array(1 << 20), {{ level: 9 }});\
         const bomb = new Uint8Array(one.length * {members});\
         for (let i = 0; i < {members}; i++) bomb.set(one, i * one.length);"
    )
}

#[tokio::test]
async fn a_decompression_bomb_stops_at_max_output_length() {
    let sc = sidecar().await;
    let code = format!(
        "{} try {{ z.gunzipSync(bomb, {{ maxOutputLength: 50 << 20 }}) }}\
         catch (e) {{ console.log(e.name, e.code, e.message) }}",
        bomb(10_000)
    );
    assert_eq!(
        ok(&run(&sc, node(&code)).await),
        "RangeError ERR_BUFFER_TOO_LARGE Cannot create a Buffer larger than 52428800 bytes\n"
    );
}

#[tokio::test]
async fn an_unbounded_decompression_bomb_ends_in_memory_limit() {
    // 10 000 MiB of output from ~10 MB of input: the budget of a 64 MiB guest ends it.
    let sc = sidecar().await;
    let code = format!(
        "{} z.gunzipSync(bomb); console.log('unreachable')",
        bomb(10_000)
    );
    let out = run(&sc, node(&code).heap_mb(64).timeout_ms(60_000)).await;
    assert_ne!(out.status.code, 0);
    assert!(!stdout(&out).contains("unreachable"));
    let error = out.status.error.expect("typed error");
    assert_eq!(error.code, ErrorCode::MemoryLimit, "{}", error.message);
}

#[tokio::test]
async fn an_async_bomb_reports_its_error_to_the_callback() {
    let sc = sidecar().await;
    let code = format!(
        "{} z.gunzip(bomb, {{ maxOutputLength: 20 << 20 }}, (e, r) => console.log(e.code, r));\
         setTimeout(() => console.log('timer ran'), 0);",
        bomb(100)
    );
    let out = ok(&run(&sc, node(&code)).await);
    assert!(out.contains("ERR_BUFFER_TOO_LARGE undefined"), "{out}");
    assert!(out.contains("timer ran"), "{out}");
}

/// Hostile inputs get Node's errors (the expected line is what Node 20 prints for the same code).
#[tokio::test]
async fn hostile_inputs_get_node_errors_not_crashes() {
    let sc = sidecar().await;
    let code = "const z = require('zlib'); const r = [];\
        for (const f of [() => z.inflateSync(new Uint8Array(1 << 16).fill(255)),\
          () => z.brotliDecompressSync(new Uint8Array(1 << 16).fill(7)),\
          () => z.inflateRawSync(new Float64Array(100).fill(NaN)),\
          () => z.deflateSync('x', { chunkSize: 2 ** 53 }),\
          () => z.deflateSync('x', { level: -2 }),\
          () => z.gunzipSync(new Proxy(new Uint8Array(4), {})),\
          () => z.crc32('x', 2 ** 32)]) {\
          try { f(); r.push('ok') } catch (e) { r.push(e.code || e.name) } }\
        console.log(r.join(' '))";
    assert_eq!(
        ok(&run(&sc, node(code)).await),
        "Z_DATA_ERROR ERR__ERROR_FORMAT_CL_SPACE Z_DATA_ERROR ERR_OUT_OF_RANGE ERR_OUT_OF_RANGE ERR_INVALID_ARG_TYPE ERR_OUT_OF_RANGE\n"
    );
}

#[tokio::test]
async fn stream_forms_say_they_need_the_stream_builtin() {
    let sc = sidecar().await;
    let code = "try { require('zlib').createGzip() } catch (e) { console.log(e.code, e.message) }";
    assert_eq!(
        ok(&run(&sc, node(code)).await),
        "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM The feature zlib.createGzip (zlib streams need the \
         stream builtin) is unavailable on the current platform, which is being used to run Node.js\n"
    );
}
