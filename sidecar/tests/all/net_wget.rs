//! `wget` (a WASI command over the `agentos_v4.http_*` imports) beside the host's GNU Wget: the
//! same invocations against net_curl's loopback server, each in its own copy of a small tree,
//! comparing the exit code, stdout and the files left; then an endless download and the
//! network policy, each beside a victim.

use std::path::{Path, PathBuf};
use std::process::Command;

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::commands_diff::fixture::snapshot;
use crate::net_curl::server;
use crate::support::{beside_a_victim, run, scratch, sidecar, stderr, stdout, typed};

/// The invocations compared (`URL` is the server's origin).
const CASES: &[&[&str]] = &[
    &["URL/hello"],
    &["-q", "URL/hello", "URL/hello"],
    &["-qO-", "URL/hello"],
    &["-q", "-O", "out.txt", "URL/hello", "URL/echo"],
    &["-q", "-O", "-", "URL/moved"],
    &["-q", "URL/moved"],
    &["-q", "URL/missing"],
    &["-q", "-O", "kept.txt", "URL/missing"],
    &["-q", "--content-on-error", "-O", "-", "URL/missing"],
    &["-q", "-O", "-", "--post-data", "a=1&b=2", "URL/echo"],
    &["-q", "-O", "-", "--post-file", "data.txt", "URL/echo"],
    &["-q", "-O", "-", "--header", "X-A: 1", "URL/echo"],
    &["-q", "-O", "-", "--method", "DELETE", "URL/echo"],
    &["-q", "-O", "-", "--post-data", "x=1", "URL/see-other"],
    &["-q", "-nc", "URL/hello"],
    &["-q", "-c", "URL/hello"],
    &["-q", "-P", "downloads/new", "URL/hello"],
    &["-q", "-O", "-", "--max-redirect", "2", "URL/loop"],
    &["-q", "URL/echo/"],
    &["-q", "http://127.0.0.1:1/"],
    &["--nonsense", "URL/hello"],
    &["-q"],
];

/// A tree for one side of one case: a file to post, and a `hello` already there.
fn tree(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("data.txt"), "line one\nline two\n").expect("write");
    std::fs::write(dir.join("hello"), "old\n").expect("write");
    dir
}

fn argv(case: &[&str], origin: &str) -> Vec<String> {
    case.iter().map(|a| a.replace("URL", origin)).collect()
}

fn host_wget(dir: &Path, args: &[String]) -> (i32, Vec<u8>) {
    let out = Command::new("wget")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .output()
        .expect("the host's wget (ci/install-reference-tools installs it)");
    (out.status.code().unwrap_or(-1), out.stdout)
}

#[tokio::test]
async fn wget_fetches_as_the_hosts_wget_does() {
    let port = server();
    let origin = format!("http://127.0.0.1:{port}");
    let sc = sidecar().await;
    let mut differ = Vec::new();
    for case in CASES {
        let args = argv(case, &origin);
        let (theirs, ours) = (tree("wget-host"), tree("wget-guest"));
        let (code, out) = host_wget(&theirs, &args);
        let mut full = vec!["wget".to_owned()];
        full.extend(args.iter().cloned());
        let spec = ExecSpec::new(full)
            .dir(ours.to_str().expect("utf-8"), "/work")
            .cwd("/work")
            .allow_net("127.0.0.1");
        let guest = run(&sc, spec).await;
        let same = (guest.status.code, &guest.stdout) == (code, &out)
            && snapshot(&ours) == snapshot(&theirs);
        if !same {
            differ.push(format!(
                "wget {}\n  host  {code}: {:?}\n  guest {}: {:?}\n  stderr: {}\n  host tree {:?}\n  guest tree {:?}",
                case.join(" "),
                String::from_utf8_lossy(&out),
                guest.status.code,
                stdout(&guest),
                stderr(&guest),
                snapshot(&theirs),
                snapshot(&ours),
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[tokio::test]
async fn an_endless_download_to_stdout_ends_at_the_output_limit_beside_a_victim() {
    let port = server();
    let slow = format!("http://127.0.0.1:{port}/slow");
    let sc = sidecar().await;
    let hostile = ExecSpec::new(["wget", "-q", "-O", "-", &slow])
        .allow_net("127.0.0.1")
        .max_output_bytes(200);
    let out = beside_a_victim(&sc, hostile).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::OutputLimit, "{message}");
    assert!(stdout(&out).starts_with("tick\ntick\n"), "{}", stdout(&out));
}

#[tokio::test]
async fn a_host_the_policy_does_not_name_is_refused_with_wgets_network_status() {
    let port = server();
    let hello = format!("http://127.0.0.1:{port}/hello");
    let sc = sidecar().await;
    let out = beside_a_victim(&sc, ExecSpec::new(["wget", "-O", "-", &hello])).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (4, ""),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("network policy"), "{}", stderr(&out));
}
