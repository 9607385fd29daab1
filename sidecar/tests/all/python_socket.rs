//! Python's `socket` and `ssl` on the exec's network (`python/lib/_agentos_socket.py` and
//! `ssl.py` over the door's `sock_*` ops, socket fds in runner-js/js/33_wasi_sock.js): the same
//! script against one plain and one TLS loopback server prints the same as under the host's own
//! python3; the policy's refusals, the exec's limits and bad door frames end in typed, bounded
//! ways while a victim beside them finishes.

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::net_clients::tls_server;
use crate::net_curl::server;
use crate::python::{in_dir, prints_what_the_host_prints, py, py_c, python_dir, run};
use crate::shell::error_code;
use crate::support::{scratch, sidecar, stderr, stdout};

/// The differential script, beside this file.
const DIFF_SCRIPT: &str = include_str!("python/socket_diff.py");
/// requests and httpx against the same servers.
const CLIENTS_SCRIPT: &str = include_str!("python/clients_smoke.py");

/// A Python program that fetches `/hello` from `port` over a socket and prints the status line.
fn socket_get(port: u16) -> String {
    format!(
        "import socket\n\
         s = socket.create_connection(('127.0.0.1', {port}), timeout=10)\n\
         s.sendall(b'GET /hello HTTP/1.0\\r\\n\\r\\n')\n\
         print(s.makefile('rb').readline())"
    )
}

/// A Python program that runs `setup` (lines), then `step` (one line appending to `held`) until
/// an `OSError`, then prints `report` (an expression over `held` and `e`) and the error's words.
fn held_until_refused(setup: &str, step: &str, report: &str) -> String {
    format!(
        "{setup}\n\
         held = []\n\
         try:\n    \
             while True:\n        \
                 {step}\n\
         except OSError as e:\n    \
             print({report}, e.strerror)"
    )
}

