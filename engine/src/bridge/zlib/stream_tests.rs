//! Tests of [`super`]: every format through small chunks, errors, reset and params.

use super::*;

fn run(stream: &mut Stream, input: &[u8], finish: i32) -> Result<Vec<u8>, StreamError> {
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let mut chunk = [0u8; 64];
        let (used, made) = stream.write(finish, &input[at..], &mut chunk)?;
        at += used;
        out.extend_from_slice(&chunk[..made]);
        if made < chunk.len() {
            return Ok(out);
        }
    }
}

fn zlib(mode: Mode) -> Stream {
    let settings = ZlibSettings {
        level: -1,
        window_bits: 15,
        dictionary: Vec::new(),
    };
    Stream::zlib(mode, settings).expect("valid settings")
}

#[test]
fn every_zlib_format_round_trips_through_small_chunks() {
    let text: Vec<u8> = (0..5000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
    for (c, d) in [
        (Mode::Deflate, Mode::Inflate),
        (Mode::Gzip, Mode::Gunzip),
        (Mode::DeflateRaw, Mode::InflateRaw),
        (Mode::Gzip, Mode::Unzip),
        (Mode::Deflate, Mode::Unzip),
    ] {
        let packed = run(&mut zlib(c), &text, Z_FINISH).expect("compresses");
        let unpacked = run(&mut zlib(d), &packed, Z_FINISH).expect("decompresses");
        assert_eq!(unpacked, text, "{c:?} -> {d:?}");
    }
}

#[test]
fn truncated_input_is_an_unexpected_end_of_file() {
    let packed = run(&mut zlib(Mode::Gzip), b"hello hello hello", Z_FINISH).expect("gzip");
    let err = run(&mut zlib(Mode::Gunzip), &packed[..10], Z_FINISH).expect_err("truncated");
    assert_eq!(
        (err.message.as_str(), err.errno),
        ("unexpected end of file", -5)
    );
    let bad = run(&mut zlib(Mode::Inflate), b"garbage data", Z_FINISH).expect_err("bad");
    assert_eq!(
        (bad.message.as_str(), bad.code.as_str()),
        ("incorrect header check", "Z_DATA_ERROR")
    );
}

#[test]
fn reset_starts_a_new_stream_and_params_change_the_level() {
    let text = b"reset me, reset me, reset me".repeat(40);
    let mut c = zlib(Mode::Deflate);
    let first = run(&mut c, &text, Z_FINISH).expect("compresses");
    assert!(c.reset());
    assert_eq!(run(&mut c, &text, Z_FINISH).expect("again"), first);
    assert!(c.reset() && c.params(0));
    let stored = run(&mut c, &text, Z_FINISH).expect("level 0");
    assert!(
        stored.len() > text.len(),
        "level 0 stores: {}",
        stored.len()
    );
    let mut d = zlib(Mode::Inflate);
    assert_eq!(run(&mut d, &stored, Z_FINISH).expect("inflates"), text);
}

#[test]
fn brotli_round_trips_and_reports_bad_input_as_node() {
    let text = b"brotli brotli brotli brotli".repeat(50);
    let mut enc = Stream::brotli(Mode::BrotliEncode, vec![(1, 5)]).expect("params");
    let packed = run(&mut enc, &text, BROTLI_FINISH).expect("compresses");
    let mut dec = Stream::brotli(Mode::BrotliDecode, Vec::new()).expect("decoder");
    assert_eq!(
        run(&mut dec, &packed, BROTLI_FINISH).expect("decompresses"),
        text
    );
    let mut dec = Stream::brotli(Mode::BrotliDecode, Vec::new()).expect("decoder");
    let err = run(&mut dec, b"garbage data here", BROTLI_FINISH).expect_err("bad");
    assert_eq!(err.message, "Decompression failed");
    assert!(err.code.starts_with("ERR__ERROR_FORMAT"), "{}", err.code);
}
