//! `ask` rules answered by the host: `NetRequest` events and `NetReply` verdicts through a real
//! sidecar, against a loopback server. An unanswered ask is denied at the operation's timeout; a
//! guest that floods asks is capped; replies after the fact are harmless.

use agentos_sdk::{ErrorCode, ExecHandle, NetLimits, NetRequest, Sidecar};

use crate::net_decode::{GzipServer, gzip};
use crate::support::{HANG, node, run, sidecar, stdout};

/// `node -e` fetching `url` once: prints the decoded body or `ERR <cause code> <cause message>`.
fn fetch_once(url: &str) -> String {
    format!(
        "fetch('{url}').then((r) => r.text()).then(console.log,
           (e) => console.log('ERR', e.cause && e.cause.code, e.cause && e.cause.message));"
    )
}

async fn next_ask(asks: &mut tokio::sync::mpsc::UnboundedReceiver<NetRequest>) -> NetRequest {
    tokio::time::timeout(HANG, asks.recv())
        .await
        .expect("no NetRequest came")
        .expect("the ask stream ended")
}

async fn output(exec: ExecHandle) -> agentos_sdk::Output {
    tokio::time::timeout(HANG, exec.output())
        .await
        .expect("exec hung")
        .expect("output")
}

/// Starts `fetch_once` of `server` under `rule` and `limits` (default fields: the sidecar's).
async fn start(sc: &Sidecar, server: &GzipServer, rule: &str, limits: NetLimits) -> ExecHandle {
    let spec = node(&fetch_once(&server.url()))
        .allow_net(rule.to_owned())
        .net_limits(limits);
    sc.exec(spec).await.expect("accepted")
}

/// Starts `code` under an ask rule for `server`, with this request timeout and room for many
/// connections.
async fn start_asking(
    sc: &Sidecar,
    server: &GzipServer,
    code: &str,
    timeout_ms: u64,
) -> ExecHandle {
    let limits = NetLimits {
        request_timeout_ms: timeout_ms,
        max_connections: 1000,
        ..NetLimits::default()
    };
    let spec = node(code)
        .allow_net(format!("ask:{}", server.rule()))
        .net_limits(limits);
    sc.exec(spec).await.expect("accepted")
}

#[tokio::test]
async fn an_ask_the_host_allows_connects_and_names_its_rule() {
    let server = GzipServer::start(gzip(b"asked and allowed"));
    let sc = sidecar().await;
    let rule = format!("ask:{}", server.rule());
    let exec = start(&sc, &server, &rule, NetLimits::default()).await;
    let mut asks = exec.net_requests().expect("ask stream");
    let ask = next_ask(&mut asks).await;
    assert_eq!(
        (ask.scheme.as_str(), ask.ip.as_str(), ask.method.as_str()),
        ("http", "127.0.0.1", "GET")
    );
    assert_eq!(ask.url, server.url());
    assert_eq!(ask.rule, rule);
    exec.net_reply(ask.net_request_id, true, "")
        .await
        .expect("reply");
    let out = output(exec).await;
    assert_eq!(stdout(&out), "asked and allowed\n");
    assert_eq!(out.status.net.expect("stats").denied, 0);
}

#[tokio::test]
async fn an_ask_the_host_refuses_is_a_denial_carrying_its_message() {
    let server = GzipServer::start(gzip(b"never seen"));
    let sc = sidecar().await;
    let rule = format!("ask:{}", server.rule());
    let exec = start(&sc, &server, &rule, NetLimits::default()).await;
    let mut asks = exec.net_requests().expect("ask stream");
    let ask = next_ask(&mut asks).await;
    exec.net_reply(ask.net_request_id, false, "not on my watch")
        .await
        .expect("reply");
    let out = output(exec).await;
    let text = stdout(&out);
    assert!(text.starts_with("ERR ECONNREFUSED"), "{text}");
    assert!(text.contains("not on my watch"), "{text}");
    assert_eq!(out.status.net.expect("stats").denied, 1);
    assert_eq!(out.status.net_denied.len(), 1);
    assert!(server.heads.lock().is_empty(), "the server was reached");
}

#[tokio::test]
async fn an_unanswered_ask_is_denied_at_the_request_timeout() {
    let server = GzipServer::start(gzip(b"never seen"));
    let sc = sidecar().await;
    let limits = NetLimits {
        request_timeout_ms: 300,
        ..NetLimits::default()
    };
    let exec = start(&sc, &server, &format!("ask:{}", server.rule()), limits).await;
    let out = output(exec).await;
    assert!(
        stdout(&out).starts_with("ERR ETIMEDOUT"),
        "{}",
        stdout(&out)
    );
    assert!(out.status.success(), "{:?}", out.status);
}

