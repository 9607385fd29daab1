//! Everything a network operation can end with, and the Node-shaped code the guest sees.
//!
//! Guest-visible messages name the rule or limit that decided and never carry host details
//! beyond what the guest asked for (its own URL, host and port, the address it resolved to).

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};

use crate::policy::Reason;
use crate::target::{Host, Scheme};

/// One refused connection attempt: what the guest asked for and why it was refused. Sent to
/// the event sink ([`crate::NetEvent::Denied`]) and counted in [`crate::NetStats::denied`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// What the connection was for (none for a lookup).
    pub scheme: Option<Scheme>,
    /// The host the guest named.
    pub host: Host,
    /// The resolved address that was refused (none when refused before resolution).
    pub ip: Option<IpAddr>,
    /// The port (none for a lookup).
    pub port: Option<u16>,
    /// Why.
    pub cause: DenialCause,
}

/// Why a [`Denial`] happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DenialCause {
    /// The policy said no.
    Policy(Reason),
    /// An ask rule matched and the host answered no (with its message, possibly empty).
    HostSaidNo(Reason, String),
    /// An ask rule matched and no mediator is installed (or it went away unanswered).
    NoMediator(Reason),
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.scheme.map_or("lookup", Scheme::name);
        let addr = match (self.ip, self.port) {
            (Some(ip), Some(port)) if Host::Ip(ip) != self.host => {
                format!("{} ({})", SocketAddr::new(ip, port), self.host)
            }
            (_, Some(port)) => format!("{}:{port}", self.host),
            (_, None) => self.host.to_string(),
        };
        write!(f, "{scheme} {addr} denied by network policy: ")?;
        match &self.cause {
            DenialCause::Policy(r) => write!(f, "{r}"),
            DenialCause::HostSaidNo(r, m) if m.is_empty() => write!(f, "the host refused ({r})"),
            DenialCause::HostSaidNo(r, m) => write!(f, "the host refused: {m} ({r})"),
            DenialCause::NoMediator(r) => write!(f, "{r} asks the host, and no host answers"),
        }
    }
}

/// A limit an operation ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// `max_connections`: connections open at once.
    Connections,
    /// `max_connections_total`: connections opened over the exec's life.
    ConnectionsTotal,
    /// `max_bytes_in`: bytes received.
    BytesIn,
    /// `max_bytes_out`: bytes sent.
    BytesOut,
    /// `request_timeout_ms`: one request, from start to the end of its body.
    RequestTime,
    /// `connect_timeout_ms`: resolving plus connecting plus the TLS handshake.
    ConnectTime,
    /// `exec_timeout_ms`: the exec's network as a whole.
    ExecTime,
    /// `max_redirects`.
    Redirects,
    /// `max_listeners`: virtual ports one exec listens on.
    Listeners,
    /// `max_ops`: operations in flight at once.
    Ops,
    /// `max_write_buffer`: bytes written and not yet sent, per operation.
    WriteBuffer,
}

impl LimitKind {
    /// The limit's field name in [`crate::NetLimits`] and on the wire.
    pub fn name(self) -> &'static str {
        match self {
            LimitKind::Connections => "max_connections",
            LimitKind::ConnectionsTotal => "max_connections_total",
            LimitKind::BytesIn => "max_bytes_in",
            LimitKind::BytesOut => "max_bytes_out",
            LimitKind::RequestTime => "request_timeout_ms",
            LimitKind::ConnectTime => "connect_timeout_ms",
            LimitKind::ExecTime => "exec_timeout_ms",
            LimitKind::Redirects => "max_redirects",
            LimitKind::Listeners => "max_listeners",
            LimitKind::Ops => "max_ops",
            LimitKind::WriteBuffer => "max_write_buffer",
        }
    }

    /// True for the time limits (their guest code is `ETIMEDOUT`).
    pub fn is_time(self) -> bool {
        matches!(
            self,
            LimitKind::RequestTime | LimitKind::ConnectTime | LimitKind::ExecTime
        )
    }
}

