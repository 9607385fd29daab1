//! Rule syntax and policy evaluation, table-driven.

use std::net::IpAddr;

use super::*;
use crate::rule::HostPattern;
use crate::special::SpecialKind;

fn policy(rules: &[&str]) -> Policy {
    Policy::parse(rules).unwrap_or_else(|e| panic!("{e}"))
}

fn host(s: &str) -> Host {
    Host::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or_else(|_| panic!("address {s}"))
}

/// Evaluates a connection to `h` (which resolved to `addr`) at `port` for `scheme`.
fn decide(p: &Policy, scheme: Scheme, h: &str, addr: &str, port: u16) -> Verdict {
    p.evaluate(scheme, &host(h), ip(addr), port)
}

fn allows(p: &Policy, scheme: Scheme, h: &str, addr: &str, port: u16) -> bool {
    decide(p, scheme, h, addr, port).decision == Decision::Allow
}

const PUBLIC: &str = "93.184.216.34";

#[test]
fn empty_policy_denies_everything() {
    let v = decide(
        &Policy::deny_all(),
        Scheme::Https,
        "example.com",
        PUBLIC,
        443,
    );
    assert_eq!(v.decision, Decision::Deny);
    assert_eq!(v.reason, Reason::NoRule);
}

#[test]
fn exact_host_rule_allows_that_host_on_any_port_and_scheme() {
    let p = policy(&["example.com"]);
    assert!(allows(&p, Scheme::Https, "example.com", PUBLIC, 443));
    assert!(allows(&p, Scheme::Tcp, "EXAMPLE.com.", PUBLIC, 22));
    assert!(!allows(&p, Scheme::Https, "www.example.com", PUBLIC, 443));
    assert!(!allows(
        &p,
        Scheme::Https,
        "example.com.evil.net",
        PUBLIC,
        443
    ));
    assert!(
        !allows(&p, Scheme::Https, PUBLIC, PUBLIC, 443),
        "a name rule is not its address"
    );
}

#[test]
fn subdomain_wildcard_matches_every_depth_but_not_the_apex() {
    let p = policy(&["*.example.com"]);
    assert!(allows(&p, Scheme::Https, "a.example.com", PUBLIC, 443));
    assert!(allows(&p, Scheme::Https, "a.b.example.com", PUBLIC, 443));
    assert!(!allows(&p, Scheme::Https, "example.com", PUBLIC, 443));
    assert!(!allows(&p, Scheme::Https, "badexample.com", PUBLIC, 443));
}

#[test]
fn denied_port_and_port_range() {
    let p = policy(&["example.com:443", "api.example.com:8000-8999"]);
    assert!(allows(&p, Scheme::Https, "example.com", PUBLIC, 443));
    assert!(!allows(&p, Scheme::Http, "example.com", PUBLIC, 80));
    assert!(allows(&p, Scheme::Http, "api.example.com", PUBLIC, 8000));
    assert!(allows(&p, Scheme::Http, "api.example.com", PUBLIC, 8999));
    assert!(!allows(&p, Scheme::Http, "api.example.com", PUBLIC, 9000));
}

#[test]
fn scheme_limits_the_rule() {
    let p = policy(&["https://example.com"]);
    assert!(allows(&p, Scheme::Https, "example.com", PUBLIC, 443));
    assert!(!allows(&p, Scheme::Http, "example.com", PUBLIC, 80));
    assert!(!allows(&p, Scheme::Tcp, "example.com", PUBLIC, 443));
    let ws = policy(&["wss://example.com"]);
    assert!(allows(&ws, Scheme::Https, "example.com", PUBLIC, 443));
}

#[test]
fn cidr_rule_matches_the_resolved_address() {
    let p = policy(&["93.184.0.0/16"]);
    assert!(allows(&p, Scheme::Https, "example.com", PUBLIC, 443));
    assert!(allows(&p, Scheme::Tcp, PUBLIC, PUBLIC, 1));
    assert!(!allows(&p, Scheme::Https, "example.com", "93.185.0.1", 443));
}

