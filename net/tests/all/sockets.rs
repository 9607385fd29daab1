//! TCP and TLS streams, virtual listeners, lookups.

use agentos_net::{
    ConnectRequest, ExecNetSpec, NetError, NetEvent, OpId, Peer, Policy, TlsOptions, VirtualClient,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};

use crate::support::*;

fn tcp(host: &str, port: u16) -> ConnectRequest {
    ConnectRequest {
        host: host.into(),
        port,
        tls: None,
    }
}

/// Reads `id`'s data until `want` bytes arrived.
fn read_exact(exec: &TestExec, id: OpId, want: usize) -> Vec<u8> {
    let mut got = Vec::new();
    while got.len() < want {
        match exec.rx.recv_timeout(HANG).expect("event") {
            NetEvent::Data { id: i, chunk } if i == id => {
                exec.net.consume(id, chunk.len());
                got.extend_from_slice(&chunk);
            }
            NetEvent::Done { id: i, result } if i == id => panic!("done early: {result:?}"),
            _ => {}
        }
    }
    got
}

#[test]
fn tcp_socket_echoes_and_half_closes() {
    let rt = runtime(None);
    let srv = echo_server();
    let exec = TestExec::with_rules(&rt, &[&format!("tcp://127.0.0.1:{}", srv.port())], &[]);
    let id = exec
        .net
        .connect(tcp("127.0.0.1", srv.port()))
        .expect("connect");
    match exec.rx.recv_timeout(HANG).expect("event") {
        NetEvent::Connected {
            peer: Peer::Remote { remote, .. },
            ..
        } => {
            assert_eq!(remote, srv.addr);
        }
        other => panic!("{other:?}"),
    }
    exec.net
        .write(id, Bytes::from_static(b"ping"))
        .expect("write");
    assert_eq!(read_exact(&exec, id, 4), b"ping");
    exec.net.end(id).expect("end");
    let o = exec.one(id);
    assert!(o.ok() && o.ended, "{:?}", o.result);
}

#[test]
fn tcp_rule_does_not_allow_http() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["tcp://127.0.0.1"], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/headers"));
    assert!(matches!(o.err(), NetError::Denied(_)), "{:?}", o.result);
    let id = exec
        .net
        .connect(tcp("127.0.0.1", srv.port()))
        .expect("connect");
    exec.net.cancel(id);
    let o = exec.one(id);
    assert!(o.result.is_some());
}

#[test]
fn denied_socket_is_refused_without_connecting() {
    let rt = runtime(None);
    let srv = echo_server();
    let exec = TestExec::with_rules(&rt, &["*"], &[]);
    let o = exec.one(
        exec.net
            .connect(tcp("localhost", srv.port()))
            .expect("connect"),
    );
    assert_eq!(o.err().code(), "ECONNREFUSED");
    assert_eq!(o.denials.len(), 1);
    assert_eq!(srv.hits(), 0);
}

#[test]
fn tls_connect_verifies_and_negotiates_alpn() {
    let pki = pki();
    let rt = runtime(Some(&pki.root));
    let srv = http_server(Some(pki.server.clone()));
    let exec = TestExec::with_rules(&rt, &["tls://127.0.0.1"], &[("tls.test", "127.0.0.1")]);
    let req = ConnectRequest {
        host: "tls.test".into(),
        port: srv.port(),
        tls: Some(TlsOptions {
            server_name: None,
            alpn: vec![b"http/1.1".to_vec()],
        }),
    };
    let id = exec.net.connect(req).expect("connect");
    match exec.rx.recv_timeout(HANG).expect("event") {
        NetEvent::Connected { alpn, .. } => assert_eq!(alpn.as_deref(), Some(&b"http/1.1"[..])),
        other => panic!("{other:?}"),
    }
    let request = "GET /bytes/5 HTTP/1.1\r\nhost: tls.test\r\nconnection: close\r\n\r\n";
    exec.net.write(id, Bytes::from(request)).expect("write");
    let mut body = Vec::new();
    loop {
        match exec.rx.recv_timeout(HANG).expect("event") {
            NetEvent::Data { chunk, .. } => {
                exec.net.consume(id, chunk.len());
                body.extend_from_slice(&chunk);
            }
            NetEvent::End { .. } => break,
            other => panic!("{other:?}"),
        }
    }
    exec.net
        .end(id)
        .expect("our side ends too (allowHalfOpen: false)");
    let o = exec.one(id);
    assert!(o.ok(), "{:?}", o.result);
    let o = crate::support::Outcome { body, ..o };
    let text = String::from_utf8_lossy(&o.body);
    assert!(
        text.starts_with("HTTP/1.1 200 OK") && text.contains("\r\nxxxxx\r\n"),
        "{text}"
    );
}

