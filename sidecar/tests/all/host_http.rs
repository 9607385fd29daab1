//! The host's `HttpRequest` to a guest's server (a virtual port of the exec): the exchange, and
//! every way it can go wrong ending in a typed error, never a hang, with the server's exec and
//! a calm one alongside unharmed.

use agentos_sdk::{Error, ErrorCode, ExecHandle, HttpRequest, HttpResponse, NetHeader, Sidecar};

use crate::support::{HANG, node, sidecar, stdout};

/// Starts `code` (which prints `listening` once its server listens) and waits for that line.
async fn serving(sc: &Sidecar, code: &str) -> ExecHandle {
    let exec = sc.exec(node(code)).await.expect("exec");
    let mut out = exec.take_stdout().expect("stdout");
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + HANG;
    while !seen.ends_with(b"listening\n") {
        let chunk = tokio::time::timeout_at(deadline, out.next_chunk()).await;
        match chunk.expect("no `listening` line") {
            Some(bytes) => seen.extend_from_slice(&bytes),
            None => panic!("stdout ended before `listening`: {seen:?}"),
        }
    }
    exec
}

fn request(exec: &ExecHandle, port: u32, path: &str) -> HttpRequest {
    HttpRequest {
        exec_id: exec.id(),
        port,
        path: path.into(),
        ..HttpRequest::default()
    }
}

async fn ask(sc: &Sidecar, request: HttpRequest) -> Result<HttpResponse, Error> {
    tokio::time::timeout(HANG, sc.http_request(request))
        .await
        .expect("HttpRequest hung")
}

fn code_of(result: &Result<HttpResponse, Error>) -> Option<ErrorCode> {
    match result {
        Err(Error::Request { code, .. }) => Some(*code),
        _ => None,
    }
}

fn header<'a>(response: &'a HttpResponse, name: &str) -> Option<&'a [u8]> {
    (response.headers.iter())
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| &h.value[..])
}

/// An echo server on port 3000: method, URL, a header and the body come back; `/bye` closes it.
const ECHO: &str = "const http = require('http');
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => body += d);
      req.on('end', () => {
        res.setHeader('x-seen', `${req.method} ${req.url} ${req.headers['x-token']}`);
        res.end('echo:' + body);
        if (req.url === '/bye') server.close();
      });
    });
    server.listen(3000, () => console.log('listening'));";

#[tokio::test]
async fn the_host_reaches_a_guest_http_server() {
    let sc = sidecar().await;
    let exec = serving(&sc, ECHO).await;
    let mut post = request(&exec, 3000, "/items?page=2");
    post.method = "POST".into();
    post.headers.push(NetHeader {
        name: "x-token".into(),
        value: "t1".into(),
    });
    post.body = "hi".into();
    let response = ask(&sc, post).await.expect("response");
    assert_eq!(response.status, 200);
    assert_eq!(&response.body[..], b"echo:hi");
    assert_eq!(
        header(&response, "x-seen"),
        Some(&b"POST /items?page=2 t1"[..])
    );
    let bye = ask(&sc, request(&exec, 3000, "/bye")).await.expect("bye");
    assert_eq!(&bye.body[..], b"echo:");
    let status = exec.wait().await.expect("wait");
    assert_eq!(status.code, 0, "{status:?}");
}

#[tokio::test]
async fn a_port_nothing_listens_on_is_connection_refused() {
    let sc = sidecar().await;
    let exec = serving(&sc, ECHO).await;
    let result = ask(&sc, request(&exec, 3001, "/")).await;
    assert_eq!(
        code_of(&result),
        Some(ErrorCode::ConnectionRefused),
        "{result:?}"
    );
    let still = ask(&sc, request(&exec, 3000, "/bye")).await;
    assert_eq!(still.expect("the server still answers").status, 200);
}

#[tokio::test]
async fn an_unknown_exec_is_unknown_exec() {
    let sc = sidecar().await;
    let result = ask(
        &sc,
        HttpRequest {
            exec_id: 999_999,
            port: 80,
            ..HttpRequest::default()
        },
    )
    .await;
    assert_eq!(code_of(&result), Some(ErrorCode::UnknownExec), "{result:?}");
}

