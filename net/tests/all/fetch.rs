//! The HTTP client under the policy: allowed and denied requests, redirects, secrets, asking the
//! host, TLS.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use agentos_net::{
    DenialCause, ExecNetSpec, HttpRequest, NetError, Policy, Reason, RedirectMode, RequestBody,
    Secret, Secrets, StaticResolver,
};
use bytes::Bytes;

use crate::support::*;

#[test]
fn allowed_fetch_streams_a_large_body() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/bytes/3000000"));
    assert!(o.ok(), "{:?}", o.result);
    assert_eq!(o.status(), 200);
    assert!(o.ended);
    assert_eq!(o.body.len(), 3_000_000);
    let stats = exec.net.stats();
    assert_eq!(stats.requests, 1);
    assert!(stats.bytes_in >= 3_000_000, "{stats:?}");
}

#[test]
fn body_arrives_in_window_sized_chunks_while_the_guest_consumes() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    let id = exec
        .net
        .fetch(get(&srv.url("127.0.0.1", "/bytes/2000000")))
        .expect("fetch");
    // Consume nothing: delivery must stop at about one read window.
    let mut seen = 0usize;
    while let Ok(e) = exec.rx.recv_timeout(std::time::Duration::from_millis(300)) {
        if let agentos_net::NetEvent::Data { chunk, .. } = e {
            seen += chunk.len();
        }
    }
    assert!(
        seen > 0 && seen < 1_000_000,
        "delivered {seen} bytes unconsumed"
    );
    exec.net.consume(id, seen);
    let rest = exec.one(id);
    assert!(rest.ok(), "{:?}", rest.result);
    assert_eq!(seen + rest.body.len(), 2_000_000);
}

#[test]
fn denied_by_default_and_never_reaches_the_server() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &[], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/headers"));
    let e = o.err();
    assert_eq!(e.code(), "ECONNREFUSED");
    assert!(e.to_string().contains("127.0.0.0/8 (loopback)"), "{e}");
    assert_eq!(o.denials.len(), 1);
    assert_eq!(srv.hits(), 0);
    assert_eq!(exec.net.stats().denied, 1);
}

#[test]
fn denied_host_names_its_rule() {
    let rt = runtime(None);
    let srv = http_server(None);
    let names = [("good.test", "127.0.0.1"), ("evil.test", "127.0.0.1")];
    let exec = TestExec::with_rules(&rt, &["127.0.0.1", "deny:evil.test"], &names);
    assert!(exec.get(&srv.url("good.test", "/headers")).ok());
    let o = exec.get(&srv.url("evil.test", "/headers"));
    assert!(
        o.err().to_string().contains("rule #2 `deny:evil.test`"),
        "{}",
        o.err()
    );
    assert_eq!(srv.hits(), 1);
}

#[test]
fn denied_port() {
    let rt = runtime(None);
    let srv = http_server(None);
    let other = srv.port().wrapping_add(1);
    let exec = TestExec::with_rules(&rt, &[&format!("127.0.0.1:{other}")], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/headers"));
    assert!(matches!(o.err(), NetError::Denied(_)), "{:?}", o.result);
    assert_eq!(srv.hits(), 0);
}

#[test]
fn denied_by_cidr_even_for_an_allowed_name() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(
        &rt,
        &["127.0.0.1", "deny:127.0.0.0/24"],
        &[("api.test", "127.0.0.1")],
    );
    let o = exec.get(&srv.url("api.test", "/headers"));
    assert!(
        o.err().to_string().contains("deny:127.0.0.0/24"),
        "{}",
        o.err()
    );
    assert_eq!(srv.hits(), 0);
}

#[test]
fn deny_wins_over_allow() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["deny:127.0.0.1", "127.0.0.1"], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/headers"));
    assert!(
        o.err().to_string().contains("deny:127.0.0.1"),
        "{}",
        o.err()
    );
}

