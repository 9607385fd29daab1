//! DNS queries to real name servers (`dns.Resolver` with `setServers`), under the policy.
//!
//! The guest builds and decodes the DNS messages itself (runner-js `internal/dns_wire`); the
//! sidecar only carries one query datagram to one server the policy allows (scheme `dns`,
//! checked on the server's address and port like any connection, ask rules included) and hands
//! back what that server answers. The socket is connected, so datagrams from anyone else are
//! dropped by the kernel; an ICMP port-unreachable is the guest's `ECONNREFUSED`. At most
//! [`MAX_REPLIES`] datagrams are delivered, each counted in the bytes-in limit, and the exchange
//! holds a connection slot while it waits. Retries and timeouts are the guest's (c-ares's
//! `timeout`/`tries`), which cancels an exchange it gave up on.
//!
//! An answer truncated over UDP is asked again over TCP, as c-ares does ([`Transport::Tcp`]):
//! through the checked connector (a listener on the exec's virtual network, or a server the
//! policy allows for `dns`), one query and one answer framed by their two-byte length
//! (RFC 1035 4.2.2).
//!
//! Servers on the exec's virtual network (a loopback address where a guest has bound the UDP
//! port) are the guest's own `dgram` business and never reach this module.
//!
//! A resolver with no servers set asks the sidecar's name servers ([`ExecNet::dns_query_system`]:
//! `/etc/resolv.conf`'s, or `AGENTOS_NET_DNS_SERVERS`), which the guest never learns. There the
//! policy is checked on the *name* asked about, as for `dns.lookup` (a name no rule could allow
//! is never sent), and the query must be a plain one (one question of class IN, recursion
//! desired, no other records, names of letters, digits, `-` and `_`), so the guest cannot make
//! the query itself carry anything but that name, its type and an id.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UdpSocket;

use crate::error::NetError;
use crate::events::{NetEvent, OpId};
use crate::exec::{ExecNet, OpCtx};
use crate::io::BoxIo;
use crate::target::{Host, Scheme, Target};
use crate::udp::MAX_DATAGRAM;

/// Datagrams one exchange delivers before it ends (a server may answer with a stale id first;
/// a hostile one may flood).
pub const MAX_REPLIES: usize = 8;

/// The longest name DNS carries, in wire bytes (RFC 1035 2.3.4).
const MAX_NAME: usize = 255;

/// How a query travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// One datagram each way (up to [`MAX_REPLIES`] replies).
    Udp,
    /// A TCP connection, one length-framed message each way.
    Tcp,
}

impl ExecNet {
    /// Sends `query` (one DNS message) to the name server at `server` (an address) and
    /// `port`, if the policy allows scheme `dns` there. Each reply arrives as `Datagram` (its
    /// `from` the server's port), then `Done`: after [`MAX_REPLIES`] or a `cancel(id)` over
    /// UDP, after the one answer over TCP.
    ///
    /// # Errors
    /// [`NetError::InvalidHost`] when `server` is not an address; [`NetError::InvalidArgument`]
    /// for a query over 65 507 bytes; [`NetError::Closed`]; [`crate::LimitKind::Ops`]. Later,
    /// in `Done`: [`NetError::Denied`], the socket's errors, the bytes and time limits.
    pub fn dns_query(
        &self,
        server: &str,
        port: u16,
        query: Bytes,
        transport: Transport,
    ) -> Result<OpId, NetError> {
        let host = Host::parse(server)?;
        let Host::Ip(ip) = host else {
            return Err(NetError::InvalidHost(server.to_owned()));
        };
        if query.len() > MAX_DATAGRAM {
            return Err(NetError::InvalidArgument(format!(
                "a DNS query of {} bytes is over {MAX_DATAGRAM}",
                query.len()
            )));
        }
        let target = Target {
            scheme: Scheme::Dns,
            host,
            port,
        };
        self.shared().start(move |ctx| async move {
            match transport {
                Transport::Udp => {
                    ctx.shared
                        .authorize_or_deny(&ctx, &target, ip, None)
                        .await?;
                    exchange_udp(&ctx, SocketAddr::new(ip, port), query).await
                }
                Transport::Tcp => {
                    let io = ctx.shared.connect(&ctx, &target, None, None).await?.io;
                    exchange_tcp(&ctx, io, &target, query).await
                }
            }
        })
    }

    /// Sends `query` to the sidecar's name server number `attempt` (round robin), if it is a
    /// plain query (see the module docs) for a name the policy could allow. Events as for
    /// [`ExecNet::dns_query`].
    ///
    /// # Errors
    /// [`NetError::InvalidArgument`] for a query that is not plain; [`NetError::InvalidHost`]
    /// for a name that is not a host name; [`NetError::Closed`]; [`crate::LimitKind::Ops`].
    /// Later, in `Done`: [`NetError::Denied`] for the name; `ECONNREFUSED` when the sidecar
    /// has no name server; the socket's errors, the bytes and time limits.
    pub fn dns_query_system(
        &self,
        query: Bytes,
        attempt: u32,
        transport: Transport,
    ) -> Result<OpId, NetError> {
        let name = plain_question(&query).ok_or_else(|| {
            NetError::InvalidArgument("not a plain DNS query of one question".into())
        })?;
        let host = match Host::parse(&name)? {
            Host::Ip(_) => return Err(NetError::InvalidHost(name)),
            host => host,
        };
        let servers = self.shared().resolver.name_servers().to_vec();
        self.shared().start(move |ctx| async move {
            ctx.shared.screen(&ctx, &host, None)?;
            let n = usize::try_from(attempt).unwrap_or(0) % servers.len().max(1);
            let addr = *servers.get(n).ok_or_else(no_server)?;
            match transport {
                Transport::Udp => exchange_udp(&ctx, addr, query).await,
                Transport::Tcp => {
                    let target = Target {
                        scheme: Scheme::Dns,
                        host: Host::Ip(addr.ip()),
                        port: addr.port(),
                    };
                    let io = ctx.shared.dial(&target, addr.ip(), None).await?.io;
                    exchange_tcp(&ctx, io, &target, query).await
                }
            }
        })
    }
}

