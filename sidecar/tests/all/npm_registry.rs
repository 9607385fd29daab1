//! `npm install` through the exec's network against a registry this test serves on loopback
//! (one package, its packument and tarball): the package lands in `node_modules`, the lock file
//! is written, and the installed code runs; without a rule for the registry, npm fails with
//! its own error naming the policy.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;

use agentos_sdk::ExecSpec;

use crate::net_decode::gzip;
use crate::support::{node, run, scratch, sidecar, stderr, stdout};

/// One ustar entry of `data` at `name`.
fn tar_entry(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    let mut header = [0u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    header[100..107].copy_from_slice(b"0000644");
    header[108..115].copy_from_slice(b"0000000");
    header[116..123].copy_from_slice(b"0000000");
    header[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
    header[136..147].copy_from_slice(b"00000000000");
    header[156] = b'0';
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
    header[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

/// The tarball of `tiny-answer@1.0.0`: `module.exports = 42`.
fn tarball() -> Vec<u8> {
    let mut tar = Vec::new();
    let manifest = br#"{"name":"tiny-answer","version":"1.0.0","main":"index.js"}"#;
    tar_entry(&mut tar, "package/package.json", manifest);
    tar_entry(&mut tar, "package/index.js", b"module.exports = 42;\n");
    tar.resize(tar.len() + 1024, 0);
    gzip(&tar)
}

/// A registry on 127.0.0.1 serving `tiny-answer`; its origin.
fn registry() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("addr").port()
    );
    let packument = format!(
        r#"{{"name":"tiny-answer","dist-tags":{{"latest":"1.0.0"}},"versions":{{"1.0.0":{{"name":"tiny-answer","version":"1.0.0","main":"index.js","dist":{{"tarball":"{origin}/tiny-answer/-/tiny-answer-1.0.0.tgz"}}}}}}}}"#
    );
    let tgz = tarball();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            answer(stream, &packument, &tgz);
        }
    });
    origin
}

fn answer(stream: TcpStream, packument: &str, tgz: &[u8]) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut first = String::new();
    let _ = reader.read_line(&mut first);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/");
    let (status, kind, body): (&str, &str, &[u8]) = match path {
        "/tiny-answer" => ("200 OK", "application/json", packument.as_bytes()),
        "/tiny-answer/-/tiny-answer-1.0.0.tgz" => ("200 OK", "application/octet-stream", tgz),
        _ => ("404 Not Found", "application/json", b"{}"),
    };
    let mut out = stream;
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body);
}

fn project(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("proj")).expect("proj");
    std::fs::create_dir_all(dir.join("home")).expect("home");
    std::fs::write(
        dir.join("proj/package.json"),
        r#"{"name":"p","version":"1.0.0"}"#,
    )
    .expect("package.json");
    dir
}

fn install(dir: &std::path::Path, origin: &str) -> ExecSpec {
    ExecSpec::new(["npm", "install", "--registry", origin, "tiny-answer"])
        .dir(dir.join("proj").to_str().unwrap(), "/proj")
        .dir(dir.join("home").to_str().unwrap(), "/home")
        .cwd("/proj")
        .env("HOME", "/home")
        .timeout_ms(60_000)
}

#[tokio::test(flavor = "multi_thread")]
async fn npm_install_fetches_unpacks_and_locks_a_package_from_the_registry() {
    let origin = registry();
    let dir = project("npm-install");
    let sc = sidecar().await;
    let spec = install(&dir, &origin).allow_net(origin.trim_start_matches("http://"));
    let out = run(&sc, spec).await;
    assert_eq!(out.status.code, 0, "{out:?} {}", stderr(&out));
    assert!(stdout(&out).contains("added 1 package"), "{}", stdout(&out));
    let lock = std::fs::read_to_string(dir.join("proj/package-lock.json")).expect("lock file");
    assert!(lock.contains("\"node_modules/tiny-answer\""), "{lock}");
    let manifest = std::fs::read_to_string(dir.join("proj/package.json")).expect("package.json");
    assert!(manifest.contains(r#""tiny-answer":"^1.0.0""#), "{manifest}");
    let used = node("console.log(require('tiny-answer'))")
        .dir(dir.join("proj").to_str().unwrap(), "/proj")
        .cwd("/proj");
    assert_eq!(stdout(&run(&sc, used).await), "42\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn npm_install_without_a_rule_fails_naming_the_policy() {
    let origin = registry();
    let dir = project("npm-install-denied");
    let sc = sidecar().await;
    let out = run(
        &sc,
        install(&dir, &origin).env("npm_config_fetch_retries", "0"),
    )
    .await;
    assert_eq!(out.status.code, 1, "{out:?}");
    assert!(
        stderr(&out).contains("denied by network policy"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("proj/node_modules/tiny-answer").exists());
}