#[test]
fn deny_wins_over_allow_in_any_order() {
    for rules in [["*", "deny:evil.com"], ["deny:evil.com", "*"]] {
        let p = policy(&rules);
        let v = decide(&p, Scheme::Https, "evil.com", PUBLIC, 443);
        assert_eq!(v.decision, Decision::Deny, "{rules:?}");
        assert!(matches!(v.reason, Reason::Rule(_, ref r) if r.action == Action::Deny));
        assert!(allows(&p, Scheme::Https, "good.com", PUBLIC, 443));
    }
}

#[test]
fn deny_by_cidr_catches_a_name_that_resolves_into_it() {
    let p = policy(&["example.com", "deny:93.184.216.0/24"]);
    let v = decide(&p, Scheme::Https, "example.com", PUBLIC, 443);
    assert_eq!(v.decision, Decision::Deny);
    assert_eq!(v.reason.to_string(), "rule #2 `deny:93.184.216.0/24`");
}

#[test]
fn deny_port_everywhere() {
    let p = policy(&["*", "deny:*:25"]);
    assert!(!allows(&p, Scheme::Tcp, "mail.example.com", PUBLIC, 25));
    assert!(allows(&p, Scheme::Tcp, "mail.example.com", PUBLIC, 587));
}

#[test]
fn ask_wins_over_allow_and_deny_wins_over_ask() {
    let p = policy(&[
        "*",
        "ask:api.stripe.com",
        "deny:*.evil.com",
        "ask:*.evil.com",
    ]);
    assert_eq!(
        decide(&p, Scheme::Https, "api.stripe.com", PUBLIC, 443).decision,
        Decision::Ask
    );
    assert_eq!(
        decide(&p, Scheme::Https, "x.evil.com", PUBLIC, 443).decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, Scheme::Https, "other.com", PUBLIC, 443).decision,
        Decision::Allow
    );
}

#[test]
fn unmatched_may_ask_but_never_for_special_addresses() {
    let p = policy(&["github.com"]).ask_unmatched(true);
    let v = decide(&p, Scheme::Https, "other.com", PUBLIC, 443);
    assert_eq!(
        (v.decision, v.reason),
        (Decision::Ask, Reason::AskUnmatched)
    );
    assert_eq!(
        decide(&p, Scheme::Https, "other.com", "10.0.0.1", 443).decision,
        Decision::Deny
    );
}

#[test]
fn special_ranges_are_denied_under_a_wildcard() {
    let p = policy(&["*"]);
    for addr in [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::",
        "::1",
        "fd00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:10.1.1.1",
        "64:ff9b::7f00:1",
        "224.0.0.1",
    ] {
        let v = decide(&p, Scheme::Http, "any.example.com", addr, 80);
        assert_eq!(v.decision, Decision::Deny, "{addr}");
        assert!(
            matches!(v.reason, Reason::Special { near: Some(_), .. }),
            "{addr}"
        );
    }
    assert!(allows(&p, Scheme::Http, "any.example.com", PUBLIC, 80));
}

#[test]
fn a_name_that_resolves_to_loopback_is_denied_even_when_the_name_is_allowed() {
    let p = policy(&["rebind.example.com"]);
    let v = decide(&p, Scheme::Http, "rebind.example.com", "127.0.0.1", 80);
    assert_eq!(v.decision, Decision::Deny);
    let Reason::Special { range, near } = &v.reason else {
        panic!("{v:?}")
    };
    assert_eq!(range.kind, SpecialKind::Loopback);
    assert!(near.is_some());
    assert!(
        v.reason.to_string().contains("127.0.0.0/8 (loopback)"),
        "{}",
        v.reason
    );
}

#[test]
fn wide_networks_do_not_name_special_ranges() {
    let p = policy(&["0.0.0.0/0", "[::/0]"]);
    assert!(allows(&p, Scheme::Tcp, PUBLIC, PUBLIC, 1));
    assert!(!allows(&p, Scheme::Tcp, "127.0.0.1", "127.0.0.1", 1));
    assert!(!allows(&p, Scheme::Tcp, "::1", "::1", 1));
}