/// Runs `hostile` beside a Python victim that talks to `port` over a socket itself.
async fn beside_a_socket_victim(sc: &Sidecar, hostile: ExecSpec, port: u16) -> Output {
    let victim = py_c(&socket_get(port)).allow_net(format!("127.0.0.1:{port}"));
    let (out, victim) = tokio::join!(run(sc, hostile), run(sc, victim));
    assert_eq!(
        (victim.status.code, stdout(&victim).as_str()),
        (0, "b'HTTP/1.1 200 OK\\r\\n'\n"),
        "victim: {victim:?} {}",
        stderr(&victim)
    );
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn sockets_and_tls_print_what_the_host_python_prints_against_the_same_servers() {
    let plain = server().to_string();
    let (tls, root) = tls_server();
    let dir = scratch("py-socket");
    std::fs::write(dir.join("socket_diff.py"), DIFF_SCRIPT).expect("script");
    std::fs::copy(&root, dir.join("root.pem")).expect("root");
    let sc = sidecar().await;
    let tls = tls.to_string();
    let args = ["socket_diff.py", plain.as_str(), tls.as_str(), "root.pem"];
    let rules = ["localhost", "127.0.0.1"];
    prints_what_the_host_prints(&sc, &args, (&dir, &dir), &rules).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_and_httpx_from_the_registry_fetch_over_http_and_https() {
    let packages = python_dir().with_file_name("python-packages");
    assert!(
        packages.join("requests").is_dir() && packages.join("httpx").is_dir(),
        "run ci/fetch-python-packages first"
    );
    let plain = server().to_string();
    let (tls, root) = tls_server();
    let dir = scratch("py-clients");
    std::fs::write(dir.join("clients_smoke.py"), CLIENTS_SCRIPT).expect("script");
    std::fs::copy(&root, dir.join("root.pem")).expect("root");
    let tls = tls.to_string();
    let argv = ["python3", "clients_smoke.py", &plain, &tls, "root.pem"];
    let spec = in_dir(py(&argv), &dir)
        .dir_ro(packages.to_str().expect("path"), "/pkgs")
        .allow_net("localhost");
    let out = run(&sidecar().await, spec).await;
    assert_eq!(
        stdout(&out),
        "requests 200 text/plain hello\n\
         requests post POST /echo\n\
         session ['hello', 'hello', 'hello']\n\
         requests https secure\n\
         requests untrusted True\n\
         requests denied True\n\
         httpx hello secure\n\
         httpx async ['hello', 'secure']\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_default_context_trusts_the_roots_the_sidecar_was_given() {
    let (port, root) = tls_server();
    let mode = std::env::var("AGENTOS_TEST_MODE").unwrap_or_else(|_| "auto".into());
    let builder = crate::support::builder(&mode).env("AGENTOS_NET_EXTRA_ROOTS", &root);
    let sc = crate::support::spawn(builder).await;
    let code = format!(
        "import socket, ssl\n\
         s = socket.create_connection(('localhost', {port}))\n\
         t = ssl.create_default_context().wrap_socket(s, server_hostname='localhost')\n\
         t.sendall(b'GET / HTTP/1.1\\r\\nhost: localhost\\r\\n\\r\\n')\n\
         print(t.makefile('rb').read()[-6:])"
    );
    let out = run(&sc, py_c(&code).allow_net(format!("localhost:{port}"))).await;
    assert_eq!(stdout(&out), "b'secure'\n", "{}", stderr(&out));
}

/// Python's own `http.server` on the exec's virtual port 8000, serving `/srv`, two requests.
const HTTP_SERVER: &str = "import functools, http.server\n\
    class Quiet(http.server.SimpleHTTPRequestHandler):\n    \
        def log_message(self, *args): pass\n\
    handler = functools.partial(Quiet, directory='/srv')\n\
    server = http.server.HTTPServer(('', 8000), handler)\n\
    print('listening', flush=True)\n\
    server.handle_request(); server.handle_request()";

#[tokio::test(flavor = "multi_thread")]
async fn python_http_server_answers_the_host_on_its_virtual_port() {
    let dir = scratch("py-http-server");
    std::fs::write(dir.join("hello.txt"), "hello from python\n").expect("file");
    let sc = sidecar().await;
    let spec = py_c(HTTP_SERVER).dir_ro(dir.to_str().expect("path"), "/srv");
    let exec = sc.exec(spec).await.expect("exec");
    let mut out = exec.take_stdout().expect("stdout");
    let first = tokio::time::timeout(crate::support::HANG, out.next_chunk()).await;
    assert_eq!(
        first.expect("listening").as_deref(),
        Some(&b"listening\n"[..])
    );
    for (path, status, body) in [
        ("/hello.txt", 200, &b"hello from python\n"[..]),
        ("/missing", 404, &b""[..]),
    ] {
        let request = agentos_sdk::HttpRequest {
            exec_id: exec.id(),
            port: 8000,
            path: path.into(),
            ..agentos_sdk::HttpRequest::default()
        };
        let response = tokio::time::timeout(crate::support::HANG, sc.http_request(request))
            .await
            .expect("HttpRequest hung")
            .expect("response");
        assert_eq!(response.status, status, "{path}");
        if status == 200 {
            assert_eq!(&response.body[..], body);
        }
    }
    let status = tokio::time::timeout(crate::support::HANG, exec.wait())
        .await
        .expect("exec hung")
        .expect("status");
    assert_eq!(status.code, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_the_policy_refuses_is_connection_refused_naming_the_rule() {
    let port = server();
    let sc = sidecar().await;
    let code = format!(
        "import socket\n\
         try:\n    socket.create_connection(('127.0.0.1', {port}))\n\
         except ConnectionRefusedError as e:\n    print('refused', e.strerror)"
    );
    let out = beside_a_socket_victim(&sc, py_c(&code), port).await;
    let text = stdout(&out);
    assert!(
        text.starts_with("refused Connection refused (") && text.contains("rule"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sockets_held_open_past_the_limits_fail_with_an_error_naming_the_limit() {
    let port = server();
    let sc = sidecar().await;
    let step = format!("held.append(socket.create_connection(('127.0.0.1', {port})))");
    let report = "len(held) >= 8, type(e).__name__";
    let code = held_until_refused("import socket", &step, report);
    let hostile = py_c(&code).allow_net(format!("127.0.0.1:{port}"));
    let out = beside_a_socket_victim(&sc, hostile, port).await;
    let text = stdout(&out);
    assert!(
        text.starts_with("True ") && text.contains("network operations at once"),
        "{text} {}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listeners_held_open_past_the_limits_fail_with_an_error_naming_the_limit() {
    let port = server();
    let sc = sidecar().await;
    let step = "s = socket.socket(); s.bind(('', 0)); s.listen(); held.append(s)";
    let code = held_until_refused("import socket", step, "len(held) >= 4");
    let out = beside_a_socket_victim(&sc, py_c(&code), port).await;
    let text = stdout(&out);
    assert!(
        text.starts_with("True ") && text.contains("at once"),
        "{text} {}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_sessions_held_past_the_limit_fail_with_an_error_naming_it() {
    let port = server();
    let sc = sidecar().await;
    let setup = "import ssl\ncontext = ssl.create_default_context()";
    let step =
        "held.append(context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname='x'))";
    let code = held_until_refused(setup, step, "len(held)");
    let out = beside_a_socket_victim(&sc, py_c(&code), port).await;
    let text = stdout(&out);
    assert!(
        text.starts_with("64 ") && text.contains("TLS sessions at once"),
        "{text} {}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_that_never_gets_an_answer_is_stopped_by_the_exec_timeout() {
    let port = server();
    let sc = sidecar().await;
    let code = format!(
        "import socket\n\
         s = socket.create_connection(('127.0.0.1', {port}))\n\
         s.recv(10)"
    );
    let hostile = py_c(&code)
        .allow_net(format!("127.0.0.1:{port}"))
        .timeout_ms(3_000);
    let out = beside_a_socket_victim(&sc, hostile, port).await;
    assert_eq!(error_code(&out), Some(ErrorCode::Timeout), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn door_socket_frames_with_bad_fds_or_fields_get_typed_answers() {
    let port = server();
    let sc = sidecar().await;
    let open = r#"import _host, json\nfd = json.loads(_host.call(b'{"agentos":1,"op":"sock_open"}\0')[:-1])['fd']\n"#;
    for (frame, want) in [
        (
            r#"{"agentos":1,"op":"sock_connect","fd":0,"host":"x","port":1}"#,
            "ENOTSOCK",
        ),
        (
            r#"{"agentos":1,"op":"sock_connect","fd":999,"host":"x","port":1}"#,
            "EBADF",
        ),
        (
            r#"{"agentos":1,"op":"sock_connect","fd":0,"port":1}"#,
            "EINVAL",
        ),
        (r#"{"agentos":1,"op":"sock_names","fd":1}"#, "ENOTSOCK"),
        (
            r#"{"agentos":1,"op":"sock_tls","fd":%FD%,"server_name":"x"}"#,
            "ENOTCONN",
        ),
        (r#"{"agentos":1,"op":"sock_names","fd":%FD%}"#, "ENOTCONN"),
        (
            r#"{"agentos":1,"op":"tls_step","session":99,"what":"feed"}"#,
            "EBADF",
        ),
        (
            r#"{"agentos":1,"op":"tls_step","session":1,"what":"explode"}"#,
            "EINVAL",
        ),
        (r#"{"agentos":1,"op":"tls_info","session":99}"#, "EBADF"),
    ] {
        let frame = frame.replace("%FD%", "' + str(fd).encode() + b'");
        let code = format!(
            "{}a = _host.call(b'{frame}\\0')\nprint(a[:a.index(b'\\0')].decode())",
            open.replace("\\n", "\n")
        );
        let out = beside_a_socket_victim(&sc, py_c(&code), port).await;
        assert!(
            stdout(&out).starts_with(&format!("{{\"errno\":\"{want}\"")),
            "{frame}: {} {}",
            stdout(&out),
            stderr(&out)
        );
    }
}

/// A loopback port that accepts connections and never says anything on them.
fn silent_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().flatten().collect();
        drop(held);
    });
    port
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tls_handshake_the_server_never_answers_ends_at_the_sockets_timeout() {
    let (silent, port) = (silent_server(), server());
    let sc = sidecar().await;
    let code = format!(
        "import socket, ssl, time\n\
         s = socket.create_connection(('127.0.0.1', {silent}), timeout=1)\n\
         began = time.monotonic()\n\
         try:\n    \
             ssl.create_default_context().wrap_socket(s, server_hostname='localhost')\n\
         except TimeoutError as e:\n    \
             print('timed out after', round(time.monotonic() - began), 's:', e)"
    );
    let hostile = py_c(&code)
        .allow_net(format!("127.0.0.1:{silent}"))
        .timeout_ms(60_000);
    let out = beside_a_socket_victim(&sc, hostile, port).await;
    assert_eq!(
        stdout(&out),
        "timed out after 1 s: _ssl.c:1000: The handshake operation timed out\n",
        "{}",
        stderr(&out)
    );
}

/// A certificate made by `openssl req -x509 -config x509/cert.cnf -extensions v3 -set_serial
/// 0x00FF11` (names, every kind of alternative name, OCSP, CA issuers, CRL points, a 2051
/// expiry), and what CPython's own decoder (`ssl._ssl._test_decode_cert`, 3.11 with OpenSSL)
/// made of it.
const CERT_DER: &[u8] = include_bytes!("python/x509/cert.der");
const CERT_CPYTHON: &str = include_str!("python/x509/cert.cpython.txt");

#[tokio::test(flavor = "multi_thread")]
async fn a_peer_certificate_decodes_as_cpythons_own_decoder_decodes_it() {
    let dir = scratch("py-x509");
    std::fs::write(dir.join("cert.der"), CERT_DER).expect("cert");
    let sc = sidecar().await;
    let code = "import _agentos_x509, pprint\n\
                pprint.pprint(_agentos_x509.decode(open('cert.der', 'rb').read()))";
    let out = run(&sc, in_dir(py_c(code), &dir)).await;
    assert_eq!(stdout(&out), CERT_CPYTHON, "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn python_m_http_server_serves_files_one_request_after_another() {
    let sc = sidecar().await;
    let dir = scratch("py-http-server");
    std::fs::write(dir.join("hello.txt"), "hi\n").expect("fixture");
    let script = "python3 -m http.server 8765 --bind 127.0.0.1 >/dev/null 2>&1 & \
        for i in $(seq 30); do curl -sf 127.0.0.1:8765/hello.txt && break; sleep 0.2; done; \
        curl -s 127.0.0.1:8765/hello.txt; curl -s -o /dev/null -w '%{http_code}\\n' 127.0.0.1:8765/nope; \
        kill $!";
    let spec = ExecSpec::new(["sh", "-c", script])
        .dir(dir.to_string_lossy(), "/srv")
        .cwd("/srv")
        .allow_net("127.0.0.1:8765");
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "hi\nhi\n404\n", "{out:?}: {}", stderr(&out));
}
