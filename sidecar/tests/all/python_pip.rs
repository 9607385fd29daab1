//! `python3 -m pip` and the `pip` command in the sandbox (the pinned wheel beside the stdlib,
//! `python/lib/_agentos_pip.py`): it installs a package from an index on loopback (a hand-made
//! wheel) with `--target`, and the program imports it through `PYTHONPATH`; without `--target` it
//! installs to the user site under `HOME`, which later programs search, with its console script
//! executable; with nowhere writable it says where packages can go; an index the policy does not
//! allow fails naming the rule while a victim beside it finishes.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread;

use agentos_sdk::{ExecSpec, Sidecar};

use crate::python::{in_dir, py, py_c, run};
use crate::support::{scratch, sidecar, stderr, stdout};

/// The wheel's file name.
const WHEEL: &str = "tiny_answer-1.0-py3-none-any.whl";

/// `tiny-answer` 1.0, a wheel of one module (`ANSWER = 42`) and a console script printing it
/// (`tiny-answer`), made by the host's python3.
fn wheel(dir: &Path) -> Vec<u8> {
    let script = "import sys, zipfile\n\
        with zipfile.ZipFile(sys.argv[1], 'w') as z:\n    \
            z.writestr('tiny_answer/__init__.py', 'ANSWER = 42\\ndef main():\\n    print(ANSWER)\\n')\n    \
            z.writestr('tiny_answer-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: tiny-answer\\nVersion: 1.0\\n')\n    \
            z.writestr('tiny_answer-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n    \
            z.writestr('tiny_answer-1.0.dist-info/entry_points.txt', '[console_scripts]\\ntiny-answer = tiny_answer:main\\n')\n    \
            z.writestr('tiny_answer-1.0.dist-info/RECORD', 'tiny_answer/__init__.py,,\\ntiny_answer-1.0.dist-info/METADATA,,\\ntiny_answer-1.0.dist-info/WHEEL,,\\ntiny_answer-1.0.dist-info/entry_points.txt,,\\ntiny_answer-1.0.dist-info/RECORD,,\\n')\n";
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
    index_of(vec![("tiny-answer", WHEEL.to_owned(), wheel)])
}

/// A file of an index: (its project, its file name, its bytes).
type IndexFile = (&'static str, String, Vec<u8>);

/// A simple index (PEP 503) on loopback serving `files`; its port.
fn index_of(files: Vec<IndexFile>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let files = std::sync::Arc::new(files);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let files = files.clone();
            thread::spawn(move || serve(stream, &files));
        }
    });
    port
}