#[test]
fn a_name_resolving_to_loopback_is_denied_unless_loopback_is_named() {
    let rt = runtime(None);
    let srv = http_server(None);
    let names = [("rebind.test", "127.0.0.1")];
    let exec = TestExec::with_rules(&rt, &["rebind.test", "*"], &names);
    let o = exec.get(&srv.url("rebind.test", "/headers"));
    let d = &o.denials[0];
    assert!(
        matches!(d.cause, DenialCause::Policy(Reason::Special { .. })),
        "{d:?}"
    );
    assert_eq!(srv.hits(), 0);
}

#[test]
fn ipv4_spellings_and_mapped_ipv6_cannot_sneak_past_a_deny() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["localhost", "deny:127.0.0.1", "deny:[::1]"], &[]);
    for host in [
        "2130706433",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "[::ffff:127.0.0.1]",
        "localhost.",
    ] {
        let o = exec.get(&srv.url(host, "/headers"));
        assert!(
            matches!(o.err(), NetError::Denied(_)),
            "{host}: {:?}",
            o.result
        );
    }
    assert_eq!(srv.hits(), 0);
}

#[test]
fn names_no_rule_could_allow_are_not_resolved() {
    let rt = runtime(None);
    let lookups = Arc::new(AtomicUsize::new(0));
    let counted = lookups.clone();
    let resolver = move |_: &str| -> agentos_net::resolver::Lookup {
        counted.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(vec!["127.0.0.1".parse().expect("ip")]) })
    };
    struct R<F>(F);
    impl<F: Fn(&str) -> agentos_net::resolver::Lookup + Send + Sync + 'static> agentos_net::Resolver
        for R<F>
    {
        fn lookup(&self, name: &str) -> agentos_net::resolver::Lookup {
            (self.0)(name)
        }
    }
    let exec = TestExec::new(
        &rt,
        ExecNetSpec {
            policy: Policy::parse(["github.com"]).expect("policy"),
            resolver: Some(Arc::new(R(resolver))),
            ..ExecNetSpec::default()
        },
    );
    let o = exec.get("http://secret-data.attacker.test/");
    assert!(matches!(o.err(), NetError::Denied(_)));
    let o = exec.one(
        exec.net
            .lookup("secret-data.attacker.test")
            .expect("lookup"),
    );
    assert!(matches!(o.err(), NetError::Denied(_)));
    assert_eq!(
        lookups.load(Ordering::SeqCst),
        0,
        "the name left the sandbox"
    );
}

#[test]
fn redirect_to_a_denied_host_is_stopped() {
    let rt = runtime(None);
    let srv = http_server(None);
    let names = [("good.test", "127.0.0.1"), ("evil.test", "127.0.0.1")];
    let exec = TestExec::with_rules(&rt, &["127.0.0.1", "deny:evil.test"], &names);
    let to = srv.url("evil.test", "/headers");
    let o = exec.get(&srv.url("good.test", &format!("/redirect?to={to}")));
    assert!(
        o.err().to_string().contains("deny:evil.test"),
        "{:?}",
        o.result
    );
    assert!(o.head.is_none(), "no response reaches the guest");
    assert_eq!(srv.hits(), 1, "only the first hop reached the server");
}

#[test]
fn redirect_to_an_allowed_host_is_followed_and_reported() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[("a.test", "127.0.0.1")]);
    let to = srv.url("a.test", "/bytes/10");
    let o = exec.get(&srv.url("127.0.0.1", &format!("/redirect?to={to}&status=301")));
    assert!(o.ok(), "{:?}", o.result);
    let head = o.head.expect("head");
    assert!(head.redirected);
    assert_eq!(head.url, to);
    assert_eq!(o.body, b"xxxxxxxxxx");
}

#[test]
fn manual_redirect_hands_the_redirect_to_the_guest() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    let mut req = get(&srv.url("127.0.0.1", "/redirect?to=/elsewhere"));
    req.redirect = RedirectMode::Manual;
    let o = exec.one(exec.net.fetch(req).expect("fetch"));
    assert_eq!(o.status(), 302);
    assert_eq!(srv.hits(), 1);
}

