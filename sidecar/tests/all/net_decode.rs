//! `fetch` decodes gzip/deflate/br response bodies as Node's fetch does (and asks for them);
//! `http.get` sees the bytes as sent; a decompression bomb costs the guest its own memory, never
//! the sidecar's, beside a calm exec.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;

use agentos_sdk::ErrorCode;
use flate2::Compression;
use flate2::write::GzEncoder;
use parking_lot::Mutex;
use std::sync::Arc;

use crate::net::guest;
use crate::support::{HANG, node, run, sidecar, stderr, stdout, typed};

/// `data` as one gzip member.
pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

/// A loopback server answering every request with `body` labelled `content-encoding: gzip`,
/// recording each request head.
pub(crate) struct GzipServer {
    port: u16,
    pub(crate) heads: Arc<Mutex<Vec<String>>>,
}

impl GzipServer {
    pub(crate) fn start(body: Vec<u8>) -> GzipServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let heads: Arc<Mutex<Vec<String>>> = Arc::default();
        let (log, body) = (heads.clone(), Arc::new(body));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, body) = (log.clone(), body.clone());
                thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                    let mut head = String::new();
                    let mut line = String::new();
                    while reader.read_line(&mut line).unwrap_or(0) > 2 {
                        head.push_str(&line.to_ascii_lowercase());
                        line.clear();
                    }
                    log.lock().push(head);
                    let mut out = stream;
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\
                         connection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = out.write_all(reply.as_bytes());
                    let _ = out.write_all(&body);
                });
            }
        });
        GzipServer { port, heads }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    pub(crate) fn rule(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

#[tokio::test]
async fn fetch_asks_for_and_decodes_a_gzip_body() {
    let text = "hello, decoded world\n".repeat(500);
    let server = GzipServer::start(gzip(text.as_bytes()));
    let sc = sidecar().await;
    let spec = guest(&format!(
        "const r = await fetch('{}'); const t = await r.text();
         console.log(t.length, t.slice(0, 20), r.headers.get('content-encoding'));",
        server.url()
    ));
    let out = run(&sc, spec.allow_net(server.rule())).await;
    assert_eq!(
        stdout(&out),
        format!("{} hello, decoded world gzip\n", text.len()),
        "{}",
        stderr(&out)
    );
    let heads = server.heads.lock();
    assert!(
        heads[0].contains("accept-encoding: gzip, deflate\r\n"),
        "{}",
        heads[0]
    );
}

#[tokio::test]
async fn http_get_sees_the_gzip_bytes_as_sent() {
    let body = gzip(b"as sent");
    let server = GzipServer::start(body.clone());
    let sc = sidecar().await;
    let code = format!(
        "require('http').get('{}', (res) => {{ const parts = [];
           res.on('data', (c) => parts.push(c));
           res.on('end', () => {{ const b = Buffer.concat(parts);
             console.log(b.length, b[0], b[1]); }}); }});",
        server.url()
    );
    let out = run(&sc, node(&code).allow_net(server.rule())).await;
    assert_eq!(
        stdout(&out),
        format!("{} 31 139\n", body.len()),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_decompression_bomb_costs_the_guest_its_heap_beside_a_calm_exec() {
    // 2 GiB of zeros as 2048 gzip members of 1 MiB each: about 2 MiB on the wire.
    let member = gzip(&vec![0u8; 1 << 20]);
    let bomb: Vec<u8> = member
        .iter()
        .copied()
        .cycle()
        .take(member.len() * 2048)
        .collect();
    let server = GzipServer::start(bomb);
    let sc = sidecar().await;
    let hostile = sc
        .exec(
            guest(&format!(
                "const chunks = []; const r = await fetch('{}');
                 for await (const c of r.body) chunks.push(new Uint8Array(c));
                 console.log('read it all', chunks.length);",
                server.url()
            ))
            .allow_net(server.rule())
            .heap_mb(64),
        )
        .await
        .expect("accepted");
    let calm = run(&sc, node("console.log('calm')")).await;
    assert_eq!(stdout(&calm), "calm\n");
    let out = tokio::time::timeout(HANG, hostile.output())
        .await
        .expect("hostile hung")
        .expect("output");
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message} {}", stderr(&out));
}
