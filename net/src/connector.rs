//! Resolve, check, connect: the only way an operation reaches the network.
//!
//! 1. A plain connection to a local name or address (`localhost`, loopback, `0.0.0.0`, `[::]`)
//!    at a port this exec listens on goes to that virtual listener ([`crate::ports`]).
//! 2. A name is screened before it is resolved ([`crate::Policy::screen_name`]), then resolved
//!    once (`localhost` never leaves the process: it is `127.0.0.1` and `::1`).
//! 3. Each address is checked ([`crate::Policy::evaluate`]); ask verdicts go to the mediator.
//! 4. A connection slot is taken and the socket connects to *that checked address* (no second
//!    resolution); the stream is metered and, for TLS, verified against the guest's host name.
//!
//! Addresses the policy refuses are skipped; only when none connects is the first refusal
//! reported (`Denied` event, counted, `NetError::Denied`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use rustls::ClientConfig;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::error::{Denial, DenialCause, LimitKind, NetError};
use crate::events::{NetEvent, Peer, VirtualClient};
use crate::exec::{ExecShared, OpCtx};
use crate::io::{BoxIo, Metered, limit_in_chain};
use crate::mediator::{Answer, Question};
use crate::policy::{Decision, Reason};
use crate::target::{Host, Scheme, Target};

/// A connected stream and what the guest may know about it.
pub(crate) struct Connected {
    pub io: BoxIo,
    pub peer: Peer,
    pub alpn: Option<Vec<u8>>,
}

/// What an HTTP request tells the mediator.
#[derive(Debug, Clone)]
pub(crate) struct HttpAsk {
    pub method: String,
    pub url: String,
}

/// True for the names and addresses that stay on the exec's virtual network when something
/// there listens: `localhost`, loopback, the unspecified address.
pub(crate) fn is_local(host: &Host) -> bool {
    match host {
        Host::Name(_) => host.is_localhost_name(),
        Host::Ip(ip) => ip.is_loopback() || ip.is_unspecified(),
    }
}

impl ExecShared {
    /// Records a refusal: counted, sent as an event, returned as the error.
    pub(crate) fn deny(&self, ctx: &OpCtx, denial: Denial) -> NetError {
        self.meter.count_denied();
        ctx.emit(NetEvent::Denied {
            id: ctx.id,
            denial: denial.clone(),
        });
        NetError::Denied(Box::new(denial))
    }

    /// Refuses (counted, reported) a name no rule could allow before it is sent to any name
    /// server; `at` as for [`ExecShared::lookup`].
    pub(crate) fn screen(
        &self,
        ctx: &OpCtx,
        host: &Host,
        at: Option<(Scheme, u16)>,
    ) -> Result<(), NetError> {
        let Err(v) = self
            .policy
            .screen_name(at.map(|a| a.0), host, at.map(|a| a.1))
        else {
            return Ok(());
        };
        let denial = Denial {
            scheme: at.map(|a| a.0),
            host: host.clone(),
            ip: None,
            port: at.map(|a| a.1),
            cause: DenialCause::Policy(v.reason),
        };
        Err(self.deny(ctx, denial))
    }

    /// The addresses of `host`, screened by the policy; `at` is the scheme and port of the
    /// connection, `None` for `dns.lookup`.
    pub(crate) async fn lookup(
        &self,
        ctx: &OpCtx,
        host: &Host,
        at: Option<(Scheme, u16)>,
    ) -> Result<Vec<IpAddr>, NetError> {
        let name = match host {
            Host::Ip(ip) => return Ok(vec![*ip]),
            _ if host.is_localhost_name() => {
                return Ok(vec![Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into()]);
            }
            Host::Name(n) => n,
        };
        self.screen(ctx, host, at)?;
        let limit = self.limits().connect_timeout;
        let addrs = tokio::time::timeout(limit, self.resolver.lookup(name))
            .await
            .map_err(|_| self.time_limit(LimitKind::ConnectTime, limit))?
            .map_err(|_| NetError::NotFound(name.clone()))?;
        if addrs.is_empty() {
            return Err(NetError::NotFound(name.clone()));
        }
        Ok(addrs)
    }

