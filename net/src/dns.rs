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
//! Servers on the exec's virtual network (a loopback address where a guest has bound the UDP
//! port) are the guest's own `dgram` business and never reach this module.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bytes::Bytes;
use tokio::net::UdpSocket;

use crate::error::{Denial, NetError};
use crate::events::{NetEvent, OpId};
use crate::exec::{ExecNet, OpCtx};
use crate::target::{Host, Scheme, Target};
use crate::udp::MAX_DATAGRAM;

/// Datagrams one exchange delivers before it ends (a server may answer with a stale id first;
/// a hostile one may flood).
pub const MAX_REPLIES: usize = 8;

impl ExecNet {
    /// Sends `query` (one DNS message) to the name server at `server` (an address) and
    /// `port`, if the policy allows scheme `dns` there. Each reply arrives as `Datagram` (its
    /// `from` the server's port), then `Done` after [`MAX_REPLIES`] or a `cancel(id)`.
    ///
    /// # Errors
    /// [`NetError::InvalidHost`] when `server` is not an address; [`NetError::InvalidArgument`]
    /// for a query over 65 507 bytes; [`NetError::Closed`]; [`crate::LimitKind::Ops`]. Later,
    /// in `Done`: [`NetError::Denied`], the socket's errors, the bytes limits.
    pub fn dns_query(&self, server: &str, port: u16, query: Bytes) -> Result<OpId, NetError> {
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
        self.shared()
            .start(move |ctx| async move { exchange(&ctx, &target, ip, query).await })
    }
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
