//! One network rule: its text syntax (the CLI's `--allow-net RULE` and the wire's
//! `NetPolicy.rules`), its validation and what it matches.
//!
//! ```text
//! RULE     = [ACTION ":"] [SCHEME "://"] HOST [":" PORTS]
//! ACTION   = "allow" | "deny" | "ask"                       (default: allow)
//! SCHEME   = "http" | "https" | "ws" | "wss" | "tcp" | "tls" | "dns" | "*"   (default: any)
//! HOST     = "*"                       any host
//!          | NAME                      exactly this name (IDNA ok, case and trailing dot ignored)
//!          | "*." NAME                 any subdomain of NAME, at any depth, not NAME itself
//!          | "localhost"               the name localhost and the loopback addresses
//!          | IPV4 ["/" LEN]            an address or CIDR network (any IPv4 spelling)
//!          | "[" IPV6 ["/" LEN] "]"    an IPv6 address or network
//!          | IPV6 ["/" LEN]            the same, unbracketed, when no PORTS follow
//! PORTS    = PORT | PORT "-" PORT | "*"                     (default: any)
//! ```
//!
//! Examples: `example.com`, `https://*.github.com:443`, `deny:*:25`, `10.0.0.0/8:5432`,
//! `ask:api.stripe.com`, `[fd00::/8]:8000-8999`, `tcp://127.0.0.1:6379`.

use std::fmt;
use std::net::IpAddr;
use std::ops::RangeInclusive;
use std::str::FromStr;

use ipnet::IpNet;

use crate::special::{SpecialKind, SpecialRange, canonical_ip, canonical_net};
use crate::target::{Host, Scheme};

/// What a matching rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Connect.
    Allow,
    /// Never connect; wins over every other rule.
    Deny,
    /// Ask the host (a [`crate::Mediator`]) first; wins over allow.
    Ask,
}

impl Action {
    /// The word used in rules.
    pub fn name(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
            Action::Ask => "ask",
        }
    }
}

/// Which hosts a rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HostPattern {
    /// `*`: every host.
    Any,
    /// One canonical name.
    Exact(String),
    /// `*.SUFFIX`: names ending in `.SUFFIX`.
    Subdomains(String),
    /// `localhost`: that name (and `*.localhost`) and the loopback addresses; names loopback.
    Localhost,
    /// An address or network, canonical; matched against the resolved address.
    Net(IpNet),
}

/// One parsed, validated rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    /// What it decides.
    pub action: Action,
    /// The scheme it is limited to, if any.
    pub scheme: Option<Scheme>,
    /// The hosts it covers.
    pub host: HostPattern,
    /// The ports it covers (`0..=65535` when the rule names none).
    pub ports: RangeInclusive<u16>,
}

/// A rule that does not parse; the message says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad network rule {rule:?}: {reason}")]
pub struct RuleError {
    /// The rule as given.
    pub rule: String,
    /// What is wrong with it.
    pub reason: String,
}

/// What a rule is matched against: one connection attempt to one resolved address.
#[derive(Debug, Clone, Copy)]
pub struct Probe<'a> {
    /// What the connection is for.
    pub scheme: Scheme,
    /// The host as the guest named it (canonical).
    pub host: &'a Host,
    /// The resolved address the connection would go to.
    pub ip: IpAddr,
    /// The port.
    pub port: u16,
}

impl Rule {
    /// True when this rule covers `probe`.
    pub fn matches(&self, probe: &Probe<'_>) -> bool {
        let ip = canonical_ip(probe.ip);
        self.scheme.is_none_or(|s| s == probe.scheme)
            && self.ports.contains(&probe.port)
            && match &self.host {
                HostPattern::Any => true,
                HostPattern::Exact(n) => probe.host.name() == Some(n),
                HostPattern::Subdomains(s) => probe.host.name().is_some_and(|n| {
                    n.len() > s.len() + 1 && n.ends_with(s.as_str()) && {
                        n.as_bytes()[n.len() - s.len() - 1] == b'.'
                    }
                }),
                HostPattern::Localhost => probe.host.is_localhost_name() || is_loopback_range(&ip),
                HostPattern::Net(net) => net.contains(&ip),
            }
    }

    /// True when this rule names `range` explicitly, so it may reach `ip` inside it: a network
    /// at least as narrow as the most specific special range holding `ip`, or `localhost` for
    /// loopback. `*`, names and wide networks such as `0.0.0.0/0` never do.
    pub fn names(&self, ip: IpAddr, range: &SpecialRange) -> bool {
        match &self.host {
            HostPattern::Net(net) => {
                net.contains(&canonical_ip(ip)) && net.prefix_len() >= range.net.prefix_len()
            }
            HostPattern::Localhost => range.kind == SpecialKind::Loopback,
            _ => false,
        }
    }
}

fn is_loopback_range(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback(),
    }
}

impl FromStr for Rule {
    type Err = RuleError;

    fn from_str(text: &str) -> Result<Rule, RuleError> {
        let err = |reason: &str| RuleError {
            rule: text.to_owned(),
            reason: reason.to_owned(),
        };
        let s = text.trim();
        if s.is_empty() {
            return Err(err("empty rule"));
        }
        let (action, s) = split_action(s);
        let (scheme, s) = split_scheme(s).map_err(|r| err(&r))?;
        let (host, ports) = split_ports(s).map_err(|r| err(&r))?;
        let host = parse_host_pattern(host).map_err(|r| err(&r))?;
        let ports = match ports {
            None => 0..=u16::MAX,
            Some(p) => parse_ports(p).map_err(|r| err(&r))?,
        };
        Ok(Rule {
            action,
            scheme,
            host,
            ports,
        })
    }
}

