//! The `zlib` builtin's zstd codec (Node 22's `zstdCompress`, `ZstdDecompress`, ...) against the
//! host's `zstd` tool, both ways; its errors as Node names them; and what a hostile guest can ask
//! of libzstd (tables past its budget, windows past the sandbox's limit, bombs) ending typed,
//! beside a victim exec.

use crate::node_crypto::ok;
use crate::node_zlib::{host_filter, sample_text};
use crate::support::{beside_a_victim, node, run, scratch, sidecar};

#[tokio::test]
async fn a_zstd_stream_written_in_chunks_is_read_by_host_zstd() {
    let sc = sidecar().await;
    let text = sample_text(20_000);
    let data = scratch("zstd-stream");
    std::fs::write(data.join("in.txt"), &text).unwrap();
    // Written 1000 bytes at a time at level 9 with a checksum, flushed once in the middle.
    let code = "const z = require('zlib'); const fs = require('fs');\
        const input = fs.readFileSync('/d/in.txt'); const c = z.createZstdCompress({ params: {\
          [z.constants.ZSTD_c_compressionLevel]: 9, [z.constants.ZSTD_c_checksumFlag]: 1 } });\
        const out = []; c.on('data', (b) => out.push(b));\
        c.on('end', () => fs.writeFileSync('/d/out.zst', Buffer.concat(out)));\
        for (let i = 0; i < input.length; i += 1000) {\
          c.write(input.subarray(i, i + 1000));\
          if (i === 50000) c.flush();\
        }\
        c.end();";
    ok(&run(&sc, node(code).dir(data.to_str().unwrap(), "/d")).await);
    let packed = std::fs::read(data.join("out.zst")).unwrap();
    assert!(packed.len() < text.len() / 3, "{} bytes", packed.len());
    assert_eq!(host_filter("zstd", &["-dc"], &packed), text.as_bytes());
}

#[tokio::test]
async fn host_zstd_output_is_read_by_the_sync_and_the_stream_forms() {
    let sc = sidecar().await;
    let text = sample_text(30_000);
    let data = scratch("zstd-host");
    let packed = host_filter("zstd", &["-19", "-c"], text.as_bytes());
    std::fs::write(data.join("in.zst"), &packed).unwrap();
    let code = "const z = require('zlib'); const fs = require('fs');\
        const packed = fs.readFileSync('/d/in.zst');\
        const sync = z.zstdDecompressSync(packed);\
        const parts = []; const d = z.createZstdDecompress();\
        d.on('data', (b) => parts.push(b));\
        d.on('end', () => console.log(sync.length, Buffer.concat(parts).equals(sync),\
          sync.subarray(0, 8).toString()));\
        for (let i = 0; i < packed.length; i += 777) d.write(packed.subarray(i, i + 777));\
        d.end();";
    let spec = node(code).dir_ro(data.to_str().unwrap(), "/d");
    assert_eq!(
        ok(&run(&sc, spec).await),
        format!("{} true line 0 0\n", text.len())
    );
}

#[tokio::test]
async fn zstd_errors_carry_node_codes() {
    let sc = sidecar().await;
    let code = "const z = require('zlib'); const show = (f) => { try { f(); console.log('no error') }\
          catch (e) { console.log(e.name, e.code, e.message) } };\
        show(() => z.zstdDecompressSync(Buffer.from('this is not valid compressed data.')));\
        show(() => z.createZstdCompress({ params: { 10000: 0 } }));\
        show(() => z.createZstdCompress({ params: { [z.constants.ZSTD_c_strategy]: 130 } }));\
        show(() => z.createZstdDecompress({ params: { [z.constants.ZSTD_d_windowLogMax]: 1 } }));\
        show(() => z.zstdCompressSync('', { flush: z.constants.Z_FINISH }));\
        show(() => z.ZstdCompress());\
        const c = z.createZstdCompress({ pledgedSrcSize: 13 });\
        c.on('error', (e) => console.log('event', e.code, e.errno)); c.resume();\
        c.write('x'.repeat(42), () => c.end());";
    assert_eq!(
        ok(&run(&sc, node(code)).await),
        "Error ZSTD_error_prefix_unknown Unknown frame descriptor\n\
         RangeError ERR_ZSTD_INVALID_PARAM 10000 is not a valid zstd parameter\n\
         Error ERR_ZLIB_INITIALIZATION_FAILED Setting parameter failed\n\
         Error ERR_ZLIB_INITIALIZATION_FAILED Setting parameter failed\n\
         RangeError ERR_OUT_OF_RANGE The value of \"options.flush\" is out of range. It must be >= 0 and <= 2. Received 4\n\
         TypeError undefined Class constructor ZstdCompress cannot be invoked without 'new'\n\
         event ZSTD_error_srcSize_wrong 72\n"
    );
}

