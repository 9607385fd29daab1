//! Address ranges a guest may reach only when a rule names them: loopback, private, link-local,
//! cloud metadata, unspecified, multicast and other non-public space.
//!
//! [`classify`] returns the *most specific* special range holding an address (cloud metadata
//! `169.254.169.254/32` before link-local `169.254.0.0/16`), so a rule must name a network at
//! least that narrow to reach it ([`crate::Rule::names`]). Addresses are canonical first
//! ([`canonical_ip`]): an IPv4-mapped IPv6 address is the IPv4 address it maps, so
//! `::ffff:127.0.0.1` is loopback. IPv6 transition prefixes that embed an IPv4 address a relay
//! could forward to (NAT64, 6to4) are special when the embedded address is.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// Why an address is not public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecialKind {
    /// `0.0.0.0/8`, `::/128`: on Linux a connect to them reaches the host itself.
    Unspecified,
    /// `127.0.0.0/8`, `::1/128`.
    Loopback,
    /// RFC 1918 and unique-local IPv6 (`fc00::/7`).
    Private,
    /// Carrier-grade NAT space `100.64.0.0/10`.
    Shared,
    /// `169.254.0.0/16`, `fe80::/10`.
    LinkLocal,
    /// A cloud instance-metadata endpoint (`169.254.169.254`, `fd00:ec2::254`, ...).
    Metadata,
    /// `224.0.0.0/4`, `ff00::/8`, `255.255.255.255`.
    Multicast,
    /// Reserved, documentation, benchmarking and deprecated space; transition prefixes.
    Reserved,
}

impl SpecialKind {
    /// The word used in rules, messages and docs.
    pub fn name(self) -> &'static str {
        match self {
            SpecialKind::Unspecified => "unspecified",
            SpecialKind::Loopback => "loopback",
            SpecialKind::Private => "private",
            SpecialKind::Shared => "shared (CGNAT)",
            SpecialKind::LinkLocal => "link-local",
            SpecialKind::Metadata => "cloud metadata",
            SpecialKind::Multicast => "multicast",
            SpecialKind::Reserved => "reserved",
        }
    }
}

/// One special range: its network and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecialRange {
    /// The range.
    pub net: IpNet,
    /// What it is.
    pub kind: SpecialKind,
}

impl fmt::Display for SpecialRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.net, self.kind.name())
    }
}

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8, kind: SpecialKind) -> (IpAddr, u8, SpecialKind) {
    (IpAddr::V4(Ipv4Addr::new(a, b, c, d)), len, kind)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the eight segments of an IPv6 address"
)]
const fn v6(
    a: u16,
    b: u16,
    c: u16,
    d: u16,
    e: u16,
    f: u16,
    len: u8,
    kind: SpecialKind,
) -> (IpAddr, u8, SpecialKind) {
    (IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, 0, 0)), len, kind)
}

use SpecialKind as K;

/// The table. Order does not matter: [`classify`] picks the longest prefix.
const RANGES: &[(IpAddr, u8, SpecialKind)] = &[
    v4(0, 0, 0, 0, 8, K::Unspecified),
    v4(10, 0, 0, 0, 8, K::Private),
    v4(100, 64, 0, 0, 10, K::Shared),
    v4(100, 100, 100, 200, 32, K::Metadata), // Alibaba Cloud
    v4(127, 0, 0, 0, 8, K::Loopback),
    v4(169, 254, 0, 0, 16, K::LinkLocal),
    v4(169, 254, 169, 254, 32, K::Metadata), // AWS, GCP, Azure, ...
    v4(169, 254, 170, 2, 32, K::Metadata),   // AWS ECS task metadata
    v4(172, 16, 0, 0, 12, K::Private),
    v4(192, 0, 0, 0, 24, K::Reserved),
    v4(192, 0, 0, 192, 32, K::Metadata), // Oracle Cloud
    v4(192, 0, 2, 0, 24, K::Reserved),
    v4(192, 88, 99, 0, 24, K::Reserved),
    v4(192, 168, 0, 0, 16, K::Private),
    v4(198, 18, 0, 0, 15, K::Reserved),
    v4(198, 51, 100, 0, 24, K::Reserved),
    v4(203, 0, 113, 0, 24, K::Reserved),
    v4(224, 0, 0, 0, 4, K::Multicast),
    v4(240, 0, 0, 0, 4, K::Reserved),
    v4(255, 255, 255, 255, 32, K::Multicast),
    v6(0, 0, 0, 0, 0, 0, 128, K::Unspecified),
    (IpAddr::V6(Ipv6Addr::LOCALHOST), 128, K::Loopback),
    v6(0, 0, 0, 0, 0, 0, 96, K::Reserved), // IPv4-compatible (deprecated)
    v6(0x64, 0xff9b, 1, 0, 0, 0, 48, K::Reserved), // local-use NAT64
    v6(0x100, 0, 0, 0, 0, 0, 64, K::Reserved), // discard-only
    v6(0x2001, 0, 0, 0, 0, 0, 32, K::Reserved), // Teredo
    v6(0x2001, 0x2, 0, 0, 0, 0, 48, K::Reserved), // benchmarking
    v6(0x2001, 0xdb8, 0, 0, 0, 0, 32, K::Reserved), // documentation
    v6(0x3fff, 0, 0, 0, 0, 0, 20, K::Reserved), // documentation
    v6(0xfc00, 0, 0, 0, 0, 0, 7, K::Private),
    (
        IpAddr::V6(Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)),
        128,
        K::Metadata,
    ), // AWS over IPv6
    v6(0xfe80, 0, 0, 0, 0, 0, 10, K::LinkLocal),
    v6(0xfec0, 0, 0, 0, 0, 0, 10, K::Reserved), // site-local (deprecated)
    v6(0xff00, 0, 0, 0, 0, 0, 8, K::Multicast),
];