fn split_action(s: &str) -> (Action, &str) {
    for action in [Action::Allow, Action::Deny, Action::Ask] {
        if let Some(rest) = s
            .strip_prefix(action.name())
            .and_then(|r| r.strip_prefix(':'))
        {
            return (action, rest);
        }
    }
    (Action::Allow, s)
}

fn split_scheme(s: &str) -> Result<(Option<Scheme>, &str), String> {
    let Some((scheme, rest)) = s.split_once("://") else {
        return Ok((None, s));
    };
    if scheme == "*" {
        return Ok((None, rest));
    }
    let parsed = Scheme::parse(scheme).ok_or_else(|| {
        format!("unknown scheme {scheme:?} (http, https, ws, wss, tcp, tls, dns or *)")
    })?;
    Ok((Some(parsed), rest))
}

/// Splits `HOST[:PORTS]`; an unbracketed IPv6 host (two or more colons) has no ports.
fn split_ports(s: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = s.strip_prefix('[') {
        let (inner, after) = rest
            .split_once(']')
            .ok_or_else(|| "unclosed '[' in IPv6 host".to_owned())?;
        return match after {
            "" => Ok((inner, None)),
            a => match a.strip_prefix(':') {
                Some(p) => Ok((inner, Some(p))),
                None => Err(format!("unexpected {a:?} after ']'")),
            },
        };
    }
    if s.matches(':').count() >= 2 {
        return Ok((s, None));
    }
    Ok(match s.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    })
}

fn parse_ports(p: &str) -> Result<RangeInclusive<u16>, String> {
    let port = |x: &str| {
        x.parse::<u16>()
            .map_err(|_| format!("bad port {x:?} (0-65535)"))
    };
    if p == "*" {
        return Ok(0..=u16::MAX);
    }
    let range = match p.split_once('-') {
        Some((lo, hi)) => port(lo)?..=port(hi)?,
        None => port(p)?..=port(p)?,
    };
    if range.is_empty() {
        return Err(format!("empty port range {p:?}"));
    }
    Ok(range)
}

fn parse_host_pattern(h: &str) -> Result<HostPattern, String> {
    if h == "*" {
        return Ok(HostPattern::Any);
    }
    if h.is_empty() {
        return Err("no host (use * for any host)".into());
    }
    if let Some((addr, len)) = h.split_once('/') {
        return parse_net(addr, len);
    }
    if let Some(suffix) = h.strip_prefix("*.") {
        return match Host::parse(suffix) {
            Ok(Host::Name(n)) => Ok(HostPattern::Subdomains(n)),
            Ok(Host::Ip(_)) => Err("*. needs a domain name, not an address".into()),
            Err(e) => Err(e.to_string()),
        };
    }
    if h.contains('*') {
        return Err("'*' is allowed only as the whole host or as a leading '*.'".into());
    }
    match Host::parse(h).map_err(|e| e.to_string())? {
        Host::Ip(ip) => Ok(HostPattern::Net(IpNet::from(ip))),
        Host::Name(n) if n == "localhost" => Ok(HostPattern::Localhost),
        Host::Name(n) => Ok(HostPattern::Exact(n)),
    }
}

fn parse_net(addr: &str, len: &str) -> Result<HostPattern, String> {
    let ip = match Host::parse(addr).map_err(|e| e.to_string())? {
        Host::Ip(ip) => ip,
        Host::Name(_) => return Err(format!("{addr:?} before '/' is not an address")),
    };
    let raw: IpAddr = addr.parse().unwrap_or(ip);
    let len: u8 = len
        .parse()
        .map_err(|_| format!("bad prefix length {len:?}"))?;
    let net = IpNet::new(raw, len).map_err(|_| format!("prefix length {len} is too long"))?;
    if net.trunc() != net {
        return Err(format!(
            "{net} has host bits set; did you mean {}?",
            net.trunc()
        ));
    }
    Ok(HostPattern::Net(canonical_net(net)))
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.action.name())?;
        if let Some(s) = self.scheme {
            write!(f, "{s}://")?;
        }
        let ipv6 = matches!(&self.host, HostPattern::Net(IpNet::V6(_)));
        match &self.host {
            HostPattern::Any => f.write_str("*")?,
            HostPattern::Exact(n) => f.write_str(n)?,
            HostPattern::Subdomains(n) => write!(f, "*.{n}")?,
            HostPattern::Localhost => f.write_str("localhost")?,
            HostPattern::Net(net) if net.prefix_len() == net.max_prefix_len() => match net.addr() {
                IpAddr::V6(a) => write!(f, "[{a}]")?,
                a => write!(f, "{a}")?,
            },
            HostPattern::Net(net) if ipv6 => write!(f, "[{net}]")?,
            HostPattern::Net(net) => write!(f, "{net}")?,
        }
        match (*self.ports.start(), *self.ports.end()) {
            (0, u16::MAX) => Ok(()),
            (a, b) if a == b => write!(f, ":{a}"),
            (a, b) => write!(f, ":{a}-{b}"),
        }
    }
}
