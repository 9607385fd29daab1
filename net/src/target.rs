//! Where a guest wants to go: a scheme, a canonical host and a port.
//!
//! Every host a guest names passes through [`Host::parse`] before any rule or resolver sees it,
//! so all spellings of one address are one value: `http://2130706433/`, `http://0x7f.1/` and
//! `http://0177.0.0.1/` are `127.0.0.1` (the WHATWG URL host parser, as Node and browsers do);
//! `[::ffff:127.0.0.1]` is `127.0.0.1`; names are lower-cased, IDNA-mapped to their ASCII
//! (punycode) form and lose one trailing dot (`Example.COM.` is `example.com`).

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

use crate::error::NetError;
use crate::special::canonical_ip;

/// What a connection is for. Rules may name one; the HTTP client uses `Http`/`Https`,
/// `net.connect` uses `Tcp`, `tls.connect` uses `Tls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Plain HTTP (`http:` URLs, `ws:` upgrades).
    Http,
    /// HTTP over TLS.
    Https,
    /// A raw TCP stream (`net.connect`).
    Tcp,
    /// A TLS stream (`tls.connect`).
    Tls,
    /// A DNS query over UDP to a name server (`dns.Resolver` with `setServers`).
    Dns,
}

impl Scheme {
    /// The word used in rules and messages.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Tcp => "tcp",
            Scheme::Tls => "tls",
            Scheme::Dns => "dns",
        }
    }

    /// Parses a rule's or URL's scheme (`ws`/`wss` are HTTP's).
    pub fn parse(s: &str) -> Option<Scheme> {
        match s.to_ascii_lowercase().as_str() {
            "http" | "ws" => Some(Scheme::Http),
            "https" | "wss" => Some(Scheme::Https),
            "tcp" => Some(Scheme::Tcp),
            "tls" => Some(Scheme::Tls),
            "dns" => Some(Scheme::Dns),
            _ => None,
        }
    }

    /// True when the stream is wrapped in TLS.
    pub fn is_tls(self) -> bool {
        matches!(self, Scheme::Https | Scheme::Tls)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A canonical host: a lower-case ASCII domain without a trailing dot, or an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// A domain name, canonical.
    Name(String),
    /// An address literal, canonical (IPv4-mapped IPv6 is IPv4).
    Ip(IpAddr),
}

impl Host {
    /// Parses a host as a guest wrote it (`net.connect({host})`, a URL's host, a rule): an
    /// IPv6 literal with or without brackets, any WHATWG IPv4 spelling, or a domain (IDNA).
    ///
    /// # Errors
    /// [`NetError::InvalidHost`] for an empty host, forbidden characters or a failed IDNA mapping.
    pub fn parse(input: &str) -> Result<Host, NetError> {
        let invalid = || NetError::InvalidHost(input.to_owned());
        if input.is_empty() {
            return Err(invalid());
        }
        if let Ok(v6) = input.parse::<Ipv6Addr>() {
            return Ok(Host::Ip(canonical_ip(IpAddr::V6(v6))));
        }
        match url::Host::parse(input).map_err(|_| invalid())? {
            url::Host::Ipv4(v4) => Ok(Host::Ip(IpAddr::V4(v4))),
            url::Host::Ipv6(v6) => Ok(Host::Ip(canonical_ip(IpAddr::V6(v6)))),
            url::Host::Domain(d) => Host::from_domain(&d).ok_or_else(invalid),
        }
    }

    /// The host of a parsed URL, canonical.
    pub fn from_url(url: &url::Url) -> Result<Host, NetError> {
        match url.host() {
            Some(url::Host::Ipv4(v4)) => Ok(Host::Ip(IpAddr::V4(v4))),
            Some(url::Host::Ipv6(v6)) => Ok(Host::Ip(canonical_ip(IpAddr::V6(v6)))),
            Some(url::Host::Domain(d)) => {
                Host::from_domain(d).ok_or_else(|| NetError::InvalidHost(d.to_owned()))
            }
            None => Err(NetError::InvalidUrl(format!("{url}: no host"))),
        }
    }

    fn from_domain(d: &str) -> Option<Host> {
        let d = d.strip_suffix('.').unwrap_or(d);
        if d.is_empty() || d.ends_with('.') || d.starts_with('.') || d.contains("..") {
            return None;
        }
        Some(Host::Name(d.to_ascii_lowercase()))
    }

    /// The domain, if this host is one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Host::Name(n) => Some(n),
            Host::Ip(_) => None,
        }
    }

    /// True for names that always mean this machine (RFC 6761): `localhost` and `*.localhost`.
    pub fn is_localhost_name(&self) -> bool {
        self.name()
            .is_some_and(|n| n == "localhost" || n.ends_with(".localhost"))
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::Ip(IpAddr::V6(v6)) => write!(f, "[{v6}]"),
            Host::Ip(IpAddr::V4(v4)) => write!(f, "{v4}"),
        }
    }
}

