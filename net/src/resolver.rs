//! Name resolution behind a trait: the system resolver by default (`getaddrinfo` on tokio's
//! blocking pool, so `/etc/hosts` and nsswitch apply as they do for Node's `dns.lookup`, and
//! `getnameinfo` for `dns.lookupService`), and a fixed table for tests ([`StaticResolver`]: a
//! name that "resolves to 127.0.0.1" without touching DNS).
//!
//! The connector resolves once per connection and connects only to addresses it checked, so a
//! resolver that answers differently the second time (DNS rebinding) gains nothing.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

/// A boxed lookup future.
pub type Lookup = Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>>;

/// A boxed `getnameinfo` future: the host name and the service name (or the port's digits).
pub type ServiceLookup =
    Pin<Box<dyn Future<Output = Result<(String, String), NameInfoError>> + Send>>;

/// Why `getnameinfo` gave no name, as Node names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameInfoError {
    /// `EAI_NONAME`: the address has no name (Node's `ENOTFOUND`).
    NoName,
    /// `EAI_AGAIN`: the name server could not be reached for now.
    Again,
    /// Any other failure (`EAI_FAIL`).
    Fail,
}

impl NameInfoError {
    /// Node's code for it.
    pub fn code(self) -> &'static str {
        match self {
            NameInfoError::NoName => "ENOTFOUND",
            NameInfoError::Again => "EAI_AGAIN",
            NameInfoError::Fail => "EAI_FAIL",
        }
    }
}

/// Turns a canonical host name into addresses.
pub trait Resolver: Send + Sync + 'static {
    /// The addresses of `name` (ASCII, lower case, no trailing dot), in preference order. An
    /// empty list or `ErrorKind::NotFound` means the name does not exist.
    fn lookup(&self, name: &str) -> Lookup;

    /// The name of `addr`'s host and of its port's service (`getnameinfo`); none by default.
    fn lookup_service(&self, _addr: SocketAddr) -> ServiceLookup {
        Box::pin(async { Err(NameInfoError::NoName) })
    }

    /// The name servers a guest's `dns.resolve*` asks when it named none (through the
    /// sidecar, which never tells it their addresses); none by default.
    fn name_servers(&self) -> &[SocketAddr] {
        &[]
    }
}

/// The `nameserver` lines of resolv.conf text, at most three as glibc reads them, port 53.
pub fn parse_resolv_conf(text: &str) -> Vec<SocketAddr> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("nameserver")).then_some(())?;
            // A scoped IPv6 address (`fe80::1%eth0`) has no `IpAddr` spelling: skipped.
            words.next()?.parse::<IpAddr>().ok()
        })
        .take(3)
        .map(|ip| SocketAddr::new(ip, 53))
        .collect()
}

/// The system resolver (`getaddrinfo`, `getnameinfo`), and the name servers of
/// `/etc/resolv.conf` unless told others.
#[derive(Debug, Clone, Default)]
pub struct SystemResolver {
    name_servers: Vec<SocketAddr>,
}

impl SystemResolver {
    /// The system resolver with `name_servers`, or `/etc/resolv.conf`'s when `None` (none when
    /// it cannot be read).
    pub fn new(name_servers: Option<Vec<SocketAddr>>) -> SystemResolver {
        let name_servers = name_servers.unwrap_or_else(|| {
            std::fs::read_to_string("/etc/resolv.conf")
                .map(|text| parse_resolv_conf(&text))
                .unwrap_or_default()
        });
        SystemResolver { name_servers }
    }
}

impl Resolver for SystemResolver {
    fn name_servers(&self) -> &[SocketAddr] {
        &self.name_servers
    }

    fn lookup(&self, name: &str) -> Lookup {
        let name = name.to_owned();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let mut out: Vec<IpAddr> = Vec::new();
            for a in addrs {
                if !out.contains(&a.ip()) {
                    out.push(a.ip());
                }
            }
            Ok(out)
        })
    }

    fn lookup_service(&self, addr: SocketAddr) -> ServiceLookup {
        Box::pin(async move {
            // As Node asks (cares_wrap's GetNameInfo): a name or an error, never the digits.
            let flags = libc::NI_NAMEREQD;
            let work = tokio::task::spawn_blocking(move || dns_lookup::getnameinfo(&addr, flags));
            match work.await {
                Ok(Ok(names)) => Ok(names),
                Ok(Err(e)) => Err(match e.kind() {
                    dns_lookup::LookupErrorKind::NoName | dns_lookup::LookupErrorKind::NoData => {
                        NameInfoError::NoName
                    }
                    dns_lookup::LookupErrorKind::Again => NameInfoError::Again,
                    _ => NameInfoError::Fail,
                }),
                Err(_) => Err(NameInfoError::Fail),
            }
        })
    }
}

/// A fixed table of names, for tests; names not in it fall through to `fallback`, or do not
/// exist.
#[derive(Clone, Default)]
pub struct StaticResolver {
    table: HashMap<String, Vec<IpAddr>>,
    fallback: Option<Arc<dyn Resolver>>,
}

impl StaticResolver {
    /// An empty table: every name is unknown.
    pub fn new() -> StaticResolver {
        StaticResolver::default()
    }

    /// `name` resolves to `addrs` (the name is canonicalised like a guest's host).
    #[must_use]
    pub fn with(mut self, name: &str, addrs: &[IpAddr]) -> StaticResolver {
        let key = match crate::Host::parse(name) {
            Ok(crate::Host::Name(n)) => n,
            _ => name.to_ascii_lowercase(),
        };
        self.table.insert(key, addrs.to_vec());
        self
    }

    /// Names not in the table go to `fallback`.
    #[must_use]
    pub fn fallback(mut self, fallback: Arc<dyn Resolver>) -> StaticResolver {
        self.fallback = Some(fallback);
        self
    }
}

impl Resolver for StaticResolver {
    fn lookup(&self, name: &str) -> Lookup {
        if let Some(addrs) = self.table.get(name) {
            let addrs = addrs.clone();
            return Box::pin(async move { Ok(addrs) });
        }
        match &self.fallback {
            Some(f) => f.lookup(name),
            None => Box::pin(async { Err(io::ErrorKind::NotFound.into()) }),
        }
    }

    fn lookup_service(&self, addr: SocketAddr) -> ServiceLookup {
        match &self.fallback {
            Some(f) => f.lookup_service(addr),
            None => Box::pin(async { Err(NameInfoError::NoName) }),
        }
    }

    fn name_servers(&self) -> &[SocketAddr] {
        self.fallback.as_ref().map_or(&[], |f| f.name_servers())
    }
}