#[test]
fn guest_server_on_a_virtual_port_is_reached_by_a_guest_and_by_the_host() {
    let rt = runtime(None);
    let server = TestExec::with_rules(&rt, &[], &[]);
    let (listener, port) = server.net.listen(0).expect("listen");
    assert!(port >= 49152);
    // A second guest of the same exec, with no network at all.
    let client = TestExec::new(
        &rt,
        ExecNetSpec {
            policy: Policy::deny_all(),
            ports: Some(server.net.ports()),
            ..ExecNetSpec::default()
        },
    );
    let cid = client.net.connect(tcp("localhost", port)).expect("connect");
    let sid = match server.rx.recv_timeout(HANG).expect("accept") {
        NetEvent::Accepted {
            listener: l,
            id,
            peer,
        } => {
            assert_eq!(l, listener);
            assert_eq!(
                peer,
                Peer::Virtual {
                    port,
                    from: VirtualClient::Guest
                }
            );
            id
        }
        other => panic!("{other:?}"),
    };
    client
        .net
        .write(cid, Bytes::from_static(b"hi server"))
        .expect("write");
    assert_eq!(read_exact(&server, sid, 9), b"hi server");
    server
        .net
        .write(sid, Bytes::from_static(b"hi client"))
        .expect("write");
    assert_eq!(read_exact(&client, cid, 9), b"hi client");
    client.net.end(cid).expect("end");
    server.net.end(sid).expect("end");
    assert!(client.one(cid).ok());
    assert!(server.one(sid).ok());

    // The host, through the registry: one HTTP exchange answered by the guest.
    let ports = server.net.ports();
    let host_side = rt.handle().spawn(async move {
        let req = http::Request::get("/hello")
            .body(Full::new(Bytes::new()))
            .expect("req");
        let resp = ports.http_request(port, req).await.expect("host request");
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        (status, body)
    });
    let sid = match server.rx.recv_timeout(HANG).expect("accept") {
        NetEvent::Accepted { id, peer, .. } => {
            assert_eq!(
                peer,
                Peer::Virtual {
                    port,
                    from: VirtualClient::Host
                }
            );
            id
        }
        other => panic!("{other:?}"),
    };
    let head = read_exact(&server, sid, 4);
    assert!(head.starts_with(b"GET "), "{head:?}");
    let reply = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
    server.net.write(sid, Bytes::from(reply)).expect("write");
    let (status, body) = rt.handle().block_on(host_side).expect("host task");
    assert_eq!((status, &body[..]), (200, &b"hello"[..]));
    server.net.end(listener).expect("stop listening");
    assert!(server.one(listener).ok());
    assert!(matches!(
        client.net.ports().connect(port, VirtualClient::Host),
        Err(NetError::NoListener(_))
    ));
}

#[test]
fn a_fetch_to_localhost_reaches_the_guests_own_server_not_the_network() {
    let rt = runtime(None);
    let exec = TestExec::with_rules(&rt, &[], &[]);
    let (_listener, port) = exec.net.listen(0).expect("listen");
    let fid = exec
        .net
        .fetch(get(&format!("http://localhost:{port}/x")))
        .expect("fetch");
    let sid = loop {
        if let NetEvent::Accepted { id, .. } = exec.rx.recv_timeout(HANG).expect("event") {
            break id;
        }
    };
    read_exact(&exec, sid, 5);
    let reply = "HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok";
    exec.net.write(sid, Bytes::from(reply)).expect("write");
    let o = exec.one(fid);
    assert_eq!((o.status(), &o.body[..]), (201, &b"ok"[..]));
    assert_eq!(exec.net.stats().denied, 0);
}

