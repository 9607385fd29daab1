//! `python3 -m pip` in the sandbox (the pinned wheel beside the stdlib, `python/lib/_agentos_pip.py`):
//! it installs a package from an index on loopback (a hand-made wheel) with `--target`, and the
//! program imports it through `PYTHONPATH`; an index the policy does not allow fails naming the
//! rule while a victim beside it finishes.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread;

use agentos_sdk::{ExecSpec, Sidecar};

use crate::python::{in_dir, py, py_c, run};
use crate::support::{scratch, sidecar, stderr, stdout};

/// The wheel's file name.
const WHEEL: &str = "tiny_answer-1.0-py3-none-any.whl";

/// `tiny-answer` 1.0, a wheel of one module (`ANSWER = 42`), made by the host's python3.
fn wheel(dir: &Path) -> Vec<u8> {
    let script = "import sys, zipfile\n\
        with zipfile.ZipFile(sys.argv[1], 'w') as z:\n    \
            z.writestr('tiny_answer/__init__.py', 'ANSWER = 42\\n')\n    \
            z.writestr('tiny_answer-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: tiny-answer\\nVersion: 1.0\\n')\n    \
            z.writestr('tiny_answer-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n    \
            z.writestr('tiny_answer-1.0.dist-info/RECORD', 'tiny_answer/__init__.py,,\\ntiny_answer-1.0.dist-info/METADATA,,\\ntiny_answer-1.0.dist-info/WHEEL,,\\ntiny_answer-1.0.dist-info/RECORD,,\\n')\n";
    let path = dir.join(WHEEL);
    let made = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().expect("path")])
        .status()
        .expect("the host's python3");
    assert!(made.success());
    std::fs::read(path).expect("wheel")
}

/// A simple index (PEP 503) on loopback serving `tiny-answer`; its port.
fn index(wheel: Vec<u8>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let wheel = std::sync::Arc::new(wheel);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let wheel = wheel.clone();
            thread::spawn(move || serve(stream, &wheel));
        }
    });
    port
}

fn serve(stream: TcpStream, wheel: &[u8]) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request = String::new();
    if reader.read_line(&mut request).unwrap_or(0) == 0 {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 2 {
        line.clear();
    }
    let path = request.split(' ').nth(1).unwrap_or("/");
    let page = format!("<html><body><a href=\"/files/{WHEEL}\">{WHEEL}</a></body></html>");
    let (kind, body): (&str, &[u8]) = match path {
        "/simple/tiny-answer/" => ("text/html", page.as_bytes()),
        p if p == format!("/files/{WHEEL}") => ("application/octet-stream", wheel),
        _ => ("text/plain", b"".as_slice()),
    };
    let status = if body.is_empty() {
        "404 Not Found"
    } else {
        "200 OK"
    };
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let mut out = stream;
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body);
}

fn pip_install(port: u16, dir: &Path) -> ExecSpec {
    let url = format!("http://127.0.0.1:{port}/simple");
    let argv = [
        "python3",
        "-m",
        "pip",
        "install",
        "--retries",
        "1",
        "--index-url",
        &url,
        "--target",
        "/site",
        "tiny-answer",
    ];
    in_dir(py(&argv), dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn pip_installs_a_wheel_from_an_index_and_the_program_imports_it() {
    let dir = scratch("py-pip");
    let port = index(wheel(&dir));
    let sc = sidecar().await;
    let out = run(
        &sc,
        pip_install(port, &dir).allow_net(format!("127.0.0.1:{port}")),
    )
    .await;
    assert_eq!(out.status.code, 0, "{} {}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Successfully installed tiny-answer-1.0"),
        "{}",
        stdout(&out)
    );
    assert!(dir.join("site/tiny_answer/__init__.py").is_file());
    let import = in_dir(py_c("import tiny_answer; print(tiny_answer.ANSWER)"), &dir)
        .env("PYTHONPATH", "/site");
    let out = run(&sc, import).await;
    assert_eq!(stdout(&out), "42\n", "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn pip_against_an_index_the_policy_does_not_allow_fails_naming_the_rule() {
    let dir = scratch("py-pip-denied");
    let port = index(wheel(&dir));
    let sc: Sidecar = sidecar().await;
    let victim = py_c("import json; print(json.dumps([1]))");
    let (out, victim) = tokio::join!(run(&sc, pip_install(port, &dir)), run(&sc, victim));
    assert_eq!(stdout(&victim), "[1]\n", "{}", stderr(&victim));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_ne!(out.status.code, 0, "{text}");
    assert!(text.contains("denied by network policy"), "{text}");
    assert!(!dir.join("site/tiny_answer").exists());
}
