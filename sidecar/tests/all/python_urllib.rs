//! Python's `urllib.request` through the exec's network (`python/lib/_agentos_http.py` over the
//! door's `http_*` ops): the same script against one loopback server prints the same as under
//! the host's own python3; the policy's refusals and the exec's limits end it with clear errors
//! while a victim beside it finishes.

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::net_curl::server;
use crate::python::{prints_what_the_host_prints, py_c, run};
use crate::shell::error_code;
use crate::support::{scratch, sidecar, stderr, stdout};

/// The differential script, beside this file.
const DIFF_SCRIPT: &str = include_str!("python/urllib_diff.py");

/// Runs `hostile` beside a Python victim that fetches from `origin` itself.
async fn beside_a_fetching_victim(sc: &Sidecar, hostile: ExecSpec, origin: &str) -> Output {
    let code =
        format!("import urllib.request; print(urllib.request.urlopen('{origin}/hello').read())");
    let rule = origin.trim_start_matches("http://").to_string();
    let victim = py_c(&code).allow_net(&rule);
    let (out, victim) = tokio::join!(run(sc, hostile), run(sc, victim));
    assert_eq!(
        (victim.status.code, stdout(&victim).as_str()),
        (0, "b'hello\\n'\n"),
        "victim: {victim:?} {}",
        stderr(&victim)
    );
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn urllib_prints_what_the_host_python_prints_against_the_same_server() {
    let origin = format!("http://127.0.0.1:{}", server());
    let dir = scratch("py-urllib");
    std::fs::write(dir.join("urllib_diff.py"), DIFF_SCRIPT).expect("script");
    let sc = sidecar().await;
    let rule = origin.trim_start_matches("http://");
    let args = ["urllib_diff.py", origin.as_str()];
    prints_what_the_host_prints(&sc, &args, (&dir, &dir), &[rule]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_the_policy_does_not_allow_is_a_url_error_naming_the_rule() {
    let origin = format!("http://127.0.0.1:{}", server());
    let sc = sidecar().await;
    let code = format!(
        "import urllib.request, urllib.error\n\
         try:\n    urllib.request.urlopen('{origin}/hello')\n\
         except urllib.error.URLError as e:\n    print(type(e.reason).__name__, e.reason)"
    );
    let out = beside_a_fetching_victim(&sc, py_c(&code), &origin).await;
    let text = stdout(&out);
    assert!(
        text.starts_with("ConnectionRefusedError ") && text.contains("no rule names it"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_never_ends_is_stopped_by_the_exec_timeout() {
    let origin = format!("http://127.0.0.1:{}", server());
    let sc = sidecar().await;
    let code = format!("import urllib.request; urllib.request.urlopen('{origin}/slow').read()");
    let rule = origin.trim_start_matches("http://").to_string();
    let spec = py_c(&code).allow_net(&rule).timeout_ms(3_000);
    let out = beside_a_fetching_victim(&sc, spec, &origin).await;
    assert_eq!(error_code(&out), Some(ErrorCode::Timeout), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn door_http_frames_with_bad_handles_or_fields_get_typed_answers() {
    let origin = format!("http://127.0.0.1:{}", server());
    let sc = sidecar().await;
    for (frame, want) in [
        (r#"{"agentos":1,"op":"http_read","handle":99}"#, "EBADF"),
        (
            r#"{"agentos":1,"op":"http_response","handle":-1}"#,
            "EINVAL",
        ),
        (r#"{"agentos":1,"op":"http_close","handle":7}"#, "EBADF"),
        (
            r#"{"agentos":1,"op":"http_request","method":"GET"}"#,
            "EINVAL",
        ),
        (
            r#"{"agentos":1,"op":"http_request","method":"GET","url":"http://x/","headers":[["a"]]}"#,
            "EINVAL",
        ),
    ] {
        let code = format!(
            "import _host\na = _host.call(b'{frame}\\0')\nprint(a[:a.index(b'\\0')].decode())"
        );
        let out = beside_a_fetching_victim(&sc, py_c(&code), &origin).await;
        assert!(
            stdout(&out).starts_with(&format!("{{\"errno\":\"{want}\"")),
            "{frame}: {} {}",
            stdout(&out),
            stderr(&out)
        );
    }
}
