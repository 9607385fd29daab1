//! `fetch`'s content decoding (`HttpRequest::decode`): gzip, deflate (zlib and raw), br and stacked
//! codings are decoded; `http` clients get the bytes as sent; corrupt or cut bodies are typed
//! errors; a bomb is decoded no faster than the guest consumes.

use agentos_net::{NetError, NetEvent};

use crate::support::*;

fn fetch_decoded(query: &str) -> Outcome {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    let mut req = get(&srv.url("127.0.0.1", &format!("/encoded?{query}")));
    req.decode = true;
    let id = exec.net.fetch(req).expect("fetch");
    exec.one(id)
}

/// Fetches `/encoded?QUERY` decoded and checks the body is the `n` bytes of plain text.
#[track_caller]
fn assert_decodes(query: &str, n: usize) {
    let o = fetch_decoded(query);
    assert!(o.ok(), "{:?}", o.result);
    assert_eq!(o.body, plain_text(n));
}

#[test]
fn gzip_body_is_decoded() {
    assert_decodes("coding=gzip&n=100000", 100_000);
}

#[test]
fn zlib_deflate_body_is_decoded() {
    assert_decodes("coding=deflate&n=5000", 5000);
}

#[test]
fn raw_deflate_body_is_decoded() {
    assert_decodes("coding=deflate-raw&label=deflate&n=5000", 5000);
}

#[test]
fn brotli_body_is_decoded() {
    assert_decodes("coding=br&n=70000", 70_000);
}

#[test]
fn stacked_codings_are_decoded_in_reverse_order() {
    assert_decodes("coding=gzip,br&n=20000", 20_000);
}

#[test]
fn unknown_coding_passes_the_bytes_through() {
    assert_decodes("coding=zz-unknown&n=300", 300);
}

#[test]
fn http_client_gets_the_bytes_as_sent() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/encoded?coding=gzip&n=4000"));
    assert!(o.ok(), "{:?}", o.result);
    assert_eq!(o.body, encode("gzip", &plain_text(4000)));
}

#[test]
fn cut_gzip_body_is_a_decode_error() {
    let o = fetch_decoded("coding=gzip&n=50000&cut=1");
    assert!(
        matches!(o.err(), NetError::Decode { coding: "gzip", .. }),
        "{:?}",
        o.result
    );
    assert_eq!(o.err().code(), "Z_DATA_ERROR");
}

#[test]
fn corrupt_brotli_body_is_a_decode_error() {
    let o = fetch_decoded("coding=gzip&label=br&n=5000");
    assert!(
        matches!(o.err(), NetError::Decode { coding: "br", .. }),
        "{:?}",
        o.result
    );
}

#[test]
fn bomb_is_decoded_no_faster_than_it_is_consumed() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    // 8 MB of zeros in about 8 KB on the wire: without credit, at most about one read window
    // may be decoded.
    let mut req = get(&srv.url("127.0.0.1", "/encoded?coding=gzip&zeros=1&n=8000000"));
    req.decode = true;
    let id = exec.net.fetch(req).expect("fetch");
    // The server compresses it all first (slow in a debug build): wait long for the first
    // bytes, then until the decoder goes quiet.
    let mut seen = 0usize;
    let mut wait = std::time::Duration::from_secs(60);
    while let Ok(e) = exec.rx.recv_timeout(wait) {
        if let NetEvent::Data { chunk, .. } = e {
            seen += chunk.len();
            wait = std::time::Duration::from_millis(500);
        }
    }
    assert!(
        seen > 0 && seen < 1_000_000,
        "decoded {seen} bytes unconsumed"
    );
    exec.net.consume(id, seen);
    let rest = exec.one(id);
    assert!(rest.ok(), "{:?}", rest.result);
    assert_eq!(seen + rest.body.len(), 8_000_000);
}
