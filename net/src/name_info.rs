//! `dns.lookupService`: `getnameinfo` through the exec's resolver, for an address the policy
//! would let the guest reach at that port for some scheme, or a loopback one (named from
//! `/etc/hosts`, never asked of a name server). A reverse query names its address to a name
//! server, so an address no rule allows is refused before any query, as `dns.lookup` refuses
//! a name.

use std::net::{IpAddr, SocketAddr};

use crate::error::{Denial, DenialCause, LimitKind, NetError};
use crate::events::{NetEvent, OpId};
use crate::exec::{ExecNet, OpCtx};
use crate::policy::Decision;
use crate::target::{Host, Scheme};

/// The schemes a reverse lookup's address is checked for: allowed when any may connect there.
const SCHEMES: [Scheme; 5] = [
    Scheme::Tcp,
    Scheme::Tls,
    Scheme::Http,
    Scheme::Https,
    Scheme::Dns,
];

impl ExecNet {
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
