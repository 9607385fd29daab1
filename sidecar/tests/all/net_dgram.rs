//! `dgram`: UDP sockets on the exec's virtual network. A socket binds a virtual UDP port; any
//! guest of the exec reaches it on loopback; nothing reaches the real network. Every hostile
//! case runs beside a calm exec.

use agentos_sdk::NetLimits;

use crate::net::run_ok;
use crate::support::{beside_a_calm_exec, node, sidecar, stderr, stdout};

#[tokio::test]
async fn a_datagram_reaches_a_socket_of_the_same_guest_with_the_senders_port() {
    let code = "const dgram = require('dgram');
        const a = dgram.createSocket('udp4'), b = dgram.createSocket('udp4');
        b.on('message', (msg, rinfo) => {
          console.log(String(msg), rinfo.address, rinfo.family, rinfo.port === a.address().port, rinfo.size);
          a.close(); b.close();
        });
        b.bind(0, '127.0.0.1', () => a.send(['hel', 'lo'], b.address().port, 'localhost', (e, n) => console.log('sent', e, n)));";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "sent null 5\nhello 127.0.0.1 IPv4 true 5\n");
}

#[tokio::test]
async fn a_child_process_sends_a_datagram_to_its_parents_socket() {
    let code = "const s = require('dgram').createSocket('udp4');
        s.on('message', (m) => { console.log('parent got', String(m)); s.close(); });
        s.bind(0, () => {
          const child = `const c = require('dgram').createSocket('udp4');
            c.send('from child', ${s.address().port}, () => c.close());`;
          require('child_process').execFile('node', ['-e', child], (err) => console.log('child', err));
        });";
    let out = run_ok(node(code)).await;
    let text = stdout(&out);
    assert!(text.contains("parent got from child\n"), "{text}");
    assert!(text.contains("child null\n"), "{text}");
}

#[tokio::test]
async fn a_bound_udp_port_is_eaddrinuse_for_a_second_socket() {
    let code = "const dgram = require('dgram');
        const a = dgram.createSocket('udp4').bind(41234, () => {
          dgram.createSocket('udp4').on('error', (e) => { console.log(e.message, e.errno); a.close(); }).bind(41234);
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "bind EADDRINUSE 0.0.0.0:41234 -98\n");
}

#[tokio::test]
async fn a_datagram_for_the_real_network_is_refused_with_a_typed_error() {
    let code = "const s = require('dgram').createSocket('udp4');
        s.send('x', 53, '192.0.2.1', (e) => { console.log(e.code); s.close(); });";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "ERR_NOT_SUPPORTED_IN_SANDBOX\n");
}

#[tokio::test]
async fn udp_sockets_past_max_listeners_get_a_typed_limit_error() {
    let code = "const dgram = require('dgram'); const all = [];
        for (let i = 0; i < 3; i++) {
          const s = dgram.createSocket('udp4');
          s.on('error', (e) => { console.log(i, e.code, e.message); all.forEach((x) => x.close()); });
          all.push(s.bind(0));
        }";
    let limits = NetLimits {
        max_listeners: 2,
        ..NetLimits::default()
    };
    let out = run_ok(node(code).net_limits(limits)).await;
    assert_eq!(
        stdout(&out),
        "2 ERR_NET_LIMIT network limit max_listeners = 2 reached\n"
    );
}

#[tokio::test]
async fn sends_past_the_bytes_out_limit_fail_with_a_typed_error() {
    let code = "const s = require('dgram').createSocket('udp4'); let n = 0;
        s.bind(0, () => {
          const next = () => s.send(Buffer.alloc(60000), s.address().port, (e) => {
            if (e) { console.log(n, e.code); s.close(); } else { n++; next(); }
          });
          next();
        });";
    let limits = NetLimits {
        max_bytes_out: 1 << 20,
        ..NetLimits::default()
    };
    let out = run_ok(node(code).net_limits(limits)).await;
    assert_eq!(stdout(&out), "17 ERR_NET_LIMIT\n");
}

#[tokio::test]
async fn a_guest_flooding_its_own_unread_socket_drops_datagrams_within_bounded_memory() {
    // 600 MB sent in one synchronous loop at a socket that cannot read until it ends: the
    // socket's queue (1 MiB) and read window (256 KiB) hold what is kept, the rest is dropped,
    // and the guest's 64 MiB heap is never at risk.
    let sc = sidecar().await;
    let code = "const s = require('dgram').createSocket('udp4'); let got = 0;
        s.on('message', () => got++);
        s.bind(0, () => {
          const data = Buffer.alloc(60000);
          for (let i = 0; i < 10000; i++) s.send(data, s.address().port);
          s.once('message', () => setTimeout(() => { console.log(got > 0 && got < 100, got); s.close(); }, 200));
        });";
    let out = beside_a_calm_exec(&sc, node(code).heap_mb(64).timeout_ms(20000)).await;
    assert!(out.status.success(), "{:?}\n{}", out.status, stderr(&out));
    assert!(stdout(&out).starts_with("true "), "{}", stdout(&out));
}