#[test]
fn explicit_rules_name_special_ranges() {
    let table: &[(&str, &str)] = &[
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.0/8", "127.9.9.9"),
        ("[::1]", "::1"),
        ("10.0.0.0/8", "10.2.3.4"),
        ("10.2.0.0/16", "10.2.3.4"),
        ("[fd00::/8]", "fd00::5"),
        ("169.254.169.254", "169.254.169.254"),
        ("0.0.0.0", "0.0.0.0"),
        ("[::]", "::"),
        ("[::ffff:127.0.0.1]", "127.0.0.1"),
        ("127.0.0.1", "::ffff:127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
    ];
    for &(rule, addr) in table {
        let p = policy(&[rule]);
        assert!(
            allows(&p, Scheme::Tcp, addr, addr, 9),
            "{rule} should allow {addr}"
        );
    }
}

#[test]
fn metadata_needs_its_own_address_not_the_link_local_network() {
    let p = policy(&["169.254.0.0/16"]);
    assert!(allows(&p, Scheme::Http, "169.254.1.1", "169.254.1.1", 80));
    assert!(!allows(
        &p,
        Scheme::Http,
        "169.254.169.254",
        "169.254.169.254",
        80
    ));
    let p = policy(&["[fc00::/7]"]);
    assert!(!allows(
        &p,
        Scheme::Http,
        "fd00:ec2::254",
        "fd00:ec2::254",
        80
    ));
}

#[test]
fn localhost_rule_names_loopback_only() {
    let p = policy(&["localhost:3000"]);
    assert!(allows(&p, Scheme::Http, "localhost", "127.0.0.1", 3000));
    assert!(allows(&p, Scheme::Http, "localhost", "::1", 3000));
    assert!(allows(&p, Scheme::Http, "127.0.0.1", "127.0.0.1", 3000));
    assert!(!allows(&p, Scheme::Http, "localhost", "127.0.0.1", 3001));
    assert!(!allows(&p, Scheme::Http, "localhost", "10.0.0.1", 3000));
}

#[test]
fn idna_and_trailing_dot_rules_match_canonical_hosts() {
    let p = policy(&["bücher.de", "*.Example.ORG."]);
    assert!(allows(&p, Scheme::Https, "xn--bcher-kva.de", PUBLIC, 443));
    assert!(allows(&p, Scheme::Https, "BÜCHER.de.", PUBLIC, 443));
    assert!(allows(&p, Scheme::Https, "www.example.org", PUBLIC, 443));
}

#[test]
fn ipv4_spelled_hosts_are_addresses_for_rules() {
    let p = policy(&["deny:127.0.0.1", "*"]);
    for h in ["2130706433", "0x7f000001", "0177.0.0.1", "127.1"] {
        let v = decide(&p, Scheme::Http, h, "127.0.0.1", 80);
        assert!(matches!(v.reason, Reason::Rule(0, _)), "{h}: {v:?}");
    }
}

#[test]
fn rules_parse_to_their_canonical_text() {
    let table = [
        ("example.com", "allow:example.com"),
        (
            "allow:https://*.GitHub.com:443",
            "allow:https://*.github.com:443",
        ),
        ("deny:*:25", "deny:*:25"),
        ("ask:api.stripe.com", "ask:api.stripe.com"),
        ("10.0.0.0/8:5432", "allow:10.0.0.0/8:5432"),
        ("[fd00::/8]:8000-8999", "allow:[fd00::/8]:8000-8999"),
        ("fd00::/8", "allow:[fd00::/8]"),
        ("::1", "allow:[::1]"),
        ("tcp://127.0.0.1:6379", "allow:tcp://127.0.0.1:6379"),
        ("dns://1.1.1.1:53", "allow:dns://1.1.1.1:53"),
        ("*://*:*", "allow:*"),
        ("ws://localhost", "allow:http://localhost"),
        ("2130706433:80", "allow:127.0.0.1:80"),
        ("[::ffff:10.0.0.0/104]", "allow:10.0.0.0/8"),
    ];
    for (text, canonical) in table {
        let rule: Rule = text.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rule.to_string(), canonical, "{text}");
        let again: Rule = canonical.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, rule, "{canonical} round-trips");
    }
}