#[test]
fn a_virtual_port_cannot_be_taken_twice() {
    let rt = runtime(None);
    let exec = TestExec::with_rules(&rt, &[], &[]);
    let (_, port) = exec.net.listen(3000).expect("listen");
    assert_eq!(port, 3000);
    assert!(matches!(
        exec.net.listen(3000),
        Err(NetError::PortInUse(3000))
    ));
}

#[test]
fn lookup_answers_through_the_policy() {
    let rt = runtime(None);
    let exec = TestExec::with_rules(&rt, &["*.example.test"], &[("a.example.test", "192.0.2.7")]);
    let id = exec.net.lookup("A.Example.TEST.").expect("lookup");
    match exec.rx.recv_timeout(HANG).expect("event") {
        NetEvent::Resolved { addrs, .. } => assert_eq!(
            addrs,
            ["192.0.2.7".parse::<std::net::IpAddr>().expect("ip")]
        ),
        other => panic!("{other:?}"),
    }
    assert!(exec.one(id).ok());
    let o = exec.one(exec.net.lookup("nothere.example.test").expect("lookup"));
    assert_eq!(o.err().code(), "ENOTFOUND");
}

#[test]
fn a_finished_socket_sends_what_it_queued_and_ends_without_the_peers_end() {
    let rt = runtime(None);
    let server = TestExec::with_rules(&rt, &[], &[]);
    let (_listener, port) = server.net.listen(0).expect("listen");
    let client = TestExec::new(
        &rt,
        ExecNetSpec {
            policy: Policy::deny_all(),
            ports: Some(server.net.ports()),
            ..ExecNetSpec::default()
        },
    );
    let cid = client.net.connect(tcp("localhost", port)).expect("connect");
    let sid = match server.rx.recv_timeout(HANG).expect("accept") {
        NetEvent::Accepted { id, .. } => id,
        other => panic!("{other:?}"),
    };
    // More than the pipe holds: most of it is still queued when the guest lets go.
    let payload: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    server
        .net
        .write(sid, Bytes::from(payload.clone()))
        .expect("write");
    server.net.finish(sid);
    assert_eq!(read_exact(&client, cid, payload.len()), payload);
    loop {
        match client.rx.recv_timeout(HANG).expect("end") {
            NetEvent::End { id } if id == cid => break,
            NetEvent::Done { id, result } if id == cid => panic!("done before end: {result:?}"),
            _ => {}
        }
    }
    // The client never ended its side, yet the finished socket is done, cleanly.
    assert!(server.one(sid).ok());
    client.net.end(cid).expect("end");
    assert!(client.one(cid).ok());
}

#[test]
fn a_unix_socket_path_is_a_name_of_its_own_freed_at_once_by_release() {
    let rt = runtime(None);
    let exec = TestExec::with_rules(&rt, &[], &[]);
    let listener = exec.net.listen_path("/w/app.sock").expect("listen");
    assert!(matches!(
        exec.net.listen_path("/w/app.sock"),
        Err(NetError::PathInUse(_))
    ));
    // Paths and ports do not collide, and a path is not a port.
    assert!(exec.net.ports().bound().is_empty());
    let cid = exec.net.connect_path("/w/app.sock").expect("connect");
    // The client's `Connected` and the listener's `Accepted` come in either order.
    let mut accepted = None;
    let mut connected = None;
    while accepted.is_none() || connected.is_none() {
        match exec.rx.recv_timeout(HANG).expect("an event") {
            NetEvent::Accepted {
                listener: l, peer, ..
            } if l == listener => accepted = Some(peer),
            NetEvent::Connected { id, peer, .. } if id == cid => connected = Some(peer),
            other => panic!("{other:?}"),
        }
    }
    let pipe = Peer::Pipe {
        from: VirtualClient::Guest,
    };
    assert_eq!((accepted, connected), (Some(pipe), Some(pipe)));
    assert!(matches!(
        exec.net.connect_path("/w/other.sock"),
        Err(NetError::NoSocket(_))
    ));
    for bad in ["", "/w/a\0b", &"/x".repeat(3000)] {
        let err = exec.net.listen_path(bad).expect_err("refused");
        assert_eq!(err.code(), "EINVAL", "{bad:.20?}");
    }
    exec.net.release_path("/w/app.sock");
    let again = exec
        .net
        .listen_path("/w/app.sock")
        .expect("free after release");
    assert_ne!(again, listener);
    exec.net.cancel(cid);
}