fn serve(stream: TcpStream, files: &[IndexFile]) {
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
    let link = |name: &String| format!("<a href=\"/files/{name}\">{name}</a>");
    let page = files
        .iter()
        .find(|(project, ..)| path == format!("/simple/{project}/"));
    let page = page.map(|(_, name, _)| format!("<html><body>{}</body></html>", link(name)));
    let file = files
        .iter()
        .find(|(_, name, _)| path == format!("/files/{name}"));
    let (kind, body): (&str, &[u8]) = match (&page, file) {
        (Some(page), _) => ("text/html", page.as_bytes()),
        (None, Some((_, _, bytes))) => ("application/octet-stream", bytes),
        (None, None) => ("text/plain", b"".as_slice()),
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

/// `PROGRAM... install` of `package` from the index at `port` with `options`.
fn install_argv(program: &[&str], port: u16, options: &[&str], package: &str) -> Vec<String> {
    let url = format!("http://127.0.0.1:{port}/simple");
    let install = ["install", "--retries", "1", "--index-url", &url];
    let words = [program, &install[..], options, &[package]].concat();
    words.into_iter().map(str::to_owned).collect()
}

fn pip_install(port: u16, dir: &Path) -> ExecSpec {
    let argv = install_argv(
        &["python3", "-m", "pip"],
        port,
        &["--target", "/site"],
        "tiny-answer",
    );
    in_dir(
        py(&argv.iter().map(String::as_str).collect::<Vec<_>>()),
        dir,
    )
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

/// `pip install PACKAGE` (the command) from the index at `port`, in `dir` (mounted at `/`),
/// with `env`.
fn pip_command(port: u16, dir: &Path, package: &str, env: &[(&str, &str)]) -> ExecSpec {
    let argv = install_argv(&["pip"], port, &[], package);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let spec = env
        .iter()
        .fold(in_dir(py(&argv), dir), |s, (k, v)| s.env(*k, *v));
    spec.allow_net(format!("127.0.0.1:{port}"))
}

/// `pip install tiny-answer` with `HOME=/home` (a writable mount) in a fresh directory named
/// for `name`: the directory, the sidecar, and what pip printed (it succeeded).
async fn installed_under_home(name: &str) -> (std::path::PathBuf, Sidecar, String) {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("home")).expect("home");
    let port = index(wheel(&dir));
    let sc = sidecar().await;
    let out = run(
        &sc,
        pip_command(port, &dir, "tiny-answer", &[("HOME", "/home")]),
    )
    .await;
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code, 0, "{text}");
    (dir, sc, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn pip_installs_to_the_user_site_under_home_and_later_programs_import_it() {
    let (dir, sc, text) = installed_under_home("py-pip-user").await;
    assert!(text.contains("Defaulting to user installation"), "{text}");
    let site = dir.join("home/.local/lib/python3.15/site-packages");
    assert!(site.join("tiny_answer/__init__.py").is_file(), "{text}");
    assert_eq!(answer_under_home(&sc, &dir, "tiny_answer").await, "42\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn pip_makes_a_console_script_the_shell_runs_by_name() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, sc, _) = installed_under_home("py-pip-script").await;
    let script = dir.join("home/.local/bin/tiny-answer");
    let mode = std::fs::metadata(&script)
        .expect("script")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755, "{mode:o}");
    let sh = ["sh", "-c", "PATH=$PATH:/home/.local/bin; tiny-answer"];
    let out = run(&sc, in_dir(py(&sh), &dir).env("HOME", "/home")).await;
    assert_eq!(stdout(&out), "42\n", "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn pip_with_nowhere_writable_says_where_packages_can_go() {
    let dir = scratch("py-pip-nowhere");
    let port = index(wheel(&dir));
    let sc = sidecar().await;
    let out = run(&sc, pip_command(port, &dir, "tiny-answer", &[])).await;
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code, 1, "{text}");
    assert!(text.contains("Read-only file system"), "{text}");
    assert!(text.contains("set HOME to a writable directory"), "{text}");
    assert!(text.contains("--target DIR"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pip_against_an_https_index_does_not_warn_that_ssl_is_missing() {
    let dir = scratch("py-pip-https");
    let sc = sidecar().await;
    let argv = [
        "pip",
        "download",
        "--retries",
        "0",
        "--index-url",
        "https://127.0.0.1:9/simple",
        "tiny-answer",
    ];
    let out = run(&sc, in_dir(py(&argv), &dir)).await;
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_ne!(out.status.code, 0, "{text}");
    assert!(text.contains("Looking in indexes: https://"), "{text}");
    assert!(!text.contains("ssl module"), "{text}");
}

/// The door's `chmod` (runner-js/js/33_wasi_door_fs.js) given what a hostile program would send.
const BAD_CHMOD: &str = r#"
import _agentos_door as door
frames = [
    {"path": "/f", "mode": 0o4755},
    {"path": "/f", "mode": 1 << 40},
    {"path": "/f", "mode": -1},
    {"path": "f", "mode": 0o644},
    {"path": "/f\0x", "mode": 0o644},
    {"path": "/nowhere/f", "mode": 0o644},
    {"path": "/usr/local/lib/pip.whl", "mode": 0o644},
    {"path": "/../../../etc/passwd", "mode": 0o644},
    {"fd": 1 << 40, "mode": 0o644},
    {"fd": 999, "mode": 0o644},
    {"mode": 0o644},
    {"path": ["/f"], "mode": "0o644"},
]
for fields in frames:
    head, _ = door.call("chmod", fields)
    print(head.get("errno", "ok"))
door.chmod("/f", 0o700)
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_door_chmod_refuses_what_a_hostile_program_sends_while_a_victim_finishes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("py-chmod-hostile");
    std::fs::write(dir.join("f"), "x").expect("f");
    let sc = sidecar().await;
    let victim = py_c("import json; print(json.dumps([1]))");
    let hostile = in_dir(py_c(BAD_CHMOD), &dir);
    let (out, victim) = tokio::join!(run(&sc, hostile), run(&sc, victim));
    assert_eq!(stdout(&victim), "[1]\n", "{}", stderr(&victim));
    let want = "EPERM\nEINVAL\nEINVAL\nEINVAL\nEINVAL\nENOENT\nEROFS\nENOENT\nEBADF\nEBADF\nEINVAL\nEINVAL\n";
    assert_eq!(stdout(&out), want, "{}", stderr(&out));
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    let mode = std::fs::metadata(dir.join("f"))
        .expect("f")
        .permissions()
        .mode();
    assert_eq!(mode & 0o7777, 0o700, "{mode:o}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pip_builds_a_source_distribution_with_a_backend_from_the_index() {
    let dir = scratch("py-pip-sdist");
    std::fs::create_dir_all(dir.join("home")).expect("home");
    let made = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/all/python/make_sdist.py"
        ))
        .arg(&dir)
        .status()
        .expect("the host's python3");
    assert!(made.success());
    let read = |name: &str| std::fs::read(dir.join(name)).expect(name);
    let backend = "tiny_backend-1.0-py3-none-any.whl".to_owned();
    let sdist = "tiny_sdist-1.0.tar.gz".to_owned();
    let port = index_of(vec![
        ("tiny-backend", backend.clone(), read(&backend)),
        ("tiny-sdist", sdist.clone(), read(&sdist)),
    ]);
    let sc = sidecar().await;
    let spec = pip_command(port, &dir, "tiny-sdist", &[("HOME", "/home")]);
    let out = run(&sc, spec).await;
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code, 0, "{text}");
    assert!(text.contains("Successfully built tiny-sdist"), "{text}");
    assert_eq!(answer_under_home(&sc, &dir, "tiny_sdist").await, "43\n");
}

/// What `import MODULE; print(MODULE.ANSWER)` prints with `HOME=/home` in `dir`.
async fn answer_under_home(sc: &Sidecar, dir: &Path, module: &str) -> String {
    let code = format!("import {module}; print({module}.ANSWER)");
    let out = run(sc, in_dir(py_c(&code), dir).env("HOME", "/home")).await;
    format!("{}{}", stdout(&out), stderr(&out))
}