/// One destination before resolution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// What the connection is for.
    pub scheme: Scheme,
    /// Where to, canonical.
    pub host: Host,
    /// The port (a URL's default port filled in).
    pub port: u16,
}

impl Target {
    /// The target of an `http:`/`https:` (or `ws:`/`wss:`) URL.
    ///
    /// # Errors
    /// [`NetError::InvalidUrl`] for another scheme, a URL with user info (as `fetch` does: the
    /// `http` module turns it into an `Authorization` header before it gets here) or no host.
    pub fn from_url(url: &url::Url) -> Result<Target, NetError> {
        let scheme = Scheme::parse(url.scheme())
            .filter(|s| matches!(s, Scheme::Http | Scheme::Https))
            .ok_or_else(|| NetError::InvalidUrl(format!("unsupported scheme {}:", url.scheme())))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(NetError::InvalidUrl(
                "a URL that includes credentials cannot be fetched".into(),
            ));
        }
        let host = Host::from_url(url)?;
        let port = url
            .port_or_known_default()
            .ok_or_else(|| NetError::InvalidUrl(format!("{url}: no port")))?;
        Ok(Target { scheme, host, port })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(s: &str) -> Host {
        Host::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn ip(s: &str) -> Host {
        Host::Ip(s.parse().expect("test address"))
    }

    fn url_target(s: &str) -> Result<Target, NetError> {
        Target::from_url(&url::Url::parse(s).expect("test url"))
    }

    #[test]
    fn ipv4_spellings_are_one_address() {
        for s in [
            "127.0.0.1",
            "2130706433",
            "0x7f.1",
            "0177.0.0.1",
            "0x7f000001",
            "127.1",
        ] {
            assert_eq!(host(s), ip("127.0.0.1"), "{s}");
        }
    }

    #[test]
    fn url_ipv4_spellings_are_one_address() {
        for s in [
            "http://2130706433/",
            "http://0x7f.0.0.1/",
            "http://0177.0.0.01/x",
        ] {
            assert_eq!(url_target(s).expect(s).host, ip("127.0.0.1"), "{s}");
        }
    }

    #[test]
    fn ipv6_literals_with_and_without_brackets() {
        assert_eq!(host("::1"), ip("::1"));
        assert_eq!(host("[::1]"), ip("::1"));
        assert_eq!(host("[::]"), ip("::"));
        assert_eq!(host("0.0.0.0"), ip("0.0.0.0"));
    }

    #[test]
    fn ipv4_mapped_ipv6_is_ipv4() {
        assert_eq!(host("::ffff:127.0.0.1"), ip("127.0.0.1"));
        assert_eq!(host("[::ffff:7f00:1]"), ip("127.0.0.1"));
        let t = url_target("http://[::ffff:169.254.169.254]/").expect("url");
        assert_eq!(t.host, ip("169.254.169.254"));
    }

    #[test]
    fn names_are_lowercased_without_trailing_dot() {
        assert_eq!(host("Example.COM."), Host::Name("example.com".into()));
        assert_eq!(
            url_target("http://LOCALHOST./").expect("url").host,
            Host::Name("localhost".into())
        );
    }

    #[test]
    fn idna_names_become_punycode() {
        assert_eq!(host("bücher.de"), Host::Name("xn--bcher-kva.de".into()));
        assert_eq!(
            host("xn--bcher-kva.de"),
            Host::Name("xn--bcher-kva.de".into())
        );
        assert_eq!(host("ＥＸＡＭＰＬＥ.com"), Host::Name("example.com".into()));
    }

    #[test]
    fn malformed_hosts_are_refused() {
        for s in [
            "",
            ".",
            "a..b",
            "exa mple.com",
            "a/b",
            "[::1",
            "ex%41mple.com..",
        ] {
            assert!(Host::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn userinfo_does_not_hide_the_host_and_is_refused() {
        let u = url::Url::parse("http://allowed.example@127.0.0.1/").expect("url");
        assert_eq!(Host::from_url(&u).expect("host"), ip("127.0.0.1"));
        assert!(matches!(Target::from_url(&u), Err(NetError::InvalidUrl(_))));
    }

    #[test]
    fn default_ports_and_schemes() {
        let t = url_target("https://example.com/").expect("url");
        assert_eq!((t.scheme, t.port), (Scheme::Https, 443));
        assert_eq!(url_target("ws://example.com/").expect("url").port, 80);
        assert!(url_target("ftp://example.com/").is_err());
        assert!(url_target("file:///etc/passwd").is_err());
    }

    #[test]
    fn localhost_names() {
        assert!(host("localhost").is_localhost_name());
        assert!(host("a.LOCALHOST.").is_localhost_name());
        assert!(!host("localhost.example.com").is_localhost_name());
    }
}