/// The canonical form of an address: IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes IPv4.
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        v4 => v4,
    }
}

/// The canonical form of a network: one inside `::ffff:0:0/96` becomes the IPv4 network it maps.
pub fn canonical_net(net: IpNet) -> IpNet {
    if let IpNet::V6(n) = net
        && n.prefix_len() >= 96
        && let Some(v4) = n.network().to_ipv4_mapped()
        && let Ok(mapped) = Ipv4Net::new(v4, n.prefix_len() - 96)
    {
        return IpNet::V4(mapped);
    }
    net
}

/// The most specific special range holding `ip` (canonical first), or `None` for a public
/// address.
pub fn classify(ip: IpAddr) -> Option<SpecialRange> {
    let ip = canonical_ip(ip);
    let direct = RANGES
        .iter()
        .filter_map(|&(addr, len, kind)| {
            let net = IpNet::new(addr, len).ok()?;
            net.contains(&ip).then_some(SpecialRange { net, kind })
        })
        .max_by_key(|r| r.net.prefix_len());
    direct.or_else(|| embedded_v4(ip).and_then(classify).map(as_transition(ip)))
}

/// The IPv4 address a relay would forward to, for NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
fn embedded_v4(ip: IpAddr) -> Option<IpAddr> {
    let IpAddr::V6(v6) = ip else { return None };
    let s = v6.segments();
    let word = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    };
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        Some(word(s[6], s[7]))
    } else if s[0] == 0x2002 {
        Some(word(s[1], s[2]))
    } else {
        None
    }
}

/// A special IPv4 address reached through a transition prefix: the range reported is the whole
/// prefix (a rule must name that), the kind is the embedded address's.
fn as_transition(ip: IpAddr) -> impl Fn(SpecialRange) -> SpecialRange {
    move |inner| {
        let prefix = match ip {
            IpAddr::V6(v6) if v6.segments()[0] == 0x2002 => {
                Ipv6Net::new(Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16)
            }
            _ => Ipv6Net::new(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96),
        };
        match prefix {
            Ok(net) => SpecialRange {
                net: IpNet::V6(net),
                kind: inner.kind,
            },
            Err(_) => inner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<SpecialKind> {
        classify(s.parse().expect("test address")).map(|r| r.kind)
    }

    #[test]
    fn public_addresses_are_not_special() {
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700::1111",
            "100.63.255.255",
        ] {
            assert_eq!(kind(ip), None, "{ip}");
        }
    }

    #[test]
    fn each_kind_is_recognised() {
        let table = [
            ("0.0.0.0", K::Unspecified),
            ("0.1.2.3", K::Unspecified),
            ("::", K::Unspecified),
            ("127.0.0.1", K::Loopback),
            ("127.255.255.254", K::Loopback),
            ("::1", K::Loopback),
            ("10.1.2.3", K::Private),
            ("172.16.0.1", K::Private),
            ("172.31.255.255", K::Private),
            ("192.168.1.1", K::Private),
            ("fd00::1", K::Private),
            ("fc00::1", K::Private),
            ("100.64.0.1", K::Shared),
            ("169.254.1.1", K::LinkLocal),
            ("fe80::1", K::LinkLocal),
            ("169.254.169.254", K::Metadata),
            ("fd00:ec2::254", K::Metadata),
            ("100.100.100.200", K::Metadata),
            ("224.0.0.1", K::Multicast),
            ("255.255.255.255", K::Multicast),
            ("ff02::1", K::Multicast),
            ("240.0.0.1", K::Reserved),
            ("2001:db8::1", K::Reserved),
        ];
        for (ip, want) in table {
            assert_eq!(kind(ip), Some(want), "{ip}");
        }
    }

    #[test]
    fn ipv4_mapped_ipv6_is_classified_as_its_ipv4_address() {
        assert_eq!(kind("::ffff:127.0.0.1"), Some(K::Loopback));
        assert_eq!(kind("::ffff:169.254.169.254"), Some(K::Metadata));
        assert_eq!(kind("::ffff:8.8.8.8"), None);
        assert_eq!(
            canonical_ip("::ffff:10.0.0.1".parse().expect("addr")),
            "10.0.0.1".parse::<IpAddr>().expect("addr")
        );
    }

    #[test]
    fn metadata_is_more_specific_than_link_local() {
        let r = classify("169.254.169.254".parse().expect("addr")).expect("special");
        assert_eq!(r.net.prefix_len(), 32);
    }

    #[test]
    fn nat64_and_6to4_inherit_the_embedded_address_kind() {
        assert_eq!(kind("64:ff9b::7f00:1"), Some(K::Loopback));
        assert_eq!(kind("64:ff9b::a9fe:a9fe"), Some(K::Metadata));
        assert_eq!(kind("2002:7f00:1::"), Some(K::Loopback));
        assert_eq!(kind("64:ff9b::808:808"), None);
    }

    #[test]
    fn canonical_net_maps_ipv4_mapped_networks() {
        let net: IpNet = "::ffff:127.0.0.0/104".parse().expect("net");
        assert_eq!(canonical_net(net).to_string(), "127.0.0.0/8");
        let other: IpNet = "fd00::/8".parse().expect("net");
        assert_eq!(canonical_net(other), other);
    }
}