/// How a network operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// The policy (or the host, for an ask rule) refused the connection.
    #[error("connect ECONNREFUSED: {0}")]
    Denied(Box<Denial>),
    /// A limit was reached; `value` is the limit in force.
    #[error("network limit {} = {value} reached", kind.name())]
    Limit {
        /// Which limit.
        kind: LimitKind,
        /// Its value.
        value: u64,
    },
    /// The URL cannot be fetched (bad syntax, scheme, credentials).
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    /// The host is not a valid host name or address.
    #[error("invalid host {0:?}")]
    InvalidHost(String),
    /// A request field is not acceptable (a header name or value, a method).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The name does not resolve.
    #[error("getaddrinfo ENOTFOUND {0}")]
    NotFound(String),
    /// The connection failed or broke; `code` is the Node errno name.
    #[error("{op} {code} {addr}")]
    Io {
        /// `connect`, `read` or `write`.
        op: &'static str,
        /// `ECONNREFUSED`, `ECONNRESET`, `EPIPE`, `EHOSTUNREACH`, ...
        code: &'static str,
        /// The peer.
        addr: String,
    },
    /// The TLS handshake or session failed (certificate, protocol).
    #[error("TLS: {0}")]
    Tls(String),
    /// The peer spoke broken HTTP.
    #[error("HTTP: {0}")]
    Http(String),
    /// A response body's content coding is corrupt or cut short (`fetch` decodes them).
    #[error("{coding} body: {message}")]
    Decode {
        /// `gzip`, `deflate` or `br`.
        coding: &'static str,
        /// What the decompressor said.
        message: String,
    },
    /// The operation was aborted by the guest (`AbortSignal`, `socket.destroy()`).
    #[error("the operation was aborted")]
    Aborted,
    /// The exec's network was closed (the exec ended or was killed).
    #[error("the exec's network is closed")]
    Closed,
    /// No operation with this id is in flight.
    #[error("no network operation {0}")]
    UnknownOp(u64),
    /// Nothing listens on this virtual port.
    #[error("connect ECONNREFUSED virtual port {0}")]
    NoListener(u16),
    /// The virtual port is taken.
    #[error("listen EADDRINUSE: virtual port {0}")]
    PortInUse(u16),
    /// Nothing listens on this Unix socket path.
    #[error("connect ENOENT {0}")]
    NoSocket(String),
    /// A listener holds this Unix socket path.
    #[error("listen EADDRINUSE: address already in use {0}")]
    PathInUse(String),
}

impl NetError {
    /// The Node-shaped `code` property of the guest's error.
    pub fn code(&self) -> &'static str {
        match self {
            NetError::Denied(_) | NetError::NoListener(_) => "ECONNREFUSED",
            NetError::Limit { kind, .. } if kind.is_time() => "ETIMEDOUT",
            NetError::Limit { .. } => "ERR_NET_LIMIT",
            NetError::InvalidUrl(_) => "ERR_INVALID_URL",
            NetError::InvalidHost(_) | NetError::InvalidArgument(_) => "ERR_INVALID_ARG_VALUE",
            NetError::NotFound(_) => "ENOTFOUND",
            NetError::Io { code, .. } => code,
            NetError::Tls(_) => "ERR_TLS_HANDSHAKE",
            NetError::Http(_) => "HPE_INVALID",
            NetError::Decode { .. } => "Z_DATA_ERROR",
            NetError::Aborted => "ABORT_ERR",
            NetError::Closed => "ERR_NET_CLOSED",
            NetError::UnknownOp(_) => "ERR_INVALID_HANDLE",
            NetError::PortInUse(_) | NetError::PathInUse(_) => "EADDRINUSE",
            NetError::NoSocket(_) => "ENOENT",
        }
    }

    /// The denial, when this error is one.
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            NetError::Denied(d) => Some(d),
            _ => None,
        }
    }

    /// An I/O failure on `op` with `addr`, mapped to a Node errno name.
    pub(crate) fn io(op: &'static str, addr: impl fmt::Display, e: &io::Error) -> NetError {
        NetError::Io {
            op,
            code: errno_name(e),
            addr: addr.to_string(),
        }
    }

    pub(crate) fn limit(kind: LimitKind, value: u64) -> NetError {
        NetError::Limit { kind, value }
    }
}

fn errno_name(e: &io::Error) -> &'static str {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => "ECONNREFUSED",
        K::ConnectionReset => "ECONNRESET",
        K::ConnectionAborted => "ECONNABORTED",
        K::BrokenPipe => "EPIPE",
        K::TimedOut => "ETIMEDOUT",
        K::HostUnreachable => "EHOSTUNREACH",
        K::NetworkUnreachable => "ENETUNREACH",
        K::AddrNotAvailable => "EADDRNOTAVAIL",
        K::UnexpectedEof => "ECONNRESET",
        _ => "EIO",
    }
}
