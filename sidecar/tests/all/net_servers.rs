//! Guest servers on the exec's virtual ports: `net.createServer` and `http.createServer`
//! reached by the guest itself, by its child processes, and by the host. No network policy is
//! needed for any of it (a guest talking to itself is not network), and nothing on the real
//! network can reach a virtual port. Every hostile case runs beside a calm exec.

use agentos_sdk::{ErrorCode, NetLimits};

use crate::net::run_ok;
use crate::support::{beside_a_calm_exec, node, sidecar, stderr, stdout, typed};

#[tokio::test]
async fn a_net_server_echoes_to_its_own_client_and_the_exec_ends_when_it_closes() {
    let code = "const net = require('net');
        const server = net.createServer((s) => { s.on('data', (d) => s.write('echo:' + d)); s.on('end', () => s.end()); });
        server.listen(0, '127.0.0.1', () => {
          const { port, address, family } = server.address();
          const c = net.connect(port, 'localhost', () => { c.write('hi'); c.end(); });
          let got = '';
          c.on('data', (d) => got += d);
          c.on('close', () => server.getConnections((e, n) => {
            console.log(got, address, family, port >= 49152, n);
            server.close(() => console.log('closed', server.listening));
          }));
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(
        stdout(&out),
        "echo:hi 127.0.0.1 IPv4 true 0\nclosed false\n"
    );
}

#[tokio::test]
async fn a_child_process_reaches_its_parents_server() {
    let code = "const net = require('net');
        const server = net.createServer((s) => s.end('from parent'));
        server.listen(0, () => {
          const port = server.address().port;
          const child = `const c = require('net').connect(${port}); let s = '';
            c.on('data', (d) => s += d); c.on('end', () => console.log('child got', s));`;
          require('child_process').execFile('node', ['-e', child], (err, out) => {
            console.log(err, out.trim());
            server.close();
          });
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "null child got from parent\n");
}

#[tokio::test]
async fn a_taken_port_is_eaddrinuse() {
    let code = "const net = require('net');
        const a = net.createServer().listen(4000, () => {
          net.createServer().listen(4000).on('error', (e) => {
            console.log(e.code, e.syscall, e.port);
            a.close();
          });
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "EADDRINUSE listen 4000\n");
}

#[tokio::test]
async fn listeners_past_max_listeners_get_a_typed_limit_error() {
    let code = "const net = require('net'); const all = [];
        for (let i = 0; i < 3; i++) {
          const s = net.createServer().listen(0);
          s.on('error', (e) => { console.log(i, e.code, e.message); all.forEach((x) => x.close()); });
          all.push(s);
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
async fn an_unrefd_server_lets_the_exec_end() {
    let out = run_ok(node(
        "require('net').createServer().listen(0, () => console.log('up')).unref();",
    ))
    .await;
    assert_eq!(stdout(&out), "up\n");
}

#[tokio::test]
async fn a_client_that_keeps_an_endless_stream_ends_with_memory_limit() {
    let sc = sidecar().await;
    let code = "const net = require('net');
        const block = Buffer.alloc(1 << 20, 120);
        const server = net.createServer((s) => {
          const pump = () => { while (s.write(block)) {} };
          s.on('drain', pump);
          pump();
        }).listen(0, () => {
          const kept = [];
          net.connect(server.address().port).on('data', (d) => kept.push(d));
        });";
    let out = beside_a_calm_exec(&sc, node(code).heap_mb(64).timeout_ms(60_000)).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{out:?}");
    assert!(
        message.contains("heap_mb = 64") && message.contains("a network chunk"),
        "{message}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_ends_on_the_time_limit() {
    let sc = sidecar().await;
    let code = "const net = require('net');
        const server = net.createServer(() => {}).listen(0, () => {
          net.connect(server.address().port).on('connect', () => console.log('connected'));
        });";
    let out = beside_a_calm_exec(&sc, node(code).timeout_ms(3000)).await;
    assert_eq!(stdout(&out), "connected\n");
    assert_eq!(typed(&out.status).0, ErrorCode::Timeout);
}

#[tokio::test]
async fn an_http_server_answers_its_own_get_and_chunked_post() {
    let code = "const http = require('http');
        const server = http.createServer((req, res) => {
          let body = '';
          req.on('data', (d) => body += d);
          req.on('end', () => {
            res.setHeader('x-seen', `${req.method} ${req.url} ${req.httpVersion}`);
            res.write(`${body}|${req.headers['transfer-encoding'] || req.headers['content-length'] || '-'}`);
            res.end('|done');
          });
        });
        server.listen(0, () => {
          const port = server.address().port;
          http.get(`http://localhost:${port}/hello`, (res) => {
            let s = '';
            res.on('data', (d) => s += d);
            res.on('end', () => {
              console.log(res.statusCode, res.headers['x-seen'], res.headers['transfer-encoding'], s);
              const req = http.request({ port, method: 'POST', path: '/post' }, (res2) => {
                let t = '';
                res2.on('data', (d) => t += d);
                res2.on('end', () => { console.log(res2.statusCode, t); server.close(); });
              });
              req.write('abc'); req.write('def'); req.end();
            });
          });
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(
        stdout(&out),
        "200 GET /hello 1.1 chunked |-|done\n200 abcdef|chunked|done\n"
    );
}

#[tokio::test]
async fn fetch_reaches_an_http_server_and_sees_its_status_and_headers() {
    let code = "const http = require('http');
        const server = http.createServer((req, res) => {
          res.writeHead(201, 'Made', { 'content-type': 'text/plain', 'x-n': ['1', '2'] });
          res.end('made ' + req.headers.host);
        }).listen(0, async () => {
          const port = server.address().port;
          const r = await fetch(`http://127.0.0.1:${port}/x`);
          console.log(r.status, r.statusText, r.headers.get('x-n'), r.headers.get('content-length'), await r.text() === `made 127.0.0.1:${port}`);
          server.close();
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "201 Made 1, 2 20 true\n");
}

#[tokio::test]
async fn malformed_requests_get_400_or_431_and_the_server_keeps_serving() {
    let code = "const http = require('http'); const net = require('net');
        const server = http.createServer((req, res) => req.resume().on('end', () => res.end('ok ' + req.url)));
        const raw = (port, text) => new Promise((resolve) => {
          const c = net.connect(port, () => c.end(text));
          let s = ''; c.on('data', (d) => s += d); c.on('close', () => resolve(s.split('\\r\\n')[0]));
        });
        server.listen(0, async () => {
          const port = server.address().port;
          console.log(await raw(port, 'GET / HTTP/1.1\\r\\nBad Header\\r\\n\\r\\n'));
          console.log(await raw(port, 'POST / HTTP/1.1\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n'));
          console.log(await raw(port, 'GET / HTTP/1.1\\r\\nx: ' + 'a'.repeat(20000) + '\\r\\n\\r\\n'));
          console.log(await raw(port, 'POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n'));
          console.log(await raw(port, '\\x00\\x01garbage\\r\\n\\r\\n'));
          console.log(await raw(port, 'GET /fine HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n'));
          server.close();
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(
        stdout(&out),
        "HTTP/1.1 400 Bad Request\nHTTP/1.1 400 Bad Request\n\
         HTTP/1.1 431 Request Header Fields Too Large\nHTTP/1.1 400 Bad Request\n\
         HTTP/1.1 400 Bad Request\nHTTP/1.1 200 OK\n"
    );
}

/// The client writes both requests and does not half-close: after a FIN, Node's http server
/// (httpAllowHalfOpen false) aborts what is still pending, so the host's Node answers none.
#[tokio::test]
async fn keep_alive_serves_pipelined_requests_in_order() {
    let code = "const http = require('http'); const net = require('net');
        const server = http.createServer((req, res) => setTimeout(() => res.end(req.url), req.url === '/a' ? 30 : 0));
        server.listen(0, () => {
          const c = net.connect(server.address().port, () => {
            c.write('GET /a HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /b HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n');
          });
          let s = ''; c.on('data', (d) => s += d);
          c.on('close', () => {
            const bodies = s.split('\\r\\n\\r\\n').slice(1).map((x) => x.split('HTTP/1.1')[0]);
            console.log((s.match(/HTTP\\/1.1 200/g) || []).length, bodies.join(','));
            server.close();
          });
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "2 /a,/b\n");
}

#[tokio::test]
async fn a_response_to_a_client_that_does_not_read_is_held_by_backpressure() {
    let sc = sidecar().await;
    let code = "const http = require('http'); const net = require('net');
        let written = 0; const chunk = Buffer.alloc(16384, 120);
        const server = http.createServer((req, res) => {
          const pump = () => { while (res.write(chunk)) written += chunk.length; written += chunk.length; };
          res.on('drain', pump); pump();
        });
        server.listen(0, () => {
          const c = net.connect(server.address().port, () => c.write('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'));
          c.pause();
          setTimeout(() => {
            console.log(written > 0, written < 4 * 1024 * 1024);
            server.closeAllConnections(); c.destroy(); server.close();
          }, 1000);
        });";
    let out = beside_a_calm_exec(&sc, node(code)).await;
    assert!(out.status.success(), "{:?} {}", out.status, stderr(&out));
    assert_eq!(stdout(&out), "true true\n");
}

#[tokio::test]
async fn an_http_server_that_never_answers_ends_on_the_time_limit() {
    let sc = sidecar().await;
    let code = "const http = require('http');
        const server = http.createServer(() => {}).listen(0, () => {
          http.get(`http://localhost:${server.address().port}/`).on('error', () => {});
          console.log('asked');
        });";
    let out = beside_a_calm_exec(&sc, node(code).timeout_ms(3000)).await;
    assert_eq!(stdout(&out), "asked\n");
    assert_eq!(typed(&out.status).0, ErrorCode::Timeout);
}

#[tokio::test]
async fn a_port_nobody_listens_on_is_refused_not_hung() {
    let code = "const net = require('net'); const http = require('http');
        const s = net.createServer().listen(0, () => {
          const port = s.address().port; s.close(() => {
            net.connect(port, 'localhost').on('error', (e) => {
              console.log('net', e.code);
              http.get(`http://127.0.0.1:${port}/`).on('error', (e2) => console.log('http', e2.code));
            });
          });
        });";
    let out = run_ok(node(code)).await;
    assert_eq!(stdout(&out), "net ECONNREFUSED\nhttp ECONNREFUSED\n");
}