#[test]
fn bad_rules_are_refused_with_a_reason() {
    let table = [
        ("", "empty rule"),
        ("deny:", "no host"),
        ("ftp://example.com", "unknown scheme"),
        ("example.com:http", "bad port"),
        ("example.com:70000", "bad port"),
        ("example.com:90-80", "empty port range"),
        ("10.1.2.3/8", "host bits set"),
        ("10.0.0.0/33", "too long"),
        ("example.com/8", "not an address"),
        ("ex*ample.com", "only as the whole host"),
        ("*.10.0.0.1", "needs a domain name"),
        ("[::1", "unclosed"),
        ("[::1]x", "after ']'"),
        ("exa mple.com", "invalid host"),
    ];
    for (text, why) in table {
        let e = text.parse::<Rule>().expect_err(text);
        assert!(e.to_string().contains(why), "{text:?}: {e}");
    }
}

#[test]
fn a_policy_reports_the_first_bad_rule() {
    let e = Policy::parse(["example.com", "nope:70000"]).expect_err("bad");
    assert_eq!(e.rule, "nope:70000");
}

#[test]
fn host_patterns_are_typed() {
    let r: Rule = "localhost".parse().expect("rule");
    assert_eq!(r.host, HostPattern::Localhost);
    let r: Rule = "*".parse().expect("rule");
    assert_eq!(r.host, HostPattern::Any);
}

#[test]
fn denial_message_names_the_rule() {
    let p = policy(&["*", "deny:evil.com"]);
    let v = decide(&p, Scheme::Https, "evil.com", PUBLIC, 443);
    let d = crate::Denial {
        scheme: Some(Scheme::Https),
        host: host("evil.com"),
        ip: Some(ip(PUBLIC)),
        port: Some(443),
        cause: crate::DenialCause::Policy(v.reason),
    };
    let msg = crate::NetError::Denied(Box::new(d)).to_string();
    assert_eq!(
        msg,
        "connect ECONNREFUSED: https 93.184.216.34:443 (evil.com) denied by network policy: \
         rule #2 `deny:evil.com`"
    );
}

#[test]
fn names_are_screened_before_resolution() {
    let p = policy(&[
        "*.github.com:443",
        "api.example.com",
        "deny:tracker.example.com",
    ]);
    let ok = |h: &str, at: Option<(Scheme, u16)>| {
        p.screen_name(at.map(|a| a.0), &host(h), at.map(|a| a.1))
            .is_ok()
    };
    assert!(ok("api.github.com", Some((Scheme::Https, 443))));
    assert!(
        !ok("api.github.com", Some((Scheme::Https, 80))),
        "no rule for that port"
    );
    assert!(ok("api.github.com", None), "a lookup may resolve it");
    assert!(ok("api.example.com", None));
    assert!(!ok("exfil.attacker.test", None));
    assert!(!ok("exfil.attacker.test", Some((Scheme::Http, 80))));
    assert!(!ok("tracker.example.com", None));
}

#[test]
fn any_address_rule_or_asking_lets_names_resolve() {
    let p = policy(&["10.0.0.0/8"]);
    assert!(p.screen_name(None, &host("anything.test"), None).is_ok());
    let p = Policy::deny_all().ask_unmatched(true);
    assert!(p.screen_name(None, &host("anything.test"), None).is_ok());
    let p = policy(&["*", "deny:*"]);
    assert!(p.screen_name(None, &host("anything.test"), None).is_err());
}

#[test]
fn a_port_limited_deny_does_not_stop_a_lookup() {
    let p = policy(&["*", "deny:*:25"]);
    assert!(p.screen_name(None, &host("mail.test"), None).is_ok());
    assert!(
        p.screen_name(Some(Scheme::Tcp), &host("mail.test"), Some(25))
            .is_err()
    );
}
