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
//! `dns.lookupService` is here too: `getnameinfo` through the exec's resolver, for an address
//! the policy would let the guest reach at that port for some scheme, or a loopback one (named
//! from `/etc/hosts`, never asked of a name server). A reverse query names its address to a name
//! server, so an address no rule allows is refused before any query, as `dns.lookup` refuses
//! a name.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UdpSocket;

use crate::error::{Denial, DenialCause, LimitKind, NetError};
use crate::events::{NetEvent, OpId};
use crate::exec::{ExecNet, OpCtx};
use crate::policy::Decision;
use crate::target::{Host, Scheme, Target};
use crate::udp::MAX_DATAGRAM;

/// Datagrams one exchange delivers before it ends (a server may answer with a stale id first;
/// a hostile one may flood).
pub const MAX_REPLIES: usize = 8;

/// The schemes a reverse lookup's address is checked for: allowed when any may connect there.
const SCHEMES: [Scheme; 5] = [
    Scheme::Tcp,
    Scheme::Tls,
    Scheme::Http,
    Scheme::Https,
    Scheme::Dns,
];

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
                Transport::Udp => exchange(&ctx, &target, ip, query).await,
                Transport::Tcp => exchange_tcp(&ctx, &target, query).await,
            }
        })
    }

    /// The host name of `address` and the service name of `port` (`dns.lookupService`): a
    /// `Named` event, then `Done`.
    ///
    /// # Errors
    /// [`NetError::InvalidHost`] when `address` is not an address; [`NetError::Closed`];
    /// [`crate::LimitKind::Ops`]. Later, in `Done`: [`NetError::Denied`] for an address the
    /// policy allows no scheme to reach; `getnameinfo`'s failures as [`NetError::Io`] with
    /// Node's code (`ENOTFOUND`, `EAI_AGAIN`, `EAI_FAIL`); the connect time limit.
    pub fn lookup_service(&self, address: &str, port: u16) -> Result<OpId, NetError> {
        let host = Host::parse(address)?;
        let Host::Ip(ip) = host else {
            return Err(NetError::InvalidHost(address.to_owned()));
        };
        self.shared().start(move |ctx| async move {
            screen_address(&ctx, &host, ip, port)?;
            let shared = &ctx.shared;
            let addr = SocketAddr::new(ip, port);
            let limit = shared.limits().connect_timeout;
            let (hostname, service) =
                tokio::time::timeout(limit, shared.resolver.lookup_service(addr))
                    .await
                    .map_err(|_| shared.time_limit(LimitKind::ConnectTime, limit))?
                    .map_err(|e| NetError::Io {
                        op: "getnameinfo",
                        code: e.code(),
                        addr: ip.to_string(),
                    })?;
            let id = ctx.id;
            ctx.emit(NetEvent::Named {
                id,
                hostname,
                service,
            });
            Ok(())
        })
    }
}

async fn exchange_tcp(ctx: &OpCtx, target: &Target, query: Bytes) -> Result<(), NetError> {
    let mut io = ctx.shared.connect(ctx, target, None, None).await?.io;
    let at = format!("{}:{}", target.host, target.port);
    let io_error = |e: std::io::Error| NetError::io("queryDns", &at, &e);
    // The length fits: `dns_query` refused anything over MAX_DATAGRAM.
    let length = u16::try_from(query.len()).unwrap_or(u16::MAX).to_be_bytes();
    io.write_all(&length).await.map_err(io_error)?;
    io.write_all(&query).await.map_err(io_error)?;
    io.flush().await.map_err(io_error)?;
    let mut head = [0u8; 2];
    io.read_exact(&mut head).await.map_err(io_error)?;
    let mut answer = vec![0u8; usize::from(u16::from_be_bytes(head))];
    io.read_exact(&mut answer).await.map_err(io_error)?;
    ctx.wait_credit(answer.len().max(1)).await;
    ctx.emit(NetEvent::Datagram {
        id: ctx.id,
        from: target.port,
        chunk: Bytes::from(answer),
    });
    Ok(())
}

/// Refuses (counted, reported) a reverse lookup of an address the policy allows no scheme to
/// reach at `port`; loopback addresses pass.
fn screen_address(ctx: &OpCtx, host: &Host, ip: IpAddr, port: u16) -> Result<(), NetError> {
    if ip.is_loopback() {
        return Ok(());
    }
    let policy = &ctx.shared.policy;
    let verdicts = SCHEMES.map(|s| policy.evaluate(s, host, ip, port));
    if verdicts.iter().any(|v| v.decision == Decision::Allow) {
        return Ok(());
    }
    let [first, ..] = verdicts;
    let denial = Denial {
        scheme: None,
        host: host.clone(),
        ip: Some(ip),
        port: Some(port),
        cause: DenialCause::Policy(first.reason),
    };
    Err(ctx.shared.deny(ctx, denial))
}

async fn exchange(ctx: &OpCtx, target: &Target, ip: IpAddr, query: Bytes) -> Result<(), NetError> {
    let shared = &ctx.shared;
    if let Err(cause) = shared.authorize(ctx, target, ip, None).await {
        let denial = Denial {
            scheme: Some(target.scheme),
            host: target.host.clone(),
            ip: Some(ip),
            port: Some(target.port),
            cause,
        };
        return Err(shared.deny(ctx, denial));
    }
    let _slot = shared.meter.admit()?;
    let addr = SocketAddr::new(ip, target.port);
    let any: IpAddr = match ip {
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
        ctx.wait_credit(n.max(1)).await;
        ctx.emit(NetEvent::Datagram {
            id: ctx.id,
            from: target.port,
            chunk: Bytes::copy_from_slice(&buf[..n]),
        });
    }
    Ok(())
}
