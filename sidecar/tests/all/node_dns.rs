//! `dns.Resolver`: queries over the exec's UDP to a DNS server the guest names, answered as the
//! host's Node answers them; a hostile server's malformed answers are EBADRESP errors. Servers
//! off the exec's virtual network are real sockets on loopback here, asked through the policy.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use agentos_sdk::ExecSpec;
use tokio::net::UdpSocket;

use crate::node_crypto::fixture_matches_host_node;
use crate::support::{beside_a_calm_exec, builder, node, run, sidecar, spawn, stderr, stdout};

#[tokio::test]
async fn a_resolver_reads_every_record_type_as_host_node_does() {
    fixture_matches_host_node("node_dns", "records.js", 19).await;
}

#[tokio::test]
async fn malformed_answers_from_a_hostile_server_are_ebadresp() {
    // A pointer to itself, a pointer forward, a label past the message, an answer count past
    // the records, a 64-byte label: each an EBADRESP error, never a hang or a crash.
    let code = "const dgram = require('dgram'); const dns = require('dns');
        const bodies = [
          [0xc0, 12],
          [0xc0, 40],
          [9, 97, 98],
          null,
          [64, ...new Array(64).fill(97), 0],
        ];
        let turn = 0;
        const server = dgram.createSocket('udp4');
        server.on('message', (q, r) => {
          const body = bodies[turn++];
          const head = [q[0], q[1], 0x81, 0x80, 0, 0, 0, body === null ? 9 : 1, 0, 0, 0, 0];
          const answer = body === null ? [] : [...body, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4];
          server.send(Buffer.from([...head, ...answer]), r.port, r.address);
        });
        server.bind(0, '127.0.0.1', async () => {
          const resolver = new dns.promises.Resolver({ timeout: 3000, tries: 1 });
          resolver.setServers(['127.0.0.1:' + server.address().port]);
          for (let i = 0; i < bodies.length; i++) {
            await resolver.resolve4('x.org').then((v) => console.log('answer', v), (e) => console.log(e.code));
          }
          server.close();
        });";
    let sc = sidecar().await;
    let out = beside_a_calm_exec(&sc, node(code)).await;
    assert_eq!(out.status.code, 0, "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "EBADRESP\n".repeat(5));
}

/// A sidecar whose name servers (for resolvers without servers) are `server`'s.
async fn sidecar_asking(server: &Responder) -> agentos_sdk::Sidecar {
    let address = format!("127.0.0.1:{}", server.port);
    let mode = std::env::var("AGENTOS_TEST_MODE").unwrap_or_else(|_| "auto".into());
    spawn(builder(&mode).env("AGENTOS_NET_DNS_SERVERS", address)).await
}

const ASK_WITHOUT_SERVERS: &str = "const dns = require('dns');
    console.log(JSON.stringify(dns.getServers()));
    dns.promises.resolve4('api.example.org', { ttl: true }).then(
      (v) => console.log(JSON.stringify(v)), (e) => console.log(e.code, e.syscall, e.message));";

#[tokio::test]
async fn a_resolver_without_servers_asks_the_sidecars_name_servers_about_an_allowed_name() {
    let server = Responder::start(0).await;
    let spec = node(ASK_WITHOUT_SERVERS).allow_net("https://api.example.org");
    let out = run(&sidecar_asking(&server).await, spec).await;
    let expected = "[]\n[{\"address\":\"1.2.3.4\",\"ttl\":60}]\n";
    assert_eq!(stdout(&out), expected, "stderr: {}", stderr(&out));
    assert_eq!(server.queries.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_resolver_without_servers_never_asks_about_a_name_no_rule_allows() {
    let server = Responder::start(0).await;
    let out = run(&sidecar_asking(&server).await, node(ASK_WITHOUT_SERVERS)).await;
    let printed = stdout(&out);
    assert!(printed.starts_with("[]\nECONNREFUSED queryA "), "{printed}");
    assert!(printed.contains("denied by network policy"), "{printed}");
    let [denied] = &out.status.net_denied[..] else {
        panic!("{:?}", out.status.net_denied);
    };
    assert_eq!(denied.host, "api.example.org");
    assert_eq!(server.queries.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn cancel_ends_pending_queries_with_ecancelled() {
    // The server never answers; cancel() ends the query at once instead of after the timeout.
    let code = "const dgram = require('dgram'); const dns = require('dns');
        const server = dgram.createSocket('udp4');
        server.bind(0, '127.0.0.1', () => {
          const resolver = new dns.Resolver({ timeout: 60000 });
          resolver.setServers(['127.0.0.1:' + server.address().port]);
          resolver.resolveTxt('example.org', (e) => { console.log(e.code); server.close(); });
          setTimeout(() => resolver.cancel(), 50);
        });";
    let out = run(&sidecar().await, node(code)).await;
    assert_eq!(stdout(&out), "ECANCELLED\n");
}

/// A real UDP name server on loopback that answers every query with `stale` datagrams of 100
/// bytes under another id (few enough for the socket's receive buffer to keep them all, in
/// order), then with an A record 1.2.3.4.
struct Responder {
    port: u16,
    queries: Arc<AtomicUsize>,
}

impl Responder {
    async fn start(stale: usize) -> Responder {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
        let port = socket.local_addr().expect("addr").port();
        let queries = Arc::new(AtomicUsize::new(0));
        let count = queries.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 512];
            while let Ok((n, from)) = socket.recv_from(&mut buf).await {
                count.fetch_add(1, Ordering::SeqCst);
                let query = &buf[..n];
                for _ in 0..stale {
                    let mut junk = vec![0u8; 100];
                    junk[..2].copy_from_slice(&[query[0] ^ 0xff, query[1]]);
                    let _ = socket.send_to(&junk, from).await;
                }
                let _ = socket.send_to(&answer(query), from).await;
            }
        });
        Responder { port, queries }
    }

    fn rule(&self) -> String {
        format!("dns://127.0.0.1:{}", self.port)
    }
}

/// A response to `query` (one question) with one A record, 1.2.3.4.
fn answer(query: &[u8]) -> Vec<u8> {
    respond(query, 0x80, &[1, 2, 3, 4])
}

/// The header and question of `query` with `flags` (second byte: 0x80 recursion available,
/// 0x02 more for TC in the first), and an A record `address` unless it is empty.
fn respond(query: &[u8], flags: u8, address: &[u8]) -> Vec<u8> {
    let mut end = 12;
    while query[end] != 0 {
        end += usize::from(query[end]) + 1;
    }
    let mut out = query[..end + 5].to_vec();
    out[2] = 0x81 | if flags & 0x02 != 0 { 0x02 } else { 0 };
    out[3] = flags & 0xf0;
    let count = u8::from(!address.is_empty());
    out[6..12].copy_from_slice(&[0, count, 0, 0, 0, 0]);
    if count == 1 {
        out.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
        out.extend_from_slice(address);
    }
    out
}

fn ask_resolve4(port: u16, options: &str) -> ExecSpec {
    node(&format!(
        "const r = new (require('dns').promises.Resolver)({options});
         r.setServers(['127.0.0.1:{port}']);
         r.resolve4('x.org').then((v) => console.log(v.join()), (e) => console.log(e.code, e.message));"
    ))
}

#[tokio::test]
async fn a_resolver_asks_a_real_server_the_policy_allows() {
    let server = Responder::start(0).await;
    let spec = ask_resolve4(server.port, "").allow_net(server.rule());
    let out = run(&sidecar().await, spec).await;
    assert_eq!(stdout(&out), "1.2.3.4\n", "stderr: {}", stderr(&out));
    assert_eq!(server.queries.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_server_no_rule_allows_is_econnrefused_naming_the_policy_and_never_asked() {
    let server = Responder::start(0).await;
    let out = run(&sidecar().await, ask_resolve4(server.port, "")).await;
    let printed = stdout(&out);
    assert!(
        printed.starts_with("ECONNREFUSED queryA ECONNREFUSED x.org ("),
        "{printed}"
    );
    assert!(printed.contains("denied by network policy"), "{printed}");
    let [denied] = &out.status.net_denied[..] else {
        panic!("{:?}", out.status.net_denied);
    };
    assert_eq!(
        (denied.scheme.as_str(), denied.port),
        ("dns", u32::from(server.port))
    );
    assert_eq!(server.queries.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_flooding_server_is_cut_off_after_a_few_replies_and_the_query_times_out() {
    // Each query draws 100 stale datagrams before the answer: the sidecar hands over eight per
    // try, the answer never among them, so both tries end in ETIMEOUT.
    let server = Responder::start(100).await;
    let spec = ask_resolve4(server.port, "{ timeout: 300, tries: 2 }").allow_net(server.rule());
    let out = beside_a_calm_exec(&sidecar().await, spec).await;
    assert_eq!(
        stdout(&out),
        "ETIMEOUT queryA ETIMEOUT x.org\n",
        "stderr: {}",
        stderr(&out)
    );
    assert_eq!(server.queries.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn lookup_service_and_the_result_order_answer_as_host_node_does() {
    fixture_matches_host_node("node_dns", "service.js", 15).await;
}

#[tokio::test]
async fn lookup_service_of_an_address_no_rule_allows_is_refused_before_any_query() {
    let code = "require('dns').lookupService('192.0.2.1', 22, (e) => console.log(e.code, e.syscall, e.hostname));";
    let out = run(&sidecar().await, node(code)).await;
    assert_eq!(stdout(&out), "ECONNREFUSED getnameinfo 192.0.2.1\n");
    let [denied] = &out.status.net_denied[..] else {
        panic!("{:?}", out.status.net_denied);
    };
    assert_eq!((denied.ip.as_str(), denied.port), ("192.0.2.1", 22));
}

#[tokio::test]
async fn lookup_follows_the_result_order_asked_for() {
    let code = "const dns = require('dns');
        const show = (o) => new Promise((r) => dns.lookup('localhost', o, (e, a) => r(e ? e.code : a.map((x) => x.address).join())));
        (async () => {
          console.log(await show({ all: true, order: 'ipv6first' }), await show({ all: true, verbatim: false }));
          dns.setDefaultResultOrder('ipv6first');
          console.log(await show({ all: true }), await show({ all: true, order: 'verbatim' }));
        })();";
    let out = run(&sidecar().await, node(code)).await;
    assert_eq!(
        stdout(&out),
        "::1,127.0.0.1 127.0.0.1,::1\n::1,127.0.0.1 127.0.0.1,::1\n",
        "stderr: {}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_flood_of_lookup_service_calls_ends_each_with_an_answer_or_the_ops_limit() {
    // 6 000 calls at once, past the 4 096 operations an exec may have in flight: each callback
    // runs once, with the name or ERR_NET_LIMIT, and a calm exec beside it is not held up.
    let code = "const dns = require('dns'); const seen = new Set(); let n = 0;
        for (let i = 0; i < 6000; i++) dns.lookupService('127.0.0.1', 22, (e, host) => {
          seen.add(e ? e.code : typeof host);
          if (++n === 6000) console.log(n, [...seen].sort().join());
        });";
    let out = beside_a_calm_exec(&sidecar().await, node(code)).await;
    let printed = stdout(&out);
    assert!(
        ["6000 string\n", "6000 ERR_NET_LIMIT,string\n"].contains(&printed.as_str()),
        "{printed} {}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_truncated_answer_is_asked_again_over_tcp() {
    // Over UDP the server answers with TC set and no records; over TCP, on the same port, with
    // 5.6.7.8. The rule for `dns` at that port covers both.
    let udp = UdpSocket::bind("127.0.0.1:0").await.expect("bind udp");
    let port = udp.local_addr().expect("addr").port();
    let tcp = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind tcp");
    tokio::spawn(async move {
        let mut buf = vec![0u8; 512];
        while let Ok((n, from)) = udp.recv_from(&mut buf).await {
            let _ = udp.send_to(&respond(&buf[..n], 0x82, &[]), from).await;
        }
    });
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut stream, _)) = tcp.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let mut head = [0u8; 2];
            stream.read_exact(&mut head).await.expect("length");
            let mut query = vec![0u8; usize::from(u16::from_be_bytes(head))];
            stream.read_exact(&mut query).await.expect("query");
            let out = respond(&query, 0x80, &[5, 6, 7, 8]);
            let length = u16::try_from(out.len()).expect("short").to_be_bytes();
            stream.write_all(&length).await.expect("write");
            stream.write_all(&out).await.expect("write");
        }
    });
    let spec = ask_resolve4(port, "{ tries: 1 }").allow_net(format!("dns://127.0.0.1:{port}"));
    let out = run(&sidecar().await, spec).await;
    assert_eq!(stdout(&out), "5.6.7.8\n", "stderr: {}", stderr(&out));
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_truncated_answer_from_a_guest_server_is_asked_again_over_its_tcp_port() {
    let code = "const dgram = require('dgram'); const net = require('net'); const dns = require('dns');
        const answer = (q, tc, addr) => {
          let end = 12; while (q[end] !== 0) end += q[end] + 1;
          const head = [...q.subarray(0, end + 5)];
          head[2] = tc ? 0x83 : 0x81; head[3] = 0x80;
          head.splice(6, 6, 0, addr ? 1 : 0, 0, 0, 0, 0);
          return Buffer.from(addr ? [...head, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...addr] : head);
        };
        const udp = dgram.createSocket('udp4');
        udp.on('message', (q, r) => udp.send(answer(q, true), r.port, r.address));
        udp.bind(0, '127.0.0.1', () => {
          const port = udp.address().port;
          const tcp = net.createServer((s) => s.once('data', (d) => {
            const out = answer(d.subarray(2), false, [9, 9, 9, 9]);
            s.end(Buffer.concat([Buffer.from([out.length >> 8, out.length & 255]), out]));
          }));
          tcp.listen(port, '127.0.0.1', async () => {
            const r = new dns.promises.Resolver({ tries: 1 });
            r.setServers(['127.0.0.1:' + port]);
            console.log((await r.resolve4('x.org')).join());
            udp.close(); tcp.close();
          });
        });";
    let out = run(&sidecar().await, node(code)).await;
    assert_eq!(stdout(&out), "9.9.9.9\n", "stderr: {}", stderr(&out));
}
