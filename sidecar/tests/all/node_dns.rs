//! `dns.Resolver`: queries over the exec's UDP to a DNS server the guest names, answered as the
//! host's Node answers them; a hostile server's malformed answers are EBADRESP errors.

use agentos_sdk::ExecSpec;

use crate::node_crypto::{differences, host_node};
use crate::support::{beside_a_calm_exec, node, run, sidecar, stderr, stdout};

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/all/node_dns")
}

#[tokio::test]
async fn a_resolver_reads_every_record_type_as_host_node_does() {
    let dir = fixtures();
    let theirs = host_node(&[dir.join("records.js").to_str().unwrap()]);
    let sc = sidecar().await;
    let spec = ExecSpec::new(["node", "/t/records.js"]).dir_ro(dir.to_str().unwrap(), "/t");
    let out = run(&sc, spec).await;
    assert_eq!(out.status.code, 0, "stderr: {}", stderr(&out));
    let ours = stdout(&out);
    assert!(theirs.lines().count() >= 20, "the fixture shrank: {theirs}");
    let diffs = differences(&theirs, &ours);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
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

#[tokio::test]
async fn a_resolver_without_servers_answers_other_types_with_econnrefused() {
    let code = "require('dns').resolveMx('example.org', (e) => console.log(e.code, e.syscall));";
    let out = run(&sidecar().await, node(code)).await;
    assert_eq!(stdout(&out), "ECONNREFUSED queryMx\n");
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