    pub(crate) fn time_limit(&self, kind: LimitKind, d: std::time::Duration) -> NetError {
        self.meter
            .limit_hit(kind, u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    /// Connects to `target` under the policy (see the module docs). `tls` wraps the stream.
    pub(crate) async fn connect(
        &self,
        ctx: &OpCtx,
        target: &Target,
        tls: Option<Arc<ClientConfig>>,
        http: Option<&HttpAsk>,
    ) -> Result<Connected, NetError> {
        if tls.is_none() && is_local(&target.host) && self.ports.is_bound(target.port) {
            return self.connect_virtual(target.port);
        }
        let addrs = self
            .lookup(ctx, &target.host, Some((target.scheme, target.port)))
            .await?;
        let mut refused: Option<Denial> = None;
        let mut failed: Option<NetError> = None;
        for ip in addrs {
            if let Err(cause) = self.authorize(ctx, target, ip, http).await {
                refused.get_or_insert(Denial {
                    scheme: Some(target.scheme),
                    host: target.host.clone(),
                    ip: Some(ip),
                    port: Some(target.port),
                    cause,
                });
                continue;
            }
            match self.dial(target, ip, tls.clone()).await {
                Ok(c) => return Ok(c),
                Err(e @ (NetError::Limit { .. } | NetError::Tls(_))) => return Err(e),
                Err(e) => failed = Some(e),
            }
        }
        match (failed, refused) {
            (Some(e), _) => Err(e),
            (None, Some(d)) => Err(self.deny(ctx, d)),
            (None, None) => Err(NetError::NotFound(target.host.to_string())),
        }
    }

    /// [`ExecShared::authorize`], a refusal counted, reported and returned as the error.
    pub(crate) async fn authorize_or_deny(
        &self,
        ctx: &OpCtx,
        target: &Target,
        ip: IpAddr,
        http: Option<&HttpAsk>,
    ) -> Result<(), NetError> {
        let Err(cause) = self.authorize(ctx, target, ip, http).await else {
            return Ok(());
        };
        let denial = Denial {
            scheme: Some(target.scheme),
            host: target.host.clone(),
            ip: Some(ip),
            port: Some(target.port),
            cause,
        };
        Err(self.deny(ctx, denial))
    }

    /// The policy's verdict on one address, asking the host when it says ask.
    pub(crate) async fn authorize(
        &self,
        ctx: &OpCtx,
        target: &Target,
        ip: IpAddr,
        http: Option<&HttpAsk>,
    ) -> Result<(), DenialCause> {
        let v = self
            .policy
            .evaluate(target.scheme, &target.host, ip, target.port);
        match v.decision {
            Decision::Allow => Ok(()),
            Decision::Deny => Err(DenialCause::Policy(v.reason)),
            Decision::Ask => self.ask(ctx, target, ip, v.reason, http).await,
        }
    }

    async fn ask(
        &self,
        ctx: &OpCtx,
        target: &Target,
        ip: IpAddr,
        reason: Reason,
        http: Option<&HttpAsk>,
    ) -> Result<(), DenialCause> {
        let Some(mediator) = &self.mediator else {
            return Err(DenialCause::NoMediator(reason));
        };
        let (answer, rx) = Answer::new();
        mediator.ask(
            Question {
                op: ctx.id,
                scheme: target.scheme,
                host: target.host.clone(),
                ip,
                port: target.port,
                reason: reason.clone(),
                method: http.map(|h| h.method.clone()),
                url: http.map(|h| h.url.clone()),
            },
            answer,
        );
        match rx.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(DenialCause::HostSaidNo(reason, message)),
            Err(_) => Err(DenialCause::NoMediator(reason)),
        }
    }

    /// True when `target` is one of this exec's own listening virtual ports.
    pub(crate) fn is_virtual(&self, target: &Target) -> bool {
        is_local(&target.host) && self.ports.is_bound(target.port)
    }

    /// TLS over `c`, a connection to a server of this exec (the guest's own trust, `config`),
    /// verified as `server_name` or else `host`, within the connect timeout.
    pub(crate) async fn local_tls(
        &self,
        c: Connected,
        host: &crate::target::Host,
        server_name: Option<&str>,
        config: Arc<ClientConfig>,
    ) -> Result<Connected, NetError> {
        let host = match server_name {
            Some(n) => crate::target::Host::parse(n)?,
            None => host.clone(),
        };
        let name = crate::tls::server_name(&host)?;
        let limit = self.limits().connect_timeout;
        let work = TlsConnector::from(config).connect(name, c.io);
        let stream = tokio::time::timeout(limit, work)
            .await
            .map_err(|_| self.time_limit(LimitKind::ConnectTime, limit))?
            .map_err(|e| tls_error(&e))?;
        let alpn = stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
        Ok(Connected {
            io: Box::new(stream),
            peer: c.peer,
            alpn,
        })
    }

    /// A connection to this exec's virtual `port`, counted as a connection.
    pub(crate) fn connect_virtual(&self, port: u16) -> Result<Connected, NetError> {
        let slot = self.meter.admit()?;
        let stream = self.ports.connect(port, VirtualClient::Guest)?;
        Ok(Connected {
            io: Box::new(Metered::new(stream, self.meter.clone(), slot)),
            peer: Peer::Virtual {
                port,
                from: VirtualClient::Guest,
            },
            alpn: None,
        })
    }

    /// A connection to the guest listening on the Unix socket `path` (no policy: the exec
    /// talking to itself), counted as a connection.
    pub(crate) fn connect_pipe(&self, path: &str) -> Result<Connected, NetError> {
        crate::socket::check_socket_path("connect", path)?;
        let slot = self.meter.admit()?;
        let stream = self.ports.connect_path(path)?;
        Ok(Connected {
            io: Box::new(Metered::new(stream, self.meter.clone(), slot)),
            peer: Peer::Pipe {
                from: VirtualClient::Guest,
            },
            alpn: None,
        })
    }

    /// Connects to the checked `ip` (and does the TLS handshake), within the connect timeout.
    pub(crate) async fn dial(
        &self,
        target: &Target,
        ip: IpAddr,
        tls: Option<Arc<ClientConfig>>,
    ) -> Result<Connected, NetError> {
        let slot = self.meter.admit()?;
        let addr = SocketAddr::new(ip, target.port);
        let limit = self.limits().connect_timeout;
        let work = async {
            let tcp = TcpStream::connect(addr)
                .await
                .map_err(|e| NetError::io("connect", addr, &e))?;
            let _ = tcp.set_nodelay(true);
            let peer = Peer::Remote {
                local: tcp
                    .local_addr()
                    .map_err(|e| NetError::io("connect", addr, &e))?,
                remote: addr,
            };
            let metered = Metered::new(tcp, self.meter.clone(), slot);
            let Some(config) = tls else {
                return Ok(Connected {
                    io: Box::new(metered),
                    peer,
                    alpn: None,
                });
            };
            let name = crate::tls::server_name(&target.host)?;
            let stream = TlsConnector::from(config)
                .connect(name, metered)
                .await
                .map_err(|e| tls_error(&e))?;
            let alpn = stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
            Ok(Connected {
                io: Box::new(stream),
                peer,
                alpn,
            })
        };
        tokio::time::timeout(limit, work)
            .await
            .map_err(|_| self.time_limit(LimitKind::ConnectTime, limit))?
    }
}

fn tls_error(e: &std::io::Error) -> NetError {
    if let Some(l) = limit_in_chain(e) {
        return l;
    }
    match e.get_ref().and_then(|r| r.downcast_ref::<rustls::Error>()) {
        Some(r) => NetError::Tls(r.to_string()),
        None => NetError::Tls(e.to_string()),
    }
}
