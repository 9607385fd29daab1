//! Guest networking under a host-set policy: `fetch`, `http`, `dns` against real loopback servers
//! this test starts (no external network). Deny by default; every denial is a typed error in
//! the guest and a count in the exec's stats.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use agentos_sdk::{ErrorCode, ExecSpec, NetLimits, Output, Sidecar};
use parking_lot::Mutex;

use crate::support::{HANG, node, run, sidecar, stderr, stdout};

/// A tiny HTTP/1.1 server on 127.0.0.1, one thread per connection, `connection: close`.
pub(crate) struct Server {
    pub(crate) port: u16,
    /// Connections accepted.
    pub(crate) accepted: Arc<AtomicUsize>,
    /// Request heads seen, lower-cased.
    pub(crate) heads: Arc<Mutex<Vec<String>>>,
    /// Set when a `/forever` download saw its peer go away.
    pub(crate) peer_gone: Arc<AtomicBool>,
}

impl Server {
    pub(crate) fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = Server {
            port,
            accepted: Arc::default(),
            heads: Arc::default(),
            peer_gone: Arc::default(),
        };
        let (accepted, heads, gone) = (
            server.accepted.clone(),
            server.heads.clone(),
            server.peer_gone.clone(),
        );
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (heads, gone) = (heads.clone(), gone.clone());
                thread::spawn(move || serve(stream, &heads, &gone));
            }
        });
        server
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub(crate) fn rule(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

fn serve(stream: TcpStream, heads: &Mutex<Vec<String>>, gone: &AtomicBool) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&lower);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    if head.contains("transfer-encoding: chunked") {
        body = read_chunked(&mut reader);
    }
    heads.lock().push(head.clone());
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut out = stream;
    let reply = |out: &mut TcpStream, status: &str, extra: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n",
            body.len()
        );
        let _ = out.write_all(head.as_bytes());
        let _ = out.write_all(body);
    };
    if let Some(n) = path.strip_prefix("/big/") {
        let n: usize = n.parse().unwrap_or(0);
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {n}\r\nconnection: close\r\n\r\n");
        let _ = out.write_all(head.as_bytes());
        let chunk = vec![b'x'; 16 << 10];
        let mut left = n;
        while left > 0 {
            let k = left.min(chunk.len());
            if out.write_all(&chunk[..k]).is_err() {
                return;
            }
            left -= k;
        }
    } else if let Some(to) = path.strip_prefix("/redirect/") {
        let location = format!("location: http://{to}\r\n");
        reply(&mut out, "302 Found", &location, b"");
    } else if path == "/forever" {
        let _ = out.write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n");
        let chunk = vec![b'y'; 4096];
        loop {
            if out.write_all(&chunk).and_then(|()| out.flush()).is_err() {
                gone.store(true, Ordering::SeqCst);
                return;
            }
            thread::sleep(Duration::from_millis(5));
        }
    } else if path == "/huge-headers" {
        let mut head = String::from("HTTP/1.1 200 OK\r\nconnection: close\r\n");
        for i in 0..20_000 {
            head.push_str(&format!("x-filler-{i}: {}\r\n", "v".repeat(100)));
        }
        head.push_str("content-length: 0\r\n\r\n");
        let _ = out.write_all(head.as_bytes());
    } else if path == "/echo" {
        reply(&mut out, "200 OK", "content-type: text/plain\r\n", &body);
    } else {
        reply(
            &mut out,
            "200 OK",
            "content-type: text/plain\r\nx-served-by: test\r\n",
            b"hello",
        );
    }
}