#[tokio::test]
async fn a_malformed_request_is_bad_argument() {
    let sc = sidecar().await;
    let exec = serving(&sc, ECHO).await;
    for path in ["no-slash", "/a b"] {
        let result = ask(&sc, request(&exec, 3000, path)).await;
        assert_eq!(
            code_of(&result),
            Some(ErrorCode::BadArgument),
            "{path}: {result:?}"
        );
    }
    let mut bad_method = request(&exec, 3000, "/");
    bad_method.method = "GE T".into();
    let result = ask(&sc, bad_method).await;
    assert_eq!(code_of(&result), Some(ErrorCode::BadArgument), "{result:?}");
    ask(&sc, request(&exec, 3000, "/bye")).await.expect("bye");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_its_exec_lives_on() {
    let sc = sidecar().await;
    let code = "const http = require('http');
        let held = 0;
        const server = http.createServer((req, res) => {
          if (req.url === '/bye') { res.end('bye ' + held); server.close(); } else held++;
        });
        server.listen(3000, () => console.log('listening'));";
    let exec = serving(&sc, code).await;
    let mut slow = request(&exec, 3000, "/hold");
    slow.timeout_ms = 200;
    let result = ask(&sc, slow).await;
    assert_eq!(code_of(&result), Some(ErrorCode::Timeout), "{result:?}");
    let calm = crate::support::run(&sc, node("console.log('calm')")).await;
    assert_eq!(stdout(&calm), "calm\n");
    let bye = ask(&sc, request(&exec, 3000, "/bye")).await.expect("bye");
    assert_eq!(&bye.body[..], b"bye 1");
}

#[tokio::test]
async fn a_response_over_the_body_limit_is_output_limit() {
    let sc = sidecar().await;
    let code = "const http = require('http');
        const server = http.createServer((req, res) => {
          res.end('x'.repeat(req.url === '/big' ? 1 << 20 : 1));
          if (req.url === '/bye') server.close();
        });
        server.listen(3000, () => console.log('listening'));";
    let exec = serving(&sc, code).await;
    let mut big = request(&exec, 3000, "/big");
    big.max_body_bytes = 1000;
    let result = ask(&sc, big).await;
    assert_eq!(code_of(&result), Some(ErrorCode::OutputLimit), "{result:?}");
    assert!(
        format!("{result:?}").contains("max_body_bytes = 1000"),
        "{result:?}"
    );
    ask(&sc, request(&exec, 3000, "/bye")).await.expect("bye");
}

#[tokio::test]
async fn a_server_that_speaks_no_http_is_bad_gateway() {
    let sc = sidecar().await;
    let code = "const net = require('net');
        const server = net.createServer((s) => {
          s.once('data', () => { s.end('garbage\\r\\n\\r\\n'); server.close(); });
        });
        server.listen(3000, () => console.log('listening'));";
    let exec = serving(&sc, code).await;
    let result = ask(&sc, request(&exec, 3000, "/")).await;
    assert_eq!(code_of(&result), Some(ErrorCode::BadGateway), "{result:?}");
    assert_eq!(exec.wait().await.expect("wait").code, 0);
}

#[tokio::test]
async fn a_request_to_an_exec_killed_meanwhile_ends_typed() {
    let sc = sidecar().await;
    let code = "const http = require('http');
        http.createServer(() => {}).listen(3000, () => console.log('listening'));";
    let exec = serving(&sc, code).await;
    let pending = sc.http_request(request(&exec, 3000, "/hold"));
    let kill = async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        exec.kill(9).await.expect("kill");
    };
    let (result, ()) = tokio::time::timeout(HANG, async { tokio::join!(pending, kill) })
        .await
        .expect("HttpRequest hung after the kill");
    // The server's end of the connection closed with the exec.
    assert_eq!(code_of(&result), Some(ErrorCode::BadGateway), "{result:?}");
}