fn no_server() -> NetError {
    NetError::Io {
        op: "queryDns",
        code: "ECONNREFUSED",
        addr: "(the sidecar has no name server)".into(),
    }
}

/// The question's name of a plain query (one question of class IN, recursion desired, no
/// other records or bytes; labels of letters, digits, `-` and `_`), or `None`.
fn plain_question(query: &[u8]) -> Option<String> {
    let header = query.get(2..12)?;
    if header != [0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] {
        return None;
    }
    let mut at = 12;
    let mut name = String::new();
    loop {
        let length = usize::from(*query.get(at)?);
        if length == 0 {
            break;
        }
        let label = query.get(at + 1..at + 1 + length)?;
        let plain = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
        if length > 63 || !label.iter().all(plain) {
            return None;
        }
        if !name.is_empty() {
            name.push('.');
        }
        name.extend(label.iter().map(|&b| char::from(b)));
        at += 1 + length;
        if at > 12 + MAX_NAME {
            return None;
        }
    }
    let class_in = query.get(at + 3..)? == [0, 1];
    (class_in && !name.is_empty()).then_some(name)
}

/// One datagram to `addr` from a connected socket of its own, then up to [`MAX_REPLIES`].
async fn exchange_udp(ctx: &OpCtx, addr: SocketAddr, query: Bytes) -> Result<(), NetError> {
    let shared = &ctx.shared;
    let _slot = shared.meter.admit()?;
    let any: IpAddr = match addr.ip() {
        IpAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        IpAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
    };
    let io = |e: std::io::Error| NetError::io("queryDns", addr, &e);
    let socket = UdpSocket::bind(SocketAddr::new(any, 0)).await.map_err(io)?;
    socket.connect(addr).await.map_err(io)?;
    shared.meter.add_out(query.len())?;
    socket.send(&query).await.map_err(io)?;
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
    for _ in 0..MAX_REPLIES {
        let n = socket.recv(&mut buf).await.map_err(io)?;
        shared.meter.add_in(n)?;
        deliver(ctx, addr.port(), Bytes::copy_from_slice(&buf[..n])).await;
    }
    Ok(())
}

/// One length-framed query and answer over a connected stream (metered by the connector).
async fn exchange_tcp(
    ctx: &OpCtx,
    mut io: BoxIo,
    target: &Target,
    query: Bytes,
) -> Result<(), NetError> {
    let at = format!("{}:{}", target.host, target.port);
    let io_error = |e: std::io::Error| NetError::io("queryDns", &at, &e);
    // The length fits: a query over MAX_DATAGRAM was refused (or is not plain).
    let length = u16::try_from(query.len()).unwrap_or(u16::MAX).to_be_bytes();
    io.write_all(&length).await.map_err(io_error)?;
    io.write_all(&query).await.map_err(io_error)?;
    io.flush().await.map_err(io_error)?;
    let mut head = [0u8; 2];
    io.read_exact(&mut head).await.map_err(io_error)?;
    let mut answer = vec![0u8; usize::from(u16::from_be_bytes(head))];
    io.read_exact(&mut answer).await.map_err(io_error)?;
    deliver(ctx, target.port, Bytes::from(answer)).await;
    Ok(())
}

/// Hands one reply to the guest once its read window has room.
async fn deliver(ctx: &OpCtx, from: u16, chunk: Bytes) {
    ctx.wait_credit(chunk.len().max(1)).await;
    ctx.emit(NetEvent::Datagram {
        id: ctx.id,
        from,
        chunk,
    });
}

#[cfg(test)]
mod tests {
    use super::plain_question;

    /// A query as the guest builds it: header, the labels of `name`, type A, class IN.
    fn query(name: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in name {
            out.push(u8::try_from(label.len()).expect("short"));
            out.extend_from_slice(label);
        }
        out.extend_from_slice(&[0, 0, 1, 0, 1]);
        out
    }

    #[test]
    fn a_plain_query_gives_its_name() {
        let name = plain_question(&query(&[b"_sip", b"_udp", b"Example-1", b"org"]));
        assert_eq!(name.as_deref(), Some("_sip._udp.Example-1.org"));
    }

    #[test]
    fn queries_that_could_carry_more_than_a_name_are_refused() {
        let dotted = query(&[b"a.b", b"org"]);
        let binary = query(&[b"a\x00b", b"org"]);
        let mut additional = query(&[b"example", b"org"]);
        additional[11] = 1;
        additional.extend_from_slice(&[0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0]);
        let mut trailing = query(&[b"example", b"org"]);
        trailing.push(0);
        let mut flags = query(&[b"example", b"org"]);
        flags[2] = 0x79;
        let mut chaos = query(&[b"example", b"org"]);
        *chaos.last_mut().expect("class") = 3;
        let long = query(&[[b'a'; 63].as_slice(); 5]);
        let root = query(&[]);
        for (what, q) in [
            ("a dot in a label", dotted),
            ("a binary label", binary),
            ("an additional record", additional),
            ("trailing bytes", trailing),
            ("other flags", flags),
            ("class CH", chaos),
            ("a name over 255 bytes", long),
            ("the root", root),
            ("a cut header", vec![0x12, 0x34, 0x01]),
        ] {
            assert_eq!(plain_question(&q), None, "{what}");
        }
    }
}
