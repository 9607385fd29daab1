//! `curl` (a WASI command over the `agentos_v4.http_*` imports) beside the host's own curl: the
//! same invocations against one loopback server this test starts, comparing stdout and the exit
//! code; then what the exec's policy and time limits do to it, beside a victim.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::Duration;

use agentos_sdk::{ExecSpec, Output, Sidecar};

use crate::support::{run, scratch, sidecar, stderr, stdout};

/// An HTTP/1.1 server on 127.0.0.1 answering by path (`connection: close`, lower-case names).
pub(crate) fn server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || serve(stream));
        }
    });
    port
}

fn serve(stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let (mut lines, mut length) = (Vec::new(), 0usize);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end().to_string();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        lines.push(line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let target = lines
        .first()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/");
    let method = lines
        .first()
        .and_then(|l| l.split(' ').next())
        .unwrap_or("");
    let header = |name: &str| {
        (lines.iter().skip(1))
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            })
            .map_or(String::new(), |(_, v)| v.trim().to_string())
    };
    let mut out = stream;
    let (status, extra, body): (&str, String, Vec<u8>) = match target {
        "/hello" => (
            "200 OK",
            "content-type: text/plain\r\n".into(),
            b"hello\n".to_vec(),
        ),
        "/moved" => (
            "302 Found",
            "location: /hello\r\n".into(),
            b"moved\n".to_vec(),
        ),
        "/see-other" => ("303 See Other", "location: /echo\r\n".into(), Vec::new()),
        "/loop" => ("302 Found", "location: /loop\r\n".into(), Vec::new()),
        "/missing" => ("404 Not Found", String::new(), b"no such page\n".to_vec()),
        "/slow" => {
            let _ = out.write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n");
            while out.write_all(b"tick\n").and_then(|()| out.flush()).is_ok() {
                thread::sleep(Duration::from_millis(50));
            }
            return;
        }
        _ => {
            let mut echo = format!(
                "{method} {target}\ntype={}\nauth={}\nx-a={}\ncookie={}\nbody=",
                header("content-type"),
                header("authorization"),
                header("x-a"),
                header("cookie"),
            )
            .into_bytes();
            echo.extend_from_slice(&body);
            echo.push(b'\n');
            ("200 OK", String::new(), echo)
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n",
        body.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&body);
}

/// The invocations compared (`URL` is the server's origin).
const CASES: &[&[&str]] = &[
    &["-s", "URL/hello"],
    &["-s", "-i", "URL/hello"],
    &["-s", "-I", "URL/hello"],
    &["-sS", "URL/missing"],
    &["-sf", "URL/missing"],
    &["-s", "--fail-with-body", "URL/missing"],
    &["-s", "URL/moved"],
    &["-sL", "URL/moved"],
    &["-s", "-L", "-i", "URL/moved"],
    &["-sL", "--max-redirs", "3", "URL/loop"],
    &["-s", "-d", "a=1", "-d", "b=2", "URL/echo"],
    &["-s", "--data-urlencode", "q=a b&c", "URL/echo"],
    &["-s", "--data-binary", "@data.txt", "URL/echo"],
    &["-s", "-d", "@data.txt", "URL/echo"],
    &["-s", "--json", "{\"a\":1}", "URL/echo"],
    &["-s", "-G", "-d", "x=1", "-d", "y=2", "URL/echo?z=0"],
    &["-s", "-X", "DELETE", "URL/echo"],
    &["-s", "-T", "data.txt", "URL/put/"],
    &["-s", "-H", "X-A: 1", "-H", "Accept:", "URL/echo"],
    &["-s", "-u", "user:pw", "URL/echo"],
    &["-s", "-b", "a=1; b=2", "URL/echo"],
    &["-sL", "-d", "x=1", "URL/see-other"],
    &[
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{size_download}\\n",
        "URL/hello",
    ],
    &[
        "-sL",
        "-w",
        "%{http_code} %{num_redirects} %{url_effective}\\n",
        "URL/moved",
    ],
    &[
        "-s",
        "-w",
        "%{content_type}|%header{content-length}\\n",
        "URL/hello",
    ],
    &["-s", "-D", "-", "URL/hello"],
    &["-s", "URL/hello", "URL/echo"],
    &["-s", "http://127.0.0.1:1/"],
    &["--nonsense", "URL/hello"],
    &["-s"],
];