#[test]
fn too_many_redirects_is_a_limit() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/redirect?to=/redirect%3Fto%3D%2Fredirect"));
    // /redirect?to=/redirect → /redirect (no `to`: Location is empty: same URL) → ... forever.
    assert!(
        matches!(
            o.err(),
            NetError::Limit {
                kind: agentos_net::LimitKind::Redirects,
                value: 20
            }
        ),
        "{:?}",
        o.result
    );
}

fn secret_exec(rt: &agentos_net::NetRuntime, rules: &[&str]) -> TestExec {
    let secret = Secret::new("api.test", [("authorization", "Bearer s3cret")]).expect("secret");
    let resolver = StaticResolver::new()
        .with("api.test", &["127.0.0.1".parse().expect("ip")])
        .with("other.test", &["127.0.0.1".parse().expect("ip")]);
    TestExec::new(
        rt,
        ExecNetSpec {
            policy: Policy::parse(rules).expect("policy"),
            secrets: Secrets::none().with(secret),
            resolver: Some(Arc::new(resolver)),
            ..ExecNetSpec::default()
        },
    )
}

#[test]
fn secrets_reach_the_server_but_never_the_guest() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = secret_exec(&rt, &["127.0.0.1"]);
    let mut req = get(&srv.url("api.test", "/headers"));
    req.headers
        .push(("authorization".into(), Bytes::from_static(b"guest-guess")));
    let o = exec.one(exec.net.fetch(req).expect("fetch"));
    assert!(o.ok(), "{:?}", o.result);
    let seen = &srv.log.headers.lock().expect("log")[0];
    let auth: Vec<_> = seen.iter().filter(|(k, _)| k == "authorization").collect();
    assert_eq!(
        auth,
        [&("authorization".to_owned(), "Bearer s3cret".to_owned())]
    );
    let head = o.head.expect("head");
    let guest_view = format!("{:?}", head.headers);
    assert!(!guest_view.contains("s3cret"), "{guest_view}");
    assert!(head.headers.iter().any(|(k, _)| k == "x-server"));
}

#[test]
fn secrets_are_not_sent_to_a_host_they_do_not_name() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = secret_exec(&rt, &["127.0.0.1"]);
    assert!(exec.get(&srv.url("other.test", "/headers")).ok());
    let seen = &srv.log.headers.lock().expect("log")[0];
    assert!(!seen.iter().any(|(k, _)| k == "authorization"), "{seen:?}");
}

#[test]
fn a_redirect_to_another_host_carries_no_secret_and_no_guest_credentials() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = secret_exec(&rt, &["127.0.0.1"]);
    let to = srv.url("other.test", "/headers");
    let mut req = get(&srv.url("api.test", &format!("/redirect?to={to}&status=307")));
    req.headers
        .push(("cookie".into(), Bytes::from_static(b"session=guest")));
    let o = exec.one(exec.net.fetch(req).expect("fetch"));
    assert!(o.ok(), "{:?}", o.result);
    let log = srv.log.headers.lock().expect("log");
    assert!(
        log[0]
            .iter()
            .any(|(k, v)| k == "authorization" && v == "Bearer s3cret")
    );
    assert!(
        !log[1]
            .iter()
            .any(|(k, _)| k == "authorization" || k == "cookie"),
        "{:?}",
        log[1]
    );
    let body = String::from_utf8_lossy(&o.body);
    assert!(!body.contains("s3cret"), "{body}");
}