#[tokio::test]
async fn tables_past_the_budget_are_refused_before_they_exist() {
    // Level 22 with a 2^27 window and no known size wants ~800 MiB of libzstd tables (cleared,
    // so resident): a 64 MiB guest is refused before zstd allocates them. It catches the
    // RangeError and holds the stream while the sidecar's resident memory is read.
    let sc = sidecar().await;
    let before = sc.stats().await.expect("stats").rss_bytes >> 20;
    let code = "const z = require('zlib'); const c = z.createZstdCompress({ params: {\
          [z.constants.ZSTD_c_compressionLevel]: 22, [z.constants.ZSTD_c_windowLog]: 27 } });\
        try { c._processChunk(Buffer.alloc(1 << 20), z.constants.ZSTD_e_continue) }\
        catch (e) { console.log(e.name) }\
        setTimeout(() => console.log(typeof c), 3000);";
    let exec = sc
        .exec(node(code).heap_mb(64))
        .await
        .expect("exec accepted");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let during = sc.stats().await.expect("stats").rss_bytes >> 20;
    let out = exec.output().await.expect("output");
    assert_eq!(ok(&out), "RangeError\nobject\n");
    assert!(
        during < before + 300,
        "the sidecar grew from {before} to {during} MiB: the tables were allocated"
    );
}

#[tokio::test]
async fn a_window_past_the_sandbox_limit_is_a_typed_error_not_an_allocation() {
    // A frame declaring a 2^30 window (zstd --long=30), even with windowLogMax raised to 31.
    let sc = sidecar().await;
    let data = scratch("zstd-window");
    let packed = host_filter("zstd", &["--long=30", "-c", "-1"], &vec![7u8; 1 << 16]);
    std::fs::write(data.join("big.zst"), &packed).unwrap();
    let code = "const z = require('zlib'); const packed = require('fs').readFileSync('/d/big.zst');\
        try { z.zstdDecompressSync(packed, { params: { [z.constants.ZSTD_d_windowLogMax]: 31 } }) }\
        catch (e) { console.log(e.code) }";
    let spec = node(code).dir_ro(data.to_str().unwrap(), "/d");
    assert_eq!(
        ok(&beside_a_victim(&sc, spec).await),
        "ZSTD_error_frameParameter_windowTooLarge\n"
    );
}

#[tokio::test]
async fn a_zstd_bomb_stops_at_max_output_length() {
    // 1 GiB of zeros packs into ~32 KiB; the guest asks for at most 16 MiB back.
    let sc = sidecar().await;
    let code = "const z = require('zlib'); const c = z.createZstdCompress(); const parts = [];\
        c.on('data', (b) => parts.push(b));\
        c.on('end', () => {\
          const bomb = Buffer.concat(parts);\
          try { z.zstdDecompressSync(bomb, { maxOutputLength: 16 << 20 }) }\
          catch (e) { console.log(bomb.length < 1 << 20, e.code) } });\
        const zeros = Buffer.alloc(1 << 20);\
        for (let i = 0; i < 1024; i++) c.write(zeros);\
        c.end();";
    assert_eq!(
        ok(&beside_a_victim(&sc, node(code).timeout_ms(60_000)).await),
        "true ERR_BUFFER_TOO_LARGE\n"
    );
}
