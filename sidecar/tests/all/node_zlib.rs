//! The `zlib` builtin: round trips both ways with the host's Node 20 (what we compress Node
//! inflates, and the reverse) over every codec and option set in the corpus, errors as Node's,
//! and decompression bombs bounded by `maxOutputLength` and by the guest's memory budget. The
//! stream forms (`createGzip()` ...) against the host's `gzip`, both ways, and bombs fed through
//! a stream, and through the web streams over them (`DecompressionStream`).

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::node_crypto::{differences, fixtures, host_node, ok};
use crate::support::{node, run, scratch, sidecar, stdout, typed};

/// Known differences from Node in the error corpus, each with its reason.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[(
    "brotli-garbage|",
    "the brotli crate reports the first bad header field as PADDING_2 where libbrotli says PADDING_1",
)];

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
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
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

/// Text of `n` lines, different enough that it does not compress to nothing.
pub(crate) fn sample_text(n: usize) -> String {
    (0..n)
        .map(|i| format!("line {i} {}\n", i * 7919 % 1000))
        .collect()
}

fn host_gzip(args: &[&str], input: &[u8]) -> Vec<u8> {
    host_filter("gzip", args, input)
}

/// `input` through the host's `tool` with `args` (`ci/install-reference-tools` installs them).
pub(crate) fn host_filter(tool: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = std::process::Command::new(tool)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("these tests need the host's `{tool}`: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().expect("gzip ran");
    writer.join().expect("writer").expect("wrote");
    assert!(out.status.success(), "{tool} {args:?} failed");
    out.stdout
}

#[tokio::test]
async fn a_gzip_stream_written_in_chunks_is_read_by_host_gzip() {
    let sc = sidecar().await;
    let text = sample_text(20_000);
    let data = scratch("zlib-stream-in");
    std::fs::write(data.join("in.txt"), &text).unwrap();
    // Written 1000 bytes at a time, with a sync flush in the middle, collected from 'data'.
    let code = "const z = require('zlib'); const fs = require('fs');\
        const input = fs.readFileSync('/d/in.txt'); const gz = z.createGzip({ level: 6 });\
        const out = []; gz.on('data', (c) => out.push(c));\
        gz.on('end', () => process.stdout.write(Buffer.concat(out).toString('hex')));\
        for (let i = 0; i < input.length; i += 1000) {\
          gz.write(input.subarray(i, i + 1000));\
          if (i === 50000) gz.flush(z.constants.Z_SYNC_FLUSH);\
        }\
        gz.end();";
    let spec = node(code).dir_ro(data.to_str().unwrap(), "/d");
    let hex = ok(&run(&sc, spec).await);
    let packed: Vec<u8> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
        .collect();
    assert_eq!(packed[..2], [0x1f, 0x8b], "a gzip member");
    assert_eq!(host_gzip(&["-dc"], &packed), text.as_bytes());
}

#[tokio::test]
async fn host_gzip_output_piped_through_gunzip_streams_round_trips() {
    let sc = sidecar().await;
    let text = sample_text(30_000);
    let data = scratch("zlib-stream-host");
    std::fs::write(
        data.join("in.gz"),
        host_gzip(&["-c", "-9"], text.as_bytes()),
    )
    .unwrap();
    std::fs::write(data.join("in.txt"), &text).unwrap();
    // File -> gunzip -> gzip -> unzip (64-byte output chunks), through pipe().
    let code = "const z = require('zlib'); const fs = require('fs'); const out = [];\
        fs.createReadStream('/d/in.gz', { highWaterMark: 1 << 12 })\
          .pipe(z.createGunzip()).pipe(z.createGzip()).pipe(z.createUnzip({ chunkSize: 64 }))\
          .on('data', (d) => out.push(d))\
          .on('end', () => { const all = Buffer.concat(out);\
            console.log(all.length, all.equals(fs.readFileSync('/d/in.txt'))) });";
    let spec = node(code).dir_ro(data.to_str().unwrap(), "/d");
    assert_eq!(ok(&run(&sc, spec).await), format!("{} true\n", text.len()));
}

#[tokio::test]
async fn corrupt_input_in_a_stream_is_an_error_event_with_node_code() {
    let sc = sidecar().await;
    let code = "const z = require('zlib'); const s = z.createGunzip();\
        s.on('error', (e) => console.log(e.code, e.errno, e.message, s.destroyed));\
        s.on('close', () => console.log('closed'));\
        s.end(Buffer.from('this is not gzip'));";
    assert_eq!(
        ok(&run(&sc, node(code)).await),
        "Z_DATA_ERROR -3 incorrect header check true\nclosed\n"
    );
}

#[tokio::test]
async fn params_reset_and_sync_process_chunk_work_as_node() {
    let sc = sidecar().await;
    let code = "const z = require('zlib'); const d = z.createDeflate({ level: 1 });\
        const out = []; d.on('data', (c) => out.push(c));\
        d.write('a'.repeat(1000));\
        d.params(9, 0, () => { d.end('b'.repeat(1000)) });\
        d.on('end', () => { const r = z.inflateSync(Buffer.concat(out)).toString();\
          const g = new z.Gzip(); const once = g._processChunk(Buffer.from('xyz'), z.constants.Z_FINISH);\
          console.log(r === 'a'.repeat(1000) + 'b'.repeat(1000), d.bytesWritten,\
            z.gunzipSync(once).toString(), g._handle, typeof z.createInflateRaw().reset()) });";
    assert_eq!(
        ok(&run(&sc, node(code)).await),
        "true 2000 xyz null boolean\n"
    );
}

#[tokio::test]
async fn an_unread_stream_bomb_stops_at_the_high_water_mark() {
    // Nobody reads the output: the stream makes a few chunks past its highWaterMark and waits.
    let sc = sidecar().await;
    let code = format!(
        "{} const s = z.createGunzip(); s.write(bomb);\
         setTimeout(() => console.log(s.readableLength <= 64 << 10,\
           process.memoryUsage().arrayBuffers < (64 << 20)), 500);",
        bomb(2_000)
    );
    assert_eq!(ok(&run(&sc, node(&code)).await), "true true\n");
}

#[tokio::test]
async fn a_kept_stream_bomb_ends_in_memory_limit_while_another_exec_runs() {
    let sc = sidecar().await;
    let code = format!(
        "{} const kept = []; const s = z.createGunzip(); s.on('data', (c) => kept.push(c));\
         s.end(bomb);",
        bomb(10_000)
    );
    let bomb_run = run(&sc, node(&code).heap_mb(64).timeout_ms(60_000));
    let victim = run(
        &sc,
        node(
            "setTimeout(() => console.log(require('zlib').gunzipSync(require('zlib').gzipSync('ok')).toString()), 200)",
        ),
    );
    let (out, victim) = tokio::join!(bomb_run, victim);
    assert_eq!(ok(&victim), "ok\n");
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
}

/// Reads all of `DecompressionStream('gzip')`'s output of `bomb`, keeping or dropping it.
fn web_stream_bomb(members: usize, keep: bool) -> String {
    format!(
        "{} const kept = []; let total = 0;\
         const d = new DecompressionStream('gzip'); const w = d.writable.getWriter();\
         w.write(bomb).catch(() => {{}}); w.close().catch(() => {{}});\
         (async () => {{ const r = d.readable.getReader();\
           for (;;) {{ const {{ value, done }} = await r.read(); if (done) break;\
             total += value.length; if ({keep}) kept.push(value); }}\
           console.log(total, process.memoryUsage().arrayBuffers < (64 << 20)); }})();",
        bomb(members)
    )
}

#[tokio::test]
async fn a_decompression_stream_bomb_read_and_dropped_stays_bounded() {
    // 200 MiB of output through a 64 MiB guest: backpressure keeps a few chunks alive at once.
    let sc = sidecar().await;
    let code = web_stream_bomb(200, false);
    let out = run(&sc, node(&code).heap_mb(64).timeout_ms(60_000)).await;
    assert_eq!(ok(&out), format!("{} true\n", 200u64 << 20));
}

#[tokio::test]
async fn a_kept_decompression_stream_bomb_ends_in_memory_limit_while_another_exec_runs() {
    let sc = sidecar().await;
    let code = web_stream_bomb(10_000, true);
    let bomb_run = run(&sc, node(&code).heap_mb(64).timeout_ms(60_000));
    let victim = run(
        &sc,
        node(
            "setTimeout(async () => { const d = new DecompressionStream('gzip');\
             const text = new Response(new Blob([require('zlib').gzipSync('ok')]).stream()\
               .pipeThrough(d)).text(); console.log(await text); }, 200)",
        ),
    );
    let (out, victim) = tokio::join!(bomb_run, victim);
    assert_eq!(ok(&victim), "ok\n");
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
}