fn fixture() -> std::path::PathBuf {
    let dir = scratch("curl");
    std::fs::write(dir.join("data.txt"), "line one\r\nline two\n").unwrap();
    dir
}

/// `argv` in `dir` mounted at `/work` (its working directory), with loopback allowed.
fn in_work<I, S>(dir: &Path, argv: I) -> ExecSpec
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    ExecSpec::new(argv)
        .dir(dir.to_str().unwrap(), "/work")
        .cwd("/work")
        .allow_net("127.0.0.1")
}

fn argv(case: &[&str], origin: &str) -> Vec<String> {
    case.iter().map(|a| a.replace("URL", origin)).collect()
}

fn host_curl(dir: &Path, args: &[String]) -> (i32, Vec<u8>) {
    let out = Command::new("curl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the host's curl (ci/install-reference-tools installs it)");
    (out.status.code().unwrap_or(-1), out.stdout)
}

#[tokio::test]
async fn curl_answers_as_the_hosts_curl_does() {
    let port = server();
    let origin = format!("http://127.0.0.1:{port}");
    let dir = fixture();
    let sc = sidecar().await;
    let mut differ = Vec::new();
    for case in CASES {
        let args = argv(case, &origin);
        let expected = host_curl(dir.as_path(), &args);
        let spec = in_work(
            &dir,
            std::iter::once("curl".to_string()).chain(args.clone()),
        );
        let out = run(&sc, spec).await;
        let got = (out.status.code, out.stdout.clone());
        if got != expected {
            differ.push(format!(
                "curl {args:?}\n  host:  {} {:?}\n  agentos: {} {:?}\n  stderr: {}",
                expected.0,
                String::from_utf8_lossy(&expected.1),
                got.0,
                String::from_utf8_lossy(&got.1),
                stderr(&out)
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[tokio::test]
async fn curl_writes_the_body_to_the_file_o_names() {
    let port = server();
    let dir = fixture();
    let sc = sidecar().await;
    let url = format!("http://127.0.0.1:{port}/hello");
    let spec = in_work(&dir, ["curl", "-s", "-o", "got.txt", &url]);
    let out = run(&sc, spec).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    let got = std::fs::read_to_string(dir.as_path().join("got.txt")).unwrap();
    assert_eq!(got, "hello\n");
}

#[tokio::test]
async fn curl_form_sends_fields_and_files_as_multipart_parts() {
    let port = server();
    let dir = fixture();
    let sc = sidecar().await;
    let url = format!("http://127.0.0.1:{port}/echo");
    let spec = in_work(&dir, ["curl", "-s", "-F", "a=1", "-F", "f=@data.txt", &url]);
    let out = run(&sc, spec).await;
    let text = stdout(&out);
    let boundary = text
        .split("boundary=")
        .nth(1)
        .and_then(|b| b.lines().next())
        .unwrap_or_else(|| panic!("no boundary in {text}"));
    let a = "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
    let f = "Content-Disposition: form-data; name=\"f\"; filename=\"data.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nline one\r\nline two\n\r\n";
    let expected = format!("body=--{boundary}\r\n{a}--{boundary}\r\n{f}--{boundary}--\r\n");
    assert!(text.contains(&expected), "{text}");
}

#[tokio::test]
async fn curl_to_a_host_the_policy_denies_fails_naming_the_policy() {
    let port = server();
    let sc = sidecar().await;
    let url = format!("http://127.0.0.1:{port}/hello");
    let out = run(&sc, ExecSpec::new(["curl", "-sS", &url])).await;
    assert_eq!(out.status.code, 7);
    assert!(
        stderr(&out).contains("denied by network policy"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}

/// Runs `hostile` while a victim's `curl` fetches `/hello` beside it; the hostile exec's output.
async fn beside_a_victim(sc: &Sidecar, port: u16, hostile: ExecSpec) -> Output {
    let hostile = sc.exec(hostile).await.expect("accepted");
    let hello = format!("http://127.0.0.1:{port}/hello");
    let victim = run(
        sc,
        ExecSpec::new(["curl", "-s", &hello]).allow_net("127.0.0.1"),
    )
    .await;
    assert_eq!(stdout(&victim), "hello\n");
    hostile.output().await.expect("output")
}

#[tokio::test]
async fn an_endless_download_ends_at_max_time_beside_a_victim() {
    let port = server();
    let sc = sidecar().await;
    let slow = format!("http://127.0.0.1:{port}/slow");
    let hostile =
        ExecSpec::new(["curl", "-sS", "-m", "1", "-o", "/dev/null", &slow]).allow_net("127.0.0.1");
    let out = beside_a_victim(&sc, port, hostile).await;
    assert_eq!(out.status.code, 28, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Operation timed out after"),
        "{}",
        stderr(&out)
    );
}

/// A command that calls the HTTP imports with what no well-behaved binding sends: an unknown
/// handle (`EBADF`), a request outside its memory (`EFAULT`), reserved flags (`EINVAL`). It exits
/// 0 when every call was refused with exactly that errno.
fn hostile_http_module() -> Vec<u8> {
    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![id, u8::try_from(body.len()).unwrap()];
        out.extend_from_slice(body);
        out
    }
    fn name(text: &str) -> Vec<u8> {
        let mut out = vec![u8::try_from(text.len()).unwrap()];
        out.extend_from_slice(text.as_bytes());
        out
    }
    let i32s = |n: usize| std::iter::repeat_n(0x7f, n);
    let mut types = vec![4, 0x60, 8];
    types.extend(i32s(8));
    types.extend([1, 0x7f, 0x60, 4]);
    types.extend(i32s(4));
    types.extend([1, 0x7f, 0x60, 1, 0x7f, 0, 0x60, 0, 0]);
    let mut imports = vec![3];
    for (module, field, ty) in [
        ("agentos_v4", "http_request", 0),
        ("agentos_v4", "http_read", 1),
        ("wasi_snapshot_preview1", "proc_exit", 2),
    ] {
        imports.extend(name(module));
        imports.extend(name(field));
        imports.extend([0, ty]);
    }
    let mut exports = vec![2];
    exports.extend(name("memory"));
    exports.extend([2, 0]);
    exports.extend(name("_start"));
    exports.extend([0, 3]);
    let zero = [0x41, 0];
    let mut code = Vec::new();
    // http_read(999, 0, 16, 0) == EBADF (8)
    code.extend([
        0x41, 0xe7, 0x07, 0x41, 0, 0x41, 0x10, 0x41, 0, 0x10, 1, 0x41, 8, 0x46,
    ]);
    // http_request(0xffffff00, 4096, 0...) == EFAULT (21)
    code.extend([0x41, 0x80, 0x7e, 0x41, 0x80, 0x20]);
    code.extend(zero.repeat(6));
    code.extend([0x10, 0, 0x41, 21, 0x46, 0x71]);
    // http_request(0, 0, 0, 0, flags 255, 0, 0, 0) == EINVAL (28)
    code.extend(zero.repeat(4));
    code.extend([0x41, 0xff, 0x01]);
    code.extend(zero.repeat(3));
    code.extend([0x10, 0, 0x41, 28, 0x46, 0x71]);
    // proc_exit(all of them held ? 0 : 1)
    code.extend([0x45, 0x10, 2, 0x0b]);
    let mut body = vec![u8::try_from(code.len() + 1).unwrap(), 0];
    body.extend(code);
    let mut bodies = vec![1];
    bodies.extend(body);
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    module.extend(section(1, &types));
    module.extend(section(2, &imports));
    module.extend(section(3, &[1, 3]));
    module.extend(section(5, &[1, 0, 1]));
    module.extend(section(7, &exports));
    module.extend(section(10, &bodies));
    module
}

#[tokio::test]
async fn hostile_calls_of_the_http_imports_are_refused_with_errnos_beside_a_victim() {
    let port = server();
    let dir = fixture();
    let module = dir.join("hostile.wasm");
    std::fs::write(&module, hostile_http_module()).unwrap();
    let sc = sidecar().await;
    let hostile = ExecSpec::new([module.to_str().unwrap()]).allow_net("127.0.0.1");
    let out = beside_a_victim(&sc, port, hostile).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
}