#[test]
fn ask_rule_asks_the_host_who_can_allow_or_refuse() {
    let rt = runtime(None);
    let srv = http_server(None);
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = asked.clone();
    let mediator = move |q: agentos_net::Question, a: agentos_net::Answer| {
        let path_ok = q.url.as_deref().is_some_and(|u| u.ends_with("/headers"));
        log.lock()
            .expect("log")
            .push((q.method.clone(), q.url.clone()));
        std::thread::spawn(move || {
            if path_ok {
                a.allow()
            } else {
                a.deny("not that path")
            }
        });
    };
    let exec = TestExec::new(
        &rt,
        ExecNetSpec {
            policy: Policy::parse(["ask:127.0.0.1"]).expect("policy"),
            mediator: Some(Arc::new(mediator)),
            ..ExecNetSpec::default()
        },
    );
    assert!(exec.get(&srv.url("127.0.0.1", "/headers")).ok());
    let o = exec.get(&srv.url("127.0.0.1", "/bytes/1"));
    assert!(
        o.err()
            .to_string()
            .contains("the host refused: not that path"),
        "{}",
        o.err()
    );
    assert_eq!(asked.lock().expect("log").len(), 2);
    assert_eq!(srv.hits(), 1);
}

#[test]
fn ask_without_a_mediator_is_a_denial() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["ask:127.0.0.1"], &[]);
    let o = exec.get(&srv.url("127.0.0.1", "/headers"));
    assert!(matches!(o.denials[0].cause, DenialCause::NoMediator(_)));
}

#[test]
fn streamed_request_body_reaches_the_server() {
    let rt = runtime(None);
    let srv = http_server(None);
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[]);
    let req = HttpRequest {
        method: "POST".into(),
        url: srv.url("127.0.0.1", "/echo"),
        headers: Vec::new(),
        body: RequestBody::Streaming,
        redirect: RedirectMode::Follow,
        decode: false,
        local_trust: Default::default(),
        socket_path: None,
    };
    let id = exec.net.fetch(req).expect("fetch");
    for part in ["hello ", "streamed ", "world"] {
        exec.net.write(id, Bytes::from(part)).expect("write");
    }
    exec.net.end(id).expect("end");
    let o = exec.one(id);
    assert!(o.ok(), "{:?}", o.result);
    assert_eq!(o.body, b"hello streamed world");
}

#[test]
fn bad_urls_and_headers_are_refused_at_once() {
    let rt = runtime(None);
    let exec = TestExec::with_rules(&rt, &["*"], &[]);
    for url in [
        "not a url",
        "ftp://example.com/",
        "http://user:pw@example.com/",
        "file:///etc",
    ] {
        assert!(exec.net.fetch(get(url)).is_err(), "{url}");
    }
    let mut req = get("http://example.com/");
    req.headers.push(("bad header".into(), Bytes::new()));
    assert!(matches!(
        exec.net.fetch(req),
        Err(NetError::InvalidArgument(_))
    ));
    let mut req = get("http://example.com/");
    req.headers
        .push(("x".into(), Bytes::from_static(b"a\r\nInjected: 1")));
    assert!(matches!(
        exec.net.fetch(req),
        Err(NetError::InvalidArgument(_))
    ));
}

#[test]
fn https_with_a_trusted_root() {
    let pki = pki();
    let rt = runtime(Some(&pki.root));
    let srv = http_server(Some(pki.server.clone()));
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[("tls.test", "127.0.0.1")]);
    let o = exec.get(&format!("https://tls.test:{}/bytes/100000", srv.port()));
    assert!(o.ok(), "{:?}", o.result);
    assert_eq!(o.body.len(), 100_000);
}

#[test]
fn https_with_an_untrusted_certificate_fails() {
    let pki = pki();
    let rt = runtime(None);
    let srv = http_server(Some(pki.server.clone()));
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[("tls.test", "127.0.0.1")]);
    let o = exec.get(&format!("https://tls.test:{}/headers", srv.port()));
    assert!(matches!(o.err(), NetError::Tls(_)), "{:?}", o.result);
    assert_eq!(srv.hits(), 0);
}

#[test]
fn https_to_a_name_the_certificate_does_not_carry_fails() {
    let pki = pki();
    let rt = runtime(Some(&pki.root));
    let srv = http_server(Some(pki.server.clone()));
    let exec = TestExec::with_rules(&rt, &["127.0.0.1"], &[("wrong.test", "127.0.0.1")]);
    let o = exec.get(&format!("https://wrong.test:{}/headers", srv.port()));
    assert!(o.err().to_string().contains("certificate"), "{}", o.err());
}
