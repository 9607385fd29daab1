//! The policy as it arrives on the wire (`agentos.v1.NetPolicy`) and the stats as they leave
//! (`agentos.v1.NetStats`). The sidecar validates an exec's policy with [`policy_from_wire`]
//! when it admits the exec (a bad rule refuses it with `BAD_ARGUMENT`).

use std::time::Duration;

use agentos_proto::v1;

use crate::limits::{NetLimits, NetStats};
use crate::policy::Policy;
use crate::rule::RuleError;
use crate::runtime::ExecNetSpec;
use crate::secrets::{Secret, SecretError, Secrets};

/// Why a wire policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// A rule does not parse.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A secret is malformed.
    #[error(transparent)]
    Secret(#[from] SecretError),
}

/// The spec (policy, secrets, limits) of an exec whose request carried `net`; `None` (no
/// `net` field) is the deny-all default. Mediator, resolver and ports are the sidecar's to set.
///
/// # Errors
/// The first bad rule or secret.
pub fn policy_from_wire(net: Option<&v1::NetPolicy>) -> Result<ExecNetSpec, WireError> {
    let Some(net) = net else {
        return Ok(ExecNetSpec::default());
    };
    let policy = Policy::parse(&net.rules)?.ask_unmatched(net.ask_unmatched);
    let mut secrets = Secrets::none();
    for s in &net.secrets {
        let headers = s.headers.iter().map(|h| (h.name.as_str(), &h.value[..]));
        secrets = secrets.with(Secret::new(&s.pattern, headers)?);
    }
    Ok(ExecNetSpec {
        policy,
        secrets,
        limits: limits_from_wire(net.limits.as_ref()),
        ..ExecNetSpec::default()
    })
}

/// Limits with every zero field at its default.
pub fn limits_from_wire(l: Option<&v1::NetLimits>) -> NetLimits {
    let d = NetLimits::default();
    let Some(l) = l else { return d };
    let or = |v: u64, def: u64| if v == 0 { def } else { v };
    let ms = |v: u64, def: Duration| {
        if v == 0 {
            def
        } else {
            Duration::from_millis(v)
        }
    };
    NetLimits {
        max_connections: or(l.max_connections, d.max_connections),
        max_connections_total: or(l.max_connections_total, d.max_connections_total),
        max_bytes_in: or(l.max_bytes_in, d.max_bytes_in),
        max_bytes_out: or(l.max_bytes_out, d.max_bytes_out),
        request_timeout: ms(l.request_timeout_ms, d.request_timeout),
        connect_timeout: ms(l.connect_timeout_ms, d.connect_timeout),
        exec_timeout: (l.exec_timeout_ms != 0).then(|| Duration::from_millis(l.exec_timeout_ms)),
        max_redirects: if l.max_redirects == 0 {
            d.max_redirects
        } else {
            l.max_redirects
        },
        max_listeners: or(l.max_listeners, d.max_listeners),
        ..d
    }
}

/// The stats for `ExecExited.net_stats`.
pub fn stats_to_wire(s: &NetStats) -> v1::NetStats {
    v1::NetStats {
        connections_total: s.connections_total,
        bytes_in: s.bytes_in,
        bytes_out: s.bytes_out,
        denied: s.denied,
        requests: s.requests,
        limit_errors: s.limit_errors,
    }
}

/// The `NetRequest` event for `question`, numbered `net_request_id` within exec `exec_id`.
pub fn question_to_wire(exec_id: u64, net_request_id: u64, q: &crate::Question) -> v1::NetRequest {
    let rule = match &q.reason {
        crate::Reason::Rule(_, rule) => rule.to_string(),
        _ => String::new(),
    };
    v1::NetRequest {
        exec_id,
        net_request_id,
        scheme: q.scheme.name().to_string(),
        host: q.host.to_string(),
        ip: q.ip.to_string(),
        port: u32::from(q.port),
        rule,
        method: q.method.clone().unwrap_or_default(),
        url: q.url.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_policy_is_deny_all() {
        let spec = policy_from_wire(None).expect("spec");
        assert!(spec.policy.rules().is_empty());
        assert!(!spec.policy.asks_unmatched());
    }

    #[test]
    fn rules_secrets_and_limits_come_through() {
        let net = v1::NetPolicy {
            rules: vec!["https://*.github.com".into(), "deny:*:25".into()],
            ask_unmatched: true,
            secrets: vec![v1::NetSecret {
                pattern: "https://api.github.com".into(),
                headers: vec![v1::NetHeader {
                    name: "authorization".into(),
                    value: bytes::Bytes::from_static(b"token x"),
                }],
            }],
            limits: Some(v1::NetLimits {
                max_connections: 3,
                request_timeout_ms: 1500,
                ..v1::NetLimits::default()
            }),
        };
        let spec = policy_from_wire(Some(&net)).expect("spec");
        assert_eq!(spec.policy.rules().len(), 2);
        assert!(spec.policy.asks_unmatched());
        assert!(!spec.secrets.is_empty());
        assert_eq!(spec.limits.max_connections, 3);
        assert_eq!(spec.limits.request_timeout, Duration::from_millis(1500));
        assert_eq!(spec.limits.max_bytes_in, NetLimits::default().max_bytes_in);
        assert_eq!(spec.limits.exec_timeout, None);
    }

    #[test]
    fn a_bad_rule_or_secret_is_refused() {
        let bad_rule = v1::NetPolicy {
            rules: vec!["example.com:99999".into()],
            ..v1::NetPolicy::default()
        };
        assert!(matches!(
            policy_from_wire(Some(&bad_rule)),
            Err(WireError::Rule(_))
        ));
        let bad_secret = v1::NetPolicy {
            secrets: vec![v1::NetSecret {
                pattern: "deny:x.com".into(),
                headers: vec![],
            }],
            ..v1::NetPolicy::default()
        };
        assert!(matches!(
            policy_from_wire(Some(&bad_secret)),
            Err(WireError::Secret(_))
        ));
    }
}
