//! Keep-alive: an exec's requests to one origin share a connection once a response was read to
//! its end; a connection the server closed is never reused, and a request it could not take
//! goes on a fresh one.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use agentos_net::{ExecNetSpec, NetLimits, Policy};

use crate::support::*;

fn loopback(rt: &agentos_net::NetRuntime) -> TestExec {
    TestExec::new(
        rt,
        ExecNetSpec {
            policy: Policy::parse(["127.0.0.1"]).expect("policy"),
            limits: NetLimits::default(),
            ..ExecNetSpec::default()
        },
    )
}

#[test]
fn requests_to_one_origin_share_a_kept_alive_connection() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = loopback(&rt);
    for _ in 0..3 {
        assert!(exec.get(&srv.url("127.0.0.1", "/headers")).ok());
    }
    assert_eq!(srv.hits(), 3);
    assert_eq!(srv.accepted(), 1);
    assert_eq!(exec.net.stats().connections_total, 1);
}

#[test]
fn a_connection_the_server_closes_is_not_reused() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = loopback(&rt);
    assert!(exec.get(&srv.url("127.0.0.1", "/close")).ok());
    assert!(exec.get(&srv.url("127.0.0.1", "/headers")).ok());
    assert_eq!(srv.accepted(), 2);
}

#[test]
fn a_request_after_the_server_dropped_an_idle_connection_goes_on_a_fresh_one() {
    // Answers each connection's first request as keep-alive, then drops the connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            count.fetch_add(1, Ordering::SeqCst);
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        }
    });
    let rt = runtime(None);
    let exec = loopback(&rt);
    let url = format!("http://127.0.0.1:{port}/");
    for round in 0..3 {
        let out = exec.get(&url);
        assert!(out.ok(), "round {round}: {:?}", out.result);
        assert_eq!(out.body, b"ok");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}
