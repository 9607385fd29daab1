//! Unix domain sockets (`server.listen(path)`, `net.connect({ path })`, `http` over
//! `socketPath`): names in the exec's port registry, with a socket file in the guest's folder that
//! nothing outside the exec can use. Node's behaviour against the host's Node is
//! `node_surface/net_unix_sockets.js`; here, what isolation and limits promise.

use std::time::Duration;

use agentos_sdk::NetLimits;

use crate::support::{beside_a_victim, node, run, scratch, sidecar, stdout, typed};

/// A listener on `/w/s.sock` that stays up until `/w/done` appears (at most 10 s).
const LISTEN_UNTIL_DONE: &str = "const net = require('net'), fs = require('fs');
    const server = net.createServer((c) => c.end('inside')).listen('/w/s.sock', () => {
      const t = setInterval(() => {
        if (!fs.existsSync('/w/done')) return;
        clearInterval(t);
        server.close(() => console.log('closed'));
      }, 10);
    });";

#[tokio::test]
async fn a_unix_socket_is_reachable_only_from_its_own_exec() {
    let dir = scratch("unix-private");
    let w = dir.to_str().expect("UTF-8 path");
    let sc = sidecar().await;
    let owner = sc
        .exec(node(LISTEN_UNTIL_DONE).dir(w, "/w"))
        .await
        .expect("exec accepted");
    let sock = dir.join("s.sock");
    for _ in 0..500 {
        if sock.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The host sees a socket file, and nothing listens on it.
    let host = std::os::unix::net::UnixStream::connect(&sock).map_err(|e| e.kind());
    assert_eq!(host.err(), Some(std::io::ErrorKind::ConnectionRefused));
    // Another exec with the same folder finds the file, and no listener.
    let other = "const net = require('net'), fs = require('fs');
        net.connect('/w/s.sock', () => console.log('reached it')).on('error', (e) => {
          console.log(e.code, fs.statSync('/w/s.sock').isSocket());
          fs.writeFileSync('/w/done', '');
        });";
    let out = run(&sc, node(other).dir(w, "/w")).await;
    assert_eq!(stdout(&out), "ECONNREFUSED true\n");
    let out = tokio::time::timeout(Duration::from_secs(20), owner.output())
        .await
        .expect("owner hung")
        .expect("owner output");
    assert_eq!(stdout(&out), "closed\n");
    assert!(!sock.exists(), "close() removes the socket file");
}

#[tokio::test]
async fn unix_listeners_count_against_max_listeners() {
    let dir = scratch("unix-limit");
    let code = "const net = require('net'); const all = [];
        for (let i = 0; i < 3; i++) {
          const s = net.createServer().listen(i === 1 ? 0 : `/w/${i}.sock`);
          s.on('error', (e) => { console.log(i, e.code, e.message); all.forEach((x) => x.close()); });
          all.push(s);
        }";
    let limits = NetLimits {
        max_listeners: 2,
        ..NetLimits::default()
    };
    let spec = node(code)
        .net_limits(limits)
        .dir(dir.to_str().expect("UTF-8 path"), "/w");
    let out = run(&sidecar().await, spec).await;
    assert_eq!(
        stdout(&out),
        "2 ERR_NET_LIMIT network limit max_listeners = 2 reached\n"
    );
    assert!(
        !dir.join("2.sock").exists(),
        "a refused listen leaves no file"
    );
}

#[tokio::test]
async fn a_hostile_guest_with_huge_and_odd_socket_paths_gets_errors_beside_a_victim() {
    let dir = scratch("unix-hostile");
    let code = "const net = require('net'), http = require('http');
        const huge = '/w/' + 'x'.repeat(64 << 20);
        const out = [];
        const tryIt = (label, f) => new Promise((resolve) => {
          try {
            const s = f();
            s.on('error', (e) => { out.push(label + ' ' + e.code); resolve(); });
            s.on('listening', () => { out.push(label + ' listening'); s.close(); resolve(); });
            s.on('connect', () => { out.push(label + ' connected'); resolve(); });
          } catch (e) { out.push(label + ' threw ' + e.code); resolve(); }
        });
        (async () => {
          await tryIt('huge listen', () => net.createServer().listen(huge));
          await tryIt('huge connect', () => net.connect(huge));
          await tryIt('nul inside', () => net.createServer().listen('/w/a\\0b'));
          await tryIt('outside', () => net.createServer().listen('/etc/agentos.sock'));
          await tryIt('huge socketPath', () => http.get({ socketPath: huge, path: '/' }));
          // Refused binds hold nothing: 5000 of them on a taken name, then a listen works.
          const taken = net.createServer().listen('\\0agentos-taken');
          for (let i = 0; i < 5000; i++) {
            const s = net.createServer().listen('\\0agentos-taken');
            s.on('error', () => {});
            s.on('listening', () => s.close());
          }
          await new Promise((r) => setTimeout(r, 50));
          taken.close();
          // Then a listener, a client and its accepted socket (three operations) all work.
          const last = net.createServer((c) => c.end('hi')).listen('/w/last.sock', () => {
            net.connect('/w/last.sock').on('data', (d) => {
              out.push('after 5000 tries: ' + d);
              last.close();
              console.log(out.join('\\n'));
            }).on('error', (e) => {
              console.log(out.join('\\n') + '\\nafter: ' + e.code);
              last.close();
            });
          }).on('error', (e) => console.log(out.join('\\n') + '\\nafter: ' + e.code));
        })();";
    let spec = node(code)
        .heap_mb(512)
        .dir(dir.to_str().expect("UTF-8 path"), "/w");
    let out = beside_a_victim(&sidecar().await, spec).await;
    assert_eq!(out.status.code, 0, "{:?}", typed(&out.status));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "huge listen EINVAL",
            "huge connect EINVAL",
            "nul inside EINVAL",
            "outside EROFS",
            "huge socketPath EINVAL",
            "after 5000 tries: hi",
        ],
    );
}

#[tokio::test]
async fn a_child_process_reaches_its_parents_unix_socket() {
    let dir = scratch("unix-child");
    let code = "const net = require('net');
        const server = net.createServer((s) => s.end('from parent')).listen('/w/p.sock', () => {
          const child = `const c = require('net').connect('/w/p.sock'); let s = '';
            c.on('data', (d) => s += d); c.on('end', () => console.log('child got', s));`;
          require('child_process').execFile('node', ['-e', child], (err, out) => {
            console.log(err, out.trim());
            server.close();
          });
        });";
    let spec = node(code).dir(dir.to_str().expect("UTF-8 path"), "/w");
    let out = run(&sidecar().await, spec).await;
    assert_eq!(stdout(&out), "null child got from parent\n");
}