/// A chunked request body, decoded; the chunk sizes are recorded as `chunks: N` in the head.
fn read_chunked(reader: &mut BufReader<TcpStream>) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return body;
        }
        let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
        let mut chunk = vec![0; size + 2];
        if reader.read_exact(&mut chunk).is_err() || size == 0 {
            return body;
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

/// `node -e` running `body` inside an async function; errors print `ERR <message> <cause code>
/// <cause message>`.
pub(crate) fn guest(body: &str) -> ExecSpec {
    node(&format!(
        "(async () => {{ {body} }})().catch((e) => console.log('ERR', e.message, \
         e.cause && e.cause.code, e.cause && e.cause.message));"
    ))
}

/// Runs `hostile` while a calm exec fetches `/hello` from `server` beside it; returns the hostile
/// exec's output.
pub(crate) async fn beside_a_calm_fetch(
    sc: &Sidecar,
    server: &Server,
    hostile: ExecSpec,
) -> Output {
    let hostile = sc.exec(hostile).await.expect("accepted");
    let calm = run(
        sc,
        guest(&format!(
            "console.log(await (await fetch('{}')).text());",
            server.url("/hello")
        ))
        .allow_net(server.rule()),
    )
    .await;
    assert_eq!(stdout(&calm), "hello\n");
    tokio::time::timeout(HANG, hostile.output())
        .await
        .expect("hostile hung")
        .expect("output")
}

pub(crate) async fn run_ok(spec: ExecSpec) -> Output {
    let sc = sidecar().await;
    let out = run(&sc, spec).await;
    assert!(out.status.success(), "{:?}\n{}", out.status, stderr(&out));
    out
}

#[tokio::test]
async fn an_allowed_fetch_streams_its_body() {
    let server = Server::start();
    let code = format!(
        "const r = await fetch('{}'); let n = 0, chunks = 0;
         for await (const c of r.body) {{ n += c.length; chunks++; }}
         const h = await (await fetch('{}')).text();
         console.log(r.status, r.ok, n, chunks > 1, h, r.headers.get('content-length'));",
        server.url("/big/3000000"),
        server.url("/hello")
    );
    let out = run_ok(guest(&code).allow_net(server.rule())).await;
    assert_eq!(stdout(&out), "200 true 3000000 true hello 3000000\n");
    let stats = out.status.net.expect("net stats");
    assert_eq!((stats.requests, stats.denied), (2, 0));
    assert!(stats.bytes_in > 3_000_000, "{stats:?}");
}

#[tokio::test]
async fn request_bodies_headers_and_json_round_trip() {
    let server = Server::start();
    let code = format!(
        "const u = '{}';
         const a = await (await fetch(u, {{ method: 'POST', body: 'text body' }})).text();
         const b = await (await fetch(u, {{ method: 'PUT', body: new Uint8Array([104, 105]) }})).text();
         const c = await (await fetch(u, {{ method: 'POST', body: new URLSearchParams({{ q: 'a b' }}) }})).text();
         const d = await (await fetch(u, {{ method: 'POST', body: new Blob(['{{\"k\":1}}']) }})).json();
         const r = await fetch(new Request(u, {{ method: 'POST', body: 'x', headers: {{ 'X-Custom': 'yes' }} }}));
         console.log(a, b, c, d.k, r.headers.get('content-type'), await r.text());",
        server.url("/echo")
    );
    let out = run_ok(guest(&code).allow_net(server.rule())).await;
    assert_eq!(stdout(&out), "text body hi q=a+b 1 text/plain x\n");
    let heads = server.heads.lock().join("");
    assert!(heads.contains("x-custom: yes"), "{heads}");
    assert!(
        heads.contains("content-type: text/plain;charset=utf-8"),
        "{heads}"
    );
}

/// Runs `fetch(url)` under `rules` and returns what the guest printed.
async fn fetch_under(rules: &[String], url: &str) -> (String, Output) {
    let mut spec = guest(&format!(
        "const r = await fetch('{url}'); console.log('OK', r.status);"
    ));
    for rule in rules {
        spec = spec.allow_net(rule.clone());
    }
    let out = run_ok(spec).await;
    (stdout(&out), out)
}

#[tokio::test]
async fn a_host_no_rule_allows_is_denied_with_a_typed_error() {
    let server = Server::start();
    let (printed, out) = fetch_under(&["example.com".into()], &server.url("/hello")).await;
    assert!(
        printed.starts_with("ERR fetch failed ECONNREFUSED"),
        "{printed}"
    );
    assert!(printed.contains("denied by network policy"), "{printed}");
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
    assert_eq!(out.status.net.expect("stats").denied, 1);
    // The host hears of it too.
    let [denied] = &out.status.net_denied[..] else {
        panic!("{:?}", out.status.net_denied);
    };
    assert_eq!(
        (denied.scheme.as_str(), denied.host.as_str()),
        ("http", "127.0.0.1")
    );
    assert_eq!(
        (denied.ip.as_str(), denied.port),
        ("127.0.0.1", u32::from(server.port))
    );
    assert!(
        denied.reason.contains("denied by network policy"),
        "{denied:?}"
    );
}

#[tokio::test]
async fn denials_past_a_hundred_are_counted_but_not_sent() {
    let server = Server::start();
    let code = format!(
        "const all = []; for (let i = 0; i < 150; i++) all.push(fetch('{}').catch(() => 0));
         await Promise.all(all); console.log('done');",
        server.url("/")
    );
    let out = run_ok(guest(&code)).await;
    assert_eq!(stdout(&out), "done\n");
    assert_eq!(out.status.net.expect("stats").denied, 150);
    assert_eq!(out.status.net_denied.len(), 100);
}

#[tokio::test]
async fn a_port_outside_the_rule_is_denied() {
    let server = Server::start();
    let rule = format!("127.0.0.1:{}", server.port.wrapping_add(1));
    let (printed, _) = fetch_under(&[rule], &server.url("/hello")).await;
    assert!(
        printed.starts_with("ERR fetch failed ECONNREFUSED"),
        "{printed}"
    );
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn deny_wins_over_allow_and_is_named() {
    let server = Server::start();
    let deny = format!("deny:127.0.0.1:{}", server.port);
    let (printed, _) = fetch_under(&["127.0.0.1".into(), deny.clone()], &server.url("/")).await;
    assert!(printed.contains(&format!("`{deny}`")), "{printed}");
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn loopback_is_denied_unless_a_rule_names_it() {
    let server = Server::start();
    let (printed, _) = fetch_under(&["*".into()], &server.url("/hello")).await;
    assert!(printed.contains("(loopback) is not public"), "{printed}");
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
    let (printed, _) = fetch_under(&[server.rule()], &server.url("/hello")).await;
    assert_eq!(printed, "OK 200\n");
}

#[tokio::test]
async fn without_a_policy_fetch_is_denied_not_hung() {
    let server = Server::start();
    let (printed, out) = fetch_under(&[], &server.url("/hello")).await;
    assert!(
        printed.starts_with("ERR fetch failed ECONNREFUSED"),
        "{printed}"
    );
    assert!(printed.contains("denied by network policy"), "{printed}");
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
    assert_eq!(out.status.net.expect("stats").denied, 1);
}

#[tokio::test]
async fn a_redirect_from_an_allowed_host_to_a_denied_one_is_stopped() {
    let allowed = Server::start();
    let denied = Server::start();
    let hop = format!("/redirect/127.0.0.1:{}/hello", denied.port);
    let (printed, _) = fetch_under(&[allowed.rule()], &allowed.url(&hop)).await;
    assert!(
        printed.starts_with("ERR fetch failed ECONNREFUSED"),
        "{printed}"
    );
    assert_eq!(allowed.accepted.load(Ordering::SeqCst), 1);
    assert_eq!(denied.accepted.load(Ordering::SeqCst), 0);
    // Followed when both are allowed; `redirect: 'manual'` hands the 302 over.
    let spec = guest(&format!(
        "const a = await fetch('{u}'); const b = await fetch('{u}', {{ redirect: 'manual' }});
         console.log(a.status, a.redirected, await a.text(), b.status, b.headers.get('location'));",
        u = allowed.url(&hop)
    ));
    let out = run_ok(spec.allow_net(allowed.rule()).allow_net(denied.rule())).await;
    let location = format!("http://127.0.0.1:{}/hello", denied.port);
    assert_eq!(stdout(&out), format!("200 true hello 302 {location}\n"));
}

#[tokio::test]
async fn a_bad_rule_refuses_the_exec() {
    let sc = sidecar().await;
    let err = sc
        .exec(node("1").allow_net("10.1.2.3/8"))
        .await
        .expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("10.0.0.0/8"), "{text}");
}

#[tokio::test]
async fn secrets_reach_the_server_but_not_the_guest() {
    let server = Server::start();
    let code = format!(
        "const req = new Request('{}'); const r = await fetch(req);
         console.log(JSON.stringify([...r.headers]), JSON.stringify([...req.headers]), await r.text());",
        server.url("/hello")
    );
    let spec = guest(&code).allow_net(server.rule()).net_secret(
        server.rule(),
        "x-api-key",
        "s3cret-value",
    );
    let out = run_ok(spec).await;
    assert!(!stdout(&out).contains("s3cret"), "{}", stdout(&out));
    assert!(stdout(&out).contains("hello"), "{}", stdout(&out));
    let heads = server.heads.lock().join("");
    assert!(heads.contains("x-api-key: s3cret-value"), "{heads}");
}

#[tokio::test]
async fn an_abort_signal_cancels_a_download() {
    let server = Server::start();
    let code = format!(
        "const ac = new AbortController(); const r = await fetch('{}', {{ signal: ac.signal }});
         const reader = r.body.getReader(); await reader.read(); ac.abort();
         try {{ for (;;) {{ const {{ done }} = await reader.read(); if (done) break; }} }}
         catch (e) {{ console.log(e.name); }}
         try {{ await fetch('{}', {{ signal: AbortSignal.abort() }}); }} catch (e) {{ console.log(e.name); }}",
        server.url("/forever"),
        server.url("/hello")
    );
    let out = run_ok(guest(&code).allow_net(server.rule())).await;
    assert_eq!(stdout(&out), "AbortError\nAbortError\n");
    wait_for(|| server.peer_gone.load(Ordering::SeqCst)).await;
}

async fn wait_for(check: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + HANG;
    while !check() {
        assert!(std::time::Instant::now() < deadline, "condition never held");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_kill_mid_download_ends_the_exec_and_its_connection() {
    let server = Server::start();
    let sc = sidecar().await;
    let code = format!(
        "const r = await fetch('{}'); let n = 0;
         for await (const c of r.body) {{ if (n === 0) console.log('started'); n += c.length; }}",
        server.url("/forever")
    );
    let exec = sc
        .exec(guest(&code).allow_net(server.rule()))
        .await
        .expect("accepted");
    let mut out = exec.take_stdout().expect("stdout");
    let first = tokio::time::timeout(HANG, out.next_chunk())
        .await
        .expect("no output");
    assert_eq!(first.as_deref(), Some(&b"started\n"[..]));
    exec.kill(9).await.expect("kill");
    let status = tokio::time::timeout(HANG, exec.wait())
        .await
        .expect("kill hung")
        .expect("status");
    assert_eq!(status.signal, Some(9));
    wait_for(|| server.peer_gone.load(Ordering::SeqCst)).await;
}

#[tokio::test]
async fn a_guest_over_its_connection_limit_gets_typed_errors_beside_a_calm_one() {
    let server = Server::start();
    let sc = sidecar().await;
    let code = format!(
        "const all = []; for (let i = 0; i < 300; i++) all.push(fetch('{}'));
         const done = await Promise.allSettled(all);
         const codes = new Set(done.filter((d) => d.status === 'rejected')
           .map((d) => d.reason.cause && d.reason.cause.code));
         console.log(done.some((d) => d.status === 'fulfilled'), [...codes].join());",
        server.url("/forever")
    );
    let limits = NetLimits {
        max_connections: 8,
        ..NetLimits::default()
    };
    let hostile = guest(&code).allow_net(server.rule()).net_limits(limits);
    let out = beside_a_calm_fetch(&sc, &server, hostile).await;
    assert_eq!(stdout(&out), "true ERR_NET_LIMIT\n", "{}", stderr(&out));
    assert!(out.status.net.expect("stats").limit_errors > 0);
}

#[tokio::test]
async fn an_unread_body_ends_on_the_request_timeout_with_a_typed_error() {
    let server = Server::start();
    let code = format!(
        "const r = await fetch('{}');
         await new Promise((ok) => setTimeout(ok, 1500));
         try {{ await r.arrayBuffer(); }} catch (e) {{ console.log(e.message, e.cause.code); }}",
        server.url("/forever")
    );
    let limits = NetLimits {
        request_timeout_ms: 500,
        ..NetLimits::default()
    };
    let out = run_ok(guest(&code).allow_net(server.rule()).net_limits(limits)).await;
    assert_eq!(stdout(&out), "terminated ETIMEDOUT\n");
}

#[tokio::test]
async fn an_exec_that_never_reads_a_body_still_ends() {
    let server = Server::start();
    let code = format!(
        "const r = await fetch('{}'); console.log(r.status);",
        server.url("/forever")
    );
    let out = run_ok(guest(&code).allow_net(server.rule())).await;
    assert_eq!(stdout(&out), "200\n");
    wait_for(|| server.peer_gone.load(Ordering::SeqCst)).await;
}

#[tokio::test]
async fn execs_without_network_report_no_net_stats() {
    let out = run_ok(node("console.log(typeof fetch, typeof Headers)")).await;
    assert_eq!(stdout(&out), "function function\n");
    assert_eq!(out.status.net, None);
    assert_eq!(out.status.error.map(|e| e.code), None::<ErrorCode>);
}