#[tokio::test]
async fn ask_unmatched_never_asks_about_loopback() {
    let server = GzipServer::start(gzip(b"never seen"));
    let sc = sidecar().await;
    let spec = node(&fetch_once(&server.url()))
        .allow_net("example.com")
        .net_ask_unmatched();
    let exec = sc.exec(spec).await.expect("accepted");
    let mut asks = exec.net_requests().expect("ask stream");
    let out = output(exec).await;
    assert!(
        stdout(&out).starts_with("ERR ECONNREFUSED"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("loopback"), "{}", stdout(&out));
    assert!(
        asks.try_recv().is_err(),
        "the host was asked about loopback"
    );
}

#[tokio::test]
async fn a_guest_flooding_asks_is_capped_and_a_calm_exec_runs_beside_it() {
    let server = GzipServer::start(gzip(b"x"));
    let sc = sidecar().await;
    let code = format!(
        "const all = []; for (let i = 0; i < 600; i++) all.push(fetch('{}'));
         Promise.allSettled(all).then((d) => console.log(d.filter((x) => x.status === 'rejected').length));",
        server.url()
    );
    let hostile = start_asking(&sc, &server, &code, 2000).await;
    let mut asks = hostile.net_requests().expect("ask stream");
    let calm = run(&sc, node("console.log('calm')")).await;
    assert_eq!(stdout(&calm), "calm\n");
    let out = output(hostile).await;
    assert_eq!(stdout(&out), "600\n");
    let mut asked = 0;
    while asks.try_recv().is_ok() {
        asked += 1;
    }
    assert!(asked > 0 && asked <= 256, "{asked} asks reached the host");
}

#[tokio::test]
async fn replies_for_unknown_requests_or_ended_execs_are_harmless() {
    let server = GzipServer::start(gzip(b"late"));
    let sc = sidecar().await;
    let rule = format!("ask:{}", server.rule());
    let exec = start(&sc, &server, &rule, NetLimits::default()).await;
    let mut asks = exec.net_requests().expect("ask stream");
    let ask = next_ask(&mut asks).await;
    // An id that was never asked: ignored; the real one still works.
    exec.net_reply(ask.net_request_id + 1000, true, "")
        .await
        .expect("ignored");
    exec.net_reply(ask.net_request_id, true, "")
        .await
        .expect("reply");
    exec.net_reply(ask.net_request_id, false, "twice")
        .await
        .expect("ignored");
    let id = ask.net_request_id;
    let status = exec.wait().await.expect("status");
    assert!(status.success(), "{status:?}");
    // The exit event was queued while the exec was still in the registry and it left the
    // registry before anyone could look it up again: a reply now names no exec.
    let late = exec.net_reply(id, true, "").await;
    let code = late.as_ref().err().and_then(|e| e.code());
    assert_eq!(code, Some(ErrorCode::UnknownExec), "{late:?}");
    assert_eq!(
        stdout(&run(&sc, node("console.log('alive')")).await),
        "alive\n"
    );
}

#[tokio::test]
async fn asks_that_timed_out_free_their_places_for_new_ones() {
    let server = GzipServer::start(gzip(b"later"));
    let sc = sidecar().await;
    // 300 asks time out unanswered (the table holds 256), then one more must still be asked.
    let code = format!(
        "const url = '{}'; const all = [];
         for (let i = 0; i < 300; i++) all.push(fetch(url).catch(() => {{}}));
         Promise.all(all).then(() => fetch(url)).then((r) => r.text()).then(console.log,
           (e) => console.log('ERR', e.cause && e.cause.message));",
        server.url()
    );
    let exec = start_asking(&sc, &server, &code, 1000).await;
    let mut asks = exec.net_requests().expect("ask stream");
    let mut seen = 0;
    let last = loop {
        let ask = next_ask(&mut asks).await;
        seen += 1;
        if seen > 256 {
            break ask;
        }
    };
    exec.net_reply(last.net_request_id, true, "")
        .await
        .expect("reply");
    assert_eq!(stdout(&output(exec).await), "later\n");
}

/// Asks every reply allows, until `n` came: their ids.
async fn allow_asks(exec: &ExecHandle, n: usize) -> Vec<u64> {
    let mut asks = exec.net_requests().expect("ask stream");
    let mut ids = Vec::new();
    while ids.len() < n {
        let ask = next_ask(&mut asks).await;
        ids.push(ask.net_request_id);
        exec.net_reply(ask.net_request_id, true, "")
            .await
            .expect("reply");
    }
    ids
}

#[tokio::test]
async fn asks_of_a_guest_and_its_child_process_have_their_own_ids_and_answers() {
    let server = GzipServer::start(gzip(b"asked and allowed"));
    let sc = sidecar().await;
    let child = fetch_once(&server.url());
    let code = format!(
        "{}\nrequire('child_process').execFile('node', ['-e', {child:?}], (e, out) => process.stdout.write(out));",
        fetch_once(&server.url())
    );
    let exec = sc
        .exec(node(&code).allow_net(format!("ask:{}", server.rule())))
        .await
        .expect("accepted");
    let ids = allow_asks(&exec, 2).await;
    assert_ne!(ids[0], ids[1], "two questions under one id");
    let out = output(exec).await;
    assert_eq!(stdout(&out), "asked and allowed\nasked and allowed\n");
}

#[tokio::test]
async fn an_ask_from_a_guest_of_a_script_is_answered() {
    let server = GzipServer::start(gzip(b"asked and allowed"));
    let sc = sidecar().await;
    let spec = agentos_sdk::ExecSpec::new(["sh", "-c", "node -e \"$CODE\""])
        .env("CODE", fetch_once(&server.url()))
        .allow_net(format!("ask:{}", server.rule()));
    let exec = sc.exec(spec).await.expect("accepted");
    allow_asks(&exec, 1).await;
    let out = output(exec).await;
    assert_eq!(stdout(&out), "asked and allowed\n");
}
